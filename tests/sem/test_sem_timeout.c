/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Semaphore timeouts: never early, not much late, not extended by signals; give from
 *        a signal handler.
 *
 * Bounds are generous (machines are loaded, boards emulated): a wait may never end before
 * its deadline, and must end within SLACK_NS after it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "ripc_test.h"

#include "port/port.h"

#include "sem_probe.h"

#define MSEC_NS  1000000LL
#define SLACK_NS (3000 * MSEC_NS)

/* Take from an empty semaphore with @p timeout; check -ETIMEDOUT, never early, not late. */
static void assert_times_out_after(ripc_timeout_t timeout, int64_t expect_ns)
{
	struct ripc_sem sem;
	int64_t t0, waited;

	assert_int_equal(ripc_sem_init(&sem, 0, 1), 0);
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_sem_take(&sem, timeout), -ETIMEDOUT);
	waited = ripc_test_now_ns() - t0;
	if (waited < expect_ns || waited > expect_ns + SLACK_NS)
		print_error("waited %lld ns for a %lld ns timeout\n", (long long)waited,
			    (long long)expect_ns);
	assert_true(waited >= expect_ns);
	assert_true(waited <= expect_ns + SLACK_NS);
	assert_int_equal(ripc_sem_count(&sem), 0);
}

static void test_sem_take_msec_timeout_is_never_early(void **state)
{
	(void)state;
	assert_times_out_after(RIPC_MSEC(100), 100 * MSEC_NS);
	assert_times_out_after(RIPC_MSEC(1), 1 * MSEC_NS);
}

static void test_sem_take_usec_timeout_is_never_early(void **state)
{
	(void)state;
	assert_times_out_after(RIPC_USEC(30000), 30 * MSEC_NS);
	assert_times_out_after(RIPC_USEC(500), 500000);
	/* The shortest timeout still waits (and so times out) rather than meaning "no wait". */
	assert_times_out_after(RIPC_USEC(1), 1000);
	assert_times_out_after(RIPC_NSEC(1), 1);
}

static void test_sem_take_zero_timeout_is_no_wait(void **state)
{
	struct ripc_sem sem;

	(void)state;
	assert_int_equal(ripc_sem_init(&sem, 0, 1), 0);
	assert_int_equal(ripc_sem_take(&sem, RIPC_MSEC(0)), -EAGAIN);
	assert_int_equal(ripc_sem_take(&sem, RIPC_USEC(0)), -EAGAIN);
	assert_int_equal(ripc_sem_give(&sem), 0);
	/* A count is taken at once, whatever the timeout. */
	assert_int_equal(ripc_sem_take(&sem, RIPC_MSEC(0)), 0);
}

/* A remaining time computed by the caller can come out negative when its deadline just
 * passed: that is "expired", never RIPC_FOREVER (whose -1 it could otherwise equal). */
static void test_sem_take_negative_timeout_does_not_wait(void **state)
{
	struct ripc_sem sem;
	int64_t t0;
	int64_t n;

	(void)state;
	assert_int_equal(ripc_sem_init(&sem, 0, 1), 0);
	t0 = ripc_test_now_ns();
	for (n = -3; n < 0; n++) {
		assert_int_equal(ripc_sem_take(&sem, RIPC_NSEC(n)), -EAGAIN);
		assert_int_equal(ripc_sem_take(&sem, RIPC_USEC(n)), -EAGAIN);
		assert_int_equal(ripc_sem_take(&sem, RIPC_MSEC(n)), -EAGAIN);
		assert_int_equal(ripc_sem_take(&sem, RIPC_SEC(n)), -EAGAIN);
	}
	assert_true(ripc_test_now_ns() - t0 < 1000 * MSEC_NS);
	assert_false(ripc_timeout_is_forever(RIPC_NSEC(-1)));
	assert_true(ripc_timeout_is_forever(RIPC_FOREVER));
}

/* ---- A give from another thread ends the wait early -------------------------------------- */

struct delayed_give {
	struct ripc_sem *sem;
	long delay_ms;
	atomic_bool given;
	int rc;
};

static void *give_later(void *arg)
{
	struct delayed_give *g = arg;

	ripc_test_sleep_ms(g->delay_ms);
	atomic_store(&g->given, true);
	g->rc = ripc_sem_give(g->sem);
	return NULL;
}

static void take_with_delayed_give(ripc_timeout_t timeout)
{
	struct delayed_give g;
	struct ripc_port_thread t;
	struct ripc_sem sem;
	int64_t t0, waited;

	assert_int_equal(ripc_sem_init(&sem, 0, 1), 0);
	memset(&g, 0, sizeof(g));
	g.sem = &sem;
	g.delay_ms = 50;
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_port_thread_start(&t, give_later, &g, 0), 0);
	assert_int_equal(ripc_sem_take(&sem, timeout), 0);
	waited = ripc_test_now_ns() - t0;
	/* It really waited for the give, and returned well before its own deadline. */
	assert_true(atomic_load(&g.given));
	assert_true(waited >= 50 * MSEC_NS);
	ripc_port_thread_join(&t);
	assert_int_equal(g.rc, 0);
	assert_int_equal(ripc_sem_count(&sem), 0);
}

static void test_sem_take_forever_waits_for_a_give(void **state)
{
	(void)state;
	take_with_delayed_give(RIPC_FOREVER);
}

static void test_sem_take_timed_returns_on_give_before_deadline(void **state)
{
	(void)state;
	take_with_delayed_give(RIPC_SEC(60));
	take_with_delayed_give(RIPC_USEC(60000000));
	/* A timeout too large for a deadline saturates to "forever" instead of wrapping. */
	take_with_delayed_give(RIPC_NSEC(INT64_MAX));
}

/* ---- Signals ------------------------------------------------------------------------------ */

static atomic_uint handled;
static struct ripc_sem *handler_sem;
static atomic_int handler_give_rc;
static atomic_uint handler_gives;

static void count_signal(int sig)
{
	(void)sig;
	atomic_fetch_add(&handled, 1);
}

static void give_in_handler(int sig)
{
	int saved = errno;
	int rc;

	(void)sig;
	rc = ripc_sem_give(handler_sem);
	if (rc == 0)
		atomic_fetch_add(&handler_gives, 1);
	else
		atomic_store(&handler_give_rc, rc);
	errno = saved;
}

/* Install @p fn for SIGUSR1 without SA_RESTART, so blocking calls see EINTR. */
static void install_handler(void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	assert_int_equal(sigaction(SIGUSR1, &sa, NULL), 0);
}

/* Ignore SIGUSR1 again: a signal still in flight must not kill the program. */
static void remove_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGUSR1, &sa, NULL), 0);
}

struct storm {
	pthread_t target;
	atomic_bool stop;
	unsigned long sent;
};

/* Send SIGUSR1 to the target thread about every millisecond until told to stop. */
static void *signal_storm(void *arg)
{
	struct storm *s = arg;
	struct timespec ms = {.tv_sec = 0, .tv_nsec = 1000000};

	while (!atomic_load(&s->stop)) {
		if (pthread_kill(s->target, SIGUSR1) == 0)
			s->sent++;
		nanosleep(&ms, NULL);
	}
	return NULL;
}

static void test_sem_signals_during_timed_take_do_not_extend_deadline(void **state)
{
	struct storm s;
	struct ripc_port_thread t;
	struct ripc_stats st;
	struct ripc_sem sem;
	int64_t t0, waited;
	int rc;

	(void)state;
	atomic_store(&handled, 0);
	install_handler(count_signal);
	assert_int_equal(ripc_sem_init(&sem, 0, 1), 0);
	memset(&s, 0, sizeof(s));
	s.target = pthread_self();
	assert_int_equal(ripc_port_thread_start(&t, signal_storm, &s, 0), 0);
	ripc_test_sleep_ms(10);
	ripc_stats_reset();
	t0 = ripc_test_now_ns();
	rc = ripc_sem_take(&sem, RIPC_MSEC(300));
	waited = ripc_test_now_ns() - t0;
	atomic_store(&s.stop, true);
	ripc_port_thread_join(&t);
	remove_handler();

	print_message("[          ] waited %lld ms, %lu signals sent, %u handled\n",
		      (long long)(waited / MSEC_NS), s.sent, atomic_load(&handled));
	assert_int_equal(rc, -ETIMEDOUT);
	assert_true(waited >= 300 * MSEC_NS);
	/* A wait restarted with a fresh relative timeout after each signal would never end. */
	assert_true(waited <= 300 * MSEC_NS + SLACK_NS);
	assert_true(s.sent > 10);
	assert_true(atomic_load(&handled) > 0);
	/* Each interruption sent the taker back to sleep: the wait really was interrupted. */
	if (ripc_stats_get(&st) == 0)
		assert_true(st.futex_waits > 1);
}

struct kill_later {
	long delay_ms;
	int rc;
};

/* Raise SIGUSR1 in this helper thread after a delay; its handler gives the semaphore. */
static void *signal_self_later(void *arg)
{
	struct kill_later *k = arg;

	ripc_test_sleep_ms(k->delay_ms);
	k->rc = pthread_kill(pthread_self(), SIGUSR1);
	return NULL;
}

static void test_sem_give_from_signal_handler_wakes_waiter(void **state)
{
	static RIPC_SEM_DEFINE(sem, 0, 1);
	struct kill_later k = {.delay_ms = 50, .rc = -1};
	struct ripc_port_thread t;
	int64_t t0, waited;

	(void)state;
	handler_sem = &sem;
	atomic_store(&handler_gives, 0);
	atomic_store(&handler_give_rc, 0);
	install_handler(give_in_handler);
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_port_thread_start(&t, signal_self_later, &k, 0), 0);
	assert_int_equal(ripc_sem_take(&sem, RIPC_SEC(30)), 0);
	waited = ripc_test_now_ns() - t0;
	ripc_port_thread_join(&t);
	remove_handler();

	assert_int_equal(k.rc, 0);
	assert_int_equal(atomic_load(&handler_give_rc), 0);
	assert_int_equal(atomic_load(&handler_gives), 1);
	assert_true(waited >= 50 * MSEC_NS);
	assert_int_equal(ripc_sem_count(&sem), 0);
}

/*
 * The handler interrupts this thread in the middle of its own gives and takes on the same
 * semaphore: the count must come out exact (every handler give adds one, nothing else).
 */
static void test_sem_give_in_handler_interrupting_give_and_take_keeps_count(void **state)
{
	static RIPC_SEM_DEFINE(sem, 0, 1000000);
	struct storm s;
	struct ripc_port_thread t;
	unsigned long n = 0;
	int64_t end;

	(void)state;
	handler_sem = &sem;
	atomic_store(&handler_gives, 0);
	atomic_store(&handler_give_rc, 0);
	install_handler(give_in_handler);
	memset(&s, 0, sizeof(s));
	s.target = pthread_self();
	assert_int_equal(ripc_port_thread_start(&t, signal_storm, &s, 0), 0);
	/* 300 ms of back-to-back give and take: a few hundred signals land inside them. */
	end = ripc_test_now_ns() + 300 * MSEC_NS;
	do {
		for (int i = 0; i < 1000; i++, n++) {
			assert_int_equal(ripc_sem_give(&sem), 0);
			assert_int_equal(ripc_sem_take(&sem, RIPC_NO_WAIT), 0);
		}
	} while (ripc_test_now_ns() < end);
	atomic_store(&s.stop, true);
	ripc_port_thread_join(&t);
	remove_handler();

	print_message("[          ] %lu rounds, %u gives from the handler\n", n,
		      atomic_load(&handler_gives));
	assert_int_equal(atomic_load(&handler_give_rc), 0);
	assert_true(atomic_load(&handler_gives) > 0);
	assert_int_equal(ripc_sem_count(&sem), atomic_load(&handler_gives));
}

static atomic_uint probe_waiters; /* waiters the handler saw: 0 means it came early */

static void give_in_probe_handler(int sig)
{
	int saved = errno;
	int rc;

	(void)sig;
	atomic_store(&probe_waiters, atomic_load(&handler_sem->wq.waiters));
	rc = ripc_sem_give(handler_sem);
	if (rc == 0)
		atomic_fetch_add(&handler_gives, 1);
	else
		atomic_store(&handler_give_rc, rc);
	errno = saved;
}

/*
 * The only gives come from a handler that interrupts the taker itself, aimed at the instant
 * it registers as a waiter (sem_probe.h): so it lands, round after round, inside the few
 * instructions between the taker's last look at the count and its sleep. One give per take
 * and no other: a give lost there leaves the taker asleep for ever (watchdog).
 */
static void test_sem_give_in_handler_interrupting_take_is_seen(void **state)
{
	static RIPC_SEM_DEFINE(sem, 0, 1);
	struct sem_probe probe;
	unsigned long i, n = ripc_test_scaled(10000);

	(void)state;
	if (!SEM_PROBE_USABLE)
		RIPC_TEST_SKIP("ThreadSanitizer defers signal handlers past raw futex waits");
	handler_sem = &sem;
	atomic_store(&handler_gives, 0);
	atomic_store(&handler_give_rc, 0);
	sem_probe_open(&probe, SIGUSR1, give_in_probe_handler);
	for (i = 0; i < n; i++) {
		unsigned int before = atomic_load(&handler_gives);

		sem_probe_arm(&probe);
		assert_int_equal(ripc_sem_take(&sem, RIPC_FOREVER), 0);
		/* The take can only have ended through this round's give. */
		assert_int_equal(atomic_load(&handler_gives), before + 1);
		sem_probe_adjust(&probe, atomic_load(&probe_waiters) == 0);
	}
	sem_probe_close(&probe, SIGUSR1);

	print_message("[          ] %lu takes ended by a handler's give: %lu before the taker "
		      "registered, %lu after (last delay %lld ns)\n",
		      n, probe.early, probe.late, (long long)probe.delay_ns);
	assert_int_equal(atomic_load(&handler_give_rc), 0);
	assert_int_equal(ripc_sem_count(&sem), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sem_take_msec_timeout_is_never_early),
		cmocka_unit_test(test_sem_take_usec_timeout_is_never_early),
		cmocka_unit_test(test_sem_take_zero_timeout_is_no_wait),
		cmocka_unit_test(test_sem_take_negative_timeout_does_not_wait),
		cmocka_unit_test(test_sem_take_forever_waits_for_a_give),
		cmocka_unit_test(test_sem_take_timed_returns_on_give_before_deadline),
		cmocka_unit_test(test_sem_signals_during_timed_take_do_not_extend_deadline),
		cmocka_unit_test(test_sem_give_from_signal_handler_wakes_waiter),
		cmocka_unit_test(test_sem_give_in_handler_interrupting_give_and_take_keeps_count),
		cmocka_unit_test(test_sem_give_in_handler_interrupting_take_is_seen),
	};

	ripc_test_init("core.sem.timeout");
	return cmocka_run_group_tests_name("core.sem.timeout", tests, NULL, NULL);
}
