/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief A firmware application built out of tree against an installed ripc.
 *
 * Two processes share a domain: a sensor process puts readings into a mailbox and gives a
 * semaphore once it has sent them all; the main process gets and checks every reading,
 * takes the semaphore, then posts an event bit that lets the sensor exit.
 *
 * Before that, the main process checks that the ripc it links is the one this firmware
 * asked for: built for its board (APP_BOARD, from its build) and configured with its Kconfig
 * fragment, ripc.conf. Both the installed headers and the library's behaviour must show
 * the fragment: a stale config.h next to another libripc.a is caught too.
 *
 * Prints "ripc-app: ok ..." and exits 0, or names each mismatch and exits 1.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ripc/ripc.h>
#include <ripc/board.h>

#ifndef APP_BOARD
#error "build with -DAPP_BOARD=\"<board>\": the board this firmware is for"
#endif

/* What ripc.conf asks for; keep these in step with it. */
#define WANT_SPIN_ITERATIONS 250
#define WANT_SIGNAL_SLOTS    2

#define READINGS    1000
#define SENSOR_STOP RIPC_EVENT_BIT(0)

struct reading {
	uint32_t seq;
	int32_t value_mv;
};

#define APP_OBJECTS(X)                                \
	X(MBOX, readings, sizeof(struct reading), 16) \
	X(SEM, sent_all, 0, 1)                        \
	X(EVENT, control)

RIPC_DOMAIN_DECLARE(app, APP_OBJECTS);
RIPC_DOMAIN_DEFINE(app, APP_OBJECTS);

static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("ripc-app: FAIL: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

/* One signal more than the configured slots must find the bridge table full. */
static void check_signal_slots(void)
{
	static const int signals[WANT_SIGNAL_SLOTS + 1] = {SIGUSR1, SIGUSR2, SIGHUP};
	static RIPC_EVENT_DEFINE(ev);
	int rc[WANT_SIGNAL_SLOTS + 1];
	int i;

	for (i = 0; i <= WANT_SIGNAL_SLOTS; i++)
		rc[i] = ripc_event_bridge_signal(&ev, signals[i], RIPC_EVENT_BIT(i));
	for (i = 0; i <= WANT_SIGNAL_SLOTS; i++) {
		if (rc[i] == 0)
			ripc_event_unbridge_signal(signals[i]);
		if (i < WANT_SIGNAL_SLOTS && rc[i] != 0)
			fail("bridging signal %d of %d gave %d", i + 1, WANT_SIGNAL_SLOTS, rc[i]);
	}
	if (rc[WANT_SIGNAL_SLOTS] != -ENOSPC)
		fail("libripc.a: bridging signal %d gave %d, not -ENOSPC: ripc.conf allows %d",
		     WANT_SIGNAL_SLOTS + 1, rc[WANT_SIGNAL_SLOTS], WANT_SIGNAL_SLOTS);
}

static void check_ripc_build(void)
{
	struct ripc_stats stats;
	int rc;

	if (strcmp(RIPC_BOARD, APP_BOARD) != 0)
		fail("ripc is built for board %s, this firmware for %s", RIPC_BOARD, APP_BOARD);
	if (CONFIG_RIPC_SPIN_ITERATIONS != WANT_SPIN_ITERATIONS)
		fail("config.h: CONFIG_RIPC_SPIN_ITERATIONS is %d, ripc.conf asks for %d",
		     CONFIG_RIPC_SPIN_ITERATIONS, WANT_SPIN_ITERATIONS);
	if (CONFIG_RIPC_EVENT_SIGNAL_SLOTS != WANT_SIGNAL_SLOTS)
		fail("config.h: CONFIG_RIPC_EVENT_SIGNAL_SLOTS is %d, ripc.conf asks for %d",
		     CONFIG_RIPC_EVENT_SIGNAL_SLOTS, WANT_SIGNAL_SLOTS);
	if (RIPC_IS_ENABLED(CONFIG_RIPC_STATS))
		fail("config.h: CONFIG_RIPC_STATS is set, ripc.conf turns it off");
	rc = ripc_stats_get(&stats);
	if (rc != -ENOTSUP)
		fail("libripc.a keeps statistics (ripc_stats_get gave %d), ripc.conf turns them "
		     "off",
		     rc);
	check_signal_slots();
}

static int run_sensor(void)
{
	struct reading r;
	uint32_t i;
	int rc;

	rc = ripc_domain_attach(&app);
	for (i = 0; rc == 0 && i < READINGS; i++) {
		r.seq = i;
		r.value_mv = (int32_t)(i * 37u % 1000u) - 500;
		rc = ripc_mbox_put(RIPC_DOMAIN_OBJ(app, readings), &r, sizeof(r), RIPC_SEC(10));
	}
	if (rc == 0)
		rc = ripc_sem_give(RIPC_DOMAIN_OBJ(app, sent_all));
	/* Stay attached until the main process has taken everything. */
	if (rc == 0)
		rc = ripc_event_wait(RIPC_DOMAIN_OBJ(app, control), SENSOR_STOP,
				     RIPC_EVENT_WAIT_ANY, NULL, RIPC_SEC(10));
	if (rc != 0)
		fprintf(stderr, "ripc-app: sensor: %s\n", strerror(-rc));
	return rc == 0 ? 0 : 1;
}

static void receive_readings(void)
{
	struct reading r = {0};
	size_t len = 0;
	uint32_t i;
	int rc;

	for (i = 0; i < READINGS; i++) {
		rc = ripc_mbox_get(RIPC_DOMAIN_OBJ(app, readings), &r, sizeof(r), &len,
				   RIPC_SEC(10));
		if (rc != 0 || len != sizeof(r) || r.seq != i) {
			fail("reading %u: rc %d, %zu bytes, seq %u", i, rc, len, r.seq);
			return;
		}
	}
	rc = ripc_sem_take(RIPC_DOMAIN_OBJ(app, sent_all), RIPC_SEC(10));
	if (rc != 0)
		fail("sensor never gave sent_all: %d", rc);
}

static void run_main(pid_t sensor)
{
	int status = 0;
	int rc;

	rc = ripc_domain_attach(&app);
	if (rc != 0)
		fail("ripc_domain_attach: %d", rc);
	else
		receive_readings();
	if (rc == 0)
		ripc_event_post(RIPC_DOMAIN_OBJ(app, control), SENSOR_STOP);
	if (waitpid(sensor, &status, 0) != sensor || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail("sensor process failed (status 0x%x)", (unsigned int)status);
	ripc_domain_detach(&app);
	ripc_domain_unlink(&app);
}

int main(void)
{
	char name[RIPC_DOMAIN_NAME_MAX];
	pid_t sensor;

	alarm(60); /* a hang is a failure, never a stuck build */
	check_ripc_build();

	/* A name of our own: other runs of this program may share the machine. */
	snprintf(name, sizeof(name), "/ripc.app.%ld", (long)getpid());
	if (ripc_domain_set_name(&app, name) != 0)
		fail("ripc_domain_set_name(%s)", name);
	fflush(NULL);
	sensor = fork();
	if (sensor < 0) {
		fail("fork: %s", strerror(errno));
		return 1;
	}
	if (sensor == 0)
		_exit(run_sensor());
	run_main(sensor);

	if (failures != 0)
		return 1;
	printf("ripc-app: ok: board %s, %d readings through domain %s\n", RIPC_BOARD, READINGS,
	       name);
	return 0;
}
