/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Definitions shared by every ripc object header.
 *
 * Object structures are public only so that RIPC_<OBJ>_DEFINE can allocate them
 * statically; their fields are private. Every field has a fixed width and no field is a
 * pointer, so one object can sit in memory shared by a 32-bit and a 64-bit process.
 */
#ifndef RIPC_COMMON_H
#define RIPC_COMMON_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ripc/config.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A 32-bit word that threads and processes update atomically (a futex word). */
typedef _Atomic uint32_t ripc_atomic_u32_t;

/* The shared layout relies on these; a platform where they fail cannot share objects. */
_Static_assert(sizeof(ripc_atomic_u32_t) == 4, "atomic 32-bit words must be 4 bytes");
_Static_assert(_Alignof(ripc_atomic_u32_t) == 4, "atomic 32-bit words must be 4-aligned");

/**
 * @brief Where threads of any process sleep until an object changes (private fields).
 *
 * Embedded in every object that can block. 12 bytes, pointer-free.
 */
struct ripc_waitq {
	ripc_atomic_u32_t seq;     /**< Futex word; bumped by every notify that finds sleepers. */
	ripc_atomic_u32_t waiters; /**< Threads between deciding to sleep and leaving (pollers
				      included). */
	ripc_atomic_u32_t pollers; /**< Of those, ripc_poll callers: they only look, so a
				      notify must wake everybody while one is registered. */
};

/**
 * @brief Where an object's storage (message slots, pool blocks) lives (private fields).
 *
 * RIPC_<OBJ>_DEFINE objects are process-local and point at their static storage
 * (@c local). ripc_<obj>_init and shared-memory domains record the distance from the object
 * header instead (@c offset), which is the same in every process that maps the region,
 * wherever the mapping lands. 8 bytes on 32- and 64-bit targets.
 */
union ripc_ref {
	void *local;    /**< Absolute address, valid in the defining process only. */
	int64_t offset; /**< Storage address minus object address. */
};

/** @cond INTERNAL */
#define RIPC_WAITQ_INITIALIZER_                      \
	{                                            \
		.seq = 0, .waiters = 0, .pollers = 0 \
	}
/** @endcond */

/** @brief 1 when the Kconfig option @p opt is enabled, 0 otherwise; usable in if(). */
#define RIPC_IS_ENABLED(opt)                  RIPC_IS_ENABLED_1_(opt)
#define RIPC_IS_ENABLED_1_(val)               RIPC_IS_ENABLED_2_(RIPC_IS_ENABLED_PROBE_##val)
#define RIPC_IS_ENABLED_PROBE_1               0,
#define RIPC_IS_ENABLED_2_(arg)               RIPC_IS_ENABLED_3_(arg 1, 0)
#define RIPC_IS_ENABLED_3_(ignored, val, ...) val

#ifdef __cplusplus
}
#endif

#endif /* RIPC_COMMON_H */
