/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief memcpy: the reference for bulk bandwidth, in one process. Each "payload" is one
 *        memcpy of 1 MiB between two buffers that stay in this core's caches: the most a
 *        copy can move, which zero-copy hand-off between processes is measured against.
 */
#include <string.h>

#include "bench.h"

static _Alignas(64) unsigned char src[BENCH_BULK_SIZE];
static _Alignas(64) unsigned char dst[BENCH_BULK_SIZE];

static int memcpy_bulk_send(struct bench_chan *c, int side, uint8_t kind)
{
	(void)c;
	(void)side;
	src[0] = kind;
	memcpy(dst, src, BENCH_BULK_SIZE);
	/* Keep the copy: the compiler must not drop a copy nobody reads. */
	__asm__ __volatile__("" : : "r"(dst) : "memory");
	return 0;
}

static const struct bench_mech mech_memcpy = {
	.name = "memcpy",
	.order = 60,
	.scenarios = BENCH_SC(BENCH_BULK),
	.one_process = true,
	.bulk_chunk = BENCH_BULK_SIZE,
	.bulk_send = memcpy_bulk_send,
};
BENCH_MECH(mech_memcpy);
