/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Bounded text building for diagnostics.
 */
#include "core/strbuf.h"

void ripci_str_init(struct ripci_strbuf *s, char *buf, size_t cap)
{
	s->buf = buf;
	s->cap = cap;
	s->len = 0;
	buf[0] = '\0';
}

void ripci_str_add(struct ripci_strbuf *s, const char *text)
{
	if (text == NULL)
		text = "(null)";
	while (*text != '\0' && s->len + 1 < s->cap)
		s->buf[s->len++] = *text++;
	s->buf[s->len] = '\0';
}

void ripci_str_u64(struct ripci_strbuf *s, uint64_t v)
{
	char digits[21];
	size_t n = sizeof(digits) - 1;

	digits[n] = '\0';
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	ripci_str_add(s, digits + n);
}

void ripci_str_i64(struct ripci_strbuf *s, int64_t v)
{
	if (v < 0) {
		ripci_str_add(s, "-");
		ripci_str_u64(s, (uint64_t)0 - (uint64_t)v);
	} else {
		ripci_str_u64(s, (uint64_t)v);
	}
}
