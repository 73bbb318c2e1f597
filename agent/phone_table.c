/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fwStatePhoneTable: one row per phone address ever seen with a SIP-TLS session. */
#include <string.h>

#include "mib_encode.h"
#include "oids.h"
#include "session_tables.h"
#include "table_util.h"

enum {
	COLUMN_SESSIONS = 3,
	COLUMN_SERVER_ADDRESS_TYPE = 4,
	COLUMN_SERVER_ADDRESS = 5,
	COLUMN_SERVER_PORT = 6,
	COLUMN_SESSIONS_SEEN = 7,
	COLUMN_TEARDOWNS = 8,
	COLUMN_FIRST_CAUSE = 9, /* 9..15: teardowns by cause, reset(1) .. other(7) */
	COLUMN_LAST_CAUSE = 15,
	COLUMN_LAST_TEARDOWN_TIME = 16,
	COLUMN_LAST_TEARDOWN_CAUSE = 17,
	COLUMN_RECONNECTS = 18,
	COLUMN_SERVER_CHANGES = 19,
};

#define PHONE_INDEX_MAX 18 /* type, 1+16 */

struct phone_entry {
	netsnmp_index index; /* first: the container orders on it */
	oid index_oid[PHONE_INDEX_MAX];
	const struct fw_phone *phone;
};

static netsnmp_container *phone_rows;
static netsnmp_handler_registration *phone_registration;

static uint32_t all_teardowns(const struct fw_phone *phone)
{
	uint32_t total = 0;

	for (int cause = FW_CAUSE_RESET; cause <= FW_CAUSE_OTHER; cause++)
		total += phone->teardowns[cause];
	return total;
}

static void set_column(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *request,
                       const void *row, unsigned column)
{
	const struct fw_phone *p = ((const struct phone_entry *)row)->phone;
	netsnmp_variable_list *var = request->requestvb;

	if (column >= COLUMN_FIRST_CAUSE && column <= COLUMN_LAST_CAUSE) {
		snmp_set_var_typed_integer(
		    var, ASN_COUNTER, p->teardowns[column - COLUMN_FIRST_CAUSE + FW_CAUSE_RESET]);
		return;
	}
	switch (column) {
	case COLUMN_SESSIONS:
		snmp_set_var_typed_integer(var, ASN_GAUGE, p->sessions_now);
		break;
	case COLUMN_SERVER_ADDRESS_TYPE:
		snmp_set_var_typed_integer(var, ASN_INTEGER,
		                           p->has_server ? fw_inet_address_type(p->family) : 0);
		break;
	case COLUMN_SERVER_ADDRESS:
		fwstate_set_inet_address(var, p->has_server ? p->family : 0, p->server_addr);
		break;
	case COLUMN_SERVER_PORT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, p->has_server ? p->server_port : 0);
		break;
	case COLUMN_SESSIONS_SEEN:
		snmp_set_var_typed_integer(var, ASN_COUNTER, p->sessions_seen);
		break;
	case COLUMN_TEARDOWNS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, all_teardowns(p));
		break;
	case COLUMN_LAST_TEARDOWN_TIME:
		fwstate_set_date_and_time(var, p->last_teardown);
		break;
	case COLUMN_LAST_TEARDOWN_CAUSE:
		snmp_set_var_typed_integer(var, ASN_INTEGER, p->last_teardown ? p->last_cause : 0);
		break;
	case COLUMN_RECONNECTS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, p->reconnects);
		break;
	case COLUMN_SERVER_CHANGES:
		snmp_set_var_typed_integer(var, ASN_COUNTER, p->server_changes);
		break;
	default:
		netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHOBJECT);
	}
}

int phone_table_register(void)
{
	oid name[MAX_OID_LEN];
	size_t len = FWSTATE_OID(name, FWSTATE_SESSIONS, FWSTATE_PHONE_TABLE);

	phone_rows = netsnmp_container_find("fwStatePhoneTable:table_container");
	phone_registration = fwstate_register_table(
	    "fwStatePhoneTable", set_column, name, len, phone_rows, COLUMN_SESSIONS,
	    COLUMN_SERVER_CHANGES, ASN_INTEGER, ASN_OCTET_STR, 0);
	return phone_registration ? 0 : -1;
}

/* Fills entry's index from phone; returns its length, 0 if it cannot be encoded. */
static size_t encode_key(const struct fw_phone *phone, struct phone_entry *entry)
{
	fw_subid index[PHONE_INDEX_MAX];
	size_t len = fw_phone_index_encode(phone, index, PHONE_INDEX_MAX);

	for (size_t i = 0; i < len; i++)
		entry->index_oid[i] = index[i];
	entry->index.oids = entry->index_oid;
	entry->index.len = len;
	return len;
}

int phone_table_add(struct fw_phone *phone)
{
	struct phone_entry *entry;

	if (!phone_rows)
		return -1;
	entry = SNMP_MALLOC_TYPEDEF(struct phone_entry);
	if (!entry || encode_key(phone, entry) == 0)
		goto fail;
	entry->phone = phone;
	if (CONTAINER_INSERT(phone_rows, entry) != 0)
		goto fail;
	return 0;
fail:
	snmp_log(LOG_ERR, "fwStatePhoneTable: cannot add a phone\n");
	free(entry);
	return -1;
}

void phone_table_remove(const struct fw_phone *phone)
{
	struct phone_entry key, *entry;

	if (!phone_rows || encode_key(phone, &key) == 0)
		return;
	entry = CONTAINER_FIND(phone_rows, &key);
	if (entry && entry->phone == phone) {
		CONTAINER_REMOVE(phone_rows, entry);
		free(entry);
	}
}

static void free_entry(void *data, void *context)
{
	(void)context;
	free(data);
}

void phone_table_unregister(void)
{
	if (phone_rows)
		CONTAINER_CLEAR(phone_rows, free_entry, NULL);
	if (phone_registration)
		netsnmp_container_table_unregister(phone_registration);
	phone_registration = NULL;
	phone_rows = NULL;
}
