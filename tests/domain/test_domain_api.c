/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Domains: attach, objects, persistence, permissions, layout checks, every code.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ripc/domain.h>

#include "port/port.h"
#include "ripc_test.h"

struct settings {
	uint32_t rate_hz;
	uint32_t gain;
};

#define PLANT_OBJECTS(X)          \
	X(SEM, ready, 0, 8)       \
	X(MUTEX, lock)            \
	X(EVENT, alarms)          \
	X(MBOX, telemetry, 64, 8) \
	X(POOL, frames, 4096, 4)  \
	X(DATA, settings, struct settings)

RIPC_DOMAIN_DECLARE(plant, PLANT_OBJECTS);
RIPC_DOMAIN_DEFINE(plant, PLANT_OBJECTS);

/* Same size as "other_names" below but different member names: a different layout. */
#define NAMES_A(X) X(SEM, alpha, 0, 1)
#define NAMES_B(X) X(SEM, bravo, 0, 1)
RIPC_DOMAIN_DECLARE(names_a, NAMES_A);
RIPC_DOMAIN_DEFINE(names_a, NAMES_A);
RIPC_DOMAIN_DECLARE(names_b, NAMES_B);
RIPC_DOMAIN_DEFINE(names_b, NAMES_B);

/* Same names, other parameters. */
#define LIMIT_2(X) X(SEM, alpha, 0, 2)
RIPC_DOMAIN_DECLARE(limit_2, LIMIT_2);
RIPC_DOMAIN_DEFINE(limit_2, LIMIT_2);

static char region[RIPC_DOMAIN_NAME_MAX];

static int setup(void **state)
{
	(void)state;
	snprintf(region, sizeof(region), "/ripc-test-domain-%d", (int)getpid());
	(void)ripc_port_shm_unlink(region);
	plant.base = NULL;
	return ripc_domain_set_name(&plant, region);
}

static int teardown(void **state)
{
	(void)state;
	(void)ripc_domain_detach(&plant);
	(void)ripc_port_shm_unlink(region);
	return 0;
}

static mode_t region_mode(void)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/shm%s", region);
	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 0777;
}

static void test_domain_objects_are_null_until_attached(void **state)
{
	(void)state;
	assert_null(RIPC_DOMAIN_OBJ(plant, ready));
	assert_int_equal(ripc_domain_attach(&plant), 0);
	assert_non_null(RIPC_DOMAIN_OBJ(plant, ready));
	assert_int_equal(ripc_domain_detach(&plant), 0);
	assert_null(RIPC_DOMAIN_OBJ(plant, ready));
	assert_int_equal(ripc_domain_detach(&plant), 0);
}

static void test_domain_attach_initialises_every_object(void **state)
{
	struct ripc_sem *ready;
	struct ripc_mbox *tm;
	struct ripc_pool *frames;
	struct settings *set;
	uint32_t matched = 0;
	char msg[64];
	size_t len = 0;
	void *blk = NULL;

	(void)state;
	assert_int_equal(ripc_domain_attach(&plant), 0);
	ready = RIPC_DOMAIN_OBJ(plant, ready);
	tm = RIPC_DOMAIN_OBJ(plant, telemetry);
	frames = RIPC_DOMAIN_OBJ(plant, frames);
	set = RIPC_DOMAIN_OBJ(plant, settings);
	assert_int_equal(ripc_sem_count(ready), 0);
	assert_int_equal(ripc_sem_give(ready), 0);
	assert_int_equal(ripc_mutex_lock(RIPC_DOMAIN_OBJ(plant, lock), RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mutex_unlock(RIPC_DOMAIN_OBJ(plant, lock)), 0);
	assert_int_equal(ripc_event_post(RIPC_DOMAIN_OBJ(plant, alarms), 0x5), 0);
	assert_int_equal(ripc_event_wait(RIPC_DOMAIN_OBJ(plant, alarms), 0x4, RIPC_EVENT_WAIT_ANY,
					 &matched, RIPC_NO_WAIT),
			 0);
	assert_int_equal(matched & 0x4, 0x4);
	assert_int_equal(ripc_mbox_space(tm), 8);
	assert_int_equal(ripc_mbox_put(tm, "hello", 6, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_mbox_get(tm, msg, sizeof(msg), &len, RIPC_NO_WAIT), 0);
	assert_int_equal(len, 6);
	assert_string_equal(msg, "hello");
	assert_int_equal(ripc_pool_alloc(frames, &blk, RIPC_NO_WAIT), 0);
	assert_non_null(blk);
	assert_int_equal(ripc_pool_free(frames, blk), 0);
	assert_int_equal(set->rate_hz, 0);
	set->rate_hz = 100;
}

static void test_domain_state_survives_detach_and_reattach(void **state)
{
	(void)state;
	assert_int_equal(ripc_domain_attach(&plant), 0);
	assert_int_equal(ripc_sem_give(RIPC_DOMAIN_OBJ(plant, ready)), 0);
	RIPC_DOMAIN_OBJ(plant, settings)->gain = 7;
	assert_int_equal(ripc_domain_detach(&plant), 0);
	assert_int_equal(ripc_domain_attach(&plant), 0);
	assert_int_equal(ripc_sem_count(RIPC_DOMAIN_OBJ(plant, ready)), 1);
	assert_int_equal(RIPC_DOMAIN_OBJ(plant, settings)->gain, 7);
	/* Attaching twice is harmless and keeps the mapping. */
	assert_int_equal(ripc_domain_attach(&plant), 0);
	assert_int_equal(RIPC_DOMAIN_OBJ(plant, settings)->gain, 7);
}

static void test_domain_unlink_gives_a_fresh_region_next_time(void **state)
{
	(void)state;
	assert_int_equal(ripc_domain_attach(&plant), 0);
	assert_int_equal(ripc_sem_give(RIPC_DOMAIN_OBJ(plant, ready)), 0);
	assert_int_equal(ripc_domain_unlink(&plant), 0);
	/* Still mapped after the unlink. */
	assert_int_equal(ripc_sem_count(RIPC_DOMAIN_OBJ(plant, ready)), 1);
	assert_int_equal(ripc_domain_detach(&plant), 0);
	assert_int_equal(ripc_domain_attach(&plant), 0);
	assert_int_equal(ripc_sem_count(RIPC_DOMAIN_OBJ(plant, ready)), 0);
	assert_int_equal(ripc_domain_detach(&plant), 0);
	assert_int_equal(ripc_domain_unlink(&plant), 0);
	assert_int_equal(ripc_domain_unlink(&plant), -ENOENT);
}

static void test_domain_region_has_exactly_the_requested_mode(void **state)
{
	mode_t old = umask(0077);

	(void)state;
	assert_int_equal(ripc_domain_attach(&plant), 0);
	assert_int_equal(region_mode(), 0600);
	assert_int_equal(ripc_domain_detach(&plant), 0);
	assert_int_equal(ripc_domain_unlink(&plant), 0);
	/* Group access: the umask must not take it away. */
	assert_int_equal(ripc_domain_set_mode(&plant, 0660), 0);
	assert_int_equal(ripc_domain_attach(&plant), 0);
	assert_int_equal(region_mode(), 0660);
	assert_int_equal(ripc_domain_set_mode(&plant, 0600), -EBUSY);
	assert_int_equal(ripc_domain_detach(&plant), 0);
	assert_int_equal(ripc_domain_set_mode(&plant, 0600), 0);
	umask(old);
}

static void test_domain_other_definitions_are_refused_with_eproto(void **state)
{
	uint32_t v;

	(void)state;
	assert_int_equal(ripc_domain_set_name(&names_a, region), 0);
	assert_int_equal(ripc_domain_set_name(&names_b, region), 0);
	assert_int_equal(ripc_domain_set_name(&limit_2, region), 0);
	assert_true(ripc_domain_fingerprint(&names_a) != ripc_domain_fingerprint(&names_b));
	assert_true(ripc_domain_fingerprint(&names_a) != ripc_domain_fingerprint(&limit_2));
	assert_int_equal(names_a.size, names_b.size);

	assert_int_equal(ripc_domain_attach(&names_a), 0);
	assert_int_equal(ripc_sem_give(RIPC_DOMAIN_OBJ(names_a, alpha)), 0);
	/* Same size, other names or parameters: the fingerprint tells. */
	assert_int_equal(ripc_domain_attach(&names_b), -EPROTO);
	assert_null(names_b.base);
	assert_int_equal(ripc_domain_attach(&limit_2), -EPROTO);
	/* Another size: refused before mapping. */
	assert_int_equal(ripc_domain_attach(&plant), -EPROTO);
	/* Nothing of the existing domain was touched. */
	v = ripc_sem_count(RIPC_DOMAIN_OBJ(names_a, alpha));
	assert_int_equal(v, 1);
	assert_int_equal(ripc_domain_detach(&names_a), 0);
}

static void test_domain_region_of_another_user_is_refused(void **state)
{
	char path[128];
	int fd;

	(void)state;
	if (geteuid() != 0)
		RIPC_TEST_SKIP("changing the owner of a region needs root");
	snprintf(path, sizeof(path), "/dev/shm%s", region);
	fd = open(path, O_CREAT | O_EXCL | O_RDWR, 0666);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)plant.size), 0);
	if (fchown(fd, 65534, 65534) != 0) {
		close(fd);
		RIPC_TEST_SKIP("fchown refused (%s)", strerror(errno));
	}
	close(fd);
	assert_int_equal(ripc_domain_attach(&plant), -EACCES);
	assert_null(plant.base);
}

static void test_domain_bad_arguments_are_einval(void **state)
{
	char longname[RIPC_DOMAIN_NAME_MAX + 8];

	(void)state;
	memset(longname, 'x', sizeof(longname));
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(ripc_domain_attach(NULL), -EINVAL);
	assert_int_equal(ripc_domain_detach(NULL), -EINVAL);
	assert_int_equal(ripc_domain_unlink(NULL), -EINVAL);
	assert_int_equal(ripc_domain_set_name(NULL, "/x"), -EINVAL);
	assert_int_equal(ripc_domain_set_name(&plant, NULL), -EINVAL);
	assert_int_equal(ripc_domain_set_name(&plant, "noslash"), -EINVAL);
	assert_int_equal(ripc_domain_set_name(&plant, "/a/b"), -EINVAL);
	assert_int_equal(ripc_domain_set_name(&plant, "/"), -EINVAL);
	assert_int_equal(ripc_domain_set_name(&plant, longname), -EINVAL);
	assert_int_equal(ripc_domain_set_mode(NULL, 0600), -EINVAL);
	assert_int_equal(ripc_domain_set_mode(&plant, 01777), -EINVAL);
	assert_int_equal(ripc_domain_fingerprint(NULL), 0);
	/* The refused calls left the configured name alone. */
	assert_int_equal(ripc_domain_attach(&plant), 0);
	assert_int_equal(ripc_domain_set_name(&plant, "/other"), -EBUSY);
	assert_int_equal(region_mode(), 0600);
}

/* A process that dies while initialising the region leaves the lock held and the region
 * half-written; the next attacher must redo the initialisation. */
static int die_while_initialising(void *arg)
{
	struct ripc_domain_header *hdr = NULL;

	(void)arg;
	if (ripc_port_shm_map(region, (size_t)plant.size, 0600, (void **)&hdr) != 0)
		return 1;
	if (ripc_mutex_lock(&hdr->init_lock, RIPC_NO_WAIT) != 0)
		return 2;
	memset(hdr + 1, 0xee, (size_t)plant.size - sizeof(*hdr));
	kill(getpid(), SIGKILL);
	return 3;
}

static void test_domain_initialiser_death_is_repaired_by_the_next_attacher(void **state)
{
	pid_t pid;
	char msg[8];
	size_t len;

	(void)state;
	if (!ripc_mutex_robust_supported())
		RIPC_TEST_SKIP("no kernel robust list here (qemu-user): owner death is not seen");
	pid = ripc_test_fork(die_while_initialising, NULL);
	assert_int_equal(ripc_test_wait(pid), 128 + SIGKILL);
	assert_int_equal(ripc_domain_attach(&plant), 0);
	assert_int_equal(ripc_sem_count(RIPC_DOMAIN_OBJ(plant, ready)), 0);
	assert_int_equal(RIPC_DOMAIN_OBJ(plant, settings)->rate_hz, 0);
	assert_int_equal(ripc_mbox_count(RIPC_DOMAIN_OBJ(plant, telemetry)), 0);
	assert_int_equal(ripc_mbox_put(RIPC_DOMAIN_OBJ(plant, telemetry), "ok", 3, RIPC_NO_WAIT),
			 0);
	assert_int_equal(ripc_mbox_get(RIPC_DOMAIN_OBJ(plant, telemetry), msg, sizeof(msg), &len,
				       RIPC_NO_WAIT),
			 0);
	assert_string_equal(msg, "ok");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_domain_objects_are_null_until_attached, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_domain_attach_initialises_every_object, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_domain_state_survives_detach_and_reattach,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_unlink_gives_a_fresh_region_next_time,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_region_has_exactly_the_requested_mode,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_domain_other_definitions_are_refused_with_eproto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_region_of_another_user_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_bad_arguments_are_einval, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_domain_initialiser_death_is_repaired_by_the_next_attacher, setup,
			teardown),
	};

	ripc_test_init("core.domain.api");
	return cmocka_run_group_tests_name("core.domain.api", tests, NULL, NULL);
}
