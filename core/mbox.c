/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Mailbox: two lock-free rings (normal and urgent) and the waiting around them.
 *
 * Each lane is a bounded MPMC ring (mbox_ring.c): puts and gets claim slots with one
 * compare-and-swap and never take a lock, so a process that dies while it sleeps here holds
 * nothing. Urgent messages have a lane of their own, drained first, rather than being pushed
 * in front of the normal ring: a ring has one end to put at, and a second small ring keeps
 * urgent messages FIFO among themselves at the cost of one extra read per get (the urgent
 * head and tail share one rarely written cache line).
 *
 * Waiting uses the waitq handshake (waitq.h): getters and peekers sleep on @c not_empty,
 * which every put notifies with a count of 1; putters sleep on their lane's @c not_full,
 * which every freed slot notifies with a count of 1. Separate queues per lane keep a freed
 * normal slot from waking an urgent putter that cannot use it. Notifying costs one load
 * when nobody sleeps, so uncontended calls make no system call. Before sleeping, a waiter
 * polls the exact word the ring told it would change (the front slot's sequence word, or
 * the consumers' position), so a hand-off between busy cores stays in user space.
 *
 * A getter that leaves without a message (timeout, -ENOBUFS) hands a wake-up on (the waitq
 * does that); a peek that succeeds after waiting hands one on too, since it took no message.
 * Purge frees slots and wakes putters; it never wakes getters, who keep waiting.
 */
#include <errno.h>
#include <string.h>

#include <ripc/mbox.h>

#include "core/check.h"
#include "core/mbox_ring.h"
#include "core/ref.h"
#include "core/wait.h"
#include "core/waitq.h"

/* The layout promises of mbox.h: one cache line per party. */
_Static_assert(offsetof(struct ripc_mbox, storage) == 32, "storage at 32");
_Static_assert(offsetof(struct ripc_mbox, tail) == 64, "producers on line 1");
_Static_assert(offsetof(struct ripc_mbox, head) == 128, "consumers on line 2");
_Static_assert(offsetof(struct ripc_mbox, urgent_tail) == 192, "urgent lane on line 3");
_Static_assert(RIPC_MBOX_BUF_ALIGN % _Alignof(struct ripci_cell) == 0, "slot alignment");

static bool mbox_ok(const struct ripc_mbox *mb)
{
	if (!RIPCI_ARG_CHECKS)
		return true;
	return mb != NULL && mb->max_msg_size != 0;
}

static bool put_args_ok(const struct ripc_mbox *mb, const void *data, size_t len)
{
	if (!RIPCI_ARG_CHECKS)
		return true;
	return mbox_ok(mb) && (data != NULL || len == 0);
}

static bool get_args_ok(const struct ripc_mbox *mb, const void *buf, size_t cap, const size_t *len)
{
	if (!RIPCI_ARG_CHECKS)
		return true;
	return mbox_ok(mb) && len != NULL && (buf != NULL || cap == 0);
}

/* The ring of one lane, as this process sees it. */
static void lane(struct ripc_mbox *mb, bool urgent, struct ripci_ring *r)
{
	unsigned char *slots =
		ripci_ref_resolve(mb, &mb->storage, (mb->flags & RIPC_MBOX_FLAG_LOCAL_) != 0);

	r->slot_size = mb->slot_size;
	r->own_front = false;
	if (urgent) {
		r->slots = slots + (size_t)mb->ring_slots * mb->slot_size;
		r->head = &mb->urgent_head;
		r->tail = &mb->urgent_tail;
		r->not_full = &mb->urgent_not_full;
		r->mask = mb->urgent_slots - 1;
		r->depth = mb->urgent_depth;
	} else {
		r->slots = slots;
		r->head = &mb->head;
		r->tail = &mb->tail;
		r->not_full = &mb->not_full;
		r->mask = mb->ring_slots - 1;
		r->depth = mb->depth;
	}
}

int ripc_mbox_init(struct ripc_mbox *mb, void *buf, size_t buf_size, uint32_t max_msg_size,
		   uint32_t depth)
{
	uint64_t need;

	if (mb == NULL || buf == NULL || max_msg_size == 0 ||
	    max_msg_size > RIPC_MBOX_MAX_MSG_SIZE || depth == 0 || depth > RIPC_MBOX_MAX_DEPTH)
		return -EINVAL;
	if ((uintptr_t)mb % _Alignof(struct ripc_mbox) != 0 ||
	    (uintptr_t)buf % RIPC_MBOX_BUF_ALIGN != 0)
		return -EINVAL;
	/* The same macros as RIPC_MBOX_BUF_SIZE and RIPC_MBOX_DEFINE: one layout everywhere. */
	need = RIPC_MBOX_BUF_BYTES_(max_msg_size, depth);
	if (need > RIPC_MBOX_MAX_BUF_SIZE || need > buf_size)
		return -EINVAL;

	memset(mb, 0, sizeof(*mb));
	memset(buf, 0, (size_t)need); /* zeroed slots are free slots of lap 0 */
	mb->slot_size = (uint32_t)RIPC_MBOX_SLOT_SIZE_(max_msg_size);
	mb->depth = depth;
	mb->ring_slots = (uint32_t)RIPC_MBOX_RING_SLOTS_((unsigned long long)depth);
	mb->urgent_depth = (uint32_t)RIPC_MBOX_URGENT_DEPTH(depth);
	mb->urgent_slots = (uint32_t)RIPC_MBOX_RING_SLOTS_(RIPC_MBOX_URGENT_DEPTH(depth));
	mb->flags = 0;
	ripci_ref_set_offset(&mb->storage, mb, buf);
	atomic_init(&mb->tail, 0);
	atomic_init(&mb->head, 0);
	atomic_init(&mb->urgent_tail, 0);
	atomic_init(&mb->urgent_head, 0);
	/* Last: a non-zero size is what marks the mailbox initialised. */
	mb->max_msg_size = max_msg_size;
	return 0;
}

/* ---- Put ---------------------------------------------------------------------------------- */

struct put_op {
	struct ripci_ring ring;
	const void *data;
	uint32_t len;
	struct ripci_watch watch;
};

static int try_put(void *arg)
{
	struct put_op *op = arg;

	return ripci_ring_put(&op->ring, op->data, op->len, &op->watch);
}

static int mbox_put(struct ripc_mbox *mb, bool urgent, const void *data, size_t len,
		    ripc_timeout_t timeout)
{
	struct put_op op;
	int rc;

	if (!put_args_ok(mb, data, len))
		return -EINVAL;
	if (len > mb->max_msg_size)
		return -EMSGSIZE;
	lane(mb, urgent, &op.ring);
	op.data = data;
	op.len = (uint32_t)len;
	rc = try_put(&op);
	if (rc == -EAGAIN && !ripc_timeout_is_no_wait(timeout))
		rc = ripci_waitq_wait(op.ring.not_full, try_put, &op, op.watch.word, op.watch.value,
				      ripci_deadline(timeout));
	if (rc == 0)
		ripci_waitq_notify(&mb->not_empty, 1);
	return rc;
}

int ripc_mbox_put(struct ripc_mbox *mb, const void *data, size_t len, ripc_timeout_t timeout)
{
	return mbox_put(mb, false, data, len, timeout);
}

int ripc_mbox_put_urgent(struct ripc_mbox *mb, const void *data, size_t len, ripc_timeout_t timeout)
{
	return mbox_put(mb, true, data, len, timeout);
}

/* ---- Get and peek ------------------------------------------------------------------------ */

struct get_op {
	struct ripci_ring normal;
	struct ripci_ring urgent;
	void *buf;
	size_t cap;
	size_t *len;
	bool peek;
	struct ripci_watch watch;
};

static int take(const struct ripci_ring *r, struct get_op *op)
{
	if (op->peek)
		return ripci_ring_peek(r, op->buf, op->cap, op->len, &op->watch);
	return ripci_ring_get(r, op->buf, op->cap, op->len, &op->watch);
}

/* Urgent lane first; the watch that is left is the normal lane's front slot. */
static int try_get(void *arg)
{
	struct get_op *op = arg;

	if (ripci_ring_may_hold(&op->urgent)) {
		int rc = take(&op->urgent, op);

		if (rc != -EAGAIN)
			return rc;
	}
	return take(&op->normal, op);
}

static int mbox_get(struct ripc_mbox *mb, void *buf, size_t cap, size_t *len, bool peek,
		    ripc_timeout_t timeout)
{
	struct get_op op;
	int rc;

	if (!get_args_ok(mb, buf, cap, len))
		return -EINVAL;
	lane(mb, false, &op.normal);
	lane(mb, true, &op.urgent);
	op.buf = buf;
	op.cap = cap;
	op.len = len;
	op.peek = peek;
	/* A get frees the slot it waits for; a peek only looks, the urgent lane is rare. */
	op.normal.own_front = !peek;
	op.urgent.own_front = false;
	rc = try_get(&op);
	if (rc != -EAGAIN || ripc_timeout_is_no_wait(timeout))
		return rc;
	rc = ripci_waitq_wait(&mb->not_empty, try_get, &op, op.watch.word, op.watch.value,
			      ripci_deadline(timeout));
	/* The message stays, so the wake-up this peek may have taken belongs to a getter. */
	if (rc == 0 && peek)
		ripci_waitq_notify(&mb->not_empty, 1);
	return rc;
}

int ripc_mbox_get(struct ripc_mbox *mb, void *buf, size_t cap, size_t *len, ripc_timeout_t timeout)
{
	return mbox_get(mb, buf, cap, len, false, timeout);
}

int ripc_mbox_peek(struct ripc_mbox *mb, void *buf, size_t cap, size_t *len, ripc_timeout_t timeout)
{
	return mbox_get(mb, buf, cap, len, true, timeout);
}

/* ---- Purge, count, space ----------------------------------------------------------------- */

/* Discard up to depth messages: all that were there on entry, and it ends even while
 * producers keep putting. */
static uint32_t drain(const struct ripci_ring *r)
{
	uint32_t dropped = 0, freed = 0;
	int rc;

	while (dropped < r->depth && (rc = ripci_ring_drop(r)) != 0) {
		dropped++;
		if (rc == 1)
			freed++;
	}
	if (freed != 0)
		ripci_waitq_notify(r->not_full, freed);
	return dropped;
}

int ripc_mbox_purge(struct ripc_mbox *mb)
{
	struct ripci_ring r;
	uint32_t n;

	if (!mbox_ok(mb))
		return -EINVAL;
	lane(mb, true, &r);
	n = drain(&r);
	lane(mb, false, &r);
	n += drain(&r);
	return (int)n;
}

static uint32_t lane_count(const struct ripc_mbox *mb, bool urgent)
{
	struct ripci_ring r;

	/* Only loads follow; the cast drops const for the C11 atomic loads. */
	lane((struct ripc_mbox *)(uintptr_t)mb, urgent, &r);
	return ripci_ring_count(&r);
}

uint32_t ripc_mbox_count(const struct ripc_mbox *mb)
{
	if (mb == NULL || mb->max_msg_size == 0)
		return 0;
	return lane_count(mb, true) + lane_count(mb, false);
}

uint32_t ripc_mbox_space(const struct ripc_mbox *mb)
{
	if (mb == NULL || mb->max_msg_size == 0)
		return 0;
	return mb->depth - lane_count(mb, false);
}
