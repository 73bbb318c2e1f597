/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "storm_control.h"

#define T0 7000000ull /* an arbitrary monotonic start, in ms */

static enum fw_teardown_cause cause_of(int i)
{
	/* A mix: mostly idle timeouts, some resets, a few flushes. */
	if (i % 10 == 0)
		return FW_CAUSE_FLUSHED;
	if (i % 3 == 0)
		return FW_CAUSE_RESET;
	return FW_CAUSE_IDLE_TIMEOUT;
}

/* A data centre failover: 200 phones time out at once, 3 per 10 s may be notified. */
static void test_burst_then_next_window(void **state)
{
	struct fw_storm storm;
	struct fw_storm_summary sum;
	uint32_t admitted = 0, expect[FW_CAUSE_COUNT + 1] = {0};

	(void)state;
	fw_storm_init(&storm, 3, 10);
	for (int i = 0; i < 200; i++) {
		int ok = fw_storm_admit(&storm, T0 + (uint64_t)i, cause_of(i));

		/* The first three are the ones let through. */
		assert_int_equal(ok, i < 3);
		admitted += (uint32_t)ok;
		if (!ok)
			expect[cause_of(i)]++;
	}
	assert_int_equal(admitted, 3);

	memset(&sum, 0xa5, sizeof(sum));
	assert_int_equal(fw_storm_flush(&storm, T0 + 5000, &sum), 0);
	/* One ms before the window ends is still inside it. */
	assert_int_equal(fw_storm_flush(&storm, T0 + 9999, &sum), 0);
	/* Still held inside the window. */
	assert_int_equal(fw_storm_admit(&storm, T0 + 9999, FW_CAUSE_RESET), 0);
	expect[FW_CAUSE_RESET]++;

	assert_int_equal(fw_storm_flush(&storm, T0 + 10000, &sum), 1);
	assert_int_equal(sum.held_total, 198);
	assert_int_equal(sum.interval, 10);
	for (int c = FW_CAUSE_RESET; c <= FW_CAUSE_COUNT; c++)
		assert_int_equal(sum.held[c], expect[c]);
	assert_int_equal(sum.held[FW_CAUSE_RESET] + sum.held[FW_CAUSE_IDLE_TIMEOUT] +
	                     sum.held[FW_CAUSE_FLUSHED],
	                 198);
	/* Reported once. */
	assert_int_equal(fw_storm_flush(&storm, T0 + 10001, &sum), 0);
	assert_int_equal(fw_storm_flush(&storm, T0 + 60000, &sum), 0);

	/* The next window starts at the next admit, long after: three again. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(fw_storm_admit(&storm, T0 + 100000 + (uint64_t)i, FW_CAUSE_CLOSED),
		                 i < 3);
	assert_int_equal(fw_storm_flush(&storm, T0 + 109999, &sum), 0);
	assert_int_equal(fw_storm_flush(&storm, T0 + 110000, &sum), 1);
	assert_int_equal(sum.held_total, 2);
	assert_int_equal(sum.held[FW_CAUSE_CLOSED], 2);
	assert_int_equal(sum.held[FW_CAUSE_RESET], 0);
}

/* 200 teardowns in the same millisecond: 3 through, 197 held. */
static void test_exactly_197_held(void **state)
{
	struct fw_storm storm;
	struct fw_storm_summary sum;

	(void)state;
	fw_storm_init(&storm, 3, 10);
	for (int i = 0; i < 200; i++)
		fw_storm_admit(&storm, T0, FW_CAUSE_IDLE_TIMEOUT);
	assert_int_equal(fw_storm_flush(&storm, T0 + 10000, &sum), 1);
	assert_int_equal(sum.held_total, 197);
	assert_int_equal(sum.held[FW_CAUSE_IDLE_TIMEOUT], 197);
}

/* Nothing held: no summary, and the next window still opens at the next admit. */
static void test_quiet_window(void **state)
{
	struct fw_storm storm;
	struct fw_storm_summary sum;

	(void)state;
	fw_storm_init(&storm, 3, 10);
	assert_int_equal(fw_storm_flush(&storm, T0, &sum), 0);
	assert_int_equal(fw_storm_admit(&storm, T0, FW_CAUSE_RESET), 1);
	assert_int_equal(fw_storm_admit(&storm, T0 + 1000, FW_CAUSE_RESET), 1);
	assert_int_equal(fw_storm_flush(&storm, T0 + 20000, &sum), 0);
	/* The window of the first admit is over: a fresh one allows three more. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(fw_storm_admit(&storm, T0 + 20000, FW_CAUSE_RESET), 1);
	assert_int_equal(fw_storm_admit(&storm, T0 + 20000, FW_CAUSE_RESET), 0);
}

/* Windows start at the first admit, not on a fixed grid. */
static void test_window_starts_at_first_admit(void **state)
{
	struct fw_storm storm;
	struct fw_storm_summary sum;

	(void)state;
	fw_storm_init(&storm, 1, 10);
	assert_int_equal(fw_storm_admit(&storm, T0 + 7000, FW_CAUSE_RESET), 1);
	assert_int_equal(fw_storm_admit(&storm, T0 + 16999, FW_CAUSE_RESET), 0);
	assert_int_equal(fw_storm_flush(&storm, T0 + 16999, &sum), 0);
	assert_int_equal(fw_storm_flush(&storm, T0 + 17000, &sum), 1);
	assert_int_equal(sum.held_total, 1);
}

/* Limit 0: no teardown is notified on its own; all are summed up per window. */
static void test_limit_zero(void **state)
{
	struct fw_storm storm;
	struct fw_storm_summary sum;

	(void)state;
	fw_storm_init(&storm, 0, 10);
	for (int i = 0; i < 4; i++)
		assert_int_equal(fw_storm_admit(&storm, T0 + (uint64_t)i, FW_CAUSE_MISSED), 0);
	assert_int_equal(fw_storm_flush(&storm, T0 + 9999, &sum), 0);
	assert_int_equal(fw_storm_flush(&storm, T0 + 10000, &sum), 1);
	assert_int_equal(sum.held_total, 4);
	assert_int_equal(sum.held[FW_CAUSE_MISSED], 4);
	assert_int_equal(fw_storm_admit(&storm, T0 + 10001, FW_CAUSE_OTHER), 0);
	assert_int_equal(fw_storm_flush(&storm, T0 + 20001, &sum), 1);
	assert_int_equal(sum.held_total, 1);
	assert_int_equal(sum.held[FW_CAUSE_OTHER], 1);
}

/* An admit after a window ended unflushed keeps its holds for the next flush. */
static void test_unflushed_window_kept(void **state)
{
	struct fw_storm storm;
	struct fw_storm_summary sum;

	(void)state;
	fw_storm_init(&storm, 1, 10);
	assert_int_equal(fw_storm_admit(&storm, T0, FW_CAUSE_RESET), 1);
	assert_int_equal(fw_storm_admit(&storm, T0, FW_CAUSE_RESET), 0);
	assert_int_equal(fw_storm_admit(&storm, T0, FW_CAUSE_CLOSED), 0);
	/* No flush: the next teardown opens a new window and is let through. */
	assert_int_equal(fw_storm_admit(&storm, T0 + 15000, FW_CAUSE_IDLE_TIMEOUT), 1);
	assert_int_equal(fw_storm_admit(&storm, T0 + 15000, FW_CAUSE_IDLE_TIMEOUT), 0);
	/* The old window's holds come out now, the new window's once it ends. */
	assert_int_equal(fw_storm_flush(&storm, T0 + 15001, &sum), 1);
	assert_int_equal(sum.held_total, 2);
	assert_int_equal(sum.held[FW_CAUSE_RESET], 1);
	assert_int_equal(sum.held[FW_CAUSE_CLOSED], 1);
	assert_int_equal(sum.held[FW_CAUSE_IDLE_TIMEOUT], 0);
	assert_int_equal(sum.interval, 10);
	assert_int_equal(fw_storm_flush(&storm, T0 + 15001, &sum), 0);
	assert_int_equal(fw_storm_flush(&storm, T0 + 25000, &sum), 1);
	assert_int_equal(sum.held_total, 1);
	assert_int_equal(sum.held[FW_CAUSE_IDLE_TIMEOUT], 1);
}

/* A cause outside the enumeration is still counted, as "other". */
/* A reload changes the limits for later windows, not what this one held back. */
static void test_new_limits_keep_held(void **state)
{
	struct fw_storm storm;
	struct fw_storm_summary sum;

	(void)state;
	fw_storm_init(&storm, 2, 10);
	for (int i = 0; i < 5; i++)
		fw_storm_admit(&storm, T0 + (uint64_t)i, FW_CAUSE_FLUSHED);
	fw_storm_set_limits(&storm, 4, 5);
	/* the current window now ends 5 s after it began, still with its 3 held */
	assert_int_equal(fw_storm_flush(&storm, T0 + 4000, &sum), 0);
	assert_int_equal(fw_storm_flush(&storm, T0 + 5000, &sum), 1);
	assert_int_equal(sum.held_total, 3);
	assert_int_equal(sum.held[FW_CAUSE_FLUSHED], 3);
	/* the next window uses the new limits */
	for (int i = 0; i < 6; i++)
		fw_storm_admit(&storm, T0 + 20000 + (uint64_t)i, FW_CAUSE_RESET);
	assert_int_equal(fw_storm_flush(&storm, T0 + 24000, &sum), 0);
	assert_int_equal(fw_storm_flush(&storm, T0 + 25000, &sum), 1);
	assert_int_equal(sum.held_total, 2);
	assert_int_equal(sum.interval, 5);
}

static void test_bad_cause(void **state)
{
	struct fw_storm storm;
	struct fw_storm_summary sum;

	(void)state;
	fw_storm_init(&storm, 0, 1);
	assert_int_equal(fw_storm_admit(&storm, T0, (enum fw_teardown_cause)0), 0);
	assert_int_equal(fw_storm_admit(&storm, T0, (enum fw_teardown_cause)99), 0);
	assert_int_equal(fw_storm_flush(&storm, T0 + 1000, &sum), 1);
	assert_int_equal(sum.held_total, 2);
	assert_int_equal(sum.held[FW_CAUSE_OTHER], 2);
	assert_int_equal(sum.held[0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_burst_then_next_window),
	    cmocka_unit_test(test_exactly_197_held),
	    cmocka_unit_test(test_quiet_window),
	    cmocka_unit_test(test_window_starts_at_first_admit),
	    cmocka_unit_test(test_limit_zero),
	    cmocka_unit_test(test_unflushed_window_kept),
	    cmocka_unit_test(test_new_limits_keep_held),
	    cmocka_unit_test(test_bad_cause),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
