/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "firewall_check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "session_status.h"
#include "sysctl_timeouts.h"

/* Where the fixes persist settings; any name under these directories works. */
#define SYSCTL_FILE   "/etc/sysctl.d/90-fwstate.conf"
#define MODULES_FILE  "/etc/modules-load.d/fwstate.conf"
#define NFT_FILE      "/etc/nftables.conf"
#define SESSIONS_LIST 10 /* more sessions than this that pass are summed up in one line */

static struct fw_check_finding *add(struct fw_check_report *r, enum fw_check_level level,
                                    const char *topic)
{
	struct fw_check_finding *f;

	if (r->count == r->capacity) {
		size_t capacity = r->capacity ? r->capacity * 2 : 32;
		struct fw_check_finding *items = realloc(r->items, capacity * sizeof(*items));

		if (!items)
			return NULL;
		r->items = items;
		r->capacity = capacity;
	}
	f = &r->items[r->count++];
	memset(f, 0, sizeof(*f));
	f->level = level;
	f->topic = topic;
	return f;
}

__attribute__((format(printf, 3, 4))) static void put(char *dst, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, len, fmt, ap);
	va_end(ap);
}

#define SUBJECT(f, ...) put((f)->subject, sizeof((f)->subject), __VA_ARGS__)
#define DETAIL(f, ...)  put((f)->detail, sizeof((f)->detail), __VA_ARGS__)

__attribute__((format(printf, 2, 3))) static void fix(struct fw_check_finding *f, const char *fmt,
                                                      ...)
{
	va_list ap;

	if (f->fix_count == FW_CHECK_FIX_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(f->fix[f->fix_count++], FW_CHECK_TEXT_MAX, fmt, ap);
	va_end(ap);
}

/* The lines that set a net.netfilter sysctl now and at every boot. */
static void fix_sysctl(struct fw_check_report *r, struct fw_check_finding *f, const char *file,
                       uint64_t value)
{
	fix(f, "sysctl -w net.netfilter.%s=%llu", file, (unsigned long long)value);
	fix(f, "echo 'net.netfilter.%s = %llu' >> " SYSCTL_FILE, file, (unsigned long long)value);
	/* systemd-sysctl runs before anything loads conntrack: load it first, or it is skipped */
	if (!r->boot_fix_given)
		fix(f, "echo nf_conntrack > " MODULES_FILE
		       "   (so that the net.netfilter settings exist when " SYSCTL_FILE
		       " is applied at boot)");
	r->boot_fix_given = 1;
}

/* ---- timeouts ---- */

static const char *protocol_word(uint8_t protocol)
{
	return protocol == IPPROTO_TCP ? "tcp" : protocol == IPPROTO_UDP ? "udp" : "?";
}

/* nft writes the kernel's "unacknowledged" as "unack". */
static const char *nft_state_word(const char *state)
{
	return strcmp(state, "unacknowledged") == 0 ? "unack" : state;
}

/*
 * What a policy takes for a state it leaves out: the sysctl of the state, or
 * for the one state without a sysctl (syn_sent2) the kernel's fixed 2 minutes
 * (nf_conntrack_proto_tcp.c). 0 when unknown.
 */
static uint32_t default_timeout(const struct fw_timeout_list *rows, uint8_t protocol,
                                const char *state)
{
	for (size_t i = 0; i < rows->count; i++)
		if (rows->rows[i].source == FW_SOURCE_SYSCTL &&
		    rows->rows[i].protocol == protocol && strcmp(rows->rows[i].state, state) == 0)
			return rows->rows[i].seconds;
	if (protocol == IPPROTO_TCP && strcmp(state, "syn_sent2") == 0)
		return 120;
	return 0;
}

/*
 * The states a replacement policy must list, "name: value" (nft) or
 * "name value" (nfct): every checked state, raised to the threshold, and
 * every other state that differs from the sysctl default, since a policy
 * takes the sysctl value for each state it leaves out.
 */
static void policy_states(const struct fw_check_input *in, const struct fw_timeout_row *of, int nft,
                          char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < in->timeouts->count; i++) {
		const struct fw_timeout_row *r = &in->timeouts->rows[i];
		int checked;
		uint32_t value;
		int n;

		if (r->source != of->source || r->protocol != of->protocol ||
		    strcmp(r->source_name, of->source_name) != 0)
			continue;
		checked = fw_check_policy_covers(in->policy, r);
		if (!checked && default_timeout(in->timeouts, r->protocol, r->state) == r->seconds)
			continue;
		value = checked && r->seconds < in->threshold ? in->threshold : r->seconds;
		n = nft ? snprintf(out + used, len - used, "%s%s: %u", used ? ", " : "",
		                   nft_state_word(r->state), value)
		        : snprintf(out + used, len - used, "%s%s %u", used ? " " : "", r->state,
		                   value);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

static const char *nft_l3proto_word(uint16_t l3proto)
{
	switch (l3proto) {
	case NFPROTO_IPV4:
		return "ip";
	case NFPROTO_IPV6:
		return "ip6";
	case NFPROTO_INET:
		return "inet";
	}
	return NULL;
}

static void fix_nft(struct fw_check_finding *f, const struct fw_check_input *in,
                    const struct fw_timeout_row *row)
{
	char family[16] = "", table[FW_SOURCE_NAME_MAX + 1] = "",
	     object[FW_SOURCE_NAME_MAX + 1] = "";
	char states[FW_CHECK_TEXT_MAX / 2];
	const char *l3 = nft_l3proto_word(row->l3proto);

	/* the source name is "<family> <table> <object>" */
	if (sscanf(row->source_name, "%15s %80s %80s", family, table, object) != 3)
		return;
	policy_states(in, row, 1, states, sizeof(states));
	fix(f,
	    "in the ruleset file (e.g. " NFT_FILE
	    "): table %s %s { ct timeout %s { protocol %s;%s%s%s "
	    "policy = { %s }; }; }",
	    family, table, object, protocol_word(row->protocol), l3 ? " l3proto " : "",
	    l3 ? l3 : "", l3 ? ";" : "", states);
	fix(f, "nft -f " NFT_FILE "   (a whole reload: 'nft add ct timeout' leaves an existing "
	       "object unchanged, and one in use cannot be deleted)");
}

static void fix_cttimeout(struct fw_check_finding *f, const struct fw_check_input *in,
                          const struct fw_timeout_row *row)
{
	char states[FW_CHECK_TEXT_MAX / 2];
	const char *l3 = row->l3proto == AF_INET6 ? "inet6" : "inet";

	policy_states(in, row, 0, states, sizeof(states));
	fix(f, "nfct timeout add %s-%u %s %s %s", row->source_name, in->threshold, l3,
	    protocol_word(row->protocol), states);
	fix(f,
	    "attach %s-%u where %s is attached now (iptables ... -j CT --timeout %s-%u, or nft ct "
	    "timeout set), then: nfct timeout delete %s   (a policy in use cannot be changed)",
	    row->source_name, in->threshold, row->source_name, row->source_name, in->threshold,
	    row->source_name);
}

static void check_timeout_row(const struct fw_check_input *in, const struct fw_timeout_row *row,
                              struct fw_check_report *r, struct fw_check_finding *f)
{
	char file[64];
	int below = row->seconds < in->threshold;

	switch (row->source) {
	case FW_SOURCE_SYSCTL:
		if (fw_sysctl_timeout_name(row->protocol, row->state, file, sizeof(file)) < 0)
			snprintf(file, sizeof(file), "%s %s", protocol_word(row->protocol),
			         row->state);
		SUBJECT(f, "sysctl net.netfilter.%s", file);
		break;
	case FW_SOURCE_NFT:
		SUBJECT(f, "nft ct timeout %s, %s %s", row->source_name,
		        protocol_word(row->protocol), row->state);
		break;
	case FW_SOURCE_CTTIMEOUT:
		SUBJECT(f, "cttimeout policy %s, %s %s", row->source_name,
		        protocol_word(row->protocol), row->state);
		break;
	}
	if (!below) {
		DETAIL(f, "%u s, at least the threshold of %u s", row->seconds, in->threshold);
		return;
	}
	f->level = FW_CHECK_FAIL;
	DETAIL(f,
	       "%u s, below the threshold of %u s: conntrack forgets a connection in %s %s after "
	       "%u s without packets, and a SIP-over-TLS phone on it loses its registration",
	       row->seconds, in->threshold, protocol_word(row->protocol), row->state, row->seconds);
	switch (row->source) {
	case FW_SOURCE_SYSCTL:
		fix_sysctl(r, f, file, in->threshold);
		break;
	case FW_SOURCE_NFT:
		fix_nft(f, in, row);
		break;
	case FW_SOURCE_CTTIMEOUT:
		fix_cttimeout(f, in, row);
		break;
	}
}

static const char *source_module(enum fw_timeout_source source)
{
	const char *module = fw_source_module(source);

	return module ? module : "nf_conntrack";
}

static const char *source_objects(enum fw_timeout_source source)
{
	return source == FW_SOURCE_NFT         ? "nft ct timeout objects"
	       : source == FW_SOURCE_CTTIMEOUT ? "cttimeout policies"
	                                       : "conntrack timeout sysctls";
}

static int check_source(const struct fw_check_input *in, enum fw_timeout_source source,
                        struct fw_check_report *r)
{
	const struct fw_source_status *st = &in->read->status[source];
	size_t rows = fw_timeout_list_count_source(in->timeouts, source);
	struct fw_check_finding *f;

	if (!in->in_use[source]) {
		if (!(f = add(r, FW_CHECK_INFO, "source")))
			return -1;
		SUBJECT(f, "%s", source_objects(source));
		DETAIL(f, "none: %s is not loaded, so none can apply", source_module(source));
		return 0;
	}
	if (!st->ok) {
		if (!(f = add(r, FW_CHECK_UNCHECKED, "source")))
			return -1;
		SUBJECT(f, "%s", source_objects(source));
		if (source == FW_SOURCE_SYSCTL)
			DETAIL(f,
			       "not readable (%s): conntrack is not active in this network "
			       "namespace, so it holds no connection state to check",
			       st->last_error);
		else
			DETAIL(f, "not readable: %s", st->last_error);
		return 0;
	}
	if (rows == 0 && source != FW_SOURCE_SYSCTL) {
		if (!(f = add(r, FW_CHECK_INFO, "source")))
			return -1;
		SUBJECT(f, "%s", source_objects(source));
		DETAIL(f, "none defined");
		return 0;
	}
	for (size_t i = 0; i < in->timeouts->count; i++) {
		const struct fw_timeout_row *row = &in->timeouts->rows[i];

		if (row->source != source || !fw_check_policy_covers(in->policy, row))
			continue;
		if (!(f = add(r, FW_CHECK_PASS, "timeout")))
			return -1;
		check_timeout_row(in, row, r, f);
	}
	return 0;
}

/* ---- conntrack settings ---- */

static int check_flag(struct fw_check_report *r, const char *topic, const char *file, int64_t value,
                      const char *on, const char *off)
{
	struct fw_check_finding *f = add(r, value == 1 ? FW_CHECK_PASS : FW_CHECK_WARN, topic);

	if (!f)
		return -1;
	SUBJECT(f, "sysctl net.netfilter.%s", file);
	if (value < 0) {
		f->level = FW_CHECK_INFO;
		DETAIL(f, "not available in this kernel");
		return 0;
	}
	DETAIL(f, "%lld: %s", (long long)value, value == 1 ? on : off);
	if (value != 1)
		fix_sysctl(r, f, file, 1);
	return 0;
}

static int check_events(const struct fw_check_input *in, struct fw_check_report *r)
{
	int64_t v = in->sysctls.events;

	return check_flag(
	    r, "events", "nf_conntrack_events", v,
	    "every connection reports its changes and its end as they happen",
	    v == 0 ? "no conntrack events at all: fwstate-agent sees sessions and their ends only "
	             "in its periodic dumps, classified from their last state"
	           : "connections opened before a listener (fwstate-agent) started report nothing; "
	             "their ends are found only by the periodic dump");
}

static int check_table_size(const struct fw_check_input *in, struct fw_check_report *r)
{
	int64_t count = in->sysctls.count, max = in->sysctls.max;
	struct fw_check_finding *f = add(r, FW_CHECK_PASS, "table");

	if (!f)
		return -1;
	SUBJECT(f, "conntrack table (net.netfilter.nf_conntrack_count of nf_conntrack_max)");
	if (count < 0 || max <= 0) {
		f->level = FW_CHECK_INFO;
		DETAIL(f, "size not readable");
		return 0;
	}
	if (count >= max) {
		f->level = FW_CHECK_FAIL;
		DETAIL(f,
		       "%lld of %lld entries: full; the kernel drops new connections (and "
		       "reconnecting phones) and evicts entries early",
		       (long long)count, (long long)max);
	} else if (count * 10 >= max * 9) {
		f->level = FW_CHECK_WARN;
		DETAIL(f, "%lld of %lld entries: over 90%% full", (long long)count, (long long)max);
	} else {
		DETAIL(f, "%lld of %lld entries", (long long)count, (long long)max);
		return 0;
	}
	fix_sysctl(r, f, "nf_conntrack_max", (uint64_t)max * 2);
	return 0;
}

/* ---- sessions ---- */

static void endpoint(char *buf, size_t len, uint8_t family, const uint8_t *addr, uint16_t port)
{
	char text[INET6_ADDRSTRLEN] = "?";

	inet_ntop(family, addr, text, sizeof(text));
	snprintf(buf, len, family == AF_INET6 ? "[%s]:%u" : "%s:%u", text, port);
}

static void session_subject(struct fw_check_finding *f, const struct fw_session *s)
{
	char phone[64], server[64];

	endpoint(phone, sizeof(phone), s->orig.family, s->orig.src, s->orig.sport);
	endpoint(server, sizeof(server), s->orig.family, s->orig.dst, s->orig.dport);
	if (s->zone)
		SUBJECT(f, "session %s -> %s, zone %u", phone, server, s->zone);
	else
		SUBJECT(f, "session %s -> %s", phone, server);
}

/*
 * An established timeout below the threshold that may be the one armed for a
 * session with `left` seconds to go (one at least that long): the closest.
 */
static const struct fw_timeout_row *short_candidate(const struct fw_check_input *in, uint32_t left)
{
	const struct fw_timeout_row *best = NULL;

	for (size_t i = 0; i < in->timeouts->count; i++) {
		const struct fw_timeout_row *r = &in->timeouts->rows[i];

		if (r->protocol != IPPROTO_TCP || strcmp(r->state, "established") != 0 ||
		    r->seconds >= in->threshold || r->seconds < left)
			continue;
		if (!best || r->seconds < best->seconds)
			best = r;
	}
	return best;
}

/* The timeout conntrack arms instead while data goes unacknowledged. */
static uint32_t retransmission_timeout(const struct fw_check_input *in)
{
	uint32_t retrans = default_timeout(in->timeouts, IPPROTO_TCP, "retrans");
	uint32_t unack = default_timeout(in->timeouts, IPPROTO_TCP, "unacknowledged");

	return retrans > unack ? retrans : unack;
}

/*
 * A dump shows the time left, not the timeout armed after the last packet:
 * that is at least what is left, and one of the established timeouts that
 * can apply (the sysctl, a policy), or the retransmission one. Returns 1 for
 * a session that passes (listed only when list_passing), 0 for one that
 * warns, -1 when memory ran out.
 */
static int check_session(const struct fw_check_input *in, const struct fw_session *s,
                         struct fw_check_report *r, int list_passing)
{
	uint32_t left = fw_session_remaining(s, &in->now);
	const struct fw_timeout_row *shorter = NULL;
	struct fw_check_finding *f;
	int passes = 0;

	if (s->tcp_state == TCP_CONNTRACK_ESTABLISHED) {
		shorter = left < in->threshold ? short_candidate(in, left) : NULL;
		passes = left >= in->threshold || (!shorter && left > retransmission_timeout(in));
	}
	if (passes) {
		if (!list_passing)
			return 1;
		if (!(f = add(r, FW_CHECK_PASS, "session")))
			return -1;
		session_subject(f, s);
		DETAIL(f,
		       "established, %u s left; every idle timeout that can apply to it is at "
		       "least %u s",
		       left, in->threshold);
		return 1;
	}
	if (!(f = add(r, FW_CHECK_WARN, "session")))
		return -1;
	session_subject(f, s);
	switch (s->tcp_state) {
	case TCP_CONNTRACK_ESTABLISHED:
		if (shorter)
			DETAIL(f,
			       "established, %u s left: it may be held by %s %s, whose established "
			       "timeout is %u s",
			       left,
			       shorter->source == FW_SOURCE_SYSCTL ? "the sysctl"
			       : shorter->source == FW_SOURCE_NFT  ? "nft ct timeout"
			                                           : "cttimeout policy",
			       shorter->source == FW_SOURCE_SYSCTL ? "established"
			                                           : shorter->source_name,
			       shorter->seconds);
		else
			DETAIL(
			    f,
			    "established, but conntrack forgets it in %u s unless a packet comes: "
			    "the server does not acknowledge what the phone sends (conntrack then "
			    "uses the retrans and unacknowledged timeouts)",
			    left);
		break;
	case TCP_CONNTRACK_FIN_WAIT:
	case TCP_CONNTRACK_CLOSE_WAIT:
	case TCP_CONNTRACK_LAST_ACK:
		DETAIL(f,
		       "half-closed (%s): one side has closed it, it ends in %u s; the phone "
		       "reconnects to register again",
		       fw_tcp_state_label(s->tcp_state), left);
		break;
	default:
		f->level = FW_CHECK_INFO;
		DETAIL(f, "%s, %u s left", fw_tcp_state_label(s->tcp_state), left);
	}
	return 0;
}

static void port_list(const struct fw_check_input *in, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < in->sip_port_count; i++) {
		int n = snprintf(buf + used, len - used, "%s%u", i ? ", " : "", in->sip_ports[i]);

		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

/* Phones whose DNS flows go to a flagged resolver: WARN each, with the fix. */
static int check_resolvers(const struct fw_check_input *in, struct fw_check_report *r)
{
	struct fw_check_finding *f;
	size_t flagged = 0;

	if (!in->resolvers_checked)
		return 0;
	for (size_t i = 0; i < in->resolver_pair_count; i++) {
		const struct fw_phone_resolver *p = in->resolver_pairs[i];
		char phone[INET6_ADDRSTRLEN] = "?", resolver[INET6_ADDRSTRLEN] = "?";

		if (p->resolver->verdict != FW_RESOLVER_FLAGGED)
			continue;
		flagged++;
		if (!(f = add(r, FW_CHECK_WARN, "resolvers")))
			return -1;
		inet_ntop(p->phone_family, p->phone_addr, phone, sizeof(phone));
		inet_ntop(p->resolver->family, p->resolver->addr, resolver, sizeof(resolver));
		SUBJECT(f, "phone %s", phone);
		DETAIL(f,
		       "asks the flagged resolver %s: a public resolver answers from its own "
		       "location, and the provider's DNS may send the phone to the wrong data "
		       "centre",
		       resolver);
		fix(f, "give the phones the provider's DNS servers: DHCP option 6 on the phone "
		       "VLAN, or the phones' DNS setting");
		fix(f, "list those servers in allowedResolver");
	}
	if (flagged == 0) {
		if (!(f = add(r, FW_CHECK_PASS, "resolvers")))
			return -1;
		SUBJECT(f, "the phones' DNS resolvers");
		DETAIL(f, in->resolver_pair_count ? "no phone asks a flagged resolver now"
		                                  : "no DNS flow of a phone now");
	}
	return 0;
}

static int check_sessions(const struct fw_check_input *in, struct fw_check_report *r)
{
	int list_passing = in->session_count <= SESSIONS_LIST;
	size_t passing = 0;
	struct fw_check_finding *f;
	char ports[128];

	port_list(in, ports, sizeof(ports));
	if (!in->sessions_checked) {
		if (!(f = add(r, in->sessions_error ? FW_CHECK_UNCHECKED : FW_CHECK_INFO,
		              "sessions")))
			return -1;
		SUBJECT(f, "SIP-TLS sessions (TCP to port %s)", ports);
		DETAIL(f, "%s",
		       in->sessions_error ? in->sessions_error : "not checked: sessionTracking no");
		return 0;
	}
	if (in->session_count == 0) {
		if (!(f = add(r, FW_CHECK_INFO, "sessions")))
			return -1;
		SUBJECT(f, "SIP-TLS sessions (TCP to port %s)", ports);
		DETAIL(f, "none through this firewall now");
		return 0;
	}
	for (size_t i = 0; i < in->session_count; i++) {
		int rc = check_session(in, in->sessions[i], r, list_passing);

		if (rc < 0)
			return -1;
		passing += (size_t)rc;
	}
	if (!list_passing && passing > 0) {
		if (!(f = add(r, FW_CHECK_PASS, "sessions")))
			return -1;
		SUBJECT(f, "SIP-TLS sessions (TCP to port %s)", ports);
		DETAIL(f, "%zu of %zu established with an idle timeout of at least %u s", passing,
		       in->session_count, in->threshold);
	}
	return 0;
}

int fw_check_run(const struct fw_check_input *in, struct fw_check_report *report)
{
	static const enum fw_timeout_source sources[] = {FW_SOURCE_SYSCTL, FW_SOURCE_CTTIMEOUT,
	                                                 FW_SOURCE_NFT};

	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (check_source(in, sources[i], report) < 0)
			return -1;
	/* without conntrack in the namespace the rest has nothing to look at */
	if (!in->read->status[FW_SOURCE_SYSCTL].ok)
		return 0;
	if (check_events(in, report) < 0 ||
	    check_flag(report, "accounting", "nf_conntrack_acct", in->sysctls.acct,
	               "sessions have packet and byte counters",
	               "sessions have no packet and byte counters (fwStateSessionTable shows 0)") <
	        0 ||
	    check_flag(report, "timestamps", "nf_conntrack_timestamp", in->sysctls.timestamp,
	               "sessions carry the time they started",
	               "sessions carry no start time: their age counts from when fwstate-agent "
	               "first saw them") < 0 ||
	    check_table_size(in, report) < 0)
		return -1;
	if (check_sessions(in, report) < 0)
		return -1;
	return check_resolvers(in, report);
}

size_t fw_check_count(const struct fw_check_report *report, enum fw_check_level level)
{
	size_t n = 0;

	for (size_t i = 0; i < report->count; i++)
		n += report->items[i].level == level;
	return n;
}

int fw_check_exit_status(const struct fw_check_report *report)
{
	if (fw_check_count(report, FW_CHECK_FAIL))
		return 1;
	return fw_check_count(report, FW_CHECK_UNCHECKED) ? 2 : 0;
}

void fw_check_report_free(struct fw_check_report *report)
{
	free(report->items);
	report->items = NULL;
	report->count = report->capacity = 0;
}

const char *fw_check_level_name(enum fw_check_level level)
{
	switch (level) {
	case FW_CHECK_PASS:
		return "PASS";
	case FW_CHECK_INFO:
		return "INFO";
	case FW_CHECK_WARN:
		return "WARN";
	case FW_CHECK_FAIL:
		return "FAIL";
	case FW_CHECK_UNCHECKED:
		return "UNCHECKED";
	}
	return "?";
}
