/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief ripc demo: two processes pass a token back and forth through two semaphores in
 *        shared memory, and report round trips per second.
 *
 * The parent ("ping") gives @c ping and takes @c pong; the child ("pong") takes @c ping and
 * gives @c pong. Each round trip is two hand-offs between processes. A mutex in the same
 * shared page guards the statistics both sides update.
 *
 * Usage: ripc-demo [seconds]   (default 3)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ripc/ripc.h>

/** Everything the two processes share: one page of MAP_SHARED memory. */
struct demo_shared {
	struct ripc_sem ping;   /**< Token towards the pong process. */
	struct ripc_sem pong;   /**< Token back to the ping process. */
	struct ripc_mutex lock; /**< Guards the fields below. */
	uint64_t pong_rounds;   /**< Tokens the pong process returned. */
	volatile int stop;      /**< Set by ping when time is up. */
};

static int run_pong(struct demo_shared *sh)
{
	for (;;) {
		int rc = ripc_sem_take(&sh->ping, RIPC_SEC(5));

		if (rc != 0) {
			fprintf(stderr, "pong: take failed: %s\n", strerror(-rc));
			return 1;
		}
		if (sh->stop)
			return 0;
		ripc_mutex_lock(&sh->lock, RIPC_FOREVER);
		sh->pong_rounds++;
		ripc_mutex_unlock(&sh->lock);
		rc = ripc_sem_give(&sh->pong);
		if (rc != 0) {
			fprintf(stderr, "pong: give failed: %s\n", strerror(-rc));
			return 1;
		}
	}
}

static int run_ping(struct demo_shared *sh, double seconds)
{
	int64_t start = ripc_uptime_ns(), end = start + (int64_t)(seconds * 1e9);
	int64_t next_report = start + 1000000000, now;
	uint64_t rounds = 0, last = 0;

	while ((now = ripc_uptime_ns()) < end) {
		if (ripc_sem_give(&sh->ping) != 0 || ripc_sem_take(&sh->pong, RIPC_SEC(5)) != 0) {
			fprintf(stderr, "ping: the pong process stopped answering\n");
			return 1;
		}
		rounds++;
		if (now >= next_report) {
			printf("  %8.0f round trips/s  (%.2f us per round trip)\n",
			       (double)(rounds - last), 1e6 / (double)(rounds - last));
			last = rounds;
			next_report += 1000000000;
		}
	}
	sh->stop = 1;
	ripc_sem_give(&sh->ping);
	printf("ripc demo: %llu round trips in %.1f s: %.0f round trips/s, %.2f us each\n",
	       (unsigned long long)rounds, (double)(now - start) / 1e9,
	       (double)rounds * 1e9 / (double)(now - start),
	       (double)(now - start) / 1e3 / (double)rounds);
	ripc_mutex_lock(&sh->lock, RIPC_FOREVER);
	printf("ripc demo: pong process counted %llu tokens (%s)\n",
	       (unsigned long long)sh->pong_rounds,
	       sh->pong_rounds == rounds ? "match" : "MISMATCH");
	ripc_mutex_unlock(&sh->lock);
	return sh->pong_rounds == rounds ? 0 : 1;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 3.0;
	struct demo_shared *sh;
	int status = 0, rc;
	pid_t child;

	if (seconds <= 0) {
		fprintf(stderr, "usage: %s [seconds]\n", argv[0]);
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (ripc_sem_init(&sh->ping, 0, 1) != 0 || ripc_sem_init(&sh->pong, 0, 1) != 0 ||
	    ripc_mutex_init(&sh->lock) != 0)
		return 1;
	printf("ripc demo: two processes pass a token through shared semaphores for %.1f s\n",
	       seconds);
	fflush(stdout);
	child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0)
		_exit(run_pong(sh));
	rc = run_ping(sh, seconds);
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		rc = 1;
	return rc;
}
