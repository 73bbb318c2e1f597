/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "server_flap.h"

#define T0 9000000ull /* an arbitrary monotonic start, in ms */
#define S  1000ull

static const struct fw_flap_policy three_in_60 = {.threshold = 3, .window_s = 60};

/* Three changes within the window are allowed; the fourth starts one episode. */
static void test_more_than_threshold_raises_once(void **state)
{
	struct fw_server_flap f = {0};

	(void)state;
	assert_int_equal(fw_server_flap_changed(&f, &three_in_60, T0), FW_FLAP_NONE);
	assert_int_equal(fw_server_flap_changed(&f, &three_in_60, T0 + 10 * S), FW_FLAP_NONE);
	assert_int_equal(fw_server_flap_changed(&f, &three_in_60, T0 + 20 * S), FW_FLAP_NONE);
	assert_false(f.flapping);
	assert_int_equal(fw_server_flap_changed(&f, &three_in_60, T0 + 30 * S), FW_FLAP_RAISED);
	assert_true(f.flapping);
	assert_int_equal(f.episodes, 1);
	/* further changes are the same episode */
	assert_int_equal(fw_server_flap_changed(&f, &three_in_60, T0 + 31 * S), FW_FLAP_NONE);
	assert_int_equal(f.episodes, 1);
}

/* Changes spread wider than the window never make an episode. */
static void test_slow_changes_do_not_raise(void **state)
{
	struct fw_server_flap f = {0};

	(void)state;
	for (int i = 0; i < 40; i++)
		assert_int_equal(
		    fw_server_flap_changed(&f, &three_in_60, T0 + (uint64_t)i * 21 * S),
		    FW_FLAP_NONE);
	assert_false(f.flapping);
	assert_int_equal(f.episodes, 0);
}

/* Exactly at the window's edge still counts as within it; one millisecond later does not. */
static void test_window_edge(void **state)
{
	struct fw_server_flap f = {0}, g = {0};
	const struct fw_flap_policy one_in_10 = {.threshold = 1, .window_s = 10};

	(void)state;
	fw_server_flap_changed(&f, &one_in_10, T0);
	assert_int_equal(fw_server_flap_changed(&f, &one_in_10, T0 + 10 * S), FW_FLAP_RAISED);
	fw_server_flap_changed(&g, &one_in_10, T0);
	assert_int_equal(fw_server_flap_changed(&g, &one_in_10, T0 + 10 * S + 1), FW_FLAP_NONE);
}

/* The episode ends after a window without a change, not before; the next one counts anew. */
static void test_clear_after_a_quiet_window_then_new_episode(void **state)
{
	struct fw_server_flap f = {0};
	uint64_t t = T0;

	(void)state;
	for (int i = 0; i < 4; i++)
		fw_server_flap_changed(&f, &three_in_60, t += S);
	assert_true(f.flapping);
	assert_int_equal(fw_server_flap_tick(&f, &three_in_60, t + 59 * S), FW_FLAP_NONE);
	assert_int_equal(fw_server_flap_tick(&f, &three_in_60, t + 60 * S), FW_FLAP_CLEARED);
	assert_false(f.flapping);
	assert_int_equal(fw_server_flap_tick(&f, &three_in_60, t + 61 * S), FW_FLAP_NONE);
	t += 61 * S;
	/* the changes of the first episode do not count towards the second */
	for (int i = 0; i < 3; i++)
		assert_int_equal(fw_server_flap_changed(&f, &three_in_60, t += S), FW_FLAP_NONE);
	assert_int_equal(fw_server_flap_changed(&f, &three_in_60, t += S), FW_FLAP_RAISED);
	assert_int_equal(f.episodes, 2);
}

/* A change during an episode restarts the quiet window. */
static void test_change_during_episode_delays_the_clear(void **state)
{
	struct fw_server_flap f = {0};
	uint64_t t = T0;

	(void)state;
	for (int i = 0; i < 4; i++)
		fw_server_flap_changed(&f, &three_in_60, t += S);
	fw_server_flap_changed(&f, &three_in_60, t + 50 * S);
	assert_int_equal(fw_server_flap_tick(&f, &three_in_60, t + 60 * S), FW_FLAP_NONE);
	assert_int_equal(fw_server_flap_tick(&f, &three_in_60, t + 110 * S), FW_FLAP_CLEARED);
}

/* The largest threshold uses the whole ring; larger ones are held to it. */
static void test_threshold_bounds(void **state)
{
	struct fw_server_flap f = {0}, g = {0};
	const struct fw_flap_policy max = {.threshold = FW_FLAP_MAX_THRESHOLD, .window_s = 3600};
	const struct fw_flap_policy beyond = {.threshold = 1000, .window_s = 3600};
	int i;

	(void)state;
	for (i = 0; i < FW_FLAP_MAX_THRESHOLD; i++)
		assert_int_equal(fw_server_flap_changed(&f, &max, T0 + (uint64_t)i * S),
		                 FW_FLAP_NONE);
	assert_int_equal(fw_server_flap_changed(&f, &max, T0 + (uint64_t)i * S), FW_FLAP_RAISED);
	for (i = 0; i < FW_FLAP_MAX_THRESHOLD; i++)
		fw_server_flap_changed(&g, &beyond, T0 + (uint64_t)i * S);
	assert_int_equal(fw_server_flap_changed(&g, &beyond, T0 + (uint64_t)i * S), FW_FLAP_RAISED);
}

/* A clock that went backwards (a restored snapshot) never clears or crashes. */
static void test_time_before_last_change(void **state)
{
	struct fw_server_flap f = {0};

	(void)state;
	for (int i = 0; i < 4; i++)
		fw_server_flap_changed(&f, &three_in_60, T0 + (uint64_t)i * S);
	assert_int_equal(fw_server_flap_tick(&f, &three_in_60, T0 - 100 * S), FW_FLAP_NONE);
	assert_true(f.flapping);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_more_than_threshold_raises_once),
	    cmocka_unit_test(test_slow_changes_do_not_raise),
	    cmocka_unit_test(test_window_edge),
	    cmocka_unit_test(test_clear_after_a_quiet_window_then_new_episode),
	    cmocka_unit_test(test_change_during_episode_delays_the_clear),
	    cmocka_unit_test(test_threshold_bounds),
	    cmocka_unit_test(test_time_before_last_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
