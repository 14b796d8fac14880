/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief ripc-link-tcp and ripc-link-udp: each side is a node with its own link over
 *        loopback, and the benchmark talks to the mailboxes the links carry, exactly as an
 *        application on two boards does. The path is: put into the local outgoing mailbox,
 *        the link's sending thread takes it (several per send call when they queue up), the
 *        peer's receiving thread puts it into the peer's incoming mailbox, the peer gets it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ripc/ripc.h>

#include "bench.h"

/* Largest message the link mechanisms carry: the pingpong sizes and the stream size. */
#define LINK_MSG   1024u
#define LINK_DEPTH 256u

#define UP   RIPC_EVENT_BIT(0)
#define DOWN RIPC_EVENT_BIT(1)

/* Each side is its own process: these are that process's objects. */
static RIPC_MBOX_DEFINE(link_out, LINK_MSG, LINK_DEPTH);
static RIPC_MBOX_DEFINE(link_in, LINK_MSG, LINK_DEPTH);
static RIPC_EVENT_DEFINE(link_status);
static RIPC_LINK_DEFINE(bench_link);

static const struct ripc_link_channel side_a[] = {RIPC_LINK_MBOX_OUT("ab", &link_out),
						  RIPC_LINK_MBOX_IN("ba", &link_in, 0)};
static const struct ripc_link_channel side_b[] = {RIPC_LINK_MBOX_IN("ab", &link_in, 0),
						  RIPC_LINK_MBOX_OUT("ba", &link_out)};
static const char *const allow_lo[] = {"127.0.0.1", NULL};

/* Ports for this run, chosen by the runner: the kernel's free ones at that moment. */
struct link_ports {
	uint16_t a, b;
};

static int free_port(int type, uint16_t *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, type, 0), rc = 0;

	if (fd < 0)
		return -errno;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
		rc = -errno;
	*port = ntohs(sa.sin_port);
	close(fd);
	return rc;
}

static int link_setup(struct bench_chan *c, int type)
{
	struct link_ports *p = (struct link_ports *)c->shm;
	int rc = free_port(type, &p->a);

	return rc != 0 ? rc : free_port(type, &p->b);
}

static int tcp_setup(struct bench_chan *c)
{
	return link_setup(c, SOCK_STREAM);
}

static int udp_setup(struct bench_chan *c)
{
	return link_setup(c, SOCK_DGRAM);
}

/* Link state changes are expected here (every run starts a link): keep the table readable. */
static void quiet(void *arg, const char *line)
{
	(void)arg;
	(void)line;
}

static int link_open(struct bench_chan *c, int side, uint32_t transport)
{
	const struct link_ports *p = (const struct link_ports *)c->shm;
	static char local[32], peer[32];
	static struct ripc_link_config cfg;
	uint32_t got = 0;
	int rc;

	(void)ripc_mbox_purge(&link_out);
	(void)ripc_mbox_purge(&link_in);
	(void)ripc_event_clear(&link_status, ~0u);
	cfg = (struct ripc_link_config){
		.node = side == BENCH_SIDE_A ? "bench-a" : "bench-b",
		.transport = transport,
		.channels = side == BENCH_SIDE_A ? side_a : side_b,
		.nchannels = 2,
		.allow = allow_lo,
		.status = &link_status,
		.up_bit = UP,
		.down_bit = DOWN,
		/* UDP: the benchmark's own sizes, as with the plain UDP mechanism. */
		.udp_max_msg = LINK_MSG,
		.log = quiet,
	};
	if (transport == RIPC_LINK_TCP) {
		/* A listens, B connects. */
		snprintf(local, sizeof(local), "127.0.0.1:%u", (unsigned)p->a);
		if (side == BENCH_SIDE_A)
			cfg.local = local;
		else
			cfg.peer = local;
	} else {
		snprintf(local, sizeof(local), "127.0.0.1:%u",
			 (unsigned)(side == BENCH_SIDE_A ? p->a : p->b));
		snprintf(peer, sizeof(peer), "127.0.0.1:%u",
			 (unsigned)(side == BENCH_SIDE_A ? p->b : p->a));
		cfg.local = local;
		cfg.peer = peer;
	}
	/* The runner pinned this side to one CPU. A link's two threads inherit that, and would
	 * then queue behind the application thread whenever it spins in a wait: give the
	 * process (and so the link threads started below) every CPU again. */
	{
		cpu_set_t all;
		long i, n = sysconf(_SC_NPROCESSORS_ONLN);

		CPU_ZERO(&all);
		for (i = 0; i < n && i < CPU_SETSIZE; i++)
			CPU_SET(i, &all);
		(void)sched_setaffinity(0, sizeof(all), &all);
	}
	rc = ripc_link_start(&bench_link, &cfg);
	if (rc != 0)
		return rc;
	/* Measure the flow, not the handshake. */
	return ripc_event_wait(&link_status, UP, RIPC_EVENT_WAIT_ANY, &got, RIPC_SEC(20));
}

static int tcp_open(struct bench_chan *c, int side)
{
	return link_open(c, side, RIPC_LINK_TCP);
}

static int udp_open(struct bench_chan *c, int side)
{
	return link_open(c, side, RIPC_LINK_UDP);
}

static int link_send(struct bench_chan *c, int side, const void *buf, size_t len)
{
	(void)c;
	(void)side;
	return ripc_mbox_put(&link_out, buf, len, RIPC_SEC(10));
}

static int link_recv(struct bench_chan *c, int side, void *buf, size_t len)
{
	size_t got = 0;
	/* UDP may lose a message: time out like the plain UDP mechanism does (100 ms). */
	ripc_timeout_t t = c->mech->lossy ? RIPC_MSEC(100) : RIPC_SEC(10);
	int rc;

	(void)side;
	rc = ripc_mbox_get(&link_in, buf, len, &got, t);
	if (rc == 0 && got != len)
		return -EBADMSG;
	return rc;
}

static void link_close(struct bench_chan *c, int side)
{
	(void)c;
	(void)side;
	/* Let what is in flight land before the peer goes away. */
	(void)ripc_link_stop(&bench_link, RIPC_SEC(2));
}

static const struct bench_mech mech_link_tcp = {
	.name = "ripc-link-tcp",
	.order = 10,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM),
	.shm_size = sizeof(struct link_ports),
	.setup = tcp_setup,
	.open = tcp_open,
	.send = link_send,
	.recv = link_recv,
	.close = link_close,
};
BENCH_MECH(mech_link_tcp);

static const struct bench_mech mech_link_udp = {
	.name = "ripc-link-udp",
	.order = 11,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM),
	.lossy = true,
	.shm_size = sizeof(struct link_ports),
	.setup = udp_setup,
	.open = udp_open,
	.send = link_send,
	.recv = link_recv,
	.close = link_close,
};
BENCH_MECH(mech_link_udp);
