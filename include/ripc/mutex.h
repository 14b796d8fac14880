/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Recursive, robust, priority-inheriting mutexes between threads and processes.
 *
 * The lock word holds the owner's thread id in the format of the Linux PI futex, so the
 * kernel can do three things for it: boost a low-priority owner while a SCHED_FIFO thread
 * waits (priority inheritance), mark the lock when its owner dies (robust mutex: the next
 * locker gets -EOWNERDEAD), and hand it to the highest-priority waiter. Lock and unlock of
 * an uncontended mutex are one atomic instruction each and never enter the kernel.
 *
 * A mutex placed in memory that several processes map (MAP_SHARED, or a ripc domain) works
 * between those processes with the same calls. A zero-filled mutex is a valid unlocked mutex.
 */
#ifndef RIPC_MUTEX_H
#define RIPC_MUTEX_H

#include <ripc/common.h>
#include <ripc/timeout.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Deepest recursion an owner may reach. */
#define RIPC_MUTEX_MAX_DEPTH 0xffffu

/**
 * @brief A mutex. Fields are private; use RIPC_MUTEX_DEFINE or ripc_mutex_init.
 *
 * 48 bytes, 8-byte aligned, the same layout for 32- and 64-bit processes.
 */
struct ripc_mutex {
	/** PI or plain futex protocol, fixed at first contention or first robust lock. Must come
	 *  right before @c word: musl's pthread_exit() reads it as a pthread mutex type. */
	_Alignas(8) ripc_atomic_u32_t protocol;
	ripc_atomic_u32_t word; /**< Futex word: owner thread id | waiters | owner died. */
	/** Robust-list link of the owning thread, where the C library's list expects it
	 *  (word + 12 to word + 40, by C library and word size); the kernel finds the lock word
	 *  through it when the owner dies. Only the owner touches it. Must follow @c word. */
	uint32_t robust[9];
	uint16_t depth; /**< Recursion depth; written by the owner only. */
	uint16_t state; /**< Consistent, inconsistent (owner died) or not recoverable. */
};

/** @cond INTERNAL */
#define RIPC_MUTEX_INITIALIZER_                                                 \
	{                                                                       \
		.protocol = 0, .word = 0, .robust = {0}, .depth = 0, .state = 0 \
	}
/** @endcond */

/**
 * @brief Define and initialise an unlocked mutex at build time.
 * @param name Name of the `struct ripc_mutex` variable. Prefix with `static` for file scope.
 */
#define RIPC_MUTEX_DEFINE(name) struct ripc_mutex name = RIPC_MUTEX_INITIALIZER_

/**
 * @brief Initialise an unlocked mutex in caller-provided storage.
 * @param m Mutex storage (process-local or shared memory).
 * @retval 0 Initialised.
 * @retval -EINVAL @p m is NULL.
 *
 * Context: thread or process; must not race with other calls on the same mutex.
 */
int ripc_mutex_init(struct ripc_mutex *m);

/**
 * @brief Lock the mutex, waiting while another thread owns it.
 * @param m Mutex.
 * @param timeout How long to wait for the owner to unlock.
 * @retval 0 Locked (or the recursion depth of the calling owner grew by one).
 * @retval -EINVAL @p m is NULL.
 * @retval -EAGAIN Another thread owns it and @p timeout is RIPC_NO_WAIT.
 * @retval -ETIMEDOUT Another thread still owned it at the deadline.
 * @retval -EOWNERDEAD The previous owner died while holding it. The caller now owns it,
 *         but the data it protects may be half-updated: repair it and call
 *         ripc_mutex_consistent, or unlock without doing so to mark the mutex not
 *         recoverable.
 * @retval -ENOTRECOVERABLE An owner unlocked it after -EOWNERDEAD without calling
 *         ripc_mutex_consistent; the mutex stays unusable until ripc_mutex_init.
 * @retval -EOVERFLOW The caller already holds it RIPC_MUTEX_MAX_DEPTH times.
 * @retval -ENOTSUP The mutex uses priority inheritance, which this kernel (or emulator)
 *         does not provide.
 *
 * When CONFIG_RIPC_MUTEX_PI is set and the kernel supports PI futexes, a waiter lends its
 * scheduling priority to the owner until the owner unlocks.
 * Context: thread or process; may block until @p timeout. Not for signal handlers.
 */
int ripc_mutex_lock(struct ripc_mutex *m, ripc_timeout_t timeout);

/**
 * @brief Unlock the mutex once (recursive locks need as many unlocks).
 * @param m Mutex.
 * @retval 0 Unlocked one level; at depth 0 the highest-priority waiter may take it.
 * @retval -EINVAL @p m is NULL.
 * @retval -EPERM The calling thread does not own the mutex; nothing changed.
 *
 * Context: thread or process; never blocks.
 */
int ripc_mutex_unlock(struct ripc_mutex *m);

/**
 * @brief Mark a mutex consistent again after -EOWNERDEAD.
 * @param m Mutex, locked by the caller after ripc_mutex_lock returned -EOWNERDEAD.
 * @retval 0 The mutex behaves normally again.
 * @retval -EINVAL @p m is NULL or not in the owner-died state.
 * @retval -EPERM The calling thread does not own the mutex.
 *
 * Context: thread or process; never blocks.
 */
int ripc_mutex_consistent(struct ripc_mutex *m);

/**
 * @brief Tell whether the calling thread owns the mutex.
 * @param m Mutex.
 * @return true when the caller holds it at least once.
 *
 * Context: thread or process.
 */
bool ripc_mutex_is_owner(const struct ripc_mutex *m);

/**
 * @brief Tell whether owner death is detected on this system.
 * @return true when the kernel keeps the robust list for this thread, so a dying owner is
 *         reported to the next locker as -EOWNERDEAD. Emulators such as qemu-user lack it.
 *
 * Context: thread.
 */
bool ripc_mutex_robust_supported(void);

/**
 * @brief Tell whether priority inheritance is available on this system.
 * @return true when CONFIG_RIPC_MUTEX_PI is set and the kernel provides PI futexes.
 *
 * Context: thread.
 */
bool ripc_mutex_pi_supported(void);

#ifdef __cplusplus
}
#endif

#endif /* RIPC_MUTEX_H */
