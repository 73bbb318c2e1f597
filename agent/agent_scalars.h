/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FWSTATE_AGENT_SCALARS_H
#define FWSTATE_AGENT_SCALARS_H

#include <stdint.h>
#include <time.h>

/* fwStateAgentMode: how the module is served (values as in the MIB). */
enum fw_agent_mode {
	FW_AGENT_MODE_SUBAGENT = 1,     /* fwstate-agent, AgentX subagent of snmpd */
	FW_AGENT_MODE_MASTER = 2,       /* fwstate-agent --master */
	FW_AGENT_MODE_SNMPD_MODULE = 3, /* fwstate.so loaded into snmpd by dlmod */
};

/* What fwStateAgent publishes about the agent itself. */
struct agent_info {
	time_t start_wall;
	uint64_t start_mono_ms; /* every counter and table starts here */
	const char *version;    /* "fwstate-agent 0.2.0" */
	enum fw_agent_mode mode;
};

/* fwStateAgentStartTime, fwStateCounterDiscontinuityTime, fwStateAgentVersion, fwStateAgentMode. */
int agent_scalars_register(const struct agent_info *info);

#endif
