/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief A single-producer, single-consumer ring in shared memory, one per direction,
 *        for mechanisms that only signal (semaphores, eventfd, signals, futex, spinning).
 *
 * The message travels through the ring; the mechanism is the doorbell (struct bench_bell)
 * the consumer sleeps on while the ring is empty, and the producer while it is full. So
 * every signalling mechanism carries the same bytes through the same memory, and only the
 * wake-up differs. The indices are the truth and a doorbell only says "look again": a ring
 * nobody waited for leaves a stale token that costs one extra look, never a lost message.
 *
 * A bell is rung only when its waiter said it is about to wait: the consumer sets a flag
 * before it sleeps for items, the producer before it sleeps for space, and the other side
 * checks that flag after it moved its index (both store then load, sequentially consistent,
 * so one of them sees the other). That is how each of these mechanisms is used well (no
 * system call while the other side is busy), and it keeps counting doorbells (semaphores,
 * queued signals) from piling up tokens nobody waits for. Those index and flag writes are
 * exchanges, not plain stores: qemu-user on an x86 host can let a later load-acquire pass a
 * store-release (a lost wake-up, seen as a hang under emulation), while an exchange is a
 * full barrier everywhere and costs the same as a sequentially consistent store on x86.
 * Each side keeps its last view of the other side's index and reads the shared one only
 * when that view says full (or empty), so a running stream does not bounce both index
 * lines on every message.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "bench.h"

#define RING_SLOTS  64u
#define RING_STRIDE 1024u

struct ring_dir {
	/* One line each: the flags change only around sleeps, the indices every message. */
	_Alignas(64) _Atomic uint32_t tail;       /* written by the producer */
	_Alignas(64) _Atomic uint32_t head;       /* written by the consumer */
	_Alignas(64) _Atomic uint32_t space_wait; /* the producer waits for space */
	_Alignas(64) _Atomic uint32_t items_wait; /* the consumer waits for items */
	_Alignas(64) unsigned char slots[RING_SLOTS][RING_STRIDE];
};

size_t bench_ring_size(void)
{
	return 2 * sizeof(struct ring_dir);
}

/* This process's last view of the consumer's head (as producer) and the producer's tail
 * (as consumer), per direction. */
static uint32_t seen_head[2], seen_tail[2];

/* Direction d carries messages from side d to the other side. */
static struct ring_dir *dir_of(struct bench_chan *c, int d)
{
	return (struct ring_dir *)(void *)c->ring + d;
}

static uint32_t prepare(struct bench_chan *c, int bell)
{
	return c->mech->bell->prepare ? c->mech->bell->prepare(c, bell) : 0;
}

static int ring_bell(struct bench_chan *c, int bell)
{
	return c->mech->bell->ring ? c->mech->bell->ring(c, bell) : 0;
}

static bool full(struct ring_dir *r, uint32_t t)
{
	return t - atomic_load_explicit(&r->head, memory_order_seq_cst) >= RING_SLOTS;
}

static bool full_cached(struct ring_dir *r, int d, uint32_t t)
{
	if (t - seen_head[d] < RING_SLOTS)
		return false;
	seen_head[d] = atomic_load_explicit(&r->head, memory_order_seq_cst);
	return t - seen_head[d] >= RING_SLOTS;
}

static int wait_space(struct bench_chan *c, struct ring_dir *r, int bell, uint32_t t)
{
	bool flagged = false;
	int rc = 0;

	while (rc == 0 && full(r, t)) {
		uint32_t tok = prepare(c, bell);

		/* A bell nobody rings (spinning) needs no flag. */
		if (c->mech->bell->ring != NULL && !flagged) {
			atomic_exchange_explicit(&r->space_wait, 1, memory_order_seq_cst);
			flagged = true;
			if (!full(r, t))
				break;
		}
		rc = c->mech->bell->wait(c, bell, tok);
	}
	/* Only a flag we set is cleared: a store on every call would bounce its line. */
	if (flagged)
		atomic_store_explicit(&r->space_wait, 0, memory_order_relaxed);
	return rc;
}

int bench_ring_send(struct bench_chan *c, int side, const void *buf, size_t len)
{
	struct ring_dir *r = dir_of(c, side);
	uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	int rc;

	if (len > RING_STRIDE)
		return -EMSGSIZE;
	if (full_cached(r, side, t)) {
		rc = wait_space(c, r, 2 * side + 1, t);
		if (rc != 0)
			return rc;
	}
	memcpy(r->slots[t % RING_SLOTS], buf, len);
	atomic_exchange_explicit(&r->tail, t + 1, memory_order_seq_cst);
	if (atomic_load_explicit(&r->items_wait, memory_order_seq_cst))
		return ring_bell(c, 2 * side);
	return 0;
}

static int wait_items(struct bench_chan *c, struct ring_dir *r, int d, uint32_t h)
{
	bool flagged = false;
	int rc = 0;

	/* A bell nobody rings (spinning): just watch the index. */
	while (c->mech->bell->ring == NULL && seen_tail[d] == h) {
		seen_tail[d] = atomic_load_explicit(&r->tail, memory_order_acquire);
		c->mech->bell->wait(c, 2 * d, 0);
	}
	while (rc == 0 && seen_tail[d] == h) {
		uint32_t tok = prepare(c, 2 * d);

		if (!flagged) {
			atomic_exchange_explicit(&r->items_wait, 1, memory_order_seq_cst);
			flagged = true;
		}
		seen_tail[d] = atomic_load_explicit(&r->tail, memory_order_seq_cst);
		if (seen_tail[d] != h)
			break;
		rc = c->mech->bell->wait(c, 2 * d, tok);
	}
	if (flagged)
		atomic_store_explicit(&r->items_wait, 0, memory_order_relaxed);
	return rc;
}

int bench_ring_recv(struct bench_chan *c, int side, void *buf, size_t len)
{
	int d = 1 - side;
	struct ring_dir *r = dir_of(c, d);
	uint32_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	int rc;

	if (len > RING_STRIDE)
		return -EMSGSIZE;
	rc = wait_items(c, r, d, h);
	if (rc != 0)
		return rc;
	memcpy(buf, r->slots[h % RING_SLOTS], len);
	atomic_exchange_explicit(&r->head, h + 1, memory_order_seq_cst);
	if (atomic_load_explicit(&r->space_wait, memory_order_seq_cst))
		return ring_bell(c, 2 * d + 1);
	return 0;
}
