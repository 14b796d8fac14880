/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Pool API: every documented return code, on one thread, and a pool that stays intact
 *        after every refused call.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ripc_test.h"

#define BS 100 /* block size of the test pools: not a multiple of the 64-byte alignment */
#define NB 8

static RIPC_POOL_DEFINE(defined_pool, BS, 4);

/* A pool with its buffer, as it would sit in a shared region. */
struct fixture {
	struct ripc_pool pool;
	unsigned char buf[RIPC_POOL_BUF_SIZE(BS, NB)];
};

static _Alignas(64) struct fixture fx;

static struct ripc_pool *setup_pool(uint32_t nblocks)
{
	memset(&fx, 0, sizeof(fx));
	assert_int_equal(ripc_pool_init(&fx.pool, fx.buf, sizeof(fx.buf), BS, nblocks), 0);
	return &fx.pool;
}

static size_t stride_of(size_t block_size)
{
	size_t a = RIPC_POOL_BLOCK_ALIGN(block_size);

	return (block_size + a - 1) / a * a;
}

/*
 * The pool is intact: exactly @p expect blocks are free, each can be allocated exactly once
 * (distinct, aligned, block starts), then the pool is empty, and freeing them all restores
 * the count.
 */
static void assert_pool_intact(struct ripc_pool *pool, uint32_t expect)
{
	void *blk[NB + 1];
	void *extra = &extra;
	size_t align = RIPC_POOL_BLOCK_ALIGN(ripc_pool_block_size(pool));
	uint32_t i, j;

	assert_true(expect <= NB);
	assert_int_equal(ripc_pool_free_count(pool), expect);
	for (i = 0; i < expect; i++) {
		assert_int_equal(ripc_pool_alloc(pool, &blk[i], RIPC_NO_WAIT), 0);
		assert_non_null(blk[i]);
		assert_int_equal((uintptr_t)blk[i] % align, 0);
		for (j = 0; j < i; j++)
			assert_ptr_not_equal(blk[i], blk[j]);
	}
	assert_int_equal(ripc_pool_alloc(pool, &extra, RIPC_NO_WAIT), -EAGAIN);
	assert_null(extra);
	assert_int_equal(ripc_pool_free_count(pool), 0);
	for (i = 0; i < expect; i++)
		assert_int_equal(ripc_pool_free(pool, blk[i]), 0);
	assert_int_equal(ripc_pool_free_count(pool), expect);
}

static void test_pool_define_is_ready_without_init(void **state)
{
	void *blk[4], *extra;
	int i;

	(void)state;
	assert_int_equal(ripc_pool_block_size(&defined_pool), BS);
	assert_int_equal(ripc_pool_free_count(&defined_pool), 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(ripc_pool_alloc(&defined_pool, &blk[i], RIPC_NO_WAIT), 0);
		assert_int_equal((uintptr_t)blk[i] % 64, 0);
		memset(blk[i], 0xee, BS);
	}
	assert_int_equal(ripc_pool_alloc(&defined_pool, &extra, RIPC_NO_WAIT), -EAGAIN);
	for (i = 0; i < 4; i++)
		assert_int_equal(ripc_pool_free(&defined_pool, blk[i]), 0);
	assert_pool_intact(&defined_pool, 4);
}

static void test_pool_init_rejects_bad_arguments(void **state)
{
	struct ripc_pool p;
	size_t big = (size_t)1 << 30;
	unsigned char before[sizeof(fx.buf)];
	size_t i;

	(void)state;
	memset(&p, 0xa5, sizeof(p));
	memset(fx.buf, 0x5a, sizeof(fx.buf));
	memcpy(before, fx.buf, sizeof(before));
	assert_int_equal(ripc_pool_init(NULL, fx.buf, sizeof(fx.buf), BS, NB), -EINVAL);
	assert_int_equal(ripc_pool_init(&p, NULL, sizeof(fx.buf), BS, NB), -EINVAL);
	assert_int_equal(ripc_pool_init(&p, fx.buf, sizeof(fx.buf), 0, NB), -EINVAL);
	assert_int_equal(ripc_pool_init(&p, fx.buf, sizeof(fx.buf), BS, 0), -EINVAL);
	assert_int_equal(ripc_pool_init(&p, fx.buf, SIZE_MAX, BS, RIPC_POOL_MAX_BLOCKS + 1u),
			 -EINVAL);
	assert_int_equal(ripc_pool_init(&p, fx.buf, sizeof(fx.buf) - 1, BS, NB), -EINVAL);
	/* Sizes whose total overflows, or exceeds what a 32-bit process can map. */
	assert_int_equal(ripc_pool_init(&p, fx.buf, SIZE_MAX, SIZE_MAX, 1), -EINVAL);
	assert_int_equal(ripc_pool_init(&p, fx.buf, SIZE_MAX, SIZE_MAX - 40, 2), -EINVAL);
	assert_int_equal(ripc_pool_init(&p, fx.buf, SIZE_MAX, RIPC_POOL_MAX_BUF_SIZE + 1ul, 1),
			 -EINVAL);
	assert_int_equal(ripc_pool_init(&p, fx.buf, SIZE_MAX, big, 2), -EINVAL);
	assert_int_equal(ripc_pool_init(&p, fx.buf, SIZE_MAX, 1 << 20, RIPC_POOL_MAX_BLOCKS),
			 -EINVAL);
	/* A header inside its own storage would be overwritten. */
	assert_int_equal(ripc_pool_init((struct ripc_pool *)(void *)(fx.buf + 128), fx.buf,
					sizeof(fx.buf), BS, NB),
			 -EINVAL);
	/* A refused init writes nothing. */
	for (i = 0; i < sizeof(p); i++)
		assert_int_equal(((unsigned char *)&p)[i], 0xa5);
	assert_memory_equal(fx.buf, before, sizeof(before));
	assert_int_equal(ripc_pool_init(&p, fx.buf, sizeof(fx.buf), BS, NB), 0);
	assert_pool_intact(&p, NB);
}

static void test_pool_init_accepts_the_limits(void **state)
{
	size_t len = RIPC_POOL_BUF_SIZE(1, RIPC_POOL_MAX_BLOCKS);
	unsigned char *buf = malloc(len);
	struct ripc_pool p;
	void *a, *b;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(ripc_pool_init(&p, buf, len, 1, RIPC_POOL_MAX_BLOCKS), 0);
	assert_int_equal(ripc_pool_free_count(&p), RIPC_POOL_MAX_BLOCKS);
	assert_int_equal(ripc_pool_block_size(&p), 1);
	assert_int_equal(ripc_pool_alloc(&p, &a, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_alloc(&p, &b, RIPC_NO_WAIT), 0);
	assert_int_equal((uintptr_t)a % 16, 0);
	assert_int_equal(ripc_pool_free(&p, a), 0);
	assert_int_equal(ripc_pool_free(&p, b), 0);
	assert_int_equal(ripc_pool_free_count(&p), RIPC_POOL_MAX_BLOCKS);
	free(buf);
}

/* Every block lies inside the buffer, aligned, apart by at least its size, and writable. */
static void check_layout(size_t block_size, size_t offset)
{
	uint32_t n = 5;
	size_t len = RIPC_POOL_BUF_SIZE(block_size, n);
	/* Exactly len bytes end the allocation: AddressSanitizer catches any overrun. */
	unsigned char *raw = malloc(len + offset), *buf = raw + offset;
	struct ripc_pool p;
	unsigned char *blk[5];
	uint32_t i, j;

	assert_non_null(raw);
	assert_int_equal(ripc_pool_init(&p, buf, len, block_size, n), 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(ripc_pool_alloc(&p, (void **)&blk[i], RIPC_NO_WAIT), 0);
		assert_int_equal((uintptr_t)blk[i] % RIPC_POOL_BLOCK_ALIGN(block_size), 0);
		assert_true(blk[i] >= buf && blk[i] + block_size <= buf + len);
		memset(blk[i], (int)i, block_size);
		for (j = 0; j < i; j++) {
			size_t d = blk[i] > blk[j] ? (size_t)(blk[i] - blk[j])
						   : (size_t)(blk[j] - blk[i]);

			assert_true(d >= stride_of(block_size));
		}
	}
	/* Filling every block touched neither the others nor the pool's own records. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < block_size; j++)
			assert_int_equal(blk[i][j], i);
		assert_int_equal(ripc_pool_free(&p, blk[i]), 0);
	}
	assert_int_equal(ripc_pool_free_count(&p), n);
	free(raw);
}

static void test_pool_blocks_are_aligned_in_any_buffer(void **state)
{
	static const size_t sizes[] = {1, 15, 16, 17, 63, 64, 65, 100, 1000, 4096};
	size_t s, off;

	(void)state;
	assert_int_equal(RIPC_POOL_BLOCK_ALIGN(63), 16);
	assert_int_equal(RIPC_POOL_BLOCK_ALIGN(64), 64);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (off = 0; off < 64; off += 3)
			check_layout(sizes[s], off);
}

static void test_pool_null_and_uninitialised_are_einval(void **state)
{
	struct ripc_pool zero;
	struct ripc_pool *p = setup_pool(NB);
	ripc_pool_handle_t h = 0x1234;
	void *blk = &blk;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	assert_int_equal(ripc_pool_alloc(NULL, &blk, RIPC_NO_WAIT), -EINVAL);
	assert_null(blk);
	assert_int_equal(ripc_pool_alloc(&zero, &blk, RIPC_FOREVER), -EINVAL);
	assert_int_equal(ripc_pool_alloc(p, NULL, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_pool_free(NULL, fx.buf), -EINVAL);
	assert_int_equal(ripc_pool_free(&zero, fx.buf), -EINVAL);
	assert_int_equal(ripc_pool_free(p, NULL), -EINVAL);
	assert_int_equal(ripc_pool_ref(NULL, fx.buf, &h), -EINVAL);
	assert_int_equal(ripc_pool_ref(&zero, fx.buf, &h), -EINVAL);
	assert_int_equal(ripc_pool_ref(p, NULL, &h), -EINVAL);
	assert_int_equal(h, 0x1234);
	assert_null(ripc_pool_ptr(NULL, 1));
	assert_null(ripc_pool_ptr(&zero, 1));
	assert_int_equal(ripc_pool_retain(NULL, 1), -EINVAL);
	assert_int_equal(ripc_pool_retain(&zero, 1), -EINVAL);
	assert_int_equal(ripc_pool_release(NULL, 1), -EINVAL);
	assert_int_equal(ripc_pool_release(&zero, 1), -EINVAL);
	assert_int_equal(ripc_pool_free_count(NULL), 0);
	assert_int_equal(ripc_pool_free_count(&zero), 0);
	assert_int_equal(ripc_pool_block_size(NULL), 0);
	assert_int_equal(ripc_pool_block_size(&zero), 0);
	assert_pool_intact(p, NB);
}

static void test_pool_alloc_exhausted_nowait_returns_eagain(void **state)
{
	struct ripc_pool *p = setup_pool(2);
	void *a, *b, *c = &c;

	(void)state;
	assert_int_equal(ripc_pool_alloc(p, &a, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_alloc(p, &b, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_alloc(p, &c, RIPC_NO_WAIT), -EAGAIN);
	assert_null(c);
	assert_int_equal(ripc_pool_free_count(p), 0);
	assert_int_equal(ripc_pool_free(p, b), 0);
	assert_int_equal(ripc_pool_alloc(p, &c, RIPC_NO_WAIT), 0);
	assert_ptr_equal(c, b); /* last freed, first reused */
	assert_int_equal(ripc_pool_free(p, a), 0);
	assert_int_equal(ripc_pool_free(p, c), 0);
	assert_pool_intact(p, 2);
}

static void test_pool_alloc_exhausted_times_out(void **state)
{
	struct ripc_pool *p = setup_pool(1);
	void *a, *b = &b;
	int64_t t0, waited;

	(void)state;
	assert_int_equal(ripc_pool_alloc(p, &a, RIPC_FOREVER), 0);
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_pool_alloc(p, &b, RIPC_MSEC(50)), -ETIMEDOUT);
	waited = ripc_test_now_ns() - t0;
	assert_null(b);
	/* Never early; generous upper bound for loaded or emulated machines. */
	assert_true(waited >= 50 * 1000000LL);
	assert_true(waited < 5000 * 1000000LL);
	assert_int_equal(ripc_pool_free_count(p), 0);
	assert_int_equal(ripc_pool_free(p, a), 0);
	assert_pool_intact(p, 1);
}

static void test_pool_double_free_is_einval_and_pool_intact(void **state)
{
	struct ripc_pool *p = setup_pool(NB);
	void *a, *b;

	(void)state;
	assert_int_equal(ripc_pool_alloc(p, &a, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_alloc(p, &b, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_free(p, a), 0);
	assert_int_equal(ripc_pool_free(p, a), -EINVAL);
	assert_int_equal(ripc_pool_free_count(p), NB - 1);
	/* A never-allocated block is free too. */
	assert_int_equal(ripc_pool_free(p, (unsigned char *)b + 2 * stride_of(BS)), -EINVAL);
	assert_int_equal(ripc_pool_free_count(p), NB - 1);
	assert_pool_intact(p, NB - 1);
	assert_int_equal(ripc_pool_free(p, b), 0);
	assert_int_equal(ripc_pool_free(p, b), -EINVAL);
	assert_pool_intact(p, NB);
}

static void test_pool_foreign_pointer_is_einval(void **state)
{
	struct ripc_pool *p = setup_pool(NB);
	unsigned char *first, *blk[NB];
	ripc_pool_handle_t h = 77;
	int local;
	size_t s = stride_of(BS);
	int i;

	(void)state;
	for (i = 0; i < NB; i++)
		assert_int_equal(ripc_pool_alloc(p, (void **)&blk[i], RIPC_NO_WAIT), 0);
	first = blk[0];
	for (i = 1; i < NB; i++)
		first = blk[i] < first ? blk[i] : first;
	{
		void *foreign[] = {
			&local,               /* another object */
			first - NB * 16,      /* the record of block 0, before the blocks */
			first - 16,           /* the record of the last block */
			first + NB * s,       /* just past the last block */
			first + (NB + 1) * s, /* a block's distance further */
			&fx.pool,             /* the header */
		};

		for (i = 0; i < (int)(sizeof(foreign) / sizeof(foreign[0])); i++) {
			assert_int_equal(ripc_pool_free(p, foreign[i]), -EINVAL);
			assert_int_equal(ripc_pool_ref(p, foreign[i], &h), -EINVAL);
		}
	}
	assert_int_equal(h, 77);
	assert_int_equal(ripc_pool_free_count(p), 0);
	for (i = 0; i < NB; i++)
		assert_int_equal(ripc_pool_free(p, blk[i]), 0);
	assert_pool_intact(p, NB);
}

static void test_pool_misaligned_pointer_is_einval(void **state)
{
	struct ripc_pool *p = setup_pool(NB);
	unsigned char *a;
	ripc_pool_handle_t h = 77;
	size_t offs[] = {1, 15, 16, 64, BS - 1, BS, stride_of(BS) - 1};
	size_t i;

	(void)state;
	assert_int_equal(ripc_pool_alloc(p, (void **)&a, RIPC_NO_WAIT), 0);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		assert_int_equal(ripc_pool_free(p, a + offs[i]), -EINVAL);
		assert_int_equal(ripc_pool_ref(p, a + offs[i], &h), -EINVAL);
	}
	assert_int_equal(h, 77);
	assert_int_equal(ripc_pool_free_count(p), NB - 1);
	assert_pool_intact(p, NB - 1);
	assert_int_equal(ripc_pool_free(p, a), 0);
	assert_pool_intact(p, NB);
}

static void test_pool_ref_and_ptr_round_trip(void **state)
{
	struct ripc_pool *p = setup_pool(NB);
	void *blk[NB];
	ripc_pool_handle_t h[NB], kept = 99;
	int i, j;

	(void)state;
	for (i = 0; i < NB; i++) {
		assert_int_equal(ripc_pool_alloc(p, &blk[i], RIPC_NO_WAIT), 0);
		assert_int_equal(ripc_pool_ref(p, blk[i], &h[i]), 0);
		assert_int_not_equal(h[i], RIPC_POOL_HANDLE_NONE);
		for (j = 0; j < i; j++)
			assert_int_not_equal(h[i], h[j]);
	}
	for (i = 0; i < NB; i++)
		assert_ptr_equal(ripc_pool_ptr(p, h[i]), blk[i]);
	/* ref adds no reference: one free returns the block. */
	assert_int_equal(ripc_pool_free(p, blk[3]), 0);
	assert_int_equal(ripc_pool_free_count(p), 1);
	/* A free block has no handle. */
	assert_int_equal(ripc_pool_ref(p, blk[3], &kept), -EINVAL);
	assert_int_equal(kept, 99);
	assert_int_equal(ripc_pool_ref(p, blk[4], NULL), -EINVAL);
	for (i = 0; i < NB; i++)
		if (i != 3)
			assert_int_equal(ripc_pool_release(p, h[i]), 0);
	assert_pool_intact(p, NB);
}

static void test_pool_stale_handle_is_refused(void **state)
{
	struct ripc_pool *p = setup_pool(NB);
	void *a, *again;
	ripc_pool_handle_t h, h2;

	(void)state;
	assert_int_equal(ripc_pool_alloc(p, &a, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_ref(p, a, &h), 0);
	assert_int_equal(ripc_pool_free(p, a), 0);
	/* Freed: the handle names nothing. */
	assert_null(ripc_pool_ptr(p, h));
	assert_int_equal(ripc_pool_retain(p, h), -EINVAL);
	assert_int_equal(ripc_pool_release(p, h), -EINVAL);
	assert_int_equal(ripc_pool_free_count(p), NB);
	/* Allocated again: the old handle still names nothing, the new one the block. */
	assert_int_equal(ripc_pool_alloc(p, &again, RIPC_NO_WAIT), 0);
	assert_ptr_equal(again, a);
	assert_int_equal(ripc_pool_ref(p, again, &h2), 0);
	assert_int_not_equal(h2, h);
	assert_null(ripc_pool_ptr(p, h));
	assert_int_equal(ripc_pool_retain(p, h), -EINVAL);
	assert_int_equal(ripc_pool_release(p, h), -EINVAL);
	assert_ptr_equal(ripc_pool_ptr(p, h2), again);
	/* The stale calls took no reference away: one release frees the block. */
	assert_int_equal(ripc_pool_free_count(p), NB - 1);
	assert_int_equal(ripc_pool_release(p, h2), 0);
	assert_int_equal(ripc_pool_release(p, h2), -EINVAL);
	assert_pool_intact(p, NB);
}

static void test_pool_forged_handle_is_refused(void **state)
{
	/* 5 blocks: 3 index bits, so indices 5..7 fit in a handle but name no block. */
	struct ripc_pool *p = setup_pool(5);
	void *a;
	ripc_pool_handle_t h, forged[6];
	uint32_t idx;
	int i;

	(void)state;
	assert_int_equal(ripc_pool_alloc(p, &a, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_ref(p, a, &h), 0);
	idx = h & 7u;
	forged[0] = RIPC_POOL_HANDLE_NONE;
	forged[1] = (h & ~7u) | 5u;              /* index past the last block */
	forged[2] = (h & ~7u) | 7u;              /* likewise */
	forged[3] = h & 7u;                      /* generation 0 */
	forged[4] = h + 8u;                      /* the next generation of the block */
	forged[5] = (h & ~7u) | ((idx + 1) % 5); /* a block that was never allocated */
	for (i = 0; i < 6; i++) {
		assert_null(ripc_pool_ptr(p, forged[i]));
		assert_int_equal(ripc_pool_retain(p, forged[i]), -EINVAL);
		assert_int_equal(ripc_pool_release(p, forged[i]), -EINVAL);
	}
	assert_ptr_equal(ripc_pool_ptr(p, h), a);
	assert_int_equal(ripc_pool_free_count(p), 4);
	assert_pool_intact(p, 4);
	assert_int_equal(ripc_pool_release(p, h), 0);
	assert_pool_intact(p, 5);
}

/*
 * White box (peeks at the private stack head): a pop and a push that restore the same top
 * block still change the head word. Its tag is what makes a pop that was preempted across
 * them fail instead of installing a stale link (the ABA problem).
 */
static void test_pool_free_stack_head_changes_on_every_pop_and_push(void **state)
{
	struct ripc_pool *p = setup_pool(NB);
	void *a, *b, *x;
	uint64_t h0, h1, h2;

	(void)state;
	assert_int_equal(ripc_pool_alloc(p, &a, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_alloc(p, &b, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_free(p, b), 0);
	assert_int_equal(ripc_pool_free(p, a), 0); /* stack: a, b */
	h0 = atomic_load(&p->head);
	assert_int_equal(ripc_pool_alloc(p, &x, RIPC_NO_WAIT), 0);
	assert_ptr_equal(x, a);
	h1 = atomic_load(&p->head);
	assert_true(h1 != h0);
	assert_int_equal(ripc_pool_free(p, x), 0); /* a on top again, as in h0 */
	h2 = atomic_load(&p->head);
	assert_true(h2 != h0);
	assert_true(h2 != h1);
	assert_int_equal(ripc_pool_alloc(p, &x, RIPC_NO_WAIT), 0);
	assert_ptr_equal(x, a);
	assert_int_equal(ripc_pool_alloc(p, &x, RIPC_NO_WAIT), 0);
	assert_ptr_equal(x, b);
	assert_int_equal(ripc_pool_free(p, b), 0);
	assert_int_equal(ripc_pool_free(p, a), 0);
	assert_pool_intact(p, NB);
}

static void test_pool_retain_and_release_count_references(void **state)
{
	struct ripc_pool *p = setup_pool(NB);
	void *a;
	ripc_pool_handle_t h;

	(void)state;
	assert_int_equal(ripc_pool_alloc(p, &a, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_ref(p, a, &h), 0);
	assert_int_equal(ripc_pool_retain(p, h), 0);
	assert_int_equal(ripc_pool_retain(p, h), 0); /* three references */
	assert_int_equal(ripc_pool_release(p, h), 0);
	assert_int_equal(ripc_pool_free_count(p), NB - 1);
	assert_ptr_equal(ripc_pool_ptr(p, h), a);
	/* free is release by address. */
	assert_int_equal(ripc_pool_free(p, a), 0);
	assert_int_equal(ripc_pool_free_count(p), NB - 1);
	assert_ptr_equal(ripc_pool_ptr(p, h), a);
	assert_int_equal(ripc_pool_release(p, h), 0); /* the last one returns the block */
	assert_int_equal(ripc_pool_free_count(p), NB);
	assert_null(ripc_pool_ptr(p, h));
	assert_int_equal(ripc_pool_release(p, h), -EINVAL);
	assert_int_equal(ripc_pool_free(p, a), -EINVAL);
	assert_pool_intact(p, NB);
}

static void test_pool_retain_at_limit_returns_eoverflow(void **state)
{
	struct ripc_pool *p = setup_pool(NB);
	void *a;
	ripc_pool_handle_t h;
	uint32_t i;

	(void)state;
	assert_int_equal(ripc_pool_alloc(p, &a, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_ref(p, a, &h), 0);
	for (i = 1; i < RIPC_POOL_MAX_REFS; i++)
		assert_int_equal(ripc_pool_retain(p, h), 0);
	assert_int_equal(ripc_pool_retain(p, h), -EOVERFLOW);
	/* Exactly RIPC_POOL_MAX_REFS references: the last release returns the block. */
	for (i = 1; i < RIPC_POOL_MAX_REFS; i++)
		assert_int_equal(ripc_pool_release(p, h), 0);
	assert_int_equal(ripc_pool_free_count(p), NB - 1);
	assert_int_equal(ripc_pool_release(p, h), 0);
	assert_int_equal(ripc_pool_release(p, h), -EINVAL);
	assert_pool_intact(p, NB);
}

/*
 * The documented limit, exactly: in the largest pool (16 generation bits) a handle is stale
 * through 65534 reallocations of its block and valid again at the 65535th.
 */
static void test_pool_stale_handle_detected_until_generation_wraps(void **state)
{
	size_t len = RIPC_POOL_BUF_SIZE(16, RIPC_POOL_MAX_BLOCKS);
	unsigned char *buf = malloc(len);
	struct ripc_pool p;
	ripc_pool_handle_t h0, h;
	void *first, *a;
	uint32_t k;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(ripc_pool_init(&p, buf, len, 16, RIPC_POOL_MAX_BLOCKS), 0);
	assert_int_equal(ripc_pool_alloc(&p, &first, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_ref(&p, first, &h0), 0);
	assert_int_equal(ripc_pool_free(&p, first), 0);
	for (k = 1; k < 0xffffu; k++) {
		assert_int_equal(ripc_pool_alloc(&p, &a, RIPC_NO_WAIT), 0);
		assert_ptr_equal(a, first); /* last freed, first reused */
		if (ripc_pool_ptr(&p, h0) != NULL)
			fail_msg("stale handle accepted after %u reallocations", k);
		assert_int_equal(ripc_pool_free(&p, a), 0);
	}
	assert_int_equal(ripc_pool_alloc(&p, &a, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_ref(&p, a, &h), 0);
	assert_int_equal(h, h0);
	assert_ptr_equal(ripc_pool_ptr(&p, h0), first);
	assert_int_equal(ripc_pool_free(&p, a), 0);
	assert_int_equal(ripc_pool_free_count(&p), RIPC_POOL_MAX_BLOCKS);
	free(buf);
}

/* The pool records offsets, not addresses: a copy at another address works on its own. */
static void test_pool_works_at_another_address(void **state)
{
	static _Alignas(64) struct fixture moved;
	struct ripc_pool *p = setup_pool(NB);
	unsigned char *a, *b, *ma;
	ripc_pool_handle_t ha, hb;

	(void)state;
	assert_int_equal(ripc_pool_alloc(p, (void **)&a, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_pool_alloc(p, (void **)&b, RIPC_NO_WAIT), 0);
	memset(a, 0x11, BS);
	memset(b, 0x22, BS);
	assert_int_equal(ripc_pool_ref(p, a, &ha), 0);
	assert_int_equal(ripc_pool_ref(p, b, &hb), 0);
	/* Same alignment as the original, as two page-aligned mappings of one region. */
	assert_int_equal((uintptr_t)&moved % 64, (uintptr_t)&fx % 64);
	memcpy(&moved, &fx, sizeof(fx));

	ma = ripc_pool_ptr(&moved.pool, ha);
	assert_non_null(ma);
	assert_int_equal(ma - (unsigned char *)&moved, a - (unsigned char *)&fx);
	assert_int_equal(ma[0], 0x11);
	assert_int_equal(ma[BS - 1], 0x11);
	assert_int_equal(((unsigned char *)ripc_pool_ptr(&moved.pool, hb))[BS - 1], 0x22);
	assert_int_equal(ripc_pool_free_count(&moved.pool), NB - 2);
	assert_int_equal(ripc_pool_free(&moved.pool, a), -EINVAL); /* the original's address */
	assert_int_equal(ripc_pool_free(&moved.pool, ma), 0);
	assert_int_equal(ripc_pool_release(&moved.pool, hb), 0);
	assert_int_equal(ripc_pool_free_count(&moved.pool), NB);
	/* The original is untouched by what happened to the copy. */
	assert_int_equal(ripc_pool_free_count(p), NB - 2);
	assert_int_equal(ripc_pool_free(p, a), 0);
	assert_int_equal(ripc_pool_free(p, b), 0);
	assert_pool_intact(p, NB);
}

static void test_pool_uncontended_makes_no_system_call(void **state)
{
	struct ripc_pool *p = setup_pool(NB);
	struct ripc_stats st;
	ripc_pool_handle_t h;
	void *a;
	int i, rc;

	(void)state;
	ripc_stats_reset();
	for (i = 0; i < 100000; i++) {
		assert_int_equal(ripc_pool_alloc(p, &a, RIPC_FOREVER), 0);
		assert_int_equal(ripc_pool_ref(p, a, &h), 0);
		assert_int_equal(ripc_pool_retain(p, h), 0);
		assert_int_equal(ripc_pool_release(p, h), 0);
		assert_int_equal(ripc_pool_free(p, a), 0);
	}
	rc = ripc_stats_get(&st);
	if (rc == -ENOTSUP)
		RIPC_TEST_SKIP("built without CONFIG_RIPC_STATS");
	assert_int_equal(rc, 0);
	assert_int_equal(st.futex_waits, 0);
	assert_int_equal(st.futex_wakes, 0);
	assert_pool_intact(p, NB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_define_is_ready_without_init),
		cmocka_unit_test(test_pool_init_rejects_bad_arguments),
		cmocka_unit_test(test_pool_init_accepts_the_limits),
		cmocka_unit_test(test_pool_blocks_are_aligned_in_any_buffer),
		cmocka_unit_test(test_pool_null_and_uninitialised_are_einval),
		cmocka_unit_test(test_pool_alloc_exhausted_nowait_returns_eagain),
		cmocka_unit_test(test_pool_alloc_exhausted_times_out),
		cmocka_unit_test(test_pool_double_free_is_einval_and_pool_intact),
		cmocka_unit_test(test_pool_foreign_pointer_is_einval),
		cmocka_unit_test(test_pool_misaligned_pointer_is_einval),
		cmocka_unit_test(test_pool_ref_and_ptr_round_trip),
		cmocka_unit_test(test_pool_stale_handle_is_refused),
		cmocka_unit_test(test_pool_forged_handle_is_refused),
		cmocka_unit_test(test_pool_free_stack_head_changes_on_every_pop_and_push),
		cmocka_unit_test(test_pool_retain_and_release_count_references),
		cmocka_unit_test(test_pool_retain_at_limit_returns_eoverflow),
		cmocka_unit_test(test_pool_stale_handle_detected_until_generation_wraps),
		cmocka_unit_test(test_pool_works_at_another_address),
		cmocka_unit_test(test_pool_uncontended_makes_no_system_call),
	};

	ripc_test_init("core.pool.api");
	return cmocka_run_group_tests_name("core.pool.api", tests, NULL, NULL);
}
