/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "resolver_policy.h"

#include <string.h>

/* Anycast resolvers that answer from their own location, not the phone's site's. */
const char *const fw_public_resolvers[] = {
    /* Google Public DNS */
    "8.8.8.8", "8.8.4.4", "2001:4860:4860::8888", "2001:4860:4860::8844",
    /* Cloudflare */
    "1.1.1.1", "1.0.0.1", "2606:4700:4700::1111", "2606:4700:4700::1001",
    /* Quad9 */
    "9.9.9.9", "149.112.112.112", "2620:fe::fe", "2620:fe::9",
    /* Cisco OpenDNS */
    "208.67.222.222", "208.67.220.220", "2620:119:35::35", "2620:119:53::53", NULL};

void fw_resolver_policy_default(struct fw_resolver_policy *policy)
{
	memset(policy, 0, sizeof(*policy));
	for (size_t i = 0; fw_public_resolvers[i] && i < FW_MAX_RESOLVER_NETWORKS; i++)
		if (fw_cidr_parse(fw_public_resolvers[i],
		                  &policy->flagged[policy->flagged_count]) == 0)
			policy->flagged_count++;
}

static int in_list(const struct fw_cidr *list, size_t count, uint8_t family, const uint8_t *addr)
{
	for (size_t i = 0; i < count; i++)
		if (fw_cidr_contains(&list[i], family, addr))
			return 1;
	return 0;
}

enum fw_resolver_verdict fw_resolver_verdict(const struct fw_resolver_policy *policy,
                                             uint8_t family, const uint8_t *addr)
{
	if (in_list(policy->allowed, policy->allowed_count, family, addr))
		return FW_RESOLVER_ALLOWED;
	if (policy->allowed_count > 0 ||
	    in_list(policy->flagged, policy->flagged_count, family, addr))
		return FW_RESOLVER_FLAGGED;
	return FW_RESOLVER_UNKNOWN;
}
