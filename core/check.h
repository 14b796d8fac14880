/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Argument checks and internal assertions of core/.
 *
 * Argument checks (CONFIG_RIPC_ARG_CHECKS) reject user mistakes with -EINVAL; they are
 * plain predicates used in an explicit `if`, so no control flow hides in a macro.
 * RIPC_ASSERT (CONFIG_RIPC_ASSERT) checks invariants of the library itself, never user
 * input, and stops the process through the port when one is broken.
 */
#ifndef RIPC_CORE_CHECK_H
#define RIPC_CORE_CHECK_H

#include <ripc/common.h>

#include "port/port.h"

/** True when run-time argument checks are configured. */
#define RIPCI_ARG_CHECKS RIPC_IS_ENABLED(CONFIG_RIPC_ARG_CHECKS)

/** Check an internal invariant when CONFIG_RIPC_ASSERT is set; compiled out otherwise. */
#define RIPC_ASSERT(expr)                                         \
	((void)(!RIPC_IS_ENABLED(CONFIG_RIPC_ASSERT) || (expr) || \
		(ripc_port_assert_fail(__FILE__, __LINE__, #expr), 0)))

#endif /* RIPC_CORE_CHECK_H */
