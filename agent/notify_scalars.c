/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fwStateNotifyQueue scalars: what the one way out of the notifications holds and did. */
#include "notify_scalars.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "notify_delivery.h"
#include "oids.h"
#include "table_util.h"

enum {
	SCALAR_QUEUE_LIMIT = 1,
	SCALAR_QUEUE_LENGTH = 2,
	SCALAR_DELIVERED = 3,
	SCALAR_DROPPED = 4,
	SCALAR_RESENT = 5,
	SCALAR_RECONNECTS = 6,
};

static const char *const scalar_names[] = {
    [SCALAR_QUEUE_LIMIT] = "fwStateNotifyQueueLimit",
    [SCALAR_QUEUE_LENGTH] = "fwStateNotifyQueueLength",
    [SCALAR_DELIVERED] = "fwStateNotificationsDelivered",
    [SCALAR_DROPPED] = "fwStateNotificationsDropped",
    [SCALAR_RESENT] = "fwStateNotificationsResent",
    [SCALAR_RECONNECTS] = "fwStateMasterReconnects",
};

static int notify_scalar(netsnmp_variable_list *var, const void *context, unsigned scalar)
{
	struct notify_delivery_stats stats;

	(void)context;
	notify_delivery_stats(&stats);
	switch (scalar) {
	case SCALAR_QUEUE_LIMIT:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, stats.limit);
		break;
	case SCALAR_QUEUE_LENGTH:
		snmp_set_var_typed_integer(var, ASN_GAUGE, stats.length);
		break;
	case SCALAR_DELIVERED:
		snmp_set_var_typed_integer(var, ASN_COUNTER, stats.delivered & 0xffffffffu);
		break;
	case SCALAR_DROPPED:
		snmp_set_var_typed_integer(var, ASN_COUNTER, stats.dropped & 0xffffffffu);
		break;
	case SCALAR_RESENT:
		snmp_set_var_typed_integer(var, ASN_COUNTER, stats.resent & 0xffffffffu);
		break;
	case SCALAR_RECONNECTS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, stats.reconnects);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static struct fwstate_scalars notify_scalars = {
    .names = scalar_names,
    .first = SCALAR_QUEUE_LIMIT,
    .last = SCALAR_RECONNECTS,
    .scalar = notify_scalar,
};

int notify_scalars_register(void)
{
	oid group[MAX_OID_LEN];
	size_t len = FWSTATE_OID(group, FWSTATE_NOTIFY_QUEUE);

	return fwstate_scalars_register(&notify_scalars, group, len);
}
