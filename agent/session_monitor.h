/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SIP-TLS sessions through conntrack: owns the netlink sockets (watched by the
 * agent's own event loop with register_readfd), the tracker and the periodic
 * reconcile; feeds the session, phone and teardown tables through the
 * tracker's hooks.
 */
#ifndef FWSTATE_SESSION_MONITOR_H
#define FWSTATE_SESSION_MONITOR_H

#include <stdint.h>

#include "../collectors/session_tracker.h"
#include "../collectors/timeout_row.h"
#include "config_parse.h"

/* fwStateSessionDumpStatus (values as in the MIB) */
enum session_dump_status {
	SESSION_DUMP_OK = 1,
	SESSION_DUMP_NOT_PERMITTED = 2,
	SESSION_DUMP_FAILED = 3,
	SESSION_DUMP_NOT_TRACKING = 4,
};

/* What the session tables and scalars read; handed to them when they are registered. */
struct session_monitor_view {
	const struct fw_tracker *tracker; /* NULL while conntrack cannot be watched */
	uint32_t overruns;
	int kernel_filter;                /* dumps filtered by the kernel (CTA_FILTER) */
	int event_filter;                 /* events filtered by the kernel (socket filter) */
	int32_t conntrack_events_setting; /* -1: unreadable */
	uint32_t threshold;
	enum session_dump_status dump_status;
	char dump_error[256]; /* the failure logged last; empty while dumps work */
};

/* Registers the tables, opens the sockets, starts the first dump. Returns 0 or -1 (logged). */
int session_monitor_start(const struct fw_config *config);

void session_monitor_reconfigure(const struct fw_config *config);

/*
 * The timeouts were read again: teardowns classify against the shortest
 * timeout the kernel arms while data goes unanswered.
 */
void session_monitor_timeouts_read(const struct fw_timeout_list *rows);

void session_monitor_stop(void);

#endif
