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

#include "../collectors/timeout_alarm.h"

#define FW_DEFAULT_POLL_INTERVAL 5
#define FW_MAX_POLL_INTERVAL     3600
#define FW_MAX_THRESHOLD         2147483647u

struct fw_config {
	struct fw_check_policy policy; /* timeoutThreshold, checkTimeout */
	uint32_t poll_interval;        /* timeoutPollInterval, seconds */
	int timeout_notifications;     /* timeoutNotifications yes|no */
	int checks_given;              /* a checkTimeout line was seen: later ones add to it */
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
int fw_config_apply(struct fw_config *config, const char *directive, const char *value,
		    char *error, size_t error_len);

#endif
