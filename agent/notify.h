/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One function per FWSTATE-MIB NOTIFICATION-TYPE. */
#ifndef FWSTATE_NOTIFY_H
#define FWSTATE_NOTIFY_H

#include <stdint.h>

#include "../collectors/timeout_alarm.h"

/* fwStateTimeoutBelowThreshold. Returns 0 when handed to the agent library. */
int notify_timeout_below_threshold(const struct fw_timeout_row *row, uint32_t threshold);

/* fwStateTimeoutCleared. */
int notify_timeout_cleared(const struct fw_timeout_row *row, uint32_t threshold,
                           enum fw_clear_reason reason);

#endif
