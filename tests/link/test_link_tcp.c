/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief TCP links over loopback: order and exactly-once delivery (also across cut,
 *        black-holed and replaced connections), events both ways, back-pressure from a
 *        full mailbox, status bits, refused handshakes with their reasons, drain on stop,
 *        strangers and garbage on the listening port.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "link_test.h"
#include "ripc_test.h"

#include "core/link_frame.h"

#define MSZ 200

/* Node A connects; node B listens. Each has one mailbox each way and one event each way. */
static RIPC_MBOX_DEFINE(a_out, MSZ, 64);
static RIPC_MBOX_DEFINE(a_in, MSZ, 64);
static RIPC_MBOX_DEFINE(b_out, MSZ, 64);
static RIPC_MBOX_DEFINE(b_in, MSZ, 64);
static RIPC_MBOX_DEFINE(b_in_small, 32, 4);
static RIPC_EVENT_DEFINE(a_ev_out);
static RIPC_EVENT_DEFINE(a_ev_in);
static RIPC_EVENT_DEFINE(b_ev_out);
static RIPC_EVENT_DEFINE(b_ev_in);
static RIPC_EVENT_DEFINE(a_status);
static RIPC_EVENT_DEFINE(b_status);

#define UP   RIPC_EVENT_BIT(0)
#define DOWN RIPC_EVENT_BIT(1)

static const struct ripc_link_channel a_ch[] = {
	RIPC_LINK_MBOX_OUT("tm", &a_out), RIPC_LINK_MBOX_IN("cmd", &a_in, 0),
	RIPC_LINK_EVENT_OUT("alarm", &a_ev_out, 0xff), RIPC_LINK_EVENT_IN("ctl", &a_ev_in, 0xf0)};
static const struct ripc_link_channel b_ch[] = {
	RIPC_LINK_MBOX_IN("tm", &b_in, 0), RIPC_LINK_MBOX_OUT("cmd", &b_out),
	RIPC_LINK_EVENT_IN("alarm", &b_ev_in, 0xff), RIPC_LINK_EVENT_OUT("ctl", &b_ev_out, 0xf0)};

static RIPC_LINK_DEFINE(link_a);
static RIPC_LINK_DEFINE(link_b);
static char b_addr[32], a_peer[32];
static struct ripc_link_config cfg_a, cfg_b;

static void reset_objects(void)
{
	assert_true(ripc_mbox_purge(&a_out) >= 0);
	assert_true(ripc_mbox_purge(&a_in) >= 0);
	assert_true(ripc_mbox_purge(&b_out) >= 0);
	assert_true(ripc_mbox_purge(&b_in) >= 0);
	assert_true(ripc_mbox_purge(&b_in_small) >= 0);
	ripc_event_clear(&a_ev_out, ~0u);
	ripc_event_clear(&a_ev_in, ~0u);
	ripc_event_clear(&b_ev_out, ~0u);
	ripc_event_clear(&b_ev_in, ~0u);
	ripc_event_clear(&a_status, ~0u);
	ripc_event_clear(&b_status, ~0u);
}

static void set_port(uint16_t port, void *arg)
{
	(void)arg;
	snprintf(b_addr, sizeof(b_addr), "127.0.0.1:%u", (unsigned)port);
	if (cfg_a.peer == a_peer)
		memcpy(a_peer, b_addr, sizeof(a_peer));
}

static const char *const allow_lo[] = {"127.0.0.0/8", NULL};

/* Configure both nodes (B listens on a fresh port, A connects to @p peer or to B). */
static void configure(void)
{
	/* A failed test may have left its links running. */
	(void)ripc_link_stop(&link_a, RIPC_NO_WAIT);
	(void)ripc_link_stop(&link_b, RIPC_NO_WAIT);
	reset_objects();
	cfg_a = (struct ripc_link_config){
		.node = "node-a",
		.transport = RIPC_LINK_TCP,
		.peer = a_peer,
		.channels = a_ch,
		.nchannels = 4,
		.status = &a_status,
		.up_bit = UP,
		.down_bit = DOWN,
		.backoff_min_ms = 10,
		.backoff_max_ms = 200,
	};
	link_test_timing(&cfg_a);
	cfg_b = cfg_a;
	cfg_b.node = "node-b";
	cfg_b.peer = NULL;
	cfg_b.local = b_addr;
	cfg_b.allow = allow_lo;
	cfg_b.channels = b_ch;
	cfg_b.status = &b_status;
}

static void start_both(void)
{
	assert_int_equal(link_test_start_retry(&link_b, &cfg_b, set_port, NULL), 0);
	assert_int_equal(ripc_link_start(&link_a, &cfg_a), 0);
}

static void wait_up(struct ripc_event *status)
{
	uint32_t got = 0;

	assert_int_equal(ripc_event_wait(status, UP, RIPC_EVENT_WAIT_ANY, &got, RIPC_SEC(60)), 0);
}

static void stop_both(void)
{
	(void)ripc_link_stop(&link_a, RIPC_NO_WAIT);
	(void)ripc_link_stop(&link_b, RIPC_NO_WAIT);
}

/* ---- Streams ----------------------------------------------------------------------------- */

struct stream {
	struct ripc_mbox *out, *in;
	uint32_t count;
	uint32_t received;
	int error; /* first wrong message: its position + 1 */
	struct tcp_fwd *fwd;
};

static void *produce(void *arg)
{
	struct stream *s = arg;
	uint8_t m[MSZ];
	uint32_t i;

	for (i = 0; i < s->count; i++) {
		size_t n = link_test_msg(m, MSZ, i);

		if (ripc_mbox_put(s->out, m, n, RIPC_SEC(60)) != 0)
			break;
	}
	return NULL;
}

static void *consume(void *arg)
{
	struct stream *s = arg;
	uint8_t m[MSZ];
	size_t len;

	while (s->received < s->count) {
		if (ripc_mbox_get(s->in, m, sizeof(m), &len, RIPC_SEC(60)) != 0)
			break;
		if (s->error == 0 && !link_test_msg_ok(m, len, MSZ, s->received))
			s->error = (int)s->received + 1;
		s->received++;
	}
	return NULL;
}

/* Run @p count messages each way, concurrently; @p disturb runs meanwhile. */
static void run_streams(uint32_t count, void (*disturb)(void *), void *arg)
{
	struct stream ab = {.out = &a_out, .in = &b_in, .count = count};
	struct stream ba = {.out = &b_out, .in = &a_in, .count = count};
	pthread_t t[4];
	int i;

	assert_int_equal(pthread_create(&t[0], NULL, produce, &ab), 0);
	assert_int_equal(pthread_create(&t[1], NULL, consume, &ab), 0);
	assert_int_equal(pthread_create(&t[2], NULL, produce, &ba), 0);
	assert_int_equal(pthread_create(&t[3], NULL, consume, &ba), 0);
	if (disturb != NULL)
		disturb(arg);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	if (ab.error != 0 || ba.error != 0)
		fail_msg("message out of order or corrupt at %d (a->b) / %d (b->a)", ab.error - 1,
			 ba.error - 1);
	assert_int_equal(ab.received, count);
	assert_int_equal(ba.received, count);
	/* Exactly once: nothing more arrives later. */
	ripc_test_sleep_ms(100);
	assert_int_equal(ripc_mbox_count(&b_in), 0);
	assert_int_equal(ripc_mbox_count(&a_in), 0);
}

static void expect_clean(struct ripc_link *l)
{
	struct ripc_link_stats s;

	assert_int_equal(ripc_link_stats(l, &s), 0);
	if (s.drop_crc + s.drop_malformed + s.drop_version + s.drop_oversized + s.drop_unexpected !=
	    0)
		fail_msg("%s dropped frames: crc %llu malformed %llu version %llu oversized %llu "
			 "unexpected %llu",
			 l == &link_a ? "a" : "b", (unsigned long long)s.drop_crc,
			 (unsigned long long)s.drop_malformed, (unsigned long long)s.drop_version,
			 (unsigned long long)s.drop_oversized,
			 (unsigned long long)s.drop_unexpected);
}

static void test_tcp_link_delivers_both_ways_in_order_exactly_once(void **state)
{
	struct ripc_link_stats sa, sb;
	struct ripc_link_status st;
	uint32_t n = (uint32_t)ripc_test_scaled(100000);

	(void)state;
	configure();
	start_both();
	wait_up(&a_status);
	wait_up(&b_status);
	assert_int_equal(ripc_event_get(&a_status) & DOWN, 0);
	assert_int_equal(ripc_link_status(&link_a, &st), 0);
	assert_int_equal(st.state, RIPC_LINK_UP);
	assert_string_equal(st.peer_node, "node-b");
	run_streams(n, NULL, NULL);
	assert_int_equal(ripc_link_stats(&link_a, &sa), 0);
	assert_int_equal(ripc_link_stats(&link_b, &sb), 0);
	assert_true(sa.msgs_tx == n && sa.msgs_rx == n);
	assert_true(sb.msgs_tx == n && sb.msgs_rx == n);
	/* Frames are sent again only when the peer held some back (its mailbox was full while
	 * its consumer lagged, as under sanitizers); the receiver then discarded every copy
	 * it already had. */
	if (sb.tcp_held_back == 0)
		assert_int_equal(sa.retransmits, 0);
	assert_true(sb.tcp_duplicates <= sa.retransmits);
	assert_int_equal(sa.reconnects, 0);
	assert_true(sa.bytes_tx > (uint64_t)n * 8);
	expect_clean(&link_a);
	expect_clean(&link_b);
	assert_int_equal(ripc_link_stop(&link_a, RIPC_SEC(10)), 0);
	assert_int_equal(ripc_link_stop(&link_b, RIPC_SEC(10)), 0);
	print_message("[          ] %u messages each way, a sent %llu frames in %llu bytes\n", n,
		      (unsigned long long)sa.frames_tx, (unsigned long long)sa.bytes_tx);
}

static void test_tcp_link_carries_events_and_reports_rtt(void **state)
{
	struct ripc_link_stats s;
	uint32_t got = 0;

	(void)state;
	configure();
	start_both();
	wait_up(&a_status);
	assert_int_equal(ripc_event_post(&a_ev_out, 0x05), 0);
	assert_int_equal(ripc_event_wait(&b_ev_in, 0x05, RIPC_EVENT_WAIT_ALL | RIPC_EVENT_CLEAR,
					 &got, RIPC_SEC(10)),
			 0);
	assert_int_equal(got, 0x05);
	/* The link consumed the bits it carried, here. */
	assert_int_equal(ripc_event_get(&a_ev_out), 0);
	/* Only the channel's bits travel: 0x0f is outside "ctl"'s 0xf0. */
	assert_int_equal(ripc_event_post(&b_ev_out, 0x30), 0);
	assert_int_equal(ripc_event_post(&b_ev_out, 0x0f), 0);
	assert_int_equal(ripc_event_wait(&a_ev_in, 0x30, RIPC_EVENT_WAIT_ALL, &got, RIPC_SEC(10)),
			 0);
	ripc_test_sleep_ms(50);
	assert_int_equal(ripc_event_get(&a_ev_in), 0x30);
	assert_int_equal(ripc_event_get(&b_ev_out), 0x0f); /* not carried, not consumed */
	/* Heartbeats every 50 ms: a round trip is measured within a second. */
	ripc_test_sleep_ms(300);
	assert_int_equal(ripc_link_stats(&link_a, &s), 0);
	assert_true(s.heartbeats_tx > 0 && s.heartbeats_rx > 0);
	assert_true(s.rtt_last_ns > 0 && s.rtt_avg_ns > 0);
	stop_both();
}

/* ---- Interruptions ------------------------------------------------------------------------ */

static int cut_count;

static bool connected_again(void *arg)
{
	struct tcp_fwd *f = arg;
	struct ripc_link_status st;

	ripc_link_status(&link_a, &st);
	return atomic_load(&f->conns) > cut_count && st.state == RIPC_LINK_UP;
}

/* Cut the connection three times, each time once the link is up on a new one, so every cut
 * hits a working connection however slow the machine is. */
static void cut_three_times(void *arg)
{
	struct tcp_fwd *f = arg;

	for (cut_count = 0; cut_count < 3; cut_count++) {
		assert_true(link_test_wait_for(connected_again, f, 60000));
		ripc_test_sleep_ms(100);
		atomic_store(&f->cut, 1);
	}
}

static void test_tcp_link_survives_cut_connections_exactly_once(void **state)
{
	static struct tcp_fwd fwd;
	struct ripc_link_stats sa;
	uint16_t bport;

	(void)state;
	configure();
	assert_int_equal(link_test_start_retry(&link_b, &cfg_b, set_port, NULL), 0);
	bport = (uint16_t)atoi(strchr(b_addr, ':') + 1);
	assert_int_equal(tcp_fwd_start(&fwd, bport), 0);
	snprintf(a_peer, sizeof(a_peer), "127.0.0.1:%u", (unsigned)fwd.port);
	assert_int_equal(ripc_link_start(&link_a, &cfg_a), 0);
	wait_up(&a_status);
	run_streams((uint32_t)ripc_test_scaled(200000), cut_three_times, &fwd);
	assert_int_equal(ripc_link_stats(&link_a, &sa), 0);
	assert_true(sa.reconnects >= 3);
	print_message("[          ] %d connections, a: %llu retransmits, %llu reconnects\n",
		      atomic_load(&fwd.conns), (unsigned long long)sa.retransmits,
		      (unsigned long long)sa.reconnects);
	expect_clean(&link_a);
	expect_clean(&link_b);
	stop_both();
	tcp_fwd_stop(&fwd);
}

static void partition(void *arg)
{
	struct tcp_fwd *f = arg;
	uint32_t got = 0;

	ripc_test_sleep_ms(100);
	atomic_store(&f->blackhole, 1);
	/* Nothing arrives any more: both ends declare the other dead (after dead_ms). */
	assert_int_equal(ripc_event_wait(&a_status, DOWN, RIPC_EVENT_WAIT_ANY, &got, RIPC_SEC(30)),
			 0);
	assert_int_equal(ripc_event_wait(&b_status, DOWN, RIPC_EVENT_WAIT_ANY, &got, RIPC_SEC(30)),
			 0);
	ripc_test_sleep_ms(300);
	atomic_store(&f->cut, 1);
	atomic_store(&f->blackhole, 0);
}

static void test_tcp_link_detects_a_partition_and_resumes(void **state)
{
	static struct tcp_fwd fwd;
	struct ripc_link_status st;
	uint16_t bport;

	(void)state;
	configure();
	assert_int_equal(link_test_start_retry(&link_b, &cfg_b, set_port, NULL), 0);
	bport = (uint16_t)atoi(strchr(b_addr, ':') + 1);
	assert_int_equal(tcp_fwd_start(&fwd, bport), 0);
	snprintf(a_peer, sizeof(a_peer), "127.0.0.1:%u", (unsigned)fwd.port);
	assert_int_equal(ripc_link_start(&link_a, &cfg_a), 0);
	wait_up(&a_status);
	run_streams((uint32_t)ripc_test_scaled(50000), partition, &fwd);
	assert_int_equal(ripc_link_status(&link_a, &st), 0);
	assert_int_equal(st.state, RIPC_LINK_UP);
	stop_both();
	tcp_fwd_stop(&fwd);
}

/* ---- Back-pressure ------------------------------------------------------------------------- */

static const struct ripc_link_channel a_small[] = {RIPC_LINK_MBOX_OUT("tiny", &a_out)};
static const struct ripc_link_channel b_small[] = {RIPC_LINK_MBOX_IN("tiny", &b_in_small, 0)};
static RIPC_MBOX_DEFINE(a_tiny_out, 32, 4);
static const struct ripc_link_channel a_tiny[] = {RIPC_LINK_MBOX_OUT("tiny", &a_tiny_out)};

static void test_tcp_link_full_peer_mailbox_pushes_back_without_loss(void **state)
{
	struct ripc_link_stats sa, sb;
	uint8_t m[32];
	uint32_t put = 0, i;
	size_t len;

	(void)state;
	(void)a_small;
	configure();
	assert_true(ripc_mbox_purge(&a_tiny_out) >= 0);
	cfg_a.channels = a_tiny;
	cfg_a.nchannels = 1;
	cfg_b.channels = b_small;
	cfg_b.nchannels = 1;
	start_both();
	wait_up(&a_status);
	/* Nobody reads on B: its mailbox (4), the retransmit ring and A's mailbox (4) fill,
	 * then puts time out. Nothing is dropped anywhere. */
	for (;;) {
		memset(m, 0, sizeof(m));
		memcpy(m, &put, 4);
		if (ripc_mbox_put(&a_tiny_out, m, 32, RIPC_MSEC(200)) != 0)
			break;
		put++;
		assert_true(put < 1000000);
	}
	assert_true(put >= 8);
	ripc_test_sleep_ms(300); /* a retransmit timer or two fire meanwhile */
	for (i = 0; i < put; i++) {
		uint32_t num;

		assert_int_equal(ripc_mbox_get(&b_in_small, m, sizeof(m), &len, RIPC_SEC(20)), 0);
		memcpy(&num, m, 4);
		assert_int_equal(num, i);
	}
	ripc_test_sleep_ms(100);
	assert_int_equal(ripc_mbox_count(&b_in_small), 0);
	assert_int_equal(ripc_link_stats(&link_a, &sa), 0);
	assert_int_equal(ripc_link_stats(&link_b, &sb), 0);
	assert_true(sa.msgs_tx == put && sb.msgs_rx == put);
	assert_int_equal(sb.drop_full, 0);
	assert_true(sb.tcp_held_back > 0); /* the peer did refuse frames while full */
	print_message("[          ] %u messages through a 4-deep mailbox, %llu held back, %llu "
		      "retransmitted\n",
		      put, (unsigned long long)sb.tcp_held_back,
		      (unsigned long long)sa.retransmits);
	assert_int_equal(ripc_link_stop(&link_a, RIPC_SEC(10)), 0);
	assert_int_equal(ripc_link_stop(&link_b, RIPC_SEC(10)), 0);
}

/* ---- Handshake ------------------------------------------------------------------------------ */

static RIPC_MBOX_DEFINE(b_in_other, 100, 8);

static void expect_refused(struct ripc_link *l, const char *part)
{
	struct ripc_link_status st;

	assert_true(link_test_wait_state(l, RIPC_LINK_REFUSED, 10000));
	assert_int_equal(ripc_link_status(l, &st), 0);
	if (strstr(st.reason, part) == NULL)
		fail_msg("reason '%s' lacks '%s'", st.reason, part);
	assert_true(st.last_error < 0);
}

static void test_tcp_link_refuses_mismatched_channels_with_reason(void **state)
{
	const struct ripc_link_channel b_other[] = {RIPC_LINK_MBOX_IN("tm", &b_in_other, 0),
						    RIPC_LINK_MBOX_OUT("cmd", &b_out),
						    RIPC_LINK_EVENT_IN("alarm", &b_ev_in, 0xff),
						    RIPC_LINK_EVENT_OUT("ctl", &b_ev_out, 0xf0)};
	const struct ripc_link_channel b_fewer[] = {RIPC_LINK_MBOX_IN("tm", &b_in, 0),
						    RIPC_LINK_MBOX_OUT("cmd", &b_out)};
	struct ripc_link_stats s;

	(void)state;
	configure();
	cfg_b.channels = b_other;
	start_both();
	expect_refused(&link_b, "'tm': max message 100 here, 200 at peer");
	expect_refused(&link_a, "refused by peer: channel 'tm': max message 100 here, 200 at peer");
	assert_int_equal(ripc_event_get(&a_status) & UP, 0);
	assert_int_equal(ripc_link_stats(&link_a, &s), 0);
	assert_true(s.refused >= 1);
	assert_int_equal(s.msgs_tx + s.msgs_rx, 0);
	stop_both();

	configure();
	cfg_b.channels = b_fewer;
	cfg_b.nchannels = 2;
	start_both();
	expect_refused(&link_b, "peer has channel 'alarm' (event out)");
	stop_both();
}

/* ---- Stop and drain ------------------------------------------------------------------------ */

static void test_tcp_link_stop_drains_or_reports_unacknowledged(void **state)
{
	struct ripc_link_stats s;
	uint8_t m[MSZ];
	uint32_t i;

	(void)state;
	configure();
	start_both();
	wait_up(&a_status);
	for (i = 0; i < 40; i++)
		assert_int_equal(ripc_mbox_put(&a_out, m, link_test_msg(m, MSZ, i), RIPC_SEC(5)),
				 0);
	/* Drain: returns when B acknowledged all 40. */
	assert_int_equal(ripc_link_stop(&link_a, RIPC_SEC(20)), 0);
	assert_int_equal(ripc_link_stats(&link_a, &s), 0);
	assert_int_equal(s.unacked_at_stop, 0);
	assert_int_equal(ripc_mbox_count(&b_in), 40);
	assert_int_equal(ripc_link_stop(&link_a, RIPC_NO_WAIT), -EINVAL); /* not running */
	/* B now absent: A takes messages into its ring but nobody acknowledges. */
	assert_int_equal(ripc_link_stop(&link_b, RIPC_NO_WAIT), 0);
	configure();
	assert_int_equal(ripc_link_start(&link_a, &cfg_a), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(ripc_mbox_put(&a_out, m, link_test_msg(m, MSZ, i), RIPC_SEC(5)),
				 0);
	ripc_test_sleep_ms(100); /* the link takes them from the mailbox */
	assert_int_equal(ripc_mbox_count(&a_out), 0);
	assert_int_equal(ripc_link_stop(&link_a, RIPC_MSEC(100)), -ETIMEDOUT);
	assert_int_equal(ripc_link_stats(&link_a, &s), 0);
	assert_int_equal(s.unacked_at_stop, 10);
}

/* ---- Strangers ----------------------------------------------------------------------------- */

static int raw_connect(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

struct drop_probe {
	struct ripc_link *link;
	uint64_t malformed, version, crc;
};

static bool drops_seen(void *arg)
{
	struct drop_probe *p = arg;
	struct ripc_link_stats s;

	ripc_link_stats(p->link, &s);
	return s.drop_malformed >= p->malformed && s.drop_version >= p->version &&
	       s.drop_crc >= p->crc;
}

static void test_tcp_link_ignores_garbage_connections_while_up(void **state)
{
	struct drop_probe probe = {.link = &link_b, .malformed = 1, .version = 1, .crc = 1};
	uint8_t f[RIPCI_FRAME_HDR + 64];
	struct ripc_link_stats s;
	uint16_t port;
	size_t n;
	int fd;

	(void)state;
	configure();
	start_both();
	wait_up(&b_status);
	port = (uint16_t)atoi(strchr(b_addr, ':') + 1);
	/* Junk, a frame of protocol version 2, a HELLO with a broken CRC. */
	fd = raw_connect(port);
	assert_int_equal(send(fd, "GET / HTTP/1.0\r\n\r\n", 18, 0), 18);
	close(fd);
	fd = raw_connect(port);
	n = ripci_frame_seal(f, RIPCI_T_ACK, 0, 0, 0, 0);
	f[2] = 2;
	assert_int_equal(send(fd, f, n, 0), (ssize_t)n);
	close(fd);
	fd = raw_connect(port);
	memset(f + RIPCI_FRAME_HDR, 0, 64);
	n = ripci_frame_seal(f, RIPCI_T_HELLO, 0, 0, 0, 64);
	f[30] ^= 1;
	assert_int_equal(send(fd, f, n, 0), (ssize_t)n);
	close(fd);
	assert_true(link_test_wait_for(drops_seen, &probe, 10000));
	/* The real peer was never disturbed. */
	run_streams((uint32_t)ripc_test_scaled(1000), NULL, NULL);
	assert_int_equal(ripc_link_stats(&link_b, &s), 0);
	assert_int_equal(s.reconnects, 0);
	stop_both();
}

static void test_tcp_link_listener_refuses_sources_not_allowed(void **state)
{
	static const char *const allow_other[] = {"10.254.0.0/16", NULL};
	struct ripc_link_stats s;
	struct ripc_link_status st;

	(void)state;
	configure();
	cfg_b.allow = allow_other;
	start_both();
	ripc_test_sleep_ms(500);
	assert_int_equal(ripc_link_status(&link_a, &st), 0);
	assert_true(st.state != RIPC_LINK_UP);
	assert_int_equal(ripc_link_stats(&link_b, &s), 0);
	assert_true(s.drop_not_allowed >= 1);
	assert_int_equal(s.frames_rx, 0);
	stop_both();
}

/* ---- Fed by another process ------------------------------------------------------------- */

/* The outgoing mailbox lives in shared memory (as in a domain): another process puts into
 * it with the plain mailbox API and knows nothing of the link hosted here. */
struct shared_feed {
	struct ripc_mbox mb;
	struct ripc_sem go;
	_Alignas(64) unsigned char buf[RIPC_MBOX_BUF_SIZE(MSZ, 32)];
};

static struct shared_feed *feed;

static int feeder(void *arg)
{
	uint32_t n = *(uint32_t *)arg, i;
	uint8_t m[MSZ];

	if (ripc_sem_take(&feed->go, RIPC_SEC(60)) != 0)
		return 1;
	for (i = 0; i < n; i++)
		if (ripc_mbox_put(&feed->mb, m, link_test_msg(m, MSZ, i), RIPC_SEC(60)) != 0)
			return 2;
	return 0;
}

static void test_tcp_link_forwards_a_mailbox_another_process_fills(void **state)
{
	struct ripc_link_channel ch;
	const struct ripc_link_channel b_one[] = {RIPC_LINK_MBOX_IN("tm", &b_in, 0)};
	uint32_t n = (uint32_t)ripc_test_scaled(20000), i;
	uint8_t m[MSZ];
	size_t len;
	pid_t pid;

	(void)state;
	feed = ripc_test_shared_alloc(sizeof(*feed));
	assert_int_equal(ripc_mbox_init(&feed->mb, feed->buf, sizeof(feed->buf), MSZ, 32), 0);
	assert_int_equal(ripc_sem_init(&feed->go, 0, 1), 0);
	/* Forked before any link thread exists. */
	pid = ripc_test_fork(feeder, &n);
	configure();
	ch = (struct ripc_link_channel)RIPC_LINK_MBOX_OUT("tm", &feed->mb);
	cfg_a.channels = &ch;
	cfg_a.nchannels = 1;
	cfg_b.channels = b_one;
	cfg_b.nchannels = 1;
	start_both();
	wait_up(&a_status);
	assert_int_equal(ripc_sem_give(&feed->go), 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(ripc_mbox_get(&b_in, m, sizeof(m), &len, RIPC_SEC(60)), 0);
		assert_true(link_test_msg_ok(m, len, MSZ, i));
	}
	assert_int_equal(ripc_test_wait(pid), 0);
	assert_int_equal(ripc_link_stop(&link_a, RIPC_SEC(10)), 0);
	assert_int_equal(ripc_link_stop(&link_b, RIPC_SEC(10)), 0);
	ripc_test_shared_free(feed, sizeof(*feed));
}

/* ---- Configuration --------------------------------------------------------------------------- */

static RIPC_MBOX_DEFINE(huge, CONFIG_RIPC_LINK_MAX_MSG + 1, 2);

static void test_tcp_link_start_rejects_bad_configuration(void **state)
{
	struct ripc_link_config c;
	static struct ripc_mbox zero;
	const struct ripc_link_channel too_big[] = {RIPC_LINK_MBOX_OUT("x", &huge)};
	const struct ripc_link_channel uninit[] = {RIPC_LINK_MBOX_OUT("x", &zero)};
	const struct ripc_link_channel dup[] = {RIPC_LINK_MBOX_OUT("x", &a_out),
						RIPC_LINK_MBOX_OUT("x", &b_out)};
	const struct ripc_link_channel drop[] = {
		RIPC_LINK_MBOX_IN("x", &a_in, RIPC_LINK_FULL_DROP_NEW)};
	const struct ripc_link_channel nobits[] = {RIPC_LINK_EVENT_OUT("x", &a_ev_out, 0)};
	const struct ripc_link_channel badname[] = {RIPC_LINK_MBOX_OUT("a b", &a_out)};
	struct ripc_link_stats s;

	(void)state;
	configure();
	snprintf(a_peer, sizeof(a_peer), "127.0.0.1:1");
#define EXPECT(field_change, rc)                                    \
	do {                                                        \
		c = cfg_a;                                          \
		field_change;                                       \
		assert_int_equal(ripc_link_start(&link_a, &c), rc); \
	} while (0)
	assert_int_equal(ripc_link_start(NULL, &cfg_a), -EINVAL);
	assert_int_equal(ripc_link_start(&link_a, NULL), -EINVAL);
	EXPECT(c.node = NULL, -EINVAL);
	EXPECT(c.node = "", -EINVAL);
	EXPECT(c.transport = 3, -EINVAL);
	EXPECT(c.channels = NULL, -EINVAL);
	EXPECT(c.nchannels = 0, -EINVAL);
	EXPECT(c.nchannels = CONFIG_RIPC_LINK_MAX_CHANNELS + 1, -EINVAL);
	EXPECT((c.channels = too_big, c.nchannels = 1), -EMSGSIZE);
	EXPECT((c.channels = uninit, c.nchannels = 1), -EINVAL);
	EXPECT((c.channels = dup, c.nchannels = 2), -EINVAL);
	EXPECT((c.channels = drop, c.nchannels = 1), -EINVAL); /* TCP never drops */
	EXPECT((c.channels = nobits, c.nchannels = 1), -EINVAL);
	EXPECT((c.channels = badname, c.nchannels = 1), -EINVAL);
	EXPECT(c.peer = "127.0.0.1", -EINVAL); /* no port */
	EXPECT(c.peer = "localhost:80", -EINVAL);
	EXPECT(c.peer = "1.2.3.4:99999", -EINVAL);
	EXPECT((c.peer = NULL, c.local = NULL), -EINVAL);
	EXPECT(c.dead_ms = 10, -EINVAL); /* less than three heartbeats */
	EXPECT((c.backoff_min_ms = 500, c.backoff_max_ms = 100), -EINVAL);
	EXPECT(c.up_bit = 0, -EINVAL);
	EXPECT(c.down_bit = UP, -EINVAL);
	/* A listener on a port that is taken. */
	assert_int_equal(link_test_start_retry(&link_b, &cfg_b, set_port, NULL), 0);
	EXPECT((c.peer = NULL, c.local = b_addr, c.allow = allow_lo), -EADDRINUSE);
	EXPECT((c.peer = NULL, c.local = b_addr, c.allow = NULL), -EINVAL); /* accepts nobody */
	assert_int_equal(ripc_link_start(&link_b, &cfg_b), -EALREADY);
	assert_int_equal(ripc_link_stop(&link_b, RIPC_NO_WAIT), 0);
#undef EXPECT
	assert_int_equal(ripc_link_stop(NULL, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_link_stats(NULL, &s), -EINVAL);
	assert_int_equal(ripc_link_stats(&link_b, NULL), -EINVAL);
	assert_int_equal(ripc_link_status(&link_b, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_link_start_rejects_bad_configuration),
		cmocka_unit_test(test_tcp_link_delivers_both_ways_in_order_exactly_once),
		cmocka_unit_test(test_tcp_link_carries_events_and_reports_rtt),
		cmocka_unit_test(test_tcp_link_survives_cut_connections_exactly_once),
		cmocka_unit_test(test_tcp_link_detects_a_partition_and_resumes),
		cmocka_unit_test(test_tcp_link_full_peer_mailbox_pushes_back_without_loss),
		cmocka_unit_test(test_tcp_link_refuses_mismatched_channels_with_reason),
		cmocka_unit_test(test_tcp_link_stop_drains_or_reports_unacknowledged),
		cmocka_unit_test(test_tcp_link_ignores_garbage_connections_while_up),
		cmocka_unit_test(test_tcp_link_listener_refuses_sources_not_allowed),
		cmocka_unit_test(test_tcp_link_forwards_a_mailbox_another_process_fills),
	};

	ripc_test_init("link.tcp");
	return cmocka_run_group_tests_name("link.tcp", tests, NULL, NULL);
}
