/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief CRC32C: ARMv8 CRC instructions where the target has them, else slicing-by-8.
 *
 * The software tables (8 KiB) are computed on first use instead of being written out: the
 * first caller builds them while others wait on a flag, so the result is the same whoever
 * comes first, and no thread reads a half-built table.
 */
#include <stdatomic.h>

#include "core/crc32c.h"

#if defined(__ARM_FEATURE_CRC32)
#include <arm_acle.h>

uint32_t ripci_crc32c(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	crc = ~crc;
	while (len > 0 && ((uintptr_t)p & 7u) != 0) {
		crc = __crc32cb(crc, *p++);
		len--;
	}
	for (; len >= 8; len -= 8, p += 8) {
		uint64_t v;

		__builtin_memcpy(&v, p, 8);
		crc = __crc32cd(crc, v);
	}
	while (len-- > 0)
		crc = __crc32cb(crc, *p++);
	return ~crc;
}

#else

#define POLY 0x82f63b78u /* CRC32C, reflected */

static uint32_t table[8][256];
static atomic_uint table_state; /* 0 unbuilt, 1 building, 2 ready */

static void build_tables(void)
{
	unsigned int expect = 0;
	uint32_t i, j;

	if (atomic_load_explicit(&table_state, memory_order_acquire) == 2)
		return;
	if (!atomic_compare_exchange_strong(&table_state, &expect, 1)) {
		while (atomic_load_explicit(&table_state, memory_order_acquire) != 2)
			;
		return;
	}
	for (i = 0; i < 256; i++) {
		uint32_t c = i;

		for (j = 0; j < 8; j++)
			c = (c & 1u) ? (c >> 1) ^ POLY : c >> 1;
		table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (j = 1; j < 8; j++)
			table[j][i] = (table[j - 1][i] >> 8) ^ table[0][table[j - 1][i] & 0xffu];
	atomic_store_explicit(&table_state, 2, memory_order_release);
}

uint32_t ripci_crc32c(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	build_tables();
	crc = ~crc;
	for (; len >= 8; len -= 8, p += 8) {
		/* Bytes assembled explicitly: the result must not depend on the endianness. */
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
				     (uint32_t)p[3] << 24);

		crc = table[7][lo & 0xffu] ^ table[6][(lo >> 8) & 0xffu] ^
		      table[5][(lo >> 16) & 0xffu] ^ table[4][lo >> 24] ^ table[3][p[4]] ^
		      table[2][p[5]] ^ table[1][p[6]] ^ table[0][p[7]];
	}
	while (len-- > 0)
		crc = (crc >> 8) ^ table[0][(crc ^ *p++) & 0xffu];
	return ~crc;
}

#endif
