/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "teardown_cause.h"

#include <linux/netfilter/nf_conntrack_tcp.h>

#include "session_tracker.h"

/* The kernel only ever pushes expiry later; this covers event and timer jitter. */
#define EXPIRY_SLACK_MS 2000

int fw_session_expired(const struct fw_session *s, const struct fw_clock *now)
{
	uint64_t expiry = s->observed_mono_ms + (uint64_t)s->remaining * 1000;

	return expiry <= now->mono_ms + EXPIRY_SLACK_MS;
}

enum fw_teardown_cause fw_timeout_cause(uint8_t tcp_state)
{
	switch (tcp_state) {
	case TCP_CONNTRACK_ESTABLISHED:
		return FW_CAUSE_IDLE_TIMEOUT;
	case TCP_CONNTRACK_FIN_WAIT:
	case TCP_CONNTRACK_CLOSE_WAIT:
	case TCP_CONNTRACK_LAST_ACK:
		return FW_CAUSE_HALF_CLOSED_TIMEOUT;
	case TCP_CONNTRACK_TIME_WAIT:
		return FW_CAUSE_CLOSED;
	case TCP_CONNTRACK_CLOSE:
		return FW_CAUSE_RESET;
	default:
		return FW_CAUSE_OTHER;
	}
}

enum fw_teardown_cause fw_classify_teardown(const struct fw_session *session,
                                            const struct fw_ct_event *destroy,
                                            const struct fw_clock *now)
{
	if (destroy && destroy->portid != 0)
		return FW_CAUSE_FLUSHED;
	/*
	 * CLOSE is only reached through an RST and TIME_WAIT through FINs both
	 * ways; the kernel destroys an entry whose only answer was an RST at once,
	 * with no update before, so the final state in the DESTROY is the cause.
	 */
	if (destroy && destroy->has_tcp_state && destroy->tcp_state == TCP_CONNTRACK_CLOSE)
		return FW_CAUSE_RESET;
	if (destroy && destroy->has_tcp_state && destroy->tcp_state == TCP_CONNTRACK_TIME_WAIT)
		return FW_CAUSE_CLOSED;
	/* Packets only push expiry later: gone well before it, it was not a timeout. */
	if (!fw_session_expired(session, now))
		return FW_CAUSE_OTHER;
	return fw_timeout_cause(session->tcp_state);
}

const char *fw_teardown_cause_name(enum fw_teardown_cause cause)
{
	switch (cause) {
	case FW_CAUSE_RESET:
		return "reset";
	case FW_CAUSE_CLOSED:
		return "closed";
	case FW_CAUSE_IDLE_TIMEOUT:
		return "idleTimeout";
	case FW_CAUSE_HALF_CLOSED_TIMEOUT:
		return "halfClosedTimeout";
	case FW_CAUSE_FLUSHED:
		return "flushed";
	case FW_CAUSE_MISSED:
		return "missed";
	case FW_CAUSE_OTHER:
		return "other";
	}
	return "unknown";
}
