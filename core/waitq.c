/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The sleep/wake handshake of blocking objects (see waitq.h for the protocol).
 */
#include <errno.h>

#include "core/wait.h"
#include "core/waitq.h"

bool ripci_waitq_has_waiters(struct ripc_waitq *q)
{
	return atomic_load_explicit(&q->waiters, memory_order_seq_cst) != 0;
}

void ripci_waitq_notify(struct ripc_waitq *q, uint32_t count)
{
	if (atomic_load_explicit(&q->waiters, memory_order_seq_cst) == 0)
		return;
	atomic_fetch_add_explicit(&q->seq, 1, memory_order_seq_cst);
	/* A poller that takes the one wake but not the object would strand a real waiter. */
	if (atomic_load_explicit(&q->pollers, memory_order_seq_cst) != 0)
		count = UINT32_MAX;
	ripci_wake(&q->seq, count);
}

static int sleep_loop(struct ripc_waitq *q, ripci_try_fn try_op, void *arg, int64_t deadline)
{
	for (;;) {
		uint32_t seq = atomic_load_explicit(&q->seq, memory_order_seq_cst);
		int rc = try_op(arg);

		if (rc != -EAGAIN)
			return rc;
		if (ripci_wait(&q->seq, seq, deadline) == -ETIMEDOUT) {
			rc = try_op(arg);
			return rc == -EAGAIN ? -ETIMEDOUT : rc;
		}
	}
}

int ripci_waitq_wait(struct ripc_waitq *q, ripci_try_fn try_op, void *arg,
		     ripc_atomic_u32_t *spin_word, uint32_t spin_value, int64_t deadline)
{
	int rc;

	if (spin_word != NULL && ripci_spin_while_equal(spin_word, spin_value)) {
		rc = try_op(arg);
		if (rc != -EAGAIN)
			return rc;
	}
	atomic_fetch_add_explicit(&q->waiters, 1, memory_order_seq_cst);
	rc = sleep_loop(q, try_op, arg, deadline);
	if (rc != 0 && atomic_load_explicit(&q->waiters, memory_order_seq_cst) > 1) {
		atomic_fetch_add_explicit(&q->seq, 1, memory_order_seq_cst);
		ripci_wake(&q->seq, 1);
	}
	atomic_fetch_sub_explicit(&q->waiters, 1, memory_order_seq_cst);
	return rc;
}
