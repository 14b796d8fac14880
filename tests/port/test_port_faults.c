/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The POSIX port when the system refuses calls: fault injection at the C library
 *        boundary (linked with -Wl,--wrap=syscall and --wrap of clock_gettime).
 *
 * - 32-bit targets: the time64 futex call answered ENOSYS (kernel < 5.1) or EPERM (a
 *   seccomp filter older than the call); the port must fall back to the 32-bit call and
 *   keep every deadline, near and far.
 * - clock_gettime failing (the same seccomp case for clock_gettime64): the monotonic clock
 *   must still be right, and errno untouched.
 *
 * The futex fallback is sticky for the process, so each case runs in a forked child, which
 * reports through its exit code (no CMocka in children).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ripc_test.h"

#include "port/port.h"

#define MSEC_NS  1000000LL
#define SLACK_NS (3000 * MSEC_NS)

#define CHILD_WATCHDOG_S 100

/* 32-bit targets with a 64-bit time_t have the time64 calls; 64-bit ones do not need them. */
#if defined(SYS_futex_time64) && ULONG_MAX == 0xffffffffUL
#define HAVE_TIME64_CALLS 1
#define NR_FUTEX_TIME64   SYS_futex_time64
#else
#define HAVE_TIME64_CALLS 0
#define NR_FUTEX_TIME64   (-1L)
#endif

/* musl on 32-bit targets links clock_gettime as __clock_gettime64 (time64 redirect). */
#if defined(_REDIR_TIME64) && _REDIR_TIME64
#define CLOCK_SYM(prefix) prefix "__clock_gettime64"
#else
#define CLOCK_SYM(prefix) prefix "clock_gettime"
#endif

/* ---- The wrappers ------------------------------------------------------------------------- */

static atomic_int refuse_time64;  /* errno for SYS_futex_time64; 0: pass through */
static atomic_int refuse_clock;   /* errno for clock_gettime; 0: pass through */
static atomic_ulong legacy_futex; /* timed SYS_futex calls seen */

long __real_syscall(long nr, ...);
long __wrap_syscall(long nr, ...);
int wrap_clock_gettime(clockid_t clk, struct timespec *ts) __asm__(CLOCK_SYM("__wrap_"));
int real_clock_gettime(clockid_t clk, struct timespec *ts) __asm__(CLOCK_SYM("__real_"));

/* The port always passes six arguments, as the C library's syscall() reads them. */
long __wrap_syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == NR_FUTEX_TIME64 && atomic_load(&refuse_time64) != 0) {
		errno = atomic_load(&refuse_time64);
		return -1;
	}
	if (nr == SYS_futex && a[3] != 0)
		atomic_fetch_add(&legacy_futex, 1);
	return __real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int wrap_clock_gettime(clockid_t clk, struct timespec *ts)
{
	if (atomic_load(&refuse_clock) != 0) {
		errno = atomic_load(&refuse_clock);
		return -1;
	}
	return real_clock_gettime(clk, ts);
}

/* ---- Children ----------------------------------------------------------------------------- */

enum {
	CHILD_OK = 0,
	CHILD_EARLY = 10,     /* a timed wait ended before its deadline */
	CHILD_LATE = 11,      /* ... or long after it */
	CHILD_BAD_RC = 12,    /* unexpected return code */
	CHILD_NO_LEGACY = 13, /* the fallback call was never made */
	CHILD_FAR_ENDED = 14, /* a wait with a deadline beyond 2^32 s ended on its own */
	CHILD_THREAD = 15,
};

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

/* With the time64 call refused: a 100 ms wait lasts 100 ms, and a far deadline is kept. */
static int child_timed_waits_without_time64(void *arg)
{
	static struct far_sleeper f;
	ripc_atomic_u32_t word = 0;
	struct ripc_port_thread t;
	int64_t deadline, now;
	int rc, n = 0;

	alarm(CHILD_WATCHDOG_S);
	atomic_store(&refuse_time64, *(int *)arg);
	deadline = ripc_port_clock_ns() + 100 * MSEC_NS;
	do {
		rc = ripc_port_futex_wait(&word, 0, deadline);
	} while (rc == 0 || rc == -EINTR);
	now = ripc_port_clock_ns();
	if (rc != -ETIMEDOUT)
		return CHILD_BAD_RC;
	if (now < deadline)
		return CHILD_EARLY;
	if (now > deadline + SLACK_NS)
		return CHILD_LATE;
	if (atomic_load(&legacy_futex) == 0)
		return CHILD_NO_LEGACY;

	if (ripc_port_thread_start(&t, sleep_until_far_deadline, &f, 0) != 0)
		return CHILD_THREAD;
	ripc_test_sleep_ms(100);
	if (atomic_load(&f.returned))
		return CHILD_FAR_ENDED;
	deadline = ripc_port_clock_ns() + 30000 * MSEC_NS;
	while (n == 0 && ripc_port_clock_ns() < deadline) {
		n = ripc_port_futex_wake(&f.word, 1);
		if (n == 0)
			ripc_test_sleep_ms(5);
	}
	if (n != 1)
		return CHILD_BAD_RC; /* the sleeper is stuck: exit without joining it */
	ripc_port_thread_join(&t);
	return f.rc == 0 ? CHILD_OK : CHILD_BAD_RC;
}

static void run_without_time64(int refusal)
{
	int status;

	if (!HAVE_TIME64_CALLS)
		RIPC_TEST_SKIP("no time64 system calls on this target (64-bit time_t and long)");
	status = ripc_test_wait(ripc_test_fork(child_timed_waits_without_time64, &refusal));
	if (status != CHILD_OK)
		print_error("child failed with %d\n", status);
	assert_int_equal(status, CHILD_OK);
}

static void test_port_futex_falls_back_when_kernel_lacks_time64(void **state)
{
	(void)state;
	run_without_time64(ENOSYS);
}

static void test_port_futex_falls_back_when_seccomp_refuses_time64(void **state)
{
	(void)state;
	run_without_time64(EPERM);
}

/* ---- Clock ------------------------------------------------------------------------------- */

static void test_port_clock_survives_clock_gettime_failure(void **state)
{
	struct timespec ts;
	int64_t real_before, real_after, prev, now;
	int i;

	(void)state;
	atomic_store(&refuse_clock, EPERM);
	assert_int_equal(real_clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	real_before = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	errno = 4242;
	prev = ripc_port_clock_ns();
	assert_int_equal(errno, 4242); /* the library never changes errno */
	for (i = 0; i < 1000; i++) {
		now = ripc_port_clock_ns();
		assert_true(now >= prev);
		prev = now;
	}
	assert_int_equal(real_clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	real_after = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	atomic_store(&refuse_clock, 0);
	/* Still CLOCK_MONOTONIC, read another way (to the microsecond at least). */
	assert_true(prev >= real_before - 1000);
	assert_true(prev <= real_after + 1000);
	assert_int_equal(errno, 4242);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_futex_falls_back_when_kernel_lacks_time64),
		cmocka_unit_test(test_port_futex_falls_back_when_seccomp_refuses_time64),
		cmocka_unit_test(test_port_clock_survives_clock_gettime_failure),
	};

	ripc_test_init("port.faults");
	return cmocka_run_group_tests_name("port.faults", tests, NULL, NULL);
}
