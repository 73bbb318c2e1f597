/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Table index encoding and DateAndTime. */
#include <netinet/in.h>
#include <sys/socket.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../agent/mib_encode.h"

static struct fw_timeout_row make_row(enum fw_timeout_source source, const char *name,
                                      uint8_t protocol, const char *state)
{
	struct fw_timeout_row row = {.source = source, .protocol = protocol};

	fw_timeout_set_source_name(&row, name);
	snprintf(row.state, sizeof(row.state), "%s", state);
	return row;
}

static void test_sysctl_close_wait_index(void **state)
{
	/* sysctl(1) "net.netfilter" tcp(6) "close_wait", as snmpget addresses it */
	static const fw_subid expected[] = {1,   13,  'n', 'e', 't', '.', 'n', 'e', 't',
	                                    'f', 'i', 'l', 't', 'e', 'r', 6,   10,  'c',
	                                    'l', 'o', 's', 'e', '_', 'w', 'a', 'i', 't'};
	struct fw_timeout_row row =
	    make_row(FW_SOURCE_SYSCTL, "net.netfilter", IPPROTO_TCP, "close_wait");
	fw_subid out[128];
	size_t len;

	(void)state;
	len = fw_timeout_index_encode(&row, out, 128);
	assert_int_equal(len, sizeof(expected) / sizeof(expected[0]));
	assert_memory_equal(out, expected, sizeof(expected));
}

static void test_round_trip(void **state)
{
	struct fw_timeout_row rows[] = {
	    make_row(FW_SOURCE_NFT, "inet filter siptls", IPPROTO_TCP, "established"),
	    make_row(FW_SOURCE_CTTIMEOUT, "p", IPPROTO_UDP, "replied"),
	};
	fw_subid out[128];

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct fw_timeout_row back;
		size_t len = fw_timeout_index_encode(&rows[i], out, 128);

		assert_true(len > 0);
		assert_int_equal(fw_timeout_index_decode(out, len, &back), 0);
		assert_int_equal(back.source, rows[i].source);
		assert_string_equal(back.source_name, rows[i].source_name);
		assert_int_equal(back.protocol, rows[i].protocol);
		assert_string_equal(back.state, rows[i].state);
		/* every strict prefix is not a whole index */
		for (size_t cut = 0; cut < len; cut++)
			assert_int_equal(fw_timeout_index_decode(out, cut, &back), -1);
	}
}

static void test_longest_index_fits_in_an_oid(void **state)
{
	char name[FW_SOURCE_NAME_MAX + 20];
	char long_state[FW_STATE_NAME_MAX + 1];
	struct fw_timeout_row row;
	fw_subid out[128];

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memset(long_state, 's', sizeof(long_state) - 1);
	long_state[sizeof(long_state) - 1] = '\0';
	row = make_row(FW_SOURCE_NFT, name, IPPROTO_TCP, long_state);
	assert_int_equal(strlen(row.source_name), FW_SOURCE_NAME_MAX);
	/* the agent leaves 128 - 15 sub-identifiers for the index */
	assert_int_equal(fw_timeout_index_encode(&row, out, 113),
	                 1 + 1 + FW_SOURCE_NAME_MAX + 1 + 1 + FW_STATE_NAME_MAX);
	/* too little room: nothing, not a cut index */
	assert_int_equal(fw_timeout_index_encode(&row, out, 20), 0);
}

static void test_decode_rejects_bad_indexes(void **state)
{
	struct fw_timeout_row row;
	static const fw_subid bad_kind[] = {4, 1, 'a', 6, 1, 'b'};
	static const fw_subid zero_length[] = {1, 1, 'a', 6, 0};
	static const fw_subid empty_name[] = {2, 0, 6, 1, 'b'};
	static const fw_subid not_an_octet[] = {1, 1, 300, 6, 1, 'b'};
	static const fw_subid nul_octet[] = {1, 1, 0, 6, 1, 'b'};
	static const fw_subid utf8_name[] = {2, 2, 0xc3, 0xa9, 6, 1, 'b'};
	static const fw_subid trailing[] = {1, 1, 'a', 6, 1, 'b', 7};
	static const fw_subid too_long[] = {1, 1000, 'a'};
	static const fw_subid good[] = {1, 1, 'a', 6, 1, 'b'};

	(void)state;
	assert_int_equal(fw_timeout_index_decode(bad_kind, 6, &row), -1);
	assert_int_equal(fw_timeout_index_decode(zero_length, 5, &row), -1);
	/* an empty cttimeout policy name is a valid index */
	assert_int_equal(fw_timeout_index_decode(empty_name, 5, &row), 0);
	assert_string_equal(row.source_name, "");
	assert_int_equal(fw_timeout_index_decode(not_an_octet, 6, &row), -1);
	assert_int_equal(fw_timeout_index_decode(nul_octet, 6, &row), -1);
	/* a cttimeout policy name may be any bytes, UTF-8 say */
	assert_int_equal(fw_timeout_index_decode(utf8_name, 7, &row), 0);
	assert_string_equal(row.source_name, "\xc3\xa9");
	assert_int_equal(fw_timeout_index_decode(trailing, 7, &row), -1);
	assert_int_equal(fw_timeout_index_decode(too_long, 3, &row), -1);
	assert_int_equal(fw_timeout_index_decode(good, 6, &row), 0);
	assert_string_equal(row.source_name, "a");
	assert_string_equal(row.state, "b");
}

static void test_date_and_time(void **state)
{
	struct tm local = {.tm_year = 2026 - 1900,
	                   .tm_mon = 10,
	                   .tm_mday = 23,
	                   .tm_hour = 19,
	                   .tm_min = 5,
	                   .tm_sec = 60,
	                   .tm_gmtoff = -(3 * 3600 + 30 * 60)};
	static const uint8_t expected[FW_DATE_AND_TIME_LEN] = {0x07, 0xea, 11,  23, 19, 5,
	                                                       59,   0,    '-', 3,  30};
	uint8_t out[FW_DATE_AND_TIME_LEN];

	(void)state;
	fw_date_and_time(&local, out);
	assert_memory_equal(out, expected, sizeof(expected));
	local.tm_gmtoff = 3600;
	fw_date_and_time(&local, out);
	assert_int_equal(out[8], '+');
	assert_int_equal(out[9], 1);
	assert_int_equal(out[10], 0);
}

static void test_session_and_phone_index(void **state)
{
	/* ipv4(1) "192.0.2.10" port 40000, ipv4(1) "198.51.100.2" port 5061, zone 7 */
	static const fw_subid expected[] = {1, 4,   192, 0,   2, 10,   40000, 1,
	                                    4, 198, 51,  100, 2, 5061, 7};
	static const fw_subid expected_phone[] = {2, 16, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0,
	                                          0, 0,  0,    0,    0,    0,    0, 0, 0x10};
	struct fw_session session = {.zone = 7};
	struct fw_phone phone = {.family = AF_INET6};
	fw_subid out[64];

	(void)state;
	session.orig.family = AF_INET;
	memcpy(session.orig.src, (const uint8_t[]){192, 0, 2, 10}, 4);
	memcpy(session.orig.dst, (const uint8_t[]){198, 51, 100, 2}, 4);
	session.orig.sport = 40000;
	session.orig.dport = 5061;
	assert_int_equal(fw_session_index_encode(&session, out, 64), 15);
	assert_memory_equal(out, expected, sizeof(expected));
	/* the longest (IPv6) session index fits where the agent keeps it */
	session.orig.family = AF_INET6;
	assert_int_equal(fw_session_index_encode(&session, out, 39), 39);
	/* each address has its own type, just before it */
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 16);
	assert_int_equal(out[19], 2);
	assert_int_equal(out[20], 16);
	assert_int_equal(fw_session_index_encode(&session, out, 38), 0);
	session.orig.family = 0;
	assert_int_equal(fw_session_index_encode(&session, out, 64), 0);

	memcpy(phone.addr, (const uint8_t[]){0x20, 0x01, 0x0d, 0xb8, 0, 1}, 6);
	phone.addr[15] = 0x10;
	assert_int_equal(fw_phone_index_encode(&phone, out, 64), 18);
	assert_memory_equal(out, expected_phone, sizeof(expected_phone));
	assert_int_equal(fw_inet_address_type(AF_INET), 1);
	assert_int_equal(fw_inet_address_type(AF_INET6), 2);
	assert_int_equal(fw_inet_address_len(AF_UNSPEC), 0);
}

/* The resolver indexes: each address with its type just before it. */
static void test_resolver_indexes(void **state)
{
	struct fw_resolver google = {.family = AF_INET, .addr = {8, 8, 8, 8}};
	struct fw_resolver google6 = {
	    .family = AF_INET6, .addr = {0x20, 0x01, 0x48, 0x60, 0x48, 0x60, [14] = 0x88, 0x88}};
	struct fw_phone_resolver pair = {
	    .phone_family = AF_INET, .phone_addr = {192, 0, 2, 10}, .resolver = &google};
	static const fw_subid expected_resolver[] = {1, 4, 8, 8, 8, 8};
	static const fw_subid expected_pair[] = {1, 4, 192, 0, 2, 10, 1, 4, 8, 8, 8, 8};
	fw_subid out[64];

	(void)state;
	assert_int_equal(fw_resolver_index_encode(&google, out, 64), 6);
	assert_memory_equal(out, expected_resolver, sizeof(expected_resolver));
	assert_int_equal(fw_resolver_index_encode(&google6, out, 64), 18);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 16);
	assert_int_equal(out[17], 0x88);
	assert_int_equal(fw_resolver_index_encode(&google6, out, 17), 0);
	assert_int_equal(fw_phone_resolver_index_encode(&pair, out, 64), 12);
	assert_memory_equal(out, expected_pair, sizeof(expected_pair));
	assert_int_equal(fw_phone_resolver_index_encode(&pair, out, 11), 0);
	google.family = 0;
	assert_int_equal(fw_resolver_index_encode(&google, out, 64), 0);
	assert_int_equal(fw_phone_resolver_index_encode(&pair, out, 64), 0);
}

static void test_timestamp(void **state)
{
	struct fw_timestamp ts;

	(void)state;
	/* sysUpTime 10.00 s at 50.000 s: its zero is at 40.000 s; the event at 47.660 s */
	fw_timestamp_init(&ts, 47660);
	assert_int_equal(fw_timestamp_value(&ts, 1000, 50000), 766);
	/* a subagent's sysUpTime is re-read from its master: small wobbles change nothing */
	assert_int_equal(fw_timestamp_value(&ts, 1001, 50000), 766);
	assert_int_equal(fw_timestamp_value(&ts, 51004, 550003), 766);
	assert_int_equal(fw_timestamp_value(&ts, 50995, 550001), 766);
	/* the master restarted at 500 s, after the event: 0 from then on */
	assert_int_equal(fw_timestamp_value(&ts, 5000, 550000), 0);
	assert_int_equal(fw_timestamp_value(&ts, 5001, 550000), 0);
	/* an event after that restart: counted from the new zero */
	fw_timestamp_init(&ts, 520000);
	assert_int_equal(fw_timestamp_value(&ts, 5000, 550000), 2000);
	/* an event before the clock's own start (uptime longer than our clock) */
	fw_timestamp_init(&ts, 10);
	assert_int_equal(fw_timestamp_value(&ts, 100000, 50000), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sysctl_close_wait_index),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_longest_index_fits_in_an_oid),
	    cmocka_unit_test(test_decode_rejects_bad_indexes),
	    cmocka_unit_test(test_date_and_time),
	    cmocka_unit_test(test_session_and_phone_index),
	    cmocka_unit_test(test_resolver_indexes),
	    cmocka_unit_test(test_timestamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
