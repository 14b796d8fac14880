/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Counting semaphore with a limit.
 *
 * Synchronisation: @c count is changed only by compare-and-swap. Takers that must wait
 * sleep on the semaphore's wait queue (core/waitq.h), whose handshake guarantees that a
 * give landing between a taker's check and its sleep is never lost; a give enters the
 * kernel only when the queue has registered sleepers. ripc_sem_reset bumps @c epoch, so a
 * taker that started before it returns -ECANCELED instead of taking a later count.
 */
#include <errno.h>

#include <ripc/sem.h>

#include "core/check.h"
#include "core/wait.h"
#include "core/waitq.h"

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
	atomic_init(&sem->wq.seq, 0);
	atomic_init(&sem->wq.waiters, 0);
	atomic_init(&sem->wq.pollers, 0);
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

struct take_attempt {
	struct ripc_sem *sem;
	uint32_t epoch; /* read before the first attempt: a later reset cancels this take */
};

static int try_take_op(void *arg)
{
	struct take_attempt *t = arg;

	if (atomic_load_explicit(&t->sem->epoch, memory_order_seq_cst) != t->epoch)
		return -ECANCELED;
	return try_take(t->sem) ? 0 : -EAGAIN;
}

int ripc_sem_take(struct ripc_sem *sem, ripc_timeout_t timeout)
{
	struct take_attempt t = {.sem = sem};

	if (!sem_ok(sem))
		return -EINVAL;
	/* The epoch is read before the first attempt: a reset after this point cancels us. */
	t.epoch = atomic_load_explicit(&sem->epoch, memory_order_seq_cst);
	if (try_take(sem))
		return 0;
	if (ripc_timeout_is_no_wait(timeout))
		return -EAGAIN;
	return ripci_waitq_wait(&sem->wq, try_take_op, &t, &sem->count, 0, ripci_deadline(timeout));
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
	ripci_waitq_notify(&sem->wq, 1);
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
	ripci_waitq_notify(&sem->wq, UINT32_MAX);
	return 0;
}
