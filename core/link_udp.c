/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The io thread of a UDP link: handshake by datagrams, receive, heartbeats.
 *
 * There is no connection: while not up, both ends offer a HELLO at backoff intervals. An end
 * goes up only when it knows both directions work: on a HELLO_ACK (its HELLO arrived, the
 * answer came back), or, after answering the peer's HELLO, on the peer's first heartbeat or
 * message. A HELLO never counts as a sign of life for an end that is up, so a peer stuck
 * offering HELLOs (our answers are lost) does not keep this end up: both go down and stay
 * down until the path works both ways again. Each datagram is judged on its own (source,
 * size, header, CRC, state), so a bad one costs only itself. Heartbeats carry the sender's
 * next sequence number, which reveals losses at the end of a burst that no later datagram
 * would show.
 */
#include <errno.h>
#include <string.h>

#include "core/link_internal.h"
#include "core/strbuf.h"

/* Datagrams handled per wake-up before the timers are looked at again. */
#define RECV_BUDGET 64

static bool stopping(struct ripci_link *l)
{
	return atomic_load(&l->stopping) != 0;
}

static uint32_t state_of(struct ripci_link *l)
{
	uint32_t s;

	ripci_link_lock(l);
	s = l->state;
	ripci_link_unlock(l);
	return s;
}

static void send_frame(struct ripci_link *l, const uint8_t *buf, size_t n)
{
	int r = ripc_port_net_send(l->fd, buf, n, &l->peer);

	ripci_link_lock(l);
	if (r > 0) {
		l->stats.frames_tx++;
		l->stats.bytes_tx += (uint64_t)r;
	}
	ripci_link_unlock(l);
}

static void send_small(struct ripci_link *l, uint8_t type, uint32_t seq, uint64_t ts)
{
	uint8_t f[RIPCI_FRAME_HDR + 8];
	uint32_t len = type == RIPCI_T_HEARTBEAT || type == RIPCI_T_ECHO ? 8u : 0u;

	ripci_put64(f + RIPCI_FRAME_HDR, ts);
	send_frame(l, f, ripci_frame_seal(f, type, 0, seq, 0, len));
}

/* A HELLO or HELLO_ACK from the peer. */
static void on_hello(struct ripci_link *l, const struct ripci_frame *f)
{
	struct ripci_hello peer;
	char reason[128];

	if (ripci_link_hello_check(l, f, &peer, reason, sizeof(reason)) != 0) {
		send_frame(l, l->iobuf, ripci_link_refuse_frame(l, reason));
		ripci_link_set_down(l, RIPC_LINK_REFUSED, -EPROTO, reason);
		l->udp_hello_ok = false;
		return;
	}
	ripci_link_rx_resume(l, &peer);
	if (f->type == RIPCI_T_HELLO) {
		send_frame(l, l->iobuf, ripci_link_hello_frame(l, RIPCI_T_HELLO_ACK));
		l->udp_hello_ok = true;
	} else if (state_of(l) != RIPC_LINK_UP) {
		ripci_link_set_up(l, -1);
	}
}

/* One valid datagram from an allowed source. */
static void on_frame(struct ripci_link *l, const struct ripci_frame *f, int64_t *next_hello)
{
	char reason[128];
	bool up = state_of(l) == RIPC_LINK_UP;

	switch (f->type) {
	case RIPCI_T_HELLO:
	case RIPCI_T_HELLO_ACK:
		on_hello(l, f);
		return;
	case RIPCI_T_REFUSE:
		ripci_link_refuse_reason(f, reason, sizeof(reason));
		ripci_link_set_down(l, RIPC_LINK_REFUSED, -ECONNREFUSED, reason);
		l->udp_hello_ok = false;
		*next_hello = ripc_port_clock_ns() + ripci_ms(l->bmax_ms);
		return;
	default:
		break;
	}
	if (!up && l->udp_hello_ok && f->type != RIPCI_T_BYE) {
		/* The peer got our HELLO_ACK and is up: both directions work. */
		ripci_link_set_up(l, -1);
		up = true;
	}
	if (!up) {
		/* The peer believes we are up (we restarted, or missed its HELLO_ACK): offer a
		 * handshake now instead of at the next backoff. */
		ripci_link_lock(l);
		l->stats.drop_unexpected++;
		ripci_link_unlock(l);
		*next_hello = ripc_port_clock_ns();
		return;
	}
	l->last_rx_ns = ripc_port_clock_ns();
	switch (f->type) {
	case RIPCI_T_DATA:
	case RIPCI_T_EVENT:
		ripci_link_rx_numbered(l, f);
		break;
	case RIPCI_T_HEARTBEAT:
		ripci_link_lock(l);
		l->stats.heartbeats_rx++;
		ripci_link_rx_udp_horizon(l, f->seq);
		ripci_link_unlock(l);
		send_small(l, RIPCI_T_ECHO, 0, ripci_get64(f->payload));
		break;
	case RIPCI_T_ECHO:
		ripci_link_rx_echo(l, f);
		break;
	case RIPCI_T_BYE:
		ripci_link_set_down(l, RIPC_LINK_CONNECTING, 0, "peer closed the link");
		l->udp_hello_ok = false;
		*next_hello = ripc_port_clock_ns() + ripci_ms(l->bmin_ms);
		break;
	default: /* ACK: not used over UDP */
		ripci_link_lock(l);
		l->stats.drop_unexpected++;
		ripci_link_unlock(l);
		break;
	}
}

/* Receive and handle what the socket holds. */
static void receive(struct ripci_link *l, int64_t *next_hello)
{
	int i;

	for (i = 0; i < RECV_BUDGET; i++) {
		struct ripc_port_addr from;
		struct ripci_frame f;
		int n = ripc_port_net_recv(l->fd, l->rxbuf, sizeof(l->rxbuf), &from);
		int r;

		if (n == -EAGAIN)
			return;
		ripci_link_lock(l);
		if (n >= 0 && !ripci_link_allowed(l, &from)) {
			l->stats.drop_not_allowed++;
			n = -EACCES;
		} else if (n == -EMSGSIZE) {
			l->stats.drop_oversized++;
		}
		ripci_link_unlock(l);
		if (n < 0)
			continue; /* ICMP errors and refused sources alike: next datagram */
		r = ripci_frame_parse(l->rxbuf, (size_t)n, RIPCI_LINK_BODY_MAX, &f);
		ripci_link_lock(l);
		if (r < 0)
			ripci_link_count_error(l, r);
		else if (r == 0)
			l->stats.drop_truncated++;
		else if (r != n)
			l->stats.drop_malformed++; /* bytes after the frame */
		else {
			l->stats.frames_rx++;
			l->stats.bytes_rx += (uint64_t)n;
		}
		ripci_link_unlock(l);
		if (r <= 0 || r != n)
			continue;
		on_frame(l, &f, next_hello);
	}
}

void *ripci_link_udp_main(void *arg)
{
	struct ripci_link *l = arg;
	int64_t next_hello = ripc_port_clock_ns();

	while (!stopping(l)) {
		int64_t now = ripc_port_clock_ns(), next;
		uint32_t state = state_of(l);

		if (state == RIPC_LINK_UP) {
			int64_t dead_at = l->last_rx_ns + ripci_ms(l->dead_ms);

			if (now >= dead_at) {
				char reason[96];
				struct ripci_strbuf s;

				ripci_str_init(&s, reason, sizeof(reason));
				ripci_str_add(&s, "no datagram from peer for ");
				ripci_str_u64(&s, l->dead_ms);
				ripci_str_add(&s, " ms");
				ripci_link_set_down(l, RIPC_LINK_CONNECTING, -ETIMEDOUT, reason);
				l->udp_hello_ok = false;
				next_hello = now;
				continue;
			}
			if (now >= l->next_hb_ns) {
				uint32_t horizon;

				ripci_link_lock(l);
				horizon = l->udp_sent;
				l->stats.heartbeats_tx++;
				ripci_link_unlock(l);
				send_small(l, RIPCI_T_HEARTBEAT, horizon, (uint64_t)now);
				l->next_hb_ns = now + ripci_ms(l->hb_ms);
			}
			next = l->next_hb_ns < dead_at ? l->next_hb_ns : dead_at;
		} else {
			if (now >= next_hello) {
				send_frame(l, l->iobuf, ripci_link_hello_frame(l, RIPCI_T_HELLO));
				next_hello =
					now + ripci_ms(state == RIPC_LINK_REFUSED ? l->bmax_ms
										  : l->backoff_ms);
				l->backoff_ms = l->backoff_ms > l->bmax_ms / 2 ? l->bmax_ms
									       : l->backoff_ms * 2;
			}
			next = next_hello;
		}
		if (ripci_link_sleep(l, l->fd, RIPC_PORT_NET_IN, next) > 0)
			receive(l, &next_hello);
	}
	return NULL;
}
