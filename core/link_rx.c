/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Receiving side of a link: handshake payloads, delivery into local objects,
 *        sequence accounting. Runs in the io thread only.
 *
 * TCP delivers frame @c rx_next and nothing else: a frame that cannot be delivered yet (its
 * mailbox stayed full for rx_block_ms) is not acknowledged, and neither is anything after
 * it, so the sender sends them again later, in order. UDP delivers whatever arrives once:
 * a 64-number window tells duplicates from late datagrams; numbers skipped are counted
 * lost until they turn up, when they count as reordered instead (if a later datagram had
 * arrived before them).
 */
#include <errno.h>
#include <string.h>

#include "core/link_internal.h"
#include "core/strbuf.h"

/* REFUSE code: the handshakes do not agree (the only one so far). */
#define REFUSE_MISMATCH 1u

void ripci_link_count_error(struct ripci_link *l, int err)
{
	switch (err) {
	case -EILSEQ:
		l->stats.drop_crc++;
		break;
	case -EPROTONOSUPPORT:
		l->stats.drop_version++;
		break;
	case -EMSGSIZE:
		l->stats.drop_oversized++;
		break;
	default:
		l->stats.drop_malformed++;
		break;
	}
}

size_t ripci_link_hello_frame(struct ripci_link *l, uint8_t type)
{
	struct ripci_hello *h = &l->mine;
	size_t n;

	ripci_link_lock(l);
	h->tx_base = l->cfg->transport == RIPC_LINK_TCP ? l->base_seq : l->next_seq;
	ripci_link_unlock(l);
	h->rx_next = l->rx_next;
	h->incarnation = l->incarnation;
	h->seen = l->peer_inc;
	n = ripci_hello_encode(h, l->iobuf + RIPCI_FRAME_HDR);
	return ripci_frame_seal(l->iobuf, type, 0, 0, 0, (uint32_t)n);
}

int ripci_link_hello_check(struct ripci_link *l, const struct ripci_frame *f,
			   struct ripci_hello *peer, char *reason, size_t cap)
{
	struct ripci_strbuf r;
	int rc = ripci_hello_decode(f->payload, f->len, peer);

	ripci_str_init(&r, reason, cap);
	if (rc == -E2BIG) {
		ripci_str_add(&r, "peer carries ");
		ripci_str_u64(&r, ripci_get16(f->payload + 2));
		ripci_str_add(&r, " channels, this node at most ");
		ripci_str_u64(&r, CONFIG_RIPC_LINK_MAX_CHANNELS);
		return -EPROTO;
	}
	if (rc != 0) {
		ripci_str_add(&r, "malformed handshake from peer");
		return rc;
	}
	rc = ripci_hello_match(&l->mine, peer, l->map, reason, cap);
	if (rc == 0)
		l->peer_nch = peer->nch;
	return rc;
}

size_t ripci_link_refuse_frame(struct ripci_link *l, const char *reason)
{
	uint8_t *p = l->iobuf + RIPCI_FRAME_HDR;
	size_t n = strlen(reason);

	if (n > RIPCI_REFUSE_MAX - 2)
		n = RIPCI_REFUSE_MAX - 2;
	ripci_put16(p, REFUSE_MISMATCH);
	memcpy(p + 2, reason, n);
	return ripci_frame_seal(l->iobuf, RIPCI_T_REFUSE, 0, 0, 0, (uint32_t)(n + 2));
}

void ripci_link_refuse_reason(const struct ripci_frame *f, char *out, size_t cap)
{
	struct ripci_strbuf r;
	char text[RIPCI_REFUSE_MAX];
	uint32_t i, n = f->len - 2;

	/* Only printable characters of the peer's text reach our logs. */
	for (i = 0; i < n; i++) {
		uint8_t ch = f->payload[2 + i];

		text[i] = ch >= ' ' && ch <= '~' ? (char)ch : '?';
	}
	text[n] = '\0';
	ripci_str_init(&r, out, cap);
	ripci_str_add(&r, "refused by peer: ");
	ripci_str_add(&r, text);
}

void ripci_link_rx_resume(struct ripci_link *l, const struct ripci_hello *peer)
{
	ripci_link_lock(l);
	if (peer->incarnation != l->peer_inc) {
		/* A new peer (or the peer restarted): its numbering starts here. */
		l->peer_inc = peer->incarnation;
		l->rx_next = peer->tx_base;
		l->ack_sent = peer->tx_base;
		l->udp_highest = peer->tx_base - 1u;
		l->udp_data_hi = peer->tx_base - 1u;
		l->udp_window = ~(uint64_t)0; /* older numbers are not ours to count */
	}
	memcpy(l->status.peer_node, peer->node, sizeof(l->status.peer_node));
	if (l->cfg->transport == RIPC_LINK_TCP) {
		/* The peer knows what it delivered only if it knows this incarnation. */
		if (peer->seen == l->incarnation)
			ripci_link_tx_acked(l, peer->rx_next);
		ripci_link_tx_rewind(l);
	}
	ripci_link_unlock(l);
}

/* ---- Delivery ----------------------------------------------------------------------------- */

/* Put a message into an incoming mailbox under the channel's policy. TCP: 0 or -EAGAIN
 * (not delivered, to be sent again). UDP: 0 delivered, 1 dropped and counted. */
static int deliver_msg(struct ripci_link *l, const struct ripc_link_channel *c,
		       const struct ripci_frame *f)
{
	ripc_timeout_t wait = RIPC_MSEC(l->rxblock_ms);
	int r;

	if (l->cfg->transport == RIPC_LINK_TCP)
		return ripc_mbox_put(c->obj, f->payload, f->len, wait) == 0 ? 0 : -EAGAIN;
	switch (c->full) {
	case RIPC_LINK_FULL_WAIT:
		r = ripc_mbox_put(c->obj, f->payload, f->len, wait);
		break;
	case RIPC_LINK_FULL_DROP_OLD:
		r = ripc_mbox_put(c->obj, f->payload, f->len, RIPC_NO_WAIT);
		if (r != 0) {
			size_t len;

			/* Make room by dropping the oldest; someone else may take it first. */
			if (ripc_mbox_get(c->obj, l->iobuf, sizeof(l->iobuf), &len, RIPC_NO_WAIT) ==
			    0) {
				ripci_link_lock(l);
				l->stats.drop_full++;
				ripci_link_unlock(l);
			}
			r = ripc_mbox_put(c->obj, f->payload, f->len, RIPC_NO_WAIT);
		}
		break;
	default:
		r = ripc_mbox_put(c->obj, f->payload, f->len, RIPC_NO_WAIT);
		break;
	}
	if (r == 0)
		return 0;
	ripci_link_lock(l);
	l->stats.drop_full++;
	ripci_link_unlock(l);
	return 1;
}

/* UDP: account sequence number @p seq; true when the datagram is new (L). */
static bool udp_accept(struct ripci_link *l, uint32_t seq)
{
	int32_t d = (int32_t)(seq - l->udp_highest);
	uint32_t age;

	if (d > 0) {
		l->stats.udp_lost += (uint64_t)(d - 1);
		l->udp_window = d >= 64 ? 0 : l->udp_window << d;
		l->udp_window |= 1u;
		l->udp_highest = seq;
		l->udp_data_hi = seq;
		return true;
	}
	age = (uint32_t)(-(int64_t)d);
	if (age >= RIPCI_UDP_WINDOW) {
		l->stats.drop_unexpected++; /* too old to tell a duplicate from a late one */
		return false;
	}
	if (l->udp_window & ((uint64_t)1 << age)) {
		l->stats.udp_duplicates++;
		return false;
	}
	/* Counted lost when a later number (or a heartbeat) went past it. */
	l->udp_window |= (uint64_t)1 << age;
	if (l->stats.udp_lost > 0)
		l->stats.udp_lost--;
	if (ripci_seq_before(seq, l->udp_data_hi))
		l->stats.udp_reordered++;
	else
		l->udp_data_hi = seq;
	return true;
}

void ripci_link_rx_udp_horizon(struct ripci_link *l, uint32_t next)
{
	uint32_t last = next - 1u;
	int32_t d = (int32_t)(last - l->udp_highest);

	if (d <= 0)
		return;
	if ((uint32_t)d > 0x40000000u) {
		l->stats.drop_unexpected++; /* not a horizon this peer can have */
		return;
	}
	l->stats.udp_lost += (uint64_t)d;
	l->udp_window = d >= 64 ? 0 : l->udp_window << d;
	l->udp_highest = last;
}

void ripci_link_rx_numbered(struct ripci_link *l, const struct ripci_frame *f)
{
	const struct ripc_link_channel *c;
	bool tcp = l->cfg->transport == RIPC_LINK_TCP;
	uint8_t want = f->type == RIPCI_T_DATA ? RIPC_LINK_KIND_MBOX : RIPC_LINK_KIND_EVENT;
	int r = 0;

	if (f->channel >= l->peer_nch) {
		ripci_link_lock(l);
		l->stats.drop_unexpected++;
		ripci_link_unlock(l);
		return;
	}
	c = &l->cfg->channels[l->map[f->channel]];
	if (c->dir != RIPC_LINK_DIR_IN || c->kind != want ||
	    (want == RIPC_LINK_KIND_MBOX &&
	     f->len > ((const struct ripc_mbox *)c->obj)->max_msg_size)) {
		ripci_link_lock(l);
		if (want == RIPC_LINK_KIND_MBOX && c->kind == want)
			l->stats.drop_oversized++;
		else
			l->stats.drop_unexpected++;
		ripci_link_unlock(l);
		return;
	}
	if (tcp) {
		if (f->seq != l->rx_next) {
			ripci_link_lock(l);
			if (ripci_seq_before(f->seq, l->rx_next)) {
				l->stats.tcp_duplicates++;
				l->ctl_pending |= RIPCI_PEND_ACK; /* the sender missed our ack */
			} else {
				l->stats.tcp_held_back++;
			}
			ripci_link_unlock(l);
			return;
		}
	} else {
		bool fresh;

		ripci_link_lock(l);
		fresh = udp_accept(l, f->seq);
		ripci_link_unlock(l);
		if (!fresh)
			return;
	}
	if (want == RIPC_LINK_KIND_EVENT)
		(void)ripc_event_post(c->obj, ripci_get32(f->payload) & c->bits);
	else
		r = deliver_msg(l, c, f);
	ripci_link_lock(l);
	if (r == 0) {
		l->stats.msgs_rx++;
		if (tcp)
			l->rx_next++;
	} else if (tcp) {
		l->stats.tcp_held_back++;
	}
	ripci_link_unlock(l);
}

void ripci_link_rx_echo(struct ripci_link *l, const struct ripci_frame *f)
{
	int64_t now = ripc_port_clock_ns();
	uint64_t ts = ripci_get64(f->payload), rtt;

	ripci_link_lock(l);
	/* A time stamp that is not a plausible one of ours (clocks of two emulated cores can
	 * disagree by more than a round trip) gives no sample; the frame itself was valid. */
	if (ts <= (uint64_t)now && (uint64_t)now - ts <= 60000000000ull) {
		rtt = (uint64_t)now - ts;
		l->stats.rtt_last_ns = rtt;
		l->stats.rtt_avg_ns =
			l->stats.rtt_avg_ns == 0
				? rtt
				: l->stats.rtt_avg_ns - l->stats.rtt_avg_ns / 8 + rtt / 8;
	}
	ripci_link_unlock(l);
}
