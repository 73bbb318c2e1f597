/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ct_table_watch.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <string.h>

#include "../collectors/clock.h"

#define CHECK_INTERVAL_SEC 5
/* An episode ends after this long without a dropped packet. */
#define QUIET_MS 60000

static struct ct_table_view view;
static struct fw_ct_full_state full;
static unsigned timer;
static char read_error[256]; /* the failure logged last; empty while reads work */

static void check_table(void)
{
	struct fw_ct_table_stats stats;
	struct fw_clock now;
	char error[256];

	if (fw_ct_table_read("/proc", &stats, error, sizeof(error)) < 0) {
		if (strcmp(error, read_error) != 0)
			snmp_log(LOG_WARNING, "cannot read the conntrack table statistics: %s\n",
			         error);
		snprintf(read_error, sizeof(read_error), "%s", error);
		view.valid = 0;
		return;
	}
	if (read_error[0])
		snmp_log(LOG_NOTICE, "conntrack table statistics readable again\n");
	read_error[0] = '\0';
	view.stats = stats;
	view.valid = 1;
	fw_clock_now(&now);
	switch (fw_ct_full_update(&full, &stats, now.mono_ms, QUIET_MS)) {
	case FW_CT_FULL_BEGAN:
		snmp_log(LOG_ERR,
		         "conntrack table full: the kernel is dropping packets (%llu so far; "
		         "nf_conntrack_count %u of nf_conntrack_max %u): new connections fail, "
		         "phones registering again among them; raise nf_conntrack_max\n",
		         (unsigned long long)full.episode_drops, stats.entries, stats.max);
		break;
	case FW_CT_FULL_ENDED:
		snmp_log(LOG_NOTICE,
		         "conntrack table no longer full: %llu packet(s) dropped in all, none for "
		         "%d s (nf_conntrack_count %u of %u)\n",
		         (unsigned long long)full.episode_drops, QUIET_MS / 1000, stats.entries,
		         stats.max);
		break;
	case FW_CT_FULL_UNCHANGED:
		break;
	}
	view.full = full.full;
}

static void timer_fired(unsigned reg, void *arg)
{
	(void)reg;
	(void)arg;
	check_table();
}

int ct_table_watch_start(void)
{
	check_table();
	if (ct_table_scalars_register(&view) < 0)
		return -1;
	timer = snmp_alarm_register(CHECK_INTERVAL_SEC, SA_REPEAT, timer_fired, NULL);
	if (!timer) {
		snmp_log(LOG_ERR, "cannot arm the conntrack table check timer\n");
		return -1;
	}
	return 0;
}

void ct_table_watch_stop(void)
{
	if (timer)
		snmp_alarm_unregister(timer);
	timer = 0;
}
