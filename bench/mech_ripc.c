/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief ripc's own objects as mechanisms: mailbox, pool (zero-copy), semaphore, event and
 *        mutex, all in memory the two processes share (MAP_SHARED, set up before the fork).
 *
 * The mailbox carries the messages itself. The pool carries them zero-copy: the sender
 * allocates a block, writes the message into it and puts only the 32-bit handle into a
 * mailbox; the receiver reads the block and releases it. The semaphore and the event are
 * doorbells of the shared ring (ring.c), like the kernel's semaphores and eventfd.
 *
 * This file is also compiled a second time by mech_ripc_nospin.c against a copy of the
 * library built with CONFIG_RIPC_SPIN_ITERATIONS=0 (every wait sleeps at once), whose
 * symbols carry a nospin_ prefix; that build registers the "nospin" variants.
 */
#include <errno.h>
#include <string.h>

#ifdef BENCH_NOSPIN
#include "nospin_names.h"
#define VARIANT       "nospin"
#define MECH_ID(name) name##_nospin
#define ORDER(n)      ((n) + 5)
#else
#define VARIANT       NULL
#define MECH_ID(name) name
#define ORDER(n)      (n)
#endif

#include <ripc/ripc.h>

#include "bench.h"

/* Depths: a pingpong has one message in flight, a stream wants room to run ahead. */
#define PP_DEPTH     16u
#define STREAM_DEPTH 256u
#define BULK_DEPTH   16u
#define BULK_BLOCKS  8u
#define MSG_BLOCKS   512u

/* Enough for the largest layout below: pool of BULK_BLOCKS MiB plus the mailboxes. */
#define RIPC_SHM_SIZE ((size_t)(BULK_BLOCKS + 5) << 20)

/* The objects of a run; pointers into the shared mapping, valid in both sides. */
static struct {
	struct ripc_mbox *mb[2]; /* direction d: from side d to the other side */
	struct ripc_sem *sem;    /* 4 doorbells, then one for uncontended */
	struct ripc_event *ev;   /* the same for events */
	struct ripc_mutex *mutex;
	struct ripc_pool *pool;
} obj;

/* A bump allocator over the shared mapping. */
static void *carve(struct bench_chan *c, size_t *used, size_t len)
{
	void *p = c->shm + *used;

	*used += (len + 63u) & ~(size_t)63u;
	return *used <= RIPC_SHM_SIZE ? p : NULL;
}

static int mbox_pair(struct bench_chan *c, size_t *used, uint32_t msz, uint32_t depth)
{
	int d, rc = 0;

	for (d = 0; d < 2 && rc == 0; d++) {
		size_t len = RIPC_MBOX_BUF_SIZE(msz, depth);

		obj.mb[d] = carve(c, used, sizeof(struct ripc_mbox));
		rc = ripc_mbox_init(obj.mb[d], carve(c, used, len), len, msz, depth);
	}
	return rc;
}

static uint32_t depth_for(const struct bench_chan *c)
{
	return c->sc == BENCH_STREAM ? STREAM_DEPTH : c->sc == BENCH_BULK ? BULK_DEPTH : PP_DEPTH;
}

static int setup_objects(struct bench_chan *c)
{
	size_t used = 0;
	int i, rc = 0;

	memset(&obj, 0, sizeof(obj));
	obj.sem = carve(c, &used, 5 * sizeof(struct ripc_sem));
	obj.ev = carve(c, &used, 5 * sizeof(struct ripc_event));
	obj.mutex = carve(c, &used, sizeof(struct ripc_mutex));
	for (i = 0; i < 5 && rc == 0; i++) {
		/* Doorbells are binary: a ring nobody waited for leaves one token, not many. */
		rc = ripc_sem_init(&obj.sem[i], i == 4, 1);
		if (rc == 0)
			rc = ripc_event_init(&obj.ev[i]);
	}
	if (rc == 0)
		rc = ripc_mutex_init(obj.mutex);
	return rc;
}

/* ---- Mailbox ------------------------------------------------------------------------- */

static int mbox_setup(struct bench_chan *c)
{
	size_t used = 4096;
	int rc = setup_objects(c);

	return rc != 0 ? rc : mbox_pair(c, &used, (uint32_t)c->msg_size, depth_for(c));
}

static int mbox_send(struct bench_chan *c, int side, const void *buf, size_t len)
{
	(void)c;
	return ripc_mbox_put(obj.mb[side], buf, len, RIPC_FOREVER);
}

static int mbox_recv(struct bench_chan *c, int side, void *buf, size_t len)
{
	size_t n = 0;
	int rc = ripc_mbox_get(obj.mb[1 - side], buf, len, &n, RIPC_FOREVER);

	(void)c;
	return rc != 0 ? rc : n == len ? 0 : -EPROTO;
}

static int mbox_uncontended(struct bench_chan *c, uint64_t n)
{
	static const uint64_t msg = 42;
	struct ripc_stats s0, s1;
	uint64_t v, i;
	size_t len;

	ripc_stats_get(&s0);
	for (i = 0; i < n; i++) {
		if (ripc_mbox_put(obj.mb[0], &msg, sizeof(msg), RIPC_NO_WAIT) != 0 ||
		    ripc_mbox_get(obj.mb[0], &v, sizeof(v), &len, RIPC_NO_WAIT) != 0)
			return -EPROTO;
	}
	if (ripc_stats_get(&s1) == 0)
		c->futex_calls += (int64_t)(s1.futex_waits - s0.futex_waits + s1.futex_wakes -
					    s0.futex_wakes);
	return 0;
}

static const struct bench_mech MECH_ID(mech_ripc_mbox) = {
	.name = "ripc-mbox",
	.variant = VARIANT,
	.order = ORDER(0),
#ifdef BENCH_NOSPIN
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM),
#else
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_BULK) |
		     BENCH_SC(BENCH_UNCONTENDED),
#endif
	.bulk_chunk = BENCH_MAX_MSG,
	.shm_size = RIPC_SHM_SIZE,
	.setup = mbox_setup,
	.send = mbox_send,
	.recv = mbox_recv,
	.uncontended = mbox_uncontended,
};
BENCH_MECH(MECH_ID(mech_ripc_mbox));

/* ---- Semaphore and event: doorbells of the shared ring ------------------------------------ */

static int sem_wait_bell(struct bench_chan *c, int bell, uint32_t token)
{
	(void)c;
	(void)token;
	return ripc_sem_take(&obj.sem[bell], RIPC_FOREVER);
}

static int sem_ring_bell(struct bench_chan *c, int bell)
{
	int rc = ripc_sem_give(&obj.sem[bell]);

	(void)c;
	return rc == -EOVERFLOW ? 0 : rc; /* already rung */
}

static const struct bench_bell sem_bell = {.wait = sem_wait_bell, .ring = sem_ring_bell};

static int sem_uncontended(struct bench_chan *c, uint64_t n)
{
	struct ripc_stats s0, s1;
	uint64_t i;

	ripc_stats_get(&s0);
	for (i = 0; i < n; i++) {
		if (ripc_sem_take(&obj.sem[4], RIPC_NO_WAIT) != 0 ||
		    ripc_sem_give(&obj.sem[4]) != 0)
			return -EPROTO;
	}
	if (ripc_stats_get(&s1) == 0)
		c->futex_calls += (int64_t)(s1.futex_waits - s0.futex_waits + s1.futex_wakes -
					    s0.futex_wakes);
	return 0;
}

static const struct bench_mech MECH_ID(mech_ripc_sem) = {
	.name = "ripc-sem",
	.variant = VARIANT,
	.order = ORDER(2),
#ifdef BENCH_NOSPIN
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM),
#else
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) |
		     BENCH_SC(BENCH_UNCONTENDED),
#endif
	.shm_size = RIPC_SHM_SIZE,
	.bell = &sem_bell,
	.setup = setup_objects,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.uncontended = sem_uncontended,
};
BENCH_MECH(MECH_ID(mech_ripc_sem));

#ifndef BENCH_NOSPIN

static int event_wait_bell(struct bench_chan *c, int bell, uint32_t token)
{
	(void)c;
	(void)token;
	return ripc_event_wait(&obj.ev[bell], 1, RIPC_EVENT_WAIT_ANY | RIPC_EVENT_CLEAR, NULL,
			       RIPC_FOREVER);
}

static int event_ring_bell(struct bench_chan *c, int bell)
{
	(void)c;
	return ripc_event_post(&obj.ev[bell], 1);
}

static const struct bench_bell event_bell = {.wait = event_wait_bell, .ring = event_ring_bell};

static int event_uncontended(struct bench_chan *c, uint64_t n)
{
	struct ripc_stats s0, s1;
	uint64_t i;

	ripc_stats_get(&s0);
	for (i = 0; i < n; i++) {
		if (ripc_event_post(&obj.ev[4], 1) != 0 ||
		    ripc_event_wait(&obj.ev[4], 1, RIPC_EVENT_WAIT_ANY | RIPC_EVENT_CLEAR, NULL,
				    RIPC_NO_WAIT) != 0)
			return -EPROTO;
	}
	if (ripc_stats_get(&s1) == 0)
		c->futex_calls += (int64_t)(s1.futex_waits - s0.futex_waits + s1.futex_wakes -
					    s0.futex_wakes);
	return 0;
}

static const struct bench_mech mech_ripc_event = {
	.name = "ripc-event",
	.order = 3,
	.scenarios =
		BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_UNCONTENDED),
	.shm_size = RIPC_SHM_SIZE,
	.bell = &event_bell,
	.setup = setup_objects,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.uncontended = event_uncontended,
};
BENCH_MECH(mech_ripc_event);

/* ---- Mutex ----------------------------------------------------------------------------- */

static int mutex_uncontended(struct bench_chan *c, uint64_t n)
{
	struct ripc_stats s0, s1;
	uint64_t i;

	ripc_stats_get(&s0);
	for (i = 0; i < n; i++) {
		if (ripc_mutex_lock(obj.mutex, RIPC_NO_WAIT) != 0 ||
		    ripc_mutex_unlock(obj.mutex) != 0)
			return -EPROTO;
	}
	if (ripc_stats_get(&s1) == 0)
		c->futex_calls += (int64_t)(s1.futex_waits - s0.futex_waits + s1.futex_wakes -
					    s0.futex_wakes + s1.pi_calls - s0.pi_calls);
	return 0;
}

static const struct bench_mech mech_ripc_mutex = {
	.name = "ripc-mutex",
	.order = 4,
	.scenarios = BENCH_SC(BENCH_UNCONTENDED),
	.shm_size = RIPC_SHM_SIZE,
	.setup = setup_objects,
	.uncontended = mutex_uncontended,
};
BENCH_MECH(mech_ripc_mutex);

/* ---- Pool: zero-copy, a handle through a mailbox ---------------------------------------- */

static int pool_setup(struct bench_chan *c)
{
	bool bulk = c->sc == BENCH_BULK;
	size_t block = bulk ? BENCH_BULK_SIZE : c->msg_size;
	uint32_t nblocks = bulk ? BULK_BLOCKS : MSG_BLOCKS;
	size_t used = 4096, len = RIPC_POOL_BUF_SIZE(block, nblocks);
	int rc = setup_objects(c);

	if (rc == 0)
		rc = mbox_pair(c, &used, sizeof(ripc_pool_handle_t),
			       bulk ? BULK_BLOCKS : depth_for(c));
	obj.pool = carve(c, &used, sizeof(struct ripc_pool));
	if (rc == 0)
		rc = ripc_pool_init(obj.pool, carve(c, &used, len), len, block, nblocks);
	return rc;
}

static int pool_put_handle(int side, void *block)
{
	ripc_pool_handle_t h;
	int rc = ripc_pool_ref(obj.pool, block, &h);

	return rc != 0 ? rc : ripc_mbox_put(obj.mb[side], &h, sizeof(h), RIPC_FOREVER);
}

static void *pool_get_handle(int side, ripc_pool_handle_t *h)
{
	size_t n;

	if (ripc_mbox_get(obj.mb[1 - side], h, sizeof(*h), &n, RIPC_FOREVER) != 0)
		return NULL;
	return ripc_pool_ptr(obj.pool, *h);
}

static int pool_send(struct bench_chan *c, int side, const void *buf, size_t len)
{
	void *block;
	int rc = ripc_pool_alloc(obj.pool, &block, RIPC_FOREVER);

	(void)c;
	if (rc != 0)
		return rc;
	memcpy(block, buf, len); /* the sender writes its message straight into the block */
	return pool_put_handle(side, block);
}

static int pool_recv(struct bench_chan *c, int side, void *buf, size_t len)
{
	ripc_pool_handle_t h;
	void *block = pool_get_handle(side, &h);

	(void)c;
	if (block == NULL)
		return -EPROTO;
	memcpy(buf, block, len);
	return ripc_pool_release(obj.pool, h);
}

static int pool_bulk_send(struct bench_chan *c, int side, uint8_t kind)
{
	unsigned char *block;
	int rc = ripc_pool_alloc(obj.pool, (void **)&block, RIPC_FOREVER);

	(void)c;
	if (rc != 0)
		return rc;
	bench_fill(block, BENCH_BULK_SIZE, kind + 1);
	block[0] = kind;
	return pool_put_handle(side, block);
}

static int pool_bulk_recv(struct bench_chan *c, int side, uint8_t *kind, uint64_t *sum)
{
	ripc_pool_handle_t h;
	unsigned char *block = pool_get_handle(side, &h);

	(void)c;
	if (block == NULL)
		return -EPROTO;
	*kind = block[0];
	*sum += bench_sum(block, BENCH_BULK_SIZE);
	return ripc_pool_release(obj.pool, h);
}

static int pool_uncontended(struct bench_chan *c, uint64_t n)
{
	struct ripc_stats s0, s1;
	void *block;
	uint64_t i;

	ripc_stats_get(&s0);
	for (i = 0; i < n; i++) {
		if (ripc_pool_alloc(obj.pool, &block, RIPC_NO_WAIT) != 0 ||
		    ripc_pool_free(obj.pool, block) != 0)
			return -EPROTO;
	}
	if (ripc_stats_get(&s1) == 0)
		c->futex_calls += (int64_t)(s1.futex_waits - s0.futex_waits + s1.futex_wakes -
					    s0.futex_wakes);
	return 0;
}

static const struct bench_mech mech_ripc_pool = {
	.name = "ripc-pool",
	.order = 1,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_BULK) |
		     BENCH_SC(BENCH_UNCONTENDED),
	.bulk_chunk = sizeof(ripc_pool_handle_t),
	.shm_size = RIPC_SHM_SIZE,
	.setup = pool_setup,
	.send = pool_send,
	.recv = pool_recv,
	.bulk_send = pool_bulk_send,
	.bulk_recv = pool_bulk_recv,
	.uncontended = pool_uncontended,
};
BENCH_MECH(mech_ripc_pool);

#endif /* !BENCH_NOSPIN */
