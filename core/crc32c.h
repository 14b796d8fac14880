/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief CRC32C (Castagnoli), the checksum of link frames.
 *
 * Chosen over the Ethernet CRC32 for its better error detection on short frames and because
 * ARMv8 (Pi 3 and later) and x86 with SSE4.2 compute it in hardware.
 */
#ifndef RIPC_CORE_CRC32C_H
#define RIPC_CORE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/**
 * CRC32C of @p len bytes at @p data, continuing from @p crc (0 to start a new one): the
 * standard value (check value of "123456789" is 0xe3069283). Thread-safe, no heap.
 */
uint32_t ripci_crc32c(uint32_t crc, const void *data, size_t len);

#endif /* RIPC_CORE_CRC32C_H */
