/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fwStateResolverTable and fwStatePhoneResolverTable, fed by the resolver
 * tracker's hooks, and the fwStateResolvers scalars. Column numbers are
 * FWSTATE-MIB's; the notification names its varbinds with them.
 */
#ifndef FWSTATE_RESOLVER_TABLES_H
#define FWSTATE_RESOLVER_TABLES_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "../collectors/resolver_tracker.h"

/* fwStateResolverEntry columns (1-2 are the index). */
enum resolver_column {
	RESOLVER_VERDICT = 3,
	RESOLVER_PHONES_NOW = 4,
	RESOLVER_PHONES_EVER = 5,
	RESOLVER_FLOWS = 6,
	RESOLVER_LAST_SEEN = 7,
};

/* fwStatePhoneResolverEntry columns (1-4 are the index). */
enum phone_resolver_column {
	PHONE_RESOLVER_VERDICT = 5,
	PHONE_RESOLVER_LIVE_FLOWS = 6,
	PHONE_RESOLVER_FLOWS = 7,
	PHONE_RESOLVER_LAST_SEEN = 8,
};

int resolver_table_register(void);
int resolver_table_add(const struct fw_resolver *resolver);
void resolver_table_remove(const struct fw_resolver *resolver);
void resolver_table_unregister(void);

int phone_resolver_table_register(void);
int phone_resolver_table_add(const struct fw_phone_resolver *pair);
void phone_resolver_table_remove(const struct fw_phone_resolver *pair);
/* One varbind per column of the pair's row (for the notification), as table_util.h's. */
int phone_resolver_table_varbinds(netsnmp_variable_list **vars,
                                  const struct fw_phone_resolver *pair, const unsigned *columns,
                                  size_t count);
void phone_resolver_table_unregister(void);

/* fwStateResolverCount, fwStateResolversFlaggedInUse of *tracker (may be NULL). */
int resolver_scalars_register(struct fw_resolver_tracker *const *tracker);

#endif
