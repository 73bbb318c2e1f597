/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "resync_sequencer.h"

#define STUCK 60000

/* A reconcile: dump, complete, end at the marker behind the queued events. */
static void test_reconcile_ends_at_marker(void **state)
{
	struct fw_resync_seq s = {0};

	(void)state;
	assert_int_equal(fw_resync_reconcile_due(&s, 1000, STUCK), FW_RESYNC_DO_START);
	assert_int_equal(s.next_kind, FW_RESYNC_RECONCILE);
	fw_resync_started(&s, FW_RESYNC_RECONCILE, 1000);
	/* events read meanwhile end nothing: the dump is not complete */
	assert_int_equal(fw_resync_events_read(&s, 1, 0), FW_RESYNC_DO_NOTHING);
	assert_int_equal(fw_resync_dump_done(&s, 1), FW_RESYNC_DO_SEND_MARKER);
	fw_resync_marker_queued(&s, 1);
	assert_int_equal(fw_resync_before_read(&s), FW_RESYNC_DO_NOTHING);
	/* a busy queue: not drained, marker not yet read */
	assert_int_equal(fw_resync_events_read(&s, 0, 0), FW_RESYNC_DO_NOTHING);
	assert_int_equal(fw_resync_events_read(&s, 0, 1), FW_RESYNC_DO_END);
	assert_int_equal(s.kind, FW_RESYNC_RECONCILE);
	/* once only */
	assert_int_equal(fw_resync_events_read(&s, 1, 1), FW_RESYNC_DO_NOTHING);
}

/* Overrun while idle: no dump until the queue was read empty; the marker alone is not enough. */
static void test_overrun_waits_for_drain(void **state)
{
	struct fw_resync_seq s = {0};

	(void)state;
	fw_resync_overrun(&s);
	assert_int_equal(fw_resync_events_read(&s, 0, 0), FW_RESYNC_DO_NOTHING);
	assert_int_equal(fw_resync_events_read(&s, 0, 1), FW_RESYNC_DO_NOTHING);
	/* a reconcile waits for it */
	assert_int_equal(fw_resync_reconcile_due(&s, 5000, STUCK), FW_RESYNC_DO_NOTHING);
	assert_int_equal(fw_resync_events_read(&s, 1, 0), FW_RESYNC_DO_START);
	assert_int_equal(s.next_kind, FW_RESYNC_AFTER_OVERRUN);
	fw_resync_started(&s, FW_RESYNC_AFTER_OVERRUN, 6000);
	assert_int_equal(fw_resync_events_read(&s, 1, 0), FW_RESYNC_DO_NOTHING);
	assert_int_equal(fw_resync_dump_done(&s, 1), FW_RESYNC_DO_SEND_MARKER);
	fw_resync_marker_queued(&s, 1);
	assert_int_equal(fw_resync_events_read(&s, 1, 0), FW_RESYNC_DO_END);
	assert_int_equal(s.kind, FW_RESYNC_AFTER_OVERRUN);
}

/* Overrun during a reconcile dump: that resync counts as after an overrun, and a new dump follows
 * the drain. */
static void test_overrun_during_dump(void **state)
{
	struct fw_resync_seq s = {0};
	unsigned todo;

	(void)state;
	fw_resync_reconcile_due(&s, 0, STUCK);
	fw_resync_started(&s, FW_RESYNC_RECONCILE, 0);
	fw_resync_overrun(&s);
	assert_int_equal(s.kind, FW_RESYNC_AFTER_OVERRUN);
	/* drained before the dump ended: the dump started before the drain is started again */
	assert_int_equal(fw_resync_events_read(&s, 1, 0), FW_RESYNC_DO_START);
	fw_resync_started(&s, FW_RESYNC_AFTER_OVERRUN, 100);
	assert_int_equal(fw_resync_dump_done(&s, 1), FW_RESYNC_DO_SEND_MARKER);
	fw_resync_marker_queued(&s, 1);
	/* an overrun after the dump, before its end: the end comes, then a new dump after the drain
	 */
	fw_resync_overrun(&s);
	assert_int_equal(s.kind, FW_RESYNC_AFTER_OVERRUN);
	assert_int_equal(fw_resync_events_read(&s, 0, 1), FW_RESYNC_DO_END);
	todo = fw_resync_events_read(&s, 1, 0);
	assert_int_equal(todo, FW_RESYNC_DO_START);
	assert_int_equal(s.next_kind, FW_RESYNC_AFTER_OVERRUN);
}

/* A drained queue both ends the resync due and starts the overrun resync, in that order. */
static void test_end_and_start_together(void **state)
{
	struct fw_resync_seq s = {0};

	(void)state;
	fw_resync_started(&s, FW_RESYNC_RECONCILE, 0);
	fw_resync_dump_done(&s, 1);
	fw_resync_marker_queued(&s, 1);
	fw_resync_overrun(&s);
	assert_int_equal(fw_resync_events_read(&s, 1, 0), FW_RESYNC_DO_END | FW_RESYNC_DO_START);
	assert_int_equal(s.kind, FW_RESYNC_AFTER_OVERRUN);
}

/* The marker could not be queued (event socket full): it is tried again before each read. */
static void test_marker_retried(void **state)
{
	struct fw_resync_seq s = {0};

	(void)state;
	fw_resync_started(&s, FW_RESYNC_RECONCILE, 0);
	assert_int_equal(fw_resync_dump_done(&s, 1), FW_RESYNC_DO_SEND_MARKER);
	fw_resync_marker_queued(&s, 0);
	assert_int_equal(fw_resync_before_read(&s), FW_RESYNC_DO_SEND_MARKER);
	fw_resync_marker_queued(&s, 0);
	assert_int_equal(fw_resync_before_read(&s), FW_RESYNC_DO_SEND_MARKER);
	fw_resync_marker_queued(&s, 1);
	assert_int_equal(fw_resync_before_read(&s), FW_RESYNC_DO_NOTHING);
	assert_int_equal(fw_resync_events_read(&s, 0, 1), FW_RESYNC_DO_END);
	assert_int_equal(fw_resync_before_read(&s), FW_RESYNC_DO_NOTHING);
}

/* A failed dump ends nothing and declares nothing gone; the next reconcile retries. */
static void test_failed_dump(void **state)
{
	struct fw_resync_seq s = {0};

	(void)state;
	fw_resync_started(&s, FW_RESYNC_RECONCILE, 0);
	assert_int_equal(fw_resync_dump_done(&s, 0), FW_RESYNC_DO_NOTHING);
	assert_int_equal(fw_resync_events_read(&s, 1, 1), FW_RESYNC_DO_NOTHING);
	assert_int_equal(fw_resync_reconcile_due(&s, 30000, STUCK), FW_RESYNC_DO_START);
}

/* A reconcile while a dump runs waits, unless that dump is stuck; while an end is due, it waits
 * too. */
static void test_reconcile_while_running(void **state)
{
	struct fw_resync_seq s = {0};

	(void)state;
	fw_resync_started(&s, FW_RESYNC_RECONCILE, 1000);
	assert_int_equal(fw_resync_reconcile_due(&s, 1000 + STUCK - 1, STUCK),
	                 FW_RESYNC_DO_NOTHING);
	assert_int_equal(fw_resync_reconcile_due(&s, 1000 + STUCK, STUCK),
	                 FW_RESYNC_DO_START | FW_RESYNC_DO_RESTART);
	fw_resync_started(&s, FW_RESYNC_RECONCILE, 1000 + STUCK);
	fw_resync_dump_done(&s, 1);
	fw_resync_marker_queued(&s, 1);
	assert_int_equal(fw_resync_reconcile_due(&s, 200000, STUCK), FW_RESYNC_DO_NOTHING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reconcile_ends_at_marker),
	    cmocka_unit_test(test_overrun_waits_for_drain),
	    cmocka_unit_test(test_overrun_during_dump),
	    cmocka_unit_test(test_end_and_start_together),
	    cmocka_unit_test(test_marker_retried),
	    cmocka_unit_test(test_failed_dump),
	    cmocka_unit_test(test_reconcile_while_running),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
