/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Monotonic clock for deadlines (POSIX port).
 *
 * CLOCK_MONOTONIC, read through the vDSO: no system call on Linux, async-signal-safe.
 */
#define _GNU_SOURCE /* syscall(), gettid and Linux-specific declarations */
#include <time.h>

#include <ripc/timeout.h>

#include "port/port.h"

int64_t ripc_port_clock_ns(void)
{
	struct timespec ts;

	/* Cannot fail for CLOCK_MONOTONIC with a valid pointer. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + (int64_t)ts.tv_nsec;
}

int64_t ripc_uptime_ns(void)
{
	return ripc_port_clock_ns();
}
