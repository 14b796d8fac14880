/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Events between threads: broadcast, exact delivery with clear-on-return, no lost
 *        wake-up.
 *
 * Worker threads never call CMocka assertions (CMocka is not thread-safe); they record the
 * first unexpected return code and the round it happened in, and the main thread asserts
 * after joining them. Waits that must end use long timeouts rather than RIPC_FOREVER, so a
 * lost wake-up shows as a failed check with its round; a hang is still caught by the
 * watchdog (ripc_test_init).
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "ripc_test.h"

#include "port/port.h"

#define ANY   RIPC_EVENT_WAIT_ANY
#define ALL   RIPC_EVENT_WAIT_ALL
#define CLEAR RIPC_EVENT_CLEAR

/* Long enough never to expire on a loaded or emulated machine unless a wake-up is lost. */
#define LONG_WAIT RIPC_SEC(20)

/* xorshift32: cheap per-thread pseudo-random numbers, reproducible from the seed. */
static uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static void start(struct ripc_port_thread *t, void *(*fn)(void *), void *arg)
{
	assert_int_equal(ripc_port_thread_start(t, fn, arg, 0), 0);
}

/* The test peeks at the private waiter count: the exact sign that waiters are committed. */
static void wait_for_sleepers(struct ripc_event *ev, uint32_t n)
{
	int64_t end = ripc_test_now_ns() + 10 * 1000000000LL;

	while (atomic_load(&ev->wq.waiters) < n) {
		assert_true(ripc_test_now_ns() < end);
		ripc_test_sleep_ms(1);
	}
}

/* Wait up to 10 s until *counter reaches n. */
static void wait_for_count(atomic_uint *counter, unsigned int n)
{
	int64_t end = ripc_test_now_ns() + 10 * 1000000000LL;

	while (atomic_load(counter) < n && ripc_test_now_ns() < end)
		ripc_test_sleep_ms(1);
	assert_int_equal(atomic_load(counter), n);
}

/* ---- Broadcast --------------------------------------------------------------------------- */

#define ANY_WAITERS 4
#define ALL_WAITERS 3

#define BC_A RIPC_EVENT_BIT(3)
#define BC_B RIPC_EVENT_BIT(17)

struct bc_shared {
	struct ripc_event ev;
	atomic_uint woken_any;
	atomic_uint woken_all;
};

struct bc_worker {
	struct bc_shared *sh;
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
	uint32_t bits;
	uint32_t flags;
	atomic_uint *woken;
};

static void *bc_waiter(void *arg)
{
	struct bc_worker *w = arg;
	uint32_t m;
	int rc = ripc_event_wait(&w->sh->ev, w->bits, w->flags, &m, LONG_WAIT);

	if (rc == 0 && m != w->bits)
		rc = -1000 - (int)m;
	if (rc != 0)
		ripc_test_fail_once(&w->fail, rc, 0);
	atomic_fetch_add(w->woken, 1);
	return NULL;
}

static void start_bc(struct bc_worker *w, struct bc_shared *sh, uint32_t bits, uint32_t flags,
		     atomic_uint *c)
{
	memset(w, 0, sizeof(*w));
	w->sh = sh;
	w->bits = bits;
	w->flags = flags;
	w->woken = c;
	start(&w->thread, bc_waiter, w);
}

static void test_event_post_wakes_every_satisfied_waiter(void **state)
{
	static struct bc_shared sh;
	static struct bc_worker any[ANY_WAITERS], all[ALL_WAITERS];
	unsigned long r, n = ripc_test_rounds(30);
	int i;

	(void)state;
	for (r = 0; r < n; r++) {
		memset(&sh, 0, sizeof(sh));
		assert_int_equal(ripc_event_init(&sh.ev), 0);
		for (i = 0; i < ANY_WAITERS; i++)
			start_bc(&any[i], &sh, BC_A, (i & 1) != 0 ? ANY : ALL, &sh.woken_any);
		for (i = 0; i < ALL_WAITERS; i++)
			start_bc(&all[i], &sh, BC_A | BC_B, ALL, &sh.woken_all);
		wait_for_sleepers(&sh.ev, ANY_WAITERS + ALL_WAITERS);
		/* Let them get into the kernel: the post must wake sleepers, not spinners. */
		ripc_test_sleep_ms(5);

		/* One post satisfies every A waiter at once; waking just one would strand three. */
		assert_int_equal(ripc_event_post(&sh.ev, BC_A), 0);
		wait_for_count(&sh.woken_any, ANY_WAITERS);
		ripc_test_sleep_ms(5);
		/* The A|B waiters are not satisfied yet and must still be waiting. */
		assert_int_equal(atomic_load(&sh.woken_all), 0);
		assert_int_equal(ripc_event_post(&sh.ev, BC_B), 0);
		wait_for_count(&sh.woken_all, ALL_WAITERS);

		for (i = 0; i < ANY_WAITERS; i++) {
			ripc_port_thread_join(&any[i].thread);
			ripc_test_assert_no_failure(&any[i].fail, "A waiter");
		}
		for (i = 0; i < ALL_WAITERS; i++) {
			ripc_port_thread_join(&all[i].thread);
			ripc_test_assert_no_failure(&all[i].fail, "A|B waiter");
		}
		/* Nobody cleared anything. */
		assert_int_equal(ripc_event_get(&sh.ev), BC_A | BC_B);
	}
}

/* ---- Clear-on-return delivers each post exactly once ------------------------------------- */

#define POSTERS   4
#define CONSUMERS 4
#define DATA_MASK ((1u << POSTERS) - 1u)
#define STOP      RIPC_EVENT_BIT(31)

struct dl_shared {
	struct ripc_event data; /* poster i posts bit i; consumers take bits with CLEAR */
	struct ripc_event ack;  /* a consumer acknowledges bit i here */
	unsigned long per_poster;
	atomic_ulong delivered[POSTERS];
	atomic_ulong timeouts;
};

struct dl_worker {
	struct dl_shared *sh;
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
	uint32_t bit;
	uint32_t seed;
};

/*
 * Post my bit, then wait for its acknowledgement before posting again: every post then
 * sets a clear bit, so "posted n times" and "consumed n times" must match exactly.
 */
static void *dl_poster(void *arg)
{
	struct dl_worker *w = arg;
	unsigned long i;

	for (i = 0; i < w->sh->per_poster; i++) {
		int rc = ripc_event_post(&w->sh->data, w->bit);

		if (rc == 0)
			rc = ripc_event_wait(&w->sh->ack, w->bit, ANY | CLEAR, NULL, LONG_WAIT);
		if (rc != 0) {
			ripc_test_fail_once(&w->fail, rc, i);
			break;
		}
	}
	return NULL;
}

/* Deliver what a wait consumed; false when it was the stop bit. */
static bool dl_deliver(struct dl_worker *w, uint32_t m, unsigned long i)
{
	uint32_t b;
	int rc;

	for (b = 0; b < POSTERS; b++) {
		if ((m & (1u << b)) == 0)
			continue;
		atomic_fetch_add(&w->sh->delivered[b], 1);
		rc = ripc_event_post(&w->sh->ack, 1u << b);
		if (rc != 0)
			ripc_test_fail_once(&w->fail, rc, i);
	}
	if ((m & STOP) == 0)
		return true;
	/* Pass the stop bit on: this consumer cleared it, the others must see it too. */
	rc = ripc_event_post(&w->sh->data, STOP);
	if (rc != 0)
		ripc_test_fail_once(&w->fail, rc, i);
	return false;
}

static void *dl_consumer(void *arg)
{
	struct dl_worker *w = arg;
	unsigned long i;

	for (i = 0;; i++) {
		/* Polls race each other hardest for a bit; short deadlines make many waits time
		 * out while posts are in flight (a wait that times out must consume nothing);
		 * some waits sleep without limit. */
		uint32_t r = next_random(&w->seed);
		ripc_timeout_t t = (r & 3) == 0   ? RIPC_NO_WAIT
				   : (r & 3) == 1 ? RIPC_FOREVER
						  : RIPC_USEC(r % 50);
		uint32_t m = 0;
		int rc = ripc_event_wait(&w->sh->data, DATA_MASK | STOP, ANY | CLEAR, &m, t);

		if (rc == -ETIMEDOUT || rc == -EAGAIN) {
			atomic_fetch_add(&w->sh->timeouts, 1);
			continue;
		}
		if (rc != 0 || m == 0 || (m & ~(DATA_MASK | STOP)) != 0) {
			ripc_test_fail_once(&w->fail, rc != 0 ? rc : -2000 - (int)m, i);
			break;
		}
		if (!dl_deliver(w, m, i))
			break;
	}
	return NULL;
}

static void test_event_clear_on_return_delivers_each_post_once(void **state)
{
	static struct dl_shared sh;
	static struct dl_worker post[POSTERS], cons[CONSUMERS];
	int i;

	(void)state;
	memset(&sh, 0, sizeof(sh));
	assert_int_equal(ripc_event_init(&sh.data), 0);
	assert_int_equal(ripc_event_init(&sh.ack), 0);
	sh.per_poster = ripc_test_rounds(8000);
	for (i = 0; i < CONSUMERS; i++) {
		memset(&cons[i], 0, sizeof(cons[i]));
		cons[i].sh = &sh;
		cons[i].seed = 0x9e3779b9u * (uint32_t)(i + 1);
		start(&cons[i].thread, dl_consumer, &cons[i]);
	}
	for (i = 0; i < POSTERS; i++) {
		memset(&post[i], 0, sizeof(post[i]));
		post[i].sh = &sh;
		post[i].bit = 1u << i;
		start(&post[i].thread, dl_poster, &post[i]);
	}
	for (i = 0; i < POSTERS; i++)
		ripc_port_thread_join(&post[i].thread);
	assert_int_equal(ripc_event_post(&sh.data, STOP), 0);
	for (i = 0; i < CONSUMERS; i++)
		ripc_port_thread_join(&cons[i].thread);

	for (i = 0; i < POSTERS; i++)
		ripc_test_assert_no_failure(&post[i].fail, "poster");
	for (i = 0; i < CONSUMERS; i++)
		ripc_test_assert_no_failure(&cons[i].fail, "consumer");
	/* Each post consumed exactly once: none lost (the poster would have timed out), none
	 * twice (the count would be higher). */
	for (i = 0; i < POSTERS; i++)
		assert_int_equal(atomic_load(&sh.delivered[i]), sh.per_poster);
	assert_int_equal(ripc_event_get(&sh.data), STOP);
	assert_int_equal(ripc_event_get(&sh.ack), 0);
	print_message("[          ] %lu posts, %lu waits timed out\n", sh.per_poster * POSTERS,
		      atomic_load(&sh.timeouts));
}

/* ---- A herd of sleepers woken at once: one winner per post ------------------------------ */

#define HERD  6
#define PRIZE RIPC_EVENT_BIT(4)

struct herd_shared {
	struct ripc_event ev;
	struct ripc_event ack;
	atomic_ulong wins;
};

struct herd_worker {
	struct herd_shared *sh;
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
};

static void *herd_waiter(void *arg)
{
	struct herd_worker *w = arg;
	unsigned long i;

	for (i = 0;; i++) {
		uint32_t m = 0;
		int rc = ripc_event_wait(&w->sh->ev, PRIZE | STOP, ANY | CLEAR, &m, LONG_WAIT);

		if (rc == 0 && (m & PRIZE) != 0) {
			atomic_fetch_add(&w->sh->wins, 1);
			rc = ripc_event_post(&w->sh->ack, PRIZE);
		}
		if (rc == 0 && (m & STOP) != 0) {
			/* Pass the stop bit on to the rest of the herd. */
			(void)ripc_event_post(&w->sh->ev, STOP);
			break;
		}
		if (rc != 0) {
			ripc_test_fail_once(&w->fail, rc, i);
			break;
		}
	}
	return NULL;
}

static void test_event_one_post_to_a_woken_herd_has_one_winner(void **state)
{
	static struct herd_shared sh;
	static struct herd_worker w[HERD];
	unsigned long r, n = ripc_test_rounds(3000);
	int i;

	(void)state;
	memset(&sh, 0, sizeof(sh));
	assert_int_equal(ripc_event_init(&sh.ev), 0);
	assert_int_equal(ripc_event_init(&sh.ack), 0);
	for (i = 0; i < HERD; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].sh = &sh;
		start(&w[i].thread, herd_waiter, &w[i]);
	}
	for (r = 0; r < n; r++) {
		/* Every waiter is past its spin and committed to sleep: the post wakes the whole
		 * herd at once, and all of them race for the one bit. */
		int64_t end = ripc_test_now_ns() + 10 * 1000000000LL;

		while (atomic_load(&sh.ev.wq.waiters) < HERD) {
			assert_true(ripc_test_now_ns() < end);
			sched_yield();
		}
		assert_int_equal(ripc_event_post(&sh.ev, PRIZE), 0);
		assert_int_equal(ripc_event_wait(&sh.ack, PRIZE, ANY | CLEAR, NULL, LONG_WAIT), 0);
	}
	assert_int_equal(ripc_event_post(&sh.ev, STOP), 0);
	for (i = 0; i < HERD; i++)
		ripc_port_thread_join(&w[i].thread);
	for (i = 0; i < HERD; i++)
		ripc_test_assert_no_failure(&w[i].fail, "herd waiter");
	assert_int_equal(atomic_load(&sh.wins), n);
	assert_int_equal(ripc_event_get(&sh.ev), STOP);
}

/* ---- A waiter never clears a bit it did not ask for -------------------------------------- */

#define OWNERS 6
#define GREEDY RIPC_EVENT_BIT(20)

struct own_shared {
	struct ripc_event data; /* owner i waits for bit i alone; all are posted together */
	struct ripc_event ack;
	unsigned long rounds;
};

struct own_worker {
	struct own_shared *sh;
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
	uint32_t bit;
	uint32_t flags;
};

static void *own_waiter(void *arg)
{
	struct own_worker *w = arg;
	unsigned long i;

	for (i = 0; i < w->sh->rounds; i++) {
		uint32_t m = 0;
		int rc = ripc_event_wait(&w->sh->data, w->bit, w->flags | CLEAR, &m, LONG_WAIT);

		if (rc == 0 && m != w->bit)
			rc = -3000 - (int)m;
		if (rc == 0)
			rc = ripc_event_post(&w->sh->ack, w->bit);
		if (rc != 0) {
			ripc_test_fail_once(&w->fail, rc, i);
			break;
		}
	}
	return NULL;
}

/* A waiter for GREEDY alone, posted together with every owner's bit: it takes GREEDY only. */
static void *greedy_waiter(void *arg)
{
	struct own_worker *w = arg;
	uint32_t owners = (1u << OWNERS) - 1u;
	unsigned long i;

	for (i = 0; i < w->sh->rounds; i++) {
		uint32_t m = 0;
		int rc = ripc_event_wait(&w->sh->data, GREEDY, ANY | CLEAR, &m, LONG_WAIT);

		if (rc == 0 && (m != GREEDY || (m & owners) != 0))
			rc = -4000 - (int)m;
		if (rc == 0)
			rc = ripc_event_post(&w->sh->ack, GREEDY);
		if (rc != 0) {
			ripc_test_fail_once(&w->fail, rc, i);
			break;
		}
	}
	return NULL;
}

static void test_event_waiters_clear_only_their_own_bits(void **state)
{
	static struct own_shared sh;
	static struct own_worker w[OWNERS + 1];
	uint32_t all = ((1u << OWNERS) - 1u) | GREEDY;
	unsigned long r;
	int i;

	(void)state;
	memset(&sh, 0, sizeof(sh));
	assert_int_equal(ripc_event_init(&sh.data), 0);
	assert_int_equal(ripc_event_init(&sh.ack), 0);
	sh.rounds = ripc_test_rounds(2000);
	for (i = 0; i <= OWNERS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].sh = &sh;
		w[i].bit = i < OWNERS ? 1u << i : GREEDY;
		/* Half the owners wait in ANY mode, half in ALL mode: same single bit. */
		w[i].flags = (i & 1) != 0 ? ANY : ALL;
		start(&w[i].thread, i < OWNERS ? own_waiter : greedy_waiter, &w[i]);
	}
	for (r = 0; r < sh.rounds; r++) {
		assert_int_equal(ripc_event_post(&sh.data, all), 0);
		/* If anybody had cleared a bit it did not own, its owner would never ack. */
		assert_int_equal(ripc_event_wait(&sh.ack, all, ALL | CLEAR, NULL, LONG_WAIT), 0);
	}
	for (i = 0; i <= OWNERS; i++)
		ripc_port_thread_join(&w[i].thread);
	for (i = 0; i <= OWNERS; i++)
		ripc_test_assert_no_failure(&w[i].fail, i < OWNERS ? "owner" : "greedy");
	assert_int_equal(ripc_event_get(&sh.data), 0);
	assert_int_equal(ripc_event_get(&sh.ack), 0);
}

/* ---- Ping-pong: a lost wake-up hangs ----------------------------------------------------- */

#define PING RIPC_EVENT_BIT(0)
#define PONG RIPC_EVENT_BIT(1)

/*
 * How long a wait on an unsatisfied event runs before it asks the kernel to sleep: the spin
 * (CONFIG_RIPC_SPIN_ITERATIONS) plus one futex call. Measured as the duration of a wait
 * whose deadline has already passed by the time it would sleep; the median of a few.
 */
static int64_t sleep_entry_ns(void)
{
	int64_t d[9], t0;
	struct ripc_event ev;
	int i, j;

	assert_int_equal(ripc_event_init(&ev), 0);
	for (i = 0; i < 9; i++) {
		t0 = ripc_test_now_ns();
		assert_int_equal(ripc_event_wait(&ev, PING, ANY, NULL, RIPC_NSEC(1)), -ETIMEDOUT);
		d[i] = ripc_test_now_ns() - t0;
		for (j = i; j > 0 && d[j - 1] > d[j]; j--) {
			int64_t x = d[j];

			d[j] = d[j - 1];
			d[j - 1] = x;
		}
	}
	return d[4] > 0 ? d[4] : 1;
}

struct pingpong {
	struct ripc_event ev; /* one event, both directions: each post wakes both sides */
	unsigned long rounds;
	int64_t delay_ns; /* 0: no delays; else the sleep entry time both sides race */
	struct ripc_port_thread thread;
	struct ripc_test_failure fail;
};

/*
 * Half of the time, busy-wait 3/4 .. 5/4 of the sleep entry time before a post: the other
 * side, which started its wait at about the same moment, is then just giving up spinning
 * and going to sleep, so the post lands in the narrow window between its last look at the
 * bits and the kernel's check of the futex word. That is where a lost wake-up hides.
 */
static void maybe_delay(const struct pingpong *pp, uint32_t *seed)
{
	uint32_t r = next_random(seed);
	int64_t end;

	if (pp->delay_ns == 0 || (r & 1) == 0)
		return;
	end = ripc_test_now_ns() + pp->delay_ns * 3 / 4 +
	      (int64_t)(r >> 1) % (pp->delay_ns / 2 + 1);
	while (ripc_test_now_ns() < end)
		;
}

static void *echo(void *arg)
{
	struct pingpong *pp = arg;
	uint32_t seed = 0x27d4eb2fu;
	unsigned long i;

	for (i = 0; i < pp->rounds; i++) {
		uint32_t m = 0;
		int rc = ripc_event_wait(&pp->ev, PING, ANY | CLEAR, &m, RIPC_FOREVER);

		if (rc == 0 && m != PING)
			rc = -5000 - (int)m;
		if (rc == 0) {
			maybe_delay(pp, &seed);
			rc = ripc_event_post(&pp->ev, PONG);
		}
		if (rc != 0) {
			ripc_test_fail_once(&pp->fail, rc, i);
			break;
		}
	}
	return NULL;
}

static void run_pingpong(struct pingpong *pp)
{
	uint32_t seed = 0x165667b1u;
	unsigned long i;
	uint32_t m;

	assert_int_equal(ripc_event_init(&pp->ev), 0);
	start(&pp->thread, echo, pp);
	for (i = 0; i < pp->rounds; i++) {
		maybe_delay(pp, &seed);
		/* PING must be clear here: the echo consumed the last one before answering. */
		assert_int_equal(ripc_event_get(&pp->ev) & PING, 0);
		assert_int_equal(ripc_event_post(&pp->ev, PING), 0);
		assert_int_equal(ripc_event_wait(&pp->ev, PONG, ALL | CLEAR, &m, RIPC_FOREVER), 0);
		assert_int_equal(m, PONG);
	}
	ripc_port_thread_join(&pp->thread);
	ripc_test_assert_no_failure(&pp->fail, "echo thread");
	assert_int_equal(ripc_event_get(&pp->ev), 0);
}

static void test_event_pingpong_loses_no_wakeup(void **state)
{
	static struct pingpong pp;

	(void)state;
	memset(&pp, 0, sizeof(pp));
	pp.rounds = ripc_test_rounds(30000);
	run_pingpong(&pp);
}

static void test_event_pingpong_racing_into_sleep_loses_no_wakeup(void **state)
{
	static struct pingpong pp;
	struct ripc_stats st;
	int rc;

	(void)state;
	memset(&pp, 0, sizeof(pp));
	pp.delay_ns = sleep_entry_ns();
	pp.rounds = ripc_test_rounds(10000);
	if (pp.rounds < 2000)
		pp.rounds = 2000;
	ripc_stats_reset();
	run_pingpong(&pp);
	rc = ripc_stats_get(&st);
	if (rc == -ENOTSUP)
		RIPC_TEST_SKIP("built without CONFIG_RIPC_STATS: cannot prove the sleep path ran");
	assert_int_equal(rc, 0);
	print_message("[          ] %lu rounds around a %lld ns sleep entry: %llu futex waits, "
		      "%llu wakes\n",
		      pp.rounds, (long long)pp.delay_ns, (unsigned long long)st.futex_waits,
		      (unsigned long long)st.futex_wakes);
	/* Half the posts come later than the spin lasts: both sides slept in the kernel. */
	assert_true(st.futex_waits > 0);
	assert_true(st.futex_wakes > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_post_wakes_every_satisfied_waiter),
		cmocka_unit_test(test_event_clear_on_return_delivers_each_post_once),
		cmocka_unit_test(test_event_one_post_to_a_woken_herd_has_one_winner),
		cmocka_unit_test(test_event_waiters_clear_only_their_own_bits),
		cmocka_unit_test(test_event_pingpong_loses_no_wakeup),
		cmocka_unit_test(test_event_pingpong_racing_into_sleep_loses_no_wakeup),
	};

	ripc_test_init("core.event.threads");
	return cmocka_run_group_tests_name("core.event.threads", tests, NULL, NULL);
}
