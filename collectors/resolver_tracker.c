/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "resolver_tracker.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>

#include "htable.h"
#include "log.h"

#define container_of fw_container_of

/* One conntrack entry of a DNS flow: its original tuple and zone. */
struct flow_key {
	uint8_t family;
	uint8_t protocol;
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport;
	uint16_t dport;
	uint16_t zone;
};

struct address_key {
	uint8_t family;
	uint8_t addr[16];
};

struct pair_key {
	struct address_key phone;
	struct address_key resolver;
};

struct tresolver {
	struct fw_resolver pub;
	struct fw_hnode node;
	uint32_t pairs; /* pairs pointing here */
};

struct tpair {
	struct fw_phone_resolver pub;
	struct fw_hnode node;
	struct tresolver *resolver;
	uint64_t last_active_ms; /* a flow started or ended */
	uint8_t flagged_told;    /* flagged_use was called */
};

struct tflow {
	struct fw_hnode node;
	struct flow_key key;
	struct tpair *pair;
	unsigned generation; /* the dump that last saw it */
};

struct fw_resolver_tracker {
	struct fw_resolver_settings settings;
	struct fw_cidr networks[FW_MAX_RESOLVER_NETWORKS];
	struct fw_resolver_hooks hooks;
	uint64_t seed;
	struct fw_htable flows, pairs, resolvers;
	unsigned generation;
	int in_resync;
	uint32_t flagged_in_use;
};

static size_t addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

static void address(struct address_key *key, uint8_t family, const uint8_t *addr)
{
	memset(key, 0, sizeof(*key));
	key->family = family;
	memcpy(key->addr, addr, addr_len(family));
}

int fw_resolver_is_dns(const struct fw_ct_tuple *orig)
{
	if (orig->family != AF_INET && orig->family != AF_INET6)
		return 0;
	if (orig->protocol == IPPROTO_UDP)
		return orig->dport == 53;
	return orig->protocol == IPPROTO_TCP && (orig->dport == 53 || orig->dport == 853);
}

static int from_a_phone(const struct fw_resolver_tracker *t, const struct fw_ct_tuple *orig)
{
	if (t->settings.phone_network_count == 0)
		return 1;
	for (size_t i = 0; i < t->settings.phone_network_count; i++)
		if (fw_cidr_contains(&t->networks[i], orig->family, orig->src))
			return 1;
	return 0;
}

static void set_settings(struct fw_resolver_tracker *t, const struct fw_resolver_settings *s)
{
	size_t count = s->phone_network_count;

	if (count > FW_MAX_RESOLVER_NETWORKS)
		count = FW_MAX_RESOLVER_NETWORKS;
	t->settings = *s;
	if (count)
		memcpy(t->networks, s->phone_networks, count * sizeof(t->networks[0]));
	t->settings.phone_networks = t->networks;
	t->settings.phone_network_count = count;
	if (t->settings.policy.allowed_count > FW_MAX_RESOLVER_NETWORKS)
		t->settings.policy.allowed_count = FW_MAX_RESOLVER_NETWORKS;
	if (t->settings.policy.flagged_count > FW_MAX_RESOLVER_NETWORKS)
		t->settings.policy.flagged_count = FW_MAX_RESOLVER_NETWORKS;
}

static void free_flow(struct fw_hnode *n)
{
	free(container_of(n, struct tflow, node));
}

static void free_pair(struct fw_hnode *n)
{
	free(container_of(n, struct tpair, node));
}

static void free_resolver(struct fw_hnode *n)
{
	free(container_of(n, struct tresolver, node));
}

struct fw_resolver_tracker *fw_resolver_tracker_new(const struct fw_resolver_settings *settings,
                                                    const struct fw_resolver_hooks *hooks)
{
	struct fw_resolver_tracker *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (fw_htable_init(&t->flows) < 0 || fw_htable_init(&t->pairs) < 0 ||
	    fw_htable_init(&t->resolvers) < 0) {
		fw_resolver_tracker_free(t);
		return NULL;
	}
	set_settings(t, settings);
	if (hooks)
		t->hooks = *hooks;
	t->seed = fw_hash_bytes(0x51ed270b27e4f1a5ull, &t, sizeof(t));
	return t;
}

void fw_resolver_tracker_free(struct fw_resolver_tracker *t)
{
	if (!t)
		return;
	fw_htable_free(&t->flows, free_flow);
	fw_htable_free(&t->pairs, free_pair);
	fw_htable_free(&t->resolvers, free_resolver);
	free(t);
}

static struct tresolver *get_resolver(struct fw_resolver_tracker *t, uint8_t family,
                                      const uint8_t *addr)
{
	struct address_key key;
	uint64_t hash;
	struct tresolver *r;

	address(&key, family, addr);
	hash = fw_hash_bytes(t->seed, &key, sizeof(key));
	for (struct fw_hnode *n = fw_htable_first(&t->resolvers, hash); n; n = n->next) {
		r = container_of(n, struct tresolver, node);
		if (n->hash == hash && r->pub.family == key.family &&
		    memcmp(r->pub.addr, key.addr, sizeof(key.addr)) == 0)
			return r;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->pub.family = key.family;
	memcpy(r->pub.addr, key.addr, sizeof(key.addr));
	r->pub.verdict = fw_resolver_verdict(&t->settings.policy, family, key.addr);
	fw_htable_insert(&t->resolvers, &r->node, hash);
	if (t->hooks.resolver_added)
		t->hooks.resolver_added(&r->pub, t->hooks.ctx);
	return r;
}

static struct tpair *get_pair(struct fw_resolver_tracker *t, const struct fw_ct_tuple *orig)
{
	struct pair_key key;
	uint64_t hash;
	struct tpair *p;
	struct tresolver *r;

	address(&key.phone, orig->family, orig->src);
	address(&key.resolver, orig->family, orig->dst);
	hash = fw_hash_bytes(t->seed, &key, sizeof(key));
	for (struct fw_hnode *n = fw_htable_first(&t->pairs, hash); n; n = n->next) {
		p = container_of(n, struct tpair, node);
		if (n->hash == hash && p->pub.phone_family == key.phone.family &&
		    memcmp(p->pub.phone_addr, key.phone.addr, sizeof(key.phone.addr)) == 0 &&
		    memcmp(p->resolver->pub.addr, key.resolver.addr, sizeof(key.resolver.addr)) ==
		        0)
			return p;
	}
	r = get_resolver(t, orig->family, orig->dst);
	if (!r)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p) {
		if (r->pairs == 0) {
			/* a resolver without pairs is never listed */
			fw_htable_remove(&t->resolvers, &r->node);
			if (t->hooks.resolver_removed)
				t->hooks.resolver_removed(&r->pub, t->hooks.ctx);
			free(r);
		}
		return NULL;
	}
	p->pub.phone_family = key.phone.family;
	memcpy(p->pub.phone_addr, key.phone.addr, sizeof(key.phone.addr));
	p->pub.resolver = &r->pub;
	p->resolver = r;
	r->pairs++;
	r->pub.phones_ever++;
	fw_htable_insert(&t->pairs, &p->node, hash);
	if (t->hooks.pair_added)
		t->hooks.pair_added(&p->pub, t->hooks.ctx);
	return p;
}

static void flow_started(struct fw_resolver_tracker *t, struct tpair *p, const struct fw_clock *now)
{
	struct tresolver *r = p->resolver;

	p->pub.flows++;
	p->pub.last_seen = now->wall;
	p->last_active_ms = now->mono_ms;
	r->pub.flows++;
	r->pub.last_seen = now->wall;
	if (p->pub.live_flows++ == 0) {
		r->pub.phones_now++;
		if (r->pub.verdict == FW_RESOLVER_FLAGGED)
			t->flagged_in_use++;
	}
	if (r->pub.verdict == FW_RESOLVER_FLAGGED && !p->flagged_told) {
		p->flagged_told = 1;
		if (t->hooks.flagged_use)
			t->hooks.flagged_use(&p->pub, t->hooks.ctx);
	}
}

static void flow_ended(struct fw_resolver_tracker *t, struct tflow *f, const struct fw_clock *now)
{
	struct tpair *p = f->pair;

	fw_htable_remove(&t->flows, &f->node);
	free(f);
	p->last_active_ms = now->mono_ms;
	if (--p->pub.live_flows == 0) {
		p->resolver->pub.phones_now--;
		if (p->resolver->pub.verdict == FW_RESOLVER_FLAGGED)
			t->flagged_in_use--;
	}
}

static void make_flow_key(struct flow_key *key, const struct fw_ct_event *ev)
{
	size_t len = addr_len(ev->orig.family);

	memset(key, 0, sizeof(*key));
	key->family = ev->orig.family;
	key->protocol = ev->orig.protocol;
	memcpy(key->src, ev->orig.src, len);
	memcpy(key->dst, ev->orig.dst, len);
	key->sport = ev->orig.sport;
	key->dport = ev->orig.dport;
	key->zone = ev->zone;
}

static struct tflow *find_flow(const struct fw_resolver_tracker *t, const struct flow_key *key,
                               uint64_t hash)
{
	for (struct fw_hnode *n = fw_htable_first(&t->flows, hash); n; n = n->next) {
		struct tflow *f = container_of(n, struct tflow, node);

		if (n->hash == hash && memcmp(&f->key, key, sizeof(*key)) == 0)
			return f;
	}
	return NULL;
}

/* A NEW, UPDATE or dump row: the flow exists (is created if unknown). */
static void flow_seen(struct fw_resolver_tracker *t, const struct fw_ct_event *ev,
                      const struct fw_clock *now)
{
	struct flow_key key;
	uint64_t hash;
	struct tflow *f;
	struct tpair *p;

	make_flow_key(&key, ev);
	hash = fw_hash_bytes(t->seed, &key, sizeof(key));
	f = find_flow(t, &key, hash);
	if (f) {
		f->generation = t->generation;
		return;
	}
	p = get_pair(t, &ev->orig);
	f = p ? calloc(1, sizeof(*f)) : NULL;
	if (!f) {
		fw_log(LOG_ERR, "resolvers", "out of memory: DNS flow not tracked");
		return;
	}
	f->key = key;
	f->pair = p;
	f->generation = t->generation;
	fw_htable_insert(&t->flows, &f->node, hash);
	flow_started(t, p, now);
}

void fw_resolver_tracker_event(struct fw_resolver_tracker *t, const struct fw_ct_event *ev,
                               const struct fw_clock *now)
{
	struct flow_key key;
	struct tflow *f;

	if (!fw_resolver_is_dns(&ev->orig) || !from_a_phone(t, &ev->orig))
		return;
	if (ev->kind != FW_CT_DESTROY) {
		flow_seen(t, ev, now);
		return;
	}
	make_flow_key(&key, ev);
	f = find_flow(t, &key, fw_hash_bytes(t->seed, &key, sizeof(key)));
	if (f)
		flow_ended(t, f, now);
}

void fw_resolver_tracker_resync_begin(struct fw_resolver_tracker *t)
{
	t->generation++;
	t->in_resync = 1;
}

void fw_resolver_tracker_resync_row(struct fw_resolver_tracker *t, const struct fw_ct_event *row,
                                    const struct fw_clock *now)
{
	if (fw_resolver_is_dns(&row->orig) && from_a_phone(t, &row->orig))
		flow_seen(t, row, now);
}

void fw_resolver_tracker_resync_end(struct fw_resolver_tracker *t, const struct fw_clock *now)
{
	if (!t->in_resync)
		return;
	t->in_resync = 0;
	/* what the dump did not hold (and no event brought since it began) has ended */
	for (size_t i = 0; i <= t->flows.mask; i++) {
		struct fw_hnode *n = t->flows.buckets[i];

		while (n) {
			struct fw_hnode *next = n->next;
			struct tflow *f = container_of(n, struct tflow, node);

			if (f->generation != t->generation)
				flow_ended(t, f, now);
			n = next;
		}
	}
}

static void remove_pair(struct fw_resolver_tracker *t, struct tpair *p)
{
	struct tresolver *r = p->resolver;

	fw_htable_remove(&t->pairs, &p->node);
	if (t->hooks.pair_removed)
		t->hooks.pair_removed(&p->pub, t->hooks.ctx);
	free(p);
	if (--r->pairs > 0)
		return;
	fw_htable_remove(&t->resolvers, &r->node);
	if (t->hooks.resolver_removed)
		t->hooks.resolver_removed(&r->pub, t->hooks.ctx);
	free(r);
}

size_t fw_resolver_tracker_expire(struct fw_resolver_tracker *t, const struct fw_clock *now)
{
	uint64_t retention_ms = (uint64_t)t->settings.retention * 1000;
	size_t expired = 0;

	if (t->settings.retention == 0)
		return 0;
	for (size_t i = 0; i <= t->pairs.mask; i++) {
		struct fw_hnode *n = t->pairs.buckets[i];

		while (n) {
			struct fw_hnode *next = n->next;
			struct tpair *p = container_of(n, struct tpair, node);

			if (p->pub.live_flows == 0 &&
			    now->mono_ms >= p->last_active_ms + retention_ms) {
				remove_pair(t, p);
				expired++;
			}
			n = next;
		}
	}
	return expired;
}

void fw_resolver_tracker_set_settings(struct fw_resolver_tracker *t,
                                      const struct fw_resolver_settings *settings)
{
	set_settings(t, settings);
	for (size_t i = 0; i <= t->resolvers.mask; i++) {
		for (struct fw_hnode *n = t->resolvers.buckets[i]; n; n = n->next) {
			struct tresolver *r = container_of(n, struct tresolver, node);
			enum fw_resolver_verdict v =
			    fw_resolver_verdict(&t->settings.policy, r->pub.family, r->pub.addr);

			if (v == r->pub.verdict)
				continue;
			/* the phones using it now move between the counts */
			if (r->pub.verdict == FW_RESOLVER_FLAGGED)
				t->flagged_in_use -= r->pub.phones_now;
			if (v == FW_RESOLVER_FLAGGED)
				t->flagged_in_use += r->pub.phones_now;
			r->pub.verdict = v;
			if (t->hooks.verdict_changed)
				t->hooks.verdict_changed(&r->pub, t->hooks.ctx);
		}
	}
}

size_t fw_resolver_tracker_resolver_count(const struct fw_resolver_tracker *t)
{
	return t->resolvers.count;
}

uint32_t fw_resolver_tracker_flagged_in_use(const struct fw_resolver_tracker *t)
{
	return t->flagged_in_use;
}
