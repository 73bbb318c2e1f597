/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the session, phone and scalar objects publish: time left, age, timeout verdict, totals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <linux/netfilter/nf_conntrack_tcp.h>

#include "session_status.h"

static const struct fw_clock observed = {.wall = 1700000000, .mono_ms = 5000000};

static struct fw_clock later(unsigned ms)
{
	struct fw_clock c = {.wall = observed.wall + ms / 1000, .mono_ms = observed.mono_ms + ms};

	return c;
}

static void test_remaining_counts_down_to_zero(void **state)
{
	struct fw_session s = {.remaining = 300, .observed_mono_ms = observed.mono_ms};
	struct fw_clock now;

	(void)state;
	assert_int_equal(fw_session_remaining(&s, &observed), 300);
	/* whole seconds only: 999 ms later nothing has run out yet */
	now = later(999);
	assert_int_equal(fw_session_remaining(&s, &now), 300);
	now = later(120500);
	assert_int_equal(fw_session_remaining(&s, &now), 180);
	now = later(300000);
	assert_int_equal(fw_session_remaining(&s, &now), 0);
	now = later(900000);
	assert_int_equal(fw_session_remaining(&s, &now), 0);
	/* a clock read before the observation does not underflow */
	now.mono_ms = observed.mono_ms - 5000;
	assert_int_equal(fw_session_remaining(&s, &now), 300);
}

static void test_age(void **state)
{
	struct fw_session s = {.start = observed.wall - 3600};
	struct fw_clock now = observed;

	(void)state;
	assert_int_equal(fw_session_age(&s, &now), 3600);
	/* a conntrack start stamp ahead of our clock: age 0, not a huge number */
	s.start = observed.wall + 10;
	assert_int_equal(fw_session_age(&s, &now), 0);
}

static void test_timeout_status(void **state)
{
	struct fw_session s = {.tcp_state = TCP_CONNTRACK_ESTABLISHED,
	                       .effective_timeout = 432000,
	                       .effective_exact = 1};

	(void)state;
	assert_int_equal(fw_session_timeout_status(&s, 660), FW_SESSION_TIMEOUT_OK);
	s.effective_timeout = 300;
	assert_int_equal(fw_session_timeout_status(&s, 660), FW_SESSION_TIMEOUT_BELOW);
	/* exactly the threshold is enough */
	s.effective_timeout = 660;
	assert_int_equal(fw_session_timeout_status(&s, 660), FW_SESSION_TIMEOUT_OK);
	/* a lower bound from dumps proves ok above the threshold, nothing below it */
	s.effective_exact = 0;
	assert_int_equal(fw_session_timeout_status(&s, 660), FW_SESSION_TIMEOUT_OK);
	s.effective_timeout = 300;
	assert_int_equal(fw_session_timeout_status(&s, 660), FW_SESSION_TIMEOUT_UNKNOWN);
	/* only established sessions are judged */
	s.effective_exact = 1;
	s.tcp_state = TCP_CONNTRACK_CLOSE_WAIT;
	assert_int_equal(fw_session_timeout_status(&s, 660), FW_SESSION_TIMEOUT_UNKNOWN);
	s.tcp_state = TCP_CONNTRACK_ESTABLISHED;
	s.effective_timeout = 0;
	assert_int_equal(fw_session_timeout_status(&s, 660), FW_SESSION_TIMEOUT_UNKNOWN);
}

static void test_totals(void **state)
{
	struct fw_phone phone = {0};
	struct fw_tracker_stats stats = {.sessions_seen = 10, .sessions_unwatched = 1};

	(void)state;
	assert_int_equal(fw_phone_teardowns(&phone), 0);
	phone.teardowns[FW_CAUSE_RESET] = 2;
	phone.teardowns[FW_CAUSE_OTHER] = 3;
	phone.teardowns[0] = 99; /* unused slot: never counted */
	assert_int_equal(fw_phone_teardowns(&phone), 5);

	stats.teardowns[FW_CAUSE_FLUSHED] = 4;
	stats.teardowns[FW_CAUSE_MISSED] = 2;
	assert_int_equal(fw_tracker_teardowns(&stats), 6);
	assert_int_equal(fw_tracker_sessions_now(&stats), 3);
	/* inconsistent counts (never expected) give 0, not a wrapped gauge */
	stats.sessions_seen = 2;
	assert_int_equal(fw_tracker_sessions_now(&stats), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_remaining_counts_down_to_zero),
	    cmocka_unit_test(test_age),
	    cmocka_unit_test(test_timeout_status),
	    cmocka_unit_test(test_totals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
