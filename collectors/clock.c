/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "clock.h"

void fw_clock_now(struct fw_clock *now)
{
	struct timespec mono;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	now->wall = time(NULL);
	now->mono_ms = (uint64_t)mono.tv_sec * 1000 + (uint64_t)mono.tv_nsec / 1000000;
}
