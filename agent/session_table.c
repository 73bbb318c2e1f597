/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fwStateSessionTable: one row per live SIP-TLS conntrack, indexed like tcpConnectionTable. */
#include "../collectors/session_status.h"
#include "mib_encode.h"
#include "oids.h"
#include "session_tables.h"
#include "table_util.h"

/* type, 1+16, port, type, 1+16, port, zone */
#define SESSION_INDEX_MAX 39

struct session_entry {
	netsnmp_index index; /* first: the container orders on it */
	oid index_oid[SESSION_INDEX_MAX];
	const struct fw_session *session;
};

static int session_column(netsnmp_variable_list *var, const void *context, void *entry,
                          unsigned column)
{
	const struct session_monitor_view *view = context;
	const struct fw_session *s = ((const struct session_entry *)entry)->session;
	struct fw_clock now;

	fw_clock_now(&now);
	switch (column) {
	case SESSION_NAT_ADDRESS_TYPE:
		snmp_set_var_typed_integer(var, ASN_INTEGER, fw_inet_address_type(s->reply.family));
		break;
	case SESSION_NAT_ADDRESS:
		fwstate_set_inet_address(var, s->reply.family, s->reply.dst);
		break;
	case SESSION_NAT_PORT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, s->reply.dport);
		break;
	case SESSION_TCP_STATE:
		snmp_set_var_typed_integer(var, ASN_INTEGER, s->tcp_state);
		break;
	case SESSION_REMAINING_TIMEOUT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, fw_session_remaining(s, &now));
		break;
	case SESSION_EFFECTIVE_TIMEOUT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, s->effective_timeout);
		break;
	case SESSION_TIMEOUT_STATUS:
		snmp_set_var_typed_integer(var, ASN_INTEGER,
		                           fw_session_timeout_status(s, view->threshold));
		break;
	case SESSION_START_TIME:
		fwstate_set_date_and_time(var, s->start);
		break;
	case SESSION_AGE:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, fw_session_age(s, &now));
		break;
	case SESSION_PACKETS_FROM_PHONE:
		fwstate_set_counter64(var, s->orig_packets);
		break;
	case SESSION_BYTES_FROM_PHONE:
		fwstate_set_counter64(var, s->orig_bytes);
		break;
	case SESSION_PACKETS_FROM_SERVER:
		fwstate_set_counter64(var, s->reply_packets);
		break;
	case SESSION_BYTES_FROM_SERVER:
		fwstate_set_counter64(var, s->reply_bytes);
		break;
	case SESSION_ACCOUNTING:
		fwstate_set_truth_value(var, s->has_counters);
		break;
	case SESSION_MARK:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, s->mark);
		break;
	case SESSION_CONNTRACK_ID:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, s->ct_id);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static struct fwstate_table sessions = {.name = "fwStateSessionTable", .column = session_column};

int session_table_register(const struct session_monitor_view *view)
{
	oid name[MAX_OID_LEN];
	size_t len = FWSTATE_OID(name, FWSTATE_SESSIONS, FWSTATE_SESSION_TABLE);

	sessions.context = view;
	return fwstate_table_register(
	    &sessions, name, len, SESSION_NAT_ADDRESS_TYPE, SESSION_CONNTRACK_ID, ASN_INTEGER,
	    ASN_OCTET_STR, ASN_UNSIGNED, ASN_INTEGER, ASN_OCTET_STR, ASN_UNSIGNED, ASN_UNSIGNED, 0);
}

/* Fills entry's index from the session; returns its length, 0 if it cannot be encoded. */
static size_t encode_key(const struct fw_session *session, struct session_entry *entry)
{
	fw_subid index[SESSION_INDEX_MAX];
	size_t len = fw_session_index_encode(session, index, SESSION_INDEX_MAX);

	for (size_t i = 0; i < len; i++)
		entry->index_oid[i] = index[i];
	entry->index.oids = entry->index_oid;
	entry->index.len = len;
	entry->session = session;
	return len;
}

int session_table_add(const struct fw_session *session)
{
	struct session_entry *entry = SNMP_MALLOC_TYPEDEF(struct session_entry);

	if (entry && encode_key(session, entry) == 0) {
		free(entry);
		entry = NULL;
	}
	return fwstate_table_insert(&sessions, entry);
}

void session_table_remove(const struct fw_session *session)
{
	struct session_entry key;
	const struct session_entry *entry;

	if (encode_key(session, &key) == 0)
		return;
	entry = fwstate_table_find(&sessions, key.index.oids, key.index.len);
	/* a different session may hold the tuple already */
	if (entry && entry->session == session)
		fwstate_table_remove(&sessions, key.index.oids, key.index.len);
}

int session_table_varbinds(netsnmp_variable_list **vars, const struct fw_session *session,
                           const unsigned *columns, size_t count)
{
	struct session_entry entry;

	if (encode_key(session, &entry) == 0)
		return -1;
	return fwstate_table_varbinds(vars, &sessions, &entry, columns, count);
}

void session_table_unregister(void)
{
	fwstate_table_unregister(&sessions);
}
