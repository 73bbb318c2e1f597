/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "session_tracker.h"

#include "tracker_clock.h"

#define NO_TIMEOUT UINT32_MAX
#define NO_STATE   -1

/* ---- hook recorder ---- */

enum hook {
	H_PHONE_ADDED,
	H_SESSION_ADDED,
	H_SESSION_REMOVED,
	H_TEARDOWN,
	H_EXPIRED,
	H_BELOW,
	H_PHONE_REMOVED,
	H_FLAP
};
#define H_COUNT 8

struct call {
	enum hook hook;
	struct fw_session session; /* copied at the call */
	const struct fw_session *session_ptr;
	struct fw_phone phone;
	const struct fw_phone *phone_ptr;
	struct fw_teardown teardown;
	uint32_t threshold;
	int flapping;
	struct fw_server_flap flap; /* copied at a flap call */
};

#define MAX_CALLS 256
static struct {
	struct call calls[MAX_CALLS]; /* the first MAX_CALLS since the last reset */
	size_t total;
	size_t counts[H_COUNT];
	long live; /* sessions added minus removed */
} rec;

static void reset_recorder(void)
{
	memset(&rec, 0, sizeof(rec));
}

static struct call *record(enum hook hook)
{
	static struct call overflow;
	struct call *c = rec.total < MAX_CALLS ? &rec.calls[rec.total] : &overflow;

	memset(c, 0, sizeof(*c));
	c->hook = hook;
	rec.total++;
	rec.counts[hook]++;
	return c;
}

static void on_session_added(struct fw_session *session, void *ctx)
{
	struct call *c = record(H_SESSION_ADDED);

	(void)ctx;
	c->session = *session;
	c->session_ptr = session;
	rec.live++;
}

static void on_session_removed(struct fw_session *session, void *ctx)
{
	struct call *c = record(H_SESSION_REMOVED);

	(void)ctx;
	c->session = *session;
	c->session_ptr = session;
	rec.live--;
	assert_true(rec.live >= 0);
}

static void on_phone_added(struct fw_phone *phone, void *ctx)
{
	struct call *c = record(H_PHONE_ADDED);

	(void)ctx;
	c->phone = *phone;
	c->phone_ptr = phone;
}

static void on_phone_removed(struct fw_phone *phone, void *ctx)
{
	struct call *c = record(H_PHONE_REMOVED);

	(void)ctx;
	c->phone = *phone;
	c->phone_ptr = phone;
}

static void on_teardown(const struct fw_teardown *teardown, void *ctx)
{
	(void)ctx;
	record(H_TEARDOWN)->teardown = *teardown;
}

static void on_expired(const struct fw_teardown *teardown, void *ctx)
{
	(void)ctx;
	record(H_EXPIRED)->teardown = *teardown;
}

static void on_below(const struct fw_session *session, uint32_t threshold, void *ctx)
{
	struct call *c = record(H_BELOW);

	(void)ctx;
	c->session = *session;
	c->session_ptr = session;
	c->threshold = threshold;
}

static void on_flap(const struct fw_phone *phone, int flapping, void *ctx)
{
	struct call *c = record(H_FLAP);

	(void)ctx;
	c->phone = *phone;
	c->phone_ptr = phone;
	c->flapping = flapping;
	assert_non_null(phone->flap);
	c->flap = *phone->flap;
}

static const struct fw_tracker_hooks hooks = {
    .session_added = on_session_added,
    .session_removed = on_session_removed,
    .phone_added = on_phone_added,
    .phone_removed = on_phone_removed,
    .teardown = on_teardown,
    .teardown_expired = on_expired,
    .timeout_below = on_below,
    .server_flap = on_flap,
};

static size_t mark(void)
{
	return rec.total;
}

static void expect_calls(size_t from, const enum hook *want, size_t n)
{
	if (rec.total - from != n)
		fail_msg("%zu hook calls, expected %zu", rec.total - from, n);
	assert_true(rec.total <= MAX_CALLS);
	for (size_t i = 0; i < n; i++)
		if (rec.calls[from + i].hook != want[i])
			fail_msg("call %zu: hook %d, expected %d", i, rec.calls[from + i].hook,
			         want[i]);
}

#define EXPECT(from, ...)                                                    \
	do {                                                                 \
		const enum hook want_[] = {__VA_ARGS__};                     \
		expect_calls(from, want_, sizeof(want_) / sizeof(want_[0])); \
	} while (0)
#define EXPECT_NONE(from) expect_calls(from, NULL, 0)

/* ---- building conntrack messages ---- */

struct conn {
	uint8_t family;
	uint8_t phone[16], server[16], nat[16];
	uint16_t sport, dport, nat_port;
	uint32_t id;
	uint16_t zone;
};

static void set_addr(uint8_t family, uint8_t *dst, const char *text)
{
	assert_int_equal(inet_pton(family, text, dst), 1);
}

/*
 * Phone number `phone` (10.1.x.y or 2001:db8:1::x:y) to server `server`
 * (192.0.2.s or 2001:db8:2::s), port 5061, source-NATed by the firewall.
 */
static struct conn make_conn(uint8_t family, unsigned phone, uint16_t sport, unsigned server,
                             uint32_t id)
{
	struct conn c;

	memset(&c, 0, sizeof(c));
	c.family = family;
	if (family == AF_INET) {
		set_addr(AF_INET, c.phone, "10.1.0.0");
		c.phone[2] = (uint8_t)(phone >> 8);
		c.phone[3] = (uint8_t)phone;
		set_addr(AF_INET, c.server, "192.0.2.0");
		c.server[3] = (uint8_t)server;
		set_addr(AF_INET, c.nat, "203.0.113.1");
	} else {
		set_addr(AF_INET6, c.phone, "2001:db8:1::");
		c.phone[14] = (uint8_t)(phone >> 8);
		c.phone[15] = (uint8_t)phone;
		set_addr(AF_INET6, c.server, "2001:db8:2::");
		c.server[15] = (uint8_t)server;
		set_addr(AF_INET6, c.nat, "2001:db8:ff::1");
	}
	c.sport = sport;
	c.dport = 5061;
	c.nat_port = (uint16_t)(sport + 20000);
	c.id = id;
	return c;
}

static struct fw_ct_event ct(const struct conn *c, enum fw_ct_kind kind, int state,
                             uint32_t timeout)
{
	struct fw_ct_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.id = c->id;
	ev.zone = c->zone;
	ev.orig.family = c->family;
	ev.orig.protocol = IPPROTO_TCP;
	memcpy(ev.orig.src, c->phone, 16);
	memcpy(ev.orig.dst, c->server, 16);
	ev.orig.sport = c->sport;
	ev.orig.dport = c->dport;
	ev.reply.family = c->family;
	ev.reply.protocol = IPPROTO_TCP;
	memcpy(ev.reply.src, c->server, 16);
	memcpy(ev.reply.dst, c->nat, 16);
	ev.reply.sport = c->dport;
	ev.reply.dport = c->nat_port;
	if (state >= 0) {
		ev.has_tcp_state = 1;
		ev.tcp_state = (uint8_t)state;
	}
	if (timeout != NO_TIMEOUT) {
		ev.has_timeout = 1;
		ev.timeout = timeout;
	}
	return ev;
}

static struct fw_ct_event destroy_ev(const struct conn *c, uint32_t portid)
{
	struct fw_ct_event ev = ct(c, FW_CT_DESTROY, NO_STATE, NO_TIMEOUT);

	ev.portid = portid;
	return ev;
}

static void feed(struct fw_tracker *t, struct fw_ct_event ev, double seconds)
{
	struct fw_clock now = at(seconds);

	fw_tracker_event(t, &ev, &now);
}

static void row(struct fw_tracker *t, struct fw_ct_event ev, double seconds)
{
	struct fw_clock now = at(seconds);

	ev.kind = FW_CT_UPDATE;
	fw_tracker_resync_row(t, &ev, &now);
}

static void resync_end(struct fw_tracker *t, enum fw_resync_kind kind, double seconds)
{
	struct fw_clock now = at(seconds);

	fw_tracker_resync_end(t, kind, &now);
}

static struct fw_session_policy default_policy(void)
{
	struct fw_session_policy p;

	memset(&p, 0, sizeof(p));
	p.sip_ports[0] = 5061;
	p.sip_port_count = 1;
	p.threshold = 120; /* below the 300 s most tests arm: no timeout_below calls */
	p.reconnect_window = 120;
	p.history_size = 1000;
	return p;
}

static struct fw_tracker *new_tracker(const struct fw_session_policy *policy)
{
	struct fw_tracker *t;

	reset_recorder();
	t = fw_tracker_new(policy, &hooks);
	assert_non_null(t);
	return t;
}

/* The live session added by the last session_added for this conn (valid until removed). */
static const struct fw_session *live_session(const struct conn *c)
{
	for (size_t i = rec.total < MAX_CALLS ? rec.total : MAX_CALLS; i-- > 0;)
		if (rec.calls[i].hook == H_SESSION_ADDED &&
		    rec.calls[i].session.orig.sport == c->sport &&
		    memcmp(rec.calls[i].session.orig.src, c->phone, 16) == 0 &&
		    rec.calls[i].session.zone == c->zone)
			return rec.calls[i].session_ptr;
	fail_msg("no session for port %u", c->sport);
	return NULL;
}

/* The phone of c as the hooks last announced it; NULL once it was removed. */
static const struct fw_phone *find_phone(const struct conn *c)
{
	const struct fw_phone *found = NULL;

	for (size_t i = 0; i < rec.total && i < MAX_CALLS; i++) {
		if (rec.calls[i].phone.family != c->family ||
		    memcmp(rec.calls[i].phone.addr, c->phone, 16) != 0)
			continue;
		if (rec.calls[i].hook == H_PHONE_ADDED)
			found = rec.calls[i].phone_ptr;
		else if (rec.calls[i].hook == H_PHONE_REMOVED)
			found = NULL;
	}
	return found;
}

static const struct fw_phone *live_phone(const struct conn *c)
{
	const struct fw_phone *phone = find_phone(c);

	if (!phone)
		fail_msg("no phone");
	return phone;
}

static const uint8_t families[] = {AF_INET, AF_INET6};
#define FAMILY_COUNT 2

/* ---- tests ---- */

/* RST: reported when the state turns CLOSE; the DESTROY afterwards only removes the row. */
static void test_reset_reported_at_update(void **state)
{
	(void)state;
	for (int f = 0; f < FAMILY_COUNT; f++) {
		struct fw_session_policy p = default_policy();
		struct fw_tracker *t = new_tracker(&p);
		struct conn c = make_conn(families[f], 1, 40000, 10, 111);
		const struct fw_session *s;
		const struct fw_phone *ph;
		const struct fw_teardown *td;
		size_t m;

		c.zone = 3;
		m = mark();
		feed(t, ct(&c, FW_CT_NEW, SYN_SENT, 120), 0);
		EXPECT(m, H_PHONE_ADDED, H_SESSION_ADDED);
		/* The phone already counts the session when it is announced. */
		assert_int_equal(rec.calls[m].phone.sessions_now, 1);
		assert_int_equal(rec.calls[m].phone.sessions_seen, 1);
		assert_int_equal(rec.calls[m].phone.has_server, 1);
		assert_memory_equal(rec.calls[m].phone.server_addr, c.server, 16);
		assert_int_equal(rec.calls[m].phone.server_port, 5061);
		assert_int_equal(rec.calls[m].phone.reconnects, 0);
		assert_int_equal(rec.calls[m].phone.server_changes, 0);
		s = &rec.calls[m + 1].session;
		assert_memory_equal(s->orig.src, c.phone, 16);
		assert_memory_equal(s->orig.dst, c.server, 16);
		/* NAT: the server sees the firewall's address and port. */
		assert_memory_equal(s->reply.dst, c.nat, 16);
		assert_int_equal(s->reply.dport, c.nat_port);
		assert_int_equal(s->zone, 3);
		assert_int_equal(s->ct_id, 111);
		assert_int_equal(s->tcp_state, SYN_SENT);
		assert_int_equal(s->remaining, 120);
		assert_int_equal(s->effective_timeout, 120);
		assert_int_equal(s->start, T0_WALL);
		assert_int_equal(s->start_mono_ms, T0_MONO);
		assert_int_equal(s->teardown_reported, 0);
		assert_int_equal(fw_tracker_session_count(t), 1);

		m = mark();
		feed(t, ct(&c, FW_CT_UPDATE, ESTABLISHED, 432000), 0.1);
		feed(t, ct(&c, FW_CT_UPDATE, ESTABLISHED, 432000), 11);
		EXPECT_NONE(m);

		m = mark();
		feed(t, ct(&c, FW_CT_UPDATE, CLOSE, 10), 30);
		EXPECT(m, H_TEARDOWN);
		td = &rec.calls[m].teardown;
		assert_int_equal(td->index, 1);
		assert_int_equal(td->cause, FW_CAUSE_RESET);
		assert_int_equal(td->when, T0_WALL + 30);
		assert_int_equal(td->family, families[f]);
		assert_memory_equal(td->phone_addr, c.phone, 16);
		assert_int_equal(td->phone_port, 40000);
		assert_memory_equal(td->server_addr, c.server, 16);
		assert_int_equal(td->server_port, 5061);
		assert_int_equal(td->zone, 3);
		assert_int_equal(td->duration, 30);
		assert_int_equal(td->last_state, CLOSE);

		s = live_session(&c);
		assert_int_equal(s->teardown_reported, 1);
		assert_int_equal(s->tcp_state, CLOSE);
		ph = live_phone(&c);
		assert_int_equal(ph->sessions_now, 0);
		assert_int_equal(ph->teardowns[FW_CAUSE_RESET], 1);
		assert_int_equal(ph->last_teardown, T0_WALL + 30);
		assert_int_equal(ph->last_cause, FW_CAUSE_RESET);
		assert_int_equal(ph->last_teardown_mono_ms, T0_MONO + 30000);
		assert_int_equal(fw_tracker_session_count(t), 1);

		/* The kernel destroys it 10 s later: removal only, no second teardown. */
		m = mark();
		feed(t, destroy_ev(&c, 0), 40);
		EXPECT(m, H_SESSION_REMOVED);
		assert_int_equal(rec.calls[m].session.ct_id, 111);
		assert_int_equal(fw_tracker_session_count(t), 0);
		assert_int_equal(ph->teardowns[FW_CAUSE_RESET], 1);
		assert_int_equal(ph->sessions_now, 0);
		assert_int_equal(fw_tracker_stats(t)->teardowns[FW_CAUSE_RESET], 1);
		assert_int_equal(fw_tracker_stats(t)->sessions_seen, 1);
		assert_int_equal(fw_tracker_stats(t)->events, 5);
		fw_tracker_free(t);
	}
}

struct step {
	int state;
	uint32_t timeout;
	double at;
};

struct lifecycle_case {
	const char *name;
	struct step steps[5];
	size_t nsteps;
	double destroy_at;
	uint32_t portid;
	enum fw_teardown_cause cause;
	int reported_at; /* step that reports the teardown; -1: the DESTROY */
	uint8_t last_state;
};

static const struct lifecycle_case lifecycle_cases[] = {
    {"FIN both ways: closed at TIME_WAIT",
     {{SYN_SENT, 120, 0}, {ESTABLISHED, 432000, 0.1}, {FIN_WAIT, 120, 50}, {TIME_WAIT, 120, 50.2}},
     4,
     170.2,
     0,
     FW_CAUSE_CLOSED,
     3,
     TIME_WAIT},
    {"RST: reset at CLOSE",
     {{ESTABLISHED, 300, 0}, {CLOSE, 10, 20}},
     2,
     30,
     0,
     FW_CAUSE_RESET,
     1,
     CLOSE},
    {"RST in CLOSE_WAIT: still a reset",
     {{ESTABLISHED, 300, 0}, {CLOSE_WAIT, 60, 5}, {CLOSE, 10, 6}},
     3,
     16,
     0,
     FW_CAUSE_RESET,
     2,
     CLOSE},
    {"conntrack -D: flushed",
     {{ESTABLISHED, 300, 0}},
     1,
     10,
     4242,
     FW_CAUSE_FLUSHED,
     -1,
     ESTABLISHED},
    {"conntrack -F after expiry: still flushed",
     {{ESTABLISHED, 300, 0}, {CLOSE_WAIT, 60, 5}},
     2,
     65,
     7,
     FW_CAUSE_FLUSHED,
     -1,
     CLOSE_WAIT},
    {"idle in ESTABLISHED",
     {{SYN_SENT, 120, 0}, {ESTABLISHED, 300, 0.1}, {ESTABLISHED, 300, 100}},
     3,
     400,
     0,
     FW_CAUSE_IDLE_TIMEOUT,
     -1,
     ESTABLISHED},
    {"idle, expiry within the slack",
     {{ESTABLISHED, 300, 0}},
     1,
     298.5,
     0,
     FW_CAUSE_IDLE_TIMEOUT,
     -1,
     ESTABLISHED},
    {"gone 3 s before expiry: not a timeout",
     {{ESTABLISHED, 300, 0}},
     1,
     297,
     0,
     FW_CAUSE_OTHER,
     -1,
     ESTABLISHED},
    {"gone long before expiry (early drop)",
     {{ESTABLISHED, 432000, 0}},
     1,
     10,
     0,
     FW_CAUSE_OTHER,
     -1,
     ESTABLISHED},
    {"stock close_wait 60 s",
     {{ESTABLISHED, 432000, 0}, {CLOSE_WAIT, 60, 1000}},
     2,
     1060,
     0,
     FW_CAUSE_HALF_CLOSED_TIMEOUT,
     -1,
     CLOSE_WAIT},
    {"FIN_WAIT expired",
     {{ESTABLISHED, 432000, 0}, {FIN_WAIT, 120, 10}},
     2,
     130,
     0,
     FW_CAUSE_HALF_CLOSED_TIMEOUT,
     -1,
     FIN_WAIT},
    {"LAST_ACK expired",
     {{ESTABLISHED, 432000, 0}, {CLOSE_WAIT, 60, 10}, {LAST_ACK, 30, 20}},
     3,
     50,
     0,
     FW_CAUSE_HALF_CLOSED_TIMEOUT,
     -1,
     LAST_ACK},
    {"CLOSE_WAIT 660 killed early",
     {{ESTABLISHED, 432000, 0}, {CLOSE_WAIT, 660, 10}},
     2,
     100,
     0,
     FW_CAUSE_OTHER,
     -1,
     CLOSE_WAIT},
    {"SYN never answered", {{SYN_SENT, 120, 0}}, 1, 120, 0, FW_CAUSE_OTHER, -1, SYN_SENT},
};

static void test_lifecycle_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(lifecycle_cases) / sizeof(lifecycle_cases[0]); i++) {
		const struct lifecycle_case *lc = &lifecycle_cases[i];

		for (int f = 0; f < FAMILY_COUNT; f++) {
			struct fw_session_policy p = default_policy();
			struct fw_tracker *t = new_tracker(&p);
			struct conn c = make_conn(families[f], 7, 41000, 10, 77);
			const struct fw_teardown *td = NULL;
			double reported_at = lc->destroy_at;
			size_t m;

			print_message("%s (%s)\n", lc->name, f ? "IPv6" : "IPv4");
			for (size_t k = 0; k < lc->nsteps; k++) {
				const struct step *st = &lc->steps[k];

				feed(t,
				     ct(&c, k ? FW_CT_UPDATE : FW_CT_NEW, st->state, st->timeout),
				     st->at);
				if ((int)k == lc->reported_at) {
					assert_int_equal(rec.calls[rec.total - 1].hook, H_TEARDOWN);
					td = &rec.calls[rec.total - 1].teardown;
					reported_at = st->at;
				} else {
					assert_int_equal(rec.counts[H_TEARDOWN], 0);
				}
			}
			m = mark();
			feed(t, destroy_ev(&c, lc->portid), lc->destroy_at);
			if (lc->reported_at >= 0) {
				EXPECT(m, H_SESSION_REMOVED);
			} else {
				EXPECT(m, H_TEARDOWN, H_SESSION_REMOVED);
				td = &rec.calls[m].teardown;
			}
			assert_int_equal(rec.counts[H_TEARDOWN], 1);
			assert_non_null(td);
			assert_int_equal(td->cause, lc->cause);
			assert_int_equal(td->last_state, lc->last_state);
			assert_int_equal(td->when, at(reported_at).wall);
			assert_int_equal(td->duration, (uint32_t)reported_at);
			assert_int_equal(fw_tracker_session_count(t), 0);
			assert_int_equal(fw_tracker_stats(t)->teardowns[lc->cause], 1);
			fw_tracker_free(t);
		}
	}
}

struct ignore_case {
	const char *name;
	uint8_t family;
	const char *src, *dst;
	uint16_t dport;
	uint8_t protocol;
	int matches;
};

static const struct ignore_case ignore_cases[] = {
    {"a phone", AF_INET, "10.1.2.3", "192.0.2.10", 5061, IPPROTO_TCP, 1},
    {"an IPv6 phone", AF_INET6, "2001:db8:1::5", "2001:db8:2::10", 5061, IPPROTO_TCP, 1},
    {"HTTPS", AF_INET, "10.1.2.3", "192.0.2.10", 443, IPPROTO_TCP, 0},
    {"IPv6 HTTPS", AF_INET6, "2001:db8:1::5", "2001:db8:2::10", 443, IPPROTO_TCP, 0},
    {"SIP over UDP", AF_INET, "10.1.2.3", "192.0.2.10", 5061, IPPROTO_UDP, 0},
    {"outside the phone networks", AF_INET, "10.2.0.1", "192.0.2.10", 5061, IPPROTO_TCP, 0},
    {"outside the server networks", AF_INET, "10.1.2.3", "198.51.100.1", 5061, IPPROTO_TCP, 0},
    {"IPv6 outside the phone networks", AF_INET6, "2001:db8:9::5", "2001:db8:2::10", 5061,
     IPPROTO_TCP, 0},
    {"IPv6 outside the server networks", AF_INET6, "2001:db8:1::5", "2001:db8:3::10", 5061,
     IPPROTO_TCP, 0},
};

static void test_ignored_table(void **state)
{
	struct fw_session_policy p = default_policy();

	(void)state;
	assert_int_equal(fw_cidr_parse("10.1.0.0/16", &p.phone_networks[0]), 0);
	assert_int_equal(fw_cidr_parse("2001:db8:1::/48", &p.phone_networks[1]), 0);
	p.phone_network_count = 2;
	assert_int_equal(fw_cidr_parse("192.0.2.0/24", &p.server_networks[0]), 0);
	assert_int_equal(fw_cidr_parse("2001:db8:2::/48", &p.server_networks[1]), 0);
	p.server_network_count = 2;

	for (size_t i = 0; i < sizeof(ignore_cases) / sizeof(ignore_cases[0]); i++) {
		const struct ignore_case *ic = &ignore_cases[i];
		struct fw_tracker *t = new_tracker(&p);
		struct conn c = make_conn(ic->family, 1, 42000, 1, 9);
		struct fw_ct_event ev;

		print_message("%s\n", ic->name);
		set_addr(ic->family, c.phone, ic->src);
		set_addr(ic->family, c.server, ic->dst);
		c.dport = ic->dport;
		ev = ct(&c, FW_CT_NEW, ESTABLISHED, 300);
		ev.orig.protocol = ic->protocol;
		assert_int_equal(fw_tracker_matches(t, &ev), ic->matches);
		feed(t, ev, 0);
		ev.kind = FW_CT_UPDATE;
		ev.tcp_state = CLOSE;
		feed(t, ev, 1);
		ev = destroy_ev(&c, 0);
		ev.orig.protocol = ic->protocol;
		feed(t, ev, 2);
		if (ic->matches) {
			EXPECT(0, H_PHONE_ADDED, H_SESSION_ADDED, H_TEARDOWN, H_SESSION_REMOVED);
		} else {
			EXPECT_NONE(0);
		}
		/* Every event counts, matching or not. */
		assert_int_equal(fw_tracker_stats(t)->events, 3);
		assert_int_equal(fw_tracker_session_count(t), 0);
		fw_tracker_free(t);
	}
}

/* A DESTROY of a conntrack never seen is ignored, but counted. */
static void test_unknown_destroy(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t = new_tracker(&p);
	struct conn c = make_conn(AF_INET, 1, 40000, 10, 5);

	(void)state;
	feed(t, destroy_ev(&c, 0), 0);
	feed(t, destroy_ev(&c, 99), 1);
	EXPECT_NONE(0);
	assert_int_equal(fw_tracker_stats(t)->events, 2);
	for (int k = 0; k <= FW_CAUSE_COUNT; k++)
		assert_int_equal(fw_tracker_stats(t)->teardowns[k], 0);
	fw_tracker_free(t);
}

/* Without sipPort lines the policy still means 5061. */
static void test_default_port(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t;
	struct conn c = make_conn(AF_INET, 1, 40000, 10, 5);
	struct fw_ct_event ev = ct(&c, FW_CT_NEW, ESTABLISHED, 300);

	(void)state;
	p.sip_port_count = 0;
	t = new_tracker(&p);
	assert_int_equal(fw_tracker_matches(t, &ev), 1);
	c.dport = 5060;
	ev = ct(&c, FW_CT_NEW, ESTABLISHED, 300);
	assert_int_equal(fw_tracker_matches(t, &ev), 0);
	fw_tracker_free(t);
}

static void test_effective_timeout(void **state)
{
	(void)state;
	for (int f = 0; f < FAMILY_COUNT; f++) {
		struct fw_session_policy p = default_policy();
		struct fw_tracker *t;
		struct conn a = make_conn(families[f], 1, 40001, 10, 1);
		struct conn b = make_conn(families[f], 1, 40002, 10, 2);
		struct conn c = make_conn(families[f], 1, 40003, 10, 3);
		const struct fw_session *s;
		size_t m;

		p.threshold = 3600;
		t = new_tracker(&p);

		/* An nft ct timeout policy arms 300 s in ESTABLISHED. */
		m = mark();
		feed(t, ct(&a, FW_CT_NEW, SYN_SENT, 120), 0);
		/* 120 < 3600 but not ESTABLISHED: nothing to say yet. */
		EXPECT(m, H_PHONE_ADDED, H_SESSION_ADDED);
		m = mark();
		feed(t, ct(&a, FW_CT_UPDATE, ESTABLISHED, 300), 0.1);
		EXPECT(m, H_BELOW);
		assert_int_equal(rec.calls[m].session.effective_timeout, 300);
		assert_int_equal(rec.calls[m].session.tcp_state, ESTABLISHED);
		assert_int_equal(rec.calls[m].threshold, 3600);
		s = rec.calls[m].session_ptr;
		/* Once per session. */
		m = mark();
		feed(t, ct(&a, FW_CT_UPDATE, ESTABLISHED, 300), 60);
		fw_tracker_resync_begin(t);
		row(t, ct(&a, FW_CT_UPDATE, ESTABLISHED, 120), 240);
		resync_end(t, FW_RESYNC_RECONCILE, 240);
		EXPECT_NONE(m);
		/* A later, lower reading does not lower the effective timeout. */
		assert_int_equal(s->effective_timeout, 300);
		assert_int_equal(s->remaining, 120);
		assert_int_equal(s->observed_mono_ms, at(240).mono_ms);

		/* The stock 5 days: nothing to notify. */
		m = mark();
		feed(t, ct(&b, FW_CT_NEW, SYN_SENT, 120), 300);
		feed(t, ct(&b, FW_CT_UPDATE, ESTABLISHED, 432000), 300.1);
		feed(t, ct(&b, FW_CT_UPDATE, ESTABLISHED, 431000), 1300);
		EXPECT(m, H_SESSION_ADDED);
		s = live_session(&b);
		assert_int_equal(s->effective_timeout, 432000);
		/* A state change starts over: 60 s in CLOSE_WAIT, not 5 days. */
		feed(t, ct(&b, FW_CT_UPDATE, CLOSE_WAIT, 60), 1400);
		assert_int_equal(s->effective_timeout, 60);
		assert_int_equal(rec.counts[H_BELOW], 1);

		/*
		 * First seen mid-way by a dump row: what is left is only a lower
		 * bound, never reason enough to notify; the first packet's event
		 * gives the armed value.
		 */
		m = mark();
		fw_tracker_resync_begin(t);
		row(t, ct(&a, FW_CT_UPDATE, ESTABLISHED, 280), 2000);
		row(t, ct(&b, FW_CT_UPDATE, CLOSE_WAIT, 50), 2000);
		row(t, ct(&c, FW_CT_UPDATE, ESTABLISHED, 250), 2000);
		resync_end(t, FW_RESYNC_RECONCILE, 2000);
		EXPECT(m, H_SESSION_ADDED);
		s = live_session(&c);
		assert_int_equal(s->effective_timeout, 250);
		assert_int_equal(s->effective_exact, 0);
		m = mark();
		feed(t, ct(&c, FW_CT_UPDATE, ESTABLISHED, 300), 2010);
		EXPECT(m, H_BELOW);
		assert_int_equal(s->effective_timeout, 300);
		assert_int_equal(s->effective_exact, 1);
		feed(t, ct(&c, FW_CT_UPDATE, FIN_WAIT, 120), 2020);
		assert_int_equal(s->effective_timeout, 120);
		assert_int_equal(rec.counts[H_BELOW], 2);
		fw_tracker_free(t);
	}
}

/* A threshold change applies to the next check, not to what was notified. */
static void test_threshold_change(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t;
	struct conn a = make_conn(AF_INET, 1, 40001, 10, 1);
	size_t m;

	(void)state;
	p.threshold = 200;
	t = new_tracker(&p);
	feed(t, ct(&a, FW_CT_NEW, ESTABLISHED, 300), 0);
	assert_int_equal(rec.counts[H_BELOW], 0);
	p.threshold = 3600;
	fw_tracker_set_policy(t, &p);
	m = mark();
	feed(t, ct(&a, FW_CT_UPDATE, ESTABLISHED, 300), 10);
	EXPECT(m, H_BELOW);
	assert_int_equal(rec.calls[m].threshold, 3600);
	/* Threshold 0 (notifications off) never fires. */
	p.threshold = 0;
	fw_tracker_set_policy(t, &p);
	a.sport = 40002;
	a.id = 2;
	feed(t, ct(&a, FW_CT_NEW, ESTABLISHED, 1), 20);
	assert_int_equal(rec.counts[H_BELOW], 1);
	fw_tracker_free(t);
}

static void reset_conn(struct fw_tracker *t, const struct conn *c, double opened, double closed)
{
	feed(t, ct(c, FW_CT_NEW, ESTABLISHED, 300), opened);
	feed(t, ct(c, FW_CT_UPDATE, CLOSE, 10), closed);
	feed(t, destroy_ev(c, 0), closed + 10);
}

static void test_reconnect(void **state)
{
	(void)state;
	for (int f = 0; f < FAMILY_COUNT; f++) {
		struct fw_session_policy p = default_policy();
		struct fw_tracker *t = new_tracker(&p);
		struct conn c1 = make_conn(families[f], 1, 40001, 10, 1);
		struct conn c2 = make_conn(families[f], 1, 40002, 10, 2);
		struct conn c3 = make_conn(families[f], 1, 40003, 10, 3);
		struct conn c4 = make_conn(families[f], 1, 40004, 10, 4);
		struct conn other = make_conn(families[f], 2, 40005, 10, 5);
		const struct fw_phone *ph;

		reset_conn(t, &c1, 0, 100);
		ph = live_phone(&c1);
		assert_int_equal(ph->reconnects, 0);
		/* 60 s after the reset. */
		reset_conn(t, &c2, 160, 200);
		assert_int_equal(ph->reconnects, 1);
		/* Another phone does not inherit this one's teardowns. */
		feed(t, ct(&other, FW_CT_NEW, ESTABLISHED, 300), 201);
		assert_int_equal(live_phone(&other)->reconnects, 0);
		/* 121 s later: a fresh start, not a reconnect. */
		reset_conn(t, &c3, 321, 400);
		assert_int_equal(ph->reconnects, 1);
		/* Exactly the window: still a reconnect. */
		feed(t, ct(&c4, FW_CT_NEW, ESTABLISHED, 300), 520);
		assert_int_equal(ph->reconnects, 2);
		assert_int_equal(ph->sessions_seen, 4);
		assert_int_equal(ph->sessions_now, 1);
		assert_int_equal(ph->teardowns[FW_CAUSE_RESET], 3);
		fw_tracker_free(t);

		/* Window 0: none counted. */
		p.reconnect_window = 0;
		t = new_tracker(&p);
		reset_conn(t, &c1, 0, 100);
		feed(t, ct(&c2, FW_CT_NEW, ESTABLISHED, 300), 110);
		assert_int_equal(live_phone(&c1)->reconnects, 0);
		fw_tracker_free(t);
	}
}

/* A phone flapping between two data centres. */
static void test_server_change(void **state)
{
	(void)state;
	for (int f = 0; f < FAMILY_COUNT; f++) {
		struct fw_session_policy p = default_policy();
		struct fw_tracker *t;
		struct conn dc1 = make_conn(families[f], 1, 40001, 10, 1);
		struct conn dc2 = make_conn(families[f], 1, 40002, 20, 2);
		struct conn dc2_alt = make_conn(families[f], 1, 40003, 20, 3);
		struct conn dc1_again = make_conn(families[f], 1, 40004, 10, 4);
		const struct fw_phone *ph;

		p.sip_ports[1] = 5062;
		p.sip_port_count = 2;
		t = new_tracker(&p);
		dc2_alt.dport = 5062;

		reset_conn(t, &dc1, 0, 100);
		ph = live_phone(&dc1);
		assert_int_equal(ph->server_changes, 0);
		assert_memory_equal(ph->server_addr, dc1.server, 16);
		feed(t, ct(&dc2, FW_CT_NEW, ESTABLISHED, 300), 105);
		assert_int_equal(ph->server_changes, 1);
		assert_memory_equal(ph->server_addr, dc2.server, 16);
		assert_int_equal(ph->server_port, 5061);
		/* Same server, other port: no change of server. */
		feed(t, ct(&dc2_alt, FW_CT_NEW, ESTABLISHED, 300), 106);
		assert_int_equal(ph->server_changes, 1);
		assert_int_equal(ph->server_port, 5062);
		/* Back to the first data centre while the others are still open. */
		feed(t, ct(&dc1_again, FW_CT_NEW, ESTABLISHED, 300), 107);
		assert_int_equal(ph->server_changes, 2);
		assert_memory_equal(ph->server_addr, dc1.server, 16);
		assert_int_equal(ph->sessions_now, 3);
		fw_tracker_free(t);
	}
}

/* Geo-routing: more than two server changes within 60 s start an episode; 60 s on one server end
 * it. */
static void test_server_flap_episode(void **state)
{
	(void)state;
	for (int f = 0; f < FAMILY_COUNT; f++) {
		struct fw_session_policy p = default_policy();
		struct fw_tracker *t;
		struct conn c[5];
		struct fw_clock now;
		const struct fw_phone *ph;
		size_t m;

		p.flap.threshold = 2;
		p.flap.window_s = 60;
		p.phone_retention = 3600;
		t = new_tracker(&p);
		for (int i = 0; i < 5; i++)
			c[i] = make_conn(families[f], 1, (uint16_t)(40001 + i), i % 2 ? 20 : 10,
			                 (uint32_t)(i + 1));
		feed(t, ct(&c[0], FW_CT_NEW, ESTABLISHED, 300), 100);
		ph = live_phone(&c[0]);
		assert_null(ph->flap);
		m = mark();
		feed(t, ct(&c[1], FW_CT_NEW, ESTABLISHED, 300), 105); /* change 1 */
		feed(t, ct(&c[2], FW_CT_NEW, ESTABLISHED, 300), 110); /* change 2 */
		assert_non_null(ph->flap);
		assert_false(ph->flap->flapping);
		assert_int_equal(rec.counts[H_FLAP], 0);
		feed(t, ct(&c[3], FW_CT_NEW, ESTABLISHED, 300), 115); /* change 3: the episode */
		assert_int_equal(rec.counts[H_FLAP], 1);
		assert_int_equal(rec.calls[m + 2].hook, H_FLAP);
		{
			const struct call *call = &rec.calls[m + 2];

			assert_int_equal(call->flapping, 1);
			assert_ptr_equal(call->phone_ptr, ph);
			/* the row already names the new server, the flap the one left */
			assert_memory_equal(call->phone.server_addr, c[3].server, 16);
			assert_memory_equal(call->flap.prev_addr, c[2].server, 16);
			assert_int_equal(call->flap.prev_family, families[f]);
			assert_int_equal(call->flap.prev_port, 5061);
		}
		assert_int_equal(fw_tracker_stats(t)->phones_flapping, 1);
		assert_int_equal(ph->flap->episodes, 1);
		/* more changes: the same episode */
		feed(t, ct(&c[4], FW_CT_NEW, ESTABLISHED, 300), 120);
		assert_int_equal(rec.counts[H_FLAP], 1);
		assert_int_equal(ph->server_changes, 4);
		/* 59 s on one server: still flapping; 60 s: over */
		now = at(179);
		fw_tracker_check_flaps(t, &now);
		assert_int_equal(rec.counts[H_FLAP], 1);
		now = at(180);
		fw_tracker_check_flaps(t, &now);
		assert_int_equal(rec.counts[H_FLAP], 2);
		assert_int_equal(rec.calls[rec.total - 1].flapping, 0);
		assert_int_equal(fw_tracker_stats(t)->phones_flapping, 0);
		assert_false(ph->flap->flapping);
		fw_tracker_free(t);
	}
}

/* A phone that leaves the table while flapping ends its episode first. */
static void test_flapping_phone_expires(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t;
	struct conn c[3];
	struct fw_clock now;

	(void)state;
	p.flap.threshold = 1;
	p.flap.window_s = 3600;
	p.phone_retention = 10;
	t = new_tracker(&p);
	for (int i = 0; i < 3; i++)
		c[i] = make_conn(AF_INET, 1, (uint16_t)(40001 + i), i % 2 ? 20 : 10,
		                 (uint32_t)(i + 1));
	reset_conn(t, &c[0], 0, 1);
	reset_conn(t, &c[1], 2, 3);
	reset_conn(t, &c[2], 4, 5);
	assert_int_equal(fw_tracker_stats(t)->phones_flapping, 1);
	assert_int_equal(rec.counts[H_FLAP], 1);
	now = at(100);
	assert_int_equal(fw_tracker_expire_phones(t, &now), 1);
	assert_int_equal(fw_tracker_stats(t)->phones_flapping, 0);
	/* its episode ends before it goes: the NMS sees the end */
	assert_int_equal(rec.counts[H_FLAP], 2);
	assert_int_equal(rec.calls[rec.total - 2].hook, H_FLAP);
	assert_int_equal(rec.calls[rec.total - 2].flapping, 0);
	assert_int_equal(rec.calls[rec.total - 1].hook, H_PHONE_REMOVED);
	fw_tracker_check_flaps(t, &now);
	fw_tracker_free(t);
}

static void test_resync_after_overrun(void **state)
{
	(void)state;
	for (int f = 0; f < FAMILY_COUNT; f++) {
		struct fw_session_policy p = default_policy();
		struct fw_tracker *t = new_tracker(&p);
		struct conn a = make_conn(families[f], 1, 40001, 10, 1);
		struct conn b = make_conn(families[f], 1, 40002, 10, 2);
		struct conn c = make_conn(families[f], 1, 40003, 10, 3);
		struct conn d = make_conn(families[f], 1, 40004, 10, 4);
		struct conn e = make_conn(families[f], 1, 40005, 10, 5);
		const struct fw_phone *ph;
		size_t m;

		feed(t, ct(&a, FW_CT_NEW, ESTABLISHED, 300), 0);
		feed(t, ct(&b, FW_CT_NEW, ESTABLISHED, 300), 0);
		feed(t, ct(&c, FW_CT_NEW, ESTABLISHED, 300), 0);
		feed(t, ct(&d, FW_CT_NEW, ESTABLISHED, 300), 0);
		feed(t, ct(&d, FW_CT_UPDATE, CLOSE, 10), 10);
		ph = live_phone(&a);
		assert_int_equal(ph->sessions_now, 3);

		m = mark();
		fw_tracker_resync_begin(t);
		row(t, ct(&a, FW_CT_UPDATE, ESTABLISHED, 290), 20);
		/* An event during the dump also counts as seen. */
		feed(t, ct(&b, FW_CT_UPDATE, ESTABLISHED, 300), 21);
		/* Opened while events were lost. */
		row(t, ct(&e, FW_CT_UPDATE, ESTABLISHED, 300), 22);
		resync_end(t, FW_RESYNC_AFTER_OVERRUN, 23);
		/* c vanished unseen; d was already reported and is just dropped. */
		EXPECT(m, H_SESSION_ADDED, H_TEARDOWN, H_SESSION_REMOVED, H_SESSION_REMOVED);
		assert_int_equal(rec.calls[m + 1].teardown.cause, FW_CAUSE_MISSED);
		assert_int_equal(rec.calls[m + 1].teardown.phone_port, 40003);
		assert_int_equal(rec.calls[m + 1].teardown.when, T0_WALL + 23);
		assert_int_equal(rec.calls[m + 2].session.orig.sport, 40003);
		assert_int_equal(rec.calls[m + 3].session.orig.sport, 40004);
		assert_int_equal(fw_tracker_session_count(t), 3);
		assert_int_equal(ph->sessions_now, 3);
		assert_int_equal(ph->teardowns[FW_CAUSE_MISSED], 1);
		assert_int_equal(fw_tracker_stats(t)->resyncs, 1);
		assert_int_equal(fw_tracker_stats(t)->last_resync, T0_WALL + 23);
		assert_int_equal(fw_tracker_stats(t)->teardowns[FW_CAUSE_MISSED], 1);
		/* what the log says of it: two rows, one new session, one ended unseen */
		assert_int_equal(fw_tracker_resync_summary(t)->rows, 2);
		assert_int_equal(fw_tracker_resync_summary(t)->added, 1);
		assert_int_equal(fw_tracker_resync_summary(t)->ended, 1);
		/* the next one starts counting afresh */
		fw_tracker_resync_begin(t);
		row(t, ct(&a, FW_CT_UPDATE, ESTABLISHED, 280), 30);
		assert_int_equal(fw_tracker_resync_summary(t)->rows, 1);
		assert_int_equal(fw_tracker_resync_summary(t)->added, 0);
		assert_int_equal(fw_tracker_resync_summary(t)->ended, 0);
		fw_tracker_free(t);
	}
}

static void test_reconcile(void **state)
{
	(void)state;
	for (int f = 0; f < FAMILY_COUNT; f++) {
		struct fw_session_policy p = default_policy();
		struct fw_tracker *t = new_tracker(&p);
		struct conn c[6];
		static const enum fw_teardown_cause want[] = {
		    FW_CAUSE_IDLE_TIMEOUT,        /* 300 s, expired at 300 */
		    FW_CAUSE_MISSED,              /* 5 days: cannot have expired */
		    FW_CAUSE_HALF_CLOSED_TIMEOUT, /* CLOSE_WAIT 60 */
		    FW_CAUSE_MISSED,              /* refreshed at 200: expires at 500 */
		    0,                            /* still in the dump */
		    FW_CAUSE_IDLE_TIMEOUT,        /* expires at 401: within the slack */
		};
		size_t m, k = 0;

		for (int i = 0; i < 6; i++)
			c[i] =
			    make_conn(families[f], 1, (uint16_t)(40001 + i), 10, (uint32_t)i + 1);
		feed(t, ct(&c[0], FW_CT_NEW, ESTABLISHED, 300), 0);
		feed(t, ct(&c[1], FW_CT_NEW, ESTABLISHED, 432000), 0);
		feed(t, ct(&c[2], FW_CT_NEW, ESTABLISHED, 432000), 0);
		feed(t, ct(&c[2], FW_CT_UPDATE, CLOSE_WAIT, 60), 0);
		feed(t, ct(&c[3], FW_CT_NEW, ESTABLISHED, 300), 0);
		feed(t, ct(&c[3], FW_CT_UPDATE, ESTABLISHED, 300), 200);
		feed(t, ct(&c[4], FW_CT_NEW, ESTABLISHED, 300), 0);
		feed(t, ct(&c[5], FW_CT_NEW, ESTABLISHED, 401), 0);

		m = mark();
		fw_tracker_resync_begin(t);
		row(t, ct(&c[4], FW_CT_UPDATE, ESTABLISHED, 300), 399);
		resync_end(t, FW_RESYNC_RECONCILE, 400);
		EXPECT(m, H_TEARDOWN, H_SESSION_REMOVED, H_TEARDOWN, H_SESSION_REMOVED, H_TEARDOWN,
		       H_SESSION_REMOVED, H_TEARDOWN, H_SESSION_REMOVED, H_TEARDOWN,
		       H_SESSION_REMOVED);
		for (int i = 0; i < 6; i++) {
			const struct fw_teardown *td;

			if (i == 4)
				continue;
			td = &rec.calls[m + 2 * k++].teardown;
			assert_int_equal(td->phone_port, c[i].sport);
			if (td->cause != want[i])
				fail_msg("session %d: %s", i, fw_teardown_cause_name(td->cause));
		}
		assert_int_equal(fw_tracker_session_count(t), 1);
		fw_tracker_free(t);
	}
}

/* A DESTROY during the dump wins over a stale row of the same conntrack. */
/* Phones without sessions leave after the retention time, never while a session points at them. */
static void test_phone_expiry(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t;
	struct conn a = make_conn(AF_INET, 1, 40001, 10, 1);
	struct conn b = make_conn(AF_INET, 2, 40002, 10, 2);
	struct fw_clock now;

	(void)state;
	p.phone_retention = 100;
	t = new_tracker(&p);
	feed(t, ct(&a, FW_CT_NEW, SYN_SENT, 120), 0);
	feed(t, ct(&b, FW_CT_NEW, SYN_SENT, 120), 0);
	feed(t, ct(&b, FW_CT_UPDATE, ESTABLISHED, 432000), 1);
	/* a's session ends at 10 by RST; its entry lingers in CLOSE until 20 */
	feed(t, ct(&a, FW_CT_UPDATE, CLOSE, 10), 10);
	now = at(200);
	assert_int_equal(fw_tracker_expire_phones(t, &now), 0); /* a's conntrack still exists */
	feed(t, destroy_ev(&a, 0), 20);
	now = at(105);
	assert_int_equal(fw_tracker_expire_phones(t, &now), 0); /* ended at 10: 95 s ago */
	now = at(111);
	assert_int_equal(fw_tracker_expire_phones(t, &now), 1);
	assert_int_equal(rec.counts[H_PHONE_REMOVED], 1);
	assert_null(find_phone(&a));
	/* b still has its session, however old */
	now = at(100000);
	assert_int_equal(fw_tracker_expire_phones(t, &now), 0);
	assert_non_null(live_phone(&b));
	/* a comes back: a new phone row */
	feed(t, ct(&a, FW_CT_NEW, SYN_SENT, 120), 100001);
	assert_non_null(live_phone(&a));
	assert_int_equal(live_phone(&a)->sessions_seen, 1);
	/* retention 0 keeps every phone */
	p.phone_retention = 0;
	fw_tracker_set_policy(t, &p);
	feed(t, destroy_ev(&a, 5), 100002);
	now = at(1e7);
	assert_int_equal(fw_tracker_expire_phones(t, &now), 0);
	fw_tracker_free(t);
}

/* The state inside a DESTROY is the final one, even when its update was lost. */
static void test_destroy_carries_final_state(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t = new_tracker(&p);
	struct conn a = make_conn(AF_INET, 1, 40001, 10, 1);
	struct fw_ct_event destroy;
	size_t m;

	(void)state;
	feed(t, ct(&a, FW_CT_NEW, SYN_SENT, 120), 0);
	feed(t, ct(&a, FW_CT_UPDATE, ESTABLISHED, 300), 1);
	m = mark();
	/* expired in CLOSE_WAIT after the ESTABLISHED timeout ran out */
	destroy = destroy_ev(&a, 0);
	destroy.has_tcp_state = 1;
	destroy.tcp_state = CLOSE_WAIT;
	feed(t, destroy, 400);
	EXPECT(m, H_TEARDOWN, H_SESSION_REMOVED);
	assert_int_equal(rec.calls[m].teardown.cause, FW_CAUSE_HALF_CLOSED_TIMEOUT);
	assert_int_equal(rec.calls[m].teardown.last_state, CLOSE_WAIT);

	/* a SYN answered by an RST: destroyed at once in CLOSE, no update before */
	feed(t, ct(&a, FW_CT_NEW, SYN_SENT, 120), 500);
	m = mark();
	destroy = destroy_ev(&a, 0);
	destroy.has_tcp_state = 1;
	destroy.tcp_state = CLOSE;
	feed(t, destroy, 500.1);
	EXPECT(m, H_TEARDOWN, H_SESSION_REMOVED);
	assert_int_equal(rec.calls[m].teardown.cause, FW_CAUSE_RESET);
	fw_tracker_free(t);
}

/*
 * Unanswered data: the kernel re-arms the shorter unacknowledged/retrans
 * timeout with no event, and the entry expires long before the established
 * timeout last observed.
 */
static void test_unacked_timeout(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t = new_tracker(&p);
	struct conn a = make_conn(AF_INET, 1, 40001, 10, 1);
	struct conn b = make_conn(AF_INET, 2, 40002, 10, 2);
	struct fw_ct_event update, destroy;
	struct fw_clock now;
	size_t m;

	(void)state;
	/* the kernel default, 300 s, since the last observation */
	feed(t, ct(&a, FW_CT_NEW, SYN_SENT, 120), 0);
	feed(t, ct(&a, FW_CT_UPDATE, ESTABLISHED, 7200), 1);
	m = mark();
	destroy = destroy_ev(&a, 0);
	destroy.has_tcp_state = 1;
	destroy.tcp_state = ESTABLISHED;
	feed(t, destroy, 305);
	EXPECT(m, H_TEARDOWN, H_SESSION_REMOVED);
	assert_int_equal(rec.calls[m].teardown.cause, FW_CAUSE_UNACKED_TIMEOUT);
	assert_int_equal(live_phone(&a)->teardowns[FW_CAUSE_UNACKED_TIMEOUT], 1);
	assert_int_equal(fw_tracker_stats(t)->teardowns[FW_CAUSE_UNACKED_TIMEOUT], 1);

	/* sooner than any shortened timeout can run out: not a timeout */
	feed(t, ct(&b, FW_CT_NEW, SYN_SENT, 120), 400);
	feed(t, ct(&b, FW_CT_UPDATE, ESTABLISHED, 7200), 401);
	m = mark();
	feed(t, destroy_ev(&b, 0), 461);
	assert_int_equal(rec.calls[m].teardown.cause, FW_CAUSE_OTHER);

	/* the shortest timeout of the sources read: 60 s */
	fw_tracker_set_shortened_timeout(t, 60);
	b.id = 3;
	feed(t, ct(&b, FW_CT_NEW, SYN_SENT, 120), 500);
	feed(t, ct(&b, FW_CT_UPDATE, ESTABLISHED, 7200), 501);
	m = mark();
	feed(t, destroy_ev(&b, 0), 562);
	assert_int_equal(rec.calls[m].teardown.cause, FW_CAUSE_UNACKED_TIMEOUT);

	/* a reconcile dump saw the data unacknowledged and the shortened timeout left */
	b.id = 4;
	feed(t, ct(&b, FW_CT_NEW, SYN_SENT, 120), 600);
	feed(t, ct(&b, FW_CT_UPDATE, ESTABLISHED, 7200), 601);
	fw_tracker_resync_begin(t);
	update = ct(&b, FW_CT_UPDATE, ESTABLISHED, 50);
	update.tcp_flags_orig = IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
	row(t, update, 1000);
	resync_end(t, FW_RESYNC_RECONCILE, 1000);
	assert_true(live_session(&b)->unacked_seen);
	m = mark();
	feed(t, destroy_ev(&b, 0), 1050);
	assert_int_equal(rec.calls[m].teardown.cause, FW_CAUSE_UNACKED_TIMEOUT);

	/* acknowledged again at the next observation: an ordinary idle timeout */
	b.id = 5;
	feed(t, ct(&b, FW_CT_NEW, SYN_SENT, 120), 2000);
	update = ct(&b, FW_CT_UPDATE, ESTABLISHED, 200);
	update.tcp_flags_reply = IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
	feed(t, update, 2001);
	update.tcp_flags_reply = IP_CT_TCP_FLAG_SACK_PERM;
	feed(t, update, 2002);
	assert_false(live_session(&b)->unacked_seen);
	m = mark();
	now = at(2202);
	destroy = destroy_ev(&b, 0);
	fw_tracker_event(t, &destroy, &now);
	assert_int_equal(rec.calls[m].teardown.cause, FW_CAUSE_IDLE_TIMEOUT);
	fw_tracker_free(t);
}

/* The families the event filter and the dumps keep: those both network lists allow. */
static void test_policy_families(void **state)
{
	static const struct {
		const char *phone[2], *server[2];
		int ipv4, ipv6;
	} cases[] = {
	    {{NULL, NULL}, {NULL, NULL}, 1, 1},
	    {{"192.0.2.0/24", NULL}, {NULL, NULL}, 1, 0},
	    {{NULL, NULL}, {"2001:db8::/32", NULL}, 0, 1},
	    {{"192.0.2.0/24", "2001:db8:1::/48"}, {NULL, NULL}, 1, 1},
	    {{"192.0.2.0/24", "2001:db8:1::/48"}, {"198.51.100.0/24", NULL}, 1, 0},
	    {{"192.0.2.0/24", NULL}, {"2001:db8::/32", NULL}, 0, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fw_session_policy p = default_policy();
		int ipv4 = -1, ipv6 = -1;

		for (size_t k = 0; k < 2; k++) {
			if (cases[i].phone[k])
				assert_int_equal(
				    fw_cidr_parse(cases[i].phone[k],
				                  &p.phone_networks[p.phone_network_count++]),
				    0);
			if (cases[i].server[k])
				assert_int_equal(
				    fw_cidr_parse(cases[i].server[k],
				                  &p.server_networks[p.server_network_count++]),
				    0);
		}
		fw_session_policy_families(&p, &ipv4, &ipv6);
		if (ipv4 != cases[i].ipv4 || ipv6 != cases[i].ipv6)
			fail_msg("case %zu: IPv4 %d IPv6 %d", i, ipv4, ipv6);
	}
}

static void test_destroy_during_resync(void **state)
{
	(void)state;
	for (int f = 0; f < FAMILY_COUNT; f++) {
		struct fw_session_policy p = default_policy();
		struct fw_tracker *t = new_tracker(&p);
		struct conn a = make_conn(families[f], 1, 40001, 10, 500);
		struct conn never = make_conn(families[f], 2, 40002, 10, 600);
		struct conn reused = a;
		size_t m;

		reused.id = 501;
		feed(t, ct(&a, FW_CT_NEW, ESTABLISHED, 300), 0);
		m = mark();
		fw_tracker_resync_begin(t);
		feed(t, destroy_ev(&a, 31337), 11);
		/* Unknown to us (events were lost) and destroyed: no row may bring it in. */
		feed(t, destroy_ev(&never, 0), 11);
		row(t, ct(&a, FW_CT_UPDATE, ESTABLISHED, 290), 12);
		row(t, ct(&never, FW_CT_UPDATE, ESTABLISHED, 290), 12);
		resync_end(t, FW_RESYNC_AFTER_OVERRUN, 13);
		EXPECT(m, H_TEARDOWN, H_SESSION_REMOVED);
		assert_int_equal(rec.calls[m].teardown.cause, FW_CAUSE_FLUSHED);
		assert_int_equal(fw_tracker_session_count(t), 0);
		assert_int_equal(live_phone(&a)->sessions_now, 0);

		/* The same tuple under a new conntrack id is a new session. */
		m = mark();
		fw_tracker_resync_begin(t);
		feed(t, destroy_ev(&a, 0), 20);
		row(t, ct(&reused, FW_CT_UPDATE, ESTABLISHED, 300), 21);
		resync_end(t, FW_RESYNC_RECONCILE, 22);
		EXPECT(m, H_SESSION_ADDED);
		assert_int_equal(rec.calls[m].session.ct_id, 501);
		assert_int_equal(fw_tracker_session_count(t), 1);
		fw_tracker_free(t);
	}
}

/* A new conntrack on a known tuple: the old one ended while its DESTROY was lost. */
/*
 * A phone reconnecting from the same port after the server's RST: the kernel
 * brings the CLOSE entry back (same id) through SYN_RECV to ESTABLISHED. It
 * is a new session: a new row, counted at the phone, its own teardown later.
 */
static void test_revived_after_reset(void **state)
{
	for (int f = 0; f < FAMILY_COUNT; f++) {
		struct fw_session_policy p = default_policy();
		struct fw_tracker *t = new_tracker(&p);
		struct conn c = make_conn(families[f], 1, 40001, 10, 7);
		const struct fw_phone *ph;
		size_t m;

		(void)state;
		p.reconnect_window = 60;
		fw_tracker_set_policy(t, &p);
		feed(t, ct(&c, FW_CT_NEW, SYN_SENT, 120), 0);
		feed(t, ct(&c, FW_CT_UPDATE, ESTABLISHED, 300), 0.1);
		m = mark();
		feed(t, ct(&c, FW_CT_UPDATE, CLOSE, 10), 20);
		EXPECT(m, H_TEARDOWN);
		assert_int_equal(rec.calls[m].teardown.cause, FW_CAUSE_RESET);
		ph = live_phone(&c);
		assert_int_equal(ph->sessions_now, 0);

		m = mark();
		feed(t, ct(&c, FW_CT_UPDATE, TCP_CONNTRACK_SYN_RECV, 60), 21);
		EXPECT(m, H_SESSION_REMOVED, H_SESSION_ADDED);
		assert_int_equal(rec.calls[m + 1].session.ct_id, 7);
		assert_int_equal(rec.calls[m + 1].session.tcp_state, TCP_CONNTRACK_SYN_RECV);
		assert_int_equal(ph->sessions_now, 1);
		assert_int_equal(ph->sessions_seen, 2);
		assert_int_equal(ph->reconnects, 1);
		assert_int_equal(fw_tracker_stats(t)->sessions_seen, 2);
		m = mark();
		feed(t, ct(&c, FW_CT_UPDATE, ESTABLISHED, 300), 21.1);
		EXPECT_NONE(m);

		/* its own reset, reported again */
		m = mark();
		feed(t, ct(&c, FW_CT_UPDATE, CLOSE, 10), 40);
		EXPECT(m, H_TEARDOWN);
		assert_int_equal(rec.calls[m].teardown.cause, FW_CAUSE_RESET);
		assert_int_equal(rec.calls[m].teardown.duration, 19);
		assert_int_equal(ph->teardowns[FW_CAUSE_RESET], 2);
		assert_int_equal(ph->sessions_now, 0);
		/* the DESTROY of the entry only removes it */
		m = mark();
		feed(t, destroy_ev(&c, 0), 50);
		EXPECT(m, H_SESSION_REMOVED);
		/* CLOSE or TIME_WAIT again is no revival */
		fw_tracker_free(t);
	}
}

/* A dump that finds a reported entry alive again (its events were lost) revives it too. */
static void test_revived_seen_in_dump(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t = new_tracker(&p);
	struct conn c = make_conn(AF_INET, 1, 40001, 10, 9);
	size_t m;

	(void)state;
	feed(t, ct(&c, FW_CT_NEW, ESTABLISHED, 300), 0);
	feed(t, ct(&c, FW_CT_UPDATE, TIME_WAIT, 120), 10);
	m = mark();
	fw_tracker_resync_begin(t);
	row(t, ct(&c, FW_CT_UPDATE, TIME_WAIT, 100), 30);
	EXPECT_NONE(m);
	row(t, ct(&c, FW_CT_UPDATE, ESTABLISHED, 300), 31);
	resync_end(t, FW_RESYNC_RECONCILE, 32);
	EXPECT(m, H_SESSION_REMOVED, H_SESSION_ADDED);
	assert_int_equal(live_phone(&c)->sessions_now, 1);
	assert_int_equal(fw_tracker_resync_summary(t)->added, 1);
	fw_tracker_free(t);
}

static void test_tuple_reused(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t = new_tracker(&p);
	struct conn old = make_conn(AF_INET, 1, 40001, 10, 1);
	struct conn fresh = old;
	size_t m;

	(void)state;
	fresh.id = 2;
	feed(t, ct(&old, FW_CT_NEW, ESTABLISHED, 300), 0);
	m = mark();
	feed(t, ct(&fresh, FW_CT_NEW, SYN_SENT, 120), 5);
	EXPECT(m, H_TEARDOWN, H_SESSION_REMOVED, H_SESSION_ADDED);
	assert_int_equal(rec.calls[m].teardown.cause, FW_CAUSE_MISSED);
	assert_int_equal(rec.calls[m + 1].session.ct_id, 1);
	assert_int_equal(rec.calls[m + 2].session.ct_id, 2);
	/* A late DESTROY of the old id is not about the new one. */
	m = mark();
	feed(t, destroy_ev(&old, 0), 6);
	EXPECT_NONE(m);
	feed(t, destroy_ev(&fresh, 0), 7);
	EXPECT(m, H_TEARDOWN, H_SESSION_REMOVED);
	assert_int_equal(live_phone(&old)->sessions_now, 0);
	fw_tracker_free(t);
}

static void test_history_ring(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t;
	size_t m;

	(void)state;
	p.history_size = 3;
	t = new_tracker(&p);
	for (int i = 0; i < 5; i++) {
		struct conn c = make_conn(AF_INET, 1, (uint16_t)(40000 + i), 10, (uint32_t)i + 1);

		m = mark();
		feed(t, ct(&c, FW_CT_NEW, ESTABLISHED, 300), i * 10);
		feed(t, ct(&c, FW_CT_UPDATE, CLOSE, 10), i * 10 + 1);
		if (i == 0) {
			EXPECT(m, H_PHONE_ADDED, H_SESSION_ADDED, H_TEARDOWN);
		} else if (i < 3) {
			EXPECT(m, H_SESSION_ADDED, H_TEARDOWN);
		} else {
			/* The oldest leaves first. */
			EXPECT(m, H_SESSION_ADDED, H_EXPIRED, H_TEARDOWN);
			assert_int_equal(rec.calls[m + 1].teardown.index, (uint32_t)i - 2);
			assert_int_equal(rec.calls[m + 1].teardown.phone_port, 40000 + i - 3);
		}
		assert_int_equal(rec.calls[rec.total - 1].teardown.index, (uint32_t)i + 1);
	}
	assert_int_equal(fw_tracker_history_count(t), 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(fw_tracker_history_at(t, i)->index, 3 + i);
	assert_null(fw_tracker_history_at(t, 3));

	/* Shrinking drops the oldest, each announced. */
	m = mark();
	p.history_size = 1;
	fw_tracker_set_policy(t, &p);
	EXPECT(m, H_EXPIRED, H_EXPIRED);
	assert_int_equal(rec.calls[m].teardown.index, 3);
	assert_int_equal(rec.calls[m + 1].teardown.index, 4);
	assert_int_equal(fw_tracker_history_count(t), 1);
	assert_int_equal(fw_tracker_history_at(t, 0)->index, 5);

	m = mark();
	feed(t, ct(&(struct conn){0}, FW_CT_NEW, ESTABLISHED, 300), 100); /* no family: ignored */
	{
		struct conn c = make_conn(AF_INET6, 1, 40100, 10, 100);

		reset_conn(t, &c, 100, 101);
	}
	EXPECT(m, H_PHONE_ADDED, H_SESSION_ADDED, H_EXPIRED, H_TEARDOWN, H_SESSION_REMOVED);
	assert_int_equal(rec.calls[m + 2].teardown.index, 5);
	assert_int_equal(rec.calls[m + 3].teardown.index, 6);

	/* Size 0: announced, then gone at once; indexes still never reused. */
	m = mark();
	p.history_size = 0;
	fw_tracker_set_policy(t, &p);
	EXPECT(m, H_EXPIRED);
	assert_int_equal(fw_tracker_history_count(t), 0);
	m = mark();
	{
		struct conn c = make_conn(AF_INET, 1, 40200, 10, 200);

		reset_conn(t, &c, 200, 201);
	}
	EXPECT(m, H_SESSION_ADDED, H_TEARDOWN, H_EXPIRED, H_SESSION_REMOVED);
	assert_int_equal(rec.calls[m + 1].teardown.index, 7);
	assert_int_equal(rec.calls[m + 2].teardown.index, 7);

	/* Growing again. */
	p.history_size = 3;
	fw_tracker_set_policy(t, &p);
	for (int i = 0; i < 4; i++) {
		struct conn c = make_conn(AF_INET, 1, (uint16_t)(40300 + i), 10, 300 + (uint32_t)i);

		reset_conn(t, &c, 300 + i, 300.5 + i);
	}
	assert_int_equal(fw_tracker_history_count(t), 3);
	assert_int_equal(fw_tracker_history_at(t, 0)->index, 9);
	assert_int_equal(fw_tracker_history_at(t, 2)->index, 11);
	/* 1, 2 (full), 3, 4 (shrink), 5 (by 6), 6 (size 0), 7 (at once), 8 (by 11). */
	assert_int_equal(rec.counts[H_EXPIRED], 8);
	fw_tracker_free(t);
}

static void test_start_timestamp(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t = new_tracker(&p);
	struct conn a = make_conn(AF_INET, 1, 40001, 10, 1);
	struct conn b = make_conn(AF_INET, 1, 40002, 10, 2);
	struct fw_ct_event ev;
	const struct fw_session *s;
	size_t m;

	(void)state;
	/* Opened 50 s before the agent saw it. */
	ev = ct(&a, FW_CT_UPDATE, ESTABLISHED, 300);
	ev.has_start = 1;
	ev.start_ns = (uint64_t)(T0_WALL - 50) * 1000000000ull + 123456789ull;
	feed(t, ev, 0);
	s = live_session(&a);
	assert_int_equal(s->start, T0_WALL - 50);
	assert_int_equal(s->start_mono_ms, T0_MONO - 50000);
	m = mark();
	feed(t, ct(&a, FW_CT_UPDATE, CLOSE, 10), 10);
	assert_int_equal(rec.calls[m].teardown.duration, 60);

	/* A start in the future (clock stepped): no age, no negative duration. */
	ev = ct(&b, FW_CT_NEW, ESTABLISHED, 300);
	ev.has_start = 1;
	ev.start_ns = (uint64_t)(T0_WALL + 1000) * 1000000000ull;
	feed(t, ev, 20);
	s = live_session(&b);
	assert_int_equal(s->start, T0_WALL + 1000);
	assert_int_equal(s->start_mono_ms, at(20).mono_ms);
	m = mark();
	feed(t, ct(&b, FW_CT_UPDATE, TIME_WAIT, 120), 30);
	assert_int_equal(rec.calls[m].teardown.duration, 0);
	assert_int_equal(rec.calls[m].teardown.cause, FW_CAUSE_CLOSED);
	fw_tracker_free(t);
}

/* First seen already closed (a dump after a gap): added, then reported at once. */
static void test_first_seen_closed(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t = new_tracker(&p);
	struct conn a = make_conn(AF_INET6, 1, 40001, 10, 1);
	size_t m;

	(void)state;
	/* ended before it could be watched: not a session, no late teardown */
	fw_tracker_resync_begin(t);
	row(t, ct(&a, FW_CT_UPDATE, TIME_WAIT, 100), 0);
	resync_end(t, FW_RESYNC_AFTER_OVERRUN, 1);
	EXPECT_NONE(0);
	m = mark();
	feed(t, ct(&a, FW_CT_UPDATE, CLOSE, 10), 2);
	feed(t, destroy_ev(&a, 0), 100);
	EXPECT_NONE(m);
	assert_int_equal(fw_tracker_session_count(t), 0);
	fw_tracker_free(t);
}

/* New ports apply at once: sessions on a removed port leave the tables without a teardown. */
static void test_policy_change_ports(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t = new_tracker(&p);
	struct conn a = make_conn(AF_INET, 1, 40001, 10, 1);
	struct conn b = make_conn(AF_INET, 1, 40002, 10, 2);
	struct conn c = make_conn(AF_INET, 1, 40003, 10, 3);
	size_t m;

	(void)state;
	feed(t, ct(&a, FW_CT_NEW, ESTABLISHED, 300), 0);
	p.sip_ports[0] = 5062;
	m = mark();
	/* a is no longer watched: it leaves without a teardown, and is not counted as live */
	fw_tracker_set_policy(t, &p);
	EXPECT(m, H_SESSION_REMOVED);
	assert_int_equal(fw_tracker_session_count(t), 0);
	assert_int_equal(live_phone(&a)->sessions_now, 0);
	assert_int_equal(live_phone(&a)->teardowns[FW_CAUSE_MISSED], 0);
	m = mark();
	feed(t, ct(&a, FW_CT_UPDATE, CLOSE, 10), 1);
	EXPECT_NONE(m);
	m = mark();
	feed(t, ct(&b, FW_CT_NEW, ESTABLISHED, 300), 2);
	EXPECT_NONE(m);
	c.dport = 5062;
	feed(t, ct(&c, FW_CT_NEW, ESTABLISHED, 300), 3);
	EXPECT(m, H_SESSION_ADDED);
	fw_tracker_free(t);
}

/* Zones separate equal tuples; unused IPv4 octets never split a session. */
static void test_keys(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t = new_tracker(&p);
	struct conn z1 = make_conn(AF_INET, 1, 40001, 10, 1);
	struct conn z2 = z1;
	struct fw_ct_event ev;
	size_t m;

	(void)state;
	z1.zone = 1;
	z2.zone = 2;
	z2.id = 2;
	feed(t, ct(&z1, FW_CT_NEW, ESTABLISHED, 300), 0);
	feed(t, ct(&z2, FW_CT_NEW, ESTABLISHED, 300), 0);
	assert_int_equal(fw_tracker_session_count(t), 2);
	assert_int_equal(live_phone(&z1)->sessions_now, 2);

	m = mark();
	ev = ct(&z1, FW_CT_UPDATE, ESTABLISHED, 299);
	memset(ev.orig.src + 4, 0xee, 12);
	memset(ev.orig.dst + 4, 0xee, 12);
	feed(t, ev, 1);
	EXPECT_NONE(m);
	assert_int_equal(live_session(&z1)->remaining, 299);
	assert_int_equal(live_session(&z2)->remaining, 300);
	/* What the tracker publishes has them zeroed too. */
	for (int i = 4; i < 16; i++)
		assert_int_equal(live_session(&z1)->orig.src[i], 0);
	fw_tracker_free(t);
}

/* Freeing with live sessions calls no hook. */
static void test_free_silent(void **state)
{
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t = new_tracker(&p);
	struct conn a = make_conn(AF_INET, 1, 40001, 10, 1);
	size_t m;

	(void)state;
	feed(t, ct(&a, FW_CT_NEW, ESTABLISHED, 300), 0);
	m = mark();
	fw_tracker_free(t);
	EXPECT_NONE(m);
	fw_tracker_free(NULL);
}

/* 10 000 phones: lookups stay right as the tables grow; the sanitizer build checks for leaks. */
static void test_ten_thousand(void **state)
{
	enum { N = 10000 };
	struct fw_session_policy p = default_policy();
	struct fw_tracker *t = new_tracker(&p);
	const struct fw_tracker_stats *st = fw_tracker_stats(t);

	(void)state;
	for (unsigned i = 0; i < N; i++) {
		struct conn c =
		    make_conn(families[i % 2], i + 1, (uint16_t)(30000 + i % 7), 10, i + 1);

		feed(t, ct(&c, FW_CT_NEW, SYN_SENT, 120), 0);
		feed(t, ct(&c, FW_CT_UPDATE, ESTABLISHED, 432000), 0.1);
	}
	assert_int_equal(fw_tracker_session_count(t), N);
	assert_int_equal(rec.counts[H_SESSION_ADDED], N);
	assert_int_equal(rec.counts[H_PHONE_ADDED], N);

	/* A second session per phone finds the existing phone. */
	for (unsigned i = 0; i < N; i++) {
		struct conn c = make_conn(families[i % 2], i + 1, 50000, 10, N + i + 1);

		feed(t, ct(&c, FW_CT_NEW, ESTABLISHED, 300), 1);
	}
	assert_int_equal(rec.counts[H_PHONE_ADDED], N);
	assert_int_equal(fw_tracker_session_count(t), 2 * N);

	/* Flush every first session: 20 000 records through a ring of 1000. */
	for (unsigned i = 0; i < N; i++) {
		struct conn c =
		    make_conn(families[i % 2], i + 1, (uint16_t)(30000 + i % 7), 10, i + 1);

		feed(t, destroy_ev(&c, 1), 2);
	}
	assert_int_equal(fw_tracker_session_count(t), N);
	assert_int_equal(st->teardowns[FW_CAUSE_FLUSHED], N);
	assert_int_equal(rec.counts[H_EXPIRED], N - 1000);
	assert_int_equal(fw_tracker_history_count(t), 1000);
	assert_int_equal(fw_tracker_history_at(t, 0)->index, N - 999);
	assert_int_equal(fw_tracker_history_at(t, 999)->index, N);

	/* Half of the rest vanishes during an overrun. */
	fw_tracker_resync_begin(t);
	for (unsigned i = 0; i < N; i += 2) {
		struct conn c = make_conn(families[i % 2], i + 1, 50000, 10, N + i + 1);

		row(t, ct(&c, FW_CT_UPDATE, ESTABLISHED, 299), 3);
	}
	resync_end(t, FW_RESYNC_AFTER_OVERRUN, 4);
	assert_int_equal(fw_tracker_session_count(t), N / 2);
	assert_int_equal(st->teardowns[FW_CAUSE_MISSED], N / 2);
	assert_int_equal(rec.live, N / 2);
	assert_int_equal(rec.counts[H_SESSION_REMOVED], N + N / 2);
	/* The rest is freed with the tracker. */
	fw_tracker_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reset_reported_at_update),
	    cmocka_unit_test(test_lifecycle_table),
	    cmocka_unit_test(test_ignored_table),
	    cmocka_unit_test(test_unknown_destroy),
	    cmocka_unit_test(test_default_port),
	    cmocka_unit_test(test_effective_timeout),
	    cmocka_unit_test(test_threshold_change),
	    cmocka_unit_test(test_reconnect),
	    cmocka_unit_test(test_server_change),
	    cmocka_unit_test(test_server_flap_episode),
	    cmocka_unit_test(test_flapping_phone_expires),
	    cmocka_unit_test(test_resync_after_overrun),
	    cmocka_unit_test(test_reconcile),
	    cmocka_unit_test(test_destroy_carries_final_state),
	    cmocka_unit_test(test_phone_expiry),
	    cmocka_unit_test(test_unacked_timeout),
	    cmocka_unit_test(test_policy_families),
	    cmocka_unit_test(test_destroy_during_resync),
	    cmocka_unit_test(test_revived_after_reset),
	    cmocka_unit_test(test_revived_seen_in_dump),
	    cmocka_unit_test(test_tuple_reused),
	    cmocka_unit_test(test_history_ring),
	    cmocka_unit_test(test_start_timestamp),
	    cmocka_unit_test(test_first_seen_closed),
	    cmocka_unit_test(test_policy_change_ports),
	    cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_free_silent),
	    cmocka_unit_test(test_ten_thousand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
