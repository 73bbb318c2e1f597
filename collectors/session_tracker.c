/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "session_tracker.h"

#include <linux/netfilter/nf_conntrack_tcp.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/* The kernel only ever pushes expiry later; this covers event and timer jitter. */
#define EXPIRY_SLACK_MS 2000

#define DEFAULT_SIP_PORT 5061
#define MIN_BUCKETS      64
#define MIN_HISTORY      16

/* ---- a small intrusive hash table with chaining ---- */

struct hnode {
	struct hnode *next;
	uint64_t hash;
};

struct htable {
	struct hnode **buckets;
	size_t mask; /* bucket count - 1; the count is a power of two */
	size_t count;
};

static int htable_init(struct htable *t)
{
	t->buckets = calloc(MIN_BUCKETS, sizeof(*t->buckets));
	t->mask = MIN_BUCKETS - 1;
	t->count = 0;
	return t->buckets ? 0 : -1;
}

/* Doubling keeps chains short; if memory is short the table just stays denser. */
static void htable_grow(struct htable *t)
{
	size_t size = (t->mask + 1) * 2;
	struct hnode **buckets;

	if (size <= t->mask + 1)
		return;
	buckets = calloc(size, sizeof(*buckets));
	if (!buckets)
		return;
	for (size_t i = 0; i <= t->mask; i++) {
		struct hnode *n = t->buckets[i], *next;

		for (; n; n = next) {
			next = n->next;
			n->next = buckets[n->hash & (size - 1)];
			buckets[n->hash & (size - 1)] = n;
		}
	}
	free(t->buckets);
	t->buckets = buckets;
	t->mask = size - 1;
}

static void htable_insert(struct htable *t, struct hnode *n, uint64_t hash)
{
	n->hash = hash;
	n->next = t->buckets[hash & t->mask];
	t->buckets[hash & t->mask] = n;
	t->count++;
	if (t->count > t->mask + 1)
		htable_grow(t);
}

static void htable_remove(struct htable *t, struct hnode *n)
{
	struct hnode **link = &t->buckets[n->hash & t->mask];

	for (; *link; link = &(*link)->next) {
		if (*link == n) {
			*link = n->next;
			t->count--;
			return;
		}
	}
}

static struct hnode *htable_first(const struct htable *t, uint64_t hash)
{
	return t->buckets[hash & t->mask];
}

/* Calls free_node on every node and leaves the table empty (buckets kept). */
static void htable_clear(struct htable *t, void (*free_node)(struct hnode *))
{
	if (!t->buckets)
		return;
	for (size_t i = 0; i <= t->mask; i++) {
		struct hnode *n = t->buckets[i], *next;

		for (; n; n = next) {
			next = n->next;
			free_node(n);
		}
		t->buckets[i] = NULL;
	}
	t->count = 0;
}

static void htable_free(struct htable *t, void (*free_node)(struct hnode *))
{
	htable_clear(t, free_node);
	free(t->buckets);
	t->buckets = NULL;
}

/* FNV-1a with a per-tracker seed and a final mix, so crafted ports do not pile up in a chain. */
static uint64_t hash_bytes(uint64_t seed, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ull ^ seed;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

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
	struct hnode node;
	uint8_t had_teardown;    /* last_teardown_mono_ms is meaningful */
	uint32_t sessions_held;  /* tracked sessions pointing here, torn down or not */
	uint64_t last_active_ms; /* a session started or ended */
};

struct tsession {
	struct fw_session pub;
	struct hnode node;
	struct session_key key;
	struct tsession *prev, *next; /* all sessions, oldest first */
	struct tphone *phone;
};

/* A conntrack destroyed during the current resync: its stale dump row must not revive it. */
struct destroyed {
	struct hnode node;
	struct session_key key;
	uint32_t id;
};

struct fw_tracker {
	struct fw_session_policy policy;
	struct fw_tracker_hooks hooks;
	struct fw_tracker_stats stats;
	uint64_t seed;
	struct htable sessions;
	struct htable phones;
	struct htable destroyed;
	struct tsession *first, *last;
	unsigned generation;
	int in_resync;
	struct fw_resync_summary resync;
	/* teardown history: ring of cap slots, count of them used from head (the oldest) */
	struct fw_teardown *ring;
	size_t ring_cap, ring_head, ring_count;
	uint32_t next_index;
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
	return hash_bytes(t->seed, key, sizeof(*key));
}

static struct tsession *find_session(const struct fw_tracker *t, const struct session_key *key,
                                     uint64_t hash)
{
	for (struct hnode *n = htable_first(&t->sessions, hash); n; n = n->next) {
		struct tsession *s = container_of(n, struct tsession, node);

		if (n->hash == hash && memcmp(&s->key, key, sizeof(*key)) == 0)
			return s;
	}
	return NULL;
}

/* Zero is "no CTA_ID"; only two known, different ids tell two conntracks apart. */
static int ids_differ(uint32_t a, uint32_t b)
{
	return a != 0 && b != 0 && a != b;
}

static void free_phone_node(struct hnode *n)
{
	free(container_of(n, struct tphone, node));
}

static void free_destroyed_node(struct hnode *n)
{
	free(container_of(n, struct destroyed, node));
}

static void free_session_node(struct hnode *n)
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

static void expire_oldest(struct fw_tracker *t)
{
	const struct fw_teardown *oldest = &t->ring[t->ring_head];

	if (t->hooks.teardown_expired)
		t->hooks.teardown_expired(oldest, t->hooks.ctx);
	t->ring_head = (t->ring_head + 1) % t->ring_cap;
	t->ring_count--;
}

/* Moves the records, oldest first, into a buffer of new_cap slots. Returns 0 or -1. */
static int ring_resize(struct fw_tracker *t, size_t new_cap)
{
	struct fw_teardown *ring = NULL;

	if (new_cap < t->ring_count)
		return -1;
	if (new_cap > 0) {
		if (new_cap > SIZE_MAX / sizeof(*ring))
			return -1;
		ring = malloc(new_cap * sizeof(*ring));
		if (!ring)
			return -1;
		for (size_t i = 0; i < t->ring_count; i++)
			ring[i] = t->ring[(t->ring_head + i) % t->ring_cap];
	}
	free(t->ring);
	t->ring = ring;
	t->ring_cap = new_cap;
	t->ring_head = 0;
	return 0;
}

static void history_add(struct fw_tracker *t, struct fw_teardown *rec)
{
	size_t limit = t->policy.history_size;

	rec->index = t->next_index++;
	if (t->next_index == 0)
		t->next_index = 1;

	/* The buffer grows as records come, so a large history costs nothing until used. */
	if (t->ring_count == t->ring_cap && t->ring_cap < limit) {
		size_t want = t->ring_cap < MIN_HISTORY / 2 ? MIN_HISTORY : t->ring_cap * 2;

		if (want > limit || want < t->ring_cap)
			want = limit;
		if (ring_resize(t, want) < 0)
			fw_log(LOG_ERR, "tracker", "out of memory growing the teardown history");
	}
	if (limit == 0 || t->ring_cap == 0) {
		/* Nothing kept: the record is announced and leaves at once. */
		if (t->hooks.teardown)
			t->hooks.teardown(rec, t->hooks.ctx);
		if (t->hooks.teardown_expired)
			t->hooks.teardown_expired(rec, t->hooks.ctx);
		return;
	}
	while (t->ring_count > 0 && (t->ring_count >= limit || t->ring_count == t->ring_cap))
		expire_oldest(t);
	{
		struct fw_teardown *slot = &t->ring[(t->ring_head + t->ring_count) % t->ring_cap];

		*slot = *rec;
		t->ring_count++;
		if (t->hooks.teardown)
			t->hooks.teardown(slot, t->hooks.ctx);
	}
}

size_t fw_tracker_history_count(const struct fw_tracker *tracker)
{
	return tracker->ring_count;
}

const struct fw_teardown *fw_tracker_history_at(const struct fw_tracker *tracker, size_t i)
{
	if (i >= tracker->ring_count)
		return NULL;
	return &tracker->ring[(tracker->ring_head + i) % tracker->ring_cap];
}

/* ---- classification ---- */

static int expiry_passed(const struct fw_session *s, const struct fw_clock *now)
{
	uint64_t expiry = s->observed_mono_ms + (uint64_t)s->remaining * 1000;

	return expiry <= now->mono_ms + EXPIRY_SLACK_MS;
}

/* What a timeout in this state means for the phone. */
static enum fw_teardown_cause cause_by_state(uint8_t tcp_state)
{
	switch (tcp_state) {
	case TCP_CONNTRACK_ESTABLISHED:
		return FW_CAUSE_IDLE_TIMEOUT;
	case TCP_CONNTRACK_FIN_WAIT:
	case TCP_CONNTRACK_CLOSE_WAIT:
	case TCP_CONNTRACK_LAST_ACK:
		return FW_CAUSE_HALF_CLOSED_TIMEOUT;
	case TCP_CONNTRACK_TIME_WAIT:
		return FW_CAUSE_CLOSED;
	case TCP_CONNTRACK_CLOSE:
		return FW_CAUSE_RESET;
	default:
		return FW_CAUSE_OTHER;
	}
}

enum fw_teardown_cause fw_classify_teardown(const struct fw_session *session,
                                            const struct fw_ct_event *destroy,
                                            const struct fw_clock *now)
{
	if (destroy && destroy->portid != 0)
		return FW_CAUSE_FLUSHED;
	/*
	 * CLOSE is only reached through an RST and TIME_WAIT through FINs both
	 * ways; the kernel destroys an entry whose only answer was an RST at once,
	 * with no update before, so the final state in the DESTROY is the cause.
	 */
	if (destroy && destroy->has_tcp_state && destroy->tcp_state == TCP_CONNTRACK_CLOSE)
		return FW_CAUSE_RESET;
	if (destroy && destroy->has_tcp_state && destroy->tcp_state == TCP_CONNTRACK_TIME_WAIT)
		return FW_CAUSE_CLOSED;
	/* Packets only push expiry later: gone well before it, it was not a timeout. */
	if (!expiry_passed(session, now))
		return FW_CAUSE_OTHER;
	return cause_by_state(session->tcp_state);
}

const char *fw_teardown_cause_name(enum fw_teardown_cause cause)
{
	switch (cause) {
	case FW_CAUSE_RESET:
		return "reset";
	case FW_CAUSE_CLOSED:
		return "closed";
	case FW_CAUSE_IDLE_TIMEOUT:
		return "idleTimeout";
	case FW_CAUSE_HALF_CLOSED_TIMEOUT:
		return "halfClosedTimeout";
	case FW_CAUSE_FLUSHED:
		return "flushed";
	case FW_CAUSE_MISSED:
		return "missed";
	case FW_CAUSE_OTHER:
		return "other";
	}
	return "unknown";
}

/* ---- session lifecycle ---- */

static void end_session(struct fw_tracker *t, struct tsession *s, enum fw_teardown_cause cause,
                        const struct fw_clock *now)
{
	struct fw_phone *phone = &s->phone->pub;
	struct fw_teardown rec;
	time_t duration = now->wall - s->pub.start;

	if (cause < FW_CAUSE_RESET || cause > FW_CAUSE_OTHER)
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
	history_add(t, &rec);
}

/* Unlinks and frees a session; it must have been torn down (or the tracker is going away). */
static void remove_session(struct fw_tracker *t, struct tsession *s)
{
	htable_remove(&t->sessions, &s->node);
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

	if (ev->has_tcp_state)
		p->tcp_state = ev->tcp_state;
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
	hash = hash_bytes(t->seed, &key, sizeof(key));
	for (struct hnode *n = htable_first(&t->phones, hash); n; n = n->next) {
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
	htable_insert(&t->phones, &ph->node, hash);
	*created = 1;
	return ph;
}

static void add_session(struct fw_tracker *t, const struct fw_ct_event *ev,
                        const struct session_key *key, uint64_t hash, const struct fw_clock *now,
                        int is_row)
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
	s->key = *key;
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

	htable_insert(&t->sessions, &s->node, hash);
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
		phone->server_changes++;
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
	for (struct hnode *n = htable_first(&t->destroyed, hash); n; n = n->next) {
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
	htable_insert(&t->destroyed, &d->node, hash);
}

static int is_tcp_inet(const struct fw_ct_event *ev)
{
	return ev->orig.protocol == IPPROTO_TCP &&
	       (ev->orig.family == AF_INET || ev->orig.family == AF_INET6);
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
			add_session(t, ev, &key, hash, now, is_row);
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
		end_session(t, s, fw_classify_teardown(&s->pub, ev, now), now);
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
	t->seed = hash_bytes(0x9e3779b97f4a7c15ull, &t, sizeof(t));
	t->next_index = 1;
	if (htable_init(&t->sessions) < 0 || htable_init(&t->phones) < 0 ||
	    htable_init(&t->destroyed) < 0) {
		fw_tracker_free(t);
		return NULL;
	}
	return t;
}

void fw_tracker_free(struct fw_tracker *tracker)
{
	if (!tracker)
		return;
	htable_free(&tracker->sessions, free_session_node);
	htable_free(&tracker->phones, free_phone_node);
	htable_free(&tracker->destroyed, free_destroyed_node);
	free(tracker->ring);
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
	size_t limit;

	set_policy_fields(tracker, policy);
	drop_unwatched(tracker);
	limit = tracker->policy.history_size;
	while (tracker->ring_count > limit)
		expire_oldest(tracker);
	/* Give back what a smaller history no longer needs; keeping it is harmless if that fails.
	 */
	if (tracker->ring_cap > limit)
		(void)ring_resize(tracker, limit);
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
	htable_clear(&tracker->destroyed, free_destroyed_node);
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

			if (kind == FW_RESYNC_RECONCILE && expiry_passed(&s->pub, now))
				cause = cause_by_state(s->pub.tcp_state);
			end_session(tracker, s, cause, now);
			tracker->resync.ended++;
		}
		remove_session(tracker, s);
	}
	tracker->in_resync = 0;
	htable_clear(&tracker->destroyed, free_destroyed_node);
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
		struct hnode **link = &tracker->phones.buckets[i];

		while (*link) {
			struct tphone *ph = container_of(*link, struct tphone, node);

			if (ph->sessions_held > 0 ||
			    now->mono_ms < ph->last_active_ms + retention_ms) {
				link = &(*link)->next;
				continue;
			}
			*link = (*link)->next;
			tracker->phones.count--;
			if (tracker->hooks.phone_removed)
				tracker->hooks.phone_removed(&ph->pub, tracker->hooks.ctx);
			free(ph);
			expired++;
		}
	}
	return expired;
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
