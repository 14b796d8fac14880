/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Semaphore reset: sleeping takers are cancelled, later takers wait normally, and a
 *        give racing the cancellation is never lost.
 *
 * Worker threads record their return codes; the main thread asserts after joining them.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "ripc_test.h"

#include "port/port.h"

#include "sem_probe.h"

#define OLD_WAITERS 4
#define NEW_WAITERS 3

struct taker {
	struct ripc_sem *sem;
	ripc_timeout_t timeout;
	struct ripc_port_thread thread;
	atomic_int rc;
	atomic_bool returned;
};

static void *take_once(void *arg)
{
	struct taker *t = arg;

	atomic_store(&t->rc, ripc_sem_take(t->sem, t->timeout));
	atomic_store(&t->returned, true);
	return NULL;
}

static void start_taker(struct taker *t, struct ripc_sem *sem, ripc_timeout_t timeout)
{
	memset(t, 0, sizeof(*t));
	t->sem = sem;
	t->timeout = timeout;
	assert_int_equal(ripc_port_thread_start(&t->thread, take_once, t, 0), 0);
}

/*
 * Wait until @p n takers are inside ripc_sem_take past their first attempt. The test peeks
 * at the semaphore's private waiter count: it is the only exact sign that a taker has
 * committed to waiting (a taker counts itself after it read the reset epoch).
 */
static void wait_for_waiters(struct ripc_sem *sem, uint32_t n)
{
	while (atomic_load(&sem->wq.waiters) < n)
		ripc_test_sleep_ms(1);
	/* Give them time to reach the kernel; the checks hold either way. */
	ripc_test_sleep_ms(20);
}

static void test_sem_reset_cancels_every_sleeping_taker(void **state)
{
	static struct taker t[OLD_WAITERS];
	struct ripc_sem sem;
	int i;

	(void)state;
	assert_int_equal(ripc_sem_init(&sem, 0, 10), 0);
	for (i = 0; i < OLD_WAITERS; i++)
		start_taker(&t[i], &sem, i % 2 == 0 ? RIPC_FOREVER : RIPC_SEC(60));
	wait_for_waiters(&sem, OLD_WAITERS);
	for (i = 0; i < OLD_WAITERS; i++)
		assert_false(atomic_load(&t[i].returned));
	assert_int_equal(ripc_sem_reset(&sem), 0);
	for (i = 0; i < OLD_WAITERS; i++) {
		ripc_port_thread_join(&t[i].thread);
		assert_int_equal(atomic_load(&t[i].rc), -ECANCELED);
	}
	assert_int_equal(ripc_sem_count(&sem), 0);
	assert_int_equal(atomic_load(&sem.wq.waiters), 0);
}

static void test_sem_reset_with_count_drops_it_and_cancels_nobody_later(void **state)
{
	struct ripc_sem sem;

	(void)state;
	assert_int_equal(ripc_sem_init(&sem, 5, 10), 0);
	assert_int_equal(ripc_sem_reset(&sem), 0);
	assert_int_equal(ripc_sem_count(&sem), 0);
	/* A timed take after the reset times out; it is not cancelled by the past reset. */
	assert_int_equal(ripc_sem_take(&sem, RIPC_MSEC(20)), -ETIMEDOUT);
	assert_int_equal(ripc_sem_give(&sem), 0);
	assert_int_equal(ripc_sem_take(&sem, RIPC_NO_WAIT), 0);
}

static void test_sem_take_after_reset_waits_normally(void **state)
{
	static struct taker old, late;
	struct ripc_sem sem;

	(void)state;
	assert_int_equal(ripc_sem_init(&sem, 0, 1), 0);
	start_taker(&old, &sem, RIPC_FOREVER);
	wait_for_waiters(&sem, 1);
	assert_int_equal(ripc_sem_reset(&sem), 0);
	ripc_port_thread_join(&old.thread);
	assert_int_equal(atomic_load(&old.rc), -ECANCELED);

	start_taker(&late, &sem, RIPC_FOREVER);
	wait_for_waiters(&sem, 1);
	/* Still waiting: the earlier reset did not cancel it. */
	ripc_test_sleep_ms(30);
	assert_false(atomic_load(&late.returned));
	assert_int_equal(ripc_sem_give(&sem), 0);
	ripc_port_thread_join(&late.thread);
	assert_int_equal(atomic_load(&late.rc), 0);
	assert_int_equal(ripc_sem_count(&sem), 0);
}

/*
 * Old takers sleep; the reset cancels them while new takers arrive and gives follow at once.
 * Every give must end in exactly one successful take. A take that was between two checks when
 * the reset ran may legitimately take a count given after it (see ripc_sem_reset), so the
 * number of new takers still waiting is derived from the old takers' results and made up by
 * extra gives: if any give were lost, a new taker would sleep for ever and the watchdog fails
 * the test.
 */
static int reset_race_round(struct ripc_sem *sem, unsigned long round)
{
	static struct taker old[OLD_WAITERS], fresh[NEW_WAITERS];
	int i, old_took = 0, fresh_took = 0;

	for (i = 0; i < OLD_WAITERS; i++)
		start_taker(&old[i], sem, RIPC_FOREVER);
	while (atomic_load(&sem->wq.waiters) < OLD_WAITERS)
		ripc_port_cpu_relax();
	/* Vary how far the old takers got: some rounds reset while they are still arriving. */
	if (round % 2 == 0)
		ripc_test_sleep_ms(1);
	assert_int_equal(ripc_sem_reset(sem), 0);
	for (i = 0; i < NEW_WAITERS; i++)
		start_taker(&fresh[i], sem, RIPC_FOREVER);
	for (i = 0; i < NEW_WAITERS; i++)
		assert_int_equal(ripc_sem_give(sem), 0);
	for (i = 0; i < OLD_WAITERS; i++) {
		int rc;

		ripc_port_thread_join(&old[i].thread);
		rc = atomic_load(&old[i].rc);
		if (rc != 0)
			assert_int_equal(rc, -ECANCELED);
		else
			old_took++;
	}
	/* Make up for counts the old takers got, so every new taker can succeed. */
	for (i = 0; i < old_took; i++)
		assert_int_equal(ripc_sem_give(sem), 0);
	for (i = 0; i < NEW_WAITERS; i++) {
		ripc_port_thread_join(&fresh[i].thread);
		assert_int_equal(atomic_load(&fresh[i].rc), 0);
		fresh_took++;
	}
	assert_int_equal(fresh_took, NEW_WAITERS);
	assert_int_equal(ripc_sem_count(sem), 0);
	assert_int_equal(atomic_load(&sem->wq.waiters), 0);
	return old_took;
}

static void test_sem_give_after_reset_racing_old_and_new_takers_is_not_lost(void **state)
{
	struct ripc_sem sem;
	unsigned long r, n = ripc_test_scaled(300);
	int late_takes = 0;

	(void)state;
	assert_int_equal(ripc_sem_init(&sem, 0, NEW_WAITERS), 0);
	for (r = 0; r < n; r++)
		late_takes += reset_race_round(&sem, r);
	print_message("[          ] %lu rounds, %d counts taken by takers older than the reset\n",
		      n, late_takes);
}

static struct ripc_sem probe_sem;
static atomic_uint probe_waiters; /* waiters the handler saw: 0 means it came early */
static atomic_int probe_rc;

/* Reset from a signal handler; when the taker was not yet registered, also give, so that
 * a take the reset came too early to cancel still ends. */
static void reset_in_probe_handler(int sig)
{
	int saved = errno;
	uint32_t w = atomic_load(&probe_sem.wq.waiters);
	int rc;

	(void)sig;
	atomic_store(&probe_waiters, w);
	rc = ripc_sem_reset(&probe_sem);
	if (rc == 0 && w == 0)
		rc = ripc_sem_give(&probe_sem);
	if (rc != 0)
		atomic_store(&probe_rc, rc);
	errno = saved;
}

/*
 * A reset aimed at the instant the taker registers as a waiter (sem_probe.h), so it lands
 * between the taker's check of the epoch and its sleep. A registered taker must return
 * -ECANCELED: a reset that did not change the futex word there would leave it asleep for
 * ever (watchdog).
 */
static void test_sem_reset_in_handler_cancels_take_on_its_way_to_sleep(void **state)
{
	struct sem_probe probe;
	unsigned long i, n = ripc_test_scaled(10000), cancelled = 0;

	(void)state;
	if (!SEM_PROBE_USABLE)
		RIPC_TEST_SKIP("ThreadSanitizer defers signal handlers past raw futex waits");
	assert_int_equal(ripc_sem_init(&probe_sem, 0, 1), 0);
	atomic_store(&probe_rc, 0);
	sem_probe_open(&probe, SIGUSR1, reset_in_probe_handler);
	for (i = 0; i < n; i++) {
		int rc;
		bool early;

		atomic_store(&probe_waiters, UINT32_MAX);
		sem_probe_arm(&probe);
		rc = ripc_sem_take(&probe_sem, RIPC_FOREVER);
		assert_true(atomic_load(&probe_waiters) != UINT32_MAX); /* the handler ran */
		early = atomic_load(&probe_waiters) == 0;
		if (!early) {
			/* Registered before the reset: cancelled, and nothing was given. */
			assert_int_equal(rc, -ECANCELED);
			assert_int_equal(ripc_sem_count(&probe_sem), 0);
		} else if (rc == 0) {
			/* The reset came too early to cancel this take: the give ended it. */
			assert_int_equal(ripc_sem_count(&probe_sem), 0);
		} else {
			/* Reset after the take read the epoch: cancelled, the give's count stays.
			 */
			assert_int_equal(rc, -ECANCELED);
			assert_int_equal(ripc_sem_take(&probe_sem, RIPC_NO_WAIT), 0);
		}
		cancelled += rc == -ECANCELED;
		assert_int_equal(atomic_load(&probe_sem.wq.waiters), 0);
		sem_probe_adjust(&probe, early);
	}
	sem_probe_close(&probe, SIGUSR1);

	print_message("[          ] %lu resets, %lu takes cancelled; %lu before the taker "
		      "registered, %lu after (last delay %lld ns)\n",
		      n, cancelled, probe.early, probe.late, (long long)probe.delay_ns);
	assert_int_equal(atomic_load(&probe_rc), 0);
	assert_true(probe.late > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sem_reset_cancels_every_sleeping_taker),
		cmocka_unit_test(test_sem_reset_with_count_drops_it_and_cancels_nobody_later),
		cmocka_unit_test(test_sem_take_after_reset_waits_normally),
		cmocka_unit_test(test_sem_give_after_reset_racing_old_and_new_takers_is_not_lost),
		cmocka_unit_test(test_sem_reset_in_handler_cancels_take_on_its_way_to_sleep),
	};

	ripc_test_init("core.sem.reset");
	return cmocka_run_group_tests_name("core.sem.reset", tests, NULL, NULL);
}
