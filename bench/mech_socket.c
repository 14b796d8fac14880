/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Sockets: UNIX stream, datagram and seqpacket pairs, TCP and UDP over loopback.
 *
 * Every pair is connected before the fork (fd[0] is side A's end, fd[1] side B's), so the
 * runs measure the data path, not connection set-up. TCP has Nagle off (TCP_NODELAY), as a
 * latency-minded user would set it. UDP may drop on loopback when the receiver falls
 * behind: its receive calls time out instead of hanging, and the stream scenario reports
 * what was lost.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "bench.h"

#define UDP_TIMEOUT_US 100000
#define UDP_RCVBUF     (4 << 20)

static int send_msg(int fd, const void *buf, size_t len)
{
	ssize_t n;

	while ((n = send(fd, buf, len, 0)) < 0)
		if (errno != EINTR)
			return -errno;
	return (size_t)n == len ? 0 : -EPROTO;
}

static int recv_msg(int fd, void *buf, size_t len)
{
	ssize_t n;

	while ((n = recv(fd, buf, len, 0)) < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
	return (size_t)n == len ? 0 : -EPROTO;
}

static int stream_send(struct bench_chan *c, int side, const void *buf, size_t len)
{
	return bench_write_all(c->fd[side], buf, len);
}

static int stream_recv(struct bench_chan *c, int side, void *buf, size_t len)
{
	return bench_read_all(c->fd[side], buf, len);
}

static int dgram_send(struct bench_chan *c, int side, const void *buf, size_t len)
{
	return send_msg(c->fd[side], buf, len);
}

static int dgram_recv(struct bench_chan *c, int side, void *buf, size_t len)
{
	return recv_msg(c->fd[side], buf, len);
}

static void sock_teardown(struct bench_chan *c)
{
	bench_close_fds(c);
}

/* ---- UNIX ------------------------------------------------------------------------------- */

static int unix_pair(struct bench_chan *c, int type)
{
	return socketpair(AF_UNIX, type, 0, c->fd) == 0 ? 0 : -errno;
}

static int unix_stream_setup(struct bench_chan *c)
{
	return unix_pair(c, SOCK_STREAM);
}

static int unix_dgram_setup(struct bench_chan *c)
{
	return unix_pair(c, SOCK_DGRAM);
}

static int unix_seqpacket_setup(struct bench_chan *c)
{
	return unix_pair(c, SOCK_SEQPACKET);
}

#define SOCK_SCENARIOS (BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_BULK))

static const struct bench_mech mech_unix_stream = {
	.name = "unix-stream",
	.order = 24,
	.scenarios = SOCK_SCENARIOS,
	.bulk_chunk = BENCH_MAX_MSG,
	.setup = unix_stream_setup,
	.send = stream_send,
	.recv = stream_recv,
	.teardown = sock_teardown,
};
BENCH_MECH(mech_unix_stream);

/* Datagrams of 64 KiB fit the default socket buffers (about 208 KiB). */
static const struct bench_mech mech_unix_dgram = {
	.name = "unix-dgram",
	.order = 25,
	.scenarios = SOCK_SCENARIOS,
	.bulk_chunk = BENCH_MAX_MSG / 2,
	.setup = unix_dgram_setup,
	.send = dgram_send,
	.recv = dgram_recv,
	.teardown = sock_teardown,
};
BENCH_MECH(mech_unix_dgram);

static const struct bench_mech mech_unix_seqpacket = {
	.name = "unix-seqpacket",
	.order = 26,
	.scenarios = SOCK_SCENARIOS,
	.bulk_chunk = BENCH_MAX_MSG / 2,
	.setup = unix_seqpacket_setup,
	.send = dgram_send,
	.recv = dgram_recv,
	.teardown = sock_teardown,
};
BENCH_MECH(mech_unix_seqpacket);

/* ---- TCP and UDP over loopback ------------------------------------------------------------ */

static struct sockaddr_in loopback_any(void)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* Bind @p fd to an ephemeral loopback port; its address goes to @p out. */
static int bind_loopback(int fd, struct sockaddr_in *out)
{
	socklen_t len = sizeof(*out);

	*out = loopback_any();
	if (bind(fd, (struct sockaddr *)out, sizeof(*out)) != 0 ||
	    getsockname(fd, (struct sockaddr *)out, &len) != 0)
		return -errno;
	return 0;
}

static int tcp_setup(struct bench_chan *c)
{
	struct sockaddr_in a;
	int one = 1, rc, i;

	c->fd[2] = socket(AF_INET, SOCK_STREAM, 0);
	c->fd[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd[2] < 0 || c->fd[0] < 0)
		return -errno;
	rc = bind_loopback(c->fd[2], &a);
	if (rc != 0)
		return rc;
	if (listen(c->fd[2], 1) != 0 || connect(c->fd[0], (struct sockaddr *)&a, sizeof(a)) != 0)
		return -errno;
	c->fd[1] = accept(c->fd[2], NULL, NULL);
	if (c->fd[1] < 0)
		return -errno;
	for (i = 0; i < 2; i++)
		setsockopt(c->fd[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

static const struct bench_mech mech_tcp = {
	.name = "tcp",
	.order = 27,
	.scenarios = SOCK_SCENARIOS,
	.bulk_chunk = BENCH_MAX_MSG,
	.setup = tcp_setup,
	.send = stream_send,
	.recv = stream_recv,
	.teardown = sock_teardown,
};
BENCH_MECH(mech_tcp);

static int udp_setup(struct bench_chan *c)
{
	struct timeval tv = {.tv_sec = 0, .tv_usec = UDP_TIMEOUT_US};
	struct sockaddr_in a[2];
	int i, rc, buf = UDP_RCVBUF;

	for (i = 0; i < 2; i++) {
		c->fd[i] = socket(AF_INET, SOCK_DGRAM, 0);
		if (c->fd[i] < 0)
			return -errno;
		rc = bind_loopback(c->fd[i], &a[i]);
		if (rc != 0)
			return rc;
		/* Past rmem_max only with privilege; the plain call is the fallback. */
		if (setsockopt(c->fd[i], SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) != 0)
			setsockopt(c->fd[i], SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
		setsockopt(c->fd[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	for (i = 0; i < 2; i++)
		if (connect(c->fd[i], (struct sockaddr *)&a[1 - i], sizeof(a[0])) != 0)
			return -errno;
	return 0;
}

static const struct bench_mech mech_udp = {
	.name = "udp",
	.order = 28,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM),
	.lossy = true,
	.setup = udp_setup,
	.send = dgram_send,
	.recv = dgram_recv,
	.teardown = sock_teardown,
};
BENCH_MECH(mech_udp);
