/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "timeout_poll.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "notify.h"
#include "session_monitor.h"
#include "timeout_scalars.h"
#include "timeout_table.h"

static struct fw_timeout_collector collector;
static struct fw_timeout_poller poller;
static int poller_fd = -1;                  /* registered with the event loop */
static struct fw_timeout_list current_rows; /* what the MIB shows: the last complete poll */
static struct fw_timeout_list polled_rows;  /* the poll under way */
static struct fw_alarm_state alarms;
static struct fw_config config;
static struct timeout_view view = {
    .rows = &current_rows,
    .collector = &collector,
    .config = &config,
};
static unsigned int poll_timer;

static const char *clear_reason_text(enum fw_clear_reason reason)
{
	switch (reason) {
	case FW_CLEAR_AT_OR_ABOVE:
		return "back at or above the threshold";
	case FW_CLEAR_SOURCE_REMOVED:
		return "its source is gone";
	case FW_CLEAR_NOT_CHECKED:
		return "no longer checked";
	}
	return "cleared";
}

static void log_event(const struct fw_alarm_event *event)
{
	const struct fw_timeout_row *row = &event->row;
	char protocol[16];

	fw_protocol_name(row->protocol, protocol, sizeof(protocol));
	if (event->kind == FW_ALARM_RAISE)
		snmp_log(LOG_WARNING,
		         "%s \"%s\" %s %s timeout is %u s, below the threshold of %u s\n",
		         fw_source_kind_name(row->source), row->source_name, protocol, row->state,
		         row->seconds, event->threshold);
	else
		snmp_log(LOG_NOTICE, "%s \"%s\" %s %s timeout alarm cleared (%u s): %s\n",
		         fw_source_kind_name(row->source), row->source_name, protocol, row->state,
		         row->seconds, clear_reason_text(event->reason));
}

static void emit_alarm_event(const struct fw_alarm_event *event, void *ctx)
{
	(void)ctx;
	log_event(event);
	if (event->kind == FW_ALARM_RAISE)
		notify_timeout_below_threshold(&event->row, event->threshold);
	else
		notify_timeout_cleared(&event->row, event->threshold, event->reason);
}

static void evaluate(void)
{
	if (fw_alarm_evaluate(&alarms, &current_rows, &config.policy, emit_alarm_event, NULL) < 0)
		snmp_log(LOG_ERR, "out of memory evaluating timeout alarms; retrying next poll\n");
	view.below_threshold = fw_timeout_count_below(&config.policy, &current_rows);
	timeout_table_sync(&view);
}

static void poll_complete(void)
{
	struct fw_timeout_list swap = current_rows;

	current_rows = polled_rows;
	polled_rows = swap;
	evaluate();
	session_monitor_timeouts_read(&current_rows);
}

static void arm_expiry(void);

static void on_poller_fd(int fd, void *data)
{
	(void)fd;
	(void)data;
	if (fw_timeout_poller_process(&poller))
		poll_complete();
	else if (fw_timeout_poller_busy(&poller))
		arm_expiry(); /* a reply came: the next one gets its own time */
}

/* The poller's socket appears with its first netlink request. */
static void watch_poller_fd(void)
{
	int fd = fw_timeout_poller_fd(&poller);

	if (fd == poller_fd)
		return;
	if (poller_fd >= 0)
		unregister_readfd(poller_fd);
	if (fd >= 0)
		register_readfd(fd, on_poller_fd, NULL);
	poller_fd = fd;
}

/* A netlink source that has not answered this long fails ("no reply from the kernel"). */
#define REPLY_TIMEOUT_SEC 2

static unsigned int expiry_timer;

static void expiry_fired(unsigned int reg, void *clientarg)
{
	(void)reg;
	(void)clientarg;
	expiry_timer = 0;
	if (!fw_timeout_poller_busy(&poller))
		return;
	if (fw_timeout_poller_expire(&poller))
		poll_complete();
	else
		arm_expiry(); /* the next source was asked */
	watch_poller_fd();
}

static void arm_expiry(void)
{
	if (expiry_timer)
		snmp_alarm_unregister(expiry_timer);
	expiry_timer = snmp_alarm_register(REPLY_TIMEOUT_SEC, 0, expiry_fired, NULL);
}

/*
 * Starts a poll; its netlink replies are read by the event loop as they come.
 * A source that stays silent for REPLY_TIMEOUT_SEC fails and keeps its
 * previous rows; a poll still under way at the next tick gives up on the
 * source it awaits, then a new poll starts.
 */
static void poll_sources(void)
{
	if (fw_timeout_poller_busy(&poller)) {
		/* each call fails the source awaited and asks the next */
		for (int s = 0; s < FW_SOURCE_COUNT && fw_timeout_poller_busy(&poller); s++)
			fw_timeout_poller_expire(&poller);
		if (!fw_timeout_poller_busy(&poller))
			poll_complete();
	}
	if (fw_timeout_poller_start(&poller, &current_rows, &polled_rows))
		poll_complete();
	else
		arm_expiry();
	watch_poller_fd();
}

static void poll_timer_fired(unsigned int reg, void *clientarg)
{
	(void)reg;
	(void)clientarg;
	poll_sources();
}

static int arm_timer(void)
{
	if (poll_timer)
		snmp_alarm_unregister(poll_timer);
	poll_timer = snmp_alarm_register(config.poll_interval, SA_REPEAT, poll_timer_fired, NULL);
	if (!poll_timer) {
		snmp_log(LOG_ERR, "cannot arm the timeout poll timer\n");
		return -1;
	}
	return 0;
}

int timeout_poll_start(const struct fw_config *new_config)
{
	config = *new_config;
	fw_timeout_collector_init(&collector);
	fw_timeout_poller_init(&poller, &collector);
	if (timeout_table_register(&view) < 0 || timeout_scalars_register(&view) < 0)
		return -1;
	poll_sources();
	return arm_timer();
}

void timeout_poll_reconfigure(const struct fw_config *new_config)
{
	uint32_t old_interval = config.poll_interval;

	config = *new_config;
	if (config.poll_interval != old_interval)
		arm_timer();
	/* a new threshold applies to what was read last at once */
	evaluate();
	if (!fw_timeout_poller_busy(&poller))
		poll_sources();
}

void timeout_poll_stop(void)
{
	if (poll_timer)
		snmp_alarm_unregister(poll_timer);
	poll_timer = 0;
	if (expiry_timer)
		snmp_alarm_unregister(expiry_timer);
	expiry_timer = 0;
	if (poller_fd >= 0)
		unregister_readfd(poller_fd);
	poller_fd = -1;
	fw_timeout_poller_free(&poller);
	timeout_table_unregister();
	fw_alarm_state_free(&alarms);
	fw_timeout_list_free(&current_rows);
	fw_timeout_list_free(&polled_rows);
}
