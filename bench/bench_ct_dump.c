/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_ct_dump: times one way of dumping the conntrack table of the current
 * network namespace, RUNS times, and prints the rows and the best wall time.
 *
 *   bench_ct_dump raw       [-r RUNS]              unfiltered dump, messages only counted
 *   bench_ct_dump raw-parse [-r RUNS] [-P PORT]... unfiltered, every message through
 *                                                   fw_ct_parse, TCP rows to PORTs counted
 *   bench_ct_dump filtered  [-r RUNS] [-P PORT]... the collector's dump (CTA_FILTER),
 *                                                   one request per port and family
 *   bench_ct_dump userspace [-r RUNS] [-P PORT]... the collector's fallback: one
 *                                                   unfiltered dump filtered here
 *
 * The fallback is what the collector does when the kernel refuses CTA_FILTER;
 * "userspace" provokes that refusal by setting an undefined filter flag in the
 * collector's first request (mnl_socket_sendto is wrapped at link time).
 * Default port: 5061; -4 dumps IPv4 only, as the agent does when its networks
 * are all IPv4. Output: one "run" line per run, then a "result" line.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "ct_event.h"
#include "ct_netlink.h"

#define DUMP_BUFFER 32768 /* what the collector offers the kernel, for a fair comparison */
#define POLL_MS     10000
#define MAX_RUNS    20

/* ---- forcing the collector's user-space filtering ---- */

static int refuse_filter; /* set: the next filtered request carries an undefined flag */

ssize_t __real_mnl_socket_sendto(const struct mnl_socket *nl, const void *req, size_t siz);
ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *nl, const void *req, size_t siz);

/* Sets bit 31 of CTA_FILTER_ORIG_FLAGS, which no kernel defines: it answers EINVAL/EOPNOTSUPP. */
static int spoil_filter(struct nlmsghdr *nlh)
{
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct nfgenmsg))
	{
		struct nlattr *inner;

		if (mnl_attr_get_type(attr) != CTA_FILTER)
			continue;
		mnl_attr_for_each_nested(inner, attr)
		{
			if (mnl_attr_get_type(inner) == CTA_FILTER_ORIG_FLAGS &&
			    mnl_attr_get_payload_len(inner) == sizeof(uint32_t)) {
				uint32_t flags = mnl_attr_get_u32(inner) | (1U << 31);

				memcpy(mnl_attr_get_payload(inner), &flags, sizeof(flags));
				return 1;
			}
		}
	}
	return 0;
}

ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *nl, const void *req, size_t siz)
{
	union {
		char bytes[512];
		uint32_t align;
	} copy;

	if (!refuse_filter || siz > sizeof(copy.bytes))
		return __real_mnl_socket_sendto(nl, req, siz);
	memcpy(copy.bytes, req, siz);
	if (spoil_filter((struct nlmsghdr *)copy.bytes))
		refuse_filter = 0;
	return __real_mnl_socket_sendto(nl, copy.bytes, siz);
}

/* ---- common ---- */

struct options {
	const char *mode;
	unsigned runs;
	uint16_t ports[FW_CT_MAX_PORTS];
	size_t port_count;
	int ipv4_only;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int port_wanted(const struct options *o, uint16_t port)
{
	for (size_t i = 0; i < o->port_count; i++)
		if (o->ports[i] == port)
			return 1;
	return 0;
}

/* ---- raw: an unfiltered dump over a plain socket ---- */

struct raw_counts {
	unsigned long messages, bytes, matching, parse_errors;
};

static int raw_dump(const struct options *o, int parse, struct raw_counts *c)
{
	static union {
		char bytes[DUMP_BUFFER];
		uint32_t align;
	} buf;
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	uint32_t seq = (uint32_t)time(NULL), portid;
	int done = 0, ret = -1;

	memset(c, 0, sizeof(*c));
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("bench_ct_dump: netlink socket");
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	memset(buf.bytes, 0, 64);
	nlh = mnl_nlmsg_put_header(buf.bytes);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("bench_ct_dump: send");
		goto out;
	}
	while (!done) {
		ssize_t n = mnl_socket_recvfrom(nl, buf.bytes, sizeof(buf.bytes));
		int remaining;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("bench_ct_dump: receive");
			goto out;
		}
		remaining = (int)n;
		for (nlh = (struct nlmsghdr *)buf.bytes; mnl_nlmsg_ok(nlh, remaining);
		     nlh = mnl_nlmsg_next(nlh, &remaining)) {
			if (nlh->nlmsg_seq != seq || !mnl_nlmsg_portid_ok(nlh, portid))
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

				fprintf(stderr, "bench_ct_dump: dump failed: %s\n",
				        strerror(-err->error));
				goto out;
			}
			c->messages++;
			c->bytes += nlh->nlmsg_len;
			if (parse) {
				struct fw_ct_event ev;
				char error[256];
				int r = fw_ct_parse(nlh, nlh->nlmsg_len, &ev, error, sizeof(error));

				if (r < 0)
					c->parse_errors++;
				else if (r == 1 && ev.orig.protocol == IPPROTO_TCP &&
				         port_wanted(o, ev.orig.dport))
					c->matching++;
			}
		}
	}
	ret = 0;
out:
	if (nl)
		mnl_socket_close(nl);
	return ret;
}

/* ---- the collector's dump ---- */

struct collector_state {
	unsigned long rows;
	int done, ok;
	char error[256];
};

static void on_row(const struct fw_ct_event *ev, void *ctx)
{
	(void)ev;
	((struct collector_state *)ctx)->rows++;
}

static void on_done(int ok, const char *error, void *ctx)
{
	struct collector_state *s = ctx;

	s->done = 1;
	s->ok = ok;
	snprintf(s->error, sizeof(s->error), "%s", error ? error : "");
}

static int collector_dump(struct fw_ct_netlink *ct, const struct options *o,
                          struct collector_state *s)
{
	char error[256];
	struct pollfd pfd = {.fd = fw_ct_netlink_dump_fd(ct), .events = POLLIN};

	s->rows = 0;
	s->done = s->ok = 0;
	if (fw_ct_netlink_start_dump(ct, o->ports, o->port_count, 0, 1, !o->ipv4_only, error,
	                             sizeof(error)) < 0) {
		fprintf(stderr, "bench_ct_dump: %s\n", error);
		return -1;
	}
	while (!s->done) {
		int r = poll(&pfd, 1, POLL_MS);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "bench_ct_dump: no dump reply within %d ms\n", POLL_MS);
			return -1;
		}
		/* As many messages per wakeup as the agent handles by default. */
		fw_ct_netlink_process_dump(ct, 256);
	}
	if (!s->ok) {
		fprintf(stderr, "bench_ct_dump: %s\n", s->error);
		return -1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_ct_dump raw|raw-parse|filtered|userspace [-r RUNS] "
	                "[-P PORT]... [-4]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct options o = {.runs = 3};
	struct collector_state state;
	struct fw_ct_netlink_callbacks cb = {
	    .dump_row = on_row, .dump_done = on_done, .ctx = &state};
	struct fw_ct_netlink *ct = NULL;
	double best = 0;
	unsigned long rows = 0;
	int opt, collector;

	if (argc < 2)
		usage();
	o.mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "r:P:4")) != -1) {
		char *end;
		unsigned long v;

		if (opt == '4') {
			o.ipv4_only = 1; /* the collector skips the IPv6 walks */
			continue;
		}
		errno = 0;
		v = strtoul(optarg, &end, 10);
		if (errno || end == optarg || *end)
			usage();
		if (opt == 'r' && v >= 1 && v <= MAX_RUNS)
			o.runs = (unsigned)v;
		else if (opt == 'P' && v >= 1 && v <= 65535 && o.port_count < FW_CT_MAX_PORTS)
			o.ports[o.port_count++] = (uint16_t)v;
		else
			usage();
	}
	if (optind != argc)
		usage();
	if (o.port_count == 0)
		o.ports[o.port_count++] = 5061;
	collector = strcmp(o.mode, "filtered") == 0 || strcmp(o.mode, "userspace") == 0;
	if (!collector && strcmp(o.mode, "raw") != 0 && strcmp(o.mode, "raw-parse") != 0)
		usage();

	if (collector) {
		char error[256];

		ct = fw_ct_netlink_open(&cb, 0, error, sizeof(error));
		if (!ct) {
			fprintf(stderr, "bench_ct_dump: %s\n", error);
			return 1;
		}
		refuse_filter = strcmp(o.mode, "userspace") == 0;
	}

	for (unsigned run = 0; run < o.runs; run++) {
		double start = now_ms(), elapsed;
		struct raw_counts c;

		if (collector) {
			if (collector_dump(ct, &o, &state) < 0)
				return 1;
			rows = state.rows;
		} else {
			if (raw_dump(&o, strcmp(o.mode, "raw-parse") == 0, &c) < 0)
				return 1;
			rows = strcmp(o.mode, "raw") == 0 ? c.messages : c.matching;
		}
		elapsed = now_ms() - start;
		if (run == 0 || elapsed < best)
			best = elapsed;
		printf("run mode=%s run=%u rows=%lu ms=%.2f", o.mode, run + 1, rows, elapsed);
		if (!collector)
			printf(" messages=%lu bytes_per_message=%.0f parse_errors=%lu", c.messages,
			       c.messages ? (double)c.bytes / (double)c.messages : 0.0,
			       c.parse_errors);
		else
			printf(" kernel_filter=%d", fw_ct_netlink_kernel_filter(ct));
		printf("\n");
	}
	printf("result mode=%s rows=%lu best_ms=%.2f runs=%u ports=%zu\n", o.mode, rows, best,
	       o.runs, o.port_count);
	fw_ct_netlink_close(ct);
	return 0;
}
