/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fwStatePhoneResolverTable: one row per phone and resolver it uses. */
#include "mib_encode.h"
#include "oids.h"
#include "resolver_tables.h"
#include "table_util.h"

#define PAIR_INDEX_MAX 36 /* (type, 1+16) twice */

struct pair_entry {
	netsnmp_index index; /* first: the container orders on it */
	oid index_oid[PAIR_INDEX_MAX];
	const struct fw_phone_resolver *pair;
};

static int pair_column(netsnmp_variable_list *var, const void *context, void *entry,
                       unsigned column)
{
	const struct fw_phone_resolver *p = ((struct pair_entry *)entry)->pair;

	(void)context;
	switch (column) {
	case PHONE_RESOLVER_VERDICT:
		snmp_set_var_typed_integer(var, ASN_INTEGER, p->resolver->verdict);
		break;
	case PHONE_RESOLVER_LIVE_FLOWS:
		snmp_set_var_typed_integer(var, ASN_GAUGE, p->live_flows);
		break;
	case PHONE_RESOLVER_FLOWS:
		fwstate_set_counter64(var, p->flows);
		break;
	case PHONE_RESOLVER_LAST_SEEN:
		fwstate_set_date_and_time(var, p->last_seen);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static struct fwstate_table pairs = {.name = "fwStatePhoneResolverTable", .column = pair_column};

int phone_resolver_table_register(void)
{
	oid name[MAX_OID_LEN];
	size_t len = FWSTATE_OID(name, FWSTATE_RESOLVERS, 4);

	return fwstate_table_register(&pairs, name, len, PHONE_RESOLVER_VERDICT,
	                              PHONE_RESOLVER_LAST_SEEN, ASN_INTEGER, ASN_OCTET_STR,
	                              ASN_INTEGER, ASN_OCTET_STR, 0);
}

static size_t encode_key(const struct fw_phone_resolver *pair, struct pair_entry *entry)
{
	fw_subid index[PAIR_INDEX_MAX];
	size_t len = fw_phone_resolver_index_encode(pair, index, PAIR_INDEX_MAX);

	for (size_t i = 0; i < len; i++)
		entry->index_oid[i] = index[i];
	entry->index.oids = entry->index_oid;
	entry->index.len = len;
	entry->pair = pair;
	return len;
}

int phone_resolver_table_add(const struct fw_phone_resolver *pair)
{
	struct pair_entry *entry = SNMP_MALLOC_TYPEDEF(struct pair_entry);

	if (entry && encode_key(pair, entry) == 0) {
		free(entry);
		entry = NULL;
	}
	return fwstate_table_insert(&pairs, entry);
}

void phone_resolver_table_remove(const struct fw_phone_resolver *pair)
{
	struct pair_entry key;
	const struct pair_entry *entry;

	if (encode_key(pair, &key) == 0)
		return;
	entry = fwstate_table_find(&pairs, key.index.oids, key.index.len);
	if (entry && entry->pair == pair)
		fwstate_table_remove(&pairs, key.index.oids, key.index.len);
}

int phone_resolver_table_varbinds(netsnmp_variable_list **vars,
                                  const struct fw_phone_resolver *pair, const unsigned *columns,
                                  size_t count)
{
	struct pair_entry entry;

	if (encode_key(pair, &entry) == 0)
		return -1;
	return fwstate_table_varbinds(vars, &pairs, &entry, columns, count);
}

void phone_resolver_table_unregister(void)
{
	fwstate_table_unregister(&pairs);
}
