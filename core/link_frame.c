/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Link frame header: layout, checks, seal.
 *
 * Header, big-endian (docs/link-protocol.md):
 *   0 magic "rL"   2 version   3 type   4 channel u16   6 flags u16 (0)
 *   8 seq u32     12 ack u32  16 length u32   20 crc32c u32
 * The CRC covers the header with a zero CRC field, then the payload. Lengths are checked
 * per type before the CRC is computed, so a corrupt length never makes the parser read or
 * wait for more than the largest frame the receiver accepts.
 */
#include <errno.h>

#include "core/crc32c.h"
#include "core/link_frame.h"

#define MAGIC0 0x72u /* 'r' */
#define MAGIC1 0x4cu /* 'L' */

/* Payload lengths allowed per type: [min, max], max further capped by the receiver. */
static bool length_ok(uint8_t type, uint32_t len)
{
	switch (type) {
	case RIPCI_T_HELLO:
	case RIPCI_T_HELLO_ACK:
		return len >= 64 && (len - 64) % 32 == 0;
	case RIPCI_T_REFUSE:
		return len >= 2 && len <= RIPCI_REFUSE_MAX;
	case RIPCI_T_DATA:
		return true;
	case RIPCI_T_EVENT:
		return len == 4;
	case RIPCI_T_ACK:
	case RIPCI_T_BYE:
		return len == 0;
	case RIPCI_T_HEARTBEAT:
	case RIPCI_T_ECHO:
		return len == 8;
	default:
		return false;
	}
}

int ripci_frame_parse(const uint8_t *buf, size_t avail, size_t max_payload, struct ripci_frame *f)
{
	uint32_t len, crc;
	uint8_t hdr[RIPCI_FRAME_HDR];
	size_t i;

	/* Judge the bytes that are there: a stream that starts wrong is wrong at once. */
	if (avail >= 1 && buf[0] != MAGIC0)
		return -EBADMSG;
	if (avail >= 2 && buf[1] != MAGIC1)
		return -EBADMSG;
	if (avail >= 3 && buf[2] != RIPCI_FRAME_VERSION)
		return -EPROTONOSUPPORT;
	if (avail < RIPCI_FRAME_HDR)
		return 0;
	if (ripci_get16(buf + 6) != 0)
		return -EBADMSG;
	len = ripci_get32(buf + 16);
	if (!length_ok(buf[3], len))
		return -EBADMSG;
	if (len > max_payload)
		return -EMSGSIZE;
	if (avail - RIPCI_FRAME_HDR < len)
		return 0;
	for (i = 0; i < RIPCI_FRAME_HDR; i++)
		hdr[i] = i < 20 ? buf[i] : 0;
	crc = ripci_crc32c(0, hdr, sizeof(hdr));
	crc = ripci_crc32c(crc, buf + RIPCI_FRAME_HDR, len);
	if (crc != ripci_get32(buf + 20))
		return -EILSEQ;
	f->type = buf[3];
	f->channel = ripci_get16(buf + 4);
	f->seq = ripci_get32(buf + 8);
	f->ack = ripci_get32(buf + 12);
	f->len = len;
	f->payload = buf + RIPCI_FRAME_HDR;
	return (int)(RIPCI_FRAME_HDR + len);
}

size_t ripci_frame_seal(uint8_t *buf, uint8_t type, uint16_t channel, uint32_t seq, uint32_t ack,
			uint32_t len)
{
	uint32_t crc;

	buf[0] = MAGIC0;
	buf[1] = MAGIC1;
	buf[2] = RIPCI_FRAME_VERSION;
	buf[3] = type;
	ripci_put16(buf + 4, channel);
	ripci_put16(buf + 6, 0);
	ripci_put32(buf + 8, seq);
	ripci_put32(buf + 12, ack);
	ripci_put32(buf + 16, len);
	ripci_put32(buf + 20, 0);
	crc = ripci_crc32c(0, buf, RIPCI_FRAME_HDR + (size_t)len);
	ripci_put32(buf + 20, crc);
	return RIPCI_FRAME_HDR + (size_t)len;
}
