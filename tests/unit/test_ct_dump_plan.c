/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ct_dump_plan.h"

static const uint16_t ports[] = {5061, 5062};

static void expect_service(const struct fw_ct_dump_plan *plan, int unfiltered, uint8_t family,
                           uint8_t protocol, uint16_t port)
{
	struct fw_ct_dump_request r;

	fw_ct_plan_request(plan, &r);
	assert_int_equal(r.unfiltered, unfiltered);
	assert_int_equal(r.family, family);
	assert_int_equal(r.protocol, unfiltered ? 0 : protocol);
	assert_int_equal(r.port, port);
}

static void expect_request(const struct fw_ct_dump_plan *plan, int unfiltered, uint8_t family,
                           uint16_t port)
{
	expect_service(plan, unfiltered, family, IPPROTO_TCP, port);
}

/* Two ports, both families: four filtered requests in turn, then the end. */
static void test_filtered_requests_in_turn(void **state)
{
	struct fw_ct_dump_plan plan;

	(void)state;
	fw_ct_plan_init(&plan);
	assert_int_equal(fw_ct_plan_start(&plan, ports, 2, 0, 1, 1), 0);
	expect_request(&plan, 0, AF_INET, 5061);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_TCP, 5061), FW_CT_ROW_ACCEPT);
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_SEND);
	expect_request(&plan, 0, AF_INET6, 5061);
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_SEND);
	expect_request(&plan, 0, AF_INET, 5062);
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_SEND);
	expect_request(&plan, 0, AF_INET6, 5062);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET6, IPPROTO_TCP, 5062), FW_CT_ROW_ACCEPT);
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_FINISHED);
	assert_false(plan.running);
	/* a late end changes nothing */
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_IGNORE);
	assert_true(plan.kernel_filter);
}

/* The networks rule IPv6 out; a port given twice is dumped once. */
static void test_families_and_duplicates(void **state)
{
	static const uint16_t twice[] = {5061, 5061};
	struct fw_ct_dump_plan plan;

	(void)state;
	fw_ct_plan_init(&plan);
	assert_int_equal(fw_ct_plan_start(&plan, twice, 2, 0, 1, 0), 0);
	assert_int_equal(plan.service_count, 1);
	expect_request(&plan, 0, AF_INET, 5061);
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_FINISHED);
	fw_ct_plan_init(&plan);
	assert_int_equal(fw_ct_plan_start(&plan, ports, 2, 0, 0, 1), 0);
	expect_request(&plan, 0, AF_INET6, 5061);
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_SEND);
	expect_request(&plan, 0, AF_INET6, 5062);
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_FINISHED);
	/* nothing to dump */
	assert_int_equal(fw_ct_plan_start(&plan, ports, 0, 0, 1, 1), -1);
	assert_int_equal(fw_ct_plan_start(&plan, ports, 2, 0, 0, 0), -1);
	assert_int_equal(fw_ct_plan_start(&plan, ports, FW_CT_MAX_PORTS + 1, 0, 1, 1), -1);
}

/* EBUSY: the abandoned dump still runs; the request goes again at its end, once. */
static void test_ebusy_resend(void **state)
{
	struct fw_ct_dump_plan plan;

	(void)state;
	fw_ct_plan_init(&plan);
	fw_ct_plan_start(&plan, ports, 1, 0, 1, 0);
	/* no abandoned dump to wait for yet */
	assert_int_equal(fw_ct_plan_stale_end(&plan), FW_CT_PLAN_IGNORE);
	assert_int_equal(fw_ct_plan_end(&plan, EBUSY), FW_CT_PLAN_WAIT);
	assert_true(plan.running);
	assert_int_equal(fw_ct_plan_stale_end(&plan), FW_CT_PLAN_SEND);
	expect_request(&plan, 0, AF_INET, 5061);
	assert_int_equal(fw_ct_plan_stale_end(&plan), FW_CT_PLAN_IGNORE);
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_FINISHED);
	/* a dump restarted while waiting does not resend at the old end */
	fw_ct_plan_start(&plan, ports, 1, 0, 1, 0);
	assert_int_equal(fw_ct_plan_end(&plan, EBUSY), FW_CT_PLAN_WAIT);
	fw_ct_plan_start(&plan, ports, 1, 0, 1, 0);
	assert_int_equal(fw_ct_plan_stale_end(&plan), FW_CT_PLAN_IGNORE);
}

/* The kernel refuses CTA_FILTER: one unfiltered request; what was dumped filtered is skipped. */
static void test_refused_filter_fallback(void **state)
{
	struct fw_ct_dump_plan plan;

	(void)state;
	fw_ct_plan_init(&plan);
	fw_ct_plan_start(&plan, ports, 2, 0, 1, 1);
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_SEND); /* IPv4 5061 done */
	assert_int_equal(fw_ct_plan_end(&plan, EINVAL), FW_CT_PLAN_FALLBACK);
	assert_false(plan.kernel_filter);
	expect_request(&plan, 1, AF_UNSPEC, 0);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_TCP, 5061), FW_CT_ROW_SKIP);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET6, IPPROTO_TCP, 5061), FW_CT_ROW_ACCEPT);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_TCP, 5062), FW_CT_ROW_ACCEPT);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_TCP, 443), FW_CT_ROW_SKIP);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_UDP, 5061), FW_CT_ROW_SKIP);
	/* a second refusal of the unfiltered request is a failure, not a loop */
	assert_int_equal(fw_ct_plan_end(&plan, EINVAL), FW_CT_PLAN_FAILED);
	assert_false(plan.running);
	/* the next dump asks unfiltered from the start, and ends with it */
	fw_ct_plan_start(&plan, ports, 2, 0, 1, 1);
	expect_request(&plan, 1, AF_UNSPEC, 0);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_TCP, 5061), FW_CT_ROW_ACCEPT);
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_FINISHED);
	/* EOPNOTSUPP is a refusal too */
	fw_ct_plan_init(&plan);
	fw_ct_plan_start(&plan, ports, 1, 0, 1, 0);
	assert_int_equal(fw_ct_plan_end(&plan, EOPNOTSUPP), FW_CT_PLAN_FALLBACK);
}

/* A kernel that ignores the filter: said once, its extra rows skipped, unfiltered next time. */
static void test_ignored_filter(void **state)
{
	struct fw_ct_dump_plan plan;

	(void)state;
	fw_ct_plan_init(&plan);
	fw_ct_plan_start(&plan, ports, 1, 0, 1, 1);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_TCP, 5061), FW_CT_ROW_ACCEPT);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_TCP, 80), FW_CT_ROW_FILTER_IGNORED);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET6, IPPROTO_TCP, 5061), FW_CT_ROW_SKIP);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_UDP, 53), FW_CT_ROW_SKIP);
	/* this dump goes on as planned */
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_SEND);
	expect_request(&plan, 0, AF_INET6, 5061);
	assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_FINISHED);
	fw_ct_plan_start(&plan, ports, 1, 0, 1, 1);
	expect_request(&plan, 1, AF_UNSPEC, 0);
}

/* Any other error ends the dump as failed; the next one starts afresh. */
static void test_other_errors_fail(void **state)
{
	static const int errors[] = {ENOBUFS, EINTR, EPERM, EBADMSG, ENOMEM};
	struct fw_ct_dump_plan plan;

	(void)state;
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fw_ct_plan_init(&plan);
		fw_ct_plan_start(&plan, ports, 2, 0, 1, 1);
		assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_SEND);
		assert_int_equal(fw_ct_plan_end(&plan, errors[i]), FW_CT_PLAN_FAILED);
		assert_false(plan.running);
		assert_true(plan.kernel_filter);
		assert_int_equal(fw_ct_plan_stale_end(&plan), FW_CT_PLAN_IGNORE);
		fw_ct_plan_start(&plan, ports, 2, 0, 1, 1);
		expect_request(&plan, 0, AF_INET, 5061);
		assert_int_equal(plan.done[0], 0);
	}
}

/* With DNS: after the SIP ports, UDP 53, TCP 53 and TCP 853, each family in turn. */
static void test_dns_services(void **state)
{
	static const uint16_t sip[] = {5061};
	static const struct {
		uint8_t protocol;
		uint16_t port;
	} order[] = {{IPPROTO_TCP, 5061}, {IPPROTO_UDP, 53}, {IPPROTO_TCP, 53}, {IPPROTO_TCP, 853}};
	struct fw_ct_dump_plan plan;

	(void)state;
	fw_ct_plan_init(&plan);
	assert_int_equal(fw_ct_plan_start(&plan, sip, 1, 1, 1, 1), 0);
	assert_int_equal(plan.service_count, 4);
	for (size_t i = 0; i < 4; i++) {
		expect_service(&plan, 0, AF_INET, order[i].protocol, order[i].port);
		assert_int_equal(fw_ct_plan_row(&plan, AF_INET, order[i].protocol, order[i].port),
		                 FW_CT_ROW_ACCEPT);
		assert_int_equal(fw_ct_plan_end(&plan, 0), FW_CT_PLAN_SEND);
		expect_service(&plan, 0, AF_INET6, order[i].protocol, order[i].port);
		assert_int_equal(fw_ct_plan_end(&plan, 0),
		                 i == 3 ? FW_CT_PLAN_FINISHED : FW_CT_PLAN_SEND);
	}
	/* a port given as SIP port and DNS once is one service */
	fw_ct_plan_init(&plan);
	assert_int_equal(fw_ct_plan_start(&plan, (const uint16_t[]){53}, 1, 1, 1, 0), 0);
	assert_int_equal(plan.service_count, 3);
	/* after a fallback, the unfiltered dump delivers DNS rows too, UDP 853 not */
	fw_ct_plan_init(&plan);
	fw_ct_plan_start(&plan, sip, 1, 1, 1, 1);
	assert_int_equal(fw_ct_plan_end(&plan, EINVAL), FW_CT_PLAN_FALLBACK);
	expect_service(&plan, 1, AF_UNSPEC, 0, 0);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_UDP, 53), FW_CT_ROW_ACCEPT);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET6, IPPROTO_TCP, 853), FW_CT_ROW_ACCEPT);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_UDP, 853), FW_CT_ROW_SKIP);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_TCP, 5061), FW_CT_ROW_ACCEPT);
	/* without DNS they are not asked for */
	fw_ct_plan_init(&plan);
	fw_ct_plan_start(&plan, sip, 1, 0, 1, 1);
	assert_int_equal(fw_ct_plan_end(&plan, EINVAL), FW_CT_PLAN_FALLBACK);
	assert_int_equal(fw_ct_plan_row(&plan, AF_INET, IPPROTO_UDP, 53), FW_CT_ROW_SKIP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_filtered_requests_in_turn),
	    cmocka_unit_test(test_families_and_duplicates),
	    cmocka_unit_test(test_ebusy_resend),
	    cmocka_unit_test(test_refused_filter_fallback),
	    cmocka_unit_test(test_ignored_filter),
	    cmocka_unit_test(test_other_errors_fail),
	    cmocka_unit_test(test_dns_services),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
