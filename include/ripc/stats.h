/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Per-process counters of the slow paths (CONFIG_RIPC_STATS).
 *
 * They prove what the fast paths promise: an uncontended take, give, lock or unlock adds
 * nothing here, because it makes no system call. Counting happens only on slow paths, with
 * relaxed atomic adds, so the counters cost nothing when nobody waits.
 */
#ifndef RIPC_STATS_H
#define RIPC_STATS_H

#include <ripc/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Snapshot of the counters of the calling process. */
struct ripc_stats {
	uint64_t futex_waits; /**< Sleeps in the kernel (futex wait system calls). */
	uint64_t futex_wakes; /**< Wake-up system calls. */
	uint64_t pi_calls;    /**< PI futex lock, trylock and unlock system calls. */
	uint64_t spins;       /**< Waits that polled before sleeping or succeeding. */
};

/**
 * @brief Read the counters of the calling process.
 * @param out Where to store the snapshot.
 * @retval 0 Stored.
 * @retval -EINVAL @p out is NULL.
 * @retval -ENOTSUP The library was built without CONFIG_RIPC_STATS.
 *
 * Context: any.
 */
int ripc_stats_get(struct ripc_stats *out);

/**
 * @brief Set every counter of the calling process to 0.
 *
 * Context: any.
 */
void ripc_stats_reset(void);

#ifdef __cplusplus
}
#endif

#endif /* RIPC_STATS_H */
