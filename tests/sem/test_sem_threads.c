/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Semaphore between threads: exact totals under contention, no lost wake-up.
 *
 * Worker threads never call CMocka assertions (CMocka is not thread-safe); they record the
 * first unexpected return code and the round it happened in, and the main thread asserts
 * after joining them. A lost wake-up leaves a thread asleep in RIPC_FOREVER: the watchdog
 * (ripc_test_init) turns that hang into a failure.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "ripc_test.h"

#include "port/port.h"

/*
 * Stress loops run their rounds or BUDGET_NS, whichever ends first: on a loaded machine a
 * hand-off can cost a scheduler time slice instead of a microsecond, and the suite must stay
 * fast. The rounds actually run are printed.
 */
#define BUDGET_NS (5000 * 1000000LL)

static bool budget_spent(int64_t end, unsigned long round)
{
	return (round & 255) == 0 && ripc_test_now_ns() >= end;
}

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

/* ---- Producers and consumers ------------------------------------------------------------ */

#define PRODUCERS 4
#define CONSUMERS 4
#define PC_LIMIT  3

/*
 * Producers give up to per_producer items each, or until the time budget is spent. Then the
 * main thread publishes the total given and adds one end token per consumer. Each consumer
 * numbers its takes globally and leaves after its first take numbered above the total: the
 * end tokens are exactly the takes above it, one per consumer, so every consumer leaves and
 * every item is taken exactly once.
 */
struct pc_shared {
	struct ripc_sem sem;
	unsigned long per_producer;
	int64_t end;
	atomic_ulong total; /* items given; ULONG_MAX until the producers are done */
	atomic_ulong given;
	atomic_ulong taken;
	atomic_ulong overflows;
	atomic_bool done;
};

struct pc_worker {
	struct pc_shared *sh;
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
	uint32_t seed;
};

/* At the limit a give is refused and changes nothing: retry until it fits. */
static int give_retrying(struct pc_shared *sh)
{
	int rc;

	while ((rc = ripc_sem_give(&sh->sem)) == -EOVERFLOW) {
		atomic_fetch_add(&sh->overflows, 1);
		sched_yield();
	}
	return rc;
}

static void *producer(void *arg)
{
	struct pc_worker *w = arg;
	unsigned long i;

	for (i = 0; i < w->sh->per_producer && !budget_spent(w->sh->end, i); i++) {
		int rc = give_retrying(w->sh);

		if (rc != 0) {
			ripc_test_fail_once(&w->fail, rc, i);
			break;
		}
		atomic_fetch_add(&w->sh->given, 1);
		if ((next_random(&w->seed) & 1023) == 0)
			sleep_us(next_random(&w->seed) % 200);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct pc_worker *w = arg;
	unsigned long i;

	for (i = 0;; i++) {
		int rc = ripc_sem_take(&w->sh->sem, RIPC_FOREVER);

		if (rc != 0) {
			ripc_test_fail_once(&w->fail, rc, i);
			break;
		}
		if (atomic_fetch_add(&w->sh->taken, 1) + 1 > atomic_load(&w->sh->total))
			break;
		if ((next_random(&w->seed) & 1023) == 0)
			sleep_us(next_random(&w->seed) % 200);
	}
	return NULL;
}

static void *count_monitor(void *arg)
{
	struct pc_worker *w = arg;
	unsigned long n = 0;

	while (!atomic_load(&w->sh->done)) {
		uint32_t c = ripc_sem_count(&w->sh->sem);

		if (c > PC_LIMIT)
			ripc_test_fail_once(&w->fail, (int)c, n);
		n++;
		if ((n & 255) == 0)
			sched_yield();
	}
	return NULL;
}

static void test_sem_producers_and_consumers_keep_exact_totals(void **state)
{
	static struct pc_shared sh;
	static struct pc_worker prod[PRODUCERS], cons[CONSUMERS], mon;
	unsigned long total;
	int i;

	(void)state;
	memset(&sh, 0, sizeof(sh));
	assert_int_equal(ripc_sem_init(&sh.sem, 0, PC_LIMIT), 0);
	sh.per_producer = ripc_test_rounds(100000);
	sh.end = ripc_test_now_ns() + BUDGET_NS;
	atomic_store(&sh.total, ULONG_MAX);
	memset(&mon, 0, sizeof(mon));
	mon.sh = &sh;
	start(&mon.thread, count_monitor, &mon);
	for (i = 0; i < CONSUMERS; i++) {
		memset(&cons[i], 0, sizeof(cons[i]));
		cons[i].sh = &sh;
		cons[i].seed = 0x9e3779b9u * (uint32_t)(i + 1);
		start(&cons[i].thread, consumer, &cons[i]);
	}
	for (i = 0; i < PRODUCERS; i++) {
		memset(&prod[i], 0, sizeof(prod[i]));
		prod[i].sh = &sh;
		prod[i].seed = 0x85ebca6bu * (uint32_t)(i + 1);
		start(&prod[i].thread, producer, &prod[i]);
	}
	for (i = 0; i < PRODUCERS; i++)
		ripc_port_thread_join(&prod[i].thread);
	total = atomic_load(&sh.given);
	atomic_store(&sh.total, total);
	for (i = 0; i < CONSUMERS; i++)
		assert_int_equal(give_retrying(&sh), 0);
	for (i = 0; i < CONSUMERS; i++)
		ripc_port_thread_join(&cons[i].thread);
	atomic_store(&sh.done, true);
	ripc_port_thread_join(&mon.thread);

	for (i = 0; i < PRODUCERS; i++)
		ripc_test_assert_no_failure(&prod[i].fail, "producer");
	for (i = 0; i < CONSUMERS; i++)
		ripc_test_assert_no_failure(&cons[i].fail, "consumer");
	ripc_test_assert_no_failure(&mon.fail, "count above limit");
	assert_true(total > 0);
	/* Every item and end token taken exactly once; no phantom count left behind. */
	assert_int_equal(atomic_load(&sh.taken), total + CONSUMERS);
	assert_int_equal(ripc_sem_count(&sh.sem), 0);
	assert_int_equal(ripc_sem_take(&sh.sem, RIPC_NO_WAIT), -EAGAIN);
	print_message("[          ] %lu items, %lu gives refused at the limit\n", total,
		      atomic_load(&sh.overflows));
}

/* ---- Timed takers racing gives ----------------------------------------------------------- */

#define TIMED_TAKERS 4

struct timed_shared {
	struct ripc_sem sem;
	atomic_ulong total; /* items to take; lowered to those given if the budget ends first */
	atomic_ulong taken;
	atomic_ulong timeouts;
};

struct timed_worker {
	struct timed_shared *sh;
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
	uint32_t seed;
};

static void *timed_taker(void *arg)
{
	struct timed_worker *w = arg;
	unsigned long i;

	for (i = 0; atomic_load(&w->sh->taken) < atomic_load(&w->sh->total); i++) {
		/* 0..63 us: many deadlines expire while gives are in flight. */
		int rc = ripc_sem_take(&w->sh->sem, RIPC_USEC(next_random(&w->seed) % 64));

		if (rc == 0)
			atomic_fetch_add(&w->sh->taken, 1);
		else if (rc == -ETIMEDOUT || rc == -EAGAIN)
			atomic_fetch_add(&w->sh->timeouts, 1);
		else
			ripc_test_fail_once(&w->fail, rc, i);
	}
	return NULL;
}

static void test_sem_timed_takers_racing_gives_keep_exact_totals(void **state)
{
	static struct timed_shared sh;
	static struct timed_worker w[TIMED_TAKERS];
	int64_t end = ripc_test_now_ns() + BUDGET_NS;
	unsigned long i, n = ripc_test_rounds(100000);
	int t;

	(void)state;
	memset(&sh, 0, sizeof(sh));
	assert_int_equal(ripc_sem_init(&sh.sem, 0, 2), 0);
	atomic_store(&sh.total, n);
	for (t = 0; t < TIMED_TAKERS; t++) {
		memset(&w[t], 0, sizeof(w[t]));
		w[t].sh = &sh;
		w[t].seed = 0xc2b2ae35u * (uint32_t)(t + 1);
		start(&w[t].thread, timed_taker, &w[t]);
	}
	for (i = 0; i < n && !budget_spent(end, i); i++) {
		int rc;

		while ((rc = ripc_sem_give(&sh.sem)) == -EOVERFLOW)
			sched_yield();
		assert_int_equal(rc, 0);
	}
	atomic_store(&sh.total, i);
	for (t = 0; t < TIMED_TAKERS; t++)
		ripc_port_thread_join(&w[t].thread);
	for (t = 0; t < TIMED_TAKERS; t++)
		ripc_test_assert_no_failure(&w[t].fail, "timed taker");
	/* A take that timed out never consumed a count, and one that succeeded did. */
	assert_int_equal(atomic_load(&sh.taken), i);
	assert_int_equal(ripc_sem_count(&sh.sem), 0);
	print_message("[          ] %lu items, %lu timed-out takes\n", i,
		      atomic_load(&sh.timeouts));
}

/* ---- Ping-pong: a lost wake-up hangs ----------------------------------------------------- */

/*
 * How long a take on an empty semaphore runs before it asks the kernel to sleep: the spin
 * (CONFIG_RIPC_SPIN_ITERATIONS) plus one futex call. Measured as the duration of a take
 * whose deadline has already passed by the time it would sleep; the median of a few.
 */
static int64_t sleep_entry_ns(void)
{
	int64_t d[9], t0;
	struct ripc_sem sem;
	int i, j;

	assert_int_equal(ripc_sem_init(&sem, 0, 1), 0);
	for (i = 0; i < 9; i++) {
		t0 = ripc_test_now_ns();
		assert_int_equal(ripc_sem_take(&sem, RIPC_NSEC(1)), -ETIMEDOUT);
		d[i] = ripc_test_now_ns() - t0;
		for (j = i; j > 0 && d[j - 1] > d[j]; j--) {
			int64_t x = d[j];

			d[j] = d[j - 1];
			d[j - 1] = x;
		}
	}
	return d[4] > 0 ? d[4] : 1;
}

struct pingpong {
	struct ripc_sem ping;
	struct ripc_sem pong;
	unsigned long rounds; /* at most; the time budget may end the test earlier */
	unsigned long done;
	int64_t delay_ns; /* 0: no delays; else the sleep entry time both sides race */
	atomic_bool stop; /* set before the last ping: the echo side takes it and leaves */
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
};

/*
 * Half of the time, busy-wait 3/4 .. 5/4 of the sleep entry time before a give: the other
 * side, which started its take at about the same moment, is then just giving up spinning and
 * going to sleep, so the give lands in the narrow window between its last check of the
 * count and the kernel's check of the futex word. That is where a lost wake-up hides.
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

	for (i = 0;; i++) {
		int rc = ripc_sem_take(&pp->ping, RIPC_FOREVER);

		if (rc == 0 && atomic_load(&pp->stop))
			break;
		if (rc == 0) {
			maybe_delay(pp, &seed);
			rc = ripc_sem_give(&pp->pong);
		}
		if (rc != 0) {
			ripc_test_fail_once(&pp->fail, rc, i);
			break;
		}
	}
	return NULL;
}

static void run_pingpong(struct pingpong *pp)
{
	int64_t end = ripc_test_now_ns() + BUDGET_NS;
	uint32_t seed = 0x165667b1u;
	unsigned long i;

	assert_int_equal(ripc_sem_init(&pp->ping, 0, 1), 0);
	assert_int_equal(ripc_sem_init(&pp->pong, 0, 1), 0);
	start(&pp->thread, echo, pp);
	for (i = 0; i < pp->rounds && !budget_spent(end, i); i++) {
		maybe_delay(pp, &seed);
		/* Limit 1: a give that overflows means a round was duplicated. */
		assert_int_equal(ripc_sem_give(&pp->ping), 0);
		assert_int_equal(ripc_sem_take(&pp->pong, RIPC_FOREVER), 0);
	}
	pp->done = i;
	atomic_store(&pp->stop, true);
	assert_int_equal(ripc_sem_give(&pp->ping), 0);
	ripc_port_thread_join(&pp->thread);
	ripc_test_assert_no_failure(&pp->fail, "echo thread");
	assert_int_equal(ripc_sem_count(&pp->ping), 0);
	assert_int_equal(ripc_sem_count(&pp->pong), 0);
}

static void test_sem_pingpong_loses_no_wakeup(void **state)
{
	static struct pingpong pp;

	(void)state;
	memset(&pp, 0, sizeof(pp));
	pp.rounds = ripc_test_rounds(1000000);
	run_pingpong(&pp);
	print_message("[          ] %lu rounds\n", pp.done);
}

static void test_sem_pingpong_racing_into_sleep_loses_no_wakeup(void **state)
{
	static struct pingpong pp;
	struct ripc_stats st;
	int rc;

	(void)state;
	memset(&pp, 0, sizeof(pp));
	pp.delay_ns = sleep_entry_ns();
	pp.rounds = ripc_test_rounds(20000);
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
		      pp.done, (long long)pp.delay_ns, (unsigned long long)st.futex_waits,
		      (unsigned long long)st.futex_wakes);
	/* Half the gives come later than the spin lasts: both sides slept in the kernel. */
	assert_true(st.futex_waits > 0);
	assert_true(st.futex_wakes > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sem_producers_and_consumers_keep_exact_totals),
		cmocka_unit_test(test_sem_timed_takers_racing_gives_keep_exact_totals),
		cmocka_unit_test(test_sem_pingpong_loses_no_wakeup),
		cmocka_unit_test(test_sem_pingpong_racing_into_sleep_loses_no_wakeup),
	};

	ripc_test_init("core.sem.threads");
	return cmocka_run_group_tests_name("core.sem.threads", tests, NULL, NULL);
}
