/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Mutex between processes: fork()ed children and the parent share one mutex in
 *        MAP_SHARED memory, also through mappings at different addresses.
 *
 * Children never use CMocka assertions; each returns 0 or a code that names the check that
 * failed. "[auto]" tests let the library pick the protocol, "[plain]" force the plain one.
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "port/port.h"
#include "ripc_test.h"

/* core/mutex.c keeps its protocol values private; these copies force one before first use. */
#define TEST_PROTO_AUTO  0u
#define TEST_PROTO_PLAIN 0x81u

#define NPROCS 4

/* Child exit codes. */
#define CHILD_OK          0
#define CHILD_LOCK_FAILED 1
#define CHILD_NOT_OWNER   2
#define CHILD_UNLOCK_FAIL 3
#define CHILD_THREADS     4
#define CHILD_WRONG_RC    5

static unsigned int proto_auto = TEST_PROTO_AUTO;
static unsigned int proto_plain = TEST_PROTO_PLAIN;

struct shm {
	struct ripc_mutex m;
	unsigned long counter; /* guarded by m */
	unsigned long rounds;
	atomic_int phase;
};

static struct shm *shm_setup(void **state, unsigned long rounds)
{
	struct shm *s = ripc_test_shared_alloc(sizeof(*s));

	assert_int_equal(ripc_mutex_init(&s->m), 0);
	/* Force the protocol the library would otherwise pick at first contention. */
	atomic_store(&s->m.protocol, *(unsigned int *)*state);
	s->rounds = rounds;
	return s;
}

static void wait_phase(struct shm *s, int phase)
{
	while (atomic_load(&s->phase) < phase)
		ripc_test_sleep_ms(1);
}

/* The work of every process (and thread): rounds two-step increments under the lock. */
static int increment_rounds(struct shm *s)
{
	unsigned long i, v;

	for (i = 0; i < s->rounds; i++) {
		if (ripc_mutex_lock(&s->m, RIPC_SEC(30)) != 0)
			return CHILD_LOCK_FAILED;
		if (!ripc_mutex_is_owner(&s->m))
			return CHILD_NOT_OWNER;
		v = s->counter;
		if (i % 64 == 0)
			sched_yield();
		s->counter = v + 1;
		if (ripc_mutex_unlock(&s->m) != 0)
			return CHILD_UNLOCK_FAIL;
	}
	return CHILD_OK;
}

static int increment_child(void *arg)
{
	return increment_rounds(arg);
}

static void run_children(pid_t *pids, size_t n, int (*fn)(void *), void *const *args)
{
	size_t i;

	for (i = 0; i < n; i++)
		pids[i] = ripc_test_fork(fn, args[i]);
}

static void expect_children_ok(const pid_t *pids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(ripc_test_wait(pids[i]), CHILD_OK);
}

static void test_mutex_processes_incrementing_counter_get_exact_total(void **state)
{
	struct shm *s = shm_setup(state, ripc_test_scaled(20000));
	void *args[NPROCS] = {s, s, s, s};
	pid_t pids[NPROCS];

	run_children(pids, NPROCS, increment_child, args);
	/* The parent takes part too. */
	assert_int_equal(increment_rounds(s), CHILD_OK);
	expect_children_ok(pids, NPROCS);
	assert_int_equal(s->counter, (NPROCS + 1) * s->rounds);
	assert_int_equal(ripc_mutex_lock(&s->m, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mutex_unlock(&s->m), 0);
	ripc_test_shared_free(s, sizeof(*s));
}

static void *increment_thread(void *arg)
{
	return (void *)(uintptr_t)increment_rounds(arg);
}

/* A child with two more threads: contention inside and between processes at once. */
static int threaded_child(void *arg)
{
	struct ripc_port_thread t[2];
	int i, rc = CHILD_OK, started = 0;

	for (i = 0; i < 2; i++)
		if (ripc_port_thread_start(&t[i], increment_thread, arg, 0) == 0)
			started++;
	if (started != 2)
		rc = CHILD_THREADS;
	if (increment_rounds(arg) != CHILD_OK)
		rc = CHILD_LOCK_FAILED;
	for (i = 0; i < started; i++)
		if (ripc_port_thread_join(&t[i]) != NULL)
			rc = CHILD_LOCK_FAILED;
	return rc;
}

static void test_mutex_threads_in_several_processes_get_exact_total(void **state)
{
	struct shm *s = shm_setup(state, ripc_test_scaled(5000));
	void *args[3] = {s, s, s};
	pid_t pids[3];

	run_children(pids, 3, threaded_child, args);
	expect_children_ok(pids, 3);
	assert_int_equal(s->counter, 3 * 3 * s->rounds);
	ripc_test_shared_free(s, sizeof(*s));
}

/* Locks, reports phase 1, keeps the lock until phase 2, unlocks, reports phase 3. */
static int hold_until_phase_2(void *arg)
{
	struct shm *s = arg;

	if (ripc_mutex_lock(&s->m, RIPC_FOREVER) != 0)
		return CHILD_LOCK_FAILED;
	atomic_store(&s->phase, 1);
	wait_phase(s, 2);
	if (ripc_mutex_unlock(&s->m) != 0)
		return CHILD_UNLOCK_FAIL;
	return CHILD_OK;
}

static void test_mutex_held_by_other_process_refuses_unlock_and_times_out(void **state)
{
	struct shm *s = shm_setup(state, 0);
	int64_t t0, waited;
	pid_t pid;

	pid = ripc_test_fork(hold_until_phase_2, s);
	wait_phase(s, 1);
	assert_false(ripc_mutex_is_owner(&s->m));
	assert_int_equal(ripc_mutex_unlock(&s->m), -EPERM);
	assert_int_equal(ripc_mutex_consistent(&s->m), -EPERM);
	assert_int_equal(ripc_mutex_lock(&s->m, RIPC_NO_WAIT), -EAGAIN);
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_mutex_lock(&s->m, RIPC_MSEC(50)), -ETIMEDOUT);
	waited = ripc_test_now_ns() - t0;
	assert_true(waited >= 50 * 1000000LL);
	assert_true(waited < 5000 * 1000000LL);
	/* The refused unlock changed nothing: the child still unlocks normally. */
	atomic_store(&s->phase, 2);
	assert_int_equal(ripc_mutex_lock(&s->m, RIPC_SEC(10)), 0);
	assert_int_equal(ripc_test_wait(pid), CHILD_OK);
	assert_int_equal(ripc_mutex_unlock(&s->m), 0);
	ripc_test_shared_free(s, sizeof(*s));
}

/* Reports phase 1, then waits (asleep in the kernel) until the parent unlocks. */
static int wait_for_parent_unlock(void *arg)
{
	struct shm *s = arg;
	int rc;

	atomic_store(&s->phase, 1);
	rc = ripc_mutex_lock(&s->m, RIPC_SEC(10));
	if (rc != 0)
		return CHILD_LOCK_FAILED;
	if (!ripc_mutex_is_owner(&s->m))
		return CHILD_NOT_OWNER;
	s->counter++;
	return ripc_mutex_unlock(&s->m) == 0 ? CHILD_OK : CHILD_UNLOCK_FAIL;
}

static void test_mutex_unlock_wakes_waiters_in_other_processes(void **state)
{
	struct shm *s = shm_setup(state, 0);
	void *args[NPROCS] = {s, s, s, s};
	pid_t pids[NPROCS];

	assert_int_equal(ripc_mutex_lock(&s->m, RIPC_FOREVER), 0);
	run_children(pids, NPROCS, wait_for_parent_unlock, args);
	wait_phase(s, 1);
	ripc_test_sleep_ms(30);
	assert_int_equal(ripc_mutex_unlock(&s->m), 0);
	expect_children_ok(pids, NPROCS);
	assert_int_equal(s->counter, NPROCS);
	ripc_test_shared_free(s, sizeof(*s));
}

/* fork() copies the parent's thread, not its ownership. */
static int check_not_owner_after_fork(void *arg)
{
	struct shm *s = arg;

	if (ripc_mutex_is_owner(&s->m))
		return CHILD_NOT_OWNER;
	if (ripc_mutex_unlock(&s->m) != -EPERM)
		return CHILD_WRONG_RC;
	if (ripc_mutex_lock(&s->m, RIPC_NO_WAIT) != -EAGAIN)
		return CHILD_WRONG_RC;
	if (ripc_mutex_lock(&s->m, RIPC_MSEC(10)) != -ETIMEDOUT)
		return CHILD_WRONG_RC;
	return CHILD_OK;
}

static void test_mutex_child_of_owner_does_not_own_it(void **state)
{
	struct shm *s = shm_setup(state, 0);

	assert_int_equal(ripc_mutex_lock(&s->m, RIPC_FOREVER), 0);
	assert_int_equal(ripc_mutex_lock(&s->m, RIPC_FOREVER), 0);
	assert_int_equal(ripc_test_wait(ripc_test_fork(check_not_owner_after_fork, s)), CHILD_OK);
	assert_true(ripc_mutex_is_owner(&s->m));
	assert_int_equal(ripc_mutex_unlock(&s->m), 0);
	assert_int_equal(ripc_mutex_unlock(&s->m), 0);
	assert_int_equal(ripc_mutex_unlock(&s->m), -EPERM);
	ripc_test_shared_free(s, sizeof(*s));
}

static void test_mutex_works_through_mappings_at_different_addresses(void **state)
{
	long page = sysconf(_SC_PAGESIZE);
	struct shm *a, *b;
	void *args[NPROCS];
	pid_t pids[NPROCS];
	int fd = memfd_create("ripc-test-mutex", 0);

	if (fd < 0)
		RIPC_TEST_SKIP("memfd_create failed (errno %d): no second mapping", errno);
	assert_int_equal(ftruncate(fd, page), 0);
	a = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	assert_true(a != MAP_FAILED && b != MAP_FAILED);
	assert_ptr_not_equal(a, b);
	assert_int_equal(ripc_mutex_init(&a->m), 0);
	/* Force the protocol the library would otherwise pick at first contention. */
	atomic_store(&a->m.protocol, *(unsigned int *)*state);
	a->rounds = ripc_test_scaled(10000);
	assert_int_equal(b->rounds, a->rounds);
	args[0] = args[2] = a;
	args[1] = args[3] = b;
	run_children(pids, NPROCS, increment_child, args);
	assert_int_equal(increment_rounds(b), CHILD_OK);
	expect_children_ok(pids, NPROCS);
	assert_int_equal(a->counter, (NPROCS + 1) * a->rounds);
	munmap(a, (size_t)page);
	munmap(b, (size_t)page);
}

#define PROTO_TEST(f, p) ((struct CMUnitTest){#f "[" #p "]", f, NULL, NULL, &proto_##p})
#define BOTH_PROTOS(f)   PROTO_TEST(f, auto), PROTO_TEST(f, plain)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH_PROTOS(test_mutex_processes_incrementing_counter_get_exact_total),
		BOTH_PROTOS(test_mutex_threads_in_several_processes_get_exact_total),
		BOTH_PROTOS(test_mutex_held_by_other_process_refuses_unlock_and_times_out),
		BOTH_PROTOS(test_mutex_unlock_wakes_waiters_in_other_processes),
		BOTH_PROTOS(test_mutex_child_of_owner_does_not_own_it),
		BOTH_PROTOS(test_mutex_works_through_mappings_at_different_addresses),
	};

	ripc_test_init("core.mutex.multiproc");
	return cmocka_run_group_tests_name("core.mutex.multiproc", tests, NULL, NULL);
}
