/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The periodic read of every timeout source, without blocking (the netlink
 * replies are read by the agent's event loop): feeds fwStateTimeoutTable and
 * fwStateSourceTable, keeps the scalars, and turns alarm edges into
 * notifications.
 */
#ifndef FWSTATE_TIMEOUT_POLL_H
#define FWSTATE_TIMEOUT_POLL_H

#include "../collectors/timeout_collect.h"
#include "../collectors/timeout_poller.h"
#include "config_parse.h"

/* What the MIB handlers read; handed to them when they are registered. */
struct timeout_view {
	const struct fw_timeout_list *rows;
	const struct fw_timeout_collector *collector;
	const struct fw_config *config;
	unsigned long below_threshold;
};

/* Registers the MIB objects, starts the first poll and arms the poll timer. */
int timeout_poll_start(const struct fw_config *config);

/* A new configuration took effect: re-arm the timer and re-evaluate at once. */
void timeout_poll_reconfigure(const struct fw_config *config);

void timeout_poll_stop(void);

#endif
