/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Recursive, robust mutex with optional priority inheritance.
 *
 * Synchronisation: @c word is the lock, in the Linux PI-futex format (owner thread id,
 * waiters bit, owner-died bit). Locking a free mutex is one compare-and-swap from 0 to the
 * caller's thread id, unlocking an uncontended one the reverse; neither enters the kernel.
 * Contention goes through one of two protocols, fixed in @c protocol by the first thread
 * that meets contention (or that links the mutex into its robust list, see below) and kept
 * for the life of the mutex so that every process agrees:
 *
 * - PI: the kernel queues waiters (FUTEX_LOCK_PI), boosts the owner, hands the lock over
 *   (FUTEX_UNLOCK_PI). User space only ever swaps 0 <-> own id; every other word goes to
 *   the kernel.
 * - plain: waiters set the waiters bit and sleep on the word; an unlock that clears a word
 *   with that bit wakes one. Used where the kernel (or an emulator) lacks PI futexes.
 *
 * @c depth and @c state are touched only by the owner, under the lock. Robustness comes
 * from the kernel robust list (port), which marks the word of a dying owner.
 *
 * The robust list is the C library's, and musl's pthread_exit() empties it in user space
 * as if every entry were a pthread mutex: it reads the int before the lock word as the mutex
 * type, stores OWNER_DIED into the word and wakes one waiter, privately unless the type has
 * bit 7 (process-shared). So every chosen protocol value carries that bit, and an owner with
 * a robust list fixes the protocol before it links the mutex: a private wake would never
 * reach ripc's waiters, which wait on shared futexes.
 */
#include <errno.h>
#include <stddef.h>

#include <ripc/mutex.h>

#include "core/check.h"
#include "core/wait.h"

#define PROTO_UNSET       0u
#define PROTO_LIBC_SHARED 0x80u /* musl's PTHREAD_PROCESS_SHARED type bit; see above */
#define PROTO_PLAIN       (PROTO_LIBC_SHARED | 1u)
#define PROTO_PI          (PROTO_LIBC_SHARED | 2u)

#define STATE_CONSISTENT     0u
#define STATE_INCONSISTENT   1u /* owner died; the new owner has not repaired yet */
#define STATE_NOTRECOVERABLE 2u

#define TID_MASK   RIPC_PORT_LOCK_TID_MASK
#define WAITERS    RIPC_PORT_LOCK_WAITERS
#define OWNER_DIED RIPC_PORT_LOCK_OWNER_DIED

/* Where the C libraries put a robust entry relative to the lock word: glibc 64-bit at +32
 * (prev slot at +24), musl 64-bit at +28 (+20), glibc 32-bit at +20, musl 32-bit at +12
 * (+8). The reserved area must hold all of them; musl reads the int before the word. */
_Static_assert(offsetof(struct ripc_mutex, word) == offsetof(struct ripc_mutex, protocol) + 4,
	       "protocol must be the int right before the lock word");
_Static_assert(offsetof(struct ripc_mutex, robust) <= offsetof(struct ripc_mutex, word) + 8,
	       "robust area must start at most 8 bytes after the lock word");
_Static_assert(offsetof(struct ripc_mutex, robust) + sizeof(((struct ripc_mutex *)0)->robust) >=
		       offsetof(struct ripc_mutex, word) + 40,
	       "robust area must reach 40 bytes past the lock word");
_Static_assert(sizeof(struct ripc_mutex) == 48, "struct ripc_mutex is 48 bytes everywhere");
_Static_assert(RIPC_MUTEX_MAX_DEPTH <= UINT16_MAX, "depth must fit its field");

int ripc_mutex_init(struct ripc_mutex *m)
{
	size_t i;

	if (m == NULL)
		return -EINVAL;
	atomic_init(&m->protocol, PROTO_UNSET);
	atomic_init(&m->word, 0);
	for (i = 0; i < sizeof(m->robust) / sizeof(m->robust[0]); i++)
		m->robust[i] = 0;
	m->depth = 0;
	m->state = STATE_CONSISTENT;
	return 0;
}

static uint32_t protocol(struct ripc_mutex *m)
{
	uint32_t p = atomic_load_explicit(&m->protocol, memory_order_acquire);
	uint32_t want;

	if (p != PROTO_UNSET)
		return p;
	want = RIPC_IS_ENABLED(CONFIG_RIPC_MUTEX_PI) && ripc_port_pi_supported() ? PROTO_PI
										 : PROTO_PLAIN;
	/* First one wins; a loser adopts the winner's choice. */
	if (atomic_compare_exchange_strong_explicit(&m->protocol, &p, want, memory_order_acq_rel,
						    memory_order_acquire))
		return want;
	return p;
}

static void *robust_node(struct ripc_mutex *m)
{
	if (!RIPC_IS_ENABLED(CONFIG_RIPC_MUTEX_ROBUST))
		return NULL;
	return ripc_port_robust_node(&m->word, m->robust, sizeof(m->robust));
}

static uint32_t owner_of(uint32_t word)
{
	return word & TID_MASK;
}

/* Plain protocol: a waiter that gives up may have absorbed an unlock's wake. Make sure
 * the remaining sleepers are not stranded: wake one if the lock is free, else make the
 * owner's unlock wake one. */
static void plain_pass_wake_on(struct ripc_mutex *m)
{
	uint32_t v = atomic_load_explicit(&m->word, memory_order_relaxed);

	for (;;) {
		if (owner_of(v) == 0) {
			ripci_wake(&m->word, 1);
			return;
		}
		if ((v & WAITERS) != 0 ||
		    atomic_compare_exchange_weak_explicit(
			    &m->word, &v, v | WAITERS, memory_order_relaxed, memory_order_relaxed))
			return;
	}
}

/* Plain protocol, free word (maybe marked owner-died): try to take it. */
static int plain_take_free(struct ripc_mutex *m, uint32_t *v, uint32_t tid, bool slept)
{
	/* Keep the waiters bit if we slept or it was set: others may still sleep. */
	uint32_t nv = tid | (slept || (*v & WAITERS) != 0 ? WAITERS : 0u);

	if (!atomic_compare_exchange_strong_explicit(&m->word, v, nv, memory_order_acquire,
						     memory_order_relaxed))
		return -EAGAIN;
	return (*v & OWNER_DIED) != 0 ? -EOWNERDEAD : 0;
}

static int plain_lock(struct ripc_mutex *m, uint32_t tid, int64_t deadline)
{
	uint32_t v = atomic_load_explicit(&m->word, memory_order_relaxed);
	bool slept = false;
	int rc;

	if (owner_of(v) != 0)
		(void)ripci_spin_while_equal(&m->word, v);
	for (;;) {
		v = atomic_load_explicit(&m->word, memory_order_relaxed);
		if (owner_of(v) == 0) {
			rc = plain_take_free(m, &v, tid, slept);
			if (rc != -EAGAIN)
				return rc;
			continue;
		}
		if ((v & WAITERS) == 0 &&
		    !atomic_compare_exchange_weak_explicit(
			    &m->word, &v, v | WAITERS, memory_order_relaxed, memory_order_relaxed))
			continue;
		slept = true;
		if (ripci_wait(&m->word, v | WAITERS, deadline) == -ETIMEDOUT) {
			plain_pass_wake_on(m);
			return -ETIMEDOUT;
		}
	}
}

static int plain_trylock(struct ripc_mutex *m, uint32_t tid)
{
	uint32_t v = atomic_load_explicit(&m->word, memory_order_relaxed);

	while (owner_of(v) == 0) {
		int rc = plain_take_free(m, &v, tid, false);

		if (rc != -EAGAIN)
			return rc;
	}
	return -EAGAIN;
}

/* PI protocol: the kernel found no live owner (it died without a robust-list record).
 * No waiter is queued in the kernel in that case, so the word can be taken over here. */
static int pi_take_over(struct ripc_mutex *m, uint32_t tid)
{
	uint32_t v = atomic_load_explicit(&m->word, memory_order_relaxed);

	if (owner_of(v) == 0 || owner_of(v) == tid)
		return -EAGAIN;
	if (!atomic_compare_exchange_strong_explicit(&m->word, &v, tid | (v & WAITERS),
						     memory_order_acquire, memory_order_relaxed))
		return -EAGAIN;
	return -EOWNERDEAD;
}

/* PI protocol: interpret what the kernel answered to a lock or trylock. */
static int pi_result(struct ripc_mutex *m, uint32_t tid, int rc)
{
	uint32_t v;

	switch (rc) {
	case 0:
		/* Acquire edge for tools that cannot see the kernel's hand-over. */
		v = atomic_load_explicit(&m->word, memory_order_acquire);
		if ((v & OWNER_DIED) == 0)
			return 0;
		atomic_fetch_and_explicit(&m->word, ~OWNER_DIED, memory_order_relaxed);
		return -EOWNERDEAD;
	case -ESRCH:
		return pi_take_over(m, tid);
	case -ENOSYS:
		return -ENOTSUP;
	default:
		return rc;
	}
}

static int pi_lock(struct ripc_mutex *m, uint32_t tid, int64_t deadline)
{
	uint32_t v = atomic_load_explicit(&m->word, memory_order_relaxed);
	uint32_t zero = 0;
	int rc;

	if (owner_of(v) != 0 && (v & OWNER_DIED) == 0 && ripci_spin_while_equal(&m->word, v) &&
	    atomic_compare_exchange_strong_explicit(&m->word, &zero, tid, memory_order_acquire,
						    memory_order_relaxed))
		return 0;
	do {
		ripci_stats_pi_call();
		rc = pi_result(m, tid, ripc_port_pi_lock(&m->word, deadline));
	} while (rc == -EAGAIN || rc == -EINTR);
	return rc;
}

static int pi_trylock(struct ripc_mutex *m, uint32_t tid)
{
	uint32_t v = atomic_load_explicit(&m->word, memory_order_relaxed);
	int rc;

	/* Plainly owned by a live thread: no need to ask the kernel. */
	if (owner_of(v) != 0 && (v & OWNER_DIED) == 0)
		return -EAGAIN;
	ripci_stats_pi_call();
	rc = pi_result(m, tid, ripc_port_pi_trylock(&m->word));
	return rc == -EINTR ? -EAGAIN : rc;
}

static int lock_contended(struct ripc_mutex *m, uint32_t tid, ripc_timeout_t timeout)
{
	bool pi = protocol(m) == PROTO_PI;

	if (ripc_timeout_is_no_wait(timeout))
		return pi ? pi_trylock(m, tid) : plain_trylock(m, tid);
	if (pi)
		return pi_lock(m, tid, ripci_deadline(timeout));
	return plain_lock(m, tid, ripci_deadline(timeout));
}

/* Give the word back; the caller owns it at depth 1 and has left the robust list. */
static void release(struct ripc_mutex *m, uint32_t tid)
{
	uint32_t v = tid;

	if (atomic_compare_exchange_strong_explicit(&m->word, &v, 0, memory_order_release,
						    memory_order_relaxed))
		return;
	if (protocol(m) == PROTO_PI) {
		/* Release edge for tools that cannot see the kernel's hand-over. */
		atomic_fetch_or_explicit(&m->word, 0, memory_order_release);
		ripci_stats_pi_call();
		(void)ripc_port_pi_unlock(&m->word);
		return;
	}
	v = atomic_exchange_explicit(&m->word, 0, memory_order_release);
	if ((v & WAITERS) != 0)
		ripci_wake(&m->word, 1);
}

static void unlock_last(struct ripc_mutex *m, uint32_t tid)
{
	void *node = robust_node(m);

	m->depth = 0;
	if (node != NULL)
		ripc_port_robust_unlink(node);
	release(m, tid);
	if (node != NULL)
		ripc_port_robust_settle();
}

/* The caller holds the word now (rc 0 or -EOWNERDEAD): record it and apply the state. */
static int finish_lock(struct ripc_mutex *m, uint32_t tid, void *node, int rc)
{
	if (node != NULL) {
		/* musl may read the protocol at this thread's exit (see the file comment). */
		(void)protocol(m);
		ripc_port_robust_link(node);
	}
	m->depth = 1;
	if (rc == -EOWNERDEAD) {
		m->state = STATE_INCONSISTENT;
		return rc;
	}
	if (m->state == STATE_NOTRECOVERABLE) {
		unlock_last(m, tid);
		return -ENOTRECOVERABLE;
	}
	return 0;
}

int ripc_mutex_lock(struct ripc_mutex *m, ripc_timeout_t timeout)
{
	uint32_t tid, zero = 0;
	void *node;
	int rc;

	if (m == NULL)
		return -EINVAL;
	tid = ripc_port_thread_id();
	if (owner_of(atomic_load_explicit(&m->word, memory_order_relaxed)) == tid) {
		if (m->depth >= RIPC_MUTEX_MAX_DEPTH)
			return -EOVERFLOW;
		m->depth++;
		return 0;
	}
	node = robust_node(m);
	if (node != NULL)
		ripc_port_robust_pending(node);
	if (atomic_compare_exchange_strong_explicit(&m->word, &zero, tid, memory_order_acquire,
						    memory_order_relaxed))
		rc = 0;
	else
		rc = lock_contended(m, tid, timeout);
	if (rc != 0 && rc != -EOWNERDEAD) {
		if (node != NULL)
			ripc_port_robust_settle();
		return rc;
	}
	return finish_lock(m, tid, node, rc);
}

int ripc_mutex_unlock(struct ripc_mutex *m)
{
	uint32_t tid;

	if (m == NULL)
		return -EINVAL;
	tid = ripc_port_thread_id();
	if (owner_of(atomic_load_explicit(&m->word, memory_order_relaxed)) != tid)
		return -EPERM;
	RIPC_ASSERT(m->depth >= 1);
	if (m->depth > 1) {
		m->depth--;
		return 0;
	}
	/* Unlocked without repair after -EOWNERDEAD: nobody may trust the data again. */
	if (m->state == STATE_INCONSISTENT)
		m->state = STATE_NOTRECOVERABLE;
	unlock_last(m, tid);
	return 0;
}

int ripc_mutex_consistent(struct ripc_mutex *m)
{
	if (m == NULL)
		return -EINVAL;
	if (!ripc_mutex_is_owner(m))
		return -EPERM;
	if (m->state != STATE_INCONSISTENT)
		return -EINVAL;
	m->state = STATE_CONSISTENT;
	return 0;
}

bool ripc_mutex_is_owner(const struct ripc_mutex *m)
{
	uint32_t v;

	if (m == NULL)
		return false;
	/* Only read; the cast drops const for the C11 atomic load. */
	v = atomic_load_explicit((ripc_atomic_u32_t *)&m->word, memory_order_relaxed);
	return owner_of(v) == ripc_port_thread_id();
}

bool ripc_mutex_robust_supported(void)
{
	struct ripc_mutex probe = RIPC_MUTEX_INITIALIZER_;

	return RIPC_IS_ENABLED(CONFIG_RIPC_MUTEX_ROBUST) && robust_node(&probe) != NULL;
}

bool ripc_mutex_pi_supported(void)
{
	return RIPC_IS_ENABLED(CONFIG_RIPC_MUTEX_PI) && ripc_port_pi_supported();
}
