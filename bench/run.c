/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The runner: for one measurement, build the channel, fork both sides, watch them
 *        under a timeout, and turn what they report into medians over the repetitions.
 *
 * The runner itself only supervises: both sides are forked children (never exec'd, so the
 * program also runs under qemu-user), and the runner sleeps in waitpid while they work. A
 * side that fails or hangs gets both killed and the measurement reported as failed, so one
 * broken mechanism never stops the others. Whatever the runner started (children, a
 * daemon) is killed on every exit path: normal exit, SIGINT, SIGTERM, SIGHUP.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

#define MAX_CLEANUPS 4

static struct bench_ctl *ctl;
static volatile pid_t live[2];
static struct bench_chan *volatile current; /* the run in progress: torn down on a signal */
static void (*cleanups[MAX_CLEANUPS])(void);
static int ncleanups;
static unsigned run_counter;

/* ---- Exit paths ------------------------------------------------------------------------ */

static pid_t runner_pid;

static void cleanup_all(void)
{
	int i;

	/* A side exits through exit() too (libraries deregister in their destructors): only
	 * the runner may kill anything. */
	if (getpid() != runner_pid)
		return;
	for (i = 0; i < 2; i++)
		if (live[i] > 0)
			kill(live[i], SIGKILL);
	/* Kernel objects outlive the process (SysV queues, FIFOs): remove the current run's. */
	if (current != NULL && current->mech->teardown != NULL) {
		for (i = 0; i < 2; i++)
			if (live[i] > 0)
				waitpid(live[i], NULL, 0);
		current->mech->teardown(current);
		current = NULL;
	}
	for (i = ncleanups - 1; i >= 0; i--)
		cleanups[i]();
}

static void on_signal(int signo)
{
	cleanup_all();
	_exit(128 + signo);
}

void bench_cleanup_register(void (*fn)(void))
{
	if (ncleanups < MAX_CLEANUPS)
		cleanups[ncleanups++] = fn;
}

void bench_install_signal_cleanup(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;
	size_t i;

	runner_pid = getpid();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	atexit(cleanup_all);
}

/* A forked side must not run the runner's handlers or exit hooks. */
static void child_reset_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
}

/* ---- One run ---------------------------------------------------------------------------- */

static size_t align64(size_t n)
{
	return (n + 63u) & ~(size_t)63u;
}

static void chan_init(struct bench_chan *c, const struct bench_mech *m, enum bench_scenario sc,
		      size_t size)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(c->fd) / sizeof(c->fd[0]); i++)
		c->fd[i] = -1;
	c->mech = m;
	c->sc = sc;
	c->msg_size = sc == BENCH_BULK ? m->bulk_chunk : sc == BENCH_UNCONTENDED ? 8 : size;
	c->pids = ctl->pids;
	c->futex_calls = -1;
	snprintf(c->name, sizeof(c->name), "ripc-bench-%ld-%u", (long)getpid(), run_counter++);
}

/* Wait for both sides; kill both when one fails or the run outlasts its timeout. */
static int supervise(int nsides, int64_t timeout_ns, char *err, size_t errlen)
{
	int64_t deadline = bench_now_ns() + timeout_ns;
	int left = nsides, rc = 0;

	while (left > 0) {
		int status = 0, i;
		pid_t pid = 0;

		/* Only our sides: the runner may have other children (a daemon it started). */
		for (i = 0; i < 2 && pid <= 0; i++)
			if (live[i] > 0)
				pid = waitpid(live[i], &status, WNOHANG);

		if (pid <= 0) {
			struct timespec ts = {0, 2000000};

			if (bench_now_ns() > deadline && rc == 0) {
				snprintf(err, errlen, "timed out after %.0f s", timeout_ns / 1e9);
				rc = -ETIMEDOUT;
				for (i = 0; i < 2; i++)
					if (live[i] > 0)
						kill(live[i], SIGKILL);
			}
			nanosleep(&ts, NULL);
			continue;
		}
		for (i = 0; i < 2; i++) {
			if (live[i] != pid)
				continue;
			live[i] = 0;
			left--;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				continue;
			if (rc == 0 && WIFSIGNALED(status)) {
				snprintf(err, errlen, "side %c killed by signal %d", 'A' + i,
					 WTERMSIG(status));
				rc = -EINTR;
			} else if (rc == 0) {
				rc = -EPROTO;
			}
			if (live[1 - i] > 0)
				kill(live[1 - i], SIGKILL);
		}
	}
	return rc;
}

/* Fork the sides and run them; 0 or a negative errno with @p err filled. */
static int run_sides(struct bench_chan *c, const struct bench_params *p, char *err, size_t elen)
{
	int nsides = c->sc == BENCH_UNCONTENDED || c->mech->one_process ? 1 : 2, side, rc;

	for (side = 0; side < nsides; side++) {
		pid_t pid;

		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			snprintf(err, elen, "fork: %s", strerror(errno));
			return -errno;
		}
		if (pid == 0) {
			child_reset_signals();
			exit(bench_side_main(c, side, p, ctl));
		}
		live[side] = pid;
	}
	rc = supervise(nsides, p->timeout_ns, err, elen);
	for (side = 0; side < nsides && rc != -ETIMEDOUT; side++) {
		if (ctl->out[side].rc != 0) {
			snprintf(err, elen, "side %c: %s", 'A' + side, ctl->out[side].err);
			return ctl->out[side].rc;
		}
	}
	if (rc != 0 && err[0] == '\0')
		snprintf(err, elen, "a side failed");
	return rc;
}

static void rep_from_outputs(enum bench_scenario sc, struct bench_rep *r)
{
	const struct bench_side_out *a = &ctl->out[0], *b = &ctl->out[1];
	double n = a->count > 0 ? (double)a->count : 1.0;
	double secs = (double)a->elapsed_ns / 1e9;

	memset(r, 0, sizeof(*r));
	r->futex = -1;
	switch (sc) {
	case BENCH_PINGPONG:
		r->p50 = bench_percentile(ctl->samples, a->nsamples, 50);
		r->p99 = bench_percentile(ctl->samples, a->nsamples, 99);
		r->rate = n / secs;
		/* Per one-way message: a round trip is two. */
		r->cpu_a = (double)a->cpu_ns / (2 * n);
		r->cpu_b = (double)b->cpu_ns / (2 * n);
		r->main = r->p50;
		break;
	case BENCH_STREAM:
		r->rate = n / secs;
		r->cpu_a = (double)a->cpu_ns / n;
		r->cpu_b = (double)b->cpu_ns / n;
		r->lost = a->sent > a->count
				  ? 100.0 * (double)(a->sent - a->count) / (double)a->sent
				  : 0;
		r->main = r->rate;
		break;
	case BENCH_BULK:
		r->mb = n * BENCH_BULK_SIZE / secs / 1e6;
		r->cpu_a = (double)a->cpu_ns / n;
		r->cpu_b = (double)b->cpu_ns / n;
		r->main = r->mb;
		break;
	default:
		r->nsop = (double)a->elapsed_ns / n;
		r->cpu_a = (double)a->cpu_ns / n;
		r->futex = a->futex_calls < 0 ? -1 : (double)a->futex_calls / n;
		r->main = r->nsop;
		break;
	}
}

static int run_once(const struct bench_mech *m, enum bench_scenario sc, size_t size,
		    const struct bench_params *p, struct bench_rep *r, char *err, size_t elen)
{
	struct bench_chan c;
	size_t own = align64(m->shm_size), len = own + (m->bell ? bench_ring_size() : 0);
	void *shm = NULL;
	int rc = 0;

	memset(ctl, 0, offsetof(struct bench_ctl, samples));
	chan_init(&c, m, sc, size);
	if (len > 0) {
		shm = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (shm == MAP_FAILED) {
			snprintf(err, elen, "mmap %zu bytes: %s", len, strerror(errno));
			return -errno;
		}
		c.shm = shm;
		c.ring = (unsigned char *)shm + own;
	}
	current = &c;
	if (m->setup != NULL)
		rc = m->setup(&c);
	if (rc != 0)
		snprintf(err, elen, "setup: %s", strerror(-rc));
	else
		rc = run_sides(&c, p, err, elen);
	current = NULL;
	if (m->teardown != NULL)
		m->teardown(&c);
	if (shm != NULL)
		munmap(shm, len);
	if (rc == 0)
		rep_from_outputs(sc, r);
	return rc;
}

/* ---- Repetitions ------------------------------------------------------------------------- */

static double median_of(const struct bench_rep *reps, int n, size_t field_off)
{
	double v[BENCH_MAX_REPS];
	int i;

	for (i = 0; i < n; i++)
		memcpy(&v[i], (const unsigned char *)&reps[i] + field_off, sizeof(double));
	return bench_median(v, (size_t)n);
}

#define MEDIAN(reps, n, field) median_of(reps, n, offsetof(struct bench_rep, field))

void bench_result_init(struct bench_result *r, const struct bench_mech *m, enum bench_scenario sc,
		       size_t size)
{
	memset(r, 0, sizeof(*r));
	r->mech = m;
	r->sc = sc;
	r->size = sc == BENCH_UNCONTENDED ? 0 : size;
	r->ok = true;
}

void bench_measure_once(struct bench_result *r, const struct bench_params *p)
{
	if (ctl == NULL) {
		ctl = mmap(NULL, sizeof(*ctl), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			   -1, 0);
		if (ctl == MAP_FAILED) {
			perror("ripc-bench: mmap");
			exit(1);
		}
	}
	if (!r->ok || r->reps >= BENCH_MAX_REPS)
		return;
	if (run_once(r->mech, r->sc, r->size, p, &r->rep[r->reps], r->err, sizeof(r->err)) != 0)
		r->ok = false;
	else
		r->reps++;
}

void bench_result_finish(struct bench_result *r)
{
	double mains[BENCH_MAX_REPS];
	int i, n = r->reps;

	if (!r->ok || n == 0) {
		r->ok = false;
		return;
	}
	for (i = 0; i < n; i++)
		mains[i] = r->rep[i].main;
	r->p50_ns = MEDIAN(r->rep, n, p50);
	r->p99_ns = MEDIAN(r->rep, n, p99);
	r->msgs_per_s = MEDIAN(r->rep, n, rate);
	r->mb_per_s = MEDIAN(r->rep, n, mb);
	r->ns_per_op = MEDIAN(r->rep, n, nsop);
	r->cpu_a = MEDIAN(r->rep, n, cpu_a);
	r->cpu_b = MEDIAN(r->rep, n, cpu_b);
	r->lost_pct = MEDIAN(r->rep, n, lost);
	r->futex_per_op = MEDIAN(r->rep, n, futex);
	r->spread_pct = bench_spread_pct(mains, (size_t)n);
}
