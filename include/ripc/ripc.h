/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief ripc: RTOS-style IPC for embedded Linux boards. Includes every public header.
 */
#ifndef RIPC_RIPC_H
#define RIPC_RIPC_H

#include <ripc/common.h>
#include <ripc/timeout.h>
#include <ripc/stats.h>
#include <ripc/sem.h>
#include <ripc/mutex.h>
#include <ripc/mbox.h>
#include <ripc/pool.h>
#include <ripc/event.h>
#include <ripc/poll.h>
#include <ripc/domain.h>
#include <ripc/link.h>

#endif /* RIPC_RIPC_H */
