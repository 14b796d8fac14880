/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief One node of the network-namespace tests (tests/link/netns.sh): sends or receives
 *        numbered messages over a TCP or UDP link and prints what it saw.
 *
 *   link_node tcp-send <peer> <count>                 connect, send, drain, print stats
 *   link_node tcp-recv <local> <allow> <count>        listen, check order and exactly-once
 *   link_node udp-send <local> <peer> <allow> <count> send, wait for heartbeats, stop
 *   link_node udp-recv <local> <peer> <allow> <secs>  receive until the sender says bye,
 *                                                     print the loss counters
 * Exit 0 when the node's own checks pass.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ripc/ripc.h>

#include "link_test.h"

#define MSZ 200

static RIPC_MBOX_DEFINE(out, MSZ, 256);
static RIPC_MBOX_DEFINE(in, MSZ, 256);
static RIPC_EVENT_DEFINE(status);
static RIPC_LINK_DEFINE(node_link);

#define UP   RIPC_EVENT_BIT(0)
#define DOWN RIPC_EVENT_BIT(1)

static const struct ripc_link_channel send_ch[] = {RIPC_LINK_MBOX_OUT("stream", &out)};
static const struct ripc_link_channel recv_ch[] = {RIPC_LINK_MBOX_IN("stream", &in, 0)};

static struct ripc_link_config base(uint32_t transport, const char *node)
{
	return (struct ripc_link_config){
		.node = node,
		.transport = transport,
		.status = &status,
		.up_bit = UP,
		.down_bit = DOWN,
		.heartbeat_ms = 100,
		.dead_ms = 600,
		.backoff_min_ms = 20,
		.backoff_max_ms = 400,
	};
}

static void print_stats(const char *who)
{
	struct ripc_link_stats s;

	ripc_link_stats(&node_link, &s);
	printf("%s: msgs_tx=%llu msgs_rx=%llu retransmits=%llu reconnects=%llu "
	       "tcp_duplicates=%llu udp_lost=%llu udp_duplicates=%llu udp_reordered=%llu "
	       "drop_full=%llu rtt_avg_us=%llu\n",
	       who, (unsigned long long)s.msgs_tx, (unsigned long long)s.msgs_rx,
	       (unsigned long long)s.retransmits, (unsigned long long)s.reconnects,
	       (unsigned long long)s.tcp_duplicates, (unsigned long long)s.udp_lost,
	       (unsigned long long)s.udp_duplicates, (unsigned long long)s.udp_reordered,
	       (unsigned long long)s.drop_full, (unsigned long long)(s.rtt_avg_ns / 1000));
	fflush(stdout);
}

static int start(struct ripc_link_config *cfg)
{
	int rc = ripc_link_start(&node_link, cfg);

	if (rc != 0)
		fprintf(stderr, "link_node: start failed: %d\n", rc);
	return rc;
}

/* Put @p count messages, paced (8 per millisecond) so that a run lasts long enough to be
 * cut in the middle. */
static int send_all(uint32_t count)
{
	uint8_t m[MSZ];
	uint32_t i;

	for (i = 0; i < count; i++) {
		int rc = ripc_mbox_put(&out, m, link_test_msg(m, MSZ, i), RIPC_SEC(60));

		if (rc != 0) {
			fprintf(stderr, "link_node: put %u failed: %d\n", i, rc);
			return 1;
		}
		if (i % 8 == 7)
			usleep(1000);
	}
	return 0;
}

static int tcp_send(const char *peer, uint32_t count)
{
	struct ripc_link_config cfg = base(RIPC_LINK_TCP, "sender");
	int rc;

	cfg.peer = peer;
	cfg.channels = send_ch;
	cfg.nchannels = 1;
	if (start(&cfg) != 0 || send_all(count) != 0)
		return 1;
	rc = ripc_link_stop(&node_link, RIPC_SEC(60));
	print_stats("sender");
	if (rc != 0)
		fprintf(stderr, "link_node: not everything was acknowledged: %d\n", rc);
	return rc == 0 ? 0 : 1;
}

static int tcp_recv(const char *local, const char *allow, uint32_t count)
{
	const char *const allow_list[] = {allow, NULL};
	struct ripc_link_config cfg = base(RIPC_LINK_TCP, "receiver");
	uint8_t m[MSZ];
	size_t len;
	uint32_t i;

	cfg.local = local;
	cfg.allow = allow_list;
	cfg.channels = recv_ch;
	cfg.nchannels = 1;
	if (start(&cfg) != 0)
		return 1;
	for (i = 0; i < count; i++) {
		int rc = ripc_mbox_get(&in, m, sizeof(m), &len, RIPC_SEC(60));

		if (rc != 0 || !link_test_msg_ok(m, len, MSZ, i)) {
			fprintf(stderr, "link_node: message %u: rc %d, got number %u\n", i, rc,
				rc == 0 ? link_test_msg_num(m) : 0);
			return 1;
		}
	}
	/* Exactly once: nothing may follow. */
	if (ripc_mbox_get(&in, m, sizeof(m), &len, RIPC_SEC(1)) != -ETIMEDOUT) {
		fprintf(stderr, "link_node: message %u arrived after the last one\n",
			link_test_msg_num(m));
		return 1;
	}
	printf("receiver: %u messages in order, exactly once\n", count);
	print_stats("receiver");
	ripc_link_stop(&node_link, RIPC_NO_WAIT);
	return 0;
}

static int udp_send(const char *local, const char *peer, const char *allow, uint32_t count)
{
	const char *const allow_list[] = {allow, NULL};
	struct ripc_link_config cfg = base(RIPC_LINK_UDP, "sender");
	uint32_t got = 0;

	cfg.local = local;
	cfg.peer = peer;
	cfg.allow = allow_list;
	cfg.channels = send_ch;
	cfg.nchannels = 1;
	if (start(&cfg) != 0)
		return 1;
	if (ripc_event_wait(&status, UP, RIPC_EVENT_WAIT_ANY, &got, RIPC_SEC(30)) != 0) {
		fprintf(stderr, "link_node: never up\n");
		return 1;
	}
	if (send_all(count) != 0)
		return 1;
	while (ripc_mbox_count(&out) != 0)
		usleep(1000);
	usleep(500000); /* heartbeats carry the last number across */
	ripc_link_stop(&node_link, RIPC_SEC(5));
	print_stats("sender");
	return 0;
}

static int udp_recv(const char *local, const char *peer, const char *allow, long secs)
{
	const char *const allow_list[] = {allow, NULL};
	struct ripc_link_config cfg = base(RIPC_LINK_UDP, "receiver");
	uint8_t m[MSZ];
	size_t len;
	uint32_t got = 0, delivered = 0;
	int64_t end;

	cfg.local = local;
	cfg.peer = peer;
	cfg.allow = allow_list;
	cfg.channels = recv_ch;
	cfg.nchannels = 1;
	if (start(&cfg) != 0)
		return 1;
	if (ripc_event_wait(&status, UP, RIPC_EVENT_WAIT_ANY, &got, RIPC_SEC(30)) != 0) {
		fprintf(stderr, "link_node: never up\n");
		return 1;
	}
	printf("receiver: up\n");
	fflush(stdout);
	end = ripc_uptime_ns() + secs * 1000000000LL;
	/* Until the sender says bye (the link goes down), then take what is left. */
	while (ripc_uptime_ns() < end && (ripc_event_get(&status) & UP) != 0) {
		if (ripc_mbox_get(&in, m, sizeof(m), &len, RIPC_MSEC(50)) == 0) {
			if (!link_test_msg_ok(m, len, MSZ, link_test_msg_num(m))) {
				fprintf(stderr, "link_node: corrupt message\n");
				return 1;
			}
			delivered++;
		}
	}
	while (ripc_mbox_get(&in, m, sizeof(m), &len, RIPC_NO_WAIT) == 0)
		delivered++;
	printf("receiver: delivered=%u\n", delivered);
	print_stats("receiver");
	ripc_link_stop(&node_link, RIPC_NO_WAIT);
	return 0;
}

int main(int argc, char **argv)
{
	alarm(300); /* a hang becomes a failure */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && strcmp(argv[1], "tcp-send") == 0)
		return tcp_send(argv[2], (uint32_t)atoi(argv[3]));
	if (argc == 5 && strcmp(argv[1], "tcp-recv") == 0)
		return tcp_recv(argv[2], argv[3], (uint32_t)atoi(argv[4]));
	if (argc == 6 && strcmp(argv[1], "udp-send") == 0)
		return udp_send(argv[2], argv[3], argv[4], (uint32_t)atoi(argv[5]));
	if (argc == 6 && strcmp(argv[1], "udp-recv") == 0)
		return udp_recv(argv[2], argv[3], argv[4], atol(argv[5]));
	fprintf(stderr, "usage: see the comment at the top of link_node.c\n");
	return 2;
}
