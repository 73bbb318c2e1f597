/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Why a phone session ended: the causes FWSTATE-MIB publishes and the pure
 * decision that picks one from what conntrack said last and how it ended.
 */
#ifndef FWSTATE_TEARDOWN_CAUSE_H
#define FWSTATE_TEARDOWN_CAUSE_H

#include <stdint.h>

#include "clock.h"

/* Values match FWSTATE-MIB FwStateTeardownCauseType. */
enum fw_teardown_cause {
	FW_CAUSE_RESET = 1,               /* RST: state went to CLOSE */
	FW_CAUSE_CLOSED = 2,              /* FIN both ways: TIME_WAIT reached */
	FW_CAUSE_IDLE_TIMEOUT = 3,        /* expired in ESTABLISHED */
	FW_CAUSE_HALF_CLOSED_TIMEOUT = 4, /* expired in CLOSE_WAIT, FIN_WAIT or LAST_ACK */
	FW_CAUSE_FLUSHED = 5,             /* deleted over netlink: conntrack -D / -F */
	FW_CAUSE_MISSED = 6,              /* vanished while events were lost */
	FW_CAUSE_OTHER = 7,
	FW_CAUSE_UNACKED_TIMEOUT = 8, /* expired at a timeout the kernel shortened: no answer */
};
#define FW_CAUSE_COUNT 8

/*
 * The kernel's nf_conntrack_tcp_timeout_unacknowledged and _max_retrans
 * default: what it arms instead of a longer timeout while data goes
 * unacknowledged, segments are retransmitted or the window is zero.
 */
#define FW_DEFAULT_SHORTENED_TIMEOUT 300

struct fw_session;
struct fw_ct_event;

/* Whether the session's timeout, as last observed, has run out by now (with slack). */
int fw_session_expired(const struct fw_session *session, const struct fw_clock *now);

/* What a timeout in this TCP state means for the phone. */
enum fw_teardown_cause fw_timeout_cause(uint8_t tcp_state);

/*
 * The cause of a session that ended now: from its DESTROY event (NULL when
 * it vanished from a dump), its last observed state and timeout, and the
 * shortest timeout the kernel arms for unanswered data (0: the default).
 */
enum fw_teardown_cause fw_classify_teardown(const struct fw_session *session,
                                            const struct fw_ct_event *destroy,
                                            uint32_t shortened_timeout, const struct fw_clock *now);

/* "reset", "closed", ... as FWSTATE-MIB names them. */
const char *fw_teardown_cause_name(enum fw_teardown_cause cause);

#endif
