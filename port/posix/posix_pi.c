/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Priority-inheriting lock words: the Linux PI futex (POSIX port).
 *
 * The kernel owns the protocol once a PI word is contended: it queues waiters by priority,
 * boosts the owner, and hands the lock over on FUTEX_UNLOCK_PI. FUTEX_LOCK_PI2 (Linux 5.14)
 * takes an absolute CLOCK_MONOTONIC deadline like every other ripc wait; older kernels only
 * have FUTEX_LOCK_PI, whose deadline is CLOCK_REALTIME, so the monotonic deadline is
 * translated once per call there (a wall-clock step during that wait shifts it; nothing
 * better exists on those kernels).
 */
#define _GNU_SOURCE /* syscall(), gettid and Linux-specific declarations */
#include <stdatomic.h>
#include <time.h>

#include "port/port.h"
#include "port/posix/posix_futex.h"
#include "port/posix/posix_sys.h"

/* 0: not probed yet, 1: supported, -1: missing (ENOSYS, e.g. under qemu-user). */
static atomic_int ripc_pi_state;
/* Set once the kernel answered ENOSYS to FUTEX_LOCK_PI2. */
static atomic_int ripc_pi2_missing;

bool ripc_port_pi_supported(void)
{
	int s = atomic_load_explicit(&ripc_pi_state, memory_order_relaxed);
	uint32_t probe = 0;

	if (s != 0)
		return s > 0;
	/* Unlocking a free word we do not own: EPERM where PI futexes exist. */
	s = ripc_posix_futex(&probe, RIPC_FUTEX_UNLOCK_PI, 0, 0) == -ENOSYS ? -1 : 1;
	atomic_store_explicit(&ripc_pi_state, s, memory_order_relaxed);
	return s > 0;
}

static int64_t realtime_deadline(int64_t mono_deadline_ns)
{
	struct timespec rt;
	int64_t left = mono_deadline_ns - ripc_port_clock_ns();

	(void)clock_gettime(CLOCK_REALTIME, &rt);
	return (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec + (left > 0 ? left : 0);
}

static long lock_pi_legacy(ripc_atomic_u32_t *word, int64_t deadline_ns)
{
	if (deadline_ns == RIPC_PORT_FOREVER)
		return ripc_posix_futex(word, RIPC_FUTEX_LOCK_PI, 0, 0);
	return ripc_posix_futex_timed(word, RIPC_FUTEX_LOCK_PI, 0, realtime_deadline(deadline_ns),
				      0);
}

int ripc_port_pi_lock(ripc_atomic_u32_t *word, int64_t deadline_ns)
{
	long r;

	if (atomic_load_explicit(&ripc_pi2_missing, memory_order_relaxed))
		return (int)lock_pi_legacy(word, deadline_ns);
	if (deadline_ns == RIPC_PORT_FOREVER)
		r = ripc_posix_futex(word, RIPC_FUTEX_LOCK_PI2, 0, 0);
	else
		r = ripc_posix_futex_timed(word, RIPC_FUTEX_LOCK_PI2, 0,
					   deadline_ns < 0 ? 0 : deadline_ns, 0);
	if (r != -ENOSYS)
		return r == -EWOULDBLOCK ? -EAGAIN : (int)r;
	atomic_store_explicit(&ripc_pi2_missing, 1, memory_order_relaxed);
	r = lock_pi_legacy(word, deadline_ns);
	return r == -EWOULDBLOCK ? -EAGAIN : (int)r;
}

int ripc_port_pi_trylock(ripc_atomic_u32_t *word)
{
	long r = ripc_posix_futex(word, RIPC_FUTEX_TRYLOCK_PI, 0, 0);

	return r == -EWOULDBLOCK ? -EAGAIN : (int)r;
}

int ripc_port_pi_unlock(ripc_atomic_u32_t *word)
{
	return (int)ripc_posix_futex(word, RIPC_FUTEX_UNLOCK_PI, 0, 0);
}
