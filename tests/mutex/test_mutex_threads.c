/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Mutex under thread contention: exact counts, timed locks that never return early,
 *        and waiters that give up without stranding the others (lost-wakeup stress).
 *
 * The protected counter is a plain variable updated in two steps with a yield in between now
 * and then, so a lock that lets two threads in shows up as a wrong total. Every test runs once
 * with the protocol the library picks ("[auto]": PI where the kernel has it) and once with the
 * plain futex protocol forced ("[plain]"). Round counts go through ripc_test_scaled().
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "port/port.h"
#include "ripc_test.h"

/* core/mutex.c keeps its protocol values private; these copies force one before first use. */
#define TEST_PROTO_AUTO  0u
#define TEST_PROTO_PLAIN 0x81u

#define NTHREADS 6

static unsigned int proto_auto = TEST_PROTO_AUTO;
static unsigned int proto_plain = TEST_PROTO_PLAIN;

struct shared {
	struct ripc_mutex m;
	unsigned long counter; /* guarded by m */
	unsigned long rounds;
	atomic_int errors;
	atomic_int early;
	atomic_int stop;
	atomic_int arrived;
};

struct worker {
	struct shared *s;
	struct ripc_port_thread thread;
	unsigned long index;
	unsigned long successes;
	unsigned long timeouts;
	int last_error;
};

static void shared_setup(struct shared *s, void **state, unsigned long rounds)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(ripc_mutex_init(&s->m), 0);
	/* Force the protocol the library would otherwise pick at first contention. */
	atomic_store(&s->m.protocol, *(unsigned int *)*state);
	s->rounds = rounds;
}

static void *worker_failed(struct worker *w, int rc)
{
	w->last_error = rc;
	atomic_fetch_add(&w->s->errors, 1);
	return NULL;
}

/* The critical section: a two-step increment, sometimes with a yield in the middle. */
static void bump(struct shared *s, unsigned long i)
{
	unsigned long v = s->counter;

	if (i % 64 == 0)
		sched_yield();
	s->counter = v + 1;
}

static void start_workers(struct worker *w, size_t n, struct shared *s, void *(*fn)(void *))
{
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].s = s;
		w[i].index = i;
		assert_int_equal(ripc_port_thread_start(&w[i].thread, fn, &w[i], 0), 0);
	}
}

static void join_workers(struct worker *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ripc_port_thread_join(&w[i].thread);
}

static void *hammer_main(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	unsigned long i;
	int rc;

	for (i = 0; i < s->rounds; i++) {
		bool nested = i % 8 == 0;

		rc = ripc_mutex_lock(&s->m, RIPC_FOREVER);
		if (rc != 0)
			return worker_failed(w, rc);
		if (nested && (rc = ripc_mutex_lock(&s->m, RIPC_NO_WAIT)) != 0)
			return worker_failed(w, rc);
		if (!ripc_mutex_is_owner(&s->m))
			(void)worker_failed(w, -1);
		bump(s, i);
		if (nested && (rc = ripc_mutex_unlock(&s->m)) != 0)
			return worker_failed(w, rc);
		if ((rc = ripc_mutex_unlock(&s->m)) != 0)
			return worker_failed(w, rc);
		w->successes++;
	}
	return NULL;
}

static void test_mutex_threads_incrementing_counter_get_exact_total(void **state)
{
	static struct shared s;
	struct worker w[NTHREADS];

	shared_setup(&s, state, ripc_test_scaled(20000));
	start_workers(w, NTHREADS, &s, hammer_main);
	join_workers(w, NTHREADS);
	assert_int_equal(atomic_load(&s.errors), 0);
	assert_int_equal(s.counter, NTHREADS * s.rounds);
	assert_false(ripc_mutex_is_owner(&s.m));
	assert_int_equal(ripc_mutex_lock(&s.m, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mutex_unlock(&s.m), 0);
}

static void *timed_main(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	unsigned long i;
	int k, rc;

	for (i = 0; i < s->rounds; i++) {
		int64_t us = 1 + (int64_t)((w->index * 131 + i * 37) % 300);
		int64_t t0 = ripc_test_now_ns();

		rc = ripc_mutex_lock(&s->m, RIPC_USEC(us));
		if (rc == -ETIMEDOUT) {
			if (ripc_test_now_ns() - t0 < us * 1000)
				atomic_fetch_add(&s->early, 1);
			w->timeouts++;
			continue;
		}
		if (rc != 0)
			return worker_failed(w, rc);
		bump(s, i);
		/* Hold it a little, so waiters do time out now and then. */
		for (k = 0; k < 200; k++)
			ripc_port_cpu_relax();
		if ((rc = ripc_mutex_unlock(&s->m)) != 0)
			return worker_failed(w, rc);
		w->successes++;
	}
	return NULL;
}

static void test_mutex_timed_locks_under_contention_never_return_early(void **state)
{
	static struct shared s;
	struct worker w[4];
	unsigned long ok = 0, timeouts = 0;
	size_t i;

	shared_setup(&s, state, ripc_test_scaled(4000));
	start_workers(w, 4, &s, timed_main);
	join_workers(w, 4);
	for (i = 0; i < 4; i++) {
		ok += w[i].successes;
		timeouts += w[i].timeouts;
	}
	print_message("timed locks: %lu taken, %lu timed out\n", ok, timeouts);
	assert_int_equal(atomic_load(&s.errors), 0);
	assert_int_equal(atomic_load(&s.early), 0);
	assert_int_equal(ok + timeouts, 4 * s.rounds);
	assert_true(ok > 0);
	assert_int_equal(s.counter, ok);
}

/* Must always get the lock: 10 s is far beyond any hold time here. */
static void *patient_main(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	unsigned long i;
	int rc;

	for (i = 0; i < s->rounds; i++) {
		rc = ripc_mutex_lock(&s->m, RIPC_SEC(10));
		if (rc != 0)
			return worker_failed(w, rc);
		bump(s, i);
		if ((rc = ripc_mutex_unlock(&s->m)) != 0)
			return worker_failed(w, rc);
		w->successes++;
	}
	return NULL;
}

/* Gives up after 1-50 us, again and again, racing every hand-over. */
static void *impatient_main(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	unsigned long i;
	int rc;

	for (i = 0; !atomic_load(&s->stop); i++) {
		rc = ripc_mutex_lock(&s->m, RIPC_USEC(1 + (w->index * 7 + i * 13) % 50));
		if (rc == -ETIMEDOUT) {
			w->timeouts++;
			continue;
		}
		if (rc != 0)
			return worker_failed(w, rc);
		bump(s, i);
		if ((rc = ripc_mutex_unlock(&s->m)) != 0)
			return worker_failed(w, rc);
		w->successes++;
	}
	return NULL;
}

static void test_mutex_timed_out_waiters_do_not_strand_others(void **state)
{
	static struct shared s;
	struct worker patient[3], impatient[3];
	unsigned long ok = 0, timeouts = 0;
	size_t i;

	shared_setup(&s, state, ripc_test_scaled(5000));
	start_workers(impatient, 3, &s, impatient_main);
	start_workers(patient, 3, &s, patient_main);
	join_workers(patient, 3);
	atomic_store(&s.stop, 1);
	join_workers(impatient, 3);
	for (i = 0; i < 3; i++) {
		if (patient[i].last_error != 0)
			print_message("patient waiter %zu failed: %d\n", i, patient[i].last_error);
		assert_int_equal(patient[i].successes, s.rounds);
		ok += impatient[i].successes;
		timeouts += impatient[i].timeouts;
	}
	print_message("impatient waiters: %lu taken, %lu timed out\n", ok, timeouts);
	assert_int_equal(atomic_load(&s.errors), 0);
	assert_int_equal(s.counter, 3 * s.rounds + ok);
}

static void *trylock_main(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	unsigned long i;
	int rc;

	for (i = 0; i < s->rounds;) {
		rc = ripc_mutex_lock(&s->m, RIPC_NO_WAIT);
		if (rc == -EAGAIN) {
			w->timeouts++;
			sched_yield();
			continue;
		}
		if (rc != 0)
			return worker_failed(w, rc);
		bump(s, i);
		if ((rc = ripc_mutex_unlock(&s->m)) != 0)
			return worker_failed(w, rc);
		w->successes++;
		i++;
	}
	return NULL;
}

static void test_mutex_nowait_and_blocking_lockers_get_exact_total(void **state)
{
	static struct shared s;
	struct worker blocking[3], trying[3];
	size_t i;

	shared_setup(&s, state, ripc_test_scaled(5000));
	start_workers(trying, 3, &s, trylock_main);
	start_workers(blocking, 3, &s, hammer_main);
	join_workers(blocking, 3);
	join_workers(trying, 3);
	assert_int_equal(atomic_load(&s.errors), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(trying[i].successes, s.rounds);
	assert_int_equal(s.counter, 6 * s.rounds);
}

static void *lock_once_main(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	int rc;

	atomic_fetch_add(&s->arrived, 1);
	rc = ripc_mutex_lock(&s->m, RIPC_SEC(10));
	if (rc != 0)
		return worker_failed(w, rc);
	bump(s, 1);
	ripc_test_sleep_ms(1);
	if ((rc = ripc_mutex_unlock(&s->m)) != 0)
		return worker_failed(w, rc);
	w->successes++;
	return NULL;
}

static void test_mutex_unlock_hands_over_to_every_blocked_waiter(void **state)
{
	static struct shared s;
	struct worker w[NTHREADS];
	unsigned long round, rounds = ripc_test_scaled(20);

	for (round = 0; round < rounds; round++) {
		shared_setup(&s, state, 1);
		assert_int_equal(ripc_mutex_lock(&s.m, RIPC_FOREVER), 0);
		start_workers(w, NTHREADS, &s, lock_once_main);
		while (atomic_load(&s.arrived) != NTHREADS)
			ripc_test_sleep_ms(1);
		/* Let them reach the kernel; correctness does not depend on it. */
		ripc_test_sleep_ms(20);
		assert_int_equal(ripc_mutex_unlock(&s.m), 0);
		join_workers(w, NTHREADS);
		assert_int_equal(atomic_load(&s.errors), 0);
		assert_int_equal(s.counter, NTHREADS);
	}
}

#define PROTO_TEST(f, p) ((struct CMUnitTest){#f "[" #p "]", f, NULL, NULL, &proto_##p})
#define BOTH_PROTOS(f)   PROTO_TEST(f, auto), PROTO_TEST(f, plain)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH_PROTOS(test_mutex_threads_incrementing_counter_get_exact_total),
		BOTH_PROTOS(test_mutex_timed_locks_under_contention_never_return_early),
		BOTH_PROTOS(test_mutex_timed_out_waiters_do_not_strand_others),
		BOTH_PROTOS(test_mutex_nowait_and_blocking_lockers_get_exact_total),
		BOTH_PROTOS(test_mutex_unlock_hands_over_to_every_blocked_waiter),
	};

	ripc_test_init("core.mutex.threads");
	return cmocka_run_group_tests_name("core.mutex.threads", tests, NULL, NULL);
}
