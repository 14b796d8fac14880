/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Event signals: 32 bits that tasks post and wait for, between threads and processes.
 *
 * An event is a word of 32 independent bits. Posting ORs bits in and wakes every waiter
 * whose condition now holds (a broadcast); a waiter waits for any or all of a set of bits
 * and may clear, on return, exactly the bits that satisfied it. That clear is one atomic
 * compare-and-swap on the word, so when several waiters want the same bit only one of them
 * consumes each post of it, and a waiter never clears a bit it did not ask for.
 *
 * Bits are flags, not counters: posting a bit that is already set changes nothing.
 * Posting is async-signal-safe, and ripc_event_bridge_signal turns a POSIX signal (SIGTERM,
 * SIGHUP, ...) into a post, so an asynchronous signal becomes an ordinary event a task
 * waits for.
 *
 * An event placed in memory that several processes map (MAP_SHARED, or a ripc domain) works
 * between those processes with the same calls, wherever each process maps it. A zero-filled
 * event is a valid event with no bit set.
 */
#ifndef RIPC_EVENT_H
#define RIPC_EVENT_H

#include <errno.h>

#include <ripc/common.h>
#include <ripc/timeout.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The event bit number @p n (0 .. 31) as a mask. */
#define RIPC_EVENT_BIT(n) (UINT32_C(1) << (n))

/** @brief ripc_event_wait flag: return when any of the requested bits is set. */
#define RIPC_EVENT_WAIT_ANY 0x1u
/** @brief ripc_event_wait flag: return when all of the requested bits are set. */
#define RIPC_EVENT_WAIT_ALL 0x2u
/** @brief ripc_event_wait flag: clear the bits that satisfied the wait, atomically. */
#define RIPC_EVENT_CLEAR 0x4u

/**
 * @brief An event: 32 bits. Fields are private; use RIPC_EVENT_DEFINE or ripc_event_init.
 *
 * 16 bytes, 4-byte aligned, the same layout for 32- and 64-bit processes.
 */
struct ripc_event {
	ripc_atomic_u32_t bits; /**< The event bits; changed by atomic read-modify-write only. */
	struct ripc_waitq wq;   /**< Where waiters sleep until a post sets a bit. */
};

/* One object serves 32- and 64-bit processes sharing memory: the layout must not vary. */
_Static_assert(sizeof(struct ripc_event) == 16, "struct ripc_event must be 16 bytes");
_Static_assert(_Alignof(struct ripc_event) == 4, "struct ripc_event must be 4-aligned");

/** @cond INTERNAL */
#define RIPC_EVENT_INITIALIZER_                          \
	{                                                \
		.bits = 0, .wq = RIPC_WAITQ_INITIALIZER_ \
	}
/** @endcond */

/**
 * @brief Define and initialise an event with no bit set, at build time.
 * @param name Name of the `struct ripc_event` variable. Prefix with `static` for file scope.
 */
#define RIPC_EVENT_DEFINE(name) struct ripc_event name = RIPC_EVENT_INITIALIZER_

/**
 * @brief Initialise an event with no bit set, in caller-provided storage.
 * @param ev Event storage (process-local or shared memory).
 * @retval 0 Initialised.
 * @retval -EINVAL @p ev is NULL.
 *
 * Context: thread or process; must not race with other calls on the same event.
 */
int ripc_event_init(struct ripc_event *ev);

/**
 * @brief Post bits: set them (OR) and wake every waiter that is now satisfied.
 * @param ev Event.
 * @param bits Bits to set; at least one.
 * @retval 0 Posted. Bits that were already set stay set; a post is not counted.
 * @retval -EINVAL @p ev is NULL or @p bits is 0.
 *
 * Enters the kernel only when the post sets a bit that was clear and somebody sleeps.
 * Context: any, including signal handlers (async-signal-safe); never blocks.
 */
int ripc_event_post(struct ripc_event *ev, uint32_t bits);

/**
 * @brief Replace all bits with @p bits and wake every waiter that is now satisfied.
 * @param ev Event.
 * @param bits The new value of the whole word; 0 clears every bit.
 * @retval 0 Set.
 * @retval -EINVAL @p ev is NULL.
 *
 * Context: any, including signal handlers (async-signal-safe); never blocks.
 */
int ripc_event_set(struct ripc_event *ev, uint32_t bits);

/**
 * @brief Clear bits; waiters are not woken (clearing satisfies no wait).
 * @param ev Event.
 * @param bits Bits to clear; at least one.
 * @retval 0 Cleared.
 * @retval -EINVAL @p ev is NULL or @p bits is 0.
 *
 * Context: any, including signal handlers (async-signal-safe); never blocks.
 */
int ripc_event_clear(struct ripc_event *ev, uint32_t bits);

/**
 * @brief Read the bits without waiting or changing them.
 * @param ev Event.
 * @return The current bits, or 0 when @p ev is NULL. The value may be stale on return.
 *
 * Context: any, including signal handlers.
 */
uint32_t ripc_event_get(const struct ripc_event *ev);

/**
 * @brief Wait until any or all of @p bits are set; optionally clear them on return.
 * @param ev Event.
 * @param bits Bits to wait for; at least one.
 * @param flags Exactly one of RIPC_EVENT_WAIT_ANY and RIPC_EVENT_WAIT_ALL, optionally
 *        ORed with RIPC_EVENT_CLEAR.
 * @param matched Where to store the bits of @p bits that were set when the wait was
 *        satisfied (with RIPC_EVENT_CLEAR: exactly the bits this call cleared); 0 on any
 *        error. May be NULL.
 * @param timeout How long to wait.
 * @retval 0 Satisfied.
 * @retval -EINVAL @p ev is NULL, @p bits is 0, or @p flags is not one wait mode plus
 *         optionally RIPC_EVENT_CLEAR.
 * @retval -EAGAIN Not satisfied and @p timeout is RIPC_NO_WAIT.
 * @retval -ETIMEDOUT Not satisfied until the deadline. Nothing was cleared.
 *
 * With RIPC_EVENT_CLEAR the check and the clear are one compare-and-swap: of several
 * waiters for the same bit, one consumes each post of it; the others keep waiting.
 * Context: thread or process; may block until @p timeout. Not for signal handlers.
 */
int ripc_event_wait(struct ripc_event *ev, uint32_t bits, uint32_t flags, uint32_t *matched,
		    ripc_timeout_t timeout);

#ifdef CONFIG_RIPC_EVENT_SIGNAL_BRIDGE

/**
 * @brief Post @p bits to @p ev whenever the POSIX signal @p signo arrives in this process.
 * @param ev Event to post to; must stay valid (and mapped) until the signal is unbridged.
 *        It may live in shared memory: a signal to this process then wakes waiters in
 *        every process that maps the event.
 * @param signo Signal number, such as SIGTERM; any signal that can be caught.
 * @param bits Bits to post; at least one.
 * @retval 0 Bridged: the signal no longer has its previous effect (for SIGTERM: no longer
 *         terminates the process); it posts @p bits instead.
 * @retval -EINVAL @p ev is NULL, @p bits is 0, or @p signo cannot be caught (SIGKILL,
 *         SIGSTOP, a number out of range or reserved by the C library).
 * @retval -EBUSY @p signo is already bridged; unbridge it first.
 * @retval -ENOSPC All CONFIG_RIPC_EVENT_SIGNAL_SLOTS slots are in use.
 *
 * The bridge is per process (like signal dispositions): a fork()ed child inherits it, a
 * program started by exec() does not. The handler is installed with SA_RESTART and keeps
 * errno intact.
 * Context: thread or process; not from signal handlers. Never blocks for long (it waits
 * only for another bridge call or a running bridge handler to finish).
 */
int ripc_event_bridge_signal(struct ripc_event *ev, int signo, uint32_t bits);

/**
 * @brief Stop posting for @p signo and restore the disposition it had before bridging.
 * @param signo A signal bridged by ripc_event_bridge_signal.
 * @retval 0 Unbridged. Once this returns no bridge handler touches the event any more, so
 *         the event may be unmapped or reused.
 * @retval -ENOENT @p signo is not bridged.
 *
 * Context: thread or process; not from signal handlers. Never blocks for long.
 */
int ripc_event_unbridge_signal(int signo);

#else /* !CONFIG_RIPC_EVENT_SIGNAL_BRIDGE */

/**
 * @brief Built without CONFIG_RIPC_EVENT_SIGNAL_BRIDGE: no signal can be bridged.
 * @param ev Ignored. @param signo Ignored. @param bits Ignored.
 * @retval -ENOTSUP Always.
 *
 * Context: any.
 */
static inline int ripc_event_bridge_signal(struct ripc_event *ev, int signo, uint32_t bits)
{
	(void)ev;
	(void)signo;
	(void)bits;
	return -ENOTSUP;
}

/**
 * @brief Built without CONFIG_RIPC_EVENT_SIGNAL_BRIDGE: nothing to unbridge.
 * @param signo Ignored.
 * @retval -ENOTSUP Always.
 *
 * Context: any.
 */
static inline int ripc_event_unbridge_signal(int signo)
{
	(void)signo;
	return -ENOTSUP;
}

#endif /* CONFIG_RIPC_EVENT_SIGNAL_BRIDGE */

#ifdef __cplusplus
}
#endif

#endif /* RIPC_EVENT_H */
