/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Counting semaphores with a limit, between threads and processes.
 *
 * A semaphore is a count between 0 and a limit. Taking it decrements the count or waits
 * until a give makes it positive; giving increments it and wakes one waiter. Take and give
 * on an uncontended semaphore are one atomic instruction each and never enter the kernel;
 * a give makes a system call only when a taker sleeps.
 *
 * A semaphore placed in memory that several processes map (MAP_SHARED, or a ripc domain)
 * works between those processes with the same calls.
 */
#ifndef RIPC_SEM_H
#define RIPC_SEM_H

#include <ripc/common.h>
#include <ripc/timeout.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Largest limit a semaphore accepts. */
#define RIPC_SEM_MAX_LIMIT 0x7fffffffu

/**
 * @brief A counting semaphore. Fields are private; use RIPC_SEM_DEFINE or ripc_sem_init.
 *
 * 24 bytes, the same layout for 32- and 64-bit processes.
 */
struct ripc_sem {
	ripc_atomic_u32_t count; /**< Current count. */
	struct ripc_waitq wq;    /**< Where takers sleep until a give or a reset. */
	ripc_atomic_u32_t epoch; /**< Bumped by ripc_sem_reset; a sleeper that sees it change
				    returns -ECANCELED. */
	uint32_t limit;          /**< Highest count; 0 marks an uninitialised semaphore. */
};

/** @cond INTERNAL */
#define RIPC_SEM_INITIALIZER_(initial, lim)                                                   \
	{                                                                                     \
		.count = (initial), .wq = RIPC_WAITQ_INITIALIZER_, .epoch = 0, .limit = (lim) \
	}
/** @endcond */

/**
 * @brief Define and initialise a semaphore at build time.
 * @param name Name of the `struct ripc_sem` variable.
 * @param initial Initial count, at most @p limit.
 * @param limit Highest count, 1 .. RIPC_SEM_MAX_LIMIT.
 *
 * Arguments are checked at compile time. Prefix with `static` for file scope.
 */
#define RIPC_SEM_DEFINE(name, initial, limit)                                      \
	struct ripc_sem name = RIPC_SEM_INITIALIZER_(initial, limit);              \
	_Static_assert((limit) >= 1 && (limit) <= RIPC_SEM_MAX_LIMIT,              \
		       "ripc sem " #name ": limit must be 1..RIPC_SEM_MAX_LIMIT"); \
	_Static_assert((initial) <= (limit), "ripc sem " #name ": initial count above limit")

/**
 * @brief Initialise a semaphore in caller-provided storage.
 * @param sem Semaphore storage (process-local or shared memory).
 * @param initial Initial count, at most @p limit.
 * @param limit Highest count, 1 .. RIPC_SEM_MAX_LIMIT.
 * @retval 0 Initialised.
 * @retval -EINVAL @p sem is NULL, @p limit is 0 or above RIPC_SEM_MAX_LIMIT, or
 *         @p initial is above @p limit; the storage is left untouched.
 *
 * Context: thread or process; must not race with other calls on the same semaphore.
 */
int ripc_sem_init(struct ripc_sem *sem, uint32_t initial, uint32_t limit);

/**
 * @brief Take the semaphore: decrement its count, waiting while it is 0.
 * @param sem Semaphore.
 * @param timeout How long to wait for a positive count.
 * @retval 0 Taken.
 * @retval -EINVAL @p sem is NULL or not initialised.
 * @retval -EAGAIN The count was 0 and @p timeout is RIPC_NO_WAIT.
 * @retval -ETIMEDOUT The count stayed 0 until the deadline.
 * @retval -ECANCELED ripc_sem_reset ran while this call waited.
 *
 * Waiters are woken in the order the kernel queued them (FIFO within a priority).
 * Context: thread or process; may block until @p timeout. Not for signal handlers.
 */
int ripc_sem_take(struct ripc_sem *sem, ripc_timeout_t timeout);

/**
 * @brief Give the semaphore: increment its count and wake one waiter.
 * @param sem Semaphore.
 * @retval 0 Given.
 * @retval -EINVAL @p sem is NULL or not initialised.
 * @retval -EOVERFLOW The count is already at the limit; it is left unchanged.
 *
 * Context: any, including signal handlers (async-signal-safe); never blocks.
 */
int ripc_sem_give(struct ripc_sem *sem);

/**
 * @brief Read the current count.
 * @param sem Semaphore.
 * @return The count, or 0 when @p sem is NULL. The value may be stale on return.
 *
 * Context: any, including signal handlers.
 */
uint32_t ripc_sem_count(const struct ripc_sem *sem);

/**
 * @brief Reset the count to 0 and cancel every waiter.
 * @param sem Semaphore.
 * @retval 0 Reset; every call waiting in ripc_sem_take returns -ECANCELED.
 * @retval -EINVAL @p sem is NULL or not initialised.
 *
 * A take that starts after the reset waits normally. A take that races the reset (it has
 * just checked for one and not yet looked at the count) may instead succeed, if a count is
 * given right after the reset.
 * Context: any, including signal handlers (async-signal-safe); never blocks.
 */
int ripc_sem_reset(struct ripc_sem *sem);

#ifdef __cplusplus
}
#endif

#endif /* RIPC_SEM_H */
