/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FWSTATE_AGENT_SCALARS_H
#define FWSTATE_AGENT_SCALARS_H

#include <stdint.h>
#include <time.h>

/* What fwStateAgent publishes about the agent itself. */
struct agent_info {
	time_t start_wall;
	uint64_t start_mono_ms; /* every counter and table starts here */
	const char *version;    /* "fwstate-agent 0.2.0" */
};

/* fwStateAgentStartTime, fwStateCounterDiscontinuityTime, fwStateAgentVersion. */
int agent_scalars_register(const struct agent_info *info);

#endif
