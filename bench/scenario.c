/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The scenarios, written once over a mechanism's send and recv: pingpong, stream,
 *        bulk and uncontended, each a warm-up phase and a measured phase.
 *
 * Every message of a run has the same length, so byte-stream mechanisms read exactly that
 * much and message mechanisms get one message. Its first byte says what it is (data, stop,
 * acknowledgement), its second which phase it belongs to, so a late stop resent over a
 * lossy mechanism is recognised and ignored. Side A drives and times; side B answers. Each
 * side measures its own CPU time over the measured phase only.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

/* A lossy mechanism's receiver waits through this many recv timeouts before giving up. */
#define LOSSY_PATIENCE 100

static _Alignas(64) unsigned char tx[BENCH_MAX_MSG];
static _Alignas(64) unsigned char rx[BENCH_MAX_MSG];
static _Alignas(64) unsigned char bulk_buf[BENCH_BULK_SIZE];

static int fail(struct bench_side_out *o, int rc, const char *what)
{
	if (o->rc == 0) {
		o->rc = rc < 0 ? rc : -EPROTO;
		snprintf(o->err, sizeof(o->err), "%s: %s", what, strerror(-o->rc));
	}
	return o->rc;
}

/* ---- Pingpong --------------------------------------------------------------------------- */

/* Side A: round trips until @p dur has passed (or @p cap samples), then stop and ack. */
static int pp_drive(struct bench_chan *c, struct bench_side_out *o, uint8_t phase, int64_t dur,
		    uint32_t *samples, size_t cap)
{
	const struct bench_mech *m = c->mech;
	size_t len = c->msg_size;
	int64_t end = bench_now_ns() + dur, start = bench_now_ns();
	uint64_t n = 0;
	int rc;

	memset(tx, 0x5a, len);
	tx[0] = BENCH_MSG_DATA;
	tx[1] = phase;
	for (;;) {
		int64_t t0 = bench_now_ns(), t1;

		if (t0 >= end || (samples != NULL && n >= cap))
			break;
		rc = m->send(c, BENCH_SIDE_A, tx, len);
		if (rc == 0)
			rc = m->recv(c, BENCH_SIDE_A, rx, len);
		if (rc != 0)
			return fail(o, rc, "pingpong round trip");
		t1 = bench_now_ns();
		if (rx[0] != BENCH_MSG_DATA)
			return fail(o, -EPROTO, "pingpong: unexpected reply");
		if (samples != NULL)
			samples[n] = (uint32_t)(t1 - t0 > UINT32_MAX ? UINT32_MAX : t1 - t0);
		n++;
	}
	o->elapsed_ns = bench_now_ns() - start;
	tx[0] = BENCH_MSG_STOP;
	rc = m->send(c, BENCH_SIDE_A, tx, len);
	if (rc == 0)
		rc = m->recv(c, BENCH_SIDE_A, rx, len);
	if (rc != 0 || rx[0] != BENCH_MSG_ACK)
		return fail(o, rc, "pingpong stop");
	o->count = n;
	o->nsamples = samples != NULL ? n : 0;
	return 0;
}

/* Side B: echo every message until the stop, which it acknowledges. */
static int pp_serve(struct bench_chan *c, struct bench_side_out *o)
{
	const struct bench_mech *m = c->mech;
	size_t len = c->msg_size;
	int idle = 0;

	for (;;) {
		int rc = m->recv(c, BENCH_SIDE_B, rx, len);

		/* A lossy mechanism times out while side A is between phases. */
		if (rc == -ETIMEDOUT && m->lossy && ++idle < LOSSY_PATIENCE)
			continue;
		if (rc != 0)
			return fail(o, rc, "pingpong echo recv");
		idle = 0;
		if (rx[0] == BENCH_MSG_STOP)
			rx[0] = BENCH_MSG_ACK;
		rc = m->send(c, BENCH_SIDE_B, rx, len);
		if (rc != 0)
			return fail(o, rc, "pingpong echo send");
		if (rx[0] == BENCH_MSG_ACK)
			return 0;
	}
}

/* ---- Stream ----------------------------------------------------------------------------- */

/* Send the stop of @p phase until its acknowledgement arrives; the ack says how many the
 * receiver got. */
static int stream_stop(struct bench_chan *c, struct bench_side_out *o, uint8_t phase)
{
	const struct bench_mech *m = c->mech;
	int tries;

	tx[0] = BENCH_MSG_STOP;
	tx[1] = phase;
	for (tries = 0; tries < 50; tries++) {
		int rc = m->send(c, BENCH_SIDE_A, tx, c->msg_size);

		while (rc == 0) {
			rc = m->recv(c, BENCH_SIDE_A, rx, c->msg_size);
			if (rc == 0 && rx[0] == BENCH_MSG_ACK && rx[1] == phase) {
				memcpy(&o->count, rx + 8, sizeof(o->count));
				return 0;
			}
		}
		if (rc != -ETIMEDOUT || !m->lossy)
			return fail(o, rc, "stream stop");
	}
	return fail(o, -ETIMEDOUT, "stream stop never acknowledged");
}

static int stream_drive(struct bench_chan *c, struct bench_side_out *o, uint8_t phase, int64_t dur)
{
	const struct bench_mech *m = c->mech;
	int64_t start = bench_now_ns(), end = start + dur;
	uint64_t n = 0;

	memset(tx, 0x5a, c->msg_size);
	tx[0] = BENCH_MSG_DATA;
	tx[1] = phase;
	/* Reading the clock every 16 messages keeps it out of the cost of a message. */
	while ((n & 15) != 0 || bench_now_ns() < end) {
		int rc = m->send(c, BENCH_SIDE_A, tx, c->msg_size);

		if (rc != 0)
			return fail(o, rc, "stream send");
		n++;
	}
	o->sent = n;
	if (stream_stop(c, o, phase) != 0)
		return o->rc;
	o->elapsed_ns = bench_now_ns() - start;
	return 0;
}

static int stream_serve(struct bench_chan *c, struct bench_side_out *o, uint8_t phase)
{
	const struct bench_mech *m = c->mech;
	uint64_t n = 0;
	int idle = 0;

	for (;;) {
		int rc = m->recv(c, BENCH_SIDE_B, rx, c->msg_size);

		if (rc == -ETIMEDOUT && m->lossy && ++idle < LOSSY_PATIENCE)
			continue;
		if (rc != 0)
			return fail(o, rc, "stream recv");
		idle = 0;
		if (rx[1] != phase)
			continue; /* a stop of an earlier phase, resent */
		if (rx[0] == BENCH_MSG_DATA) {
			n++;
			continue;
		}
		memset(tx, 0, c->msg_size);
		tx[0] = BENCH_MSG_ACK;
		tx[1] = phase;
		memcpy(tx + 8, &n, sizeof(n));
		o->count = n;
		rc = m->send(c, BENCH_SIDE_B, tx, c->msg_size);
		return rc != 0 ? fail(o, rc, "stream ack") : 0;
	}
}

/* ---- Bulk ------------------------------------------------------------------------------- */

/* Generic bulk: the producer writes the payload into its buffer and sends it in chunks. */
static int bulk_send(struct bench_chan *c, int side, uint8_t kind, uint8_t seed)
{
	const struct bench_mech *m = c->mech;
	size_t off;

	if (m->bulk_send != NULL)
		return m->bulk_send(c, side, kind);
	bench_fill(bulk_buf, BENCH_BULK_SIZE, seed);
	bulk_buf[0] = kind;
	for (off = 0; off < BENCH_BULK_SIZE; off += c->msg_size) {
		int rc = m->send(c, side, bulk_buf + off, c->msg_size);

		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Generic bulk: the consumer receives every chunk, then reads the whole payload. */
static int bulk_recv(struct bench_chan *c, int side, uint8_t *kind, uint64_t *sum)
{
	const struct bench_mech *m = c->mech;
	size_t off;

	if (m->bulk_recv != NULL)
		return m->bulk_recv(c, side, kind, sum);
	for (off = 0; off < BENCH_BULK_SIZE; off += c->msg_size) {
		int rc = m->recv(c, side, bulk_buf + off, c->msg_size);

		if (rc != 0)
			return rc;
	}
	*kind = bulk_buf[0];
	*sum += bench_sum(bulk_buf, BENCH_BULK_SIZE);
	return 0;
}

static int bulk_drive(struct bench_chan *c, struct bench_side_out *o, int64_t dur)
{
	int64_t start = bench_now_ns(), end = start + dur;
	uint64_t n = 0, sum = 0;
	uint8_t kind = 0;
	int rc;

	do {
		rc = bulk_send(c, BENCH_SIDE_A, BENCH_MSG_DATA, (uint8_t)(n + 1));
		if (rc != 0)
			return fail(o, rc, "bulk send");
		n++;
	} while (bench_now_ns() < end);
	o->elapsed_ns = bench_now_ns() - start;
	o->count = n;
	if (c->mech->one_process)
		return 0;
	rc = bulk_send(c, BENCH_SIDE_A, BENCH_MSG_STOP, 0);
	if (rc == 0)
		rc = bulk_recv(c, BENCH_SIDE_A, &kind, &sum);
	if (rc != 0 || kind != BENCH_MSG_ACK)
		return fail(o, rc, "bulk stop");
	o->elapsed_ns = bench_now_ns() - start;
	o->count = n;
	return 0;
}

static int bulk_serve(struct bench_chan *c, struct bench_side_out *o)
{
	uint8_t kind = 0;
	int rc;

	for (;;) {
		rc = bulk_recv(c, BENCH_SIDE_B, &kind, &o->sum);
		if (rc != 0)
			return fail(o, rc, "bulk recv");
		if (kind == BENCH_MSG_STOP)
			break;
		o->count++;
	}
	rc = bulk_send(c, BENCH_SIDE_B, BENCH_MSG_ACK, 0);
	return rc != 0 ? fail(o, rc, "bulk ack") : 0;
}

/* ---- Uncontended ------------------------------------------------------------------------ */

#define UNCONTENDED_BATCH 1024u

static int uncontended(struct bench_chan *c, struct bench_side_out *o, const struct bench_params *p)
{
	int64_t end = bench_now_ns() + p->warm_ns, start, cpu;
	uint64_t n = 0;
	int rc = 0;

	while (rc == 0 && bench_now_ns() < end)
		rc = c->mech->uncontended(c, UNCONTENDED_BATCH);
	c->futex_calls = 0;
	cpu = bench_cpu_ns();
	start = bench_now_ns();
	end = start + p->measure_ns;
	while (rc == 0 && bench_now_ns() < end) {
		rc = c->mech->uncontended(c, UNCONTENDED_BATCH);
		n += UNCONTENDED_BATCH;
	}
	if (rc != 0)
		return fail(o, rc, "uncontended operation");
	o->elapsed_ns = bench_now_ns() - start;
	o->cpu_ns = bench_cpu_ns() - cpu;
	o->count = n;
	o->futex_calls = c->futex_calls;
	return 0;
}

/* ---- One side --------------------------------------------------------------------------- */

static int drive(struct bench_chan *c, struct bench_side_out *o, const struct bench_params *p,
		 struct bench_ctl *ctl)
{
	int64_t cpu;
	int rc;

	switch (c->sc) {
	case BENCH_PINGPONG:
		rc = pp_drive(c, o, 0, p->warm_ns, NULL, 0);
		cpu = bench_cpu_ns();
		if (rc == 0)
			rc = pp_drive(c, o, 1, p->measure_ns, ctl->samples, BENCH_MAX_SAMPLES);
		break;
	case BENCH_STREAM:
		rc = stream_drive(c, o, 0, p->warm_ns);
		cpu = bench_cpu_ns();
		if (rc == 0)
			rc = stream_drive(c, o, 1, p->measure_ns);
		break;
	case BENCH_BULK:
		rc = bulk_drive(c, o, p->warm_ns);
		cpu = bench_cpu_ns();
		if (rc == 0)
			rc = bulk_drive(c, o, p->measure_ns);
		break;
	default:
		return uncontended(c, o, p);
	}
	o->cpu_ns = bench_cpu_ns() - cpu;
	return rc;
}

static int serve(struct bench_chan *c, struct bench_side_out *o)
{
	int64_t cpu = 0;
	int phase, rc = 0;

	for (phase = 0; phase < 2 && rc == 0; phase++) {
		o->count = 0;
		o->sum = 0;
		cpu = bench_cpu_ns();
		if (c->sc == BENCH_PINGPONG)
			rc = pp_serve(c, o);
		else if (c->sc == BENCH_STREAM)
			rc = stream_serve(c, o, (uint8_t)phase);
		else
			rc = bulk_serve(c, o);
	}
	o->cpu_ns = bench_cpu_ns() - cpu;
	return rc;
}

/* Wait until every side has opened its end: nobody sends into a half-built channel. */
static void barrier(struct bench_ctl *ctl, int nsides)
{
	atomic_fetch_add(&ctl->ready, 1);
	while (atomic_load(&ctl->ready) < nsides)
		usleep(50);
}

int bench_side_main(struct bench_chan *c, int side, const struct bench_params *p,
		    struct bench_ctl *ctl)
{
	struct bench_side_out *o = &ctl->out[side];
	int nsides = c->sc == BENCH_UNCONTENDED || c->mech->one_process ? 1 : 2;
	int rc = 0;

	o->futex_calls = -1;
	c->futex_calls = -1;
	ctl->pids[side] = getpid();
	if (p->ncpu > 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(p->cpu[side % p->ncpu], &set);
		(void)sched_setaffinity(0, sizeof(set), &set);
	}
	if (c->mech->open != NULL)
		rc = c->mech->open(c, side);
	if (rc != 0)
		fail(o, rc, "open");
	barrier(ctl, nsides);
	if (rc == 0)
		rc = side == BENCH_SIDE_A ? drive(c, o, p, ctl) : serve(c, o);
	if (c->mech->close != NULL)
		c->mech->close(c, side);
	return rc == 0 ? 0 : 1;
}
