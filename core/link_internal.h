/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Private state of a link, shared by its files (link.c, link_tx.c, link_rx.c,
 *        link_tcp.c, link_udp.c).
 *
 * Threads: the io thread owns the connection (connect, accept, handshake, receive, timers);
 * the tx thread takes from the outgoing objects and, on TCP, is the only writer of the
 * stream once the link is up, so frames never interleave. Fields marked (L) are guarded by
 * @c lock; the others belong to one thread or are written before the threads start.
 */
#ifndef RIPC_CORE_LINK_INTERNAL_H
#define RIPC_CORE_LINK_INTERNAL_H

#include <stdatomic.h>

#include <ripc/link.h>
#include <ripc/sem.h>

#include "core/link_frame.h"
#include "core/link_hello.h"
#include "port/port.h"

/** Marks a running link. */
#define RIPCI_LINK_RUNNING 0x4c494e4bu

/** Bits of @c ctl, the tx thread's wake-up event. */
#define RIPCI_CTL_STOP 1u /**< End the thread. */
#define RIPCI_CTL_KICK 2u /**< State, acknowledgements or control frames changed. */

/** Control frames the io thread asks the tx thread to send on TCP (@c ctl_pending). */
#define RIPCI_PEND_ACK  1u
#define RIPCI_PEND_HB   2u
#define RIPCI_PEND_ECHO 4u

/** Payload bytes the receive side accepts in one frame. */
#define RIPCI_LINK_BODY_MAX RIPC_LINK_BODY_MAX_

/** Bytes of the largest frame. */
#define RIPCI_LINK_FRAME_MAX RIPC_LINK_FRAME_MAX_

/** UDP duplicate-detection window, in sequence numbers. */
#define RIPCI_UDP_WINDOW 64u

struct ripci_link {
	uint32_t magic;                     /**< RIPCI_LINK_RUNNING while started. */
	const struct ripc_link_config *cfg; /**< The user's description. */
	/* Settings, defaults applied (start). */
	uint32_t hb_ms, dead_ms, bmin_ms, bmax_ms, rto_ms, rxblock_ms, udp_max;
	struct ripc_port_addr local, peer;
	struct ripc_port_addr allow[RIPC_LINK_ALLOW_MAX];
	uint32_t nallow;
	struct ripci_hello mine; /**< Our HELLO (channels, node); sequence fields per use. */
	uint8_t map[RIPCI_HELLO_WIRE_MAX_CH]; /**< Peer channel index -> ours (io thread). */
	uint16_t peer_nch;                    /**< Channels the peer listed (io thread). */

	struct ripc_sem lock;  /**< Guards the (L) fields; a binary semaphore. */
	struct ripc_event ctl; /**< Wakes the tx thread (RIPCI_CTL_*). */
	int notifier;          /**< Wakes the io thread. */
	atomic_uint stopping;  /**< Set by ripc_link_stop. */
	struct ripc_port_thread io_thread, tx_thread;

	int listen_fd;        /**< TCP listener, or -1. */
	int fd;               /**< (L) The TCP connection or the UDP socket; -1: none. */
	uint32_t state;       /**< (L) enum ripc_link_state. */
	uint32_t conn_gen;    /**< (L) Bumped per connection. */
	uint32_t ctl_pending; /**< (L) RIPCI_PEND_* for the tx thread (TCP). */
	uint64_t echo_ts;     /**< (L) Time stamp to echo (RIPCI_PEND_ECHO). */
	bool broken;          /**< (L) The tx thread failed to send: reconnect. */
	bool tx_partial;      /**< (L) The stream ends inside a frame (tx thread). */
	bool tx_sending;      /**< (L) The tx thread sends on @c fd without the lock. */
	int fd_to_close;      /**< (L) A connection that ended during such a send: the tx
				   thread closes it when the send returns, so its number is never
				   reused under the send. -1: none. */
	bool wants_space;     /**< (L) The tx thread waits for acknowledgements. */
	bool ever_up;         /**< io thread: a handshake succeeded before. */

	uint64_t incarnation; /**< Ours, random per start. */
	uint64_t peer_inc;    /**< The peer's, as last seen (0: none). */

	/* Sending side (L). TCP frames stay in @c ring until acknowledged. */
	uint32_t next_seq;         /**< Sequence number of the next new frame. */
	uint32_t base_seq;         /**< Oldest frame kept in the ring. */
	uint32_t nframes;          /**< Frames kept. */
	uint32_t send_seq;         /**< Frame that @c sent lies in. */
	uint32_t sent_hi;          /**< One past the highest frame ever sent (retransmit count). */
	uint32_t udp_sent;         /**< UDP: one past the last datagram handed to the socket. */
	uint32_t head, sent, tail; /**< Byte positions (wrapping): written, sent, acked. */
	int64_t progress_ns;       /**< Last acknowledgement progress (retransmit timer). */
	uint32_t frame_end[CONFIG_RIPC_LINK_TX_FRAMES]; /**< Per frame (seq % N): its end. */
	uint8_t ring[CONFIG_RIPC_LINK_TX_BUFFER];

	/* Receiving side (io thread). */
	uint32_t rx_next;     /**< TCP: next sequence number to deliver; UDP: first expected. */
	uint32_t ack_sent;    /**< (L) TCP: the last rx_next any frame of ours carried. */
	int64_t ack_due_ns;   /**< TCP: when a standalone ACK is due (0: none; io thread). */
	uint32_t ack_seen;    /**< TCP: the peer's last acknowledgement (io thread): frames that
				   repeat it need not take the lock. */
	uint32_t udp_highest; /**< UDP: highest sequence number known to exist. */
	uint32_t udp_data_hi; /**< UDP: highest sequence number received. */
	uint64_t udp_window;  /**< UDP: bit i set: udp_highest - i received. */
	bool udp_hello_ok;    /**< UDP: we accepted the peer's HELLO (answered with an ACK) and
				   go up at its first session frame. */
	bool rx_held;         /**< TCP: a frame was held back in this batch. */
	int64_t last_rx_ns, next_hb_ns;
	uint32_t backoff_ms;
	uint32_t rx_fill;
	uint8_t rxbuf[2 * RIPCI_LINK_FRAME_MAX];
	uint32_t hs_fill;                                      /**< TCP: bytes in hsbuf. */
	uint8_t hsbuf[RIPCI_FRAME_HDR + RIPC_LINK_HELLO_MAX_]; /**< TCP handshake reads. */
	uint8_t iobuf[RIPCI_LINK_FRAME_MAX];                   /**< io thread's outgoing frames. */
	uint8_t txbuf[RIPCI_LINK_FRAME_MAX]; /**< tx thread's frame under construction. */

	struct ripc_link_stats stats;   /**< (L) */
	struct ripc_link_status status; /**< (L) */
};

_Static_assert(sizeof(struct ripci_link) <= sizeof(((struct ripc_link *)0)->storage_),
	       "struct ripc_link storage too small for the link state");

static inline struct ripci_link *ripci_link_of(struct ripc_link *link)
{
	return (struct ripci_link *)(void *)link->storage_.bytes;
}

/* link.c */
void ripci_link_lock(struct ripci_link *l);
void ripci_link_unlock(struct ripci_link *l);
/** Log one line, prefixed with the node name. */
void ripci_link_log(struct ripci_link *l, const char *a, const char *b, const char *c);
/** The link is up: publish @p fd (TCP) and state, set the status bits, log. */
void ripci_link_set_up(struct ripci_link *l, int fd);
/** The connection ended (or a handshake failed): record @p err and @p why, set bits. */
void ripci_link_set_down(struct ripci_link *l, uint32_t state, int err, const char *why);
/** A short text for a connection error (core/ has no strerror). */
const char *ripci_link_errtext(int err);
/** True when @p from is on the allow list. */
bool ripci_link_allowed(const struct ripci_link *l, const struct ripc_port_addr *from);
/** Wait on the notifier (and @p fd for @p want, if >= 0) until @p deadline_ns. */
int ripci_link_sleep(struct ripci_link *l, int fd, uint32_t want, int64_t deadline_ns);
/** Settings in nanoseconds. */
static inline int64_t ripci_ms(uint32_t ms)
{
	return (int64_t)ms * 1000000;
}

/* link_tx.c */
void *ripci_link_tx_main(void *arg);
/** Drop acknowledged frames: every frame before @p ack (L). */
void ripci_link_tx_acked(struct ripci_link *l, uint32_t ack);
/** After a new connection: send again everything unacknowledged (L). */
void ripci_link_tx_rewind(struct ripci_link *l);
/** Wake the tx thread. */
void ripci_link_kick(struct ripci_link *l);

/* link_rx.c: handling of valid frames common to both transports (io thread). */
/** Handshake done with @p peer: adopt its incarnation and sequence state. */
void ripci_link_rx_resume(struct ripci_link *l, const struct ripci_hello *peer);
/** A DATA or EVENT frame while up. */
void ripci_link_rx_numbered(struct ripci_link *l, const struct ripci_frame *f);
/** UDP: account a heartbeat's "next to send" for trailing losses. */
void ripci_link_rx_udp_horizon(struct ripci_link *l, uint32_t next);
/** An ECHO: update the round-trip time. */
void ripci_link_rx_echo(struct ripci_link *l, const struct ripci_frame *f);
/** Count a frame error (negative result of ripci_frame_parse) (L). */
void ripci_link_count_error(struct ripci_link *l, int err);
/** Build our HELLO (type HELLO or HELLO_ACK) in @c iobuf; returns its size. */
size_t ripci_link_hello_frame(struct ripci_link *l, uint8_t type);
/** Check a peer's HELLO payload; on success fills @c map. On failure writes @p reason. */
int ripci_link_hello_check(struct ripci_link *l, const struct ripci_frame *f,
			   struct ripci_hello *peer, char *reason, size_t cap);
/** Build a REFUSE frame with @p reason in @c iobuf; returns its size. */
size_t ripci_link_refuse_frame(struct ripci_link *l, const char *reason);
/** Copy a REFUSE payload's reason into @p out. */
void ripci_link_refuse_reason(const struct ripci_frame *f, char *out, size_t cap);

/* link_tcp.c, link_udp.c */
void *ripci_link_tcp_main(void *arg);
void *ripci_link_udp_main(void *arg);

#endif /* RIPC_CORE_LINK_INTERNAL_H */
