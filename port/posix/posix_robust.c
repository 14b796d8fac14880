/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Robust-list membership of held locks (POSIX port, Linux).
 *
 * When a thread dies, the kernel walks the list registered with set_robust_list(2): for each
 * entry it finds the lock word at entry + futex_offset and, if the word names the dying
 * thread, sets FUTEX_OWNER_DIED and wakes a waiter. A thread has exactly one registered
 * list, and the C library (glibc always, musl on first use of a robust pthread mutex)
 * already owns it. Replacing it would silently break the C library's robust mutexes, so
 * ripc joins the C library's list instead:
 *
 * - the entry of a ripc mutex is placed at word - futex_offset of the library's head, inside
 *   the reserved area that follows the word in struct ripc_mutex;
 * - like the C library's own entries, each entry is preceded by a pointer-sized "prev" slot
 *   that holds the address of the previous entry's next field. glibc (64-bit) and musl keep
 *   the list doubly linked through these slots and write them in their neighbours; ripc does
 *   the same, and finds its own predecessor by walking from the head, which needs no trust in
 *   any prev slot;
 * - entry pointers never carry the kernel's "PI" mark (bit 0): musl follows them without
 *   masking it. Unmarked, a dying owner of a PI word still gets OWNER_DIED set by the robust
 *   walk, and the kernel's PI-state cleanup then hands the lock to the top waiter.
 *
 * All of it is per-thread state touched only by its thread (and by the kernel at its death),
 * so no atomic instructions are needed; signal fences keep the compiler from reordering the
 * publication of an entry with the writes that complete it.
 */
#define _GNU_SOURCE /* syscall(), gettid and Linux-specific declarations */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "port/port.h"
#include "port/posix/posix_robust.h"
#include "port/posix/posix_sys.h"

/* glibc on 32-bit targets keeps a singly linked list without prev slots. */
#if defined(__GLIBC__) && UINTPTR_MAX == 0xffffffffu
#define RIPC_ROBUST_PREV_SLOTS 0
#else
#define RIPC_ROBUST_PREV_SLOTS 1
#endif

/* The kernel gives up on lists longer than this; so does the walk below. */
#define RIPC_ROBUST_LIST_LIMIT 2048

/* struct robust_list_head of the kernel ABI. */
struct ripc_robust_head {
	void *list;
	long futex_offset;
	void *list_op_pending;
};

/* This thread's head: NULL until looked up, ripc_robust_none when there is none. */
static _Thread_local struct ripc_robust_head *ripc_head;
static struct ripc_robust_head ripc_robust_none;

/* In the child after fork(): the only thread holds none of the parent's locks, and the kernel
 * dropped the registration. glibc empties the inherited list itself; musl keeps the parent's
 * entries, some of them ripc links in shared memory that other processes now rewrite. Empty
 * it as glibc does, before anything links into it again. */
void ripc_posix_robust_forget(void)
{
	struct ripc_robust_head *head = ripc_head;

	if (head != NULL && head != &ripc_robust_none) {
		head->list = &head->list;
		head->list_op_pending = NULL;
	}
	ripc_head = NULL;
}

static void *ptr_load(const void *slot)
{
	void *p;

	memcpy(&p, slot, sizeof(p));
	return p;
}

static void ptr_store(void *slot, void *p)
{
	memcpy(slot, &p, sizeof(p));
}

static void *strip_pi(void *p)
{
	return (void *)((uintptr_t)p & ~(uintptr_t)1);
}

static struct ripc_robust_head *query_head(void)
{
	struct ripc_robust_head *head = NULL;
	size_t len = 0;
	long r = ripc_posix_syscall(SYS_get_robust_list, 0, (long)&head, (long)&len, 0, 0, 0);

	if (r < 0 || head == NULL || len != sizeof(*head))
		return NULL;
	return head;
}

/* Have the C library register its robust list for this thread: musl does it on the first
 * lock of a robust, process-shared pthread mutex (private ones it cleans up itself at thread
 * exit, without the kernel); glibc already did at thread start. */
static void make_libc_register(void)
{
	pthread_mutexattr_t attr;
	pthread_mutex_t m;

	if (pthread_mutexattr_init(&attr) != 0)
		return;
	if (pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST) == 0 &&
	    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) == 0 &&
	    pthread_mutex_init(&m, &attr) == 0) {
		if (pthread_mutex_lock(&m) == 0)
			(void)pthread_mutex_unlock(&m);
		(void)pthread_mutex_destroy(&m);
	}
	(void)pthread_mutexattr_destroy(&attr);
}

static struct ripc_robust_head *thread_head(void)
{
	struct ripc_robust_head *head = ripc_head;

	if (head != NULL)
		return head == &ripc_robust_none ? NULL : head;
	head = query_head();
	if (head == NULL) {
		make_libc_register();
		head = query_head();
	}
	ripc_head = head != NULL ? head : &ripc_robust_none;
	return head;
}

void *ripc_port_robust_node(ripc_atomic_u32_t *word, void *area, size_t len)
{
	struct ripc_robust_head *head = thread_head();
	char *node, *lo = area, *hi = (char *)area + len;

	if (head == NULL)
		return NULL;
	node = (char *)word - head->futex_offset;
	if (node - sizeof(void *) < lo || node + sizeof(void *) > hi)
		return NULL;
	return node;
}

void ripc_port_robust_pending(void *node)
{
	struct ripc_robust_head *head = ripc_head;

	head->list_op_pending = node;
	atomic_signal_fence(memory_order_seq_cst);
}

void ripc_port_robust_link(void *node)
{
	struct ripc_robust_head *head = ripc_head;
	void *first = head->list;
	char *next = strip_pi(first);

	ptr_store(node, first);
	ptr_store((char *)node - sizeof(void *), &head->list);
	if (RIPC_ROBUST_PREV_SLOTS && next != (char *)&head->list)
		ptr_store(next - sizeof(void *), node);
	atomic_signal_fence(memory_order_seq_cst);
	head->list = node;
	atomic_signal_fence(memory_order_seq_cst);
	head->list_op_pending = NULL;
}

void ripc_port_robust_unlink(void *node)
{
	struct ripc_robust_head *head = ripc_head;
	void **pred = &head->list;
	char *next;
	int n;

	ripc_port_robust_pending(node);
	for (n = 0; strip_pi(ptr_load(pred)) != node; n++) {
		char *cur = strip_pi(ptr_load(pred));

		/* Not on the list (or the list is damaged): nothing to unlink. */
		if (cur == (char *)&head->list || n >= RIPC_ROBUST_LIST_LIMIT)
			return;
		pred = (void **)cur;
	}
	ptr_store(pred, ptr_load(node));
	next = strip_pi(ptr_load(node));
	if (RIPC_ROBUST_PREV_SLOTS && next != (char *)&head->list)
		ptr_store(next - sizeof(void *), pred);
	atomic_signal_fence(memory_order_seq_cst);
}

void ripc_port_robust_settle(void)
{
	struct ripc_robust_head *head = ripc_head;

	atomic_signal_fence(memory_order_seq_cst);
	if (head != NULL && head != &ripc_robust_none)
		head->list_op_pending = NULL;
}
