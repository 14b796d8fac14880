/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Diagnostics output and process-unique random numbers (POSIX port).
 */
#define _GNU_SOURCE /* syscall(), SYS_getrandom */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "port/port.h"

void ripc_port_log(const char *line)
{
	char buf[256];
	size_t len;

	if (line == NULL)
		return;
	len = strlen(line);
	if (len > sizeof(buf) - 1)
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len++] = '\n';
	/* One write: lines of several threads and processes do not interleave. */
	(void)!write(STDERR_FILENO, buf, len);
}

/* splitmix64: spreads the bits of a counter-like seed. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

uint64_t ripc_port_random64(void)
{
	static ripc_atomic_u32_t calls;
	uint64_t v = 0;
	long n = syscall(SYS_getrandom, &v, sizeof(v), 0x1 /* GRND_NONBLOCK */);

	if (n == (long)sizeof(v))
		return v;
	/* No getrandom (old kernel, early boot): time, process and a counter still differ
	 * between processes and calls, which is all callers need. */
	return mix((uint64_t)ripc_port_clock_ns() ^ ((uint64_t)getpid() << 32) ^
		   (uint64_t)atomic_fetch_add(&calls, 1));
}
