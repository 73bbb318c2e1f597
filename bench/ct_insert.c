/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ct_insert: creates conntrack entries in the current network namespace over
 * ctnetlink, many create requests per datagram (conntrack -I costs a process
 * and a round trip per entry). Entries are TCP, ESTABLISHED and ASSURED, with
 * documentation addresses only; no packet is ever sent.
 *
 *   ct_insert -n COUNT [-p DPORT] [-f 4|6] [-o OFFSET] [-t TIMEOUT] [-D [-s SECONDS]]
 *
 * -D churns instead: each entry is deleted right after it is created (one
 * NEW and one DESTROY event each), and with -s the COUNT entries are created
 * and deleted over and over for SECONDS. That is foreign traffic as event
 * listeners see it, at the rate the kernel can take.
 *
 * Entry k = OFFSET + i (i < COUNT), so separate calls with distinct offsets
 * never collide:
 *   -f 4: 192.0.2.(1 + k % 254):(1024 + k / 254) -> 198.51.100.10:DPORT
 *   -f 6: [2001:db8:1::/64 + k + 1]:(1024 + k % 60000) -> [2001:db8:2::10]:DPORT
 * Prints how many were created and how long it took; exits 1 if any failed.
 */
#include <arpa/inet.h>
#include <errno.h>
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

#include "ct_msg.h"

/* Below the default netlink send buffer, so one datagram always goes through. */
#define BATCH_BYTES (64 * 1024)
#define SLOT        512
/* Errors for a whole batch must fit while we are not reading. */
#define RCVBUF (8 * 1024 * 1024)

struct totals {
	unsigned long sent, failed, lost_reports;
	int first_error;
};

static void usage(void)
{
	fprintf(stderr, "usage: ct_insert -n COUNT [-p DPORT] [-f 4|6] [-o OFFSET] [-t TIMEOUT] "
	                "[-D [-s SECONDS]]\n");
	exit(2);
}

static unsigned long number(const char *text, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || end == text || *end || v > max)
		usage();
	return v;
}

static void entry_tuple(unsigned long k, int family, uint16_t dport, struct fw_ct_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->protocol = IPPROTO_TCP;
	t->dport = dport;
	if (family == 4) {
		static const uint8_t server[4] = {198, 51, 100, 10};

		t->family = AF_INET;
		t->src[0] = 192;
		t->src[1] = 0;
		t->src[2] = 2;
		t->src[3] = (uint8_t)(1 + k % 254);
		memcpy(t->dst, server, sizeof(server));
		t->sport = (uint16_t)(1024 + k / 254);
	} else {
		static const uint8_t net[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0};
		static const uint8_t server[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0,
		                                   0,    0,    0,    0,    0, 0, 0, 0x10};
		uint32_t host = htonl((uint32_t)(k + 1));

		t->family = AF_INET6;
		memcpy(t->src, net, sizeof(net));
		memcpy(t->src + 12, &host, sizeof(host));
		memcpy(t->dst, server, sizeof(server));
		t->sport = (uint16_t)(1024 + k % 60000);
	}
}

/* Reads every error report queued so far (successful creates send none). */
static int drain(struct mnl_socket *nl, struct totals *tot)
{
	static union {
		char bytes[65536];
		uint32_t align;
	} buf;

	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(nl), buf.bytes, sizeof(buf.bytes), MSG_DONTWAIT);
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf.bytes;
		int remaining;

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == ENOBUFS) {
				tot->lost_reports++;
				continue;
			}
			if (errno == EINTR)
				continue;
			perror("ct_insert: recv");
			return -1;
		}
		remaining = (int)n;
		for (; mnl_nlmsg_ok(nlh, remaining); nlh = mnl_nlmsg_next(nlh, &remaining)) {
			const struct nlmsgerr *err;

			if (nlh->nlmsg_type != NLMSG_ERROR ||
			    mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
				continue;
			err = mnl_nlmsg_get_payload(nlh);
			if (err->error != 0) {
				tot->failed++;
				if (!tot->first_error)
					tot->first_error = -err->error;
			}
		}
	}
}

/* Appends one request to the batch, sending the batch first when it is full. */
static int add_request(struct mnl_socket *nl, char *batch, size_t *used, struct totals *tot,
                       const struct ct_msg_spec *spec)
{
	union {
		char bytes[SLOT];
		uint32_t align;
	} msg;
	size_t len = ct_msg_build(msg.bytes, sizeof(msg.bytes), spec);

	if (len == 0 || len > BATCH_BYTES) {
		fprintf(stderr, "ct_insert: cannot build a request\n");
		return -1;
	}
	if (*used + len > BATCH_BYTES) {
		if (mnl_socket_sendto(nl, batch, *used) < 0) {
			perror("ct_insert: send");
			return -1;
		}
		*used = 0;
		if (drain(nl, tot) < 0)
			return -1;
	}
	memcpy(batch + *used, msg.bytes, len);
	*used += MNL_ALIGN(len);
	tot->sent++;
	return 0;
}

static double since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long count = 0, offset = 0, timeout = 600, duration = 0, rounds = 0;
	uint16_t dport = 5061;
	int family = 4, opt, rcvbuf = RCVBUF, churn = 0;
	struct totals tot = {0};
	struct mnl_socket *nl;
	struct timespec t0;
	char *batch;
	size_t used = 0;
	double seconds;
	uint32_t seq = 0;

	while ((opt = getopt(argc, argv, "n:p:f:o:t:Ds:")) != -1) {
		switch (opt) {
		case 'n':
			count = number(optarg, 16000000);
			break;
		case 'p':
			dport = (uint16_t)number(optarg, 65535);
			break;
		case 'f':
			family = (int)number(optarg, 6);
			if (family != 4 && family != 6)
				usage();
			break;
		case 'o':
			offset = number(optarg, 16000000);
			break;
		case 't':
			timeout = number(optarg, 0x7fffffff);
			break;
		case 'D':
			churn = 1;
			break;
		case 's':
			duration = number(optarg, 86400);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || count == 0 || (duration && !churn) ||
	    (family == 4 && offset + count > 254ul * 64000))
		usage();

	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("ct_insert: netlink socket");
		return 1;
	}
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) <
	    0)
		(void)setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		                 sizeof(rcvbuf));
	batch = aligned_alloc(8, BATCH_BYTES);
	if (!batch) {
		fprintf(stderr, "ct_insert: out of memory\n");
		return 1;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (unsigned long i = 0; i < count; i++) {
			struct ct_msg_spec spec;

			memset(&spec, 0, sizeof(spec));
			spec.msg_type = IPCTNL_MSG_CT_NEW;
			spec.nl_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
			spec.seq = ++seq;
			entry_tuple(offset + i, family, dport, &spec.orig);
			/* The kernel marks a created entry confirmed before it applies CTA_STATUS,
			 * and refuses (EBUSY) a status that would clear the bit. */
			spec.status = IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED;
			spec.has_timeout = 1;
			spec.timeout = (uint32_t)timeout;
			spec.has_state = 1;
			spec.tcp_state = TCP_CONNTRACK_ESTABLISHED;
			if (add_request(nl, batch, &used, &tot, &spec) < 0)
				return 1;
			if (!churn)
				continue;
			/* the delete looks the entry up by its original tuple only */
			spec.msg_type = IPCTNL_MSG_CT_DELETE;
			spec.nl_flags = NLM_F_REQUEST;
			spec.seq = ++seq;
			spec.has_timeout = 0;
			spec.has_state = 0;
			if (add_request(nl, batch, &used, &tot, &spec) < 0)
				return 1;
		}
		rounds++;
	} while (duration && since(&t0) < (double)duration);
	if (used && mnl_socket_sendto(nl, batch, used) < 0) {
		perror("ct_insert: send");
		return 1;
	}
	if (drain(nl, &tot) < 0)
		return 1;
	seconds = since(&t0);

	if (churn)
		printf(
		    "ct_insert: %lu of %lu requests done (dport %u, IPv%d, %lu entries created and "
		    "deleted %lu times: %lu events) in %.3f s, %.0f events/s",
		    tot.sent - tot.failed, tot.sent, dport, family, count, rounds, tot.sent,
		    seconds, (double)tot.sent / seconds);
	else
		printf("ct_insert: %lu of %lu created (dport %u, IPv%d) in %.3f s, %.0f/s",
		       tot.sent - tot.failed, tot.sent, dport, family, seconds,
		       (double)tot.sent / seconds);
	if (tot.failed)
		printf("; %lu failed, first: %s", tot.failed, strerror(tot.first_error));
	if (tot.lost_reports)
		printf("; error reports lost %lu times", tot.lost_reports);
	printf("\n");
	free(batch);
	mnl_socket_close(nl);
	return tot.failed || tot.lost_reports ? 1 : 0;
}
