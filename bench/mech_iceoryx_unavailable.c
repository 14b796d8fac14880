/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief iceoryx where its C binding is not available (the ARM boards, a host without
 *        Debian's libiceoryx-binding-c-dev): listed with the reason, never silently dropped.
 */
#include "bench.h"

#ifndef BENCH_ICEORYX_MISSING
#define BENCH_ICEORYX_MISSING "iceoryx C binding not found at build time"
#endif

static const char *iox_missing(void)
{
	return BENCH_ICEORYX_MISSING;
}

static const struct bench_mech mech_iceoryx_polling = {
	.name = "iceoryx",
	.variant = "polling",
	.order = 50,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_BULK),
	.probe = iox_missing,
};
BENCH_MECH(mech_iceoryx_polling);

static const struct bench_mech mech_iceoryx_blocking = {
	.name = "iceoryx",
	.variant = "blocking",
	.order = 51,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_BULK),
	.probe = iox_missing,
};
BENCH_MECH(mech_iceoryx_blocking);
