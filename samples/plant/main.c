/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The plant: three processes sharing one ripc domain.
 *
 * - sensor: samples a (simulated) signal and puts each reading into the @c readings mailbox;
 * - filter: smooths the readings and, every FRAME_SAMPLES, fills a block of @c frame_pool
 *   and sends only its handle through the @c frames mailbox (zero copy);
 * - logger: maps each handle back to the block, checks it and releases it.
 *
 * SIGTERM to any of them posts PLANT_SHUTDOWN on the shared @c control event through the
 * signal bridge; each process waits with ripc_poll on its mailbox *and* that event, drains
 * what its upstream produced, and exits. `ripc-plant run SECONDS` starts the three as
 * separate programs, sends them SIGTERM after SECONDS, and checks that nothing was lost.
 *
 * Usage: ripc-plant run [seconds] | sensor | filter | logger
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plant.h"

RIPC_DOMAIN_DEFINE(plant, PLANT_OBJECTS);

uint32_t plant_checksum(const int32_t *samples, size_t n)
{
	const unsigned char *p = (const unsigned char *)samples;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n * sizeof(*samples); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

void plant_count(uint64_t *counter, uint64_t d)
{
	struct ripc_mutex *lock = RIPC_DOMAIN_OBJ(plant, stats_lock);

	if (ripc_mutex_lock(lock, RIPC_SEC(5)) == -EOWNERDEAD)
		ripc_mutex_consistent(lock); /* a counter update cannot be half done */
	*counter += d;
	ripc_mutex_unlock(lock);
}

static bool shutting_down(uint32_t also)
{
	uint32_t want = PLANT_SHUTDOWN | also;

	return (ripc_event_get(RIPC_DOMAIN_OBJ(plant, control)) & want) == want;
}

static int run_sensor(void)
{
	struct ripc_mbox *out = RIPC_DOMAIN_OBJ(plant, readings);
	struct reading r = {0};
	int rc = 0;

	while (!shutting_down(0)) {
		/* A 50 Hz wave with a little deterministic noise. */
		r.value_mv = (int32_t)((r.seq * 37u) % 1000u) - 500 + (int32_t)(r.seq % 7u);
		rc = ripc_mbox_put(out, &r, sizeof(r), RIPC_MSEC(100));
		if (rc == -ETIMEDOUT)
			continue; /* consumer busy: check for shutdown, then try again */
		if (rc != 0)
			break;
		r.seq++;
		if (r.seq % 1024 == 0)
			plant_count(&RIPC_DOMAIN_OBJ(plant, stats)->produced, 1024);
	}
	plant_count(&RIPC_DOMAIN_OBJ(plant, stats)->produced, r.seq % 1024);
	ripc_event_post(RIPC_DOMAIN_OBJ(plant, control), PLANT_SENSOR_DONE);
	return rc == 0 || rc == -ETIMEDOUT ? 0 : 1;
}

/* Send a full frame to the logger by handle. */
static int send_frame(int32_t *frame, uint32_t first_seq)
{
	struct ripc_pool *pool = RIPC_DOMAIN_OBJ(plant, frame_pool);
	struct frame_msg m = {.first_seq = first_seq};
	int rc;

	m.checksum = plant_checksum(frame, FRAME_SAMPLES);
	rc = ripc_pool_ref(pool, frame, &m.frame);
	if (rc == 0)
		rc = ripc_mbox_put(RIPC_DOMAIN_OBJ(plant, frames), &m, sizeof(m), RIPC_SEC(5));
	if (rc == 0)
		plant_count(&RIPC_DOMAIN_OBJ(plant, stats)->frames_sent, 1);
	return rc;
}

static int run_filter(void)
{
	struct ripc_poll_item items[] = {
		RIPC_POLL_MBOX_GET(RIPC_DOMAIN_OBJ(plant, readings)),
		RIPC_POLL_EVENT(RIPC_DOMAIN_OBJ(plant, control), PLANT_SHUTDOWN,
				RIPC_EVENT_WAIT_ANY),
	};
	struct ripc_pool *pool = RIPC_DOMAIN_OBJ(plant, frame_pool);
	int32_t *frame = NULL;
	uint32_t fill = 0, first = 0;
	int64_t avg = 0;
	uint64_t n = 0;
	struct reading r;
	size_t len;
	int rc = 0;

	for (;;) {
		rc = ripc_mbox_get(items[0].obj, &r, sizeof(r), &len, RIPC_NO_WAIT);
		if (rc == -EAGAIN) {
			/* Empty: stop once the sensor is done, else wait for either. */
			if (shutting_down(PLANT_SENSOR_DONE) && ripc_mbox_count(items[0].obj) == 0)
				break;
			(void)ripc_poll(items, 2, RIPC_MSEC(100));
			continue;
		}
		if (rc != 0)
			break;
		if (frame == NULL &&
		    (rc = ripc_pool_alloc(pool, (void **)&frame, RIPC_SEC(5))) != 0)
			break;
		if (fill == 0)
			first = r.seq;
		avg += (r.value_mv * 1024 - avg) / 8; /* exponential smoothing, Q10 */
		frame[fill++] = (int32_t)(avg / 1024);
		n++;
		if (fill == FRAME_SAMPLES) {
			rc = send_frame(frame, first);
			if (rc != 0)
				break;
			frame = NULL; /* the logger owns it now */
			fill = 0;
		}
	}
	if (frame != NULL)
		ripc_pool_free(pool, frame); /* a partial last frame is not sent */
	plant_count(&RIPC_DOMAIN_OBJ(plant, stats)->filtered, n);
	ripc_event_post(RIPC_DOMAIN_OBJ(plant, control), PLANT_FILTER_DONE);
	return rc == 0 || rc == -EAGAIN ? 0 : 1;
}

static int run_logger(void)
{
	struct ripc_poll_item items[] = {
		RIPC_POLL_MBOX_GET(RIPC_DOMAIN_OBJ(plant, frames)),
		RIPC_POLL_EVENT(RIPC_DOMAIN_OBJ(plant, control), PLANT_FILTER_DONE,
				RIPC_EVENT_WAIT_ANY),
	};
	struct ripc_pool *pool = RIPC_DOMAIN_OBJ(plant, frame_pool);
	struct frame_msg m;
	size_t len;
	int rc;

	for (;;) {
		int32_t *frame;

		rc = ripc_mbox_get(items[0].obj, &m, sizeof(m), &len, RIPC_NO_WAIT);
		if (rc == -EAGAIN) {
			if (shutting_down(PLANT_FILTER_DONE) && ripc_mbox_count(items[0].obj) == 0)
				break;
			(void)ripc_poll(items, 2, RIPC_MSEC(100));
			continue;
		}
		if (rc != 0)
			break;
		frame = ripc_pool_ptr(pool, m.frame);
		if (frame == NULL || plant_checksum(frame, FRAME_SAMPLES) != m.checksum)
			plant_count(&RIPC_DOMAIN_OBJ(plant, stats)->bad_frames, 1);
		else if (m.first_seq % (FRAME_SAMPLES * 64) == 0)
			printf("logger: frame from sample %u, first value %d mV\n", m.first_seq,
			       frame[0]);
		ripc_pool_release(pool, m.frame);
		plant_count(&RIPC_DOMAIN_OBJ(plant, stats)->frames_logged, 1);
	}
	ripc_event_post(RIPC_DOMAIN_OBJ(plant, control), PLANT_LOGGER_DONE);
	return rc == 0 || rc == -EAGAIN ? 0 : 1;
}

static int run_role(const char *role)
{
	int rc = ripc_domain_attach(&plant);

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rc != 0) {
		fprintf(stderr, "%s: cannot attach the plant domain: %s\n", role, strerror(-rc));
		return 1;
	}
	/* SIGTERM becomes an ordinary event bit that every process of the domain sees. */
	rc = ripc_event_bridge_signal(RIPC_DOMAIN_OBJ(plant, control), SIGTERM, PLANT_SHUTDOWN);
	if (rc != 0) {
		fprintf(stderr, "%s: signal bridge: %s\n", role, strerror(-rc));
		return 1;
	}
	if (strcmp(role, "sensor") == 0)
		return run_sensor();
	if (strcmp(role, "filter") == 0)
		return run_filter();
	return run_logger();
}

/* Each role is its own process. They are forked rather than executed so the sample also
 * runs under qemu-user, which cannot exec a foreign binary; started by hand
 * (`ripc-plant sensor &` ...) they find each other through the domain the same way. */
static pid_t start(const char *role)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(run_role(role));
	return pid;
}

static int report(void)
{
	struct plant_stats *s = RIPC_DOMAIN_OBJ(plant, stats);
	bool ok = s->produced == s->filtered && s->frames_sent == s->frames_logged &&
		  s->bad_frames == 0 && s->frames_logged == s->filtered / FRAME_SAMPLES;

	printf("plant: %llu readings produced, %llu filtered, %llu frames sent, %llu logged "
	       "(%llu bad): %s\n",
	       (unsigned long long)s->produced, (unsigned long long)s->filtered,
	       (unsigned long long)s->frames_sent, (unsigned long long)s->frames_logged,
	       (unsigned long long)s->bad_frames, ok ? "nothing lost" : "MISMATCH");
	return ok ? 0 : 1;
}

static int run_all(double seconds)
{
	static const char *const roles[] = {"logger", "filter", "sensor"};
	pid_t pids[3];
	int i, status, failed = 0;

	(void)ripc_domain_unlink(&plant); /* start from a fresh region */
	if (ripc_domain_attach(&plant) != 0) {
		fprintf(stderr, "plant: cannot create the domain\n");
		return 1;
	}
	printf("plant: sensor -> filter -> logger as three processes for %.1f s "
	       "(domain /dev/shm/ripc.plant)\n",
	       seconds);
	fflush(stdout);
	for (i = 0; i < 3; i++)
		pids[i] = start(roles[i]);
	usleep((useconds_t)(seconds * 1e6));
	printf("plant: SIGTERM to every process\n");
	fflush(stdout);
	for (i = 0; i < 3; i++)
		kill(pids[i], SIGTERM);
	for (i = 0; i < 3; i++)
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "plant: %s failed\n", roles[i]);
			failed = 1;
		}
	failed |= report();
	ripc_domain_detach(&plant);
	ripc_domain_unlink(&plant);
	return failed;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return run_all(argc > 2 ? atof(argv[2]) : 3.0);
	if (argc == 2 && (strcmp(argv[1], "sensor") == 0 || strcmp(argv[1], "filter") == 0 ||
			  strcmp(argv[1], "logger") == 0))
		return run_role(argv[1]);
	fprintf(stderr, "usage: %s run [seconds] | sensor | filter | logger\n", argv[0]);
	return 2;
}
