/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Semaphore between processes: fork()ed children on MAP_SHARED memory.
 *
 * Children never use CMocka assertions; they exit with 0, or with the number of the check
 * that failed. Each child arms its own alarm() (alarms are not inherited across fork), so a
 * child stuck by a lost wake-up dies instead of outliving the test program.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "ripc_test.h"

#define CHILD_WATCHDOG_S 100

/* The token passing runs its rounds or 5 s, whichever ends first (loaded machines). */
#define BUDGET_NS (5000 * 1000000LL)

/* Child exit codes, one per way a child can fail. */
enum {
	CHILD_OK = 0,
	CHILD_TAKE_FAILED = 10,
	CHILD_GIVE_FAILED = 11,
	CHILD_TAKE_RETURNED = 12,
};

struct mp_shared {
	struct ripc_sem ping;
	struct ripc_sem pong;
	struct ripc_sem items;
	uint32_t rounds;  /* at most: the time budget may stop the token earlier */
	atomic_bool stop; /* set before the last ping: the echo child takes it and leaves */
	uint32_t per_giver;
	uint32_t per_taker;
	atomic_uint given;
	atomic_uint taken;
	atomic_uint overflows;
	atomic_int failed_rc; /* first unexpected return code in a child */
};

static struct mp_shared *sh;

static void child_start(void)
{
	alarm(CHILD_WATCHDOG_S);
}

static int child_fail(int code, int rc)
{
	int zero = 0;

	atomic_compare_exchange_strong(&sh->failed_rc, &zero, rc);
	return code;
}

static void setup(void)
{
	sh = ripc_test_shared_alloc(sizeof(*sh));
}

static void teardown(void)
{
	ripc_test_shared_free(sh, sizeof(*sh));
	sh = NULL;
}

static void assert_child_ok(pid_t pid)
{
	int status = ripc_test_wait(pid);

	if (status != CHILD_OK)
		print_error("child %d exited with %d (first failing rc %d)\n", (int)pid, status,
			    atomic_load(&sh->failed_rc));
	assert_int_equal(status, CHILD_OK);
}

/* ---- Token passing ----------------------------------------------------------------------- */

static int echo_child(void *arg)
{
	uint32_t i;
	int rc;

	(void)arg;
	child_start();
	for (i = 0;; i++) {
		rc = ripc_sem_take(&sh->ping, RIPC_FOREVER);
		if (rc != 0)
			return child_fail(CHILD_TAKE_FAILED, rc);
		if (atomic_load(&sh->stop))
			break;
		rc = ripc_sem_give(&sh->pong);
		if (rc != 0)
			return child_fail(CHILD_GIVE_FAILED, rc);
	}
	return CHILD_OK;
}

static void test_sem_token_passes_between_processes(void **state)
{
	int64_t end = ripc_test_now_ns() + BUDGET_NS;
	pid_t pid;
	uint32_t i;

	(void)state;
	setup();
	assert_int_equal(ripc_sem_init(&sh->ping, 0, 1), 0);
	assert_int_equal(ripc_sem_init(&sh->pong, 0, 1), 0);
	sh->rounds = (uint32_t)ripc_test_scaled(200000);
	pid = ripc_test_fork(echo_child, NULL);
	for (i = 0; i < sh->rounds; i++) {
		if ((i & 255) == 0 && ripc_test_now_ns() >= end)
			break;
		/* Limit 1: an overflow would mean a round was duplicated. */
		assert_int_equal(ripc_sem_give(&sh->ping), 0);
		assert_int_equal(ripc_sem_take(&sh->pong, RIPC_FOREVER), 0);
	}
	atomic_store(&sh->stop, true);
	assert_int_equal(ripc_sem_give(&sh->ping), 0);
	assert_child_ok(pid);
	print_message("[          ] %u rounds\n", i);
	assert_int_equal(ripc_sem_count(&sh->ping), 0);
	assert_int_equal(ripc_sem_count(&sh->pong), 0);
	teardown();
}

/* ---- Many givers, many takers ------------------------------------------------------------- */

#define GIVERS 3
#define TAKERS 2

static int giver_child(void *arg)
{
	uint32_t i;
	int rc;

	(void)arg;
	child_start();
	for (i = 0; i < sh->per_giver; i++) {
		while ((rc = ripc_sem_give(&sh->items)) == -EOVERFLOW) {
			atomic_fetch_add(&sh->overflows, 1);
			sched_yield();
		}
		if (rc != 0)
			return child_fail(CHILD_GIVE_FAILED, rc);
		atomic_fetch_add(&sh->given, 1);
	}
	return CHILD_OK;
}

static int taker_child(void *arg)
{
	uint32_t i;
	int rc;

	(void)arg;
	child_start();
	for (i = 0; i < sh->per_taker; i++) {
		rc = ripc_sem_take(&sh->items, RIPC_FOREVER);
		if (rc != 0)
			return child_fail(CHILD_TAKE_FAILED, rc);
		atomic_fetch_add(&sh->taken, 1);
	}
	return CHILD_OK;
}

static void test_sem_givers_and_takers_in_processes_keep_exact_totals(void **state)
{
	pid_t pid[GIVERS + TAKERS];
	uint32_t total = (uint32_t)ripc_test_scaled(20000) * GIVERS * TAKERS;
	int i;

	(void)state;
	setup();
	assert_int_equal(ripc_sem_init(&sh->items, 0, 4), 0);
	sh->per_giver = total / GIVERS;
	sh->per_taker = total / TAKERS;
	for (i = 0; i < TAKERS; i++)
		pid[i] = ripc_test_fork(taker_child, NULL);
	for (i = TAKERS; i < GIVERS + TAKERS; i++)
		pid[i] = ripc_test_fork(giver_child, NULL);
	for (i = 0; i < GIVERS + TAKERS; i++)
		assert_child_ok(pid[i]);
	print_message("[          ] %u items, %u gives refused at the limit\n", total,
		      atomic_load(&sh->overflows));
	assert_int_equal(atomic_load(&sh->given), total);
	assert_int_equal(atomic_load(&sh->taken), total);
	assert_int_equal(ripc_sem_count(&sh->items), 0);
	assert_int_equal(ripc_sem_take(&sh->items, RIPC_NO_WAIT), -EAGAIN);
	teardown();
}

/* ---- A taker killed while it sleeps ----------------------------------------------------- */

static int take_once_child(void *arg)
{
	int rc;

	(void)arg;
	child_start();
	rc = ripc_sem_take(&sh->items, RIPC_FOREVER);
	if (rc != 0)
		return child_fail(CHILD_TAKE_FAILED, rc);
	atomic_fetch_add(&sh->taken, 1);
	return CHILD_OK;
}

/* Never returns from its take: there is no count for it. Killed by the test. */
static int victim_child(void *arg)
{
	int rc;

	(void)arg;
	child_start();
	rc = ripc_sem_take(&sh->items, RIPC_FOREVER);
	return child_fail(CHILD_TAKE_RETURNED, rc == 0 ? 1 : rc);
}

/* The test peeks at the private waiter count: the exact sign that takers are committed. */
static void wait_for_waiters(uint32_t n)
{
	while (atomic_load(&sh->items.wq.waiters) < n)
		ripc_test_sleep_ms(1);
	/* Let them reach the kernel: the kill should find the victim asleep there. */
	ripc_test_sleep_ms(50);
}

static void test_sem_taker_killed_while_sleeping_does_not_disturb_others(void **state)
{
	pid_t victim, survivor[2];
	int i;

	(void)state;
	setup();
	assert_int_equal(ripc_sem_init(&sh->items, 0, 10), 0);
	survivor[0] = ripc_test_fork(take_once_child, NULL);
	victim = ripc_test_fork(victim_child, NULL);
	survivor[1] = ripc_test_fork(take_once_child, NULL);
	wait_for_waiters(3);

	assert_int_equal(kill(victim, SIGKILL), 0);
	assert_int_equal(ripc_test_wait(victim), 128 + SIGKILL);
	/* The dead taker took nothing and left nothing. */
	assert_int_equal(ripc_sem_count(&sh->items), 0);
	assert_int_equal(atomic_load(&sh->taken), 0);

	/* Three gives: both survivors wake, and the third count stays. */
	for (i = 0; i < 3; i++)
		assert_int_equal(ripc_sem_give(&sh->items), 0);
	assert_child_ok(survivor[0]);
	assert_child_ok(survivor[1]);
	assert_int_equal(atomic_load(&sh->taken), 2);
	assert_int_equal(ripc_sem_count(&sh->items), 1);

	/* Still fully usable: a new taker in a new process sleeps and is woken. */
	assert_int_equal(ripc_sem_take(&sh->items, RIPC_NO_WAIT), 0);
	survivor[0] = ripc_test_fork(take_once_child, NULL);
	ripc_test_sleep_ms(50);
	assert_int_equal(ripc_sem_give(&sh->items), 0);
	assert_child_ok(survivor[0]);
	assert_int_equal(atomic_load(&sh->taken), 3);
	assert_int_equal(ripc_sem_count(&sh->items), 0);
	teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sem_token_passes_between_processes),
		cmocka_unit_test(test_sem_givers_and_takers_in_processes_keep_exact_totals),
		cmocka_unit_test(test_sem_taker_killed_while_sleeping_does_not_disturb_others),
	};

	ripc_test_init("core.sem.multiproc");
	return cmocka_run_group_tests_name("core.sem.multiproc", tests, NULL, NULL);
}
