/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "storm_control.h"

#include <string.h>

static void add_saturated(uint32_t *counter, uint32_t n)
{
	*counter = *counter > UINT32_MAX - n ? UINT32_MAX : *counter + n;
}

/* A window exists from its first admit until a flush or the next window: each admit counts. */
static int window_open(const struct fw_storm *storm)
{
	return storm->sent > 0 || storm->held.held_total > 0;
}

static int window_over(const struct fw_storm *storm, uint64_t now_mono_ms)
{
	return now_mono_ms >= storm->window_start_ms + (uint64_t)storm->interval * 1000;
}

static void reset_window(struct fw_storm *storm)
{
	storm->sent = 0;
	memset(&storm->held, 0, sizeof(storm->held));
}

void fw_storm_init(struct fw_storm *storm, uint32_t limit, uint32_t interval)
{
	memset(storm, 0, sizeof(*storm));
	storm->limit = limit;
	storm->interval = interval;
}

void fw_storm_set_limits(struct fw_storm *storm, uint32_t limit, uint32_t interval)
{
	storm->limit = limit;
	storm->interval = interval;
}

int fw_storm_admit(struct fw_storm *storm, uint64_t now_mono_ms, enum fw_teardown_cause cause)
{
	if (window_open(storm) && window_over(storm, now_mono_ms)) {
		/* Nobody flushed the last window: keep its holds for the next flush. */
		if (storm->held.held_total > 0) {
			struct fw_storm_summary *p = &storm->pending;

			add_saturated(&p->held_total, storm->held.held_total);
			for (int c = 0; c <= FW_CAUSE_COUNT; c++)
				add_saturated(&p->held[c], storm->held.held[c]);
			add_saturated(&p->interval, storm->interval);
		}
		reset_window(storm);
	}
	if (!window_open(storm))
		storm->window_start_ms = now_mono_ms;

	if (storm->sent < storm->limit) {
		storm->sent++;
		return 1;
	}
	if (cause < FW_CAUSE_RESET || cause > FW_CAUSE_COUNT)
		cause = FW_CAUSE_OTHER;
	add_saturated(&storm->held.held_total, 1);
	add_saturated(&storm->held.held[cause], 1);
	return 0;
}

int fw_storm_flush(struct fw_storm *storm, uint64_t now_mono_ms, struct fw_storm_summary *summary)
{
	if (storm->pending.held_total > 0) {
		*summary = storm->pending;
		memset(&storm->pending, 0, sizeof(storm->pending));
		return 1;
	}
	if (!window_open(storm) || !window_over(storm, now_mono_ms) || storm->held.held_total == 0)
		return 0;
	*summary = storm->held;
	summary->interval = storm->interval;
	reset_window(storm);
	return 1;
}
