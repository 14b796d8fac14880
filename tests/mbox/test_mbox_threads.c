/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Mailbox between threads: producers x consumers with per-message checks, blocked
 *        putters and getters woken in arrival order, purge and peek against waiters, and a
 *        lost-wake-up stress where both sides sleep.
 *
 * Every message carries its producer, its sequence number and a checksum over its bytes,
 * and has a length that depends on both. Consumers check each message (torn), that each
 * producer's sequence numbers rise (FIFO per producer), and mark it in a bitmap (lost,
 * duplicated). Worker threads never call CMocka assertions (CMocka is not thread-safe); they
 * record the first failure, and the main thread asserts after joining them. A lost wake-up
 * leaves a thread asleep in RIPC_FOREVER: the watchdog (ripc_test_init) makes that a failure.
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ripc_test.h"

#include "port/port.h"

static uint32_t rounds(unsigned long native)
{
	return (uint32_t)ripc_test_rounds(native);
}

static void start(struct ripc_port_thread *t, void *(*fn)(void *), void *arg)
{
	assert_int_equal(ripc_port_thread_start(t, fn, arg, 0), 0);
}

static void sleep_us(long us)
{
	struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* xorshift32: cheap per-thread pseudo-random numbers. */
static uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* ---- Checked messages --------------------------------------------------------------------- */

#define MAX_MSG   64
#define MAX_PROD  8
#define HDR_BYTES 12

/* Failure kinds a consumer records. */
enum {
	FAIL_NONE = 0,
	FAIL_RC,
	FAIL_LENGTH,
	FAIL_CHECKSUM,
	FAIL_PRODUCER,
	FAIL_ORDER,
	FAIL_DUPLICATE,
};

struct failure {
	int kind;
	int rc;
	uint32_t producer;
	uint32_t seq;
};

static void fail_once(struct failure *f, int kind, int rc, uint32_t producer, uint32_t seq)
{
	if (f->kind == FAIL_NONE) {
		f->kind = kind;
		f->rc = rc;
		f->producer = producer;
		f->seq = seq;
	}
}

static void assert_no_failure(const struct failure *f, const char *who)
{
	if (f->kind != FAIL_NONE)
		print_error("%s: failure %d (rc %d) at producer %u seq %u\n", who, f->kind, f->rc,
			    f->producer, f->seq);
	assert_int_equal(f->kind, FAIL_NONE);
}

static size_t msg_len(uint32_t producer, uint32_t seq)
{
	return HDR_BYTES + (producer * 5u + seq * 13u) % (MAX_MSG - HDR_BYTES + 1);
}

static uint32_t checksum(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Layout: producer, seq, checksum of the bytes after the header; bytes from (producer, seq). */
static size_t make_msg(unsigned char *m, uint32_t producer, uint32_t seq)
{
	size_t n = msg_len(producer, seq);
	uint32_t sum;

	for (size_t i = HDR_BYTES; i < n; i++)
		m[i] = (unsigned char)(producer * 17u + seq * 3u + i);
	sum = checksum(m + HDR_BYTES, n - HDR_BYTES);
	memcpy(m, &producer, 4);
	memcpy(m + 4, &seq, 4);
	memcpy(m + 8, &sum, 4);
	return n;
}

/* Check a received message; returns a FAIL_ kind and its producer and sequence number. */
static int check_msg(const unsigned char *m, size_t n, uint32_t nprod, uint32_t *producer,
		     uint32_t *seq)
{
	uint32_t sum;

	*producer = *seq = UINT32_MAX;
	if (n < HDR_BYTES)
		return FAIL_LENGTH;
	memcpy(producer, m, 4);
	memcpy(seq, m + 4, 4);
	memcpy(&sum, m + 8, 4);
	if (*producer >= nprod)
		return FAIL_PRODUCER;
	if (n != msg_len(*producer, *seq))
		return FAIL_LENGTH;
	if (sum != checksum(m + HDR_BYTES, n - HDR_BYTES))
		return FAIL_CHECKSUM;
	for (size_t i = HDR_BYTES; i < n; i++)
		if (m[i] != (unsigned char)(*producer * 17u + *seq * 3u + i))
			return FAIL_CHECKSUM;
	return FAIL_NONE;
}

/* ---- Producers and consumers -------------------------------------------------------------- */

struct pc_shared {
	struct ripc_mbox *mb;
	uint32_t producers;
	uint32_t per_producer;
	uint32_t max_delay_us; /* 0: run flat out; else sleep 0..max now and then */
	uint32_t delay_mask;   /* sleep when (random & mask) == 0 */
	atomic_uint *seen;     /* one bit per (producer, seq) */
	atomic_uint received;
	atomic_uint urgent_sent;
	atomic_bool done;
	atomic_uint max_put_waiters;
	atomic_uint max_get_waiters;
};

struct pc_worker {
	struct pc_shared *sh;
	struct ripc_port_thread thread;
	struct failure fail;
	uint32_t id;
	uint32_t seed;
	uint32_t got;
};

static void maybe_pause(struct pc_worker *w)
{
	if (w->sh->max_delay_us != 0 && (next_random(&w->seed) & w->sh->delay_mask) == 0)
		sleep_us((long)(next_random(&w->seed) % w->sh->max_delay_us));
}

static void *producer(void *arg)
{
	struct pc_worker *w = arg;
	unsigned char m[MAX_MSG];

	for (uint32_t seq = 0; seq < w->sh->per_producer; seq++) {
		size_t n = make_msg(m, w->id, seq);
		int rc = ripc_mbox_put(w->sh->mb, m, n, RIPC_FOREVER);

		if (rc != 0) {
			fail_once(&w->fail, FAIL_RC, rc, w->id, seq);
			break;
		}
		maybe_pause(w);
	}
	return NULL;
}

static void record(struct pc_worker *w, const unsigned char *m, size_t n, uint32_t *last)
{
	uint32_t p, seq, bit;
	int kind = check_msg(m, n, w->sh->producers, &p, &seq);

	if (kind != FAIL_NONE) {
		fail_once(&w->fail, kind, 0, p, seq);
		return;
	}
	/* last[p] is one more than the last sequence number seen from p: FIFO per producer. */
	if (seq < last[p])
		fail_once(&w->fail, FAIL_ORDER, 0, p, seq);
	last[p] = seq + 1;
	bit = p * w->sh->per_producer + seq;
	if (atomic_fetch_or(&w->sh->seen[bit / 32], 1u << (bit % 32)) & (1u << (bit % 32)))
		fail_once(&w->fail, FAIL_DUPLICATE, 0, p, seq);
	w->got++;
}

/* Consumers stop at a zero-length message; the main thread puts one per consumer at the end. */
static void *consumer(void *arg)
{
	struct pc_worker *w = arg;
	uint32_t last[MAX_PROD] = {0};
	unsigned char m[MAX_MSG];

	for (;;) {
		size_t n = 0;
		int rc = ripc_mbox_get(w->sh->mb, m, sizeof(m), &n, RIPC_FOREVER);

		if (rc != 0) {
			fail_once(&w->fail, FAIL_RC, rc, 0, w->got);
			break;
		}
		if (n == 0)
			break;
		record(w, m, n, last);
		atomic_fetch_add(&w->sh->received, 1);
		maybe_pause(w);
	}
	return NULL;
}

static void raise_to(atomic_uint *max, uint32_t v)
{
	uint32_t cur = atomic_load(max);

	while (v > cur && !atomic_compare_exchange_weak(max, &cur, v))
		;
}

/* Samples the private waiter counts: proof that both sides went to sleep. */
static void *monitor(void *arg)
{
	struct pc_worker *w = arg;
	struct ripc_mbox *mb = w->sh->mb;

	while (!atomic_load(&w->sh->done)) {
		raise_to(&w->sh->max_put_waiters, atomic_load(&mb->not_full.waiters));
		raise_to(&w->sh->max_get_waiters, atomic_load(&mb->not_empty.waiters));
		sleep_us(50);
	}
	return NULL;
}

static void run_producers_consumers(struct ripc_mbox *mb, uint32_t producers, uint32_t consumers,
				    uint32_t per_producer, uint32_t max_delay_us,
				    uint32_t delay_mask)
{
	static struct pc_shared sh;
	static struct pc_worker prod[MAX_PROD], cons[MAX_PROD], mon;
	uint32_t total = producers * per_producer;
	size_t words = (total + 31) / 32;

	memset(&sh, 0, sizeof(sh));
	sh.mb = mb;
	sh.producers = producers;
	sh.per_producer = per_producer;
	sh.max_delay_us = max_delay_us;
	sh.delay_mask = delay_mask;
	sh.seen = calloc(words, sizeof(*sh.seen));
	assert_non_null(sh.seen);
	memset(&mon, 0, sizeof(mon));
	mon.sh = &sh;
	start(&mon.thread, monitor, &mon);
	for (uint32_t i = 0; i < consumers; i++) {
		memset(&cons[i], 0, sizeof(cons[i]));
		cons[i].sh = &sh;
		cons[i].seed = 0x9e3779b9u * (i + 1);
		start(&cons[i].thread, consumer, &cons[i]);
	}
	for (uint32_t i = 0; i < producers; i++) {
		memset(&prod[i], 0, sizeof(prod[i]));
		prod[i].sh = &sh;
		prod[i].id = i;
		prod[i].seed = 0x85ebca6bu * (i + 1);
		start(&prod[i].thread, producer, &prod[i]);
	}
	for (uint32_t i = 0; i < producers; i++)
		ripc_port_thread_join(&prod[i].thread);
	/* Every data message is in or through the mailbox: the stops queue behind them. */
	for (uint32_t i = 0; i < consumers; i++)
		assert_int_equal(ripc_mbox_put(mb, NULL, 0, RIPC_FOREVER), 0);
	for (uint32_t i = 0; i < consumers; i++)
		ripc_port_thread_join(&cons[i].thread);
	atomic_store(&sh.done, true);
	ripc_port_thread_join(&mon.thread);

	for (uint32_t i = 0; i < producers; i++)
		assert_no_failure(&prod[i].fail, "producer");
	for (uint32_t i = 0; i < consumers; i++)
		assert_no_failure(&cons[i].fail, "consumer");
	assert_int_equal(atomic_load(&sh.received), total);
	for (uint32_t bit = 0; bit < total; bit++)
		if ((atomic_load(&sh.seen[bit / 32]) & (1u << (bit % 32))) == 0) {
			print_error("message %u of producer %u lost\n", bit % per_producer,
				    bit / per_producer);
			fail();
		}
	assert_int_equal(ripc_mbox_count(mb), 0);
	print_message("[          ] %u messages, most putters asleep %u, most getters asleep %u\n",
		      total, atomic_load(&sh.max_put_waiters), atomic_load(&sh.max_get_waiters));
	free(sh.seen);
	if (max_delay_us != 0) {
		assert_true(atomic_load(&sh.max_put_waiters) > 0);
		assert_true(atomic_load(&sh.max_get_waiters) > 0);
	}
}

static struct ripc_mbox mb;
static _Alignas(64) unsigned char buf[RIPC_MBOX_BUF_SIZE(MAX_MSG, 64)];

static void test_mbox_producers_and_consumers_lose_nothing(void **state)
{
	static const uint32_t depths[] = {1, 3, 64};

	(void)state;
	for (size_t d = 0; d < sizeof(depths) / sizeof(depths[0]); d++) {
		assert_int_equal(ripc_mbox_init(&mb, buf, sizeof(buf), MAX_MSG, depths[d]), 0);
		run_producers_consumers(&mb, 4, 3, rounds(25000), 0, 0);
	}
}

static void test_mbox_both_sides_sleeping_lose_no_wake_up(void **state)
{
	struct ripc_stats st;

	(void)state;
	assert_int_equal(ripc_mbox_init(&mb, buf, sizeof(buf), MAX_MSG, 2), 0);
	ripc_stats_reset();
	/* Pauses longer than the spin budget on both sides: each side keeps finding the other
	 * asleep, so every hand-off goes through the futex. */
	run_producers_consumers(&mb, 3, 3, rounds(3000), 1000, 15);
	if (ripc_stats_get(&st) == -ENOTSUP)
		RIPC_TEST_SKIP("built without CONFIG_RIPC_STATS: cannot count futex waits");
	print_message("[          ] futex waits %llu, wakes %llu\n",
		      (unsigned long long)st.futex_waits, (unsigned long long)st.futex_wakes);
	assert_true(st.futex_waits > 0);
	assert_true(st.futex_wakes > 0);
}

/* ---- Arrival order of sleepers ------------------------------------------------------------- */

struct sleeper {
	struct ripc_port_thread thread;
	struct ripc_mbox *mb;
	uint32_t id;
	int rc;
	uint32_t value;
	atomic_bool finished;
};

static void *sleeping_getter(void *arg)
{
	struct sleeper *s = arg;
	size_t len = 0;

	s->rc = ripc_mbox_get(s->mb, &s->value, sizeof(s->value), &len, RIPC_FOREVER);
	if (s->rc == 0 && len != sizeof(s->value))
		s->rc = -1000;
	atomic_store(&s->finished, true);
	return NULL;
}

static void *sleeping_putter(void *arg)
{
	struct sleeper *s = arg;

	s->rc = ripc_mbox_put(s->mb, &s->id, sizeof(s->id), RIPC_FOREVER);
	atomic_store(&s->finished, true);
	return NULL;
}

/* Wait until @p n threads are registered on @p q, then let the last one reach the kernel. */
static void wait_for_sleepers(struct ripc_waitq *q, uint32_t n)
{
	while (atomic_load(&q->waiters) < n)
		ripc_test_sleep_ms(1);
	ripc_test_sleep_ms(50);
}

static void wait_finished(struct sleeper *s)
{
	while (!atomic_load(&s->finished))
		ripc_test_sleep_ms(1);
}

/* True when @p s finishes within @p ms milliseconds. */
static bool finishes_within(struct sleeper *s, long ms)
{
	for (long t = 0; t < ms && !atomic_load(&s->finished); t++)
		ripc_test_sleep_ms(1);
	return atomic_load(&s->finished);
}

#define SLEEPERS 4

static void test_mbox_blocked_getters_wake_in_arrival_order(void **state)
{
	static struct sleeper s[SLEEPERS];

	(void)state;
	assert_int_equal(ripc_mbox_init(&mb, buf, sizeof(buf), MAX_MSG, 4), 0);
	for (uint32_t i = 0; i < SLEEPERS; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].mb = &mb;
		start(&s[i].thread, sleeping_getter, &s[i]);
		wait_for_sleepers(&mb.not_empty, i + 1);
	}
	for (uint32_t i = 0; i < SLEEPERS; i++) {
		uint32_t v = 100 + i;

		assert_int_equal(ripc_mbox_put(&mb, &v, sizeof(v), RIPC_NO_WAIT), 0);
		/* The put wakes exactly the longest sleeper. */
		wait_finished(&s[i]);
		assert_int_equal(s[i].rc, 0);
		assert_int_equal(s[i].value, v);
		for (uint32_t k = i + 1; k < SLEEPERS; k++)
			assert_false(atomic_load(&s[k].finished));
	}
	for (uint32_t i = 0; i < SLEEPERS; i++)
		ripc_port_thread_join(&s[i].thread);
}

static void test_mbox_blocked_putters_wake_in_arrival_order(void **state)
{
	static struct sleeper s[SLEEPERS];
	uint32_t v;
	size_t len;

	(void)state;
	assert_int_equal(ripc_mbox_init(&mb, buf, sizeof(buf), MAX_MSG, 1), 0);
	v = 99;
	assert_int_equal(ripc_mbox_put(&mb, &v, sizeof(v), RIPC_NO_WAIT), 0);
	for (uint32_t i = 0; i < SLEEPERS; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].mb = &mb;
		s[i].id = i;
		start(&s[i].thread, sleeping_putter, &s[i]);
		wait_for_sleepers(&mb.not_full, i + 1);
	}
	assert_int_equal(ripc_mbox_get(&mb, &v, sizeof(v), &len, RIPC_NO_WAIT), 0);
	assert_int_equal(v, 99);
	for (uint32_t i = 0; i < SLEEPERS; i++) {
		/* Each get frees the one slot for the longest sleeping putter. */
		wait_finished(&s[i]);
		assert_int_equal(s[i].rc, 0);
		for (uint32_t k = i + 1; k < SLEEPERS; k++)
			assert_false(atomic_load(&s[k].finished));
		assert_int_equal(ripc_mbox_get(&mb, &v, sizeof(v), &len, RIPC_FOREVER), 0);
		assert_int_equal(v, i);
	}
	for (uint32_t i = 0; i < SLEEPERS; i++)
		ripc_port_thread_join(&s[i].thread);
}

/* ---- Purge and peek against sleepers ------------------------------------------------------ */

static void test_mbox_purge_wakes_putters_and_leaves_getters_waiting(void **state)
{
	static struct sleeper putters[2], getter;
	uint32_t v = 7, got[2];
	size_t len;

	(void)state;
	assert_int_equal(ripc_mbox_init(&mb, buf, sizeof(buf), MAX_MSG, 2), 0);
	assert_int_equal(ripc_mbox_put(&mb, &v, sizeof(v), RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mbox_put(&mb, &v, sizeof(v), RIPC_NO_WAIT), 0);
	for (uint32_t i = 0; i < 2; i++) {
		memset(&putters[i], 0, sizeof(putters[i]));
		putters[i].mb = &mb;
		putters[i].id = 10 + i;
		start(&putters[i].thread, sleeping_putter, &putters[i]);
	}
	wait_for_sleepers(&mb.not_full, 2);
	/* Two slots freed: both putters wake and put. */
	assert_int_equal(ripc_mbox_purge(&mb), 2);
	for (uint32_t i = 0; i < 2; i++) {
		ripc_port_thread_join(&putters[i].thread);
		assert_int_equal(putters[i].rc, 0);
	}
	for (uint32_t i = 0; i < 2; i++)
		assert_int_equal(ripc_mbox_get(&mb, &got[i], sizeof(got[i]), &len, RIPC_NO_WAIT),
				 0);
	assert_true((got[0] == 10 && got[1] == 11) || (got[0] == 11 && got[1] == 10));

	/* A getter asleep on an empty mailbox sleeps through a purge... */
	memset(&getter, 0, sizeof(getter));
	getter.mb = &mb;
	start(&getter.thread, sleeping_getter, &getter);
	wait_for_sleepers(&mb.not_empty, 1);
	assert_int_equal(ripc_mbox_purge(&mb), 0);
	ripc_test_sleep_ms(50);
	assert_false(atomic_load(&getter.finished));
	/* ...and gets the next real message. */
	v = 1234;
	assert_int_equal(ripc_mbox_put(&mb, &v, sizeof(v), RIPC_NO_WAIT), 0);
	ripc_port_thread_join(&getter.thread);
	assert_int_equal(getter.rc, 0);
	assert_int_equal(getter.value, 1234);
}

struct peeker {
	struct ripc_port_thread thread;
	struct ripc_mbox *mb;
	int rc;
	uint32_t value;
};

static void *sleeping_peeker(void *arg)
{
	struct peeker *p = arg;
	size_t len = 0;

	p->rc = ripc_mbox_peek(p->mb, &p->value, sizeof(p->value), &len, RIPC_FOREVER);
	return NULL;
}

static void test_mbox_peek_hands_wake_up_on_to_getter(void **state)
{
	static struct peeker pk;
	static struct sleeper getter;
	uint32_t v = 55;
	bool stranded;

	(void)state;
	assert_int_equal(ripc_mbox_init(&mb, buf, sizeof(buf), MAX_MSG, 2), 0);
	memset(&pk, 0, sizeof(pk));
	pk.mb = &mb;
	start(&pk.thread, sleeping_peeker, &pk);
	wait_for_sleepers(&mb.not_empty, 1);
	memset(&getter, 0, sizeof(getter));
	getter.mb = &mb;
	start(&getter.thread, sleeping_getter, &getter);
	wait_for_sleepers(&mb.not_empty, 2);
	/* One put wakes one sleeper, the peeker (it slept first); it must pass the wake on,
	 * or the getter would sleep forever next to a message. */
	assert_int_equal(ripc_mbox_put(&mb, &v, sizeof(v), RIPC_NO_WAIT), 0);
	ripc_port_thread_join(&pk.thread);
	stranded = !finishes_within(&getter, 10000);
	if (stranded) /* release it, so the thread can be joined, then fail */
		assert_int_equal(ripc_mbox_put(&mb, &v, sizeof(v), RIPC_NO_WAIT), 0);
	ripc_port_thread_join(&getter.thread);
	assert_false(stranded);
	assert_int_equal(pk.rc, 0);
	assert_int_equal(pk.value, 55);
	assert_int_equal(getter.rc, 0);
	assert_int_equal(getter.value, 55);
	assert_int_equal(ripc_mbox_count(&mb), 0);
}

/* ---- Peek racing gets and puts ------------------------------------------------------------ */

/* Large messages make the copy window wide: every 32-bit word of message seq holds seq, and
 * its length is 1024 + seq % 1024 words, so a mix of two messages always shows. */
#define RACE_WORDS 2048

static struct ripc_mbox race_mb;
static _Alignas(64) unsigned char race_buf[RIPC_MBOX_BUF_SIZE(RACE_WORDS * 4, 2)];

struct race {
	uint32_t messages;
	atomic_bool done;
};

struct race_worker {
	struct ripc_port_thread thread;
	struct race *r;
	struct failure fail;
	uint32_t peeks;
	uint32_t words[RACE_WORDS];
};

static size_t race_fill(uint32_t *w, uint32_t seq)
{
	size_t n = 1024 + seq % 1024;

	for (size_t i = 0; i < n; i++)
		w[i] = seq;
	return n * 4;
}

/* FAIL_NONE and the message's sequence number, or what is wrong with it. */
static int race_check(const uint32_t *w, size_t len, uint32_t *seq)
{
	*seq = w[0];
	if (len % 4 != 0 || len / 4 != 1024 + *seq % 1024)
		return FAIL_LENGTH;
	for (size_t i = 1; i < len / 4; i++)
		if (w[i] != *seq)
			return FAIL_CHECKSUM;
	return FAIL_NONE;
}

static void *racing_peeker(void *arg)
{
	struct race_worker *w = arg;

	while (!atomic_load(&w->r->done)) {
		size_t n = 0;
		uint32_t seq;
		int rc = ripc_mbox_peek(&race_mb, w->words, sizeof(w->words), &n, RIPC_NO_WAIT);
		int kind;

		if (rc == -EAGAIN) {
			/* Two cores are shared by four threads: let the getter and putter run. */
			sched_yield();
			continue;
		}
		if (rc != 0) {
			fail_once(&w->fail, FAIL_RC, rc, 0, 0);
			break;
		}
		kind = race_check(w->words, n, &seq);
		if (kind != FAIL_NONE)
			fail_once(&w->fail, kind, 0, 0, seq);
		w->peeks++;
	}
	return NULL;
}

static void *racing_putter(void *arg)
{
	struct race_worker *w = arg;

	for (uint32_t seq = 0; seq < w->r->messages; seq++) {
		size_t n = race_fill(w->words, seq);
		int rc = ripc_mbox_put(&race_mb, w->words, n, RIPC_FOREVER);

		if (rc != 0) {
			fail_once(&w->fail, FAIL_RC, rc, 0, seq);
			break;
		}
	}
	return NULL;
}

/* Peeks copy messages while gets free and puts refill the very same slots (depth 1 and 2):
 * a peek must never see a torn message and a get never loses one. */
static void test_mbox_peek_racing_gets_sees_whole_messages(void **state)
{
	static struct race r;
	static struct race_worker w[4];

	(void)state;
	for (uint32_t depth = 1; depth <= 2; depth++) {
		assert_int_equal(
			ripc_mbox_init(&race_mb, race_buf, sizeof(race_buf), RACE_WORDS * 4, depth),
			0);
		memset(&r, 0, sizeof(r));
		memset(w, 0, sizeof(w));
		r.messages = rounds(20000);
		for (int i = 0; i < 4; i++)
			w[i].r = &r;
		start(&w[0].thread, racing_peeker, &w[0]);
		start(&w[1].thread, racing_peeker, &w[1]);
		start(&w[2].thread, racing_putter, &w[2]);
		for (uint32_t seq = 0; seq < r.messages; seq++) {
			size_t n = 0;
			uint32_t got;

			assert_int_equal(ripc_mbox_get(&race_mb, w[3].words, sizeof(w[3].words), &n,
						       RIPC_FOREVER),
					 0);
			assert_int_equal(race_check(w[3].words, n, &got), FAIL_NONE);
			assert_int_equal(got, seq);
		}
		ripc_port_thread_join(&w[2].thread);
		atomic_store(&r.done, true);
		ripc_port_thread_join(&w[0].thread);
		ripc_port_thread_join(&w[1].thread);
		for (int i = 0; i < 3; i++)
			assert_no_failure(&w[i].fail, i < 2 ? "peeker" : "putter");
		assert_int_equal(ripc_mbox_count(&race_mb), 0);
		print_message("[          ] depth %u: %u messages, %u peeks\n", depth, r.messages,
			      w[0].peeks + w[1].peeks);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mbox_producers_and_consumers_lose_nothing),
		cmocka_unit_test(test_mbox_both_sides_sleeping_lose_no_wake_up),
		cmocka_unit_test(test_mbox_blocked_getters_wake_in_arrival_order),
		cmocka_unit_test(test_mbox_blocked_putters_wake_in_arrival_order),
		cmocka_unit_test(test_mbox_purge_wakes_putters_and_leaves_getters_waiting),
		cmocka_unit_test(test_mbox_peek_hands_wake_up_on_to_getter),
		cmocka_unit_test(test_mbox_peek_racing_gets_sees_whole_messages),
	};

	ripc_test_init("core.mbox.threads");
	return cmocka_run_group_tests_name("core.mbox.threads", tests, NULL, NULL);
}
