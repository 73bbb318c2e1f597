/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fwStateTimeoutTable (one row per source, protocol and state) and
 * fwStateSourceTable (one row per source kind), over table_container.
 */
#include "timeout_table.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "mib_encode.h"
#include "oids.h"
#include "table_util.h"

enum {
	COLUMN_TIMEOUT_VALUE = 5,
	COLUMN_TIMEOUT_CHECKED = 6,
	COLUMN_TIMEOUT_STATUS = 7,
	COLUMN_TIMEOUT_STALE = 8,
};

enum {
	COLUMN_SOURCE_STATUS = 2,
	COLUMN_SOURCE_TIMEOUTS = 3,
	COLUMN_SOURCE_READ_ERRORS = 4,
	COLUMN_SOURCE_LAST_ERROR = 5,
};

/* Room left for the index after the longest column OID (root + 1.1.7.1.N). */
#define TIMEOUT_INDEX_MAX (MAX_OID_LEN - 15)

struct timeout_entry {
	netsnmp_index index; /* first: the container orders on it */
	oid index_oid[TIMEOUT_INDEX_MAX];
	struct fw_timeout_row row;
	enum fw_timeout_status status;
	int stale;
	unsigned generation;
};

struct source_entry {
	netsnmp_index index;
	oid index_oid[1];
};

static unsigned sync_generation;

static int timeout_column(netsnmp_variable_list *var, const void *context, void *entry,
                          unsigned column)
{
	const struct timeout_entry *e = entry;

	(void)context;
	switch (column) {
	case COLUMN_TIMEOUT_VALUE:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, e->row.seconds);
		break;
	case COLUMN_TIMEOUT_CHECKED:
		fwstate_set_truth_value(var, e->status != FW_STATUS_NOT_CHECKED);
		break;
	case COLUMN_TIMEOUT_STATUS:
		snmp_set_var_typed_integer(var, ASN_INTEGER, e->status);
		break;
	case COLUMN_TIMEOUT_STALE:
		fwstate_set_truth_value(var, e->stale);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static int source_column(netsnmp_variable_list *var, const void *context, void *entry,
                         unsigned column)
{
	const struct timeout_view *view = context;
	enum fw_timeout_source kind =
	    (enum fw_timeout_source)((const struct source_entry *)entry)->index_oid[0];
	const struct fw_source_status *status = &view->collector->status[kind];

	switch (column) {
	case COLUMN_SOURCE_STATUS:
		/* fwStateSourceStatus: ok(1), readFailed(2), notInUse(3) */
		snmp_set_var_typed_integer(var, ASN_INTEGER,
		                           status->not_in_use ? 3
		                           : status->ok       ? 1
		                                              : 2);
		break;
	case COLUMN_SOURCE_TIMEOUTS:
		snmp_set_var_typed_integer(var, ASN_GAUGE,
		                           fw_timeout_list_count_source(view->rows, kind));
		break;
	case COLUMN_SOURCE_READ_ERRORS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, status->errors & 0xffffffffUL);
		break;
	case COLUMN_SOURCE_LAST_ERROR:
		fwstate_set_string(var, status->last_error);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static struct fwstate_table timeouts = {.name = "fwStateTimeoutTable", .column = timeout_column};
static struct fwstate_table sources = {.name = "fwStateSourceTable", .column = source_column};

static int add_source_rows(void)
{
	for (int kind = FW_SOURCE_SYSCTL; kind <= FW_SOURCE_NFT; kind++) {
		struct source_entry *entry = SNMP_MALLOC_TYPEDEF(struct source_entry);

		if (entry) {
			entry->index_oid[0] = kind;
			entry->index.oids = entry->index_oid;
			entry->index.len = 1;
		}
		if (fwstate_table_insert(&sources, entry) < 0)
			return -1;
	}
	return 0;
}

int timeout_table_register(const struct timeout_view *view)
{
	oid name[MAX_OID_LEN];
	size_t len;

	timeouts.context = view;
	sources.context = view;
	len = FWSTATE_OID(name, FWSTATE_TIMEOUTS, FWSTATE_TIMEOUT_TABLE);
	if (fwstate_table_register(&timeouts, name, len, COLUMN_TIMEOUT_VALUE, COLUMN_TIMEOUT_STALE,
	                           ASN_INTEGER, ASN_OCTET_STR, ASN_INTEGER, ASN_OCTET_STR, 0) < 0)
		return -1;
	len = FWSTATE_OID(name, FWSTATE_TIMEOUTS, FWSTATE_SOURCE_TABLE);
	if (fwstate_table_register(&sources, name, len, COLUMN_SOURCE_STATUS,
	                           COLUMN_SOURCE_LAST_ERROR, ASN_INTEGER, 0) < 0)
		return -1;
	return add_source_rows();
}

static struct timeout_entry *new_timeout_entry(const struct fw_timeout_row *row)
{
	struct timeout_entry *entry = SNMP_MALLOC_TYPEDEF(struct timeout_entry);

	if (!entry)
		return NULL;
	entry->row = *row;
	entry->index.oids = entry->index_oid;
	entry->index.len = fw_timeout_index_encode(row, entry->index_oid, TIMEOUT_INDEX_MAX);
	if (entry->index.len == 0) {
		free(entry);
		return NULL;
	}
	return entry;
}

struct outdated_entries {
	struct timeout_entry **entries;
	size_t count;
};

static void collect_outdated(void *data, void *context)
{
	struct timeout_entry *entry = data;
	struct outdated_entries *outdated = context;

	if (entry->generation != sync_generation)
		outdated->entries[outdated->count++] = entry;
}

void timeout_table_sync(const struct timeout_view *view)
{
	struct outdated_entries outdated = {0};
	const struct fw_timeout_collector *collector = view->collector;

	if (!timeouts.rows)
		return;
	sync_generation++;
	for (size_t i = 0; i < view->rows->count; i++) {
		const struct fw_timeout_row *row = &view->rows->rows[i];
		oid key[TIMEOUT_INDEX_MAX];
		size_t key_len = fw_timeout_index_encode(row, key, TIMEOUT_INDEX_MAX);
		struct timeout_entry *entry = fwstate_table_find(&timeouts, key, key_len);

		if (!entry) {
			entry = new_timeout_entry(row);
			if (fwstate_table_insert(&timeouts, entry) < 0)
				continue;
		}
		entry->row = *row;
		entry->status = fw_timeout_status(&view->config->policy, row);
		entry->stale = !collector->status[row->source].ok;
		entry->generation = sync_generation;
	}

	outdated.entries = calloc(CONTAINER_SIZE(timeouts.rows) + 1, sizeof(*outdated.entries));
	if (!outdated.entries) {
		snmp_log(LOG_ERR, "fwStateTimeoutTable: out of memory removing rows\n");
		return;
	}
	CONTAINER_FOR_EACH(timeouts.rows, collect_outdated, &outdated);
	for (size_t i = 0; i < outdated.count; i++) {
		CONTAINER_REMOVE(timeouts.rows, outdated.entries[i]);
		free(outdated.entries[i]);
	}
	free(outdated.entries);
}

void timeout_table_unregister(void)
{
	fwstate_table_unregister(&timeouts);
	fwstate_table_unregister(&sources);
}
