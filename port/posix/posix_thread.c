/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Thread identity and threads for tests and samples (POSIX port).
 *
 * The kernel thread id is what the lock word of a mutex holds. gettid() is a system call,
 * so each thread keeps its id in thread-local storage; a fork() handler forgets it in the
 * child, whose only thread has a new id (and a new, empty robust list).
 */
#define _GNU_SOURCE /* syscall(), gettid and Linux-specific declarations */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "port/port.h"
#include "port/posix/posix_robust.h"
#include "port/posix/posix_sys.h"

static _Thread_local uint32_t ripc_tid;
static pthread_once_t ripc_atfork_once = PTHREAD_ONCE_INIT;

static void forget_identity_in_child(void)
{
	ripc_tid = 0;
	ripc_posix_robust_forget();
}

static void install_atfork(void)
{
	/* Nothing useful can be done if this fails (ENOMEM at start-up); ids would then be
	 * stale only in children of fork() that use ripc mutexes. */
	(void)pthread_atfork(NULL, NULL, forget_identity_in_child);
}

uint32_t ripc_port_thread_id(void)
{
	if (ripc_tid != 0)
		return ripc_tid;
	(void)pthread_once(&ripc_atfork_once, install_atfork);
	ripc_tid = (uint32_t)ripc_posix_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0);
	return ripc_tid;
}

int ripc_port_thread_start(struct ripc_port_thread *t, void *(*fn)(void *), void *arg,
			   int rt_priority)
{
	pthread_attr_t attr;
	pthread_t th;
	int rc;

	if (t == NULL || fn == NULL || rt_priority < 0)
		return -EINVAL;
	rc = pthread_attr_init(&attr);
	if (rc != 0)
		return -rc;
	if (rt_priority > 0) {
		struct sched_param sp;

		memset(&sp, 0, sizeof(sp));
		sp.sched_priority = rt_priority;
		(void)pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
		(void)pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
		(void)pthread_attr_setschedparam(&attr, &sp);
	}
	rc = pthread_create(&th, &attr, fn, arg);
	(void)pthread_attr_destroy(&attr);
	if (rc != 0)
		return -rc;
	t->handle = (uintptr_t)th;
	return 0;
}

void *ripc_port_thread_join(struct ripc_port_thread *t)
{
	void *ret = NULL;

	if (t == NULL)
		return NULL;
	(void)pthread_join((pthread_t)t->handle, &ret);
	return ret;
}
