/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Fixed-block pool with reference-counted blocks and cross-process handles.
 *
 * Storage (64-aligned): one 16-byte record per block, padded to 64 bytes, then the blocks,
 * stride bytes apart. A record holds a 64-bit state word {generation, references} and the
 * link to the next free block. The records come first so that a write past the end of the
 * last block cannot reach them.
 * Nothing in it is a pointer, so every process that maps it can use it.
 *
 * Synchronisation, all lock-free:
 * - @c nfree counts free blocks not yet claimed. An allocator first claims one by
 *   decrementing it (or sleeps on @c wait while it is 0, ripci_waitq_wait), and only then
 *   takes a block; a freed block is pushed before @c nfree grows. So a claim always finds a
 *   block: on the free stack or among the never-used blocks [fresh, nblocks).
 * - The free stack (Treiber stack) has its top in @c head with a tag that every change
 *   bumps, swapped by one 64-bit compare-and-swap: a pop that read a top which was popped
 *   and pushed back meanwhile fails instead of installing a stale link (no ABA, unless
 *   2^32 changes happen between its read and its swap).
 * - Never-used blocks are handed out by counting @c fresh up, so a zeroed pool (what
 *   RIPC_POOL_DEFINE emits) needs no set-up pass.
 * - A block's state word changes by compare-and-swap only while it holds references, and
 *   is written by its allocator when it holds none. Comparing generation and count in one
 *   word makes a stale handle or a double free fail without touching anything.
 * Every step is one atomic instruction that leaves a consistent pool, so a process killed
 * anywhere cannot corrupt it: at worst the block it was moving (claimed but not taken yet,
 * or released but not pushed yet) is lost to the pool.
 */
#include <errno.h>
#include <string.h>

#include <ripc/pool.h>

#include "core/check.h"
#include "core/ref.h"
#include "core/wait.h"
#include "core/waitq.h"

/* The per-block record, before the blocks. */
struct pool_rec {
	_Atomic uint64_t state; /* generation << 32 | references; no references: free */
	ripc_atomic_u32_t next; /* index + 1 of the next free block while on the stack */
	uint32_t reserved;
};

_Static_assert(sizeof(struct pool_rec) == RIPC_POOL_META_SIZE_, "pool record size");
/* Cross-process atomics must not fall back to a process-local lock. */
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics must be lock-free");

#define REFS_MASK 0xffffffffu

static uint32_t state_gen(uint64_t state)
{
	return (uint32_t)(state >> 32);
}

static uint32_t state_refs(uint64_t state)
{
	return (uint32_t)(state & REFS_MASK);
}

static bool pool_ok(const struct ripc_pool *pool)
{
	if (!RIPCI_ARG_CHECKS)
		return true;
	/* Also refuse fields no init writes, which would divide by 0 or shift too far. */
	return pool != NULL && pool->nblocks != 0 && pool->nblocks <= RIPC_POOL_MAX_BLOCKS &&
	       pool->stride != 0 && pool->index_bits <= 16;
}

static unsigned char *pool_base(struct ripc_pool *pool)
{
	return ripci_ref_resolve(pool, &pool->storage, (pool->flags & RIPC_POOL_FLAG_LOCAL_) != 0);
}

static struct pool_rec *rec_at(struct ripc_pool *pool, uint32_t idx)
{
	return (struct pool_rec *)(void *)pool_base(pool) + idx;
}

static unsigned char *blocks_of(struct ripc_pool *pool)
{
	return pool_base(pool) + (size_t)RIPC_POOL_RECS_SIZE_(pool->nblocks);
}

static unsigned char *block_at(struct ripc_pool *pool, uint32_t idx)
{
	return blocks_of(pool) + (size_t)idx * pool->stride;
}

/* ---- Handles ----------------------------------------------------------------------------- */

static uint32_t gen_mask(const struct ripc_pool *pool)
{
	return UINT32_MAX >> pool->index_bits;
}

static uint32_t index_mask(const struct ripc_pool *pool)
{
	return (uint32_t)((1ull << pool->index_bits) - 1u);
}

/* The generation after @p gen, within the handle's bits and never 0 (0 is no handle). */
static uint32_t next_gen(const struct ripc_pool *pool, uint32_t gen)
{
	uint32_t g = (gen + 1u) & gen_mask(pool);

	return g != 0 ? g : 1u;
}

static ripc_pool_handle_t make_handle(const struct ripc_pool *pool, uint32_t idx, uint32_t gen)
{
	return (gen << pool->index_bits) | idx;
}

/* Split @p h into index and generation; false when it cannot name a block. */
static bool handle_parse(const struct ripc_pool *pool, ripc_pool_handle_t h, uint32_t *idx,
			 uint32_t *gen)
{
	*idx = h & index_mask(pool);
	*gen = h >> pool->index_bits;
	return *idx < pool->nblocks && *gen != 0;
}

/* Index of the block that starts at @p p; false for any other address. */
static bool block_index(struct ripc_pool *pool, const void *p, uint32_t *idx)
{
	uintptr_t base = (uintptr_t)blocks_of(pool);
	uintptr_t off = (uintptr_t)p - base;

	if (p == NULL || (uintptr_t)p < base || off >= (uintptr_t)pool->nblocks * pool->stride)
		return false;
	if (off % pool->stride != 0)
		return false;
	*idx = (uint32_t)(off / pool->stride);
	return true;
}

/* ---- Free stack and claims ---------------------------------------------------------------- */

static uint64_t make_head(uint64_t old, uint32_t top)
{
	return ((old >> 32) + 1u) << 32 | top;
}

static void stack_push(struct ripc_pool *pool, uint32_t idx)
{
	uint64_t old = atomic_load_explicit(&pool->head, memory_order_relaxed);
	struct pool_rec *r = rec_at(pool, idx);

	do {
		atomic_store_explicit(&r->next, (uint32_t)old, memory_order_relaxed);
	} while (!atomic_compare_exchange_weak_explicit(&pool->head, &old, make_head(old, idx + 1u),
							memory_order_seq_cst,
							memory_order_relaxed));
}

/* Pop the top block; false when the stack is empty. */
static bool stack_pop(struct ripc_pool *pool, uint32_t *idx)
{
	uint64_t old = atomic_load_explicit(&pool->head, memory_order_seq_cst);
	uint32_t next;

	do {
		if ((uint32_t)old == 0)
			return false;
		/* The link may be rewritten meanwhile: then the tag moved, the swap fails. */
		next = atomic_load_explicit(&rec_at(pool, (uint32_t)old - 1u)->next,
					    memory_order_relaxed);
	} while (!atomic_compare_exchange_weak_explicit(&pool->head, &old, make_head(old, next),
							memory_order_seq_cst,
							memory_order_seq_cst));
	*idx = (uint32_t)old - 1u;
	return true;
}

/* Take a never-used block; false when there is none left. */
static bool claim_fresh(struct ripc_pool *pool, uint32_t *idx)
{
	uint32_t f = atomic_load_explicit(&pool->fresh, memory_order_seq_cst);

	while (f < pool->nblocks) {
		if (atomic_compare_exchange_weak_explicit(
			    &pool->fresh, &f, f + 1u, memory_order_seq_cst, memory_order_seq_cst)) {
			*idx = f;
			return true;
		}
	}
	return false;
}

/* Claim one free block (decrement nfree); -EAGAIN when none is free. A ripci_try_fn. */
static int try_claim(void *arg)
{
	struct ripc_pool *pool = arg;
	uint32_t n = atomic_load_explicit(&pool->nfree, memory_order_seq_cst);

	while (n > 0) {
		if (atomic_compare_exchange_weak_explicit(
			    &pool->nfree, &n, n - 1u, memory_order_seq_cst, memory_order_seq_cst))
			return 0;
	}
	return -EAGAIN;
}

/*
 * Take the block a successful claim stands for and give it its first reference. The block
 * is on the stack or still fresh; a race can move it from where we look first to where we
 * look next (another claimer took the one we saw), never away, so the loop ends.
 */
static void *take_block(struct ripc_pool *pool)
{
	uint32_t idx;
	uint64_t old;
	struct pool_rec *r;

	while (!stack_pop(pool, &idx) && !claim_fresh(pool, &idx))
		;
	r = rec_at(pool, idx);
	old = atomic_load_explicit(&r->state, memory_order_relaxed);
	RIPC_ASSERT(state_refs(old) == 0);
	atomic_store_explicit(&r->state, (uint64_t)next_gen(pool, state_gen(old)) << 32 | 1u,
			      memory_order_seq_cst);
	return block_at(pool, idx);
}

/* The last reference went: make the block available, then wake one allocator. */
static void recycle(struct ripc_pool *pool, uint32_t idx)
{
	stack_push(pool, idx);
	atomic_fetch_add_explicit(&pool->nfree, 1, memory_order_seq_cst);
	ripci_waitq_notify(&pool->wait, 1);
}

/* ---- Reference counts ---------------------------------------------------------------------- */

/* Drop one reference of block @p idx, generation @p gen (0: whatever is allocated now). */
static int put_ref(struct ripc_pool *pool, uint32_t idx, uint32_t gen)
{
	struct pool_rec *r = rec_at(pool, idx);
	uint64_t s = atomic_load_explicit(&r->state, memory_order_seq_cst);

	do {
		if (state_refs(s) == 0 || (gen != 0 && state_gen(s) != gen))
			return -EINVAL;
	} while (!atomic_compare_exchange_weak_explicit(&r->state, &s, s - 1u, memory_order_seq_cst,
							memory_order_seq_cst));
	if (state_refs(s) == 1)
		recycle(pool, idx);
	return 0;
}

/* State of the live block @p h names; false when it names none. */
static bool live_state(struct ripc_pool *pool, ripc_pool_handle_t h, uint32_t *idx)
{
	uint32_t gen;
	uint64_t s;

	if (!handle_parse(pool, h, idx, &gen))
		return false;
	s = atomic_load_explicit(&rec_at(pool, *idx)->state, memory_order_seq_cst);
	return state_refs(s) != 0 && state_gen(s) == gen;
}

/* ---- Public calls ------------------------------------------------------------------------- */

static bool sizes_ok(size_t buf_size, size_t block_size, uint32_t nblocks)
{
	unsigned long long need;

	if (block_size == 0 || block_size > RIPC_POOL_MAX_BUF_SIZE)
		return false;
	if (nblocks == 0 || nblocks > RIPC_POOL_MAX_BLOCKS)
		return false;
	/* No overflow: at most 2^16 * (2^31 + 80) bytes. */
	need = RIPC_POOL_AREA_SIZE_(block_size, nblocks) + RIPC_POOL_ALIGN - 1u;
	return need <= RIPC_POOL_MAX_BUF_SIZE && buf_size >= need;
}

int ripc_pool_init(struct ripc_pool *pool, void *buf, size_t buf_size, size_t block_size,
		   uint32_t nblocks)
{
	uintptr_t base, area, self = (uintptr_t)pool;
	uint32_t stride;

	if (pool == NULL || buf == NULL || !sizes_ok(buf_size, block_size, nblocks))
		return -EINVAL;
	base = ((uintptr_t)buf + RIPC_POOL_ALIGN - 1u) & ~(uintptr_t)(RIPC_POOL_ALIGN - 1u);
	stride = (uint32_t)RIPC_POOL_STRIDE_(block_size);
	area = (uintptr_t)RIPC_POOL_AREA_SIZE_(block_size, nblocks);
	/* Zeroing the records would overwrite a header that sits inside its own storage. */
	if (self < base + area && base < self + sizeof(*pool))
		return -EINVAL;
	memset((void *)base, 0, (size_t)nblocks * RIPC_POOL_META_SIZE_);
	atomic_init(&pool->head, 0);
	/* A zeroed wait queue has nobody waiting. */
	memset(&pool->wait, 0, sizeof(pool->wait));
	atomic_init(&pool->nfree, nblocks);
	atomic_init(&pool->fresh, 0);
	pool->block_size = (uint32_t)block_size;
	pool->stride = stride;
	pool->nblocks = nblocks;
	pool->index_bits = (uint32_t)RIPC_POOL_INDEX_BITS_(nblocks);
	pool->flags = 0;
	ripci_ref_set_offset(&pool->storage, pool, (void *)base);
	return 0;
}

int ripc_pool_alloc(struct ripc_pool *pool, void **block, ripc_timeout_t timeout)
{
	int rc;

	if (block != NULL)
		*block = NULL;
	if (!pool_ok(pool) || block == NULL)
		return -EINVAL;
	rc = try_claim(pool);
	if (rc == -EAGAIN && !ripc_timeout_is_no_wait(timeout))
		rc = ripci_waitq_wait(&pool->wait, try_claim, pool, &pool->nfree, 0,
				      ripci_deadline(timeout));
	if (rc != 0)
		return rc;
	*block = take_block(pool);
	return 0;
}

int ripc_pool_free(struct ripc_pool *pool, void *block)
{
	uint32_t idx;

	if (!pool_ok(pool) || !block_index(pool, block, &idx))
		return -EINVAL;
	return put_ref(pool, idx, 0);
}

int ripc_pool_ref(struct ripc_pool *pool, const void *block, ripc_pool_handle_t *handle)
{
	uint32_t idx;
	uint64_t s;

	if (!pool_ok(pool) || handle == NULL || !block_index(pool, block, &idx))
		return -EINVAL;
	s = atomic_load_explicit(&rec_at(pool, idx)->state, memory_order_seq_cst);
	if (state_refs(s) == 0)
		return -EINVAL;
	*handle = make_handle(pool, idx, state_gen(s));
	return 0;
}

void *ripc_pool_ptr(struct ripc_pool *pool, ripc_pool_handle_t handle)
{
	uint32_t idx;

	if (!pool_ok(pool) || !live_state(pool, handle, &idx))
		return NULL;
	return block_at(pool, idx);
}

int ripc_pool_retain(struct ripc_pool *pool, ripc_pool_handle_t handle)
{
	uint32_t idx, gen;
	struct pool_rec *r;
	uint64_t s;

	if (!pool_ok(pool) || !handle_parse(pool, handle, &idx, &gen))
		return -EINVAL;
	r = rec_at(pool, idx);
	s = atomic_load_explicit(&r->state, memory_order_seq_cst);
	do {
		if (state_refs(s) == 0 || state_gen(s) != gen)
			return -EINVAL;
		if (state_refs(s) >= RIPC_POOL_MAX_REFS)
			return -EOVERFLOW;
	} while (!atomic_compare_exchange_weak_explicit(&r->state, &s, s + 1u, memory_order_seq_cst,
							memory_order_seq_cst));
	return 0;
}

int ripc_pool_release(struct ripc_pool *pool, ripc_pool_handle_t handle)
{
	uint32_t idx, gen;

	if (!pool_ok(pool) || !handle_parse(pool, handle, &idx, &gen))
		return -EINVAL;
	return put_ref(pool, idx, gen);
}

uint32_t ripc_pool_free_count(const struct ripc_pool *pool)
{
	if (pool == NULL)
		return 0;
	/* Only read; the cast drops const for the C11 atomic load. */
	return atomic_load_explicit((ripc_atomic_u32_t *)&pool->nfree, memory_order_relaxed);
}

size_t ripc_pool_block_size(const struct ripc_pool *pool)
{
	if (pool == NULL || pool->nblocks == 0)
		return 0;
	return pool->block_size;
}
