/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "notify.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <string.h>

#include "../collectors/clock.h"
#include "../collectors/storm_control.h"
#include "resolver_tables.h"
#include "notify_delivery.h"
#include "oids.h"
#include "session_tables.h"

static struct {
	int timeout_notifications; /* timeoutNotifications */
	int session_notifications; /* sessionNotifications */
	struct fw_storm teardowns; /* storm control of fwStateSessionTornDown */
	struct fw_storm below;     /* of fwStateSessionTimeoutTooLow, same limits */
	struct fw_storm flagged;   /* of fwStatePhoneFlaggedResolver, same limits */
	uint32_t held;             /* fwStateSessionNotificationsHeld */
	unsigned storm_timer;
} notify;

static void apply(const struct fw_config *config)
{
	notify.timeout_notifications = config->timeout_notifications;
	notify.session_notifications = config->sessions.notifications;
	/* a reload keeps what the current window held back, to be summed up as usual */
	fw_storm_set_limits(&notify.teardowns, config->sessions.notify_limit,
	                    config->sessions.notify_interval);
	fw_storm_set_limits(&notify.below, config->sessions.notify_limit,
	                    config->sessions.notify_interval);
	fw_storm_set_limits(&notify.flagged, config->sessions.notify_limit,
	                    config->sessions.notify_interval);
}

/*
 * Storm control bounds the log as well as the notifications: a flush of
 * 10 000 sessions is a handful of lines and one summary, not 10 000 lines.
 */
static int admit(struct fw_storm *storm, enum fw_teardown_cause cause)
{
	struct fw_clock now;

	fw_clock_now(&now);
	if (fw_storm_admit(storm, now.mono_ms, cause))
		return 1;
	if (notify.session_notifications)
		notify.held++;
	return 0;
}

static const oid snmp_trap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

/* Notification-only objects are sent as instance .0 of their OID. */
static int add_integer(netsnmp_variable_list **vars, oid *name, size_t len, long value)
{
	name[len++] = 0;
	return snmp_varlist_add_variable(vars, name, len, ASN_INTEGER, &value, sizeof(value)) ? 0
	                                                                                      : -1;
}

static int add_unsigned(netsnmp_variable_list **vars, oid *name, size_t len, u_long value)
{
	name[len++] = 0;
	return snmp_varlist_add_variable(vars, name, len, ASN_UNSIGNED, &value, sizeof(value)) ? 0
	                                                                                       : -1;
}

static int add_string(netsnmp_variable_list **vars, oid *name, size_t len, const char *value)
{
	name[len++] = 0;
	return snmp_varlist_add_variable(vars, name, len, ASN_OCTET_STR, value, strlen(value)) ? 0
	                                                                                       : -1;
}

/* snmpTrapOID.0 = the notification, then the timeout's identity, value and threshold. */
static netsnmp_variable_list *timeout_varbinds(oid notification, const struct fw_timeout_row *row,
                                               uint32_t threshold)
{
	netsnmp_variable_list *vars = NULL;
	oid name[MAX_OID_LEN];
	size_t len;
	int failed = 0;

	len = FWSTATE_OID(name, FWSTATE_NOTIFICATIONS, notification);
	if (!snmp_varlist_add_variable(&vars, snmp_trap_oid, OID_LENGTH(snmp_trap_oid),
	                               ASN_OBJECT_ID, name, len * sizeof(oid)))
		return NULL;
	/* fwStateNotifySourceKind */
	len = FWSTATE_OID(name, FWSTATE_NOTIFY_OBJECTS, 1);
	failed |= add_integer(&vars, name, len, row->source);
	/* fwStateNotifySourceName */
	len = FWSTATE_OID(name, FWSTATE_NOTIFY_OBJECTS, 2);
	failed |= add_string(&vars, name, len, row->source_name);
	/* fwStateNotifyProtocol */
	len = FWSTATE_OID(name, FWSTATE_NOTIFY_OBJECTS, 3);
	failed |= add_integer(&vars, name, len, row->protocol);
	/* fwStateNotifyState */
	len = FWSTATE_OID(name, FWSTATE_NOTIFY_OBJECTS, 4);
	failed |= add_string(&vars, name, len, row->state);
	/* fwStateNotifyTimeoutValue */
	len = FWSTATE_OID(name, FWSTATE_NOTIFY_OBJECTS, 5);
	failed |= add_unsigned(&vars, name, len, row->seconds);
	/* fwStateTimeoutThreshold.0 */
	len = FWSTATE_OID(name, FWSTATE_TIMEOUTS, 1);
	failed |= add_unsigned(&vars, name, len, threshold);
	if (failed) {
		snmp_free_varbind(vars);
		return NULL;
	}
	return vars;
}

int notify_timeout_below_threshold(const struct fw_timeout_row *row, uint32_t threshold)
{
	if (!notify.timeout_notifications)
		return 0;
	/* fwStateTimeoutBelowThreshold */
	return notify_delivery_enqueue(timeout_varbinds(1, row, threshold),
	                               "fwStateTimeoutBelowThreshold");
}

int notify_timeout_cleared(const struct fw_timeout_row *row, uint32_t threshold,
                           enum fw_clear_reason reason)
{
	netsnmp_variable_list *vars;
	oid name[MAX_OID_LEN];
	size_t len;

	if (!notify.timeout_notifications)
		return 0;
	/* fwStateTimeoutCleared */
	vars = timeout_varbinds(2, row, threshold);
	if (vars) {
		/* fwStateNotifyClearReason */
		len = FWSTATE_OID(name, FWSTATE_NOTIFY_OBJECTS, 6);
		if (add_integer(&vars, name, len, reason) < 0) {
			snmp_free_varbind(vars);
			vars = NULL;
		}
	}
	return notify_delivery_enqueue(vars, "fwStateTimeoutCleared");
}

static netsnmp_variable_list *start_notification(oid notification)
{
	netsnmp_variable_list *vars = NULL;
	oid name[MAX_OID_LEN];
	size_t len = FWSTATE_OID(name, FWSTATE_NOTIFICATIONS, notification);

	snmp_varlist_add_variable(&vars, snmp_trap_oid, OID_LENGTH(snmp_trap_oid), ASN_OBJECT_ID,
	                          name, len * sizeof(oid));
	return vars;
}

int notify_session_torn_down(const struct fw_teardown *t)
{
	/* fwStateSessionTornDown: its OBJECTS, in order; instances are the teardown's index */
	static const unsigned columns[] = {
	    TEARDOWN_PHONE_ADDRESS_TYPE,
	    TEARDOWN_PHONE_ADDRESS,
	    TEARDOWN_PHONE_PORT,
	    TEARDOWN_SERVER_ADDRESS_TYPE,
	    TEARDOWN_SERVER_ADDRESS,
	    TEARDOWN_SERVER_PORT,
	    TEARDOWN_CAUSE,
	    TEARDOWN_DURATION,
	    TEARDOWN_LAST_STATE,
	};
	netsnmp_variable_list *vars;

	if (!admit(&notify.teardowns, t->cause))
		return 0;
	if (!notify.session_notifications)
		return 1;
	vars = start_notification(3);
	if (vars &&
	    teardown_table_varbinds(&vars, t, columns, sizeof(columns) / sizeof(columns[0])) < 0) {
		snmp_free_varbind(vars);
		vars = NULL;
	}
	notify_delivery_enqueue(vars, "fwStateSessionTornDown");
	return 1;
}

int notify_session_timeout_too_low(const struct fw_session *session, uint32_t threshold)
{
	/* fwStateSessionTimeoutTooLow: session columns named by the session's index ... */
	static const unsigned columns[] = {
	    SESSION_NAT_ADDRESS_TYPE,
	    SESSION_NAT_ADDRESS,
	    SESSION_NAT_PORT,
	    SESSION_EFFECTIVE_TIMEOUT,
	};
	netsnmp_variable_list *vars;
	oid name[MAX_OID_LEN];
	size_t len;

	/* a bad policy hits every phone at once: limited like teardowns, the table shows all */
	if (!admit(&notify.below, FW_CAUSE_OTHER))
		return 0;
	if (!notify.session_notifications)
		return 1;
	vars = start_notification(4);
	if (vars && session_table_varbinds(&vars, session, columns,
	                                   sizeof(columns) / sizeof(columns[0])) < 0) {
		snmp_free_varbind(vars);
		vars = NULL;
	}
	/* ... then fwStateTimeoutThreshold.0 */
	len = FWSTATE_OID(name, FWSTATE_TIMEOUTS, 1);
	if (vars && add_unsigned(&vars, name, len, threshold) < 0) {
		snmp_free_varbind(vars);
		vars = NULL;
	}
	notify_delivery_enqueue(vars, "fwStateSessionTimeoutTooLow");
	return 1;
}

/* The phone's columns as the notification's OBJECTS; instances are the phone's index. */
static void notify_phone(oid notification, const char *name, const struct fw_phone *phone,
                         const unsigned *columns, size_t count)
{
	netsnmp_variable_list *vars;

	if (!notify.session_notifications)
		return;
	vars = start_notification(notification);
	if (vars && phone_table_varbinds(&vars, phone, columns, count) < 0) {
		snmp_free_varbind(vars);
		vars = NULL;
	}
	notify_delivery_enqueue(vars, name);
}

void notify_phone_server_flap_started(const struct fw_phone *phone)
{
	static const unsigned columns[] = {
	    PHONE_SERVER_ADDRESS_TYPE,      PHONE_SERVER_ADDRESS,      PHONE_SERVER_PORT,
	    PHONE_PREV_SERVER_ADDRESS_TYPE, PHONE_PREV_SERVER_ADDRESS, PHONE_PREV_SERVER_PORT,
	    PHONE_SERVER_CHANGES,
	};

	notify_phone(6, "fwStatePhoneServerFlapStarted", phone, columns,
	             sizeof(columns) / sizeof(columns[0]));
}

void notify_phone_server_flap_ended(const struct fw_phone *phone)
{
	static const unsigned columns[] = {
	    PHONE_SERVER_ADDRESS_TYPE,
	    PHONE_SERVER_ADDRESS,
	    PHONE_SERVER_PORT,
	    PHONE_SERVER_CHANGES,
	};

	notify_phone(7, "fwStatePhoneServerFlapEnded", phone, columns,
	             sizeof(columns) / sizeof(columns[0]));
}

int notify_phone_flagged_resolver(const struct fw_phone_resolver *pair)
{
	static const unsigned columns[] = {PHONE_RESOLVER_VERDICT, PHONE_RESOLVER_FLOWS};
	netsnmp_variable_list *vars;

	/* a DHCP change moves every phone at once: limited like teardowns, the table shows all */
	if (!admit(&notify.flagged, FW_CAUSE_OTHER))
		return 0;
	if (!notify.session_notifications)
		return 1;
	vars = start_notification(8);
	if (vars && phone_resolver_table_varbinds(&vars, pair, columns,
	                                          sizeof(columns) / sizeof(columns[0])) < 0) {
		snmp_free_varbind(vars);
		vars = NULL;
	}
	notify_delivery_enqueue(vars, "fwStatePhoneFlaggedResolver");
	return 1;
}

static void notify_session_teardowns_held(const struct fw_storm_summary *summary)
{
	/* fwStateSessionTeardownsHeld */
	netsnmp_variable_list *vars = start_notification(5);
	oid name[MAX_OID_LEN];
	size_t len;
	int failed = !vars;

	/* fwStateNotifyHeldTotal */
	len = FWSTATE_OID(name, FWSTATE_NOTIFY_OBJECTS, 7);
	failed |= add_unsigned(&vars, name, len, summary->held_total);
	/* fwStateNotifyHeldResets .. fwStateNotifyHeldOther, in cause order */
	for (int cause = FW_CAUSE_RESET; cause <= FW_CAUSE_OTHER; cause++) {
		len = FWSTATE_OID(name, FWSTATE_NOTIFY_OBJECTS, 7 + cause);
		failed |= add_unsigned(&vars, name, len, summary->held[cause]);
	}
	/* fwStateNotifyHeldInterval */
	len = FWSTATE_OID(name, FWSTATE_NOTIFY_OBJECTS, 15);
	failed |= add_unsigned(&vars, name, len, summary->interval);
	/* fwStateNotifyHeldUnacked, added after the others */
	len = FWSTATE_OID(name, FWSTATE_NOTIFY_OBJECTS, 16);
	failed |= add_unsigned(&vars, name, len, summary->held[FW_CAUSE_UNACKED_TIMEOUT]);
	if (failed) {
		snmp_free_varbind(vars);
		vars = NULL;
	}
	notify_delivery_enqueue(vars, "fwStateSessionTeardownsHeld");
}

/* "12 flushed, 3 reset" */
static const char *causes_text(const struct fw_storm_summary *summary, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int cause = FW_CAUSE_RESET; cause <= FW_CAUSE_COUNT; cause++) {
		int n;

		if (!summary->held[cause])
			continue;
		n = snprintf(buf + used, len - used, "%s%u %s", used ? ", " : "",
		             summary->held[cause], fw_teardown_cause_name(cause));
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

/* Each second: what storm control held back in a window that ended, in the log and a summary. */
static void on_storm_timer(unsigned reg, void *arg)
{
	struct fw_storm_summary summary;
	struct fw_clock now;
	char causes[256];

	(void)reg;
	(void)arg;
	fw_clock_now(&now);
	/* an ended window not flushed in time can wait behind the current one */
	while (fw_storm_flush(&notify.flagged, now.mono_ms, &summary))
		snmp_log(
		    LOG_WARNING,
		    "%u more phone(s) started using a flagged resolver in %u s, not logged one "
		    "by one; see fwStatePhoneResolverTable\n",
		    summary.held_total, summary.interval);
	while (fw_storm_flush(&notify.below, now.mono_ms, &summary))
		snmp_log(LOG_WARNING,
		         "%u more session(s) with an idle timeout below the threshold in %u s, "
		         "not logged one by one; see fwStateSessionTimeoutStatus\n",
		         summary.held_total, summary.interval);
	while (fw_storm_flush(&notify.teardowns, now.mono_ms, &summary)) {
		snmp_log(LOG_WARNING,
		         "%u more teardown(s) in %u s, not logged one by one: %s; see "
		         "fwStateTeardownTable\n",
		         summary.held_total, summary.interval,
		         causes_text(&summary, causes, sizeof(causes)));
		if (notify.session_notifications)
			notify_session_teardowns_held(&summary);
	}
}

int notify_start(const struct fw_config *config, int master_mode)
{
	apply(config);
	notify_delivery_start(config->notify_queue_limit, master_mode);
	notify.storm_timer = snmp_alarm_register(1, SA_REPEAT, on_storm_timer, NULL);
	if (!notify.storm_timer) {
		snmp_log(LOG_ERR, "cannot arm the notification storm control timer\n");
		return -1;
	}
	return 0;
}

void notify_reconfigure(const struct fw_config *config)
{
	apply(config);
	notify_delivery_set_limit(config->notify_queue_limit);
}

uint32_t notify_teardowns_held(void)
{
	return notify.held;
}

void notify_stop(void)
{
	if (notify.storm_timer)
		snmp_alarm_unregister(notify.storm_timer);
	notify.storm_timer = 0;
	notify_delivery_stop();
}
