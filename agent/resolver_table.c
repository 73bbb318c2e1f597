/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fwStateResolverTable: one row per resolver the phones use. */
#include "mib_encode.h"
#include "oids.h"
#include "resolver_tables.h"
#include "table_util.h"

#define RESOLVER_INDEX_MAX 18 /* type, 1+16 */

struct resolver_entry {
	netsnmp_index index; /* first: the container orders on it */
	oid index_oid[RESOLVER_INDEX_MAX];
	const struct fw_resolver *resolver;
};

static int resolver_column(netsnmp_variable_list *var, const void *context, void *entry,
                           unsigned column)
{
	const struct fw_resolver *r = ((struct resolver_entry *)entry)->resolver;

	(void)context;
	switch (column) {
	case RESOLVER_VERDICT:
		snmp_set_var_typed_integer(var, ASN_INTEGER, r->verdict);
		break;
	case RESOLVER_PHONES_NOW:
		snmp_set_var_typed_integer(var, ASN_GAUGE, r->phones_now);
		break;
	case RESOLVER_PHONES_EVER:
		snmp_set_var_typed_integer(var, ASN_GAUGE, r->phones_ever);
		break;
	case RESOLVER_FLOWS:
		fwstate_set_counter64(var, r->flows);
		break;
	case RESOLVER_LAST_SEEN:
		fwstate_set_date_and_time(var, r->last_seen);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static struct fwstate_table resolvers = {.name = "fwStateResolverTable", .column = resolver_column};

int resolver_table_register(void)
{
	oid name[MAX_OID_LEN];
	size_t len = FWSTATE_OID(name, FWSTATE_RESOLVERS, 3);

	return fwstate_table_register(&resolvers, name, len, RESOLVER_VERDICT, RESOLVER_LAST_SEEN,
	                              ASN_INTEGER, ASN_OCTET_STR, 0);
}

static size_t encode_key(const struct fw_resolver *resolver, struct resolver_entry *entry)
{
	fw_subid index[RESOLVER_INDEX_MAX];
	size_t len = fw_resolver_index_encode(resolver, index, RESOLVER_INDEX_MAX);

	for (size_t i = 0; i < len; i++)
		entry->index_oid[i] = index[i];
	entry->index.oids = entry->index_oid;
	entry->index.len = len;
	entry->resolver = resolver;
	return len;
}

int resolver_table_add(const struct fw_resolver *resolver)
{
	struct resolver_entry *entry = SNMP_MALLOC_TYPEDEF(struct resolver_entry);

	if (entry && encode_key(resolver, entry) == 0) {
		free(entry);
		entry = NULL;
	}
	return fwstate_table_insert(&resolvers, entry);
}

void resolver_table_remove(const struct fw_resolver *resolver)
{
	struct resolver_entry key;
	const struct resolver_entry *entry;

	if (encode_key(resolver, &key) == 0)
		return;
	entry = fwstate_table_find(&resolvers, key.index.oids, key.index.len);
	if (entry && entry->resolver == resolver)
		fwstate_table_remove(&resolvers, key.index.oids, key.index.len);
}

void resolver_table_unregister(void)
{
	fwstate_table_unregister(&resolvers);
}
