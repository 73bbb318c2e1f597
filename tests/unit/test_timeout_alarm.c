/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeout_alarm.h"

/*
 * Allocation failure injection: this test links with --wrap=calloc and
 * --wrap=realloc, so the library's allocations come through here.
 */
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *ptr, size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
static int fail_calloc, fail_realloc;

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_calloc ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
	return fail_realloc ? NULL : __real_realloc(ptr, size);
}

#define MAX_EVENTS 16
struct recorder {
	struct fw_alarm_event events[MAX_EVENTS];
	size_t count;
};

static void record(const struct fw_alarm_event *event, void *ctx)
{
	struct recorder *r = ctx;

	assert_true(r->count < MAX_EVENTS);
	r->events[r->count++] = *event;
}

static struct fw_timeout_row make_row(enum fw_timeout_source source, const char *name,
                                      uint8_t protocol, const char *state, uint32_t seconds)
{
	struct fw_timeout_row row;

	memset(&row, 0, sizeof(row));
	row.source = source;
	fw_timeout_set_source_name(&row, name);
	row.protocol = protocol;
	snprintf(row.state, sizeof(row.state), "%s", state);
	row.seconds = seconds;
	return row;
}

static struct fw_timeout_row tcp(const char *state, uint32_t seconds)
{
	return make_row(FW_SOURCE_SYSCTL, FW_SYSCTL_SOURCE_NAME, IPPROTO_TCP, state, seconds);
}

/* The stock sysctls of a Linux box: close_wait 60 is what breaks the phones. */
static void stock(struct fw_timeout_list *list, uint32_t close_wait, uint32_t established)
{
	struct fw_timeout_row rows[] = {
	    tcp("syn_sent", 120),
	    tcp("established", established),
	    tcp("close_wait", close_wait),
	    tcp("time_wait", 120),
	    make_row(FW_SOURCE_SYSCTL, FW_SYSCTL_SOURCE_NAME, IPPROTO_UDP, "replied", 120),
	};

	fw_timeout_list_clear(list);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(fw_timeout_list_append(list, &rows[i]), 0);
}

static void evaluate(struct fw_alarm_state *st, const struct fw_timeout_list *rows,
                     const struct fw_check_policy *policy, struct recorder *r)
{
	r->count = 0;
	assert_int_equal(fw_alarm_evaluate(st, rows, policy, record, r), 0);
}

static void assert_event(const struct fw_alarm_event *e, enum fw_alarm_kind kind,
                         enum fw_clear_reason reason, enum fw_timeout_source source,
                         const char *name, uint8_t protocol, const char *state, uint32_t seconds,
                         uint32_t threshold)
{
	assert_int_equal(e->kind, kind);
	if (kind == FW_ALARM_CLEAR)
		assert_int_equal(e->reason, reason);
	assert_int_equal(e->row.source, source);
	assert_string_equal(e->row.source_name, name);
	assert_int_equal(e->row.protocol, protocol);
	assert_string_equal(e->row.state, state);
	assert_int_equal(e->row.seconds, seconds);
	assert_int_equal(e->threshold, threshold);
}

#define SYS FW_SOURCE_SYSCTL, FW_SYSCTL_SOURCE_NAME

static void test_default_policy(void **state)
{
	struct fw_check_policy policy;
	struct fw_timeout_row established = tcp("established", 1);
	struct fw_timeout_row udp_established =
	    make_row(FW_SOURCE_NFT, "inet f t", IPPROTO_UDP, "established", 1);

	(void)state;
	fw_check_policy_default(&policy);
	assert_int_equal(policy.threshold, 660);
	assert_int_equal(policy.count, 2);
	assert_int_equal(policy.checks[0].protocol, IPPROTO_TCP);
	assert_string_equal(policy.checks[0].state, "established");
	assert_int_equal(policy.checks[1].protocol, IPPROTO_TCP);
	assert_string_equal(policy.checks[1].state, "close_wait");
	assert_true(fw_check_policy_covers(&policy, &established));
	assert_false(fw_check_policy_covers(&policy, &udp_established));
}

static void test_status(void **state)
{
	struct fw_check_policy policy;
	struct fw_timeout_row r;

	(void)state;
	fw_check_policy_default(&policy);
	r = tcp("close_wait", 60);
	assert_int_equal(fw_timeout_status(&policy, &r), FW_STATUS_BELOW_THRESHOLD);
	r = tcp("close_wait", 659);
	assert_int_equal(fw_timeout_status(&policy, &r), FW_STATUS_BELOW_THRESHOLD);
	r = tcp("close_wait", 660);
	assert_int_equal(fw_timeout_status(&policy, &r), FW_STATUS_OK);
	r = tcp("established", 432000);
	assert_int_equal(fw_timeout_status(&policy, &r), FW_STATUS_OK);
	r = tcp("time_wait", 1);
	assert_int_equal(fw_timeout_status(&policy, &r), FW_STATUS_NOT_CHECKED);
	r = make_row(FW_SOURCE_CTTIMEOUT, "sip", IPPROTO_UDP, "close_wait", 1);
	assert_int_equal(fw_timeout_status(&policy, &r), FW_STATUS_NOT_CHECKED);
}

/* What fwStateTimeoutsBelowThreshold and fwStateSourceTimeouts count. */
static void test_counts(void **state)
{
	struct fw_timeout_list rows = {0};
	struct fw_check_policy policy;
	const struct fw_timeout_row list[] = {
	    tcp("close_wait", 60),
	    tcp("established", 432000),
	    tcp("time_wait", 1), /* below, but not checked */
	    make_row(FW_SOURCE_NFT, "inet filter siptls", IPPROTO_TCP, "established", 300),
	    make_row(FW_SOURCE_NFT, "inet filter siptls", IPPROTO_TCP, "close_wait", 660),
	};

	(void)state;
	fw_check_policy_default(&policy);
	assert_int_equal(fw_timeout_count_below(&policy, &rows), 0);
	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++)
		assert_int_equal(fw_timeout_list_append(&rows, &list[i]), 0);
	assert_int_equal(fw_timeout_count_below(&policy, &rows), 2);
	assert_int_equal(fw_timeout_list_count_source(&rows, FW_SOURCE_SYSCTL), 3);
	assert_int_equal(fw_timeout_list_count_source(&rows, FW_SOURCE_NFT), 2);
	assert_int_equal(fw_timeout_list_count_source(&rows, FW_SOURCE_CTTIMEOUT), 0);
	policy.threshold = 60;
	assert_int_equal(fw_timeout_count_below(&policy, &rows), 0);
	fw_timeout_list_free(&rows);
}

static void test_raise_once_then_clear(void **state)
{
	struct fw_alarm_state st = {0};
	struct fw_timeout_list rows = {0};
	struct fw_check_policy policy;
	struct recorder r;

	(void)state;
	fw_check_policy_default(&policy);

	/* At start: stock close_wait 60 raises, established does not. */
	stock(&rows, 60, 432000);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_RAISE, 0, SYS, IPPROTO_TCP, "close_wait", 60, 660);
	assert_int_equal(st.raised.count, 1);

	/* Edge-triggered: nothing on the next polls. */
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 0);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 0);

	/* 659 still below: no event. */
	stock(&rows, 659, 432000);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 0);

	/* Exactly the threshold is fine. */
	stock(&rows, 660, 432000);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_CLEAR, FW_CLEAR_AT_OR_ABOVE, SYS, IPPROTO_TCP,
	             "close_wait", 660, 660);
	assert_int_equal(st.raised.count, 0);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 0);

	/* And it can be raised again. */
	stock(&rows, 30, 432000);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_RAISE, 0, SYS, IPPROTO_TCP, "close_wait", 30, 660);

	fw_alarm_state_free(&st);
	assert_int_equal(st.raised.count, 0);
	fw_timeout_list_free(&rows);
}

static void test_value_change_while_below(void **state)
{
	struct fw_alarm_state st = {0};
	struct fw_timeout_list rows = {0};
	struct fw_check_policy policy;
	struct recorder r;

	(void)state;
	fw_check_policy_default(&policy);
	stock(&rows, 60, 432000);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);

	stock(&rows, 120, 432000);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 0);
	assert_int_equal(st.raised.count, 1);
	assert_int_equal(st.raised.rows[0].seconds, 120);

	/* A later removal reports the updated value. */
	fw_timeout_list_clear(&rows);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_CLEAR, FW_CLEAR_SOURCE_REMOVED, SYS, IPPROTO_TCP,
	             "close_wait", 120, 660);
	assert_int_equal(st.raised.count, 0);

	fw_alarm_state_free(&st);
	fw_timeout_list_free(&rows);
}

static void test_clear_on_removal(void **state)
{
	struct fw_alarm_state st = {0};
	struct fw_timeout_list rows = {0};
	struct fw_check_policy policy;
	struct fw_timeout_row policy_row =
	    make_row(FW_SOURCE_CTTIMEOUT, "sip-phones", IPPROTO_TCP, "close_wait", 300);
	struct recorder r;

	(void)state;
	fw_check_policy_default(&policy);
	stock(&rows, 3600, 432000);
	assert_int_equal(fw_timeout_list_append(&rows, &policy_row), 0);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_RAISE, 0, FW_SOURCE_CTTIMEOUT, "sip-phones",
	             IPPROTO_TCP, "close_wait", 300, 660);

	/* `nfct timeout delete sip-phones`: cleared with the last row known. */
	stock(&rows, 3600, 432000);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_CLEAR, FW_CLEAR_SOURCE_REMOVED, FW_SOURCE_CTTIMEOUT,
	             "sip-phones", IPPROTO_TCP, "close_wait", 300, 660);
	assert_int_equal(st.raised.count, 0);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 0);

	fw_alarm_state_free(&st);
	fw_timeout_list_free(&rows);
}

static void test_clear_when_not_checked(void **state)
{
	struct fw_alarm_state st = {0};
	struct fw_timeout_list rows = {0};
	struct fw_check_policy policy;
	struct recorder r;

	(void)state;
	fw_check_policy_default(&policy);
	stock(&rows, 60, 432000);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);

	/* Reconfigured to check established only. */
	policy.count = 1;
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_CLEAR, FW_CLEAR_NOT_CHECKED, SYS, IPPROTO_TCP,
	             "close_wait", 60, 660);
	assert_int_equal(st.raised.count, 0);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 0);

	/* Checked again: raised again. */
	fw_check_policy_default(&policy);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_RAISE, 0, SYS, IPPROTO_TCP, "close_wait", 60, 660);

	fw_alarm_state_free(&st);
	fw_timeout_list_free(&rows);
}

static void test_threshold_change(void **state)
{
	struct fw_alarm_state st = {0};
	struct fw_timeout_list rows = {0};
	struct fw_check_policy policy;
	struct recorder r;

	(void)state;
	fw_check_policy_default(&policy);
	stock(&rows, 60, 432000);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);

	policy.threshold = 60;
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_CLEAR, FW_CLEAR_AT_OR_ABOVE, SYS, IPPROTO_TCP,
	             "close_wait", 60, 60);

	/* Raised above both values: two raises, in row order. */
	policy.threshold = 500000;
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 2);
	assert_event(&r.events[0], FW_ALARM_RAISE, 0, SYS, IPPROTO_TCP, "established", 432000,
	             500000);
	assert_event(&r.events[1], FW_ALARM_RAISE, 0, SYS, IPPROTO_TCP, "close_wait", 60, 500000);
	assert_int_equal(st.raised.count, 2);

	/* Lowered between them: only established clears. */
	policy.threshold = 1000;
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_CLEAR, FW_CLEAR_AT_OR_ABOVE, SYS, IPPROTO_TCP,
	             "established", 432000, 1000);
	assert_int_equal(st.raised.count, 1);

	fw_alarm_state_free(&st);
	fw_timeout_list_free(&rows);
}

static void test_sources_independent(void **state)
{
	struct fw_alarm_state st = {0};
	struct fw_timeout_list rows = {0};
	struct fw_check_policy policy;
	struct fw_timeout_row sys = tcp("close_wait", 60);
	struct fw_timeout_row ct =
	    make_row(FW_SOURCE_CTTIMEOUT, "sip-phones", IPPROTO_TCP, "close_wait", 300);
	struct fw_timeout_row ct_other =
	    make_row(FW_SOURCE_CTTIMEOUT, "web", IPPROTO_TCP, "close_wait", 30);
	struct fw_timeout_row nft =
	    make_row(FW_SOURCE_NFT, "inet filter siptls", IPPROTO_TCP, "close_wait", 900);
	/* Same name as the cttimeout policy, other source kind: a distinct alarm. */
	struct fw_timeout_row nft_same_name =
	    make_row(FW_SOURCE_NFT, "sip-phones", IPPROTO_TCP, "close_wait", 100);
	struct recorder r;

	(void)state;
	fw_check_policy_default(&policy);
	assert_int_equal(fw_timeout_list_append(&rows, &sys), 0);
	assert_int_equal(fw_timeout_list_append(&rows, &ct), 0);
	assert_int_equal(fw_timeout_list_append(&rows, &ct_other), 0);
	assert_int_equal(fw_timeout_list_append(&rows, &nft), 0);
	assert_int_equal(fw_timeout_list_append(&rows, &nft_same_name), 0);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 4);
	assert_event(&r.events[0], FW_ALARM_RAISE, 0, SYS, IPPROTO_TCP, "close_wait", 60, 660);
	assert_event(&r.events[1], FW_ALARM_RAISE, 0, FW_SOURCE_CTTIMEOUT, "sip-phones",
	             IPPROTO_TCP, "close_wait", 300, 660);
	assert_event(&r.events[2], FW_ALARM_RAISE, 0, FW_SOURCE_CTTIMEOUT, "web", IPPROTO_TCP,
	             "close_wait", 30, 660);
	assert_event(&r.events[3], FW_ALARM_RAISE, 0, FW_SOURCE_NFT, "sip-phones", IPPROTO_TCP,
	             "close_wait", 100, 660);

	/* The sip-phones policy is fixed; the others stay raised. */
	rows.rows[1].seconds = 700;
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_CLEAR, FW_CLEAR_AT_OR_ABOVE, FW_SOURCE_CTTIMEOUT,
	             "sip-phones", IPPROTO_TCP, "close_wait", 700, 660);
	assert_int_equal(st.raised.count, 3);

	fw_alarm_state_free(&st);
	fw_timeout_list_free(&rows);
}

static void test_clears_before_raises(void **state)
{
	struct fw_alarm_state st = {0};
	struct fw_timeout_list rows = {0};
	struct fw_check_policy policy;
	struct fw_timeout_row gone =
	    make_row(FW_SOURCE_NFT, "inet filter old", IPPROTO_TCP, "established", 10);
	struct recorder r;

	(void)state;
	fw_check_policy_default(&policy);
	stock(&rows, 60, 432000);
	assert_int_equal(fw_timeout_list_append(&rows, &gone), 0);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 2);

	/* One poll: close_wait fixed, the nft object deleted, established broken. */
	stock(&rows, 3600, 300);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 3);
	assert_event(&r.events[0], FW_ALARM_CLEAR, FW_CLEAR_AT_OR_ABOVE, SYS, IPPROTO_TCP,
	             "close_wait", 3600, 660);
	assert_event(&r.events[1], FW_ALARM_CLEAR, FW_CLEAR_SOURCE_REMOVED, FW_SOURCE_NFT,
	             "inet filter old", IPPROTO_TCP, "established", 10, 660);
	assert_event(&r.events[2], FW_ALARM_RAISE, 0, SYS, IPPROTO_TCP, "established", 300, 660);
	assert_int_equal(st.raised.count, 1);

	fw_alarm_state_free(&st);
	fw_timeout_list_free(&rows);
}

static void test_udp_checks(void **state)
{
	struct fw_alarm_state st = {0};
	struct fw_timeout_list rows = {0};
	struct fw_check_policy policy;
	/* A TCP row named like a UDP state must not match a udp check. */
	struct fw_timeout_row odd = tcp("replied", 1);
	struct recorder r;

	(void)state;
	memset(&policy, 0, sizeof(policy));
	policy.threshold = 660;
	policy.count = 1;
	policy.checks[0].protocol = IPPROTO_UDP;
	strcpy(policy.checks[0].state, "replied");

	stock(&rows, 60, 432000);
	assert_int_equal(fw_timeout_list_append(&rows, &odd), 0);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_RAISE, 0, SYS, IPPROTO_UDP, "replied", 120, 660);

	rows.rows[4].seconds = 3600;
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_event(&r.events[0], FW_ALARM_CLEAR, FW_CLEAR_AT_OR_ABOVE, SYS, IPPROTO_UDP,
	             "replied", 3600, 660);

	fw_alarm_state_free(&st);
	fw_timeout_list_free(&rows);
}

static void test_duplicate_rows_raise_once(void **state)
{
	struct fw_alarm_state st = {0};
	struct fw_timeout_list rows = {0};
	struct fw_check_policy policy;
	struct fw_timeout_row row = tcp("close_wait", 60);
	struct recorder r;

	(void)state;
	fw_check_policy_default(&policy);
	assert_int_equal(fw_timeout_list_append(&rows, &row), 0);
	assert_int_equal(fw_timeout_list_append(&rows, &row), 0);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);
	assert_int_equal(st.raised.count, 1);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 0);

	fw_alarm_state_free(&st);
	fw_timeout_list_free(&rows);
}

static void test_out_of_memory_keeps_state(void **state)
{
	struct fw_alarm_state st = {0};
	struct fw_timeout_list rows = {0};
	struct fw_check_policy policy;
	struct recorder r = {.count = 0};

	(void)state;
	fw_check_policy_default(&policy);
	stock(&rows, 60, 432000);
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 1);

	/* Next poll would clear close_wait and raise established. */
	stock(&rows, 3600, 100);
	r.count = 0;
	fail_calloc = 1;
	assert_int_equal(fw_alarm_evaluate(&st, &rows, &policy, record, &r), -1);
	fail_calloc = 0;
	assert_int_equal(r.count, 0);
	assert_int_equal(st.raised.count, 1);
	assert_string_equal(st.raised.rows[0].state, "close_wait");

	fail_realloc = 1;
	assert_int_equal(fw_alarm_evaluate(&st, &rows, &policy, record, &r), -1);
	fail_realloc = 0;
	assert_int_equal(r.count, 0);
	assert_int_equal(st.raised.count, 1);
	assert_string_equal(st.raised.rows[0].state, "close_wait");
	assert_int_equal(st.raised.rows[0].seconds, 60);

	/* The retry reports both edges. */
	evaluate(&st, &rows, &policy, &r);
	assert_int_equal(r.count, 2);
	assert_event(&r.events[0], FW_ALARM_CLEAR, FW_CLEAR_AT_OR_ABOVE, SYS, IPPROTO_TCP,
	             "close_wait", 3600, 660);
	assert_event(&r.events[1], FW_ALARM_RAISE, 0, SYS, IPPROTO_TCP, "established", 100, 660);

	fw_alarm_state_free(&st);
	fw_timeout_list_free(&rows);
}

/* The shortened timeout sessions classify against: the lowest of any source. */
static void test_shortened_tcp_timeout(void **state)
{
	struct fw_timeout_list list = {0};
	struct fw_timeout_row rows[] = {
	    tcp("established", 200),
	    tcp("retrans", 300),
	    tcp("unacknowledged", 300),
	    make_row(FW_SOURCE_SYSCTL, FW_SYSCTL_SOURCE_NAME, IPPROTO_UDP, "unreplied", 30),
	    make_row(FW_SOURCE_NFT, "inet filter siptls", IPPROTO_TCP, "unacknowledged", 90),
	    make_row(FW_SOURCE_CTTIMEOUT, "voice", IPPROTO_TCP, "retrans", 0),
	};

	(void)state;
	stock(&list, 60, 432000);
	assert_int_equal(fw_timeout_list_shortened_tcp(&list), 0);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(fw_timeout_list_append(&list, &rows[i]), 0);
		assert_int_equal(fw_timeout_list_shortened_tcp(&list), i == 0  ? 0
		                                                       : i < 4 ? 300
		                                                               : 90);
	}
	fw_timeout_list_free(&list);
}

static void test_empty_rows_and_null_emit(void **state)
{
	struct fw_alarm_state st = {0};
	struct fw_timeout_list rows = {0};
	struct fw_check_policy policy;

	(void)state;
	fw_check_policy_default(&policy);
	assert_int_equal(fw_alarm_evaluate(&st, &rows, &policy, NULL, NULL), 0);
	assert_int_equal(st.raised.count, 0);
	stock(&rows, 60, 432000);
	assert_int_equal(fw_alarm_evaluate(&st, &rows, &policy, NULL, NULL), 0);
	assert_int_equal(st.raised.count, 1);
	fw_alarm_state_free(&st);
	fw_timeout_list_free(&rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_policy),
	    cmocka_unit_test(test_status),
	    cmocka_unit_test(test_counts),
	    cmocka_unit_test(test_raise_once_then_clear),
	    cmocka_unit_test(test_value_change_while_below),
	    cmocka_unit_test(test_clear_on_removal),
	    cmocka_unit_test(test_clear_when_not_checked),
	    cmocka_unit_test(test_threshold_change),
	    cmocka_unit_test(test_sources_independent),
	    cmocka_unit_test(test_clears_before_raises),
	    cmocka_unit_test(test_udp_checks),
	    cmocka_unit_test(test_duplicate_rows_raise_once),
	    cmocka_unit_test(test_out_of_memory_keeps_state),
	    cmocka_unit_test(test_shortened_tcp_timeout),
	    cmocka_unit_test(test_empty_rows_and_null_emit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
