/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The two clocks the collectors work with: wall time to publish, monotonic time to measure. */
#ifndef FWSTATE_CLOCK_H
#define FWSTATE_CLOCK_H

#include <stdint.h>
#include <time.h>

struct fw_clock {
	time_t wall;      /* CLOCK_REALTIME seconds, for what is published */
	uint64_t mono_ms; /* CLOCK_MONOTONIC milliseconds, for durations and windows */
};

/* Reads both clocks now. */
void fw_clock_now(struct fw_clock *now);

#endif
