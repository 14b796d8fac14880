/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Semaphore over a misbehaving port: fault injection at the port boundary
 *        (linked with -Wl,--wrap=ripc_port_futex_wait).
 *
 * The port contract allows early returns without a wake; a sandbox may refuse the futex
 * call altogether; a give may land just as a wait times out. None of it may end a take
 * early, lose a count, or keep a timed take from ending at its deadline.
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "ripc_test.h"

#include "port/port.h"

#define MSEC_NS  1000000LL
#define SLACK_NS (3000 * MSEC_NS)

/* ---- The wrapper ------------------------------------------------------------------------ */

enum fault {
	FAULT_NONE,
	FAULT_SPURIOUS,         /* every other wait returns 0 at once, without sleeping */
	FAULT_REFUSED,          /* every wait fails with -ENOSYS */
	FAULT_GIVE_AT_DEADLINE, /* the wait times out just as a give lands */
};

static atomic_int fault;
static struct ripc_sem *fault_sem; /* given by FAULT_GIVE_AT_DEADLINE */
static atomic_ulong fault_calls;
static _Atomic int64_t fault_since;

int __real_ripc_port_futex_wait(ripc_atomic_u32_t *word, uint32_t expected, int64_t deadline);
int __wrap_ripc_port_futex_wait(ripc_atomic_u32_t *word, uint32_t expected, int64_t deadline);

int __wrap_ripc_port_futex_wait(ripc_atomic_u32_t *word, uint32_t expected, int64_t deadline)
{
	unsigned long n = atomic_fetch_add(&fault_calls, 1);

	/* After 10 s of faults, behave: a library that cannot cope then fails its bounds
	 * instead of hanging the program. */
	if (ripc_test_now_ns() - atomic_load(&fault_since) > 10000 * MSEC_NS)
		return __real_ripc_port_futex_wait(word, expected, deadline);
	switch (atomic_load(&fault)) {
	case FAULT_SPURIOUS:
		if (n % 2 == 0)
			return 0;
		break;
	case FAULT_REFUSED:
		return -ENOSYS;
	case FAULT_GIVE_AT_DEADLINE:
		(void)ripc_sem_give(fault_sem);
		return -ETIMEDOUT;
	default:
		break;
	}
	return __real_ripc_port_futex_wait(word, expected, deadline);
}

static void inject(enum fault f)
{
	atomic_store(&fault_since, ripc_test_now_ns());
	atomic_store(&fault_calls, 0);
	atomic_store(&fault, f);
}

/* ---- Checks ----------------------------------------------------------------------------- */

static void assert_take_times_out_on_time(int64_t timeout_ms)
{
	struct ripc_sem sem;
	int64_t t0, waited;

	assert_int_equal(ripc_sem_init(&sem, 0, 1), 0);
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_sem_take(&sem, RIPC_MSEC(timeout_ms)), -ETIMEDOUT);
	waited = ripc_test_now_ns() - t0;
	if (waited < timeout_ms * MSEC_NS || waited > timeout_ms * MSEC_NS + SLACK_NS)
		print_error("waited %lld ms for a %lld ms timeout\n", (long long)(waited / MSEC_NS),
			    (long long)timeout_ms);
	assert_true(waited >= timeout_ms * MSEC_NS);
	assert_true(waited <= timeout_ms * MSEC_NS + SLACK_NS);
	assert_true(atomic_load(&fault_calls) > 0);
}

struct giver {
	struct ripc_sem *sem;
	unsigned long n;
	int rc;
};

static void *give_n(void *arg)
{
	struct giver *g = arg;
	unsigned long i;

	for (i = 0; i < g->n && g->rc == 0; i++) {
		while ((g->rc = ripc_sem_give(g->sem)) == -EOVERFLOW)
			sched_yield();
	}
	return NULL;
}

/* A giver thread and this taker: every count arrives exactly once, whatever the port does. */
static void assert_counts_arrive(unsigned long n)
{
	struct ripc_port_thread t;
	struct ripc_sem sem;
	struct giver g;
	unsigned long i;

	assert_int_equal(ripc_sem_init(&sem, 0, 2), 0);
	memset(&g, 0, sizeof(g));
	g.sem = &sem;
	g.n = n;
	assert_int_equal(ripc_port_thread_start(&t, give_n, &g, 0), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(ripc_sem_take(&sem, RIPC_SEC(30)), 0);
	ripc_port_thread_join(&t);
	assert_int_equal(g.rc, 0);
	assert_int_equal(ripc_sem_count(&sem), 0);
}

static void test_sem_spurious_wakeups_neither_end_take_early_nor_lose_counts(void **state)
{
	(void)state;
	inject(FAULT_SPURIOUS);
	assert_take_times_out_on_time(100);
	assert_counts_arrive(ripc_test_scaled(5000));
	inject(FAULT_NONE);
}

static void test_sem_timed_take_ends_at_deadline_when_port_cannot_sleep(void **state)
{
	(void)state;
	inject(FAULT_REFUSED);
	assert_take_times_out_on_time(100);
	assert_take_times_out_on_time(1);
	inject(FAULT_NONE);
}

static void test_sem_take_still_gets_counts_when_port_cannot_sleep(void **state)
{
	(void)state;
	inject(FAULT_REFUSED);
	assert_counts_arrive(ripc_test_scaled(500));
	inject(FAULT_NONE);
}

/* "-ETIMEDOUT: the count stayed 0 until the deadline": a count that arrived with the
 * deadline is taken, not left behind with a timeout. */
static void test_sem_give_racing_the_deadline_is_taken_not_timed_out(void **state)
{
	struct ripc_sem sem;

	(void)state;
	assert_int_equal(ripc_sem_init(&sem, 0, 1), 0);
	fault_sem = &sem;
	inject(FAULT_GIVE_AT_DEADLINE);
	assert_int_equal(ripc_sem_take(&sem, RIPC_MSEC(10)), 0);
	assert_int_equal(atomic_load(&fault_calls), 1);
	inject(FAULT_NONE);
	assert_int_equal(ripc_sem_count(&sem), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sem_spurious_wakeups_neither_end_take_early_nor_lose_counts),
		cmocka_unit_test(test_sem_timed_take_ends_at_deadline_when_port_cannot_sleep),
		cmocka_unit_test(test_sem_take_still_gets_counts_when_port_cannot_sleep),
		cmocka_unit_test(test_sem_give_racing_the_deadline_is_taken_not_timed_out),
	};

	ripc_test_init("core.sem.faults");
	return cmocka_run_group_tests_name("core.sem.faults", tests, NULL, NULL);
}
