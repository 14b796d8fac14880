/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Wait until any of several objects is ready, across threads and processes.
 *
 * ripc_poll() only *reports* readiness; it never takes anything. Between its return and
 * the caller's next call another thread or process may take the message, the count or the
 * block, so follow it with the RIPC_NO_WAIT form of the operation and poll again when that
 * returns -EAGAIN:
 * @code
 * struct ripc_poll_item items[] = {
 *	RIPC_POLL_MBOX_GET(&commands),
 *	RIPC_POLL_EVENT(&alarms, SHUTDOWN, RIPC_EVENT_WAIT_ANY),
 * };
 * while (ripc_poll(items, 2, RIPC_FOREVER) > 0) {
 *	if (items[0].ready && ripc_mbox_get(&commands, buf, sizeof(buf), &len, RIPC_NO_WAIT) == 0)
 *		handle(buf, len);
 *	if (items[1].ready)
 *		break;
 * }
 * @endcode
 * A poller wakes on every change of the objects it watches; while one is registered on an
 * object, that object's notifications wake all of its waiters instead of one, so a blocked
 * ripc_mbox_get is never starved by a poller that did not take the message.
 */
#ifndef RIPC_POLL_H
#define RIPC_POLL_H

#include <ripc/common.h>
#include <ripc/timeout.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Most items one ripc_poll call takes. */
#define RIPC_POLL_MAX 32

/** @brief What an item waits for. */
enum ripc_poll_kind {
	RIPC_POLL_KIND_SEM = 1,  /**< The semaphore's count is positive. */
	RIPC_POLL_KIND_MBOX_GET, /**< The mailbox holds a message. */
	RIPC_POLL_KIND_MBOX_PUT, /**< The mailbox has space for a message. */
	RIPC_POLL_KIND_EVENT,    /**< The event's bits match (any or all of @c bits). */
	RIPC_POLL_KIND_POOL,     /**< The pool has a free block. */
};

/** @brief One object to watch. Fill with the RIPC_POLL_* initialisers. */
struct ripc_poll_item {
	uint32_t kind;  /**< enum ripc_poll_kind. */
	uint32_t bits;  /**< RIPC_POLL_KIND_EVENT: the bits to match. */
	uint32_t flags; /**< RIPC_POLL_KIND_EVENT: RIPC_EVENT_WAIT_ANY or _ALL. */
	uint32_t ready; /**< Output: 1 when the item was ready at return, else 0. */
	void *obj;      /**< The object. */
};

/** @brief Item: semaphore @p s can be taken. */
#define RIPC_POLL_SEM(s)                               \
	{                                              \
		.kind = RIPC_POLL_KIND_SEM, .obj = (s) \
	}
/** @brief Item: mailbox @p m holds a message. */
#define RIPC_POLL_MBOX_GET(m)                               \
	{                                                   \
		.kind = RIPC_POLL_KIND_MBOX_GET, .obj = (m) \
	}
/** @brief Item: mailbox @p m has space. */
#define RIPC_POLL_MBOX_PUT(m)                               \
	{                                                   \
		.kind = RIPC_POLL_KIND_MBOX_PUT, .obj = (m) \
	}
/** @brief Item: event @p e has @p b bits matching under @p f (RIPC_EVENT_WAIT_ANY/ALL). */
#define RIPC_POLL_EVENT(e, b, f)                                                    \
	{                                                                           \
		.kind = RIPC_POLL_KIND_EVENT, .bits = (b), .flags = (f), .obj = (e) \
	}
/** @brief Item: pool @p p has a free block. */
#define RIPC_POLL_POOL(p)                               \
	{                                               \
		.kind = RIPC_POLL_KIND_POOL, .obj = (p) \
	}

/**
 * @brief Wait until at least one item is ready; report which.
 * @param items Items; each item's @c ready is set to 1 or 0 on every return >= 0.
 * @param n Number of items, 1 .. RIPC_POLL_MAX.
 * @param timeout How long to wait for one to become ready.
 * @return Number of ready items (> 0).
 * @retval -EINVAL @p items is NULL, @p n is 0 or above RIPC_POLL_MAX, an item has an
 *         unknown kind, a NULL object, or (event) no bits or bad flags.
 * @retval -EAGAIN Nothing was ready and @p timeout is RIPC_NO_WAIT.
 * @retval -ETIMEDOUT Nothing became ready before the deadline.
 *
 * Readiness is reported, never taken (see the file comment). Sleeps on all objects at once
 * with futex_waitv (Linux 5.16+); where that is missing (qemu-user, older kernels) it
 * re-checks at least every millisecond instead.
 * Context: thread or process; may block until @p timeout. Not for signal handlers.
 */
int ripc_poll(struct ripc_poll_item *items, size_t n, ripc_timeout_t timeout);

#ifdef __cplusplus
}
#endif

#endif /* RIPC_POLL_H */
