/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "check.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../collectors/ct_netlink.h"
#include "../collectors/firewall_check.h"
#include "../collectors/log.h"
#include "../collectors/resolver_tracker.h"
#include "../collectors/sysctl_value.h"
#include "../collectors/timeout_collect.h"
#include "check_report.h"

/* A dump of the SIP ports normally takes milliseconds; this bounds a stuck kernel. */
#define DUMP_TIMEOUT_MS 10000

/* The report says what failed; the collectors' own log lines would only repeat it. */
static void quiet(int priority, const char *subsystem, const char *message)
{
	(void)priority;
	(void)subsystem;
	(void)message;
}

static int64_t netfilter_sysctl(const char *name)
{
	uint32_t value;

	return fw_sysctl_read_netfilter_u32("/proc", name, &value) == 0 ? (int64_t)value : -1;
}

/* The sessions of one filtered dump, kept by a tracker that lives as long as the check. */
struct session_dump {
	struct fw_tracker *tracker;
	const struct fw_session **list;
	size_t count, capacity;
	struct fw_resolver_tracker *resolvers; /* with resolverTracking: the phones' DNS flows */
	const struct fw_phone_resolver **pairs;
	size_t pair_count, pair_capacity;
	int done, ok, out_of_memory;
	char error[256];
	struct fw_clock now;
};

static void on_session_added(struct fw_session *session, void *ctx)
{
	struct session_dump *d = ctx;

	if (d->count == d->capacity) {
		size_t capacity = d->capacity ? d->capacity * 2 : 64;
		const struct fw_session **list = realloc(d->list, capacity * sizeof(*list));

		if (!list) {
			d->out_of_memory = 1;
			return;
		}
		d->list = list;
		d->capacity = capacity;
	}
	d->list[d->count++] = session;
}

static void on_pair_added(const struct fw_phone_resolver *pair, void *ctx)
{
	struct session_dump *d = ctx;

	if (d->pair_count == d->pair_capacity) {
		size_t capacity = d->pair_capacity ? d->pair_capacity * 2 : 16;
		const struct fw_phone_resolver **pairs =
		    realloc(d->pairs, capacity * sizeof(*pairs));

		if (!pairs) {
			d->out_of_memory = 1;
			return;
		}
		d->pairs = pairs;
		d->pair_capacity = capacity;
	}
	d->pairs[d->pair_count++] = pair;
}

static void on_dump_row(const struct fw_ct_event *row, void *ctx)
{
	struct session_dump *d = ctx;

	fw_tracker_resync_row(d->tracker, row, &d->now);
	if (d->resolvers)
		fw_resolver_tracker_resync_row(d->resolvers, row, &d->now);
}

static void on_dump_done(int ok, int err, const char *error, void *ctx)
{
	struct session_dump *d = ctx;

	(void)err;
	d->done = 1;
	d->ok = ok;
	if (!ok)
		snprintf(d->error, sizeof(d->error), "%s", error ? error : "dump failed");
}

/* Fills d from one dump; returns 0, or -1 with d->error set. */
static int dump_sessions(const struct fw_config *config, struct session_dump *d)
{
	const struct fw_tracker_hooks hooks = {.session_added = on_session_added, .ctx = d};
	const struct fw_ct_netlink_callbacks callbacks = {
	    .dump_row = on_dump_row, .dump_done = on_dump_done, .ctx = d};
	struct fw_ct_netlink *ct;
	char error[256];
	int waited = 0, ipv4, ipv6;

	d->tracker = fw_tracker_new(&config->sessions.policy, &hooks);
	if (!d->tracker) {
		snprintf(d->error, sizeof(d->error), "out of memory");
		return -1;
	}
	if (config->resolvers.tracking) {
		const struct fw_resolver_hooks resolver_hooks = {.pair_added = on_pair_added,
		                                                 .ctx = d};
		const struct fw_resolver_settings settings = {
		    .policy = config->resolvers.policy,
		    .phone_networks = config->sessions.policy.phone_networks,
		    .phone_network_count = config->sessions.policy.phone_network_count,
		};

		d->resolvers = fw_resolver_tracker_new(&settings, &resolver_hooks);
		if (!d->resolvers) {
			snprintf(d->error, sizeof(d->error), "out of memory");
			return -1;
		}
	}
	ct = fw_ct_netlink_open(&callbacks, 0, error, sizeof(error));
	if (!ct) {
		snprintf(d->error, sizeof(d->error), "cannot dump conntrack: %s%s", error,
		         errno == EPERM ? " (needs CAP_NET_ADMIN: run as root)" : "");
		return -1;
	}
	fw_clock_now(&d->now);
	fw_tracker_resync_begin(d->tracker);
	fw_session_policy_families(&config->sessions.policy, &ipv4, &ipv6);
	if (d->resolvers)
		/* the phones' DNS: any family their networks allow (all without networks) */
		ipv4 = ipv6 = 1;
	if (fw_ct_netlink_start_dump(ct, config->sessions.policy.sip_ports,
	                             config->sessions.policy.sip_port_count, d->resolvers != NULL,
	                             ipv4, ipv6, error, sizeof(error)) < 0) {
		snprintf(d->error, sizeof(d->error), "cannot dump conntrack: %s", error);
		fw_ct_netlink_close(ct);
		return -1;
	}
	while (!d->done && waited < DUMP_TIMEOUT_MS) {
		struct pollfd pfd = {.fd = fw_ct_netlink_dump_fd(ct), .events = POLLIN};

		if (poll(&pfd, 1, 100) == 0) {
			waited += 100;
			continue;
		}
		fw_ct_netlink_process_dump(ct, 4096);
	}
	fw_ct_netlink_close(ct);
	if (!d->done)
		snprintf(d->error, sizeof(d->error), "conntrack dump: no answer within %d s",
		         DUMP_TIMEOUT_MS / 1000);
	else if (d->out_of_memory)
		snprintf(d->error, sizeof(d->error), "out of memory listing the sessions");
	return d->done && d->ok && !d->out_of_memory ? 0 : -1;
}

int fwstate_check(const struct fw_config *config, int json)
{
	struct fw_timeout_collector collector;
	struct fw_timeout_list rows = {0};
	struct fw_check_report report = {0};
	struct session_dump sessions = {0};
	struct fw_check_input in = {0};
	int status;

	fw_log_set_sink(quiet);
	fw_timeout_collector_init(&collector);
	/* a source whose module is not loaded is not asked: that would load it */
	fw_collect_timeouts(&collector, NULL, &rows);
	for (int s = FW_SOURCE_SYSCTL; s <= FW_SOURCE_NFT; s++)
		in.in_use[s] = !collector.status[s].not_in_use;

	in.threshold = config->policy.threshold;
	in.policy = &config->policy;
	in.timeouts = &rows;
	in.read = &collector;
	in.sysctls.events = netfilter_sysctl("nf_conntrack_events");
	in.sysctls.acct = netfilter_sysctl("nf_conntrack_acct");
	in.sysctls.timestamp = netfilter_sysctl("nf_conntrack_timestamp");
	in.sysctls.count = netfilter_sysctl("nf_conntrack_count");
	in.sysctls.max = netfilter_sysctl("nf_conntrack_max");
	in.sip_ports = config->sessions.policy.sip_ports;
	in.sip_port_count = config->sessions.policy.sip_port_count;
	if (config->sessions.tracking && collector.status[FW_SOURCE_SYSCTL].ok) {
		in.sessions_checked = dump_sessions(config, &sessions) == 0;
		in.sessions_error = in.sessions_checked ? NULL : sessions.error;
		in.sessions = sessions.list;
		in.session_count = sessions.count;
		in.resolvers_checked = in.sessions_checked && sessions.resolvers;
		in.resolver_pairs = sessions.pairs;
		in.resolver_pair_count = sessions.pair_count;
	}
	fw_clock_now(&in.now);

	if (fw_check_run(&in, &report) < 0) {
		fprintf(stderr, "fwstate-agent --check: out of memory\n");
		status = 2;
	} else {
		if (json)
			fw_check_print_json(stdout, &report, in.threshold);
		else
			fw_check_print_text(stdout, &report, in.threshold);
		status = fw_check_exit_status(&report);
	}
	fw_check_report_free(&report);
	free(sessions.list);
	free(sessions.pairs);
	fw_tracker_free(sessions.tracker);
	fw_resolver_tracker_free(sessions.resolvers);
	fw_timeout_list_free(&rows);
	return status;
}

int fwstate_check_not_configured(unsigned problems, int json)
{
	if (json)
		printf("{\"result\":\"unchecked\",\"exit_status\":2,\"error\":\"%u configuration "
		       "problem(s): see standard error\",\"findings\":[]}\n",
		       problems);
	else
		printf("UNCHECKED configuration: %u problem(s), reported above; nothing checked\n"
		       "result: unchecked: fix the configuration first\n",
		       problems);
	return 2;
}
