/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The --check verdict: each finding, its fix, and the exit status, from plain inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
/* after netinet/in.h, which the kernel's headers defer to */
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../../agent/check_report.h"
#include "firewall_check.h"
#include "nl_dump.h"

struct fixture {
	struct fw_check_policy policy;
	struct fw_timeout_list rows;
	struct fw_timeout_collector read;
	struct fw_check_input in;
	struct fw_check_report report;
};

static void add_row(struct fixture *fx, enum fw_timeout_source source, const char *name,
                    uint8_t protocol, const char *state, uint32_t seconds, uint16_t l3proto)
{
	struct fw_timeout_row row;

	memset(&row, 0, sizeof(row));
	row.source = source;
	fw_timeout_set_source_name(&row, name);
	row.protocol = protocol;
	snprintf(row.state, sizeof(row.state), "%s", state);
	row.seconds = seconds;
	row.l3proto = l3proto;
	assert_int_equal(fw_timeout_list_append(&fx->rows, &row), 0);
}

/* A stock Debian firewall: sysctl defaults, close_wait 60, events 2, no accounting. */
static void stock_sysctls(struct fixture *fx, uint32_t close_wait)
{
	static const struct {
		const char *state;
		uint32_t seconds;
	} tcp[] = {{"syn_sent", 120},      {"syn_recv", 60},  {"established", 432000},
	           {"fin_wait", 120},      {"close_wait", 0}, {"last_ack", 30},
	           {"time_wait", 120},     {"close", 10},     {"retrans", 300},
	           {"unacknowledged", 300}};

	for (size_t i = 0; i < sizeof(tcp) / sizeof(tcp[0]); i++)
		add_row(fx, FW_SOURCE_SYSCTL, FW_SYSCTL_SOURCE_NAME, IPPROTO_TCP, tcp[i].state,
		        tcp[i].seconds ? tcp[i].seconds : close_wait, 0);
	add_row(fx, FW_SOURCE_SYSCTL, FW_SYSCTL_SOURCE_NAME, IPPROTO_UDP, "unreplied", 30, 0);
}

static int setup(void **state)
{
	static const uint16_t ports[] = {5061};
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fw_check_policy_default(&fx->policy);
	for (int s = FW_SOURCE_SYSCTL; s <= FW_SOURCE_NFT; s++) {
		fx->read.status[s].ok = 1;
		fx->in.in_use[s] = 1;
	}
	fx->in.threshold = fx->policy.threshold;
	fx->in.policy = &fx->policy;
	fx->in.timeouts = &fx->rows;
	fx->in.read = &fx->read;
	fx->in.sysctls = (struct fw_check_sysctls){
	    .events = 1, .acct = 1, .timestamp = 1, .count = 10, .max = 262144};
	fx->in.sessions_checked = 1;
	fx->in.sip_ports = ports;
	fx->in.sip_port_count = 1;
	fx->in.now = (struct fw_clock){.wall = 1700000000, .mono_ms = 1000000};
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	fw_timeout_list_free(&fx->rows);
	fw_check_report_free(&fx->report);
	free(fx);
	return 0;
}

static const struct fw_check_finding *run(struct fixture *fx)
{
	fw_check_report_free(&fx->report);
	assert_int_equal(fw_check_run(&fx->in, &fx->report), 0);
	return fx->report.items;
}

/* The finding whose subject contains `subject`; fails the test when there is none. */
static const struct fw_check_finding *find(const struct fixture *fx, const char *subject)
{
	for (size_t i = 0; i < fx->report.count; i++)
		if (strstr(fx->report.items[i].subject, subject))
			return &fx->report.items[i];
	fail_msg("no finding about '%s'", subject);
	return NULL;
}

static int has(const struct fixture *fx, const char *subject)
{
	for (size_t i = 0; i < fx->report.count; i++)
		if (strstr(fx->report.items[i].subject, subject))
			return 1;
	return 0;
}

static void test_stock_firewall_fails_with_the_sysctl_fix(void **state)
{
	struct fixture *fx = *state;
	const struct fw_check_finding *f;

	stock_sysctls(fx, 60);
	run(fx);
	f = find(fx, "nf_conntrack_tcp_timeout_close_wait");
	assert_int_equal(f->level, FW_CHECK_FAIL);
	assert_non_null(strstr(f->detail, "60 s, below the threshold of 660 s"));
	assert_int_equal(f->fix_count, 3);
	assert_string_equal(f->fix[0],
	                    "sysctl -w net.netfilter.nf_conntrack_tcp_timeout_close_wait=660");
	assert_string_equal(f->fix[1], "echo 'net.netfilter.nf_conntrack_tcp_timeout_close_wait = "
	                               "660' >> /etc/sysctl.d/90-fwstate.conf");
	assert_non_null(strstr(f->fix[2], "echo nf_conntrack > /etc/modules-load.d/fwstate.conf"));
	assert_int_equal(find(fx, "nf_conntrack_tcp_timeout_established")->level, FW_CHECK_PASS);
	/* unchecked states are not judged */
	assert_false(has(fx, "nf_conntrack_tcp_timeout_time_wait"));
	assert_int_equal(fw_check_exit_status(&fx->report), 1);
}

static void test_fixed_firewall_passes(void **state)
{
	struct fixture *fx = *state;

	stock_sysctls(fx, 660);
	run(fx);
	assert_int_equal(find(fx, "close_wait")->level, FW_CHECK_PASS);
	assert_int_equal(fw_check_count(&fx->report, FW_CHECK_FAIL), 0);
	assert_int_equal(fw_check_count(&fx->report, FW_CHECK_WARN), 0);
	assert_int_equal(fw_check_exit_status(&fx->report), 0);
	/* with no phones connected that is said, not judged */
	assert_int_equal(find(fx, "SIP-TLS sessions (TCP to port 5061)")->level, FW_CHECK_INFO);
}

static void test_boot_fix_shown_once(void **state)
{
	struct fixture *fx = *state;
	size_t boot_lines = 0;

	stock_sysctls(fx, 60);
	fx->in.sysctls.events = 2;
	fx->in.sysctls.acct = 0;
	run(fx);
	for (size_t i = 0; i < fx->report.count; i++)
		for (size_t j = 0; j < fx->report.items[i].fix_count; j++)
			boot_lines += strstr(fx->report.items[i].fix[j], "modules-load.d") != NULL;
	assert_int_equal(boot_lines, 1);
	assert_int_equal(find(fx, "nf_conntrack_events")->level, FW_CHECK_WARN);
	assert_string_equal(find(fx, "nf_conntrack_events")->fix[0],
	                    "sysctl -w net.netfilter.nf_conntrack_events=1");
	assert_int_equal(find(fx, "nf_conntrack_acct")->level, FW_CHECK_WARN);
	/* warnings alone do not fail the check */
	fx->rows.count = 0;
	stock_sysctls(fx, 660);
	run(fx);
	assert_int_equal(fw_check_exit_status(&fx->report), 0);
}

static void test_nft_fix_keeps_the_object_customizations(void **state)
{
	struct fixture *fx = *state;
	const struct fw_check_finding *f;

	stock_sysctls(fx, 660);
	/* established 300 and close_wait 60 checked; syn_sent customised; time_wait default */
	add_row(fx, FW_SOURCE_NFT, "inet filter siptls", IPPROTO_TCP, "syn_sent", 30, NFPROTO_IPV4);
	add_row(fx, FW_SOURCE_NFT, "inet filter siptls", IPPROTO_TCP, "established", 300,
	        NFPROTO_IPV4);
	add_row(fx, FW_SOURCE_NFT, "inet filter siptls", IPPROTO_TCP, "close_wait", 60,
	        NFPROTO_IPV4);
	add_row(fx, FW_SOURCE_NFT, "inet filter siptls", IPPROTO_TCP, "time_wait", 120,
	        NFPROTO_IPV4);
	add_row(fx, FW_SOURCE_NFT, "inet filter siptls", IPPROTO_TCP, "unacknowledged", 20,
	        NFPROTO_IPV4);
	/* no sysctl for syn_sent2: the kernel's 120 is the default */
	add_row(fx, FW_SOURCE_NFT, "inet filter siptls", IPPROTO_TCP, "syn_sent2", 120,
	        NFPROTO_IPV4);
	run(fx);
	f = find(fx, "nft ct timeout inet filter siptls, tcp established");
	assert_int_equal(f->level, FW_CHECK_FAIL);
	assert_int_equal(f->fix_count, 2);
	assert_string_equal(f->fix[0],
	                    "in the ruleset file (e.g. /etc/nftables.conf): table inet filter { ct "
	                    "timeout siptls { protocol tcp; l3proto ip; policy = { syn_sent: 30, "
	                    "established: 660, close_wait: 660, unack: 20 }; }; }");
	assert_non_null(strstr(f->fix[1], "nft -f /etc/nftables.conf"));
	assert_int_equal(find(fx, "siptls, tcp close_wait")->level, FW_CHECK_FAIL);
	assert_int_equal(fw_check_exit_status(&fx->report), 1);
}

static void test_cttimeout_fix_adds_a_new_policy(void **state)
{
	struct fixture *fx = *state;
	const struct fw_check_finding *f;

	stock_sysctls(fx, 660);
	add_row(fx, FW_SOURCE_CTTIMEOUT, "sip6", IPPROTO_TCP, "established", 600, AF_INET6);
	add_row(fx, FW_SOURCE_CTTIMEOUT, "sip6", IPPROTO_TCP, "close_wait", 900, AF_INET6);
	run(fx);
	f = find(fx, "cttimeout policy sip6, tcp established");
	assert_int_equal(f->level, FW_CHECK_FAIL);
	assert_string_equal(f->fix[0],
	                    "nfct timeout add sip6-660 inet6 tcp established 660 close_wait 900");
	assert_non_null(strstr(f->fix[1], "then: nfct timeout delete sip6"));
	assert_int_equal(find(fx, "cttimeout policy sip6, tcp close_wait")->level, FW_CHECK_PASS);
}

static void test_sources_not_in_use_or_unreadable(void **state)
{
	struct fixture *fx = *state;

	stock_sysctls(fx, 660);
	fx->in.in_use[FW_SOURCE_NFT] = 0;
	fx->read.status[FW_SOURCE_CTTIMEOUT].ok = 0;
	snprintf(fx->read.status[FW_SOURCE_CTTIMEOUT].last_error,
	         sizeof(fx->read.status[FW_SOURCE_CTTIMEOUT].last_error), "cttimeout dump: %s%s",
	         strerror(EPERM), fw_nl_permission_hint(EPERM));
	run(fx);
	assert_int_equal(find(fx, "nft ct timeout objects")->level, FW_CHECK_INFO);
	assert_non_null(
	    strstr(find(fx, "nft ct timeout objects")->detail, "nf_tables is not loaded"));
	assert_int_equal(find(fx, "cttimeout policies")->level, FW_CHECK_UNCHECKED);
	assert_non_null(strstr(find(fx, "cttimeout policies")->detail, "CAP_NET_ADMIN"));
	assert_int_equal(fw_check_exit_status(&fx->report), 2);
	/* a FAIL says more than what could not be checked */
	fx->rows.count = 0;
	stock_sysctls(fx, 60);
	run(fx);
	assert_int_equal(fw_check_exit_status(&fx->report), 1);
}

static void test_no_conntrack_in_namespace(void **state)
{
	struct fixture *fx = *state;

	fx->read.status[FW_SOURCE_SYSCTL].ok = 0;
	snprintf(fx->read.status[FW_SOURCE_SYSCTL].last_error,
	         sizeof(fx->read.status[FW_SOURCE_SYSCTL].last_error),
	         "/proc/sys/net/netfilter: No such file or directory");
	run(fx);
	assert_int_equal(find(fx, "conntrack timeout sysctls")->level, FW_CHECK_UNCHECKED);
	assert_non_null(strstr(find(fx, "conntrack timeout sysctls")->detail,
	                       "conntrack is not active in this network namespace"));
	/* nothing else is judged without conntrack */
	assert_false(has(fx, "nf_conntrack_events"));
	assert_false(has(fx, "SIP-TLS sessions"));
	assert_int_equal(fw_check_exit_status(&fx->report), 2);
}

static void test_table_size(void **state)
{
	struct fixture *fx = *state;
	const struct fw_check_finding *f;

	stock_sysctls(fx, 660);
	fx->in.sysctls.count = 262144;
	run(fx);
	f = find(fx, "conntrack table");
	assert_int_equal(f->level, FW_CHECK_FAIL);
	assert_string_equal(f->fix[0], "sysctl -w net.netfilter.nf_conntrack_max=524288");
	fx->in.sysctls.count = 240000;
	run(fx);
	assert_int_equal(find(fx, "conntrack table")->level, FW_CHECK_WARN);
	fx->in.sysctls.count = 1000;
	run(fx);
	assert_int_equal(find(fx, "conntrack table")->level, FW_CHECK_PASS);
}

static struct fw_session session_at(uint8_t tcp_state, uint32_t remaining, uint16_t sport,
                                    const struct fw_clock *now)
{
	struct fw_session s;

	memset(&s, 0, sizeof(s));
	s.orig.family = AF_INET;
	memcpy(s.orig.src, (const uint8_t[]){192, 0, 2, 10}, 4);
	memcpy(s.orig.dst, (const uint8_t[]){198, 51, 100, 10}, 4);
	s.orig.sport = sport;
	s.orig.dport = 5061;
	s.tcp_state = tcp_state;
	s.remaining = remaining;
	s.observed_mono_ms = now->mono_ms;
	return s;
}

static void test_sessions(void **state)
{
	struct fixture *fx = *state;
	struct fw_session s[4];
	const struct fw_session *list[4];

	stock_sysctls(fx, 660);
	s[0] = session_at(TCP_CONNTRACK_ESTABLISHED, 431990, 40000, &fx->in.now);
	/* idle for a while: less than the threshold left, but only long timeouts apply */
	s[1] = session_at(TCP_CONNTRACK_ESTABLISHED, 500, 40001, &fx->in.now);
	/* at most the retransmission timeout left: the server does not acknowledge */
	s[2] = session_at(TCP_CONNTRACK_ESTABLISHED, 250, 40002, &fx->in.now);
	s[3] = session_at(TCP_CONNTRACK_CLOSE_WAIT, 50, 40003, &fx->in.now);
	for (int i = 0; i < 4; i++)
		list[i] = &s[i];
	fx->in.sessions = list;
	fx->in.session_count = 4;
	run(fx);
	assert_int_equal(find(fx, "192.0.2.10:40000 -> 198.51.100.10:5061")->level, FW_CHECK_PASS);
	assert_non_null(strstr(find(fx, ":40000 ")->detail, "established, 431990 s left"));
	assert_int_equal(find(fx, ":40001 ")->level, FW_CHECK_PASS);
	assert_int_equal(find(fx, ":40002 ")->level, FW_CHECK_WARN);
	assert_non_null(strstr(find(fx, ":40002 ")->detail, "forgets it in 250 s"));
	assert_non_null(strstr(find(fx, ":40002 ")->detail, "does not acknowledge"));
	assert_int_equal(find(fx, ":40003 ")->level, FW_CHECK_WARN);
	assert_non_null(strstr(find(fx, ":40003 ")->detail, "half-closed (CLOSE_WAIT)"));
	/* the sessions' state warns, the firewall's settings decide */
	assert_int_equal(fw_check_exit_status(&fx->report), 0);

	/* a policy of 300 s may hold the sessions with no more than that left */
	add_row(fx, FW_SOURCE_NFT, "inet filter siptls", IPPROTO_TCP, "established", 300,
	        NFPROTO_IPV4);
	s[2].remaining = 280;
	run(fx);
	assert_int_equal(find(fx, ":40001 ")->level, FW_CHECK_PASS);
	assert_int_equal(find(fx, ":40002 ")->level, FW_CHECK_WARN);
	assert_non_null(
	    strstr(find(fx, ":40002 ")->detail,
	           "held by nft ct timeout inet filter siptls, whose established timeout "
	           "is 300 s"));
}

static void test_many_passing_sessions_summed_up(void **state)
{
	struct fixture *fx = *state;
	struct fw_session s[12];
	const struct fw_session *list[12];

	stock_sysctls(fx, 660);
	for (int i = 0; i < 12; i++) {
		s[i] = session_at(TCP_CONNTRACK_ESTABLISHED, 400000, (uint16_t)(40000 + i),
		                  &fx->in.now);
		list[i] = &s[i];
	}
	s[11].remaining = 100;
	fx->in.sessions = list;
	fx->in.session_count = 12;
	run(fx);
	assert_false(has(fx, ":40000 "));
	assert_int_equal(find(fx, ":40011 ")->level, FW_CHECK_WARN);
	assert_non_null(strstr(find(fx, "SIP-TLS sessions")->detail, "11 of 12 established"));
}

static void test_sessions_not_dumped(void **state)
{
	struct fixture *fx = *state;

	stock_sysctls(fx, 660);
	fx->in.sessions_checked = 0;
	fx->in.sessions_error = "cannot dump conntrack: Operation not permitted";
	run(fx);
	assert_int_equal(find(fx, "SIP-TLS sessions")->level, FW_CHECK_UNCHECKED);
	assert_int_equal(fw_check_exit_status(&fx->report), 2);
	/* sessionTracking no: said, not a failure to check */
	fx->in.sessions_error = NULL;
	run(fx);
	assert_int_equal(find(fx, "SIP-TLS sessions")->level, FW_CHECK_INFO);
	assert_int_equal(fw_check_exit_status(&fx->report), 0);
}

/* Phones asking a flagged resolver: a WARN each, with the fix; the allowed one passes. */
static void test_resolvers(void **state)
{
	struct fixture *fx = *state;
	struct fw_resolver google = {
	    .family = AF_INET, .addr = {8, 8, 8, 8}, .verdict = FW_RESOLVER_FLAGGED};
	struct fw_resolver gtm = {
	    .family = AF_INET, .addr = {198, 51, 100, 53}, .verdict = FW_RESOLVER_ALLOWED};
	struct fw_phone_resolver on_google = {
	    .phone_family = AF_INET, .phone_addr = {192, 0, 2, 10}, .resolver = &google};
	struct fw_phone_resolver on_gtm = {
	    .phone_family = AF_INET, .phone_addr = {192, 0, 2, 11}, .resolver = &gtm};
	const struct fw_phone_resolver *pairs[] = {&on_gtm, &on_google};
	const struct fw_check_finding *f;

	stock_sysctls(fx, 660);
	fx->in.resolvers_checked = 1;
	fx->in.resolver_pairs = pairs;
	fx->in.resolver_pair_count = 2;
	run(fx);
	f = find(fx, "phone 192.0.2.10");
	assert_int_equal(f->level, FW_CHECK_WARN);
	assert_non_null(strstr(f->detail, "flagged resolver 8.8.8.8"));
	assert_true(f->fix_count >= 1);
	assert_non_null(strstr(f->fix[0], "DHCP option 6"));
	assert_false(has(fx, "phone 192.0.2.11"));
	assert_false(has(fx, "the phones' DNS resolvers"));
	/* a warning, not a failure */
	assert_int_equal(fw_check_exit_status(&fx->report), 0);
	/* only the allowed one: a pass */
	fx->in.resolver_pair_count = 1;
	run(fx);
	assert_int_equal(find(fx, "the phones' DNS resolvers")->level, FW_CHECK_PASS);
	/* not followed: nothing said */
	fx->in.resolvers_checked = 0;
	run(fx);
	assert_false(has(fx, "the phones' DNS resolvers"));
}

static void test_report_text_and_json(void **state)
{
	struct fixture *fx = *state;
	char *text = NULL, *json = NULL;
	size_t text_len = 0, json_len = 0;
	FILE *out;

	stock_sysctls(fx, 60);
	/* a name with a quote and a control character must come out as valid JSON */
	add_row(fx, FW_SOURCE_CTTIMEOUT, "we\"ird\x01", IPPROTO_TCP, "close_wait", 10, AF_INET);
	run(fx);
	out = open_memstream(&text, &text_len);
	fw_check_print_text(out, &fx->report, 660);
	fclose(out);
	assert_non_null(strstr(
	    text, "\nFAIL      sysctl net.netfilter.nf_conntrack_tcp_timeout_close_wait: 60 s"));
	assert_non_null(strstr(
	    text,
	    "\n          fix: sysctl -w net.netfilter.nf_conntrack_tcp_timeout_close_wait=660\n"));
	assert_non_null(strstr(text, "\nresult: fail (2 fail,"));
	out = open_memstream(&json, &json_len);
	fw_check_print_json(out, &fx->report, 660);
	fclose(out);
	assert_non_null(strstr(
	    json,
	    "{\"threshold\":660,\"result\":\"fail\",\"exit_status\":1,\"counts\":{\"fail\":2,"));
	assert_non_null(strstr(json, "cttimeout policy we\\\"ird\\u0001, tcp close_wait"));
	assert_null(strchr(json, '\x01'));
	assert_non_null(strstr(
	    json, "\"fix\":[\"sysctl -w net.netfilter.nf_conntrack_tcp_timeout_close_wait=660\","));
	free(text);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_stock_firewall_fails_with_the_sysctl_fix, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_fixed_firewall_passes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_boot_fix_shown_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nft_fix_keeps_the_object_customizations, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_cttimeout_fix_adds_a_new_policy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sources_not_in_use_or_unreadable, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_conntrack_in_namespace, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_table_size, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_many_passing_sessions_summed_up, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_resolvers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sessions_not_dumped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_report_text_and_json, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
