/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every FWSTATE-MIB table and scalar group shares: a registration that
 * carries its context (the view its values are read from), one value path
 * per column for GET and for notifications, and value setters.
 */
#ifndef FWSTATE_TABLE_UTIL_H
#define FWSTATE_TABLE_UTIL_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <stdint.h>
#include <time.h>

/*
 * Sets var to the value of one column of a row (an entry whose first member
 * is its netsnmp_index). Returns 0, or SNMP_NOSUCHOBJECT for a column it
 * does not know.
 */
typedef int (*fwstate_column_fn)(netsnmp_variable_list *var, const void *context, void *entry,
                                 unsigned column);

/* Sets var to the value of scalar number `scalar` of a group; 0 or SNMP_NOSUCHOBJECT. */
typedef int (*fwstate_scalar_fn)(netsnmp_variable_list *var, const void *context, unsigned scalar);

/* A read-only table over a table_container of entries keyed by netsnmp_index. */
struct fwstate_table {
	const char *name;
	fwstate_column_fn column;
	const void *context; /* handed to column */
	netsnmp_container *rows;
	netsnmp_handler_registration *registration;
	netsnmp_table_registration_info *info; /* ours to free: the table helper does not */
	oid entry_oid[MAX_OID_LEN];            /* tableEntry: a cell is entry_oid.column.index */
	size_t entry_oid_len;
};

/*
 * Registers table (name, column and context filled in) at table_oid with
 * columns min_column..max_column; the index types follow, ending with 0.
 * Returns 0, or -1 (logged) with nothing left registered.
 */
int fwstate_table_register(struct fwstate_table *table, const oid *table_oid, size_t table_oid_len,
                           unsigned min_column, unsigned max_column, ...);

/* Frees every entry with free() and removes the registration. */
void fwstate_table_unregister(struct fwstate_table *table);

/* Inserts a malloc'd entry whose index is set; on failure it is freed and -1 returned (logged). */
int fwstate_table_insert(struct fwstate_table *table, void *entry);

/* The entry with this index, or NULL. */
void *fwstate_table_find(const struct fwstate_table *table, const oid *index, size_t index_len);

/* Removes the entry with this index, if any, and frees it. */
void fwstate_table_remove(struct fwstate_table *table, const oid *index, size_t index_len);

/*
 * Appends one varbind per column: the cell's OID (entry_oid.column.index)
 * with the value a GET of it answers. entry need not be in the table.
 * Returns 0, or -1 when a varbind could not be built.
 */
int fwstate_table_varbinds(netsnmp_variable_list **vars, const struct fwstate_table *table,
                           void *entry, const unsigned *columns, size_t count);

/* A group of scalars group.first.0 .. group.last.0. */
struct fwstate_scalars {
	const char *const *names; /* indexed by scalar number */
	unsigned first, last;
	fwstate_scalar_fn scalar;
	const void *context;  /* handed to scalar */
	size_t group_oid_len; /* set when registered: a request's OID is group.N.0 */
};

/* Registers every scalar of a group (static storage: the handlers keep pointing at it). */
int fwstate_scalars_register(struct fwstate_scalars *group, const oid *group_oid,
                             size_t group_oid_len);

/*
 * Unregisters every scalar of every group: snmpd's module leaves nothing
 * behind when its start fails, so that it can start on the next SIGHUP.
 */
void fwstate_scalars_unregister_all(void);

void fwstate_set_truth_value(netsnmp_variable_list *var, int truth);
void fwstate_set_counter64(netsnmp_variable_list *var, uint64_t value);
void fwstate_set_string(netsnmp_variable_list *var, const char *text);
/* DateAndTime in local time; when == 0 gives the conventional "unknown" value. */
void fwstate_set_date_and_time(netsnmp_variable_list *var, time_t when);
struct fw_timestamp;
/* TimeStamp of an event: sysUpTime (the master agent's, in AgentX) then. */
void fwstate_set_timestamp(netsnmp_variable_list *var, struct fw_timestamp *ts);
/* InetAddress of family (4 or 16 octets; empty for an unknown family). */
void fwstate_set_inet_address(netsnmp_variable_list *var, uint8_t family, const uint8_t *addr);

#endif
