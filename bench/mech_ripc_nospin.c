/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The "nospin" variants of ripc-sem and ripc-mbox: mech_ripc.c again, built against
 *        the copy of the library configured with CONFIG_RIPC_SPIN_ITERATIONS=0 (its symbols
 *        renamed with a nospin_ prefix), so one run compares the sleeping wake-up path with
 *        a raw futex round trip.
 */
#define BENCH_NOSPIN 1
#include "mech_ripc.c"
