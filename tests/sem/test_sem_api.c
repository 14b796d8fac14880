/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Semaphore API: every documented return code, on one thread.
 */
#include <errno.h>
#include <string.h>

#include "ripc_test.h"

static RIPC_SEM_DEFINE(defined_sem, 2, 3);

static void test_sem_define_gives_initial_count(void **state)
{
	(void)state;
	assert_int_equal(ripc_sem_count(&defined_sem), 2);
	assert_int_equal(ripc_sem_take(&defined_sem, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_sem_count(&defined_sem), 1);
	assert_int_equal(ripc_sem_give(&defined_sem), 0);
	assert_int_equal(ripc_sem_count(&defined_sem), 2);
}

static void test_sem_init_rejects_bad_arguments(void **state)
{
	struct ripc_sem s;

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	assert_int_equal(ripc_sem_init(NULL, 0, 1), -EINVAL);
	assert_int_equal(ripc_sem_init(&s, 0, 0), -EINVAL);
	assert_int_equal(ripc_sem_init(&s, 2, 1), -EINVAL);
	assert_int_equal(ripc_sem_init(&s, 0, RIPC_SEM_MAX_LIMIT + 1u), -EINVAL);
	/* A refused init leaves the storage untouched. */
	for (size_t i = 0; i < sizeof(s); i++)
		assert_int_equal(((unsigned char *)&s)[i], 0xa5);
	assert_int_equal(ripc_sem_init(&s, RIPC_SEM_MAX_LIMIT, RIPC_SEM_MAX_LIMIT), 0);
	assert_int_equal(ripc_sem_count(&s), RIPC_SEM_MAX_LIMIT);
}

static void test_sem_null_and_uninitialised_are_einval(void **state)
{
	struct ripc_sem zero;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	assert_int_equal(ripc_sem_take(NULL, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_sem_give(NULL), -EINVAL);
	assert_int_equal(ripc_sem_reset(NULL), -EINVAL);
	assert_int_equal(ripc_sem_count(NULL), 0);
	assert_int_equal(ripc_sem_take(&zero, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_sem_give(&zero), -EINVAL);
	assert_int_equal(ripc_sem_reset(&zero), -EINVAL);
}

static void test_sem_take_empty_nowait_returns_eagain(void **state)
{
	struct ripc_sem s;

	(void)state;
	assert_int_equal(ripc_sem_init(&s, 0, 1), 0);
	assert_int_equal(ripc_sem_take(&s, RIPC_NO_WAIT), -EAGAIN);
	assert_int_equal(ripc_sem_count(&s), 0);
}

static void test_sem_take_empty_times_out(void **state)
{
	struct ripc_sem s;
	int64_t t0, waited;

	(void)state;
	assert_int_equal(ripc_sem_init(&s, 0, 1), 0);
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_sem_take(&s, RIPC_MSEC(50)), -ETIMEDOUT);
	waited = ripc_test_now_ns() - t0;
	/* Never early; generous upper bound for loaded or emulated machines. */
	assert_true(waited >= 50 * 1000000LL);
	assert_true(waited < 5000 * 1000000LL);
	assert_int_equal(ripc_sem_count(&s), 0);
}

static void test_sem_give_at_limit_returns_eoverflow(void **state)
{
	struct ripc_sem s;

	(void)state;
	assert_int_equal(ripc_sem_init(&s, 1, 2), 0);
	assert_int_equal(ripc_sem_give(&s), 0);
	assert_int_equal(ripc_sem_give(&s), -EOVERFLOW);
	assert_int_equal(ripc_sem_count(&s), 2);
	assert_int_equal(ripc_sem_take(&s, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_sem_take(&s, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_sem_take(&s, RIPC_NO_WAIT), -EAGAIN);
}

static void test_sem_reset_zeroes_count(void **state)
{
	struct ripc_sem s;

	(void)state;
	assert_int_equal(ripc_sem_init(&s, 3, 5), 0);
	assert_int_equal(ripc_sem_reset(&s), 0);
	assert_int_equal(ripc_sem_count(&s), 0);
	assert_int_equal(ripc_sem_take(&s, RIPC_NO_WAIT), -EAGAIN);
	/* Usable as before after a reset. */
	assert_int_equal(ripc_sem_give(&s), 0);
	assert_int_equal(ripc_sem_take(&s, RIPC_MSEC(10)), 0);
}

static void test_sem_uncontended_makes_no_system_call(void **state)
{
	struct ripc_sem s;
	struct ripc_stats st;
	int i;

	(void)state;
	assert_int_equal(ripc_sem_init(&s, 0, 1), 0);
	ripc_stats_reset();
	for (i = 0; i < 100000; i++) {
		assert_int_equal(ripc_sem_give(&s), 0);
		assert_int_equal(ripc_sem_take(&s, RIPC_FOREVER), 0);
	}
	assert_int_equal(ripc_stats_get(&st), 0);
	assert_int_equal(st.futex_waits, 0);
	assert_int_equal(st.futex_wakes, 0);
	assert_int_equal(st.pi_calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sem_define_gives_initial_count),
		cmocka_unit_test(test_sem_init_rejects_bad_arguments),
		cmocka_unit_test(test_sem_null_and_uninitialised_are_einval),
		cmocka_unit_test(test_sem_take_empty_nowait_returns_eagain),
		cmocka_unit_test(test_sem_take_empty_times_out),
		cmocka_unit_test(test_sem_give_at_limit_returns_eoverflow),
		cmocka_unit_test(test_sem_reset_zeroes_count),
		cmocka_unit_test(test_sem_uncontended_makes_no_system_call),
	};

	ripc_test_init("core.sem.api");
	return cmocka_run_group_tests_name("core.sem.api", tests, NULL, NULL);
}
