/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The sleep/wake handshake every blocking object uses (struct ripc_waitq).
 *
 * A waiter registers (waiters++), then loops: read @c seq, try its operation, sleep on
 * @c seq. A notifier first makes its change visible, then, only if @c waiters is non-zero,
 * bumps @c seq and wakes. Because the waiter reads @c seq *before* it tries, a change that
 * lands between the try and the sleep also bumps @c seq and the kernel refuses the sleep:
 * no wake-up is lost. (A bare "is anybody asleep" flag without the recorded value loses
 * wake-ups.) The two sides need one total order over their accesses, hence seq_cst on the
 * registration, the @c seq reads and the notifier's check; the object's own state change
 * must be seq_cst (or followed by a seq_cst fence) too.
 *
 * A waiter that leaves without success may have absorbed a wake meant for a state it no
 * longer wants; it passes one wake on, so other sleepers are never stranded. Pollers
 * (ripc_poll) only look and never take; while one is registered a notify wakes everybody.
 */
#ifndef RIPC_CORE_WAITQ_H
#define RIPC_CORE_WAITQ_H

#include <ripc/common.h>

/**
 * The operation a waiter retries: 0 when done, -EAGAIN when it must wait, any other
 * negative errno to stop waiting with that error.
 */
typedef int (*ripci_try_fn)(void *arg);

/**
 * Retry @p try_op(@p arg) until it succeeds, fails, or @p deadline passes, sleeping on @p q
 * between attempts. Before the first sleep it spins (CONFIG_RIPC_SPIN_ITERATIONS) while
 * `*spin_word == spin_value`, if @p spin_word is not NULL.
 *
 * @return What try_op returned last, or -ETIMEDOUT. At the deadline try_op gets one last
 *         attempt, so a state change that raced the deadline is still a success.
 */
int ripci_waitq_wait(struct ripc_waitq *q, ripci_try_fn try_op, void *arg,
		     ripc_atomic_u32_t *spin_word, uint32_t spin_value, int64_t deadline);

/**
 * Wake up to @p count sleepers of @p q if any is registered; costs one atomic load when
 * none is. Call after the state change is visible (seq_cst). Async-signal-safe.
 */
void ripci_waitq_notify(struct ripc_waitq *q, uint32_t count);

/** True when some thread is registered as waiting on @p q. */
bool ripci_waitq_has_waiters(struct ripc_waitq *q);

#endif /* RIPC_CORE_WAITQ_H */
