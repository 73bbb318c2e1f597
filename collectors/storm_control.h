/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * At most `limit` teardown notifications per `interval` seconds; the rest are
 * held back and counted by cause, then summed up in one summary notification.
 */
#ifndef FWSTATE_STORM_CONTROL_H
#define FWSTATE_STORM_CONTROL_H

#include <stdint.h>

#include "session_tracker.h"

struct fw_storm_summary {
	uint32_t held_total;
	uint32_t held[FW_CAUSE_COUNT + 1]; /* by cause; [0] unused */
	uint32_t interval;                 /* seconds the window lasted */
};

struct fw_storm {
	uint32_t limit;    /* notifications per window; 0 = none at all */
	uint32_t interval; /* window length, seconds */
	uint64_t window_start_ms;
	uint32_t sent;
	struct fw_storm_summary held;
	/* held in windows that ended before a flush; reported by the next flush */
	struct fw_storm_summary pending;
};

void fw_storm_init(struct fw_storm *storm, uint32_t limit, uint32_t interval);

/*
 * New limits (a reload), the interval applying to the current window too;
 * what it admitted and held is kept, so no held notification goes unreported.
 */
void fw_storm_set_limits(struct fw_storm *storm, uint32_t limit, uint32_t interval);

/* Returns 1 when a notification for this teardown may be sent now; 0 when held back (counted). */
int fw_storm_admit(struct fw_storm *storm, uint64_t now_mono_ms, enum fw_teardown_cause cause);

/*
 * Once the current window is over: returns 1 and fills summary when anything
 * was held back in it, and starts a new window. Returns 0 otherwise.
 * A window that ended with holds but was only followed by an admit (no flush
 * in between) is kept aside and reported by the next flush, even while the
 * new window runs; call it until it returns 0 to drain everything.
 */
int fw_storm_flush(struct fw_storm *storm, uint64_t now_mono_ms, struct fw_storm_summary *summary);

#endif
