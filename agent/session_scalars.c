/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fwStateSessions scalars, read from the session monitor's view. */
#include <stdint.h>

#include "oids.h"
#include "session_monitor.h"
#include "session_tables.h"
#include "table_util.h"

enum {
	SCALAR_SESSIONS_NOW = 1,
	SCALAR_EVENTS = 2,
	SCALAR_OVERRUNS = 3,
	SCALAR_RESYNCS = 4,
	SCALAR_LAST_RESYNC = 5,
	SCALAR_KERNEL_FILTER = 6,
	SCALAR_CONNTRACK_EVENTS = 7,
	SCALAR_TEARDOWNS = 8,
	SCALAR_NOTIFICATIONS_HELD = 9,
};

static const char *const scalar_names[] = {
    [SCALAR_SESSIONS_NOW] = "fwStateSessionsNow",
    [SCALAR_EVENTS] = "fwStateSessionEvents",
    [SCALAR_OVERRUNS] = "fwStateSessionOverruns",
    [SCALAR_RESYNCS] = "fwStateSessionResyncs",
    [SCALAR_LAST_RESYNC] = "fwStateSessionLastResync",
    [SCALAR_KERNEL_FILTER] = "fwStateSessionKernelFilter",
    [SCALAR_CONNTRACK_EVENTS] = "fwStateConntrackEventsSetting",
    [SCALAR_TEARDOWNS] = "fwStateSessionTeardowns",
    [SCALAR_NOTIFICATIONS_HELD] = "fwStateSessionNotificationsHeld",
};

static uint64_t all_teardowns(const struct fw_tracker_stats *stats)
{
	uint64_t total = 0;

	for (int cause = FW_CAUSE_RESET; cause <= FW_CAUSE_OTHER; cause++)
		total += stats->teardowns[cause];
	return total;
}

static void set_scalar(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *request,
                       unsigned scalar)
{
	const struct session_monitor_view *view = session_monitor_view();
	static const struct fw_tracker_stats no_stats;
	const struct fw_tracker_stats *stats =
	    view->tracker ? fw_tracker_stats(view->tracker) : &no_stats;
	netsnmp_variable_list *var = request->requestvb;

	switch (scalar) {
	case SCALAR_SESSIONS_NOW:
		/* each session is torn down once, or dropped unwatched by a reload */
		snmp_set_var_typed_integer(var, ASN_GAUGE,
		                           (u_long)(stats->sessions_seen - all_teardowns(stats) -
		                                    stats->sessions_unwatched));
		break;
	case SCALAR_EVENTS:
		fwstate_set_counter64(var, stats->events);
		break;
	case SCALAR_OVERRUNS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, view->overruns);
		break;
	case SCALAR_RESYNCS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, stats->resyncs & 0xffffffffu);
		break;
	case SCALAR_LAST_RESYNC:
		fwstate_set_date_and_time(var, stats->last_resync);
		break;
	case SCALAR_KERNEL_FILTER:
		fwstate_set_truth_value(var, view->kernel_filter);
		break;
	case SCALAR_CONNTRACK_EVENTS:
		snmp_set_var_typed_integer(var, ASN_INTEGER, view->conntrack_events_setting);
		break;
	case SCALAR_TEARDOWNS:
		snmp_set_var_typed_integer(var, ASN_COUNTER, all_teardowns(stats) & 0xffffffffu);
		break;
	case SCALAR_NOTIFICATIONS_HELD:
		snmp_set_var_typed_integer(var, ASN_COUNTER, view->notifications_held);
		break;
	default:
		netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHOBJECT);
	}
}

int session_scalars_register(void)
{
	oid group[MAX_OID_LEN];
	size_t len = FWSTATE_OID(group, FWSTATE_SESSIONS);

	return fwstate_register_scalars(group, len, scalar_names, SCALAR_SESSIONS_NOW,
	                                SCALAR_NOTIFICATIONS_HELD, set_scalar);
}
