/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Priority inheritance: a SCHED_FIFO owner is boosted while a higher-priority thread
 *        waits and drops back when it unlocks; the plain protocol hands over without a boost.
 *
 * The owner's effective priority is read from /proc/self/task/<tid>/stat, field 18, which is
 * -1 - rt_priority for a real-time task and includes a PI boost. Skipped, with the reason,
 * where SCHED_FIFO is refused or the kernel has no PI futex.
 */
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "port/port.h"
#include "ripc_test.h"

/* core/mutex.c keeps its protocol values private; this copy forces one before first use. */
#define TEST_PROTO_PLAIN 0x81u

#define LOW_PRIO  10
#define HIGH_PRIO 30
#define NO_RC     INT_MIN

/* Phases: 1 low owns it, 2 high is about to lock, 3 low may unlock, 4 low unlocked,
 * 5 low may exit. */
struct pi_case {
	struct ripc_mutex m;
	atomic_int phase;
	atomic_uint low_tid;
	atomic_int low_lock_rc;
	atomic_int low_unlock_rc;
	atomic_int high_lock_rc;
	atomic_int high_unlock_rc;
	struct ripc_port_thread low;
	struct ripc_port_thread high;
	bool low_started;
	bool high_started;
};

/* Kernel priority of one of our threads (field 18 of its stat), or INT_MIN if unreadable. */
static int kernel_prio(unsigned int tid)
{
	char path[64], buf[1024], *p;
	int field, prio;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%u/stat", tid);
	f = fopen(path, "r");
	if (f == NULL)
		return INT_MIN;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Field 2, the command, is in parentheses and may hold spaces: count from its end. */
	p = strrchr(buf, ')');
	for (field = 2; p != NULL && field < 18; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p + 1, "%d", &prio) != 1)
		return INT_MIN;
	return prio;
}

/* Poll for up to 5 s until the thread's priority is @p want; true if it got there. */
static bool prio_becomes(unsigned int tid, int want)
{
	int64_t end = ripc_test_now_ns() + 5000 * 1000000LL;

	while (kernel_prio(tid) != want) {
		if (ripc_test_now_ns() > end)
			return false;
		ripc_test_sleep_ms(1);
	}
	return true;
}

static void wait_phase(struct pi_case *c, int phase)
{
	while (atomic_load(&c->phase) < phase)
		ripc_test_sleep_ms(1);
}

static void *low_main(void *arg)
{
	struct pi_case *c = arg;

	atomic_store(&c->low_tid, ripc_port_thread_id());
	atomic_store(&c->low_lock_rc, ripc_mutex_lock(&c->m, RIPC_FOREVER));
	atomic_store(&c->phase, 1);
	wait_phase(c, 3);
	atomic_store(&c->low_unlock_rc, ripc_mutex_unlock(&c->m));
	if (atomic_load(&c->phase) < 4)
		atomic_store(&c->phase, 4);
	/* Stay alive, so the test can read the priority it dropped back to. */
	wait_phase(c, 5);
	return NULL;
}

static void *high_main(void *arg)
{
	struct pi_case *c = arg;
	int rc;

	atomic_store(&c->phase, 2);
	rc = ripc_mutex_lock(&c->m, RIPC_SEC(10));
	atomic_store(&c->high_lock_rc, rc);
	if (rc == 0)
		atomic_store(&c->high_unlock_rc, ripc_mutex_unlock(&c->m));
	return NULL;
}

static void case_setup(struct pi_case *c)
{
	memset(c, 0, sizeof(*c));
	assert_int_equal(ripc_mutex_init(&c->m), 0);
	atomic_init(&c->phase, 0);
	atomic_init(&c->low_lock_rc, NO_RC);
	atomic_init(&c->low_unlock_rc, NO_RC);
	atomic_init(&c->high_lock_rc, NO_RC);
	atomic_init(&c->high_unlock_rc, NO_RC);
}

/* Let every started thread finish (whatever happened), before any assertion may jump out. */
static void case_finish(struct pi_case *c)
{
	atomic_store(&c->phase, 5);
	if (c->high_started)
		ripc_port_thread_join(&c->high);
	if (c->low_started)
		ripc_port_thread_join(&c->low);
}

/* Start the SCHED_FIFO owner; skip the test if real-time scheduling is refused. */
static void start_low_owner(struct pi_case *c)
{
	int rc = ripc_port_thread_start(&c->low, low_main, c, LOW_PRIO);

	if (rc == -EPERM)
		RIPC_TEST_SKIP("SCHED_FIFO refused (EPERM): needs CAP_SYS_NICE or RLIMIT_RTPRIO");
	assert_int_equal(rc, 0);
	c->low_started = true;
	wait_phase(c, 1);
	if (atomic_load(&c->low_lock_rc) != 0 || kernel_prio(atomic_load(&c->low_tid)) == INT_MIN) {
		case_finish(c);
		assert_int_equal(atomic_load(&c->low_lock_rc), 0);
		RIPC_TEST_SKIP("cannot read /proc/self/task/<tid>/stat: priority not observable");
	}
}

static void start_high_waiter(struct pi_case *c)
{
	int rc = ripc_port_thread_start(&c->high, high_main, c, HIGH_PRIO);

	if (rc != 0)
		case_finish(c);
	if (rc == -EPERM)
		RIPC_TEST_SKIP("SCHED_FIFO priority %d refused (EPERM)", HIGH_PRIO);
	assert_int_equal(rc, 0);
	c->high_started = true;
	wait_phase(c, 2);
}

static void test_mutex_pi_boosts_owner_while_higher_priority_thread_waits(void **state)
{
	struct pi_case c;
	struct ripc_stats st;
	unsigned int tid;
	bool base_ok, boosted, waiting_while_boosted, dropped;

	(void)state;
	if (!ripc_mutex_pi_supported())
		RIPC_TEST_SKIP("no PI futex here (or CONFIG_RIPC_MUTEX_PI is off)");
	case_setup(&c);
	ripc_stats_reset();
	start_low_owner(&c);
	tid = atomic_load(&c.low_tid);
	base_ok = kernel_prio(tid) == -1 - LOW_PRIO;
	start_high_waiter(&c);
	boosted = prio_becomes(tid, -1 - HIGH_PRIO);
	waiting_while_boosted = atomic_load(&c.high_lock_rc) == NO_RC;
	atomic_store(&c.phase, 3);
	ripc_port_thread_join(&c.high);
	c.high_started = false;
	wait_phase(&c, 4);
	dropped = prio_becomes(tid, -1 - LOW_PRIO);
	case_finish(&c);

	assert_true(base_ok);
	assert_true(boosted);
	assert_true(waiting_while_boosted);
	assert_true(dropped);
	assert_int_equal(atomic_load(&c.low_unlock_rc), 0);
	assert_int_equal(atomic_load(&c.high_lock_rc), 0);
	assert_int_equal(atomic_load(&c.high_unlock_rc), 0);
	/* The hand-over went through the kernel's PI futex. */
	if (ripc_stats_get(&st) == 0)
		assert_true(st.pi_calls > 0);
}

static void test_mutex_plain_protocol_hands_over_without_boosting(void **state)
{
	struct pi_case c;
	struct ripc_stats st;
	unsigned int tid;
	bool base_ok, not_boosted, still_waiting;

	(void)state;
	case_setup(&c);
	/* Force the plain futex protocol before first use (the library would pick PI here). */
	atomic_store(&c.m.protocol, TEST_PROTO_PLAIN);
	ripc_stats_reset();
	start_low_owner(&c);
	tid = atomic_load(&c.low_tid);
	base_ok = kernel_prio(tid) == -1 - LOW_PRIO;
	start_high_waiter(&c);
	/* The waiter announces itself in the word before it sleeps; then give it time. */
	while ((atomic_load(&c.m.word) & RIPC_PORT_LOCK_WAITERS) == 0)
		ripc_test_sleep_ms(1);
	ripc_test_sleep_ms(100);
	not_boosted = kernel_prio(tid) == -1 - LOW_PRIO;
	still_waiting = atomic_load(&c.high_lock_rc) == NO_RC;
	atomic_store(&c.phase, 3);
	case_finish(&c);

	assert_true(base_ok);
	assert_true(not_boosted);
	assert_true(still_waiting);
	assert_int_equal(atomic_load(&c.low_unlock_rc), 0);
	assert_int_equal(atomic_load(&c.high_lock_rc), 0);
	assert_int_equal(atomic_load(&c.high_unlock_rc), 0);
	/* The hand-over went through plain futex wait and wake, never the PI futex. */
	if (ripc_stats_get(&st) == 0) {
		assert_int_equal(st.pi_calls, 0);
		assert_true(st.futex_waits > 0);
		assert_true(st.futex_wakes > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutex_pi_boosts_owner_while_higher_priority_thread_waits),
		cmocka_unit_test(test_mutex_plain_protocol_hands_over_without_boosting),
	};

	ripc_test_init("core.mutex.pi");
	return cmocka_run_group_tests_name("core.mutex.pi", tests, NULL, NULL);
}
