/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Sleep on several futex words at once: futex_waitv (POSIX port, Linux 5.16+).
 *
 * The waiter is queued on every word; a FUTEX_WAKE on any of them, or a change of any value
 * before the sleep, ends it. The timeout is an absolute CLOCK_MONOTONIC time in a 64-bit
 * kernel timespec on every architecture. The waiters are not private (shared memory).
 */
#define _GNU_SOURCE /* syscall(), gettid and Linux-specific declarations */
#include <stdatomic.h>
#include <time.h>

#include "port/port.h"
#include "port/posix/posix_sys.h"

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449 /* the same number on every architecture */
#endif

#define RIPC_FUTEX_32 2u /* FUTEX2_SIZE_U32, not private */

/* struct futex_waitv of the kernel ABI. */
struct ripc_futex_waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

struct ripc_kts64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* Set once the kernel answered ENOSYS: later calls do not try again. */
static atomic_int ripc_waitv_missing;

int ripc_port_futex_wait_any(ripc_atomic_u32_t *const *words, const uint32_t *expected, size_t n,
			     int64_t deadline_ns)
{
	struct ripc_futex_waitv w[RIPC_PORT_WAIT_ANY_MAX];
	struct ripc_kts64 ts;
	long r;
	size_t i;

	if (n == 0 || n > RIPC_PORT_WAIT_ANY_MAX)
		return -EINVAL;
	if (atomic_load_explicit(&ripc_waitv_missing, memory_order_relaxed))
		return -ENOSYS;
	for (i = 0; i < n; i++) {
		w[i].val = expected[i];
		w[i].uaddr = (uint64_t)(uintptr_t)words[i];
		w[i].flags = RIPC_FUTEX_32;
		w[i].reserved = 0;
	}
	if (deadline_ns < 0)
		deadline_ns = 0;
	ts.tv_sec = deadline_ns / 1000000000;
	ts.tv_nsec = deadline_ns % 1000000000;
	r = ripc_posix_syscall(SYS_futex_waitv, (long)w, (long)n, 0,
			       deadline_ns == RIPC_PORT_FOREVER ? 0 : (long)&ts, CLOCK_MONOTONIC,
			       0);
	if (r == -ENOSYS) {
		atomic_store_explicit(&ripc_waitv_missing, 1, memory_order_relaxed);
		return -ENOSYS;
	}
	if (r == -ETIMEDOUT)
		return -ETIMEDOUT;
	/* >= 0: index of the woken word; -EAGAIN: a value differed; -EINTR: a signal. */
	return r >= 0 || r == -EAGAIN || r == -EINTR ? 0 : (int)r;
}
