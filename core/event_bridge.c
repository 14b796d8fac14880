/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief POSIX signal bridge: a signal posts event bits (CONFIG_RIPC_EVENT_SIGNAL_BRIDGE).
 *
 * A fixed table of CONFIG_RIPC_EVENT_SIGNAL_SLOTS slots maps a signal number to an event
 * and bits; the port (ripc_port_signal_hook) runs bridge_handler with the slot when the
 * signal arrives, and the handler posts, which is async-signal-safe. The table is per
 * process, like signal dispositions; the event may sit in shared memory.
 *
 * Synchronisation: bridge and unbridge calls are serialised by a small futex lock and never
 * run inside a handler. Handlers take no lock; they read the slot with seq_cst loads and
 * act only while the slot still carries their signal number. A slot is filled before its
 * number is published and cleared after its number is withdrawn, and an unbridge withdraws
 * the number, then waits until no handler is running before it forgets the event. The
 * handler counts itself in before it reads the number, so either it sees the number gone
 * or the unbridge sees it running (one total order): once an unbridge returns, no handler
 * touches that event again.
 */
#include <errno.h>

#include <ripc/event.h>

#include "core/check.h"
#include "core/wait.h"
#include "core/waitq.h"

struct bridge_slot {
	_Atomic(struct ripc_event *) ev; /* where the signal posts */
	ripc_atomic_u32_t bits;          /* what it posts */
	_Atomic int signo;               /* 0 marks a free slot; no signal number is <= 0 */
};

static struct bridge_slot bridge_slots[CONFIG_RIPC_EVENT_SIGNAL_SLOTS];

/* Bridge handlers between entry and exit, in any thread of this process. */
static ripc_atomic_u32_t bridge_running;
/* Non-zero while an unbridge waits for bridge_running to reach 0 (it sleeps on that word). */
static ripc_atomic_u32_t bridge_draining;

/* The lock that serialises bridge and unbridge calls: 0 free, 1 held. */
static ripc_atomic_u32_t bridge_lock_word;
static struct ripc_waitq bridge_lock_q = RIPC_WAITQ_INITIALIZER_;

static int try_lock(void *arg)
{
	uint32_t free_word = 0;

	(void)arg;
	if (atomic_compare_exchange_strong_explicit(&bridge_lock_word, &free_word, 1,
						    memory_order_seq_cst, memory_order_seq_cst))
		return 0;
	return -EAGAIN;
}

static void bridge_lock(void)
{
	/* Sleeps after the usual short spin: a holder preempted by a waiter must get to run. */
	if (try_lock(NULL) != 0)
		(void)ripci_waitq_wait(&bridge_lock_q, try_lock, NULL, &bridge_lock_word, 1,
				       RIPC_PORT_FOREVER);
}

static void bridge_unlock(void)
{
	atomic_store_explicit(&bridge_lock_word, 0, memory_order_seq_cst);
	ripci_waitq_notify(&bridge_lock_q, 1);
}

static void bridge_handler(int signo, void *arg)
{
	struct bridge_slot *s = arg;

	atomic_fetch_add_explicit(&bridge_running, 1, memory_order_seq_cst);
	/* A handler that was already under way when its signal was unbridged (or the slot
	 * reused) finds another number here and leaves the event alone. */
	if (atomic_load_explicit(&s->signo, memory_order_seq_cst) == signo)
		(void)ripc_event_post(atomic_load_explicit(&s->ev, memory_order_seq_cst),
				      atomic_load_explicit(&s->bits, memory_order_seq_cst));
	if (atomic_fetch_sub_explicit(&bridge_running, 1, memory_order_seq_cst) == 1 &&
	    atomic_load_explicit(&bridge_draining, memory_order_seq_cst) != 0)
		ripci_wake(&bridge_running, UINT32_MAX);
}

/* Wait until no bridge handler runs. Handlers never block, so this is short. */
static void drain_handlers(void)
{
	uint32_t n;

	atomic_store_explicit(&bridge_draining, 1, memory_order_seq_cst);
	while ((n = atomic_load_explicit(&bridge_running, memory_order_seq_cst)) != 0)
		(void)ripci_wait(&bridge_running, n, RIPC_PORT_FOREVER);
	atomic_store_explicit(&bridge_draining, 0, memory_order_seq_cst);
}

/* The slot bridging @p signo (0: a free slot), or NULL. Called with the lock held. */
static struct bridge_slot *find_slot(int signo)
{
	size_t i;

	for (i = 0; i < CONFIG_RIPC_EVENT_SIGNAL_SLOTS; i++) {
		if (atomic_load_explicit(&bridge_slots[i].signo, memory_order_seq_cst) == signo)
			return &bridge_slots[i];
	}
	return NULL;
}

/* Withdraw the number, let running handlers finish, then forget the event. */
static void release_slot(struct bridge_slot *s)
{
	atomic_store_explicit(&s->signo, 0, memory_order_seq_cst);
	drain_handlers();
	atomic_store_explicit(&s->ev, NULL, memory_order_seq_cst);
	atomic_store_explicit(&s->bits, 0, memory_order_seq_cst);
}

static int fill_slot(struct bridge_slot *s, struct ripc_event *ev, int signo, uint32_t bits)
{
	int rc;

	atomic_store_explicit(&s->ev, ev, memory_order_seq_cst);
	atomic_store_explicit(&s->bits, bits, memory_order_seq_cst);
	atomic_store_explicit(&s->signo, signo, memory_order_seq_cst);
	/* The port checks the number: it knows which signals this system has. */
	rc = ripc_port_signal_hook(signo, bridge_handler, s);
	if (rc != 0)
		release_slot(s);
	return rc;
}

int ripc_event_bridge_signal(struct ripc_event *ev, int signo, uint32_t bits)
{
	struct bridge_slot *s;
	int rc;

	if (ev == NULL || bits == 0 || signo <= 0)
		return -EINVAL;
	bridge_lock();
	if (find_slot(signo) != NULL) {
		rc = -EBUSY;
	} else {
		s = find_slot(0);
		rc = s != NULL ? fill_slot(s, ev, signo, bits) : -ENOSPC;
	}
	bridge_unlock();
	return rc;
}

int ripc_event_unbridge_signal(int signo)
{
	struct bridge_slot *s;
	int rc = -ENOENT;

	if (signo <= 0)
		return -ENOENT;
	bridge_lock();
	s = find_slot(signo);
	if (s != NULL) {
		/* Restore the old disposition first: from then on no new handler starts. */
		rc = ripc_port_signal_unhook(signo);
		RIPC_ASSERT(rc == 0);
		release_slot(s);
	}
	bridge_unlock();
	return rc;
}
