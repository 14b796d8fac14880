/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Board "sensor": samples at 1 kHz, sends readings over TCP, alarms over UDP.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "telemetry.h"

static RIPC_MBOX_DEFINE(telemetry, sizeof(struct reading), TELEMETRY_DEPTH);
static RIPC_EVENT_DEFINE(alarms);
static RIPC_EVENT_DEFINE(status);
static RIPC_LINK_DEFINE(tcp_link);
static RIPC_LINK_DEFINE(udp_link);

static const struct ripc_link_channel tcp_channels[] = {
	RIPC_LINK_MBOX_OUT("telemetry", &telemetry),
};
static const struct ripc_link_channel udp_channels[] = {
	RIPC_LINK_EVENT_OUT("alarms", &alarms, ALARM_ALL),
};

/* A process that drifts in and out of its limits a few times per second. */
static void sample(struct reading *r, uint32_t seq)
{
	double t = seq / 1000.0;

	r->seq = seq;
	r->last = 0;
	r->t_ns = ripc_uptime_ns();
	r->temp_mc = (int32_t)(60000 + 25000 * sin(t * 7.0));
	r->pressure_pa = (int32_t)(101325 + 8000 * sin(t * 3.0 + 1.0));
}

int sensor_board(const char *control_ip, const char *bind_ip, int seconds)
{
	char tcp_peer[64], udp_local[64], udp_peer[64];
	struct ripc_link_config tcp = {
		.node = "sensor",
		.transport = RIPC_LINK_TCP,
		.peer = tcp_peer,
		.channels = tcp_channels,
		.nchannels = 1,
		.status = &status,
		.up_bit = LINK_TCP_UP,
		.down_bit = LINK_TCP_DOWN,
	};
	struct ripc_link_config udp = {
		.node = "sensor",
		.transport = RIPC_LINK_UDP,
		.local = udp_local,
		.peer = udp_peer,
		.channels = udp_channels,
		.nchannels = 1,
		.status = &status,
		.up_bit = LINK_UDP_UP,
		.down_bit = LINK_UDP_DOWN,
	};
	struct ripc_link_stats ts;
	uint32_t seq, got, raised = 0, bits_prev = 0;
	int64_t next;
	int rc;

	snprintf(tcp_peer, sizeof(tcp_peer), "%s:%d", control_ip, TELEMETRY_TCP_PORT);
	snprintf(udp_local, sizeof(udp_local), "%s:%d", bind_ip, ALARM_UDP_PORT_SENSOR);
	snprintf(udp_peer, sizeof(udp_peer), "%s:%d", control_ip, ALARM_UDP_PORT_CONTROL);
	rc = ripc_link_start(&tcp_link, &tcp);
	if (rc == 0)
		rc = ripc_link_start(&udp_link, &udp);
	if (rc != 0) {
		fprintf(stderr, "sensor: link start failed: %d\n", rc);
		return 1;
	}
	/* Wait until both links are up, so the run measures the flow, not the boot. */
	if (ripc_event_wait(&status, LINK_TCP_UP | LINK_UDP_UP, RIPC_EVENT_WAIT_ALL, &got,
			    RIPC_SEC(30)) != 0) {
		fprintf(stderr, "sensor: links did not come up\n");
		return 1;
	}
	next = ripc_uptime_ns();
	for (seq = 0; seq < (uint32_t)seconds * 1000u; seq++) {
		struct reading r;
		uint32_t bits;

		sample(&r, seq);
		/* A full mailbox means the control board is slow or away: wait, lose nothing. */
		if (ripc_mbox_put(&telemetry, &r, sizeof(r), RIPC_SEC(30)) != 0) {
			struct ripc_link_stats st;

			ripc_link_stats(&tcp_link, &st);
			fprintf(stderr,
				"sensor: telemetry stalled at %u (link: %llu frames out, %llu in, "
				"%llu retransmits, %llu reconnects, drops: %llu unexpected, %llu "
				"malformed, %llu crc)\n",
				seq, (unsigned long long)st.frames_tx,
				(unsigned long long)st.frames_rx,
				(unsigned long long)st.retransmits,
				(unsigned long long)st.reconnects,
				(unsigned long long)st.drop_unexpected,
				(unsigned long long)st.drop_malformed,
				(unsigned long long)st.drop_crc);
			return 1;
		}
		bits = (r.temp_mc > 80000 ? ALARM_OVERTEMP : 0) |
		       (r.pressure_pa > 108000 ? ALARM_OVERPRESSURE : 0);
		if ((bits & ~bits_prev) != 0) {
			ripc_event_post(&alarms, bits & ~bits_prev); /* rising edges only */
			raised++;
		}
		bits_prev = bits;
		next += 1000000;
		while (ripc_uptime_ns() < next)
			ripc_event_wait(&status, LINK_TCP_DOWN, RIPC_EVENT_WAIT_ANY, NULL,
					RIPC_NSEC(next - ripc_uptime_ns()));
	}
	{
		struct reading end;

		sample(&end, seq);
		end.last = 1;
		ripc_mbox_put(&telemetry, &end, sizeof(end), RIPC_SEC(30));
	}
	/* Stop only when the control board acknowledged every reading. */
	rc = ripc_link_stop(&tcp_link, RIPC_SEC(30));
	ripc_link_stats(&tcp_link, &ts);
	ripc_link_stop(&udp_link, RIPC_SEC(1));
	printf("sensor: %u readings sent (%llu frames, %llu bytes, rtt %.0f us), %u alarms "
	       "raised\n",
	       seq + 1, (unsigned long long)ts.frames_tx, (unsigned long long)ts.bytes_tx,
	       (double)ts.rtt_avg_ns / 1000.0, raised);
	return rc == 0 ? 0 : 1;
}
