/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Helpers of the link tests: free ports, waiting for a link state, numbered
 *        messages, a TCP forwarder that can cut or black-hole the connection, and a lossy
 *        UDP proxy that drops, duplicates and reorders datagrams and counts what it did.
 */
#ifndef RIPC_LINK_TEST_H
#define RIPC_LINK_TEST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <ripc/ripc.h>

/** A port number unlikely to be in use by a concurrent test (varies per process and call). */
uint16_t link_test_port(void);

/** Start @p link, trying new ports (written into @p addr_buf's "127.0.0.1:%u" text by
 *  @p fill) while the bind fails with -EADDRINUSE. Returns ripc_link_start's result. */
int link_test_start_retry(struct ripc_link *link, const struct ripc_link_config *cfg,
			  void (*fill)(uint16_t port, void *arg), void *arg);

/**
 * Heartbeat, dead-peer and retransmit times for a test link: short on a native host, long
 * where the tests run scaled down (emulation), where a guest can stall for a second and
 * short times would make a healthy link flap or resend.
 */
void link_test_timing(struct ripc_link_config *cfg);

/** Wait until the link's state is @p state; false after @p ms milliseconds. */
bool link_test_wait_state(struct ripc_link *link, uint32_t state, long ms);

/** Wait until @p cond(@p arg) holds; false after @p ms milliseconds. */
bool link_test_wait_for(bool (*cond)(void *arg), void *arg, long ms);

/** Message @p i: 8-byte number, then bytes derived from it; length varies with i. */
size_t link_test_msg(uint8_t *buf, size_t max, uint32_t i);

/** Check that @p buf (@p len bytes) is message @p i of link_test_msg. */
bool link_test_msg_ok(const uint8_t *buf, size_t len, size_t max, uint32_t i);

/** Number in a message of link_test_msg. */
uint32_t link_test_msg_num(const uint8_t *buf);

/* ---- TCP forwarder ---------------------------------------------------------------------- */

/** Forwards connections from 127.0.0.1:@c port to 127.0.0.1:@c target. */
struct tcp_fwd {
	uint16_t port, target;
	int lfd;
	atomic_int stop;
	atomic_int blackhole; /**< Set: stop forwarding (a partition), new connections hang. */
	atomic_int cut;       /**< Set: close the current connections now (reset by the thread). */
	atomic_int conns;     /**< Connections forwarded so far. */
	pthread_t thread;
};

/** Start a forwarder to @p target on a free port (in @c port). 0 or -errno. */
int tcp_fwd_start(struct tcp_fwd *f, uint16_t target);
void tcp_fwd_stop(struct tcp_fwd *f);

/* ---- Lossy UDP proxy ---------------------------------------------------------------------- */

/** What the proxy did to numbered link datagrams (DATA and EVENT); others pass untouched. */
struct udp_proxy_counts {
	uint64_t numbered;   /**< Numbered datagrams received. */
	uint64_t dropped;    /**< Never forwarded. */
	uint64_t duplicated; /**< Forwarded twice. */
	uint64_t reordered;  /**< Forwarded after a later numbered one. */
	uint64_t others;     /**< Other datagrams forwarded as they came. */
};

/** Proxy settings: percentages per numbered datagram, exclusive of each other. */
struct udp_proxy {
	const char *listen;  /**< "addr:port" it receives on. */
	const char *forward; /**< "addr:port" it sends to. */
	uint32_t seed;
	unsigned drop_pct, dup_pct, reorder_pct;
	atomic_int stop;
	atomic_uint seen;      /**< Live: numbered datagrams received so far. */
	atomic_uint forwarded; /**< Live: numbered datagrams sent on so far (copies included). */
	struct udp_proxy_counts counts; /**< Valid after udp_proxy_run returns. */
};

/** Run the proxy until @c stop is set. 0, or -errno if its socket could not be set up. */
int udp_proxy_run(struct udp_proxy *p);

#endif /* RIPC_LINK_TEST_H */
