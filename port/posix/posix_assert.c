/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Report of a broken internal invariant (POSIX port).
 *
 * Only RIPC_ASSERT (CONFIG_RIPC_ASSERT, a debugging option) ends here; it writes with
 * write(2), which is async-signal-safe and allocates nothing, then traps.
 */
#define _GNU_SOURCE /* syscall(), gettid and Linux-specific declarations */
#include <string.h>
#include <unistd.h>

#include "port/port.h"

static void put(const char *s)
{
	(void)!write(STDERR_FILENO, s, strlen(s));
}

void ripc_port_assert_fail(const char *file, int line, const char *expr)
{
	char num[12];
	int i = (int)sizeof(num) - 1;
	unsigned int n = line > 0 ? (unsigned int)line : 0u;

	num[i] = '\0';
	do {
		num[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0 && i > 0);
	put("ripc: internal assertion failed: ");
	put(expr);
	put(" at ");
	put(file);
	put(":");
	put(num + i);
	put("\n");
	__builtin_trap();
}
