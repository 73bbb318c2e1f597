/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "notify.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <string.h>

#include "oids.h"
#include "session_tables.h"

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

static int send_notification(netsnmp_variable_list *vars, const char *what)
{
	if (!vars) {
		snmp_log(LOG_ERR, "notify: out of memory building %s\n", what);
		return -1;
	}
	send_v2trap(vars);
	snmp_free_varbind(vars);
	return 0;
}

int notify_timeout_below_threshold(const struct fw_timeout_row *row, uint32_t threshold)
{
	/* fwStateTimeoutBelowThreshold */
	return send_notification(timeout_varbinds(1, row, threshold),
	                         "fwStateTimeoutBelowThreshold");
}

int notify_timeout_cleared(const struct fw_timeout_row *row, uint32_t threshold,
                           enum fw_clear_reason reason)
{
	/* fwStateTimeoutCleared */
	netsnmp_variable_list *vars = timeout_varbinds(2, row, threshold);
	oid name[MAX_OID_LEN];
	size_t len;

	if (vars) {
		/* fwStateNotifyClearReason */
		len = FWSTATE_OID(name, FWSTATE_NOTIFY_OBJECTS, 6);
		if (add_integer(&vars, name, len, reason) < 0) {
			snmp_free_varbind(vars);
			vars = NULL;
		}
	}
	return send_notification(vars, "fwStateTimeoutCleared");
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
	netsnmp_variable_list *vars = start_notification(3);

	if (vars &&
	    teardown_table_varbinds(&vars, t, columns, sizeof(columns) / sizeof(columns[0])) < 0) {
		snmp_free_varbind(vars);
		vars = NULL;
	}
	return send_notification(vars, "fwStateSessionTornDown");
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
	netsnmp_variable_list *vars = start_notification(4);
	oid name[MAX_OID_LEN];
	size_t len;

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
	return send_notification(vars, "fwStateSessionTimeoutTooLow");
}

int notify_session_teardowns_held(const struct fw_storm_summary *summary)
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
	return send_notification(vars, "fwStateSessionTeardownsHeld");
}
