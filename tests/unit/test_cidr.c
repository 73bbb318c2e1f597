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

#include "cidr.h"

struct parse_case {
	const char *text;
	int ok;
	uint8_t family;
	uint8_t prefix_len;
	const char *network; /* the address with host bits cleared */
};

static const struct parse_case parse_cases[] = {
    {"192.0.2.0/24", 1, AF_INET, 24, "192.0.2.0"},
    {"192.0.2.77/24", 1, AF_INET, 24, "192.0.2.0"},
    {"10.1.2.3", 1, AF_INET, 32, "10.1.2.3"},
    {"10.1.2.3/32", 1, AF_INET, 32, "10.1.2.3"},
    {"10.255.255.255/9", 1, AF_INET, 9, "10.128.0.0"},
    {"10.1.2.3/0", 1, AF_INET, 0, "0.0.0.0"},
    {"2001:db8::/32", 1, AF_INET6, 32, "2001:db8::"},
    {"2001:db8:ab:cd::1/63", 1, AF_INET6, 63, "2001:db8:ab:cc::"},
    {"2001:db8::1", 1, AF_INET6, 128, "2001:db8::1"},
    {"::/0", 1, AF_INET6, 0, "::"},
    {"2001:db8::1/128", 1, AF_INET6, 128, "2001:db8::1"},
    {"::ffff:192.0.2.1/120", 1, AF_INET6, 120, "::ffff:192.0.2.0"},
    {"1.2.3.4/33", 0, 0, 0, NULL},
    {"2001:db8::/129", 0, 0, 0, NULL},
    {"", 0, 0, 0, NULL},
    {"/24", 0, 0, 0, NULL},
    {"192.0.2.0/", 0, 0, 0, NULL},
    {"192.0.2.0/24x", 0, 0, 0, NULL},
    {"192.0.2.0/ 24", 0, 0, 0, NULL},
    {"192.0.2.0/+24", 0, 0, 0, NULL},
    {"192.0.2.0/-1", 0, 0, 0, NULL},
    {"192.0.2.0/0024", 0, 0, 0, NULL},
    {"192.0.2.0/24/8", 0, 0, 0, NULL},
    {"192.0.2.0 ", 0, 0, 0, NULL},
    {" 192.0.2.0", 0, 0, 0, NULL},
    {"192.0.2", 0, 0, 0, NULL},
    {"192.0.2.256", 0, 0, 0, NULL},
    {"phones", 0, 0, 0, NULL},
    {"fe80::1%eth0/64", 0, 0, 0, NULL},
    {"2001:db8:::1/64", 0, 0, 0, NULL},
    {"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/8", 0, 0, 0, NULL},
};

static void test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct fw_cidr cidr;
		uint8_t want[16] = {0};
		int ret;

		memset(&cidr, 0xa5, sizeof(cidr));
		ret = fw_cidr_parse(c->text, &cidr);
		if (!c->ok) {
			if (ret != -1)
				fail_msg("\"%s\" was accepted", c->text);
			continue;
		}
		if (ret != 0)
			fail_msg("\"%s\" was rejected", c->text);
		assert_int_equal(inet_pton(c->family, c->network, want), 1);
		assert_int_equal(cidr.family, c->family);
		assert_int_equal(cidr.prefix_len, c->prefix_len);
		if (memcmp(cidr.addr, want, c->family == AF_INET ? 4 : 16) != 0)
			fail_msg("\"%s\": host bits not cleared", c->text);
		/* Unused octets of an IPv4 network are zero, so networks compare bytewise. */
		if (c->family == AF_INET)
			for (int b = 4; b < 16; b++)
				assert_int_equal(cidr.addr[b], 0);
	}
}

static void test_parse_null(void **state)
{
	struct fw_cidr cidr;

	(void)state;
	assert_int_equal(fw_cidr_parse(NULL, &cidr), -1);
	assert_int_equal(fw_cidr_parse("192.0.2.0/24", NULL), -1);
}

struct contains_case {
	const char *network;
	const char *addr;
	int inside;
};

static const struct contains_case contains_cases[] = {
    {"192.0.2.0/24", "192.0.2.0", 1},
    {"192.0.2.0/24", "192.0.2.255", 1},
    {"192.0.2.0/24", "192.0.3.0", 0},
    {"192.0.2.0/24", "192.0.1.255", 0},
    {"10.0.0.0/9", "10.127.255.255", 1},
    {"10.0.0.0/9", "10.128.0.0", 0},
    {"10.1.2.3", "10.1.2.3", 1},
    {"10.1.2.3", "10.1.2.2", 0},
    {"0.0.0.0/0", "203.0.113.9", 1},
    {"2001:db8::/32", "2001:db8:ffff::1", 1},
    {"2001:db8::/32", "2001:db9::1", 0},
    {"2001:db8:0:10::/61", "2001:db8:0:17::1", 1},
    {"2001:db8:0:10::/61", "2001:db8:0:18::1", 0},
    {"::/0", "2001:db8::1", 1},
    /* No cross-family matches, not even for "any". */
    {"0.0.0.0/0", "::ffff:192.0.2.1", 0},
    {"::/0", "192.0.2.1", 0},
};

static void test_contains_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(contains_cases) / sizeof(contains_cases[0]); i++) {
		const struct contains_case *c = &contains_cases[i];
		struct fw_cidr cidr;
		uint8_t addr[16] = {0};
		uint8_t family = strchr(c->addr, ':') ? AF_INET6 : AF_INET;

		assert_int_equal(fw_cidr_parse(c->network, &cidr), 0);
		assert_int_equal(inet_pton(family, c->addr, addr), 1);
		if (fw_cidr_contains(&cidr, family, addr) != c->inside)
			fail_msg("%s in %s: expected %d", c->addr, c->network, c->inside);
	}
}

static void test_contains_bad_input(void **state)
{
	struct fw_cidr cidr;
	uint8_t addr[16] = {192, 0, 2, 1};

	(void)state;
	assert_int_equal(fw_cidr_parse("192.0.2.0/24", &cidr), 0);
	assert_int_equal(fw_cidr_contains(&cidr, AF_INET, NULL), 0);
	assert_int_equal(fw_cidr_contains(NULL, AF_INET, addr), 0);
	assert_int_equal(fw_cidr_contains(&cidr, AF_UNSPEC, addr), 0);
	cidr.prefix_len = 40; /* corrupt: never read past the address */
	assert_int_equal(fw_cidr_contains(&cidr, AF_INET, addr), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_table),
	    cmocka_unit_test(test_parse_null),
	    cmocka_unit_test(test_contains_table),
	    cmocka_unit_test(test_contains_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
