/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief A signal aimed at the moment a taker commits to sleeping (semaphore tests).
 *
 * The lost wake-up windows of a futex protocol are a few instructions long: between a
 * waiter's last look at the state and the kernel's check of the futex word. Another thread
 * cannot hit them on purpose (on a loaded machine both threads may even share one core). A
 * one-shot POSIX timer armed by the taker itself can: its signal interrupts the taker a set
 * delay after it started its take, and the handler changes the semaphore right there.
 *
 * The delay adapts, round by round: when the handler finds the taker not yet registered as
 * a waiter (still spinning), the next delay is longer, otherwise shorter. The delay so keeps
 * oscillating around the instant of registration, which the windows directly follow.
 *
 * The timer signal is process-directed: use it only while the test program has one thread.
 */
#ifndef RIPC_SEM_PROBE_H
#define RIPC_SEM_PROBE_H

#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "ripc_test.h"

/* ThreadSanitizer runs a handler only at its next interceptor, never inside a raw futex
 * wait: a handler that should end a take would never run. */
#if defined(__SANITIZE_THREAD__)
#define SEM_PROBE_USABLE false
#else
#define SEM_PROBE_USABLE true
#endif

struct sem_probe {
	timer_t timer;
	int64_t delay_ns;
	int64_t step_ns;
	int last_dir;
	int same_dir;
	unsigned long early; /* rounds where the signal came before registration */
	unsigned long late;
};

/* Install @p fn for @p signo without SA_RESTART, then create the timer that raises it. */
static inline void sem_probe_open(struct sem_probe *p, int signo, void (*fn)(int))
{
	struct sigaction sa;
	struct sigevent sev;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(signo, &sa, NULL), 0);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = signo;
	memset(p, 0, sizeof(*p));
	assert_int_equal(timer_create(CLOCK_MONOTONIC, &sev, &p->timer), 0);
	p->delay_ns = 1000;
	p->step_ns = 8000;
}

/* Arm the timer to fire after the current delay: call right before the take. */
static inline void sem_probe_arm(struct sem_probe *p)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(p->delay_ns / 1000000000);
	its.it_value.tv_nsec = (long)(p->delay_ns % 1000000000);
	assert_int_equal(timer_settime(p->timer, 0, &its, NULL), 0);
}

/*
 * Steer the next delay: later if the handler came @p early (taker not yet registered),
 * earlier otherwise. The step halves on every change of direction (down to 50 ns) and
 * doubles after three moves the same way, so the delay finds the instant quickly and then
 * follows it as the machine's speed drifts.
 */
static inline void sem_probe_adjust(struct sem_probe *p, bool early)
{
	int dir = early ? 1 : -1;

	if (early)
		p->early++;
	else
		p->late++;
	if (dir != p->last_dir) {
		p->same_dir = 0;
		if (p->step_ns > 50)
			p->step_ns /= 2;
	} else if (++p->same_dir >= 3 && p->step_ns < 1000000) {
		p->same_dir = 0;
		p->step_ns *= 2;
	}
	p->last_dir = dir;
	p->delay_ns += dir * p->step_ns;
	if (p->delay_ns < 1)
		p->delay_ns = 1;
}

/* Delete the timer and ignore @p signo again (a late signal must not kill the program). */
static inline void sem_probe_close(struct sem_probe *p, int signo)
{
	struct sigaction sa;

	assert_int_equal(timer_delete(p->timer), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(signo, &sa, NULL), 0);
}

#endif /* RIPC_SEM_PROBE_H */
