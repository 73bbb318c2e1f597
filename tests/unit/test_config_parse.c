/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "../../agent/config_parse.h"

static void test_defaults(void **state)
{
	struct fw_config c;

	(void)state;
	memset(&c, 0x5a, sizeof(c));
	fw_config_defaults(&c);
	assert_int_equal(c.policy.threshold, 660);
	assert_int_equal(c.policy.count, 2);
	assert_int_equal(c.policy.checks[0].protocol, IPPROTO_TCP);
	assert_string_equal(c.policy.checks[0].state, "established");
	assert_int_equal(c.policy.checks[1].protocol, IPPROTO_TCP);
	assert_string_equal(c.policy.checks[1].state, "close_wait");
	assert_int_equal(c.poll_interval, 5);
	assert_int_equal(c.timeout_notifications, 1);
	assert_int_equal(c.checks_given, 0);
	assert_int_equal(c.notify_queue_limit, 1000);
	assert_int_equal(c.sessions.policy.flap.threshold, 3);
	assert_int_equal(c.sessions.policy.flap.window_s, 600);
}

static void test_directive_table(void **state)
{
	static const char *const names[] = {
	    "timeoutThreshold",       "timeoutPollInterval", "checkTimeout",
	    "timeoutNotifications",   "sessionTracking",     "sipPort",
	    "phoneNetwork",           "serverNetwork",       "reconnectWindow",
	    "teardownHistory",        "teardownNotifyLimit", "teardownNotifyInterval",
	    "conntrackReceiveBuffer", "reconcileInterval",   "maxEventsPerWakeup",
	    "sessionNotifications",   "phoneRetention",      "notificationQueueLimit",
	    "serverFlapThreshold",    "serverFlapWindow",    "resolverTracking",
	    "allowedResolver",        "flaggedResolver"};
	size_t i;

	(void)state;
	for (i = 0; fw_config_directives[i].name; i++) {
		assert_true(i < sizeof(names) / sizeof(names[0]));
		assert_string_equal(fw_config_directives[i].name, names[i]);
		assert_non_null(fw_config_directives[i].usage);
		assert_true(strlen(fw_config_directives[i].usage) > 0);
	}
	assert_int_equal(i, sizeof(names) / sizeof(names[0]));
	assert_null(fw_config_directives[i].usage);
}

/* Which field a directive sets, to check the value landed. */
enum field {
	THRESHOLD,
	POLL,
	NOTIFY,
	TRACKING,
	RECONNECT,
	HISTORY,
	LIMIT,
	INTERVAL,
	RCVBUF,
	RECONCILE,
	MAX_EVENTS,
	SESSION_NOTIFY,
	RETENTION,
	QUEUE_LIMIT,
	FLAP_THRESHOLD,
	FLAP_WINDOW,
	RESOLVER_TRACKING,
};

struct good_case {
	const char *directive;
	const char *value;
	enum field field;
	uint32_t want;
};

static uint32_t field_value(const struct fw_config *c, enum field field)
{
	switch (field) {
	case THRESHOLD:
		return c->policy.threshold;
	case POLL:
		return c->poll_interval;
	case NOTIFY:
		return (uint32_t)c->timeout_notifications;
	case TRACKING:
		return (uint32_t)c->sessions.tracking;
	case RECONNECT:
		return c->sessions.policy.reconnect_window;
	case HISTORY:
		return (uint32_t)c->sessions.policy.history_size;
	case LIMIT:
		return c->sessions.notify_limit;
	case INTERVAL:
		return c->sessions.notify_interval;
	case RCVBUF:
		return c->sessions.receive_buffer;
	case RECONCILE:
		return c->sessions.reconcile_interval;
	case MAX_EVENTS:
		return c->sessions.max_events_per_wakeup;
	case SESSION_NOTIFY:
		return (uint32_t)c->sessions.notifications;
	case RETENTION:
		return c->sessions.policy.phone_retention;
	case QUEUE_LIMIT:
		return c->notify_queue_limit;
	case FLAP_THRESHOLD:
		return c->sessions.policy.flap.threshold;
	case FLAP_WINDOW:
		return c->sessions.policy.flap.window_s;
	case RESOLVER_TRACKING:
		return (uint32_t)c->resolvers.tracking;
	}
	return 0;
}

static void test_good_values(void **state)
{
	static const struct good_case cases[] = {
	    {"timeoutThreshold", "660", THRESHOLD, 660},
	    {"timeoutThreshold", "1", THRESHOLD, 1},
	    {"timeoutThreshold", "2147483647", THRESHOLD, 2147483647u},
	    {"timeoutThreshold", "  900 \t", THRESHOLD, 900},
	    {"timeoutThreshold", "0900", THRESHOLD, 900},
	    {"timeoutthreshold", "3600", THRESHOLD, 3600},
	    {"TIMEOUTTHRESHOLD", "7200\n", THRESHOLD, 7200},
	    {"timeoutPollInterval", "1", POLL, 1},
	    {"timeoutPollInterval", "60", POLL, 60},
	    {"timeoutPollInterval", "3600", POLL, 3600},
	    {"TimeoutPollInterval", " 10 ", POLL, 10},
	    {"timeoutNotifications", "no", NOTIFY, 0},
	    {"timeoutNotifications", "yes", NOTIFY, 1},
	    {"timeoutNotifications", "false", NOTIFY, 0},
	    {"timeoutNotifications", "true", NOTIFY, 1},
	    {"timeoutNotifications", "0", NOTIFY, 0},
	    {"timeoutNotifications", "1", NOTIFY, 1},
	    {"timeoutNotifications", "off", NOTIFY, 0},
	    {"timeoutNotifications", "on", NOTIFY, 1},
	    {"timeoutNotifications", " NO ", NOTIFY, 0},
	    {"timeoutnotifications", "Off", NOTIFY, 0},
	    {"sessionTracking", "no", TRACKING, 0},
	    {"sessionNotifications", "no", SESSION_NOTIFY, 0},
	    {"reconnectWindow", "0", RECONNECT, 0},
	    {"reconnectWindow", "86400", RECONNECT, 86400},
	    {"teardownHistory", "5", HISTORY, 5},
	    {"teardownNotifyLimit", "0", LIMIT, 0},
	    {"teardownNotifyInterval", "60", INTERVAL, 60},
	    {"conntrackReceiveBuffer", "33554432", RCVBUF, 33554432},
	    {"reconcileInterval", "5", RECONCILE, 5},
	    {"maxEventsPerWakeup", "1", MAX_EVENTS, 1},
	    {"phoneRetention", "0", RETENTION, 0},
	    {"phoneRetention", "604800", RETENTION, 604800},
	    {"notificationQueueLimit", "1", QUEUE_LIMIT, 1},
	    {"notificationQueueLimit", "100000", QUEUE_LIMIT, 100000},
	    {"serverFlapThreshold", "1", FLAP_THRESHOLD, 1},
	    {"serverFlapThreshold", "16", FLAP_THRESHOLD, 16},
	    {"serverFlapWindow", "1", FLAP_WINDOW, 1},
	    {"serverFlapWindow", "86400", FLAP_WINDOW, 86400},
	    {"resolverTracking", "no", RESOLVER_TRACKING, 0},
	    {"resolverTracking", "yes", RESOLVER_TRACKING, 1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fw_config c;
		char error[256] = "stale";

		fw_config_defaults(&c);
		/* Start from the opposite of the expected flag so the change shows. */
		c.timeout_notifications = !cases[i].want;
		c.sessions.tracking = !cases[i].want;
		c.sessions.notifications = !cases[i].want;
		if (fw_config_apply(&c, cases[i].directive, cases[i].value, error, sizeof(error)) !=
		    0)
			fail_msg("%s '%s' rejected: %s", cases[i].directive, cases[i].value, error);
		assert_string_equal(error, "");
		assert_int_equal(field_value(&c, cases[i].field), cases[i].want);
	}
}

struct bad_case {
	const char *directive;
	const char *value;
	const char *error;
};

static void test_bad_values(void **state)
{
	static const struct bad_case cases[] = {
	    {"sipPort", "0", "sipPort: '0' is out of range (1-65535 port)"},
	    {"sipPort", "5061 70000", "sipPort: '70000' is out of range (1-65535 port)"},
	    {"sipPort", "sip", "sipPort: 'sip' is not a number of port (1-65535)"},
	    {"sipPort", "", "sipPort: needs at least one value"},
	    {"phoneNetwork", "192.0.2.0/33",
	     "phoneNetwork: '192.0.2.0/33' is not an address or network (e.g. 192.0.2.0/24, "
	     "2001:db8::/32)"},
	    {"serverNetwork", "sbc.example",
	     "serverNetwork: 'sbc.example' is not an address or network (e.g. 192.0.2.0/24, "
	     "2001:db8::/32)"},
	    {"teardownHistory", "0", "teardownHistory: '0' is out of range (1-1000000 records)"},
	    {"notificationQueueLimit", "0",
	     "notificationQueueLimit: '0' is out of range (1-100000 notifications)"},
	    {"notificationQueueLimit", "100001",
	     "notificationQueueLimit: '100001' is out of range (1-100000 notifications)"},
	    {"serverFlapThreshold", "0", "serverFlapThreshold: '0' is out of range (1-16 changes)"},
	    {"serverFlapThreshold", "17",
	     "serverFlapThreshold: '17' is out of range (1-16 changes)"},
	    {"serverFlapWindow", "0", "serverFlapWindow: '0' is out of range (1-86400 seconds)"},
	    {"resolverTracking", "maybe", "resolverTracking: 'maybe' is not yes or no"},
	    {"allowedResolver", "dns.google",
	     "allowedResolver: 'dns.google' is not an address or network (e.g. 192.0.2.0/24, "
	     "2001:db8::/32)"},
	    {"flaggedResolver", "", "flaggedResolver: needs at least one value"},
	    {"conntrackReceiveBuffer", "1024",
	     "conntrackReceiveBuffer: '1024' is out of range (65536-1073741824 bytes)"},
	    {"reconcileInterval", "0", "reconcileInterval: '0' is out of range (1-3600 seconds)"},
	    {"sessionTracking", "maybe", "sessionTracking: 'maybe' is not yes or no"},
	    {"timeoutThreshold", "66o",
	     "timeoutThreshold: '66o' is not a number of seconds (1-2147483647)"},
	    {"timeoutThreshold", "",
	     "timeoutThreshold: '' is not a number of seconds (1-2147483647)"},
	    {"timeoutThreshold", "   ",
	     "timeoutThreshold: '' is not a number of seconds (1-2147483647)"},
	    {"timeoutThreshold", "-1",
	     "timeoutThreshold: '-1' is not a number of seconds (1-2147483647)"},
	    {"timeoutThreshold", "+660",
	     "timeoutThreshold: '+660' is not a number of seconds (1-2147483647)"},
	    {"timeoutThreshold", "0x294",
	     "timeoutThreshold: '0x294' is not a number of seconds (1-2147483647)"},
	    {"timeoutThreshold", "660s",
	     "timeoutThreshold: '660s' is not a number of seconds (1-2147483647)"},
	    {"timeoutThreshold", "660 720",
	     "timeoutThreshold: '660 720' is not a number of seconds (1-2147483647)"},
	    {"timeoutThreshold", "6.5",
	     "timeoutThreshold: '6.5' is not a number of seconds (1-2147483647)"},
	    {"timeoutThreshold", "0",
	     "timeoutThreshold: '0' is out of range (1-2147483647 seconds)"},
	    {"timeoutThreshold", "2147483648",
	     "timeoutThreshold: '2147483648' is out of range (1-2147483647 seconds)"},
	    {"timeoutThreshold", "4294967956",
	     "timeoutThreshold: '4294967956' is out of range (1-2147483647 seconds)"},
	    {"timeoutThreshold", "99999999999999999999999999",
	     "timeoutThreshold: '99999999999999999999999999' is out of range (1-2147483647 "
	     "seconds)"},
	    {"timeoutPollInterval", "0",
	     "timeoutPollInterval: '0' is out of range (1-3600 seconds)"},
	    {"timeoutPollInterval", "3601",
	     "timeoutPollInterval: '3601' is out of range (1-3600 seconds)"},
	    {"timeoutPollInterval", "5m",
	     "timeoutPollInterval: '5m' is not a number of seconds (1-3600)"},
	    {"timeoutPollInterval", "",
	     "timeoutPollInterval: '' is not a number of seconds (1-3600)"},
	    {"timeoutNotifications", "maybe", "timeoutNotifications: 'maybe' is not yes or no"},
	    {"timeoutNotifications", "", "timeoutNotifications: '' is not yes or no"},
	    {"timeoutNotifications", "yes no", "timeoutNotifications: 'yes no' is not yes or no"},
	    {"timeoutNotifications", "2", "timeoutNotifications: '2' is not yes or no"},
	    {"timeoutNotifications", "y", "timeoutNotifications: 'y' is not yes or no"},
	    {"checkTimeout", "",
	     "checkTimeout: '' names no state (e.g. close_wait or udp:replied)"},
	    {"checkTimeout", " \t ",
	     "checkTimeout: '' names no state (e.g. close_wait or udp:replied)"},
	    {"checkTimeout", "closewait",
	     "checkTimeout: 'closewait' is not a TCP timeout state (syn_sent, syn_recv, "
	     "established, fin_wait, close_wait, last_ack, time_wait, close, syn_sent2, retrans, "
	     "unacknowledged)"},
	    {"checkTimeout", "established udp:close_wait",
	     "checkTimeout: 'udp:close_wait' is not a UDP timeout state (unreplied, replied)"},
	    {"checkTimeout", "tcp:replied",
	     "checkTimeout: 'tcp:replied' is not a TCP timeout state (syn_sent, syn_recv, "
	     "established, fin_wait, close_wait, last_ack, time_wait, close, syn_sent2, retrans, "
	     "unacknowledged)"},
	    {"checkTimeout", "max_retrans",
	     "checkTimeout: 'max_retrans' is not a TCP timeout state (syn_sent, syn_recv, "
	     "established, fin_wait, close_wait, last_ack, time_wait, close, syn_sent2, retrans, "
	     "unacknowledged)"},
	    {"checkTimeout", "sctp:established",
	     "checkTimeout: 'sctp:established': the protocol must be tcp or udp"},
	    {"checkTimeout", ":established",
	     "checkTimeout: ':established': the protocol must be tcp or udp"},
	    {"checkTimeout", "udp:",
	     "checkTimeout: 'udp:' is not a UDP timeout state (unreplied, "
	     "replied)"},
	    {"checkTimeout", "tcp:close_wait:x",
	     "checkTimeout: 'tcp:close_wait:x' is not a TCP timeout state (syn_sent, syn_recv, "
	     "established, fin_wait, close_wait, last_ack, time_wait, close, syn_sent2, retrans, "
	     "unacknowledged)"},
	    {"checkTimeout", "close_wait,established",
	     "checkTimeout: 'close_wait,established' is not a TCP timeout state (syn_sent, "
	     "syn_recv, established, fin_wait, close_wait, last_ack, time_wait, close, syn_sent2, "
	     "retrans, unacknowledged)"},
	    {"timeoutThresold", "660", "'timeoutThresold' is not a known directive"},
	    {"", "660", "'' is not a known directive"},
	    {"timeoutThreshold2", "660", "'timeoutThreshold2' is not a known directive"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fw_config before, c;
		char error[512] = "";

		/* A non-default config, to see that nothing of it moves. */
		fw_config_defaults(&c);
		assert_int_equal(fw_config_apply(&c, "checkTimeout", "udp:replied", NULL, 0), 0);
		assert_int_equal(fw_config_apply(&c, "timeoutThreshold", "1000", NULL, 0), 0);
		before = c;
		if (fw_config_apply(&c, cases[i].directive, cases[i].value, error, sizeof(error)) !=
		    -1)
			fail_msg("%s '%s' accepted", cases[i].directive, cases[i].value);
		assert_string_equal(error, cases[i].error);
		assert_memory_equal(&c, &before, sizeof(c));
	}
}

static void test_bad_values_without_defaults_touched(void **state)
{
	struct fw_config before, c;
	char error[256];

	(void)state;
	/* The first checkTimeout failing must not drop the default list either. */
	fw_config_defaults(&c);
	before = c;
	assert_int_equal(
	    fw_config_apply(&c, "checkTimeout", "close_wait bogus", error, sizeof(error)), -1);
	assert_memory_equal(&c, &before, sizeof(c));
	assert_int_equal(c.checks_given, 0);
	assert_int_equal(c.policy.count, 2);
}

static void assert_check(const struct fw_config *c, size_t i, uint8_t protocol, const char *name)
{
	assert_true(i < c->policy.count);
	assert_int_equal(c->policy.checks[i].protocol, protocol);
	assert_string_equal(c->policy.checks[i].state, name);
}

static void test_check_replace_then_add(void **state)
{
	struct fw_config c;
	char error[256];

	(void)state;
	fw_config_defaults(&c);

	/* The first line replaces the built-in established + close_wait. */
	assert_int_equal(fw_config_apply(&c, "checkTimeout", "close_wait", error, sizeof(error)),
	                 0);
	assert_int_equal(c.checks_given, 1);
	assert_int_equal(c.policy.count, 1);
	assert_check(&c, 0, IPPROTO_TCP, "close_wait");

	/* Later lines add, skipping what is there; names are case-insensitive. */
	assert_int_equal(fw_config_apply(&c, "checkTimeout",
	                                 "  tcp:Time_Wait\tUDP:replied close_wait udp:unreplied ",
	                                 error, sizeof(error)),
	                 0);
	assert_int_equal(c.policy.count, 4);
	assert_check(&c, 0, IPPROTO_TCP, "close_wait");
	assert_check(&c, 1, IPPROTO_TCP, "time_wait");
	assert_check(&c, 2, IPPROTO_UDP, "replied");
	assert_check(&c, 3, IPPROTO_UDP, "unreplied");

	assert_int_equal(fw_config_apply(&c, "CHECKTIMEOUT", "retrans tcp:close_wait udp:replied",
	                                 error, sizeof(error)),
	                 0);
	assert_int_equal(c.policy.count, 5);
	assert_check(&c, 4, IPPROTO_TCP, "retrans");

	/* Threshold is separate from the list. */
	assert_int_equal(c.policy.threshold, 660);

	/* fw_config_defaults starts over: replace again. */
	fw_config_defaults(&c);
	assert_int_equal(
	    fw_config_apply(&c, "checkTimeout", "established established", error, sizeof(error)),
	    0);
	assert_int_equal(c.policy.count, 1);
	assert_check(&c, 0, IPPROTO_TCP, "established");
}

static void test_check_every_known_state(void **state)
{
	static const char *const tcp[] = {"syn_sent",   "syn_recv", "established",   "fin_wait",
	                                  "close_wait", "last_ack", "time_wait",     "close",
	                                  "syn_sent2",  "retrans",  "unacknowledged"};
	struct fw_config c;
	char line[512] = "";
	char error[256];

	(void)state;
	for (size_t i = 0; i < sizeof(tcp) / sizeof(tcp[0]); i++) {
		strcat(line, tcp[i]);
		strcat(line, " ");
	}
	strcat(line, "udp:unreplied udp:replied");
	fw_config_defaults(&c);
	assert_int_equal(fw_config_apply(&c, "checkTimeout", line, error, sizeof(error)), 0);
	assert_int_equal(c.policy.count, 13);
	for (size_t i = 0; i < sizeof(tcp) / sizeof(tcp[0]); i++)
		assert_check(&c, i, IPPROTO_TCP, tcp[i]);
	assert_check(&c, 11, IPPROTO_UDP, "unreplied");
	assert_check(&c, 12, IPPROTO_UDP, "replied");
}

static void test_check_limit(void **state)
{
	struct fw_config c, before;
	char error[256];
	int i;

	(void)state;
	/* Fill the list up to the limit by hand, then try one more via the parser. */
	fw_config_defaults(&c);
	assert_int_equal(fw_config_apply(&c, "checkTimeout", "established", error, sizeof(error)),
	                 0);
	for (i = 1; i < FW_MAX_CHECKS; i++) {
		c.policy.checks[i].protocol = IPPROTO_TCP;
		snprintf(c.policy.checks[i].state, sizeof(c.policy.checks[i].state), "filler%d", i);
	}
	c.policy.count = FW_MAX_CHECKS;
	before = c;

	/* Duplicates are no new entry, so they still fit. */
	assert_int_equal(fw_config_apply(&c, "checkTimeout", "established", error, sizeof(error)),
	                 0);
	assert_int_equal(c.policy.count, FW_MAX_CHECKS);
	assert_string_equal(c.policy.checks[FW_MAX_CHECKS - 1].state, "filler31");
	before = c;

	assert_int_equal(
	    fw_config_apply(&c, "checkTimeout", "established udp:replied", error, sizeof(error)),
	    -1);
	assert_string_equal(error,
	                    "checkTimeout: 'udp:replied' is one state too many (at most 32)");
	assert_memory_equal(&c, &before, sizeof(c));
}

static void test_error_buffer_handling(void **state)
{
	struct fw_config c;
	char small[16];
	char error[512];
	char long_value[300];

	(void)state;
	fw_config_defaults(&c);

	/* Truncated, still terminated. */
	memset(small, 'x', sizeof(small));
	assert_int_equal(fw_config_apply(&c, "timeoutThreshold", "abc", small, sizeof(small)), -1);
	assert_string_equal(small, "timeoutThreshol");

	/* No buffer at all, NULL value. */
	assert_int_equal(fw_config_apply(&c, "timeoutThreshold", "abc", NULL, 0), -1);
	assert_int_equal(fw_config_apply(&c, "timeoutThreshold", NULL, error, sizeof(error)), -1);
	assert_string_equal(error,
	                    "timeoutThreshold: '' is not a number of seconds (1-2147483647)");
	assert_int_equal(fw_config_apply(&c, NULL, "1", error, sizeof(error)), -1);
	assert_string_equal(error, "'' is not a known directive");

	/* Long and unprintable values are quoted shortened and made printable. */
	memset(long_value, 'a', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	assert_int_equal(
	    fw_config_apply(&c, "timeoutNotifications", long_value, error, sizeof(error)), -1);
	assert_string_equal(error,
	                    "timeoutNotifications: "
	                    "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	                    "...' is not yes or no");
	assert_int_equal(fw_config_apply(&c, "timeoutThreshold", "6\x1b[2J", error, sizeof(error)),
	                 -1);
	assert_string_equal(error,
	                    "timeoutThreshold: '6?[2J' is not a number of seconds (1-2147483647)");
	assert_int_equal(c.policy.threshold, 660);
}

static void test_session_defaults_and_lists(void **state)
{
	struct fw_config c;
	char error[256];

	(void)state;
	fw_config_defaults(&c);
	assert_int_equal(c.sessions.tracking, 1);
	assert_int_equal(c.sessions.policy.sip_port_count, 1);
	assert_int_equal(c.sessions.policy.sip_ports[0], 5061);
	assert_int_equal(c.sessions.policy.history_size, 1000);
	assert_int_equal(c.sessions.policy.threshold, 660);
	assert_int_equal(c.sessions.notify_limit, 20);
	assert_int_equal(c.sessions.notify_interval, 10);
	assert_int_equal(c.sessions.reconcile_interval, 30);
	assert_int_equal(c.sessions.receive_buffer, 8u << 20);
	assert_int_equal(c.sessions.policy.phone_retention, 86400);

	/* the first sipPort line replaces 5061, later lines add, duplicates collapse */
	assert_int_equal(fw_config_apply(&c, "sipPort", "5062 5063", error, sizeof(error)), 0);
	assert_int_equal(fw_config_apply(&c, "sipPort", "5063 5061", error, sizeof(error)), 0);
	assert_int_equal(c.sessions.policy.sip_port_count, 3);
	assert_int_equal(c.sessions.policy.sip_ports[0], 5062);
	assert_int_equal(c.sessions.policy.sip_ports[1], 5063);
	assert_int_equal(c.sessions.policy.sip_ports[2], 5061);

	/* networks add up; a bad item leaves the list as it was */
	assert_int_equal(fw_config_apply(&c, "phoneNetwork", "192.0.2.0/24 2001:db8:1::/64", error,
	                                 sizeof(error)),
	                 0);
	assert_int_equal(
	    fw_config_apply(&c, "phoneNetwork", "198.51.100.7 bad", error, sizeof(error)), -1);
	assert_int_equal(c.sessions.policy.phone_network_count, 2);
	assert_int_equal(c.sessions.policy.phone_networks[0].prefix_len, 24);
	assert_int_equal(c.sessions.policy.phone_networks[1].prefix_len, 64);
	assert_int_equal(
	    fw_config_apply(&c, "serverNetwork", "198.51.100.0/24", error, sizeof(error)), 0);
	assert_int_equal(c.sessions.policy.server_network_count, 1);

	/* the threshold applies to sessions too */
	assert_int_equal(fw_config_apply(&c, "timeoutThreshold", "900", error, sizeof(error)), 0);
	assert_int_equal(c.sessions.policy.threshold, 900);
}

/* allowedResolver lines add; the first flaggedResolver replaces the default list, later add. */
static void test_resolver_lists(void **state)
{
	struct fw_config c;
	char error[256];
	struct fw_cidr google;

	(void)state;
	fw_config_defaults(&c);
	assert_int_equal(c.resolvers.tracking, 1);
	assert_int_equal(c.resolvers.policy.allowed_count, 0);
	assert_int_equal(c.resolvers.policy.flagged_count, 16);
	assert_int_equal(fw_config_apply(&c, "allowedResolver", "198.51.100.53 2001:db8:53::/48",
	                                 error, sizeof(error)),
	                 0);
	assert_int_equal(
	    fw_config_apply(&c, "allowedResolver", "198.51.100.54", error, sizeof(error)), 0);
	assert_int_equal(c.resolvers.policy.allowed_count, 3);
	assert_int_equal(
	    fw_config_apply(&c, "flaggedResolver", "203.0.113.0/24", error, sizeof(error)), 0);
	assert_int_equal(c.resolvers.policy.flagged_count, 1);
	assert_int_equal(fw_config_apply(&c, "flaggedResolver", "8.8.8.8", error, sizeof(error)),
	                 0);
	assert_int_equal(c.resolvers.policy.flagged_count, 2);
	assert_int_equal(fw_cidr_parse("8.8.8.8", &google), 0);
	assert_memory_equal(&c.resolvers.policy.flagged[1], &google, sizeof(google));
	/* a bad list leaves the configuration as it was */
	assert_int_equal(
	    fw_config_apply(&c, "flaggedResolver", "192.0.2.1 nonsense", error, sizeof(error)), -1);
	assert_int_equal(c.resolvers.policy.flagged_count, 2);
	/* at most 32 */
	fw_config_defaults(&c);
	for (int i = 0; i < 32; i++) {
		char text[32];

		snprintf(text, sizeof(text), "198.51.100.%d", i + 1);
		assert_int_equal(fw_config_apply(&c, "allowedResolver", text, error, sizeof(error)),
		                 0);
	}
	assert_int_equal(
	    fw_config_apply(&c, "allowedResolver", "198.51.100.200", error, sizeof(error)), -1);
	assert_string_equal(
	    error, "allowedResolver: '198.51.100.200' is one network too many (at most 32)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_directive_table),
	    cmocka_unit_test(test_good_values),
	    cmocka_unit_test(test_bad_values),
	    cmocka_unit_test(test_bad_values_without_defaults_touched),
	    cmocka_unit_test(test_check_replace_then_add),
	    cmocka_unit_test(test_check_every_known_state),
	    cmocka_unit_test(test_check_limit),
	    cmocka_unit_test(test_error_buffer_handling),
	    cmocka_unit_test(test_session_defaults_and_lists),
	    cmocka_unit_test(test_resolver_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
