/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Eclipse iceoryx (C binding, 2.0) as a mechanism: one publisher and one subscriber
 *        per direction, zero-copy chunks, in two variants.
 *
 * "polling": the receiver spins on iox_sub_take_chunk, iceoryx's fastest mode. "blocking":
 * it sleeps in a WaitSet until data arrives, the mode that costs no CPU while idle. The
 * sender loans a chunk, writes the message into it and publishes it; the receiver reads it
 * from the chunk and releases it, so the bulk scenario is zero-copy as for ripc-pool.
 * Publishers wait for a slow subscriber instead of dropping data, so streams lose nothing.
 *
 * Each side is its own iceoryx runtime (the runtime must start after the fork), with a name
 * unique to the run; RouDi is started once by roudi.c before the first run.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <iceoryx_binding_c/log.h>
#include <iceoryx_binding_c/publisher.h>
#include <iceoryx_binding_c/runtime.h>
#include <iceoryx_binding_c/subscriber.h>
#include <iceoryx_binding_c/wait_set.h>

#include "bench.h"
#include "roudi.h"

#define CONNECT_TIMEOUT_NS 10000000000LL

/* Side-local state (each side is its own process). */
static iox_pub_storage_t pub_storage;
static iox_sub_storage_t sub_storage;
static iox_ws_storage_t ws_storage;
static iox_pub_t pub;
static iox_sub_t sub;
static iox_ws_t ws;
static bool blocking;

static const char *iox_probe(void)
{
	return bench_roudi_probe();
}

static int iox_setup(struct bench_chan *c)
{
	(void)c;
	return bench_roudi_start();
}

static uint64_t queue_capacity(const struct bench_chan *c)
{
	/* Bulk: few 1 MiB chunks in flight, so the publisher waits before the mempool runs dry. */
	return c->sc == BENCH_BULK ? 4 : c->sc == BENCH_STREAM ? 256 : 16;
}

/* Wait until this side's subscriber is connected and its publisher has a subscriber. */
static int wait_connected(void)
{
	int64_t deadline = bench_now_ns() + CONNECT_TIMEOUT_NS;

	while (iox_sub_get_subscription_state(sub) != SubscribeState_SUBSCRIBED ||
	       !iox_pub_has_subscribers(pub)) {
		if (bench_now_ns() > deadline)
			return -ETIMEDOUT;
		usleep(1000);
	}
	return 0;
}

static int iox_open(struct bench_chan *c, int side)
{
	char app[100], instance[64];
	iox_pub_options_t po;
	iox_sub_options_t so;

	snprintf(app, sizeof(app), "%s-%c", c->name, 'a' + side);
	snprintf(instance, sizeof(instance), "%s", c->name);
	iox_set_loglevel(Iceoryx_LogLevel_Warn);
	iox_runtime_init(app);
	iox_pub_options_init(&po);
	po.subscriberTooSlowPolicy = ConsumerTooSlowPolicy_WAIT_FOR_CONSUMER;
	pub = iox_pub_init(&pub_storage, "ripc-bench", instance, side ? "b2a" : "a2b", &po);
	iox_sub_options_init(&so);
	so.queueCapacity = queue_capacity(c);
	so.queueFullPolicy = QueueFullPolicy_BLOCK_PRODUCER;
	sub = iox_sub_init(&sub_storage, "ripc-bench", instance, side ? "a2b" : "b2a", &so);
	blocking = c->mech->variant != NULL && strcmp(c->mech->variant, "blocking") == 0;
	if (blocking) {
		ws = iox_ws_init(&ws_storage);
		if (iox_ws_attach_subscriber_state(ws, sub, SubscriberState_HAS_DATA, 0, NULL) !=
		    WaitSetResult_SUCCESS)
			return -EIO;
	}
	return wait_connected();
}

static void *loan(size_t len)
{
	void *chunk = NULL;

	/* Out of chunks means the subscriber still holds them: it releases them soon. */
	while (iox_pub_loan_chunk(pub, &chunk, (uint32_t)len) != AllocationResult_SUCCESS)
		sched_yield();
	return chunk;
}

static const void *take(void)
{
	const void *chunk = NULL;

	for (;;) {
		enum iox_ChunkReceiveResult r = iox_sub_take_chunk(sub, &chunk);
		iox_notification_info_t info[4];
		uint64_t missed;

		if (r == ChunkReceiveResult_SUCCESS)
			return chunk;
		if (r != ChunkReceiveResult_NO_CHUNK_AVAILABLE)
			return NULL;
		if (blocking)
			(void)iox_ws_wait(ws, info, 4, &missed);
		else
			bench_relax();
	}
}

static int iox_send(struct bench_chan *c, int side, const void *buf, size_t len)
{
	void *chunk = loan(len);

	(void)c;
	(void)side;
	memcpy(chunk, buf, len);
	iox_pub_publish_chunk(pub, chunk);
	return 0;
}

static int iox_recv(struct bench_chan *c, int side, void *buf, size_t len)
{
	const void *chunk = take();

	(void)c;
	(void)side;
	if (chunk == NULL)
		return -EIO;
	memcpy(buf, chunk, len);
	iox_sub_release_chunk(sub, chunk);
	return 0;
}

static int iox_bulk_send(struct bench_chan *c, int side, uint8_t kind)
{
	unsigned char *chunk = loan(BENCH_BULK_SIZE);

	(void)c;
	(void)side;
	bench_fill(chunk, BENCH_BULK_SIZE, kind + 1);
	chunk[0] = kind;
	iox_pub_publish_chunk(pub, chunk);
	return 0;
}

static int iox_bulk_recv(struct bench_chan *c, int side, uint8_t *kind, uint64_t *sum)
{
	const unsigned char *chunk = take();

	(void)c;
	(void)side;
	if (chunk == NULL)
		return -EIO;
	*kind = chunk[0];
	*sum += bench_sum(chunk, BENCH_BULK_SIZE);
	iox_sub_release_chunk(sub, chunk);
	return 0;
}

static void iox_close(struct bench_chan *c, int side)
{
	(void)c;
	(void)side;
	if (blocking)
		iox_ws_deinit(ws);
	iox_sub_deinit(sub);
	iox_pub_deinit(pub);
}

/* A side killed before its runtime ended leaves its IPC channel behind: remove it. */
static void iox_teardown(struct bench_chan *c)
{
	static const char *const suffix[] = {"a", "a.lock", "b", "b.lock"};
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(path, sizeof(path), "/tmp/%s-%s", c->name, suffix[i]);
		unlink(path);
	}
}

#define IOX_MECH(id, var, ord)                                                                    \
	static const struct bench_mech id = {                                                     \
		.name = "iceoryx",                                                                \
		.variant = var,                                                                   \
		.order = ord,                                                                     \
		.scenarios =                                                                      \
			BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_BULK), \
		.bulk_chunk = 8,                                                                  \
		.probe = iox_probe,                                                               \
		.setup = iox_setup,                                                               \
		.open = iox_open,                                                                 \
		.send = iox_send,                                                                 \
		.recv = iox_recv,                                                                 \
		.bulk_send = iox_bulk_send,                                                       \
		.bulk_recv = iox_bulk_recv,                                                       \
		.close = iox_close,                                                               \
		.teardown = iox_teardown,                                                         \
	};                                                                                        \
	BENCH_MECH(id)

IOX_MECH(mech_iceoryx_polling, "polling", 50);
IOX_MECH(mech_iceoryx_blocking, "blocking", 51);
