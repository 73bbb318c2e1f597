/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Watches how full the conntrack table of the namespace is (every few
 * seconds, from /proc: never blocks) and says once when the kernel starts
 * dropping packets because it is full, and once when that ends.
 */
#ifndef FWSTATE_CT_TABLE_WATCH_H
#define FWSTATE_CT_TABLE_WATCH_H

#include "../collectors/ct_table_stats.h"

/* What fwStateConntrack publishes. */
struct ct_table_view {
	int valid; /* read at least once */
	struct fw_ct_table_stats stats;
	int full; /* packets are being dropped now */
};

/* Takes the first reading, registers the scalars, arms the timer. */
int ct_table_watch_start(void);

void ct_table_watch_stop(void);

/* fwStateConntrackEntries .. fwStateConntrackTableFull */
int ct_table_scalars_register(const struct ct_table_view *view);

#endif
