/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "table_util.h"

#include <stdarg.h>
#include <string.h>

#include "mib_encode.h"

/* What a generic handler calls; owned by the handler (freed with it). */
struct answer {
	fwstate_column_fn set_column;
	fwstate_scalar_fn set_scalar;
	unsigned scalar;
};

static int table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                         netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct answer *answer = handler->myvoid;

	(void)reginfo;
	/* table_container turns GETNEXT into GET on the row it found */
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *request = requests; request; request = request->next) {
		void *row = netsnmp_container_table_extract_context(request);
		netsnmp_table_request_info *info = netsnmp_extract_table_info(request);

		if (request->processed)
			continue;
		if (!row || !info)
			netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHINSTANCE);
		else
			answer->set_column(reqinfo, request, row, info->colnum);
	}
	return SNMP_ERR_NOERROR;
}

static int scalar_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                          netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct answer *answer = handler->myvoid;

	(void)reginfo;
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *request = requests; request; request = request->next)
		answer->set_scalar(reqinfo, request, answer->scalar);
	return SNMP_ERR_NOERROR;
}

/* A registration whose handler carries its answer; NULL when memory ran out. */
static netsnmp_handler_registration *create_registration(const char *name,
                                                         Netsnmp_Node_Handler *handler,
                                                         const oid *name_oid, size_t len,
                                                         const struct answer *answer)
{
	netsnmp_handler_registration *reg;
	struct answer *copy = malloc(sizeof(*copy));

	if (!copy)
		return NULL;
	*copy = *answer;
	reg = netsnmp_create_handler_registration(name, handler, name_oid, len, HANDLER_CAN_RONLY);
	if (!reg) {
		free(copy);
		return NULL;
	}
	reg->handler->myvoid = copy;
	reg->handler->data_free = free;
	return reg;
}

netsnmp_handler_registration *fwstate_register_table(const char *name, fwstate_column_fn set_column,
                                                     const oid *table_oid, size_t table_oid_len,
                                                     netsnmp_container *container,
                                                     unsigned min_column, unsigned max_column, ...)
{
	const struct answer answer = {.set_column = set_column};
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *info;
	va_list index_types;
	int type;

	reg = create_registration(name, table_handler, table_oid, table_oid_len, &answer);
	info = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	if (!reg || !info || !container)
		goto fail;
	va_start(index_types, max_column);
	while ((type = va_arg(index_types, int)) != 0)
		netsnmp_table_helper_add_index(info, type);
	va_end(index_types);
	info->min_column = min_column;
	info->max_column = max_column;
	/* on failure this releases reg and info itself */
	if (netsnmp_container_table_register(
	        reg, info, container, TABLE_CONTAINER_KEY_NETSNMP_INDEX) != MIB_REGISTERED_OK) {
		snmp_log(LOG_ERR, "cannot register %s\n", name);
		return NULL;
	}
	return reg;
fail:
	snmp_log(LOG_ERR, "out of memory registering %s\n", name);
	if (info)
		netsnmp_table_registration_info_free(info);
	if (reg)
		netsnmp_handler_registration_free(reg);
	return NULL;
}

int fwstate_register_scalars(const oid *group, size_t group_len, const char *const *names,
                             unsigned first, unsigned last, fwstate_scalar_fn set_scalar)
{
	for (unsigned scalar = first; scalar <= last; scalar++) {
		const struct answer answer = {.set_scalar = set_scalar, .scalar = scalar};
		oid name[MAX_OID_LEN];
		netsnmp_handler_registration *reg;

		memcpy(name, group, group_len * sizeof(oid));
		name[group_len] = scalar;
		reg = create_registration(names[scalar], scalar_handler, name, group_len + 1,
		                          &answer);
		if (!reg || netsnmp_register_scalar(reg) != MIB_REGISTERED_OK) {
			snmp_log(LOG_ERR, "cannot register %s\n", names[scalar]);
			return -1;
		}
	}
	return 0;
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

void fwstate_set_inet_address(netsnmp_variable_list *var, uint8_t family, const uint8_t *addr)
{
	snmp_set_var_typed_value(var, ASN_OCTET_STR, addr, fw_inet_address_len(family));
}
