/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The DNS resolvers the phones use, from the conntrack entries of their DNS
 * flows (UDP and TCP 53, TCP 853) as events and dump rows deliver them: every
 * resolver seen with the phones using it now and ever, and every (phone,
 * resolver) pair, with the verdict of resolver_policy.h. Plain structs owned
 * here; the agent's tables follow the hooks. Pure: the caller gives the time.
 */
#ifndef FWSTATE_RESOLVER_TRACKER_H
#define FWSTATE_RESOLVER_TRACKER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cidr.h"
#include "clock.h"
#include "ct_event.h"
#include "resolver_policy.h"

/* A row of fwStateResolverTable. */
struct fw_resolver {
	uint8_t family;
	uint8_t addr[16];
	enum fw_resolver_verdict verdict;
	uint32_t phones_now;  /* phones with a live flow to it */
	uint32_t phones_ever; /* phones seen using it while it is listed */
	uint64_t flows;       /* flows seen */
	time_t last_seen;
};

/* A row of fwStatePhoneResolverTable. */
struct fw_phone_resolver {
	uint8_t phone_family;
	uint8_t phone_addr[16];
	const struct fw_resolver *resolver;
	uint32_t live_flows;
	uint64_t flows;
	time_t last_seen;
};

/*
 * Run inside the tracker's calls; they must not call back into it. A new
 * pair: resolver_added (if new), pair_added, then flagged_use when the
 * resolver is flagged. Removal: pair_removed, then resolver_removed when it
 * was the resolver's last pair. verdict_changed after a policy change.
 */
struct fw_resolver_hooks {
	void (*resolver_added)(const struct fw_resolver *resolver, void *ctx);
	void (*resolver_removed)(const struct fw_resolver *resolver, void *ctx);
	void (*pair_added)(const struct fw_phone_resolver *pair, void *ctx);
	void (*pair_removed)(const struct fw_phone_resolver *pair, void *ctx);
	/* a phone started using a flagged resolver (once per pair while it is listed) */
	void (*flagged_use)(const struct fw_phone_resolver *pair, void *ctx);
	void (*verdict_changed)(const struct fw_resolver *resolver, void *ctx);
	void *ctx;
};

struct fw_resolver_settings {
	struct fw_resolver_policy policy;
	const struct fw_cidr *phone_networks; /* original source; none = any */
	size_t phone_network_count;
	uint32_t retention; /* seconds a pair without flows stays listed; 0 = forever */
};

struct fw_resolver_tracker;

/* NULL when memory ran out. The settings are copied (the networks too). */
struct fw_resolver_tracker *fw_resolver_tracker_new(const struct fw_resolver_settings *settings,
                                                    const struct fw_resolver_hooks *hooks);
void fw_resolver_tracker_free(struct fw_resolver_tracker *tracker);

/* Whether a conntrack's original tuple is a DNS flow: UDP or TCP 53, TCP 853. */
int fw_resolver_is_dns(const struct fw_ct_tuple *orig);

/* An event (NEW, UPDATE or DESTROY) of any conntrack; only DNS flows of phones count. */
void fw_resolver_tracker_event(struct fw_resolver_tracker *tracker, const struct fw_ct_event *ev,
                               const struct fw_clock *now);

/* A dump: begin, its rows, end (flows the dump no longer holds have ended). */
void fw_resolver_tracker_resync_begin(struct fw_resolver_tracker *tracker);
void fw_resolver_tracker_resync_row(struct fw_resolver_tracker *tracker,
                                    const struct fw_ct_event *row, const struct fw_clock *now);
void fw_resolver_tracker_resync_end(struct fw_resolver_tracker *tracker,
                                    const struct fw_clock *now);

/* Drops pairs without a flow for the retention (and resolvers left without pairs). */
size_t fw_resolver_tracker_expire(struct fw_resolver_tracker *tracker, const struct fw_clock *now);

/* New verdicts (verdict_changed for each that changed) and networks. */
void fw_resolver_tracker_set_settings(struct fw_resolver_tracker *tracker,
                                      const struct fw_resolver_settings *settings);

size_t fw_resolver_tracker_resolver_count(const struct fw_resolver_tracker *tracker);
/* (phone, resolver) pairs with a live flow to a flagged resolver now. */
uint32_t fw_resolver_tracker_flagged_in_use(const struct fw_resolver_tracker *tracker);

#endif
