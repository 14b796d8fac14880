/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Timeouts for every blocking ripc call.
 *
 * A timeout is an opaque value, never a bare integer, so "0" cannot be mistaken for
 * "forever". Each blocking call converts it once, on entry, into an absolute
 * CLOCK_MONOTONIC deadline; signals, spurious wake-ups and retries inside the call wait
 * against that same deadline and never extend it.
 */
#ifndef RIPC_TIMEOUT_H
#define RIPC_TIMEOUT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief How long a blocking call may wait. Build one with the macros below. */
typedef struct {
	/** Relative wait in nanoseconds; 0 is no wait, -1 (RIPC_FOREVER only) is forever.
	 *  Internal: the duration macros never produce a negative value. */
	int64_t ns;
} ripc_timeout_t;

/** @brief Do not wait: a call that would block returns -EAGAIN at once. */
#define RIPC_NO_WAIT ((ripc_timeout_t){.ns = 0})

/** @brief Wait as long as it takes. */
#define RIPC_FOREVER ((ripc_timeout_t){.ns = -1})

/** @cond INTERNAL */
/* A duration that came out negative (a deadline computed by the caller has passed) means
 * "already expired": it must never turn into RIPC_FOREVER. @p n is evaluated once. */
static inline ripc_timeout_t ripc_timeout_from_ns_(int64_t ns)
{
	ripc_timeout_t t;

	t.ns = ns < 0 ? 0 : ns;
	return t;
}
/** @endcond */

/** @brief Wait at most @p n nanoseconds; n <= 0 does not wait. */
#define RIPC_NSEC(n) ripc_timeout_from_ns_((int64_t)(n))

/** @brief Wait at most @p n microseconds; n <= 0 does not wait. */
#define RIPC_USEC(n) ripc_timeout_from_ns_((int64_t)(n)*1000)

/** @brief Wait at most @p n milliseconds; n <= 0 does not wait. */
#define RIPC_MSEC(n) ripc_timeout_from_ns_((int64_t)(n)*1000000)

/** @brief Wait at most @p n seconds; n <= 0 does not wait. */
#define RIPC_SEC(n) ripc_timeout_from_ns_((int64_t)(n)*1000000000)

/**
 * @brief Tell whether a timeout means "wait forever".
 * @param t Timeout to inspect.
 * @return true for RIPC_FOREVER (any negative value).
 *
 * Context: any, including signal handlers.
 */
static inline bool ripc_timeout_is_forever(ripc_timeout_t t)
{
	return t.ns < 0;
}

/**
 * @brief Tell whether a timeout means "do not wait".
 * @param t Timeout to inspect.
 * @return true for RIPC_NO_WAIT.
 *
 * Context: any, including signal handlers.
 */
static inline bool ripc_timeout_is_no_wait(ripc_timeout_t t)
{
	return t.ns == 0;
}

/**
 * @brief Read the monotonic clock that every ripc deadline is measured against.
 * @return CLOCK_MONOTONIC time in nanoseconds.
 *
 * Context: any, including signal handlers (clock_gettime is async-signal-safe).
 */
int64_t ripc_uptime_ns(void);

#ifdef __cplusplus
}
#endif

#endif /* RIPC_TIMEOUT_H */
