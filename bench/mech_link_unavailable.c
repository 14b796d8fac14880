/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief ripc-link-tcp and ripc-link-udp in a library configured without links
 *        (CONFIG_RIPC_LINK=n): listed, with the reason, never silently missing.
 */
#include "bench.h"

static const char *link_missing(void)
{
	return "this library is configured without links (CONFIG_RIPC_LINK=n)";
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
