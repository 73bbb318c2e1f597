/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "module.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_sysORTable.h>
#include <net-snmp/agent/sysORTable.h>

#include "config.h"
#include "ct_table_watch.h"
#include "notify.h"
#include "notify_scalars.h"
#include "oids.h"
#include "session_monitor.h"
#include "timeout_poll.h"

int fwstate_module_start(const struct agent_info *info)
{
	oid compliance[MAX_OID_LEN];
	size_t len = FWSTATE_OID(compliance, FWSTATE_COMPLIANCE);
	/* as a subagent notifications go to the master; otherwise to this process's sinks */
	int own_sinks = info->mode != FW_AGENT_MODE_SUBAGENT;

	if (notify_start(fwstate_config(), own_sinks) < 0 || notify_scalars_register() < 0 ||
	    agent_scalars_register(info) < 0 || ct_table_watch_start() < 0 ||
	    timeout_poll_start(fwstate_config()) < 0 || session_monitor_start(fwstate_config()) < 0)
		return -1;
	if (register_sysORTable(compliance, len,
	                        "FWSTATE-MIB: conntrack timeouts and SIP-over-TLS sessions of "
	                        "this firewall (fwstate-agent)") != SYS_ORTABLE_REGISTERED_OK)
		snmp_log(LOG_WARNING, "cannot add FWSTATE-MIB to sysORTable\n");
	return 0;
}

void fwstate_module_reconfigure(void)
{
	notify_reconfigure(fwstate_config());
	timeout_poll_reconfigure(fwstate_config());
	session_monitor_reconfigure(fwstate_config());
}

void fwstate_module_stop(void)
{
	oid compliance[MAX_OID_LEN];
	size_t len = FWSTATE_OID(compliance, FWSTATE_COMPLIANCE);

	unregister_sysORTable(compliance, len);
	session_monitor_stop();
	timeout_poll_stop();
	ct_table_watch_stop();
	notify_stop();
}
