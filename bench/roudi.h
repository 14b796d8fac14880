/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief iceoryx's RouDi daemon, owned by the benchmark (roudi.c).
 */
#ifndef RIPC_BENCH_ROUDI_H
#define RIPC_BENCH_ROUDI_H

/** NULL when RouDi can be started here, else why not. */
const char *bench_roudi_probe(void);

/** Start RouDi once (later calls return at once); 0 or a negative errno. */
int bench_roudi_start(void);

#endif /* RIPC_BENCH_ROUDI_H */
