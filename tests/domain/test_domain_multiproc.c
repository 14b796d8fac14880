/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Domains between processes: many attach at once, one initialisation, shared objects.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ripc/domain.h>

#include "port/port.h"
#include "ripc_test.h"

#define NPROC 8

struct tally {
	uint32_t attached; /* incremented under the domain mutex by every process */
};

#define FLEET_OBJECTS(X)       \
	X(SEM, arrived, 0, 64) \
	X(MUTEX, lock)         \
	X(MBOX, inbox, 32, 16) \
	X(DATA, tally, struct tally)

RIPC_DOMAIN_DECLARE(fleet, FLEET_OBJECTS);
RIPC_DOMAIN_DEFINE(fleet, FLEET_OBJECTS);

static char region[RIPC_DOMAIN_NAME_MAX];

/* Children wait on this word so they all call attach at the same moment. */
static volatile uint32_t *start_gate;

static int attach_and_report(void *arg)
{
	int id = (int)(intptr_t)arg;
	struct ripc_mutex *lock;
	char msg[32];
	int rc;

	while (__atomic_load_n(start_gate, __ATOMIC_ACQUIRE) == 0)
		;
	rc = ripc_domain_attach(&fleet);
	if (rc != 0)
		return 10;
	lock = RIPC_DOMAIN_OBJ(fleet, lock);
	if (ripc_mutex_lock(lock, RIPC_SEC(10)) != 0)
		return 11;
	RIPC_DOMAIN_OBJ(fleet, tally)->attached++;
	ripc_mutex_unlock(lock);
	snprintf(msg, sizeof(msg), "proc %d", id);
	if (ripc_mbox_put(RIPC_DOMAIN_OBJ(fleet, inbox), msg, strlen(msg) + 1, RIPC_SEC(10)) != 0)
		return 12;
	if (ripc_sem_give(RIPC_DOMAIN_OBJ(fleet, arrived)) != 0)
		return 13;
	return 0;
}

static void test_domain_eight_processes_attach_at_once_and_share_one_init(void **state)
{
	pid_t pids[NPROC];
	bool seen[NPROC] = {false};
	int i;

	(void)state;
	snprintf(region, sizeof(region), "/ripc-test-fleet-%d", (int)getpid());
	(void)ripc_port_shm_unlink(region);
	assert_int_equal(ripc_domain_set_name(&fleet, region), 0);
	start_gate = ripc_test_shared_alloc(sizeof(*start_gate));
	for (i = 0; i < NPROC; i++)
		pids[i] = ripc_test_fork(attach_and_report, (void *)(intptr_t)i);
	__atomic_store_n(start_gate, 1, __ATOMIC_RELEASE);
	for (i = 0; i < NPROC; i++)
		assert_int_equal(ripc_test_wait(pids[i]), 0);

	/* Had any process initialised the region again, earlier gives, messages and the
	 * tally would have been wiped. */
	assert_int_equal(ripc_domain_attach(&fleet), 0);
	assert_int_equal(ripc_sem_count(RIPC_DOMAIN_OBJ(fleet, arrived)), NPROC);
	assert_int_equal(RIPC_DOMAIN_OBJ(fleet, tally)->attached, NPROC);
	assert_int_equal(ripc_mbox_count(RIPC_DOMAIN_OBJ(fleet, inbox)), NPROC);
	for (i = 0; i < NPROC; i++) {
		char msg[32];
		size_t len = 0;
		int id = -1;

		assert_int_equal(ripc_mbox_get(RIPC_DOMAIN_OBJ(fleet, inbox), msg, sizeof(msg),
					       &len, RIPC_NO_WAIT),
				 0);
		assert_int_equal(sscanf(msg, "proc %d", &id), 1);
		assert_true(id >= 0 && id < NPROC);
		assert_false(seen[id]);
		seen[id] = true;
	}
	assert_int_equal(ripc_domain_detach(&fleet), 0);
	assert_int_equal(ripc_domain_unlink(&fleet), 0);
	ripc_test_shared_free((void *)start_gate, sizeof(*start_gate));
}

/* A child that attaches and then blocks in the domain's mailbox until killed. */
static int attach_and_block(void *arg)
{
	char msg[32];
	size_t len;

	(void)arg;
	if (ripc_domain_attach(&fleet) != 0)
		return 1;
	(void)ripc_sem_give(RIPC_DOMAIN_OBJ(fleet, arrived));
	(void)ripc_mbox_get(RIPC_DOMAIN_OBJ(fleet, inbox), msg, sizeof(msg), &len, RIPC_FOREVER);
	return 2;
}

static void test_domain_survives_a_member_killed_while_blocked(void **state)
{
	pid_t victim;
	char msg[32];
	size_t len = 0;

	(void)state;
	snprintf(region, sizeof(region), "/ripc-test-fleet2-%d", (int)getpid());
	(void)ripc_port_shm_unlink(region);
	assert_int_equal(ripc_domain_set_name(&fleet, region), 0);
	victim = ripc_test_fork(attach_and_block, NULL);
	assert_int_equal(ripc_domain_attach(&fleet), 0);
	assert_int_equal(ripc_sem_take(RIPC_DOMAIN_OBJ(fleet, arrived), RIPC_SEC(20)), 0);
	ripc_test_sleep_ms(50); /* let it reach the blocking get */
	kill(victim, SIGKILL);
	assert_int_equal(ripc_test_wait(victim), 128 + SIGKILL);
	/* Survivors use the same objects as before. */
	assert_int_equal(ripc_mbox_put(RIPC_DOMAIN_OBJ(fleet, inbox), "after", 6, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mbox_get(RIPC_DOMAIN_OBJ(fleet, inbox), msg, sizeof(msg), &len,
				       RIPC_MSEC(500)),
			 0);
	assert_string_equal(msg, "after");
	assert_int_equal(ripc_mutex_lock(RIPC_DOMAIN_OBJ(fleet, lock), RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mutex_unlock(RIPC_DOMAIN_OBJ(fleet, lock)), 0);
	assert_int_equal(ripc_domain_detach(&fleet), 0);
	assert_int_equal(ripc_domain_unlink(&fleet), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_domain_eight_processes_attach_at_once_and_share_one_init),
		cmocka_unit_test(test_domain_survives_a_member_killed_while_blocked),
	};

	ripc_test_init("core.domain.multiproc");
	return cmocka_run_group_tests_name("core.domain.multiproc", tests, NULL, NULL);
}
