/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Links: configuration checks, start and stop, state, counters and the log.
 *
 * Everything the configuration can get wrong is refused by ripc_link_start, before a socket
 * or thread exists, so a running link only meets the network's failures.
 */
#include <errno.h>
#include <string.h>

#include <ripc/link.h>

#include "core/link_internal.h"
#include "core/strbuf.h"
#include "core/wait.h"

/* Defaults of zero configuration fields, documented in link.h. */
#define DEF_HEARTBEAT_MS 100u
#define DEF_DEAD_MS      1000u
#define DEF_BACKOFF_MIN  50u
#define DEF_BACKOFF_MAX  2000u
#define DEF_RTO_MS       200u
#define DEF_RXBLOCK_MS   20u
#define DEF_UDP_MAX      1400u
/* A UDP payload must fit one IPv4 datagram with our header. */
#define UDP_PAYLOAD_LIMIT (65507u - RIPCI_FRAME_HDR)

void ripci_link_lock(struct ripci_link *l)
{
	/* Only the link's own threads and short API calls hold it: waiting always succeeds. */
	while (ripc_sem_take(&l->lock, RIPC_FOREVER) != 0)
		;
}

void ripci_link_unlock(struct ripci_link *l)
{
	(void)ripc_sem_give(&l->lock);
}

void ripci_link_log(struct ripci_link *l, const char *a, const char *b, const char *c)
{
	char line[224];
	struct ripci_strbuf s;

	ripci_str_init(&s, line, sizeof(line));
	ripci_str_add(&s, "ripc link ");
	ripci_str_add(&s, l->cfg->node);
	ripci_str_add(&s, ": ");
	ripci_str_add(&s, a);
	if (b != NULL)
		ripci_str_add(&s, b);
	if (c != NULL)
		ripci_str_add(&s, c);
	if (l->cfg->log != NULL)
		l->cfg->log(l->cfg->log_arg, line);
	else
		ripc_port_log(line);
}

static void show_state(struct ripci_link *l, bool up)
{
	const struct ripc_link_config *cfg = l->cfg;

	if (cfg->status == NULL)
		return;
	if (up) {
		(void)ripc_event_clear(cfg->status, cfg->down_bit);
		(void)ripc_event_post(cfg->status, cfg->up_bit);
	} else {
		(void)ripc_event_clear(cfg->status, cfg->up_bit);
		(void)ripc_event_post(cfg->status, cfg->down_bit);
	}
}

void ripci_link_set_up(struct ripci_link *l, int fd)
{
	char peer_node[RIPC_LINK_NAME_MAX];

	ripci_link_lock(l);
	if (fd >= 0)
		l->fd = fd;
	l->state = RIPC_LINK_UP;
	l->conn_gen++;
	l->broken = false;
	l->tx_partial = false;
	l->ctl_pending = RIPCI_PEND_ACK;
	l->status.last_error = 0;
	l->status.reason[0] = '\0';
	if (l->ever_up)
		l->stats.reconnects++;
	memcpy(peer_node, l->status.peer_node, sizeof(peer_node));
	ripci_link_unlock(l);
	l->ever_up = true;
	l->backoff_ms = l->bmin_ms;
	l->last_rx_ns = ripc_port_clock_ns();
	l->next_hb_ns = l->last_rx_ns;
	show_state(l, true);
	ripci_link_log(l, "up, peer '", peer_node, "'");
	ripci_link_kick(l);
}

const char *ripci_link_errtext(int err)
{
	switch (err) {
	case -ECONNREFUSED:
		return "connection refused";
	case -ECONNRESET:
		return "connection reset";
	case -ETIMEDOUT:
		return "timed out";
	case -EHOSTUNREACH:
		return "host unreachable";
	case -ENETUNREACH:
		return "network unreachable";
	case -EPIPE:
		return "broken pipe";
	case -EADDRNOTAVAIL:
		return "address not available";
	default:
		return "error";
	}
}

void ripci_link_set_down(struct ripci_link *l, uint32_t state, int err, const char *why)
{
	bool was_up, repeated;
	int fd = -1;

	ripci_link_lock(l);
	was_up = l->state == RIPC_LINK_UP;
	/* A peer that keeps offering the same refused handshake is logged once. */
	repeated = l->state == RIPC_LINK_REFUSED && state == RIPC_LINK_REFUSED &&
		   strncmp(l->status.reason, why, sizeof(l->status.reason) - 1) == 0;
	l->state = state;
	if (l->cfg->transport == RIPC_LINK_TCP) {
		fd = l->fd;
		l->fd = -1;
		if (l->tx_sending) {
			l->fd_to_close = fd; /* in use right now: the tx thread closes it */
			fd = -1;
		}
	}
	l->conn_gen++;
	l->status.last_error = err;
	strncpy(l->status.reason, why, sizeof(l->status.reason) - 1);
	l->status.reason[sizeof(l->status.reason) - 1] = '\0';
	if (state == RIPC_LINK_REFUSED)
		l->stats.refused++;
	ripci_link_unlock(l);
	/* Closed outside the lock; the tx thread notices the new generation. */
	ripc_port_net_close(fd);
	l->rx_fill = 0;
	if (was_up || (state == RIPC_LINK_REFUSED && !repeated)) {
		show_state(l, false);
		ripci_link_log(l, state == RIPC_LINK_REFUSED ? "refused: " : "down: ", why, NULL);
	}
	ripci_link_kick(l);
}

/* Compare the first @p bits bits of two addresses. */
static bool prefix_match(const uint8_t *a, const uint8_t *b, uint32_t bits)
{
	uint32_t bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[bytes] ^ b[bytes]) & (uint8_t)(0xffu << (8 - rest))) == 0;
}

bool ripci_link_allowed(const struct ripci_link *l, const struct ripc_port_addr *from)
{
	uint32_t i;

	for (i = 0; i < l->nallow; i++) {
		const struct ripc_port_addr *a = &l->allow[i];

		if (a->family == from->family && prefix_match(a->ip, from->ip, a->prefix))
			return true;
	}
	return false;
}

int ripci_link_sleep(struct ripci_link *l, int fd, uint32_t want, int64_t deadline_ns)
{
	struct ripc_port_net_wait_item it[2] = {
		{.fd = l->notifier, .want = RIPC_PORT_NET_IN},
		{.fd = fd, .want = want},
	};
	int r = ripc_port_net_wait(it, fd >= 0 ? 2 : 1, deadline_ns);

	if (it[0].got != 0)
		ripc_port_net_drain(l->notifier);
	return r < 0 ? r : (int)(fd >= 0 ? it[1].got : 0);
}

/* ---- Configuration check ---------------------------------------------------------------- */

static int check_channels(const struct ripc_link_config *cfg, uint32_t limit)
{
	uint32_t i, j;

	if (cfg->channels == NULL || cfg->nchannels == 0 ||
	    cfg->nchannels > CONFIG_RIPC_LINK_MAX_CHANNELS)
		return -EINVAL;
	for (i = 0; i < cfg->nchannels; i++) {
		const struct ripc_link_channel *c = &cfg->channels[i];

		if (!ripci_link_name_ok(c->name) || c->obj == NULL || c->reserved != 0 ||
		    (c->dir != RIPC_LINK_DIR_OUT && c->dir != RIPC_LINK_DIR_IN))
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (cfg->channels[j].dir == c->dir &&
			    strcmp(cfg->channels[j].name, c->name) == 0)
				return -EINVAL;
		if (c->kind == RIPC_LINK_KIND_MBOX) {
			const struct ripc_mbox *mb = c->obj;

			if (mb->max_msg_size == 0)
				return -EINVAL; /* not initialised */
			if (c->dir == RIPC_LINK_DIR_IN && c->full > RIPC_LINK_FULL_WAIT)
				return -EINVAL;
			if (cfg->transport == RIPC_LINK_TCP && c->full != RIPC_LINK_FULL_DEFAULT)
				return -EINVAL; /* TCP never drops */
			if (mb->max_msg_size > limit)
				return -EMSGSIZE;
		} else if (c->kind == RIPC_LINK_KIND_EVENT) {
			if (c->bits == 0 || c->full != 0)
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

static uint32_t or_default(uint32_t v, uint32_t def)
{
	return v != 0 ? v : def;
}

static int configure(struct ripci_link *l, const struct ripc_link_config *cfg)
{
	uint32_t limit;
	int rc;

	if (!ripci_link_name_ok(cfg->node) ||
	    (cfg->transport != RIPC_LINK_TCP && cfg->transport != RIPC_LINK_UDP))
		return -EINVAL;
	l->hb_ms = or_default(cfg->heartbeat_ms, DEF_HEARTBEAT_MS);
	l->dead_ms = or_default(cfg->dead_ms, DEF_DEAD_MS);
	l->bmin_ms = or_default(cfg->backoff_min_ms, DEF_BACKOFF_MIN);
	l->bmax_ms = or_default(cfg->backoff_max_ms, DEF_BACKOFF_MAX);
	l->rto_ms = or_default(cfg->rto_ms, DEF_RTO_MS);
	l->rxblock_ms = or_default(cfg->rx_block_ms, DEF_RXBLOCK_MS);
	l->udp_max = or_default(cfg->udp_max_msg, DEF_UDP_MAX);
	if (l->dead_ms < 3 * l->hb_ms || l->bmin_ms > l->bmax_ms || l->hb_ms > 3600000u ||
	    l->dead_ms > 3600000u || l->bmax_ms > 3600000u || l->rto_ms > 3600000u ||
	    l->rxblock_ms > 60000u)
		return -EINVAL;
	if (cfg->transport == RIPC_LINK_UDP &&
	    (l->udp_max > CONFIG_RIPC_LINK_MAX_MSG || l->udp_max > UDP_PAYLOAD_LIMIT))
		return -EINVAL;
	limit = cfg->transport == RIPC_LINK_UDP ? l->udp_max : CONFIG_RIPC_LINK_MAX_MSG;
	rc = check_channels(cfg, limit);
	if (rc != 0)
		return rc;
	if (cfg->transport == RIPC_LINK_TCP &&
	    RIPCI_LINK_FRAME_MAX > CONFIG_RIPC_LINK_TX_BUFFER / 2)
		return -EMSGSIZE; /* the ring must hold at least two largest frames */
	if (cfg->status != NULL && (cfg->up_bit == 0 || (cfg->up_bit & cfg->down_bit) != 0))
		return -EINVAL;
	/* Addresses. */
	memset(&l->local, 0, sizeof(l->local));
	memset(&l->peer, 0, sizeof(l->peer));
	if (cfg->local != NULL && ripc_port_net_parse(cfg->local, &l->local) != 0)
		return -EINVAL;
	if (cfg->peer != NULL &&
	    (ripc_port_net_parse(cfg->peer, &l->peer) != 0 || l->peer.port == 0 ||
	     l->peer.prefix != (l->peer.family == 4 ? 32 : 128)))
		return -EINVAL;
	/* UDP needs both ends' fixed ports; TCP listens (no peer) or connects. */
	if (cfg->transport == RIPC_LINK_UDP && (cfg->peer == NULL || cfg->local == NULL))
		return -EINVAL;
	if (cfg->peer == NULL && cfg->local == NULL)
		return -EINVAL;
	if (cfg->local != NULL && cfg->peer != NULL && l->local.family != l->peer.family)
		return -EINVAL;
	l->nallow = 0;
	if (cfg->allow != NULL) {
		while (cfg->allow[l->nallow] != NULL) {
			if (l->nallow == RIPC_LINK_ALLOW_MAX ||
			    ripc_port_net_parse(cfg->allow[l->nallow], &l->allow[l->nallow]) != 0)
				return -EINVAL;
			l->nallow++;
		}
	} else if (cfg->peer != NULL) {
		l->allow[0] = l->peer;
		l->nallow = 1;
	}
	if (l->nallow == 0)
		return -EINVAL; /* a listener that would accept nobody */
	return 0;
}

/* ---- Start and stop --------------------------------------------------------------------- */

/* Open the sockets that live as long as the link: the TCP listener or the UDP socket. */
static int open_sockets(struct ripci_link *l)
{
	const struct ripc_link_config *cfg = l->cfg;
	int family = cfg->local != NULL ? l->local.family : l->peer.family;
	int fd, rc;

	l->listen_fd = -1;
	l->fd = -1;
	if (cfg->transport == RIPC_LINK_TCP && cfg->peer != NULL)
		return 0; /* a connector opens a socket per attempt */
	fd = ripc_port_net_open(
		cfg->transport == RIPC_LINK_TCP ? RIPC_PORT_NET_TCP : RIPC_PORT_NET_UDP, family);
	if (fd < 0)
		return fd;
	if (cfg->local != NULL) {
		rc = ripc_port_net_bind(fd, &l->local);
		if (rc == 0 && cfg->transport == RIPC_LINK_TCP)
			rc = ripc_port_net_listen(fd);
		if (rc != 0) {
			ripc_port_net_close(fd);
			return rc;
		}
	}
	if (cfg->transport == RIPC_LINK_TCP)
		l->listen_fd = fd;
	else
		l->fd = fd;
	return 0;
}

int ripc_link_start(struct ripc_link *link, const struct ripc_link_config *cfg)
{
	struct ripci_link *l;
	int rc;

	if (link == NULL || cfg == NULL)
		return -EINVAL;
	l = ripci_link_of(link);
	if (l->magic == RIPCI_LINK_RUNNING)
		return -EALREADY;
	memset(l, 0, sizeof(*l));
	l->cfg = cfg;
	rc = configure(l, cfg);
	if (rc != 0)
		return rc;
	ripci_hello_describe(cfg, &l->mine);
	(void)ripc_sem_init(&l->lock, 1, 1);
	(void)ripc_event_init(&l->ctl);
	atomic_init(&l->stopping, 0);
	l->incarnation = ripc_port_random64() | 1u; /* never 0, which means "none" */
	l->next_seq = (uint32_t)ripc_port_random64();
	l->base_seq = l->next_seq;
	l->send_seq = l->next_seq;
	l->sent_hi = l->next_seq;
	l->udp_sent = l->next_seq;
	l->state = RIPC_LINK_CONNECTING;
	l->fd_to_close = -1;
	l->backoff_ms = l->bmin_ms;
	l->notifier = ripc_port_net_notifier();
	if (l->notifier < 0)
		return l->notifier;
	rc = open_sockets(l);
	if (rc != 0)
		goto fail_notifier;
	show_state(l, false);
	rc = ripc_port_thread_start(&l->tx_thread, ripci_link_tx_main, l, 0);
	if (rc != 0)
		goto fail_sockets;
	rc = ripc_port_thread_start(
		&l->io_thread,
		cfg->transport == RIPC_LINK_TCP ? ripci_link_tcp_main : ripci_link_udp_main, l, 0);
	if (rc != 0) {
		atomic_store(&l->stopping, 1);
		(void)ripc_event_post(&l->ctl, RIPCI_CTL_STOP);
		(void)ripc_port_thread_join(&l->tx_thread);
		goto fail_sockets;
	}
	l->magic = RIPCI_LINK_RUNNING;
	return 0;

fail_sockets:
	ripc_port_net_close(l->listen_fd);
	ripc_port_net_close(l->fd);
fail_notifier:
	ripc_port_net_close(l->notifier);
	return rc;
}

/* Everything taken has been delivered (TCP: acknowledged), and the outgoing objects are empty. */
static bool drained(struct ripci_link *l)
{
	const struct ripc_link_config *cfg = l->cfg;
	bool done;
	uint32_t i;

	for (i = 0; i < cfg->nchannels; i++) {
		const struct ripc_link_channel *c = &cfg->channels[i];

		if (c->dir != RIPC_LINK_DIR_OUT)
			continue;
		if (c->kind == RIPC_LINK_KIND_MBOX && ripc_mbox_count(c->obj) != 0)
			return false;
		if (c->kind == RIPC_LINK_KIND_EVENT && (ripc_event_get(c->obj) & c->bits) != 0)
			return false;
	}
	ripci_link_lock(l);
	done = cfg->transport == RIPC_LINK_TCP ? l->nframes == 0 : l->udp_sent == l->next_seq;
	ripci_link_unlock(l);
	return done;
}

int ripc_link_stop(struct ripc_link *link, ripc_timeout_t drain)
{
	struct ripci_link *l;
	int64_t deadline;
	int rc = 0;

	if (link == NULL)
		return -EINVAL;
	l = ripci_link_of(link);
	if (l->magic != RIPCI_LINK_RUNNING)
		return -EINVAL;
	deadline = ripci_deadline(drain);
	while (!drained(l)) {
		if (ripc_port_clock_ns() >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		/* A short sleep on nothing: the notifier is the io thread's, so use a timed wait
		 * on our own event, which nobody posts. */
		(void)ripc_event_wait(&l->ctl, 0x80000000u, RIPC_EVENT_WAIT_ANY, NULL,
				      RIPC_MSEC(1));
	}
	atomic_store(&l->stopping, 1);
	ripc_port_net_notify(l->notifier);
	(void)ripc_event_post(&l->ctl, RIPCI_CTL_STOP);
	(void)ripc_port_thread_join(&l->tx_thread);
	(void)ripc_port_thread_join(&l->io_thread);
	ripci_link_lock(l);
	if (l->fd >= 0 && l->state == RIPC_LINK_UP && !l->tx_partial) {
		/* Tell the peer at once instead of letting it wait for the dead timer. */
		size_t n = ripci_frame_seal(l->iobuf, RIPCI_T_BYE, 0, 0, l->rx_next, 0);

		(void)ripc_port_net_send(l->fd, l->iobuf, n,
					 l->cfg->transport == RIPC_LINK_UDP ? &l->peer : NULL);
	}
	l->stats.unacked_at_stop = l->cfg->transport == RIPC_LINK_TCP ? l->nframes : 0;
	if (l->stats.unacked_at_stop != 0)
		rc = -ETIMEDOUT;
	ripc_port_net_close(l->fd);
	ripc_port_net_close(l->fd_to_close);
	ripc_port_net_close(l->listen_fd);
	l->fd = -1;
	l->fd_to_close = -1;
	l->listen_fd = -1;
	l->state = RIPC_LINK_STOPPED;
	ripci_link_unlock(l);
	ripc_port_net_close(l->notifier);
	show_state(l, false);
	l->magic = 0;
	return rc;
}

int ripc_link_stats(struct ripc_link *link, struct ripc_link_stats *out)
{
	struct ripci_link *l;

	if (link == NULL || out == NULL)
		return -EINVAL;
	l = ripci_link_of(link);
	if (l->cfg == NULL)
		return -EINVAL;
	ripci_link_lock(l);
	*out = l->stats;
	ripci_link_unlock(l);
	return 0;
}

int ripc_link_status(struct ripc_link *link, struct ripc_link_status *out)
{
	struct ripci_link *l;

	if (link == NULL || out == NULL)
		return -EINVAL;
	l = ripci_link_of(link);
	if (l->cfg == NULL) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	ripci_link_lock(l);
	*out = l->status;
	out->state = l->state;
	ripci_link_unlock(l);
	return 0;
}
