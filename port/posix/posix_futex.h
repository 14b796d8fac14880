/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Raw futex calls shared by the futex and PI files of the POSIX port (private).
 */
#ifndef RIPC_POSIX_FUTEX_H
#define RIPC_POSIX_FUTEX_H

#include <stdint.h>

/** futex(uaddr, op, val, NULL, NULL, val3); returns >= 0 or -errno. */
long ripc_posix_futex(void *uaddr, int op, uint32_t val, uint32_t val3);

/**
 * futex(uaddr, op, val, &ts, NULL, val3) with @p ns nanoseconds as the kernel timespec,
 * through SYS_futex_time64 where time_t and long differ in width; returns >= 0 or -errno.
 */
long ripc_posix_futex_timed(void *uaddr, int op, uint32_t val, int64_t ns, uint32_t val3);

#endif /* RIPC_POSIX_FUTEX_H */
