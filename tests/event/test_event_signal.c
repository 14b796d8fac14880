/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Events and POSIX signals: the port's signal hooks, the bridge, posts from handlers.
 *
 * A bridged signal must post its bits whichever thread it interrupts, including the very
 * thread that sleeps waiting for them, and whether it comes from raise(), from
 * pthread_kill() or from kill() in another process. Unbridging must give the signal back
 * its old disposition. Children of fork() never use CMocka assertions; they exit with 0 or
 * with the number of the check that failed.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ripc_test.h"

#include "port/port.h"

#define ANY   RIPC_EVENT_WAIT_ANY
#define ALL   RIPC_EVENT_WAIT_ALL
#define CLEAR RIPC_EVENT_CLEAR

#define SHUTDOWN RIPC_EVENT_BIT(0)
#define RELOAD   RIPC_EVENT_BIT(5)
#define ACK      RIPC_EVENT_BIT(9)
#define READY    RIPC_EVENT_BIT(12)
#define GO       RIPC_EVENT_BIT(13)

/* Long enough never to expire on a loaded or emulated machine unless a post is lost. */
#define LONG_WAIT        RIPC_SEC(20)
#define CHILD_WATCHDOG_S 100

/*
 * ThreadSanitizer runs a signal handler only when the interrupted thread comes back to
 * instrumented code. A system call that SA_RESTART restarts never does: a waitpid(), or a
 * futex wait without a deadline. So under TSan a thread that a test wants the kernel to
 * interrupt waits with a deadline (the kernel then ends the wait with EINTR), and the main
 * thread waits for children by polling.
 */
#if defined(__SANITIZE_THREAD__)
#define INTERRUPTIBLE_WAIT LONG_WAIT
#else
#define INTERRUPTIBLE_WAIT RIPC_FOREVER
#endif

#ifndef CONFIG_RIPC_EVENT_SIGNAL_SLOTS
#define CONFIG_RIPC_EVENT_SIGNAL_SLOTS 0
#endif

/* Child exit codes, one per way a child can fail. */
enum {
	CHILD_OK = 0,
	CHILD_BRIDGE_FAILED = 10,
	CHILD_POST_FAILED = 11,
	CHILD_WAIT_FAILED = 12,
	CHILD_KILL_FAILED = 13,
	CHILD_WRONG_BITS = 14,
};

/* Skip a test of the bridge when it is not built, after checking that it says so. */
static void require_bridge(void)
{
	struct ripc_event ev;

	if (RIPC_IS_ENABLED(CONFIG_RIPC_EVENT_SIGNAL_BRIDGE))
		return;
	assert_int_equal(ripc_event_init(&ev), 0);
	assert_int_equal(ripc_event_bridge_signal(&ev, SIGTERM, SHUTDOWN), -ENOTSUP);
	assert_int_equal(ripc_event_unbridge_signal(SIGTERM), -ENOTSUP);
	RIPC_TEST_SKIP("built without CONFIG_RIPC_EVENT_SIGNAL_BRIDGE");
}

static struct sigaction disposition(int signo)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	assert_int_equal(sigaction(signo, NULL, &sa), 0);
	return sa;
}

static void set_disposition(int signo, void (*handler)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(signo, &sa, NULL), 0);
}

/* The test peeks at the private waiter count: the exact sign that a waiter is committed. */
static void wait_for_sleepers(struct ripc_event *ev, uint32_t n)
{
	int64_t end = ripc_test_now_ns() + 10 * 1000000000LL;

	while (atomic_load(&ev->wq.waiters) < n) {
		assert_true(ripc_test_now_ns() < end);
		ripc_test_sleep_ms(1);
	}
}

/* ---- Argument checks and slots ----------------------------------------------------------- */

static void test_event_bridge_rejects_bad_arguments(void **state)
{
	static const int uncatchable[] = {0, -1, SIGKILL, SIGSTOP, NSIG, 1000};
	struct ripc_event ev;
	size_t i;

	(void)state;
	require_bridge();
	assert_int_equal(ripc_event_init(&ev), 0);
	assert_int_equal(ripc_event_bridge_signal(NULL, SIGUSR1, SHUTDOWN), -EINVAL);
	assert_int_equal(ripc_event_bridge_signal(&ev, SIGUSR1, 0), -EINVAL);
	/* Refused many times over: a refused bridge must not keep a slot. */
	for (i = 0; i < 3 * CONFIG_RIPC_EVENT_SIGNAL_SLOTS; i++)
		assert_int_equal(ripc_event_bridge_signal(&ev, uncatchable[i % 6], SHUTDOWN),
				 -EINVAL);
	assert_int_equal(disposition(SIGUSR1).sa_handler, SIG_DFL);
	assert_int_equal(ripc_event_unbridge_signal(SIGUSR1), -ENOENT);
	assert_int_equal(ripc_event_unbridge_signal(0), -ENOENT);
	assert_int_equal(ripc_event_unbridge_signal(-5), -ENOENT);
	assert_int_equal(ripc_event_unbridge_signal(SIGKILL), -ENOENT);
}

static void test_event_bridge_slots_run_out_and_come_back(void **state)
{
	const int n = CONFIG_RIPC_EVENT_SIGNAL_SLOTS;
	struct ripc_event ev;
	int i, round;

	(void)state;
	require_bridge();
	/* Real-time signals from SIGRTMIN + 1 (the C library may use SIGRTMIN itself). */
	if (SIGRTMIN + 1 + n > SIGRTMAX)
		RIPC_TEST_SKIP("%d slots: more than this system's real-time signals", n);
	assert_int_equal(ripc_event_init(&ev), 0);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < n; i++)
			assert_int_equal(ripc_event_bridge_signal(&ev, SIGRTMIN + 1 + i, 1u << i),
					 0);
		/* Every slot is taken, and a bridged signal cannot be bridged twice. */
		assert_int_equal(ripc_event_bridge_signal(&ev, SIGRTMIN + 1 + n, SHUTDOWN),
				 -ENOSPC);
		assert_int_equal(ripc_event_bridge_signal(&ev, SIGRTMIN + 1, SHUTDOWN), -EBUSY);
		assert_int_equal(ripc_event_unbridge_signal(SIGRTMIN + 1 + n), -ENOENT);
		assert_int_equal(disposition(SIGRTMIN + 1 + n).sa_handler, SIG_DFL);
		/* Each slot posts its own bits. */
		assert_int_equal(raise(SIGRTMIN + 1 + n - 1), 0);
		assert_int_equal(ripc_event_get(&ev), 1u << (n - 1));
		assert_int_equal(ripc_event_set(&ev, 0), 0);
		for (i = 0; i < n; i++) {
			assert_int_equal(ripc_event_unbridge_signal(SIGRTMIN + 1 + i), 0);
			assert_int_equal(disposition(SIGRTMIN + 1 + i).sa_handler, SIG_DFL);
			assert_int_equal(ripc_event_unbridge_signal(SIGRTMIN + 1 + i), -ENOENT);
		}
	}
}

/* ---- The port's hooks, under the bridge -------------------------------------------------- */

struct hook_record {
	int calls;
	int signo;
	void *arg;
};

static struct hook_record first_hook, second_hook;

static void record_first(int signo, void *arg)
{
	first_hook.calls++;
	first_hook.signo = signo;
	first_hook.arg = arg;
}

static void record_second(int signo, void *arg)
{
	second_hook.calls++;
	second_hook.signo = signo;
	second_hook.arg = arg;
}

static void test_port_signal_hook_replaces_and_unhook_restores(void **state)
{
	int tag1, tag2;

	(void)state;
	memset(&first_hook, 0, sizeof(first_hook));
	memset(&second_hook, 0, sizeof(second_hook));
	set_disposition(SIGUSR2, SIG_IGN, 0);
	assert_int_equal(ripc_port_signal_hook(SIGUSR2, NULL, NULL), -EINVAL);
	assert_int_equal(ripc_port_signal_hook(SIGKILL, record_first, NULL), -EINVAL);
	assert_int_equal(ripc_port_signal_hook(0, record_first, NULL), -EINVAL);
	assert_int_equal(ripc_port_signal_hook(NSIG, record_first, NULL), -EINVAL);
	assert_int_equal(ripc_port_signal_unhook(SIGUSR2), -ENOENT);

	assert_int_equal(ripc_port_signal_hook(SIGUSR2, record_first, &tag1), 0);
	assert_int_equal(raise(SIGUSR2), 0);
	assert_int_equal(first_hook.calls, 1);
	assert_int_equal(first_hook.signo, SIGUSR2);
	assert_ptr_equal(first_hook.arg, &tag1);
	assert_true((disposition(SIGUSR2).sa_flags & SA_RESTART) != 0);

	/* A second hook replaces the first, function and argument together. */
	assert_int_equal(ripc_port_signal_hook(SIGUSR2, record_second, &tag2), 0);
	assert_int_equal(raise(SIGUSR2), 0);
	assert_int_equal(first_hook.calls, 1);
	assert_int_equal(second_hook.calls, 1);
	assert_ptr_equal(second_hook.arg, &tag2);

	/* Unhooking restores what the first hook replaced. */
	assert_int_equal(ripc_port_signal_unhook(SIGUSR2), 0);
	assert_ptr_equal(disposition(SIGUSR2).sa_handler, SIG_IGN);
	assert_int_equal(raise(SIGUSR2), 0);
	assert_int_equal(first_hook.calls + second_hook.calls, 2);
	assert_int_equal(ripc_port_signal_unhook(SIGUSR2), -ENOENT);
	set_disposition(SIGUSR2, SIG_DFL, 0);
}

static void test_port_signal_hooks_run_out_and_come_back(void **state)
{
	const int n = CONFIG_RIPC_EVENT_SIGNAL_SLOTS;
	int i;

	(void)state;
	require_bridge();
	if (SIGRTMIN + 1 + n > SIGRTMAX)
		RIPC_TEST_SKIP("%d slots: more than this system's real-time signals", n);
	for (i = 0; i < n; i++)
		assert_int_equal(ripc_port_signal_hook(SIGRTMIN + 1 + i, record_first, NULL), 0);
	assert_int_equal(ripc_port_signal_hook(SIGRTMIN + 1 + n, record_first, NULL), -ENOSPC);
	/* Replacing needs no new slot. */
	assert_int_equal(ripc_port_signal_hook(SIGRTMIN + 1, record_second, NULL), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(ripc_port_signal_unhook(SIGRTMIN + 1 + i), 0);
	assert_int_equal(ripc_port_signal_hook(SIGRTMIN + 1 + n, record_first, NULL), 0);
	assert_int_equal(ripc_port_signal_unhook(SIGRTMIN + 1 + n), 0);
	assert_ptr_equal(disposition(SIGRTMIN + 1 + n).sa_handler, SIG_DFL);
}

/* ---- raise(): the handler runs in the raising thread -------------------------------------- */

static volatile sig_atomic_t old_handler_calls;

static void old_handler(int signo)
{
	(void)signo;
	old_handler_calls++;
}

struct waiter {
	struct ripc_event *ev;
	uint32_t bits;
	uint32_t flags;
	int rc;
	uint32_t matched;
	pthread_t thread;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	w->rc = ripc_event_wait(w->ev, w->bits, w->flags, &w->matched, LONG_WAIT);
	return NULL;
}

static void start_waiter(struct waiter *w, struct ripc_event *ev, uint32_t bits, uint32_t flags)
{
	memset(w, 0, sizeof(*w));
	w->ev = ev;
	w->bits = bits;
	w->flags = flags;
	w->rc = 1;
	assert_int_equal(pthread_create(&w->thread, NULL, waiter_main, w), 0);
}

static void join_waiter(struct waiter *w, uint32_t expect_matched)
{
	assert_int_equal(pthread_join(w->thread, NULL), 0);
	assert_int_equal(w->rc, 0);
	assert_int_equal(w->matched, expect_matched);
}

static void test_event_bridged_sigterm_posts_and_wakes_waiter(void **state)
{
	struct ripc_event ev;
	struct sigaction sa;
	struct waiter w;
	int round;

	(void)state;
	require_bridge();
	assert_int_equal(ripc_event_init(&ev), 0);
	set_disposition(SIGTERM, old_handler, SA_NODEFER);
	old_handler_calls = 0;
	assert_int_equal(ripc_event_bridge_signal(&ev, SIGTERM, SHUTDOWN | RELOAD), 0);
	for (round = 0; round < 3; round++) {
		start_waiter(&w, &ev, SHUTDOWN, ANY | CLEAR);
		wait_for_sleepers(&ev, 1);
		ripc_test_sleep_ms(5);
		errno = EDOM;
		assert_int_equal(raise(SIGTERM), 0);
		/* The handler ran inside raise(), and left errno alone. */
		assert_int_equal(errno, EDOM);
		join_waiter(&w, SHUTDOWN);
		/* The waiter consumed SHUTDOWN only; RELOAD, posted with it, stays. */
		assert_int_equal(ripc_event_get(&ev), RELOAD);
		assert_int_equal(ripc_event_clear(&ev, RELOAD), 0);
	}
	assert_int_equal(old_handler_calls, 0);

	assert_int_equal(ripc_event_unbridge_signal(SIGTERM), 0);
	sa = disposition(SIGTERM);
	assert_ptr_equal(sa.sa_handler, old_handler);
	assert_true((sa.sa_flags & SA_NODEFER) != 0);
	assert_true((sa.sa_flags & SA_RESTART) == 0);
	assert_int_equal(raise(SIGTERM), 0);
	assert_int_equal(old_handler_calls, 1);
	assert_int_equal(ripc_event_get(&ev), 0);
	set_disposition(SIGTERM, SIG_DFL, 0);
}

static void test_event_unbridge_restores_default_and_ignore(void **state)
{
	struct sigaction saved_hup = disposition(SIGHUP);
	struct ripc_event ev;

	(void)state;
	require_bridge();
	assert_int_equal(ripc_event_init(&ev), 0);

	set_disposition(SIGUSR1, SIG_DFL, 0);
	assert_int_equal(ripc_event_bridge_signal(&ev, SIGUSR1, RELOAD), 0);
	/* The bridge replaces the default action (which would end the process). */
	assert_int_equal(raise(SIGUSR1), 0);
	assert_int_equal(ripc_event_get(&ev), RELOAD);
	assert_int_equal(ripc_event_unbridge_signal(SIGUSR1), 0);
	assert_ptr_equal(disposition(SIGUSR1).sa_handler, SIG_DFL);

	set_disposition(SIGHUP, SIG_IGN, 0);
	assert_int_equal(ripc_event_bridge_signal(&ev, SIGHUP, SHUTDOWN), 0);
	assert_int_equal(raise(SIGHUP), 0);
	assert_int_equal(ripc_event_get(&ev), RELOAD | SHUTDOWN);
	assert_int_equal(ripc_event_unbridge_signal(SIGHUP), 0);
	assert_ptr_equal(disposition(SIGHUP).sa_handler, SIG_IGN);
	/* Ignored again: nothing is posted, nothing happens. */
	assert_int_equal(ripc_event_set(&ev, 0), 0);
	assert_int_equal(raise(SIGHUP), 0);
	assert_int_equal(ripc_event_get(&ev), 0);
	assert_int_equal(sigaction(SIGHUP, &saved_hup, NULL), 0);
}

/* ---- pthread_kill(): the handler interrupts the waiter itself ---------------------------- */

struct self_shared {
	struct ripc_event ev;  /* bridged or posted from a handler */
	struct ripc_event ack; /* the waiter acknowledges each round */
	unsigned long rounds;
	int rc;
	unsigned long failed_round;
};

static struct self_shared self;

static void *ack_waiter(void *arg)
{
	struct self_shared *sh = arg;
	unsigned long i;

	for (i = 0; i < sh->rounds; i++) {
		uint32_t m = 0;
		int rc = ripc_event_wait(&sh->ev, SHUTDOWN, ANY | CLEAR, &m, INTERRUPTIBLE_WAIT);

		if (rc == 0 && m != SHUTDOWN)
			rc = -1000 - (int)m;
		if (rc == 0)
			rc = ripc_event_post(&sh->ack, ACK);
		if (rc != 0) {
			sh->rc = rc;
			sh->failed_round = i;
			break;
		}
	}
	return NULL;
}

/*
 * Each round signals the waiting thread itself (it may be trying, spinning or asleep when
 * the handler interrupts it) or the main thread, then waits for the acknowledgement: a
 * post that the waiter's own handler makes while it sleeps must end that sleep.
 */
static void signal_rounds(struct self_shared *sh, int signo)
{
	pthread_t waiter;
	unsigned long i;

	sh->rounds = ripc_test_scaled(2000);
	if (sh->rounds < 200)
		sh->rounds = 200;
	assert_int_equal(pthread_create(&waiter, NULL, ack_waiter, sh), 0);
	for (i = 0; i < sh->rounds; i++) {
		if ((i & 3) == 0)
			assert_int_equal(raise(signo), 0);
		else
			assert_int_equal(pthread_kill(waiter, signo), 0);
		if (ripc_event_wait(&sh->ack, ACK, ALL | CLEAR, NULL, LONG_WAIT) != 0)
			break;
	}
	assert_int_equal(pthread_join(waiter, NULL), 0);
	if (sh->rc != 0)
		print_error("waiter: return %d in round %lu\n", sh->rc, sh->failed_round);
	assert_int_equal(sh->rc, 0);
	assert_int_equal(i, sh->rounds);
	assert_int_equal(ripc_event_get(&sh->ev), 0);
}

static void test_event_bridged_signal_to_the_waiting_thread_wakes_it(void **state)
{
	(void)state;
	require_bridge();
	memset(&self, 0, sizeof(self));
	assert_int_equal(ripc_event_bridge_signal(&self.ev, SIGUSR1, SHUTDOWN), 0);
	signal_rounds(&self, SIGUSR1);
	assert_int_equal(ripc_event_unbridge_signal(SIGUSR1), 0);
}

/* A handler of the application's own: ripc_event_post is async-signal-safe. */
static void post_from_handler(int signo)
{
	(void)signo;
	(void)ripc_event_post(&self.ev, SHUTDOWN);
}

static void test_event_post_from_plain_signal_handler_wakes_waiter(void **state)
{
	(void)state;
	memset(&self, 0, sizeof(self));
	set_disposition(SIGUSR2, post_from_handler, SA_RESTART);
	signal_rounds(&self, SIGUSR2);
	set_disposition(SIGUSR2, SIG_DFL, 0);
}

/* ---- kill() from other processes --------------------------------------------------------- */

struct mp_shared {
	struct ripc_event ev; /* bridged to SIGTERM in one process, waited for in others */
	struct ripc_event ctl;
	uint32_t rounds;
	atomic_int failed_rc;
};

static struct mp_shared *mp;

static int child_fail(int code, int rc)
{
	int zero = 0;

	atomic_compare_exchange_strong(&mp->failed_rc, &zero, rc);
	return code;
}

/* ripc_test_wait, but polling, so a signal to this thread is handled at once (see above). */
static int wait_child_polling(pid_t pid)
{
	int status = 0;
	pid_t r;

	while ((r = waitpid(pid, &status, WNOHANG)) == 0 || (r < 0 && errno == EINTR))
		ripc_test_sleep_ms(1);
	assert_int_equal(r, pid);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static void assert_child_ok(pid_t pid)
{
	int status = wait_child_polling(pid);

	if (status != CHILD_OK)
		print_error("child %d exited with %d (first failing rc %d)\n", (int)pid, status,
			    atomic_load(&mp->failed_rc));
	assert_int_equal(status, CHILD_OK);
}

/* Send SIGUSR1 to the parent, once per round, after the parent acknowledged the last. */
static int killer_child(void *arg)
{
	pid_t parent = *(pid_t *)arg;
	uint32_t i;
	int rc;

	alarm(CHILD_WATCHDOG_S);
	rc = ripc_event_wait(&mp->ctl, GO, ANY | CLEAR, NULL, LONG_WAIT);
	if (rc != 0)
		return child_fail(CHILD_WAIT_FAILED, rc);
	for (i = 0; i < mp->rounds; i++) {
		if (kill(parent, SIGUSR1) != 0)
			return child_fail(CHILD_KILL_FAILED, -errno);
		rc = ripc_event_wait(&mp->ctl, ACK, ANY | CLEAR, NULL, LONG_WAIT);
		if (rc != 0)
			return child_fail(CHILD_WAIT_FAILED, rc);
	}
	return CHILD_OK;
}

static void *mp_ack_waiter(void *arg)
{
	struct self_shared *sh = arg;
	unsigned long i;

	for (i = 0; i < sh->rounds; i++) {
		int rc = ripc_event_wait(&sh->ev, RELOAD, ANY | CLEAR, NULL, INTERRUPTIBLE_WAIT);

		if (rc == 0)
			rc = ripc_event_post(&mp->ctl, ACK);
		if (rc != 0) {
			sh->rc = rc;
			sh->failed_round = i;
			break;
		}
	}
	return NULL;
}

static void test_event_kill_from_another_process_wakes_waiter(void **state)
{
	pid_t self_pid = getpid(), child;
	pthread_t waiter;

	(void)state;
	require_bridge();
	mp = ripc_test_shared_alloc(sizeof(*mp));
	memset(&self, 0, sizeof(self));
	mp->rounds = (uint32_t)ripc_test_scaled(500);
	if (mp->rounds < 50)
		mp->rounds = 50;
	self.rounds = mp->rounds;
	assert_int_equal(ripc_event_bridge_signal(&self.ev, SIGUSR1, RELOAD), 0);
	/* Fork before starting threads; the child starts on GO. */
	child = ripc_test_fork(killer_child, &self_pid);
	assert_int_equal(pthread_create(&waiter, NULL, mp_ack_waiter, &self), 0);
	assert_int_equal(ripc_event_post(&mp->ctl, GO), 0);
	assert_child_ok(child);
	assert_int_equal(pthread_join(waiter, NULL), 0);
	if (self.rc != 0)
		print_error("waiter: return %d in round %lu\n", self.rc, self.failed_round);
	assert_int_equal(self.rc, 0);
	assert_int_equal(ripc_event_get(&self.ev), 0);
	assert_int_equal(ripc_event_unbridge_signal(SIGUSR1), 0);
	ripc_test_shared_free(mp, sizeof(*mp));
}

/* Bridge SIGTERM to the shared event, say so, then wait for it like everybody else. */
static int bridged_child(void *arg)
{
	uint32_t m = 0;
	int rc;

	(void)arg;
	alarm(CHILD_WATCHDOG_S);
	rc = ripc_event_bridge_signal(&mp->ev, SIGTERM, SHUTDOWN);
	if (rc != 0)
		return child_fail(CHILD_BRIDGE_FAILED, rc);
	rc = ripc_event_post(&mp->ctl, READY);
	if (rc != 0)
		return child_fail(CHILD_POST_FAILED, rc);
	/* SIGTERM interrupts this very wait: it is the only thread of the process. */
	rc = ripc_event_wait(&mp->ev, SHUTDOWN, ANY, &m, INTERRUPTIBLE_WAIT);
	if (rc != 0)
		return child_fail(CHILD_WAIT_FAILED, rc);
	return m == SHUTDOWN ? CHILD_OK : child_fail(CHILD_WRONG_BITS, (int)m);
}

static int shutdown_waiter_child(void *arg)
{
	uint32_t m = 0;
	int rc;

	(void)arg;
	alarm(CHILD_WATCHDOG_S);
	rc = ripc_event_wait(&mp->ev, SHUTDOWN | RELOAD, ANY, &m, RIPC_FOREVER);
	if (rc != 0)
		return child_fail(CHILD_WAIT_FAILED, rc);
	return m == SHUTDOWN ? CHILD_OK : child_fail(CHILD_WRONG_BITS, (int)m);
}

static void test_event_sigterm_to_one_process_wakes_waiters_in_all(void **state)
{
	pid_t bridged, others[2];
	uint32_t m = 0;
	int i;

	(void)state;
	require_bridge();
	mp = ripc_test_shared_alloc(sizeof(*mp));
	bridged = ripc_test_fork(bridged_child, NULL);
	for (i = 0; i < 2; i++)
		others[i] = ripc_test_fork(shutdown_waiter_child, NULL);
	assert_int_equal(ripc_event_wait(&mp->ctl, READY, ANY, NULL, LONG_WAIT), 0);
	wait_for_sleepers(&mp->ev, 3);
	ripc_test_sleep_ms(20);
	assert_int_equal(ripc_event_get(&mp->ev), 0);

	/* SIGTERM no longer terminates the bridged child: it posts SHUTDOWN for everybody. */
	assert_int_equal(kill(bridged, SIGTERM), 0);
	assert_int_equal(ripc_event_wait(&mp->ev, SHUTDOWN, ALL, &m, LONG_WAIT), 0);
	assert_int_equal(m, SHUTDOWN);
	assert_child_ok(bridged);
	for (i = 0; i < 2; i++)
		assert_child_ok(others[i]);
	ripc_test_shared_free(mp, sizeof(*mp));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_bridge_rejects_bad_arguments),
		cmocka_unit_test(test_event_bridge_slots_run_out_and_come_back),
		cmocka_unit_test(test_port_signal_hook_replaces_and_unhook_restores),
		cmocka_unit_test(test_port_signal_hooks_run_out_and_come_back),
		cmocka_unit_test(test_event_bridged_sigterm_posts_and_wakes_waiter),
		cmocka_unit_test(test_event_unbridge_restores_default_and_ignore),
		cmocka_unit_test(test_event_bridged_signal_to_the_waiting_thread_wakes_it),
		cmocka_unit_test(test_event_post_from_plain_signal_handler_wakes_waiter),
		cmocka_unit_test(test_event_kill_from_another_process_wakes_waiter),
		cmocka_unit_test(test_event_sigterm_to_one_process_wakes_waiters_in_all),
	};

	ripc_test_init("core.event.signal");
	return cmocka_run_group_tests_name("core.event.signal", tests, NULL, NULL);
}
