/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Shared test support: watchdog, stress scaling, shared memory, child processes.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ripc_test.h"

static const char *test_program = "test";

static void watchdog_fired(int sig)
{
	static const char msg[] = "watchdog: test program hung, killed\n";

	(void)sig;
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(124);
}

void ripc_test_init(const char *program)
{
	const char *wd = getenv("RIPC_TEST_WATCHDOG");
	long secs = wd != NULL ? strtol(wd, NULL, 10) : 300;

	test_program = program;
	(void)test_program;
	signal(SIGALRM, watchdog_fired);
	/* Fire a little before ctest's own timeout, so the message is ours. */
	alarm((unsigned int)(secs > 10 ? secs - 5 : secs));
	setvbuf(stdout, NULL, _IOLBF, 0);
}

unsigned long ripc_test_scaled(unsigned long n)
{
	const char *s = getenv("RIPC_TEST_SCALE");
	double f = s != NULL ? strtod(s, NULL) : 1.0;
	double v = (double)n * (f > 0.0 ? f : 1.0);

	return v < 1.0 ? 1ul : (unsigned long)v;
}

#if defined(__SANITIZE_THREAD__)
#define RIPC_TEST_TSAN_DIVISOR 10ul
#else
#define RIPC_TEST_TSAN_DIVISOR 1ul
#endif

unsigned long ripc_test_rounds(unsigned long native)
{
	unsigned long n = ripc_test_scaled(native) / RIPC_TEST_TSAN_DIVISOR;

	return n > 0 ? n : 1;
}

void ripc_test_fail_once(struct ripc_test_failure *f, int rc, unsigned long round)
{
	if (f->rc == 0) {
		f->rc = rc;
		f->round = round;
	}
}

void ripc_test_assert_no_failure(const struct ripc_test_failure *f, const char *who)
{
	if (f->rc != 0)
		print_error("%s: unexpected %d in round %lu\n", who, f->rc, f->round);
	assert_int_equal(f->rc, 0);
}

int ripc_test_emulated(void)
{
	const char *s = getenv("RIPC_TEST_EMULATED");

	return s != NULL && strcmp(s, "1") == 0;
}

void *ripc_test_shared_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	memset(p, 0, len);
	return p;
}

void ripc_test_shared_free(void *p, size_t len)
{
	munmap(p, len);
}

pid_t ripc_test_fork(int (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

int ripc_test_wait(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0)
		;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int64_t ripc_test_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void ripc_test_sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) != 0)
		;
}
