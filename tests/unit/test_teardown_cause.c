/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Teardown causes: from the session's last observed state and timeout, and how it ended. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <linux/netfilter/nf_conntrack_tcp.h>
#include <string.h>

#include "session_tracker.h"
#include "teardown_cause.h"

#include "tracker_clock.h"

struct classify_case {
	uint8_t tcp_state;
	uint32_t remaining;
	double observed_at, now_at;
	int has_destroy;
	uint32_t portid;
	enum fw_teardown_cause cause;
	uint32_t shortened; /* 0: the kernel default, 300 s */
	uint8_t unacked_seen;
	uint32_t effective; /* the state's own timeout as observed; 0: the remaining one */
};

static const struct classify_case classify_cases[] = {
    {ESTABLISHED, 300, 0, 300, 1, 0, FW_CAUSE_IDLE_TIMEOUT, 0, 0, 0},
    {ESTABLISHED, 300, 0, 298, 1, 0, FW_CAUSE_IDLE_TIMEOUT, 0, 0, 0}, /* exactly 2 s early */
    {ESTABLISHED, 300, 0, 297.9, 1, 0, FW_CAUSE_OTHER, 0, 0, 0},
    {ESTABLISHED, 300, 0, 10, 1, 1, FW_CAUSE_FLUSHED, 0, 0, 0},
    {ESTABLISHED, 300, 0, 10, 0, 0, FW_CAUSE_OTHER, 0, 0, 0}, /* no DESTROY: no portid */
    {CLOSE_WAIT, 60, 100, 160, 1, 0, FW_CAUSE_HALF_CLOSED_TIMEOUT, 0, 0, 0},
    {FIN_WAIT, 120, 0, 120, 1, 0, FW_CAUSE_HALF_CLOSED_TIMEOUT, 0, 0, 0},
    {LAST_ACK, 30, 0, 31, 0, 0, FW_CAUSE_HALF_CLOSED_TIMEOUT, 0, 0, 0},
    {TIME_WAIT, 120, 0, 120, 1, 0, FW_CAUSE_CLOSED, 0, 0, 0},
    {CLOSE, 10, 0, 10, 1, 0, FW_CAUSE_RESET, 0, 0, 0},
    {SYN_SENT, 120, 0, 120, 1, 0, FW_CAUSE_OTHER, 0, 0, 0},
    {TCP_CONNTRACK_SYN_RECV, 60, 0, 60, 1, 0, FW_CAUSE_OTHER, 0, 0, 0},
    {TCP_CONNTRACK_NONE, 0, 0, 0, 1, 0, FW_CAUSE_OTHER, 0, 0, 0},
    /* the kernel shortened the timeout after the last observation */
    {ESTABLISHED, 7200, 0, 300, 1, 0, FW_CAUSE_UNACKED_TIMEOUT, 0, 0, 0},
    {ESTABLISHED, 7200, 0, 298, 1, 0, FW_CAUSE_UNACKED_TIMEOUT, 0, 0, 0}, /* 2 s of slack */
    {ESTABLISHED, 7200, 0, 297.9, 1, 0, FW_CAUSE_OTHER, 0, 0, 0},
    {ESTABLISHED, 7200, 100, 3000, 1, 0, FW_CAUSE_UNACKED_TIMEOUT, 0, 0, 0},
    {ESTABLISHED, 7200, 0, 20, 1, 0, FW_CAUSE_UNACKED_TIMEOUT, 5, 0, 0},
    {ESTABLISHED, 7200, 0, 2, 1, 0, FW_CAUSE_OTHER, 5, 0, 0},
    {ESTABLISHED, 7200, 0, 120, 1, 0, FW_CAUSE_UNACKED_TIMEOUT, 120, 0, 0},
    {ESTABLISHED, 7200, 0, 300, 1, 0, FW_CAUSE_OTHER, 600, 0, 0},
    {CLOSE_WAIT, 3600, 0, 400, 1, 0, FW_CAUSE_UNACKED_TIMEOUT, 0, 0, 0},
    {ESTABLISHED, 7200, 0, 400, 1, 1, FW_CAUSE_FLUSHED, 0, 0, 0}, /* conntrack -D */
    {ESTABLISHED, 7200, 0, 400, 0, 0, FW_CAUSE_OTHER, 0, 0, 0},   /* vanished: no DESTROY */
    /* a dump showed data unacknowledged: what was left was the shortened timeout */
    {ESTABLISHED, 250, 0, 250, 1, 0, FW_CAUSE_UNACKED_TIMEOUT, 0, 1, 7200},
    {ESTABLISHED, 250, 0, 310, 1, 0, FW_CAUSE_UNACKED_TIMEOUT, 0, 1, 7200}, /* a late collector */
    {ESTABLISHED, 250, 0, 311, 1, 0, FW_CAUSE_IDLE_TIMEOUT, 0, 1, 7200},    /* re-armed meanwhile */
    {CLOSE_WAIT, 250, 0, 250, 1, 0, FW_CAUSE_UNACKED_TIMEOUT, 0, 1, 3600},
    /* a FIN unacknowledged in a state whose own timeout is below the shortened one */
    {LAST_ACK, 30, 0, 30, 1, 0, FW_CAUSE_HALF_CLOSED_TIMEOUT, 0, 1, 0},
    {FIN_WAIT, 120, 0, 120, 1, 0, FW_CAUSE_HALF_CLOSED_TIMEOUT, 0, 1, 0},
    /* an established timeout of 200 s is never shortened to 300 */
    {ESTABLISHED, 200, 0, 200, 1, 0, FW_CAUSE_IDLE_TIMEOUT, 0, 1, 0},
    {TIME_WAIT, 120, 0, 120, 1, 0, FW_CAUSE_CLOSED, 0, 1, 0},
    {SYN_SENT, 120, 0, 120, 1, 0, FW_CAUSE_OTHER, 0, 1, 0},
};

static void test_classify_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(classify_cases) / sizeof(classify_cases[0]); i++) {
		const struct classify_case *cc = &classify_cases[i];
		struct fw_session s;
		struct fw_ct_event d;
		struct fw_clock now = at(cc->now_at);

		memset(&s, 0, sizeof(s));
		memset(&d, 0, sizeof(d));
		s.tcp_state = cc->tcp_state;
		s.remaining = cc->remaining;
		s.observed_mono_ms = at(cc->observed_at).mono_ms;
		s.unacked_seen = cc->unacked_seen;
		s.effective_timeout = cc->effective ? cc->effective : cc->remaining;
		d.kind = FW_CT_DESTROY;
		d.portid = cc->portid;
		enum fw_teardown_cause got =
		    fw_classify_teardown(&s, cc->has_destroy ? &d : NULL, cc->shortened, &now);
		if (got != cc->cause)
			fail_msg("case %zu: got %s, expected %s", i, fw_teardown_cause_name(got),
			         fw_teardown_cause_name(cc->cause));
	}
}

static void test_cause_names(void **state)
{
	static const char *const names[] = {
	    NULL,      "reset",  "closed", "idleTimeout",   "halfClosedTimeout",
	    "flushed", "missed", "other",  "unackedTimeout"};

	(void)state;
	for (int c = FW_CAUSE_RESET; c <= FW_CAUSE_COUNT; c++)
		assert_string_equal(fw_teardown_cause_name((enum fw_teardown_cause)c), names[c]);
	assert_non_null(fw_teardown_cause_name((enum fw_teardown_cause)0));
	assert_non_null(fw_teardown_cause_name((enum fw_teardown_cause)42));
}

static void test_expired_with_slack(void **state)
{
	struct fw_session s;
	struct fw_clock now;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.remaining = 60;
	s.observed_mono_ms = at(100).mono_ms;
	now = at(157.9);
	assert_false(fw_session_expired(&s, &now));
	now = at(158);
	assert_true(fw_session_expired(&s, &now));
	now = at(1000);
	assert_true(fw_session_expired(&s, &now));
}

static void test_timeout_cause_by_state(void **state)
{
	(void)state;
	assert_int_equal(fw_timeout_cause(ESTABLISHED), FW_CAUSE_IDLE_TIMEOUT);
	assert_int_equal(fw_timeout_cause(CLOSE_WAIT), FW_CAUSE_HALF_CLOSED_TIMEOUT);
	assert_int_equal(fw_timeout_cause(FIN_WAIT), FW_CAUSE_HALF_CLOSED_TIMEOUT);
	assert_int_equal(fw_timeout_cause(LAST_ACK), FW_CAUSE_HALF_CLOSED_TIMEOUT);
	assert_int_equal(fw_timeout_cause(TIME_WAIT), FW_CAUSE_CLOSED);
	assert_int_equal(fw_timeout_cause(CLOSE), FW_CAUSE_RESET);
	assert_int_equal(fw_timeout_cause(SYN_SENT), FW_CAUSE_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classify_table),
	    cmocka_unit_test(test_cause_names),
	    cmocka_unit_test(test_expired_with_slack),
	    cmocka_unit_test(test_timeout_cause_by_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
