/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's configuration and the validation of each directive's value.
 * Pure (no Net-SNMP): agent/config.c registers the directives with Net-SNMP's
 * config API and calls fw_config_apply for each line it is given.
 */
#ifndef FWSTATE_CONFIG_PARSE_H
#define FWSTATE_CONFIG_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "../collectors/notify_queue.h"
#include "../collectors/resolver_policy.h"
#include "../collectors/session_tracker.h"
#include "../collectors/timeout_alarm.h"

#define FW_DEFAULT_POLL_INTERVAL 5
#define FW_MAX_POLL_INTERVAL     3600
#define FW_MAX_THRESHOLD         2147483647u

#define FW_DEFAULT_SIP_PORT              5061
#define FW_DEFAULT_RECEIVE_BUFFER        (8u << 20)
#define FW_DEFAULT_RECONCILE_INTERVAL    30
#define FW_DEFAULT_TEARDOWN_HISTORY      1000
#define FW_DEFAULT_NOTIFY_LIMIT          20
#define FW_DEFAULT_NOTIFY_INTERVAL       10
#define FW_DEFAULT_RECONNECT_WINDOW      120
#define FW_DEFAULT_MAX_EVENTS_PER_WAKEUP 256
#define FW_DEFAULT_PHONE_RETENTION       86400
#define FW_DEFAULT_FLAP_THRESHOLD        3
#define FW_DEFAULT_FLAP_WINDOW           600

/* Session tracking (conntrack events and dumps). */
struct fw_session_settings {
	int tracking;                    /* sessionTracking yes|no */
	struct fw_session_policy policy; /* sipPort, phoneNetwork, serverNetwork, reconnectWindow,
	                                    teardownHistory; threshold is timeoutThreshold */
	int ports_given;                 /* a sipPort line was seen: later ones add */
	uint32_t receive_buffer;         /* conntrackReceiveBuffer BYTES */
	uint32_t reconcile_interval;     /* reconcileInterval SECONDS */
	uint32_t notify_limit;           /* teardownNotifyLimit N (per interval) */
	uint32_t notify_interval;        /* teardownNotifyInterval SECONDS */
	uint32_t max_events_per_wakeup;  /* maxEventsPerWakeup N */
	int notifications;               /* sessionNotifications yes|no */
};

/* resolverTracking, allowedResolver, flaggedResolver */
struct fw_resolver_config {
	int tracking;
	struct fw_resolver_policy policy;
	int flagged_given; /* a flaggedResolver line replaced the default list: later ones add */
};

struct fw_config {
	struct fw_check_policy policy; /* timeoutThreshold, checkTimeout */
	uint32_t poll_interval;        /* timeoutPollInterval, seconds */
	int timeout_notifications;     /* timeoutNotifications yes|no */
	int checks_given;              /* a checkTimeout line was seen: later ones add to it */
	uint32_t notify_queue_limit;   /* notificationQueueLimit N */
	struct fw_session_settings sessions;
	struct fw_resolver_config resolvers;
};

struct fw_config_directive {
	const char *name;
	const char *usage; /* shown by --help and in Net-SNMP's config help */
};

/* NULL-terminated list of the directives fw_config_apply understands. */
extern const struct fw_config_directive fw_config_directives[];

void fw_config_defaults(struct fw_config *config);

/*
 * Applies one directive with its value (the rest of the line). Returns 0, or
 * -1 with a message in error naming the bad value; config is then unchanged.
 */
int fw_config_apply(struct fw_config *config, const char *directive, const char *value, char *error,
                    size_t error_len);

#endif
