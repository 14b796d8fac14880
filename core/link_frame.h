/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Link frames: the 24-byte header, its checks and the CRC32C seal
 *        (docs/link-protocol.md is the specification).
 *
 * Everything from the network passes ripci_frame_parse before any field is used: it never
 * reads beyond the bytes it is given and never trusts a length it has not bounded.
 */
#ifndef RIPC_CORE_LINK_FRAME_H
#define RIPC_CORE_LINK_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Header bytes in front of every frame's payload. */
#define RIPCI_FRAME_HDR 24u

/** Protocol version in every header; a different one is refused. */
#define RIPCI_FRAME_VERSION 1u

/** Frame types. */
enum ripci_frame_type {
	RIPCI_T_HELLO = 1,     /**< Handshake offer: struct ripci_hello. */
	RIPCI_T_HELLO_ACK = 2, /**< Handshake accepted: the accepter's own ripci_hello. */
	RIPCI_T_REFUSE = 3,    /**< Handshake refused: u16 code, then a reason text. */
	RIPCI_T_DATA = 4,      /**< A mailbox message on @c channel, numbered by @c seq. */
	RIPCI_T_EVENT = 5,     /**< u32 event bits on @c channel, numbered by @c seq. */
	RIPCI_T_ACK = 6,       /**< @c ack: the next sequence number the sender expects. */
	RIPCI_T_HEARTBEAT = 7, /**< u64 sender time; @c ack and @c seq as in ACK (see spec). */
	RIPCI_T_ECHO = 8,      /**< A heartbeat's u64 time sent back: round-trip time. */
	RIPCI_T_BYE = 9,       /**< Orderly close. */
};

/** Largest REFUSE payload: code and reason text. */
#define RIPCI_REFUSE_MAX 130u

/** A parsed frame; @c payload points into the parsed buffer. */
struct ripci_frame {
	uint8_t type;           /**< enum ripci_frame_type. */
	uint16_t channel;       /**< Sender's channel index (DATA, EVENT). */
	uint32_t seq;           /**< Sequence number (DATA, EVENT; HEARTBEAT: next to send). */
	uint32_t ack;           /**< Next sequence number expected from the receiver. */
	uint32_t len;           /**< Payload bytes. */
	const uint8_t *payload; /**< The payload. */
};

/**
 * Check and decode the frame at the start of @p buf (@p avail bytes available).
 * @param max_payload Largest payload this receiver accepts.
 * @return Bytes of the whole frame (> 0); 0 when @p avail does not hold the whole frame yet
 *         (its header, as far as present, is valid); or a negative error:
 *         -EBADMSG bad magic, unknown type, reserved bits set or a length the type forbids;
 *         -EPROTONOSUPPORT another protocol version; -EMSGSIZE payload above @p max_payload;
 *         -EILSEQ CRC32C mismatch.
 */
int ripci_frame_parse(const uint8_t *buf, size_t avail, size_t max_payload, struct ripci_frame *f);

/**
 * Write the header of a frame whose @p len payload bytes already sit at
 * @p buf + RIPCI_FRAME_HDR, and seal header and payload with the CRC32C.
 * @return Bytes of the whole frame.
 */
size_t ripci_frame_seal(uint8_t *buf, uint8_t type, uint16_t channel, uint32_t seq, uint32_t ack,
			uint32_t len);

/** Big-endian field access for frame and handshake payloads. */
static inline void ripci_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void ripci_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void ripci_put64(uint8_t *p, uint64_t v)
{
	ripci_put32(p, (uint32_t)(v >> 32));
	ripci_put32(p + 4, (uint32_t)v);
}

static inline uint16_t ripci_get16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t ripci_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t ripci_get64(const uint8_t *p)
{
	return (uint64_t)ripci_get32(p) << 32 | ripci_get32(p + 4);
}

/** Sequence numbers wrap: true when @p a comes before @p b (RFC 1982 style). */
static inline bool ripci_seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

#endif /* RIPC_CORE_LINK_FRAME_H */
