/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Processor hints for spin loops (POSIX port).
 *
 * A spinning core tells the processor so: on x86 `pause` avoids a memory-order flush when
 * the awaited store arrives, on Arm `yield` lets a sibling hardware thread run. ARMv6 has
 * no such hint; there a compiler barrier alone keeps the loop re-reading memory.
 */
#define _GNU_SOURCE /* syscall(), gettid and Linux-specific declarations */
#include "port/port.h"

#if defined(__x86_64__) || defined(__i386__)
#define RIPC_RELAX_INSN "pause"
#elif defined(__aarch64__) || (defined(__ARM_ARCH) && __ARM_ARCH >= 7)
#define RIPC_RELAX_INSN "yield"
#else
#define RIPC_RELAX_INSN ""
#endif

void ripc_port_cpu_relax(void)
{
	__asm__ __volatile__(RIPC_RELAX_INSN ::: "memory");
}
