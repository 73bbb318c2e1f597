/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fwStateTimeoutTable (one row per source, protocol and state) and
 * fwStateSourceTable (one row per source kind), over table_container.
 */
#include "timeout_table.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <string.h>

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

static netsnmp_container *timeout_rows;
static netsnmp_handler_registration *timeout_registration;
static netsnmp_container *source_rows;
static netsnmp_handler_registration *source_registration;
static unsigned sync_generation;

static void set_timeout_column(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *request,
                               const void *row, unsigned column)
{
	const struct timeout_entry *entry = row;
	netsnmp_variable_list *var = request->requestvb;

	switch (column) {
	case COLUMN_TIMEOUT_VALUE:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, entry->row.seconds);
		break;
	case COLUMN_TIMEOUT_CHECKED:
		fwstate_set_truth_value(var, entry->status != FW_STATUS_NOT_CHECKED);
		break;
	case COLUMN_TIMEOUT_STATUS:
		snmp_set_var_typed_integer(var, ASN_INTEGER, entry->status);
		break;
	case COLUMN_TIMEOUT_STALE:
		fwstate_set_truth_value(var, entry->stale);
		break;
	default:
		netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHOBJECT);
	}
}

static unsigned long rows_of_source(const struct timeout_view *view, enum fw_timeout_source kind)
{
	unsigned long count = 0;

	for (size_t i = 0; i < view->rows->count; i++)
		count += view->rows->rows[i].source == kind;
	return count;
}

static void set_source_column(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *request,
                              const void *row, unsigned column)
{
	const struct timeout_view *view = timeout_poll_view();
	const struct source_entry *entry = row;
	enum fw_timeout_source kind = (enum fw_timeout_source)entry->index_oid[0];
	const struct fw_source_status *status = &view->collector->status[kind];
	netsnmp_variable_list *var = request->requestvb;

	switch (column) {
	case COLUMN_SOURCE_STATUS:
		snmp_set_var_typed_integer(var, ASN_INTEGER, status->ok ? 1 : 2);
		break;
	case COLUMN_SOURCE_TIMEOUTS:
		snmp_set_var_typed_integer(var, ASN_GAUGE, rows_of_source(view, kind));
		break;
	case COLUMN_SOURCE_READ_ERRORS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, status->errors & 0xffffffffUL);
		break;
	case COLUMN_SOURCE_LAST_ERROR:
		fwstate_set_string(var, status->last_error);
		break;
	default:
		netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHOBJECT);
	}
}

static int add_source_rows(void)
{
	for (int kind = FW_SOURCE_SYSCTL; kind <= FW_SOURCE_NFT; kind++) {
		struct source_entry *entry = SNMP_MALLOC_TYPEDEF(struct source_entry);

		if (!entry)
			return -1;
		entry->index_oid[0] = kind;
		entry->index.oids = entry->index_oid;
		entry->index.len = 1;
		if (CONTAINER_INSERT(source_rows, entry) != 0) {
			free(entry);
			return -1;
		}
	}
	return 0;
}

int timeout_table_register(void)
{
	oid name[MAX_OID_LEN];
	size_t len;

	timeout_rows = netsnmp_container_find("fwStateTimeoutTable:table_container");
	source_rows = netsnmp_container_find("fwStateSourceTable:table_container");
	if (!timeout_rows || !source_rows || add_source_rows() < 0) {
		snmp_log(LOG_ERR, "cannot create the timeout table containers\n");
		return -1;
	}
	len = FWSTATE_OID(name, FWSTATE_TIMEOUTS, FWSTATE_TIMEOUT_TABLE);
	timeout_registration =
	    fwstate_register_table("fwStateTimeoutTable", set_timeout_column, name, len,
	                           timeout_rows, COLUMN_TIMEOUT_VALUE, COLUMN_TIMEOUT_STALE,
	                           ASN_INTEGER, ASN_OCTET_STR, ASN_INTEGER, ASN_OCTET_STR, 0);
	len = FWSTATE_OID(name, FWSTATE_TIMEOUTS, FWSTATE_SOURCE_TABLE);
	source_registration =
	    fwstate_register_table("fwStateSourceTable", set_source_column, name, len, source_rows,
	                           COLUMN_SOURCE_STATUS, COLUMN_SOURCE_LAST_ERROR, ASN_INTEGER, 0);
	return timeout_registration && source_registration ? 0 : -1;
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

struct stale_entries {
	struct timeout_entry **entries;
	size_t count;
};

static void collect_outdated(void *data, void *context)
{
	struct timeout_entry *entry = data;
	struct stale_entries *outdated = context;

	if (entry->generation != sync_generation)
		outdated->entries[outdated->count++] = entry;
}

void timeout_table_sync(const struct timeout_view *view)
{
	struct stale_entries outdated = {0};
	const struct fw_timeout_collector *collector = view->collector;

	if (!timeout_rows)
		return;
	sync_generation++;
	for (size_t i = 0; i < view->rows->count; i++) {
		const struct fw_timeout_row *row = &view->rows->rows[i];
		struct timeout_entry key;
		struct timeout_entry *entry;

		key.index.oids = key.index_oid;
		key.index.len = fw_timeout_index_encode(row, key.index_oid, TIMEOUT_INDEX_MAX);
		entry = key.index.len ? CONTAINER_FIND(timeout_rows, &key) : NULL;
		if (!entry) {
			entry = new_timeout_entry(row);
			if (!entry || CONTAINER_INSERT(timeout_rows, entry) != 0) {
				snmp_log(LOG_ERR, "fwStateTimeoutTable: cannot add %s \"%s\" %s\n",
				         fw_source_kind_name(row->source), row->source_name,
				         row->state);
				free(entry);
				continue;
			}
		}
		entry->row = *row;
		entry->status = fw_timeout_status(&view->config->policy, row);
		entry->stale = !collector->status[row->source].ok;
		entry->generation = sync_generation;
	}

	outdated.entries = calloc(CONTAINER_SIZE(timeout_rows) + 1, sizeof(*outdated.entries));
	if (!outdated.entries) {
		snmp_log(LOG_ERR, "fwStateTimeoutTable: out of memory removing rows\n");
		return;
	}
	CONTAINER_FOR_EACH(timeout_rows, collect_outdated, &outdated);
	for (size_t i = 0; i < outdated.count; i++) {
		CONTAINER_REMOVE(timeout_rows, outdated.entries[i]);
		free(outdated.entries[i]);
	}
	free(outdated.entries);
}

static void free_entry(void *data, void *context)
{
	(void)context;
	free(data);
}

void timeout_table_unregister(void)
{
	/* rows first: unregistering frees each container, not the rows it holds */
	if (timeout_rows)
		CONTAINER_CLEAR(timeout_rows, free_entry, NULL);
	if (source_rows)
		CONTAINER_CLEAR(source_rows, free_entry, NULL);
	if (timeout_registration)
		netsnmp_container_table_unregister(timeout_registration);
	if (source_registration)
		netsnmp_container_table_unregister(source_registration);
	timeout_registration = source_registration = NULL;
	timeout_rows = source_rows = NULL;
}
