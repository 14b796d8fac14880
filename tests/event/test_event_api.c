/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Event API: every documented return code and the bit semantics, on one thread.
 */
#include <errno.h>
#include <string.h>

#include "ripc_test.h"

#define A   RIPC_EVENT_BIT(0)
#define B   RIPC_EVENT_BIT(1)
#define C   RIPC_EVENT_BIT(2)
#define D   RIPC_EVENT_BIT(3)
#define TOP RIPC_EVENT_BIT(31)

#define ANY   RIPC_EVENT_WAIT_ANY
#define ALL   RIPC_EVENT_WAIT_ALL
#define CLEAR RIPC_EVENT_CLEAR

static RIPC_EVENT_DEFINE(defined_event);

/* An event set to @p bits, for tests that start from a known word. */
static void init_with(struct ripc_event *ev, uint32_t bits)
{
	assert_int_equal(ripc_event_init(ev), 0);
	assert_int_equal(ripc_event_set(ev, bits), 0);
	assert_int_equal(ripc_event_get(ev), bits);
}

static void test_event_define_starts_with_no_bit_set(void **state)
{
	uint32_t m = 0xdead;

	(void)state;
	assert_int_equal(ripc_event_get(&defined_event), 0);
	assert_int_equal(ripc_event_wait(&defined_event, A, ANY, &m, RIPC_NO_WAIT), -EAGAIN);
	assert_int_equal(m, 0);
	assert_int_equal(ripc_event_post(&defined_event, A), 0);
	assert_int_equal(ripc_event_wait(&defined_event, A, ANY | CLEAR, &m, RIPC_NO_WAIT), 0);
	assert_int_equal(m, A);
	assert_int_equal(ripc_event_get(&defined_event), 0);
}

static void test_event_init_clears_garbage_and_rejects_null(void **state)
{
	struct ripc_event ev;

	(void)state;
	assert_int_equal(ripc_event_init(NULL), -EINVAL);
	memset(&ev, 0xa5, sizeof(ev));
	assert_int_equal(ripc_event_init(&ev), 0);
	assert_int_equal(ripc_event_get(&ev), 0);
	assert_int_equal(ripc_event_wait(&ev, A, ANY, NULL, RIPC_NO_WAIT), -EAGAIN);
}

static void test_event_zero_filled_is_a_valid_event(void **state)
{
	struct ripc_event ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(ripc_event_post(&ev, B), 0);
	assert_int_equal(ripc_event_wait(&ev, B, ALL | CLEAR, NULL, RIPC_MSEC(10)), 0);
	assert_int_equal(ripc_event_get(&ev), 0);
}

static void test_event_layout_is_fixed(void **state)
{
	(void)state;
	/* The same on 32- and 64-bit targets (also a _Static_assert in the header). */
	assert_int_equal(sizeof(struct ripc_event), 16);
	assert_int_equal(_Alignof(struct ripc_event), 4);
}

static void test_event_null_is_einval_everywhere(void **state)
{
	uint32_t m = 0xdead;

	(void)state;
	assert_int_equal(ripc_event_post(NULL, A), -EINVAL);
	assert_int_equal(ripc_event_set(NULL, A), -EINVAL);
	assert_int_equal(ripc_event_clear(NULL, A), -EINVAL);
	assert_int_equal(ripc_event_get(NULL), 0);
	assert_int_equal(ripc_event_wait(NULL, A, ANY, &m, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(m, 0);
	assert_int_equal(ripc_event_wait(NULL, A, ANY, NULL, RIPC_FOREVER), -EINVAL);
}

static void test_event_empty_masks_are_einval(void **state)
{
	struct ripc_event ev;

	(void)state;
	init_with(&ev, A);
	assert_int_equal(ripc_event_post(&ev, 0), -EINVAL);
	assert_int_equal(ripc_event_clear(&ev, 0), -EINVAL);
	assert_int_equal(ripc_event_wait(&ev, 0, ANY, NULL, RIPC_NO_WAIT), -EINVAL);
	assert_int_equal(ripc_event_wait(&ev, 0, ALL, NULL, RIPC_FOREVER), -EINVAL);
	/* Nothing changed; set(0) is not a mistake but "clear everything". */
	assert_int_equal(ripc_event_get(&ev), A);
	assert_int_equal(ripc_event_set(&ev, 0), 0);
	assert_int_equal(ripc_event_get(&ev), 0);
}

static void test_event_wait_bad_flags_are_einval(void **state)
{
	static const uint32_t bad[] = {
		0,         /* no wait mode */
		CLEAR,     /* clear, but no wait mode */
		ANY | ALL, /* two wait modes */
		ANY | ALL | CLEAR,
		ANY | 0x8u, /* unknown flag */
		ALL | 0x80000000u,
		0xffffffffu,
	};
	struct ripc_event ev;
	uint32_t m;
	size_t i;

	(void)state;
	init_with(&ev, A | B);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = 0xdead;
		assert_int_equal(ripc_event_wait(&ev, A, bad[i], &m, RIPC_NO_WAIT), -EINVAL);
		assert_int_equal(m, 0);
		/* Checked before waiting: a FOREVER wait with bad flags returns at once. */
		assert_int_equal(ripc_event_wait(&ev, C, bad[i], NULL, RIPC_FOREVER), -EINVAL);
	}
	/* A refused call never clears anything. */
	assert_int_equal(ripc_event_get(&ev), A | B);
}

static void test_event_wait_unsatisfied_nowait_returns_eagain(void **state)
{
	struct ripc_event ev;
	uint32_t m = 0xdead;

	(void)state;
	init_with(&ev, A | C);
	assert_int_equal(ripc_event_wait(&ev, B | D, ANY, &m, RIPC_NO_WAIT), -EAGAIN);
	assert_int_equal(m, 0);
	m = 0xdead;
	assert_int_equal(ripc_event_wait(&ev, A | B, ALL | CLEAR, &m, RIPC_NO_WAIT), -EAGAIN);
	assert_int_equal(m, 0);
	/* The partial match of the ALL wait was not cleared. */
	assert_int_equal(ripc_event_get(&ev), A | C);
}

static void test_event_wait_unsatisfied_times_out(void **state)
{
	struct ripc_event ev;
	int64_t t0, waited;
	uint32_t m = 0xdead;

	(void)state;
	init_with(&ev, A);
	t0 = ripc_test_now_ns();
	assert_int_equal(ripc_event_wait(&ev, A | B, ALL | CLEAR, &m, RIPC_MSEC(50)), -ETIMEDOUT);
	waited = ripc_test_now_ns() - t0;
	/* Never early; a generous upper bound for loaded or emulated machines. */
	assert_true(waited >= 50 * 1000000LL);
	assert_true(waited < 5000 * 1000000LL);
	assert_int_equal(m, 0);
	assert_int_equal(ripc_event_get(&ev), A);
}

static void test_event_wait_any_needs_one_bit_and_reports_the_set_ones(void **state)
{
	struct ripc_event ev;
	uint32_t m;

	(void)state;
	init_with(&ev, A | C | TOP);
	assert_int_equal(ripc_event_wait(&ev, B | C | D | TOP, ANY, &m, RIPC_NO_WAIT), 0);
	assert_int_equal(m, C | TOP);
	assert_int_equal(ripc_event_wait(&ev, D | A, ANY, &m, RIPC_FOREVER), 0);
	assert_int_equal(m, A);
	/* Without RIPC_EVENT_CLEAR nothing changes, and matched may be NULL. */
	assert_int_equal(ripc_event_wait(&ev, TOP, ANY, NULL, RIPC_NO_WAIT), 0);
	assert_int_equal(ripc_event_get(&ev), A | C | TOP);
}

static void test_event_wait_all_needs_every_bit(void **state)
{
	struct ripc_event ev;
	uint32_t m;

	(void)state;
	init_with(&ev, A | C);
	assert_int_equal(ripc_event_wait(&ev, A | B | C, ALL, &m, RIPC_NO_WAIT), -EAGAIN);
	assert_int_equal(ripc_event_post(&ev, B), 0);
	assert_int_equal(ripc_event_wait(&ev, A | B | C, ALL, &m, RIPC_NO_WAIT), 0);
	assert_int_equal(m, A | B | C);
	assert_int_equal(ripc_event_wait(&ev, A | C, ALL, &m, RIPC_MSEC(10)), 0);
	assert_int_equal(m, A | C);
	assert_int_equal(ripc_event_get(&ev), A | B | C);
}

static void test_event_clear_on_return_any_clears_exactly_the_matched_bits(void **state)
{
	struct ripc_event ev;
	uint32_t m;

	(void)state;
	init_with(&ev, A | B | D);
	/* Wants B or C; B is set, so B, and only B, is consumed. A and D are not asked for. */
	assert_int_equal(ripc_event_wait(&ev, B | C, ANY | CLEAR, &m, RIPC_NO_WAIT), 0);
	assert_int_equal(m, B);
	assert_int_equal(ripc_event_get(&ev), A | D);
	/* Both requested bits set: both consumed, the rest stays. */
	assert_int_equal(ripc_event_wait(&ev, A | D | C, ANY | CLEAR, &m, RIPC_NO_WAIT), 0);
	assert_int_equal(m, A | D);
	assert_int_equal(ripc_event_get(&ev), 0);
	/* Consumed: a second identical wait finds nothing. */
	assert_int_equal(ripc_event_wait(&ev, B | C, ANY | CLEAR, &m, RIPC_NO_WAIT), -EAGAIN);
}

static void test_event_clear_on_return_all_clears_exactly_the_requested_bits(void **state)
{
	struct ripc_event ev;
	uint32_t m;

	(void)state;
	init_with(&ev, A | B | C | D | TOP);
	assert_int_equal(ripc_event_wait(&ev, A | C | TOP, ALL | CLEAR, &m, RIPC_NO_WAIT), 0);
	assert_int_equal(m, A | C | TOP);
	assert_int_equal(ripc_event_get(&ev), B | D);
	assert_int_equal(ripc_event_wait(&ev, A | B, ALL | CLEAR, &m, RIPC_NO_WAIT), -EAGAIN);
	assert_int_equal(ripc_event_get(&ev), B | D);
}

static void test_event_post_ors_set_replaces_clear_clears(void **state)
{
	struct ripc_event ev;

	(void)state;
	assert_int_equal(ripc_event_init(&ev), 0);
	assert_int_equal(ripc_event_post(&ev, A | C), 0);
	assert_int_equal(ripc_event_post(&ev, C | TOP), 0);
	assert_int_equal(ripc_event_get(&ev), A | C | TOP);
	/* Posting a set bit again changes nothing: bits are flags, not counters. */
	assert_int_equal(ripc_event_post(&ev, A), 0);
	assert_int_equal(ripc_event_get(&ev), A | C | TOP);
	assert_int_equal(ripc_event_clear(&ev, C | D), 0);
	assert_int_equal(ripc_event_get(&ev), A | TOP);
	assert_int_equal(ripc_event_set(&ev, B | D), 0);
	assert_int_equal(ripc_event_get(&ev), B | D);
	assert_int_equal(ripc_event_set(&ev, 0xffffffffu), 0);
	assert_int_equal(ripc_event_get(&ev), 0xffffffffu);
	assert_int_equal(ripc_event_clear(&ev, 0xffffffffu), 0);
	assert_int_equal(ripc_event_get(&ev), 0);
	assert_int_equal(RIPC_EVENT_BIT(31), 0x80000000u);
}

static void test_event_uncontended_makes_no_system_call(void **state)
{
	struct ripc_event ev;
	struct ripc_stats st;
	uint32_t m;
	int i;

	(void)state;
	assert_int_equal(ripc_event_init(&ev), 0);
	ripc_stats_reset();
	for (i = 0; i < 100000; i++) {
		assert_int_equal(ripc_event_post(&ev, A | B), 0);
		assert_int_equal(ripc_event_wait(&ev, A, ANY | CLEAR, &m, RIPC_FOREVER), 0);
		assert_int_equal(ripc_event_wait(&ev, B, ALL | CLEAR, &m, RIPC_FOREVER), 0);
		assert_int_equal(ripc_event_set(&ev, C), 0);
		assert_int_equal(ripc_event_clear(&ev, C), 0);
	}
	assert_int_equal(ripc_stats_get(&st), 0);
	assert_int_equal(st.futex_waits, 0);
	assert_int_equal(st.futex_wakes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_define_starts_with_no_bit_set),
		cmocka_unit_test(test_event_init_clears_garbage_and_rejects_null),
		cmocka_unit_test(test_event_zero_filled_is_a_valid_event),
		cmocka_unit_test(test_event_layout_is_fixed),
		cmocka_unit_test(test_event_null_is_einval_everywhere),
		cmocka_unit_test(test_event_empty_masks_are_einval),
		cmocka_unit_test(test_event_wait_bad_flags_are_einval),
		cmocka_unit_test(test_event_wait_unsatisfied_nowait_returns_eagain),
		cmocka_unit_test(test_event_wait_unsatisfied_times_out),
		cmocka_unit_test(test_event_wait_any_needs_one_bit_and_reports_the_set_ones),
		cmocka_unit_test(test_event_wait_all_needs_every_bit),
		cmocka_unit_test(test_event_clear_on_return_any_clears_exactly_the_matched_bits),
		cmocka_unit_test(test_event_clear_on_return_all_clears_exactly_the_requested_bits),
		cmocka_unit_test(test_event_post_ors_set_replaces_clear_clears),
		cmocka_unit_test(test_event_uncontended_makes_no_system_call),
	};

	ripc_test_init("core.event.api");
	return cmocka_run_group_tests_name("core.event.api", tests, NULL, NULL);
}
