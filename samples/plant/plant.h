/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The plant sample's domain: what the sensor, filter and logger processes share.
 */
#ifndef PLANT_H
#define PLANT_H

#include <ripc/ripc.h>

/** One raw sample from the sensor. */
struct reading {
	uint32_t seq;     /**< Counts from 0 without gaps. */
	int32_t value_mv; /**< Millivolts. */
};

/** Samples per frame, and what the filter sends the logger (a pool handle). */
#define FRAME_SAMPLES 4096
struct frame_msg {
	ripc_pool_handle_t frame; /**< Block with FRAME_SAMPLES filtered int32 samples. */
	uint32_t first_seq;       /**< Sequence number of the first sample. */
	uint32_t checksum;        /**< Over the samples, checked by the logger. */
	uint32_t reserved;
};

/** Counters every process updates under stats_lock. */
struct plant_stats {
	uint64_t produced;
	uint64_t filtered;
	uint64_t frames_sent;
	uint64_t frames_logged;
	uint64_t bad_frames;
};

/* Bits of the control event. SIGTERM to any process posts SHUTDOWN (signal bridge). */
#define PLANT_SHUTDOWN    RIPC_EVENT_BIT(0)
#define PLANT_SENSOR_DONE RIPC_EVENT_BIT(1)
#define PLANT_FILTER_DONE RIPC_EVENT_BIT(2)
#define PLANT_LOGGER_DONE RIPC_EVENT_BIT(3)

#define PLANT_OBJECTS(X)                                        \
	X(MBOX, readings, sizeof(struct reading), 256)          \
	X(MBOX, frames, sizeof(struct frame_msg), 8)            \
	X(POOL, frame_pool, FRAME_SAMPLES * sizeof(int32_t), 8) \
	X(EVENT, control)                                       \
	X(MUTEX, stats_lock)                                    \
	X(DATA, stats, struct plant_stats)

RIPC_DOMAIN_DECLARE(plant, PLANT_OBJECTS);

/** 32-bit checksum of a frame (FNV-1a over the bytes). */
uint32_t plant_checksum(const int32_t *samples, size_t n);

/** Add @p d to one counter under the domain's mutex. */
void plant_count(uint64_t *counter, uint64_t d);

#endif /* PLANT_H */
