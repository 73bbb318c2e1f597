/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "notify.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <string.h>

#include "mib_encode.h"
#include "oids.h"

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

static int add_value(netsnmp_variable_list **vars, const oid *name, size_t len, u_char type,
                     const void *value, size_t size)
{
	return snmp_varlist_add_variable(vars, name, len, type, value, size) ? 0 : -1;
}

/* Column OID of a table entry with an index appended: root.suffix.table.1.column.index */
static size_t column_instance(oid *name, oid table, oid column, const fw_subid *index,
                              size_t index_len)
{
	size_t len = FWSTATE_OID(name, FWSTATE_SESSIONS, table, 1, column);

	if (len == 0 || len + index_len > MAX_OID_LEN)
		return 0;
	for (size_t i = 0; i < index_len; i++)
		name[len++] = index[i];
	return len;
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
	/* fwStateSessionTornDown */
	netsnmp_variable_list *vars = start_notification(3);
	fw_subid index[1] = {t->index};
	size_t addr_len = fw_inet_address_len(t->family);
	long address_type = fw_inet_address_type(t->family);
	u_long phone_port = t->phone_port, server_port = t->server_port;
	u_long duration = t->duration;
	long cause = t->cause, last_state = t->last_state;
	oid name[MAX_OID_LEN];
	size_t len;
	int failed = !vars;

	/* fwStateTeardownAddressType */
	len = column_instance(name, FWSTATE_TEARDOWN_TABLE, 3, index, 1);
	failed |= add_value(&vars, name, len, ASN_INTEGER, &address_type, sizeof(address_type));
	/* fwStateTeardownPhoneAddress */
	len = column_instance(name, FWSTATE_TEARDOWN_TABLE, 4, index, 1);
	failed |= add_value(&vars, name, len, ASN_OCTET_STR, t->phone_addr, addr_len);
	/* fwStateTeardownPhonePort */
	len = column_instance(name, FWSTATE_TEARDOWN_TABLE, 5, index, 1);
	failed |= add_value(&vars, name, len, ASN_UNSIGNED, &phone_port, sizeof(phone_port));
	/* fwStateTeardownServerAddress */
	len = column_instance(name, FWSTATE_TEARDOWN_TABLE, 6, index, 1);
	failed |= add_value(&vars, name, len, ASN_OCTET_STR, t->server_addr, addr_len);
	/* fwStateTeardownServerPort */
	len = column_instance(name, FWSTATE_TEARDOWN_TABLE, 7, index, 1);
	failed |= add_value(&vars, name, len, ASN_UNSIGNED, &server_port, sizeof(server_port));
	/* fwStateTeardownCause */
	len = column_instance(name, FWSTATE_TEARDOWN_TABLE, 11, index, 1);
	failed |= add_value(&vars, name, len, ASN_INTEGER, &cause, sizeof(cause));
	/* fwStateTeardownDuration */
	len = column_instance(name, FWSTATE_TEARDOWN_TABLE, 9, index, 1);
	failed |= add_value(&vars, name, len, ASN_UNSIGNED, &duration, sizeof(duration));
	/* fwStateTeardownLastState */
	len = column_instance(name, FWSTATE_TEARDOWN_TABLE, 10, index, 1);
	failed |= add_value(&vars, name, len, ASN_INTEGER, &last_state, sizeof(last_state));
	if (failed) {
		snmp_free_varbind(vars);
		vars = NULL;
	}
	return send_notification(vars, "fwStateSessionTornDown");
}

int notify_session_timeout_below_threshold(const struct fw_session *session, uint32_t threshold)
{
	/* fwStateSessionTimeoutBelowThreshold */
	netsnmp_variable_list *vars = start_notification(4);
	fw_subid index[MAX_OID_LEN];
	size_t index_len = fw_session_index_encode(session, index, MAX_OID_LEN - 16);
	u_long translated_port = session->reply.dport;
	u_long effective = session->effective_timeout, limit = threshold;
	oid name[MAX_OID_LEN];
	size_t len;
	int failed = !vars || index_len == 0;

	/* fwStateSessionTranslatedAddress */
	len = column_instance(name, FWSTATE_SESSION_TABLE, 7, index, index_len);
	failed |= add_value(&vars, name, len, ASN_OCTET_STR, session->reply.dst,
	                    fw_inet_address_len(session->reply.family));
	/* fwStateSessionTranslatedPort */
	len = column_instance(name, FWSTATE_SESSION_TABLE, 8, index, index_len);
	failed |=
	    add_value(&vars, name, len, ASN_UNSIGNED, &translated_port, sizeof(translated_port));
	/* fwStateSessionEffectiveTimeout */
	len = column_instance(name, FWSTATE_SESSION_TABLE, 11, index, index_len);
	failed |= add_value(&vars, name, len, ASN_UNSIGNED, &effective, sizeof(effective));
	/* fwStateTimeoutThreshold.0 */
	len = FWSTATE_OID(name, FWSTATE_TIMEOUTS, 1, 0);
	failed |= add_value(&vars, name, len, ASN_UNSIGNED, &limit, sizeof(limit));
	if (failed) {
		snmp_free_varbind(vars);
		vars = NULL;
	}
	return send_notification(vars, "fwStateSessionTimeoutBelowThreshold");
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
	if (failed) {
		snmp_free_varbind(vars);
		vars = NULL;
	}
	return send_notification(vars, "fwStateSessionTeardownsHeld");
}
