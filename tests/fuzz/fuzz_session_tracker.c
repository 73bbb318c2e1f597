/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Drives one session tracker with a sequence of small synthetic conntrack
 * events, dump rows, resyncs, clock steps and policy changes decoded from the
 * input, and checks the bookkeeping after every step. Addresses, ports and ids
 * come from tiny ranges so that inputs keep hitting the same sessions.
 *
 * Input: byte 0 sets up the policy; then ops of one opcode byte followed by
 * up to four parameter bytes (missing bytes read as zero).
 */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "session_tracker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* family x phone x server x sport x dport x zone: every session key there can be. */
#define MAX_LIVE   (2 * 8 * 4 * 8 * 2 * 2)
#define MAX_PHONES (2 * 8 + 2)

struct model {
	struct fw_session *live[MAX_LIVE];
	size_t live_count;
	const struct fw_phone *phones[MAX_PHONES];
	size_t phone_count;
	uint64_t added, removed, teardowns, expired;
	uint32_t last_index, last_expired;
	uint64_t events;
	size_t history_size;
	int in_set_policy;  /* a policy change may drop sessions it no longer covers */
	uint64_t unwatched; /* sessions dropped that way while not torn down */
};

static void quiet(int priority, const char *subsystem, const char *message)
{
	(void)priority;
	(void)subsystem;
	(void)message;
}

static void on_session_added(struct fw_session *session, void *ctx)
{
	struct model *m = ctx;

	for (size_t i = 0; i < m->live_count; i++)
		if (m->live[i] == session)
			abort(); /* added twice */
	if (m->live_count == MAX_LIVE)
		abort(); /* more sessions than distinct keys */
	m->live[m->live_count++] = session;
	m->added++;
}

static void on_session_removed(struct fw_session *session, void *ctx)
{
	struct model *m = ctx;

	for (size_t i = 0; i < m->live_count; i++) {
		if (m->live[i] == session) {
			/* Every session is torn down before it goes, unless a policy dropped it. */
			if (!session->teardown_reported && !m->in_set_policy)
				abort();
			m->unwatched += !session->teardown_reported;
			m->live[i] = m->live[--m->live_count];
			m->removed++;
			return;
		}
	}
	abort(); /* removed but never added */
}

static void on_phone_added(struct fw_phone *phone, void *ctx)
{
	struct model *m = ctx;

	if (m->phone_count == MAX_PHONES)
		abort();
	m->phones[m->phone_count++] = phone;
}

static void on_teardown(const struct fw_teardown *teardown, void *ctx)
{
	struct model *m = ctx;

	if (teardown->index <= m->last_index || teardown->cause < FW_CAUSE_RESET ||
	    teardown->cause > FW_CAUSE_COUNT)
		abort();
	m->last_index = teardown->index;
	m->teardowns++;
}

static void on_expired(const struct fw_teardown *teardown, void *ctx)
{
	struct model *m = ctx;

	/* Oldest first, and only records that were announced. */
	if (teardown->index <= m->last_expired || teardown->index > m->last_index)
		abort();
	m->last_expired = teardown->index;
	m->expired++;
}

static void on_below(const struct fw_session *session, uint32_t threshold, void *ctx)
{
	(void)ctx;
	if (session->below_notified != 1 || session->effective_timeout == 0 ||
	    session->effective_timeout >= threshold)
		abort();
}

static void check(const struct fw_tracker *t, const struct model *m)
{
	const struct fw_tracker_stats *st = fw_tracker_stats(t);
	uint64_t open = 0, phone_now = 0, phone_teardowns = 0, stat_teardowns = 0;

	if (fw_tracker_session_count(t) != m->added - m->removed ||
	    fw_tracker_session_count(t) != m->live_count)
		abort();
	if (st->events != m->events || st->sessions_seen != m->added ||
	    st->sessions_unwatched != m->unwatched)
		abort();
	for (size_t i = 0; i < m->live_count; i++)
		open += !m->live[i]->teardown_reported;
	for (size_t i = 0; i < m->phone_count; i++) {
		const struct fw_phone *p = m->phones[i];
		uint64_t sum = 0;

		/* An underflow would show as a huge count. */
		if (p->sessions_now > p->sessions_seen)
			abort();
		for (int c = FW_CAUSE_RESET; c <= FW_CAUSE_COUNT; c++)
			sum += p->teardowns[c];
		/* sessions a policy change dropped are in neither count */
		if (p->sessions_now + sum > p->sessions_seen)
			abort();
		phone_now += p->sessions_now;
		phone_teardowns += sum;
	}
	for (int c = FW_CAUSE_RESET; c <= FW_CAUSE_COUNT; c++)
		stat_teardowns += st->teardowns[c];
	if (phone_now != open || phone_teardowns != m->teardowns || stat_teardowns != m->teardowns)
		abort();
	if (fw_tracker_history_count(t) != m->teardowns - m->expired ||
	    fw_tracker_history_count(t) > m->history_size)
		abort();
	for (size_t i = 0; i < fw_tracker_history_count(t); i++) {
		const struct fw_teardown *td = fw_tracker_history_at(t, i);

		if (!td || td->index <= m->last_expired || td->index > m->last_index)
			abort();
	}
}

static const uint32_t timeouts[8] = {0, 1, 10, 60, 120, 300, 660, 432000};

static void build_policy(struct fw_session_policy *p, uint8_t setup)
{
	memset(p, 0, sizeof(*p));
	p->sip_ports[0] = 5061;
	p->sip_port_count = 1 + (setup & 1);
	p->sip_ports[1] = 5062;
	/* Bit 1: phones limited to the lower half of the phone numbers. */
	if (setup & 2) {
		fw_cidr_parse("10.1.0.0/30", &p->phone_networks[0]);
		fw_cidr_parse("2001:db8:1::/126", &p->phone_networks[1]);
		p->phone_network_count = 2;
	}
	/* Bit 2: only servers 0 and 1. */
	if (setup & 4) {
		fw_cidr_parse("192.0.2.0/31", &p->server_networks[0]);
		fw_cidr_parse("2001:db8:2::/127", &p->server_networks[1]);
		p->server_network_count = 2;
	}
	p->threshold = timeouts[(setup >> 3) & 7];
	p->reconnect_window = 30;
	p->history_size = (setup >> 6) & 3; /* 0..3: the ring wraps all the time */
}

/*
 * b0: family, phone (3 bits), server (2 bits), UDP, other port
 * b1: sport (3 bits), zone, id (3 bits; 0 = none), portid
 * b2: state (4 bits), has_state, has_timeout, has_start, start in the future
 * b3: timeout (3 bits), counters
 */
static void build_event(struct fw_ct_event *ev, enum fw_ct_kind kind, const uint8_t *b,
                        const struct fw_clock *now)
{
	uint8_t family = (b[0] & 1) ? AF_INET6 : AF_INET;
	unsigned phone = (b[0] >> 1) & 7, server = (b[0] >> 4) & 3;

	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->orig.family = family;
	ev->orig.protocol = (b[0] & 0x40) ? IPPROTO_UDP : IPPROTO_TCP;
	if (family == AF_INET) {
		static const uint8_t phone4[4] = {10, 1, 0, 0}, server4[4] = {192, 0, 2, 0};

		memcpy(ev->orig.src, phone4, 4);
		ev->orig.src[3] = (uint8_t)phone;
		memcpy(ev->orig.dst, server4, 4);
		ev->orig.dst[3] = (uint8_t)server;
		/* Junk past the IPv4 address must not matter. */
		ev->orig.src[4 + (b[3] & 7)] = b[2];
	} else {
		static const uint8_t phone6[4] = {0x20, 0x01, 0x0d, 0xb8};

		memcpy(ev->orig.src, phone6, 4);
		ev->orig.src[5] = 1;
		ev->orig.src[15] = (uint8_t)phone;
		memcpy(ev->orig.dst, phone6, 4);
		ev->orig.dst[5] = 2;
		ev->orig.dst[15] = (uint8_t)server;
	}
	ev->orig.sport = (uint16_t)(40000 + (b[1] & 7));
	ev->orig.dport = (b[0] & 0x80) ? 5062 : 5061;
	ev->reply.family = family;
	ev->reply.protocol = ev->orig.protocol;
	memcpy(ev->reply.src, ev->orig.dst, 16);
	memcpy(ev->reply.dst, ev->orig.src, 16);
	ev->reply.dst[0] ^= 0x40; /* NAT */
	ev->reply.sport = ev->orig.dport;
	ev->reply.dport = (uint16_t)(ev->orig.sport + 1000);
	ev->zone = (b[1] >> 3) & 1;
	ev->id = (b[1] >> 4) & 7;
	ev->portid = (b[1] & 0x80) ? 4242 : 0;
	ev->has_tcp_state = (b[2] >> 4) & 1;
	ev->tcp_state = b[2] & 15;
	ev->has_timeout = (b[2] >> 5) & 1;
	ev->timeout = timeouts[b[3] & 7];
	if (b[2] & 0x40) {
		time_t start = (b[2] & 0x80) ? now->wall + 100 : now->wall - (b[3] >> 4);

		ev->has_start = 1;
		ev->start_ns = start > 0 ? (uint64_t)start * 1000000000ull : 0;
	}
	ev->has_counters = (b[3] >> 3) & 1;
	ev->orig_packets = b[3];
	ev->reply_bytes = b[2];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model m;
	struct fw_session_policy policy;
	struct fw_tracker_hooks hooks = {
	    .session_added = on_session_added,
	    .session_removed = on_session_removed,
	    .phone_added = on_phone_added,
	    .teardown = on_teardown,
	    .teardown_expired = on_expired,
	    .timeout_below = on_below,
	    .ctx = &m,
	};
	struct fw_clock now = {.wall = 1700000000, .mono_ms = 10000000};
	struct fw_tracker *t;
	size_t pos = 1;

	if (size == 0)
		return 0;
	fw_log_set_sink(quiet);
	memset(&m, 0, sizeof(m));
	build_policy(&policy, data[0]);
	m.history_size = policy.history_size;
	t = fw_tracker_new(&policy, &hooks);
	if (!t)
		return 0;

	while (pos < size) {
		uint8_t op = data[pos++];
		uint8_t b[4] = {0};
		struct fw_ct_event ev;

		for (size_t i = 0; i < 4 && pos < size; i++)
			b[i] = data[pos++];
		switch (op % 13) {
		case 0:
		case 1:
		case 2:
			build_event(&ev,
			            op % 3 == 0   ? FW_CT_NEW
			            : op % 3 == 1 ? FW_CT_UPDATE
			                          : FW_CT_DESTROY,
			            b, &now);
			m.events++;
			fw_tracker_event(t, &ev, &now);
			break;
		case 3:
			fw_tracker_resync_begin(t);
			break;
		case 4:
		case 5:
			/* Rows are what the fuzzer should hit most between begin and end. */
			build_event(&ev, FW_CT_UPDATE, b, &now);
			fw_tracker_resync_row(t, &ev, &now);
			break;
		case 6:
			fw_tracker_resync_end(
			    t, (b[0] & 1) ? FW_RESYNC_RECONCILE : FW_RESYNC_AFTER_OVERRUN, &now);
			break;
		case 7:
			now.mono_ms += (uint64_t)b[0] * 37;
			now.wall = 1700000000 + (time_t)((now.mono_ms - 10000000) / 1000);
			break;
		case 8:
			now.mono_ms += (uint64_t)(b[0] | b[1] << 8) * 1000;
			now.wall = 1700000000 + (time_t)((now.mono_ms - 10000000) / 1000);
			break;
		case 9:
			/* The wall clock is stepped by an admin or NTP; monotonic time is not. */
			now.wall += (time_t)(int8_t)b[0] * 1000;
			break;
		case 10:
			build_policy(&policy, b[0]);
			/* Records beyond a smaller history have been announced as expired. */
			m.history_size = policy.history_size;
			m.in_set_policy = 1;
			fw_tracker_set_policy(t, &policy);
			m.in_set_policy = 0;
			break;
		case 11:
			/* An update that always carries a state and a timeout, like a packet's. */
			build_event(&ev, FW_CT_UPDATE, b, &now);
			ev.has_tcp_state = 1;
			ev.has_timeout = 1;
			m.events++;
			fw_tracker_event(t, &ev, &now);
			break;
		default:
			/* A burst over every server and source port, so the tables have to grow. */
			for (unsigned k = 0; k < 32; k++) {
				uint8_t bb[4] = {(uint8_t)((b[0] & 0xcf) | (k & 3) << 4),
				                 (uint8_t)((b[1] & 0xf0) | k >> 2), b[2], b[3]};

				build_event(&ev, (b[1] & 0x80) ? FW_CT_DESTROY : FW_CT_NEW, bb,
				            &now);
				ev.portid = 0;
				m.events++;
				fw_tracker_event(t, &ev, &now);
			}
			break;
		}
		check(t, &m);
	}
	fw_tracker_free(t);
	return 0;
}
