/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief ripc_poll: every return code, readiness of each kind, wake-ups from threads and
 *        processes, and the race between a poller and a real taker.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "ripc_test.h"

static RIPC_MBOX_DEFINE(box, 16, 2);
static RIPC_SEM_DEFINE(sem, 0, 4);
static RIPC_EVENT_DEFINE(ev);
static RIPC_POOL_DEFINE(pool, 64, 1);

static int reset_objects(void **state)
{
	(void)state;
	(void)ripc_mbox_purge(&box);
	(void)ripc_sem_reset(&sem);
	(void)ripc_event_set(&ev, 0);
	return 0;
}

static void test_poll_rejects_bad_arguments_with_einval(void **state)
{
	struct ripc_poll_item ok = RIPC_POLL_SEM(&sem);
	struct ripc_poll_item bad;
	struct ripc_poll_item many[RIPC_POLL_MAX + 1];

	(void)state;
	assert_int_equal(ripc_poll(NULL, 1, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_poll(&ok, 0, RIPC_NO_WAIT), -EINVAL);
	for (size_t i = 0; i < RIPC_POLL_MAX + 1; i++)
		many[i] = ok;
	assert_int_equal(ripc_poll(many, RIPC_POLL_MAX + 1, RIPC_NO_WAIT), -EINVAL);
	bad = ok;
	bad.obj = NULL;
	assert_int_equal(ripc_poll(&bad, 1, RIPC_FOREVER), -EINVAL);
	bad = ok;
	bad.kind = 99;
	assert_int_equal(ripc_poll(&bad, 1, RIPC_FOREVER), -EINVAL);
	bad = (struct ripc_poll_item)RIPC_POLL_EVENT(&ev, 0, RIPC_EVENT_WAIT_ANY);
	assert_int_equal(ripc_poll(&bad, 1, RIPC_FOREVER), -EINVAL);
	bad = (struct ripc_poll_item)RIPC_POLL_EVENT(&ev, 1,
						     RIPC_EVENT_WAIT_ANY | RIPC_EVENT_CLEAR);
	assert_int_equal(ripc_poll(&bad, 1, RIPC_FOREVER), -EINVAL);
	bad = (struct ripc_poll_item)RIPC_POLL_EVENT(&ev, 1, 0);
	assert_int_equal(ripc_poll(&bad, 1, RIPC_FOREVER), -EINVAL);
	/* RIPC_POLL_MAX items are fine. */
	assert_int_equal(ripc_poll(many, RIPC_POLL_MAX, RIPC_NO_WAIT), -EAGAIN);
}

static void test_poll_nothing_ready_nowait_returns_eagain_and_times_out(void **state)
{
	struct ripc_poll_item items[] = {RIPC_POLL_SEM(&sem), RIPC_POLL_MBOX_GET(&box)};
	int64_t t0;

	(void)state;
	assert_int_equal(ripc_poll(items, 2, RIPC_NO_WAIT), -EAGAIN);
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_poll(items, 2, RIPC_MSEC(50)), -ETIMEDOUT);
	assert_true(ripc_test_now_ns() - t0 >= 50 * 1000000LL);
	assert_true(ripc_test_now_ns() - t0 < 5000 * 1000000LL);
	/* Nothing stays registered after a poll. */
	assert_int_equal(atomic_load(&sem.wq.waiters), 0);
	assert_int_equal(atomic_load(&sem.wq.pollers), 0);
	assert_int_equal(atomic_load(&box.not_empty.pollers), 0);
}

static void test_poll_reports_each_kind_without_taking_it(void **state)
{
	struct ripc_poll_item items[] = {
		RIPC_POLL_SEM(&sem),      RIPC_POLL_MBOX_GET(&box),
		RIPC_POLL_MBOX_PUT(&box), RIPC_POLL_EVENT(&ev, 0x3, RIPC_EVENT_WAIT_ALL),
		RIPC_POLL_POOL(&pool),
	};
	void *blk;

	(void)state;
	assert_int_equal(ripc_pool_alloc(&pool, &blk, RIPC_NO_WAIT), 0);
	/* Only "mailbox has space" is ready. */
	assert_int_equal(ripc_poll(items, 5, RIPC_NO_WAIT), 1);
	assert_int_equal(items[2].ready, 1);
	assert_int_equal(items[0].ready + items[1].ready + items[3].ready + items[4].ready, 0);

	assert_int_equal(ripc_sem_give(&sem), 0);
	assert_int_equal(ripc_mbox_put(&box, "a", 1, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mbox_put(&box, "b", 1, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_event_post(&ev, 0x1), 0);
	assert_int_equal(ripc_pool_free(&pool, blk), 0);
	/* Mailbox full now; event has only one of the two bits ALL needs. */
	assert_int_equal(ripc_poll(items, 5, RIPC_NO_WAIT), 3);
	assert_int_equal(items[0].ready, 1);
	assert_int_equal(items[1].ready, 1);
	assert_int_equal(items[2].ready, 0);
	assert_int_equal(items[3].ready, 0);
	assert_int_equal(items[4].ready, 1);
	assert_int_equal(ripc_event_post(&ev, 0x2), 0);
	assert_int_equal(ripc_poll(items, 5, RIPC_NO_WAIT), 4);
	assert_int_equal(items[3].ready, 1);
	/* Reported, not taken. */
	assert_int_equal(ripc_sem_count(&sem), 1);
	assert_int_equal(ripc_mbox_count(&box), 2);
	assert_int_equal(ripc_event_get(&ev), 0x3);
	assert_int_equal(ripc_pool_free_count(&pool), 1);
}

struct delayed {
	int what;
	long ms;
};

static void *act_later(void *arg)
{
	struct delayed *d = arg;

	ripc_test_sleep_ms(d->ms);
	if (d->what == 0)
		(void)ripc_event_post(&ev, 0x10);
	else if (d->what == 1)
		(void)ripc_mbox_put(&box, "x", 1, RIPC_FOREVER);
	else
		(void)ripc_sem_give(&sem);
	return NULL;
}

static void test_poll_sleeps_until_another_thread_makes_one_ready(void **state)
{
	struct ripc_poll_item items[] = {
		RIPC_POLL_SEM(&sem),
		RIPC_POLL_MBOX_GET(&box),
		RIPC_POLL_EVENT(&ev, 0x10, RIPC_EVENT_WAIT_ANY),
	};
	int what;

	(void)state;
	for (what = 0; what < 3; what++) {
		struct delayed d = {.what = what, .ms = 30};
		pthread_t th;

		reset_objects(NULL);
		assert_int_equal(pthread_create(&th, NULL, act_later, &d), 0);
		assert_int_equal(ripc_poll(items, 3, RIPC_SEC(10)), 1);
		assert_int_equal(items[what == 0 ? 2 : what == 1 ? 1 : 0].ready, 1);
		pthread_join(th, NULL);
	}
}

/* The race the design guards against: a poller that does not take the message must not
 * swallow the one wake-up a blocked getter needs. */
static atomic_int race_stop;

static void *poll_without_taking(void *arg)
{
	struct ripc_poll_item it = RIPC_POLL_MBOX_GET(&box);

	(void)arg;
	while (!atomic_load(&race_stop))
		(void)ripc_poll(&it, 1, RIPC_MSEC(20));
	return NULL;
}

static void *get_rounds(void *arg)
{
	unsigned long n = *(unsigned long *)arg, i;
	char buf[16];
	size_t len;

	for (i = 0; i < n; i++) {
		int64_t t0 = ripc_test_now_ns();

		if (ripc_mbox_get(&box, buf, sizeof(buf), &len, RIPC_SEC(3)) != 0)
			return (void *)1;
		/* A get rescued only by its last attempt at the deadline was stranded. */
		if (ripc_test_now_ns() - t0 > 2000000000LL)
			return (void *)2;
	}
	return NULL;
}

static void test_poll_never_strands_a_blocked_getter(void **state)
{
	unsigned long rounds = ripc_test_scaled(300), i;
	pthread_t poller, getter;
	void *res;

	(void)state;
	atomic_store(&race_stop, 0);
	assert_int_equal(pthread_create(&poller, NULL, poll_without_taking, NULL), 0);
	assert_int_equal(pthread_create(&getter, NULL, get_rounds, &rounds), 0);
	for (i = 0; i < rounds; i++) {
		/* Let the getter and the poller both fall asleep before each put. */
		usleep(2000);
		assert_int_equal(ripc_mbox_put(&box, "m", 1, RIPC_SEC(10)), 0);
		/* No second put before the getter took this one: a second put would wake it
		 * and hide a stranded first wake-up. */
		int64_t until = ripc_test_now_ns() + 5000000000LL;

		while (ripc_mbox_count(&box) != 0 && ripc_test_now_ns() < until)
			usleep(100);
		assert_int_equal(ripc_mbox_count(&box), 0);
	}
	assert_int_equal(pthread_join(getter, &res), 0);
	assert_null(res); /* every get woke promptly: no stranded wake-up */
	atomic_store(&race_stop, 1);
	pthread_join(poller, NULL);
	assert_int_equal(ripc_mbox_count(&box), 0);
}

struct shared {
	struct ripc_event ev;
	struct ripc_mbox box;
	_Alignas(64) uint64_t buf[RIPC_MBOX_BUF_SIZE(16, 4) / 8 + 1];
};

static int post_from_child(void *arg)
{
	struct shared *sh = arg;

	ripc_test_sleep_ms(30);
	if (ripc_mbox_put(&sh->box, "p", 2, RIPC_SEC(5)) != 0)
		return 1;
	ripc_test_sleep_ms(30);
	return ripc_event_post(&sh->ev, 0x1) == 0 ? 0 : 2;
}

static void test_poll_wakes_on_changes_made_by_another_process(void **state)
{
	struct shared *sh = ripc_test_shared_alloc(sizeof(*sh));
	struct ripc_poll_item items[2];
	char buf[16];
	size_t len;
	pid_t pid;

	(void)state;
	assert_int_equal(ripc_event_init(&sh->ev), 0);
	assert_int_equal(ripc_mbox_init(&sh->box, sh->buf, sizeof(sh->buf), 16, 4), 0);
	items[0] = (struct ripc_poll_item)RIPC_POLL_MBOX_GET(&sh->box);
	items[1] = (struct ripc_poll_item)RIPC_POLL_EVENT(&sh->ev, 0x1, RIPC_EVENT_WAIT_ANY);
	pid = ripc_test_fork(post_from_child, sh);
	assert_int_equal(ripc_poll(items, 2, RIPC_SEC(10)), 1);
	assert_int_equal(items[0].ready, 1);
	assert_int_equal(ripc_mbox_get(&sh->box, buf, sizeof(buf), &len, RIPC_NO_WAIT), 0);
	assert_string_equal(buf, "p");
	assert_int_equal(ripc_poll(items, 2, RIPC_SEC(10)), 1);
	assert_int_equal(items[1].ready, 1);
	assert_int_equal(ripc_test_wait(pid), 0);
	ripc_test_shared_free(sh, sizeof(*sh));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_poll_rejects_bad_arguments_with_einval, reset_objects),
		cmocka_unit_test_setup(test_poll_nothing_ready_nowait_returns_eagain_and_times_out,
				       reset_objects),
		cmocka_unit_test_setup(test_poll_reports_each_kind_without_taking_it,
				       reset_objects),
		cmocka_unit_test_setup(test_poll_sleeps_until_another_thread_makes_one_ready,
				       reset_objects),
		cmocka_unit_test_setup(test_poll_never_strands_a_blocked_getter, reset_objects),
		cmocka_unit_test_setup(test_poll_wakes_on_changes_made_by_another_process,
				       reset_objects),
	};

	ripc_test_init("core.poll");
	return cmocka_run_group_tests_name("core.poll", tests, NULL, NULL);
}
