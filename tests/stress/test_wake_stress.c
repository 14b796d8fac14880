/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Lost-wake-up stress: a million real sleeps through every sleep/wake handshake.
 *
 * Built against a copy of the library configured with CONFIG_RIPC_SPIN_ITERATIONS=0, so
 * every wait that finds nothing goes straight to the kernel. Two threads hand a token back
 * and forth through each kind of object; pinned to one CPU, each hand-off makes the waiting
 * side sleep (a wake-up lost anywhere hangs the pair, which the timeouts turn into a
 * failure), and a shorter round on two CPUs has both sides racing into sleep. Every round
 * checks ripc_stats: the futex sleeps really happened.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "ripc_test.h"

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define SANITIZER_SCALE 20ul
#else
#define SANITIZER_SCALE 1ul
#endif

_Static_assert(CONFIG_RIPC_SPIN_ITERATIONS == 0, "the stress needs the no-spin library");

/* Round trips per handshake natively; on one CPU more than one sleep each, so well over a
 * million sleeps per handshake. */
#define ROUND_TRIPS 850000ul

static unsigned long round_trips(void)
{
	unsigned long n = ripc_test_scaled(ROUND_TRIPS) / SANITIZER_SCALE;

	return n > 100 ? n : 100;
}

enum kind { KIND_SEM, KIND_MBOX, KIND_EVENT, KIND_POOL, KIND_MUTEX };

static struct ripc_sem sem_ab, sem_ba;
static RIPC_MBOX_DEFINE(mbox_ab, 8, 1);
static RIPC_MBOX_DEFINE(mbox_ba, 8, 1);
static RIPC_EVENT_DEFINE(ev);
static RIPC_POOL_DEFINE(pool, 64, 1);
static RIPC_MUTEX_DEFINE(mtx);

struct side {
	enum kind kind;
	int first; /* 1 for the side that starts */
	unsigned long rounds;
	int cpu; /* -1: any */
	int rc;  /* first failure */
};

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* One hand-off in each direction per round; returns 0 or the failing code. */
static int sem_round(int first)
{
	struct ripc_sem *mine = first ? &sem_ba : &sem_ab, *theirs = first ? &sem_ab : &sem_ba;
	int rc = first ? ripc_sem_give(theirs) : 0;

	if (rc == 0)
		rc = ripc_sem_take(mine, RIPC_SEC(10));
	if (rc == 0 && !first)
		rc = ripc_sem_give(theirs);
	return rc;
}

static int mbox_round(int first)
{
	struct ripc_mbox *in = first ? &mbox_ba : &mbox_ab, *out = first ? &mbox_ab : &mbox_ba;
	uint64_t v = 42;
	size_t len;
	int rc = first ? ripc_mbox_put(out, &v, sizeof(v), RIPC_SEC(10)) : 0;

	if (rc == 0)
		rc = ripc_mbox_get(in, &v, sizeof(v), &len, RIPC_SEC(10));
	if (rc == 0 && !first)
		rc = ripc_mbox_put(out, &v, sizeof(v), RIPC_SEC(10));
	return rc;
}

static int event_round(int first)
{
	uint32_t mine = first ? 0x2u : 0x1u, theirs = first ? 0x1u : 0x2u, got;
	int rc = first ? ripc_event_post(&ev, theirs) : 0;

	if (rc == 0)
		rc = ripc_event_wait(&ev, mine, RIPC_EVENT_WAIT_ANY | RIPC_EVENT_CLEAR, &got,
				     RIPC_SEC(10));
	if (rc == 0 && !first)
		rc = ripc_event_post(&ev, theirs);
	return rc;
}

/* Both sides take the pool's only block in turn; the other sleeps in alloc meanwhile. */
static int pool_round(int first)
{
	void *blk;
	int rc = ripc_pool_alloc(&pool, &blk, RIPC_SEC(10));

	(void)first;
	if (rc != 0)
		return rc;
	sched_yield(); /* let the other side find the pool empty and sleep */
	return ripc_pool_free(&pool, blk);
}

static int mutex_round(int first)
{
	int rc = ripc_mutex_lock(&mtx, RIPC_SEC(10));

	(void)first;
	if (rc != 0)
		return rc;
	sched_yield(); /* let the other side block on the lock */
	return ripc_mutex_unlock(&mtx);
}

static int (*const round_fn[])(int) = {sem_round, mbox_round, event_round, pool_round, mutex_round};

static void *run_side(void *arg)
{
	struct side *s = arg;
	unsigned long i;

	pin(s->cpu);
	for (i = 0; i < s->rounds && s->rc == 0; i++)
		s->rc = round_fn[s->kind](s->first);
	return NULL;
}

static void reset_objects(void)
{
	assert_int_equal(ripc_sem_init(&sem_ab, 0, 1), 0);
	assert_int_equal(ripc_sem_init(&sem_ba, 0, 1), 0);
	(void)ripc_mbox_purge(&mbox_ab);
	(void)ripc_mbox_purge(&mbox_ba);
	assert_int_equal(ripc_event_set(&ev, 0), 0);
}

static uint64_t run_pair(enum kind kind, unsigned long rounds, int cpu_a, int cpu_b)
{
	struct side a = {.kind = kind, .first = 1, .rounds = rounds, .cpu = cpu_a};
	struct side b = {.kind = kind, .first = 0, .rounds = rounds, .cpu = cpu_b};
	struct ripc_stats st;
	pthread_t ta, tb;

	reset_objects();
	ripc_stats_reset();
	assert_int_equal(pthread_create(&ta, NULL, run_side, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, run_side, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_int_equal(a.rc, 0);
	assert_int_equal(b.rc, 0);
	assert_int_equal(ripc_stats_get(&st), 0);
	return st.futex_waits + st.pi_calls;
}

static void stress(enum kind kind, const char *name)
{
	unsigned long n = round_trips();
	uint64_t sleeps = run_pair(kind, n, 0, 0);
	uint64_t racing = run_pair(kind, n / 10, 0, 1);

	print_message("[          ] %s: %lu round trips on one CPU: %llu sleeps; %lu on two CPUs: "
		      "%llu sleeps\n",
		      name, n, (unsigned long long)sleeps, n / 10, (unsigned long long)racing);
	/* On one CPU nearly every hand-off sleeps; demand at least one sleep per round trip. */
	assert_true(sleeps >= n);
	assert_true(racing > 0);
}

static void test_sem_handoff_loses_no_wakeup_in_a_million_sleeps(void **state)
{
	(void)state;
	stress(KIND_SEM, "sem");
}

static void test_mbox_handoff_loses_no_wakeup_in_a_million_sleeps(void **state)
{
	(void)state;
	stress(KIND_MBOX, "mbox");
}

static void test_event_handoff_loses_no_wakeup_in_a_million_sleeps(void **state)
{
	(void)state;
	stress(KIND_EVENT, "event");
}

static void test_pool_handoff_loses_no_wakeup_in_a_million_sleeps(void **state)
{
	(void)state;
	stress(KIND_POOL, "pool");
}

static void test_mutex_handoff_loses_no_wakeup_in_a_million_sleeps(void **state)
{
	(void)state;
	stress(KIND_MUTEX, "mutex");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sem_handoff_loses_no_wakeup_in_a_million_sleeps),
		cmocka_unit_test(test_mbox_handoff_loses_no_wakeup_in_a_million_sleeps),
		cmocka_unit_test(test_event_handoff_loses_no_wakeup_in_a_million_sleeps),
		cmocka_unit_test(test_pool_handoff_loses_no_wakeup_in_a_million_sleeps),
		cmocka_unit_test(test_mutex_handoff_loses_no_wakeup_in_a_million_sleeps),
	};

	ripc_test_init("core.stress.wake");
	return cmocka_run_group_tests_name("core.stress.wake", tests, NULL, NULL);
}
