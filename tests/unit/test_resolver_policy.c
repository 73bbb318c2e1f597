/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "resolver_policy.h"

static enum fw_resolver_verdict verdict_of(const struct fw_resolver_policy *p, const char *text)
{
	uint8_t addr[16] = {0};
	uint8_t family = strchr(text, ':') ? AF_INET6 : AF_INET;

	assert_int_equal(inet_pton(family, text, addr), 1);
	return fw_resolver_verdict(p, family, addr);
}

static void add(struct fw_cidr *list, size_t *count, const char *text)
{
	assert_int_equal(fw_cidr_parse(text, &list[*count]), 0);
	(*count)++;
}

/* Every public resolver of the default is flagged, a site's own resolver is unknown. */
static void test_default_flags_the_public_resolvers(void **state)
{
	struct fw_resolver_policy p;
	size_t n = 0;

	(void)state;
	fw_resolver_policy_default(&p);
	for (; fw_public_resolvers[n]; n++)
		assert_int_equal(verdict_of(&p, fw_public_resolvers[n]), FW_RESOLVER_FLAGGED);
	assert_int_equal(p.flagged_count, n);
	assert_int_equal(n, 16);
	assert_int_equal(verdict_of(&p, "8.8.8.8"), FW_RESOLVER_FLAGGED);
	assert_int_equal(verdict_of(&p, "2001:4860:4860::8844"), FW_RESOLVER_FLAGGED);
	/* the neighbours of a public resolver are not it */
	assert_int_equal(verdict_of(&p, "8.8.8.9"), FW_RESOLVER_UNKNOWN);
	assert_int_equal(verdict_of(&p, "2001:4860:4860::8889"), FW_RESOLVER_UNKNOWN);
	assert_int_equal(verdict_of(&p, "192.0.2.53"), FW_RESOLVER_UNKNOWN);
	assert_int_equal(verdict_of(&p, "2001:db8::53"), FW_RESOLVER_UNKNOWN);
}

/* With allowedResolver set, only those are allowed and every other one is flagged. */
static void test_allowed_makes_every_other_flagged(void **state)
{
	struct fw_resolver_policy p;

	(void)state;
	fw_resolver_policy_default(&p);
	add(p.allowed, &p.allowed_count, "198.51.100.53");
	add(p.allowed, &p.allowed_count, "2001:db8:53::/48");
	assert_int_equal(verdict_of(&p, "198.51.100.53"), FW_RESOLVER_ALLOWED);
	assert_int_equal(verdict_of(&p, "2001:db8:53:1::1"), FW_RESOLVER_ALLOWED);
	assert_int_equal(verdict_of(&p, "198.51.100.54"), FW_RESOLVER_FLAGGED);
	assert_int_equal(verdict_of(&p, "192.0.2.53"), FW_RESOLVER_FLAGGED);
	assert_int_equal(verdict_of(&p, "8.8.8.8"), FW_RESOLVER_FLAGGED);
}

/* Allowed wins over flagged (a provider may run its GTM servers in a flagged range). */
static void test_allowed_wins(void **state)
{
	struct fw_resolver_policy p;

	(void)state;
	memset(&p, 0, sizeof(p));
	add(p.flagged, &p.flagged_count, "192.0.2.0/24");
	add(p.allowed, &p.allowed_count, "192.0.2.53");
	assert_int_equal(verdict_of(&p, "192.0.2.53"), FW_RESOLVER_ALLOWED);
	assert_int_equal(verdict_of(&p, "192.0.2.54"), FW_RESOLVER_FLAGGED);
}

/* An explicit flagged list replaces the default; an empty policy flags nothing. */
static void test_explicit_and_empty_lists(void **state)
{
	struct fw_resolver_policy p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(verdict_of(&p, "8.8.8.8"), FW_RESOLVER_UNKNOWN);
	add(p.flagged, &p.flagged_count, "203.0.113.0/24");
	assert_int_equal(verdict_of(&p, "203.0.113.7"), FW_RESOLVER_FLAGGED);
	assert_int_equal(verdict_of(&p, "8.8.8.8"), FW_RESOLVER_UNKNOWN);
	/* an IPv4 list says nothing of IPv6 */
	assert_int_equal(verdict_of(&p, "::ffff:203.0.113.7"), FW_RESOLVER_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_flags_the_public_resolvers),
	    cmocka_unit_test(test_allowed_makes_every_other_flagged),
	    cmocka_unit_test(test_allowed_wins),
	    cmocka_unit_test(test_explicit_and_empty_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
