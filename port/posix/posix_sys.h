/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Raw Linux system calls shared by the POSIX port files (private to port/posix/).
 *
 * musl's cross wrappers do not see <linux/futex.h>, so the few futex constants are spelled
 * out here; their values are fixed by the kernel ABI.
 */
#ifndef RIPC_POSIX_SYS_H
#define RIPC_POSIX_SYS_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RIPC_FUTEX_WAKE        1
#define RIPC_FUTEX_LOCK_PI     6
#define RIPC_FUTEX_UNLOCK_PI   7
#define RIPC_FUTEX_TRYLOCK_PI  8
#define RIPC_FUTEX_WAIT_BITSET 9
#define RIPC_FUTEX_LOCK_PI2    13
#define RIPC_FUTEX_BITSET_ANY  0xffffffffu

/**
 * Issue a system call and return its result as the kernel does: >= 0, or -errno. errno
 * itself is left as the caller had it (the library never changes errno), which also keeps
 * the call async-signal-safe.
 */
static inline long ripc_posix_syscall(long nr, long a, long b, long c, long d, long e, long f)
{
	int saved = errno;
	long r = syscall(nr, a, b, c, d, e, f);

	if (r == -1)
		r = -errno;
	errno = saved;
	return r;
}

#endif /* RIPC_POSIX_SYS_H */
