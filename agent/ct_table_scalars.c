/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fwStateConntrack scalars: how full the conntrack table is, and what the kernel dropped. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "ct_table_watch.h"
#include "oids.h"
#include "table_util.h"

enum {
	SCALAR_ENTRIES = 1,
	SCALAR_MAX = 2,
	SCALAR_DROPS = 3,
	SCALAR_EARLY_DROPS = 4,
	SCALAR_INSERT_FAILED = 5,
	SCALAR_TABLE_FULL = 6,
};

static const char *const scalar_names[] = {
    [SCALAR_ENTRIES] = "fwStateConntrackEntries",
    [SCALAR_MAX] = "fwStateConntrackMax",
    [SCALAR_DROPS] = "fwStateConntrackDrops",
    [SCALAR_EARLY_DROPS] = "fwStateConntrackEarlyDrops",
    [SCALAR_INSERT_FAILED] = "fwStateConntrackInsertFailed",
    [SCALAR_TABLE_FULL] = "fwStateConntrackTableFull",
};

static int ct_table_scalar(netsnmp_variable_list *var, const void *context, unsigned scalar)
{
	const struct ct_table_view *view = context;

	/* never read (no conntrack here): nothing to say rather than zeros */
	if (!view->valid)
		return SNMP_NOSUCHOBJECT;
	switch (scalar) {
	case SCALAR_ENTRIES:
		snmp_set_var_typed_integer(var, ASN_GAUGE, view->stats.entries);
		break;
	case SCALAR_MAX:
		snmp_set_var_typed_integer(var, ASN_GAUGE, view->stats.max);
		break;
	case SCALAR_DROPS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, view->stats.drops & 0xffffffffu);
		break;
	case SCALAR_EARLY_DROPS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, view->stats.early_drops & 0xffffffffu);
		break;
	case SCALAR_INSERT_FAILED:
		snmp_set_var_typed_integer(var, ASN_COUNTER,
		                           view->stats.insert_failed & 0xffffffffu);
		break;
	case SCALAR_TABLE_FULL:
		fwstate_set_truth_value(var, view->full);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static struct fwstate_scalars ct_table_scalars = {
    .names = scalar_names,
    .first = SCALAR_ENTRIES,
    .last = SCALAR_TABLE_FULL,
    .scalar = ct_table_scalar,
};

int ct_table_scalars_register(const struct ct_table_view *view)
{
	oid group[MAX_OID_LEN];
	size_t len = FWSTATE_OID(group, FWSTATE_CONNTRACK);

	ct_table_scalars.context = view;
	return fwstate_scalars_register(&ct_table_scalars, group, len);
}
