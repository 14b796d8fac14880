/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Signal hooks: run a function from a POSIX signal handler (POSIX port).
 *
 * One sigaction handler serves every hooked signal; it finds the hook in a static table of
 * CONFIG_RIPC_EVENT_SIGNAL_SLOTS entries (no heap), which also keeps the disposition each
 * hook replaced so that unhooking restores it. The handler saves and restores errno, so
 * the interrupted code never sees it change.
 *
 * Synchronisation: hook and unhook calls are serialised by a mutex that handlers never
 * take. A handler reads an entry with atomic loads only. The function and argument of an
 * entry are two words, so they are kept twice and a generation number says which copy is
 * current: a hook writes the other copy, then bumps the generation. A handler reads the
 * generation, the copy it names, then the generation and the signal number again, and
 * calls the function only if neither changed: it never calls a function with the argument
 * of another hook. A handler that was already under way when its signal was unhooked may
 * still call the old function once; callers that must know when that is over count their
 * handlers themselves (core/event_bridge.c does).
 */
#define _GNU_SOURCE /* syscall(), gettid and Linux-specific declarations */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "port/port.h"

#ifndef CONFIG_RIPC_EVENT_SIGNAL_SLOTS
#define CONFIG_RIPC_EVENT_SIGNAL_SLOTS 8
#endif

/* A function and its argument, as one hook installed them. */
struct hook_call {
	_Atomic(ripc_port_signal_fn) fn;
	_Atomic(void *) arg;
};

struct hook {
	atomic_int signo;          /* 0 marks a free entry */
	atomic_uint gen;           /* calls[gen & 1] is current */
	struct hook_call calls[2]; /* written only while not current */
	struct sigaction old;      /* the disposition this hook replaced */
};

static struct hook hooks[CONFIG_RIPC_EVENT_SIGNAL_SLOTS];
static pthread_mutex_t hooks_lock = PTHREAD_MUTEX_INITIALIZER;

/* The entry of @p signo (0: a free entry), or NULL. */
static struct hook *find_hook(int signo)
{
	size_t i;

	for (i = 0; i < CONFIG_RIPC_EVENT_SIGNAL_SLOTS; i++) {
		if (atomic_load(&hooks[i].signo) == signo)
			return &hooks[i];
	}
	return NULL;
}

/* Run the hook of @p signo, if it stays the same while it is read. */
static void run_hook(int signo)
{
	struct hook *h = find_hook(signo);
	ripc_port_signal_fn fn;
	unsigned int gen;
	void *arg;

	if (h == NULL)
		return;
	gen = atomic_load(&h->gen);
	fn = atomic_load(&h->calls[gen & 1u].fn);
	arg = atomic_load(&h->calls[gen & 1u].arg);
	if (atomic_load(&h->gen) == gen && atomic_load(&h->signo) == signo && fn != NULL)
		fn(signo, arg);
}

static void on_signal(int signo)
{
	int saved = errno;

	run_hook(signo);
	errno = saved;
}

/* Make (@p fn, @p arg) the current call of @p h. Called with the lock held. */
static void publish_call(struct hook *h, ripc_port_signal_fn fn, void *arg)
{
	unsigned int next = atomic_load(&h->gen) + 1u;

	atomic_store(&h->calls[next & 1u].fn, fn);
	atomic_store(&h->calls[next & 1u].arg, arg);
	atomic_store(&h->gen, next);
}

/* Fill a free entry, then install the handler; undo the entry if sigaction refuses. */
static int install(struct hook *h, int signo, ripc_port_signal_fn fn, void *arg)
{
	struct sigaction sa;
	int saved = errno;
	int rc = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	(void)sigemptyset(&sa.sa_mask);
	publish_call(h, fn, arg);
	atomic_store(&h->signo, signo);
	if (sigaction(signo, &sa, &h->old) != 0) {
		rc = -errno;
		atomic_store(&h->signo, 0);
	}
	errno = saved;
	return rc;
}

int ripc_port_signal_hook(int signo, ripc_port_signal_fn fn, void *arg)
{
	struct hook *h;
	int rc = 0;

	/* SIGKILL, SIGSTOP and the C library's reserved signals are refused by sigaction. */
	if (signo <= 0 || signo >= NSIG || fn == NULL)
		return -EINVAL;
	(void)pthread_mutex_lock(&hooks_lock);
	h = find_hook(signo);
	if (h != NULL) {
		/* The handler is in place already; only the call changes. */
		publish_call(h, fn, arg);
	} else {
		h = find_hook(0);
		rc = h != NULL ? install(h, signo, fn, arg) : -ENOSPC;
	}
	(void)pthread_mutex_unlock(&hooks_lock);
	return rc;
}

int ripc_port_signal_unhook(int signo)
{
	struct hook *h;
	int saved = errno;
	int rc = 0;

	if (signo <= 0 || signo >= NSIG)
		return -ENOENT;
	(void)pthread_mutex_lock(&hooks_lock);
	h = find_hook(signo);
	if (h == NULL) {
		rc = -ENOENT;
	} else {
		/* Cannot fail: the number was accepted when the hook was installed. */
		(void)sigaction(signo, &h->old, NULL);
		atomic_store(&h->signo, 0);
	}
	(void)pthread_mutex_unlock(&hooks_lock);
	errno = saved;
	return rc;
}
