/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Events between processes: fork()ed children on MAP_SHARED memory.
 *
 * Children never use CMocka assertions; they exit with 0, or with the number of the check
 * that failed. Each child arms its own alarm() (alarms are not inherited across fork), so a
 * child stuck by a lost wake-up dies instead of outliving the test program.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ripc_test.h"

#define ANY   RIPC_EVENT_WAIT_ANY
#define ALL   RIPC_EVENT_WAIT_ALL
#define CLEAR RIPC_EVENT_CLEAR

#define PING RIPC_EVENT_BIT(0)
#define PONG RIPC_EVENT_BIT(1)
#define WORK RIPC_EVENT_BIT(7)
#define STOP RIPC_EVENT_BIT(31)

#define LONG_WAIT        RIPC_SEC(20)
#define CHILD_WATCHDOG_S 100

/* Child exit codes, one per way a child can fail. */
enum {
	CHILD_OK = 0,
	CHILD_WAIT_FAILED = 10,
	CHILD_POST_FAILED = 11,
	CHILD_WRONG_BITS = 12,
	CHILD_WAIT_RETURNED = 13,
	CHILD_MAP_FAILED = 14,
};

#define POSTERS   3
#define CONSUMERS 3

struct mp_shared {
	struct ripc_event ev;
	struct ripc_event ack;
	uint32_t rounds;
	atomic_uint delivered[POSTERS];
	atomic_uint woken;
	atomic_uint timeouts;
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
	assert_int_equal(ripc_event_init(&sh->ev), 0);
	assert_int_equal(ripc_event_init(&sh->ack), 0);
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

/* The test peeks at the private waiter count: the exact sign that waiters are committed. */
static void wait_for_sleepers(struct ripc_event *ev, uint32_t n)
{
	int64_t end = ripc_test_now_ns() + 10 * 1000000000LL;

	while (atomic_load(&ev->wq.waiters) < n) {
		assert_true(ripc_test_now_ns() < end);
		ripc_test_sleep_ms(1);
	}
	/* Let them reach the kernel: the post should find them asleep there. */
	ripc_test_sleep_ms(20);
}

/* ---- Ping-pong ----------------------------------------------------------------------------- */

static int echo_loop(struct ripc_event *ev)
{
	uint32_t i, m;
	int rc;

	for (i = 0; i < sh->rounds; i++) {
		rc = ripc_event_wait(ev, PING, ANY | CLEAR, &m, RIPC_FOREVER);
		if (rc != 0)
			return child_fail(CHILD_WAIT_FAILED, rc);
		if (m != PING)
			return child_fail(CHILD_WRONG_BITS, (int)m);
		rc = ripc_event_post(ev, PONG);
		if (rc != 0)
			return child_fail(CHILD_POST_FAILED, rc);
	}
	return CHILD_OK;
}

static int echo_child(void *arg)
{
	(void)arg;
	child_start();
	return echo_loop(&sh->ev);
}

static void pingpong(struct ripc_event *ev)
{
	uint32_t i, m;

	for (i = 0; i < sh->rounds; i++) {
		assert_int_equal(ripc_event_post(ev, PING), 0);
		assert_int_equal(ripc_event_wait(ev, PONG, ALL | CLEAR, &m, RIPC_FOREVER), 0);
		assert_int_equal(m, PONG);
	}
}

static void test_event_pingpong_between_processes(void **state)
{
	pid_t pid;

	(void)state;
	setup();
	sh->rounds = (uint32_t)ripc_test_scaled(20000);
	pid = ripc_test_fork(echo_child, NULL);
	pingpong(&sh->ev);
	assert_child_ok(pid);
	assert_int_equal(ripc_event_get(&sh->ev), 0);
	teardown();
}

/* ---- Mapped at different addresses -------------------------------------------------------- */

static int memfd;

/* The child maps the region again, at an address of its own, and echoes through that view. */
static int remap_echo_child(void *arg)
{
	struct mp_shared *view;
	int rc;

	(void)arg;
	child_start();
	view = mmap(NULL, sizeof(*view), PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (view == MAP_FAILED)
		return child_fail(CHILD_MAP_FAILED, -errno);
	if (view == sh)
		return child_fail(CHILD_MAP_FAILED, -EEXIST);
	rc = echo_loop(&view->ev);
	munmap(view, sizeof(*view));
	return rc;
}

static void test_event_works_mapped_at_different_addresses(void **state)
{
	struct mp_shared *other;
	pid_t pid;

	(void)state;
	memfd = memfd_create("ripc-event-test", 0);
	if (memfd < 0 && errno == ENOSYS)
		RIPC_TEST_SKIP("memfd_create is not available here");
	assert_true(memfd >= 0);
	assert_int_equal(ftruncate(memfd, sizeof(struct mp_shared)), 0);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	other = mmap(NULL, sizeof(*other), PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	assert_true(sh != MAP_FAILED && other != MAP_FAILED && sh != other);
	assert_int_equal(ripc_event_init(&sh->ev), 0);
	sh->rounds = (uint32_t)ripc_test_scaled(20000);

	/* Two views in one process: a post through one is seen (and wakes) through the other. */
	assert_int_equal(ripc_event_post(&other->ev, WORK), 0);
	assert_int_equal(ripc_event_get(&sh->ev), WORK);
	assert_int_equal(ripc_event_wait(&sh->ev, WORK, ANY | CLEAR, NULL, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_event_get(&other->ev), 0);

	pid = ripc_test_fork(remap_echo_child, NULL);
	pingpong(&other->ev);
	assert_child_ok(pid);
	assert_int_equal(ripc_event_get(&sh->ev), 0);
	munmap(other, sizeof(*other));
	munmap(sh, sizeof(*sh));
	close(memfd);
	sh = NULL;
}

/* ---- Posters and consumers in processes: every post consumed exactly once ---------------- */

static int poster_child(void *arg)
{
	uint32_t bit = 1u << *(int *)arg;
	uint32_t i;
	int rc;

	child_start();
	for (i = 0; i < sh->rounds; i++) {
		rc = ripc_event_post(&sh->ev, bit);
		if (rc != 0)
			return child_fail(CHILD_POST_FAILED, rc);
		/* Post again only once consumed: each post sets a clear bit. */
		rc = ripc_event_wait(&sh->ack, bit, ANY | CLEAR, NULL, LONG_WAIT);
		if (rc != 0)
			return child_fail(CHILD_WAIT_FAILED, rc);
	}
	return CHILD_OK;
}

static int consume(uint32_t m)
{
	uint32_t b;
	int rc;

	for (b = 0; b < POSTERS; b++) {
		if ((m & (1u << b)) == 0)
			continue;
		atomic_fetch_add(&sh->delivered[b], 1);
		rc = ripc_event_post(&sh->ack, 1u << b);
		if (rc != 0)
			return child_fail(CHILD_POST_FAILED, rc);
	}
	return CHILD_OK;
}

static int consumer_child(void *arg)
{
	const uint32_t mask = ((1u << POSTERS) - 1u) | STOP;
	uint32_t seed = 0x9e3779b9u * (uint32_t)(*(int *)arg + 1);
	uint32_t m;
	int rc;

	child_start();
	for (;;) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		/* Polls race each other hardest for a bit; short deadlines race posts (a wait
		 * that times out must consume nothing); some waits sleep without limit. */
		rc = ripc_event_wait(&sh->ev, mask, ANY | CLEAR, &m,
				     (seed & 3) == 0   ? RIPC_NO_WAIT
				     : (seed & 3) == 1 ? RIPC_FOREVER
						       : RIPC_USEC(seed % 100));
		if (rc == -ETIMEDOUT || rc == -EAGAIN) {
			atomic_fetch_add(&sh->timeouts, 1);
			continue;
		}
		if (rc != 0)
			return child_fail(CHILD_WAIT_FAILED, rc);
		rc = consume(m);
		if (rc != CHILD_OK)
			return rc;
		if ((m & STOP) != 0)
			break;
	}
	/* This consumer cleared STOP; the others must see it too. */
	rc = ripc_event_post(&sh->ev, STOP);
	return rc == 0 ? CHILD_OK : child_fail(CHILD_POST_FAILED, rc);
}

static void test_event_posters_and_consumers_in_processes_deliver_once(void **state)
{
	static int index[POSTERS > CONSUMERS ? POSTERS : CONSUMERS];
	pid_t posters[POSTERS], consumers[CONSUMERS];
	int i;

	(void)state;
	setup();
	sh->rounds = (uint32_t)ripc_test_scaled(20000);
	for (i = 0; i < (int)(sizeof(index) / sizeof(index[0])); i++)
		index[i] = i;
	for (i = 0; i < CONSUMERS; i++)
		consumers[i] = ripc_test_fork(consumer_child, &index[i]);
	for (i = 0; i < POSTERS; i++)
		posters[i] = ripc_test_fork(poster_child, &index[i]);
	for (i = 0; i < POSTERS; i++)
		assert_child_ok(posters[i]);
	assert_int_equal(ripc_event_post(&sh->ev, STOP), 0);
	for (i = 0; i < CONSUMERS; i++)
		assert_child_ok(consumers[i]);
	for (i = 0; i < POSTERS; i++)
		assert_int_equal(atomic_load(&sh->delivered[i]), sh->rounds);
	assert_int_equal(ripc_event_get(&sh->ev), STOP);
	assert_int_equal(ripc_event_get(&sh->ack), 0);
	print_message("[          ] %u posts, %u waits timed out\n", sh->rounds * POSTERS,
		      atomic_load(&sh->timeouts));
	teardown();
}

/* ---- Broadcast to sleepers in many processes --------------------------------------------- */

#define BROADCAST_CHILDREN 5

static int watcher_child(void *arg)
{
	uint32_t m = 0;
	int rc;

	(void)arg;
	child_start();
	rc = ripc_event_wait(&sh->ev, WORK | STOP, ALL, &m, LONG_WAIT);
	if (rc != 0)
		return child_fail(CHILD_WAIT_FAILED, rc);
	atomic_fetch_add(&sh->woken, 1);
	return m == (WORK | STOP) ? CHILD_OK : child_fail(CHILD_WRONG_BITS, (int)m);
}

static void test_event_post_wakes_waiters_in_every_process(void **state)
{
	pid_t pid[BROADCAST_CHILDREN];
	int i;

	(void)state;
	setup();
	for (i = 0; i < BROADCAST_CHILDREN; i++)
		pid[i] = ripc_test_fork(watcher_child, NULL);
	wait_for_sleepers(&sh->ev, BROADCAST_CHILDREN);
	assert_int_equal(ripc_event_post(&sh->ev, WORK), 0);
	ripc_test_sleep_ms(20);
	/* Only half of what they wait for: all still asleep. */
	assert_int_equal(atomic_load(&sh->woken), 0);
	assert_int_equal(ripc_event_post(&sh->ev, STOP), 0);
	for (i = 0; i < BROADCAST_CHILDREN; i++)
		assert_child_ok(pid[i]);
	assert_int_equal(atomic_load(&sh->woken), BROADCAST_CHILDREN);
	assert_int_equal(ripc_event_get(&sh->ev), WORK | STOP);
	teardown();
}

/* ---- A waiter killed while it sleeps ----------------------------------------------------- */

static int take_once_child(void *arg)
{
	uint32_t m = 0;
	int rc;

	(void)arg;
	child_start();
	rc = ripc_event_wait(&sh->ev, WORK, ANY | CLEAR, &m, LONG_WAIT);
	if (rc != 0)
		return child_fail(CHILD_WAIT_FAILED, rc);
	atomic_fetch_add(&sh->woken, 1);
	return m == WORK ? CHILD_OK : child_fail(CHILD_WRONG_BITS, (int)m);
}

static int watch_child(void *arg)
{
	uint32_t m = 0;
	int rc;

	(void)arg;
	child_start();
	rc = ripc_event_wait(&sh->ev, STOP, ALL, &m, LONG_WAIT);
	if (rc != 0)
		return child_fail(CHILD_WAIT_FAILED, rc);
	return m == STOP ? CHILD_OK : child_fail(CHILD_WRONG_BITS, (int)m);
}

/* Never returns from its wait: nobody posts PING. Killed by the test. */
static int victim_child(void *arg)
{
	int rc;

	(void)arg;
	child_start();
	rc = ripc_event_wait(&sh->ev, PING | WORK, ALL | CLEAR, NULL, RIPC_FOREVER);
	return child_fail(CHILD_WAIT_RETURNED, rc == 0 ? 1 : rc);
}

static void test_event_waiter_killed_while_sleeping_does_not_disturb_others(void **state)
{
	pid_t victim, taker, watcher;

	(void)state;
	setup();
	taker = ripc_test_fork(take_once_child, NULL);
	victim = ripc_test_fork(victim_child, NULL);
	watcher = ripc_test_fork(watch_child, NULL);
	wait_for_sleepers(&sh->ev, 3);

	assert_int_equal(kill(victim, SIGKILL), 0);
	assert_int_equal(ripc_test_wait(victim), 128 + SIGKILL);
	/* The dead waiter consumed nothing and left nothing. */
	assert_int_equal(ripc_event_get(&sh->ev), 0);

	/* One post wakes both: the taker consumes WORK, exactly once; the watcher sees STOP. */
	assert_int_equal(ripc_event_post(&sh->ev, WORK | STOP), 0);
	assert_child_ok(watcher);
	assert_child_ok(taker);
	assert_int_equal(atomic_load(&sh->woken), 1);
	assert_int_equal(ripc_event_get(&sh->ev), STOP);

	/* Still fully usable: a new waiter in a new process sleeps and is woken. */
	taker = ripc_test_fork(take_once_child, NULL);
	ripc_test_sleep_ms(50);
	assert_int_equal(ripc_event_post(&sh->ev, WORK), 0);
	assert_child_ok(taker);
	assert_int_equal(atomic_load(&sh->woken), 2);
	assert_int_equal(ripc_event_get(&sh->ev), STOP);
	teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_pingpong_between_processes),
		cmocka_unit_test(test_event_works_mapped_at_different_addresses),
		cmocka_unit_test(test_event_posters_and_consumers_in_processes_deliver_once),
		cmocka_unit_test(test_event_post_wakes_waiters_in_every_process),
		cmocka_unit_test(test_event_waiter_killed_while_sleeping_does_not_disturb_others),
	};

	ripc_test_init("core.event.multiproc");
	return cmocka_run_group_tests_name("core.event.multiproc", tests, NULL, NULL);
}
