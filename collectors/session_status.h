/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the tracker's plain rows mean at a given moment: time left, age, the
 * verdict on a session's armed timeout, and totals over causes. Pure; the MIB
 * tables and `--check` publish these values, they do not decide them.
 */
#ifndef FWSTATE_SESSION_STATUS_H
#define FWSTATE_SESSION_STATUS_H

#include <stdint.h>

#include "clock.h"
#include "session_tracker.h"

/* Values match FWSTATE-MIB fwStateSessionTimeoutStatus. */
enum fw_session_timeout_status {
	FW_SESSION_TIMEOUT_OK = 1,
	FW_SESSION_TIMEOUT_BELOW = 2,
	FW_SESSION_TIMEOUT_UNKNOWN = 3,
};

/* Seconds until conntrack forgets the session if no packet comes: what was left, less the time
 * since. */
uint32_t fw_session_remaining(const struct fw_session *session, const struct fw_clock *now);

/* Seconds since the session started (0 if its start lies in the future). */
uint32_t fw_session_age(const struct fw_session *session, const struct fw_clock *now);

/*
 * Only an established session's armed timeout counts. A value from dumps
 * alone is a lower bound: it proves ok, but below the threshold it proves
 * nothing (unknown).
 */
enum fw_session_timeout_status fw_session_timeout_status(const struct fw_session *session,
                                                         uint32_t threshold);

/* A phone's teardowns of every cause. */
uint32_t fw_phone_teardowns(const struct fw_phone *phone);

/* Teardowns of every cause the tracker recorded. */
uint64_t fw_tracker_teardowns(const struct fw_tracker_stats *stats);

/* Sessions tracked and not torn down: each is torn down once, or dropped unwatched by a reload. */
uint64_t fw_tracker_sessions_now(const struct fw_tracker_stats *stats);

#endif
