/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Percentiles of latency samples, medians and spread of repetitions.
 */
#include <stdlib.h>

#include "run.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_percentile(uint32_t *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u32);
	/* Nearest rank: the smallest sample with at least p% of the samples at or below it. */
	i = (size_t)((p / 100.0) * (double)n + 0.999999);
	if (i > 0)
		i--;
	return v[i < n ? i : n - 1];
}

double bench_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double bench_spread_pct(const double *v, size_t n)
{
	double tmp[64], lo, hi, med;
	size_t i;

	if (n < 2 || n > 64)
		return 0;
	lo = hi = v[0];
	for (i = 0; i < n; i++) {
		tmp[i] = v[i];
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	med = bench_median(tmp, n);
	return med > 0 ? (hi - lo) / med * 100.0 : 0;
}
