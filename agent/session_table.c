/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fwStateSessionTable: one row per live SIP-TLS conntrack, indexed like tcpConnectionTable. */
#include <netinet/in.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <string.h>

#include "mib_encode.h"
#include "oids.h"
#include "session_monitor.h"
#include "session_tables.h"
#include "table_util.h"

enum {
	COLUMN_TRANSLATED_ADDRESS = 7,
	COLUMN_TRANSLATED_PORT = 8,
	COLUMN_TCP_STATE = 9,
	COLUMN_REMAINING_TIMEOUT = 10,
	COLUMN_EFFECTIVE_TIMEOUT = 11,
	COLUMN_TIMEOUT_STATUS = 12,
	COLUMN_START_TIME = 13,
	COLUMN_AGE = 14,
	COLUMN_PACKETS_FROM_PHONE = 15,
	COLUMN_BYTES_FROM_PHONE = 16,
	COLUMN_PACKETS_FROM_SERVER = 17,
	COLUMN_BYTES_FROM_SERVER = 18,
	COLUMN_ACCOUNTING = 19,
	COLUMN_MARK = 20,
	COLUMN_CONNTRACK_ID = 21,
};

/* type, 1+16, port, 1+16, port, zone */
#define SESSION_INDEX_MAX 38

struct session_entry {
	netsnmp_index index; /* first: the container orders on it */
	oid index_oid[SESSION_INDEX_MAX];
	const struct fw_session *session;
};

static netsnmp_container *session_rows;
static netsnmp_handler_registration *session_registration;

static uint32_t remaining_now(const struct fw_session *session, const struct fw_clock *now)
{
	uint64_t elapsed_s = now->mono_ms > session->observed_mono_ms
	                         ? (now->mono_ms - session->observed_mono_ms) / 1000
	                         : 0;

	return elapsed_s >= session->remaining ? 0 : session->remaining - (uint32_t)elapsed_s;
}

/*
 * ok(1), belowThreshold(2), unknown(3): only an established session's armed
 * timeout counts. A value from dumps alone is a lower bound: it proves ok, but
 * below the threshold it proves nothing.
 */
static long timeout_status(const struct fw_session *session, uint32_t threshold)
{
	if (session->tcp_state != TCP_CONNTRACK_ESTABLISHED || session->effective_timeout == 0)
		return 3;
	if (session->effective_timeout >= threshold)
		return 1;
	return session->effective_exact ? 2 : 3;
}

static void set_column(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *request,
                       const void *row, unsigned column)
{
	const struct fw_session *s = ((const struct session_entry *)row)->session;
	netsnmp_variable_list *var = request->requestvb;
	struct fw_clock clock;
	const struct fw_clock *now = &clock;

	session_monitor_now(&clock);
	switch (column) {
	case COLUMN_TRANSLATED_ADDRESS:
		fwstate_set_inet_address(var, s->reply.family, s->reply.dst);
		break;
	case COLUMN_TRANSLATED_PORT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, s->reply.dport);
		break;
	case COLUMN_TCP_STATE:
		snmp_set_var_typed_integer(var, ASN_INTEGER, s->tcp_state);
		break;
	case COLUMN_REMAINING_TIMEOUT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, remaining_now(s, now));
		break;
	case COLUMN_EFFECTIVE_TIMEOUT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, s->effective_timeout);
		break;
	case COLUMN_TIMEOUT_STATUS:
		snmp_set_var_typed_integer(var, ASN_INTEGER,
		                           timeout_status(s, session_monitor_view()->threshold));
		break;
	case COLUMN_START_TIME:
		fwstate_set_date_and_time(var, s->start);
		break;
	case COLUMN_AGE:
		snmp_set_var_typed_integer(
		    var, ASN_UNSIGNED, now->wall > s->start ? (u_long)(now->wall - s->start) : 0);
		break;
	case COLUMN_PACKETS_FROM_PHONE:
		fwstate_set_counter64(var, s->orig_packets);
		break;
	case COLUMN_BYTES_FROM_PHONE:
		fwstate_set_counter64(var, s->orig_bytes);
		break;
	case COLUMN_PACKETS_FROM_SERVER:
		fwstate_set_counter64(var, s->reply_packets);
		break;
	case COLUMN_BYTES_FROM_SERVER:
		fwstate_set_counter64(var, s->reply_bytes);
		break;
	case COLUMN_ACCOUNTING:
		fwstate_set_truth_value(var, s->has_counters);
		break;
	case COLUMN_MARK:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, s->mark);
		break;
	case COLUMN_CONNTRACK_ID:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, s->ct_id);
		break;
	default:
		netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHOBJECT);
	}
}

int session_table_register(void)
{
	oid name[MAX_OID_LEN];
	size_t len = FWSTATE_OID(name, FWSTATE_SESSIONS, FWSTATE_SESSION_TABLE);

	session_rows = netsnmp_container_find("fwStateSessionTable:table_container");
	session_registration = fwstate_register_table(
	    "fwStateSessionTable", set_column, name, len, session_rows, COLUMN_TRANSLATED_ADDRESS,
	    COLUMN_CONNTRACK_ID, ASN_INTEGER, ASN_OCTET_STR, ASN_UNSIGNED, ASN_OCTET_STR,
	    ASN_UNSIGNED, ASN_UNSIGNED, 0);
	return session_registration ? 0 : -1;
}

static void encode_key(const struct fw_session *session, struct session_entry *entry)
{
	fw_subid index[SESSION_INDEX_MAX];
	size_t len = fw_session_index_encode(session, index, SESSION_INDEX_MAX);

	for (size_t i = 0; i < len; i++)
		entry->index_oid[i] = index[i];
	entry->index.oids = entry->index_oid;
	entry->index.len = len;
}

int session_table_add(struct fw_session *session)
{
	struct session_entry *entry;

	if (!session_rows)
		return -1;
	entry = SNMP_MALLOC_TYPEDEF(struct session_entry);
	if (!entry)
		goto fail;
	encode_key(session, entry);
	entry->session = session;
	if (entry->index.len == 0 || CONTAINER_INSERT(session_rows, entry) != 0)
		goto fail;
	return 0;
fail:
	snmp_log(LOG_ERR, "fwStateSessionTable: cannot add a session\n");
	free(entry);
	return -1;
}

void session_table_remove(const struct fw_session *session)
{
	struct session_entry key, *entry;

	if (!session_rows)
		return;
	encode_key(session, &key);
	entry = key.index.len ? CONTAINER_FIND(session_rows, &key) : NULL;
	if (entry && entry->session == session) {
		CONTAINER_REMOVE(session_rows, entry);
		free(entry);
	}
}

static void free_entry(void *data, void *context)
{
	(void)context;
	free(data);
}

void session_table_unregister(void)
{
	if (session_rows)
		CONTAINER_CLEAR(session_rows, free_entry, NULL);
	if (session_registration)
		netsnmp_container_table_unregister(session_registration);
	session_registration = NULL;
	session_rows = NULL;
}
