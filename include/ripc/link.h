/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Links: the same mailboxes and event bits between boards, over TCP or UDP.
 *
 * A link joins this node to one peer node. It carries channels, each a local object and a
 * direction:
 *  - an outgoing mailbox (RIPC_LINK_MBOX_OUT): every message put into it here is taken by
 *    the link and put into the peer's incoming mailbox of the same channel name;
 *  - an incoming mailbox (RIPC_LINK_MBOX_IN): where the peer's messages of that name land;
 *  - an outgoing event (RIPC_LINK_EVENT_OUT): the link waits for the given bits, clears them
 *    here and posts them on the peer's incoming event of the same name;
 *  - an incoming event (RIPC_LINK_EVENT_IN): where the peer's bits are posted.
 * The outgoing objects belong to the link (it consumes them); they may live in a domain,
 * so any process of the board feeds a link hosted by one of them.
 *
 * Transports:
 *  - TCP: messages arrive in the order they were taken, exactly once, also across a lost
 *    and re-established connection: every frame has a sequence number, the peer
 *    acknowledges what it delivered, and unacknowledged frames stay in a bounded
 *    retransmit buffer (CONFIG_RIPC_LINK_TX_BUFFER) from which they are sent again after a
 *    reconnect. When the peer's mailbox is full, the peer stops acknowledging; the buffer
 *    fills, the link stops taking messages, and producers here wait or time out on their
 *    full outgoing mailbox. Nothing is dropped.
 *  - UDP: one message per datagram of at most @c udp_max_msg bytes (a mailbox that allows
 *    more is refused with -EMSGSIZE when the link starts). Datagrams carry sequence
 *    numbers; the receiver counts lost, duplicated and reordered ones, delivers late ones
 *    and drops duplicates. What happens when the peer's mailbox is full is the incoming
 *    channel's policy (enum ripc_link_full). While a UDP link is down, its outgoing
 *    mailboxes are left alone: messages wait there, they are not thrown away.
 *
 * Liveness: both ends send heartbeats every @c heartbeat_ms; a peer silent for @c dead_ms
 * is declared dead and the link reconnects, with exponential backoff from
 * @c backoff_min_ms to @c backoff_max_ms. The link's state is an event bit (@c up_bit set
 * while up, @c down_bit while not), so applications wait for it or put it in ripc_poll.
 *
 * Handshake: on every connection both ends exchange the protocol version, their node names
 * and the channels they carry with their sizes; a mismatch (missing or extra channel,
 * other kind, other size, other protocol) is refused: the link reports it through
 * ripc_link_status and the log and retries at the longest backoff. Frames from the
 * network are checked (header, length, CRC32C, state) before anything is used; a bad frame
 * is counted by its cause and dropped (UDP) or ends the connection (TCP, whose stream it
 * has made unreadable; retransmission recovers). Sources not on the allow list are
 * ignored. The wire format is in docs/link-protocol.md.
 *
 * Threads: ripc_link_start starts two threads of the library in the calling process: one
 * sends, one receives and keeps the connection. Everything else lives in struct ripc_link,
 * sized at build time by Kconfig (CONFIG_RIPC_LINK_*): no heap is used.
 */
#ifndef RIPC_LINK_H
#define RIPC_LINK_H

#include <ripc/common.h>
#include <ripc/event.h>
#include <ripc/mbox.h>
#include <ripc/timeout.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @cond INTERNAL */
#ifndef CONFIG_RIPC_LINK_MAX_CHANNELS
#define CONFIG_RIPC_LINK_MAX_CHANNELS 8
#endif
#ifndef CONFIG_RIPC_LINK_MAX_MSG
#define CONFIG_RIPC_LINK_MAX_MSG 4096
#endif
#ifndef CONFIG_RIPC_LINK_TX_BUFFER
#define CONFIG_RIPC_LINK_TX_BUFFER 65536
#endif
#ifndef CONFIG_RIPC_LINK_TX_FRAMES
#define CONFIG_RIPC_LINK_TX_FRAMES 1024
#endif
/** @endcond */

/** @brief Longest node or channel name, terminating NUL included. */
#define RIPC_LINK_NAME_MAX 24

/** @brief Most entries of an allow list. */
#define RIPC_LINK_ALLOW_MAX 8

/** @brief Transport of a link. */
enum ripc_link_transport {
	RIPC_LINK_TCP = 1, /**< Reliable, ordered, exactly once. */
	RIPC_LINK_UDP = 2, /**< One message per datagram; counted, not repaired. */
};

/** @brief What a channel carries. */
enum ripc_link_kind {
	RIPC_LINK_KIND_MBOX = 1,  /**< Messages of a mailbox. */
	RIPC_LINK_KIND_EVENT = 2, /**< Bits of an event. */
};

/** @brief Direction of a channel, seen from this node. */
enum ripc_link_dir {
	RIPC_LINK_DIR_OUT = 1, /**< From the local object to the peer. */
	RIPC_LINK_DIR_IN = 2,  /**< From the peer into the local object. */
};

/** @brief What an incoming mailbox channel does when the local mailbox is full. */
enum ripc_link_full {
	/** The transport's default: TCP back-pressure (the only policy TCP accepts, as it never
	 *  drops); UDP drops the new message (RIPC_LINK_FULL_DROP_NEW). */
	RIPC_LINK_FULL_DEFAULT = 0,
	RIPC_LINK_FULL_DROP_NEW = 1, /**< UDP: drop the arriving message, count it. */
	RIPC_LINK_FULL_DROP_OLD = 2, /**< UDP: drop the oldest queued message, count it. */
	RIPC_LINK_FULL_WAIT = 3,     /**< UDP: wait up to @c rx_block_ms, then drop the new one. */
};

/** @brief One carried object. Fill with the RIPC_LINK_MBOX_* and RIPC_LINK_EVENT_* macros. */
struct ripc_link_channel {
	const char *name; /**< 1..RIPC_LINK_NAME_MAX-1 printable characters; matched with the
			       peer's channel of the same name and opposite direction. */
	uint8_t kind;     /**< enum ripc_link_kind. */
	uint8_t dir;      /**< enum ripc_link_dir. */
	uint8_t full;     /**< Incoming mailbox: enum ripc_link_full. */
	uint8_t reserved; /**< Zero. */
	uint32_t bits;    /**< Event channels: the bits that travel. */
	void *obj;        /**< The struct ripc_mbox or struct ripc_event. */
};

/** @brief Channel: messages put into local mailbox @p mb go to the peer's channel @p n. */
#define RIPC_LINK_MBOX_OUT(n, mb)                                                               \
	{                                                                                       \
		.name = (n), .kind = RIPC_LINK_KIND_MBOX, .dir = RIPC_LINK_DIR_OUT, .obj = (mb) \
	}
/** @brief Channel: the peer's messages of channel @p n land in @p mb, policy @p f when full. */
#define RIPC_LINK_MBOX_IN(n, mb, f)                                                \
	{                                                                          \
		.name = (n), .kind = RIPC_LINK_KIND_MBOX, .dir = RIPC_LINK_DIR_IN, \
		.full = (uint8_t)(f), .obj = (mb)                                  \
	}
/** @brief Channel: bits @p b posted on local event @p ev are cleared here, posted there. */
#define RIPC_LINK_EVENT_OUT(n, ev, b)                                                             \
	{                                                                                         \
		.name = (n), .kind = RIPC_LINK_KIND_EVENT, .dir = RIPC_LINK_DIR_OUT, .bits = (b), \
		.obj = (ev)                                                                       \
	}
/** @brief Channel: the peer's bits @p b of channel @p n are posted on local event @p ev. */
#define RIPC_LINK_EVENT_IN(n, ev, b)                                                             \
	{                                                                                        \
		.name = (n), .kind = RIPC_LINK_KIND_EVENT, .dir = RIPC_LINK_DIR_IN, .bits = (b), \
		.obj = (ev)                                                                      \
	}

/**
 * @brief Static description of a link. It must stay valid while the link runs (make it
 *        `static const`). Zero timing fields take the documented defaults.
 */
struct ripc_link_config {
	const char *node;   /**< This node's name, 1..RIPC_LINK_NAME_MAX-1 characters. */
	uint32_t transport; /**< enum ripc_link_transport. */
	/** Local "addr:port": the TCP listening address (when @c peer is NULL), the address a
	 *  TCP link connects from (port 0: any; NULL: the system chooses), or the UDP
	 *  socket's address (required: the peer sends to it). */
	const char *local;
	/** Peer "addr:port": where TCP connects and UDP sends. NULL (TCP only): listen on
	 *  @c local and accept the peer from the allow list. */
	const char *peer;
	/** NULL-terminated list of sources allowed in ("addr" or "addr/prefix", any port), at
	 *  most RIPC_LINK_ALLOW_MAX. NULL: the address of @c peer only. */
	const char *const *allow;
	const struct ripc_link_channel *channels; /**< The carried objects. */
	uint32_t nchannels;                       /**< 1..CONFIG_RIPC_LINK_MAX_CHANNELS. */
	struct ripc_event *status;                /**< Optional: where the link state is shown. */
	uint32_t up_bit;         /**< Bit(s) of @c status set while the link is up. */
	uint32_t down_bit;       /**< Bit(s) of @c status set while it is not. */
	uint32_t heartbeat_ms;   /**< Heartbeat period; default 100. */
	uint32_t dead_ms;        /**< Silence that declares the peer dead; default 1000; at
				      least three heartbeat periods. */
	uint32_t backoff_min_ms; /**< First reconnect delay; default 50. */
	uint32_t backoff_max_ms; /**< Longest reconnect delay; default 2000. */
	uint32_t rto_ms;         /**< TCP: resend what the peer has not acknowledged after
				      this long without progress; default 200. */
	uint32_t rx_block_ms;    /**< How long delivery into a full mailbox waits before the
				      channel policy applies; default 20. */
	uint32_t udp_max_msg;    /**< UDP: largest message per datagram; default 1400, at
				      most CONFIG_RIPC_LINK_MAX_MSG. */
	/** Optional log sink for state changes and refusals; NULL: the process's stderr. */
	void (*log)(void *arg, const char *line);
	void *log_arg; /**< Passed to @c log. */
};

/** @brief State of a link (struct ripc_link_status). */
enum ripc_link_state {
	RIPC_LINK_STOPPED = 0,    /**< Not started, or stopped. */
	RIPC_LINK_CONNECTING = 1, /**< Connecting, accepting or shaking hands. */
	RIPC_LINK_UP = 2,         /**< Handshake done: channels flow. */
	RIPC_LINK_REFUSED = 3,    /**< The last handshake failed; see @c reason. */
};

/** @brief Where a link stands (ripc_link_status). */
struct ripc_link_status {
	uint32_t state;                     /**< enum ripc_link_state. */
	int32_t last_error;                 /**< Negative errno of the last failure, or 0. */
	char peer_node[RIPC_LINK_NAME_MAX]; /**< The peer's name after a handshake, else "". */
	char reason[128];                   /**< Why the last connection failed or ended. */
};

/** @brief Counters of one link since ripc_link_start (ripc_link_stats). */
struct ripc_link_stats {
	uint64_t frames_tx;        /**< Frames sent, retransmissions included. */
	uint64_t frames_rx;        /**< Valid frames received. */
	uint64_t bytes_tx;         /**< Bytes sent, headers included. */
	uint64_t bytes_rx;         /**< Bytes received, headers included. */
	uint64_t msgs_tx;          /**< Messages and event posts taken from local objects. */
	uint64_t msgs_rx;          /**< Messages and event posts delivered into local objects. */
	uint64_t retransmits;      /**< TCP frames sent again. */
	uint64_t reconnects;       /**< Handshakes after the first. */
	uint64_t refused;          /**< Handshakes refused (either side). */
	uint64_t heartbeats_tx;    /**< Heartbeats sent. */
	uint64_t heartbeats_rx;    /**< Heartbeats received. */
	uint64_t drop_crc;         /**< Frames dropped: CRC32C mismatch. */
	uint64_t drop_malformed;   /**< Frames dropped: bad magic, type, flags or length. */
	uint64_t drop_version;     /**< Frames dropped: unknown protocol version. */
	uint64_t drop_oversized;   /**< Frames dropped: longer than the link accepts. */
	uint64_t drop_truncated;   /**< Datagrams dropped: shorter than their header says. */
	uint64_t drop_unexpected;  /**< Valid frames dropped: unknown channel, wrong state. */
	uint64_t drop_not_allowed; /**< Connections or datagrams from sources not allowed. */
	uint64_t drop_full;        /**< UDP messages dropped by a full mailbox's policy. */
	uint64_t tcp_duplicates;   /**< TCP frames received again (discarded, acknowledged). */
	uint64_t tcp_held_back;    /**< TCP frames discarded because an earlier one could not
					be delivered yet (full mailbox); they are resent. */
	uint64_t udp_lost;         /**< UDP datagrams that never arrived. */
	uint64_t udp_duplicates;   /**< UDP datagrams that arrived twice (dropped). */
	uint64_t udp_reordered;    /**< UDP datagrams that arrived after a later one. */
	uint64_t unacked_at_stop;  /**< TCP messages still unacknowledged when stopped. */
	uint64_t rtt_last_ns;      /**< Last heartbeat round trip. */
	uint64_t rtt_avg_ns;       /**< Smoothed round trip (1/8 gain, as TCP's SRTT). */
};

/** @cond INTERNAL */
#define RIPC_LINK_HELLO_MAX_ (64u + 32u * 64u)
#define RIPC_LINK_BODY_MAX_                                        \
	((uint32_t)CONFIG_RIPC_LINK_MAX_MSG > RIPC_LINK_HELLO_MAX_ \
		 ? (uint32_t)CONFIG_RIPC_LINK_MAX_MSG              \
		 : RIPC_LINK_HELLO_MAX_)
#define RIPC_LINK_FRAME_MAX_ (24u + RIPC_LINK_BODY_MAX_)
#define RIPC_LINK_STORAGE_SIZE_                                                             \
	((uint32_t)CONFIG_RIPC_LINK_TX_BUFFER + 4u * (uint32_t)CONFIG_RIPC_LINK_TX_FRAMES + \
	 4u * RIPC_LINK_FRAME_MAX_ + RIPC_LINK_HELLO_MAX_ + 2048u +                         \
	 64u * (uint32_t)CONFIG_RIPC_LINK_MAX_CHANNELS)
/** @endcond */

/**
 * @brief A link. Its storage is private: buffers sized by Kconfig and the state of its two
 *        threads. Define with RIPC_LINK_DEFINE (static storage), never on a small stack.
 */
struct ripc_link {
	/** @cond INTERNAL */
	union {
		_Alignas(64) unsigned char bytes[RIPC_LINK_STORAGE_SIZE_];
		uint64_t align;
	} storage_;
	/** @endcond */
};

/** @brief Define link @p name (process-local static storage; not for shared memory). */
#define RIPC_LINK_DEFINE(name) struct ripc_link name

/**
 * @brief Check @p cfg, open the sockets and start the link's two threads.
 * @param link The link; stopped (zero-initialised, or stopped by ripc_link_stop).
 * @param cfg Its description; must outlive the link.
 * @retval 0 Started: the link now connects on its own, and reconnects whenever needed.
 * @retval -EINVAL A NULL pointer, a bad name, address, transport, channel or timing field,
 *         duplicate channels, a TCP channel with a drop policy, or no peer and no allow list.
 * @retval -EMSGSIZE A carried mailbox allows messages larger than the link carries
 *         (CONFIG_RIPC_LINK_MAX_MSG, or @c udp_max_msg for UDP).
 * @retval -EALREADY The link is running.
 * @retval -EADDRINUSE, -EADDRNOTAVAIL, -EACCES ... The local address could not be bound.
 * @retval -EAGAIN No thread could be started.
 *
 * Context: thread; not from a signal handler.
 */
int ripc_link_start(struct ripc_link *link, const struct ripc_link_config *cfg);

/**
 * @brief Stop a link: first wait up to @p drain for everything taken to be delivered
 *        (TCP: acknowledged), then end its threads and close its sockets.
 * @param drain How long to wait for delivery; RIPC_NO_WAIT stops at once.
 * @retval 0 Stopped with nothing outstanding.
 * @retval -ETIMEDOUT Stopped, but messages taken from the outgoing mailboxes were not
 *         acknowledged in time: they are counted in @c unacked_at_stop, never lost silently.
 * @retval -EINVAL @p link is NULL or not running.
 *
 * Context: thread; not one of the link's own (its log sink, for example).
 */
int ripc_link_stop(struct ripc_link *link, ripc_timeout_t drain);

/**
 * @brief Read the counters of a running or stopped link.
 * @retval 0 Stored. @retval -EINVAL A NULL pointer, or a link never started.
 * Context: thread.
 */
int ripc_link_stats(struct ripc_link *link, struct ripc_link_stats *out);

/**
 * @brief Read the state of a link, its peer's name and the last failure's reason.
 * @retval 0 Stored. @retval -EINVAL A NULL pointer.
 * Context: thread.
 */
int ripc_link_status(struct ripc_link *link, struct ripc_link_status *out);

#ifdef __cplusplus
}
#endif

#endif /* RIPC_LINK_H */
