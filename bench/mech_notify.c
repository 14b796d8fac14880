/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Pure notification mechanisms as doorbells of the shared ring: eventfd, real-time
 *        signals, a raw futex, and spinning (no doorbell at all: the physical floor).
 *
 * The raw futex is the kernel primitive under ripc, used the plain way: a sequence word per
 * doorbell, FUTEX_WAKE after every message, FUTEX_WAIT on the value read before the ring
 * was found empty. Spinning ping-pong uses one cache line per direction (sequence word and
 * message together), the least any shared-memory hand-off can cost; its stream uses the
 * ring with a busy-waiting consumer.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

/* The musl wrappers do not see <linux/futex.h>. */
#define BENCH_FUTEX_WAIT 0
#define BENCH_FUTEX_WAKE 1

/* ---- eventfd ---------------------------------------------------------------------------- */

/* fd[0..3] are the doorbells, fd[4] the uncontended one. */
static int efd_setup(struct bench_chan *c)
{
	int i;

	for (i = 0; i < 5; i++) {
		c->fd[i] = eventfd(0, 0);
		if (c->fd[i] < 0)
			return -errno;
	}
	return 0;
}

static int efd_wait_bell(struct bench_chan *c, int bell, uint32_t token)
{
	uint64_t v;

	(void)token;
	return bench_read_all(c->fd[bell], &v, sizeof(v));
}

static int efd_ring_bell(struct bench_chan *c, int bell)
{
	static const uint64_t one = 1;

	return bench_write_all(c->fd[bell], &one, sizeof(one));
}

static const struct bench_bell efd_bell = {.wait = efd_wait_bell, .ring = efd_ring_bell};

static int efd_uncontended(struct bench_chan *c, uint64_t n)
{
	uint64_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		rc = efd_ring_bell(c, 4);
		if (rc == 0)
			rc = efd_wait_bell(c, 4, 0);
	}
	return rc;
}

static void efd_teardown(struct bench_chan *c)
{
	bench_close_fds(c);
}

static const struct bench_mech mech_eventfd = {
	.name = "eventfd",
	.order = 30,
	.scenarios =
		BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_UNCONTENDED),
	.bell = &efd_bell,
	.setup = efd_setup,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.uncontended = efd_uncontended,
	.teardown = efd_teardown,
};
BENCH_MECH(mech_eventfd);

/* ---- Real-time signals --------------------------------------------------------------------- */

/* Bell b is signal SIGRTMIN + b, sent to the side that waits on it: the consumer of its
 * direction for an items bell, the producer for a space bell. */
static int sig_of(int bell)
{
	return SIGRTMIN + bell;
}

static int sig_open(struct bench_chan *c, int side)
{
	sigset_t set;
	int b;

	(void)c;
	(void)side;
	/* Blocked before the start barrier: no ring can arrive before it is waited for. */
	sigemptyset(&set);
	for (b = 0; b < 4; b++)
		sigaddset(&set, sig_of(b));
	return sigprocmask(SIG_BLOCK, &set, NULL) == 0 ? 0 : -errno;
}

static int sig_wait_bell(struct bench_chan *c, int bell, uint32_t token)
{
	sigset_t set;

	(void)c;
	(void)token;
	sigemptyset(&set);
	sigaddset(&set, sig_of(bell));
	while (sigwaitinfo(&set, NULL) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int sig_ring_bell(struct bench_chan *c, int bell)
{
	int dir = bell / 2, waiter = bell % 2 == 0 ? 1 - dir : dir;

	return kill(c->pids[waiter], sig_of(bell)) == 0 ? 0 : -errno;
}

static const struct bench_bell sig_bell = {.wait = sig_wait_bell, .ring = sig_ring_bell};

static const struct bench_mech mech_signal = {
	.name = "signal",
	.order = 31,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM),
	.bell = &sig_bell,
	.open = sig_open,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
};
BENCH_MECH(mech_signal);

/* ---- Raw futex ----------------------------------------------------------------------------- */

static _Atomic uint32_t *futex_word(struct bench_chan *c, int bell)
{
	return (_Atomic uint32_t *)(void *)(c->shm + 64 * bell);
}

static long futex(void *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

static uint32_t futex_prepare(struct bench_chan *c, int bell)
{
	return atomic_load_explicit(futex_word(c, bell), memory_order_acquire);
}

static int futex_wait_bell(struct bench_chan *c, int bell, uint32_t token)
{
	if (futex(futex_word(c, bell), BENCH_FUTEX_WAIT, token) != 0 && errno != EAGAIN &&
	    errno != EINTR)
		return -errno;
	return 0;
}

static int futex_ring_bell(struct bench_chan *c, int bell)
{
	atomic_fetch_add_explicit(futex_word(c, bell), 1, memory_order_seq_cst);
	return futex(futex_word(c, bell), BENCH_FUTEX_WAKE, 1) < 0 ? -errno : 0;
}

static const struct bench_bell futex_bell = {
	.prepare = futex_prepare, .wait = futex_wait_bell, .ring = futex_ring_bell};

static const struct bench_mech mech_futex = {
	.name = "futex",
	.order = 32,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM),
	.shm_size = 4 * 64,
	.bell = &futex_bell,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
};
BENCH_MECH(mech_futex);

/* ---- Spinning ------------------------------------------------------------------------------ */

/* One direction of the spinning ping-pong: the first message bytes share the line with the
 * sequence word, so a small message is one cache-line transfer. */
struct spin_line {
	_Alignas(64) _Atomic uint32_t seq;
	unsigned char data[60 + 1024];
};

static uint32_t spin_seen[2]; /* per process: last sequence received per direction */

static struct spin_line *spin_line(struct bench_chan *c, int d)
{
	return (struct spin_line *)(void *)c->shm + d;
}

static int spin_wait_bell(struct bench_chan *c, int bell, uint32_t token)
{
	(void)c;
	(void)bell;
	(void)token;
	bench_relax();
	return 0;
}

static const struct bench_bell spin_bell = {.wait = spin_wait_bell};

static int spin_send(struct bench_chan *c, int side, const void *buf, size_t len)
{
	struct spin_line *l = spin_line(c, side);

	if (c->sc != BENCH_PINGPONG)
		return bench_ring_send(c, side, buf, len);
	/* One message in flight: the reader is done with the line once it has answered. */
	memcpy(l->data, buf, len);
	atomic_fetch_add_explicit(&l->seq, 1, memory_order_release);
	return 0;
}

static int spin_recv(struct bench_chan *c, int side, void *buf, size_t len)
{
	int d = 1 - side;
	struct spin_line *l = spin_line(c, d);
	uint32_t s;

	if (c->sc != BENCH_PINGPONG)
		return bench_ring_recv(c, side, buf, len);
	while ((s = atomic_load_explicit(&l->seq, memory_order_acquire)) == spin_seen[d])
		bench_relax();
	spin_seen[d] = s;
	memcpy(buf, l->data, len);
	return 0;
}

static const struct bench_mech mech_spin = {
	.name = "spin",
	.order = 33,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM),
	.shm_size = 2 * sizeof(struct spin_line),
	.bell = &spin_bell,
	.send = spin_send,
	.recv = spin_recv,
};
BENCH_MECH(mech_spin);
