/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The io thread of a TCP link: connect or accept, handshake, read frames, timers.
 *
 * A connector (a peer address is configured) reconnects with exponential backoff; a
 * listener accepts allowed sources and lets a new connection from the peer replace the
 * current one, because after a network cut the peer often notices first and reconnects
 * while this side still waits for its dead timer.
 *
 * A frame that fails its checks ends the connection: the byte stream behind it can no
 * longer be trusted to start at a frame. Nothing is lost by that, as the sender keeps every
 * unacknowledged frame and sends it again on the next connection.
 */
#include <errno.h>
#include <string.h>

#include "core/link_internal.h"
#include "core/strbuf.h"

/* Frames parsed per read before the timers are looked at again. */
#define READ_BUDGET 4

/* A separate ACK goes out this long after a delivery that no data frame acknowledged... */
#define ACK_DELAY_NS (1 * 1000000LL)
/* ...or at once when this many frames wait for one. */
#define ACK_EVERY 32u

static bool stopping(struct ripci_link *l)
{
	return atomic_load(&l->stopping) != 0;
}

static void backoff_sleep(struct ripci_link *l, uint32_t ms)
{
	(void)ripci_link_sleep(l, -1, 0, ripc_port_clock_ns() + ripci_ms(ms));
}

static void next_backoff(struct ripci_link *l)
{
	backoff_sleep(l, l->backoff_ms);
	l->backoff_ms = l->backoff_ms > l->bmax_ms / 2 ? l->bmax_ms : l->backoff_ms * 2;
}

/* Send all of @p buf before @p deadline (io thread, connection not yet published). */
static int send_all(struct ripci_link *l, int fd, const uint8_t *buf, size_t n, int64_t deadline)
{
	size_t done = 0;

	while (done < n) {
		int r = ripc_port_net_send(fd, buf + done, n - done, NULL);

		if (r > 0) {
			done += (size_t)r;
			continue;
		}
		if (r != -EAGAIN)
			return r;
		if (ripc_port_clock_ns() >= deadline || stopping(l))
			return -ETIMEDOUT;
		(void)ripci_link_sleep(l, fd, RIPC_PORT_NET_OUT, deadline);
	}
	ripci_link_lock(l);
	l->stats.frames_tx++;
	l->stats.bytes_tx += n;
	ripci_link_unlock(l);
	return 0;
}

/* Read until hsbuf starts with a whole valid frame. Returns its size, or < 0: a parse
 * error (counted), -ECONNRESET at end of stream, -ETIMEDOUT. Handshake reads have their own
 * buffer, so a replacement connection can be tried while the current one keeps its bytes. */
static int read_frame(struct ripci_link *l, int fd, int64_t deadline, struct ripci_frame *f)
{
	for (;;) {
		int r = ripci_frame_parse(l->hsbuf, l->hs_fill, RIPC_LINK_HELLO_MAX_, f);

		if (r != 0) {
			if (r < 0) {
				ripci_link_lock(l);
				ripci_link_count_error(l, r);
				ripci_link_unlock(l);
			}
			return r;
		}
		r = ripc_port_net_recv(fd, l->hsbuf + l->hs_fill, sizeof(l->hsbuf) - l->hs_fill,
				       NULL);
		if (r > 0) {
			l->hs_fill += (uint32_t)r;
			continue;
		}
		if (r == 0)
			return -ECONNRESET;
		if (r != -EAGAIN)
			return r;
		if (ripc_port_clock_ns() >= deadline || stopping(l))
			return -ETIMEDOUT;
		(void)ripci_link_sleep(l, fd, RIPC_PORT_NET_IN, deadline);
	}
}

/* Drop the first @p n bytes of rxbuf. */
static void consume(struct ripci_link *l, uint32_t n)
{
	memmove(l->rxbuf, l->rxbuf + n, l->rx_fill - n);
	l->rx_fill -= n;
}

static void describe_error(char *buf, size_t cap, const char *what, int err)
{
	struct ripci_strbuf s;

	ripci_str_init(&s, buf, cap);
	ripci_str_add(&s, what);
	switch (err) {
	case -EILSEQ:
		ripci_str_add(&s, ": CRC mismatch");
		break;
	case -EBADMSG:
		ripci_str_add(&s, ": malformed frame");
		break;
	case -EPROTONOSUPPORT:
		ripci_str_add(&s, ": frame version not supported (this node speaks 1)");
		break;
	case -EMSGSIZE:
		ripci_str_add(&s, ": frame too large");
		break;
	default:
		ripci_str_add(&s, ": ");
		ripci_str_add(&s, ripci_link_errtext(err));
		ripci_str_add(&s, " (");
		ripci_str_i64(&s, err);
		ripci_str_add(&s, ")");
		break;
	}
}

/* A handshake failed: record why, unless a working connection is still up (@p replacing:
 * a stranger's failed attempt must not take it down). */
static void handshake_failed(struct ripci_link *l, bool replacing, uint32_t state, int err,
			     const char *why)
{
	if (replacing) {
		ripci_link_log(l, "new connection refused, current one kept: ", why, NULL);
		return;
	}
	ripci_link_set_down(l, state, err, why);
}

/* Handshake on a new connection. 0: agreed (fd not yet published, bytes that followed the
 * handshake are left in hsbuf); < 0: fd was closed. */
static int handshake(struct ripci_link *l, int fd, bool connector, bool replacing)
{
	int64_t deadline = ripc_port_clock_ns() + ripci_ms(l->dead_ms);
	struct ripci_hello peer;
	struct ripci_frame f;
	char reason[128];
	int r;

	l->hs_fill = 0;
	if (connector) {
		r = send_all(l, fd, l->iobuf, ripci_link_hello_frame(l, RIPCI_T_HELLO), deadline);
		if (r != 0)
			goto failed;
	}
	r = read_frame(l, fd, deadline, &f);
	if (r < 0)
		goto failed;
	ripci_link_lock(l);
	l->stats.frames_rx++;
	l->stats.bytes_rx += (uint64_t)r;
	ripci_link_unlock(l);
	if (connector && f.type == RIPCI_T_REFUSE) {
		ripci_link_refuse_reason(&f, reason, sizeof(reason));
		ripc_port_net_close(fd);
		handshake_failed(l, replacing, RIPC_LINK_REFUSED, -ECONNREFUSED, reason);
		return -ECONNREFUSED;
	}
	if (f.type != (connector ? RIPCI_T_HELLO_ACK : RIPCI_T_HELLO)) {
		ripci_link_lock(l);
		l->stats.drop_unexpected++;
		ripci_link_unlock(l);
		r = -EBADMSG;
		goto failed;
	}
	r = ripci_link_hello_check(l, &f, &peer, reason, sizeof(reason));
	if (r != 0) {
		/* Tell the peer why before closing. */
		(void)send_all(l, fd, l->iobuf, ripci_link_refuse_frame(l, reason), deadline);
		ripc_port_net_close(fd);
		handshake_failed(l, replacing, RIPC_LINK_REFUSED, -EPROTO, reason);
		return r;
	}
	l->hs_fill -= (uint32_t)(RIPCI_FRAME_HDR + f.len);
	memmove(l->hsbuf, l->hsbuf + RIPCI_FRAME_HDR + f.len, l->hs_fill);
	if (replacing)
		ripci_link_set_down(l, RIPC_LINK_CONNECTING, 0,
				    "replaced by a new connection from the peer");
	ripci_link_rx_resume(l, &peer);
	if (!connector) {
		r = send_all(l, fd, l->iobuf, ripci_link_hello_frame(l, RIPCI_T_HELLO_ACK),
			     deadline);
		if (r != 0)
			goto failed;
	}
	return 0;

failed:
	ripc_port_net_close(fd);
	describe_error(reason, sizeof(reason), "handshake failed", r);
	handshake_failed(l, replacing, RIPC_LINK_CONNECTING, r, reason);
	return r;
}

/* Publish a connection whose handshake succeeded; the bytes after the handshake are the
 * start of its stream. */
static void go_up(struct ripci_link *l, int fd)
{
	memcpy(l->rxbuf, l->hsbuf, l->hs_fill);
	l->rx_fill = l->hs_fill;
	ripci_link_set_up(l, fd);
}

/* Connector: one attempt. Returns a connected socket, or < 0 after the backoff sleep. */
static int connect_once(struct ripci_link *l)
{
	int64_t deadline = ripc_port_clock_ns() + ripci_ms(l->dead_ms);
	char reason[128];
	int fd, r;

	fd = ripc_port_net_open(RIPC_PORT_NET_TCP, l->peer.family);
	if (fd < 0) {
		r = fd;
		goto failed;
	}
	r = l->cfg->local != NULL ? ripc_port_net_bind(fd, &l->local) : 0;
	if (r == 0)
		r = ripc_port_net_connect(fd, &l->peer);
	while (r == -EINPROGRESS) {
		if (ripc_port_clock_ns() >= deadline || stopping(l)) {
			r = -ETIMEDOUT;
			break;
		}
		if (ripci_link_sleep(l, fd, RIPC_PORT_NET_OUT, deadline) > 0)
			r = ripc_port_net_connected(fd);
	}
	if (r == 0)
		return fd;
	ripc_port_net_close(fd);
failed:
	describe_error(reason, sizeof(reason), "connect failed", r);
	ripci_link_set_down(l, RIPC_LINK_CONNECTING, r, reason);
	next_backoff(l);
	return r;
}

/* Listener: accept one pending connection from an allowed source, or < 0. */
static int accept_once(struct ripci_link *l)
{
	struct ripc_port_addr from;
	int fd = ripc_port_net_accept(l->listen_fd, &from);

	if (fd < 0)
		return fd;
	if (!ripci_link_allowed(l, &from)) {
		ripc_port_net_close(fd);
		ripci_link_lock(l);
		l->stats.drop_not_allowed++;
		ripci_link_unlock(l);
		return -EACCES;
	}
	return fd;
}

/* Handle one valid frame while up. false: the connection must end (reason in @p why). */
static bool on_frame(struct ripci_link *l, const struct ripci_frame *f, const char **why)
{
	switch (f->type) {
	case RIPCI_T_DATA:
	case RIPCI_T_EVENT:
		if (f->ack != l->ack_seen) {
			l->ack_seen = f->ack;
			ripci_link_lock(l);
			ripci_link_tx_acked(l, f->ack);
			ripci_link_unlock(l);
		}
		ripci_link_rx_numbered(l, f);
		return true;
	case RIPCI_T_ACK:
		ripci_link_lock(l);
		ripci_link_tx_acked(l, f->ack);
		ripci_link_unlock(l);
		return true;
	case RIPCI_T_HEARTBEAT:
		ripci_link_lock(l);
		l->stats.heartbeats_rx++;
		ripci_link_tx_acked(l, f->ack);
		l->echo_ts = ripci_get64(f->payload);
		l->ctl_pending |= RIPCI_PEND_ECHO;
		ripci_link_unlock(l);
		ripci_link_kick(l);
		return true;
	case RIPCI_T_ECHO:
		ripci_link_rx_echo(l, f);
		ripci_link_lock(l);
		ripci_link_tx_acked(l, f->ack);
		ripci_link_unlock(l);
		return true;
	case RIPCI_T_BYE:
		/* Its last acknowledgement rides on the BYE: nothing is sent twice after. */
		ripci_link_lock(l);
		ripci_link_tx_acked(l, f->ack);
		ripci_link_unlock(l);
		*why = "peer closed the link";
		return false;
	default:
		ripci_link_lock(l);
		l->stats.drop_unexpected++;
		ripci_link_unlock(l);
		*why = "unexpected handshake frame while up";
		return false;
	}
}

/* Acknowledge delivered frames (L). Data going the other way carries acknowledgements, so a
 * separate ACK is sent only when none went out for ACK_DELAY_NS, or at once when many
 * frames wait for one (the sender's buffer is finite). True when the tx thread must wake. */
static bool ack_policy(struct ripci_link *l, int64_t now)
{
	uint32_t owed = l->rx_next - l->ack_sent;

	if (owed == 0) {
		l->ack_due_ns = 0;
		return (l->ctl_pending & RIPCI_PEND_ACK) != 0;
	}
	if (owed >= ACK_EVERY || (l->ctl_pending & RIPCI_PEND_ACK) != 0 ||
	    (l->ack_due_ns != 0 && now >= l->ack_due_ns)) {
		l->ctl_pending |= RIPCI_PEND_ACK;
		l->ack_due_ns = 0;
		return true;
	}
	if (l->ack_due_ns == 0)
		l->ack_due_ns = now + ACK_DELAY_NS;
	return false;
}

/* Read what the connection has; false when it ended (already marked down). */
static bool read_stream(struct ripci_link *l, int fd)
{
	char reason[128];
	const char *why = NULL;
	uint64_t frames = 0, bytes = 0;
	bool kick;
	int rounds, r = 0;

	for (rounds = 0; rounds < READ_BUDGET; rounds++) {
		struct ripci_frame f;
		uint32_t off = 0;

		r = ripc_port_net_recv(fd, l->rxbuf + l->rx_fill, sizeof(l->rxbuf) - l->rx_fill,
				       NULL);
		if (r == -EAGAIN) {
			r = 0;
			break;
		}
		if (r <= 0) {
			why = r == 0 ? "peer closed the connection" : NULL;
			r = r == 0 ? -ECONNRESET : r;
			break;
		}
		l->rx_fill += (uint32_t)r;
		bytes += (uint64_t)r;
		r = 0;
		while ((r = ripci_frame_parse(l->rxbuf + off, l->rx_fill - off, RIPCI_LINK_BODY_MAX,
					      &f)) > 0) {
			off += (uint32_t)r;
			frames++;
			if (!on_frame(l, &f, &why)) {
				r = -ECONNABORTED;
				break;
			}
		}
		if (r < 0)
			break;
		consume(l, off);
	}
	l->last_rx_ns = frames > 0 ? ripc_port_clock_ns() : l->last_rx_ns;
	ripci_link_lock(l);
	l->stats.frames_rx += frames;
	l->stats.bytes_rx += bytes;
	if (r < 0 && r != -ECONNABORTED && r != -ECONNRESET)
		ripci_link_count_error(l, r);
	kick = ack_policy(l, ripc_port_clock_ns());
	ripci_link_unlock(l);
	if (kick)
		ripci_link_kick(l);
	if (r >= 0)
		return true;
	if (why == NULL) {
		describe_error(reason, sizeof(reason), "connection dropped", r);
		why = reason;
	}
	ripci_link_set_down(l, RIPC_LINK_CONNECTING, r == -ECONNABORTED ? -ECONNRESET : r, why);
	return false;
}

/* Timers while up; false when the peer is dead (marked down). */
static bool timers(struct ripci_link *l, int64_t now, int64_t *next)
{
	int64_t dead_at = l->last_rx_ns + ripci_ms(l->dead_ms), rto_at = INT64_MAX;
	char reason[96];
	struct ripci_strbuf s;

	if (now >= dead_at) {
		ripci_str_init(&s, reason, sizeof(reason));
		ripci_str_add(&s, "no frame from peer for ");
		ripci_str_u64(&s, l->dead_ms);
		ripci_str_add(&s, " ms");
		ripci_link_set_down(l, RIPC_LINK_CONNECTING, -ETIMEDOUT, reason);
		return false;
	}
	ripci_link_lock(l);
	if (ack_policy(l, now))
		ripci_link_kick(l);
	if (now >= l->next_hb_ns) {
		l->ctl_pending |= RIPCI_PEND_HB;
		l->next_hb_ns = now + ripci_ms(l->hb_ms);
		ripci_link_kick(l);
	}
	if (l->nframes > 0 && l->sent == l->head) {
		rto_at = l->progress_ns + ripci_ms(l->rto_ms);
		if (now >= rto_at) {
			/* Unacknowledged for too long: the peer discarded them (full mailbox). */
			ripci_link_tx_rewind(l);
			rto_at = now + ripci_ms(l->rto_ms);
			ripci_link_kick(l);
		}
	}
	*next = l->next_hb_ns < dead_at ? l->next_hb_ns : dead_at;
	if (rto_at < *next)
		*next = rto_at;
	if (l->ack_due_ns != 0 && l->ack_due_ns < *next)
		*next = l->ack_due_ns;
	ripci_link_unlock(l);
	return true;
}

/* The connection is up: serve it until it ends or the link stops. */
static void run(struct ripci_link *l)
{
	while (!stopping(l)) {
		struct ripc_port_net_wait_item it[3];
		int64_t now = ripc_port_clock_ns(), next;
		bool broken;
		int fd;

		if (!timers(l, now, &next))
			return;
		ripci_link_lock(l);
		fd = l->fd;
		broken = l->broken;
		ripci_link_unlock(l);
		if (broken) {
			ripci_link_set_down(l, RIPC_LINK_CONNECTING, -EPIPE,
					    "sending to peer failed");
			return;
		}
		it[0] = (struct ripc_port_net_wait_item){.fd = l->notifier,
							 .want = RIPC_PORT_NET_IN};
		it[1] = (struct ripc_port_net_wait_item){.fd = fd, .want = RIPC_PORT_NET_IN};
		it[2] = (struct ripc_port_net_wait_item){.fd = l->listen_fd,
							 .want = RIPC_PORT_NET_IN};
		if (ripc_port_net_wait(it, 3, next) < 0)
			continue;
		if (it[0].got != 0)
			ripc_port_net_drain(l->notifier);
		if (it[1].got != 0 && !read_stream(l, fd))
			return;
		if (it[2].got != 0) {
			int nfd = accept_once(l);

			if (nfd >= 0 && handshake(l, nfd, false, true) == 0)
				go_up(l, nfd);
		}
	}
}

void *ripci_link_tcp_main(void *arg)
{
	struct ripci_link *l = arg;
	bool connector = l->cfg->peer != NULL;

	while (!stopping(l)) {
		int fd;

		if (connector) {
			fd = connect_once(l);
		} else {
			(void)ripci_link_sleep(l, l->listen_fd, RIPC_PORT_NET_IN,
					       RIPC_PORT_FOREVER);
			fd = accept_once(l);
		}
		if (fd < 0)
			continue;
		if (handshake(l, fd, connector, false) != 0) {
			uint32_t state;

			ripci_link_lock(l);
			state = l->state;
			ripci_link_unlock(l);
			if (connector)
				backoff_sleep(l, state == RIPC_LINK_REFUSED ? l->bmax_ms
									    : l->backoff_ms);
			continue;
		}
		go_up(l, fd);
		run(l);
	}
	return NULL;
}
