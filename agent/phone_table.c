/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fwStatePhoneTable: one row per phone address seen with a SIP-TLS session. */
#include "../collectors/session_status.h"
#include "mib_encode.h"
#include "oids.h"
#include "session_tables.h"
#include "table_util.h"

#define PHONE_INDEX_MAX 18 /* type, 1+16 */

struct phone_entry {
	netsnmp_index index; /* first: the container orders on it */
	oid index_oid[PHONE_INDEX_MAX];
	const struct fw_phone *phone;
	struct fw_timestamp created; /* fwStatePhoneCreationTime, stable once computed */
};

static int phone_column(netsnmp_variable_list *var, const void *context, void *entry,
                        unsigned column)
{
	struct phone_entry *e = entry;
	const struct fw_phone *p = e->phone;

	(void)context;
	if (column >= PHONE_FIRST_CAUSE && column <= PHONE_LAST_CAUSE) {
		snmp_set_var_typed_integer(
		    var, ASN_COUNTER, p->teardowns[column - PHONE_FIRST_CAUSE + FW_CAUSE_RESET]);
		return 0;
	}
	switch (column) {
	case PHONE_SESSIONS:
		snmp_set_var_typed_integer(var, ASN_GAUGE, p->sessions_now);
		break;
	case PHONE_SERVER_ADDRESS_TYPE:
		snmp_set_var_typed_integer(var, ASN_INTEGER,
		                           p->has_server ? fw_inet_address_type(p->family) : 0);
		break;
	case PHONE_SERVER_ADDRESS:
		fwstate_set_inet_address(var, p->has_server ? p->family : 0, p->server_addr);
		break;
	case PHONE_SERVER_PORT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, p->has_server ? p->server_port : 0);
		break;
	case PHONE_SESSIONS_SEEN:
		snmp_set_var_typed_integer(var, ASN_COUNTER, p->sessions_seen);
		break;
	case PHONE_TEARDOWNS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, fw_phone_teardowns(p));
		break;
	case PHONE_LAST_TEARDOWN_TIME:
		fwstate_set_date_and_time(var, p->last_teardown);
		break;
	case PHONE_LAST_TEARDOWN_CAUSE:
		snmp_set_var_typed_integer(var, ASN_INTEGER, p->last_teardown ? p->last_cause : 0);
		break;
	case PHONE_RECONNECTS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, p->reconnects);
		break;
	case PHONE_UNACKED_TIMEOUTS:
		snmp_set_var_typed_integer(var, ASN_COUNTER,
		                           p->teardowns[FW_CAUSE_UNACKED_TIMEOUT]);
		break;
	case PHONE_SERVER_CHANGES:
		snmp_set_var_typed_integer(var, ASN_COUNTER, p->server_changes);
		break;
	case PHONE_CREATION_TIME:
		fwstate_set_timestamp(var, &e->created);
		break;
	case PHONE_SERVER_FLAPPING:
		fwstate_set_truth_value(var, p->flap && p->flap->flapping);
		break;
	case PHONE_SERVER_FLAPS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, p->flap ? p->flap->episodes : 0);
		break;
	case PHONE_PREV_SERVER_ADDRESS_TYPE:
		snmp_set_var_typed_integer(
		    var, ASN_INTEGER, p->flap ? fw_inet_address_type(p->flap->prev_family) : 0);
		break;
	case PHONE_PREV_SERVER_ADDRESS:
		fwstate_set_inet_address(var, p->flap ? p->flap->prev_family : 0,
		                         p->flap ? p->flap->prev_addr : p->addr);
		break;
	case PHONE_PREV_SERVER_PORT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, p->flap ? p->flap->prev_port : 0);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static struct fwstate_table phones = {.name = "fwStatePhoneTable", .column = phone_column};

int phone_table_register(void)
{
	oid name[MAX_OID_LEN];
	size_t len = FWSTATE_OID(name, FWSTATE_SESSIONS, FWSTATE_PHONE_TABLE);

	return fwstate_table_register(&phones, name, len, PHONE_SESSIONS, PHONE_PREV_SERVER_PORT,
	                              ASN_INTEGER, ASN_OCTET_STR, 0);
}

/* Fills entry's index from the phone; returns its length, 0 if it cannot be encoded. */
static size_t encode_key(const struct fw_phone *phone, struct phone_entry *entry)
{
	fw_subid index[PHONE_INDEX_MAX];
	size_t len = fw_phone_index_encode(phone, index, PHONE_INDEX_MAX);

	for (size_t i = 0; i < len; i++)
		entry->index_oid[i] = index[i];
	entry->index.oids = entry->index_oid;
	entry->index.len = len;
	entry->phone = phone;
	return len;
}

int phone_table_add(const struct fw_phone *phone)
{
	struct phone_entry *entry = SNMP_MALLOC_TYPEDEF(struct phone_entry);

	if (entry && encode_key(phone, entry) == 0) {
		free(entry);
		entry = NULL;
	}
	if (entry)
		fw_timestamp_init(&entry->created, phone->created_mono_ms);
	return fwstate_table_insert(&phones, entry);
}

void phone_table_remove(const struct fw_phone *phone)
{
	struct phone_entry key;
	const struct phone_entry *entry;

	if (encode_key(phone, &key) == 0)
		return;
	entry = fwstate_table_find(&phones, key.index.oids, key.index.len);
	if (entry && entry->phone == phone)
		fwstate_table_remove(&phones, key.index.oids, key.index.len);
}

int phone_table_varbinds(netsnmp_variable_list **vars, const struct fw_phone *phone,
                         const unsigned *columns, size_t count)
{
	struct phone_entry entry;

	if (encode_key(phone, &entry) == 0)
		return -1;
	return fwstate_table_varbinds(vars, &phones, &entry, columns, count);
}

void phone_table_unregister(void)
{
	fwstate_table_unregister(&phones);
}
