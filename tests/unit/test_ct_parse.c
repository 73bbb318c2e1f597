/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <endian.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "ct_event.h"
#include "ct_fixtures.h"
#include "nl_test_util.h"

#define FIXTURE(name) #name, fixture_##name, sizeof(fixture_##name)

/* What each recorded message must parse to, field by field (see ct_fixtures.h). */
struct expected {
	const char *name;
	const uint8_t *bytes;
	size_t len;
	enum fw_ct_kind kind;
	uint32_t portid, id;
	uint8_t family;
	const char *src;
	uint16_t sport;
	const char *dst;
	uint16_t dport;
	const char *reply_src;
	uint16_t reply_sport;
	const char *reply_dst;
	uint16_t reply_dport;
	uint16_t zone;
	uint32_t mark, status;
	uint8_t has_tcp_state, tcp_state, tcp_flags_orig, tcp_flags_reply;
	uint8_t has_timeout;
	uint32_t timeout;
	uint8_t has_counters;
	uint64_t orig_packets, orig_bytes, reply_packets, reply_bytes;
	uint8_t has_start;
	uint64_t start_ns;
};

static const struct expected fixtures[] = {
    {FIXTURE(v4_new),
     FW_CT_NEW,
     0U,
     306248393U,
     AF_INET,
     "192.0.2.2",
     45782,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     45782,
     0,
     0x0U,
     0x198U,
     1,
     TCP_CONNTRACK_SYN_SENT,
     0x03,
     0x00,
     1,
     120U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v4_syn_recv),
     FW_CT_UPDATE,
     0U,
     306248393U,
     AF_INET,
     "192.0.2.2",
     45782,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     45782,
     0,
     0x0U,
     0x19aU,
     1,
     TCP_CONNTRACK_SYN_RECV,
     0x03,
     0x23,
     1,
     60U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v4_established),
     FW_CT_UPDATE,
     0U,
     306248393U,
     AF_INET,
     "192.0.2.2",
     45782,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     45782,
     0,
     0x0U,
     0x19eU,
     1,
     TCP_CONNTRACK_ESTABLISHED,
     0x23,
     0x23,
     1,
     432000U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v4_fin_wait),
     FW_CT_UPDATE,
     0U,
     306248393U,
     AF_INET,
     "192.0.2.2",
     45782,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     45782,
     0,
     0x0U,
     0x19eU,
     1,
     TCP_CONNTRACK_FIN_WAIT,
     0x37,
     0x23,
     1,
     3U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v4_last_ack),
     FW_CT_UPDATE,
     0U,
     306248393U,
     AF_INET,
     "192.0.2.2",
     45782,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     45782,
     0,
     0x0U,
     0x19eU,
     1,
     TCP_CONNTRACK_LAST_ACK,
     0x27,
     0x33,
     1,
     30U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v4_time_wait),
     FW_CT_UPDATE,
     0U,
     306248393U,
     AF_INET,
     "192.0.2.2",
     45782,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     45782,
     0,
     0x0U,
     0x19eU,
     1,
     TCP_CONNTRACK_TIME_WAIT,
     0x27,
     0x23,
     1,
     3U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v4_destroy_time_wait),
     FW_CT_DESTROY,
     0U,
     306248393U,
     AF_INET,
     "192.0.2.2",
     45782,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     45782,
     0,
     0x0U,
     0x39eU,
     1,
     TCP_CONNTRACK_TIME_WAIT,
     0x00,
     0x00,
     0,
     0U,
     1,
     6,
     352,
     4,
     248,
     1,
     1795465426534820063ULL},
    {FIXTURE(v4_close),
     FW_CT_UPDATE,
     0U,
     3346959119U,
     AF_INET,
     "192.0.2.2",
     54510,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     54510,
     0,
     0x0U,
     0x19eU,
     1,
     TCP_CONNTRACK_CLOSE,
     0x23,
     0x23,
     1,
     2U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v4_destroy_close),
     FW_CT_DESTROY,
     0U,
     3346959119U,
     AF_INET,
     "192.0.2.2",
     54510,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     54510,
     0,
     0x0U,
     0x39eU,
     1,
     TCP_CONNTRACK_CLOSE,
     0x00,
     0x00,
     0,
     0U,
     1,
     5,
     300,
     3,
     196,
     1,
     1795465439694540534ULL},
    {FIXTURE(v4_destroy_deleted),
     FW_CT_DESTROY,
     2974859070U,
     2011976350U,
     AF_INET,
     "192.0.2.2",
     60554,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     60554,
     0,
     0x0U,
     0x39eU,
     1,
     TCP_CONNTRACK_ESTABLISHED,
     0x00,
     0x00,
     1,
     431998U,
     1,
     4,
     248,
     3,
     196,
     1,
     1795465450754848971ULL},
    {FIXTURE(v4_destroy_flushed),
     FW_CT_DESTROY,
     26340U,
     2850674287U,
     AF_INET,
     "192.0.2.2",
     60558,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     60558,
     0,
     0x0U,
     0x39eU,
     1,
     TCP_CONNTRACK_ESTABLISHED,
     0x00,
     0x00,
     1,
     431998U,
     1,
     4,
     248,
     3,
     196,
     1,
     1795465455785936101ULL},
    {FIXTURE(v4_idle_established),
     FW_CT_UPDATE,
     0U,
     3157696251U,
     AF_INET,
     "192.0.2.2",
     40008,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     40008,
     0,
     0x0U,
     0x19eU,
     1,
     TCP_CONNTRACK_ESTABLISHED,
     0x23,
     0x23,
     1,
     4U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v4_destroy_idle),
     FW_CT_DESTROY,
     0U,
     3157696251U,
     AF_INET,
     "192.0.2.2",
     40008,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     40008,
     0,
     0x0U,
     0x39eU,
     1,
     TCP_CONNTRACK_ESTABLISHED,
     0x00,
     0x00,
     0,
     0U,
     1,
     4,
     248,
     3,
     196,
     1,
     1795465460797833522ULL},
    {FIXTURE(v4_close_wait),
     FW_CT_UPDATE,
     0U,
     3368915748U,
     AF_INET,
     "192.0.2.2",
     39886,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     39886,
     0,
     0x0U,
     0x19eU,
     1,
     TCP_CONNTRACK_CLOSE_WAIT,
     0x27,
     0x23,
     1,
     3U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v4_destroy_close_wait),
     FW_CT_DESTROY,
     0U,
     3368915748U,
     AF_INET,
     "192.0.2.2",
     39886,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     39886,
     0,
     0x0U,
     0x39eU,
     1,
     TCP_CONNTRACK_CLOSE_WAIT,
     0x00,
     0x00,
     0,
     0U,
     1,
     5,
     305,
     4,
     253,
     1,
     1795465473739178460ULL},
    {FIXTURE(v6_new),
     FW_CT_NEW,
     0U,
     1623555449U,
     AF_INET6,
     "2001:db8:1::2",
     40332,
     "2001:db8:2::2",
     5061,
     "2001:db8:2::2",
     5061,
     "2001:db8:1::2",
     40332,
     0,
     0x0U,
     0x8U,
     1,
     TCP_CONNTRACK_SYN_SENT,
     0x03,
     0x00,
     1,
     120U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v6_established),
     FW_CT_UPDATE,
     0U,
     1623555449U,
     AF_INET6,
     "2001:db8:1::2",
     40332,
     "2001:db8:2::2",
     5061,
     "2001:db8:2::2",
     5061,
     "2001:db8:1::2",
     40332,
     0,
     0x0U,
     0xeU,
     1,
     TCP_CONNTRACK_ESTABLISHED,
     0x23,
     0x23,
     1,
     432000U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v6_destroy_time_wait),
     FW_CT_DESTROY,
     0U,
     1623555449U,
     AF_INET6,
     "2001:db8:1::2",
     40332,
     "2001:db8:2::2",
     5061,
     "2001:db8:2::2",
     5061,
     "2001:db8:1::2",
     40332,
     0,
     0x0U,
     0x20eU,
     1,
     TCP_CONNTRACK_TIME_WAIT,
     0x00,
     0x00,
     0,
     0U,
     1,
     6,
     472,
     4,
     328,
     1,
     1795465486666299325ULL},
    {FIXTURE(v4_zone_mark_new),
     FW_CT_NEW,
     0U,
     3202823779U,
     AF_INET,
     "192.0.2.3",
     42057,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     42057,
     7,
     0x2aU,
     0x198U,
     1,
     TCP_CONNTRACK_SYN_SENT,
     0x03,
     0x00,
     1,
     120U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v4_zone_mark_destroy),
     FW_CT_DESTROY,
     0U,
     3202823779U,
     AF_INET,
     "192.0.2.3",
     42057,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     42057,
     7,
     0x2aU,
     0x39eU,
     1,
     TCP_CONNTRACK_CLOSE,
     0x00,
     0x00,
     0,
     0U,
     1,
     5,
     300,
     3,
     196,
     1,
     1795465499867785571ULL},
    {FIXTURE(v4_policy_established),
     FW_CT_UPDATE,
     0U,
     1449499401U,
     AF_INET,
     "192.0.2.2",
     58100,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     58100,
     0,
     0x0U,
     0x19eU,
     1,
     TCP_CONNTRACK_ESTABLISHED,
     0x23,
     0x23,
     1,
     100U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v4_policy_time_wait),
     FW_CT_UPDATE,
     0U,
     1449499401U,
     AF_INET,
     "192.0.2.2",
     58100,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     58100,
     0,
     0x0U,
     0x19eU,
     1,
     TCP_CONNTRACK_TIME_WAIT,
     0x27,
     0x23,
     1,
     9U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(v4_policy_close),
     FW_CT_UPDATE,
     0U,
     979374977U,
     AF_INET,
     "192.0.2.2",
     58106,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     58106,
     0,
     0x0U,
     0x19eU,
     1,
     TCP_CONNTRACK_CLOSE,
     0x23,
     0x23,
     1,
     7U,
     0,
     0,
     0,
     0,
     0,
     0,
     0ULL},
    {FIXTURE(dump_v4_zone_mark),
     FW_CT_UPDATE,
     26739U,
     2590667868U,
     AF_INET,
     "192.0.2.11",
     40011,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "192.0.2.11",
     40011,
     7,
     0x2aU,
     0xcU,
     1,
     TCP_CONNTRACK_ESTABLISHED,
     0x0a,
     0x0a,
     1,
     599U,
     1,
     0,
     0,
     0,
     0,
     1,
     1795465521218176659ULL},
    {FIXTURE(dump_v4_nat),
     FW_CT_UPDATE,
     26739U,
     3576792713U,
     AF_INET,
     "192.0.2.2",
     35574,
     "198.51.100.2",
     5061,
     "198.51.100.2",
     5061,
     "198.51.100.1",
     35574,
     0,
     0x0U,
     0x19eU,
     1,
     TCP_CONNTRACK_ESTABLISHED,
     0x23,
     0x23,
     1,
     431999U,
     1,
     4,
     248,
     3,
     196,
     1,
     1795465520332429082ULL},
    {FIXTURE(dump_v6),
     FW_CT_UPDATE,
     26739U,
     1182187855U,
     AF_INET6,
     "2001:db8:1::2",
     47286,
     "2001:db8:2::2",
     5061,
     "2001:db8:2::2",
     5061,
     "2001:db8:1::2",
     47286,
     0,
     0x0U,
     0xeU,
     1,
     TCP_CONNTRACK_ESTABLISHED,
     0x23,
     0x23,
     1,
     431999U,
     1,
     4,
     328,
     3,
     256,
     1,
     1795465520330105228ULL},
};

#define FIXTURE_COUNT (sizeof(fixtures) / sizeof(fixtures[0]))

static int all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return 0;
	return 1;
}

static void expect_tuple(const struct fw_ct_tuple *t, uint8_t family, const char *src,
                         uint16_t sport, const char *dst, uint16_t dport)
{
	uint8_t addr[16] = {0};
	size_t addr_len = family == AF_INET ? 4 : 16;

	assert_int_equal(t->family, family);
	assert_int_equal(t->protocol, IPPROTO_TCP);
	assert_int_equal(inet_pton(family, src, addr), 1);
	assert_memory_equal(t->src, addr, addr_len);
	assert_int_equal(inet_pton(family, dst, addr), 1);
	assert_memory_equal(t->dst, addr, addr_len);
	/* The unused part of an IPv4 address stays zero: tuples are compared whole. */
	assert_true(all_zero(t->src + addr_len, 16 - addr_len));
	assert_true(all_zero(t->dst + addr_len, 16 - addr_len));
	assert_int_equal(t->sport, sport);
	assert_int_equal(t->dport, dport);
}

static void expect_event(const struct fw_ct_event *ev, const struct expected *x)
{
	print_message("# %s\n", x->name);
	assert_int_equal(ev->kind, x->kind);
	assert_int_equal(ev->portid, x->portid);
	assert_int_equal(ev->id, x->id);
	expect_tuple(&ev->orig, x->family, x->src, x->sport, x->dst, x->dport);
	expect_tuple(&ev->reply, x->family, x->reply_src, x->reply_sport, x->reply_dst,
	             x->reply_dport);
	assert_int_equal(ev->zone, x->zone);
	assert_int_equal(ev->mark, x->mark);
	assert_int_equal(ev->status, x->status);
	assert_int_equal(ev->has_tcp_state, x->has_tcp_state);
	assert_int_equal(ev->tcp_state, x->tcp_state);
	assert_int_equal(ev->tcp_flags_orig, x->tcp_flags_orig);
	assert_int_equal(ev->tcp_flags_reply, x->tcp_flags_reply);
	assert_int_equal(ev->has_timeout, x->has_timeout);
	assert_int_equal(ev->timeout, x->timeout);
	assert_int_equal(ev->has_counters, x->has_counters);
	assert_int_equal(ev->orig_packets, x->orig_packets);
	assert_int_equal(ev->orig_bytes, x->orig_bytes);
	assert_int_equal(ev->reply_packets, x->reply_packets);
	assert_int_equal(ev->reply_bytes, x->reply_bytes);
	assert_int_equal(ev->has_start, x->has_start);
	assert_int_equal(ev->start_ns, x->start_ns);
}

static int parse_copy(const uint8_t *buf, size_t len, struct fw_ct_event *ev, char *error,
                      size_t error_len)
{
	uint8_t *copy = copy_of(buf, len);
	int ret = fw_ct_parse(copy, len, ev, error, error_len);

	free(copy);
	return ret;
}

static void test_fixtures_parse_exactly(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < FIXTURE_COUNT; i++) {
		struct fw_ct_event ev;
		char error[256];

		assert_int_equal(
		    parse_copy(fixtures[i].bytes, fixtures[i].len, &ev, error, sizeof(error)), 1);
		expect_event(&ev, &fixtures[i]);
	}
}

/* Callers hand receive buffers at any offset; the parser copies when it must. */
static void test_fixtures_unaligned(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < FIXTURE_COUNT; i++) {
		uint8_t *buf = malloc(fixtures[i].len + 1);
		struct fw_ct_event ev;
		char error[256];

		assert_non_null(buf);
		memcpy(buf + 1, fixtures[i].bytes, fixtures[i].len);
		assert_int_equal(fw_ct_parse(buf + 1, fixtures[i].len, &ev, error, sizeof(error)),
		                 1);
		expect_event(&ev, &fixtures[i]);
		free(buf);
	}
}

/* Offset of a nested attribute's payload end. */
static size_t attr_end(const uint8_t *buf, size_t off)
{
	return off + ((const struct nlattr *)(buf + off))->nla_len;
}

/*
 * What the teardown classification relies on, straight from the recorded
 * bytes: a DESTROY names the last TCP state but no flags or window scales;
 * it carries CTA_TIMEOUT (the time left) only when deleted over netlink, and
 * then the deleting socket's port id; an expiry has port id 0.
 */
static void test_destroy_contents(void **state)
{
	static const struct {
		const uint8_t *bytes;
		size_t len;
		int deleted;
	} destroys[] = {
	    {fixture_v4_destroy_time_wait, sizeof(fixture_v4_destroy_time_wait), 0},
	    {fixture_v4_destroy_close, sizeof(fixture_v4_destroy_close), 0},
	    {fixture_v4_destroy_idle, sizeof(fixture_v4_destroy_idle), 0},
	    {fixture_v4_destroy_close_wait, sizeof(fixture_v4_destroy_close_wait), 0},
	    {fixture_v6_destroy_time_wait, sizeof(fixture_v6_destroy_time_wait), 0},
	    {fixture_v4_zone_mark_destroy, sizeof(fixture_v4_zone_mark_destroy), 0},
	    {fixture_v4_destroy_deleted, sizeof(fixture_v4_destroy_deleted), 1},
	    {fixture_v4_destroy_flushed, sizeof(fixture_v4_destroy_flushed), 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(destroys) / sizeof(destroys[0]); i++) {
		const uint8_t *b = destroys[i].bytes;
		size_t len = destroys[i].len;
		size_t info, tcp;
		struct fw_ct_event ev;
		char error[256];

		assert_int_equal(parse_copy(b, len, &ev, error, sizeof(error)), 1);
		assert_int_equal(ev.kind, FW_CT_DESTROY);
		info = find_attr(b, ATTR_OFFSET, len, CTA_PROTOINFO);
		assert_true(info != 0);
		tcp = find_attr(b, info + 4, attr_end(b, info), CTA_PROTOINFO_TCP);
		assert_true(tcp != 0);
		assert_true(find_attr(b, tcp + 4, attr_end(b, tcp), CTA_PROTOINFO_TCP_STATE) != 0);
		assert_int_equal(
		    find_attr(b, tcp + 4, attr_end(b, tcp), CTA_PROTOINFO_TCP_FLAGS_ORIGINAL), 0);
		assert_int_equal(
		    find_attr(b, tcp + 4, attr_end(b, tcp), CTA_PROTOINFO_TCP_WSCALE_ORIGINAL), 0);
		assert_int_equal(find_attr(b, ATTR_OFFSET, len, CTA_TIMEOUT) != 0,
		                 destroys[i].deleted);
		assert_int_equal(ev.has_timeout, destroys[i].deleted);
		assert_int_equal(ev.portid != 0, destroys[i].deleted);
		/* Counters and the start time come with every DESTROY (acct and timestamp on). */
		assert_true(ev.has_counters);
		assert_true(ev.has_start);
	}
}

/*
 * A parse that succeeds on a shortened message may only leave fields out: a
 * field present must hold the value of the full parse.
 */
static void expect_subset(const struct fw_ct_event *part, const struct fw_ct_event *full)
{
	static const struct fw_ct_tuple none;

	assert_int_equal(part->kind, full->kind);
	assert_int_equal(part->portid, full->portid);
	assert_memory_equal(&part->orig, &full->orig, sizeof(part->orig));
	assert_true(memcmp(&part->reply, &full->reply, sizeof(part->reply)) == 0 ||
	            memcmp(&part->reply, &none, sizeof(none)) == 0);
	assert_true(part->id == full->id || part->id == 0);
	assert_true(part->zone == full->zone || part->zone == 0);
	assert_true(part->mark == full->mark || part->mark == 0);
	assert_true(part->status == full->status || part->status == 0);
	if (part->has_tcp_state) {
		assert_int_equal(part->tcp_state, full->tcp_state);
	} else {
		assert_int_equal(part->tcp_state, 0);
	}
	assert_true(part->tcp_flags_orig == full->tcp_flags_orig || part->tcp_flags_orig == 0);
	assert_true(part->tcp_flags_reply == full->tcp_flags_reply || part->tcp_flags_reply == 0);
	if (part->has_timeout) {
		assert_int_equal(part->timeout, full->timeout);
	} else {
		assert_int_equal(part->timeout, 0);
	}
	if (part->has_counters) {
		assert_int_equal(part->orig_packets, full->orig_packets);
		assert_int_equal(part->orig_bytes, full->orig_bytes);
		assert_int_equal(part->reply_packets, full->reply_packets);
		assert_int_equal(part->reply_bytes, full->reply_bytes);
	} else {
		assert_true(part->orig_packets == 0 && part->orig_bytes == 0 &&
		            part->reply_packets == 0 && part->reply_bytes == 0);
	}
	if (part->has_start) {
		assert_int_equal(part->start_ns, full->start_ns);
	} else {
		assert_int_equal(part->start_ns, 0);
	}
}

static void expect_failed(int ret, const struct fw_ct_event *ev, const char *error)
{
	static const struct fw_ct_event zero;

	assert_int_equal(ret, -1);
	assert_true(error[0] != '\0');
	assert_memory_equal(ev, &zero, sizeof(zero));
}

static void test_truncation_never_yields_garbage(void **state)
{
	size_t i, cut;

	(void)state;
	for (i = 0; i < FIXTURE_COUNT; i++) {
		const uint8_t *bytes = fixtures[i].bytes;
		size_t len = fixtures[i].len;
		struct fw_ct_event full;
		char error[256];

		assert_int_equal(parse_copy(bytes, len, &full, error, sizeof(error)), 1);
		for (cut = 0; cut < len; cut++) {
			struct fw_ct_event ev;
			uint8_t *copy;
			int ret;

			/* A datagram cut short: the header still claims the full length. */
			memset(&ev, 0x5a, sizeof(ev));
			ret = parse_copy(bytes, cut, &ev, error, sizeof(error));
			expect_failed(ret, &ev, error);

			/* A consistent header over fewer attributes. */
			copy = copy_of(bytes, cut);
			if (cut >= sizeof(uint32_t)) {
				uint32_t claimed = (uint32_t)cut;

				memcpy(copy, &claimed, sizeof(claimed));
			}
			memset(&ev, 0x5a, sizeof(ev));
			error[0] = '\0';
			ret = fw_ct_parse(copy, cut, &ev, error, sizeof(error));
			if (ret == 1)
				expect_subset(&ev, &full);
			else
				expect_failed(ret, &ev, error);
			free(copy);
		}
	}
}

/* Collects the offset of every attribute header, nested ones included. */
static size_t collect_attrs(const uint8_t *buf, size_t start, size_t end, size_t *offs, size_t n,
                            size_t max)
{
	size_t off = start;

	while (off + 4 <= end && n < max) {
		const struct nlattr *attr = (const struct nlattr *)(buf + off);

		if (attr->nla_len < 4 || off + attr->nla_len > end)
			break;
		offs[n++] = off;
		if (attr->nla_type & NLA_F_NESTED)
			n = collect_attrs(buf, off + 4, off + attr->nla_len, offs, n, max);
		off += MNL_ALIGN(attr->nla_len);
	}
	return n;
}

/*
 * Every attribute length of every fixture, set to values around the truth
 * and to extremes: the parser fails cleanly or returns only true values.
 */
static void test_corrupted_attribute_lengths(void **state)
{
	static const int deltas[] = {-5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 8};
	size_t i, a, d;

	(void)state;
	for (i = 0; i < FIXTURE_COUNT; i++) {
		const uint8_t *bytes = fixtures[i].bytes;
		size_t len = fixtures[i].len;
		size_t offs[128];
		size_t count = collect_attrs(bytes, ATTR_OFFSET, len, offs, 0, 128);
		struct fw_ct_event full;
		char error[256];

		assert_true(count > 10);
		assert_int_equal(parse_copy(bytes, len, &full, error, sizeof(error)), 1);
		for (a = 0; a < count; a++) {
			for (d = 0; d < sizeof(deltas) / sizeof(deltas[0]) + 3; d++) {
				uint8_t *copy = copy_of(bytes, len);
				struct nlattr *attr = (struct nlattr *)(copy + offs[a]);
				struct fw_ct_event ev;
				int ret;

				if (d < sizeof(deltas) / sizeof(deltas[0]))
					attr->nla_len = (uint16_t)(attr->nla_len + deltas[d]);
				else
					attr->nla_len = (uint16_t[]){0, 3, 0xffff}[d - 11];
				error[0] = '\0';
				ret = fw_ct_parse(copy, len, &ev, error, sizeof(error));
				if (ret == 1)
					expect_subset(&ev, &full);
				else
					expect_failed(ret, &ev, error);
				free(copy);
			}
		}
	}
}

/* Message-level lengths and a handful of specific defects. */
static void test_malformed_messages(void **state)
{
	const uint8_t *good = fixture_v4_established;
	size_t len = sizeof(fixture_v4_established);
	size_t orig = ATTR_OFFSET;
	struct fw_ct_event ev;
	char error[256];
	uint8_t *copy;
	uint32_t n;

	(void)state;
	/* nlmsg_len below the header, beyond the buffer, without room for nfgenmsg. */
	for (n = 0; n < ATTR_OFFSET; n += 4) {
		copy = copy_of(good, len);
		memcpy(copy, &n, sizeof(n));
		expect_failed(fw_ct_parse(copy, len, &ev, error, sizeof(error)), &ev, error);
		free(copy);
	}
	copy = copy_of(good, len);
	n = (uint32_t)len + 4;
	memcpy(copy, &n, sizeof(n));
	expect_failed(fw_ct_parse(copy, len, &ev, error, sizeof(error)), &ev, error);
	free(copy);

	/* Two stray bytes after the last attribute. */
	copy = malloc(len + 2);
	assert_non_null(copy);
	memcpy(copy, good, len);
	copy[len] = copy[len + 1] = 0;
	n = (uint32_t)len + 2;
	memcpy(copy, &n, sizeof(n));
	expect_failed(fw_ct_parse(copy, len + 2, &ev, error, sizeof(error)), &ev, error);
	free(copy);

	/* No original tuple: its type renamed to one the parser does not know. */
	assert_int_equal(((const struct nlattr *)(good + orig))->nla_type & NLA_TYPE_MASK,
	                 CTA_TUPLE_ORIG);
	copy = copy_of(good, len);
	((struct nlattr *)(copy + orig))->nla_type = NLA_F_NESTED | 0x7ff;
	expect_failed(fw_ct_parse(copy, len, &ev, error, sizeof(error)), &ev, error);
	assert_non_null(strstr(error, "original tuple"));
	free(copy);

	/* A family the addresses do not fit, and one that is no family at all. */
	copy = copy_of(good, len);
	copy[MNL_NLMSG_HDRLEN] = AF_INET6;
	expect_failed(fw_ct_parse(copy, len, &ev, error, sizeof(error)), &ev, error);
	copy[MNL_NLMSG_HDRLEN] = AF_UNSPEC;
	expect_failed(fw_ct_parse(copy, len, &ev, error, sizeof(error)), &ev, error);
	free(copy);
}

/* Messages of a valid stream that carry no conntrack entry. */
static void test_not_entries(void **state)
{
	uint8_t buf[64] __attribute__((aligned(4)));
	struct nlmsghdr *nlh;
	struct fw_ct_event ev;
	char error[256];
	static const uint16_t types[] = {
	    NLMSG_NOOP,
	    NLMSG_ERROR,
	    NLMSG_DONE,
	    (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET_STATS_CPU,
	    (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_CT_NEW,
	    (NFNL_SUBSYS_CTNETLINK_TIMEOUT << 8) | 0,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		memset(buf, 0, sizeof(buf));
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = types[i];
		mnl_nlmsg_put_extra_header(nlh, 20);
		memset(&ev, 0x5a, sizeof(ev));
		assert_int_equal(fw_ct_parse(buf, nlh->nlmsg_len, &ev, error, sizeof(error)), 0);
		assert_true(all_zero(&ev, sizeof(ev)));
	}
	/* Even a bare header is fine when it is not an entry. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	assert_int_equal(fw_ct_parse(buf, nlh->nlmsg_len, &ev, error, sizeof(error)), 0);
}

/* NLM_F_CREATE makes a NEW, its absence an UPDATE, IPCTNL_MSG_CT_DELETE a DESTROY. */
static void test_kinds(void **state)
{
	uint8_t *copy = copy_of(fixture_v4_established, sizeof(fixture_v4_established));
	struct nlmsghdr *nlh = (struct nlmsghdr *)copy;
	size_t len = sizeof(fixture_v4_established);
	struct fw_ct_event ev;
	char error[256];

	(void)state;
	assert_int_equal(fw_ct_parse(copy, len, &ev, error, sizeof(error)), 1);
	assert_int_equal(ev.kind, FW_CT_UPDATE);
	nlh->nlmsg_flags |= NLM_F_CREATE;
	assert_int_equal(fw_ct_parse(copy, len, &ev, error, sizeof(error)), 1);
	assert_int_equal(ev.kind, FW_CT_NEW);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE;
	assert_int_equal(fw_ct_parse(copy, len, &ev, error, sizeof(error)), 1);
	assert_int_equal(ev.kind, FW_CT_DESTROY);
	nlh->nlmsg_pid = 4242;
	assert_int_equal(fw_ct_parse(copy, len, &ev, error, sizeof(error)), 1);
	assert_int_equal(ev.portid, 4242);
	free(copy);
}

/* Builds a conntrack message by hand, for what the recordings do not show. */
struct builder {
	uint8_t buf[1024] __attribute__((aligned(4)));
	struct nlmsghdr *nlh;
};

static void build_start(struct builder *b, uint8_t family)
{
	struct nfgenmsg *nfg;

	memset(b->buf, 0, sizeof(b->buf));
	b->nlh = mnl_nlmsg_put_header(b->buf);
	b->nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	nfg = mnl_nlmsg_put_extra_header(b->nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
}

static void build_tuple(struct builder *b, uint16_t type, const char *src, const char *dst,
                        uint8_t proto, int ports, int zone, int v6_len)
{
	struct nlattr *tuple = mnl_attr_nest_start(b->nlh, type);
	struct nlattr *ip = mnl_attr_nest_start(b->nlh, CTA_TUPLE_IP);
	struct nlattr *l4;
	uint8_t addr[16];

	if (strchr(src, ':')) {
		assert_int_equal(inet_pton(AF_INET6, src, addr), 1);
		mnl_attr_put(b->nlh, CTA_IP_V6_SRC, (size_t)v6_len, addr);
		assert_int_equal(inet_pton(AF_INET6, dst, addr), 1);
		mnl_attr_put(b->nlh, CTA_IP_V6_DST, 16, addr);
	} else {
		assert_int_equal(inet_pton(AF_INET, src, addr), 1);
		mnl_attr_put(b->nlh, CTA_IP_V4_SRC, 4, addr);
		assert_int_equal(inet_pton(AF_INET, dst, addr), 1);
		mnl_attr_put(b->nlh, CTA_IP_V4_DST, 4, addr);
	}
	mnl_attr_nest_end(b->nlh, ip);
	l4 = mnl_attr_nest_start(b->nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(b->nlh, CTA_PROTO_NUM, proto);
	if (ports) {
		mnl_attr_put_u16(b->nlh, CTA_PROTO_SRC_PORT, htons(40000));
		mnl_attr_put_u16(b->nlh, CTA_PROTO_DST_PORT, htons(5061));
	}
	mnl_attr_nest_end(b->nlh, l4);
	if (zone)
		mnl_attr_put_u16(b->nlh, CTA_TUPLE_ZONE, htons((uint16_t)zone));
	mnl_attr_nest_end(b->nlh, tuple);
}

static int build_parse(struct builder *b, struct fw_ct_event *ev, char *error, size_t error_len)
{
	return parse_copy(b->buf, b->nlh->nlmsg_len, ev, error, error_len);
}

/* Old kernels sent 32-bit counters; a direction without counters means none. */
static void test_counters_32bit_and_partial(void **state)
{
	struct builder b;
	struct fw_ct_event ev;
	char error[256];
	struct nlattr *nest;

	(void)state;
	build_start(&b, AF_INET);
	build_tuple(&b, CTA_TUPLE_ORIG, "192.0.2.2", "198.51.100.2", IPPROTO_TCP, 1, 0, 16);
	nest = mnl_attr_nest_start(b.nlh, CTA_COUNTERS_ORIG);
	mnl_attr_put_u32(b.nlh, CTA_COUNTERS32_PACKETS, htonl(7));
	mnl_attr_put_u32(b.nlh, CTA_COUNTERS32_BYTES, htonl(700));
	mnl_attr_nest_end(b.nlh, nest);
	nest = mnl_attr_nest_start(b.nlh, CTA_COUNTERS_REPLY);
	mnl_attr_put_u64(b.nlh, CTA_COUNTERS_PACKETS, htobe64(5));
	mnl_attr_put_u64(b.nlh, CTA_COUNTERS_BYTES, htobe64(0x100000000ULL));
	mnl_attr_nest_end(b.nlh, nest);
	assert_int_equal(build_parse(&b, &ev, error, sizeof(error)), 1);
	assert_true(ev.has_counters);
	assert_int_equal(ev.orig_packets, 7);
	assert_int_equal(ev.orig_bytes, 700);
	assert_int_equal(ev.reply_packets, 5);
	assert_int_equal(ev.reply_bytes, 0x100000000ULL);
	/* No reply tuple: accepted, and left empty. */
	assert_int_equal(ev.reply.family, 0);

	build_start(&b, AF_INET);
	build_tuple(&b, CTA_TUPLE_ORIG, "192.0.2.2", "198.51.100.2", IPPROTO_TCP, 1, 0, 16);
	nest = mnl_attr_nest_start(b.nlh, CTA_COUNTERS_ORIG);
	mnl_attr_put_u64(b.nlh, CTA_COUNTERS_PACKETS, htobe64(3));
	mnl_attr_nest_end(b.nlh, nest);
	nest = mnl_attr_nest_start(b.nlh, CTA_COUNTERS_REPLY);
	mnl_attr_put_u64(b.nlh, CTA_COUNTERS_PACKETS, htobe64(3));
	mnl_attr_put_u64(b.nlh, CTA_COUNTERS_BYTES, htobe64(3));
	mnl_attr_nest_end(b.nlh, nest);
	assert_int_equal(build_parse(&b, &ev, error, sizeof(error)), 1);
	assert_false(ev.has_counters);
	assert_int_equal(ev.orig_packets, 0);
	assert_int_equal(ev.reply_packets, 0);
}

/* A zone set for one direction only travels inside the tuple. */
static void test_directional_zone(void **state)
{
	struct builder b;
	struct fw_ct_event ev;
	char error[256];

	(void)state;
	build_start(&b, AF_INET6);
	build_tuple(&b, CTA_TUPLE_ORIG, "2001:db8:1::2", "2001:db8:2::2", IPPROTO_TCP, 1, 9, 16);
	build_tuple(&b, CTA_TUPLE_REPLY, "2001:db8:2::2", "2001:db8:1::2", IPPROTO_TCP, 1, 0, 16);
	assert_int_equal(build_parse(&b, &ev, error, sizeof(error)), 1);
	assert_int_equal(ev.zone, 9);
	assert_int_equal(ev.orig.family, AF_INET6);
	assert_int_equal(ev.orig.sport, 40000);

	/* CTA_ZONE wins over a tuple zone. */
	mnl_attr_put_u16(b.nlh, CTA_ZONE, htons(11));
	assert_int_equal(build_parse(&b, &ev, error, sizeof(error)), 1);
	assert_int_equal(ev.zone, 11);
}

static void test_specific_defects(void **state)
{
	struct builder b;
	struct fw_ct_event ev;
	char error[256];
	struct nlattr *nest, *tcp;

	(void)state;
	/* An IPv6 address one byte short. */
	build_start(&b, AF_INET6);
	build_tuple(&b, CTA_TUPLE_ORIG, "2001:db8:1::2", "2001:db8:2::2", IPPROTO_TCP, 1, 0, 15);
	expect_failed(build_parse(&b, &ev, error, sizeof(error)), &ev, error);

	/* TCP without ports. */
	build_start(&b, AF_INET);
	build_tuple(&b, CTA_TUPLE_ORIG, "192.0.2.2", "198.51.100.2", IPPROTO_TCP, 0, 0, 16);
	expect_failed(build_parse(&b, &ev, error, sizeof(error)), &ev, error);

	/* ...whereas a protocol without ports is fine. */
	build_start(&b, AF_INET);
	build_tuple(&b, CTA_TUPLE_ORIG, "192.0.2.2", "198.51.100.2", IPPROTO_ICMP, 0, 0, 16);
	assert_int_equal(build_parse(&b, &ev, error, sizeof(error)), 1);
	assert_int_equal(ev.orig.protocol, IPPROTO_ICMP);
	assert_int_equal(ev.orig.sport, 0);

	/* TCP flags of the wrong size; a state of the wrong size. */
	build_start(&b, AF_INET);
	build_tuple(&b, CTA_TUPLE_ORIG, "192.0.2.2", "198.51.100.2", IPPROTO_TCP, 1, 0, 16);
	nest = mnl_attr_nest_start(b.nlh, CTA_PROTOINFO);
	tcp = mnl_attr_nest_start(b.nlh, CTA_PROTOINFO_TCP);
	mnl_attr_put_u8(b.nlh, CTA_PROTOINFO_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	mnl_attr_put(b.nlh, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, 1, "\x23");
	mnl_attr_nest_end(b.nlh, tcp);
	mnl_attr_nest_end(b.nlh, nest);
	expect_failed(build_parse(&b, &ev, error, sizeof(error)), &ev, error);

	build_start(&b, AF_INET);
	build_tuple(&b, CTA_TUPLE_ORIG, "192.0.2.2", "198.51.100.2", IPPROTO_TCP, 1, 0, 16);
	nest = mnl_attr_nest_start(b.nlh, CTA_PROTOINFO);
	tcp = mnl_attr_nest_start(b.nlh, CTA_PROTOINFO_TCP);
	mnl_attr_put_u16(b.nlh, CTA_PROTOINFO_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	mnl_attr_nest_end(b.nlh, tcp);
	mnl_attr_nest_end(b.nlh, nest);
	expect_failed(build_parse(&b, &ev, error, sizeof(error)), &ev, error);

	/* A 32-bit attribute of 8 bytes. */
	build_start(&b, AF_INET);
	build_tuple(&b, CTA_TUPLE_ORIG, "192.0.2.2", "198.51.100.2", IPPROTO_TCP, 1, 0, 16);
	mnl_attr_put_u64(b.nlh, CTA_TIMEOUT, 0);
	expect_failed(build_parse(&b, &ev, error, sizeof(error)), &ev, error);

	/* A tuple without addresses. */
	build_start(&b, AF_INET);
	nest = mnl_attr_nest_start(b.nlh, CTA_TUPLE_ORIG);
	tcp = mnl_attr_nest_start(b.nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(b.nlh, CTA_PROTO_NUM, IPPROTO_TCP);
	mnl_attr_nest_end(b.nlh, tcp);
	mnl_attr_nest_end(b.nlh, nest);
	expect_failed(build_parse(&b, &ev, error, sizeof(error)), &ev, error);
}

/* Attributes from newer kernels, at any level, are skipped. */
static void test_unknown_attributes_skipped(void **state)
{
	size_t len = sizeof(fixture_v4_destroy_deleted);
	uint8_t *bigger = malloc(len + 20);
	struct nlmsghdr *nlh = (struct nlmsghdr *)bigger;
	struct fw_ct_event full, ev;
	char error[256];

	(void)state;
	assert_non_null(bigger);
	memcpy(bigger, fixture_v4_destroy_deleted, len);
	mnl_attr_put_u32(nlh, 0x3ff, 0xdeadbeef);
	mnl_attr_put_u64(nlh, CTA_MAX + 1, 1);
	assert_int_equal(nlh->nlmsg_len, len + 20);
	assert_int_equal(parse_copy(fixture_v4_destroy_deleted, len, &full, error, sizeof(error)),
	                 1);
	assert_int_equal(parse_copy(bigger, len + 20, &ev, error, sizeof(error)), 1);
	assert_memory_equal(&ev, &full, sizeof(ev));
	free(bigger);
}

static void test_error_buffer(void **state)
{
	struct fw_ct_event ev;
	char error[8];
	uint8_t junk[4] = {1, 2, 3, 4};

	(void)state;
	/* Short buffers truncate the message but stay terminated; none at all is fine. */
	assert_int_equal(fw_ct_parse(junk, sizeof(junk), &ev, error, sizeof(error)), -1);
	assert_non_null(memchr(error, '\0', sizeof(error)));
	assert_int_equal(fw_ct_parse(junk, sizeof(junk), &ev, NULL, 0), -1);
	assert_int_equal(fw_ct_parse(NULL, 0, &ev, error, sizeof(error)), -1);
}

static void test_state_labels(void **state)
{
	static const char *const labels[] = {
	    "NONE",       "SYN_SENT", "SYN_RECV",  "ESTABLISHED", "FIN_WAIT",
	    "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE",       "SYN_SENT2",
	};
	unsigned s;

	(void)state;
	for (s = 0; s < sizeof(labels) / sizeof(labels[0]); s++)
		assert_string_equal(fw_tcp_state_label((uint8_t)s), labels[s]);
	assert_string_equal(fw_tcp_state_label(TCP_CONNTRACK_ESTABLISHED), "ESTABLISHED");
	for (s = 10; s < 256; s++)
		assert_string_equal(fw_tcp_state_label((uint8_t)s), "NONE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures_parse_exactly),
	    cmocka_unit_test(test_fixtures_unaligned),
	    cmocka_unit_test(test_destroy_contents),
	    cmocka_unit_test(test_truncation_never_yields_garbage),
	    cmocka_unit_test(test_corrupted_attribute_lengths),
	    cmocka_unit_test(test_malformed_messages),
	    cmocka_unit_test(test_not_entries),
	    cmocka_unit_test(test_kinds),
	    cmocka_unit_test(test_counters_32bit_and_partial),
	    cmocka_unit_test(test_directional_zone),
	    cmocka_unit_test(test_specific_defects),
	    cmocka_unit_test(test_unknown_attributes_skipped),
	    cmocka_unit_test(test_error_buffer),
	    cmocka_unit_test(test_state_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
