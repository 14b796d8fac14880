/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief UDP links over loopback: delivery and events, counters that match exactly what a
 *        lossy, duplicating, reordering proxy did, full-mailbox policies, every kind of bad
 *        datagram counted by cause, strangers ignored, a dead peer noticed and re-found.
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

static RIPC_MBOX_DEFINE(a_out, MSZ, 64);
static RIPC_MBOX_DEFINE(b_in, MSZ, 8192); /* holds a whole test run */
static RIPC_MBOX_DEFINE(b_small, MSZ, 4);
static RIPC_MBOX_DEFINE(a_big, 2000, 4);
static RIPC_EVENT_DEFINE(a_ev_out);
static RIPC_EVENT_DEFINE(b_ev_in);
static RIPC_EVENT_DEFINE(a_status);
static RIPC_EVENT_DEFINE(b_status);

#define UP   RIPC_EVENT_BIT(0)
#define DOWN RIPC_EVENT_BIT(1)

static const struct ripc_link_channel a_ch[] = {RIPC_LINK_MBOX_OUT("tm", &a_out),
						RIPC_LINK_EVENT_OUT("alarm", &a_ev_out, 0xff)};
static const struct ripc_link_channel b_ch[] = {RIPC_LINK_MBOX_IN("tm", &b_in, 0),
						RIPC_LINK_EVENT_IN("alarm", &b_ev_in, 0xff)};
static struct ripc_link_channel b_ch_small[] = {RIPC_LINK_MBOX_IN("tm", &b_small, 0),
						RIPC_LINK_EVENT_IN("alarm", &b_ev_in, 0xff)};

static RIPC_LINK_DEFINE(link_a);
static RIPC_LINK_DEFINE(link_b);
static char a_addr[32], b_addr[32], a_peer[32];
static struct ripc_link_config cfg_a, cfg_b;
static const char *const allow_lo[] = {"127.0.0.0/8", NULL};

static void set_a_port(uint16_t port, void *arg)
{
	(void)arg;
	snprintf(a_addr, sizeof(a_addr), "127.0.0.1:%u", (unsigned)port);
}

static void set_b_port(uint16_t port, void *arg)
{
	(void)arg;
	snprintf(b_addr, sizeof(b_addr), "127.0.0.1:%u", (unsigned)port);
}

static void configure(void)
{
	/* A failed test may have left its links running. */
	(void)ripc_link_stop(&link_a, RIPC_NO_WAIT);
	(void)ripc_link_stop(&link_b, RIPC_NO_WAIT);
	(void)ripc_mbox_purge(&a_out);
	(void)ripc_mbox_purge(&b_in);
	(void)ripc_mbox_purge(&b_small);
	ripc_event_clear(&a_ev_out, ~0u);
	ripc_event_clear(&b_ev_in, ~0u);
	ripc_event_clear(&a_status, ~0u);
	ripc_event_clear(&b_status, ~0u);
	cfg_a = (struct ripc_link_config){
		.node = "udp-a",
		.transport = RIPC_LINK_UDP,
		.local = a_addr,
		.peer = a_peer,
		.allow = allow_lo,
		.channels = a_ch,
		.nchannels = 2,
		.status = &a_status,
		.up_bit = UP,
		.down_bit = DOWN,
		.backoff_min_ms = 10,
		.backoff_max_ms = 200,
	};
	link_test_timing(&cfg_a);
	cfg_b = cfg_a;
	cfg_b.node = "udp-b";
	cfg_b.local = b_addr;
	cfg_b.peer = a_addr;
	cfg_b.channels = b_ch;
	cfg_b.status = &b_status;
}

/* Start A, then B with A as its peer; A's peer is @p a_to (B itself, or a proxy). */
static void start_both(const char *a_to)
{
	assert_int_equal(link_test_start_retry(&link_a, &cfg_a, set_a_port, NULL), 0);
	if (a_to == NULL) {
		assert_int_equal(link_test_start_retry(&link_b, &cfg_b, set_b_port, NULL), 0);
		a_to = b_addr;
	} else {
		assert_int_equal(link_test_start_retry(&link_b, &cfg_b, set_b_port, NULL), 0);
	}
	/* A reads its peer text at each send through the parsed copy made at start, so stop
	 * and start A again with the final address. */
	assert_int_equal(ripc_link_stop(&link_a, RIPC_NO_WAIT), 0);
	snprintf(a_peer, sizeof(a_peer), "%s", a_to);
	assert_int_equal(ripc_link_start(&link_a, &cfg_a), 0);
}

static void wait_bit(struct ripc_event *ev, uint32_t bit)
{
	uint32_t got = 0;

	assert_int_equal(ripc_event_wait(ev, bit, RIPC_EVENT_WAIT_ANY, &got, RIPC_SEC(60)), 0);
}

static void stop_both(void)
{
	(void)ripc_link_stop(&link_a, RIPC_NO_WAIT);
	(void)ripc_link_stop(&link_b, RIPC_NO_WAIT);
}

/* Send @p n numbered messages from A, paced so that no socket buffer overflows. */
static void send_paced(uint32_t first, uint32_t n)
{
	uint8_t m[MSZ];
	uint32_t i;

	for (i = first; i < first + n; i++) {
		assert_int_equal(ripc_mbox_put(&a_out, m, link_test_msg(m, MSZ, i), RIPC_SEC(10)),
				 0);
		if (i % 16 == 15)
			ripc_test_sleep_ms(1);
	}
}

/* Everything A sent was taken, and B saw at least one heartbeat after it. */
static void settle(void)
{
	int64_t end = ripc_test_now_ns() + 10000000000LL;

	while (ripc_mbox_count(&a_out) != 0 && ripc_test_now_ns() < end)
		ripc_test_sleep_ms(5);
	ripc_test_sleep_ms((long)cfg_a.heartbeat_ms * 4); /* heartbeats carry the last number */
}

static void test_udp_link_delivers_messages_and_events(void **state)
{
	struct ripc_link_stats sa, sb;
	struct ripc_link_status st;
	uint32_t n = (uint32_t)ripc_test_scaled(5000), got = 0, i, prev = 0;
	uint8_t m[MSZ];
	size_t len;

	(void)state;
	configure();
	start_both(NULL);
	wait_bit(&a_status, UP);
	wait_bit(&b_status, UP);
	assert_int_equal(ripc_link_status(&link_b, &st), 0);
	assert_string_equal(st.peer_node, "udp-a");
	send_paced(0, n);
	settle();
	assert_int_equal(ripc_link_stats(&link_a, &sa), 0);
	assert_int_equal(ripc_link_stats(&link_b, &sb), 0);
	assert_true(sa.msgs_tx == n);
	/* Loopback may still drop under load: whatever is missing is counted, nothing twice,
	 * nothing out of order. */
	assert_true(sb.msgs_rx + sb.udp_lost + sb.drop_full == n);
	assert_int_equal(sb.udp_duplicates, 0);
	assert_int_equal(sb.udp_reordered, 0);
	for (i = 0; i < sb.msgs_rx; i++) {
		uint32_t num;

		assert_int_equal(ripc_mbox_get(&b_in, m, sizeof(m), &len, RIPC_SEC(5)), 0);
		num = link_test_msg_num(m);
		assert_true(link_test_msg_ok(m, len, MSZ, num));
		assert_true(i == 0 || num > prev);
		prev = num;
	}
	assert_int_equal(ripc_mbox_count(&b_in), 0);
	assert_int_equal(ripc_event_post(&a_ev_out, 0x81), 0);
	assert_int_equal(ripc_event_wait(&b_ev_in, 0x81, RIPC_EVENT_WAIT_ALL, &got, RIPC_SEC(10)),
			 0);
	ripc_test_sleep_ms(200);
	assert_int_equal(ripc_link_stats(&link_a, &sa), 0);
	assert_true(sa.rtt_avg_ns > 0 && sa.heartbeats_rx > 0);
	print_message("[          ] %u sent, %llu delivered, %llu lost on loopback\n", n,
		      (unsigned long long)sb.msgs_rx, (unsigned long long)sb.udp_lost);
	stop_both();
}

/* ---- Through the lossy proxy ------------------------------------------------------------- */

static void *proxy_main(void *arg)
{
	return (void *)(intptr_t)udp_proxy_run(arg);
}

/* Datagrams B has handled: every numbered one the proxy sent on ends as a delivery or as a
 * duplicate (B's mailbox is deep enough never to be full here). */
static bool b_caught_up(void *arg)
{
	struct udp_proxy *px = arg;
	struct ripc_link_stats s;

	ripc_link_stats(&link_b, &s);
	return s.msgs_rx + s.udp_duplicates >= atomic_load(&px->forwarded);
}

static uint32_t sent_so_far;

static bool proxy_caught_up(void *arg)
{
	struct udp_proxy *px = arg;

	return atomic_load(&px->seen) >= sent_so_far;
}

/* Send through the proxy, batch by batch, each only after the proxy and B handled the last:
 * the only losses are then the proxy's own, however slow the machine (a slow emulated board
 * would otherwise overflow a socket buffer and lose datagrams the proxy never saw). */
static void send_through(struct udp_proxy *px, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i += 16) {
		uint32_t k = n - i < 16 ? n - i : 16;

		send_paced(i, k);
		sent_so_far = i + k;
		if (!link_test_wait_for(proxy_caught_up, px, 20000))
			fail_msg("the proxy saw %u of %u datagrams", atomic_load(&px->seen), i + k);
		if (!link_test_wait_for(b_caught_up, px, 20000))
			fail_msg("B handled fewer datagrams than the proxy sent on");
	}
}

static void test_udp_link_counters_match_what_the_proxy_did(void **state)
{
	static struct udp_proxy px;
	static char px_addr[32];
	struct ripc_link_stats sb;
	uint32_t n = (uint32_t)ripc_test_scaled(4000), i, seen = 0;
	uint8_t m[MSZ], *got;
	size_t len;
	pthread_t t;
	void *ret;

	(void)state;
	configure();
	got = calloc(n, 1);
	assert_non_null(got);
	snprintf(px_addr, sizeof(px_addr), "127.0.0.1:%u", (unsigned)link_test_port());
	start_both(px_addr);
	px = (struct udp_proxy){.listen = px_addr,
				.forward = b_addr,
				.seed = 12345,
				.drop_pct = 5,
				.dup_pct = 5,
				.reorder_pct = 5};
	atomic_init(&px.stop, 0);
	assert_int_equal(pthread_create(&t, NULL, proxy_main, &px), 0);
	wait_bit(&a_status, UP);
	wait_bit(&b_status, UP);
	send_through(&px, n);
	settle();
	atomic_store(&px.stop, 1);
	assert_int_equal(pthread_join(t, &ret), 0);
	assert_int_equal((int)(intptr_t)ret, 0);
	assert_int_equal(ripc_link_stats(&link_b, &sb), 0);
	print_message("[          ] proxy: %llu numbered, %llu dropped, %llu duplicated, %llu "
		      "reordered; link: %llu lost, %llu duplicates, %llu reordered\n",
		      (unsigned long long)px.counts.numbered, (unsigned long long)px.counts.dropped,
		      (unsigned long long)px.counts.duplicated,
		      (unsigned long long)px.counts.reordered, (unsigned long long)sb.udp_lost,
		      (unsigned long long)sb.udp_duplicates, (unsigned long long)sb.udp_reordered);
	assert_true(px.counts.numbered == n);
	assert_true(px.counts.dropped > 0 && px.counts.duplicated > 0 && px.counts.reordered > 0);
	assert_true(sb.udp_lost == px.counts.dropped);
	assert_true(sb.udp_duplicates == px.counts.duplicated);
	assert_true(sb.udp_reordered == px.counts.reordered);
	assert_true(sb.msgs_rx == n - px.counts.dropped);
	/* Each delivered message is a distinct, intact one. */
	for (i = 0; i < sb.msgs_rx; i++) {
		uint32_t num;

		assert_int_equal(ripc_mbox_get(&b_in, m, sizeof(m), &len, RIPC_SEC(5)), 0);
		num = link_test_msg_num(m);
		assert_true(num < n && got[num] == 0);
		assert_true(link_test_msg_ok(m, len, MSZ, num));
		got[num] = 1;
		seen++;
	}
	assert_int_equal(ripc_mbox_count(&b_in), 0);
	assert_int_equal(seen, n - px.counts.dropped);
	free(got);
	stop_both();
}

/* ---- Full mailbox policies ----------------------------------------------------------------- */

static void expect_policy(uint8_t policy, uint32_t first_kept)
{
	struct ripc_link_stats sb;
	uint8_t m[MSZ];
	size_t len;
	uint32_t i;

	configure();
	b_ch_small[0].full = policy;
	cfg_b.channels = b_ch_small;
	start_both(NULL);
	wait_bit(&a_status, UP);
	wait_bit(&b_status, UP);
	send_paced(0, 10);
	settle();
	assert_int_equal(ripc_link_stats(&link_b, &sb), 0);
	assert_int_equal(sb.udp_lost, 0);
	assert_int_equal(sb.drop_full, 6);
	assert_int_equal(ripc_mbox_count(&b_small), 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(ripc_mbox_get(&b_small, m, sizeof(m), &len, RIPC_NO_WAIT), 0);
		assert_true(link_test_msg_ok(m, len, MSZ, first_kept + i));
	}
	stop_both();
}

static void test_udp_link_full_mailbox_policies(void **state)
{
	(void)state;
	expect_policy(RIPC_LINK_FULL_DEFAULT, 0);
	expect_policy(RIPC_LINK_FULL_DROP_NEW, 0);
	expect_policy(RIPC_LINK_FULL_DROP_OLD, 6);
	expect_policy(RIPC_LINK_FULL_WAIT, 0);
}

/* ---- Bad datagrams ------------------------------------------------------------------------- */

static int raw_socket(const char *from_ip)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET};

	assert_true(fd >= 0);
	inet_pton(AF_INET, from_ip, &sa.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void raw_send(int fd, const void *buf, size_t n)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};

	sa.sin_port = htons((uint16_t)atoi(strchr(b_addr, ':') + 1));
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	assert_int_equal(sendto(fd, buf, n, 0, (struct sockaddr *)&sa, sizeof(sa)), (ssize_t)n);
}

struct counter_probe {
	uint64_t (*get)(const struct ripc_link_stats *s);
	uint64_t want;
};

#define GETTER(field)                                                \
	static uint64_t get_##field(const struct ripc_link_stats *s) \
	{                                                            \
		return s->field;                                     \
	}
GETTER(drop_malformed)
GETTER(drop_crc)
GETTER(drop_truncated)
GETTER(drop_version)
GETTER(drop_oversized)
GETTER(drop_unexpected)
GETTER(drop_not_allowed)

static bool counter_reached(void *arg)
{
	struct counter_probe *p = arg;
	struct ripc_link_stats s;

	ripc_link_stats(&link_b, &s);
	return p->get(&s) >= p->want;
}

/* Send @p buf and expect exactly counter @p get of B to go up by one. */
static void expect_counted(int fd, const void *buf, size_t n,
			   uint64_t (*get)(const struct ripc_link_stats *))
{
	struct ripc_link_stats before, after;
	struct counter_probe p = {.get = get};

	assert_int_equal(ripc_link_stats(&link_b, &before), 0);
	p.want = get(&before) + 1;
	raw_send(fd, buf, n);
	assert_true(link_test_wait_for(counter_reached, &p, 10000));
	ripc_test_sleep_ms(20);
	assert_int_equal(ripc_link_stats(&link_b, &after), 0);
	assert_true(get(&after) == p.want);
	assert_true(after.msgs_rx == before.msgs_rx);
}

static void test_udp_link_counts_bad_datagrams_by_cause(void **state)
{
	static uint8_t f[60000];
	struct ripc_link_status st;
	uint8_t m[MSZ];
	size_t len, n;
	int fd;

	(void)state;
	configure();
	start_both(NULL);
	wait_bit(&b_status, UP);
	fd = raw_socket("127.0.0.1");
	memset(f, 0x41, sizeof(f));
	expect_counted(fd, f, 50, get_drop_malformed); /* not a frame at all */
	n = ripci_frame_seal(f, RIPCI_T_DATA, 0, 1, 0, 16);
	f[30] ^= 0xff;
	expect_counted(fd, f, n, get_drop_crc);
	n = ripci_frame_seal(f, RIPCI_T_DATA, 0, 1, 0, 100);
	expect_counted(fd, f, 60, get_drop_truncated);
	expect_counted(fd, f, n + 3, get_drop_malformed); /* bytes after the frame */
	n = ripci_frame_seal(f, RIPCI_T_DATA, 0, 1, 0, 16);
	f[2] = 7;
	expect_counted(fd, f, n, get_drop_version);
	expect_counted(fd, f, sizeof(f), get_drop_oversized);
	n = ripci_frame_seal(f, RIPCI_T_DATA, 9, 1, 0, 16); /* valid, but no channel 9 */
	expect_counted(fd, f, n, get_drop_unexpected);
	n = ripci_frame_seal(f, RIPCI_T_ACK, 0, 0, 0, 0); /* TCP only */
	expect_counted(fd, f, n, get_drop_unexpected);
	close(fd);
	/* Still up, still delivering. */
	assert_int_equal(ripc_link_status(&link_b, &st), 0);
	assert_int_equal(st.state, RIPC_LINK_UP);
	send_paced(0, 3);
	assert_int_equal(ripc_mbox_get(&b_in, m, sizeof(m), &len, RIPC_SEC(10)), 0);
	assert_true(link_test_msg_ok(m, len, MSZ, 0));
	stop_both();
}

static void test_udp_link_ignores_sources_not_allowed(void **state)
{
	static const char *const allow_one[] = {"127.0.0.1/32", NULL};
	uint8_t f[RIPCI_FRAME_HDR + 16];
	size_t n;
	int fd;

	(void)state;
	configure();
	cfg_b.allow = allow_one;
	start_both(NULL);
	wait_bit(&b_status, UP);
	fd = raw_socket("127.0.0.2");
	memset(f, 0, sizeof(f));
	n = ripci_frame_seal(f, RIPCI_T_DATA, 0, 1, 0, 16);
	expect_counted(fd, f, n, get_drop_not_allowed);
	close(fd);
	stop_both();
}

/* ---- Liveness and configuration ------------------------------------------------------------ */

static void test_udp_link_notices_a_dead_peer_and_finds_it_again(void **state)
{
	static struct udp_proxy px;
	static char px_addr[32];
	struct ripc_link_status st;
	uint8_t m[MSZ];
	size_t len;
	pthread_t t;

	(void)state;
	configure();
	snprintf(px_addr, sizeof(px_addr), "127.0.0.1:%u", (unsigned)link_test_port());
	start_both(px_addr);
	px = (struct udp_proxy){.listen = px_addr, .forward = b_addr, .seed = 1};
	atomic_init(&px.stop, 0);
	assert_int_equal(pthread_create(&t, NULL, proxy_main, &px), 0);
	wait_bit(&a_status, UP);
	wait_bit(&b_status, UP);
	/* The path from A to B goes silent, nobody says a word: B misses A's heartbeats,
	 * declares it dead and stops its own, so A declares B dead too. */
	atomic_store(&px.stop, 1);
	pthread_join(t, NULL);
	wait_bit(&b_status, DOWN);
	wait_bit(&a_status, DOWN);
	assert_int_equal(ripc_link_status(&link_a, &st), 0);
	assert_true(st.state != RIPC_LINK_UP);
	assert_non_null(strstr(st.reason, "no datagram from peer"));
	/* Messages wait in A's mailbox while the link is down. */
	send_paced(0, 5);
	ripc_test_sleep_ms(200);
	assert_int_equal(ripc_mbox_count(&a_out), 5);
	/* The path comes back: A's next HELLO finds B. */
	atomic_store(&px.stop, 0);
	assert_int_equal(pthread_create(&t, NULL, proxy_main, &px), 0);
	wait_bit(&a_status, UP);
	assert_int_equal(ripc_mbox_get(&b_in, m, sizeof(m), &len, RIPC_SEC(10)), 0);
	assert_true(link_test_msg_ok(m, len, MSZ, 0));
	stop_both();
	atomic_store(&px.stop, 1);
	pthread_join(t, NULL);
}

static void test_udp_link_refuses_oversized_mailboxes_and_bad_config(void **state)
{
	const struct ripc_link_channel big[] = {RIPC_LINK_MBOX_OUT("tm", &a_big)};
	struct ripc_link_config c;

	(void)state;
	configure();
	snprintf(a_addr, sizeof(a_addr), "127.0.0.1:%u", (unsigned)link_test_port());
	snprintf(a_peer, sizeof(a_peer), "127.0.0.1:9");
	c = cfg_a;
	c.channels = big;
	c.nchannels = 1;
	assert_int_equal(ripc_link_start(&link_a, &c), -EMSGSIZE); /* 2000 > 1400 */
	c.udp_max_msg = 2000;
	assert_int_equal(ripc_link_start(&link_a, &c), 0);
	assert_int_equal(ripc_link_stop(&link_a, RIPC_NO_WAIT), 0);
	c.udp_max_msg = CONFIG_RIPC_LINK_MAX_MSG + 1;
	assert_int_equal(ripc_link_start(&link_a, &c), -EINVAL);
	c = cfg_a;
	c.local = NULL; /* UDP needs its own fixed port */
	assert_int_equal(ripc_link_start(&link_a, &c), -EINVAL);
	c = cfg_a;
	c.peer = NULL;
	assert_int_equal(ripc_link_start(&link_a, &c), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_link_refuses_oversized_mailboxes_and_bad_config),
		cmocka_unit_test(test_udp_link_delivers_messages_and_events),
		cmocka_unit_test(test_udp_link_counters_match_what_the_proxy_did),
		cmocka_unit_test(test_udp_link_full_mailbox_policies),
		cmocka_unit_test(test_udp_link_counts_bad_datagrams_by_cause),
		cmocka_unit_test(test_udp_link_ignores_sources_not_allowed),
		cmocka_unit_test(test_udp_link_notices_a_dead_peer_and_finds_it_again),
	};

	ripc_test_init("link.udp");
	return cmocka_run_group_tests_name("link.udp", tests, NULL, NULL);
}
