/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fwStateTimeouts scalars, read from the poller's view. */
#include "timeout_scalars.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include "oids.h"
#include "table_util.h"

enum {
	SCALAR_THRESHOLD = 1,
	SCALAR_POLL_INTERVAL = 2,
	SCALAR_BELOW_THRESHOLD = 3,
	SCALAR_LAST_CHECK = 4,
	SCALAR_READ_ERRORS = 5,
	SCALAR_LAST_READ_ERROR = 6,
};

static const char *const scalar_names[] = {
    [SCALAR_THRESHOLD] = "fwStateTimeoutThreshold",
    [SCALAR_POLL_INTERVAL] = "fwStateTimeoutPollInterval",
    [SCALAR_BELOW_THRESHOLD] = "fwStateTimeoutsBelowThreshold",
    [SCALAR_LAST_CHECK] = "fwStateTimeoutLastCheck",
    [SCALAR_READ_ERRORS] = "fwStateTimeoutReadErrors",
    [SCALAR_LAST_READ_ERROR] = "fwStateTimeoutLastReadError",
};

static int timeout_scalar(netsnmp_variable_list *var, const void *context, unsigned scalar)
{
	const struct timeout_view *view = context;

	switch (scalar) {
	case SCALAR_THRESHOLD:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, view->config->policy.threshold);
		break;
	case SCALAR_POLL_INTERVAL:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, view->config->poll_interval);
		break;
	case SCALAR_BELOW_THRESHOLD:
		snmp_set_var_typed_integer(var, ASN_GAUGE, view->below_threshold);
		break;
	case SCALAR_LAST_CHECK:
		fwstate_set_date_and_time(var, view->collector->last_check);
		break;
	case SCALAR_READ_ERRORS:
		snmp_set_var_typed_integer(var, ASN_COUNTER,
		                           view->collector->total_errors & 0xffffffffUL);
		break;
	case SCALAR_LAST_READ_ERROR:
		fwstate_set_string(var, view->collector->last_error);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static struct fwstate_scalars timeout_scalars = {
    .names = scalar_names,
    .first = SCALAR_THRESHOLD,
    .last = SCALAR_LAST_READ_ERROR,
    .scalar = timeout_scalar,
};

int timeout_scalars_register(const struct timeout_view *view)
{
	oid group[MAX_OID_LEN];
	size_t len = FWSTATE_OID(group, FWSTATE_TIMEOUTS);

	timeout_scalars.context = view;
	return fwstate_scalars_register(&timeout_scalars, group, len);
}
