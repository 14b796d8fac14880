/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Futex wait and wake on a 32-bit word (POSIX port, Linux).
 *
 * Waits use FUTEX_WAIT_BITSET, whose timeout is an absolute CLOCK_MONOTONIC time: a wait that
 * is interrupted and retried keeps the caller's deadline instead of restarting a relative
 * one. Futexes are never "private", because the word may sit in memory shared by processes.
 *
 * 32-bit pitfall: musl >= 1.2 has a 64-bit time_t on 32-bit Arm, but SYS_futex there still
 * takes the old 32-bit timespec, so a timed wait through it returns at once or sleeps for
 * ever. On 32-bit targets the timed calls go through SYS_futex_time64 with an explicit
 * 64-bit kernel timespec. SYS_futex with a 32-bit timespec remains the fallback where the
 * time64 call is refused: ENOSYS from kernels older than 5.1, EPERM from seccomp filters
 * written before the time64 calls existed (older container runtimes).
 */
#define _GNU_SOURCE /* syscall(), gettid and Linux-specific declarations */
#include <limits.h>
#include <stdatomic.h>

#include "port/port.h"
#include "port/posix/posix_futex.h"
#include "port/posix/posix_sys.h"

/* The kernel's timespec layouts, independent of the C library's time_t. */
struct ripc_kts64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct ripc_ktslong {
	long tv_sec;
	long tv_nsec;
};

#if defined(SYS_futex_time64) && ULONG_MAX == 0xffffffffUL
#define RIPC_FUTEX_TIME64 1
#else
#define RIPC_FUTEX_TIME64 0
#define SYS_futex_time64  SYS_futex
#endif

/* Set once SYS_futex_time64 was refused and the 32-bit call worked instead. */
static atomic_int ripc_futex_time64_missing;

/*
 * SYS_futex with the kernel's `long` timespec. Where long is 32 bits, seconds beyond 2^31
 * (68 years of uptime: "never") are clamped; truncated, they would wrap into the past and
 * turn a wait for ever into an immediate timeout.
 */
static long futex_long_ts(void *uaddr, int op, uint32_t val, int64_t ns, uint32_t val3)
{
	int64_t sec = ns / 1000000000;
	struct ripc_ktslong ts;

	ts.tv_sec = sec > LONG_MAX ? LONG_MAX : (long)sec;
	ts.tv_nsec = (long)(ns % 1000000000);
	return ripc_posix_syscall(SYS_futex, (long)uaddr, op, (long)val, (long)&ts, 0, (long)val3);
}

static bool time64_refused(long r)
{
	return r == -ENOSYS || r == -EPERM;
}

long ripc_posix_futex_timed(void *uaddr, int op, uint32_t val, int64_t ns, uint32_t val3)
{
	struct ripc_kts64 ts = {.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
	long r;

	if (!RIPC_FUTEX_TIME64 ||
	    atomic_load_explicit(&ripc_futex_time64_missing, memory_order_relaxed))
		return futex_long_ts(uaddr, op, val, ns, val3);
	r = ripc_posix_syscall(SYS_futex_time64, (long)uaddr, op, (long)val, (long)&ts, 0,
			       (long)val3);
	if (!time64_refused(r))
		return r;
	/* Switch for good only once the old call proves to work: a genuine EPERM (a PI word
	 * the caller may not attach to) gets the same answer from both. */
	r = futex_long_ts(uaddr, op, val, ns, val3);
	if (!time64_refused(r))
		atomic_store_explicit(&ripc_futex_time64_missing, 1, memory_order_relaxed);
	return r;
}

long ripc_posix_futex(void *uaddr, int op, uint32_t val, uint32_t val3)
{
	return ripc_posix_syscall(SYS_futex, (long)uaddr, op, (long)val, 0, 0, (long)val3);
}

int ripc_port_futex_wait(ripc_atomic_u32_t *word, uint32_t expected, int64_t deadline_ns)
{
	long r;

	if (deadline_ns == RIPC_PORT_FOREVER)
		r = ripc_posix_futex(word, RIPC_FUTEX_WAIT_BITSET, expected, RIPC_FUTEX_BITSET_ANY);
	else
		r = ripc_posix_futex_timed(word, RIPC_FUTEX_WAIT_BITSET, expected,
					   deadline_ns < 0 ? 0 : deadline_ns,
					   RIPC_FUTEX_BITSET_ANY);
	if (r == -EWOULDBLOCK)
		return -EAGAIN;
	return r < 0 ? (int)r : 0;
}

int ripc_port_futex_wake(ripc_atomic_u32_t *word, uint32_t count)
{
	uint32_t n = count > INT_MAX ? INT_MAX : count;

	return (int)ripc_posix_futex(word, RIPC_FUTEX_WAKE, n, 0);
}
