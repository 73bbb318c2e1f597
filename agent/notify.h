/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One function per FWSTATE-MIB NOTIFICATION-TYPE. */
#ifndef FWSTATE_NOTIFY_H
#define FWSTATE_NOTIFY_H

#include <stdint.h>

#include "../collectors/session_tracker.h"
#include "../collectors/storm_control.h"
#include "../collectors/timeout_alarm.h"

/* fwStateTimeoutBelowThreshold. Returns 0 when handed to the agent library. */
int notify_timeout_below_threshold(const struct fw_timeout_row *row, uint32_t threshold);

/* fwStateTimeoutCleared. */
int notify_timeout_cleared(const struct fw_timeout_row *row, uint32_t threshold,
                           enum fw_clear_reason reason);

/* fwStateSessionTornDown, instances named by the teardown's fwStateTeardownIndex. */
int notify_session_torn_down(const struct fw_teardown *teardown);

/* fwStateSessionTimeoutTooLow, instances named by the session's index. */
int notify_session_timeout_too_low(const struct fw_session *session, uint32_t threshold);

/* fwStateSessionTeardownsHeld: what storm control held back in one interval. */
int notify_session_teardowns_held(const struct fw_storm_summary *summary);

#endif
