/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief ripc_poll: wait on several objects at once.
 *
 * Synchronisation: the poller registers on the wait queue of every item as a waiter *and*
 * as a poller, then loops like any waiter (waitq.h): record each queue's @c seq, check every
 * item, sleep on all @c seq words at once. Any notify of a watched object bumps its @c seq,
 * so a change between the check and the sleep makes the kernel refuse the sleep. Because a
 * poller only looks, a notify wakes every sleeper of a queue while a poller is registered
 * (ripci_waitq_notify), so the poller never swallows the one wake-up a real taker needed.
 *
 * Readiness comes from the objects' public non-blocking queries; nothing is ever taken.
 */
#include <errno.h>

#include <ripc/event.h>
#include <ripc/mbox.h>
#include <ripc/poll.h>
#include <ripc/pool.h>
#include <ripc/sem.h>

#include "core/wait.h"
#include "core/waitq.h"

/* Without futex_waitv the poller sleeps on one queue in slices this long. */
#define RIPC_POLL_SLICE_NS 1000000

static struct ripc_waitq *item_queue(const struct ripc_poll_item *it)
{
	switch (it->kind) {
	case RIPC_POLL_KIND_SEM:
		return &((struct ripc_sem *)it->obj)->wq;
	case RIPC_POLL_KIND_MBOX_GET:
		return &((struct ripc_mbox *)it->obj)->not_empty;
	case RIPC_POLL_KIND_MBOX_PUT:
		return &((struct ripc_mbox *)it->obj)->not_full;
	case RIPC_POLL_KIND_EVENT:
		return &((struct ripc_event *)it->obj)->wq;
	case RIPC_POLL_KIND_POOL:
		return &((struct ripc_pool *)it->obj)->wait;
	default:
		return NULL;
	}
}

static bool item_ok(const struct ripc_poll_item *it)
{
	uint32_t how = it->flags & (RIPC_EVENT_WAIT_ANY | RIPC_EVENT_WAIT_ALL);

	if (it->obj == NULL || item_queue(it) == NULL)
		return false;
	if (it->kind != RIPC_POLL_KIND_EVENT)
		return true;
	return it->bits != 0 && it->flags == how &&
	       (how == RIPC_EVENT_WAIT_ANY || how == RIPC_EVENT_WAIT_ALL);
}

static bool item_ready(const struct ripc_poll_item *it)
{
	uint32_t matched;

	switch (it->kind) {
	case RIPC_POLL_KIND_SEM:
		return ripc_sem_count(it->obj) > 0;
	case RIPC_POLL_KIND_MBOX_GET:
		return ripc_mbox_count(it->obj) > 0;
	case RIPC_POLL_KIND_MBOX_PUT:
		return ripc_mbox_space(it->obj) > 0;
	case RIPC_POLL_KIND_EVENT:
		/* Without RIPC_EVENT_CLEAR this only reads the bits. */
		return ripc_event_wait(it->obj, it->bits, it->flags, &matched, RIPC_NO_WAIT) == 0;
	default:
		return ripc_pool_free_count(it->obj) > 0;
	}
}

/* Mark every item; return how many are ready. */
static int scan(struct ripc_poll_item *items, size_t n)
{
	int ready = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		items[i].ready = item_ready(&items[i]) ? 1u : 0u;
		ready += (int)items[i].ready;
	}
	return ready;
}

static void enlist(struct ripc_poll_item *items, size_t n, int delta)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct ripc_waitq *q = item_queue(&items[i]);

		if (delta > 0) {
			atomic_fetch_add_explicit(&q->waiters, 1, memory_order_seq_cst);
			atomic_fetch_add_explicit(&q->pollers, 1, memory_order_seq_cst);
		} else {
			atomic_fetch_sub_explicit(&q->pollers, 1, memory_order_seq_cst);
			atomic_fetch_sub_explicit(&q->waiters, 1, memory_order_seq_cst);
		}
	}
}

/* Sleep on every queue's seq (or, without futex_waitv, on the first for one slice). */
static int sleep_on_all(struct ripc_poll_item *items, size_t n, const uint32_t *seq,
			int64_t deadline)
{
	ripc_atomic_u32_t *words[RIPC_POLL_MAX];
	int64_t slice;
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		words[i] = &item_queue(&items[i])->seq;
	rc = ripci_wait_any(words, seq, n, deadline);
	if (rc != -ENOSYS)
		return rc;
	slice = ripc_port_clock_ns() + RIPC_POLL_SLICE_NS;
	if (deadline != RIPC_PORT_FOREVER && deadline <= slice)
		return ripci_wait(words[0], seq[0], deadline);
	(void)ripci_wait(words[0], seq[0], slice);
	return 0;
}

static int poll_slow(struct ripc_poll_item *items, size_t n, int64_t deadline)
{
	uint32_t seq[RIPC_POLL_MAX];
	int ready;
	size_t i;

	enlist(items, n, +1);
	for (;;) {
		for (i = 0; i < n; i++)
			seq[i] = atomic_load_explicit(&item_queue(&items[i])->seq,
						      memory_order_seq_cst);
		ready = scan(items, n);
		if (ready > 0)
			break;
		if (sleep_on_all(items, n, seq, deadline) == -ETIMEDOUT) {
			ready = scan(items, n);
			break;
		}
	}
	enlist(items, n, -1);
	return ready > 0 ? ready : -ETIMEDOUT;
}

int ripc_poll(struct ripc_poll_item *items, size_t n, ripc_timeout_t timeout)
{
	size_t i;
	int ready;

	if (items == NULL || n == 0 || n > RIPC_POLL_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!item_ok(&items[i]))
			return -EINVAL;
	ready = scan(items, n);
	if (ready > 0)
		return ready;
	if (ripc_timeout_is_no_wait(timeout))
		return -EAGAIN;
	return poll_slow(items, n, ripci_deadline(timeout));
}
