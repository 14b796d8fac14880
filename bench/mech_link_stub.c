/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief ripc-link-tcp and ripc-link-udp while the link layer is not built: listed, with the
 *        reason, never silently missing. bench/mech_link.c replaces this file when present.
 */
#include "bench.h"

static const char *link_missing(void)
{
	return "the ripc link layer is not part of this build (bench/mech_link.c absent)";
}

static const struct bench_mech mech_link_tcp = {
	.name = "ripc-link-tcp",
	.order = 10,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM),
	.probe = link_missing,
};
BENCH_MECH(mech_link_tcp);

static const struct bench_mech mech_link_udp = {
	.name = "ripc-link-udp",
	.order = 11,
	.scenarios = BENCH_SC(BENCH_PINGPONG),
	.probe = link_missing,
};
BENCH_MECH(mech_link_udp);
