/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "table_util.h"

#include <stdarg.h>
#include <string.h>

#include "../collectors/clock.h"
#include "mib_encode.h"

static int table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                         netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct fwstate_table *table = handler->myvoid;

	(void)reginfo;
	/* table_container turns GETNEXT into GET on the row it found */
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *request = requests; request; request = request->next) {
		void *entry = netsnmp_container_table_extract_context(request);
		netsnmp_table_request_info *info = netsnmp_extract_table_info(request);
		int error;

		if (request->processed)
			continue;
		if (!entry || !info) {
			netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHINSTANCE);
			continue;
		}
		error = table->column(request->requestvb, table->context, entry, info->colnum);
		if (error)
			netsnmp_set_request_error(reqinfo, request, error);
	}
	return SNMP_ERR_NOERROR;
}

int fwstate_table_register(struct fwstate_table *table, const oid *table_oid, size_t table_oid_len,
                           unsigned min_column, unsigned max_column, ...)
{
	netsnmp_handler_registration *reg = NULL;
	netsnmp_table_registration_info *info = NULL;
	va_list index_types;
	int type;

	table->registration = NULL;
	table->info = NULL;
	table->rows = netsnmp_container_find("fwstate:table_container");
	if (table_oid_len + 1 > MAX_OID_LEN || !table->rows)
		goto fail;
	memcpy(table->entry_oid, table_oid, table_oid_len * sizeof(oid));
	table->entry_oid[table_oid_len] = 1;
	table->entry_oid_len = table_oid_len + 1;
	reg = netsnmp_create_handler_registration(table->name, table_handler, table_oid,
	                                          table_oid_len, HANDLER_CAN_RONLY);
	info = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	if (!reg || !info)
		goto fail;
	/* the table outlives its handler: nothing for the handler to free */
	reg->handler->myvoid = table;
	va_start(index_types, max_column);
	while ((type = va_arg(index_types, int)) != 0)
		netsnmp_table_helper_add_index(info, type);
	va_end(index_types);
	info->min_column = min_column;
	info->max_column = max_column;
	/* on failure this releases reg and info itself */
	if (netsnmp_container_table_register(
	        reg, info, table->rows, TABLE_CONTAINER_KEY_NETSNMP_INDEX) != MIB_REGISTERED_OK) {
		snmp_log(LOG_ERR, "cannot register %s\n", table->name);
		table->rows = NULL;
		return -1;
	}
	table->registration = reg;
	table->info = info;
	return 0;
fail:
	snmp_log(LOG_ERR, "out of memory registering %s\n", table->name);
	if (info)
		netsnmp_table_registration_info_free(info);
	if (reg)
		netsnmp_handler_registration_free(reg);
	if (table->rows)
		CONTAINER_FREE(table->rows);
	table->rows = NULL;
	return -1;
}

static void free_entry(void *entry, void *context)
{
	(void)context;
	free(entry);
}

void fwstate_table_unregister(struct fwstate_table *table)
{
	/* rows first: unregistering frees the container, not the entries it holds */
	if (table->rows)
		CONTAINER_CLEAR(table->rows, free_entry, NULL);
	/*
	 * The table helper's handler only points at info (the agent registers a
	 * copy of the handler chain without a free function): once the
	 * registration is gone, nothing uses it.
	 */
	if (table->registration &&
	    netsnmp_container_table_unregister(table->registration) == MIB_UNREGISTERED_OK &&
	    table->info)
		netsnmp_table_registration_info_free(table->info);
	table->registration = NULL;
	table->info = NULL;
	table->rows = NULL;
}

int fwstate_table_insert(struct fwstate_table *table, void *entry)
{
	if (!table->rows || !entry || CONTAINER_INSERT(table->rows, entry) != 0) {
		snmp_log(LOG_ERR, "%s: cannot add a row\n", table->name);
		free(entry);
		return -1;
	}
	return 0;
}

void *fwstate_table_find(const struct fwstate_table *table, const oid *index, size_t index_len)
{
	netsnmp_index key = {.oids = (oid *)index, .len = index_len};

	if (!table->rows || index_len == 0)
		return NULL;
	return CONTAINER_FIND(table->rows, &key);
}

void fwstate_table_remove(struct fwstate_table *table, const oid *index, size_t index_len)
{
	void *entry = fwstate_table_find(table, index, index_len);

	if (entry) {
		CONTAINER_REMOVE(table->rows, entry);
		free(entry);
	}
}

int fwstate_table_varbinds(netsnmp_variable_list **vars, const struct fwstate_table *table,
                           void *entry, const unsigned *columns, size_t count)
{
	const netsnmp_index *index = entry;
	oid name[MAX_OID_LEN];

	if (table->entry_oid_len + 1 + index->len > MAX_OID_LEN)
		return -1;
	memcpy(name, table->entry_oid, table->entry_oid_len * sizeof(oid));
	memcpy(name + table->entry_oid_len + 1, index->oids, index->len * sizeof(oid));
	for (size_t i = 0; i < count; i++) {
		netsnmp_variable_list *var;

		name[table->entry_oid_len] = columns[i];
		var = snmp_varlist_add_variable(vars, name, table->entry_oid_len + 1 + index->len,
		                                ASN_NULL, NULL, 0);
		if (!var || table->column(var, table->context, entry, columns[i]) != 0)
			return -1;
	}
	return 0;
}

static int scalar_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                          netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct fwstate_scalars *group = handler->myvoid;

	(void)reginfo;
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *request = requests; request; request = request->next) {
		netsnmp_variable_list *var = request->requestvb;
		/* the instance helper only lets group.N.0 through */
		int error = SNMP_NOSUCHOBJECT;

		if (var->name_length > group->group_oid_len)
			error = group->scalar(var, group->context,
			                      (unsigned)var->name[group->group_oid_len]);

		if (error)
			netsnmp_set_request_error(reqinfo, request, error);
	}
	return SNMP_ERR_NOERROR;
}

/* Every scalar registered, so that fwstate_scalars_unregister_all() can take them back. */
#define SCALARS_MAX 64
static netsnmp_handler_registration *registered_scalars[SCALARS_MAX];
static size_t registered_scalar_count;

int fwstate_scalars_register(struct fwstate_scalars *group, const oid *group_oid,
                             size_t group_oid_len)
{
	oid name[MAX_OID_LEN];

	if (group_oid_len + 1 > MAX_OID_LEN)
		return -1;
	group->group_oid_len = group_oid_len;
	memcpy(name, group_oid, group_oid_len * sizeof(oid));
	for (unsigned scalar = group->first; scalar <= group->last; scalar++) {
		netsnmp_handler_registration *reg;

		name[group_oid_len] = scalar;
		reg =
		    netsnmp_create_handler_registration(group->names[scalar], scalar_handler, name,
		                                        group_oid_len + 1, HANDLER_CAN_RONLY);
		if (!reg) {
			snmp_log(LOG_ERR, "cannot register %s\n", group->names[scalar]);
			return -1;
		}
		reg->handler->myvoid = group;
		if (registered_scalar_count == SCALARS_MAX) {
			snmp_log(LOG_ERR, "cannot register %s: too many scalars\n",
			         group->names[scalar]);
			netsnmp_handler_registration_free(reg);
			return -1;
		}
		/* on failure the library has freed reg */
		if (netsnmp_register_scalar(reg) != MIB_REGISTERED_OK) {
			snmp_log(LOG_ERR, "cannot register %s\n", group->names[scalar]);
			return -1;
		}
		registered_scalars[registered_scalar_count++] = reg;
	}
	return 0;
}

void fwstate_scalars_unregister_all(void)
{
	while (registered_scalar_count > 0)
		netsnmp_unregister_handler(registered_scalars[--registered_scalar_count]);
}

void fwstate_set_truth_value(netsnmp_variable_list *var, int truth)
{
	snmp_set_var_typed_integer(var, ASN_INTEGER, truth ? 1 : 2);
}

void fwstate_set_counter64(netsnmp_variable_list *var, uint64_t value)
{
	struct counter64 c64 = {.high = value >> 32, .low = value & 0xffffffffu};

	snmp_set_var_typed_value(var, ASN_COUNTER64, &c64, sizeof(c64));
}

void fwstate_set_string(netsnmp_variable_list *var, const char *text)
{
	snmp_set_var_typed_value(var, ASN_OCTET_STR, text, strlen(text));
}

void fwstate_set_date_and_time(netsnmp_variable_list *var, time_t when)
{
	/* RFC 2579 leaves "unknown" open; this all-zero date is the usual convention */
	static const uint8_t unknown[8] = {0, 0, 1, 1, 0, 0, 0, 0};
	uint8_t octets[FW_DATE_AND_TIME_LEN];
	struct tm local;

	if (when == 0 || !localtime_r(&when, &local)) {
		snmp_set_var_typed_value(var, ASN_OCTET_STR, unknown, sizeof(unknown));
		return;
	}
	fw_date_and_time(&local, octets);
	snmp_set_var_typed_value(var, ASN_OCTET_STR, octets, sizeof(octets));
}

void fwstate_set_timestamp(netsnmp_variable_list *var, struct fw_timestamp *ts)
{
	struct fw_clock now;
	uint32_t uptime = (uint32_t)netsnmp_get_agent_uptime();

	/* in a subagent, libnetsnmp keeps this in step with the master's sysUpTime */
	fw_clock_now(&now);
	snmp_set_var_typed_integer(var, ASN_TIMETICKS, fw_timestamp_value(ts, uptime, now.mono_ms));
}

void fwstate_set_inet_address(netsnmp_variable_list *var, uint8_t family, const uint8_t *addr)
{
	snmp_set_var_typed_value(var, ASN_OCTET_STR, addr, fw_inet_address_len(family));
}
