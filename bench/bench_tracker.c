/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_tracker: the session tracker fed with synthetic conntrack events, no
 * kernel involved. For each N: N sessions are created (NEW in SYN_SENT),
 * established, updated a few rounds, resynchronised from a dump of N rows and
 * destroyed; every phase prints ns/event and events/s (best of -r runs), and
 * the allocator's bytes per live session. The anchor, in the same run: the
 * cost of fw_ct_parse on messages laid out like the kernel's, and parse plus
 * tracking from netlink bytes for one update round.
 *
 *   bench_tracker [-n N[,N...]] [-r RUNS] [-u UPDATE_ROUNDS] [-i PARSE_ITERATIONS]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "ct_event.h"
#include "ct_msg.h"
#include "session_tracker.h"

#define MAX_SIZES     8
#define MSG_SLOT      512 /* room for one built message; ct_msg_build needs this much */
#define ESTABLISHED_S 7200
#define SYN_SENT_S    120
#define STATUS_EST    (IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED)

enum phase {
	PHASE_NEW,
	PHASE_ESTABLISH,
	PHASE_UPDATE,
	PHASE_PARSE_UPDATE,
	PHASE_RESYNC,
	PHASE_DESTROY,
	PHASE_COUNT,
};

static const char *const phase_names[PHASE_COUNT] = {
    [PHASE_NEW] = "NEW (SYN_SENT)",
    [PHASE_ESTABLISH] = "UPDATE to ESTABLISHED",
    [PHASE_UPDATE] = "periodic UPDATE",
    [PHASE_PARSE_UPDATE] = "periodic UPDATE, parse+track",
    [PHASE_RESYNC] = "resync (begin, N rows, end)",
    [PHASE_DESTROY] = "DESTROY",
};

struct hook_counts {
	uint64_t added, removed, phones, teardowns, expired, below;
};

struct run_result {
	uint64_t events[PHASE_COUNT];
	uint64_t ns[PHASE_COUNT];
	size_t heap_live;     /* allocator bytes in use with N sessions live */
	size_t heap_retained; /* still in use after every session was destroyed */
	long rss_live_kib;    /* VmRSS growth with N sessions live */
	size_t phones;
	size_t history;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static long vm_rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* Hooks that do what the agent's do cheaply (count), so only the tracker is measured. */
static void on_added(struct fw_session *s, void *ctx)
{
	(void)s;
	((struct hook_counts *)ctx)->added++;
}

static void on_removed(struct fw_session *s, void *ctx)
{
	(void)s;
	((struct hook_counts *)ctx)->removed++;
}

static void on_phone(struct fw_phone *p, void *ctx)
{
	(void)p;
	((struct hook_counts *)ctx)->phones++;
}

static void on_teardown(const struct fw_teardown *t, void *ctx)
{
	(void)t;
	((struct hook_counts *)ctx)->teardowns++;
}

static void on_expired(const struct fw_teardown *t, void *ctx)
{
	(void)t;
	((struct hook_counts *)ctx)->expired++;
}

static void on_below(const struct fw_session *s, uint32_t threshold, void *ctx)
{
	(void)s;
	(void)threshold;
	((struct hook_counts *)ctx)->below++;
}

/*
 * Session i: phone 2001:db8:1::/64 + i (one phone per session, as SIP-TLS
 * phones keep one connection each) to the server 2001:db8:2::10 port 5061.
 */
static void session_tuple(size_t i, struct fw_ct_tuple *t)
{
	static const uint8_t phone_net[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0};
	static const uint8_t server[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0,
	                                   0,    0,    0,    0,    0, 0, 0, 0x10};
	uint32_t host = htonl((uint32_t)i + 1);

	memset(t, 0, sizeof(*t));
	t->family = AF_INET6;
	t->protocol = IPPROTO_TCP;
	memcpy(t->src, phone_net, sizeof(phone_net));
	memcpy(t->src + 12, &host, sizeof(host));
	memcpy(t->dst, server, sizeof(server));
	t->sport = (uint16_t)(1024 + i % 60000);
	t->dport = 5061;
}

static void reverse_tuple(const struct fw_ct_tuple *o, struct fw_ct_tuple *r)
{
	*r = *o;
	memcpy(r->src, o->dst, sizeof(r->src));
	memcpy(r->dst, o->src, sizeof(r->dst));
	r->sport = o->dport;
	r->dport = o->sport;
}

static void make_event(struct fw_ct_event *ev, size_t i, enum fw_ct_kind kind, uint8_t state,
                       uint32_t timeout, unsigned round)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->id = (uint32_t)i + 1;
	session_tuple(i, &ev->orig);
	reverse_tuple(&ev->orig, &ev->reply);
	ev->status = state == TCP_CONNTRACK_SYN_SENT ? IPS_CONFIRMED : STATUS_EST;
	if (kind != FW_CT_DESTROY) {
		ev->has_tcp_state = 1;
		ev->tcp_state = state;
		ev->has_timeout = 1;
		ev->timeout = timeout;
	}
	ev->has_counters = 1;
	ev->orig_packets = ev->reply_packets = 4 + 10ull * round;
	ev->orig_bytes = ev->reply_bytes = 900 + 4000ull * round;
}

/* The same update as a kernel message, for the parse+track phase. */
static size_t make_update_msg(void *buf, size_t i, unsigned round)
{
	struct ct_msg_spec spec;

	memset(&spec, 0, sizeof(spec));
	spec.msg_type = IPCTNL_MSG_CT_NEW;
	session_tuple(i, &spec.orig);
	spec.status = STATUS_EST;
	spec.has_timeout = 1;
	spec.timeout = ESTABLISHED_S - round;
	spec.has_state = 1;
	spec.tcp_state = TCP_CONNTRACK_ESTABLISHED;
	spec.tcp_details = 1;
	spec.has_counters = 1;
	spec.orig_packets = spec.reply_packets = 4 + 10ull * round;
	spec.orig_bytes = spec.reply_bytes = 900 + 4000ull * round;
	spec.has_id = 1;
	spec.id = (uint32_t)i + 1;
	return ct_msg_build(buf, MSG_SLOT, &spec);
}

static void tick(struct fw_clock *clock, unsigned seconds)
{
	clock->wall += seconds;
	clock->mono_ms += (uint64_t)seconds * 1000;
}

static void fill(struct fw_ct_event *events, size_t n, enum fw_ct_kind kind, uint8_t state,
                 uint32_t timeout, unsigned round)
{
	for (size_t i = 0; i < n; i++)
		make_event(&events[i], i, kind, state, timeout, round);
}

static void feed(struct fw_tracker *t, const struct fw_ct_event *events, size_t n,
                 const struct fw_clock *clock, struct run_result *r, enum phase phase)
{
	uint64_t start = now_ns();

	for (size_t i = 0; i < n; i++)
		fw_tracker_event(t, &events[i], clock);
	r->ns[phase] += now_ns() - start;
	r->events[phase] += n;
}

static int run_once(size_t n, unsigned rounds, struct fw_ct_event *events, char *msgs,
                    struct run_result *r)
{
	struct hook_counts counts = {0};
	struct fw_tracker_hooks hooks = {
	    .session_added = on_added,
	    .session_removed = on_removed,
	    .phone_added = on_phone,
	    .teardown = on_teardown,
	    .teardown_expired = on_expired,
	    .timeout_below = on_below,
	    .ctx = &counts,
	};
	struct fw_session_policy policy;
	struct fw_clock clock = {.wall = 1700000000, .mono_ms = 1000000};
	struct fw_tracker *t;
	size_t heap_base;
	long rss_base;
	uint64_t start;

	memset(r, 0, sizeof(*r));
	memset(&policy, 0, sizeof(policy));
	policy.threshold = 660;
	policy.reconnect_window = 120;
	policy.history_size = 1000;

	heap_base = heap_in_use();
	rss_base = vm_rss_kib();
	t = fw_tracker_new(&policy, &hooks);
	if (!t)
		return -1;

	fill(events, n, FW_CT_NEW, TCP_CONNTRACK_SYN_SENT, SYN_SENT_S, 0);
	feed(t, events, n, &clock, r, PHASE_NEW);
	tick(&clock, 1);
	fill(events, n, FW_CT_UPDATE, TCP_CONNTRACK_ESTABLISHED, ESTABLISHED_S, 0);
	feed(t, events, n, &clock, r, PHASE_ESTABLISH);
	r->heap_live = heap_in_use() - heap_base;
	r->rss_live_kib = vm_rss_kib() - rss_base;

	for (unsigned round = 1; round <= rounds; round++) {
		tick(&clock, 30);
		fill(events, n, FW_CT_UPDATE, TCP_CONNTRACK_ESTABLISHED, ESTABLISHED_S - round,
		     round);
		feed(t, events, n, &clock, r, PHASE_UPDATE);
	}

	/* One more round from netlink bytes: what the agent pays per event before its tables. */
	tick(&clock, 30);
	for (size_t i = 0; i < n; i++)
		if (make_update_msg(msgs + i * MSG_SLOT, i, rounds + 1) == 0)
			return -1;
	start = now_ns();
	for (size_t i = 0; i < n; i++) {
		struct fw_ct_event ev;
		char error[256];
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(msgs + i * MSG_SLOT);

		if (fw_ct_parse(nlh, nlh->nlmsg_len, &ev, error, sizeof(error)) == 1)
			fw_tracker_event(t, &ev, &clock);
	}
	r->ns[PHASE_PARSE_UPDATE] = now_ns() - start;
	r->events[PHASE_PARSE_UPDATE] = n;

	/* A reconcile where every session is still in the dump. */
	tick(&clock, 30);
	fill(events, n, FW_CT_UPDATE, TCP_CONNTRACK_ESTABLISHED, ESTABLISHED_S - 200, rounds + 2);
	start = now_ns();
	fw_tracker_resync_begin(t);
	for (size_t i = 0; i < n; i++)
		fw_tracker_resync_row(t, &events[i], &clock);
	fw_tracker_resync_end(t, FW_RESYNC_RECONCILE, &clock);
	r->ns[PHASE_RESYNC] = now_ns() - start;
	r->events[PHASE_RESYNC] = n;

	tick(&clock, 60);
	fill(events, n, FW_CT_DESTROY, 0, 0, rounds + 3);
	feed(t, events, n, &clock, r, PHASE_DESTROY);
	r->heap_retained = heap_in_use() - heap_base;
	r->phones = counts.phones;
	r->history = fw_tracker_history_count(t);

	if (counts.added != n || counts.removed != n || fw_tracker_session_count(t) != 0) {
		fprintf(stderr,
		        "bench_tracker: unexpected tracker state (added %llu, removed %llu)\n",
		        (unsigned long long)counts.added, (unsigned long long)counts.removed);
		fw_tracker_free(t);
		return -1;
	}
	fw_tracker_free(t);
	return 0;
}

static void rate(char *buf, size_t len, double per_s)
{
	if (per_s >= 1e6)
		snprintf(buf, len, "%.2f M/s", per_s / 1e6);
	else
		snprintf(buf, len, "%.1f k/s", per_s / 1e3);
}

static int bench_tracker(size_t n, unsigned runs, unsigned rounds)
{
	struct fw_ct_event *events = calloc(n, sizeof(*events));
	char *msgs = aligned_alloc(64, n * MSG_SLOT);
	struct run_result best = {0}, r;
	int ret = -1;

	if (!events || !msgs) {
		fprintf(stderr, "bench_tracker: out of memory for N = %zu\n", n);
		goto out;
	}
	/* Touch the buffers so their first use is not what gets measured (time nor VmRSS). */
	memset(events, 0, n * sizeof(*events));
	memset(msgs, 0, n * MSG_SLOT);
	for (unsigned run = 0; run < runs; run++) {
		if (run_once(n, rounds, events, msgs, &r) < 0)
			goto out;
		if (run == 0) {
			best = r;
			continue;
		}
		for (int p = 0; p < PHASE_COUNT; p++)
			if (r.ns[p] < best.ns[p])
				best.ns[p] = r.ns[p];
	}

	printf("\ntracker, N = %zu sessions (IPv6, one phone each), best of %u runs\n", n, runs);
	printf("  %-32s %10s %10s %12s\n", "phase", "events", "ns/event", "events/s");
	for (int p = 0; p < PHASE_COUNT; p++) {
		double ns = (double)best.ns[p] / (double)best.events[p];
		char per_s[32];

		rate(per_s, sizeof(per_s), 1e9 / ns);
		printf("  %-32s %10llu %10.1f %12s\n", phase_names[p],
		       (unsigned long long)best.events[p], ns, per_s);
	}
	printf("  memory with %zu live sessions: %.0f B/session (allocator, mallinfo2), "
	       "VmRSS +%ld KiB (%.0f B/session)\n",
	       n, (double)best.heap_live / (double)n, best.rss_live_kib,
	       (double)best.rss_live_kib * 1024.0 / (double)n);
	printf("  after every session was destroyed: %.0f B still allocated per phone seen "
	       "(%zu phones kept, %zu teardown records)\n",
	       (double)best.heap_retained / (double)best.phones, best.phones, best.history);
	ret = 0;
out:
	free(events);
	free(msgs);
	return ret;
}

/* ---- fw_ct_parse anchor ---- */

struct parse_case {
	const char *label;
	struct ct_msg_spec spec;
};

static void v4_tuple(struct fw_ct_tuple *t)
{
	static const uint8_t phone[4] = {192, 0, 2, 10}, server[4] = {198, 51, 100, 10};

	memset(t, 0, sizeof(*t));
	t->family = AF_INET;
	t->protocol = IPPROTO_TCP;
	memcpy(t->src, phone, 4);
	memcpy(t->dst, server, 4);
	t->sport = 40000;
	t->dport = 5061;
}

static int bench_parse(unsigned long iterations, unsigned runs)
{
	struct parse_case cases[4];
	union {
		char bytes[MSG_SLOT];
		uint32_t align;
	} buf;

	memset(cases, 0, sizeof(cases));
	cases[0].label = "event NEW, IPv4, SYN_SENT";
	cases[0].spec.msg_type = IPCTNL_MSG_CT_NEW;
	cases[0].spec.nl_flags = NLM_F_CREATE | NLM_F_EXCL;
	v4_tuple(&cases[0].spec.orig);
	cases[0].spec.status = IPS_CONFIRMED;
	cases[0].spec.has_timeout = 1;
	cases[0].spec.timeout = SYN_SENT_S;
	cases[0].spec.has_state = 1;
	cases[0].spec.tcp_state = TCP_CONNTRACK_SYN_SENT;
	cases[0].spec.tcp_details = 1;
	cases[0].spec.has_id = 1;
	cases[0].spec.id = 0x12345678;

	cases[1] = cases[0];
	cases[1].label = "event UPDATE, IPv6, ESTABLISHED";
	cases[1].spec.nl_flags = 0;
	session_tuple(41, &cases[1].spec.orig);
	cases[1].spec.status = STATUS_EST;
	cases[1].spec.timeout = ESTABLISHED_S;
	cases[1].spec.tcp_state = TCP_CONNTRACK_ESTABLISHED;

	cases[2] = cases[0];
	cases[2].label = "dump row, IPv4, counters+timestamp";
	cases[2].spec.nl_flags = NLM_F_MULTI;
	cases[2].spec.status = STATUS_EST;
	cases[2].spec.timeout = ESTABLISHED_S;
	cases[2].spec.tcp_state = TCP_CONNTRACK_ESTABLISHED;
	cases[2].spec.has_counters = 1;
	cases[2].spec.orig_packets = cases[2].spec.reply_packets = 1000;
	cases[2].spec.orig_bytes = cases[2].spec.reply_bytes = 400000;
	cases[2].spec.has_start = 1;
	cases[2].spec.start_ns = 1700000000000000000ull;
	cases[2].spec.has_mark = 1;

	cases[3] = cases[2];
	cases[3].label = "event DESTROY, IPv4, counters";
	cases[3].spec.msg_type = IPCTNL_MSG_CT_DELETE;
	cases[3].spec.nl_flags = 0;
	cases[3].spec.has_timeout = 0;
	cases[3].spec.has_state = 0;
	cases[3].spec.has_mark = 0;

	printf("fw_ct_parse, messages laid out attribute for attribute like the kernel's, "
	       "best of %u x %lu\n",
	       runs, iterations);
	printf("  %-38s %6s %10s %12s\n", "message", "bytes", "ns/msg", "msgs/s");
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t len = ct_msg_build(buf.bytes, sizeof(buf.bytes), &cases[c].spec);
		uint64_t best = UINT64_MAX;
		struct fw_ct_event ev;
		char error[256], per_s[32];
		double ns;

		if (len == 0 || fw_ct_parse(buf.bytes, len, &ev, error, sizeof(error)) != 1) {
			fprintf(stderr, "bench_tracker: test message '%s' does not parse: %s\n",
			        cases[c].label, error);
			return -1;
		}
		for (unsigned run = 0; run < runs; run++) {
			uint64_t start = now_ns(), elapsed;

			for (unsigned long i = 0; i < iterations; i++)
				fw_ct_parse(buf.bytes, len, &ev, error, sizeof(error));
			elapsed = now_ns() - start;
			if (elapsed < best)
				best = elapsed;
		}
		ns = (double)best / (double)iterations;
		rate(per_s, sizeof(per_s), 1e9 / ns);
		printf("  %-38s %6zu %10.1f %12s\n", cases[c].label, len, ns, per_s);
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_tracker [-n N[,N...]] [-r RUNS] [-u UPDATE_ROUNDS] "
	                "[-i PARSE_ITERATIONS]\n");
	exit(2);
}

static unsigned long number(const char *text, unsigned long min, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || end == text || *end || v < min || v > max)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	size_t sizes[MAX_SIZES] = {10000, 100000};
	size_t size_count = 2;
	unsigned runs = 3, rounds = 5;
	unsigned long iterations = 300000;
	int opt;

	while ((opt = getopt(argc, argv, "n:r:u:i:")) != -1) {
		switch (opt) {
		case 'n': {
			char *list = strdup(optarg), *save = NULL;

			size_count = 0;
			for (char *tok = strtok_r(list, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				if (size_count == MAX_SIZES)
					usage();
				sizes[size_count++] = number(tok, 1, 10000000);
			}
			free(list);
			if (size_count == 0)
				usage();
			break;
		}
		case 'r':
			runs = (unsigned)number(optarg, 1, 100);
			break;
		case 'u':
			rounds = (unsigned)number(optarg, 1, 1000);
			break;
		case 'i':
			iterations = number(optarg, 1, 1000000000);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (bench_parse(iterations, runs) < 0)
		return 1;
	for (size_t s = 0; s < size_count; s++)
		if (bench_tracker(sizes[s], runs, rounds) < 0)
			return 1;
	return 0;
}
