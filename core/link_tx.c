/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The sending thread of a link, and the TCP retransmit ring.
 *
 * TCP: each message taken from an outgoing object becomes a sealed frame appended to
 * @c ring; the bytes from @c sent to @c head go out in as few send calls as the ring allows
 * (one per wrap), which batches many small messages into one system call. Frames leave the
 * ring only when the peer acknowledges them, so after a reconnect everything from
 * @c tail is sent again and the peer drops what it already had. A full ring stops the
 * taking: the outgoing mailboxes fill and their producers wait (back-pressure).
 *
 * UDP: a message becomes one datagram at once; nothing is kept.
 */
#include <errno.h>
#include <string.h>

#include <ripc/poll.h>

#include "core/link_internal.h"

/* Frames taken per round before sending: bounds the time between taking and sending. */
#define TAKE_BATCH 64u

/* How long the thread waits for a full socket before it looks around again. */
#define SEND_WAIT_NS (10 * 1000000LL)

_Static_assert((CONFIG_RIPC_LINK_TX_BUFFER & (CONFIG_RIPC_LINK_TX_BUFFER - 1)) == 0,
	       "CONFIG_RIPC_LINK_TX_BUFFER must be a power of two");
_Static_assert((CONFIG_RIPC_LINK_TX_FRAMES & (CONFIG_RIPC_LINK_TX_FRAMES - 1)) == 0,
	       "CONFIG_RIPC_LINK_TX_FRAMES must be a power of two");

#define RING_MASK  ((uint32_t)CONFIG_RIPC_LINK_TX_BUFFER - 1u)
#define FRAME_MASK ((uint32_t)CONFIG_RIPC_LINK_TX_FRAMES - 1u)

void ripci_link_kick(struct ripci_link *l)
{
	(void)ripc_event_post(&l->ctl, RIPCI_CTL_KICK);
}

/* Start of frame @p seq in the ring (L). */
static uint32_t frame_start(const struct ripci_link *l, uint32_t seq)
{
	return seq == l->base_seq ? l->tail : l->frame_end[(seq - 1u) & FRAME_MASK];
}

void ripci_link_tx_acked(struct ripci_link *l, uint32_t ack)
{
	bool progressed = false;

	if (ripci_seq_before(l->next_seq, ack)) {
		l->stats.drop_unexpected++; /* acknowledges frames never sent */
		return;
	}
	while (l->nframes > 0 && ripci_seq_before(l->base_seq, ack)) {
		l->tail = l->frame_end[l->base_seq & FRAME_MASK];
		l->base_seq++;
		l->nframes--;
		progressed = true;
	}
	if (!progressed)
		return;
	l->progress_ns = ripc_port_clock_ns();
	/* An acknowledgement can overtake the tx thread's own accounting of a send it made
	 * without the lock; @c sent stays where the stream really is (a reconnect rewinds it
	 * explicitly), or the stream would restart inside a frame. */
	if (l->wants_space) {
		l->wants_space = false;
		ripci_link_kick(l);
	}
}

void ripci_link_tx_rewind(struct ripci_link *l)
{
	l->sent = l->tail;
	l->send_seq = l->base_seq;
	l->tx_partial = false;
	l->progress_ns = ripc_port_clock_ns();
}

/* Take one message or event post of channel @p i into txbuf as a sealed frame numbered
 * @p seq, carrying acknowledgement @p ack. Returns the frame size, or 0 when the channel
 * has nothing. */
static size_t take(struct ripci_link *l, uint32_t i, uint32_t seq, uint32_t ack)
{
	const struct ripc_link_channel *c = &l->cfg->channels[i];
	uint8_t *payload = l->txbuf + RIPCI_FRAME_HDR;

	if (c->kind == RIPC_LINK_KIND_MBOX) {
		size_t len = 0;

		if (ripc_mbox_get(c->obj, payload, RIPCI_LINK_BODY_MAX, &len, RIPC_NO_WAIT) != 0)
			return 0;
		return ripci_frame_seal(l->txbuf, RIPCI_T_DATA, (uint16_t)i, seq, ack,
					(uint32_t)len);
	} else {
		uint32_t bits = 0;

		if (ripc_event_wait(c->obj, c->bits, RIPC_EVENT_WAIT_ANY | RIPC_EVENT_CLEAR, &bits,
				    RIPC_NO_WAIT) != 0)
			return 0;
		ripci_put32(payload, bits);
		return ripci_frame_seal(l->txbuf, RIPCI_T_EVENT, (uint16_t)i, seq, ack, 4);
	}
}

/* ---- TCP -------------------------------------------------------------------------------- */

static bool ring_has_room(const struct ripci_link *l)
{
	return CONFIG_RIPC_LINK_TX_BUFFER - (l->head - l->tail) >= RIPCI_LINK_FRAME_MAX &&
	       l->nframes < CONFIG_RIPC_LINK_TX_FRAMES;
}

static void ring_append(struct ripci_link *l, const uint8_t *frame, size_t n)
{
	uint32_t off = l->head & RING_MASK;
	uint32_t first = CONFIG_RIPC_LINK_TX_BUFFER - off;

	if (first > n)
		first = (uint32_t)n;
	memcpy(l->ring + off, frame, first);
	memcpy(l->ring, frame + first, n - first);
	l->head += (uint32_t)n;
	l->frame_end[l->next_seq & FRAME_MASK] = l->head;
	if (l->nframes++ == 0)
		l->progress_ns = ripc_port_clock_ns();
	l->next_seq++;
	l->stats.msgs_tx++;
}

/* Take what the outgoing objects hold, round robin, while the ring has room (L). */
static uint32_t tcp_take(struct ripci_link *l, uint32_t *rr)
{
	uint32_t taken = 0, idle = 0, n = l->cfg->nchannels;

	while (taken < TAKE_BATCH && idle < n && ring_has_room(l)) {
		uint32_t i = (*rr)++ % n;
		size_t len;

		if (l->cfg->channels[i].dir != RIPC_LINK_DIR_OUT) {
			idle++;
			continue;
		}
		/* Acknowledgements ride on data: a busy link sends no separate ACK frames. */
		len = take(l, i, l->next_seq, l->rx_next);
		if (len == 0) {
			idle++;
			continue;
		}
		ring_append(l, l->txbuf, len);
		l->ack_sent = l->rx_next;
		taken++;
		idle = 0;
	}
	return taken;
}

/* Send the control frames the io thread asked for; only at a frame boundary (L). */
static int tcp_send_control(struct ripci_link *l)
{
	uint8_t f[RIPCI_FRAME_HDR + 8];
	uint32_t pend = l->ctl_pending;
	size_t n;
	int r;

	while (pend != 0 && !l->tx_partial) {
		if (pend & RIPCI_PEND_ECHO) {
			ripci_put64(f + RIPCI_FRAME_HDR, l->echo_ts);
			n = ripci_frame_seal(f, RIPCI_T_ECHO, 0, 0, l->rx_next, 8);
		} else if (pend & RIPCI_PEND_HB) {
			ripci_put64(f + RIPCI_FRAME_HDR, (uint64_t)ripc_port_clock_ns());
			n = ripci_frame_seal(f, RIPCI_T_HEARTBEAT, 0, l->next_seq, l->rx_next, 8);
		} else {
			n = ripci_frame_seal(f, RIPCI_T_ACK, 0, 0, l->rx_next, 0);
		}
		/* Control frames are small: a socket that takes part of one is treated as one
		 * that takes none, by sending them only when it just accepted data. */
		r = ripc_port_net_send(l->fd, f, n, NULL);
		if (r == -EAGAIN)
			return r;
		if (r < 0)
			return r;
		if ((size_t)r != n) {
			/* The rest must follow before anything else: finish it here. */
			size_t done = (size_t)r;
			int64_t give_up = ripc_port_clock_ns() + ripci_ms(l->dead_ms);

			while (done < n) {
				if (ripc_port_clock_ns() > give_up)
					return -ETIMEDOUT;
				struct ripc_port_net_wait_item it = {.fd = l->fd,
								     .want = RIPC_PORT_NET_OUT};

				(void)ripc_port_net_wait(&it, 1,
							 ripc_port_clock_ns() + SEND_WAIT_NS);
				r = ripc_port_net_send(l->fd, f + done, n - done, NULL);
				if (r < 0 && r != -EAGAIN)
					return r;
				if (r > 0)
					done += (size_t)r;
			}
		}
		if (pend & RIPCI_PEND_ECHO)
			pend &= ~RIPCI_PEND_ECHO;
		else if (pend & RIPCI_PEND_HB) {
			pend &= ~RIPCI_PEND_HB;
			l->stats.heartbeats_tx++;
		} else
			pend &= ~RIPCI_PEND_ACK;
		l->ctl_pending = pend;
		l->ack_sent = l->rx_next;
		l->stats.frames_tx++;
		l->stats.bytes_tx += n;
	}
	return 0;
}

/* Count the frames a send completed (L). */
static void account_sent(struct ripci_link *l)
{
	while (l->send_seq != l->next_seq &&
	       (int32_t)(l->frame_end[l->send_seq & FRAME_MASK] - l->sent) <= 0) {
		l->stats.frames_tx++;
		if (ripci_seq_before(l->send_seq, l->sent_hi))
			l->stats.retransmits++;
		else
			l->sent_hi = l->send_seq + 1u;
		l->send_seq++;
	}
	l->tx_partial = l->send_seq != l->next_seq && l->sent != frame_start(l, l->send_seq);
}

/* Send the next piece of the ring's unsent bytes, without holding the lock: a send on
 * loopback runs the receiver's whole network path inline, and the io thread must meanwhile
 * be free to deliver and acknowledge. Only this thread moves @c sent while a connection
 * lasts (a new connection rewinds it and bumps @c conn_gen), so the result is applied only
 * when neither changed. Called with the lock held; returns with it held.
 * Returns 1 if bytes went out, 0 if none were due, -EAGAIN when the socket is full, or
 * another negative errno when the connection failed. */
static int tcp_send_data(struct ripci_link *l)
{
	uint32_t from = l->sent, gen = l->conn_gen, off = from & RING_MASK;
	uint32_t len = l->head - from;
	int fd = l->fd, r;

	if (len == 0)
		return 0;
	if (len > CONFIG_RIPC_LINK_TX_BUFFER - off)
		len = CONFIG_RIPC_LINK_TX_BUFFER - off;
	l->tx_sending = true;
	ripci_link_unlock(l);
	r = ripc_port_net_send(fd, l->ring + off, len, NULL);
	ripci_link_lock(l);
	l->tx_sending = false;
	if (l->fd_to_close >= 0) {
		ripc_port_net_close(l->fd_to_close);
		l->fd_to_close = -1;
	}
	if (gen != l->conn_gen || from != l->sent)
		return 1; /* a new connection started meanwhile: it sends from its own start */
	if (r < 0)
		return r;
	l->sent += (uint32_t)r;
	l->stats.bytes_tx += (uint64_t)r;
	account_sent(l);
	return 1;
}

/* One round: take, then send what is due. Returns > 0 after progress, 0 when idle,
 * -EAGAIN when the socket is full. */
static int tcp_round(struct ripci_link *l, uint32_t *rr, bool *outs_ok)
{
	int rc = 0, r;
	uint32_t taken;

	ripci_link_lock(l);
	taken = tcp_take(l, rr);
	if (l->state == RIPC_LINK_UP && !l->broken && l->fd >= 0) {
		uint32_t gen = l->conn_gen;

		r = tcp_send_control(l);
		if (r == 0)
			r = tcp_send_data(l);
		/* Control frames wait for a frame boundary; the data may just have reached one. */
		if (r >= 0 && l->ctl_pending != 0 && gen == l->conn_gen) {
			int c = tcp_send_control(l);

			r = c < 0 ? c : r;
		}
		if (gen != l->conn_gen) {
			rc = 1; /* reconnected meanwhile: look again */
		} else if (r == -EAGAIN) {
			rc = -EAGAIN;
		} else if (r < 0) {
			l->broken = true;
			ripc_port_net_notify(l->notifier);
		} else if (r > 0) {
			rc = 1;
		}
	}
	*outs_ok = ring_has_room(l);
	if (!*outs_ok)
		l->wants_space = true;
	ripci_link_unlock(l);
	return rc != 0 ? rc : (taken > 0 ? 1 : 0);
}

/* ---- UDP -------------------------------------------------------------------------------- */

/* Send one datagram, waiting while the socket is full. Returns its size or < 0. */
static int udp_send(struct ripci_link *l, size_t n)
{
	for (;;) {
		int r = ripc_port_net_send(l->fd, l->txbuf, n, &l->peer);
		struct ripc_port_net_wait_item it = {.fd = l->fd, .want = RIPC_PORT_NET_OUT};

		if (r != -EAGAIN || atomic_load(&l->stopping) != 0)
			return r;
		(void)ripc_port_net_wait(&it, 1, ripc_port_clock_ns() + SEND_WAIT_NS);
	}
}

static int udp_round(struct ripci_link *l, uint32_t *rr, bool *outs_ok)
{
	uint32_t n = l->cfg->nchannels, sent = 0, idle = 0, seq;
	bool up;

	ripci_link_lock(l);
	up = l->state == RIPC_LINK_UP;
	ripci_link_unlock(l);
	*outs_ok = up;
	if (!up)
		return 0; /* messages wait in their mailboxes until the link is up */
	while (sent < TAKE_BATCH && idle < n) {
		uint32_t i = (*rr)++ % n;
		size_t len;
		int r;

		if (l->cfg->channels[i].dir != RIPC_LINK_DIR_OUT) {
			idle++;
			continue;
		}
		/* Only this thread numbers frames: the number can be read without the lock. */
		seq = l->next_seq;
		len = take(l, i, seq, 0);
		if (len == 0) {
			idle++;
			continue;
		}
		r = udp_send(l, len);
		ripci_link_lock(l);
		l->next_seq = seq + 1u;
		l->udp_sent = seq + 1u;
		l->stats.msgs_tx++;
		if (r > 0) {
			l->stats.frames_tx++;
			l->stats.bytes_tx += (uint64_t)r;
		}
		/* A datagram the socket refused leaves a gap the peer counts as lost. */
		ripci_link_unlock(l);
		sent++;
		idle = 0;
	}
	return sent > 0 ? 1 : 0;
}

/* ---- The thread --------------------------------------------------------------------------- */

void *ripci_link_tx_main(void *arg)
{
	struct ripci_link *l = arg;
	const struct ripc_link_config *cfg = l->cfg;
	struct ripc_poll_item items[RIPC_POLL_MAX];
	size_t nitems = 1;
	uint32_t i, rr = 0;

	items[0] = (struct ripc_poll_item)RIPC_POLL_EVENT(&l->ctl, RIPCI_CTL_STOP | RIPCI_CTL_KICK,
							  RIPC_EVENT_WAIT_ANY);
	for (i = 0; i < cfg->nchannels; i++) {
		const struct ripc_link_channel *c = &cfg->channels[i];

		if (c->dir != RIPC_LINK_DIR_OUT)
			continue;
		if (c->kind == RIPC_LINK_KIND_MBOX)
			items[nitems++] = (struct ripc_poll_item)RIPC_POLL_MBOX_GET(c->obj);
		else
			items[nitems++] = (struct ripc_poll_item)RIPC_POLL_EVENT(
				c->obj, c->bits, RIPC_EVENT_WAIT_ANY);
	}
	while (atomic_load(&l->stopping) == 0) {
		bool outs_ok = false;
		int r;

		/* Cleared before looking, so a kick that comes later is seen by the poll. */
		(void)ripc_event_clear(&l->ctl, RIPCI_CTL_KICK);
		r = cfg->transport == RIPC_LINK_TCP ? tcp_round(l, &rr, &outs_ok)
						    : udp_round(l, &rr, &outs_ok);
		if (r > 0)
			continue;
		if (r == -EAGAIN) {
			struct ripc_port_net_wait_item it;

			ripci_link_lock(l);
			it.fd = l->fd;
			l->tx_sending = it.fd >= 0; /* the socket stays open while we wait on it */
			ripci_link_unlock(l);
			it.want = RIPC_PORT_NET_OUT;
			(void)ripc_port_net_wait(&it, 1, ripc_port_clock_ns() + SEND_WAIT_NS);
			ripci_link_lock(l);
			l->tx_sending = false;
			if (l->fd_to_close >= 0) {
				ripc_port_net_close(l->fd_to_close);
				l->fd_to_close = -1;
			}
			ripci_link_unlock(l);
			continue;
		}
		(void)ripc_poll(items, outs_ok ? nitems : 1, RIPC_FOREVER);
	}
	return NULL;
}
