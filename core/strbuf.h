/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Bounded text building for diagnostics (core/ has no stdio).
 *
 * Appends never overflow: text beyond the capacity is cut, and the buffer always stays
 * NUL-terminated, so a reason string is safe to show whatever went into it.
 */
#ifndef RIPC_CORE_STRBUF_H
#define RIPC_CORE_STRBUF_H

#include <stddef.h>
#include <stdint.h>

/** A text being built in a caller's buffer. */
struct ripci_strbuf {
	char *buf;  /**< The buffer. */
	size_t cap; /**< Its size, NUL included; > 0. */
	size_t len; /**< Characters so far. */
};

/** Start building into @p buf of @p cap bytes (> 0): the text is empty. */
void ripci_str_init(struct ripci_strbuf *s, char *buf, size_t cap);

/** Append @p text (NULL appends "(null)"). */
void ripci_str_add(struct ripci_strbuf *s, const char *text);

/** Append @p v in decimal. */
void ripci_str_u64(struct ripci_strbuf *s, uint64_t v);

/** Append @p v in decimal with a sign. */
void ripci_str_i64(struct ripci_strbuf *s, int64_t v);

#endif /* RIPC_CORE_STRBUF_H */
