/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The mechanism table: every BENCH_MECH() entry of the "bench_mechs" section,
 *        sorted by its order field (the linker keeps no order), probed once.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* Bounds of the section; weak, so a build without any entry still links. */
extern const struct bench_mech *const __start_bench_mechs[] __attribute__((weak));
extern const struct bench_mech *const __stop_bench_mechs[] __attribute__((weak));

#define MAX_MECHS 64

static const struct bench_mech *sorted[MAX_MECHS];
static const char *reasons[MAX_MECHS];
static size_t nsorted;

static int by_order(const void *a, const void *b)
{
	const struct bench_mech *x = *(const struct bench_mech *const *)a;
	const struct bench_mech *y = *(const struct bench_mech *const *)b;
	int c = x->order - y->order;

	if (c != 0)
		return c;
	c = strcmp(x->name, y->name);
	if (c != 0)
		return c;
	/* The plain variant first. */
	return strcmp(x->variant ? x->variant : "", y->variant ? y->variant : "");
}

const struct bench_mech *const *bench_mechs(size_t *n)
{
	const struct bench_mech *const *p;
	size_t i;

	if (nsorted == 0 && __start_bench_mechs != NULL) {
		for (p = __start_bench_mechs; p < __stop_bench_mechs && nsorted < MAX_MECHS; p++)
			sorted[nsorted++] = *p;
		qsort(sorted, nsorted, sizeof(sorted[0]), by_order);
		for (i = 0; i < nsorted; i++)
			reasons[i] = sorted[i]->probe ? sorted[i]->probe() : NULL;
	}
	*n = nsorted;
	return sorted;
}

const char *bench_unavailable(const struct bench_mech *m)
{
	size_t i;

	for (i = 0; i < nsorted; i++)
		if (sorted[i] == m)
			return reasons[i];
	return NULL;
}

const char *bench_scenario_name(enum bench_scenario s)
{
	static const char *const names[BENCH_NSCENARIOS] = {"pingpong", "stream", "bulk",
							    "uncontended"};

	return (unsigned)s < BENCH_NSCENARIOS ? names[s] : "?";
}
