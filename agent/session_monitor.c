/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "session_monitor.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "../collectors/clock.h"
#include "../collectors/ct_netlink.h"
#include "../collectors/resync_sequencer.h"
#include "../collectors/sysctl_value.h"
#include "notify.h"
#include "resolver_tables.h"
#include "session_tables.h"

/* A dump normally ends within a second per million conntracks. */
#define DUMP_STUCK_MS 60000

static struct {
	struct fw_ct_netlink *ct;
	struct fw_tracker *tracker;
	struct fw_session_settings settings;
	struct fw_resolver_tracker *resolvers; /* NULL unless resolverTracking */
	struct fw_resolver_settings resolver_settings;
	unsigned reconcile_timer;
	unsigned flap_timer;         /* ends geo-routing flap episodes on time */
	struct fw_resync_seq resync; /* when resyncs start and end */
	unsigned resyncs_done;
	int event_filter_tried;
	char event_filter_text[160]; /* what the filter passes, as logged last */
	uint32_t shortened_timeout;  /* from the last timeout poll; 0: the kernel default */
	struct session_monitor_view view;
} monitor = {.view = {.conntrack_events_setting = -1, .dump_status = SESSION_DUMP_NOT_TRACKING}};

/* "192.0.2.10:40000" or "[2001:db8::10]:40000" */
static const char *endpoint(uint8_t family, const uint8_t *addr, uint16_t port, char *buf,
                            size_t len)
{
	char text[INET6_ADDRSTRLEN] = "?";

	inet_ntop(family, addr, text, sizeof(text));
	snprintf(buf, len, family == AF_INET6 ? "[%s]:%u" : "%s:%u", text, port);
	return buf;
}

/* --- tracker hooks --- */

static void on_session_added(struct fw_session *session, void *ctx)
{
	(void)ctx;
	session_table_add(session);
}

static void on_session_removed(struct fw_session *session, void *ctx)
{
	(void)ctx;
	session_table_remove(session);
}

static void on_phone_added(struct fw_phone *phone, void *ctx)
{
	(void)ctx;
	phone_table_add(phone);
}

static void on_phone_removed(struct fw_phone *phone, void *ctx)
{
	(void)ctx;
	phone_table_remove(phone);
}

static void on_teardown(const struct fw_teardown *t, void *ctx)
{
	char phone[64], server[64];

	(void)ctx;
	teardown_table_add(t);
	if (!notify_session_torn_down(t))
		return;
	snmp_log(LOG_NOTICE, "session %s -> %s torn down after %u s in %s: %s\n",
	         endpoint(t->family, t->phone_addr, t->phone_port, phone, sizeof(phone)),
	         endpoint(t->family, t->server_addr, t->server_port, server, sizeof(server)),
	         t->duration, fw_tcp_state_label(t->last_state), fw_teardown_cause_name(t->cause));
}

static void on_server_flap(const struct fw_phone *p, int flapping, void *ctx)
{
	char phone[INET6_ADDRSTRLEN] = "?", now_at[INET6_ADDRSTRLEN + 8],
	     before[INET6_ADDRSTRLEN + 8];

	(void)ctx;
	inet_ntop(p->family, p->addr, phone, sizeof(phone));
	endpoint(p->family, p->server_addr, p->server_port, now_at, sizeof(now_at));
	if (flapping) {
		endpoint(p->flap->prev_family, p->flap->prev_addr, p->flap->prev_port, before,
		         sizeof(before));
		snmp_log(
		    LOG_WARNING,
		    "phone %s flaps between servers: more than %u changes within %u s, now %s, "
		    "before %s (check the DNS resolver the phones use)\n",
		    phone, monitor.settings.policy.flap.threshold,
		    monitor.settings.policy.flap.window_s, now_at, before);
		notify_phone_server_flap_started(p);
	} else {
		snmp_log(LOG_NOTICE,
		         "phone %s stayed with server %s for %u s: no longer flapping\n", phone,
		         now_at, monitor.settings.policy.flap.window_s);
		notify_phone_server_flap_ended(p);
	}
}

static void on_teardown_expired(const struct fw_teardown *t, void *ctx)
{
	(void)ctx;
	teardown_table_remove(t->index);
}

static void on_timeout_below(const struct fw_session *s, uint32_t threshold, void *ctx)
{
	char phone[64], server[64];

	(void)ctx;
	if (!notify_session_timeout_too_low(s, threshold))
		return;
	snmp_log(LOG_WARNING,
	         "session %s -> %s: conntrack keeps it only %u s idle, below the threshold of "
	         "%u s\n",
	         endpoint(s->orig.family, s->orig.src, s->orig.sport, phone, sizeof(phone)),
	         endpoint(s->orig.family, s->orig.dst, s->orig.dport, server, sizeof(server)),
	         s->effective_timeout, threshold);
}

/* --- resync: filtered dumps merged into the tracker --- */

/* Each reconcile retries a failed dump: say so once per failure, and once when it works again. */
static void dump_failed(int err, const char *error)
{
	int refused = err == EPERM || err == EACCES;

	if (strcmp(monitor.view.dump_error, error) != 0) {
		if (refused)
			snmp_log(LOG_ERR,
			         "conntrack dump refused by the kernel: %s; sessions that exist "
			         "already, or whose events are lost, stay unknown; retrying every "
			         "%u s\n",
			         error, monitor.settings.reconcile_interval);
		else
			snmp_log(LOG_ERR, "conntrack dump failed: %s; retrying every %u s\n", error,
			         monitor.settings.reconcile_interval);
	}
	snprintf(monitor.view.dump_error, sizeof(monitor.view.dump_error), "%s", error);
	monitor.view.dump_status = refused ? SESSION_DUMP_NOT_PERMITTED : SESSION_DUMP_FAILED;
}

/* The families the kernel walks and passes: the sessions', and the phones' DNS. */
static void wanted_families(int *ipv4, int *ipv6)
{
	fw_session_policy_families(&monitor.settings.policy, ipv4, ipv6);
	if (!monitor.resolvers)
		return;
	if (monitor.settings.policy.phone_network_count == 0) {
		*ipv4 = *ipv6 = 1;
		return;
	}
	for (size_t i = 0; i < monitor.settings.policy.phone_network_count; i++) {
		if (monitor.settings.policy.phone_networks[i].family == AF_INET)
			*ipv4 = 1;
		else
			*ipv6 = 1;
	}
}

static void start_resync(enum fw_resync_kind kind)
{
	struct fw_clock now;
	char error[256];
	int ipv4, ipv6;

	if (!monitor.ct)
		return;
	fw_clock_now(&now);
	wanted_families(&ipv4, &ipv6);
	if (fw_ct_netlink_start_dump(monitor.ct, monitor.settings.policy.sip_ports,
	                             monitor.settings.policy.sip_port_count,
	                             monitor.resolvers != NULL, ipv4, ipv6, error,
	                             sizeof(error)) < 0) {
		dump_failed(errno, error);
		return;
	}
	fw_tracker_resync_begin(monitor.tracker);
	if (monitor.resolvers)
		fw_resolver_tracker_resync_begin(monitor.resolvers);
	fw_resync_started(&monitor.resync, kind, now.mono_ms);
}

/* The periodic reconcile, unless an overrun resync is due or a dump runs (and is not stuck). */
static void reconcile(void)
{
	struct fw_clock now;
	unsigned todo;

	fw_clock_now(&now);
	todo = fw_resync_reconcile_due(&monitor.resync, now.mono_ms, DUMP_STUCK_MS);
	if (todo & FW_RESYNC_DO_RESTART)
		snmp_log(LOG_WARNING, "conntrack dump unfinished after %u s; starting it again\n",
		         DUMP_STUCK_MS / 1000);
	if (todo & FW_RESYNC_DO_START)
		start_resync(monitor.resync.next_kind);
}

static void on_event(const struct fw_ct_event *ev, void *ctx)
{
	struct fw_clock now;

	(void)ctx;
	fw_clock_now(&now);
	fw_tracker_event(monitor.tracker, ev, &now);
	if (monitor.resolvers)
		fw_resolver_tracker_event(monitor.resolvers, ev, &now);
}

static void on_overrun(void *ctx)
{
	(void)ctx;
	if (monitor.view.overruns++ == 0)
		snmp_log(LOG_WARNING, "conntrack events were lost (receive buffer full); "
		                      "resynchronising by dump (raise conntrackReceiveBuffer)\n");
	/* the resync waits for the queue to be read empty (resync_sequencer.h) */
	fw_resync_overrun(&monitor.resync);
}

static void on_dump_row(const struct fw_ct_event *row, void *ctx)
{
	struct fw_clock now;

	(void)ctx;
	fw_clock_now(&now);
	fw_tracker_resync_row(monitor.tracker, row, &now);
	if (monitor.resolvers)
		fw_resolver_tracker_resync_row(monitor.resolvers, row, &now);
}

static void on_dump_done(int ok, int err, const char *error, void *ctx)
{
	(void)ctx;
	monitor.view.kernel_filter = fw_ct_netlink_kernel_filter(monitor.ct);
	if (!(fw_resync_dump_done(&monitor.resync, ok) & FW_RESYNC_DO_SEND_MARKER)) {
		dump_failed(err, error ? error : "unknown error");
		return;
	}
	if (monitor.view.dump_error[0]) {
		snmp_log(LOG_NOTICE, "conntrack dumps work again\n");
		monitor.view.dump_error[0] = '\0';
	}
	monitor.view.dump_status = SESSION_DUMP_OK;
	/* the marker behind the queued events says when they are read; so does an empty queue */
	fw_resync_marker_queued(&monitor.resync, fw_ct_netlink_send_marker(monitor.ct) == 0);
}

/*
 * One line for a resync worth knowing of: the first (what the agent found),
 * one after lost events, and a reconcile that changed something.
 */
static void log_resync(const struct fw_clock *now)
{
	const struct fw_resync_summary *r = fw_tracker_resync_summary(monitor.tracker);
	unsigned long ms = (unsigned long)(now->mono_ms - monitor.resync.started_ms);

	if (monitor.resyncs_done++ == 0)
		snmp_log(LOG_INFO, "start-up dump: %zu SIP-TLS session(s), %lu ms\n", r->rows, ms);
	else if (monitor.resync.kind == FW_RESYNC_AFTER_OVERRUN)
		snmp_log(
		    LOG_WARNING,
		    "resync after lost events: %zu session(s) in the dump, %zu not seen before, "
		    "%zu ended unseen (missed), %lu ms\n",
		    r->rows, r->added, r->ended, ms);
	else if (r->added || r->ended)
		snmp_log(LOG_INFO,
		         "reconcile: %zu session(s) found without an event, %zu ended without one, "
		         "%lu ms\n",
		         r->added, r->ended, ms);
}

static void read_events(void)
{
	struct fw_clock now;
	unsigned todo;
	int drained;

	/* the event socket was full when the dump ended: try again after reading some */
	if (fw_resync_before_read(&monitor.resync) & FW_RESYNC_DO_SEND_MARKER)
		fw_resync_marker_queued(&monitor.resync,
		                        fw_ct_netlink_send_marker(monitor.ct) == 0);
	if (fw_ct_netlink_process_events(monitor.ct, monitor.settings.max_events_per_wakeup) < 0) {
		snmp_log(LOG_ERR, "conntrack event socket error\n");
		return;
	}
	drained = fw_ct_netlink_events_drained(monitor.ct);
	todo =
	    fw_resync_events_read(&monitor.resync, drained, fw_ct_netlink_marker_read(monitor.ct));
	if ((todo & FW_RESYNC_DO_END) && !drained)
		DEBUGMSGTL(("fwstate:resync", "resync ends at its marker, events still queued\n"));
	if (todo & FW_RESYNC_DO_END) {
		fw_clock_now(&now);
		fw_tracker_resync_end(monitor.tracker, monitor.resync.kind, &now);
		if (monitor.resolvers)
			fw_resolver_tracker_resync_end(monitor.resolvers, &now);
		log_resync(&now);
	}
	if (todo & FW_RESYNC_DO_START)
		start_resync(monitor.resync.next_kind);
}

static void on_event_fd(int fd, void *data)
{
	(void)fd;
	(void)data;
	read_events();
}

static void on_dump_fd(int fd, void *data)
{
	(void)fd;
	(void)data;
	fw_ct_netlink_process_dump(monitor.ct, monitor.settings.max_events_per_wakeup);
	/* nothing may arrive on the event socket to finish the resync: look now */
	if (monitor.resync.end_due)
		read_events();
}

static void read_conntrack_events_setting(void)
{
	uint32_t value;
	int32_t setting = -1;

	if (fw_sysctl_read_netfilter_u32("/proc", "nf_conntrack_events", &value) == 0)
		setting = (int32_t)(value > 2 ? 2 : value);
	if (setting == monitor.view.conntrack_events_setting)
		return;
	monitor.view.conntrack_events_setting = setting;
	if (setting == 0)
		snmp_log(LOG_WARNING,
		         "net.netfilter.nf_conntrack_events is 0: no conntrack events; "
		         "teardowns are only found by the reconcile dump every %u s\n",
		         monitor.settings.reconcile_interval);
	else if (setting == 2)
		snmp_log(LOG_WARNING,
		         "net.netfilter.nf_conntrack_events is 2: conntracks created before this "
		         "agent started send no events; their teardowns are found by the "
		         "reconcile dump every %u s and classified from their last state\n",
		         monitor.settings.reconcile_interval);
	else if (setting < 0)
		snmp_log(LOG_WARNING, "net.netfilter.nf_conntrack_events is not readable\n");
}

static void on_reconcile_timer(unsigned reg, void *arg)
{
	struct fw_clock now;

	(void)reg;
	(void)arg;
	read_conntrack_events_setting();
	reconcile();
	fw_clock_now(&now);
	fw_tracker_expire_phones(monitor.tracker, &now);
	if (monitor.resolvers)
		fw_resolver_tracker_expire(monitor.resolvers, &now);
}

static void on_flap_timer(unsigned reg, void *arg)
{
	struct fw_clock now;

	(void)reg;
	(void)arg;
	fw_clock_now(&now);
	fw_tracker_check_flaps(monitor.tracker, &now);
}

static void arm_timers(void)
{
	if (monitor.reconcile_timer)
		snmp_alarm_unregister(monitor.reconcile_timer);
	monitor.reconcile_timer = snmp_alarm_register(monitor.settings.reconcile_interval,
	                                              SA_REPEAT, on_reconcile_timer, NULL);
	if (!monitor.flap_timer)
		monitor.flap_timer = snmp_alarm_register(1, SA_REPEAT, on_flap_timer, NULL);
}

/* "TCP to ports 5061, 5062, IPv4 only": what the event filter passes. */
static void describe_filter(const struct fw_session_policy *policy, int dns, int ipv4, int ipv6,
                            char *buf, size_t len)
{
	size_t used;

	used = (size_t)snprintf(buf, len, "TCP to port%s", policy->sip_port_count > 1 ? "s" : "");
	for (size_t i = 0; i < policy->sip_port_count && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s %u", i ? "," : "",
		                         policy->sip_ports[i]);
	if (dns && used < len)
		used += (size_t)snprintf(buf + used, len - used, "; DNS (UDP and TCP 53, TCP 853)");
	if (used < len && !ipv4 && !ipv6)
		snprintf(buf + used, len - used,
		         ", no address family (the networks exclude each other)");
	else if (used < len && !(ipv4 && ipv6))
		snprintf(buf + used, len - used, ", IPv%d only", ipv4 ? 4 : 6);
}

/*
 * The kernel drops the events of every other conntrack before they reach the
 * socket: foreign churn then neither costs CPU here nor overruns the buffer.
 * Logged when the program or the kernel's answer changes.
 */
static void filter_events(void)
{
	char error[256], described[160];
	int ipv4, ipv6;
	const struct fw_session_policy *policy = &monitor.settings.policy;

	if (!monitor.ct)
		return;
	wanted_families(&ipv4, &ipv6);
	describe_filter(policy, monitor.resolvers != NULL, ipv4, ipv6, described,
	                sizeof(described));
	if (fw_ct_netlink_filter_events(monitor.ct, policy->sip_ports, policy->sip_port_count,
	                                monitor.resolvers != NULL, ipv4, ipv6, error,
	                                sizeof(error)) < 0) {
		if (monitor.view.event_filter || !monitor.event_filter_tried)
			snmp_log(LOG_WARNING,
			         "the kernel refused the conntrack event filter (%s): every "
			         "conntrack event of the firewall reaches the agent, which filters "
			         "them itself\n",
			         error);
		monitor.view.event_filter = 0;
	} else {
		if (!monitor.view.event_filter || strcmp(described, monitor.event_filter_text) != 0)
			snmp_log(LOG_INFO, "conntrack events filtered in the kernel: %s\n",
			         described);
		monitor.view.event_filter = 1;
		snprintf(monitor.event_filter_text, sizeof(monitor.event_filter_text), "%s",
		         described);
	}
	monitor.event_filter_tried = 1;
}

static void apply_settings(const struct fw_config *config)
{
	monitor.settings = config->sessions;
	monitor.settings.policy.threshold = config->policy.threshold;
	monitor.view.threshold = config->policy.threshold;
	monitor.resolver_settings.policy = config->resolvers.policy;
	/* the phones are the same as the sessions' */
	monitor.resolver_settings.phone_networks = monitor.settings.policy.phone_networks;
	monitor.resolver_settings.phone_network_count = monitor.settings.policy.phone_network_count;
	monitor.resolver_settings.retention = monitor.settings.policy.phone_retention;
}

/* --- resolvers: the tables follow the tracker --- */

static void on_resolver_added(const struct fw_resolver *r, void *ctx)
{
	(void)ctx;
	resolver_table_add(r);
}

static void on_resolver_removed(const struct fw_resolver *r, void *ctx)
{
	(void)ctx;
	resolver_table_remove(r);
}

static void on_pair_added(const struct fw_phone_resolver *p, void *ctx)
{
	(void)ctx;
	phone_resolver_table_add(p);
}

static void on_pair_removed(const struct fw_phone_resolver *p, void *ctx)
{
	(void)ctx;
	phone_resolver_table_remove(p);
}

static void on_flagged_use(const struct fw_phone_resolver *p, void *ctx)
{
	char phone[INET6_ADDRSTRLEN] = "?", resolver[INET6_ADDRSTRLEN] = "?";

	(void)ctx;
	if (!notify_phone_flagged_resolver(p))
		return;
	inet_ntop(p->phone_family, p->phone_addr, phone, sizeof(phone));
	inet_ntop(p->resolver->family, p->resolver->addr, resolver, sizeof(resolver));
	snmp_log(
	    LOG_WARNING,
	    "phone %s uses the flagged resolver %s: give the phones the provider's DNS servers "
	    "(DHCP option 6 on their VLAN, or their DNS setting)\n",
	    phone, resolver);
}

static void on_verdict_changed(const struct fw_resolver *r, void *ctx)
{
	static const char *const names[] = {[FW_RESOLVER_ALLOWED] = "allowed",
	                                    [FW_RESOLVER_FLAGGED] = "flagged",
	                                    [FW_RESOLVER_UNKNOWN] = "unknown"};
	char resolver[INET6_ADDRSTRLEN] = "?";

	(void)ctx;
	inet_ntop(r->family, r->addr, resolver, sizeof(resolver));
	snmp_log(LOG_INFO, "resolver %s is now %s\n", resolver, names[r->verdict]);
}

static int start_resolvers(const struct fw_config *config)
{
	static const struct fw_resolver_hooks hooks = {
	    .resolver_added = on_resolver_added,
	    .resolver_removed = on_resolver_removed,
	    .pair_added = on_pair_added,
	    .pair_removed = on_pair_removed,
	    .flagged_use = on_flagged_use,
	    .verdict_changed = on_verdict_changed,
	};

	if (resolver_table_register() < 0 || phone_resolver_table_register() < 0 ||
	    resolver_scalars_register(&monitor.resolvers) < 0)
		return -1;
	if (!monitor.settings.tracking || !config->resolvers.tracking) {
		if (!config->resolvers.tracking)
			snmp_log(LOG_INFO,
			         "the phones' resolvers are not followed (resolverTracking "
			         "no)\n");
		return 0;
	}
	monitor.resolvers = fw_resolver_tracker_new(&monitor.resolver_settings, &hooks);
	if (!monitor.resolvers) {
		snmp_log(LOG_ERR, "out of memory starting resolver tracking\n");
		return -1;
	}
	return 0;
}

int session_monitor_start(const struct fw_config *config)
{
	static const struct fw_tracker_hooks hooks = {
	    .session_added = on_session_added,
	    .session_removed = on_session_removed,
	    .phone_added = on_phone_added,
	    .phone_removed = on_phone_removed,
	    .teardown = on_teardown,
	    .teardown_expired = on_teardown_expired,
	    .timeout_below = on_timeout_below,
	    .server_flap = on_server_flap,
	};
	static const struct fw_ct_netlink_callbacks callbacks = {
	    .event = on_event,
	    .overrun = on_overrun,
	    .dump_row = on_dump_row,
	    .dump_done = on_dump_done,
	};
	char error[256];

	apply_settings(config);
	if (session_table_register(&monitor.view) < 0 || phone_table_register() < 0 ||
	    teardown_table_register() < 0 || session_scalars_register(&monitor.view) < 0 ||
	    start_resolvers(config) < 0)
		return -1;
	read_conntrack_events_setting();
	if (!monitor.settings.tracking) {
		snmp_log(LOG_INFO, "session tracking is off (sessionTracking no)\n");
		return 0;
	}
	monitor.tracker = fw_tracker_new(&monitor.settings.policy, &hooks);
	if (monitor.tracker)
		fw_tracker_set_shortened_timeout(monitor.tracker, monitor.shortened_timeout);
	if (!monitor.tracker) {
		snmp_log(LOG_ERR, "out of memory starting session tracking\n");
		return -1;
	}
	monitor.view.tracker = monitor.tracker;
	/* events first, then the dump, so nothing falls between the two */
	monitor.ct =
	    fw_ct_netlink_open(&callbacks, monitor.settings.receive_buffer, error, sizeof(error));
	if (!monitor.ct) {
		/* the timeouts part still works; say clearly why sessions stay empty */
		snmp_log(LOG_ERR, "session tracking unavailable: %s\n", error);
		return 0;
	}
	filter_events();
	monitor.view.dump_status = SESSION_DUMP_OK;
	register_readfd(fw_ct_netlink_event_fd(monitor.ct), on_event_fd, NULL);
	register_readfd(fw_ct_netlink_dump_fd(monitor.ct), on_dump_fd, NULL);
	monitor.view.kernel_filter = fw_ct_netlink_kernel_filter(monitor.ct);
	start_resync(FW_RESYNC_RECONCILE);
	arm_timers();
	return 0;
}

void session_monitor_timeouts_read(const struct fw_timeout_list *rows)
{
	monitor.shortened_timeout = fw_timeout_list_shortened_tcp(rows);
	if (monitor.tracker)
		fw_tracker_set_shortened_timeout(monitor.tracker, monitor.shortened_timeout);
}

void session_monitor_reconfigure(const struct fw_config *config)
{
	uint32_t old_reconcile = monitor.settings.reconcile_interval;

	apply_settings(config);
	if (monitor.tracker)
		fw_tracker_set_policy(monitor.tracker, &monitor.settings.policy);
	if (monitor.resolvers)
		fw_resolver_tracker_set_settings(monitor.resolvers, &monitor.resolver_settings);
	filter_events();
	if (monitor.ct && monitor.settings.reconcile_interval != old_reconcile)
		arm_timers();
}

void session_monitor_stop(void)
{
	if (monitor.reconcile_timer)
		snmp_alarm_unregister(monitor.reconcile_timer);
	monitor.reconcile_timer = 0;
	if (monitor.flap_timer)
		snmp_alarm_unregister(monitor.flap_timer);
	monitor.flap_timer = 0;
	if (monitor.ct) {
		unregister_readfd(fw_ct_netlink_event_fd(monitor.ct));
		unregister_readfd(fw_ct_netlink_dump_fd(monitor.ct));
		fw_ct_netlink_close(monitor.ct);
		monitor.ct = NULL;
	}
	/* the tables point into the trackers: empty them before they go */
	session_table_unregister();
	phone_table_unregister();
	teardown_table_unregister();
	resolver_table_unregister();
	phone_resolver_table_unregister();
	fw_resolver_tracker_free(monitor.resolvers);
	monitor.resolvers = NULL;
	fw_tracker_free(monitor.tracker);
	monitor.tracker = NULL;
	monitor.view.tracker = NULL;
	monitor.view.dump_status = SESSION_DUMP_NOT_TRACKING;
}
