/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fwStateAgent scalars: when the agent (and so every counter) started, its version and mode. */
#include "agent_scalars.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "mib_encode.h"
#include "oids.h"
#include "table_util.h"

enum {
	SCALAR_START_TIME = 1,
	SCALAR_DISCONTINUITY_TIME = 2,
	SCALAR_VERSION = 3,
	SCALAR_MODE = 4,
};

static const char *const scalar_names[] = {
    [SCALAR_START_TIME] = "fwStateAgentStartTime",
    [SCALAR_DISCONTINUITY_TIME] = "fwStateCounterDiscontinuityTime",
    [SCALAR_VERSION] = "fwStateAgentVersion",
    [SCALAR_MODE] = "fwStateAgentMode",
};

static struct fw_timestamp discontinuity; /* fwStateCounterDiscontinuityTime */

static int agent_scalar(netsnmp_variable_list *var, const void *context, unsigned scalar)
{
	const struct agent_info *info = context;

	switch (scalar) {
	case SCALAR_START_TIME:
		fwstate_set_date_and_time(var, info->start_wall);
		break;
	case SCALAR_DISCONTINUITY_TIME:
		fwstate_set_timestamp(var, &discontinuity);
		break;
	case SCALAR_VERSION:
		fwstate_set_string(var, info->version);
		break;
	case SCALAR_MODE:
		snmp_set_var_typed_integer(var, ASN_INTEGER, (long)info->mode);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static struct fwstate_scalars agent_scalars = {
    .names = scalar_names,
    .first = SCALAR_START_TIME,
    .last = SCALAR_MODE,
    .scalar = agent_scalar,
};

int agent_scalars_register(const struct agent_info *info)
{
	oid group[MAX_OID_LEN];
	size_t len = FWSTATE_OID(group, FWSTATE_AGENT);

	agent_scalars.context = info;
	fw_timestamp_init(&discontinuity, info->start_mono_ms);
	return fwstate_scalars_register(&agent_scalars, group, len);
}
