/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Board "control": receives the readings, checks that none is missing or repeated,
 *        and reacts to alarms as they come.
 */
#include <stdio.h>
#include <string.h>

#include "telemetry.h"

static RIPC_MBOX_DEFINE(telemetry, sizeof(struct reading), TELEMETRY_DEPTH);
static RIPC_EVENT_DEFINE(alarms);
static RIPC_EVENT_DEFINE(status);
static RIPC_LINK_DEFINE(tcp_link);
static RIPC_LINK_DEFINE(udp_link);

static const struct ripc_link_channel tcp_channels[] = {
	RIPC_LINK_MBOX_IN("telemetry", &telemetry, RIPC_LINK_FULL_DEFAULT),
};
static const struct ripc_link_channel udp_channels[] = {
	RIPC_LINK_EVENT_IN("alarms", &alarms, ALARM_ALL),
};

int control_board(const char *sensor_ip, const char *bind_ip)
{
	char tcp_local[64], udp_local[64], udp_peer[64];
	const char *allow[] = {sensor_ip, NULL};
	struct ripc_link_config tcp = {
		.node = "control",
		.transport = RIPC_LINK_TCP,
		.local = tcp_local,
		.allow = allow,
		.channels = tcp_channels,
		.nchannels = 1,
		.status = &status,
		.up_bit = LINK_TCP_UP,
		.down_bit = LINK_TCP_DOWN,
	};
	struct ripc_link_config udp = {
		.node = "control",
		.transport = RIPC_LINK_UDP,
		.local = udp_local,
		.peer = udp_peer,
		.channels = udp_channels,
		.nchannels = 1,
		.status = &status,
		.up_bit = LINK_UDP_UP,
		.down_bit = LINK_UDP_DOWN,
	};
	struct ripc_poll_item items[] = {
		RIPC_POLL_MBOX_GET(&telemetry),
		RIPC_POLL_EVENT(&alarms, ALARM_ALL, RIPC_EVENT_WAIT_ANY),
	};
	struct ripc_link_stats us;
	uint32_t expect = 0, overtemp = 0, overpressure = 0;
	int64_t worst_ns = 0;
	int rc;

	snprintf(tcp_local, sizeof(tcp_local), "%s:%d", bind_ip, TELEMETRY_TCP_PORT);
	snprintf(udp_local, sizeof(udp_local), "%s:%d", bind_ip, ALARM_UDP_PORT_CONTROL);
	snprintf(udp_peer, sizeof(udp_peer), "%s:%d", sensor_ip, ALARM_UDP_PORT_SENSOR);
	rc = ripc_link_start(&tcp_link, &tcp);
	if (rc == 0)
		rc = ripc_link_start(&udp_link, &udp);
	if (rc != 0) {
		fprintf(stderr, "control: link start failed: %d\n", rc);
		return 1;
	}
	printf("control: listening on %s\n", tcp_local);
	fflush(stdout);
	for (;;) {
		struct reading r;
		uint32_t bits = 0;
		size_t len;

		/* One wait for both: readings and alarms, whichever comes first. */
		if (ripc_poll(items, 2, RIPC_SEC(60)) < 0) {
			struct ripc_link_stats ts;

			ripc_link_stats(&tcp_link, &ts);
			fprintf(stderr,
				"control: nothing for 60 s (expected reading %u; %u queued; link: "
				"%llu frames in, %llu delivered, %llu held back, %llu "
				"duplicates)\n",
				expect, ripc_mbox_count(&telemetry),
				(unsigned long long)ts.frames_rx, (unsigned long long)ts.msgs_rx,
				(unsigned long long)ts.tcp_held_back,
				(unsigned long long)ts.tcp_duplicates);
			return 1;
		}
		if (ripc_event_wait(&alarms, ALARM_ALL, RIPC_EVENT_WAIT_ANY | RIPC_EVENT_CLEAR,
				    &bits, RIPC_NO_WAIT) == 0) {
			overtemp += (bits & ALARM_OVERTEMP) ? 1 : 0;
			overpressure += (bits & ALARM_OVERPRESSURE) ? 1 : 0;
		}
		while (ripc_mbox_get(&telemetry, &r, sizeof(r), &len, RIPC_NO_WAIT) == 0) {
			int64_t age = ripc_uptime_ns() - r.t_ns;

			if (len != sizeof(r) || r.seq != expect) {
				fprintf(stderr, "control: reading %u arrived, expected %u\n", r.seq,
					expect);
				return 1;
			}
			/* Same machine only: the boards' clocks are not the same clock. */
			if (age > worst_ns)
				worst_ns = age;
			expect++;
			if (r.last) {
				ripc_link_stats(&udp_link, &us);
				printf("control: %u readings in order, none lost or repeated; "
				       "alarms: "
				       "%u over-temperature, %u over-pressure (UDP: %llu lost)\n",
				       expect, overtemp, overpressure,
				       (unsigned long long)us.udp_lost);
				printf("control: oldest reading on arrival %.1f ms (meaningful "
				       "when "
				       "both boards share a clock)\n",
				       (double)worst_ns / 1e6);
				ripc_link_stop(&tcp_link, RIPC_SEC(2));
				ripc_link_stop(&udp_link, RIPC_NO_WAIT);
				return overtemp > 0 ? 0 : 1;
			}
		}
	}
}
