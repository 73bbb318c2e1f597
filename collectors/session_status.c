/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "session_status.h"

#include <linux/netfilter/nf_conntrack_tcp.h>

uint32_t fw_session_remaining(const struct fw_session *session, const struct fw_clock *now)
{
	uint64_t elapsed_s = now->mono_ms > session->observed_mono_ms
	                         ? (now->mono_ms - session->observed_mono_ms) / 1000
	                         : 0;

	return elapsed_s >= session->remaining ? 0 : session->remaining - (uint32_t)elapsed_s;
}

uint32_t fw_session_age(const struct fw_session *session, const struct fw_clock *now)
{
	if (now->wall <= session->start)
		return 0;
	return (uint64_t)(now->wall - session->start) > UINT32_MAX
	           ? UINT32_MAX
	           : (uint32_t)(now->wall - session->start);
}

enum fw_session_timeout_status fw_session_timeout_status(const struct fw_session *session,
                                                         uint32_t threshold)
{
	if (session->tcp_state != TCP_CONNTRACK_ESTABLISHED || session->effective_timeout == 0)
		return FW_SESSION_TIMEOUT_UNKNOWN;
	if (session->effective_timeout >= threshold)
		return FW_SESSION_TIMEOUT_OK;
	return session->effective_exact ? FW_SESSION_TIMEOUT_BELOW : FW_SESSION_TIMEOUT_UNKNOWN;
}

uint32_t fw_phone_teardowns(const struct fw_phone *phone)
{
	uint32_t total = 0;

	for (int cause = FW_CAUSE_RESET; cause <= FW_CAUSE_COUNT; cause++)
		total += phone->teardowns[cause];
	return total;
}

uint64_t fw_tracker_teardowns(const struct fw_tracker_stats *stats)
{
	uint64_t total = 0;

	for (int cause = FW_CAUSE_RESET; cause <= FW_CAUSE_COUNT; cause++)
		total += stats->teardowns[cause];
	return total;
}

uint64_t fw_tracker_sessions_now(const struct fw_tracker_stats *stats)
{
	uint64_t gone = fw_tracker_teardowns(stats) + stats->sessions_unwatched;

	return stats->sessions_seen > gone ? stats->sessions_seen - gone : 0;
}
