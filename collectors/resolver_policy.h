/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which DNS resolvers phones should use. Providers that route phones by DNS
 * (GTM: the answer depends on where the query comes from) need the phones to
 * ask the provider's own resolvers; a public anycast resolver answers from
 * its own location and can send a phone to the wrong data centre. A resolver
 * is allowed when it is in allowedResolver; once allowedResolver is set,
 * every other resolver is flagged; without it, the resolvers of
 * flaggedResolver (by default the well-known public ones) are flagged and the
 * rest unknown. Pure.
 */
#ifndef FWSTATE_RESOLVER_POLICY_H
#define FWSTATE_RESOLVER_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"

#define FW_MAX_RESOLVER_NETWORKS 32

/* Values as fwStateResolverVerdict. */
enum fw_resolver_verdict {
	FW_RESOLVER_ALLOWED = 1,
	FW_RESOLVER_FLAGGED = 2,
	FW_RESOLVER_UNKNOWN = 3,
};

struct fw_resolver_policy {
	struct fw_cidr allowed[FW_MAX_RESOLVER_NETWORKS];
	size_t allowed_count;
	struct fw_cidr flagged[FW_MAX_RESOLVER_NETWORKS];
	size_t flagged_count;
};

/*
 * No allowed resolver, and as flagged the well-known public resolvers:
 * Google Public DNS, Cloudflare, Quad9 and Cisco OpenDNS, IPv4 and IPv6.
 */
void fw_resolver_policy_default(struct fw_resolver_policy *policy);

/* The well-known public resolvers of the default, as text, NULL-terminated. */
extern const char *const fw_public_resolvers[];

enum fw_resolver_verdict fw_resolver_verdict(const struct fw_resolver_policy *policy,
                                             uint8_t family, const uint8_t *addr);

#endif
