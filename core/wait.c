/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Deadlines, bounded spinning and counted futex calls (see wait.h).
 *
 * Spinning first pays off because a hand-off between two busy cores takes a cache-line
 * transfer (~0.1 us) while waking a sleeping thread takes tens of microseconds. The spin is
 * bounded by CONFIG_RIPC_SPIN_ITERATIONS, and 0 turns it off for power-sensitive boards.
 */
#include <errno.h>

#include <ripc/stats.h>

#include "core/wait.h"

#ifndef CONFIG_RIPC_SPIN_ITERATIONS
#define CONFIG_RIPC_SPIN_ITERATIONS 0
#endif

/* A variable, not the bare macro: with a budget of 0 the loop bound would be a constant
 * the compiler warns about. */
static const uint32_t ripc_spin_budget = CONFIG_RIPC_SPIN_ITERATIONS;

/* Counters; updated only on slow paths, with relaxed adds (exact totals, no ordering). */
static _Atomic uint64_t ripc_stat_waits;
static _Atomic uint64_t ripc_stat_wakes;
static _Atomic uint64_t ripc_stat_pi;
static _Atomic uint64_t ripc_stat_spins;

static void count(_Atomic uint64_t *counter)
{
	if (RIPC_IS_ENABLED(CONFIG_RIPC_STATS))
		atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
}

int64_t ripci_deadline(ripc_timeout_t t)
{
	int64_t now;

	if (ripc_timeout_is_forever(t))
		return RIPC_PORT_FOREVER;
	now = ripc_port_clock_ns();
	if (t.ns > RIPC_PORT_FOREVER - now)
		return RIPC_PORT_FOREVER;
	return now + t.ns;
}

bool ripci_spin_while_equal(ripc_atomic_u32_t *word, uint32_t value)
{
	uint32_t i;

	if (ripc_spin_budget == 0)
		return false;
	count(&ripc_stat_spins);
	for (i = 0; i < ripc_spin_budget; i++) {
		if (atomic_load_explicit(word, memory_order_relaxed) != value)
			return true;
		ripc_port_cpu_relax();
	}
	return false;
}

/* What a port wait means to the caller: 0 (re-check) or -ETIMEDOUT. */
static int wait_result(int rc, int64_t deadline)
{
	if (rc == 0 || rc == -EAGAIN || rc == -EINTR)
		return 0;
	if (rc == -ETIMEDOUT)
		return -ETIMEDOUT;
	/* The port cannot sleep (a sandbox refusing the call, say): the caller ends up polling,
	 * and only this check still ends a timed wait at its deadline. */
	if (deadline != RIPC_PORT_FOREVER && ripc_port_clock_ns() >= deadline)
		return -ETIMEDOUT;
	return 0;
}

int ripci_wait(ripc_atomic_u32_t *word, uint32_t expected, int64_t deadline)
{
	count(&ripc_stat_waits);
	return wait_result(ripc_port_futex_wait(word, expected, deadline), deadline);
}

int ripci_wait_any(ripc_atomic_u32_t *const *words, const uint32_t *expected, size_t n,
		   int64_t deadline)
{
	int rc = ripc_port_futex_wait_any(words, expected, n, deadline);

	if (rc == -ENOSYS)
		return rc;
	count(&ripc_stat_waits);
	return wait_result(rc, deadline);
}

void ripci_wake(ripc_atomic_u32_t *word, uint32_t n)
{
	count(&ripc_stat_wakes);
	(void)ripc_port_futex_wake(word, n);
}

void ripci_stats_pi_call(void)
{
	count(&ripc_stat_pi);
}

int ripc_stats_get(struct ripc_stats *out)
{
	if (out == NULL)
		return -EINVAL;
	if (!RIPC_IS_ENABLED(CONFIG_RIPC_STATS))
		return -ENOTSUP;
	out->futex_waits = atomic_load_explicit(&ripc_stat_waits, memory_order_relaxed);
	out->futex_wakes = atomic_load_explicit(&ripc_stat_wakes, memory_order_relaxed);
	out->pi_calls = atomic_load_explicit(&ripc_stat_pi, memory_order_relaxed);
	out->spins = atomic_load_explicit(&ripc_stat_spins, memory_order_relaxed);
	return 0;
}

void ripc_stats_reset(void)
{
	atomic_store_explicit(&ripc_stat_waits, 0, memory_order_relaxed);
	atomic_store_explicit(&ripc_stat_wakes, 0, memory_order_relaxed);
	atomic_store_explicit(&ripc_stat_pi, 0, memory_order_relaxed);
	atomic_store_explicit(&ripc_stat_spins, 0, memory_order_relaxed);
}
