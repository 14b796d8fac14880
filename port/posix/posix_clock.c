/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Monotonic clock for deadlines (POSIX port).
 *
 * CLOCK_MONOTONIC through the C library, which reads it from the vDSO where the kernel has
 * one: no system call, async-signal-safe. Without a vDSO, a 32-bit C library with a 64-bit
 * time_t asks the kernel through clock_gettime64, which seccomp filters older than that call
 * refuse with EPERM (older container runtimes); the C library then fails instead of falling
 * back. The clock must never fail (every deadline depends on it), so a failure is retried
 * with the original system call and the kernel's `long` timespec, which is enough for
 * monotonic time on every target (68 years of uptime where long is 32 bits).
 */
#define _GNU_SOURCE /* syscall(), gettid and Linux-specific declarations */
#include <time.h>

#include <ripc/timeout.h>

#include "port/port.h"
#include "port/posix/posix_sys.h"

/* musl names the original call after its 32-bit timespec where time_t is 64-bit. */
#if defined(SYS_clock_gettime)
#define RIPC_SYS_CLOCK_GETTIME SYS_clock_gettime
#else
#define RIPC_SYS_CLOCK_GETTIME SYS_clock_gettime32
#endif

/* The kernel's timespec for that call, independent of the C library's time_t. */
struct ripc_ktslong {
	long tv_sec;
	long tv_nsec;
};

static int64_t clock_fallback_ns(void)
{
	struct ripc_ktslong ts = {0, 0};

	/* Cannot fail for CLOCK_MONOTONIC; the result is 0 if even this is refused. */
	(void)ripc_posix_syscall(RIPC_SYS_CLOCK_GETTIME, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0, 0);
	return (int64_t)ts.tv_sec * 1000000000 + (int64_t)ts.tv_nsec;
}

int64_t ripc_port_clock_ns(void)
{
	struct timespec ts;
	int saved = errno;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		errno = saved; /* the library never changes errno */
		return clock_fallback_ns();
	}
	return (int64_t)ts.tv_sec * 1000000000 + (int64_t)ts.tv_nsec;
}

int64_t ripc_uptime_ns(void)
{
	return ripc_port_clock_ns();
}
