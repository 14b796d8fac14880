/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The port contract: everything core/ needs from an operating system.
 *
 * core/ is portable C11 and includes no OS header; it reaches the OS only through the
 * functions below. A port implements all of them, in its own folder (port/posix/ for Linux),
 * one concern per file. The guarantees stated here are what core/ relies on; a port that
 * gives weaker ones breaks the objects built on it.
 *
 * Errors are negative errno values, as everywhere in ripc. No function here allocates
 * memory, and none sets errno in a way visible to the caller.
 */
#ifndef RIPC_PORT_H
#define RIPC_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ripc/common.h>

/** Deadline value meaning "no deadline": wait forever. */
#define RIPC_PORT_FOREVER INT64_MAX

/* ---- Clock ------------------------------------------------------------------------------- */

/**
 * Monotonic time in nanoseconds (CLOCK_MONOTONIC on Linux): never jumps with wall-clock
 * changes, the same clock in every process of the machine. Async-signal-safe.
 */
int64_t ripc_port_clock_ns(void);

/* ---- Futex-style wait and wake on a 32-bit word ----------------------------------------- */

/**
 * Sleep while `*word == expected`, until woken or until the absolute monotonic
 * @p deadline_ns (RIPC_PORT_FOREVER: no deadline). The check and the sleep are one atomic
 * step against ripc_port_futex_wake on the same word, in the same or another process (the
 * word may sit in shared memory mapped at different addresses).
 *
 * May return early (0) without a wake: the caller always re-checks its condition and calls
 * again with the same deadline, so a retry never extends the wait.
 *
 * @retval 0 Woken, or returned spuriously.
 * @retval -EAGAIN `*word != expected` at the time of the call.
 * @retval -ETIMEDOUT The deadline passed.
 * @retval -EINTR A signal handler ran.
 */
int ripc_port_futex_wait(ripc_atomic_u32_t *word, uint32_t expected, int64_t deadline_ns);

/**
 * Wake up to @p count threads sleeping in ripc_port_futex_wait on @p word, in any process.
 * Async-signal-safe.
 *
 * @return Number of threads woken (>= 0), or a negative errno.
 */
int ripc_port_futex_wake(ripc_atomic_u32_t *word, uint32_t count);

/**
 * Sleep until any of @p n words changes from its @p expected value or is woken, or until
 * the absolute monotonic @p deadline_ns, with the same atomic check-and-sleep as
 * ripc_port_futex_wait on each word (Linux futex_waitv, 5.16+). @p n is at most
 * RIPC_PORT_WAIT_ANY_MAX.
 *
 * @retval 0 Woken, changed or spurious: re-check.
 * @retval -ETIMEDOUT The deadline passed.
 * @retval -ENOSYS Not available (older kernel, qemu-user): the caller falls back to
 *         short timed waits on one word.
 * @retval -EINVAL @p n is 0 or too large.
 */
int ripc_port_futex_wait_any(ripc_atomic_u32_t *const *words, const uint32_t *expected, size_t n,
			     int64_t deadline_ns);

/** Most words ripc_port_futex_wait_any takes (the kernel's limit). */
#define RIPC_PORT_WAIT_ANY_MAX 128

/* ---- Priority-inheriting lock word (Linux PI futex) -------------------------------------- */

/** Bits of a PI lock word, as the Linux kernel defines them. */
#define RIPC_PORT_LOCK_WAITERS    0x80000000u /**< Some thread sleeps on the word. */
#define RIPC_PORT_LOCK_OWNER_DIED 0x40000000u /**< The owner died holding the lock. */
#define RIPC_PORT_LOCK_TID_MASK   0x3fffffffu /**< Thread id of the owner, 0 when free. */

/**
 * Whether the kernel implements PI futexes (false under emulators that do not). The answer is
 * probed once and cached.
 */
bool ripc_port_pi_supported(void);

/**
 * Acquire a PI lock word for the calling thread, sleeping until the absolute monotonic
 * @p deadline_ns. While it sleeps, the kernel lends the caller's priority to the owner. On
 * success the word holds the caller's thread id, possibly with RIPC_PORT_LOCK_WAITERS and
 * RIPC_PORT_LOCK_OWNER_DIED set.
 *
 * @retval 0 Acquired.
 * @retval -ETIMEDOUT The deadline passed.
 * @retval -EAGAIN The owner is exiting; call again.
 * @retval -ESRCH The owner recorded in the word no longer exists and left no robust-list
 *         record; the caller may take the lock over.
 * @retval -EDEADLK The caller already owns it.
 * @retval -ENOSYS PI futexes are not implemented.
 */
int ripc_port_pi_lock(ripc_atomic_u32_t *word, int64_t deadline_ns);

/**
 * Try to acquire a PI lock word without sleeping; handles the words that user space must not
 * take over itself (waiters queued, owner died).
 *
 * @retval 0 Acquired. @retval -EAGAIN (or -EWOULDBLOCK) Owned by another thread.
 * @retval -ESRCH, -EDEADLK, -ENOSYS As for ripc_port_pi_lock.
 */
int ripc_port_pi_trylock(ripc_atomic_u32_t *word);

/**
 * Release a PI lock word owned by the caller whose waiters bit is set, handing it to the
 * highest-priority waiter.
 *
 * @retval 0 Released. @retval -EPERM The caller is not the owner.
 */
int ripc_port_pi_unlock(ripc_atomic_u32_t *word);

/* ---- Thread identity --------------------------------------------------------------------- */

/**
 * Kernel thread id of the caller, unique among live threads of the machine (per PID
 * namespace) and at most RIPC_PORT_LOCK_TID_MASK. Cheap after the first call in a thread;
 * correct in the child after fork(). Async-signal-safe.
 */
uint32_t ripc_port_thread_id(void);

/* ---- Robust list: the kernel unlocks what a dying thread held ---------------------------- */

/**
 * Where, inside @p area (a block of @p len bytes placed right after the lock @p word in a
 * lock object), this thread's robust-list link for @p word lives; NULL when this thread has no
 * robust list (not supported here) or the area cannot hold it. The link is used by the lock's
 * owner only.
 */
void *ripc_port_robust_node(ripc_atomic_u32_t *word, void *area, size_t len);

/**
 * Announce that the caller is about to acquire the lock whose link is @p node. If the thread
 * dies before ripc_port_robust_link or ripc_port_robust_settle, the kernel still examines the
 * word.
 */
void ripc_port_robust_pending(void *node);

/**
 * Add @p node to the calling thread's robust list after it acquired the lock, and clear the
 * pending announcement. From now on, if the thread dies, the kernel sets
 * RIPC_PORT_LOCK_OWNER_DIED in the word and wakes a waiter.
 */
void ripc_port_robust_link(void *node);

/**
 * Remove @p node from the calling thread's robust list before the lock is released. Leaves
 * the release announced as pending until ripc_port_robust_settle.
 */
void ripc_port_robust_unlink(void *node);

/** Clear the pending announcement once the acquire failed or the release is done. */
void ripc_port_robust_settle(void);

/* ---- Processor --------------------------------------------------------------------------- */

/** Tell the processor the caller is spinning (x86 `pause`, Arm `yield`). */
void ripc_port_cpu_relax(void);

/* ---- Shared memory ------------------------------------------------------------------------ */

/**
 * Map the named shared-memory region @p name ("/name", one slash) of exactly @p len bytes,
 * creating it if it does not exist. A new region is created exclusively (O_EXCL) with
 * exactly the permission bits @p mode (the umask does not apply) and is zero-filled. An
 * existing region must belong to the calling user and have size @p len, or size 0 (a
 * creator has not sized it yet; it is then sized here, which every process does alike).
 *
 * @param[out] addr Address of the mapping (MAP_SHARED, read-write) on success.
 * @retval 0 Mapped.
 * @retval -EINVAL @p name is not a valid region name.
 * @retval -EACCES The region belongs to another user, or its permissions refuse us.
 * @retval -EPROTO The region exists with another size (made from other definitions).
 * @retval -ENOMEM, -ENOSPC, ... The system could not create or map it.
 */
int ripc_port_shm_map(const char *name, size_t len, uint32_t mode, void **addr);

/** Remove a mapping made by ripc_port_shm_map. @retval 0 or a negative errno. */
int ripc_port_shm_unmap(void *addr, size_t len);

/**
 * Remove the name of a region; mappings stay valid until unmapped.
 * @retval 0 Removed. @retval -ENOENT No such region. @retval -EACCES Not ours.
 */
int ripc_port_shm_unlink(const char *name);

/* ---- POSIX signals ------------------------------------------------------------------------ */

/** A function run from inside a signal handler; must be async-signal-safe. */
typedef void (*ripc_port_signal_fn)(int signo, void *arg);

/**
 * Run @p fn(@p signo, @p arg) whenever signal @p signo arrives in this process (sigaction
 * with SA_RESTART, the handler saves and restores errno). One hook per signal; a second
 * hook for the same signal replaces the first.
 *
 * @retval 0 Installed. @retval -EINVAL Not a signal that can be caught (SIGKILL, SIGSTOP,
 *         out of range) or @p fn is NULL. @retval -ENOSPC No free hook slot.
 */
int ripc_port_signal_hook(int signo, ripc_port_signal_fn fn, void *arg);

/**
 * Remove the hook of @p signo and restore the disposition it replaced.
 * @retval 0 Removed. @retval -ENOENT No hook for @p signo.
 */
int ripc_port_signal_unhook(int signo);

/* ---- Sockets (links between boards) ---------------------------------------------------- */

/** Transport of a socket: a TCP stream or UDP datagrams. */
#define RIPC_PORT_NET_TCP 1
#define RIPC_PORT_NET_UDP 2

/** Readiness bits of ripc_port_net_wait. */
#define RIPC_PORT_NET_IN  1u /**< Readable, a connection to accept, or end of stream. */
#define RIPC_PORT_NET_OUT 2u /**< Writable, or a non-blocking connect finished. */
#define RIPC_PORT_NET_ERR 4u /**< Error or hang-up (output only). */

/** An IPv4 or IPv6 address and port, in a layout independent of the OS. */
struct ripc_port_addr {
	uint8_t family; /**< 4 or 6; 0 for an unset address. */
	uint8_t prefix; /**< Allow lists: significant leading bits of @c ip. */
	uint16_t port;  /**< Port in host order; 0 for "any". */
	uint8_t ip[16]; /**< Address bytes in network order (4 used for IPv4). */
};

/**
 * Parse "a.b.c.d:port", "[v6]:port", or without the port ("a.b.c.d", "v6", also with a
 * "/prefix" for allow lists; the port is then 0). Numeric only: no name lookup happens.
 * @retval 0 Parsed. @retval -EINVAL Not such an address.
 */
int ripc_port_net_parse(const char *text, struct ripc_port_addr *addr);

/** Write @p addr as text ("a.b.c.d:port", "[v6]:port") into @p buf; always terminated. */
void ripc_port_net_format(const struct ripc_port_addr *addr, char *buf, size_t cap);

/**
 * Open a non-blocking, close-on-exec socket of @p transport for @p family (4 or 6). TCP
 * sockets get TCP_NODELAY (frames are batched by the caller, never by Nagle).
 * @return The socket (>= 0) or a negative errno.
 */
int ripc_port_net_open(int transport, int family);

/** Bind @p fd to @p addr (SO_REUSEADDR set first). @retval 0 or a negative errno. */
int ripc_port_net_bind(int fd, const struct ripc_port_addr *addr);

/** Listen for TCP connections on a bound @p fd. @retval 0 or a negative errno. */
int ripc_port_net_listen(int fd);

/**
 * Accept one connection (non-blocking, TCP_NODELAY, close-on-exec) and report its source.
 * @return The new socket, -EAGAIN when none is pending, or another negative errno.
 */
int ripc_port_net_accept(int fd, struct ripc_port_addr *peer);

/**
 * Start connecting @p fd to @p addr. @retval 0 Connected. @retval -EINPROGRESS Wait for
 * RIPC_PORT_NET_OUT, then ask ripc_port_net_connected. Other negative errno: failed.
 */
int ripc_port_net_connect(int fd, const struct ripc_port_addr *addr);

/** Outcome of a non-blocking connect: 0 connected, or the negative errno it failed with. */
int ripc_port_net_connected(int fd);

/**
 * Send @p len bytes without blocking and without SIGPIPE; to @p to on an unconnected UDP
 * socket (NULL otherwise).
 * @return Bytes sent (TCP may send fewer), -EAGAIN when nothing fits now, -EMSGSIZE for a
 *         datagram too large, or another negative errno (-EPIPE, -ECONNRESET: the peer is gone).
 */
int ripc_port_net_send(int fd, const void *buf, size_t len, const struct ripc_port_addr *to);

/**
 * Receive without blocking; one whole datagram on UDP (its source in @p from, may be NULL).
 * @return Bytes received, 0 at the end of a TCP stream, -EAGAIN when nothing is there,
 *         -EMSGSIZE for a datagram larger than @p cap (it is dropped), or a negative errno.
 */
int ripc_port_net_recv(int fd, void *buf, size_t cap, struct ripc_port_addr *from);

/** One socket to wait for: @c want is RIPC_PORT_NET_IN/OUT, @c got is set on return. */
struct ripc_port_net_wait_item {
	int fd;        /**< Socket or notifier; negative entries are ignored. */
	uint32_t want; /**< Readiness asked for. */
	uint32_t got;  /**< Readiness found (output). */
};

/**
 * Wait until one of @p items is ready or the absolute CLOCK_MONOTONIC @p deadline_ns passes
 * (RIPC_PORT_FOREVER: no deadline). Interrupted waits are resumed against the same deadline.
 * @return Number of ready items (0 at the deadline) or a negative errno.
 */
int ripc_port_net_wait(struct ripc_port_net_wait_item *items, size_t n, int64_t deadline_ns);

/** Close a socket or notifier. */
void ripc_port_net_close(int fd);

/**
 * A notifier: a descriptor that ripc_port_net_notify makes readable, so one thread can end
 * another's ripc_port_net_wait. @return The descriptor or a negative errno.
 */
int ripc_port_net_notifier(void);

/** Make notifier @p fd readable (async-signal-safe). */
void ripc_port_net_notify(int fd);

/** Make notifier @p fd unreadable again. */
void ripc_port_net_drain(int fd);

/* ---- Diagnostics and identity -------------------------------------------------------------- */

/** Write one line of diagnostics (no newline needed) to the process's error output. */
void ripc_port_log(const char *line);

/** 64 bits that differ between processes and between calls (not for cryptography). */
uint64_t ripc_port_random64(void);

/* ---- Broken invariants ------------------------------------------------------------------- */

/**
 * Report a broken internal invariant (RIPC_ASSERT, CONFIG_RIPC_ASSERT) with its place, then
 * stop the process. Never called for bad user input, which gets -EINVAL instead.
 */
void ripc_port_assert_fail(const char *file, int line, const char *expr);

/* ---- Threads (tests, samples, and the two threads of each running link) ------------------ */

/** A thread handle; opaque. */
struct ripc_port_thread {
	uintptr_t handle; /**< The OS thread handle. */
};

/**
 * Start a thread running @p fn(@p arg). @p rt_priority > 0 asks for SCHED_FIFO at that
 * priority (needs CAP_SYS_NICE); 0 inherits the caller's policy.
 *
 * @retval 0 Started. @retval -EPERM Real-time priority refused. @retval -EAGAIN No resources.
 */
int ripc_port_thread_start(struct ripc_port_thread *t, void *(*fn)(void *), void *arg,
			   int rt_priority);

/** Wait for a thread started by ripc_port_thread_start and return what @p fn returned. */
void *ripc_port_thread_join(struct ripc_port_thread *t);

#endif /* RIPC_PORT_H */
