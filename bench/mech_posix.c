/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief POSIX IPC: message queues (one per direction), process-shared semaphores (doorbells
 *        of the shared ring) and a process-shared pthread mutex, plain and robust.
 *
 * The queues are created and unlinked before the fork: both sides inherit the descriptors,
 * and nothing is left behind if the run is killed. Queue limits stay within what an
 * unprivileged user gets (10 messages of 8 KiB), so bulk payloads travel as 8 KiB messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#include "bench.h"

#define MQ_MAXMSG 10
#define MQ_MSGMAX 8192

static int mq_setup(struct bench_chan *c)
{
	struct mq_attr attr = {.mq_maxmsg = MQ_MAXMSG, .mq_msgsize = (long)c->msg_size};
	char name[96];
	int d;

	for (d = 0; d < 2; d++) {
		mqd_t q;

		snprintf(name, sizeof(name), "/%s.%d", c->name, d);
		q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
		if (q == (mqd_t)-1)
			return -errno;
		mq_unlink(name);
		c->fd[d] = (int)q;
	}
	return 0;
}

static int mq_put(int q, const void *buf, size_t len)
{
	while (mq_send((mqd_t)q, buf, len, 0) != 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int mq_get(int q, void *buf, size_t len)
{
	ssize_t n;

	while ((n = mq_receive((mqd_t)q, buf, len, NULL)) < 0)
		if (errno != EINTR)
			return -errno;
	return (size_t)n == len ? 0 : -EPROTO;
}

static int mq_send_msg(struct bench_chan *c, int side, const void *buf, size_t len)
{
	return mq_put(c->fd[side], buf, len);
}

static int mq_recv_msg(struct bench_chan *c, int side, void *buf, size_t len)
{
	return mq_get(c->fd[1 - side], buf, len);
}

static int mq_uncontended(struct bench_chan *c, uint64_t n)
{
	uint64_t v = 42, i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		rc = mq_put(c->fd[0], &v, sizeof(v));
		if (rc == 0)
			rc = mq_get(c->fd[0], &v, sizeof(v));
	}
	return rc;
}

static void mq_teardown(struct bench_chan *c)
{
	bench_close_fds(c);
}

static const struct bench_mech mech_posix_mq = {
	.name = "posix-mq",
	.order = 23,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_BULK) |
		     BENCH_SC(BENCH_UNCONTENDED),
	.bulk_chunk = MQ_MSGMAX,
	.setup = mq_setup,
	.send = mq_send_msg,
	.recv = mq_recv_msg,
	.uncontended = mq_uncontended,
	.teardown = mq_teardown,
};
BENCH_MECH(mech_posix_mq);

/* ---- Semaphores ------------------------------------------------------------------------- */

/* Four doorbells, then one for the uncontended pair, in the shared mapping. */
static sem_t *sems(struct bench_chan *c)
{
	return (sem_t *)(void *)c->shm;
}

static int psem_setup(struct bench_chan *c)
{
	int i;

	for (i = 0; i < 5; i++)
		if (sem_init(&sems(c)[i], 1, 0) != 0)
			return -errno;
	return 0;
}

static int psem_wait_bell(struct bench_chan *c, int bell, uint32_t token)
{
	(void)token;
	while (sem_wait(&sems(c)[bell]) != 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int psem_ring_bell(struct bench_chan *c, int bell)
{
	return sem_post(&sems(c)[bell]) == 0 ? 0 : -errno;
}

static const struct bench_bell psem_bell = {.wait = psem_wait_bell, .ring = psem_ring_bell};

static int psem_uncontended(struct bench_chan *c, uint64_t n)
{
	sem_t *s = &sems(c)[4];
	uint64_t i;

	for (i = 0; i < n; i++)
		if (sem_post(s) != 0 || sem_wait(s) != 0)
			return -errno;
	return 0;
}

static void psem_teardown(struct bench_chan *c)
{
	int i;

	for (i = 0; i < 5; i++)
		sem_destroy(&sems(c)[i]);
}

static const struct bench_mech mech_posix_sem = {
	.name = "posix-sem",
	.order = 41,
	.scenarios =
		BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_UNCONTENDED),
	.shm_size = 5 * sizeof(sem_t),
	.bell = &psem_bell,
	.setup = psem_setup,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.uncontended = psem_uncontended,
	.teardown = psem_teardown,
};
BENCH_MECH(mech_posix_sem);

/* ---- pthread mutex, process-shared -------------------------------------------------------- */

static int pmutex_setup(struct bench_chan *c)
{
	pthread_mutexattr_t a;
	int rc;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	/* ripc mutexes are robust: the variant shows what robustness costs pthread. */
	if (c->mech->variant != NULL)
		pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	rc = pthread_mutex_init((pthread_mutex_t *)(void *)c->shm, &a);
	pthread_mutexattr_destroy(&a);
	return -rc;
}

static int pmutex_uncontended(struct bench_chan *c, uint64_t n)
{
	pthread_mutex_t *m = (pthread_mutex_t *)(void *)c->shm;
	uint64_t i;

	for (i = 0; i < n; i++)
		if (pthread_mutex_lock(m) != 0 || pthread_mutex_unlock(m) != 0)
			return -EPROTO;
	return 0;
}

static const struct bench_mech mech_pthread_mutex = {
	.name = "pthread-mutex",
	.order = 42,
	.scenarios = BENCH_SC(BENCH_UNCONTENDED),
	.shm_size = sizeof(pthread_mutex_t),
	.setup = pmutex_setup,
	.uncontended = pmutex_uncontended,
};
BENCH_MECH(mech_pthread_mutex);

static const struct bench_mech mech_pthread_mutex_robust = {
	.name = "pthread-mutex",
	.variant = "robust",
	.order = 42,
	.scenarios = BENCH_SC(BENCH_UNCONTENDED),
	.shm_size = sizeof(pthread_mutex_t),
	.setup = pmutex_setup,
	.uncontended = pmutex_uncontended,
};
BENCH_MECH(mech_pthread_mutex_robust);
