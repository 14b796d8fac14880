/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Bounded MPMC ring of variable-length messages: one lane of a mailbox.
 *
 * Algorithm: D. Vyukov's bounded MPMC queue. Every slot carries a sequence word that says
 * which position may use it next, so a put claims a position with one compare-and-swap on
 * @c tail and a get with one on @c head; after that each owns its slot alone, copies with one
 * memcpy, and hands the slot on by storing its sequence word. No lock is ever held, and
 * producers (tail, the slots they fill) and consumers (head, the slots they empty) write
 * different cache lines. Chosen over a lock-protected ring because a process that dies
 * asleep holds nothing (a dead lock holder would stop everybody), and over a kernel queue
 * because the fast path stays in user space.
 *
 * Positions are 32-bit and wrap; they are compared by signed difference, which is exact
 * while fewer than 2^31 operations separate the values compared (a thread would have to
 * stall across 2^32 operations between two of its loads for a claim to go wrong).
 * A slot's sequence word holds "its lap's first position" (position & ~mask) while free
 * for that lap, +1 once published, so zeroed storage is a valid empty ring (no init loop
 * for RIPC_MBOX_DEFINE storage).
 *
 * Depths that are not powers of two: the ring has the next power of two of slots and a put
 * also refuses a position @c depth or more ahead of @c head. That costs a read of the
 * consumers' line per put, so it is only done when depth < slots.
 *
 * Peek copies a message it does not own, so it must keep the slot from being refilled while
 * it copies. It counts itself in the slot's @c hold word and then checks that the message is
 * still at the front (head unchanged). A get reads @c hold after its copy; if a peek holds
 * the slot it marks the slot RIPCI_CELL_CONSUMED instead of freeing it, and the last peek to
 * leave frees it. Because the peek's hold-then-read-head and the get's claim-then-read-hold
 * are sequentially consistent, either the get sees the hold or the peek sees head moved and
 * leaves without copying. Getters never wait for a peek.
 *
 * Every state change a sleeper waits for (publish, free) is a seq_cst store, as the waitq
 * protocol requires; the loads that decide are seq_cst too, which costs the same as acquire
 * loads on x86 and Arm. Message length and bytes are ordered by those stores.
 */
#include <errno.h>
#include <string.h>

#include "core/check.h"
#include "core/mbox_ring.h"
#include "core/waitq.h"

static uint32_t ld(ripc_atomic_u32_t *word)
{
	return atomic_load_explicit(word, memory_order_seq_cst);
}

static void st(ripc_atomic_u32_t *word, uint32_t value)
{
	atomic_store_explicit(word, value, memory_order_seq_cst);
}

static bool cas(ripc_atomic_u32_t *word, uint32_t *expected, uint32_t desired)
{
	return atomic_compare_exchange_weak_explicit(word, expected, desired, memory_order_seq_cst,
						     memory_order_seq_cst);
}

/*
 * Take the cache line of @p word for writing without changing it: a compare-and-swap of the
 * value @p seen with itself. True when the word still held @p seen.
 *
 * Used by a getter that finds the front slot empty and is about to wait for it: it will
 * free that slot (write its line) right after copying the message, and the putter writes
 * it on another core just before. Measured on a 2-core x86 VM, owning the line while
 * waiting cuts a 64-byte hand-off by about a quarter, while a plain read leaves it
 * shared and the later write pays a second transfer; a getter that finds a message queued
 * does not do it, since the locked instruction would stall its copy.
 */
static bool own_line(ripc_atomic_u32_t *word, uint32_t seen)
{
	return atomic_compare_exchange_strong_explicit(word, &seen, seen, memory_order_seq_cst,
						       memory_order_seq_cst);
}

/* Signed distance from b to a; positions wrap, so only differences are meaningful. */
static int32_t pos_diff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

static uint32_t lap_of(const struct ripci_ring *r, uint32_t pos)
{
	return pos & ~r->mask;
}

static struct ripci_cell *cell_at(const struct ripci_ring *r, uint32_t pos)
{
	return (struct ripci_cell *)(void *)(r->slots + (size_t)(pos & r->mask) * r->slot_size);
}

static unsigned char *payload(struct ripci_cell *c)
{
	return (unsigned char *)(c + 1);
}

static void watch_set(struct ripci_watch *watch, ripc_atomic_u32_t *word, uint32_t value)
{
	watch->word = word;
	watch->value = value;
}

/* Only for depth < slots: is @p pos a full depth ahead of the consumers? */
static bool beyond_depth(const struct ripci_ring *r, uint32_t pos, struct ripci_watch *watch)
{
	uint32_t head;

	if (r->depth > r->mask)
		return false;
	head = ld(r->head);
	if (pos_diff(pos, head) < (int32_t)r->depth)
		return false;
	watch_set(watch, r->head, head);
	return true;
}

/* Claim the next position for a put: its slot, or NULL when the lane is full. */
static struct ripci_cell *claim_for_put(const struct ripci_ring *r, uint32_t *pos,
					struct ripci_watch *watch)
{
	uint32_t p = ld(r->tail);

	for (;;) {
		struct ripci_cell *c = cell_at(r, p);
		uint32_t seq = ld(&c->seq);
		int32_t d = pos_diff(seq, lap_of(r, p));

		if (d == 0) {
			if (beyond_depth(r, p, watch))
				return NULL;
			if (cas(r->tail, &p, p + 1)) {
				*pos = p;
				return c;
			}
		} else if (d < 0) {
			/* Still holds the previous lap's message: full. */
			watch_set(watch, &c->seq, seq);
			return NULL;
		} else {
			p = ld(r->tail);
		}
	}
}

int ripci_ring_put(const struct ripci_ring *r, const void *data, uint32_t len,
		   struct ripci_watch *watch)
{
	uint32_t pos;
	struct ripci_cell *c = claim_for_put(r, &pos, watch);

	if (c == NULL)
		return -EAGAIN;
	atomic_store_explicit(&c->len, len, memory_order_relaxed);
	if (len != 0)
		memcpy(payload(c), data, len);
	st(&c->seq, lap_of(r, pos) + 1);
	return 0;
}

/*
 * Claim the front message if it fits in @p cap: its position, slot and size. -ENOBUFS when
 * it does not fit (claims nothing), -EAGAIN when nothing is published at the front.
 */
static int claim_for_get(const struct ripci_ring *r, size_t cap, uint32_t *pos,
			 struct ripci_cell **cell, uint32_t *len, struct ripci_watch *watch)
{
	uint32_t p = ld(r->head);

	for (;;) {
		struct ripci_cell *c = cell_at(r, p);
		uint32_t seq = ld(&c->seq);
		int32_t d = pos_diff(seq, lap_of(r, p) + 1);
		uint32_t n;

		if (d < 0) {
			if (r->own_front && !own_line(&c->seq, seq))
				continue; /* published meanwhile: look again */
			watch_set(watch, &c->seq, seq);
			return -EAGAIN;
		}
		if (d > 0) {
			p = ld(r->head);
			continue;
		}
		/* The size is stable until somebody claims p; the claim or the recheck of head
		 * below proves nobody had. */
		n = atomic_load_explicit(&c->len, memory_order_relaxed);
		if (n <= cap) {
			if (cas(r->head, &p, p + 1)) {
				*pos = p;
				*cell = c;
				*len = n;
				return 0;
			}
			continue;
		}
		if (ld(r->head) == p) {
			*len = n;
			return -ENOBUFS;
		}
		p = ld(r->head);
	}
}

/* Free the slot of @p pos after its message was taken; false when a peek still copies it
 * (the last peek frees it). */
static bool release_slot(const struct ripci_ring *r, struct ripci_cell *c, uint32_t pos)
{
	uint32_t hold = ld(&c->hold);

	for (;;) {
		RIPC_ASSERT((hold & RIPCI_CELL_CONSUMED) == 0);
		if (hold == 0) {
			st(&c->seq, lap_of(r, pos) + r->mask + 1);
			return true;
		}
		if (cas(&c->hold, &hold, hold | RIPCI_CELL_CONSUMED))
			return false;
	}
}

int ripci_ring_get(const struct ripci_ring *r, void *buf, size_t cap, size_t *len,
		   struct ripci_watch *watch)
{
	uint32_t pos, n;
	struct ripci_cell *c;
	int rc = claim_for_get(r, cap, &pos, &c, &n, watch);

	if (rc == -ENOBUFS)
		*len = n;
	if (rc != 0)
		return rc;
	if (n != 0)
		memcpy(buf, payload(c), n);
	*len = n;
	if (release_slot(r, c, pos))
		ripci_waitq_notify(r->not_full, 1);
	return 0;
}

int ripci_ring_drop(const struct ripci_ring *r)
{
	struct ripci_watch unused;
	struct ripci_cell *c;
	uint32_t pos, n;

	if (claim_for_get(r, SIZE_MAX, &pos, &c, &n, &unused) != 0)
		return 0;
	return release_slot(r, c, pos) ? 1 : 2;
}

/* Count a peek in the slot's holds, unless the message was already taken. */
static bool hold_slot(struct ripci_cell *c)
{
	uint32_t hold = ld(&c->hold);

	do {
		if ((hold & RIPCI_CELL_CONSUMED) != 0)
			return false;
	} while (!cas(&c->hold, &hold, hold + 1));
	return true;
}

/* Drop a peek's hold; the last one out frees a slot whose message was taken meanwhile. */
static void unhold_slot(const struct ripci_ring *r, struct ripci_cell *c)
{
	uint32_t hold = ld(&c->hold);

	for (;;) {
		if (hold == (RIPCI_CELL_CONSUMED | 1u)) {
			if (cas(&c->hold, &hold, 0)) {
				/* seq is the taken message's lap + 1: move it to the next lap. */
				st(&c->seq, ld(&c->seq) + r->mask);
				ripci_waitq_notify(r->not_full, 1);
				return;
			}
		} else if (cas(&c->hold, &hold, hold - 1)) {
			return;
		}
	}
}

static int copy_held(struct ripci_cell *c, void *buf, size_t cap, size_t *len)
{
	uint32_t n = atomic_load_explicit(&c->len, memory_order_relaxed);

	*len = n;
	if (n > cap)
		return -ENOBUFS;
	if (n != 0)
		memcpy(buf, payload(c), n);
	return 0;
}

int ripci_ring_peek(const struct ripci_ring *r, void *buf, size_t cap, size_t *len,
		    struct ripci_watch *watch)
{
	uint32_t p = ld(r->head);

	for (;;) {
		struct ripci_cell *c = cell_at(r, p);
		uint32_t seq = ld(&c->seq);
		int32_t d = pos_diff(seq, lap_of(r, p) + 1);

		if (d < 0) {
			watch_set(watch, &c->seq, seq);
			return -EAGAIN;
		}
		if (d == 0 && hold_slot(c)) {
			/* Held: only a message still at the front is the one to copy. */
			bool front = ld(r->head) == p;
			int rc = front ? copy_held(c, buf, cap, len) : 0;

			unhold_slot(r, c);
			if (front)
				return rc;
		}
		p = ld(r->head);
	}
}

uint32_t ripci_ring_count(const struct ripci_ring *r)
{
	uint32_t head = ld(r->head);
	int32_t n = pos_diff(ld(r->tail), head);

	/* Head is read first, so a racing get can only make n look larger: clamp it. */
	if (n <= 0)
		return 0;
	return (uint32_t)n < r->depth ? (uint32_t)n : r->depth;
}

bool ripci_ring_may_hold(const struct ripci_ring *r)
{
	/* Head first: equal values then prove the lane was empty at the moment tail was read. */
	uint32_t head = ld(r->head);

	return ld(r->tail) != head;
}
