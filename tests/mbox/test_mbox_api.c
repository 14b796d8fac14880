/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Mailbox API on one thread: every documented return code, DEFINE and init, FIFO and
 *        urgent order, peek, purge, count and space, and no system call when uncontended.
 */
#include <errno.h>
#include <string.h>

#include "ripc_test.h"

#include "core/mbox_ring.h"

static RIPC_MBOX_DEFINE(defined_mb, 32, 3);

#define MSZ   40
#define DEPTH 5

/* Room for every configuration used below. */
static struct ripc_mbox mb;
static _Alignas(64) unsigned char buf[8192];

static void setup_mbox(uint32_t msz, uint32_t depth)
{
	assert_true(RIPC_MBOX_BUF_SIZE(msz, depth) <= sizeof(buf));
	assert_int_equal(ripc_mbox_init(&mb, buf, sizeof(buf), msz, depth), 0);
}

/* Message i of a test: length and bytes both depend on i, so a mix-up shows. */
static size_t fill_msg(unsigned char *m, uint32_t i, size_t max)
{
	size_t n = (i * 7u + 3u) % (max + 1);

	for (size_t k = 0; k < n; k++)
		m[k] = (unsigned char)(i * 31u + k);
	return n;
}

static void put_msg(uint32_t i, size_t max)
{
	unsigned char m[256];
	size_t n = fill_msg(m, i, max);

	assert_int_equal(ripc_mbox_put(&mb, m, n, RIPC_NO_WAIT), 0);
}

static void get_msg(uint32_t i, size_t max)
{
	unsigned char want[256], got[256];
	size_t n = fill_msg(want, i, max), len = 9999;

	assert_int_equal(ripc_mbox_get(&mb, got, sizeof(got), &len, RIPC_NO_WAIT), 0);
	assert_int_equal(len, n);
	assert_memory_equal(got, want, n);
}

static void get_text(struct ripc_mbox *m, const char *want)
{
	char got[64];
	size_t len = 0;

	assert_int_equal(ripc_mbox_get(m, got, sizeof(got), &len, RIPC_NO_WAIT), 0);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
}

static void put_text(struct ripc_mbox *m, const char *text)
{
	assert_int_equal(ripc_mbox_put(m, text, strlen(text), RIPC_NO_WAIT), 0);
}

static void urgent_text(struct ripc_mbox *m, const char *text)
{
	assert_int_equal(ripc_mbox_put_urgent(m, text, strlen(text), RIPC_NO_WAIT), 0);
}

static void test_mbox_define_is_ready_and_round_trips(void **state)
{
	size_t len;

	(void)state;
	assert_int_equal(ripc_mbox_count(&defined_mb), 0);
	assert_int_equal(ripc_mbox_space(&defined_mb), 3);
	put_text(&defined_mb, "one");
	put_text(&defined_mb, "two");
	put_text(&defined_mb, "three");
	assert_int_equal(ripc_mbox_put(&defined_mb, "x", 1, RIPC_NO_WAIT), -EAGAIN);
	urgent_text(&defined_mb, "first");
	assert_int_equal(ripc_mbox_count(&defined_mb), 4);
	assert_int_equal(ripc_mbox_space(&defined_mb), 0);
	get_text(&defined_mb, "first");
	get_text(&defined_mb, "one");
	get_text(&defined_mb, "two");
	get_text(&defined_mb, "three");
	assert_int_equal(ripc_mbox_get(&defined_mb, NULL, 0, &len, RIPC_NO_WAIT), -EAGAIN);
	assert_int_equal(ripc_mbox_space(&defined_mb), 3);
}

static void assert_bytes(const void *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(((const unsigned char *)p)[i], v);
}

static void test_mbox_init_rejects_bad_arguments(void **state)
{
	static _Alignas(64) unsigned char two[2 * sizeof(struct ripc_mbox)];
	size_t need = RIPC_MBOX_BUF_SIZE(MSZ, DEPTH);

	(void)state;
	memset(&mb, 0xa5, sizeof(mb));
	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(ripc_mbox_init(NULL, buf, need, MSZ, DEPTH), -EINVAL);
	assert_int_equal(ripc_mbox_init(&mb, NULL, need, MSZ, DEPTH), -EINVAL);
	assert_int_equal(ripc_mbox_init(&mb, buf, need, 0, DEPTH), -EINVAL);
	assert_int_equal(ripc_mbox_init(&mb, buf, need, MSZ, 0), -EINVAL);
	assert_int_equal(ripc_mbox_init(&mb, buf, SIZE_MAX, RIPC_MBOX_MAX_MSG_SIZE + 1u, 1),
			 -EINVAL);
	assert_int_equal(ripc_mbox_init(&mb, buf, SIZE_MAX, 1, RIPC_MBOX_MAX_DEPTH + 1u), -EINVAL);
	/* Each limit alone is accepted, together they need more than RIPC_MBOX_MAX_BUF_SIZE. */
	assert_int_equal(
		ripc_mbox_init(&mb, buf, SIZE_MAX, RIPC_MBOX_MAX_MSG_SIZE, RIPC_MBOX_MAX_DEPTH),
		-EINVAL);
	assert_int_equal(ripc_mbox_init(&mb, buf, need - 1, MSZ, DEPTH), -EINVAL);
	assert_int_equal(ripc_mbox_init(&mb, buf + 4, need, MSZ, DEPTH), -EINVAL);
	assert_int_equal(
		ripc_mbox_init((struct ripc_mbox *)(void *)(two + 8), buf, need, MSZ, DEPTH),
		-EINVAL);
	/* A refused init writes nothing. */
	assert_bytes(&mb, sizeof(mb), 0xa5);
	assert_bytes(buf, sizeof(buf), 0xa5);
	assert_bytes(two, sizeof(two), 0);

	assert_int_equal(ripc_mbox_init(&mb, buf, need, MSZ, DEPTH), 0);
	assert_int_equal(ripc_mbox_count(&mb), 0);
	assert_int_equal(ripc_mbox_space(&mb), DEPTH);
	/* Only the bytes it needs are used. */
	assert_bytes(buf + need, sizeof(buf) - need, 0xa5);
	put_msg(1, MSZ);
	get_msg(1, MSZ);
}

static void test_mbox_buf_size_is_what_init_needs(void **state)
{
	static const uint32_t cfg[][2] = {{1, 1}, {8, 2}, {40, 5}, {33, 7}, {64, 16}, {100, 17}};

	(void)state;
	/* (ring slots + urgent ring slots) * (16-byte header + size rounded up to 8). */
	assert_int_equal(RIPC_MBOX_BUF_SIZE(1, 1), (2 + 2) * 24);
	assert_int_equal(RIPC_MBOX_BUF_SIZE(40, 5), (8 + 4) * 56);
	assert_int_equal(RIPC_MBOX_BUF_SIZE(64, 16), (16 + 4) * 80);
	assert_int_equal(RIPC_MBOX_URGENT_DEPTH(1), 1);
	assert_int_equal(RIPC_MBOX_URGENT_DEPTH(3), 3);
	assert_int_equal(RIPC_MBOX_URGENT_DEPTH(1000), RIPC_MBOX_URGENT_MAX);
	for (size_t i = 0; i < sizeof(cfg) / sizeof(cfg[0]); i++) {
		size_t need = RIPC_MBOX_BUF_SIZE(cfg[i][0], cfg[i][1]);

		assert_true(need <= sizeof(buf));
		assert_int_equal(ripc_mbox_init(&mb, buf, need - 1, cfg[i][0], cfg[i][1]), -EINVAL);
		assert_int_equal(ripc_mbox_init(&mb, buf, need, cfg[i][0], cfg[i][1]), 0);
		/* Fill both lanes completely: every slot fits in the buffer (ASan checks it). */
		for (uint32_t k = 0; k < cfg[i][1]; k++)
			put_msg(k, cfg[i][0]);
		for (uint32_t k = 0; k < RIPC_MBOX_URGENT_DEPTH(cfg[i][1]); k++)
			assert_int_equal(ripc_mbox_put_urgent(&mb, NULL, 0, RIPC_NO_WAIT), 0);
		assert_int_equal(ripc_mbox_count(&mb),
				 cfg[i][1] + RIPC_MBOX_URGENT_DEPTH(cfg[i][1]));
	}
}

static void test_mbox_null_and_uninitialised_are_einval(void **state)
{
	static struct ripc_mbox zero;
	char m[8] = "abc";
	size_t len = 77;

	(void)state;
	assert_int_equal(ripc_mbox_put(NULL, m, 3, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_put_urgent(NULL, m, 3, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_get(NULL, m, sizeof(m), &len, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_peek(NULL, m, sizeof(m), &len, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_purge(NULL), -EINVAL);
	assert_int_equal(ripc_mbox_count(NULL), 0);
	assert_int_equal(ripc_mbox_space(NULL), 0);
	assert_int_equal(ripc_mbox_put(&zero, m, 3, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_put_urgent(&zero, m, 3, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_get(&zero, m, sizeof(m), &len, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_peek(&zero, m, sizeof(m), &len, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_purge(&zero), -EINVAL);
	assert_int_equal(ripc_mbox_count(&zero), 0);
	assert_int_equal(ripc_mbox_space(&zero), 0);
	assert_int_equal(len, 77);
}

static void test_mbox_null_buffers_are_einval(void **state)
{
	char m[8];
	size_t len = 77;

	(void)state;
	setup_mbox(MSZ, DEPTH);
	assert_int_equal(ripc_mbox_put(&mb, NULL, 3, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_put_urgent(&mb, NULL, 3, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_count(&mb), 0);
	put_text(&mb, "abc");
	assert_int_equal(ripc_mbox_get(&mb, m, sizeof(m), NULL, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_get(&mb, NULL, 4, &len, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_peek(&mb, m, sizeof(m), NULL, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_mbox_peek(&mb, NULL, 4, &len, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(len, 77);
	assert_int_equal(ripc_mbox_count(&mb), 1);
	get_text(&mb, "abc");
}

static void test_mbox_put_oversized_returns_emsgsize(void **state)
{
	unsigned char m[MSZ + 1], got[MSZ + 1];
	size_t len = 0;

	(void)state;
	setup_mbox(MSZ, DEPTH);
	memset(m, 0x5a, sizeof(m));
	assert_int_equal(ripc_mbox_put(&mb, m, MSZ + 1, RIPC_NO_WAIT), -EMSGSIZE);
	assert_int_equal(ripc_mbox_put(&mb, m, MSZ + 1, RIPC_FOREVER), -EMSGSIZE);
	assert_int_equal(ripc_mbox_put_urgent(&mb, m, MSZ + 1, RIPC_NO_WAIT), -EMSGSIZE);
	assert_int_equal(ripc_mbox_count(&mb), 0);
	/* Exactly max_msg_size fits, all of it. */
	assert_int_equal(ripc_mbox_put(&mb, m, MSZ, RIPC_NO_WAIT), 0);
	memset(got, 0, sizeof(got));
	assert_int_equal(ripc_mbox_get(&mb, got, sizeof(got), &len, RIPC_NO_WAIT), 0);
	assert_int_equal(len, MSZ);
	assert_memory_equal(got, m, MSZ);
	assert_int_equal(got[MSZ], 0);
}

static void test_mbox_zero_length_messages_are_messages(void **state)
{
	char got[8];
	size_t len = 77;

	(void)state;
	setup_mbox(MSZ, DEPTH);
	assert_int_equal(ripc_mbox_put(&mb, NULL, 0, RIPC_NO_WAIT), 0);
	put_text(&mb, "x");
	assert_int_equal(ripc_mbox_put(&mb, "ignored", 0, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mbox_count(&mb), 3);
	assert_int_equal(ripc_mbox_get(&mb, NULL, 0, &len, RIPC_NO_WAIT), 0);
	assert_int_equal(len, 0);
	get_text(&mb, "x");
	len = 77;
	assert_int_equal(ripc_mbox_get(&mb, got, sizeof(got), &len, RIPC_NO_WAIT), 0);
	assert_int_equal(len, 0);
	assert_int_equal(ripc_mbox_count(&mb), 0);
}

static void test_mbox_put_full_nowait_returns_eagain(void **state)
{
	(void)state;
	setup_mbox(MSZ, DEPTH);
	for (uint32_t i = 0; i < DEPTH; i++)
		put_msg(i, MSZ);
	assert_int_equal(ripc_mbox_put(&mb, "x", 1, RIPC_NO_WAIT), -EAGAIN);
	assert_int_equal(ripc_mbox_count(&mb), DEPTH);
	assert_int_equal(ripc_mbox_space(&mb), 0);
	for (uint32_t i = 0; i < DEPTH; i++)
		get_msg(i, MSZ);
	assert_int_equal(ripc_mbox_space(&mb), DEPTH);
}

static void assert_waited(int64_t t0, int64_t ms)
{
	int64_t waited = ripc_test_now_ns() - t0;

	/* Never early; a generous upper bound for loaded or emulated machines. */
	assert_true(waited >= ms * 1000000);
	assert_true(waited < (ms + 5000) * 1000000);
}

static void test_mbox_put_full_times_out(void **state)
{
	int64_t t0;

	(void)state;
	setup_mbox(MSZ, 1);
	put_text(&mb, "only");
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_mbox_put(&mb, "x", 1, RIPC_MSEC(50)), -ETIMEDOUT);
	assert_waited(t0, 50);
	urgent_text(&mb, "u");
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_mbox_put_urgent(&mb, "y", 1, RIPC_MSEC(30)), -ETIMEDOUT);
	assert_waited(t0, 30);
	assert_int_equal(ripc_mbox_count(&mb), 2);
	get_text(&mb, "u");
	get_text(&mb, "only");
}

static void test_mbox_get_and_peek_empty_nowait_return_eagain(void **state)
{
	char got[8];
	size_t len = 77;

	(void)state;
	setup_mbox(MSZ, DEPTH);
	assert_int_equal(ripc_mbox_get(&mb, got, sizeof(got), &len, RIPC_NO_WAIT), -EAGAIN);
	assert_int_equal(ripc_mbox_peek(&mb, got, sizeof(got), &len, RIPC_NO_WAIT), -EAGAIN);
	assert_int_equal(len, 77);
}

static void test_mbox_get_and_peek_empty_time_out(void **state)
{
	char got[8];
	size_t len = 77;
	int64_t t0;

	(void)state;
	setup_mbox(MSZ, DEPTH);
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_mbox_get(&mb, got, sizeof(got), &len, RIPC_MSEC(50)), -ETIMEDOUT);
	assert_waited(t0, 50);
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_mbox_peek(&mb, got, sizeof(got), &len, RIPC_MSEC(30)), -ETIMEDOUT);
	assert_waited(t0, 30);
	assert_int_equal(len, 77);
}

static void test_mbox_get_small_buffer_returns_enobufs_and_keeps_message(void **state)
{
	char got[16];
	size_t len = 0;

	(void)state;
	setup_mbox(MSZ, DEPTH);
	put_text(&mb, "0123456789");
	put_text(&mb, "next");
	memset(got, '#', sizeof(got));
	assert_int_equal(ripc_mbox_get(&mb, got, 9, &len, RIPC_NO_WAIT), -ENOBUFS);
	assert_int_equal(len, 10);
	assert_int_equal(got[0], '#'); /* nothing copied */
	len = 0;
	assert_int_equal(ripc_mbox_get(&mb, NULL, 0, &len, RIPC_FOREVER), -ENOBUFS);
	assert_int_equal(len, 10);
	len = 0;
	assert_int_equal(ripc_mbox_peek(&mb, got, 9, &len, RIPC_NO_WAIT), -ENOBUFS);
	assert_int_equal(len, 10);
	assert_int_equal(ripc_mbox_count(&mb), 2);
	/* The same for an urgent message at the front. */
	urgent_text(&mb, "urgent-message");
	assert_int_equal(ripc_mbox_get(&mb, got, 10, &len, RIPC_NO_WAIT), -ENOBUFS);
	assert_int_equal(len, 14);
	get_text(&mb, "urgent-message");
	get_text(&mb, "0123456789");
	get_text(&mb, "next");
}

static void test_mbox_messages_keep_fifo_order_across_wraps(void **state)
{
	static const uint32_t depths[] = {1, 2, 3, 4, 5, 8, 13};
	uint32_t next_put, next_get;

	(void)state;
	for (size_t d = 0; d < sizeof(depths) / sizeof(depths[0]); d++) {
		setup_mbox(100, depths[d]);
		next_put = next_get = 0;
		/* Fill levels 0..depth, so the ring wraps at every offset. */
		for (uint32_t round = 0; round < 500; round++) {
			uint32_t want = round % (depths[d] + 1);

			while (next_put - next_get < want)
				put_msg(next_put++, 100);
			assert_int_equal(ripc_mbox_count(&mb), want);
			assert_int_equal(ripc_mbox_space(&mb), depths[d] - want);
			if (want == depths[d])
				assert_int_equal(ripc_mbox_put(&mb, "x", 1, RIPC_NO_WAIT), -EAGAIN);
			while (next_get < next_put)
				get_msg(next_get++, 100);
		}
	}
}

static void test_mbox_urgent_messages_go_first_in_fifo_order(void **state)
{
	(void)state;
	setup_mbox(MSZ, DEPTH);
	put_text(&mb, "a");
	put_text(&mb, "b");
	urgent_text(&mb, "u1");
	put_text(&mb, "c");
	urgent_text(&mb, "u2");
	get_text(&mb, "u1");
	urgent_text(&mb, "u3");
	get_text(&mb, "u2");
	get_text(&mb, "u3");
	get_text(&mb, "a");
	get_text(&mb, "b");
	get_text(&mb, "c");
}

static void test_mbox_urgent_lane_has_its_own_capacity(void **state)
{
	static const uint32_t depths[] = {1, 3, 5};

	(void)state;
	for (size_t d = 0; d < sizeof(depths) / sizeof(depths[0]); d++) {
		uint32_t depth = depths[d];
		uint32_t urgent = (uint32_t)RIPC_MBOX_URGENT_DEPTH(depth);

		setup_mbox(MSZ, depth);
		for (uint32_t i = 0; i < depth; i++)
			put_msg(i, MSZ);
		/* A full normal lane does not stop urgent messages. */
		for (uint32_t i = 0; i < urgent; i++)
			assert_int_equal(ripc_mbox_put_urgent(&mb, &i, sizeof(i), RIPC_NO_WAIT), 0);
		assert_int_equal(ripc_mbox_put_urgent(&mb, "x", 1, RIPC_NO_WAIT), -EAGAIN);
		assert_int_equal(ripc_mbox_put(&mb, "x", 1, RIPC_NO_WAIT), -EAGAIN);
		assert_int_equal(ripc_mbox_count(&mb), depth + urgent);
		assert_int_equal(ripc_mbox_space(&mb), 0);
		for (uint32_t i = 0; i < urgent; i++) {
			uint32_t got = 99;
			size_t len = 0;

			assert_int_equal(ripc_mbox_get(&mb, &got, sizeof(got), &len, RIPC_NO_WAIT),
					 0);
			assert_int_equal(len, sizeof(got));
			assert_int_equal(got, i);
		}
		assert_int_equal(ripc_mbox_space(&mb), 0);
		for (uint32_t i = 0; i < depth; i++)
			get_msg(i, MSZ);
	}
}

static void test_mbox_peek_copies_front_without_taking(void **state)
{
	char got[16];
	size_t len = 0;

	(void)state;
	setup_mbox(MSZ, DEPTH);
	put_text(&mb, "first");
	put_text(&mb, "second");
	for (int i = 0; i < 3; i++) {
		memset(got, 0, sizeof(got));
		assert_int_equal(ripc_mbox_peek(&mb, got, sizeof(got), &len, RIPC_NO_WAIT), 0);
		assert_int_equal(len, 5);
		assert_string_equal(got, "first");
	}
	assert_int_equal(ripc_mbox_count(&mb), 2);
	urgent_text(&mb, "hurry");
	memset(got, 0, sizeof(got));
	assert_int_equal(ripc_mbox_peek(&mb, got, sizeof(got), &len, RIPC_FOREVER), 0);
	assert_string_equal(got, "hurry");
	get_text(&mb, "hurry");
	get_text(&mb, "first");
	memset(got, 0, sizeof(got));
	assert_int_equal(ripc_mbox_peek(&mb, got, sizeof(got), &len, RIPC_MSEC(10)), 0);
	assert_string_equal(got, "second");
	get_text(&mb, "second");
	/* Peeked slots are reused normally. */
	for (uint32_t i = 0; i < 3 * DEPTH; i++) {
		unsigned char want[MSZ];
		size_t n = fill_msg(want, i, MSZ);

		put_msg(i, MSZ);
		assert_int_equal(ripc_mbox_peek(&mb, NULL, 0, &len, RIPC_NO_WAIT),
				 n == 0 ? 0 : -ENOBUFS);
		assert_int_equal(len, n);
		get_msg(i, MSZ);
	}
}

static void test_mbox_purge_discards_both_lanes(void **state)
{
	size_t len;

	(void)state;
	setup_mbox(MSZ, DEPTH);
	assert_int_equal(ripc_mbox_purge(&mb), 0);
	for (uint32_t i = 0; i < DEPTH; i++)
		put_msg(i, MSZ);
	urgent_text(&mb, "u1");
	urgent_text(&mb, "u2");
	assert_int_equal(ripc_mbox_purge(&mb), DEPTH + 2);
	assert_int_equal(ripc_mbox_count(&mb), 0);
	assert_int_equal(ripc_mbox_space(&mb), DEPTH);
	assert_int_equal(ripc_mbox_get(&mb, NULL, 0, &len, RIPC_NO_WAIT), -EAGAIN);
	assert_int_equal(ripc_mbox_purge(&mb), 0);
	/* Usable as before, with every slot. */
	for (uint32_t i = 10; i < 10 + DEPTH; i++)
		put_msg(i, MSZ);
	assert_int_equal(ripc_mbox_purge(&mb), DEPTH);
	put_msg(42, MSZ);
	get_msg(42, MSZ);
}

static void test_mbox_count_and_space_follow_puts_and_gets(void **state)
{
	(void)state;
	setup_mbox(MSZ, DEPTH);
	for (uint32_t i = 0; i < DEPTH; i++) {
		assert_int_equal(ripc_mbox_count(&mb), i);
		assert_int_equal(ripc_mbox_space(&mb), DEPTH - i);
		put_msg(i, MSZ);
	}
	urgent_text(&mb, "u");
	assert_int_equal(ripc_mbox_count(&mb), DEPTH + 1);
	assert_int_equal(ripc_mbox_space(&mb), 0);
	get_text(&mb, "u");
	for (uint32_t i = 0; i < DEPTH; i++) {
		assert_int_equal(ripc_mbox_count(&mb), DEPTH - i);
		get_msg(i, MSZ);
		assert_int_equal(ripc_mbox_space(&mb), i + 1);
	}
}

/* Move both lanes' positions just below 2^32 (a state the test reaches by writing the ring
 * the way 4 billion puts and gets would have left it). */
static void set_positions(uint32_t start)
{
	struct {
		ripc_atomic_u32_t *head, *tail;
		uint32_t slots;
		unsigned char *base;
	} lanes[2] = {
		{&mb.head, &mb.tail, mb.ring_slots, buf},
		{&mb.urgent_head, &mb.urgent_tail, mb.urgent_slots,
		 buf + (size_t)mb.ring_slots * mb.slot_size},
	};

	for (int l = 0; l < 2; l++) {
		uint32_t mask = lanes[l].slots - 1;

		atomic_store(lanes[l].head, start);
		atomic_store(lanes[l].tail, start);
		for (uint32_t q = start; q != start + lanes[l].slots; q++) {
			struct ripci_cell *c =
				(void *)(lanes[l].base + (size_t)(q & mask) * mb.slot_size);

			atomic_store(&c->seq, q & ~mask);
		}
	}
}

static void test_mbox_positions_wrap_around(void **state)
{
	static const uint32_t depths[] = {1, 3, 4, 5};

	(void)state;
	for (size_t d = 0; d < sizeof(depths) / sizeof(depths[0]); d++) {
		uint32_t i = 0, j = 0;

		setup_mbox(MSZ, depths[d]);
		set_positions(0u - 37u);
		for (uint32_t round = 0; round < 100; round++) {
			while (i - j < depths[d])
				put_msg(i++, MSZ);
			assert_int_equal(ripc_mbox_put(&mb, "x", 1, RIPC_NO_WAIT), -EAGAIN);
			assert_int_equal(ripc_mbox_count(&mb), depths[d]);
			urgent_text(&mb, "u");
			get_text(&mb, "u");
			get_msg(j++, MSZ);
		}
		assert_true(atomic_load(&mb.tail) < 100); /* it did wrap */
		while (j < i)
			get_msg(j++, MSZ);
	}
}

static void test_mbox_uncontended_makes_no_system_call(void **state)
{
	struct ripc_stats st;
	unsigned char m[MSZ], got[MSZ];
	size_t len;

	(void)state;
	setup_mbox(MSZ, DEPTH);
	memset(m, 1, sizeof(m));
	ripc_stats_reset();
	for (int i = 0; i < 100000; i++) {
		assert_int_equal(ripc_mbox_put(&mb, m, (size_t)(i % MSZ), RIPC_FOREVER), 0);
		assert_int_equal(ripc_mbox_get(&mb, got, sizeof(got), &len, RIPC_FOREVER), 0);
		assert_int_equal(len, (size_t)(i % MSZ));
	}
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(ripc_mbox_put_urgent(&mb, m, 8, RIPC_FOREVER), 0);
		assert_int_equal(ripc_mbox_peek(&mb, got, sizeof(got), &len, RIPC_FOREVER), 0);
		assert_int_equal(ripc_mbox_get(&mb, got, sizeof(got), &len, RIPC_FOREVER), 0);
	}
	assert_int_equal(ripc_stats_get(&st), 0);
	assert_int_equal(st.futex_waits, 0);
	assert_int_equal(st.futex_wakes, 0);
	assert_int_equal(st.pi_calls, 0);
	assert_int_equal(st.spins, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mbox_define_is_ready_and_round_trips),
		cmocka_unit_test(test_mbox_init_rejects_bad_arguments),
		cmocka_unit_test(test_mbox_buf_size_is_what_init_needs),
		cmocka_unit_test(test_mbox_null_and_uninitialised_are_einval),
		cmocka_unit_test(test_mbox_null_buffers_are_einval),
		cmocka_unit_test(test_mbox_put_oversized_returns_emsgsize),
		cmocka_unit_test(test_mbox_zero_length_messages_are_messages),
		cmocka_unit_test(test_mbox_put_full_nowait_returns_eagain),
		cmocka_unit_test(test_mbox_put_full_times_out),
		cmocka_unit_test(test_mbox_get_and_peek_empty_nowait_return_eagain),
		cmocka_unit_test(test_mbox_get_and_peek_empty_time_out),
		cmocka_unit_test(test_mbox_get_small_buffer_returns_enobufs_and_keeps_message),
		cmocka_unit_test(test_mbox_messages_keep_fifo_order_across_wraps),
		cmocka_unit_test(test_mbox_urgent_messages_go_first_in_fifo_order),
		cmocka_unit_test(test_mbox_urgent_lane_has_its_own_capacity),
		cmocka_unit_test(test_mbox_peek_copies_front_without_taking),
		cmocka_unit_test(test_mbox_purge_discards_both_lanes),
		cmocka_unit_test(test_mbox_count_and_space_follow_puts_and_gets),
		cmocka_unit_test(test_mbox_positions_wrap_around),
		cmocka_unit_test(test_mbox_uncontended_makes_no_system_call),
	};

	ripc_test_init("core.mbox.api");
	return cmocka_run_group_tests_name("core.mbox.api", tests, NULL, NULL);
}
