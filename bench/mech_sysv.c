/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief System V IPC: message queues (one per direction) and semaphores (doorbells of the
 *        shared ring), private to the run (IPC_PRIVATE) and removed after it.
 *
 * SysV messages are limited to msgmax (8 KiB by default), so bulk payloads travel as 8 KiB
 * messages.
 */
#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>

#include "bench.h"

#define MSQ_MAX 8192

/* A SysV message: a type, then the bytes; msgsnd copies from it, msgrcv into it. */
static struct {
	long mtype;
	unsigned char text[MSQ_MAX];
} msg;

/* fd[d] holds the queue id of direction d. */
static int msq_setup(struct bench_chan *c)
{
	int d;

	for (d = 0; d < 2; d++) {
		c->fd[d] = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		if (c->fd[d] < 0)
			return -errno;
	}
	return 0;
}

static int msq_put(int q, const void *buf, size_t len)
{
	msg.mtype = 1;
	memcpy(msg.text, buf, len);
	while (msgsnd(q, &msg, len, 0) != 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int msq_get(int q, void *buf, size_t len)
{
	ssize_t n;

	while ((n = msgrcv(q, &msg, MSQ_MAX, 0, 0)) < 0)
		if (errno != EINTR)
			return -errno;
	if ((size_t)n != len)
		return -EPROTO;
	memcpy(buf, msg.text, len);
	return 0;
}

static int msq_send(struct bench_chan *c, int side, const void *buf, size_t len)
{
	return msq_put(c->fd[side], buf, len);
}

static int msq_recv(struct bench_chan *c, int side, void *buf, size_t len)
{
	return msq_get(c->fd[1 - side], buf, len);
}

static int msq_uncontended(struct bench_chan *c, uint64_t n)
{
	uint64_t v = 42, i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		rc = msq_put(c->fd[0], &v, sizeof(v));
		if (rc == 0)
			rc = msq_get(c->fd[0], &v, sizeof(v));
	}
	return rc;
}

static void msq_teardown(struct bench_chan *c)
{
	int d;

	for (d = 0; d < 2; d++) {
		if (c->fd[d] >= 0)
			msgctl(c->fd[d], IPC_RMID, NULL);
		c->fd[d] = -1;
	}
}

static const struct bench_mech mech_sysv_msq = {
	.name = "sysv-msq",
	.order = 22,
	.scenarios = BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_BULK) |
		     BENCH_SC(BENCH_UNCONTENDED),
	.bulk_chunk = MSQ_MAX,
	.setup = msq_setup,
	.send = msq_send,
	.recv = msq_recv,
	.uncontended = msq_uncontended,
	.teardown = msq_teardown,
};
BENCH_MECH(mech_sysv_msq);

/* ---- Semaphores ------------------------------------------------------------------------- */

/* One set: semaphores 0..3 are the ring's doorbells, 4 is for the uncontended pair. */
static int sem_setup(struct bench_chan *c)
{
	c->fd[0] = semget(IPC_PRIVATE, 5, IPC_CREAT | 0600);
	return c->fd[0] < 0 ? -errno : 0;
}

static int sem_op(int id, int num, int delta)
{
	struct sembuf op = {.sem_num = (unsigned short)num, .sem_op = (short)delta, .sem_flg = 0};

	while (semop(id, &op, 1) != 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int sem_wait_bell(struct bench_chan *c, int bell, uint32_t token)
{
	(void)token;
	return sem_op(c->fd[0], bell, -1);
}

static int sem_ring_bell(struct bench_chan *c, int bell)
{
	/* Binary: a second ring before the wait must not count twice (and SEMVMX is 32767). */
	return semctl(c->fd[0], bell, SETVAL, 1) == 0 ? 0 : -errno;
}

static const struct bench_bell sysv_sem_bell = {.wait = sem_wait_bell, .ring = sem_ring_bell};

static int sem_uncontended(struct bench_chan *c, uint64_t n)
{
	uint64_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		rc = sem_op(c->fd[0], 4, 1);
		if (rc == 0)
			rc = sem_op(c->fd[0], 4, -1);
	}
	return rc;
}

static void sem_teardown(struct bench_chan *c)
{
	if (c->fd[0] >= 0)
		semctl(c->fd[0], 0, IPC_RMID);
	c->fd[0] = -1;
}

static const struct bench_mech mech_sysv_sem = {
	.name = "sysv-sem",
	.order = 40,
	.scenarios =
		BENCH_SC(BENCH_PINGPONG) | BENCH_SC(BENCH_STREAM) | BENCH_SC(BENCH_UNCONTENDED),
	.bell = &sysv_sem_bell,
	.setup = sem_setup,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.uncontended = sem_uncontended,
	.teardown = sem_teardown,
};
BENCH_MECH(mech_sysv_sem);
