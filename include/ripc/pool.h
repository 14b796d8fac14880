/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Fixed-block memory pools shared by threads and processes, for zero-copy hand-off.
 *
 * A pool hands out blocks of one size. Allocating waits (up to a timeout) while every block
 * is in use; freeing returns a block and wakes one waiting allocator. Allocation and free
 * are a few atomic instructions and never enter the kernel unless an allocator sleeps.
 *
 * Blocks are reference counted: ripc_pool_alloc returns a block with one reference,
 * ripc_pool_retain adds one, ripc_pool_release and ripc_pool_free drop one, and the block
 * returns to the pool when the last reference is dropped. ripc_pool_free(pool, ptr) is
 * exactly ripc_pool_release of that block, named by pointer instead of by handle.
 *
 * Zero-copy hand-off: a pool placed (with its buffer) in memory that several processes map
 * works between them with the same calls, wherever each process maps the region. A block is
 * named across processes by a handle (ripc_pool_ref): a 32-bit value that every process
 * turns back into its own pointer (ripc_pool_ptr). Send the handle through a mailbox or any
 * other channel, not the data.
 *
 * Handle format: the low B bits hold the block index, B = ceil(log2(nblocks)) (0 for one
 * block, 16 for RIPC_POOL_MAX_BLOCKS); the high N = 32 - B bits (at least 16) hold the
 * block's generation, which advances on every allocation of that block and is never 0, so
 * RIPC_POOL_HANDLE_NONE (0) is never valid. Guarantees:
 * - a handle whose index is outside the pool, or that names a free block, is always refused;
 * - a handle from an earlier allocation of a block (stale) is refused unless that block was
 *   allocated again a multiple of 2^N - 1 times since (65535 times for the largest pools,
 *   over 10^9 times for a pool of up to 4 blocks);
 * - a forged value that happens to equal the handle of a live block cannot be told apart
 *   from that handle.
 * ripc_pool_free names a block by pointer, which carries no generation: a second free of a
 * block that is free is refused, one after the block was allocated again cannot be detected
 * (use handles where that matters).
 *
 * Alignment: blocks of 64 bytes or more start on a 64-byte (cache-line) boundary, smaller
 * blocks on a 16-byte boundary; block starts are block_size rounded up to that alignment
 * apart. ripc_pool_init aligns the caller's buffer itself (RIPC_POOL_BUF_SIZE includes the
 * slack), which holds in every process as long as the region is mapped at page-aligned
 * addresses, as mmap always does.
 */
#ifndef RIPC_POOL_H
#define RIPC_POOL_H

#include <ripc/common.h>
#include <ripc/timeout.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Names a pool block in every process that maps the pool. */
typedef uint32_t ripc_pool_handle_t;

/** @brief A handle value that never names a block. */
#define RIPC_POOL_HANDLE_NONE 0u

/** @brief Most blocks a pool can have (the handle keeps at least 16 generation bits). */
#define RIPC_POOL_MAX_BLOCKS 65536u

/** @brief Largest pool buffer, RIPC_POOL_BUF_SIZE: below 2 GiB, mappable by 32-bit processes. */
#define RIPC_POOL_MAX_BUF_SIZE 0x7fffffffu

/** @brief Most references one block can carry at once. */
#define RIPC_POOL_MAX_REFS 0xffffu

/** @brief Alignment of the pool storage inside the buffer: one cache line. */
#define RIPC_POOL_ALIGN 64u

/** @brief Alignment of each block of @p block_size bytes: 64 from 64 bytes up, else 16. */
#define RIPC_POOL_BLOCK_ALIGN(block_size) ((block_size) >= 64u ? 64u : 16u)

/** @cond INTERNAL */
/* Distance between block starts, and bytes of a per-block record (state, free-list link). */
#define RIPC_POOL_STRIDE_(bs)                                                                      \
	(((unsigned long long)(bs) + RIPC_POOL_BLOCK_ALIGN(bs) - 1u) / RIPC_POOL_BLOCK_ALIGN(bs) * \
	 RIPC_POOL_BLOCK_ALIGN(bs))
#define RIPC_POOL_META_SIZE_ 16u
/* The records come first, padded to the block alignment, then the blocks. */
#define RIPC_POOL_RECS_SIZE_(n)                                                                    \
	(((unsigned long long)(n)*RIPC_POOL_META_SIZE_ + RIPC_POOL_ALIGN - 1u) / RIPC_POOL_ALIGN * \
	 RIPC_POOL_ALIGN)
#define RIPC_POOL_AREA_SIZE_(bs, n) \
	(RIPC_POOL_RECS_SIZE_(n) + (unsigned long long)(n)*RIPC_POOL_STRIDE_(bs))
/* Bits of a block index: ceil(log2(n)) for 1 <= n <= 65536. */
#define RIPC_POOL_INDEX_BITS_(n)                                                         \
	(((n) > 1u) + ((n) > 2u) + ((n) > 4u) + ((n) > 8u) + ((n) > 16u) + ((n) > 32u) + \
	 ((n) > 64u) + ((n) > 128u) + ((n) > 256u) + ((n) > 512u) + ((n) > 1024u) +      \
	 ((n) > 2048u) + ((n) > 4096u) + ((n) > 8192u) + ((n) > 16384u) + ((n) > 32768u))
#define RIPC_POOL_FLAG_LOCAL_ 1u
/* Zeroed, 64-aligned static storage: a file-scope compound literal has static duration. */
#define RIPC_POOL_STATIC_AREA_(bs, n)                                                      \
	((void *)&(struct {                                                                \
		_Alignas(RIPC_POOL_ALIGN) unsigned char area[RIPC_POOL_AREA_SIZE_(bs, n)]; \
	}){{0}})
/** @endcond */

/**
 * @brief Bytes of buffer ripc_pool_init needs for @p nblocks blocks of @p block_size bytes.
 *
 * Covers a 16-byte record per block (reference count, generation, free-list link), padded
 * to 64 bytes and placed before the blocks, the blocks themselves, and up to 63 bytes to
 * align an unaligned buffer. A constant expression; meaningful for arguments
 * ripc_pool_init accepts.
 */
#define RIPC_POOL_BUF_SIZE(block_size, nblocks) \
	((size_t)(RIPC_POOL_AREA_SIZE_(block_size, nblocks) + RIPC_POOL_ALIGN - 1u))

/**
 * @brief A fixed-block pool. Fields are private; use RIPC_POOL_DEFINE or ripc_pool_init.
 *
 * 56 bytes, 8-byte aligned, the same layout for 32- and 64-bit processes.
 */
struct ripc_pool {
	/** Top of the free-block stack: tag (high 32 bits, bumped by every change) and block
	 *  index + 1 (low 32 bits, 0 when empty). */
	_Alignas(8) _Atomic uint64_t head;
	struct ripc_waitq wait;  /**< Allocators sleeping for a free block. */
	ripc_atomic_u32_t nfree; /**< Free blocks not yet claimed by an allocator. */
	ripc_atomic_u32_t fresh; /**< Blocks from here to nblocks were never allocated. */
	uint32_t block_size;     /**< Usable bytes per block. */
	uint32_t stride;         /**< Distance between block starts. */
	uint32_t nblocks;        /**< Number of blocks; 0 marks an uninitialised pool. */
	uint32_t index_bits;     /**< Low handle bits that hold the block index. */
	uint32_t flags;          /**< RIPC_POOL_FLAG_LOCAL_: @c storage is an address. */
	union ripc_ref storage;  /**< Block records, then the blocks. */
};

_Static_assert(sizeof(struct ripc_pool) == 56, "struct ripc_pool must be 56 bytes everywhere");
_Static_assert(_Alignof(struct ripc_pool) == 8, "struct ripc_pool must be 8-byte aligned");

/** @cond INTERNAL */
#define RIPC_POOL_INITIALIZER_(bs, n)                                                          \
	{                                                                                      \
		.head = 0, .wait = RIPC_WAITQ_INITIALIZER_, .nfree = (n), .fresh = 0,          \
		.block_size = (bs), .stride = (uint32_t)RIPC_POOL_STRIDE_(bs), .nblocks = (n), \
		.index_bits = RIPC_POOL_INDEX_BITS_(n), .flags = RIPC_POOL_FLAG_LOCAL_,        \
		.storage = {                                                                   \
			.local = RIPC_POOL_STATIC_AREA_(bs, n)                                 \
		}                                                                              \
	}
/** @endcond */

/**
 * @brief Define a pool and its static storage at build time.
 * @param name Name of the `struct ripc_pool` variable.
 * @param block_size Usable bytes per block, 1 or more.
 * @param nblocks Number of blocks, 1 .. RIPC_POOL_MAX_BLOCKS.
 *
 * The storage is a zeroed, 64-byte aligned static array, so the pool is ready without a
 * call; it belongs to the defining process (threads only; use ripc_pool_init in shared
 * memory for processes). Arguments are checked at compile time, including
 * RIPC_POOL_BUF_SIZE(block_size, nblocks) <= RIPC_POOL_MAX_BUF_SIZE. Use at file scope;
 * prefix with `static` for internal linkage.
 */
#define RIPC_POOL_DEFINE(name, block_size, nblocks)                                          \
	struct ripc_pool name = RIPC_POOL_INITIALIZER_(block_size, nblocks);                 \
	_Static_assert((block_size) >= 1u && (block_size) <= RIPC_POOL_MAX_BUF_SIZE,         \
		       "ripc pool " #name ": block_size must be 1..RIPC_POOL_MAX_BUF_SIZE"); \
	_Static_assert((nblocks) >= 1u && (nblocks) <= RIPC_POOL_MAX_BLOCKS,                 \
		       "ripc pool " #name ": nblocks must be 1..RIPC_POOL_MAX_BLOCKS");      \
	_Static_assert(RIPC_POOL_AREA_SIZE_(block_size, nblocks) + RIPC_POOL_ALIGN - 1u <=   \
			       RIPC_POOL_MAX_BUF_SIZE,                                       \
		       "ripc pool " #name ": total size above RIPC_POOL_MAX_BUF_SIZE")

/**
 * @brief Initialise a pool over caller-provided storage.
 * @param pool Pool header (process-local or shared memory).
 * @param buf Storage for the blocks, at least @p buf_size bytes; any alignment.
 * @param buf_size Bytes at @p buf, at least RIPC_POOL_BUF_SIZE(block_size, nblocks).
 * @param block_size Usable bytes per block, 1 or more.
 * @param nblocks Number of blocks, 1 .. RIPC_POOL_MAX_BLOCKS.
 * @retval 0 Initialised: every block free.
 * @retval -EINVAL @p pool or @p buf is NULL; @p block_size or @p nblocks is 0;
 *         @p nblocks is above RIPC_POOL_MAX_BLOCKS; the total size overflows or is above
 *         RIPC_POOL_MAX_BUF_SIZE; @p buf_size is too small; or @p pool lies inside the
 *         storage. Nothing is written.
 *
 * The pool records where its storage is relative to itself, not its address: with the
 * header and the buffer in the same shared region, every process that maps the region uses
 * the pool at its own address. Only the per-block records are written (zeroed), not the
 * blocks.
 * Context: thread or process; must not race with other calls on the same pool.
 */
int ripc_pool_init(struct ripc_pool *pool, void *buf, size_t buf_size, size_t block_size,
		   uint32_t nblocks);

/**
 * @brief Allocate a block, waiting while none is free.
 * @param pool Pool.
 * @param block Where to store the block's address; set to NULL when no block is returned.
 * @param timeout How long to wait for a free block.
 * @retval 0 Allocated: the block holds one reference and its old contents.
 * @retval -EINVAL @p pool is NULL or not initialised, or @p block is NULL.
 * @retval -EAGAIN No block was free and @p timeout is RIPC_NO_WAIT.
 * @retval -ETIMEDOUT No block became free until the deadline.
 *
 * Blocks come back in last-freed-first order (warm in the cache). A process killed while it
 * sleeps here leaves the pool intact and other allocators unaffected (it stays counted as a
 * waiter, so later frees make one wake-up system call each).
 * Context: thread or process; may block until @p timeout. Not for signal handlers.
 */
int ripc_pool_alloc(struct ripc_pool *pool, void **block, ripc_timeout_t timeout);

/**
 * @brief Drop one reference to a block by its address; exactly ripc_pool_release.
 * @param pool Pool the block came from.
 * @param block Start of the block, as ripc_pool_alloc or ripc_pool_ptr returned it.
 * @retval 0 Dropped; when it was the last reference the block is free again and one waiting
 *         allocator is woken.
 * @retval -EINVAL @p pool is NULL or not initialised; @p block is NULL, outside the pool or
 *         not the start of a block; or the block is free (double free). The pool is left
 *         unchanged.
 *
 * For the sole owner (no ripc_pool_retain) this is the plain free. Any thread or process
 * may free a block, not only the one that allocated it.
 * Context: any, including signal handlers; never blocks.
 */
int ripc_pool_free(struct ripc_pool *pool, void *block);

/**
 * @brief Turn a block address into a handle valid in every process that maps the pool.
 * @param pool Pool the block came from.
 * @param block Start of an allocated block.
 * @param handle Where to store the handle.
 * @retval 0 Stored; the handle names this allocation of the block.
 * @retval -EINVAL @p pool is NULL or not initialised, @p handle is NULL, @p block is NULL,
 *         outside the pool or not the start of a block, or the block is free. @p handle is
 *         left unchanged.
 *
 * Does not add a reference.
 * Context: any, including signal handlers; never blocks.
 */
int ripc_pool_ref(struct ripc_pool *pool, const void *block, ripc_pool_handle_t *handle);

/**
 * @brief Turn a handle back into this process's address of the block.
 * @param pool Pool the handle came from.
 * @param handle Handle from ripc_pool_ref, in this or another process.
 * @return The block's address, or NULL when @p pool is NULL or not initialised, or
 *         @p handle is forged, names a free block or is stale (see the file description).
 *
 * Does not add a reference: the caller must hold one (for example the one the sender
 * handed over with the handle) for the address to stay valid.
 * Context: any, including signal handlers; never blocks.
 */
void *ripc_pool_ptr(struct ripc_pool *pool, ripc_pool_handle_t handle);

/**
 * @brief Add a reference to an allocated block, for one more holder.
 * @param pool Pool.
 * @param handle Handle of the block.
 * @retval 0 Added.
 * @retval -EINVAL @p pool is NULL or not initialised, or @p handle is forged, names a free
 *         block or is stale. Nothing changes.
 * @retval -EOVERFLOW The block already has RIPC_POOL_MAX_REFS references; nothing changes.
 *
 * Call it before handing the block to another holder, while holding a reference yourself.
 * Context: any, including signal handlers; never blocks.
 */
int ripc_pool_retain(struct ripc_pool *pool, ripc_pool_handle_t handle);

/**
 * @brief Drop one reference to a block; the last one returns it to the pool.
 * @param pool Pool.
 * @param handle Handle of the block.
 * @retval 0 Dropped; when it was the last reference the block is free again and one waiting
 *         allocator is woken.
 * @retval -EINVAL @p pool is NULL or not initialised, or @p handle is forged, names a free
 *         block or is stale (a second release of the last reference included). The pool is
 *         left unchanged.
 *
 * Context: any, including signal handlers; never blocks.
 */
int ripc_pool_release(struct ripc_pool *pool, ripc_pool_handle_t handle);

/**
 * @brief Read how many blocks are free.
 * @param pool Pool.
 * @return Free blocks not claimed by an allocator, or 0 when @p pool is NULL. The value may
 *         be stale on return.
 *
 * Context: any, including signal handlers.
 */
uint32_t ripc_pool_free_count(const struct ripc_pool *pool);

/**
 * @brief Read the usable size of the pool's blocks.
 * @param pool Pool.
 * @return The block size given at definition or initialisation, or 0 when @p pool is NULL
 *         or not initialised.
 *
 * Context: any, including signal handlers.
 */
size_t ripc_pool_block_size(const struct ripc_pool *pool);

#ifdef __cplusplus
}
#endif

#endif /* RIPC_POOL_H */
