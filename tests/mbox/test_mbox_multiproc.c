/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Mailbox between processes: fork()ed children on MAP_SHARED memory.
 *
 * Producer and consumer processes move a million checked messages (producer, sequence
 * number, checksum; the length depends on both) through one mailbox; consumers check every
 * message, the order of each producer's messages, and mark a shared bitmap that catches
 * losses and duplicates. Other tests map the same memory at several addresses (the mailbox
 * must find its buffer by offset), and kill a process asleep in get or in put.
 *
 * Children never use CMocka assertions; they exit with 0 or with the number of the check
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

#define CHILD_WATCHDOG_S 100

/* Child exit codes, one per way a child can fail. */
enum {
	CHILD_OK = 0,
	CHILD_PUT_FAILED = 10,
	CHILD_GET_FAILED = 11,
	CHILD_BAD_LENGTH = 12,
	CHILD_BAD_CHECKSUM = 13,
	CHILD_BAD_PRODUCER = 14,
	CHILD_BAD_ORDER = 15,
	CHILD_DUPLICATE = 16,
	CHILD_RETURNED = 17,
	CHILD_MAP_FAILED = 18,
	CHILD_WRONG_MESSAGE = 19,
};

#define MAX_MSG   64
#define HDR_BYTES 12
#define MAX_PROCS 8

struct mp_shared {
	struct ripc_mbox mb;
	_Alignas(64) unsigned char buf[RIPC_MBOX_BUF_SIZE(MAX_MSG, 32)];
	uint32_t producers;
	uint32_t per_producer;
	atomic_uint received;
	atomic_int failed_rc; /* first unexpected return code in a child */
	atomic_uint failed_at;
	atomic_uint seen[]; /* one bit per (producer, seq) */
};

static struct mp_shared *sh;
static size_t sh_size;
static uint32_t child_ids[MAX_PROCS];

static void setup(size_t seen_bits)
{
	sh_size = sizeof(*sh) + (seen_bits + 31) / 32 * sizeof(atomic_uint);
	sh = ripc_test_shared_alloc(sh_size);
	for (uint32_t i = 0; i < MAX_PROCS; i++)
		child_ids[i] = i;
}

static void teardown(void)
{
	ripc_test_shared_free(sh, sh_size);
	sh = NULL;
}

static void child_start(void)
{
	alarm(CHILD_WATCHDOG_S);
}

static int child_fail(int code, int rc, uint32_t at)
{
	int zero = 0;

	if (atomic_compare_exchange_strong(&sh->failed_rc, &zero, rc == 0 ? code : rc))
		atomic_store(&sh->failed_at, at);
	return code;
}

static void assert_child_ok(pid_t pid)
{
	int status = ripc_test_wait(pid);

	if (status != CHILD_OK)
		print_error("child %d exited with %d (first failing rc %d at %u)\n", (int)pid,
			    status, atomic_load(&sh->failed_rc), atomic_load(&sh->failed_at));
	assert_int_equal(status, CHILD_OK);
}

/* ---- Checked messages --------------------------------------------------------------------- */

static size_t msg_len(uint32_t producer, uint32_t seq)
{
	return HDR_BYTES + (producer * 5u + seq * 13u) % (MAX_MSG - HDR_BYTES + 1);
}

static uint32_t checksum(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static size_t make_msg(unsigned char *m, uint32_t producer, uint32_t seq)
{
	size_t n = msg_len(producer, seq);
	uint32_t sum;

	for (size_t i = HDR_BYTES; i < n; i++)
		m[i] = (unsigned char)(producer * 17u + seq * 3u + i);
	sum = checksum(m + HDR_BYTES, n - HDR_BYTES);
	memcpy(m, &producer, 4);
	memcpy(m + 4, &seq, 4);
	memcpy(m + 8, &sum, 4);
	return n;
}

/* 0, or the child exit code for what is wrong with the message. */
static int check_msg(const unsigned char *m, size_t n, uint32_t *producer, uint32_t *seq)
{
	uint32_t sum;

	*producer = *seq = UINT32_MAX;
	if (n < HDR_BYTES)
		return CHILD_BAD_LENGTH;
	memcpy(producer, m, 4);
	memcpy(seq, m + 4, 4);
	memcpy(&sum, m + 8, 4);
	if (*producer >= sh->producers || *seq >= sh->per_producer)
		return CHILD_BAD_PRODUCER;
	if (n != msg_len(*producer, *seq))
		return CHILD_BAD_LENGTH;
	if (sum != checksum(m + HDR_BYTES, n - HDR_BYTES))
		return CHILD_BAD_CHECKSUM;
	for (size_t i = HDR_BYTES; i < n; i++)
		if (m[i] != (unsigned char)(*producer * 17u + *seq * 3u + i))
			return CHILD_BAD_CHECKSUM;
	return CHILD_OK;
}

/* ---- Many producers, many consumers ------------------------------------------------------- */

static int producer_child(void *arg)
{
	uint32_t id = *(const uint32_t *)arg;
	unsigned char m[MAX_MSG];

	child_start();
	for (uint32_t seq = 0; seq < sh->per_producer; seq++) {
		size_t n = make_msg(m, id, seq);
		int rc = ripc_mbox_put(&sh->mb, m, n, RIPC_FOREVER);

		if (rc != 0)
			return child_fail(CHILD_PUT_FAILED, rc, seq);
	}
	return CHILD_OK;
}

static int record(const unsigned char *m, size_t n, uint32_t *next)
{
	uint32_t p, seq, bit, mask;
	int code = check_msg(m, n, &p, &seq);

	if (code != CHILD_OK)
		return child_fail(code, 0, seq);
	if (seq < next[p])
		return child_fail(CHILD_BAD_ORDER, 0, seq);
	next[p] = seq + 1;
	bit = p * sh->per_producer + seq;
	mask = 1u << (bit % 32);
	if (atomic_fetch_or(&sh->seen[bit / 32], mask) & mask)
		return child_fail(CHILD_DUPLICATE, 0, seq);
	atomic_fetch_add_explicit(&sh->received, 1, memory_order_relaxed);
	return CHILD_OK;
}

/* Takes messages until a zero-length one, the stop the parent puts after all data. */
static int consumer_child(void *arg)
{
	uint32_t next[MAX_PROCS] = {0};
	unsigned char m[MAX_MSG];

	(void)arg;
	child_start();
	for (;;) {
		size_t n = 0;
		int rc = ripc_mbox_get(&sh->mb, m, sizeof(m), &n, RIPC_FOREVER);

		if (rc != 0)
			return child_fail(CHILD_GET_FAILED, rc, 0);
		if (n == 0)
			return CHILD_OK;
		rc = record(m, n, next);
		if (rc != CHILD_OK)
			return rc;
	}
}

static void run_processes(uint32_t producers, uint32_t consumers, uint32_t depth,
			  unsigned long total_native)
{
	pid_t prod[MAX_PROCS], cons[MAX_PROCS];
	uint32_t per = (uint32_t)(ripc_test_rounds(total_native) / producers);
	uint32_t total;
	int64_t t0;

	per = per > 0 ? per : 1;
	total = per * producers;
	setup(total);
	assert_int_equal(ripc_mbox_init(&sh->mb, sh->buf, sizeof(sh->buf), MAX_MSG, depth), 0);
	sh->producers = producers;
	sh->per_producer = per;
	t0 = ripc_test_now_ns();
	for (uint32_t i = 0; i < consumers; i++)
		cons[i] = ripc_test_fork(consumer_child, NULL);
	for (uint32_t i = 0; i < producers; i++)
		prod[i] = ripc_test_fork(producer_child, &child_ids[i]);
	for (uint32_t i = 0; i < producers; i++)
		assert_child_ok(prod[i]);
	/* All data is in or through the mailbox; one stop per consumer queues behind it. */
	for (uint32_t i = 0; i < consumers; i++)
		assert_int_equal(ripc_mbox_put(&sh->mb, NULL, 0, RIPC_FOREVER), 0);
	for (uint32_t i = 0; i < consumers; i++)
		assert_child_ok(cons[i]);
	print_message("[          ] %u x %u processes, depth %u: %u messages in %.2f s\n",
		      producers, consumers, depth, total, (double)(ripc_test_now_ns() - t0) / 1e9);
	assert_int_equal(atomic_load(&sh->received), total);
	for (uint32_t bit = 0; bit < total; bit++)
		if ((atomic_load(&sh->seen[bit / 32]) & (1u << (bit % 32))) == 0) {
			print_error("message %u of producer %u lost\n", bit % per, bit / per);
			fail();
		}
	assert_int_equal(ripc_mbox_count(&sh->mb), 0);
	teardown();
}

static void test_mbox_million_messages_between_processes(void **state)
{
	(void)state;
	run_processes(4, 3, 32, 1000000);
}

static void test_mbox_odd_depth_between_processes(void **state)
{
	(void)state;
	run_processes(3, 2, 3, 100000);
}

/* ---- One mailbox, mapped at several addresses ---------------------------------------------- */

struct two_views {
	void *a, *b;
	size_t len;
	int fd;
};

static struct two_views views;

static struct mp_shared *view_map(void)
{
	void *p = mmap(NULL, views.len, PROT_READ | PROT_WRITE, MAP_SHARED, views.fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* In its own mapping, at yet another address: take "from-parent", answer "from-child". */
static int remapped_child(void *arg)
{
	struct mp_shared *v;
	char got[32];
	size_t n = 0;
	int rc;

	(void)arg;
	child_start();
	v = view_map();
	if (v == NULL || (void *)v == views.a || (void *)v == views.b)
		return CHILD_MAP_FAILED;
	rc = ripc_mbox_get(&v->mb, got, sizeof(got), &n, RIPC_FOREVER);
	if (rc != 0)
		return child_fail(CHILD_GET_FAILED, rc, 0);
	if (n != 11 || memcmp(got, "from-parent", 11) != 0)
		return CHILD_WRONG_MESSAGE;
	rc = ripc_mbox_put(&v->mb, "from-child", 10, RIPC_FOREVER);
	if (rc != 0)
		return child_fail(CHILD_PUT_FAILED, rc, 0);
	return CHILD_OK;
}

static void test_mbox_works_at_different_addresses(void **state)
{
	struct mp_shared *a, *b;
	char got[32];
	size_t n = 0;
	pid_t pid;

	(void)state;
	views.len = sizeof(struct mp_shared);
	views.fd = memfd_create("ripc-mbox-test", 0);
	if (views.fd < 0)
		RIPC_TEST_SKIP("memfd_create failed (errno %d): cannot map one region twice",
			       errno);
	assert_int_equal(ftruncate(views.fd, (off_t)views.len), 0);
	a = view_map();
	b = view_map();
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	views.a = a;
	views.b = b;
	sh = a; /* for child_fail */
	assert_int_equal(ripc_mbox_init(&a->mb, a->buf, sizeof(a->buf), MAX_MSG, 4), 0);

	/* Through view a in, through view b out, and the other way round. */
	assert_int_equal(ripc_mbox_put(&a->mb, "via-a", 5, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mbox_put_urgent(&b->mb, "urgent-via-b", 12, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mbox_count(&b->mb), 2);
	assert_int_equal(ripc_mbox_peek(&a->mb, got, sizeof(got), &n, RIPC_NO_WAIT), 0);
	assert_int_equal(n, 12);
	assert_int_equal(ripc_mbox_get(&b->mb, got, sizeof(got), &n, RIPC_NO_WAIT), 0);
	assert_memory_equal(got, "urgent-via-b", 12);
	assert_int_equal(ripc_mbox_get(&a->mb, got, sizeof(got), &n, RIPC_NO_WAIT), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(got, "via-a", 5);

	/* A child maps a third view and talks through it. */
	pid = ripc_test_fork(remapped_child, NULL);
	assert_int_equal(ripc_mbox_put(&b->mb, "from-parent", 11, RIPC_FOREVER), 0);
	assert_child_ok(pid);
	assert_int_equal(ripc_mbox_get(&a->mb, got, sizeof(got), &n, RIPC_NO_WAIT), 0);
	assert_int_equal(n, 10);
	assert_memory_equal(got, "from-child", 10);
	assert_int_equal(ripc_mbox_count(&a->mb), 0);

	sh = NULL;
	munmap(a, views.len);
	munmap(b, views.len);
	close(views.fd);
}

/* ---- Processes killed while they sleep ----------------------------------------------------- */

static int get_one_child(void *arg)
{
	uint32_t v = 0;
	size_t n = 0;
	int rc;

	(void)arg;
	child_start();
	rc = ripc_mbox_get(&sh->mb, &v, sizeof(v), &n, RIPC_FOREVER);
	if (rc != 0)
		return child_fail(CHILD_GET_FAILED, rc, 0);
	if (n != sizeof(v) || v < 1000 || v > 1001)
		return CHILD_WRONG_MESSAGE;
	atomic_fetch_add(&sh->received, 1);
	return CHILD_OK;
}

static int put_one_child(void *arg)
{
	uint32_t v = *(const uint32_t *)arg;
	int rc;

	child_start();
	rc = ripc_mbox_put(&sh->mb, &v, sizeof(v), RIPC_FOREVER);
	if (rc != 0)
		return child_fail(CHILD_PUT_FAILED, rc, v);
	return CHILD_OK;
}

/* Never returns from its call: there is nothing for it. Killed by the test. */
static int victim_get_child(void *arg)
{
	uint32_t v;
	size_t n;
	int rc;

	(void)arg;
	child_start();
	rc = ripc_mbox_get(&sh->mb, &v, sizeof(v), &n, RIPC_FOREVER);
	return child_fail(CHILD_RETURNED, rc, 0);
}

static int victim_put_child(void *arg)
{
	uint32_t v = 666;
	int rc;

	(void)arg;
	child_start();
	rc = ripc_mbox_put(&sh->mb, &v, sizeof(v), RIPC_FOREVER);
	return child_fail(CHILD_RETURNED, rc, 0);
}

/* The test reads the private sleeper count: the exact sign that the children are committed. */
static void wait_for_sleepers(struct ripc_waitq *q, uint32_t n)
{
	while (atomic_load(&q->waiters) < n)
		ripc_test_sleep_ms(1);
	/* Let them reach the kernel: the kill should find the victim asleep there. */
	ripc_test_sleep_ms(50);
}

static void kill_victim(pid_t victim)
{
	assert_int_equal(kill(victim, SIGKILL), 0);
	assert_int_equal(ripc_test_wait(victim), 128 + SIGKILL);
}

static void get_value(uint32_t want)
{
	uint32_t v = 0;
	size_t n = 0;

	assert_int_equal(ripc_mbox_get(&sh->mb, &v, sizeof(v), &n, RIPC_FOREVER), 0);
	assert_int_equal(n, sizeof(v));
	assert_int_equal(v, want);
}

static void put_value(uint32_t v)
{
	assert_int_equal(ripc_mbox_put(&sh->mb, &v, sizeof(v), RIPC_NO_WAIT), 0);
}

/* The mailbox still works fully: fill, drain in order, and a new sleeper is woken. */
static void assert_still_usable(uint32_t depth)
{
	pid_t pid;

	for (uint32_t i = 0; i < depth; i++)
		put_value(500 + i);
	assert_int_equal(ripc_mbox_put(&sh->mb, "x", 1, RIPC_NO_WAIT), -EAGAIN);
	for (uint32_t i = 0; i < depth; i++)
		get_value(500 + i);
	atomic_store(&sh->received, 0);
	pid = ripc_test_fork(get_one_child, NULL);
	ripc_test_sleep_ms(50);
	put_value(1000);
	assert_child_ok(pid);
	assert_int_equal(atomic_load(&sh->received), 1);
	assert_int_equal(ripc_mbox_count(&sh->mb), 0);
}

static void test_mbox_getter_killed_while_sleeping_does_not_disturb_others(void **state)
{
	pid_t victim, survivor[2];

	(void)state;
	setup(0);
	assert_int_equal(ripc_mbox_init(&sh->mb, sh->buf, sizeof(sh->buf), MAX_MSG, 4), 0);
	survivor[0] = ripc_test_fork(get_one_child, NULL);
	wait_for_sleepers(&sh->mb.not_empty, 1);
	victim = ripc_test_fork(victim_get_child, NULL);
	wait_for_sleepers(&sh->mb.not_empty, 2);
	survivor[1] = ripc_test_fork(get_one_child, NULL);
	wait_for_sleepers(&sh->mb.not_empty, 3);

	kill_victim(victim);
	/* The dead getter took nothing and left nothing. */
	assert_int_equal(ripc_mbox_count(&sh->mb), 0);
	assert_int_equal(atomic_load(&sh->received), 0);
	/* Two messages: both survivors wake, each with one. */
	put_value(1000);
	put_value(1001);
	assert_child_ok(survivor[0]);
	assert_child_ok(survivor[1]);
	assert_int_equal(atomic_load(&sh->received), 2);
	assert_int_equal(ripc_mbox_count(&sh->mb), 0);
	/* The dead sleeper stays registered (it costs spurious wake calls, as documented). */
	assert_int_equal(atomic_load(&sh->mb.not_empty.waiters), 1);
	assert_still_usable(4);
	teardown();
}

static void test_mbox_putter_killed_while_sleeping_does_not_disturb_others(void **state)
{
	static uint32_t values[2] = {2000, 2001};
	pid_t victim, survivor[2];
	uint32_t v[2];
	size_t n;

	(void)state;
	setup(0);
	assert_int_equal(ripc_mbox_init(&sh->mb, sh->buf, sizeof(sh->buf), MAX_MSG, 2), 0);
	put_value(1);
	put_value(2);
	survivor[0] = ripc_test_fork(put_one_child, &values[0]);
	wait_for_sleepers(&sh->mb.not_full, 1);
	victim = ripc_test_fork(victim_put_child, NULL);
	wait_for_sleepers(&sh->mb.not_full, 2);
	survivor[1] = ripc_test_fork(put_one_child, &values[1]);
	wait_for_sleepers(&sh->mb.not_full, 3);

	kill_victim(victim);
	assert_int_equal(ripc_mbox_count(&sh->mb), 2);
	/* Each get frees a slot for one survivor; the victim's message never appears. */
	get_value(1);
	get_value(2);
	assert_child_ok(survivor[0]);
	assert_child_ok(survivor[1]);
	assert_int_equal(ripc_mbox_count(&sh->mb), 2);
	for (int i = 0; i < 2; i++)
		assert_int_equal(ripc_mbox_get(&sh->mb, &v[i], sizeof(v[i]), &n, RIPC_NO_WAIT), 0);
	assert_true((v[0] == 2000 && v[1] == 2001) || (v[0] == 2001 && v[1] == 2000));
	assert_int_equal(ripc_mbox_get(&sh->mb, &v[0], sizeof(v[0]), &n, RIPC_NO_WAIT), -EAGAIN);
	assert_int_equal(atomic_load(&sh->mb.not_full.waiters), 1);
	assert_still_usable(2);
	teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mbox_million_messages_between_processes),
		cmocka_unit_test(test_mbox_odd_depth_between_processes),
		cmocka_unit_test(test_mbox_works_at_different_addresses),
		cmocka_unit_test(test_mbox_getter_killed_while_sleeping_does_not_disturb_others),
		cmocka_unit_test(test_mbox_putter_killed_while_sleeping_does_not_disturb_others),
	};

	ripc_test_init("core.mbox.multiproc");
	return cmocka_run_group_tests_name("core.mbox.multiproc", tests, NULL, NULL);
}
