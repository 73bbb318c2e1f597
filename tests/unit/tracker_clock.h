/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the tracker's tests share: short names for the kernel's TCP conntrack
 * states and a clock whose wall and monotonic parts advance together.
 */
#ifndef FWSTATE_TEST_TRACKER_CLOCK_H
#define FWSTATE_TEST_TRACKER_CLOCK_H

#include <linux/netfilter/nf_conntrack_tcp.h>
#include <stdint.h>
#include <time.h>

#include "clock.h"

#define T0_WALL 1700000000
#define T0_MONO 5000000ull

#define ESTABLISHED TCP_CONNTRACK_ESTABLISHED
#define SYN_SENT    TCP_CONNTRACK_SYN_SENT
#define FIN_WAIT    TCP_CONNTRACK_FIN_WAIT
#define CLOSE_WAIT  TCP_CONNTRACK_CLOSE_WAIT
#define LAST_ACK    TCP_CONNTRACK_LAST_ACK
#define TIME_WAIT   TCP_CONNTRACK_TIME_WAIT
#define CLOSE       TCP_CONNTRACK_CLOSE

/* `seconds` after the test's epoch, on both clocks. */
static inline struct fw_clock at(double seconds)
{
	struct fw_clock c;

	c.wall = T0_WALL + (time_t)seconds;
	c.mono_ms = T0_MONO + (uint64_t)(seconds * 1000.0 + 0.5);
	return c;
}

#endif
