/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One function per FWSTATE-MIB NOTIFICATION-TYPE, each gated by the
 * configuration. Session notifications pass storm control here; every
 * notification then takes the one way out (notify_delivery.c).
 */
#ifndef FWSTATE_NOTIFY_H
#define FWSTATE_NOTIFY_H

#include <stdint.h>

#include "../collectors/resolver_tracker.h"
#include "../collectors/session_tracker.h"
#include "../collectors/timeout_alarm.h"
#include "config_parse.h"

/* master_mode: --master, notifications go to this process's own trap sinks. */
int notify_start(const struct fw_config *config, int master_mode);

void notify_reconfigure(const struct fw_config *config);

void notify_stop(void);

/* fwStateTimeoutBelowThreshold (if timeoutNotifications). Returns 0, or -1 when not queued. */
int notify_timeout_below_threshold(const struct fw_timeout_row *row, uint32_t threshold);

/* fwStateTimeoutCleared. */
int notify_timeout_cleared(const struct fw_timeout_row *row, uint32_t threshold,
                           enum fw_clear_reason reason);

/*
 * fwStateSessionTornDown, instances named by the teardown's
 * fwStateTeardownIndex. Returns 1 when storm control let it through (then it
 * is worth a log line too), 0 when it is held back for the summary
 * (fwStateSessionTeardownsHeld, sent by storm control itself).
 */
int notify_session_torn_down(const struct fw_teardown *teardown);

/* fwStateSessionTimeoutTooLow, instances named by the session's index; returns as above. */
int notify_session_timeout_too_low(const struct fw_session *session, uint32_t threshold);

/*
 * fwStatePhoneServerFlapStarted and fwStatePhoneServerFlapEnded (if
 * sessionNotifications), instances named by the phone's index; once per
 * episode each, so no storm control.
 */
void notify_phone_server_flap_started(const struct fw_phone *phone);
void notify_phone_server_flap_ended(const struct fw_phone *phone);

/*
 * fwStatePhoneFlaggedResolver, instances named by the pair's index in
 * fwStatePhoneResolverTable, storm-limited like teardowns. Returns 1 when it
 * went (worth a log line too), 0 when held back.
 */
int notify_phone_flagged_resolver(const struct fw_phone_resolver *pair);

/* fwStateSessionNotificationsHeld: held back by storm control so far. */
uint32_t notify_teardowns_held(void);

#endif
