/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "server_flap.h"

static uint32_t clamp_threshold(const struct fw_flap_policy *policy)
{
	if (policy->threshold < 1)
		return 1;
	return policy->threshold > FW_FLAP_MAX_THRESHOLD ? FW_FLAP_MAX_THRESHOLD
	                                                 : policy->threshold;
}

enum fw_flap_edge fw_server_flap_changed(struct fw_server_flap *flap,
                                         const struct fw_flap_policy *policy, uint64_t now_ms)
{
	const unsigned slots = FW_FLAP_MAX_THRESHOLD + 1;
	uint32_t threshold = clamp_threshold(policy);
	uint64_t window_ms = (uint64_t)policy->window_s * 1000;
	unsigned oldest;

	flap->change_ms[flap->head] = now_ms;
	flap->head = (uint8_t)((flap->head + 1) % slots);
	if (flap->count < slots)
		flap->count++;
	flap->last_change_ms = now_ms;
	if (flap->flapping || flap->count < threshold + 1)
		return FW_FLAP_NONE;
	/* the threshold+1-th latest change: within the window, there are more than threshold */
	oldest = (flap->head + slots - (threshold + 1)) % slots;
	if (now_ms - flap->change_ms[oldest] > window_ms)
		return FW_FLAP_NONE;
	flap->flapping = 1;
	flap->episodes++;
	return FW_FLAP_RAISED;
}

enum fw_flap_edge fw_server_flap_tick(struct fw_server_flap *flap,
                                      const struct fw_flap_policy *policy, uint64_t now_ms)
{
	if (!flap->flapping || now_ms < flap->last_change_ms ||
	    now_ms - flap->last_change_ms < (uint64_t)policy->window_s * 1000)
		return FW_FLAP_NONE;
	flap->flapping = 0;
	/* the next episode counts its own changes */
	flap->count = 0;
	return FW_FLAP_CLEARED;
}
