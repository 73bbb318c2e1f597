/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fwStateTeardownTable: the newest teardowns, so a poller sees each one even when a trap is lost.
 */
#include <string.h>

#include "mib_encode.h"
#include "oids.h"
#include "session_tables.h"
#include "table_util.h"

enum {
	COLUMN_TIME = 2,
	COLUMN_ADDRESS_TYPE = 3,
	COLUMN_PHONE_ADDRESS = 4,
	COLUMN_PHONE_PORT = 5,
	COLUMN_SERVER_ADDRESS = 6,
	COLUMN_SERVER_PORT = 7,
	COLUMN_ZONE = 8,
	COLUMN_DURATION = 9,
	COLUMN_LAST_STATE = 10,
	COLUMN_CAUSE = 11,
};

struct teardown_entry {
	netsnmp_index index; /* first: the container orders on it */
	oid index_oid[1];
	struct fw_teardown teardown;
};

static netsnmp_container *teardown_rows;
static netsnmp_handler_registration *teardown_registration;

static void set_column(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *request,
                       const void *row, unsigned column)
{
	const struct fw_teardown *t = &((const struct teardown_entry *)row)->teardown;
	netsnmp_variable_list *var = request->requestvb;

	switch (column) {
	case COLUMN_TIME:
		fwstate_set_date_and_time(var, t->when);
		break;
	case COLUMN_ADDRESS_TYPE:
		snmp_set_var_typed_integer(var, ASN_INTEGER, fw_inet_address_type(t->family));
		break;
	case COLUMN_PHONE_ADDRESS:
		fwstate_set_inet_address(var, t->family, t->phone_addr);
		break;
	case COLUMN_PHONE_PORT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, t->phone_port);
		break;
	case COLUMN_SERVER_ADDRESS:
		fwstate_set_inet_address(var, t->family, t->server_addr);
		break;
	case COLUMN_SERVER_PORT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, t->server_port);
		break;
	case COLUMN_ZONE:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, t->zone);
		break;
	case COLUMN_DURATION:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, t->duration);
		break;
	case COLUMN_LAST_STATE:
		snmp_set_var_typed_integer(var, ASN_INTEGER, t->last_state);
		break;
	case COLUMN_CAUSE:
		snmp_set_var_typed_integer(var, ASN_INTEGER, t->cause);
		break;
	default:
		netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHOBJECT);
	}
}

int teardown_table_register(void)
{
	oid name[MAX_OID_LEN];
	size_t len = FWSTATE_OID(name, FWSTATE_SESSIONS, FWSTATE_TEARDOWN_TABLE);

	teardown_rows = netsnmp_container_find("fwStateTeardownTable:table_container");
	teardown_registration =
	    fwstate_register_table("fwStateTeardownTable", set_column, name, len, teardown_rows,
	                           COLUMN_TIME, COLUMN_CAUSE, ASN_UNSIGNED, 0);
	return teardown_registration ? 0 : -1;
}

int teardown_table_add(const struct fw_teardown *teardown)
{
	struct teardown_entry *entry;

	if (!teardown_rows)
		return -1;
	entry = SNMP_MALLOC_TYPEDEF(struct teardown_entry);
	if (!entry)
		goto fail;
	entry->teardown = *teardown;
	entry->index_oid[0] = teardown->index;
	entry->index.oids = entry->index_oid;
	entry->index.len = 1;
	if (CONTAINER_INSERT(teardown_rows, entry) != 0)
		goto fail;
	return 0;
fail:
	snmp_log(LOG_ERR, "fwStateTeardownTable: cannot add teardown %u\n", teardown->index);
	free(entry);
	return -1;
}

void teardown_table_remove(uint32_t index)
{
	struct teardown_entry key, *entry;

	if (!teardown_rows)
		return;
	key.index_oid[0] = index;
	key.index.oids = key.index_oid;
	key.index.len = 1;
	entry = CONTAINER_FIND(teardown_rows, &key);
	if (entry) {
		CONTAINER_REMOVE(teardown_rows, entry);
		free(entry);
	}
}

static void free_entry(void *data, void *context)
{
	(void)context;
	free(data);
}

void teardown_table_unregister(void)
{
	if (teardown_rows)
		CONTAINER_CLEAR(teardown_rows, free_entry, NULL);
	if (teardown_registration)
		netsnmp_container_table_unregister(teardown_registration);
	teardown_registration = NULL;
	teardown_rows = NULL;
}
