/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fwStateSessions scalars, read from the session monitor's view. */
#include <stdint.h>

#include "../collectors/session_status.h"
#include "notify.h"
#include "oids.h"
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
	/* 10-12 are the tables */
	SCALAR_EVENT_FILTER = 13,
	SCALAR_DUMP_STATUS = 14,
	SCALAR_DUMP_ERROR = 15,
	SCALAR_PHONES_FLAPPING = 16,
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
    [SCALAR_EVENT_FILTER] = "fwStateSessionEventFilter",
    [SCALAR_DUMP_STATUS] = "fwStateSessionDumpStatus",
    [SCALAR_DUMP_ERROR] = "fwStateSessionDumpError",
    [SCALAR_PHONES_FLAPPING] = "fwStatePhonesFlapping",
};

static int session_scalar(netsnmp_variable_list *var, const void *context, unsigned scalar)
{
	const struct session_monitor_view *view = context;
	static const struct fw_tracker_stats no_stats;
	const struct fw_tracker_stats *stats =
	    view->tracker ? fw_tracker_stats(view->tracker) : &no_stats;

	switch (scalar) {
	case SCALAR_SESSIONS_NOW:
		snmp_set_var_typed_integer(var, ASN_GAUGE,
		                           (u_long)(fw_tracker_sessions_now(stats) & 0xffffffffu));
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
		snmp_set_var_typed_integer(var, ASN_COUNTER,
		                           fw_tracker_teardowns(stats) & 0xffffffffu);
		break;
	case SCALAR_NOTIFICATIONS_HELD:
		snmp_set_var_typed_integer(var, ASN_COUNTER, notify_teardowns_held());
		break;
	case SCALAR_EVENT_FILTER:
		fwstate_set_truth_value(var, view->event_filter);
		break;
	case SCALAR_DUMP_STATUS:
		snmp_set_var_typed_integer(var, ASN_INTEGER, view->dump_status);
		break;
	case SCALAR_DUMP_ERROR:
		fwstate_set_string(var, view->dump_error);
		break;
	case SCALAR_PHONES_FLAPPING:
		snmp_set_var_typed_integer(var, ASN_GAUGE, stats->phones_flapping);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return 0;
}

static struct fwstate_scalars session_scalars = {
    .names = scalar_names,
    .first = SCALAR_SESSIONS_NOW,
    .last = SCALAR_NOTIFICATIONS_HELD,
    .scalar = session_scalar,
};

/* Scalars added after the tables: a group of their own under the same node. */
static struct fwstate_scalars later_session_scalars = {
    .names = scalar_names,
    .first = SCALAR_EVENT_FILTER,
    .last = SCALAR_PHONES_FLAPPING,
    .scalar = session_scalar,
};

int session_scalars_register(const struct session_monitor_view *view)
{
	oid group[MAX_OID_LEN];
	size_t len = FWSTATE_OID(group, FWSTATE_SESSIONS);

	session_scalars.context = view;
	later_session_scalars.context = view;
	if (fwstate_scalars_register(&session_scalars, group, len) < 0)
		return -1;
	return fwstate_scalars_register(&later_session_scalars, group, len);
}
