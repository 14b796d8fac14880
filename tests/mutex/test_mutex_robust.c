/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Robust mutexes: owners that are killed or exit while holding a mutex, and the C
 *        library's robust pthread mutexes sharing the same per-thread robust list.
 *
 * Owners are real: child processes killed with SIGKILL, and threads that end in
 * pthread_exit(). Where the kernel keeps no robust list (qemu-user) the tests that need one
 * are reported as skipped, with the reason. The robust list itself is inspected through
 * get_robust_list(2) after every step of the mixed pthread/ripc sequences: it must lead back
 * to its head, hold exactly the locks held, and (64-bit glibc, musl) keep every "prev" slot
 * pointing at the entry before it, as the C library relies on. The two pthread mutexes are
 * always taken p1 before p2 (ThreadSanitizer reports inverted orders); the ripc mutexes and
 * the unlock orders vary.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "port/port.h"
#include "ripc_test.h"

/* core/mutex.c keeps its protocol values private; these copies force one before first use. */
#define TEST_PROTO_AUTO  0u
#define TEST_PROTO_PLAIN 0x81u
#define TEST_PROTO_PI    0x82u

/* 32-bit glibc keeps a singly linked robust list; everyone else has prev slots. */
#if defined(__GLIBC__) && UINTPTR_MAX == 0xffffffffu
#define LIST_HAS_PREV_SLOTS 0
#else
#define LIST_HAS_PREV_SLOTS 1
#endif

/* Child exit codes. */
#define CHILD_OK        0
#define CHILD_FAILED    1
#define CHILD_OWNERDEAD 10
#define CHILD_GOT_IT    20
#define CHILD_ABANDONED 99

static unsigned int proto_auto = TEST_PROTO_AUTO;
static unsigned int proto_plain = TEST_PROTO_PLAIN;

/* The lockable objects of a plan: two ripc mutexes, two robust pthread mutexes. */
enum obj { OBJ_END, OBJ_M1, OBJ_M2, OBJ_P1, OBJ_P2 };

struct shm {
	struct ripc_mutex m1;
	struct ripc_mutex m2;
	pthread_mutex_t p1; /* robust, process-shared */
	pthread_mutex_t p2; /* robust, process-shared, priority-inheriting where available */
	atomic_int phase;
	atomic_int waiting;
	unsigned long counter;
	enum obj plan[8]; /* what an owner locks, in order */
	pid_t parent;
	bool have_pthread; /* p1 and p2 initialised */
};

/* ---- Helpers ------------------------------------------------------------------------- */

static void require_robust(void)
{
	if (!ripc_mutex_robust_supported())
		RIPC_TEST_SKIP(
			"owner death cannot be detected here: the kernel keeps no robust list "
			"for this thread (qemu-user answers ENOSYS to set_robust_list)");
}

static void init_pthread_robust(pthread_mutex_t *p, bool pi)
{
	pthread_mutexattr_t a;

	assert_int_equal(pthread_mutexattr_init(&a), 0);
	assert_int_equal(pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST), 0);
	assert_int_equal(pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED), 0);
	if (pi && pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT) != 0)
		print_message("no PTHREAD_PRIO_INHERIT here: p2 is a plain robust mutex\n");
	assert_int_equal(pthread_mutex_init(p, &a), 0);
	assert_int_equal(pthread_mutexattr_destroy(&a), 0);
}

static struct shm *shm_setup(void **state)
{
	struct shm *s = ripc_test_shared_alloc(sizeof(*s));
	unsigned int proto = state != NULL ? *(unsigned int *)*state : TEST_PROTO_AUTO;

	assert_int_equal(ripc_mutex_init(&s->m1), 0);
	assert_int_equal(ripc_mutex_init(&s->m2), 0);
	/* Force the protocol the library would otherwise pick at first contention. */
	atomic_store(&s->m1.protocol, proto);
	atomic_store(&s->m2.protocol, proto);
	/* musl refuses robust pthread mutexes (ENOSYS) where the kernel keeps no robust list;
	 * only tests that passed require_robust() use them. */
	s->have_pthread = ripc_mutex_robust_supported();
	if (s->have_pthread) {
		init_pthread_robust(&s->p1, false);
		init_pthread_robust(&s->p2, true);
	}
	s->parent = getpid();
	return s;
}

static void shm_free(struct shm *s)
{
	if (s->have_pthread) {
		pthread_mutex_destroy(&s->p1);
		pthread_mutex_destroy(&s->p2);
	}
	ripc_test_shared_free(s, sizeof(*s));
}

static void set_plan(struct shm *s, const enum obj *plan, size_t n)
{
	memset(s->plan, 0, sizeof(s->plan));
	memcpy(s->plan, plan, n * sizeof(*plan));
}

/* Lock or unlock one object; negative errno like ripc, for pthread's positive codes too. */
static int lock_obj(struct shm *s, enum obj o)
{
	switch (o) {
	case OBJ_M1:
		return ripc_mutex_lock(&s->m1, RIPC_SEC(10));
	case OBJ_M2:
		return ripc_mutex_lock(&s->m2, RIPC_SEC(10));
	case OBJ_P1:
		return -pthread_mutex_lock(&s->p1);
	case OBJ_P2:
		return -pthread_mutex_lock(&s->p2);
	default:
		return -EINVAL;
	}
}

static int unlock_obj(struct shm *s, enum obj o)
{
	switch (o) {
	case OBJ_M1:
		return ripc_mutex_unlock(&s->m1);
	case OBJ_M2:
		return ripc_mutex_unlock(&s->m2);
	case OBJ_P1:
		return -pthread_mutex_unlock(&s->p1);
	case OBJ_P2:
		return -pthread_mutex_unlock(&s->p2);
	default:
		return -EINVAL;
	}
}

static int make_consistent(struct shm *s, enum obj o)
{
	switch (o) {
	case OBJ_M1:
		return ripc_mutex_consistent(&s->m1);
	case OBJ_M2:
		return ripc_mutex_consistent(&s->m2);
	case OBJ_P1:
		return -pthread_mutex_consistent(&s->p1);
	case OBJ_P2:
		return -pthread_mutex_consistent(&s->p2);
	default:
		return -EINVAL;
	}
}

/* Keep what was locked until SIGKILL; give up if the parent is gone or after 60 s. */
static int hang_until_killed(struct shm *s)
{
	int i;

	for (i = 0; i < 6000 && getppid() == s->parent; i++)
		ripc_test_sleep_ms(10);
	return CHILD_ABANDONED;
}

static int lock_plan(struct shm *s)
{
	size_t i;

	for (i = 0; s->plan[i] != OBJ_END; i++)
		if (lock_obj(s, s->plan[i]) != 0)
			return -1;
	return 0;
}

/* Child: lock the plan (m1 twice, to show the depth is not inherited), report, and hang. */
static int lock_plan_and_hang(void *arg)
{
	struct shm *s = arg;

	if (lock_plan(s) != 0 || ripc_mutex_lock(&s->m1, RIPC_NO_WAIT) != 0)
		return CHILD_FAILED;
	atomic_store(&s->phase, 1);
	return hang_until_killed(s);
}

static void wait_phase(struct shm *s, int phase)
{
	while (atomic_load(&s->phase) < phase)
		ripc_test_sleep_ms(1);
}

static void kill_child(pid_t pid)
{
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(ripc_test_wait(pid), 128 + SIGKILL);
}

/* A child process locks the plan and is killed with everything held. */
static void kill_owner_holding_plan(struct shm *s)
{
	pid_t pid;

	atomic_store(&s->phase, 0);
	pid = ripc_test_fork(lock_plan_and_hang, s);
	wait_phase(s, 1);
	kill_child(pid);
}

/* Child: what a lock attempt by another process returns (a success is undone at once). */
static int report_lock_rc(void *arg)
{
	struct shm *s = arg;
	int rc = ripc_mutex_lock(&s->m1, RIPC_NO_WAIT);

	if (rc == 0 && ripc_mutex_unlock(&s->m1) != 0)
		return CHILD_FAILED;
	return -rc;
}

static int lock_rc_in_other_process(struct shm *s)
{
	return -ripc_test_wait(ripc_test_fork(report_lock_rc, s));
}

static void wait_for_waiters_bit(ripc_atomic_u32_t *word)
{
	/* The first sleeper sets it (the kernel for PI, the waiter for the plain protocol). */
	while ((atomic_load(word) & RIPC_PORT_LOCK_WAITERS) == 0)
		ripc_test_sleep_ms(1);
}

/* ---- The robust list as the kernel and the C library see it ----------------------------- */

struct test_robust_head {
	void *list;
	long futex_offset;
	void *list_op_pending;
};

static struct test_robust_head *robust_head(void)
{
	struct test_robust_head *h = NULL;
	size_t len = 0;

	if (syscall(SYS_get_robust_list, 0, &h, &len) != 0)
		return NULL;
	return h;
}

static void *load_ptr(const void *at)
{
	void *p;

	/* Entries may be unaligned for this libc: ripc places them where the libc expects. */
	memcpy(&p, at, sizeof(p));
	return p;
}

/* Entries on this thread's robust list; -1: it does not lead back to the head; -2: a prev
 * slot does not name its predecessor; -3: an operation is still marked pending. */
static int robust_list_length(void)
{
	struct test_robust_head *h = robust_head();
	char *head, *prev, *cur;
	int n;

	if (h == NULL)
		return 0; /* nothing registered yet (musl registers on first use) */
	if (h->list_op_pending != NULL)
		return -3;
	head = prev = (char *)&h->list;
	cur = (char *)((uintptr_t)h->list & ~(uintptr_t)1);
	for (n = 0; n <= 64 && cur != head; n++) {
		if (LIST_HAS_PREV_SLOTS && load_ptr(cur - sizeof(void *)) != prev)
			return -2;
		prev = cur;
		cur = (char *)((uintptr_t)load_ptr(cur) & ~(uintptr_t)1);
	}
	return cur == head ? n : -1;
}

/* Run one lock/unlock sequence in this thread, checking the list after every step. */
static void run_sequence(struct shm *s, const enum obj *ops, size_t n, const bool *is_lock)
{
	int held = 0;
	size_t i;

	assert_int_equal(robust_list_length(), 0);
	for (i = 0; i < n; i++) {
		if (is_lock[i]) {
			assert_int_equal(lock_obj(s, ops[i]), 0);
			held++;
		} else {
			assert_int_equal(unlock_obj(s, ops[i]), 0);
			held--;
		}
		assert_int_equal(robust_list_length(), held);
	}
	assert_int_equal(held, 0);
	assert_int_equal(robust_list_length(), 0);
}

/* After an owner died holding the plan: each object reports it, then is repaired. */
static void expect_plan_owner_dead(struct shm *s)
{
	size_t i;

	for (i = 0; s->plan[i] != OBJ_END; i++) {
		assert_int_equal(lock_obj(s, s->plan[i]), -EOWNERDEAD);
		assert_int_equal(make_consistent(s, s->plan[i]), 0);
	}
	assert_int_equal(robust_list_length(), (int)i);
	for (i = 0; s->plan[i] != OBJ_END; i++)
		assert_int_equal(unlock_obj(s, s->plan[i]), 0);
	assert_int_equal(robust_list_length(), 0);
	/* All usable again. */
	for (i = 0; s->plan[i] != OBJ_END; i++) {
		assert_int_equal(lock_obj(s, s->plan[i]), 0);
		assert_int_equal(unlock_obj(s, s->plan[i]), 0);
	}
}

/* ---- Tests: support ------------------------------------------------------------------- */

static void test_mutex_robust_is_supported_where_kernel_keeps_robust_lists(void **state)
{
	struct test_robust_head *h = NULL;
	size_t len = 0;

	(void)state;
	/* Asked before any ripc use: musl registers lazily, so the head may still be NULL. */
	if (syscall(SYS_get_robust_list, 0, &h, &len) != 0)
		RIPC_TEST_SKIP("get_robust_list fails (errno %d): no robust list in this kernel or "
			       "emulator (qemu-user)",
			       errno);
	assert_true(ripc_mutex_robust_supported());
}

static void test_mutex_robust_owner_shows_libc_a_process_shared_type(void **state)
{
	struct ripc_mutex m;
	unsigned int type_seen_by_libc;

	(void)state;
	require_robust();
	assert_int_equal(ripc_mutex_init(&m), 0);
	assert_int_equal(ripc_mutex_lock(&m, RIPC_FOREVER), 0);
	type_seen_by_libc = atomic_load(&m.protocol);
	/* Unlock before any assertion: m lives on this stack frame and is on the list now. */
	assert_int_equal(ripc_mutex_unlock(&m), 0);
	/* musl's pthread_exit() reads the int before the lock word as a pthread mutex type and
	 * wakes a waiter privately unless bit 7 (process-shared) is set: once linked into the
	 * robust list, the mutex must already carry it, without any contention. */
	assert_true((type_seen_by_libc & 0x80u) != 0);
}

/* ---- Tests: killed owners ------------------------------------------------------------- */

static void test_mutex_killed_owner_gives_next_locker_eownerdead(void **state)
{
	static const enum obj plan[] = {OBJ_M1};
	const ripc_timeout_t first_lock[] = {RIPC_FOREVER, RIPC_NO_WAIT, RIPC_MSEC(500)};
	struct shm *s;
	size_t i;

	require_robust();
	s = shm_setup(state);
	set_plan(s, plan, 1);
	for (i = 0; i < sizeof(first_lock) / sizeof(first_lock[0]); i++) {
		kill_owner_holding_plan(s);
		assert_false(ripc_mutex_is_owner(&s->m1));
		assert_int_equal(ripc_mutex_lock(&s->m1, first_lock[i]), -EOWNERDEAD);
		assert_true(ripc_mutex_is_owner(&s->m1));
		assert_int_equal(lock_rc_in_other_process(s), -EAGAIN);
		assert_int_equal(ripc_mutex_consistent(&s->m1), 0);
		assert_int_equal(ripc_mutex_consistent(&s->m1), -EINVAL);
		/* The dead owner's depth of 2 is gone: one unlock releases it. */
		assert_int_equal(ripc_mutex_unlock(&s->m1), 0);
		assert_false(ripc_mutex_is_owner(&s->m1));
		assert_int_equal(lock_rc_in_other_process(s), 0);
		assert_int_equal(ripc_mutex_lock(&s->m1, RIPC_FOREVER), 0);
		assert_int_equal(ripc_mutex_unlock(&s->m1), 0);
	}
	shm_free(s);
}

static void test_mutex_unrepaired_unlock_gives_later_lockers_enotrecoverable(void **state)
{
	static const enum obj plan[] = {OBJ_M1};
	struct shm *s;

	require_robust();
	s = shm_setup(state);
	set_plan(s, plan, 1);
	kill_owner_holding_plan(s);
	assert_int_equal(ripc_mutex_lock(&s->m1, RIPC_FOREVER), -EOWNERDEAD);
	assert_int_equal(ripc_mutex_unlock(&s->m1), 0);
	assert_int_equal(ripc_mutex_lock(&s->m1, RIPC_FOREVER), -ENOTRECOVERABLE);
	assert_false(ripc_mutex_is_owner(&s->m1));
	assert_int_equal(ripc_mutex_lock(&s->m1, RIPC_NO_WAIT), -ENOTRECOVERABLE);
	assert_int_equal(lock_rc_in_other_process(s), -ENOTRECOVERABLE);
	assert_int_equal(robust_list_length(), 0);
	assert_int_equal(ripc_mutex_init(&s->m1), 0);
	assert_int_equal(lock_rc_in_other_process(s), 0);
	assert_int_equal(ripc_mutex_lock(&s->m1, RIPC_FOREVER), 0);
	assert_int_equal(ripc_mutex_unlock(&s->m1), 0);
	shm_free(s);
}

/* A waiter: announces itself, blocks, and reports how it got the lock. */
static int blocked_waiter(struct shm *s)
{
	int rc;

	atomic_fetch_add(&s->waiting, 1);
	rc = ripc_mutex_lock(&s->m1, RIPC_SEC(10));
	if (rc == -EOWNERDEAD && ripc_mutex_consistent(&s->m1) != 0)
		return CHILD_FAILED;
	if (rc != 0 && rc != -EOWNERDEAD)
		return CHILD_FAILED;
	s->counter++;
	if (ripc_mutex_unlock(&s->m1) != 0)
		return CHILD_FAILED;
	return rc == -EOWNERDEAD ? CHILD_OWNERDEAD : CHILD_GOT_IT;
}

static int blocked_waiter_child(void *arg)
{
	struct shm *s = arg;

	wait_phase(s, 1);
	return blocked_waiter(s);
}

static void *blocked_waiter_thread(void *arg)
{
	return (void *)(uintptr_t)blocked_waiter(arg);
}

static void test_mutex_blocked_waiters_get_eownerdead_when_owner_is_killed(void **state)
{
	static const enum obj plan[] = {OBJ_M1};
	struct ripc_port_thread t;
	struct shm *s;
	pid_t owner, waiter;
	int a, b;

	require_robust();
	s = shm_setup(state);
	set_plan(s, plan, 1);
	owner = ripc_test_fork(lock_plan_and_hang, s);
	waiter = ripc_test_fork(blocked_waiter_child, s);
	wait_phase(s, 1);
	assert_int_equal(ripc_port_thread_start(&t, blocked_waiter_thread, s, 0), 0);
	while (atomic_load(&s->waiting) != 2)
		ripc_test_sleep_ms(1);
	wait_for_waiters_bit(&s->m1.word);
	/* Give the second waiter time to fall asleep too; the outcome must not depend on it. */
	ripc_test_sleep_ms(50);
	kill_child(owner);
	a = ripc_test_wait(waiter);
	b = (int)(uintptr_t)ripc_port_thread_join(&t);
	/* Exactly one inherits the dead owner's lock; the other gets the repaired one. */
	assert_true((a == CHILD_OWNERDEAD && b == CHILD_GOT_IT) ||
		    (a == CHILD_GOT_IT && b == CHILD_OWNERDEAD));
	assert_int_equal(s->counter, 2);
	assert_int_equal(ripc_mutex_lock(&s->m1, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mutex_unlock(&s->m1), 0);
	shm_free(s);
}

/* ---- Tests: owners whose thread exits --------------------------------------------------- */

static void *lock_plan_and_exit(void *arg)
{
	struct shm *s = arg;

	if (lock_plan(s) != 0 || ripc_mutex_lock(&s->m1, RIPC_NO_WAIT) != 0 ||
	    ripc_mutex_lock(&s->m1, RIPC_NO_WAIT) != 0)
		return (void *)1;
	atomic_store(&s->phase, 1);
	/* Wait for a process that wants the lock to be asleep on it, if one was announced. */
	if (atomic_load(&s->waiting) > 0) {
		wait_for_waiters_bit(&s->m1.word);
		ripc_test_sleep_ms(50);
	}
	pthread_exit(NULL);
}

static void test_mutex_thread_exit_while_holding_gives_eownerdead(void **state)
{
	static const enum obj plan[] = {OBJ_M1};
	struct ripc_port_thread t;
	struct shm *s;

	require_robust();
	s = shm_setup(state);
	set_plan(s, plan, 1);
	assert_int_equal(ripc_port_thread_start(&t, lock_plan_and_exit, s, 0), 0);
	assert_null(ripc_port_thread_join(&t));
	assert_int_equal(ripc_mutex_lock(&s->m1, RIPC_FOREVER), -EOWNERDEAD);
	assert_true(ripc_mutex_is_owner(&s->m1));
	assert_int_equal(ripc_mutex_consistent(&s->m1), 0);
	/* The exited thread held it three times; the new owner holds it once. */
	assert_int_equal(ripc_mutex_unlock(&s->m1), 0);
	assert_false(ripc_mutex_is_owner(&s->m1));
	assert_int_equal(lock_rc_in_other_process(s), 0);
	shm_free(s);
}

static void test_mutex_waiter_gets_eownerdead_when_owner_thread_exits(void **state)
{
	static const enum obj plan[] = {OBJ_M1};
	struct ripc_port_thread t;
	struct shm *s;
	pid_t waiter;

	require_robust();
	s = shm_setup(state);
	set_plan(s, plan, 1);
	/* Fork before the owner thread starts: the waiter is a process, asleep in the kernel. */
	atomic_store(&s->waiting, 1);
	waiter = ripc_test_fork(blocked_waiter_child, s);
	assert_int_equal(ripc_port_thread_start(&t, lock_plan_and_exit, s, 0), 0);
	assert_null(ripc_port_thread_join(&t));
	assert_int_equal(ripc_test_wait(waiter), CHILD_OWNERDEAD);
	assert_int_equal(s->counter, 1);
	assert_int_equal(ripc_mutex_lock(&s->m1, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mutex_unlock(&s->m1), 0);
	shm_free(s);
}

/* ---- Tests: sharing the robust list with the C library -------------------------------- */

static void test_mutex_robust_list_stays_intact_mixed_with_pthread_robust_mutexes(void **state)
{
#define L true
#define U false
	static const enum obj ops1[] = {OBJ_P1, OBJ_M1, OBJ_P1, OBJ_M1};
	static const bool lk1[] = {L, L, U, U};
	static const enum obj ops2[] = {OBJ_M1, OBJ_P1, OBJ_M1, OBJ_P1};
	static const bool lk2[] = {L, L, U, U};
	static const enum obj ops3[] = {OBJ_P1, OBJ_M1, OBJ_P2, OBJ_M2,
					OBJ_M1, OBJ_P2, OBJ_M2, OBJ_P1};
	static const bool lk3[] = {L, L, L, L, U, U, U, U};
	static const enum obj ops4[] = {OBJ_M1, OBJ_P1, OBJ_M2, OBJ_P2,
					OBJ_P1, OBJ_M2, OBJ_M1, OBJ_P2};
	static const bool lk4[] = {L, L, L, L, U, U, U, U};
	static const enum obj ops5[] = {OBJ_M1, OBJ_P1, OBJ_M2, OBJ_M1,
					OBJ_P2, OBJ_P1, OBJ_M2, OBJ_P2};
	static const bool lk5[] = {L, L, L, U, L, U, U, U};
	static const enum obj ops6[] = {OBJ_P1, OBJ_M2, OBJ_M1, OBJ_P2,
					OBJ_P1, OBJ_M1, OBJ_M2, OBJ_P2};
	static const bool lk6[] = {L, L, L, L, U, U, U, U};
#undef L
#undef U
	struct shm *s;

	require_robust();
	s = shm_setup(state);
	run_sequence(s, ops1, 4, lk1);
	run_sequence(s, ops2, 4, lk2);
	run_sequence(s, ops3, 8, lk3);
	run_sequence(s, ops4, 8, lk4);
	run_sequence(s, ops5, 8, lk5);
	run_sequence(s, ops6, 8, lk6);
	/* Recursion in the middle changes nothing on the list. */
	assert_int_equal(lock_obj(s, OBJ_P1), 0);
	assert_int_equal(lock_obj(s, OBJ_M1), 0);
	assert_int_equal(lock_obj(s, OBJ_M1), 0);
	assert_int_equal(robust_list_length(), 2);
	assert_int_equal(unlock_obj(s, OBJ_M1), 0);
	assert_int_equal(robust_list_length(), 2);
	assert_int_equal(unlock_obj(s, OBJ_P1), 0);
	assert_int_equal(unlock_obj(s, OBJ_M1), 0);
	assert_int_equal(robust_list_length(), 0);
	shm_free(s);
}

static void test_mutex_and_pthread_robust_mutexes_all_report_killed_owner(void **state)
{
	static const enum obj plan1[] = {OBJ_P1, OBJ_M1, OBJ_P2, OBJ_M2};
	static const enum obj plan2[] = {OBJ_M1, OBJ_P1, OBJ_M2, OBJ_P2};
	static const enum obj plan3[] = {OBJ_M2, OBJ_M1, OBJ_P1, OBJ_P2};
	struct shm *s;

	require_robust();
	s = shm_setup(state);
	set_plan(s, plan1, 4);
	kill_owner_holding_plan(s);
	expect_plan_owner_dead(s);
	set_plan(s, plan2, 4);
	kill_owner_holding_plan(s);
	expect_plan_owner_dead(s);
	set_plan(s, plan3, 4);
	kill_owner_holding_plan(s);
	expect_plan_owner_dead(s);
	shm_free(s);
}

static void test_mutex_and_pthread_robust_mutexes_all_report_exited_thread(void **state)
{
	static const enum obj plan1[] = {OBJ_P1, OBJ_M1, OBJ_P2, OBJ_M2};
	static const enum obj plan2[] = {OBJ_M2, OBJ_P1, OBJ_M1, OBJ_P2};
	struct ripc_port_thread t;
	struct shm *s;

	require_robust();
	s = shm_setup(state);
	set_plan(s, plan1, 4);
	assert_int_equal(ripc_port_thread_start(&t, lock_plan_and_exit, s, 0), 0);
	assert_null(ripc_port_thread_join(&t));
	expect_plan_owner_dead(s);
	set_plan(s, plan2, 4);
	assert_int_equal(ripc_port_thread_start(&t, lock_plan_and_exit, s, 0), 0);
	assert_null(ripc_port_thread_join(&t));
	expect_plan_owner_dead(s);
	shm_free(s);
}

/* Child of a parent that held m1 and p1 at fork(): its list must hold only its own locks,
 * even after the parent rewrote m1's link in the shared memory. */
static int check_own_list_after_fork(void *arg)
{
	struct shm *s = arg;

	wait_phase(s, 1);
	if (ripc_mutex_lock(&s->m2, RIPC_SEC(10)) != 0)
		return CHILD_FAILED;
	if (robust_list_length() != 1)
		return 2;
	if (ripc_mutex_unlock(&s->m2) != 0)
		return CHILD_FAILED;
	if (robust_list_length() != 0)
		return 3;
	return CHILD_OK;
}

static void test_mutex_fork_child_robust_list_holds_only_its_own_locks(void **state)
{
	struct shm *s;
	pid_t pid;

	require_robust();
	s = shm_setup(state);
	assert_int_equal(lock_obj(s, OBJ_P1), 0);
	assert_int_equal(lock_obj(s, OBJ_M1), 0);
	pid = ripc_test_fork(check_own_list_after_fork, s);
	assert_int_equal(unlock_obj(s, OBJ_M1), 0);
	assert_int_equal(unlock_obj(s, OBJ_P1), 0);
	assert_int_equal(lock_obj(s, OBJ_M1), 0);
	atomic_store(&s->phase, 1);
	assert_int_equal(ripc_test_wait(pid), CHILD_OK);
	assert_int_equal(unlock_obj(s, OBJ_M1), 0);
	assert_int_equal(robust_list_length(), 0);
	shm_free(s);
}

/* ---- PI: an owner that vanished without any robust record ------------------------------ */

static int exit_at_once(void *arg)
{
	(void)arg;
	return CHILD_OK;
}

static void test_mutex_pi_owner_gone_without_robust_record_is_taken_over(void **state)
{
	struct shm *s;
	pid_t dead;

	(void)state;
	if (!ripc_mutex_pi_supported())
		RIPC_TEST_SKIP("no PI futex here: only the PI protocol can tell a vanished owner");
	s = shm_setup(NULL);
	atomic_store(&s->m1.protocol, TEST_PROTO_PI);
	dead = ripc_test_fork(exit_at_once, NULL);
	assert_int_equal(ripc_test_wait(dead), CHILD_OK);
	/* What an owner without a robust list leaves behind: its thread id, and nothing else. */
	atomic_store(&s->m1.word, (uint32_t)dead);
	assert_int_equal(ripc_mutex_lock(&s->m1, RIPC_SEC(5)), -EOWNERDEAD);
	assert_true(ripc_mutex_is_owner(&s->m1));
	assert_int_equal(ripc_mutex_consistent(&s->m1), 0);
	assert_int_equal(ripc_mutex_unlock(&s->m1), 0);
	assert_int_equal(lock_rc_in_other_process(s), 0);
	assert_int_equal(ripc_mutex_lock(&s->m1, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mutex_unlock(&s->m1), 0);
	shm_free(s);
}

#define PROTO_TEST(f, p) ((struct CMUnitTest){#f "[" #p "]", f, NULL, NULL, &proto_##p})
#define BOTH_PROTOS(f)   PROTO_TEST(f, auto), PROTO_TEST(f, plain)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutex_robust_is_supported_where_kernel_keeps_robust_lists),
		cmocka_unit_test(test_mutex_robust_owner_shows_libc_a_process_shared_type),
		BOTH_PROTOS(test_mutex_killed_owner_gives_next_locker_eownerdead),
		BOTH_PROTOS(test_mutex_unrepaired_unlock_gives_later_lockers_enotrecoverable),
		BOTH_PROTOS(test_mutex_blocked_waiters_get_eownerdead_when_owner_is_killed),
		BOTH_PROTOS(test_mutex_thread_exit_while_holding_gives_eownerdead),
		BOTH_PROTOS(test_mutex_waiter_gets_eownerdead_when_owner_thread_exits),
		BOTH_PROTOS(test_mutex_robust_list_stays_intact_mixed_with_pthread_robust_mutexes),
		BOTH_PROTOS(test_mutex_and_pthread_robust_mutexes_all_report_killed_owner),
		BOTH_PROTOS(test_mutex_and_pthread_robust_mutexes_all_report_exited_thread),
		BOTH_PROTOS(test_mutex_fork_child_robust_list_holds_only_its_own_locks),
		cmocka_unit_test(test_mutex_pi_owner_gone_without_robust_record_is_taken_over),
	};

	ripc_test_init("core.mutex.robust");
	return cmocka_run_group_tests_name("core.mutex.robust", tests, NULL, NULL);
}
