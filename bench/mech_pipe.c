/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Pipes and FIFOs: byte streams through the kernel, one per direction.
 *
 * A pipe is created before the fork and inherited; a FIFO is a path both processes open
 * after the fork (the point of a FIFO: unrelated processes find it by name). Both sides
 * open the A-to-B FIFO first, so neither blocks in open waiting for the other.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

/* fd[2d] reads and fd[2d+1] writes direction d (from side d to the other side). */
static int pipe_setup(struct bench_chan *c)
{
	int d;

	for (d = 0; d < 2; d++)
		if (pipe(&c->fd[2 * d]) != 0)
			return -errno;
	return 0;
}

static int pipe_send(struct bench_chan *c, int side, const void *buf, size_t len)
{
	return bench_write_all(c->fd[2 * side + 1], buf, len);
}

static int pipe_recv(struct bench_chan *c, int side, void *buf, size_t len)
{
	return bench_read_all(c->fd[2 * (1 - side)], buf, len);
}

static int pipe_uncontended(struct bench_chan *c, uint64_t n)
{
	uint64_t v = 42, i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		rc = bench_write_all(c->fd[1], &v, sizeof(v));
		if (rc == 0)
			rc = bench_read_all(c->fd[0], &v, sizeof(v));
	}
	return rc;
}

static void pipe_teardown(struct bench_chan *c)
{
	bench_close_fds(c);
}

static const struct bench_mech mech_pipe = {
	.name = "pipe",
	.order = 20,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_BULK) |
		     BENCH_SC(BENCH_UNCONTENDED),
	.bulk_chunk = BENCH_MAX_MSG,
	.setup = pipe_setup,
	.send = pipe_send,
	.recv = pipe_recv,
	.uncontended = pipe_uncontended,
	.teardown = pipe_teardown,
};
BENCH_MECH(mech_pipe);

/* ---- FIFO ------------------------------------------------------------------------------- */

static void fifo_path(const struct bench_chan *c, int d, char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/%s.%d", c->name, d);
}

static int fifo_setup(struct bench_chan *c)
{
	char path[96];
	int d;

	for (d = 0; d < 2; d++) {
		fifo_path(c, d, path, sizeof(path));
		if (mkfifo(path, 0600) != 0)
			return -errno;
	}
	return 0;
}

/* fd[0]: this side's writing end, fd[1]: its reading end. */
static int fifo_open(struct bench_chan *c, int side)
{
	char path[96];
	int d;

	for (d = 0; d < 2; d++) {
		int fd;

		fifo_path(c, d, path, sizeof(path));
		fd = open(path, d == side ? O_WRONLY : O_RDONLY);
		if (fd < 0)
			return -errno;
		c->fd[d == side ? 0 : 1] = fd;
	}
	return 0;
}

static int fifo_send(struct bench_chan *c, int side, const void *buf, size_t len)
{
	(void)side;
	return bench_write_all(c->fd[0], buf, len);
}

static int fifo_recv(struct bench_chan *c, int side, void *buf, size_t len)
{
	(void)side;
	return bench_read_all(c->fd[1], buf, len);
}

static void fifo_close(struct bench_chan *c, int side)
{
	(void)side;
	bench_close_fds(c);
}

static void fifo_teardown(struct bench_chan *c)
{
	char path[96];
	int d;

	for (d = 0; d < 2; d++) {
		fifo_path(c, d, path, sizeof(path));
		unlink(path);
	}
}

static const struct bench_mech mech_fifo = {
	.name = "fifo",
	.order = 21,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_BULK),
	.bulk_chunk = BENCH_MAX_MSG,
	.setup = fifo_setup,
	.open = fifo_open,
	.send = fifo_send,
	.recv = fifo_recv,
	.close = fifo_close,
	.teardown = fifo_teardown,
};
BENCH_MECH(mech_fifo);
