/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The port contract (port/port.h): futex wait and wake, monotonic clock, thread
 *        identity and threads, checked against the guarantees the header states.
 *
 * The timed-wait checks double as the 32-bit time64 check: where time_t is 64-bit on a
 * 32-bit target, a futex call that passed the C library's timespec to the old system call
 * would return at once, and "never early" fails.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ripc_test.h"

#include "port/port.h"

#define MSEC_NS  1000000LL
#define SLACK_NS (3000 * MSEC_NS)

#define CHILD_WATCHDOG_S 100

static uint32_t kernel_tid(void)
{
	return (uint32_t)syscall(SYS_gettid);
}

/* ---- Futex wait -------------------------------------------------------------------------- */

static void test_port_futex_wait_returns_eagain_when_value_differs(void **state)
{
	ripc_atomic_u32_t word = 5;

	(void)state;
	assert_int_equal(ripc_port_futex_wait(&word, 4, RIPC_PORT_FOREVER), -EAGAIN);
	assert_int_equal(ripc_port_futex_wait(&word, 6, ripc_port_clock_ns() + 1000 * MSEC_NS),
			 -EAGAIN);
	assert_int_equal(atomic_load(&word), 5);
}

/* Wait on an unchanging word until @p deadline; check -ETIMEDOUT, never early, not late. */
static void assert_wait_times_out_at(int64_t deadline)
{
	ripc_atomic_u32_t word = 0;
	int64_t now;
	int rc;

	/* May return early (0, -EINTR) by contract: retry against the same deadline. */
	do {
		rc = ripc_port_futex_wait(&word, 0, deadline);
	} while (rc == 0 || rc == -EINTR);
	now = ripc_port_clock_ns();
	if (now < deadline || now > deadline + SLACK_NS)
		print_error("futex wait returned %lld ns after its deadline\n",
			    (long long)(now - deadline));
	assert_int_equal(rc, -ETIMEDOUT);
	assert_true(now >= deadline);
	assert_true(now <= deadline + SLACK_NS);
}

static void test_port_futex_wait_times_out_at_absolute_deadline(void **state)
{
	int64_t t0;

	(void)state;
	t0 = ripc_port_clock_ns();
	assert_wait_times_out_at(t0 + 100 * MSEC_NS);
	/* The time64 check: on a 32-bit target with 64-bit time_t this must still last 100 ms. */
	assert_true(ripc_port_clock_ns() - t0 >= 100 * MSEC_NS);
	assert_wait_times_out_at(ripc_port_clock_ns() + 1 * MSEC_NS);
	assert_wait_times_out_at(ripc_port_clock_ns() + 1500 * MSEC_NS / 10);
}

static void test_port_futex_wait_with_past_deadline_times_out_at_once(void **state)
{
	ripc_atomic_u32_t word = 0;
	int64_t t0;

	(void)state;
	t0 = ripc_port_clock_ns();
	assert_int_equal(ripc_port_futex_wait(&word, 0, t0 - 1), -ETIMEDOUT);
	assert_int_equal(ripc_port_futex_wait(&word, 0, 0), -ETIMEDOUT);
	assert_int_equal(ripc_port_futex_wait(&word, 0, -5), -ETIMEDOUT);
	assert_true(ripc_port_clock_ns() - t0 < SLACK_NS);
}

struct far_sleeper {
	ripc_atomic_u32_t word;
	atomic_bool returned;
	int rc;
};

static void *sleep_until_far_deadline(void *arg)
{
	struct far_sleeper *f = arg;
	int64_t far = (int64_t)0x100000000LL * 1000000000LL; /* 2^32 s: no 32-bit tv_sec */

	f->rc = ripc_port_futex_wait(&f->word, 0, far);
	atomic_store(&f->returned, true);
	return NULL;
}

static void test_port_futex_wait_deadline_beyond_32_bit_seconds_waits(void **state)
{
	static struct far_sleeper f;
	struct ripc_port_thread t;
	int64_t give_up;
	int n = 0;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(ripc_port_thread_start(&t, sleep_until_far_deadline, &f, 0), 0);
	/* A deadline truncated to 32 bits of seconds would lie in the past: at once -ETIMEDOUT. */
	ripc_test_sleep_ms(100);
	assert_false(atomic_load(&f.returned));
	give_up = ripc_port_clock_ns() + 30000 * MSEC_NS;
	while (n == 0 && ripc_port_clock_ns() < give_up) {
		n = ripc_port_futex_wake(&f.word, 1);
		if (n == 0)
			ripc_test_sleep_ms(5);
	}
	assert_int_equal(n, 1);
	ripc_port_thread_join(&t);
	assert_int_equal(n, 1);
	assert_int_equal(f.rc, 0);
}

/* ---- Futex wake ------------------------------------------------------------------------- */

static void test_port_futex_wake_without_sleepers_returns_zero(void **state)
{
	ripc_atomic_u32_t word = 0;

	(void)state;
	assert_int_equal(ripc_port_futex_wake(&word, 1), 0);
	assert_int_equal(ripc_port_futex_wake(&word, UINT32_MAX), 0);
}

#define SLEEPERS 3

struct sleeper {
	ripc_atomic_u32_t *word;
	struct ripc_port_thread thread;
	int rc;
};

static void *sleep_once(void *arg)
{
	struct sleeper *s = arg;

	s->rc = ripc_port_futex_wait(s->word, 0, ripc_port_clock_ns() + 60000 * MSEC_NS);
	return NULL;
}

static void test_port_futex_wake_returns_number_woken(void **state)
{
	static ripc_atomic_u32_t word;
	static struct sleeper s[SLEEPERS];
	int64_t give_up;
	int i, woken = 0, calls = 0;

	(void)state;
	atomic_store(&word, 0);
	for (i = 0; i < SLEEPERS; i++) {
		s[i].word = &word;
		s[i].rc = 1;
		assert_int_equal(ripc_port_thread_start(&s[i].thread, sleep_once, &s[i], 0), 0);
	}
	/* Nobody can tell when a thread is asleep; wake two at a time until all three were
	 * woken. Each call reports at most what it asked for, and the sum is exact. */
	give_up = ripc_port_clock_ns() + 30000 * MSEC_NS;
	while (woken < SLEEPERS && ripc_port_clock_ns() < give_up) {
		int n = ripc_port_futex_wake(&word, 2);

		assert_true(n >= 0 && n <= 2);
		woken += n;
		calls++;
		if (woken < SLEEPERS)
			ripc_test_sleep_ms(5);
	}
	for (i = 0; i < SLEEPERS; i++) {
		ripc_port_thread_join(&s[i].thread);
		assert_int_equal(s[i].rc, 0);
	}
	assert_int_equal(woken, SLEEPERS);
	assert_int_equal(ripc_port_futex_wake(&word, UINT32_MAX), 0);
	print_message("[          ] woke %d sleepers in %d calls\n", woken, calls);
}

/* ---- Across processes -------------------------------------------------------------------- */

struct xproc {
	ripc_atomic_u32_t word;
	ripc_atomic_u32_t entered;
	int32_t child_rc;
};

static struct xproc *xp;

/* Sleep once on the shared word (*arg: without a deadline); exit 0 if woken, else 1. */
static int child_sleep_once(void *arg)
{
	bool forever = *(bool *)arg;
	int rc;

	alarm(CHILD_WATCHDOG_S);
	atomic_fetch_add(&xp->entered, 1);
	rc = ripc_port_futex_wait(
		&xp->word, 0, forever ? RIPC_PORT_FOREVER : ripc_port_clock_ns() + 60000 * MSEC_NS);
	xp->child_rc = rc;
	return rc == 0 ? 0 : 1;
}

/* Timed and untimed waits are different system calls: check both. */
static void wake_forked_sleeper(bool forever)
{
	int64_t give_up;
	pid_t pid;
	int n = 0;

	xp = ripc_test_shared_alloc(sizeof(*xp));
	pid = ripc_test_fork(child_sleep_once, &forever);
	while (atomic_load(&xp->entered) == 0)
		ripc_test_sleep_ms(1);
	/* The word stays 0, so only a wake can end the child's sleep. */
	give_up = ripc_port_clock_ns() + 30000 * MSEC_NS;
	while (n == 0 && ripc_port_clock_ns() < give_up) {
		ripc_test_sleep_ms(5);
		n = ripc_port_futex_wake(&xp->word, 1);
	}
	assert_int_equal(n, 1);
	assert_int_equal(ripc_test_wait(pid), 0);
	assert_int_equal(xp->child_rc, 0);
	ripc_test_shared_free(xp, sizeof(*xp));
	xp = NULL;
}

static void test_port_futex_wake_reaches_forked_process(void **state)
{
	(void)state;
	wake_forked_sleeper(false);
	wake_forked_sleeper(true);
}

static void test_port_futex_value_change_seen_by_forked_process(void **state)
{
	bool forever = true;
	pid_t pid;

	(void)state;
	xp = ripc_test_shared_alloc(sizeof(*xp));
	atomic_store(&xp->word, 7);
	/* The child expects 0 but the shared word holds 7: it must refuse to sleep. */
	pid = ripc_test_fork(child_sleep_once, &forever);
	assert_int_equal(ripc_test_wait(pid), 1);
	assert_int_equal(xp->child_rc, -EAGAIN);
	ripc_test_shared_free(xp, sizeof(*xp));
	xp = NULL;
}

static void *sleep_on_word(void *arg)
{
	ripc_atomic_u32_t *word = arg;
	int rc;

	do {
		rc = ripc_port_futex_wait(word, 0, RIPC_PORT_FOREVER);
	} while (rc == 0 && atomic_load(word) == 0);
	/* -EAGAIN: woken, then back to sleep after the release had already set the word. */
	if (rc == -EAGAIN && atomic_load(word) != 0)
		rc = 0;
	return (void *)(intptr_t)rc;
}

/* The same page mapped twice: a wake through one address reaches a sleeper on the other
 * (futexes must not be process-private, and are keyed by the page, not the address). */
static void test_port_futex_wake_through_second_mapping(void **state)
{
	struct ripc_port_thread t;
	ripc_atomic_u32_t *a, *b;
	long page = sysconf(_SC_PAGESIZE);
	int64_t give_up;
	int fd, n = 0;

	(void)state;
	fd = (int)syscall(SYS_memfd_create, "ripc-test", 0u);
	if (fd < 0)
		RIPC_TEST_SKIP("memfd_create unavailable");
	assert_int_equal(ftruncate(fd, page), 0);
	a = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(a != MAP_FAILED && b != MAP_FAILED);
	assert_true(a != b);
	close(fd);
	atomic_store(a, 0);
	assert_int_equal(ripc_port_thread_start(&t, sleep_on_word, a, 0), 0);
	give_up = ripc_port_clock_ns() + 30000 * MSEC_NS;
	while (n == 0 && ripc_port_clock_ns() < give_up) {
		ripc_test_sleep_ms(5);
		n = ripc_port_futex_wake(b, 1);
	}
	/* Release the sleeper through both addresses before judging, so a failure ends. */
	atomic_store(b, 1);
	(void)ripc_port_futex_wake(b, 1);
	(void)ripc_port_futex_wake(a, 1);
	assert_int_equal((int)(intptr_t)ripc_port_thread_join(&t), 0);
	assert_int_equal(n, 1);
	munmap(a, (size_t)page);
	munmap(b, (size_t)page);
}

/* ---- Clock ------------------------------------------------------------------------------- */

static void test_port_clock_is_monotonic_and_matches_clock_monotonic(void **state)
{
	int64_t prev, now, before, after;
	long i;

	(void)state;
	prev = ripc_port_clock_ns();
	assert_true(prev > 0);
	for (i = 0; i < 100000; i++) {
		now = ripc_port_clock_ns();
		assert_true(now >= prev);
		prev = now;
	}
	/* The same clock as CLOCK_MONOTONIC (deadlines are shared with other processes). */
	before = ripc_test_now_ns();
	now = ripc_port_clock_ns();
	after = ripc_test_now_ns();
	assert_true(before <= now && now <= after);
	assert_true(ripc_uptime_ns() >= now);
}

static void test_port_clock_advances_with_sleep(void **state)
{
	int64_t t0, dt;

	(void)state;
	t0 = ripc_port_clock_ns();
	ripc_test_sleep_ms(50);
	dt = ripc_port_clock_ns() - t0;
	assert_true(dt >= 50 * MSEC_NS);
	assert_true(dt <= 50 * MSEC_NS + SLACK_NS);
}

/* ---- Thread identity and threads --------------------------------------------------------- */

static void *report_tid(void *arg)
{
	uint32_t *out = arg;

	out[0] = ripc_port_thread_id();
	out[1] = ripc_port_thread_id(); /* cached: must not change */
	out[2] = kernel_tid();
	return NULL;
}

static void test_port_thread_id_is_kernel_tid_and_differs_between_threads(void **state)
{
	struct ripc_port_thread t[2];
	uint32_t ids[2][3];
	uint32_t me;
	int i;

	(void)state;
	me = ripc_port_thread_id();
	assert_int_equal(me, kernel_tid());
	assert_int_equal(ripc_port_thread_id(), me);
	assert_true(me != 0 && me <= RIPC_PORT_LOCK_TID_MASK);
	for (i = 0; i < 2; i++)
		assert_int_equal(ripc_port_thread_start(&t[i], report_tid, ids[i], 0), 0);
	for (i = 0; i < 2; i++)
		assert_null(ripc_port_thread_join(&t[i]));
	for (i = 0; i < 2; i++) {
		assert_int_equal(ids[i][0], ids[i][2]);
		assert_int_equal(ids[i][1], ids[i][0]);
		assert_true(ids[i][0] != me);
	}
	assert_true(ids[0][0] != ids[1][0]);
}

/* Child: its cached id must be its own (its pid), not the parent's. */
static int child_check_tid(void *arg)
{
	uint32_t parent = *(uint32_t *)arg;
	uint32_t id = ripc_port_thread_id();

	if (id == parent)
		return 1;
	if (id != (uint32_t)getpid() || id != kernel_tid())
		return 2;
	return 0;
}

static void test_port_thread_id_is_renewed_in_forked_child(void **state)
{
	uint32_t me;

	(void)state;
	me = ripc_port_thread_id(); /* cached before fork */
	assert_int_equal(ripc_test_wait(ripc_test_fork(child_check_tid, &me)), 0);
	assert_int_equal(ripc_port_thread_id(), me);
}

static void *fork_from_thread(void *arg)
{
	uint32_t me = ripc_port_thread_id();

	(void)arg;
	return (void *)(intptr_t)ripc_test_wait(ripc_test_fork(child_check_tid, &me));
}

static void test_port_thread_id_is_renewed_in_child_forked_by_a_thread(void **state)
{
	struct ripc_port_thread t;

	(void)state;
	assert_int_equal(ripc_port_thread_start(&t, fork_from_thread, NULL, 0), 0);
	assert_int_equal((int)(intptr_t)ripc_port_thread_join(&t), 0);
}

static void *add_one(void *arg)
{
	int *v = arg;

	(*v)++;
	return v;
}

static void test_port_thread_start_runs_function_and_join_returns_its_result(void **state)
{
	struct ripc_port_thread t;
	int v = 41;

	(void)state;
	assert_int_equal(ripc_port_thread_start(&t, add_one, &v, 0), 0);
	assert_ptr_equal(ripc_port_thread_join(&t), &v);
	assert_int_equal(v, 42);
}

static void test_port_thread_start_rejects_bad_arguments(void **state)
{
	struct ripc_port_thread t;
	int v = 0;
	int rc;

	(void)state;
	assert_int_equal(ripc_port_thread_start(NULL, add_one, &v, 0), -EINVAL);
	assert_int_equal(ripc_port_thread_start(&t, NULL, &v, 0), -EINVAL);
	assert_int_equal(ripc_port_thread_start(&t, add_one, &v, -1), -EINVAL);
	assert_null(ripc_port_thread_join(NULL));
	/* Real-time priority: granted (then the thread runs) or refused with -EPERM. */
	rc = ripc_port_thread_start(&t, add_one, &v, 1);
	if (rc == 0)
		assert_ptr_equal(ripc_port_thread_join(&t), &v);
	else
		assert_int_equal(rc, -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_futex_wait_returns_eagain_when_value_differs),
		cmocka_unit_test(test_port_futex_wait_times_out_at_absolute_deadline),
		cmocka_unit_test(test_port_futex_wait_with_past_deadline_times_out_at_once),
		cmocka_unit_test(test_port_futex_wait_deadline_beyond_32_bit_seconds_waits),
		cmocka_unit_test(test_port_futex_wake_without_sleepers_returns_zero),
		cmocka_unit_test(test_port_futex_wake_returns_number_woken),
		cmocka_unit_test(test_port_futex_wake_reaches_forked_process),
		cmocka_unit_test(test_port_futex_value_change_seen_by_forked_process),
		cmocka_unit_test(test_port_futex_wake_through_second_mapping),
		cmocka_unit_test(test_port_clock_is_monotonic_and_matches_clock_monotonic),
		cmocka_unit_test(test_port_clock_advances_with_sleep),
		cmocka_unit_test(test_port_thread_id_is_kernel_tid_and_differs_between_threads),
		cmocka_unit_test(test_port_thread_id_is_renewed_in_forked_child),
		cmocka_unit_test(test_port_thread_id_is_renewed_in_child_forked_by_a_thread),
		cmocka_unit_test(test_port_thread_start_runs_function_and_join_returns_its_result),
		cmocka_unit_test(test_port_thread_start_rejects_bad_arguments),
	};

	ripc_test_init("port.futex");
	return cmocka_run_group_tests_name("port.futex", tests, NULL, NULL);
}
