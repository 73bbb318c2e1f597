/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every FWSTATE-MIB table and scalar file shares: registration and value setters. */
#ifndef FWSTATE_TABLE_UTIL_H
#define FWSTATE_TABLE_UTIL_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <stdint.h>
#include <time.h>

/* Answers one GET for a column of a row (noSuchObject for a column it does not know). */
typedef void (*fwstate_column_fn)(netsnmp_agent_request_info *reqinfo,
                                  netsnmp_request_info *request, const void *row, unsigned column);

/* Answers one GET for scalar number `scalar` of a group. */
typedef void (*fwstate_scalar_fn)(netsnmp_agent_request_info *reqinfo,
                                  netsnmp_request_info *request, unsigned scalar);

/*
 * Registers a read-only table over a table_container keyed by netsnmp_index,
 * answered by set_column for each requested column of an existing row. The
 * index types follow max_column, ending with 0. Returns the registration, or
 * NULL (logged) with nothing left registered.
 */
netsnmp_handler_registration *fwstate_register_table(const char *name, fwstate_column_fn set_column,
                                                     const oid *table_oid, size_t table_oid_len,
                                                     netsnmp_container *container,
                                                     unsigned min_column, unsigned max_column, ...);

/* Registers the scalars first..last below the node group (each as group.N.0). */
int fwstate_register_scalars(const oid *group, size_t group_len, const char *const *names,
                             unsigned first, unsigned last, fwstate_scalar_fn set_scalar);

void fwstate_set_truth_value(netsnmp_variable_list *var, int truth);
void fwstate_set_counter64(netsnmp_variable_list *var, uint64_t value);
void fwstate_set_string(netsnmp_variable_list *var, const char *text);
/* DateAndTime in local time; when == 0 gives the conventional "unknown" value. */
void fwstate_set_date_and_time(netsnmp_variable_list *var, time_t when);
/* InetAddress of family (4 or 16 octets; empty for an unknown family). */
void fwstate_set_inet_address(netsnmp_variable_list *var, uint8_t family, const uint8_t *addr);

#endif
