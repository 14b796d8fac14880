/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Robust-list internals shared within the POSIX port (private).
 */
#ifndef RIPC_POSIX_ROBUST_H
#define RIPC_POSIX_ROBUST_H

/** Forget the calling thread's robust-list head (in the child after fork). */
void ripc_posix_robust_forget(void);

#endif /* RIPC_POSIX_ROBUST_H */
