/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Link handshake: what each end says about itself, and whether the two agree.
 *
 * HELLO payload, big-endian (docs/link-protocol.md):
 *   0 proto u16   2 nch u16   4 rx_next u32   8 tx_base u32   12 reserved u32 (0)
 *  16 incarnation u64   24 seen u64 (the peer incarnation this end last knew, or 0)
 *  32 node[32] (NUL-padded)   64 nch x { name[24] (NUL-padded), kind u8, dir u8,
 *  reserved u16 (0), size u32 (mailbox: max message bytes; event: the carried bits) }
 */
#ifndef RIPC_CORE_LINK_HELLO_H
#define RIPC_CORE_LINK_HELLO_H

#include <stddef.h>
#include <stdint.h>

#include <ripc/link.h>

/** Link protocol spoken here (HELLO @c proto). */
#define RIPCI_LINK_PROTO 1u

/** Most channels a HELLO may describe on the wire, whatever this build carries. */
#define RIPCI_HELLO_WIRE_MAX_CH 64u

/** One channel as described in a HELLO. */
struct ripci_hello_ch {
	char name[RIPC_LINK_NAME_MAX]; /**< NUL-terminated. */
	uint8_t kind;                  /**< enum ripc_link_kind. */
	uint8_t dir;                   /**< enum ripc_link_dir, seen from the sender. */
	uint32_t size;                 /**< Max message size, or event bits. */
};

/** A decoded HELLO. */
struct ripci_hello {
	uint16_t proto;                /**< Link protocol of the sender. */
	uint16_t nch;                  /**< Channels described. */
	uint32_t rx_next;              /**< Next sequence number the sender expects from us. */
	uint32_t tx_base;              /**< Sequence number of the sender's oldest unacked frame. */
	uint64_t incarnation;          /**< Random per start of the sender's link. */
	uint64_t seen;                 /**< Our incarnation as the sender last knew it. */
	char node[RIPC_LINK_NAME_MAX]; /**< Sender's node name. */
	struct ripci_hello_ch ch[CONFIG_RIPC_LINK_MAX_CHANNELS]; /**< Its channels. */
};

/** Bytes of the HELLO payload for @p nch channels. */
#define RIPCI_HELLO_SIZE(nch) (64u + 32u * (uint32_t)(nch))

/** Write @p h as a HELLO payload into @p buf (RIPCI_HELLO_SIZE(h->nch) bytes). */
size_t ripci_hello_encode(const struct ripci_hello *h, uint8_t *buf);

/**
 * Decode and check a HELLO payload of @p len bytes.
 * @retval 0 Decoded.
 * @retval -EBADMSG Malformed: a length that does not fit the channel count, names without
 *         a NUL or with non-printable characters or garbage after the NUL, an unknown kind or
 *         direction, reserved fields not zero.
 * @retval -E2BIG More channels than this build carries (the reason is then "peer carries N").
 */
int ripci_hello_decode(const uint8_t *buf, size_t len, struct ripci_hello *h);

/**
 * Describe the local side of @p cfg into @p h (channels, node name), except the sequence
 * and incarnation fields, which the caller sets.
 */
void ripci_hello_describe(const struct ripc_link_config *cfg, struct ripci_hello *h);

/**
 * Does the peer's @p peer agree with our @p mine? Channels match by name, kind, size and
 * opposite direction, one to one.
 * @param[out] map For each peer channel index, our matching channel index.
 * @retval 0 They agree. @retval -EPROTO They do not; @p reason says why.
 */
int ripci_hello_match(const struct ripci_hello *mine, const struct ripci_hello *peer, uint8_t *map,
		      char *reason, size_t reason_cap);

/** True when @p s is a valid node or channel name (1..RIPC_LINK_NAME_MAX-1 printable). */
bool ripci_link_name_ok(const char *s);

#endif /* RIPC_CORE_LINK_HELLO_H */
