/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Pool between threads: no block handed out twice, sleeping allocators woken by
 *        frees, exact totals under contention, no lost wake-up.
 *
 * Worker threads never call CMocka assertions (CMocka is not thread-safe); they record the
 * first unexpected event and the round it happened in, and the main thread asserts after
 * joining them. A lost wake-up leaves a thread asleep in RIPC_FOREVER: the watchdog
 * (ripc_test_init) turns that hang into a failure.
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "ripc_test.h"

#include "port/port.h"

/* Checks a worker can fail, as codes above any errno. */
enum {
	BAD_OWNER_ON_ALLOC = 1001, /* the block was still owned by another thread */
	BAD_PATTERN = 1002,        /* somebody wrote into a block we owned */
	BAD_OWNER_ON_FREE = 1003,
	BAD_RETURN = 1004,
};

/* xorshift32: cheap per-thread pseudo-random numbers, reproducible from the seed. */
static uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static void sleep_us(long us)
{
	struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};

	while (nanosleep(&ts, &ts) != 0)
		;
}

static void start(struct ripc_port_thread *t, void *(*fn)(void *), void *arg)
{
	assert_int_equal(ripc_port_thread_start(t, fn, arg, 0), 0);
}

/* Every block of @p p can be allocated exactly once, then the pool is empty; all freed. */
static void assert_pool_intact(struct ripc_pool *p, uint32_t n)
{
	void *blk[16], *extra;
	uint32_t i, j;

	assert_true(n <= 16);
	assert_int_equal(ripc_pool_free_count(p), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(ripc_pool_alloc(p, &blk[i], RIPC_NO_WAIT), 0);
		for (j = 0; j < i; j++)
			assert_ptr_not_equal(blk[i], blk[j]);
	}
	assert_int_equal(ripc_pool_alloc(p, &extra, RIPC_NO_WAIT), -EAGAIN);
	for (i = 0; i < n; i++)
		assert_int_equal(ripc_pool_free(p, blk[i]), 0);
	assert_int_equal(ripc_pool_free_count(p), n);
}

/* ---- Many threads, few blocks: never one block for two threads ---------------------------- */

#define CH_BLOCKS  5
#define CH_THREADS 8
#define CH_BS      256

/* What a worker writes into every block it holds. */
struct stamped {
	atomic_uint owner; /* thread id + 1 while held; 0 while free */
	uint32_t round;
	uint8_t fill[CH_BS - 8];
};

static RIPC_POOL_DEFINE(churn_pool, CH_BS, CH_BLOCKS);

struct churn_worker {
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
	unsigned int id;
	unsigned long rounds;
	unsigned long timeouts;
	uint32_t seed;
};

static uint8_t fill_byte(unsigned int id, uint32_t round, size_t i)
{
	return (uint8_t)(id * 31u + round * 7u + i);
}

/* Take ownership of a fresh block and stamp it; 0 or a failure code. */
static int stamp(struct stamped *s, unsigned int id, uint32_t round)
{
	unsigned int prev = atomic_exchange(&s->owner, id + 1);
	size_t i;

	if (prev != 0)
		return BAD_OWNER_ON_ALLOC;
	s->round = round;
	for (i = 0; i < sizeof(s->fill); i++)
		s->fill[i] = fill_byte(id, round, i);
	return 0;
}

/* Check our stamp is intact, then give up ownership; 0 or a failure code. */
static int unstamp(struct stamped *s, unsigned int id)
{
	unsigned int expect = id + 1;
	size_t i;

	if (atomic_load(&s->owner) != id + 1)
		return BAD_OWNER_ON_FREE;
	for (i = 0; i < sizeof(s->fill); i++)
		if (s->fill[i] != fill_byte(id, s->round, i))
			return BAD_PATTERN;
	if (!atomic_compare_exchange_strong(&s->owner, &expect, 0))
		return BAD_OWNER_ON_FREE;
	return 0;
}

/*
 * Allocate: the first block mostly forever, sometimes with a short timeout (which may
 * expire); a second block only with a short timeout, since threads that each hold one
 * block and wait forever for another could all wait for each other.
 */
static int churn_alloc(struct churn_worker *w, struct stamped **s, bool second)
{
	uint32_t r = next_random(&w->seed);
	ripc_timeout_t t = second || (r & 3) == 0 ? RIPC_USEC(r % 50) : RIPC_FOREVER;
	int rc = ripc_pool_alloc(&churn_pool, (void **)s, t);

	if (rc == -ETIMEDOUT || rc == -EAGAIN)
		w->timeouts++;
	return rc;
}

static void *churn(void *arg)
{
	struct churn_worker *w = arg;
	struct stamped *held[2];
	unsigned long i;
	int rc = 0, n, k;

	for (i = 0; i < w->rounds && rc == 0; i++) {
		/* Hold one block, sometimes two: more waiting, and frees in either order. */
		n = (next_random(&w->seed) & 7) == 0 ? 2 : 1;
		for (k = 0; k < n && rc == 0; k++) {
			rc = churn_alloc(w, &held[k], k > 0);
			if (rc == 0)
				rc = stamp(held[k], w->id, (uint32_t)i);
		}
		if (rc == -ETIMEDOUT || rc == -EAGAIN) {
			n = k - 1;
			rc = 0;
		} else {
			n = k;
		}
		if ((next_random(&w->seed) & 255) == 0)
			sleep_us(next_random(&w->seed) % 100);
		for (k = n - 1; k >= 0 && rc == 0; k--) {
			rc = unstamp(held[k], w->id);
			if (rc == 0 && ripc_pool_free(&churn_pool, held[k]) != 0)
				rc = BAD_RETURN;
		}
	}
	if (rc != 0)
		ripc_test_fail_once(&w->fail, rc, i);
	return NULL;
}

static void test_pool_threads_never_share_a_block(void **state)
{
	static struct churn_worker w[CH_THREADS];
	unsigned long timeouts = 0;
	unsigned int i;

	(void)state;
	for (i = 0; i < CH_THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].id = i;
		w[i].rounds = ripc_test_rounds(20000);
		w[i].seed = 0x9e3779b9u * (i + 1);
		start(&w[i].thread, churn, &w[i]);
	}
	for (i = 0; i < CH_THREADS; i++)
		ripc_port_thread_join(&w[i].thread);
	for (i = 0; i < CH_THREADS; i++) {
		ripc_test_assert_no_failure(&w[i].fail, "churn worker");
		timeouts += w[i].timeouts;
	}
	print_message("[          ] %u threads x %lu rounds on %u blocks, %lu timed out\n",
		      CH_THREADS, w[0].rounds, CH_BLOCKS, timeouts);
	assert_int_equal(ripc_pool_free_count(&churn_pool), CH_BLOCKS);
	assert_pool_intact(&churn_pool, CH_BLOCKS);
}

/* ---- Free-stack races: pops and pushes interleaved by preemption (ABA) --------------------- */

#define ABA_BLOCKS  3
#define ABA_THREADS 6

static RIPC_POOL_DEFINE(aba_pool, 16, ABA_BLOCKS);

/* Long enough for many preemptions to land inside pops; rounds cap slow targets. */
#define ABA_BUDGET_NS (1000000000LL)

struct aba_worker {
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
	unsigned int id;
	unsigned long rounds;
	int64_t end_ns;
	uint32_t seed;
};

/*
 * Tight loops of non-blocking allocations and frees in random order on a tiny pool: a pop
 * preempted between reading the top and swapping it finds the same top again, pushed back
 * after other pops, with a different link. Without the tag in the stack head that swap
 * succeeds and hands out a block that is in use; ownership stamps catch it.
 */
static void *aba_churn(void *arg)
{
	struct aba_worker *w = arg;
	atomic_uint *held[2];
	unsigned long i;
	int n, k, rc = 0;
	bool rev;

	for (i = 0; i < w->rounds && rc == 0; i++) {
		if ((i & 1023) == 0 && ripc_test_now_ns() > w->end_ns)
			break;
		n = 0;
		for (k = 0; k < 2; k++) {
			unsigned int prev;

			if (ripc_pool_alloc(&aba_pool, (void **)&held[n], RIPC_NO_WAIT) != 0)
				break;
			prev = atomic_exchange(held[n], w->id + 1);
			n++;
			if (prev != 0) {
				rc = BAD_OWNER_ON_ALLOC;
				break;
			}
		}
		/* Free in either order, so the stack order keeps changing. */
		rev = (next_random(&w->seed) & 1) != 0;
		for (k = 0; k < n && rc == 0; k++) {
			int j = rev ? n - 1 - k : k;
			unsigned int expect = w->id + 1;

			if (!atomic_compare_exchange_strong(held[j], &expect, 0))
				rc = BAD_OWNER_ON_FREE;
			else if (ripc_pool_free(&aba_pool, held[j]) != 0)
				rc = BAD_RETURN;
		}
	}
	if (rc != 0)
		ripc_test_fail_once(&w->fail, rc, i);
	return NULL;
}

static void test_pool_free_stack_survives_preempted_pops(void **state)
{
	static struct aba_worker w[ABA_THREADS];
	unsigned int i;

	(void)state;
	for (i = 0; i < ABA_THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].id = i;
		w[i].rounds = ripc_test_rounds(20000000);
		w[i].end_ns = ripc_test_now_ns() + ABA_BUDGET_NS;
		w[i].seed = 0x7f4a7c15u * (i + 1);
		start(&w[i].thread, aba_churn, &w[i]);
	}
	for (i = 0; i < ABA_THREADS; i++)
		ripc_port_thread_join(&w[i].thread);
	for (i = 0; i < ABA_THREADS; i++)
		ripc_test_assert_no_failure(&w[i].fail, "stack churn worker");
	assert_pool_intact(&aba_pool, ABA_BLOCKS);
}

/* ---- Sleeping allocators are woken by frees, one per free ---------------------------------- */

#define WK_BLOCKS  4
#define WK_THREADS 6

static RIPC_POOL_DEFINE(wake_pool, 64, WK_BLOCKS);

struct wake_shared {
	atomic_uint got;  /* allocators that have their block */
	atomic_bool hold; /* allocators keep their block while set */
};

struct wake_worker {
	struct wake_shared *sh;
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
};

static void *sleepy_allocator(void *arg)
{
	struct wake_worker *w = arg;
	void *blk;
	int rc = ripc_pool_alloc(&wake_pool, &blk, RIPC_FOREVER);

	if (rc != 0) {
		ripc_test_fail_once(&w->fail, rc, 0);
		return NULL;
	}
	atomic_fetch_add(&w->sh->got, 1);
	while (atomic_load(&w->sh->hold))
		sleep_us(500);
	rc = ripc_pool_free(&wake_pool, blk);
	if (rc != 0)
		ripc_test_fail_once(&w->fail, rc, 1);
	return NULL;
}

static void wait_for_got(struct wake_shared *sh, unsigned int n)
{
	int64_t end = ripc_test_now_ns() + 30 * 1000000000LL;

	while (atomic_load(&sh->got) < n && ripc_test_now_ns() < end)
		sleep_us(200);
	assert_int_equal(atomic_load(&sh->got), n);
}

static void test_pool_sleeping_allocators_are_woken_by_frees(void **state)
{
	static struct wake_shared sh;
	static struct wake_worker w[WK_THREADS];
	void *blk[WK_BLOCKS];
	int i;

	(void)state;
	memset(&sh, 0, sizeof(sh));
	atomic_store(&sh.hold, true);
	for (i = 0; i < WK_BLOCKS; i++)
		assert_int_equal(ripc_pool_alloc(&wake_pool, &blk[i], RIPC_NO_WAIT), 0);
	for (i = 0; i < WK_THREADS; i++) {
		memset(&w[i].fail, 0, sizeof(w[i].fail));
		w[i].sh = &sh;
		start(&w[i].thread, sleepy_allocator, &w[i]);
	}
	/* The test peeks at the private waiter count: the exact sign that they are committed. */
	while (atomic_load(&wake_pool.wait.waiters) < WK_THREADS)
		sleep_us(500);
	ripc_test_sleep_ms(20);
	assert_int_equal(atomic_load(&sh.got), 0);
	/* Each free hands its block to exactly one sleeper. */
	for (i = 0; i < WK_BLOCKS; i++) {
		assert_int_equal(ripc_pool_free(&wake_pool, blk[i]), 0);
		wait_for_got(&sh, (unsigned int)i + 1);
		ripc_test_sleep_ms(5);
		assert_int_equal(atomic_load(&sh.got), (unsigned int)i + 1);
		assert_int_equal(ripc_pool_free_count(&wake_pool), 0);
	}
	/* The holders free: the two still asleep get blocks in turn. */
	atomic_store(&sh.hold, false);
	for (i = 0; i < WK_THREADS; i++)
		ripc_port_thread_join(&w[i].thread);
	for (i = 0; i < WK_THREADS; i++)
		ripc_test_assert_no_failure(&w[i].fail, "sleepy allocator");
	assert_int_equal(atomic_load(&sh.got), WK_THREADS);
	assert_int_equal(atomic_load(&wake_pool.wait.waiters), 0);
	assert_pool_intact(&wake_pool, WK_BLOCKS);
}

/* ---- Concurrent retain and release of one shared block ------------------------------------ */

#define SH_THREADS 4

static RIPC_POOL_DEFINE(share_pool, 32, 1);

struct share_shared {
	struct ripc_sem go;
	struct ripc_sem done;
	_Atomic ripc_pool_handle_t handle;
	unsigned long rounds;
};

struct share_worker {
	struct share_shared *sh;
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
};

/* Each round: hold one reference, add and drop some, then drop our own. */
static void *sharer(void *arg)
{
	struct share_worker *w = arg;
	unsigned long i;
	int rc = 0;

	for (i = 0; i < w->sh->rounds && rc == 0; i++) {
		ripc_pool_handle_t h;

		rc = ripc_sem_take(&w->sh->go, RIPC_FOREVER);
		h = atomic_load(&w->sh->handle);
		if (rc == 0 && ripc_pool_ptr(&share_pool, h) == NULL)
			rc = BAD_RETURN;
		if (rc == 0)
			rc = ripc_pool_retain(&share_pool, h);
		if (rc == 0)
			rc = ripc_pool_release(&share_pool, h);
		if (rc == 0)
			rc = ripc_pool_release(&share_pool, h);
		if (rc == 0)
			rc = ripc_sem_give(&w->sh->done);
	}
	if (rc != 0)
		ripc_test_fail_once(&w->fail, rc, i);
	return NULL;
}

static void test_pool_concurrent_releases_return_a_block_once(void **state)
{
	static struct share_shared sh;
	static struct share_worker w[SH_THREADS];
	ripc_pool_handle_t h;
	unsigned long r;
	void *blk;
	int i;

	(void)state;
	memset(&sh, 0, sizeof(sh));
	assert_int_equal(ripc_sem_init(&sh.go, 0, SH_THREADS), 0);
	assert_int_equal(ripc_sem_init(&sh.done, 0, SH_THREADS), 0);
	sh.rounds = ripc_test_rounds(5000);
	for (i = 0; i < SH_THREADS; i++) {
		memset(&w[i].fail, 0, sizeof(w[i].fail));
		w[i].sh = &sh;
		start(&w[i].thread, sharer, &w[i]);
	}
	for (r = 0; r < sh.rounds; r++) {
		assert_int_equal(ripc_pool_alloc(&share_pool, &blk, RIPC_NO_WAIT), 0);
		assert_int_equal(ripc_pool_ref(&share_pool, blk, &h), 0);
		/* One reference per thread: the one from alloc plus SH_THREADS - 1. */
		for (i = 1; i < SH_THREADS; i++)
			assert_int_equal(ripc_pool_retain(&share_pool, h), 0);
		atomic_store(&sh.handle, h);
		for (i = 0; i < SH_THREADS; i++)
			assert_int_equal(ripc_sem_give(&sh.go), 0);
		for (i = 0; i < SH_THREADS; i++)
			assert_int_equal(ripc_sem_take(&sh.done, RIPC_FOREVER), 0);
		/* Exactly one release returned it; none went below zero or twice. */
		assert_int_equal(ripc_pool_free_count(&share_pool), 1);
		assert_null(ripc_pool_ptr(&share_pool, h));
	}
	for (i = 0; i < SH_THREADS; i++)
		ripc_port_thread_join(&w[i].thread);
	for (i = 0; i < SH_THREADS; i++)
		ripc_test_assert_no_failure(&w[i].fail, "sharer");
}

/* ---- Ping-pong through two one-block pools: a lost wake-up hangs ------------------------ */

/*
 * Two one-block pools used as tokens: freeing a block is "give", allocating it "take". The
 * main thread frees ping and allocates pong; the echo thread allocates ping and frees pong.
 * Every allocation waits for the other side's free, so each round is two hand-offs.
 */
struct pingpong {
	struct ripc_pool ping;
	struct ripc_pool pong;
	unsigned char ping_buf[RIPC_POOL_BUF_SIZE(16, 1)];
	unsigned char pong_buf[RIPC_POOL_BUF_SIZE(16, 1)];
	void *ping_blk;
	void *pong_blk;
	unsigned long rounds;
	int64_t delay_ns; /* 0: no delays; else the sleep entry time both sides race */
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
};

/*
 * How long an allocation from an empty pool runs before it asks the kernel to sleep: the
 * spin (CONFIG_RIPC_SPIN_ITERATIONS) plus one futex call. Measured as the duration of an
 * allocation whose deadline has already passed by the time it would sleep; median of 9.
 */
static int64_t sleep_entry_ns(struct ripc_pool *empty)
{
	int64_t d[9], t0;
	void *blk;
	int i, j;

	for (i = 0; i < 9; i++) {
		t0 = ripc_test_now_ns();
		assert_int_equal(ripc_pool_alloc(empty, &blk, RIPC_NSEC(1)), -ETIMEDOUT);
		d[i] = ripc_test_now_ns() - t0;
		for (j = i; j > 0 && d[j - 1] > d[j]; j--) {
			int64_t x = d[j];

			d[j] = d[j - 1];
			d[j - 1] = x;
		}
	}
	return d[4] > 0 ? d[4] : 1;
}

/*
 * Half of the time, busy-wait 3/4 .. 5/4 of the sleep entry time before a free: the other
 * side, which started its allocation at about the same moment, is then just going to sleep,
 * so the free lands between its last look at the pool and the kernel's check of the futex
 * word. That is where a lost wake-up hides.
 */
static void maybe_delay(const struct pingpong *pp, uint32_t *seed)
{
	uint32_t r = next_random(seed);
	int64_t end;

	if (pp->delay_ns == 0 || (r & 1) == 0)
		return;
	end = ripc_test_now_ns() + pp->delay_ns * 3 / 4 +
	      (int64_t)(r >> 1) % (pp->delay_ns / 2 + 1);
	while (ripc_test_now_ns() < end)
		;
}

static void *echo(void *arg)
{
	struct pingpong *pp = arg;
	uint32_t seed = 0x27d4eb2fu;
	unsigned long i;

	for (i = 0; i < pp->rounds; i++) {
		void *blk;
		int rc = ripc_pool_alloc(&pp->ping, &blk, RIPC_FOREVER);

		if (rc == 0 && blk != pp->ping_blk)
			rc = BAD_RETURN;
		if (rc == 0) {
			maybe_delay(pp, &seed);
			rc = ripc_pool_free(&pp->pong, pp->pong_blk);
		}
		if (rc != 0) {
			ripc_test_fail_once(&pp->fail, rc, i);
			break;
		}
	}
	return NULL;
}

static void setup_pingpong(struct pingpong *pp)
{
	assert_int_equal(ripc_pool_init(&pp->ping, pp->ping_buf, sizeof(pp->ping_buf), 16, 1), 0);
	assert_int_equal(ripc_pool_init(&pp->pong, pp->pong_buf, sizeof(pp->pong_buf), 16, 1), 0);
	/* Both tokens start taken. */
	assert_int_equal(ripc_pool_alloc(&pp->ping, &pp->ping_blk, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_alloc(&pp->pong, &pp->pong_blk, RIPC_NO_WAIT), 0);
}

static void run_pingpong(struct pingpong *pp)
{
	uint32_t seed = 0x165667b1u;
	unsigned long i;
	void *blk;

	start(&pp->thread, echo, pp);
	for (i = 0; i < pp->rounds; i++) {
		maybe_delay(pp, &seed);
		/* A free of a block that is free is refused: a duplicated round shows here. */
		assert_int_equal(ripc_pool_free(&pp->ping, pp->ping_blk), 0);
		assert_int_equal(ripc_pool_alloc(&pp->pong, &blk, RIPC_FOREVER), 0);
		assert_ptr_equal(blk, pp->pong_blk);
	}
	ripc_port_thread_join(&pp->thread);
	ripc_test_assert_no_failure(&pp->fail, "echo thread");
	assert_int_equal(ripc_pool_free_count(&pp->ping), 0);
	assert_int_equal(ripc_pool_free_count(&pp->pong), 0);
}

static void test_pool_pingpong_loses_no_wakeup(void **state)
{
	static struct pingpong pp;

	(void)state;
	memset(&pp, 0, sizeof(pp));
	pp.rounds = ripc_test_rounds(50000);
	setup_pingpong(&pp);
	run_pingpong(&pp);
}

static void test_pool_pingpong_racing_into_sleep_loses_no_wakeup(void **state)
{
	static struct pingpong pp;
	struct ripc_stats st;
	int rc;

	(void)state;
	memset(&pp, 0, sizeof(pp));
	setup_pingpong(&pp);
	pp.delay_ns = sleep_entry_ns(&pp.ping);
	pp.rounds = ripc_test_rounds(5000);
	if (pp.rounds < 2000)
		pp.rounds = 2000;
	ripc_stats_reset();
	run_pingpong(&pp);
	rc = ripc_stats_get(&st);
	if (rc == -ENOTSUP)
		RIPC_TEST_SKIP("built without CONFIG_RIPC_STATS: cannot prove the sleep path ran");
	assert_int_equal(rc, 0);
	print_message("[          ] %lu rounds around a %lld ns sleep entry: %llu futex waits, "
		      "%llu wakes\n",
		      pp.rounds, (long long)pp.delay_ns, (unsigned long long)st.futex_waits,
		      (unsigned long long)st.futex_wakes);
	/* Half the frees come later than the spin lasts: both sides slept in the kernel. */
	assert_true(st.futex_waits > 0);
	assert_true(st.futex_wakes > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_threads_never_share_a_block),
		cmocka_unit_test(test_pool_free_stack_survives_preempted_pops),
		cmocka_unit_test(test_pool_sleeping_allocators_are_woken_by_frees),
		cmocka_unit_test(test_pool_concurrent_releases_return_a_block_once),
		cmocka_unit_test(test_pool_pingpong_loses_no_wakeup),
		cmocka_unit_test(test_pool_pingpong_racing_into_sleep_loses_no_wakeup),
	};

	ripc_test_init("core.pool.threads");
	return cmocka_run_group_tests_name("core.pool.threads", tests, NULL, NULL);
}
