/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Pool between processes: frames handed over by handle between fork()ed processes,
 *        blocks shared by several consumers, an allocator killed in its sleep, 1 MiB
 *        blocks, and a pool used through a second mapping at another address.
 *
 * The pool and its buffer sit in one MAP_SHARED region. Handles travel through small
 * single-producer rings guarded by two ripc semaphores each. Children never use CMocka
 * assertions; they exit with 0, or with the number of the check that failed. Each child
 * arms its own alarm() (alarms are not inherited across fork), so a child stuck by a lost
 * wake-up dies instead of outliving the test program.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ripc_test.h"

#define CHILD_WATCHDOG_S 100
#define RING_SLOTS       8
#define MAX_CONSUMERS    3

/* Child exit codes, one per way a child can fail. */
enum {
	CHILD_OK = 0,
	CHILD_ALLOC_FAILED = 10,
	CHILD_REF_FAILED = 11,
	CHILD_RING_FAILED = 12,
	CHILD_PTR_NULL = 13,
	CHILD_BAD_SEQ = 14,
	CHILD_BAD_PAYLOAD = 15,
	CHILD_RELEASE_FAILED = 16,
	CHILD_RETAIN_FAILED = 17,
	CHILD_EARLY_RETURN = 18, /* a shared block came back before every consumer read it */
	CHILD_ALLOC_RETURNED = 19,
	CHILD_MAP_FAILED = 20,
	CHILD_SAME_ADDRESS = 21,
};

/* A handle queue from one producer to one consumer. */
struct ring {
	struct ripc_sem items; /* handles waiting */
	struct ripc_sem slots; /* free places */
	uint32_t head;         /* consumer only */
	uint32_t tail;         /* producer only */
	ripc_pool_handle_t h[RING_SLOTS];
};

/* What the producer writes into a block: a header, then the payload, to the block's end. */
struct frame {
	uint32_t seq;        /* 1, 2, ... */
	uint32_t words;      /* payload words */
	uint32_t sum;        /* FNV-1a over the payload words */
	atomic_uint readers; /* consumers that verified it (shared frames) */
	uint32_t data[];
};

struct mp_shared {
	struct ripc_pool pool;
	struct ring ring[MAX_CONSUMERS];
	uint32_t consumers;
	uint32_t frames;
	uint32_t words;
	uint32_t shared; /* every frame goes to every consumer */
	atomic_uint verified;
	atomic_uint got;
	atomic_int failed_rc; /* first unexpected return code in a child */
	ripc_pool_handle_t handoff;
	uint32_t handoff_offset;
};

/* The pool buffer follows the header in the same region. */
#define BUF_OFFSET ((sizeof(struct mp_shared) + 63) / 64 * 64)

static struct mp_shared *sh;
static size_t sh_len;

static void child_start(void)
{
	alarm(CHILD_WATCHDOG_S);
}

static int child_fail(int code, int rc)
{
	int zero = 0;

	atomic_compare_exchange_strong(&sh->failed_rc, &zero, rc != 0 ? rc : code);
	return code;
}

static void setup(size_t block_size, uint32_t nblocks)
{
	sh_len = BUF_OFFSET + RIPC_POOL_BUF_SIZE(block_size, nblocks);
	sh = ripc_test_shared_alloc(sh_len);
	assert_int_equal(ripc_pool_init(&sh->pool, (unsigned char *)sh + BUF_OFFSET,
					RIPC_POOL_BUF_SIZE(block_size, nblocks), block_size,
					nblocks),
			 0);
	sh->words = (uint32_t)((block_size - sizeof(struct frame)) / 4);
}

static void teardown(void)
{
	ripc_test_shared_free(sh, sh_len);
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

/* Every block can be allocated exactly once, then the pool is empty; all freed again. */
static void assert_pool_intact(uint32_t n)
{
	void *blk[8], *extra;
	uint32_t i, j;

	assert_true(n <= 8);
	assert_int_equal(ripc_pool_free_count(&sh->pool), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(ripc_pool_alloc(&sh->pool, &blk[i], RIPC_NO_WAIT), 0);
		for (j = 0; j < i; j++)
			assert_ptr_not_equal(blk[i], blk[j]);
	}
	assert_int_equal(ripc_pool_alloc(&sh->pool, &extra, RIPC_NO_WAIT), -EAGAIN);
	for (i = 0; i < n; i++)
		assert_int_equal(ripc_pool_free(&sh->pool, blk[i]), 0);
	assert_int_equal(ripc_pool_free_count(&sh->pool), n);
}

/* ---- Rings ------------------------------------------------------------------------------- */

static void ring_init(struct ring *r)
{
	assert_int_equal(ripc_sem_init(&r->items, 0, RING_SLOTS), 0);
	assert_int_equal(ripc_sem_init(&r->slots, RING_SLOTS, RING_SLOTS), 0);
	r->head = 0;
	r->tail = 0;
}

static int ring_put(struct ring *r, ripc_pool_handle_t h)
{
	int rc = ripc_sem_take(&r->slots, RIPC_FOREVER);

	if (rc != 0)
		return rc;
	r->h[r->tail++ % RING_SLOTS] = h;
	return ripc_sem_give(&r->items);
}

static int ring_get(struct ring *r, ripc_pool_handle_t *h)
{
	int rc = ripc_sem_take(&r->items, RIPC_FOREVER);

	if (rc != 0)
		return rc;
	*h = r->h[r->head++ % RING_SLOTS];
	return ripc_sem_give(&r->slots);
}

/* ---- Frames ------------------------------------------------------------------------------ */

static uint32_t xorshift(uint32_t x)
{
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

static void frame_fill(struct frame *f, uint32_t seq, uint32_t words)
{
	uint32_t x = seq * 2654435761u | 1u, sum = 2166136261u, i;

	for (i = 0; i < words; i++) {
		x = xorshift(x);
		f->data[i] = x;
		sum = (sum ^ x) * 16777619u;
	}
	f->seq = seq;
	f->words = words;
	f->sum = sum;
	atomic_store(&f->readers, 0);
}

/* The payload is the one the producer wrote for @p seq, and its checksum matches. */
static int frame_check(const struct frame *f, uint32_t seq, uint32_t words)
{
	uint32_t x = seq * 2654435761u | 1u, sum = 2166136261u, bad = 0, i;

	if (f->seq != seq || f->words != words)
		return CHILD_BAD_SEQ;
	for (i = 0; i < words; i++) {
		x = xorshift(x);
		bad |= f->data[i] ^ x;
		sum = (sum ^ f->data[i]) * 16777619u;
	}
	return bad == 0 && sum == f->sum ? CHILD_OK : CHILD_BAD_PAYLOAD;
}

/* ---- Producer and consumers -------------------------------------------------------------- */

/* Send frame @p seq: to one consumer in turn, or (shared) to all with one reference each. */
static int send_frame(ripc_pool_handle_t h, uint32_t seq)
{
	uint32_t c;
	int rc;

	if (!sh->shared)
		return ring_put(&sh->ring[(seq - 1) % sh->consumers], h) == 0 ? CHILD_OK
									      : CHILD_RING_FAILED;
	for (c = 1; c < sh->consumers; c++) {
		rc = ripc_pool_retain(&sh->pool, h);
		if (rc != 0)
			return child_fail(CHILD_RETAIN_FAILED, rc);
	}
	for (c = 0; c < sh->consumers; c++)
		if (ring_put(&sh->ring[c], h) != 0)
			return CHILD_RING_FAILED;
	return CHILD_OK;
}

static int producer(void *arg)
{
	ripc_pool_handle_t h;
	struct frame *f;
	uint32_t seq;
	int rc;

	(void)arg;
	child_start();
	for (seq = 1; seq <= sh->frames; seq++) {
		rc = ripc_pool_alloc(&sh->pool, (void **)&f, RIPC_FOREVER);
		if (rc != 0)
			return child_fail(CHILD_ALLOC_FAILED, rc);
		/* A shared block comes back only after every consumer has read it. */
		if (sh->shared && f->seq != 0 && atomic_load(&f->readers) != sh->consumers)
			return child_fail(CHILD_EARLY_RETURN, (int)f->seq);
		frame_fill(f, seq, sh->words);
		rc = ripc_pool_ref(&sh->pool, f, &h);
		if (rc != 0)
			return child_fail(CHILD_REF_FAILED, rc);
		rc = send_frame(h, seq);
		if (rc != CHILD_OK)
			return rc;
	}
	return CHILD_OK;
}

static int consumer(void *arg)
{
	uint32_t c = (uint32_t)(uintptr_t)arg;
	uint32_t n = sh->shared ? sh->frames : sh->frames / sh->consumers;
	uint32_t i, seq;
	ripc_pool_handle_t h;
	struct frame *f;
	int rc;

	child_start();
	for (i = 0; i < n; i++) {
		if (ring_get(&sh->ring[c], &h) != 0)
			return CHILD_RING_FAILED;
		f = ripc_pool_ptr(&sh->pool, h);
		if (f == NULL)
			return child_fail(CHILD_PTR_NULL, (int)h);
		seq = sh->shared ? i + 1 : c + 1 + i * sh->consumers;
		rc = frame_check(f, seq, sh->words);
		if (rc != CHILD_OK)
			return child_fail(rc, (int)seq);
		atomic_fetch_add(&f->readers, 1);
		rc = ripc_pool_release(&sh->pool, h);
		if (rc != 0)
			return child_fail(CHILD_RELEASE_FAILED, rc);
		atomic_fetch_add(&sh->verified, 1);
	}
	return CHILD_OK;
}

/* Run one producer and @p consumers consumers; every frame verified, every block back. */
static void run_frames(uint32_t consumers, uint32_t frames, uint32_t shared, uint32_t nblocks)
{
	pid_t pid[MAX_CONSUMERS + 1];
	uint32_t c, expect = shared ? frames * consumers : frames;

	sh->consumers = consumers;
	sh->frames = frames;
	sh->shared = shared;
	for (c = 0; c < consumers; c++) {
		ring_init(&sh->ring[c]);
		pid[c] = ripc_test_fork(consumer, (void *)(uintptr_t)c);
	}
	pid[consumers] = ripc_test_fork(producer, NULL);
	for (c = 0; c <= consumers; c++)
		assert_child_ok(pid[c]);
	assert_int_equal(atomic_load(&sh->verified), expect);
	assert_pool_intact(nblocks);
}

static void test_pool_frames_pass_between_processes_by_handle(void **state)
{
	uint32_t frames = (uint32_t)ripc_test_scaled(20000) / 3 * 3;

	(void)state;
	/* Fewer blocks than ring places: the producer sleeps until a consumer releases. */
	setup(4096, 5);
	run_frames(3, frames < 300 ? 300 : frames, 0, 5);
	print_message("[          ] %u frames of 4 KiB through 5 blocks to 3 consumers\n",
		      atomic_load(&sh->verified));
	teardown();
}

static void test_pool_block_shared_by_several_consumers(void **state)
{
	uint32_t frames = (uint32_t)ripc_test_scaled(10000);

	(void)state;
	setup(1024, 2);
	run_frames(3, frames < 200 ? 200 : frames, 1, 2);
	teardown();
}

static void test_pool_large_blocks_move_without_copy(void **state)
{
	uint32_t frames = (uint32_t)ripc_test_scaled(200);

	(void)state;
	/* 4 blocks of 1 MiB; every byte written by the producer and read by the consumer. */
	setup(1u << 20, 4);
	run_frames(1, frames < 16 ? 16 : frames, 0, 4);
	print_message("[          ] %u frames of 1 MiB written and read in place\n",
		      atomic_load(&sh->verified));
	teardown();
}

/* ---- An allocator killed while it sleeps ------------------------------------------------- */

static int alloc_once_child(void *arg)
{
	void *blk;
	int rc;

	(void)arg;
	child_start();
	rc = ripc_pool_alloc(&sh->pool, &blk, RIPC_FOREVER);
	if (rc != 0)
		return child_fail(CHILD_ALLOC_FAILED, rc);
	memset(blk, 0x77, ripc_pool_block_size(&sh->pool));
	atomic_fetch_add(&sh->got, 1);
	rc = ripc_pool_free(&sh->pool, blk);
	if (rc != 0)
		return child_fail(CHILD_RELEASE_FAILED, rc);
	return CHILD_OK;
}

/* Never returns from its alloc: no block becomes free for it. Killed by the test. */
static int victim_child(void *arg)
{
	void *blk;
	int rc;

	(void)arg;
	child_start();
	rc = ripc_pool_alloc(&sh->pool, &blk, RIPC_FOREVER);
	return child_fail(CHILD_ALLOC_RETURNED, rc == 0 ? 1 : rc);
}

/* The test peeks at the private waiter count: the exact sign that allocators are committed. */
static void wait_for_waiters(uint32_t n)
{
	while (atomic_load(&sh->pool.wait.waiters) < n)
		ripc_test_sleep_ms(1);
	/* Let them reach the kernel: the kill should find the victim asleep there. */
	ripc_test_sleep_ms(50);
}

static void test_pool_allocator_killed_while_sleeping_does_not_disturb_others(void **state)
{
	pid_t victim, survivor[2];
	void *blk[3];
	int i;

	(void)state;
	setup(256, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(ripc_pool_alloc(&sh->pool, &blk[i], RIPC_NO_WAIT), 0);
	survivor[0] = ripc_test_fork(alloc_once_child, NULL);
	victim = ripc_test_fork(victim_child, NULL);
	survivor[1] = ripc_test_fork(alloc_once_child, NULL);
	wait_for_waiters(3);

	assert_int_equal(kill(victim, SIGKILL), 0);
	assert_int_equal(ripc_test_wait(victim), 128 + SIGKILL);
	/* The dead allocator took nothing and left nothing. */
	assert_int_equal(ripc_pool_free_count(&sh->pool), 0);
	assert_int_equal(atomic_load(&sh->got), 0);

	/* One free: a survivor wakes, uses the block and frees it, which wakes the other. */
	assert_int_equal(ripc_pool_free(&sh->pool, blk[0]), 0);
	assert_child_ok(survivor[0]);
	assert_child_ok(survivor[1]);
	assert_int_equal(atomic_load(&sh->got), 2);
	assert_int_equal(ripc_pool_free_count(&sh->pool), 1);
	assert_int_equal(ripc_pool_free(&sh->pool, blk[1]), 0);
	assert_int_equal(ripc_pool_free(&sh->pool, blk[2]), 0);
	assert_pool_intact(3);

	/* Still fully usable: a new allocator in a new process sleeps and is woken. */
	for (i = 0; i < 3; i++)
		assert_int_equal(ripc_pool_alloc(&sh->pool, &blk[i], RIPC_NO_WAIT), 0);
	survivor[0] = ripc_test_fork(alloc_once_child, NULL);
	ripc_test_sleep_ms(50);
	assert_int_equal(ripc_pool_free(&sh->pool, blk[1]), 0);
	assert_child_ok(survivor[0]);
	assert_int_equal(atomic_load(&sh->got), 3);
	assert_int_equal(ripc_pool_free(&sh->pool, blk[0]), 0);
	assert_int_equal(ripc_pool_free(&sh->pool, blk[2]), 0);
	assert_pool_intact(3);
	teardown();
}

/* ---- One region, two mappings at different addresses ------------------------------------ */

static int map_fd = -1;

/* In the child: use the pool only through a second mapping of the region. */
static int second_view_child(void *arg)
{
	struct mp_shared *view;
	unsigned char *blk;
	int rc;

	(void)arg;
	child_start();
	view = mmap(NULL, sh_len, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (view == MAP_FAILED)
		return CHILD_MAP_FAILED;
	if (view == sh)
		return CHILD_SAME_ADDRESS;
	/* The parent's block, found by handle at this mapping's address, then released. */
	blk = ripc_pool_ptr(&view->pool, view->handoff);
	if (blk == NULL)
		return child_fail(CHILD_PTR_NULL, (int)view->handoff);
	if ((size_t)(blk - (unsigned char *)view) != view->handoff_offset || blk[0] != 0xab)
		return CHILD_BAD_PAYLOAD;
	rc = ripc_pool_release(&view->pool, view->handoff);
	if (rc != 0)
		return child_fail(CHILD_RELEASE_FAILED, rc);
	/* And a block of our own, handed back by handle. */
	rc = ripc_pool_alloc(&view->pool, (void **)&blk, RIPC_NO_WAIT);
	if (rc != 0)
		return child_fail(CHILD_ALLOC_FAILED, rc);
	memset(blk, 0xcd, ripc_pool_block_size(&view->pool));
	rc = ripc_pool_ref(&view->pool, blk, &view->handoff);
	if (rc != 0)
		return child_fail(CHILD_REF_FAILED, rc);
	view->handoff_offset = (uint32_t)(blk - (unsigned char *)view);
	munmap(view, sh_len);
	return CHILD_OK;
}

static void test_pool_works_through_mappings_at_different_addresses(void **state)
{
	ripc_pool_handle_t mine;
	unsigned char *blk;
	pid_t pid;

	(void)state;
	map_fd = memfd_create("ripc-pool-test", 0);
	if (map_fd < 0)
		RIPC_TEST_SKIP("memfd_create: errno %d", errno);
	sh_len = BUF_OFFSET + RIPC_POOL_BUF_SIZE(512, 4);
	assert_int_equal(ftruncate(map_fd, (off_t)sh_len), 0);
	sh = mmap(NULL, sh_len, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	assert_true(sh != MAP_FAILED);
	assert_int_equal(ripc_pool_init(&sh->pool, (unsigned char *)sh + BUF_OFFSET,
					RIPC_POOL_BUF_SIZE(512, 4), 512, 4),
			 0);
	assert_int_equal(ripc_pool_alloc(&sh->pool, (void **)&blk, RIPC_NO_WAIT), 0);
	memset(blk, 0xab, 512);
	assert_int_equal(ripc_pool_ref(&sh->pool, blk, &sh->handoff), 0);
	sh->handoff_offset = (uint32_t)(blk - (unsigned char *)sh);
	mine = sh->handoff;

	pid = ripc_test_fork(second_view_child, NULL);
	assert_child_ok(pid);
	/* The child released ours (its handle is stale now) and handed us its own. */
	assert_null(ripc_pool_ptr(&sh->pool, mine));
	assert_int_equal(ripc_pool_release(&sh->pool, mine), -EINVAL);
	blk = ripc_pool_ptr(&sh->pool, sh->handoff);
	assert_non_null(blk);
	assert_int_equal(blk - (unsigned char *)sh, sh->handoff_offset);
	assert_int_equal(blk[0], 0xcd);
	assert_int_equal(blk[511], 0xcd);
	assert_int_equal(ripc_pool_release(&sh->pool, sh->handoff), 0);
	assert_int_equal(ripc_pool_free_count(&sh->pool), 4);
	munmap(sh, sh_len);
	close(map_fd);
	sh = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_frames_pass_between_processes_by_handle),
		cmocka_unit_test(test_pool_block_shared_by_several_consumers),
		cmocka_unit_test(test_pool_large_blocks_move_without_copy),
		cmocka_unit_test(test_pool_allocator_killed_while_sleeping_does_not_disturb_others),
		cmocka_unit_test(test_pool_works_through_mappings_at_different_addresses),
	};

	ripc_test_init("core.pool.multiproc");
	return cmocka_run_group_tests_name("core.pool.multiproc", tests, NULL, NULL);
}
