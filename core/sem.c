/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Counting semaphore with a limit.
 *
 * Synchronisation: @c count is changed only by compare-and-swap. Sleepers do not sleep on
 * the count but on @c seq, a word that every give bumps before it wakes someone; a sleeper
 * reads @c seq *before* it re-checks the count, so a give that lands in between changes
 * @c seq and the kernel refuses the sleep (no lost wake-up). A give enters the kernel only
 * when @c waiters says a taker may sleep. The protocol needs a single total order over
 * "waiters++, read seq, read count" and "count++, read waiters, seq++", hence the
 * sequentially consistent operations on the slow paths.
 *
 * A sleeper that leaves without taking (timeout, reset) may have absorbed a wake meant for
 * the count that is still there; it passes the wake on, so no other sleeper is stranded.
 */
#include <errno.h>

#include <ripc/sem.h>

#include "core/check.h"
#include "core/wait.h"

static bool sem_ok(const struct ripc_sem *sem)
{
	if (!RIPCI_ARG_CHECKS)
		return true;
	return sem != NULL && sem->limit != 0 && sem->limit <= RIPC_SEM_MAX_LIMIT;
}

int ripc_sem_init(struct ripc_sem *sem, uint32_t initial, uint32_t limit)
{
	if (sem == NULL || limit == 0 || limit > RIPC_SEM_MAX_LIMIT || initial > limit)
		return -EINVAL;
	atomic_init(&sem->count, initial);
	atomic_init(&sem->seq, 0);
	atomic_init(&sem->waiters, 0);
	atomic_init(&sem->epoch, 0);
	sem->limit = limit;
	return 0;
}

/* Decrement a positive count; false when it is 0. */
static bool try_take(struct ripc_sem *sem)
{
	uint32_t c = atomic_load_explicit(&sem->count, memory_order_seq_cst);

	while (c > 0) {
		if (atomic_compare_exchange_weak_explicit(
			    &sem->count, &c, c - 1, memory_order_seq_cst, memory_order_seq_cst))
			return true;
	}
	return false;
}

/* A sleeper leaving without the count may have absorbed the wake of a give: hand it on. */
static void pass_wake_on(struct ripc_sem *sem)
{
	if (atomic_load_explicit(&sem->count, memory_order_seq_cst) > 0 &&
	    atomic_load_explicit(&sem->waiters, memory_order_seq_cst) > 1)
		ripci_wake(&sem->seq, 1);
}

static int take_slow(struct ripc_sem *sem, uint32_t epoch, int64_t deadline)
{
	int rc;

	if (ripci_spin_while_equal(&sem->count, 0) && try_take(sem))
		return 0;
	atomic_fetch_add_explicit(&sem->waiters, 1, memory_order_seq_cst);
	for (;;) {
		uint32_t seq = atomic_load_explicit(&sem->seq, memory_order_seq_cst);

		if (atomic_load_explicit(&sem->epoch, memory_order_seq_cst) != epoch) {
			rc = -ECANCELED;
			break;
		}
		if (try_take(sem)) {
			rc = 0;
			break;
		}
		if (ripci_wait(&sem->seq, seq, deadline) == -ETIMEDOUT) {
			/* A give may have raced the deadline: a count is still a success. */
			rc = try_take(sem) ? 0 : -ETIMEDOUT;
			break;
		}
	}
	if (rc != 0)
		pass_wake_on(sem);
	atomic_fetch_sub_explicit(&sem->waiters, 1, memory_order_seq_cst);
	return rc;
}

int ripc_sem_take(struct ripc_sem *sem, ripc_timeout_t timeout)
{
	uint32_t epoch;

	if (!sem_ok(sem))
		return -EINVAL;
	/* The epoch is read before the first attempt: a reset after this point cancels us. */
	epoch = atomic_load_explicit(&sem->epoch, memory_order_seq_cst);
	if (try_take(sem))
		return 0;
	if (ripc_timeout_is_no_wait(timeout))
		return -EAGAIN;
	return take_slow(sem, epoch, ripci_deadline(timeout));
}

int ripc_sem_give(struct ripc_sem *sem)
{
	uint32_t c;

	if (!sem_ok(sem))
		return -EINVAL;
	c = atomic_load_explicit(&sem->count, memory_order_relaxed);
	do {
		if (c >= sem->limit)
			return -EOVERFLOW;
	} while (!atomic_compare_exchange_weak_explicit(
		&sem->count, &c, c + 1, memory_order_seq_cst, memory_order_relaxed));
	if (atomic_load_explicit(&sem->waiters, memory_order_seq_cst) > 0) {
		atomic_fetch_add_explicit(&sem->seq, 1, memory_order_seq_cst);
		ripci_wake(&sem->seq, 1);
	}
	return 0;
}

uint32_t ripc_sem_count(const struct ripc_sem *sem)
{
	if (sem == NULL)
		return 0;
	/* The count is only read; the cast drops const for the C11 atomic load. */
	return atomic_load_explicit((ripc_atomic_u32_t *)&sem->count, memory_order_relaxed);
}

int ripc_sem_reset(struct ripc_sem *sem)
{
	if (!sem_ok(sem))
		return -EINVAL;
	atomic_fetch_add_explicit(&sem->epoch, 1, memory_order_seq_cst);
	atomic_store_explicit(&sem->count, 0, memory_order_seq_cst);
	atomic_fetch_add_explicit(&sem->seq, 1, memory_order_seq_cst);
	if (atomic_load_explicit(&sem->waiters, memory_order_seq_cst) > 0)
		ripci_wake(&sem->seq, UINT32_MAX);
	return 0;
}
