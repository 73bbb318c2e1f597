/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "teardown_cause.h"

#include <linux/netfilter/nf_conntrack_tcp.h>

#include "session_tracker.h"

/* Covers the time between the kernel arming a timeout and the agent reading it. */
#define EXPIRY_SLACK_MS 2000
/* How late the kernel's garbage collector may report an expired entry. */
#define GC_DELAY_MS 60000

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

/*
 * A packet after the last observation re-arms either the state's full timeout,
 * which only moves expiry later, or, when data goes unacknowledged, segments
 * are retransmitted or the window is zero, the shorter unacknowledged or
 * retrans timeout (tcp_packet() in nf_conntrack_proto_tcp.c). That re-arming
 * sends no event, so an expiry earlier than observed but at least that
 * shorter timeout after the observation is the kernel's shortened timeout.
 */
static uint32_t shortest_timeout(uint32_t shortened_timeout)
{
	return shortened_timeout ? shortened_timeout : FW_DEFAULT_SHORTENED_TIMEOUT;
}

static int shortened_expiry(const struct fw_session *s, uint32_t shortened_timeout,
                            const struct fw_clock *now)
{
	uint64_t shortest = (uint64_t)shortest_timeout(shortened_timeout) * 1000;

	return now->mono_ms + EXPIRY_SLACK_MS >= s->observed_mono_ms + shortest;
}

enum fw_teardown_cause fw_classify_teardown(const struct fw_session *session,
                                            const struct fw_ct_event *destroy,
                                            uint32_t shortened_timeout, const struct fw_clock *now)
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
	if (fw_session_expired(session, now)) {
		enum fw_teardown_cause cause = fw_timeout_cause(session->tcp_state);

		/*
		 * A dump saw data unacknowledged (an unacknowledged FIN counts too) in
		 * a state whose own timeout is longer than the shortened one: what was
		 * left was the shortened timeout, and it ran out then (an
		 * acknowledgement would have re-armed the full one, and the end would
		 * have come much later).
		 */
		if (session->unacked_seen &&
		    session->effective_timeout > shortest_timeout(shortened_timeout) &&
		    now->mono_ms <= session->observed_mono_ms +
		                        (uint64_t)session->remaining * 1000 + GC_DELAY_MS &&
		    (cause == FW_CAUSE_IDLE_TIMEOUT || cause == FW_CAUSE_HALF_CLOSED_TIMEOUT))
			return FW_CAUSE_UNACKED_TIMEOUT;
		return cause;
	}
	/* the kernel's own expiry (not a netlink delete), earlier than observed */
	if (destroy && shortened_expiry(session, shortened_timeout, now))
		return FW_CAUSE_UNACKED_TIMEOUT;
	return FW_CAUSE_OTHER;
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
	case FW_CAUSE_UNACKED_TIMEOUT:
		return "unackedTimeout";
	}
	return "unknown";
}
