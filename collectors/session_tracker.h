/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SIP-TLS phone sessions as conntrack sees them: a pure state machine fed with
 * parsed conntrack events and dump rows. It keeps the live sessions, per-phone
 * statistics and the teardown history, classifies every teardown, and tells
 * the agent through hooks. No I/O, no clock of its own: callers pass the time.
 */
#ifndef FWSTATE_SESSION_TRACKER_H
#define FWSTATE_SESSION_TRACKER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cidr.h"
#include "clock.h"
#include "ct_event.h"
#include "server_flap.h"
#include "teardown_cause.h"
#include "teardown_history.h"

#define FW_MAX_NETWORKS  16
#define FW_MAX_SIP_PORTS 16

struct fw_session_policy {
	uint16_t sip_ports[FW_MAX_SIP_PORTS]; /* original destination ports; none: 5061 */
	size_t sip_port_count;
	struct fw_cidr phone_networks[FW_MAX_NETWORKS]; /* original source; none = any */
	size_t phone_network_count;
	struct fw_cidr server_networks[FW_MAX_NETWORKS]; /* original destination; none = any */
	size_t server_network_count;
	uint32_t threshold;         /* seconds: effective idle timeout below this is notified */
	uint32_t reconnect_window;  /* seconds: a new session this soon after a teardown is a
	                               reconnect; 0: none counted */
	size_t history_size;        /* teardown records kept; default 1000 */
	uint32_t phone_retention;   /* seconds a phone without sessions stays listed; 0 = forever */
	struct fw_flap_policy flap; /* server changes that make a geo-routing flap */
};

/* A row of fwStateSessionTable; owned by the tracker, valid until session_removed. */
struct fw_session {
	struct fw_ct_tuple orig;  /* phone -> server, as the phone sent it */
	struct fw_ct_tuple reply; /* server -> phone: reply.dst/dport is the phone after NAT */
	uint16_t zone;
	uint32_t ct_id;
	uint32_t mark;
	uint8_t tcp_state;          /* TCP_CONNTRACK_* */
	uint32_t remaining;         /* seconds left when last observed */
	uint64_t observed_mono_ms;  /* when remaining was observed */
	uint32_t effective_timeout; /* highest timeout armed in the current state (0: unknown) */
	uint8_t effective_exact; /* learned from a packet's event; else a lower bound from dumps */
	uint8_t unacked_seen;    /* when last observed, data was unacknowledged: the kernel had
	                            shortened the timeout */
	time_t start;            /* from CTA_TIMESTAMP_START when known, else first seen */
	uint64_t start_mono_ms;
	uint8_t has_counters;
	uint64_t orig_packets, orig_bytes, reply_packets, reply_bytes;
	/* bookkeeping */
	uint8_t teardown_reported; /* a reset/close was reported; the DESTROY only removes it */
	uint8_t below_notified;
	unsigned generation;
};

/*
 * A row of fwStatePhoneTable; owned by the tracker until fw_tracker_expire_phones
 * drops it (no session for phone_retention seconds).
 */
struct fw_phone {
	uint8_t family;
	uint8_t addr[16];
	uint32_t sessions_now; /* sessions not torn down */
	uint8_t has_server;    /* server of the newest session */
	uint8_t server_addr[16];
	uint16_t server_port;
	uint32_t sessions_seen;
	uint32_t teardowns[FW_CAUSE_COUNT + 1]; /* by cause; [0] unused */
	time_t last_teardown;                   /* 0: none yet */
	enum fw_teardown_cause last_cause;
	uint64_t last_teardown_mono_ms;
	uint32_t reconnects;
	uint32_t server_changes;
	uint64_t created_mono_ms;    /* when this row was created: its counters count from then */
	struct fw_server_flap *flap; /* from the phone's first server change; else NULL */
};

/*
 * Hooks run synchronously inside the tracker call and must not call back into
 * the tracker. Any of them may be NULL. Order for a new session: phone_added
 * (a new phone, its counters already counting the session), session_added
 * (every field filled), then timeout_below and teardown if they apply. An
 * update changes the session's fields first, then calls timeout_below and/or
 * teardown. A DESTROY calls teardown (unless a reset/close was reported
 * earlier), then session_removed. When the history is full, teardown_expired
 * for the oldest record comes just before teardown for the new one; with a
 * history_size of 0 every record is announced and expires at once. Teardown
 * records are only valid during the hook: copy them.
 */
struct fw_tracker_hooks {
	void (*session_added)(struct fw_session *session, void *ctx);
	void (*session_removed)(struct fw_session *session, void *ctx); /* before it is freed */
	void (*phone_added)(struct fw_phone *phone, void *ctx);
	void (*phone_removed)(struct fw_phone *phone, void *ctx);        /* before it is freed */
	void (*teardown)(const struct fw_teardown *teardown, void *ctx); /* recorded */
	void (*teardown_expired)(const struct fw_teardown *teardown, void *ctx); /* left history */
	void (*timeout_below)(const struct fw_session *session, uint32_t threshold, void *ctx);
	/* a geo-routing flap episode of the phone started (flapping 1) or ended (0) */
	void (*server_flap)(const struct fw_phone *phone, int flapping, void *ctx);
	void *ctx;
};

struct fw_tracker_stats {
	uint64_t events;        /* conntrack events handled (all, matching or not) */
	uint64_t sessions_seen; /* sessions ever added */
	uint64_t
	    sessions_unwatched; /* live ones dropped because the policy stopped covering them */
	uint64_t teardowns[FW_CAUSE_COUNT + 1];
	uint64_t resyncs;
	time_t last_resync;       /* 0: never */
	uint32_t phones_flapping; /* phones in a geo-routing flap episode now */
};

/* What the last resync found, for the log. */
struct fw_resync_summary {
	size_t rows;  /* session rows in the dump */
	size_t added; /* sessions no event had reported */
	size_t ended; /* sessions the dump no longer held, torn down at its end */
};

enum fw_resync_kind {
	FW_RESYNC_AFTER_OVERRUN, /* events were lost: what vanished is "missed" */
	FW_RESYNC_RECONCILE,     /* periodic: what vanished died without an event */
};

struct fw_tracker;

struct fw_tracker *fw_tracker_new(const struct fw_session_policy *policy,
                                  const struct fw_tracker_hooks *hooks);
/* Frees everything without calling hooks. */
void fw_tracker_free(struct fw_tracker *tracker);

/*
 * New ports/networks apply at once: sessions they no longer cover leave the
 * tables without a teardown (session_removed only). History is trimmed if smaller.
 */
void fw_tracker_set_policy(struct fw_tracker *tracker, const struct fw_session_policy *policy);

/*
 * The shortest timeout (seconds) the kernel arms in place of a longer one while
 * data goes unanswered: the lowest unacknowledged or retrans timeout of any
 * source; 0 for the kernel default. Teardowns classify against it.
 */
void fw_tracker_set_shortened_timeout(struct fw_tracker *tracker, uint32_t seconds);

/*
 * The address families sessions can have under the policy: those both the
 * phone and the server networks allow (all, where none are given).
 */
void fw_session_policy_families(const struct fw_session_policy *policy, int *ipv4, int *ipv6);

/* TCP, original destination port in the policy, source and destination in its networks. */
int fw_tracker_matches(const struct fw_tracker *tracker, const struct fw_ct_event *ev);

/* An event from the event socket. */
void fw_tracker_event(struct fw_tracker *tracker, const struct fw_ct_event *ev,
                      const struct fw_clock *now);

/*
 * A resync: begin, one call per dump row, end. Sessions absent from the dump
 * (and not created or updated by events meanwhile) are torn down: "missed"
 * after an overrun; after a reconcile, by the state they were last seen in when
 * their timeout had run out by then, otherwise "missed".
 */
void fw_tracker_resync_begin(struct fw_tracker *tracker);
void fw_tracker_resync_row(struct fw_tracker *tracker, const struct fw_ct_event *row,
                           const struct fw_clock *now);
void fw_tracker_resync_end(struct fw_tracker *tracker, enum fw_resync_kind kind,
                           const struct fw_clock *now);

/*
 * Drops phones that have had no tracked session for phone_retention seconds,
 * so addresses that come and go (scans, rotating IPv6 addresses) cannot grow
 * memory without bound. Returns how many went.
 */
size_t fw_tracker_expire_phones(struct fw_tracker *tracker, const struct fw_clock *now);

/*
 * Ends the flap episodes of phones that have stayed with one server for the
 * window (server_flap hook with 0). Cheap while no phone flaps; call it often.
 */
void fw_tracker_check_flaps(struct fw_tracker *tracker, const struct fw_clock *now);

size_t fw_tracker_session_count(const struct fw_tracker *tracker);
const struct fw_resync_summary *fw_tracker_resync_summary(const struct fw_tracker *tracker);
const struct fw_tracker_stats *fw_tracker_stats(const struct fw_tracker *tracker);

/*
 * The teardown history, oldest first: i in [0, count). The pointer is valid
 * until the next call that may record or expire a teardown (event, resync
 * end, set_policy).
 */
size_t fw_tracker_history_count(const struct fw_tracker *tracker);
const struct fw_teardown *fw_tracker_history_at(const struct fw_tracker *tracker, size_t i);

#endif
