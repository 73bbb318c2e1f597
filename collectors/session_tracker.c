/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "session_tracker.h"

#include <linux/netfilter/nf_conntrack_tcp.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "htable.h"
#include "log.h"

#define container_of fw_container_of

#define DEFAULT_SIP_PORT 5061

/* ---- tracker objects ---- */

/* What identifies a conntrack entry: its original tuple (always TCP here) and zone. */
struct session_key {
	uint8_t family;
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport;
	uint16_t dport;
	uint16_t zone;
};

struct phone_key {
	uint8_t family;
	uint8_t addr[16];
};

struct tphone {
	struct fw_phone pub;
	struct fw_hnode node;
	uint8_t had_teardown;    /* last_teardown_mono_ms is meaningful */
	uint32_t sessions_held;  /* tracked sessions pointing here, torn down or not */
	uint64_t last_active_ms; /* a session started or ended */
};

struct tsession {
	struct fw_session pub; /* its orig and zone are the key (session_has_key) */
	struct fw_hnode node;
	struct tsession *prev, *next; /* all sessions, oldest first */
	struct tphone *phone;
};

/* A conntrack destroyed during the current resync: its stale dump row must not revive it. */
struct destroyed {
	struct fw_hnode node;
	struct session_key key;
	uint32_t id;
};

struct fw_tracker {
	struct fw_session_policy policy;
	struct fw_tracker_hooks hooks;
	struct fw_tracker_stats stats;
	uint64_t seed;
	struct fw_htable sessions;
	struct fw_htable phones;
	struct fw_htable destroyed;
	struct tsession *first, *last;
	unsigned generation;
	int in_resync;
	struct fw_resync_summary resync;
	struct fw_teardown_history history;
	uint32_t shortened_timeout; /* 0: the kernel default */
};

static size_t addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

/* Copies a tuple with the unused address octets zeroed, so keys compare bytewise. */
static void copy_tuple(struct fw_ct_tuple *dst, const struct fw_ct_tuple *src)
{
	size_t len = addr_len(src->family);

	memset(dst, 0, sizeof(*dst));
	dst->family = src->family;
	dst->protocol = src->protocol;
	memcpy(dst->src, src->src, len);
	memcpy(dst->dst, src->dst, len);
	dst->sport = src->sport;
	dst->dport = src->dport;
}

static void make_session_key(struct session_key *key, const struct fw_ct_event *ev)
{
	size_t len = addr_len(ev->orig.family);

	memset(key, 0, sizeof(*key));
	key->family = ev->orig.family;
	memcpy(key->src, ev->orig.src, len);
	memcpy(key->dst, ev->orig.dst, len);
	key->sport = ev->orig.sport;
	key->dport = ev->orig.dport;
	key->zone = ev->zone;
}

static uint64_t session_hash(const struct fw_tracker *t, const struct session_key *key)
{
	return fw_hash_bytes(t->seed, key, sizeof(*key));
}

/*
 * The session's own tuple and zone are its key: not stored twice, since at
 * 100 000 sessions every byte per session is 100 kB.
 */
static int session_has_key(const struct tsession *s, const struct session_key *key)
{
	const struct fw_ct_tuple *orig = &s->pub.orig;

	return orig->family == key->family && orig->sport == key->sport &&
	       orig->dport == key->dport && s->pub.zone == key->zone &&
	       memcmp(orig->src, key->src, sizeof(key->src)) == 0 &&
	       memcmp(orig->dst, key->dst, sizeof(key->dst)) == 0;
}

static struct tsession *find_session(const struct fw_tracker *t, const struct session_key *key,
                                     uint64_t hash)
{
	for (struct fw_hnode *n = fw_htable_first(&t->sessions, hash); n; n = n->next) {
		struct tsession *s = container_of(n, struct tsession, node);

		if (n->hash == hash && session_has_key(s, key))
			return s;
	}
	return NULL;
}

/* Zero is "no CTA_ID"; only two known, different ids tell two conntracks apart. */
static int ids_differ(uint32_t a, uint32_t b)
{
	return a != 0 && b != 0 && a != b;
}

static void free_phone_node(struct fw_hnode *n)
{
	struct tphone *ph = container_of(n, struct tphone, node);

	free(ph->pub.flap);
	free(ph);
}

/* The phone's new session goes to server:port, another server than its previous one. */
static void server_changed(struct fw_tracker *t, struct fw_phone *phone, const uint8_t *server,
                           uint16_t port, const struct fw_clock *now)
{
	struct fw_server_flap *flap = phone->flap;

	phone->server_changes++;
	if (!flap) {
		/* only phones that change servers pay for the history */
		flap = phone->flap = calloc(1, sizeof(*flap));
	}
	if (flap) {
		flap->prev_family = phone->family;
		memcpy(flap->prev_addr, phone->server_addr, sizeof(flap->prev_addr));
		flap->prev_port = phone->server_port;
	}
	/* the phone's row names the new server before anyone is told */
	memcpy(phone->server_addr, server, sizeof(phone->server_addr));
	phone->server_port = port;
	if (!flap || fw_server_flap_changed(flap, &t->policy.flap, now->mono_ms) != FW_FLAP_RAISED)
		return;
	t->stats.phones_flapping++;
	if (t->hooks.server_flap)
		t->hooks.server_flap(phone, 1, t->hooks.ctx);
}

static void free_destroyed_node(struct fw_hnode *n)
{
	free(container_of(n, struct destroyed, node));
}

static void free_session_node(struct fw_hnode *n)
{
	free(container_of(n, struct tsession, node));
}

/* ---- policy ---- */

static void set_policy_fields(struct fw_tracker *t, const struct fw_session_policy *policy)
{
	if (policy)
		t->policy = *policy;
	else
		memset(&t->policy, 0, sizeof(t->policy));
	if (t->policy.sip_port_count > FW_MAX_SIP_PORTS)
		t->policy.sip_port_count = FW_MAX_SIP_PORTS;
	if (t->policy.phone_network_count > FW_MAX_NETWORKS)
		t->policy.phone_network_count = FW_MAX_NETWORKS;
	if (t->policy.server_network_count > FW_MAX_NETWORKS)
		t->policy.server_network_count = FW_MAX_NETWORKS;
}

static int in_networks(const struct fw_cidr *nets, size_t count, uint8_t family,
                       const uint8_t *addr)
{
	if (count == 0)
		return 1;
	for (size_t i = 0; i < count; i++)
		if (fw_cidr_contains(&nets[i], family, addr))
			return 1;
	return 0;
}

/* Whether a list of networks (none: any) allows the family. */
static int allows(const struct fw_cidr *nets, size_t count, uint8_t family)
{
	if (count == 0)
		return 1;
	for (size_t i = 0; i < count; i++)
		if (nets[i].family == family)
			return 1;
	return 0;
}

void fw_tracker_set_shortened_timeout(struct fw_tracker *tracker, uint32_t seconds)
{
	tracker->shortened_timeout = seconds;
}

void fw_session_policy_families(const struct fw_session_policy *policy, int *ipv4, int *ipv6)
{
	*ipv4 = allows(policy->phone_networks, policy->phone_network_count, AF_INET) &&
	        allows(policy->server_networks, policy->server_network_count, AF_INET);
	*ipv6 = allows(policy->phone_networks, policy->phone_network_count, AF_INET6) &&
	        allows(policy->server_networks, policy->server_network_count, AF_INET6);
}

int fw_tracker_matches(const struct fw_tracker *tracker, const struct fw_ct_event *ev)
{
	const struct fw_session_policy *p = &tracker->policy;
	const struct fw_ct_tuple *o = &ev->orig;
	int port_ok = 0;

	if (o->protocol != IPPROTO_TCP || (o->family != AF_INET && o->family != AF_INET6))
		return 0;
	if (p->sip_port_count == 0)
		port_ok = o->dport == DEFAULT_SIP_PORT;
	for (size_t i = 0; i < p->sip_port_count && !port_ok; i++)
		port_ok = o->dport == p->sip_ports[i];
	return port_ok &&
	       in_networks(p->phone_networks, p->phone_network_count, o->family, o->src) &&
	       in_networks(p->server_networks, p->server_network_count, o->family, o->dst);
}

/* ---- teardown history ---- */

static struct fw_history_hooks history_hooks(const struct fw_tracker *t)
{
	struct fw_history_hooks hooks = {
	    .added = t->hooks.teardown, .expired = t->hooks.teardown_expired, .ctx = t->hooks.ctx};

	return hooks;
}

size_t fw_tracker_history_count(const struct fw_tracker *tracker)
{
	return fw_history_count(&tracker->history);
}

const struct fw_teardown *fw_tracker_history_at(const struct fw_tracker *tracker, size_t i)
{
	return fw_history_at(&tracker->history, i);
}

/* ---- session lifecycle ---- */

static void end_session(struct fw_tracker *t, struct tsession *s, enum fw_teardown_cause cause,
                        const struct fw_clock *now)
{
	struct fw_phone *phone = &s->phone->pub;
	struct fw_history_hooks hooks;
	struct fw_teardown rec;
	time_t duration = now->wall - s->pub.start;

	if (cause < FW_CAUSE_RESET || cause > FW_CAUSE_COUNT)
		cause = FW_CAUSE_OTHER;
	s->pub.teardown_reported = 1;
	if (phone->sessions_now > 0)
		phone->sessions_now--;
	phone->teardowns[cause]++;
	phone->last_teardown = now->wall;
	phone->last_cause = cause;
	phone->last_teardown_mono_ms = now->mono_ms;
	s->phone->had_teardown = 1;
	s->phone->last_active_ms = now->mono_ms;
	t->stats.teardowns[cause]++;

	memset(&rec, 0, sizeof(rec));
	rec.when = now->wall;
	rec.family = s->pub.orig.family;
	memcpy(rec.phone_addr, s->pub.orig.src, sizeof(rec.phone_addr));
	rec.phone_port = s->pub.orig.sport;
	memcpy(rec.server_addr, s->pub.orig.dst, sizeof(rec.server_addr));
	rec.server_port = s->pub.orig.dport;
	rec.zone = s->pub.zone;
	if (duration < 0)
		duration = 0;
	rec.duration = (uint64_t)duration > UINT32_MAX ? UINT32_MAX : (uint32_t)duration;
	rec.last_state = s->pub.tcp_state;
	rec.cause = cause;
	hooks = history_hooks(t);
	fw_history_add(&t->history, &rec, t->policy.history_size, &hooks);
}

/* Unlinks and frees a session; it must have been torn down (or the tracker is going away). */
static void remove_session(struct fw_tracker *t, struct tsession *s)
{
	fw_htable_remove(&t->sessions, &s->node);
	if (s->prev)
		s->prev->next = s->next;
	else
		t->first = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		t->last = s->prev;
	if (t->hooks.session_removed)
		t->hooks.session_removed(&s->pub, t->hooks.ctx);
	s->phone->sessions_held--;
	free(s);
}

static void check_below(struct fw_tracker *t, struct tsession *s)
{
	struct fw_session *p = &s->pub;

	if (p->below_notified || p->teardown_reported ||
	    p->tcp_state != TCP_CONNTRACK_ESTABLISHED || !p->effective_exact ||
	    p->effective_timeout == 0 || p->effective_timeout >= t->policy.threshold)
		return;
	p->below_notified = 1;
	if (t->hooks.timeout_below)
		t->hooks.timeout_below(p, t->policy.threshold, t->hooks.ctx);
}

/* CLOSE is only reached through an RST, TIME_WAIT only after FINs both ways. */
static void check_closed(struct fw_tracker *t, struct tsession *s, const struct fw_clock *now)
{
	if (s->pub.teardown_reported)
		return;
	if (s->pub.tcp_state == TCP_CONNTRACK_CLOSE)
		end_session(t, s, FW_CAUSE_RESET, now);
	else if (s->pub.tcp_state == TCP_CONNTRACK_TIME_WAIT)
		end_session(t, s, FW_CAUSE_CLOSED, now);
}

/* Fields every NEW/UPDATE/row refreshes. */
static void apply_fields(struct fw_tracker *t, struct tsession *s, const struct fw_ct_event *ev,
                         const struct fw_clock *now, int is_new, int is_row)
{
	struct fw_session *p = &s->pub;
	int state_changed = is_new || (ev->has_tcp_state && ev->tcp_state != p->tcp_state);
	/*
	 * An event sent while the kernel handled a packet carries the timeout it
	 * has just armed; a dump row (or an admin's update) only what is left.
	 */
	int exact = !is_row && ev->portid == 0;

	if (ev->has_tcp_state) {
		p->tcp_state = ev->tcp_state;
		p->unacked_seen = ((ev->tcp_flags_orig | ev->tcp_flags_reply) &
		                   IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED) != 0;
	}
	p->mark = ev->mark;
	if (ev->id != 0)
		p->ct_id = ev->id;
	if (ev->reply.family != 0)
		copy_tuple(&p->reply, &ev->reply);
	if (ev->has_counters) {
		p->has_counters = 1;
		p->orig_packets = ev->orig_packets;
		p->orig_bytes = ev->orig_bytes;
		p->reply_packets = ev->reply_packets;
		p->reply_bytes = ev->reply_bytes;
	}
	/*
	 * Every packet re-arms the full timeout of the state, so the highest value
	 * seen in a state is the closest to what the state really arms.
	 */
	if (ev->has_timeout) {
		p->remaining = ev->timeout;
		p->observed_mono_ms = now->mono_ms;
		if (state_changed) {
			p->effective_timeout = ev->timeout;
			p->effective_exact = (uint8_t)exact;
		} else if (ev->timeout > p->effective_timeout) {
			p->effective_timeout = ev->timeout;
		}
		if (exact)
			p->effective_exact = 1;
	} else if (state_changed) {
		p->effective_timeout = 0;
		p->effective_exact = 0;
	}
	p->generation = t->generation;
}

static struct tphone *get_phone(struct fw_tracker *t, const struct fw_ct_tuple *orig,
                                const struct fw_clock *now, int *created)
{
	struct phone_key key;
	uint64_t hash;
	struct tphone *ph;

	memset(&key, 0, sizeof(key));
	key.family = orig->family;
	memcpy(key.addr, orig->src, addr_len(orig->family));
	hash = fw_hash_bytes(t->seed, &key, sizeof(key));
	for (struct fw_hnode *n = fw_htable_first(&t->phones, hash); n; n = n->next) {
		ph = container_of(n, struct tphone, node);
		if (n->hash == hash && ph->pub.family == key.family &&
		    memcmp(ph->pub.addr, key.addr, sizeof(key.addr)) == 0) {
			*created = 0;
			return ph;
		}
	}
	ph = calloc(1, sizeof(*ph));
	if (!ph)
		return NULL;
	ph->pub.family = key.family;
	memcpy(ph->pub.addr, key.addr, sizeof(key.addr));
	ph->pub.created_mono_ms = now->mono_ms;
	fw_htable_insert(&t->phones, &ph->node, hash);
	*created = 1;
	return ph;
}

static void add_session(struct fw_tracker *t, const struct fw_ct_event *ev, uint64_t hash,
                        const struct fw_clock *now, int is_row)
{
	struct tsession *s = calloc(1, sizeof(*s));
	struct fw_session *p;
	struct fw_phone *phone;
	int phone_created = 0;

	if (!s) {
		fw_log(LOG_ERR, "tracker", "out of memory: session not tracked");
		return;
	}
	s->phone = get_phone(t, &ev->orig, now, &phone_created);
	if (!s->phone) {
		fw_log(LOG_ERR, "tracker", "out of memory: session not tracked");
		free(s);
		return;
	}
	p = &s->pub;
	copy_tuple(&p->orig, &ev->orig);
	p->zone = ev->zone;
	if (ev->has_start) {
		p->start = (time_t)(ev->start_ns / 1000000000ull);
		p->start_mono_ms = now->mono_ms;
		/* An exact start in the past also places the session on the monotonic clock. */
		if (p->start <= now->wall) {
			uint64_t age_ms = (uint64_t)(now->wall - p->start) * 1000;

			p->start_mono_ms = age_ms < now->mono_ms ? now->mono_ms - age_ms : 0;
		}
	} else {
		p->start = now->wall;
		p->start_mono_ms = now->mono_ms;
	}
	apply_fields(t, s, ev, now, 1, is_row);

	fw_htable_insert(&t->sessions, &s->node, hash);
	s->prev = t->last;
	if (t->last)
		t->last->next = s;
	else
		t->first = s;
	t->last = s;

	phone = &s->phone->pub;
	if (s->phone->had_teardown && t->policy.reconnect_window > 0 &&
	    now->mono_ms >= phone->last_teardown_mono_ms &&
	    now->mono_ms - phone->last_teardown_mono_ms <=
	        (uint64_t)t->policy.reconnect_window * 1000)
		phone->reconnects++;
	if (phone->has_server && memcmp(phone->server_addr, p->orig.dst, sizeof(p->orig.dst)) != 0)
		server_changed(t, phone, p->orig.dst, p->orig.dport, now);
	phone->has_server = 1;
	memcpy(phone->server_addr, p->orig.dst, sizeof(phone->server_addr));
	phone->server_port = p->orig.dport;
	phone->sessions_now++;
	phone->sessions_seen++;
	s->phone->sessions_held++;
	s->phone->last_active_ms = now->mono_ms;
	t->stats.sessions_seen++;

	if (phone_created && t->hooks.phone_added)
		t->hooks.phone_added(phone, t->hooks.ctx);
	if (t->hooks.session_added)
		t->hooks.session_added(p, t->hooks.ctx);
	check_below(t, s);
	check_closed(t, s, now);
}

static int was_destroyed(const struct fw_tracker *t, const struct session_key *key, uint64_t hash,
                         uint32_t id)
{
	for (struct fw_hnode *n = fw_htable_first(&t->destroyed, hash); n; n = n->next) {
		const struct destroyed *d = container_of(n, struct destroyed, node);

		if (n->hash == hash && memcmp(&d->key, key, sizeof(*key)) == 0 &&
		    !ids_differ(d->id, id))
			return 1;
	}
	return 0;
}

static void remember_destroyed(struct fw_tracker *t, const struct session_key *key, uint64_t hash,
                               uint32_t id)
{
	struct destroyed *d;

	if (was_destroyed(t, key, hash, id))
		return;
	d = calloc(1, sizeof(*d));
	if (!d) {
		fw_log(LOG_ERR, "tracker", "out of memory remembering a destroyed session");
		return;
	}
	d->key = *key;
	d->id = id;
	fw_htable_insert(&t->destroyed, &d->node, hash);
}

static int is_tcp_inet(const struct fw_ct_event *ev)
{
	return ev->orig.protocol == IPPROTO_TCP &&
	       (ev->orig.family == AF_INET || ev->orig.family == AF_INET6);
}

/* A TCP state a connection is used in: neither ended (CLOSE, TIME_WAIT) nor unknown. */
static int is_alive(const struct fw_ct_event *ev)
{
	return ev->has_tcp_state && ev->tcp_state != TCP_CONNTRACK_NONE &&
	       ev->tcp_state != TCP_CONNTRACK_CLOSE && ev->tcp_state != TCP_CONNTRACK_TIME_WAIT &&
	       ev->tcp_state < TCP_CONNTRACK_MAX;
}

static void handle_update(struct fw_tracker *t, const struct fw_ct_event *ev,
                          const struct fw_clock *now, int is_row)
{
	struct session_key key;
	struct tsession *s;
	uint64_t hash;

	if (!is_tcp_inet(ev))
		return;
	make_session_key(&key, ev);
	hash = session_hash(t, &key);
	/* A row read before a DESTROY we already handled describes a dead conntrack. */
	if (is_row && t->in_resync && was_destroyed(t, &key, hash, ev->id))
		return;
	s = find_session(t, &key, hash);
	if (s && ids_differ(s->pub.ct_id, ev->id)) {
		/* The dump holds one entry per tuple: a second, different one is stale. */
		if (is_row && t->in_resync && s->pub.generation == t->generation)
			return;
		/* The tuple was reused by a new conntrack: the one we knew ended unseen. */
		if (!s->pub.teardown_reported)
			end_session(t, s, FW_CAUSE_MISSED, now);
		remove_session(t, s);
		s = NULL;
	}
	if (s && s->pub.teardown_reported && is_alive(ev)) {
		/*
		 * A conntrack we reported reset is alive again: a phone reconnecting
		 * from the same port after the server's RST gets the same entry back
		 * (the kernel's TCP tracker ignores the SYN on a CLOSE entry, then
		 * takes the SYN/ACK that answers it: SYN_RECV, ESTABLISHED, same id).
		 * For the phone it is a new session, with a teardown of its own to come.
		 */
		remove_session(t, s);
		s = NULL;
	}
	if (!s) {
		/*
		 * A conntrack first seen already in TIME_WAIT or CLOSE ended before it
		 * could be watched: nothing to track, and no teardown to report late.
		 */
		if (ev->has_tcp_state && (ev->tcp_state == TCP_CONNTRACK_TIME_WAIT ||
		                          ev->tcp_state == TCP_CONNTRACK_CLOSE))
			return;
		/* sessions a policy change stopped covering were dropped by set_policy */
		if (fw_tracker_matches(t, ev))
			add_session(t, ev, hash, now, is_row);
		return;
	}
	apply_fields(t, s, ev, now, 0, is_row);
	check_below(t, s);
	check_closed(t, s, now);
}

static void handle_destroy(struct fw_tracker *t, const struct fw_ct_event *ev,
                           const struct fw_clock *now)
{
	struct session_key key;
	struct tsession *s;
	uint64_t hash;

	if (!is_tcp_inet(ev))
		return;
	make_session_key(&key, ev);
	hash = session_hash(t, &key);
	s = find_session(t, &key, hash);
	if (s && ids_differ(s->pub.ct_id, ev->id))
		s = NULL; /* another conntrack that had the same tuple */
	if (t->in_resync && (s || fw_tracker_matches(t, ev)))
		remember_destroyed(t, &key, hash, ev->id);
	if (!s)
		return;
	/*
	 * DESTROY carries the final state (and counters when accounting is on);
	 * a timeout only when it was deleted over netlink.
	 */
	if (ev->has_tcp_state)
		s->pub.tcp_state = ev->tcp_state;
	if (ev->has_counters) {
		s->pub.has_counters = 1;
		s->pub.orig_packets = ev->orig_packets;
		s->pub.orig_bytes = ev->orig_bytes;
		s->pub.reply_packets = ev->reply_packets;
		s->pub.reply_bytes = ev->reply_bytes;
	}
	if (!s->pub.teardown_reported)
		end_session(t, s, fw_classify_teardown(&s->pub, ev, t->shortened_timeout, now),
		            now);
	remove_session(t, s);
}

/* ---- public entry points ---- */

struct fw_tracker *fw_tracker_new(const struct fw_session_policy *policy,
                                  const struct fw_tracker_hooks *hooks)
{
	struct fw_tracker *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	set_policy_fields(t, policy);
	if (hooks)
		t->hooks = *hooks;
	/* The address is as random as ASLR makes it, and needs no clock or I/O. */
	t->seed = fw_hash_bytes(0x9e3779b97f4a7c15ull, &t, sizeof(t));
	fw_history_init(&t->history);
	if (fw_htable_init(&t->sessions) < 0 || fw_htable_init(&t->phones) < 0 ||
	    fw_htable_init(&t->destroyed) < 0) {
		fw_tracker_free(t);
		return NULL;
	}
	return t;
}

void fw_tracker_free(struct fw_tracker *tracker)
{
	if (!tracker)
		return;
	fw_htable_free(&tracker->sessions, free_session_node);
	fw_htable_free(&tracker->phones, free_phone_node);
	fw_htable_free(&tracker->destroyed, free_destroyed_node);
	fw_history_free(&tracker->history);
	free(tracker);
}

/*
 * Sessions the new policy no longer covers (a port or network removed) leave
 * without a teardown: they did not end, they stopped being watched, and the
 * filtered dumps would otherwise report them as missed.
 */
static void drop_unwatched(struct fw_tracker *t)
{
	struct tsession *s = t->first, *next;

	for (; s; s = next) {
		struct fw_ct_event probe;

		next = s->next;
		memset(&probe, 0, sizeof(probe));
		probe.orig = s->pub.orig;
		if (fw_tracker_matches(t, &probe))
			continue;
		if (!s->pub.teardown_reported) {
			if (s->phone->pub.sessions_now > 0)
				s->phone->pub.sessions_now--;
			t->stats.sessions_unwatched++;
		}
		remove_session(t, s);
	}
}

void fw_tracker_set_policy(struct fw_tracker *tracker, const struct fw_session_policy *policy)
{
	struct fw_history_hooks hooks;

	set_policy_fields(tracker, policy);
	drop_unwatched(tracker);
	hooks = history_hooks(tracker);
	fw_history_trim(&tracker->history, tracker->policy.history_size, &hooks);
}

void fw_tracker_event(struct fw_tracker *tracker, const struct fw_ct_event *ev,
                      const struct fw_clock *now)
{
	tracker->stats.events++;
	switch (ev->kind) {
	case FW_CT_NEW:
	case FW_CT_UPDATE:
		handle_update(tracker, ev, now, 0);
		break;
	case FW_CT_DESTROY:
		handle_destroy(tracker, ev, now);
		break;
	}
}

void fw_tracker_resync_begin(struct fw_tracker *tracker)
{
	tracker->generation++;
	tracker->in_resync = 1;
	memset(&tracker->resync, 0, sizeof(tracker->resync));
	fw_htable_clear(&tracker->destroyed, free_destroyed_node);
}

void fw_tracker_resync_row(struct fw_tracker *tracker, const struct fw_ct_event *row,
                           const struct fw_clock *now)
{
	size_t before = tracker->stats.sessions_seen;

	if (row->kind == FW_CT_DESTROY)
		return;
	handle_update(tracker, row, now, 1);
	if (tracker->in_resync && fw_tracker_matches(tracker, row)) {
		tracker->resync.rows++;
		tracker->resync.added += tracker->stats.sessions_seen - before;
	}
}

void fw_tracker_resync_end(struct fw_tracker *tracker, enum fw_resync_kind kind,
                           const struct fw_clock *now)
{
	struct tsession *s, *next;

	for (s = tracker->first; s; s = next) {
		next = s->next;
		if (s->pub.generation == tracker->generation)
			continue;
		if (!s->pub.teardown_reported) {
			enum fw_teardown_cause cause = FW_CAUSE_MISSED;

			if (kind == FW_RESYNC_RECONCILE && fw_session_expired(&s->pub, now))
				cause = fw_timeout_cause(s->pub.tcp_state);
			end_session(tracker, s, cause, now);
			tracker->resync.ended++;
		}
		remove_session(tracker, s);
	}
	tracker->in_resync = 0;
	fw_htable_clear(&tracker->destroyed, free_destroyed_node);
	tracker->stats.resyncs++;
	tracker->stats.last_resync = now->wall;
}

size_t fw_tracker_expire_phones(struct fw_tracker *tracker, const struct fw_clock *now)
{
	uint64_t retention_ms = (uint64_t)tracker->policy.phone_retention * 1000;
	size_t expired = 0;

	if (tracker->policy.phone_retention == 0)
		return 0;
	for (size_t i = 0; i <= tracker->phones.mask; i++) {
		struct fw_hnode **link = &tracker->phones.buckets[i];

		while (*link) {
			struct tphone *ph = container_of(*link, struct tphone, node);

			if (ph->sessions_held > 0 ||
			    now->mono_ms < ph->last_active_ms + retention_ms) {
				link = &(*link)->next;
				continue;
			}
			*link = (*link)->next;
			tracker->phones.count--;
			if (ph->pub.flap && ph->pub.flap->flapping) {
				/* an episode the phone's departure ends */
				ph->pub.flap->flapping = 0;
				tracker->stats.phones_flapping--;
				if (tracker->hooks.server_flap)
					tracker->hooks.server_flap(&ph->pub, 0, tracker->hooks.ctx);
			}
			if (tracker->hooks.phone_removed)
				tracker->hooks.phone_removed(&ph->pub, tracker->hooks.ctx);
			free_phone_node(&ph->node);
			expired++;
		}
	}
	return expired;
}

void fw_tracker_check_flaps(struct fw_tracker *tracker, const struct fw_clock *now)
{
	if (tracker->stats.phones_flapping == 0)
		return;
	for (size_t i = 0; i <= tracker->phones.mask; i++) {
		for (struct fw_hnode *n = tracker->phones.buckets[i]; n; n = n->next) {
			struct tphone *ph = container_of(n, struct tphone, node);

			if (!ph->pub.flap ||
			    fw_server_flap_tick(ph->pub.flap, &tracker->policy.flap,
			                        now->mono_ms) != FW_FLAP_CLEARED)
				continue;
			tracker->stats.phones_flapping--;
			if (tracker->hooks.server_flap)
				tracker->hooks.server_flap(&ph->pub, 0, tracker->hooks.ctx);
		}
	}
}

size_t fw_tracker_session_count(const struct fw_tracker *tracker)
{
	return tracker->sessions.count;
}

const struct fw_resync_summary *fw_tracker_resync_summary(const struct fw_tracker *tracker)
{
	return &tracker->resync;
}

const struct fw_tracker_stats *fw_tracker_stats(const struct fw_tracker *tracker)
{
	return &tracker->stats;
}
