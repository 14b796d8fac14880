/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief What every ripc test program shares: CMocka, a watchdog, stress scaling,
 *        shared memory and child processes.
 */
#ifndef RIPC_TEST_H
#define RIPC_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* CMocka 1.1.5 guesses a 32-bit word size on aarch64 musl and then redefines uintptr_t. */
#if defined(__aarch64__) && !defined(__WORDSIZE)
#define __WORDSIZE 64
#endif
#include <cmocka.h>

#include <ripc/ripc.h>

/**
 * Start of main() of every test program: arms an alarm() watchdog of RIPC_TEST_WATCHDOG
 * seconds (set by ctest to the test's timeout) so a hang ends as a failure, with the
 * name of the program printed.
 */
void ripc_test_init(const char *program);

/** Scale a stress-test round count for slow (emulated) targets: n * RIPC_TEST_SCALE, >= 1. */
unsigned long ripc_test_scaled(unsigned long n);

/**
 * Rounds for a stress loop: @p native scaled for emulated boards (RIPC_TEST_SCALE) and
 * divided by 10 under ThreadSanitizer, which slows every atomic; at least 1.
 */
unsigned long ripc_test_rounds(unsigned long native);

/** First failure a worker thread saw: a code (return value or check number) and the round. */
struct ripc_test_failure {
	int rc;
	unsigned long round;
};

/** Record @p rc at @p round unless an earlier failure is recorded already. */
void ripc_test_fail_once(struct ripc_test_failure *f, int rc, unsigned long round);

/** Fail the test, naming @p who, when @p f holds a failure. */
void ripc_test_assert_no_failure(const struct ripc_test_failure *f, const char *who);

/** True when the program runs under qemu-user (slow, and without the kernel robust list). */
int ripc_test_emulated(void);

/** Memory shared with forked children (MAP_SHARED | MAP_ANONYMOUS), zero-filled. */
void *ripc_test_shared_alloc(size_t len);

/** Release memory from ripc_test_shared_alloc. */
void ripc_test_shared_free(void *p, size_t len);

/**
 * Fork a child that runs fn(arg) and exits with its return value; returns the pid.
 * @p fn must not use CMocka assertions (they would jump back into the parent's copy of the
 * test runner); it reports failure through its return value.
 */
pid_t ripc_test_fork(int (*fn)(void *), void *arg);

/** Wait for a child; returns its exit status (0..255), or 128 + signal if killed. */
int ripc_test_wait(pid_t pid);

/** Print why a check cannot run here, then mark the test skipped (CMocka skip()). */
#define RIPC_TEST_SKIP(...)                                 \
	do {                                                \
		print_message("[  SKIP    ] " __VA_ARGS__); \
		print_message("\n");                        \
		skip();                                     \
	} while (0)

/** Monotonic time in nanoseconds. */
int64_t ripc_test_now_ns(void);

/** Sleep for @p ms milliseconds. */
void ripc_test_sleep_ms(long ms);

#endif /* RIPC_TEST_H */
