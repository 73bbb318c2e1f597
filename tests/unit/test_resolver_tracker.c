/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "resolver_tracker.h"
#include "tracker_clock.h"

/* ---- hook recorder ---- */

enum hook {
	H_RESOLVER_ADDED,
	H_RESOLVER_REMOVED,
	H_PAIR_ADDED,
	H_PAIR_REMOVED,
	H_FLAGGED,
	H_VERDICT
};
#define H_COUNT 6

static struct {
	size_t counts[H_COUNT];
	enum hook last;
	struct fw_phone_resolver pair; /* of the last pair hook */
	struct fw_resolver resolver;   /* of the last resolver hook */
} rec;

static void on_resolver(enum hook h, const struct fw_resolver *r)
{
	rec.counts[h]++;
	rec.last = h;
	rec.resolver = *r;
}

static void on_pair(enum hook h, const struct fw_phone_resolver *p)
{
	rec.counts[h]++;
	rec.last = h;
	rec.pair = *p;
}

static void resolver_added(const struct fw_resolver *r, void *ctx)
{
	(void)ctx;
	on_resolver(H_RESOLVER_ADDED, r);
}

static void resolver_removed(const struct fw_resolver *r, void *ctx)
{
	(void)ctx;
	on_resolver(H_RESOLVER_REMOVED, r);
}

static void pair_added(const struct fw_phone_resolver *p, void *ctx)
{
	(void)ctx;
	on_pair(H_PAIR_ADDED, p);
}

static void pair_removed(const struct fw_phone_resolver *p, void *ctx)
{
	(void)ctx;
	on_pair(H_PAIR_REMOVED, p);
}

static void flagged_use(const struct fw_phone_resolver *p, void *ctx)
{
	(void)ctx;
	on_pair(H_FLAGGED, p);
}

static void verdict_changed(const struct fw_resolver *r, void *ctx)
{
	(void)ctx;
	on_resolver(H_VERDICT, r);
}

static const struct fw_resolver_hooks hooks = {
    .resolver_added = resolver_added,
    .resolver_removed = resolver_removed,
    .pair_added = pair_added,
    .pair_removed = pair_removed,
    .flagged_use = flagged_use,
    .verdict_changed = verdict_changed,
};

/* ---- flows ---- */

static struct fw_ct_event flow(enum fw_ct_kind kind, const char *phone, uint16_t sport,
                               const char *resolver, uint8_t protocol, uint16_t dport)
{
	struct fw_ct_event ev;
	uint8_t family = strchr(phone, ':') ? AF_INET6 : AF_INET;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.orig.family = family;
	ev.orig.protocol = protocol;
	assert_int_equal(inet_pton(family, phone, ev.orig.src), 1);
	assert_int_equal(inet_pton(family, resolver, ev.orig.dst), 1);
	ev.orig.sport = sport;
	ev.orig.dport = dport;
	ev.reply = ev.orig;
	return ev;
}

static void feed(struct fw_resolver_tracker *t, struct fw_ct_event ev, double seconds)
{
	struct fw_clock now = at(seconds);

	fw_resolver_tracker_event(t, &ev, &now);
}

static struct fw_resolver_tracker *new_tracker(const struct fw_resolver_settings *s)
{
	struct fw_resolver_tracker *t;

	memset(&rec, 0, sizeof(rec));
	t = fw_resolver_tracker_new(s, &hooks);
	assert_non_null(t);
	return t;
}

static struct fw_resolver_settings default_settings(void)
{
	struct fw_resolver_settings s;

	memset(&s, 0, sizeof(s));
	fw_resolver_policy_default(&s.policy);
	s.retention = 600;
	return s;
}

static void test_which_flows_are_dns(void **state)
{
	struct fw_ct_event ev;

	(void)state;
	ev = flow(FW_CT_NEW, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_UDP, 53);
	assert_true(fw_resolver_is_dns(&ev.orig));
	ev = flow(FW_CT_NEW, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_TCP, 53);
	assert_true(fw_resolver_is_dns(&ev.orig));
	ev = flow(FW_CT_NEW, "2001:db8:1::10", 40000, "2001:4860:4860::8888", IPPROTO_TCP, 853);
	assert_true(fw_resolver_is_dns(&ev.orig));
	ev = flow(FW_CT_NEW, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_UDP, 853);
	assert_false(fw_resolver_is_dns(&ev.orig));
	ev = flow(FW_CT_NEW, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_TCP, 5061);
	assert_false(fw_resolver_is_dns(&ev.orig));
	ev = flow(FW_CT_NEW, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_SCTP, 53);
	assert_false(fw_resolver_is_dns(&ev.orig));
}

/* A phone starts using Google's resolver: one flagged_use, counts follow the flows. */
static void test_flagged_use_once_per_pair(void **state)
{
	struct fw_resolver_settings s = default_settings();
	struct fw_resolver_tracker *t = new_tracker(&s);

	(void)state;
	feed(t, flow(FW_CT_NEW, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_UDP, 53), 1);
	assert_int_equal(rec.counts[H_RESOLVER_ADDED], 1);
	assert_int_equal(rec.counts[H_PAIR_ADDED], 1);
	assert_int_equal(rec.counts[H_FLAGGED], 1);
	assert_int_equal(rec.pair.resolver->verdict, FW_RESOLVER_FLAGGED);
	assert_int_equal(rec.pair.live_flows, 1);
	assert_int_equal(rec.pair.resolver->phones_now, 1);
	assert_int_equal(fw_resolver_tracker_flagged_in_use(t), 1);
	/* an UPDATE of the same flow is no new flow; a second flow of the pair is */
	feed(t, flow(FW_CT_UPDATE, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_UDP, 53), 2);
	feed(t, flow(FW_CT_NEW, "192.0.2.10", 40001, "8.8.8.8", IPPROTO_UDP, 53), 3);
	assert_int_equal(rec.counts[H_FLAGGED], 1);
	assert_int_equal(rec.pair.resolver->flows, 2);
	assert_int_equal(rec.pair.resolver->phones_now, 1);
	/* another phone: a second pair, a second notification */
	feed(t, flow(FW_CT_NEW, "192.0.2.11", 40000, "8.8.8.8", IPPROTO_TCP, 53), 4);
	assert_int_equal(rec.counts[H_FLAGGED], 2);
	assert_int_equal(rec.pair.resolver->phones_now, 2);
	assert_int_equal(rec.pair.resolver->phones_ever, 2);
	assert_int_equal(fw_resolver_tracker_flagged_in_use(t), 2);
	/* the flows end: nobody uses it now, everything stays listed */
	feed(t, flow(FW_CT_DESTROY, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_UDP, 53), 30);
	feed(t, flow(FW_CT_DESTROY, "192.0.2.10", 40001, "8.8.8.8", IPPROTO_UDP, 53), 31);
	feed(t, flow(FW_CT_DESTROY, "192.0.2.11", 40000, "8.8.8.8", IPPROTO_TCP, 53), 32);
	assert_int_equal(rec.pair.resolver->phones_now, 0);
	assert_int_equal(fw_resolver_tracker_flagged_in_use(t), 0);
	assert_int_equal(fw_resolver_tracker_resolver_count(t), 1);
	/* used again while listed: no second notification for the pair */
	feed(t, flow(FW_CT_NEW, "192.0.2.10", 40002, "8.8.8.8", IPPROTO_UDP, 53), 40);
	assert_int_equal(rec.counts[H_FLAGGED], 2);
	fw_resolver_tracker_free(t);
}

/* The provider's resolver is allowed; a site resolver is unknown; neither is notified. */
static void test_allowed_and_unknown(void **state)
{
	struct fw_resolver_settings s = default_settings();
	struct fw_resolver_tracker *t;

	(void)state;
	assert_int_equal(fw_cidr_parse("198.51.100.53", &s.policy.allowed[0]), 0);
	s.policy.allowed_count = 1;
	t = new_tracker(&s);
	feed(t, flow(FW_CT_NEW, "192.0.2.10", 40000, "198.51.100.53", IPPROTO_UDP, 53), 1);
	assert_int_equal(rec.pair.resolver->verdict, FW_RESOLVER_ALLOWED);
	assert_int_equal(rec.counts[H_FLAGGED], 0);
	/* with an allowed list, any other resolver is flagged */
	feed(t, flow(FW_CT_NEW, "192.0.2.10", 40001, "192.0.2.53", IPPROTO_UDP, 53), 2);
	assert_int_equal(rec.pair.resolver->verdict, FW_RESOLVER_FLAGGED);
	assert_int_equal(rec.counts[H_FLAGGED], 1);
	fw_resolver_tracker_free(t);

	s = default_settings();
	t = new_tracker(&s);
	feed(t, flow(FW_CT_NEW, "192.0.2.10", 40001, "192.0.2.53", IPPROTO_UDP, 53), 2);
	assert_int_equal(rec.pair.resolver->verdict, FW_RESOLVER_UNKNOWN);
	assert_int_equal(rec.counts[H_FLAGGED], 0);
	fw_resolver_tracker_free(t);
}

/* Only DNS flows from the phone networks count. */
static void test_phone_networks_and_other_flows(void **state)
{
	struct fw_resolver_settings s = default_settings();
	struct fw_cidr phones;
	struct fw_resolver_tracker *t;

	(void)state;
	assert_int_equal(fw_cidr_parse("192.0.2.0/24", &phones), 0);
	s.phone_networks = &phones;
	s.phone_network_count = 1;
	t = new_tracker(&s);
	feed(t, flow(FW_CT_NEW, "203.0.113.5", 40000, "8.8.8.8", IPPROTO_UDP, 53), 1);
	feed(t, flow(FW_CT_NEW, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_TCP, 443), 1);
	feed(t, flow(FW_CT_NEW, "2001:db8:1::10", 40000, "2001:4860:4860::8888", IPPROTO_UDP, 53),
	     1);
	assert_int_equal(fw_resolver_tracker_resolver_count(t), 0);
	assert_int_equal(rec.counts[H_PAIR_ADDED], 0);
	feed(t, flow(FW_CT_NEW, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_UDP, 53), 1);
	assert_int_equal(fw_resolver_tracker_resolver_count(t), 1);
	/* a DESTROY of an unknown flow changes nothing */
	feed(t, flow(FW_CT_DESTROY, "192.0.2.10", 49999, "8.8.8.8", IPPROTO_UDP, 53), 2);
	assert_int_equal(rec.pair.live_flows, 1);
	fw_resolver_tracker_free(t);
}

/* A dump brings flows no event reported, and ends those it no longer holds. */
static void test_resync(void **state)
{
	struct fw_resolver_settings s = default_settings();
	struct fw_resolver_tracker *t = new_tracker(&s);
	struct fw_ct_event a = flow(FW_CT_UPDATE, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_UDP, 53);
	struct fw_ct_event b = flow(FW_CT_UPDATE, "192.0.2.11", 40000, "1.1.1.1", IPPROTO_UDP, 53);
	struct fw_clock now = at(10);

	(void)state;
	fw_resolver_tracker_resync_begin(t);
	fw_resolver_tracker_resync_row(t, &a, &now);
	fw_resolver_tracker_resync_row(t, &b, &now);
	fw_resolver_tracker_resync_end(t, &now);
	assert_int_equal(fw_resolver_tracker_resolver_count(t), 2);
	assert_int_equal(fw_resolver_tracker_flagged_in_use(t), 2);
	assert_int_equal(rec.counts[H_FLAGGED], 2);
	/* the next dump holds only b: a ended without an event */
	now = at(40);
	fw_resolver_tracker_resync_begin(t);
	fw_resolver_tracker_resync_row(t, &b, &now);
	/* a flow created during the dump is not swept by its end */
	feed(t, flow(FW_CT_NEW, "192.0.2.12", 40000, "9.9.9.9", IPPROTO_TCP, 853), 41);
	fw_resolver_tracker_resync_end(t, &now);
	assert_int_equal(fw_resolver_tracker_flagged_in_use(t), 2);
	/* the rows of a second dump count no flow twice */
	now = at(50);
	fw_resolver_tracker_resync_begin(t);
	fw_resolver_tracker_resync_row(t, &b, &now);
	fw_resolver_tracker_resync_end(t, &now);
	fw_resolver_tracker_free(t);
}

/* Pairs without flows leave after the retention; their resolver with its last pair. */
static void test_expiry(void **state)
{
	struct fw_resolver_settings s = default_settings();
	struct fw_resolver_tracker *t = new_tracker(&s);
	struct fw_clock now;

	(void)state;
	feed(t, flow(FW_CT_NEW, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_UDP, 53), 0);
	feed(t, flow(FW_CT_NEW, "192.0.2.11", 40000, "8.8.8.8", IPPROTO_UDP, 53), 0);
	feed(t, flow(FW_CT_DESTROY, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_UDP, 53), 30);
	now = at(629);
	assert_int_equal(fw_resolver_tracker_expire(t, &now), 0);
	now = at(630);
	assert_int_equal(fw_resolver_tracker_expire(t, &now), 1);
	assert_int_equal(rec.last, H_PAIR_REMOVED);
	/* the other phone still has its flow: the resolver stays */
	assert_int_equal(fw_resolver_tracker_resolver_count(t), 1);
	feed(t, flow(FW_CT_DESTROY, "192.0.2.11", 40000, "8.8.8.8", IPPROTO_UDP, 53), 700);
	now = at(1300);
	assert_int_equal(fw_resolver_tracker_expire(t, &now), 1);
	assert_int_equal(rec.last, H_RESOLVER_REMOVED);
	assert_int_equal(fw_resolver_tracker_resolver_count(t), 0);
	/* back after it left: a new pair, told again */
	feed(t, flow(FW_CT_NEW, "192.0.2.10", 40003, "8.8.8.8", IPPROTO_UDP, 53), 1400);
	assert_int_equal(rec.counts[H_FLAGGED], 3);
	fw_resolver_tracker_free(t);
}

/* A reload that allows a resolver moves its phones out of the flagged count. */
static void test_policy_change(void **state)
{
	struct fw_resolver_settings s = default_settings();
	struct fw_resolver_tracker *t = new_tracker(&s);

	(void)state;
	feed(t, flow(FW_CT_NEW, "192.0.2.10", 40000, "8.8.8.8", IPPROTO_UDP, 53), 0);
	assert_int_equal(fw_resolver_tracker_flagged_in_use(t), 1);
	assert_int_equal(fw_cidr_parse("8.8.8.8", &s.policy.allowed[0]), 0);
	s.policy.allowed_count = 1;
	fw_resolver_tracker_set_settings(t, &s);
	assert_int_equal(rec.counts[H_VERDICT], 1);
	assert_int_equal(rec.resolver.verdict, FW_RESOLVER_ALLOWED);
	assert_int_equal(fw_resolver_tracker_flagged_in_use(t), 0);
	/* and back: flagged again, the pair told once more at its next flow */
	s.policy.allowed_count = 0;
	fw_resolver_tracker_set_settings(t, &s);
	assert_int_equal(fw_resolver_tracker_flagged_in_use(t), 1);
	fw_resolver_tracker_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_which_flows_are_dns),
	    cmocka_unit_test(test_flagged_use_once_per_pair),
	    cmocka_unit_test(test_allowed_and_unknown),
	    cmocka_unit_test(test_phone_networks_and_other_flows),
	    cmocka_unit_test(test_resync),
	    cmocka_unit_test(test_expiry),
	    cmocka_unit_test(test_policy_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
