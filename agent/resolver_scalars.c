/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fwStateResolvers scalars, read from the resolver tracker (none while it is off). */
#include "oids.h"
#include "resolver_tables.h"
#include "table_util.h"

enum {
	SCALAR_RESOLVER_COUNT = 1,
	SCALAR_FLAGGED_IN_USE = 2,
	/* 3-4 are the tables */
};

static const char *const scalar_names[] = {
    [SCALAR_RESOLVER_COUNT] = "fwStateResolverCount",
    [SCALAR_FLAGGED_IN_USE] = "fwStateResolversFlaggedInUse",
};

static int resolver_scalar(netsnmp_variable_list *var, const void *context, unsigned scalar)
{
	const struct fw_resolver_tracker *const *tracker = context;
	const struct fw_resolver_tracker *t = *tracker;

	switch (scalar) {
	case SCALAR_RESOLVER_COUNT:
		snmp_set_var_typed_integer(
		    var, ASN_GAUGE,
		    t ? (u_long)(fw_resolver_tracker_resolver_count(t) & 0xffffffffu) : 0);
		break;
	case SCALAR_FLAGGED_IN_USE:
		snmp_set_var_typed_integer(var, ASN_GAUGE,
		                           t ? fw_resolver_tracker_flagged_in_use(t) : 0);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static struct fwstate_scalars resolver_scalars = {
    .names = scalar_names,
    .first = SCALAR_RESOLVER_COUNT,
    .last = SCALAR_FLAGGED_IN_USE,
    .scalar = resolver_scalar,
};

int resolver_scalars_register(struct fw_resolver_tracker *const *tracker)
{
	oid group[MAX_OID_LEN];
	size_t len = FWSTATE_OID(group, FWSTATE_RESOLVERS);

	resolver_scalars.context = tracker;
	return fwstate_scalars_register(&resolver_scalars, group, len);
}
