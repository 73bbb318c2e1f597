/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config_parse.h"

#include "../collectors/cidr.h"

#include <ctype.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SHOWN_MAX 64 /* longest piece of a bad value quoted back */

/* Usage is the argument part only: Net-SNMP's help prints the name before it. */
const struct fw_config_directive fw_config_directives[] = {
    {"timeoutThreshold", "SECONDS (1-2147483647, default 660): alarm when a checked "
                         "conntrack timeout is below this"},
    {"timeoutPollInterval", "SECONDS (1-3600, default 5): how often the timeouts are read"},
    {"checkTimeout", "[tcp:|udp:]STATE... (default: established close_wait): timeouts to "
                     "check; the first line replaces the default, later lines add"},
    {"timeoutNotifications", "yes|no (default yes): send notifications when an alarm is "
                             "raised or cleared"},
    {"sessionTracking", "yes|no (default yes): track SIP-TLS sessions through conntrack"},
    {"sipPort", "PORT... (default 5061): original destination ports of phone sessions; the "
                "first line replaces the default, later lines add"},
    {"phoneNetwork", "CIDR...: only sessions from these networks (default: any)"},
    {"serverNetwork", "CIDR...: only sessions to these networks (default: any)"},
    {"reconnectWindow", "SECONDS (0-86400, default 120): a new session this soon after a "
                        "teardown counts as a reconnect"},
    {"teardownHistory", "N (1-1000000, default 1000): teardowns kept in fwStateTeardownTable"},
    {"teardownNotifyLimit", "N (0-100000, default 20): teardown notifications per interval; "
                            "the rest are summed up in one summary"},
    {"teardownNotifyInterval", "SECONDS (1-3600, default 10): the storm control interval"},
    {"conntrackReceiveBuffer", "BYTES (65536-1073741824, default 8388608): receive buffer "
                               "of the conntrack event socket"},
    {"reconcileInterval", "SECONDS (1-3600, default 30): how often a filtered dump checks "
                          "for sessions that ended without an event"},
    {"maxEventsPerWakeup", "N (1-100000, default 256): conntrack messages handled before "
                           "SNMP requests get their turn"},
    {"sessionNotifications", "yes|no (default yes): send session notifications"},
    {"phoneRetention", "SECONDS (0-31536000, default 86400): how long a phone without "
                       "sessions stays in fwStatePhoneTable; 0 keeps it for good"},
    {"notificationQueueLimit", "N (1-100000, default 1000): notifications held while no "
                               "master agent is connected; beyond it the oldest are dropped"},
    {"serverFlapThreshold", "N (1-16, default 3): a phone whose sessions change servers more "
                            "than N times within serverFlapWindow is flapping"},
    {"serverFlapWindow", "SECONDS (1-86400, default 600): the window of serverFlapThreshold; a "
                         "flapping phone that stays with one server this long is cleared"},
    {"resolverTracking", "yes|no (default yes): follow the phones' DNS flows (UDP and TCP 53, "
                         "TCP 853) to the resolvers they use"},
    {"allowedResolver", "CIDR...: the resolvers phones should use (the provider's GTM DNS "
                        "servers); once set, every other resolver is flagged"},
    {"flaggedResolver", "CIDR... (default: the well-known public resolvers): resolvers "
                        "phones should not use; the first line replaces the default"},
    {NULL, NULL},
};

enum directive_id {
	DIR_THRESHOLD,
	DIR_POLL_INTERVAL,
	DIR_CHECK,
	DIR_NOTIFICATIONS,
	DIR_SESSION_TRACKING,
	DIR_SIP_PORT,
	DIR_PHONE_NETWORK,
	DIR_SERVER_NETWORK,
	DIR_RECONNECT_WINDOW,
	DIR_TEARDOWN_HISTORY,
	DIR_NOTIFY_LIMIT,
	DIR_NOTIFY_INTERVAL,
	DIR_RECEIVE_BUFFER,
	DIR_RECONCILE_INTERVAL,
	DIR_MAX_EVENTS,
	DIR_SESSION_NOTIFICATIONS,
	DIR_PHONE_RETENTION,
	DIR_QUEUE_LIMIT,
	DIR_FLAP_THRESHOLD,
	DIR_FLAP_WINDOW,
	DIR_RESOLVER_TRACKING,
	DIR_ALLOWED_RESOLVER,
	DIR_FLAGGED_RESOLVER,
};

void fw_config_defaults(struct fw_config *config)
{
	memset(config, 0, sizeof(*config));
	fw_check_policy_default(&config->policy);
	config->poll_interval = FW_DEFAULT_POLL_INTERVAL;
	config->timeout_notifications = 1;
	config->checks_given = 0;
	config->sessions.tracking = 1;
	config->sessions.policy.sip_ports[0] = FW_DEFAULT_SIP_PORT;
	config->sessions.policy.sip_port_count = 1;
	config->sessions.policy.threshold = FW_DEFAULT_THRESHOLD;
	config->sessions.policy.reconnect_window = FW_DEFAULT_RECONNECT_WINDOW;
	config->sessions.policy.history_size = FW_DEFAULT_TEARDOWN_HISTORY;
	config->sessions.policy.phone_retention = FW_DEFAULT_PHONE_RETENTION;
	config->sessions.policy.flap.threshold = FW_DEFAULT_FLAP_THRESHOLD;
	config->sessions.policy.flap.window_s = FW_DEFAULT_FLAP_WINDOW;
	config->resolvers.tracking = 1;
	fw_resolver_policy_default(&config->resolvers.policy);
	config->sessions.receive_buffer = FW_DEFAULT_RECEIVE_BUFFER;
	config->sessions.reconcile_interval = FW_DEFAULT_RECONCILE_INTERVAL;
	config->sessions.notify_limit = FW_DEFAULT_NOTIFY_LIMIT;
	config->sessions.notify_interval = FW_DEFAULT_NOTIFY_INTERVAL;
	config->sessions.max_events_per_wakeup = FW_DEFAULT_MAX_EVENTS_PER_WAKEUP;
	config->sessions.notifications = 1;
	config->notify_queue_limit = FW_NOTIFY_QUEUE_DEFAULT_LIMIT;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Copies s[0..len) for quoting in a message: printable, bounded. */
static void shown(const char *s, size_t len, char *out, size_t out_len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 4 < out_len; i++)
		out[n++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (n < len && n + 4 >= out_len) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

/* The value without surrounding whitespace, as a pointer and length. */
static const char *trimmed(const char *value, size_t *len)
{
	size_t n;

	while (is_space(*value))
		value++;
	n = strlen(value);
	while (n > 0 && is_space(value[n - 1]))
		n--;
	*len = n;
	return value;
}

static int parse_number(const char *name, const char *value, uint32_t min, uint32_t max,
                        const char *unit, uint32_t *out, char *error, size_t error_len)
{
	char quoted[SHOWN_MAX + 4];
	uint64_t number = 0;
	size_t len, i;
	const char *s = trimmed(value, &len);

	shown(s, len, quoted, sizeof(quoted));
	for (i = 0; i < len && isdigit((unsigned char)s[i]); i++) {
		/* Saturate: anything past max is just "too large". */
		if (number <= max)
			number = number * 10 + (uint64_t)(s[i] - '0');
	}
	if (len == 0 || i != len) {
		snprintf(error, error_len, "%s: '%s' is not a number of %s (%u-%u)", name, quoted,
		         unit, min, max);
		return -1;
	}
	if (number < min || number > max) {
		snprintf(error, error_len, "%s: '%s' is out of range (%u-%u %s)", name, quoted, min,
		         max, unit);
		return -1;
	}
	*out = (uint32_t)number;
	return 0;
}

static int parse_seconds(const char *name, const char *value, uint32_t min, uint32_t max,
                         uint32_t *out, char *error, size_t error_len)
{
	return parse_number(name, value, min, max, "seconds", out, error, error_len);
}

/* Calls item() for every whitespace-separated item; fails on an empty list. */
static int for_each_item(const char *name, const char *value,
                         int (*item)(const char *name, const char *text, void *ctx, char *error,
                                     size_t error_len),
                         void *ctx, char *error, size_t error_len)
{
	const char *p = value;
	int items = 0;

	for (;;) {
		char text[SHOWN_MAX + 4];
		const char *start;
		size_t len;

		while (is_space(*p))
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p && !is_space(*p))
			p++;
		len = (size_t)(p - start);
		shown(start, len, text, sizeof(text));
		if (len > SHOWN_MAX) {
			snprintf(error, error_len, "%s: '%s' is too long", name, text);
			return -1;
		}
		if (item(name, text, ctx, error, error_len) < 0)
			return -1;
		items++;
	}
	if (items == 0) {
		snprintf(error, error_len, "%s: needs at least one value", name);
		return -1;
	}
	return 0;
}

static int add_port(const char *name, const char *text, void *ctx, char *error, size_t error_len)
{
	struct fw_session_policy *policy = ctx;
	uint32_t port;

	if (parse_number(name, text, 1, 65535, "port", &port, error, error_len) < 0)
		return -1;
	for (size_t i = 0; i < policy->sip_port_count; i++)
		if (policy->sip_ports[i] == port)
			return 0;
	if (policy->sip_port_count == FW_MAX_SIP_PORTS) {
		snprintf(error, error_len, "%s: '%s' is one port too many (at most %d)", name, text,
		         FW_MAX_SIP_PORTS);
		return -1;
	}
	policy->sip_ports[policy->sip_port_count++] = (uint16_t)port;
	return 0;
}

struct network_list {
	struct fw_cidr *networks;
	size_t *count;
	size_t max;
};

static int add_network(const char *name, const char *text, void *ctx, char *error, size_t error_len)
{
	struct network_list *list = ctx;
	struct fw_cidr cidr;

	if (fw_cidr_parse(text, &cidr) < 0) {
		snprintf(error, error_len,
		         "%s: '%s' is not an address or network (e.g. 192.0.2.0/24, 2001:db8::/32)",
		         name, text);
		return -1;
	}
	if (*list->count == list->max) {
		snprintf(error, error_len, "%s: '%s' is one network too many (at most %zu)", name,
		         text, list->max);
		return -1;
	}
	list->networks[(*list->count)++] = cidr;
	return 0;
}

static int apply_ports(struct fw_config *config, const char *name, const char *value, char *error,
                       size_t error_len)
{
	struct fw_session_policy policy = config->sessions.policy;

	/* The first sipPort line replaces the default port. */
	if (!config->sessions.ports_given)
		policy.sip_port_count = 0;
	if (for_each_item(name, value, add_port, &policy, error, error_len) < 0)
		return -1;
	config->sessions.policy = policy;
	config->sessions.ports_given = 1;
	return 0;
}

/* allowedResolver adds; the first flaggedResolver replaces the default list, later ones add. */
static int apply_resolvers(struct fw_config *config, int flagged, const char *name,
                           const char *value, char *error, size_t error_len)
{
	struct fw_resolver_config resolvers = config->resolvers;
	struct fw_resolver_policy *policy = &resolvers.policy;
	struct network_list list = {
	    .networks = flagged ? policy->flagged : policy->allowed,
	    .count = flagged ? &policy->flagged_count : &policy->allowed_count,
	    .max = FW_MAX_RESOLVER_NETWORKS,
	};

	if (flagged && !resolvers.flagged_given) {
		policy->flagged_count = 0;
		resolvers.flagged_given = 1;
	}
	if (for_each_item(name, value, add_network, &list, error, error_len) < 0)
		return -1;
	config->resolvers = resolvers;
	return 0;
}

static int apply_networks(struct fw_config *config, int servers, const char *name,
                          const char *value, char *error, size_t error_len)
{
	struct fw_session_policy policy = config->sessions.policy;
	struct network_list list = {
	    .networks = servers ? policy.server_networks : policy.phone_networks,
	    .count = servers ? &policy.server_network_count : &policy.phone_network_count,
	    .max = FW_MAX_NETWORKS,
	};

	if (for_each_item(name, value, add_network, &list, error, error_len) < 0)
		return -1;
	config->sessions.policy = policy;
	return 0;
}

static int parse_bool(const char *name, const char *value, int *out, char *error, size_t error_len)
{
	static const char *const yes[] = {"yes", "true", "1", "on"};
	static const char *const no[] = {"no", "false", "0", "off"};
	char quoted[SHOWN_MAX + 4];
	size_t len;
	const char *s = trimmed(value, &len);

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (len == strlen(yes[i]) && strncasecmp(s, yes[i], len) == 0) {
			*out = 1;
			return 0;
		}
		if (len == strlen(no[i]) && strncasecmp(s, no[i], len) == 0) {
			*out = 0;
			return 0;
		}
	}
	shown(s, len, quoted, sizeof(quoted));
	snprintf(error, error_len, "%s: '%s' is not yes or no", name, quoted);
	return -1;
}

static unsigned max_attr_type(uint8_t protocol)
{
	return protocol == IPPROTO_TCP ? CTA_TIMEOUT_TCP_MAX : CTA_TIMEOUT_UDP_MAX;
}

/* The canonical state name matching s[0..len) for protocol, or NULL. */
static const char *known_state(uint8_t protocol, const char *s, size_t len)
{
	for (unsigned type = 1; type <= max_attr_type(protocol); type++) {
		const char *name = fw_timeout_state_name(protocol, type);

		if (name && strlen(name) == len && strncasecmp(name, s, len) == 0)
			return name;
	}
	return NULL;
}

/* "syn_sent, syn_recv, ..." for error messages. */
static void state_list(uint8_t protocol, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned type = 1; type <= max_attr_type(protocol); type++) {
		const char *name = fw_timeout_state_name(protocol, type);
		int n;

		if (!name)
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

static int parse_check(const char *name, const char *item, size_t len,
                       struct fw_timeout_check *check, char *error, size_t error_len)
{
	char quoted[SHOWN_MAX + 4];
	char states[256];
	const char *colon = memchr(item, ':', len);
	const char *state = item;
	size_t state_len = len;
	const char *canonical;

	check->protocol = IPPROTO_TCP;
	shown(item, len, quoted, sizeof(quoted));
	if (colon) {
		size_t proto_len = (size_t)(colon - item);

		if (proto_len == 3 && strncasecmp(item, "tcp", 3) == 0) {
			check->protocol = IPPROTO_TCP;
		} else if (proto_len == 3 && strncasecmp(item, "udp", 3) == 0) {
			check->protocol = IPPROTO_UDP;
		} else {
			snprintf(error, error_len, "%s: '%s': the protocol must be tcp or udp",
			         name, quoted);
			return -1;
		}
		state = colon + 1;
		state_len = len - proto_len - 1;
	}
	canonical = known_state(check->protocol, state, state_len);
	if (!canonical) {
		state_list(check->protocol, states, sizeof(states));
		snprintf(error, error_len, "%s: '%s' is not a %s timeout state (%s)", name, quoted,
		         check->protocol == IPPROTO_TCP ? "TCP" : "UDP", states);
		return -1;
	}
	snprintf(check->state, sizeof(check->state), "%s", canonical);
	return 0;
}

static int apply_checks(struct fw_config *config, const char *name, const char *value, char *error,
                        size_t error_len)
{
	struct fw_check_policy policy = config->policy;
	const char *p = value;
	int items = 0;

	/* The first checkTimeout line replaces the built-in list. */
	if (!config->checks_given)
		policy.count = 0;
	for (;;) {
		struct fw_timeout_check check;
		const char *item;
		size_t len;
		int duplicate = 0;

		while (is_space(*p))
			p++;
		if (*p == '\0')
			break;
		item = p;
		while (*p && !is_space(*p))
			p++;
		len = (size_t)(p - item);
		memset(&check, 0, sizeof(check));
		if (parse_check(name, item, len, &check, error, error_len) < 0)
			return -1;
		items++;
		for (size_t i = 0; i < policy.count; i++)
			if (policy.checks[i].protocol == check.protocol &&
			    strcmp(policy.checks[i].state, check.state) == 0)
				duplicate = 1;
		if (duplicate)
			continue;
		if (policy.count == FW_MAX_CHECKS) {
			char quoted[SHOWN_MAX + 4];

			shown(item, len, quoted, sizeof(quoted));
			snprintf(error, error_len, "%s: '%s' is one state too many (at most %d)",
			         name, quoted, FW_MAX_CHECKS);
			return -1;
		}
		policy.checks[policy.count++] = check;
	}
	if (items == 0) {
		snprintf(error, error_len, "%s: '' names no state (e.g. close_wait or udp:replied)",
		         name);
		return -1;
	}
	config->policy = policy;
	config->checks_given = 1;
	return 0;
}

int fw_config_apply(struct fw_config *config, const char *directive, const char *value, char *error,
                    size_t error_len)
{
	char scratch[1];
	char quoted[SHOWN_MAX + 4];
	uint32_t number;
	int flag;
	int id = -1;

	/* Callers that do not want the message still get a safe buffer. */
	if (!error || error_len == 0) {
		error = scratch;
		error_len = sizeof(scratch);
	}
	error[0] = '\0';
	if (!value)
		value = "";
	for (int i = 0; directive && fw_config_directives[i].name; i++)
		if (strcasecmp(directive, fw_config_directives[i].name) == 0)
			id = i;

	switch (id) {
	case DIR_THRESHOLD:
		if (parse_seconds(fw_config_directives[id].name, value, 1, FW_MAX_THRESHOLD,
		                  &number, error, error_len) < 0)
			return -1;
		config->policy.threshold = number;
		config->sessions.policy.threshold = number;
		return 0;
	case DIR_POLL_INTERVAL:
		if (parse_seconds(fw_config_directives[id].name, value, 1, FW_MAX_POLL_INTERVAL,
		                  &number, error, error_len) < 0)
			return -1;
		config->poll_interval = number;
		return 0;
	case DIR_CHECK:
		return apply_checks(config, fw_config_directives[id].name, value, error, error_len);
	case DIR_NOTIFICATIONS:
		if (parse_bool(fw_config_directives[id].name, value, &flag, error, error_len) < 0)
			return -1;
		config->timeout_notifications = flag;
		return 0;
	case DIR_SESSION_TRACKING:
	case DIR_SESSION_NOTIFICATIONS:
		if (parse_bool(fw_config_directives[id].name, value, &flag, error, error_len) < 0)
			return -1;
		if (id == DIR_SESSION_TRACKING)
			config->sessions.tracking = flag;
		else
			config->sessions.notifications = flag;
		return 0;
	case DIR_SIP_PORT:
		return apply_ports(config, fw_config_directives[id].name, value, error, error_len);
	case DIR_PHONE_NETWORK:
	case DIR_SERVER_NETWORK:
		return apply_networks(config, id == DIR_SERVER_NETWORK,
		                      fw_config_directives[id].name, value, error, error_len);
	case DIR_RECONNECT_WINDOW:
		if (parse_seconds(fw_config_directives[id].name, value, 0, 86400, &number, error,
		                  error_len) < 0)
			return -1;
		config->sessions.policy.reconnect_window = number;
		return 0;
	case DIR_TEARDOWN_HISTORY:
		if (parse_number(fw_config_directives[id].name, value, 1, 1000000, "records",
		                 &number, error, error_len) < 0)
			return -1;
		config->sessions.policy.history_size = number;
		return 0;
	case DIR_NOTIFY_LIMIT:
		if (parse_number(fw_config_directives[id].name, value, 0, 100000, "notifications",
		                 &number, error, error_len) < 0)
			return -1;
		config->sessions.notify_limit = number;
		return 0;
	case DIR_NOTIFY_INTERVAL:
		if (parse_seconds(fw_config_directives[id].name, value, 1, 3600, &number, error,
		                  error_len) < 0)
			return -1;
		config->sessions.notify_interval = number;
		return 0;
	case DIR_RECEIVE_BUFFER:
		if (parse_number(fw_config_directives[id].name, value, 65536, 1u << 30, "bytes",
		                 &number, error, error_len) < 0)
			return -1;
		config->sessions.receive_buffer = number;
		return 0;
	case DIR_RECONCILE_INTERVAL:
		if (parse_seconds(fw_config_directives[id].name, value, 1, 3600, &number, error,
		                  error_len) < 0)
			return -1;
		config->sessions.reconcile_interval = number;
		return 0;
	case DIR_PHONE_RETENTION:
		if (parse_seconds(fw_config_directives[id].name, value, 0, 31536000, &number, error,
		                  error_len) < 0)
			return -1;
		config->sessions.policy.phone_retention = number;
		return 0;
	case DIR_MAX_EVENTS:
		if (parse_number(fw_config_directives[id].name, value, 1, 100000, "messages",
		                 &number, error, error_len) < 0)
			return -1;
		config->sessions.max_events_per_wakeup = number;
		return 0;
	case DIR_RESOLVER_TRACKING:
		return parse_bool(fw_config_directives[id].name, value, &config->resolvers.tracking,
		                  error, error_len);
	case DIR_ALLOWED_RESOLVER:
	case DIR_FLAGGED_RESOLVER:
		return apply_resolvers(config, id == DIR_FLAGGED_RESOLVER,
		                       fw_config_directives[id].name, value, error, error_len);
	case DIR_FLAP_THRESHOLD:
		if (parse_number(fw_config_directives[id].name, value, 1, FW_FLAP_MAX_THRESHOLD,
		                 "changes", &number, error, error_len) < 0)
			return -1;
		config->sessions.policy.flap.threshold = number;
		return 0;
	case DIR_FLAP_WINDOW:
		if (parse_seconds(fw_config_directives[id].name, value, 1, 86400, &number, error,
		                  error_len) < 0)
			return -1;
		config->sessions.policy.flap.window_s = number;
		return 0;
	case DIR_QUEUE_LIMIT:
		if (parse_number(fw_config_directives[id].name, value, 1, FW_NOTIFY_QUEUE_MAX_LIMIT,
		                 "notifications", &number, error, error_len) < 0)
			return -1;
		config->notify_queue_limit = number;
		return 0;
	}
	shown(directive ? directive : "", directive ? strlen(directive) : 0, quoted,
	      sizeof(quoted));
	snprintf(error, error_len, "'%s' is not a known directive", quoted);
	return -1;
}
