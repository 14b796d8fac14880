/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Deadlines, bounded spinning and counted futex calls shared by every object.
 *
 * Every blocking call turns its timeout into one absolute deadline on entry and passes
 * that deadline to each wait it makes, so retries never extend it. Every system call the
 * objects make goes through these wrappers, which count it (CONFIG_RIPC_STATS).
 */
#ifndef RIPC_CORE_WAIT_H
#define RIPC_CORE_WAIT_H

#include <ripc/common.h>
#include <ripc/timeout.h>

#include "port/port.h"

/** Absolute CLOCK_MONOTONIC deadline of @p t; RIPC_PORT_FOREVER for RIPC_FOREVER. */
int64_t ripci_deadline(ripc_timeout_t t);

/**
 * Poll @p word for up to CONFIG_RIPC_SPIN_ITERATIONS rounds while it equals @p value.
 * @return true once it differs, false if it still equals @p value after the budget.
 */
bool ripci_spin_while_equal(ripc_atomic_u32_t *word, uint32_t value);

/**
 * Sleep while `*word == expected`, until @p deadline (see ripc_port_futex_wait). The caller
 * re-checks its condition after every return and, to wait on, calls again with the same
 * deadline, so retries never extend it.
 * @retval 0 Woken, changed, interrupted, or the port failed to sleep before the deadline:
 *         re-check the condition.
 * @retval -ETIMEDOUT The deadline passed.
 */
int ripci_wait(ripc_atomic_u32_t *word, uint32_t expected, int64_t deadline);

/**
 * Sleep until any of @p n words differs from @p expected or is woken, or @p deadline.
 * @retval 0 Re-check. @retval -ETIMEDOUT Deadline passed.
 * @retval -ENOSYS The OS cannot wait on several words; nothing was waited for.
 */
int ripci_wait_any(ripc_atomic_u32_t *const *words, const uint32_t *expected, size_t n,
		   int64_t deadline);

/** Wake up to @p count sleepers of @p word. Async-signal-safe. */
void ripci_wake(ripc_atomic_u32_t *word, uint32_t count);

/** Count one PI futex system call. */
void ripci_stats_pi_call(void);

#endif /* RIPC_CORE_WAIT_H */
