/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The telemetry sample's contract between its two boards: what travels, on which
 *        channels and ports. Both boards build their links from these definitions, so the
 *        handshake finds them identical.
 *
 * Board "sensor" samples a (simulated) process at 1 kHz and puts each reading into its
 * mailbox @c telemetry, which a TCP link delivers, in order and exactly once, into the
 * mailbox of the same name on board "control". Threshold crossings are alarm bits posted
 * on the sensor's event @c alarms, which a UDP link posts on the control board: alarms
 * take their own path and are never queued behind telemetry.
 */
#ifndef RIPC_SAMPLE_TELEMETRY_H
#define RIPC_SAMPLE_TELEMETRY_H

#include <stdint.h>

#include <ripc/ripc.h>

/** TCP port of the control board's telemetry listener. */
#define TELEMETRY_TCP_PORT 7400
/** UDP ports of the alarm link on the sensor and the control board. */
#define ALARM_UDP_PORT_SENSOR  7401
#define ALARM_UDP_PORT_CONTROL 7402

/** Alarm bits. */
#define ALARM_OVERTEMP     RIPC_EVENT_BIT(0)
#define ALARM_OVERPRESSURE RIPC_EVENT_BIT(1)
#define ALARM_ALL          (ALARM_OVERTEMP | ALARM_OVERPRESSURE)

/** Link state bits on each board's status event. */
#define LINK_TCP_UP   RIPC_EVENT_BIT(0)
#define LINK_TCP_DOWN RIPC_EVENT_BIT(1)
#define LINK_UDP_UP   RIPC_EVENT_BIT(2)
#define LINK_UDP_DOWN RIPC_EVENT_BIT(3)

/** One reading, as it travels (fixed-width fields: boards may differ in word size). */
struct reading {
	uint32_t seq;        /**< 0, 1, 2, ...; the last one has @c last set. */
	uint32_t last;       /**< 1 on the final reading of a run. */
	int64_t t_ns;        /**< Sensor's monotonic time of the sample. */
	int32_t temp_mc;     /**< Temperature in milli-degrees Celsius. */
	int32_t pressure_pa; /**< Pressure in pascal. */
};

/** Depth of the telemetry mailboxes on both boards. */
#define TELEMETRY_DEPTH 256

/** Run board "sensor": readings for @p seconds to @p control_ip. Returns an exit code. */
int sensor_board(const char *control_ip, const char *bind_ip, int seconds);

/** Run board "control" until the sensor's last reading. Returns an exit code. */
int control_board(const char *sensor_ip, const char *bind_ip);

#endif /* RIPC_SAMPLE_TELEMETRY_H */
