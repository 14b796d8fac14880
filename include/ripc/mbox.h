/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Mailboxes: bounded queues of variable-length messages, between threads and processes.
 *
 * A mailbox holds up to @c depth messages of 0 to @c max_msg_size bytes each, copied in by
 * ripc_mbox_put and out by ripc_mbox_get. Any number of threads and processes may put and get
 * at once. Messages leave in the order they were put (so the messages of one producer keep
 * their order); none is lost, duplicated or torn. Putting waits while the mailbox is full,
 * getting while it is empty, each up to a timeout; waiters are woken one per message or freed
 * slot, in the order they started to sleep (FIFO within a scheduling priority).
 *
 * Cost: an uncontended put or get is a few atomic instructions and one memcpy and never
 * enters the kernel; a system call happens only when somebody sleeps. Depths that are powers
 * of two are the fastest: other depths make every put also read the consumers' position.
 *
 * Zero-length messages are allowed (a put with @c len 0; @c data may then be NULL); they are
 * ordinary messages, counted and ordered like the others.
 *
 * Urgent messages: ripc_mbox_put_urgent puts a message ahead of every normal one. Urgent
 * messages travel in a lane of their own, RIPC_MBOX_URGENT_DEPTH(depth) messages deep (at most
 * RIPC_MBOX_URGENT_MAX), that ripc_mbox_get and ripc_mbox_peek drain first; among themselves
 * they stay in FIFO order. (A get already running when an urgent put completes may still
 * return a normal message.) The lane's room is separate from the @c depth normal slots: a full
 * normal lane does not stop an urgent message, and ripc_mbox_count counts both lanes (up to
 * depth + RIPC_MBOX_URGENT_DEPTH(depth)) while ripc_mbox_space reports normal slots only.
 *
 * Shared memory: a mailbox initialised with ripc_mbox_init in memory that several processes
 * map (MAP_SHARED, or a ripc domain), with its buffer in the same region, works between those
 * processes with the same calls, wherever each process maps the region: the mailbox records
 * its buffer's distance, not its address. A mailbox from RIPC_MBOX_DEFINE belongs to its
 * process.
 *
 * Process death: a process killed while it sleeps in a put, get or peek holds nothing, and the
 * others carry on unharmed. Its registration as a sleeper stays counted, so from then on each
 * put (or get) that could wake a sleeper of that kind costs one futex wake system call, even
 * when nobody sleeps, until ripc_mbox_init runs again. A process killed in the middle of an
 * operation, within the few instructions and the memcpy between claiming a slot and handing
 * it on, leaves that slot claimed: the mailbox then stalls at that slot.
 */
#ifndef RIPC_MBOX_H
#define RIPC_MBOX_H

#include <ripc/common.h>
#include <ripc/timeout.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Largest message size a mailbox accepts (1 MiB); larger data belongs in a pool. */
#define RIPC_MBOX_MAX_MSG_SIZE 0x100000u

/** @brief Largest depth a mailbox accepts. */
#define RIPC_MBOX_MAX_DEPTH 0x100000u

/** @brief Largest mailbox buffer, RIPC_MBOX_BUF_SIZE: below 2 GiB, mappable by 32-bit processes. */
#define RIPC_MBOX_MAX_BUF_SIZE 0x7fffffffu

/** @brief Most messages the urgent lane of any mailbox holds. */
#define RIPC_MBOX_URGENT_MAX 4u

/** @brief Alignment ripc_mbox_init requires of the buffer. */
#define RIPC_MBOX_BUF_ALIGN 8u

/** @brief Messages the urgent lane of a mailbox of @p depth holds: min(depth, URGENT_MAX). */
#define RIPC_MBOX_URGENT_DEPTH(depth)                       \
	((unsigned long long)(depth) < RIPC_MBOX_URGENT_MAX \
		 ? (unsigned long long)(depth)              \
		 : (unsigned long long)RIPC_MBOX_URGENT_MAX)

/** @cond INTERNAL */
/* ceil(log2(d)) for 1 <= d <= RIPC_MBOX_MAX_DEPTH. */
#define RIPC_MBOX_LOG2_(d)                                                                  \
	(((d) > 1ull) + ((d) > 2ull) + ((d) > 4ull) + ((d) > 8ull) + ((d) > 16ull) +        \
	 ((d) > 32ull) + ((d) > 64ull) + ((d) > 128ull) + ((d) > 256ull) + ((d) > 512ull) + \
	 ((d) > 1024ull) + ((d) > 2048ull) + ((d) > 4096ull) + ((d) > 8192ull) +            \
	 ((d) > 16384ull) + ((d) > 32768ull) + ((d) > 65536ull) + ((d) > 131072ull) +       \
	 ((d) > 262144ull) + ((d) > 524288ull))
/* Slots of a ring that holds d messages: a power of two, at least 2. */
#define RIPC_MBOX_RING_SLOTS_(d) ((d) < 2ull ? 2ull : 1ull << RIPC_MBOX_LOG2_(d))
/* Bytes per slot: a 16-byte header, then the message rounded up to 8 bytes. */
#define RIPC_MBOX_SLOT_SIZE_(msz) (16ull + (((unsigned long long)(msz) + 7ull) & ~7ull))
#define RIPC_MBOX_BUF_BYTES_(msz, depth)                          \
	((RIPC_MBOX_RING_SLOTS_((unsigned long long)(depth)) +    \
	  RIPC_MBOX_RING_SLOTS_(RIPC_MBOX_URGENT_DEPTH(depth))) * \
	 RIPC_MBOX_SLOT_SIZE_(msz))
#define RIPC_MBOX_FLAG_LOCAL_ 1u
/* Zeroed, 64-aligned static storage: a file-scope compound literal has static duration. */
#define RIPC_MBOX_STATIC_AREA_(msz, depth)                                                         \
	((void *)&(struct { _Alignas(64) unsigned char area[RIPC_MBOX_BUF_BYTES_(msz, depth)]; }){ \
		{0}})
/** @endcond */

/**
 * @brief Bytes of buffer ripc_mbox_init needs for @p depth messages of up to @p max_msg_size.
 *
 * Covers both lanes: the normal ring (@p depth rounded up to a power of two, at least 2
 * slots) and the urgent ring, each slot a 16-byte header plus the message size rounded up to
 * 8. A constant expression; meaningful for arguments ripc_mbox_init accepts.
 */
#define RIPC_MBOX_BUF_SIZE(max_msg_size, depth) ((size_t)RIPC_MBOX_BUF_BYTES_(max_msg_size, depth))

/**
 * @brief A mailbox. Fields are private; use RIPC_MBOX_DEFINE or ripc_mbox_init.
 *
 * 256 bytes, 64-byte aligned, the same layout for 32- and 64-bit processes. Producers,
 * consumers and the urgent lane each have a cache line of their own, so producers and
 * consumers do not slow each other down by writing to one line.
 */
struct ripc_mbox {
	/* Cache line 0: written by init only. */
	_Alignas(64) uint32_t max_msg_size; /**< Largest message; 0 marks an uninitialised
					       mailbox. */
	uint32_t slot_size;                 /**< Bytes per slot, header included. */
	uint32_t depth;                     /**< Messages the normal lane holds. */
	uint32_t ring_slots;                /**< Slots of the normal ring (power of two). */
	uint32_t urgent_depth;              /**< Messages the urgent lane holds. */
	uint32_t urgent_slots;              /**< Slots of the urgent ring, after the normal ones. */
	uint32_t flags;                     /**< RIPC_MBOX_FLAG_LOCAL_: @c storage is an address. */
	uint32_t reserved0;                 /**< Zero. */
	union ripc_ref storage;             /**< The slots of both rings. */
	uint8_t pad0[24];                   /**< Zero. */
	/* Cache line 1: producers of the normal lane. */
	ripc_atomic_u32_t tail;      /**< Next position a put claims. */
	struct ripc_waitq not_empty; /**< Getters and peekers sleeping for a message. */
	uint8_t pad1[64 - 4 - sizeof(struct ripc_waitq)]; /**< Zero. */
	/* Cache line 2: consumers of the normal lane. */
	ripc_atomic_u32_t head;     /**< Next position a get claims. */
	struct ripc_waitq not_full; /**< Putters sleeping for a normal slot. */
	uint8_t pad2[64 - 4 - sizeof(struct ripc_waitq)]; /**< Zero. */
	/* Cache line 3: the urgent lane, rarely used. */
	ripc_atomic_u32_t urgent_tail;     /**< Next position an urgent put claims. */
	ripc_atomic_u32_t urgent_head;     /**< Next position a get claims in the urgent lane. */
	struct ripc_waitq urgent_not_full; /**< Urgent putters sleeping for a slot. */
	uint8_t pad3[64 - 8 - sizeof(struct ripc_waitq)]; /**< Zero. */
};

_Static_assert(sizeof(struct ripc_mbox) == 256, "struct ripc_mbox must be 256 bytes everywhere");
_Static_assert(_Alignof(struct ripc_mbox) == 64, "struct ripc_mbox must be 64-byte aligned");

/** @cond INTERNAL */
#define RIPC_MBOX_INITIALIZER_(msz, dep)                                                      \
	{                                                                                     \
		.max_msg_size = (msz), .slot_size = (uint32_t)RIPC_MBOX_SLOT_SIZE_(msz),      \
		.depth = (dep),                                                               \
		.ring_slots = (uint32_t)RIPC_MBOX_RING_SLOTS_((unsigned long long)(dep)),     \
		.urgent_depth = (uint32_t)RIPC_MBOX_URGENT_DEPTH(dep),                        \
		.urgent_slots = (uint32_t)RIPC_MBOX_RING_SLOTS_(RIPC_MBOX_URGENT_DEPTH(dep)), \
		.flags = RIPC_MBOX_FLAG_LOCAL_, .reserved0 = 0,                               \
		.storage = {.local = RIPC_MBOX_STATIC_AREA_(msz, dep)}, .tail = 0,            \
		.not_empty = RIPC_WAITQ_INITIALIZER_, .head = 0,                              \
		.not_full = RIPC_WAITQ_INITIALIZER_, .urgent_tail = 0, .urgent_head = 0,      \
		.urgent_not_full = RIPC_WAITQ_INITIALIZER_                                    \
	}
/** @endcond */

/**
 * @brief Define a mailbox and its static storage at build time.
 * @param name Name of the `struct ripc_mbox` variable.
 * @param max_msg_size Largest message in bytes, 1 .. RIPC_MBOX_MAX_MSG_SIZE.
 * @param depth Messages it holds, 1 .. RIPC_MBOX_MAX_DEPTH.
 *
 * The storage is a zeroed, 64-byte aligned static array, so the mailbox is ready without a
 * call; it belongs to the defining process (threads only; use ripc_mbox_init in shared
 * memory for processes). Arguments are checked at compile time, including
 * RIPC_MBOX_BUF_SIZE(max_msg_size, depth) <= RIPC_MBOX_MAX_BUF_SIZE. Use at file scope;
 * prefix with `static` for internal linkage.
 */
#define RIPC_MBOX_DEFINE(name, max_msg_size, depth)                                            \
	struct ripc_mbox name = RIPC_MBOX_INITIALIZER_(max_msg_size, depth);                   \
	_Static_assert((max_msg_size) >= 1 && (max_msg_size) <= RIPC_MBOX_MAX_MSG_SIZE,        \
		       "ripc mbox " #name ": max_msg_size must be 1..RIPC_MBOX_MAX_MSG_SIZE"); \
	_Static_assert((depth) >= 1 && (depth) <= RIPC_MBOX_MAX_DEPTH,                         \
		       "ripc mbox " #name ": depth must be 1..RIPC_MBOX_MAX_DEPTH");           \
	_Static_assert(RIPC_MBOX_BUF_BYTES_(max_msg_size, depth) <= RIPC_MBOX_MAX_BUF_SIZE,    \
		       "ripc mbox " #name ": buffer above RIPC_MBOX_MAX_BUF_SIZE")

/**
 * @brief Initialise a mailbox over caller-provided storage.
 * @param mb Mailbox (process-local or shared memory), aligned to 64 bytes.
 * @param buf Buffer for the messages, aligned to RIPC_MBOX_BUF_ALIGN; in shared memory it must
 *        be in the same region as @p mb.
 * @param buf_size Bytes at @p buf; at least RIPC_MBOX_BUF_SIZE(max_msg_size, depth).
 * @param max_msg_size Largest message in bytes, 1 .. RIPC_MBOX_MAX_MSG_SIZE.
 * @param depth Messages it holds, 1 .. RIPC_MBOX_MAX_DEPTH.
 * @retval 0 Initialised, empty.
 * @retval -EINVAL @p mb or @p buf is NULL or misaligned, @p max_msg_size or @p depth is 0 or
 *         above its maximum, the buffer needed is above RIPC_MBOX_MAX_BUF_SIZE, or
 *         @p buf_size is too small. Nothing is written.
 *
 * The mailbox records where @p buf is relative to itself, not its address, so it works in
 * every process that maps both, at any address.
 * Context: thread or process; must not race with other calls on the same mailbox.
 */
int ripc_mbox_init(struct ripc_mbox *mb, void *buf, size_t buf_size, uint32_t max_msg_size,
		   uint32_t depth);

/**
 * @brief Put a message at the back, waiting while the mailbox is full.
 * @param mb Mailbox.
 * @param data The message; may be NULL when @p len is 0.
 * @param len Bytes of the message, 0 .. max_msg_size.
 * @param timeout How long to wait for a free slot.
 * @retval 0 Put; one waiting getter is woken.
 * @retval -EINVAL @p mb is NULL or not initialised, or @p data is NULL with @p len above 0.
 * @retval -EMSGSIZE @p len is above the mailbox's max_msg_size; nothing is put.
 * @retval -EAGAIN The mailbox was full and @p timeout is RIPC_NO_WAIT.
 * @retval -ETIMEDOUT The mailbox stayed full until the deadline.
 *
 * Context: thread or process; may block until @p timeout. Not for signal handlers.
 */
int ripc_mbox_put(struct ripc_mbox *mb, const void *data, size_t len, ripc_timeout_t timeout);

/**
 * @brief Put a message at the front, ahead of every normal message, waiting while the urgent
 *        lane is full.
 * @param mb Mailbox.
 * @param data The message; may be NULL when @p len is 0.
 * @param len Bytes of the message, 0 .. max_msg_size.
 * @param timeout How long to wait for a free urgent slot.
 * @retval 0 Put; it is got before every normal message and after earlier urgent ones.
 * @retval -EINVAL @p mb is NULL or not initialised, or @p data is NULL with @p len above 0.
 * @retval -EMSGSIZE @p len is above the mailbox's max_msg_size; nothing is put.
 * @retval -EAGAIN The urgent lane was full and @p timeout is RIPC_NO_WAIT.
 * @retval -ETIMEDOUT The urgent lane stayed full until the deadline.
 *
 * The urgent lane holds RIPC_MBOX_URGENT_DEPTH(depth) messages besides the normal ones.
 * Context: thread or process; may block until @p timeout. Not for signal handlers.
 */
int ripc_mbox_put_urgent(struct ripc_mbox *mb, const void *data, size_t len,
			 ripc_timeout_t timeout);

/**
 * @brief Take the message at the front, waiting while the mailbox is empty.
 * @param mb Mailbox.
 * @param buf Where to copy the message; may be NULL when @p cap is 0.
 * @param cap Bytes at @p buf.
 * @param[out] len Bytes of the message (on 0 and -ENOBUFS only).
 * @param timeout How long to wait for a message.
 * @retval 0 Taken: the message is in @p buf, its size in @p *len; one waiting putter is woken.
 * @retval -EINVAL @p mb is NULL or not initialised, @p len is NULL, or @p buf is NULL with
 *         @p cap above 0.
 * @retval -ENOBUFS The front message is larger than @p cap: it stays at the front, untouched,
 *         and @p *len is its size. (cap 0 asks for the size of the front message.)
 * @retval -EAGAIN The mailbox was empty and @p timeout is RIPC_NO_WAIT.
 * @retval -ETIMEDOUT The mailbox stayed empty until the deadline.
 *
 * Urgent messages come first. Context: thread or process; may block until @p timeout. Not for
 * signal handlers.
 */
int ripc_mbox_get(struct ripc_mbox *mb, void *buf, size_t cap, size_t *len, ripc_timeout_t timeout);

/**
 * @brief Copy the message at the front without taking it, waiting while the mailbox is empty.
 * @param mb Mailbox.
 * @param buf Where to copy the message; may be NULL when @p cap is 0.
 * @param cap Bytes at @p buf.
 * @param[out] len Bytes of the message (on 0 and -ENOBUFS only).
 * @param timeout How long to wait for a message.
 * @retval 0 Copied; the message stays in the mailbox.
 * @retval -EINVAL As for ripc_mbox_get.
 * @retval -ENOBUFS The front message is larger than @p cap; @p *len is its size.
 * @retval -EAGAIN The mailbox was empty and @p timeout is RIPC_NO_WAIT.
 * @retval -ETIMEDOUT The mailbox stayed empty until the deadline.
 *
 * With other getters running, the message may be gone by the time this returns. A peek does
 * not take the wake-up a put gives to one sleeper: it hands it on to the next one.
 * Context: thread or process; may block until @p timeout. Not for signal handlers.
 */
int ripc_mbox_peek(struct ripc_mbox *mb, void *buf, size_t cap, size_t *len,
		   ripc_timeout_t timeout);

/**
 * @brief Discard every message, in both lanes.
 * @param mb Mailbox.
 * @return The number of messages discarded (0 or more), or -EINVAL when @p mb is NULL or not
 *         initialised.
 *
 * Putters waiting for room are woken, one per slot freed. Getters waiting for a message are
 * not woken: they keep waiting for the next put (or their deadline). Messages put while the
 * purge runs, and a put still copying its message, may survive it.
 * Context: thread or process; never blocks.
 */
int ripc_mbox_purge(struct ripc_mbox *mb);

/**
 * @brief Count the messages in the mailbox, both lanes.
 * @param mb Mailbox.
 * @return Messages in the mailbox, including puts still copying their message, at most
 *         depth + RIPC_MBOX_URGENT_DEPTH(depth); 0 when @p mb is NULL or not initialised.
 *         The value may be stale on return.
 *
 * Context: any, including signal handlers.
 */
uint32_t ripc_mbox_count(const struct ripc_mbox *mb);

/**
 * @brief Count the free slots for ripc_mbox_put (the normal lane).
 * @param mb Mailbox.
 * @return depth minus the normal messages, 0 .. depth; 0 when @p mb is NULL or not
 *         initialised. Urgent messages do not use these slots. The value may be stale on
 *         return.
 *
 * Context: any, including signal handlers.
 */
uint32_t ripc_mbox_space(const struct ripc_mbox *mb);

#ifdef __cplusplus
}
#endif

#endif /* RIPC_MBOX_H */
