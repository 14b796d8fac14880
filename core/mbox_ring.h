/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The bounded multi-producer, multi-consumer ring behind each mailbox lane.
 *
 * A mailbox has two lanes (normal and urgent); each is one ring, seen through a
 * struct ripci_ring that mbox.c builds from the mailbox on every call. The ring knows nothing
 * of sleeping except that it wakes putters on its @c not_full queue when it frees a slot;
 * mbox.c does the waiting and wakes getters. See mbox_ring.c for the algorithm.
 */
#ifndef RIPC_CORE_MBOX_RING_H
#define RIPC_CORE_MBOX_RING_H

#include <ripc/common.h>

/** Flag of ripci_cell::hold: the slot's message was taken while a peek held it. */
#define RIPCI_CELL_CONSUMED 0x80000000u

/**
 * Header of every slot, followed by the message bytes. A zeroed slot is a free slot of lap 0.
 * @c seq is the lap's first position (position & ~mask) while the slot is free for that lap's
 * putter, that plus 1 once the message is published; a get sets it to the next lap's first
 * position. @c hold counts peeks copying the message (plus RIPCI_CELL_CONSUMED).
 */
struct ripci_cell {
	ripc_atomic_u32_t seq;  /**< Lap and state, see above. */
	ripc_atomic_u32_t len;  /**< Bytes of the message. */
	ripc_atomic_u32_t hold; /**< Peeks copying the message, | RIPCI_CELL_CONSUMED. */
	uint32_t reserved;      /**< Zero. */
};

_Static_assert(sizeof(struct ripci_cell) == 16,
	       "the slot header is 16 bytes (RIPC_MBOX_SLOT_SIZE_)");

/** One lane of a mailbox, as the calling process sees it. */
struct ripci_ring {
	unsigned char *slots;        /**< First slot, resolved in this process. */
	ripc_atomic_u32_t *head;     /**< Next position to get. */
	ripc_atomic_u32_t *tail;     /**< Next position to put. */
	struct ripc_waitq *not_full; /**< Putters sleeping for a slot of this lane. */
	uint32_t mask;               /**< Slots - 1; slots is a power of two, at least 2. */
	uint32_t depth;              /**< Messages the lane holds, at most mask + 1. */
	uint32_t slot_size;          /**< Bytes per slot, header included. */
	bool own_front;              /**< A getter that finds the front slot empty takes its
					cache line for writing (see own_line in mbox_ring.c). */
};

/** Where a caller that must wait can spin: until `*word != value` something changed. */
struct ripci_watch {
	ripc_atomic_u32_t *word; /**< Word to poll. */
	uint32_t value;          /**< Its value when the attempt failed. */
};

/**
 * Append a message of @p len bytes (at most the lane's message size).
 * @retval 0 Put and published. @retval -EAGAIN Full; @p watch says what to poll.
 */
int ripci_ring_put(const struct ripci_ring *r, const void *data, uint32_t len,
		   struct ripci_watch *watch);

/**
 * Take the front message into @p buf and free its slot (waking one putter).
 * @retval 0 Taken; @p *len is its size. @retval -ENOBUFS It is larger than @p cap; it stays
 * and @p *len is its size. @retval -EAGAIN Empty; @p watch says what to poll.
 */
int ripci_ring_get(const struct ripci_ring *r, void *buf, size_t cap, size_t *len,
		   struct ripci_watch *watch);

/** Copy the front message without taking it; return codes as ripci_ring_get. */
int ripci_ring_peek(const struct ripci_ring *r, void *buf, size_t cap, size_t *len,
		    struct ripci_watch *watch);

/**
 * Discard the front message, if one is published.
 * @retval 1 Discarded and its slot freed. @retval 2 Discarded; a peek frees the slot when it
 * is done. @retval 0 Nothing to discard.
 */
int ripci_ring_drop(const struct ripci_ring *r);

/** Messages in the lane (puts in progress included), 0 .. depth; may be stale. */
uint32_t ripci_ring_count(const struct ripci_ring *r);

/** False when no put has claimed a slot that no get has claimed; one cache line read. */
bool ripci_ring_may_hold(const struct ripci_ring *r);

#endif /* RIPC_CORE_MBOX_RING_H */
