/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "log_bridge.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "../collectors/log.h"

static void forward_to_snmp_log(int priority, const char *subsystem, const char *message)
{
	snmp_log(priority, "%s: %s\n", subsystem, message);
}

void fwstate_log_bridge_init(void)
{
	fw_log_set_sink(forward_to_snmp_log);
}
