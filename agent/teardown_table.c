/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fwStateTeardownTable: the newest teardowns, so a poller sees each one even when a trap is lost.
 */
#include "mib_encode.h"
#include "oids.h"
#include "session_tables.h"
#include "table_util.h"

struct teardown_entry {
	netsnmp_index index; /* first: the container orders on it */
	oid index_oid[1];
	struct fw_teardown teardown;
};

static int teardown_column(netsnmp_variable_list *var, const void *context, void *entry,
                           unsigned column)
{
	const struct fw_teardown *t = &((const struct teardown_entry *)entry)->teardown;

	(void)context;
	switch (column) {
	case TEARDOWN_TIME:
		fwstate_set_date_and_time(var, t->when);
		break;
	case TEARDOWN_PHONE_ADDRESS_TYPE:
	case TEARDOWN_SERVER_ADDRESS_TYPE:
		snmp_set_var_typed_integer(var, ASN_INTEGER, fw_inet_address_type(t->family));
		break;
	case TEARDOWN_PHONE_ADDRESS:
		fwstate_set_inet_address(var, t->family, t->phone_addr);
		break;
	case TEARDOWN_PHONE_PORT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, t->phone_port);
		break;
	case TEARDOWN_SERVER_ADDRESS:
		fwstate_set_inet_address(var, t->family, t->server_addr);
		break;
	case TEARDOWN_SERVER_PORT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, t->server_port);
		break;
	case TEARDOWN_ZONE:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, t->zone);
		break;
	case TEARDOWN_DURATION:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, t->duration);
		break;
	case TEARDOWN_LAST_STATE:
		snmp_set_var_typed_integer(var, ASN_INTEGER, t->last_state);
		break;
	case TEARDOWN_CAUSE:
		snmp_set_var_typed_integer(var, ASN_INTEGER, t->cause);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static struct fwstate_table teardowns = {.name = "fwStateTeardownTable", .column = teardown_column};

int teardown_table_register(void)
{
	oid name[MAX_OID_LEN];
	size_t len = FWSTATE_OID(name, FWSTATE_SESSIONS, FWSTATE_TEARDOWN_TABLE);

	return fwstate_table_register(&teardowns, name, len, TEARDOWN_TIME, TEARDOWN_CAUSE,
	                              ASN_UNSIGNED, 0);
}

static void fill_entry(const struct fw_teardown *teardown, struct teardown_entry *entry)
{
	entry->teardown = *teardown;
	entry->index_oid[0] = teardown->index;
	entry->index.oids = entry->index_oid;
	entry->index.len = 1;
}

int teardown_table_add(const struct fw_teardown *teardown)
{
	struct teardown_entry *entry = SNMP_MALLOC_TYPEDEF(struct teardown_entry);

	if (entry)
		fill_entry(teardown, entry);
	return fwstate_table_insert(&teardowns, entry);
}

void teardown_table_remove(uint32_t index)
{
	const oid key[1] = {index};

	fwstate_table_remove(&teardowns, key, 1);
}

int teardown_table_varbinds(netsnmp_variable_list **vars, const struct fw_teardown *teardown,
                            const unsigned *columns, size_t count)
{
	struct teardown_entry entry;

	fill_entry(teardown, &entry);
	return fwstate_table_varbinds(vars, &teardowns, &entry, columns, count);
}

void teardown_table_unregister(void)
{
	fwstate_table_unregister(&teardowns);
}
