/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Event signals: 32 bits with wait-any/wait-all and clear-on-return.
 *
 * Synchronisation: the bit word is changed only by atomic read-modify-write (fetch-or for
 * post, exchange for set, fetch-and for clear, compare-and-swap for clear-on-return), all
 * sequentially consistent, as the wait queue protocol requires of a state change that
 * precedes a notify (core/waitq.h). Waiters sleep on the wait queue, not on the bit word.
 *
 * A post or set wakes every sleeper, because one new bit can satisfy any number of them.
 * It enters the kernel only when a bit went from clear to set: a wait condition depends
 * monotonically on the bits (more bits never make it false), so a change that sets no new
 * bit cannot satisfy a waiter that was not satisfied before, and clearing never needs a
 * wake-up at all.
 *
 * Clear-on-return is a compare-and-swap from the word the waiter judged to that word minus
 * the bits that satisfied it. If another waiter consumed a bit first, the swap fails, the
 * waiter judges the new word, and either takes what is left or waits again: a post of a bit
 * is consumed at most once, and a waiter clears only bits it asked for.
 */
#include <errno.h>

#include <ripc/event.h>

#include "core/check.h"
#include "core/wait.h"
#include "core/waitq.h"

#define WAIT_MODES  (RIPC_EVENT_WAIT_ANY | RIPC_EVENT_WAIT_ALL)
#define KNOWN_FLAGS (WAIT_MODES | RIPC_EVENT_CLEAR)

/* One wait in progress: what it wants, and what it found. */
struct event_waiter {
	struct ripc_event *ev;
	uint32_t want;
	uint32_t flags;
	uint32_t seen;    /* word at the last unsatisfied attempt: the spin waits for a change */
	uint32_t matched; /* bits that satisfied the wait */
};

static bool event_ok(const struct ripc_event *ev)
{
	return !RIPCI_ARG_CHECKS || ev != NULL;
}

static bool wait_args_ok(uint32_t want, uint32_t flags)
{
	uint32_t mode = flags & WAIT_MODES;

	return want != 0 && (flags & ~KNOWN_FLAGS) == 0 &&
	       (mode == RIPC_EVENT_WAIT_ANY || mode == RIPC_EVENT_WAIT_ALL);
}

int ripc_event_init(struct ripc_event *ev)
{
	if (ev == NULL)
		return -EINVAL;
	/* The very value RIPC_EVENT_DEFINE gives, whatever fields the wait queue has. */
	*ev = (struct ripc_event)RIPC_EVENT_INITIALIZER_;
	return 0;
}

/* Wake everybody, but only when some bit went from clear to set (see the file comment). */
static void notify_if_new_bits(struct ripc_event *ev, uint32_t old, uint32_t now)
{
	if ((now & ~old) != 0)
		ripci_waitq_notify(&ev->wq, UINT32_MAX);
}

int ripc_event_post(struct ripc_event *ev, uint32_t bits)
{
	uint32_t old;

	if (!event_ok(ev) || bits == 0)
		return -EINVAL;
	old = atomic_fetch_or_explicit(&ev->bits, bits, memory_order_seq_cst);
	notify_if_new_bits(ev, old, old | bits);
	return 0;
}

int ripc_event_set(struct ripc_event *ev, uint32_t bits)
{
	uint32_t old;

	if (!event_ok(ev))
		return -EINVAL;
	old = atomic_exchange_explicit(&ev->bits, bits, memory_order_seq_cst);
	notify_if_new_bits(ev, old, bits);
	return 0;
}

int ripc_event_clear(struct ripc_event *ev, uint32_t bits)
{
	if (!event_ok(ev) || bits == 0)
		return -EINVAL;
	(void)atomic_fetch_and_explicit(&ev->bits, ~bits, memory_order_seq_cst);
	return 0;
}

uint32_t ripc_event_get(const struct ripc_event *ev)
{
	if (ev == NULL)
		return 0;
	/* The word is only read; the cast drops const for the C11 atomic load. */
	return atomic_load_explicit((ripc_atomic_u32_t *)&ev->bits, memory_order_seq_cst);
}

/* The bits of @p word that satisfy the wait, or 0 when it is not satisfied. */
static uint32_t satisfying_bits(const struct event_waiter *w, uint32_t word)
{
	uint32_t hit = word & w->want;

	if ((w->flags & RIPC_EVENT_WAIT_ALL) != 0 && hit != w->want)
		return 0;
	return hit;
}

/* One attempt (ripci_try_fn): 0 when satisfied (and, with CLEAR, the bits consumed). */
static int try_wait(void *arg)
{
	struct event_waiter *w = arg;
	uint32_t word = atomic_load_explicit(&w->ev->bits, memory_order_seq_cst);

	for (;;) {
		uint32_t hit = satisfying_bits(w, word);

		if (hit == 0) {
			w->seen = word;
			return -EAGAIN;
		}
		/* A failed swap reloads @c word: judge the new value from scratch. */
		if ((w->flags & RIPC_EVENT_CLEAR) == 0 ||
		    atomic_compare_exchange_weak_explicit(&w->ev->bits, &word, word & ~hit,
							  memory_order_seq_cst,
							  memory_order_seq_cst)) {
			w->matched = hit;
			return 0;
		}
	}
}

int ripc_event_wait(struct ripc_event *ev, uint32_t bits, uint32_t flags, uint32_t *matched,
		    ripc_timeout_t timeout)
{
	struct event_waiter w = {.ev = ev, .want = bits, .flags = flags};
	int rc;

	if (!event_ok(ev) || !wait_args_ok(bits, flags))
		rc = -EINVAL;
	else
		rc = try_wait(&w);
	if (rc == -EAGAIN && !ripc_timeout_is_no_wait(timeout))
		rc = ripci_waitq_wait(&ev->wq, try_wait, &w, &ev->bits, w.seen,
				      ripci_deadline(timeout));
	if (matched != NULL)
		*matched = rc == 0 ? w.matched : 0;
	return rc;
}
