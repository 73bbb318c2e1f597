/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ct_netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "ct_event_filter.h"
#include "nl_dump.h"
#include "log.h"

/*
 * CTA_FILTER_ORIG_FLAGS bits. The kernel defines them in a private header
 * (net/netfilter/nf_internals.h, CTA_FILTER_F_*); they are ABI nonetheless.
 */
#define FW_CTA_FILTER_PROTO_NUM      (1U << 3)
#define FW_CTA_FILTER_PROTO_DST_PORT (1U << 5)

/* Events are one small message each. */
#define FW_CT_EVENT_BUFFER 16384

/* After the first, parse errors are logged at most once per this many seconds. */
#define FW_CT_LOG_INTERVAL_SEC 60

#define FW_CT_GROUPS                                                                    \
	((1U << (NFNLGRP_CONNTRACK_NEW - 1)) | (1U << (NFNLGRP_CONNTRACK_UPDATE - 1)) | \
	 (1U << (NFNLGRP_CONNTRACK_DESTROY - 1)))

struct fw_ct_netlink {
	struct fw_ct_netlink_callbacks cb;
	struct mnl_socket *events;
	struct fw_nl_dump *dump;
	uint32_t dump_portid;
	char *event_buf;
	int drained;                 /* the last process_events call read the event queue empty */
	struct fw_ct_dump_plan plan; /* the dump in progress */
	uint32_t events_portid;
	uint32_t marker_seq; /* the marker sent last, not read yet; 0: none */
	uint32_t markers_sent;
	int marker_read; /* the last process_events call read it */

	/* Parse errors, logged rate-limited. */
	uint64_t parse_errors;
	uint64_t unlogged;
	struct timespec last_log;
	int logged_once;
};

static void set_error(char *error, size_t error_len, const char *what, int err)
{
	snprintf(error, error_len, "conntrack: %s: %s", what, strerror(err));
	errno = err;
}

static void note_parse_error(struct fw_ct_netlink *ct, const char *source, const char *msg)
{
	struct timespec now;

	ct->parse_errors++;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (ct->logged_once && now.tv_sec - ct->last_log.tv_sec < FW_CT_LOG_INTERVAL_SEC) {
		ct->unlogged++;
		return;
	}
	if (ct->unlogged)
		fw_log(LOG_WARNING, "conntrack",
		       "%s: %s (%llu more malformed messages since the last report)", source, msg,
		       (unsigned long long)ct->unlogged);
	else
		fw_log(LOG_WARNING, "conntrack", "%s: %s", source, msg);
	ct->unlogged = 0;
	ct->last_log = now;
	ct->logged_once = 1;
}

size_t fw_ct_build_filtered_dump(void *buf, size_t buf_len, uint32_t seq, uint8_t family,
                                 uint8_t protocol, uint16_t port)
{
	/* Built in aligned scratch space, so buf may have any alignment. */
	union {
		char bytes[FW_NL_REQUEST_MAX];
		uint32_t align;
	} scratch;
	struct nlmsghdr *nlh;
	struct nlattr *tuple, *proto, *filter;

	nlh =
	    fw_nl_dump_put_request(scratch.bytes, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET, family);
	nlh->nlmsg_seq = seq;

	/* The kernel reads the protocol and port to match from the original tuple... */
	tuple = mnl_attr_nest_start(nlh, CTA_TUPLE_ORIG);
	proto = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, protocol);
	mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(port));
	mnl_attr_nest_end(nlh, proto);
	mnl_attr_nest_end(nlh, tuple);
	/* ...and compares only the fields flagged here (host byte order, NLA_U32). */
	filter = mnl_attr_nest_start(nlh, CTA_FILTER);
	mnl_attr_put_u32(nlh, CTA_FILTER_ORIG_FLAGS,
	                 FW_CTA_FILTER_PROTO_NUM | FW_CTA_FILTER_PROTO_DST_PORT);
	mnl_attr_nest_end(nlh, filter);

	if (nlh->nlmsg_len > buf_len)
		return 0;
	memcpy(buf, scratch.bytes, nlh->nlmsg_len);
	return nlh->nlmsg_len;
}

static int dump_reply(const struct nlmsghdr *nlh, void *data);
static void dump_end(int err, void *data);
static void abandoned_dump_ended(void *data);

static int send_request(struct fw_ct_netlink *ct, char *error, size_t error_len)
{
	union {
		char bytes[FW_NL_REQUEST_MAX];
		uint32_t align;
	} req;
	struct fw_ct_dump_request what;

	fw_ct_plan_request(&ct->plan, &what);
	if (what.unfiltered)
		fw_nl_dump_put_request(req.bytes, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET,
		                       AF_UNSPEC);
	else
		fw_ct_build_filtered_dump(req.bytes, sizeof(req.bytes), 0, what.family,
		                          what.protocol, what.port);
	if (fw_nl_dump_send(ct->dump, (struct nlmsghdr *)req.bytes, dump_reply, dump_end, ct) < 0) {
		set_error(error, error_len, "dump request", errno);
		return -1;
	}
	return 0;
}

struct fw_ct_netlink *fw_ct_netlink_open(const struct fw_ct_netlink_callbacks *callbacks,
                                         size_t rcvbuf_bytes, char *error, size_t error_len)
{
	struct fw_ct_netlink *ct;
	int off = 0;
	int saved;

	ct = calloc(1, sizeof(*ct));
	if (!ct) {
		set_error(error, error_len, "open", ENOMEM);
		return NULL;
	}
	if (callbacks)
		ct->cb = *callbacks;
	fw_ct_plan_init(&ct->plan);
	ct->event_buf = malloc(FW_CT_EVENT_BUFFER);
	if (!ct->event_buf) {
		set_error(error, error_len, "open", ENOMEM);
		goto fail;
	}

	ct->events = mnl_socket_open2(NETLINK_NETFILTER, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!ct->events) {
		set_error(error, error_len, "event socket", errno);
		goto fail;
	}
	if (rcvbuf_bytes) {
		int size = rcvbuf_bytes > INT_MAX / 2 ? INT_MAX / 2 : (int)rcvbuf_bytes;
		int fd = mnl_socket_get_fd(ct->events);

		/* FORCE passes net.core.rmem_max, which bursts of events need; it wants
		 * CAP_NET_ADMIN. */
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0) {
			int force_err = errno;

			if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0) {
				set_error(error, error_len, "event socket SO_RCVBUF", errno);
				goto fail;
			}
			fw_log(LOG_NOTICE, "conntrack",
			       "event receive buffer limited by net.core.rmem_max (SO_RCVBUFFORCE: "
			       "%s)",
			       strerror(force_err));
		}
	}
	/*
	 * With broadcast errors on, a full socket makes the kernel keep dying
	 * conntracks around to redeliver their events: a slow agent would hold
	 * up the firewall. We want to lose events and hear ENOBUFS instead.
	 */
	if (setsockopt(mnl_socket_get_fd(ct->events), SOL_NETLINK, NETLINK_BROADCAST_ERROR, &off,
	               sizeof(off)) < 0 &&
	    errno != ENOPROTOOPT) {
		set_error(error, error_len, "event socket NETLINK_BROADCAST_ERROR", errno);
		goto fail;
	}
	if (mnl_socket_bind(ct->events, FW_CT_GROUPS, MNL_SOCKET_AUTOPID) < 0) {
		set_error(error, error_len, "event socket bind", errno);
		goto fail;
	}

	ct->dump = fw_nl_dump_open("conntrack: dump socket", error, error_len);
	if (!ct->dump)
		goto fail;
	fw_nl_dump_on_stale_end(ct->dump, abandoned_dump_ended, ct);
	ct->dump_portid = fw_nl_dump_portid(ct->dump);
	ct->events_portid = mnl_socket_get_portid(ct->events);
	return ct;

fail:
	saved = errno;
	fw_ct_netlink_close(ct);
	errno = saved;
	return NULL;
}

void fw_ct_netlink_close(struct fw_ct_netlink *ct)
{
	if (!ct)
		return;
	if (ct->events)
		mnl_socket_close(ct->events);
	fw_nl_dump_close(ct->dump);
	free(ct->event_buf);
	free(ct);
}

int fw_ct_netlink_filter_events(struct fw_ct_netlink *ct, const uint16_t *ports, size_t port_count,
                                int dns, int ipv4, int ipv6, char *error, size_t error_len)
{
	struct sock_filter prog[FW_CT_EVENT_FILTER_MAX];
	struct sock_fprog fprog = {.filter = prog};

	fprog.len = (unsigned short)fw_ct_event_filter_build(ports, port_count, ipv4, ipv6, dns,
	                                                     prog, FW_CT_EVENT_FILTER_MAX);
	if (fprog.len == 0) {
		set_error(error, error_len, "event filter", EINVAL);
		return -1;
	}
	/* replaces the program attached before, atomically: no event slips through unfiltered */
	if (setsockopt(mnl_socket_get_fd(ct->events), SOL_SOCKET, SO_ATTACH_FILTER, &fprog,
	               sizeof(fprog)) < 0) {
		int err = errno;

		/* the old program, for other ports, must not stay */
		setsockopt(mnl_socket_get_fd(ct->events), SOL_SOCKET, SO_DETACH_FILTER, NULL, 0);
		set_error(error, error_len, "event filter", err);
		return -1;
	}
	return 0;
}

int fw_ct_netlink_event_fd(const struct fw_ct_netlink *ct)
{
	return mnl_socket_get_fd(ct->events);
}

int fw_ct_netlink_dump_fd(const struct fw_ct_netlink *ct)
{
	return fw_nl_dump_fd(ct->dump);
}

int fw_ct_netlink_kernel_filter(const struct fw_ct_netlink *ct)
{
	return ct->plan.kernel_filter;
}

uint64_t fw_ct_netlink_parse_errors(const struct fw_ct_netlink *ct)
{
	return ct->parse_errors;
}

size_t fw_ct_build_marker(void *buf, size_t buf_len, uint32_t seq, uint32_t sender)
{
	struct nlmsghdr nlh = {
	    .nlmsg_len = NLMSG_HDRLEN,
	    .nlmsg_type = NLMSG_NOOP,
	    .nlmsg_seq = seq,
	    .nlmsg_pid = sender,
	};

	if (buf_len < sizeof(nlh))
		return 0;
	memcpy(buf, &nlh, sizeof(nlh));
	return sizeof(nlh);
}

int fw_ct_is_marker(const void *buf, size_t len, uint32_t sender, uint32_t dump_portid,
                    uint32_t seq)
{
	struct nlmsghdr nlh;

	if (seq == 0 || sender != dump_portid || len < sizeof(nlh))
		return 0;
	memcpy(&nlh, buf, sizeof(nlh));
	return nlh.nlmsg_type == NLMSG_NOOP && nlh.nlmsg_seq == seq &&
	       nlh.nlmsg_pid == dump_portid && nlh.nlmsg_len >= NLMSG_HDRLEN &&
	       nlh.nlmsg_len <= len;
}

int fw_ct_netlink_send_marker(struct fw_ct_netlink *ct)
{
	union {
		char bytes[NLMSG_HDRLEN];
		uint32_t align;
	} msg;
	struct sockaddr_nl to = {.nl_family = AF_NETLINK, .nl_pid = ct->events_portid};
	uint32_t seq = ++ct->markers_sent ? ct->markers_sent : ++ct->markers_sent;
	size_t len = fw_ct_build_marker(msg.bytes, sizeof(msg.bytes), seq, ct->dump_portid);

	/* from the dump socket, so the event socket can tell it from a forgery */
	if (sendto(fw_nl_dump_fd(ct->dump), msg.bytes, len, MSG_DONTWAIT,
	           (const struct sockaddr *)&to, sizeof(to)) < 0)
		return -1;
	ct->marker_seq = seq;
	return 0;
}

int fw_ct_netlink_marker_read(const struct fw_ct_netlink *ct)
{
	return ct->marker_read;
}

int fw_ct_netlink_process_events(struct fw_ct_netlink *ct, unsigned max_messages)
{
	unsigned handled = 0;

	ct->drained = 0;
	ct->marker_read = 0;
	while (handled < max_messages) {
		const struct nlmsghdr *nlh;
		uint32_t sender = 0;
		int truncated = 0, remaining;
		ssize_t n = fw_nl_recv(mnl_socket_get_fd(ct->events), ct->event_buf,
		                       FW_CT_EVENT_BUFFER, &sender, &truncated);

		if (truncated) {
			n = -1;
			errno = EMSGSIZE;
		}

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				ct->drained = 1;
				break;
			}
			/* Lost events: ENOBUFS is reported once per overrun, then reading goes on.
			 */
			if (errno == ENOBUFS || errno == EMSGSIZE) {
				handled++;
				if (ct->cb.overrun)
					ct->cb.overrun(ct->cb.ctx);
				continue;
			}
			fw_log(LOG_ERR, "conntrack", "event socket: %s", strerror(errno));
			return -1;
		}
		if (n == 0 || sender != 0) {
			/* every event queued before the marker has been read now */
			if (fw_ct_is_marker(ct->event_buf, (size_t)n, sender, ct->dump_portid,
			                    ct->marker_seq)) {
				ct->marker_read = 1;
				ct->marker_seq = 0;
			}
			handled++;
			continue;
		}
		remaining = (int)n;
		nlh = (const struct nlmsghdr *)ct->event_buf;
		while (mnl_nlmsg_ok(nlh, remaining)) {
			struct fw_ct_event ev;
			char error[256];
			int ret = fw_ct_parse(nlh, nlh->nlmsg_len, &ev, error, sizeof(error));

			handled++;
			if (ret < 0)
				note_parse_error(ct, "event", error);
			else if (ret > 0 && ct->cb.event)
				ct->cb.event(&ev, ct->cb.ctx);
			nlh = mnl_nlmsg_next(nlh, &remaining);
		}
		if (remaining > 0) {
			handled++;
			note_parse_error(ct, "event", "truncated datagram");
		}
	}
	return (int)handled;
}

int fw_ct_netlink_events_drained(const struct fw_ct_netlink *ct)
{
	return ct->drained;
}

int fw_ct_netlink_start_dump(struct fw_ct_netlink *ct, const uint16_t *ports, size_t port_count,
                             int dns, int ipv4, int ipv6, char *error, size_t error_len)
{
	/*
	 * Replies to an earlier request still outstanding carry its sequence
	 * number and are dropped from now on; if the kernel is still producing
	 * them it answers EBUSY, and the request is sent again when they end.
	 */
	if (fw_ct_plan_start(&ct->plan, ports, port_count, dns, ipv4, ipv6) < 0) {
		set_error(error, error_len, "dump", EINVAL);
		return -1;
	}
	if (send_request(ct, error, error_len) < 0) {
		fw_ct_plan_stop(&ct->plan);
		return -1;
	}
	return 0;
}

static int dump_failed(struct fw_ct_netlink *ct, const char *what, int err)
{
	char msg[256];

	if (err)
		snprintf(msg, sizeof(msg), "conntrack dump: %s: %s%s", what, strerror(err),
		         fw_nl_permission_hint(err));
	else
		snprintf(msg, sizeof(msg), "conntrack dump: %s", what);
	fw_ct_plan_stop(&ct->plan);
	fw_nl_dump_abandon(ct->dump);
	if (ct->cb.dump_done)
		ct->cb.dump_done(0, err, msg, ct->cb.ctx);
	return -1;
}

static void next_request(struct fw_ct_netlink *ct)
{
	char error[256];

	/* send_request() leaves errno set */
	if (send_request(ct, error, sizeof(error)) < 0)
		dump_failed(ct, "dump request", errno);
}

static void dump_row(struct fw_ct_netlink *ct, const struct nlmsghdr *nlh)
{
	struct fw_ct_event ev;
	char error[256];
	int ret = fw_ct_parse(nlh, nlh->nlmsg_len, &ev, error, sizeof(error));

	if (ret < 0) {
		note_parse_error(ct, "dump", error);
		return;
	}
	if (ret == 0)
		return;
	switch (fw_ct_plan_row(&ct->plan, ev.orig.family, ev.orig.protocol, ev.orig.dport)) {
	case FW_CT_ROW_ACCEPT:
		ev.kind = FW_CT_UPDATE;
		if (ct->cb.dump_row)
			ct->cb.dump_row(&ev, ct->cb.ctx);
		break;
	case FW_CT_ROW_FILTER_IGNORED:
		fw_log(LOG_NOTICE, "conntrack",
		       "the kernel ignores dump filters; filtering conntrack dumps here");
		break;
	case FW_CT_ROW_SKIP:
		break;
	}
}

/* A data reply of the dump in flight. */
static int dump_reply(const struct nlmsghdr *nlh, void *data)
{
	struct fw_ct_netlink *ct = data;

	if (ct->plan.running)
		dump_row(ct, nlh);
	return 0;
}

/* The end of the request in flight: the next request, the end of the dump, or its failure. */
static void dump_end(int err, void *data)
{
	struct fw_ct_netlink *ct = data;

	switch (fw_ct_plan_end(&ct->plan, err)) {
	case FW_CT_PLAN_FALLBACK:
		fw_log(LOG_NOTICE, "conntrack",
		       "the kernel refuses dump filters (%s); filtering conntrack dumps here",
		       strerror(err));
		next_request(ct);
		break;
	case FW_CT_PLAN_SEND:
		next_request(ct);
		break;
	case FW_CT_PLAN_FAILED:
		dump_failed(ct, "dump ended", err);
		break;
	case FW_CT_PLAN_FINISHED:
		if (ct->cb.dump_done)
			ct->cb.dump_done(1, 0, NULL, ct->cb.ctx);
		break;
	case FW_CT_PLAN_WAIT:
	case FW_CT_PLAN_IGNORE:
		break;
	}
}

/* The end of an abandoned dump frees the kernel for the request it refused. */
static void abandoned_dump_ended(void *data)
{
	struct fw_ct_netlink *ct = data;

	if (fw_ct_plan_stale_end(&ct->plan) == FW_CT_PLAN_SEND)
		next_request(ct);
}

int fw_ct_netlink_process_dump(struct fw_ct_netlink *ct, unsigned max_messages)
{
	int handled = fw_nl_dump_process(ct->dump, max_messages);

	if (handled < 0 && ct->plan.running)
		return dump_failed(ct, "receive", errno);
	return handled;
}
