/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief ripc-bench: the types every part of the benchmark shares.
 *
 * A mechanism (pipe, POSIX mq, a ripc mailbox, ...) is one struct bench_mech in a linker
 * section, registered by BENCH_MECH(); adding one is adding one file. A mechanism moves
 * fixed-size messages between two sides (side 0 and side 1, two forked processes) through
 * its send and recv calls, or lists only the scenarios it can run. The scenarios
 * (scenario.c) are written once on top of those calls; the runner (run.c) forks the sides,
 * pins them, times them and collects what they measured through shared memory.
 */
#ifndef RIPC_BENCH_H
#define RIPC_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/** The scenarios, in report order. */
enum bench_scenario {
	BENCH_PINGPONG,    /**< Round trip, p50/p99, several sizes. */
	BENCH_STREAM,      /**< One-way messages per second, 64 B. */
	BENCH_BULK,        /**< One-way MB/s of 1 MiB payloads, written and read completely. */
	BENCH_UNCONTENDED, /**< ns per operation pair in one process. */
	BENCH_NSCENARIOS
};

/** Bit of a scenario in bench_mech::scenarios. */
#define BENCH_SC(s) (1u << (s))

/** Sizes the pingpong scenario runs. */
#define BENCH_PINGPONG_SIZES   \
	{                      \
		8u, 64u, 1024u \
	}
#define BENCH_NPINGPONG_SIZES 3
/** Message size of the stream scenario. */
#define BENCH_STREAM_SIZE 64u
/** Payload of the bulk scenario. */
#define BENCH_BULK_SIZE (1u << 20)
/** Largest message any send/recv call carries (bulk chunks included). */
#define BENCH_MAX_MSG (64u << 10)

/** First byte of every message: what it is. */
enum bench_kind { BENCH_MSG_DATA = 0, BENCH_MSG_STOP = 1, BENCH_MSG_ACK = 2 };

/** The two processes of a run. */
enum { BENCH_SIDE_A = 0, BENCH_SIDE_B = 1 };

struct bench_chan;

/**
 * A doorbell: what a mechanism without a message queue of its own (semaphores, eventfd,
 * signals, futex, spinning) contributes to the shared-memory ring of ring.c. Bell numbers
 * are 2 * direction + (0: items, 1: space). A ring may be rung when nobody waits; the ring
 * re-checks its indices after every wait, so stale rings are harmless.
 */
struct bench_bell {
	/** Value to pass to wait, taken before the caller checks the ring (futex); may be NULL. */
	uint32_t (*prepare)(struct bench_chan *c, int bell);
	/** Sleep (or spin) until rung; may return early. 0 or a negative errno. */
	int (*wait)(struct bench_chan *c, int bell, uint32_t token);
	/** Ring: wake the waiter of @p bell. 0 or a negative errno. */
	int (*ring)(struct bench_chan *c, int bell);
};

/** One mechanism. Callbacks return 0 or a negative errno; unused ones are NULL. */
struct bench_mech {
	const char *name;    /**< JSON name, e.g. "posix-mq". */
	const char *variant; /**< NULL, or e.g. "polling", "nospin". */
	int order;           /**< Report order: smaller first. */
	unsigned scenarios;  /**< BENCH_SC() bits it supports. */
	size_t bulk_chunk;   /**< Bytes per send in the bulk scenario (generic bulk). */
	bool lossy;          /**< May drop messages (UDP): recv times out instead of hanging. */
	bool one_process;    /**< A reference that runs in side A alone (memcpy). */
	size_t shm_size;     /**< Shared memory it needs beyond the ring (bench_chan::shm). */
	const struct bench_bell *bell; /**< Set: send/recv go through the ring of ring.c. */

	/** NULL when it can run here, else why not (a static string). Called once. */
	const char *(*probe)(void);
	/** Before the fork, in the runner: create the objects (fds, shared objects). */
	int (*setup)(struct bench_chan *c);
	/** In each side after the fork. */
	int (*open)(struct bench_chan *c, int side);
	/** Send one message of c->msg_size bytes in direction @p side -> other side. */
	int (*send)(struct bench_chan *c, int side, const void *buf, size_t len);
	/** Receive exactly one message of @p len bytes sent by the other side. */
	int (*recv)(struct bench_chan *c, int side, void *buf, size_t len);
	/** Zero-copy bulk (optional): send one payload of BENCH_BULK_SIZE, first byte @p kind. */
	int (*bulk_send)(struct bench_chan *c, int side, uint8_t kind);
	/** Zero-copy bulk (optional): receive one payload, read it all into @p sum. */
	int (*bulk_recv)(struct bench_chan *c, int side, uint8_t *kind, uint64_t *sum);
	/** Uncontended: @p n operation pairs in this one process. */
	int (*uncontended)(struct bench_chan *c, uint64_t n);
	/** In each side before it exits. */
	void (*close)(struct bench_chan *c, int side);
	/** In the runner after both sides exited. */
	void (*teardown)(struct bench_chan *c);
};

/** Register a mechanism: one pointer in the "bench_mechs" section; order by ::order. */
#define BENCH_MECH(id) BENCH_MECH_(id)
/** @cond INTERNAL */
#define BENCH_MECH_(id)                                           \
	static const struct bench_mech *const bench_mech_ptr_##id \
		__attribute__((used, section("bench_mechs"), aligned(sizeof(void *)))) = &id
/** @endcond */

/** A run's state: built by the runner, inherited by both sides through fork(). */
struct bench_chan {
	const struct bench_mech *mech;
	enum bench_scenario sc;
	size_t msg_size;      /**< Bytes of every send/recv of this run. */
	unsigned char *shm;   /**< MAP_SHARED, zeroed, mech->shm_size bytes, 64-aligned. */
	unsigned char *ring;  /**< The ring of ring.c (mechanisms with a bell). */
	volatile pid_t *pids; /**< Both sides' pids, valid once the sides started. */
	int fd[8];            /**< For the mechanism; -1 when unused. */
	char name[64];        /**< A name unique to this run (FIFO paths, mq names). */
	void *priv;           /**< Side-local state, set by open. */
	int64_t futex_calls;  /**< Uncontended ripc objects: futex calls counted; -1 unknown. */
};

/* ---- Registry (registry.c) ---- */

/** Mechanisms in report order, probed; @p n gets the count. */
const struct bench_mech *const *bench_mechs(size_t *n);
/** Why @p m cannot run here, or NULL. */
const char *bench_unavailable(const struct bench_mech *m);

/* ---- Scenario names (registry.c) ---- */
const char *bench_scenario_name(enum bench_scenario s);

/* ---- Shared-memory ring over a doorbell (ring.c) ---- */
size_t bench_ring_size(void);
int bench_ring_send(struct bench_chan *c, int side, const void *buf, size_t len);
int bench_ring_recv(struct bench_chan *c, int side, void *buf, size_t len);

/* ---- Helpers for mechanisms (util.c) ---- */
/** Write or read exactly @p len bytes on a stream descriptor. */
int bench_write_all(int fd, const void *buf, size_t len);
int bench_read_all(int fd, void *buf, size_t len);
/** Fill the bulk payload (the producer's work) and sum it (the consumer's). */
void bench_fill(void *buf, size_t len, uint8_t seed);
uint64_t bench_sum(const void *buf, size_t len);
/** Close every fd of @p c that is not -1. */
void bench_close_fds(struct bench_chan *c);
/** Monotonic clock and this process's CPU time, in ns. */
int64_t bench_now_ns(void);
int64_t bench_cpu_ns(void);
/** Tell the CPU we are spinning. */
void bench_relax(void);

#endif /* RIPC_BENCH_H */
