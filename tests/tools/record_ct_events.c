/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Records real conntrack events and dump replies, for test fixtures and fuzz
 * seeds, and exercises the conntrack sockets (collectors/ct_netlink.c)
 * against the live kernel of the current network namespace.
 *
 *   record_ct_events events [-n COUNT] [-t SECONDS] [-p PREFIX] [-d DIR]
 *                           [-b RCVBUF] [-s MILLISECONDS] [-q]
 *	Listens for NEW/UPDATE/DESTROY events until COUNT arrived or none
 *	came for SECONDS (default 10). A second socket on the same groups
 *	records the bytes: each message is printed as a C byte array PREFIX_N
 *	and written to DIR/PREFIX-N.bin when -d is given. The events the
 *	collector socket delivers are printed as comments. -b sets the
 *	collector socket's receive buffer, -s sleeps before every read (to
 *	provoke overruns), -q prints no arrays and records nothing (a summary
 *	line per event and the totals only).
 *   record_ct_events dump [-P PORT]... [-p PREFIX] [-d DIR] [-q] [-R]
 *	Records the replies to the filtered dump request of each port (default
 *	5061) and family, then runs the collector's dump and prints its rows.
 *	-R restarts the collector's dump after its first datagram, while the
 *	kernel is still dumping. -q prints the totals only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
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

#define BUFFER_SIZE 32768

struct recorder {
	const char *prefix;
	const char *dir;
	int quiet;
	unsigned count; /* raw messages recorded */
	/* collector side */
	unsigned events, overruns, rows;
	int dump_done, dump_ok;
	char dump_error[256];
};

static const char *kind_label(enum fw_ct_kind kind)
{
	switch (kind) {
	case FW_CT_NEW:
		return "NEW";
	case FW_CT_UPDATE:
		return "UPDATE";
	case FW_CT_DESTROY:
		return "DESTROY";
	}
	return "?";
}

static void format_tuple(char *buf, size_t len, const struct fw_ct_tuple *t)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	if (!t->family) {
		snprintf(buf, len, "-");
		return;
	}
	inet_ntop(t->family, t->src, src, sizeof(src));
	inet_ntop(t->family, t->dst, dst, sizeof(dst));
	if (t->family == AF_INET6)
		snprintf(buf, len, "proto %u [%s]:%u -> [%s]:%u", t->protocol, src, t->sport, dst,
		         t->dport);
	else
		snprintf(buf, len, "proto %u %s:%u -> %s:%u", t->protocol, src, t->sport, dst,
		         t->dport);
}

static void describe(const struct fw_ct_event *ev, char *buf, size_t len)
{
	char orig[128], reply[128];
	size_t off;

	format_tuple(orig, sizeof(orig), &ev->orig);
	format_tuple(reply, sizeof(reply), &ev->reply);
	off = (size_t)snprintf(
	    buf, len, "%s portid %u id %u | %s | reply %s | zone %u mark 0x%x status 0x%x",
	    kind_label(ev->kind), ev->portid, ev->id, orig, reply, ev->zone, ev->mark, ev->status);
	if (off < len && ev->has_tcp_state)
		off += (size_t)snprintf(buf + off, len - off, " | %s flags %02x/%02x",
		                        fw_tcp_state_label(ev->tcp_state), ev->tcp_flags_orig,
		                        ev->tcp_flags_reply);
	if (off < len && ev->has_timeout)
		off += (size_t)snprintf(buf + off, len - off, " | timeout %u", ev->timeout);
	if (off < len && ev->has_counters)
		off += (size_t)snprintf(
		    buf + off, len - off,
		    " | packets %" PRIu64 "/%" PRIu64 " bytes %" PRIu64 "/%" PRIu64,
		    ev->orig_packets, ev->reply_packets, ev->orig_bytes, ev->reply_bytes);
	if (off < len && ev->has_start)
		snprintf(buf + off, len - off, " | start %" PRIu64, ev->start_ns);
}

static int write_raw(const struct recorder *rec, const struct nlmsghdr *nlh)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%u.bin", rec->dir, rec->prefix, rec->count);
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(nlh, 1, nlh->nlmsg_len, f) != nlh->nlmsg_len || fclose(f) != 0) {
		fprintf(stderr, "%s: write failed\n", path);
		return -1;
	}
	return 0;
}

/* Prints one raw message as a C array, with what the parser makes of it. */
static int record_message(struct recorder *rec, const struct nlmsghdr *nlh)
{
	const unsigned char *p = (const unsigned char *)nlh;
	struct fw_ct_event ev;
	char error[256], text[512];
	uint32_t i;
	int ret;

	ret = fw_ct_parse(nlh, nlh->nlmsg_len, &ev, error, sizeof(error));
	if (ret < 0) {
		printf("/* parse error: %s */\n", error);
	} else if (ret == 0) {
		printf("/* not a conntrack entry (type 0x%04x) */\n", nlh->nlmsg_type);
	} else {
		describe(&ev, text, sizeof(text));
		printf("/* %s */\n", text);
	}
	printf("static const uint8_t %s_%u[] __attribute__((aligned(4))) = {", rec->prefix,
	       rec->count);
	for (i = 0; i < nlh->nlmsg_len; i++)
		printf("%s0x%02x,", i % 12 ? " " : "\n\t", p[i]);
	printf("\n};\n\n");
	fflush(stdout);

	if (rec->dir && write_raw(rec, nlh) < 0)
		return -1;
	rec->count++;
	return 0;
}

static void on_event(const struct fw_ct_event *ev, void *ctx)
{
	struct recorder *rec = ctx;
	char text[512];

	rec->events++;
	describe(ev, text, sizeof(text));
	printf("// collector event: %s\n", text);
	fflush(stdout);
}

static void on_overrun(void *ctx)
{
	struct recorder *rec = ctx;

	rec->overruns++;
	printf("// collector: overrun (ENOBUFS)\n");
	fflush(stdout);
}

static void on_row(const struct fw_ct_event *ev, void *ctx)
{
	struct recorder *rec = ctx;
	char text[512];

	rec->rows++;
	if (rec->quiet)
		return;
	describe(ev, text, sizeof(text));
	printf("// collector row: %s\n", text);
}

static void on_done(int ok, int err, const char *error, void *ctx)
{
	struct recorder *rec = ctx;

	(void)err;
	rec->dump_done = 1;
	rec->dump_ok = ok;
	snprintf(rec->dump_error, sizeof(rec->dump_error), "%s", error ? error : "");
}

static int usage(void)
{
	fprintf(stderr,
	        "usage: record_ct_events events [-n COUNT] [-t SECONDS] [-p PREFIX] [-d DIR]\n"
	        "                               [-b RCVBUF] [-s MILLISECONDS] [-q]\n"
	        "       record_ct_events dump [-P PORT]... [-p PREFIX] [-d DIR] [-q] [-R]\n");
	return 2;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Reads every datagram queued on the raw socket; returns -1 on error. */
static int drain_raw(struct recorder *rec, struct mnl_socket *raw, char *buf, unsigned limit)
{
	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(raw), buf, BUFFER_SIZE, MSG_DONTWAIT);
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int remaining;

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			if (errno == ENOBUFS) {
				printf("// recording socket: overrun, events missing from the "
				       "record\n");
				continue;
			}
			fprintf(stderr, "recording socket: %s\n", strerror(errno));
			return -1;
		}
		remaining = (int)n;
		while (mnl_nlmsg_ok(nlh, remaining) && rec->count < limit) {
			if (record_message(rec, nlh) < 0)
				return -1;
			nlh = mnl_nlmsg_next(nlh, &remaining);
		}
	}
}

static int run_events(struct recorder *rec, int argc, char **argv)
{
	struct fw_ct_netlink_callbacks cb = {
	    .event = on_event, .overrun = on_overrun, .dump_row = on_row, .dump_done = on_done};
	unsigned limit = ~0U, idle_sec = 10, sleep_between = 0;
	size_t rcvbuf = 4 << 20;
	struct mnl_socket *raw = NULL;
	struct fw_ct_netlink *ct;
	char error[256];
	char *buf = NULL;
	time_t last;
	int opt, ret = 1;

	while ((opt = getopt(argc, argv, "n:t:p:d:b:s:q")) != -1) {
		switch (opt) {
		case 'n':
			limit = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 't':
			idle_sec = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'p':
			rec->prefix = optarg;
			break;
		case 'd':
			rec->dir = optarg;
			break;
		case 'b':
			rcvbuf = strtoul(optarg, NULL, 0);
			break;
		case 's':
			sleep_between = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'q':
			rec->quiet = 1;
			break;
		default:
			return usage();
		}
	}

	cb.ctx = rec;
	ct = fw_ct_netlink_open(&cb, rcvbuf, error, sizeof(error));
	if (!ct) {
		fprintf(stderr, "%s\n", error);
		return 1;
	}
	if (!rec->quiet) {
		int big = 8 << 20;

		buf = malloc(BUFFER_SIZE);
		raw = mnl_socket_open(NETLINK_NETFILTER);
		if (!buf || !raw ||
		    mnl_socket_bind(raw,
		                    (1U << (NFNLGRP_CONNTRACK_NEW - 1)) |
		                        (1U << (NFNLGRP_CONNTRACK_UPDATE - 1)) |
		                        (1U << (NFNLGRP_CONNTRACK_DESTROY - 1)),
		                    MNL_SOCKET_AUTOPID) < 0) {
			fprintf(stderr, "recording socket: %s\n", strerror(errno));
			goto out;
		}
		setsockopt(mnl_socket_get_fd(raw), SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	}
	printf("// listening (collector rcvbuf %zu bytes)\n", rcvbuf);
	fflush(stdout);

	last = time(NULL);
	while (rec->events < limit && (unsigned)(time(NULL) - last) < idle_sec) {
		struct pollfd fds[2] = {
		    {.fd = fw_ct_netlink_event_fd(ct), .events = POLLIN},
		    {.fd = raw ? mnl_socket_get_fd(raw) : -1, .events = POLLIN},
		};
		int n = poll(fds, 2, 200);

		if (n < 0 && errno != EINTR) {
			perror("poll");
			goto out;
		}
		if (n <= 0)
			continue;
		last = time(NULL);
		if (sleep_between)
			sleep_ms(sleep_between);
		if (fds[0].revents && fw_ct_netlink_process_events(ct, 64) < 0) {
			fprintf(stderr, "collector: event socket failed\n");
			goto out;
		}
		if (raw && fds[1].revents && drain_raw(rec, raw, buf, limit) < 0)
			goto out;
	}
	/* What the recording socket still holds. */
	if (raw && drain_raw(rec, raw, buf, limit) < 0)
		goto out;
	printf("/* %u messages recorded; collector: %u events, %u overruns, %" PRIu64
	       " parse errors */\n",
	       rec->count, rec->events, rec->overruns, fw_ct_netlink_parse_errors(ct));
	ret = 0;
out:
	if (raw)
		mnl_socket_close(raw);
	free(buf);
	fw_ct_netlink_close(ct);
	return ret;
}

/* Sends one filtered request on its own socket and records every reply. */
static int record_filtered(struct recorder *rec, uint8_t family, uint16_t port, unsigned *rows)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	char *buf = malloc(BUFFER_SIZE);
	uint32_t seq = (uint32_t)time(NULL);
	int ret = -1;
	size_t len;

	*rows = 0;
	if (!nl || !buf || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "dump socket: %s\n", strerror(errno));
		goto out;
	}
	len = fw_ct_build_filtered_dump(buf, BUFFER_SIZE, seq, family, IPPROTO_TCP, port);
	if (!rec->quiet) {
		printf("/* request: filtered dump, family %u, port %u */\n", family, port);
		printf("static const uint8_t %s_request_%u_%u[] __attribute__((aligned(4))) = {",
		       rec->prefix, family, port);
		for (size_t i = 0; i < len; i++)
			printf("%s0x%02x,", i % 12 ? " " : "\n\t", (unsigned char)buf[i]);
		printf("\n};\n\n");
	}
	if (mnl_socket_sendto(nl, buf, len) < 0) {
		fprintf(stderr, "send: %s\n", strerror(errno));
		goto out;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, BUFFER_SIZE);
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int remaining;

		if (n <= 0) {
			fprintf(stderr, "receive: %s\n", strerror(errno));
			goto out;
		}
		remaining = (int)n;
		while (mnl_nlmsg_ok(nlh, remaining)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

				printf("/* kernel error: %s */\n", strerror(-err->error));
				goto out;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				ret = 0;
				goto out;
			}
			(*rows)++;
			if (!rec->quiet && record_message(rec, nlh) < 0)
				goto out;
			nlh = mnl_nlmsg_next(nlh, &remaining);
		}
	}
out:
	if (nl)
		mnl_socket_close(nl);
	free(buf);
	return ret;
}

static int run_dump(struct recorder *rec, int argc, char **argv)
{
	struct fw_ct_netlink_callbacks cb = {
	    .event = on_event, .overrun = on_overrun, .dump_row = on_row, .dump_done = on_done};
	uint16_t ports[FW_CT_MAX_PORTS];
	size_t port_count = 0, i;
	struct fw_ct_netlink *ct;
	char error[256];
	int restart = 0, restarted = 0;
	int opt;

	while ((opt = getopt(argc, argv, "P:p:d:qR")) != -1) {
		switch (opt) {
		case 'P':
			if (port_count == FW_CT_MAX_PORTS)
				return usage();
			ports[port_count++] = (uint16_t)strtoul(optarg, NULL, 0);
			break;
		case 'p':
			rec->prefix = optarg;
			break;
		case 'd':
			rec->dir = optarg;
			break;
		case 'q':
			rec->quiet = 1;
			break;
		case 'R':
			restart = 1;
			break;
		default:
			return usage();
		}
	}
	if (port_count == 0)
		ports[port_count++] = 5061;

	for (i = 0; i < port_count; i++) {
		static const uint8_t families[] = {AF_INET, AF_INET6};

		for (size_t f = 0; f < 2; f++) {
			unsigned rows;

			if (record_filtered(rec, families[f], ports[i], &rows) < 0)
				printf("// raw filtered dump family %u port %u failed\n",
				       families[f], ports[i]);
			else
				printf("// raw filtered dump family %u port %u: %u rows\n",
				       families[f], ports[i], rows);
		}
	}

	cb.ctx = rec;
	ct = fw_ct_netlink_open(&cb, 0, error, sizeof(error));
	if (!ct) {
		fprintf(stderr, "%s\n", error);
		return 1;
	}
	if (fw_ct_netlink_start_dump(ct, ports, port_count, 0, 1, 1, error, sizeof(error)) < 0) {
		fprintf(stderr, "%s\n", error);
		fw_ct_netlink_close(ct);
		return 1;
	}
	while (!rec->dump_done) {
		struct pollfd pfd = {.fd = fw_ct_netlink_dump_fd(ct), .events = POLLIN};
		int n = poll(&pfd, 1, 5000);

		if (n == 0) {
			fprintf(stderr, "collector dump: no reply for 5 s\n");
			break;
		}
		if (n < 0)
			continue;
		fw_ct_netlink_process_dump(ct, 1);
		if (restart && !restarted) {
			restarted = 1;
			printf("// restarting the collector dump after %u rows\n", rec->rows);
			rec->rows = 0;
			if (fw_ct_netlink_start_dump(ct, ports, port_count, 0, 1, 1, error,
			                             sizeof(error)) < 0) {
				fprintf(stderr, "%s\n", error);
				break;
			}
		}
	}
	printf("/* collector dump: %s%s, %u rows, kernel filter %s, %" PRIu64 " parse errors */\n",
	       rec->dump_ok ? "ok" : "failed: ", rec->dump_error, rec->rows,
	       fw_ct_netlink_kernel_filter(ct) ? "on" : "off", fw_ct_netlink_parse_errors(ct));
	fw_ct_netlink_close(ct);
	return rec->dump_ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct recorder rec = {.prefix = "ct"};

	if (argc < 2)
		return usage();
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	optind = 2;
	if (strcmp(argv[1], "events") == 0)
		return run_events(&rec, argc, argv);
	if (strcmp(argv[1], "dump") == 0)
		return run_dump(&rec, argc, argv);
	return usage();
}
