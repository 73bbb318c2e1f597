/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "nl_dump.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <poll.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>

/*
 * The blocking form waits this long for each datagram: a dump reply normally
 * comes in microseconds.
 */
#define FW_NL_RECV_TIMEOUT_MS 200

/* Bounds retries after signals so a signal storm cannot stall the agent. */
#define FW_NL_MAX_EINTR 8

/*
 * The kernel fills dump skbs up to 32 KiB when the reader offers that much; a
 * smaller buffer makes recvmsg truncate them. Larger than MNL_SOCKET_BUFFER_SIZE.
 */
#define FW_NL_BUFFER_SIZE 32768

struct fw_nl_dump {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;        /* last sequence number sent */
	uint32_t active_seq; /* the request awaited; 0: none */
	int interrupted;
	fw_nl_message_fn message;
	fw_nl_end_fn end;
	void *data;
	void (*stale_end)(void *data);
	void *stale_data;
	char *buf;
};

/* "cttimeout", "nft", or "nfnetlink subsystem N" in buf. */
static const char *subsys_label(uint16_t subsys, char *buf, size_t len)
{
	switch (subsys) {
	case NFNL_SUBSYS_CTNETLINK:
		return "conntrack";
	case NFNL_SUBSYS_CTNETLINK_TIMEOUT:
		return "cttimeout";
	case NFNL_SUBSYS_NFTABLES:
		return "nft";
	}
	snprintf(buf, len, "nfnetlink subsystem %u", subsys);
	return buf;
}

/* Errors that mean "this kernel lacks the subsystem" rather than a failure of ours. */
static const char *absence_hint(int err)
{
	switch (err) {
	case EINVAL:
	case EOPNOTSUPP:
	case ENOENT:
	case EPROTONOSUPPORT:
		return " (kernel support missing?)";
	}
	return "";
}

const char *fw_nl_permission_hint(int err)
{
	if (err == EPERM || err == EACCES)
		return " (the process lacks CAP_NET_ADMIN in this network namespace)";
	return "";
}

void fw_nl_dump_error(char *error, size_t error_len, const char *label, const char *what, int err)
{
	const char *text = err == ETIMEDOUT ? "no reply from the kernel"
	                   : err == EINTR   ? "interrupted by a concurrent ruleset change"
	                                    : strerror(err);

	if (what)
		snprintf(error, error_len, "%s: %s: %s%s%s", label, what, text, absence_hint(err),
		         fw_nl_permission_hint(err));
	else
		snprintf(error, error_len, "%s: %s%s%s", label, text, absence_hint(err),
		         fw_nl_permission_hint(err));
}

static int is_end(const struct nlmsghdr *nlh, int *err)
{
	*err = 0;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* the dump's final status; negative when it failed part way */
		if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
			int status;

			memcpy(&status, mnl_nlmsg_get_payload(nlh), sizeof(status));
			if (status < 0)
				*err = -status;
		}
		return 1;
	}
	if (nlh->nlmsg_type == NLMSG_OVERRUN) {
		*err = ENOBUFS;
		return 1;
	}
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
			*err = EBADMSG;
			return 1;
		}
		/* error 0 is an acknowledgement; a dump ends with NLMSG_DONE regardless */
		if (e->error == 0)
			return 0;
		*err = e->error < 0 ? -e->error : e->error;
		return 1;
	}
	return 0;
}

enum fw_nl_reply fw_nl_classify(const struct nlmsghdr *nlh, uint32_t portid, uint32_t seq, int *err,
                                int *interrupted)
{
	int ended = is_end(nlh, err);

	if (seq == 0 || nlh->nlmsg_seq != seq || !mnl_nlmsg_portid_ok(nlh, portid)) {
		/* a refusal (EBUSY) answers a newer request; it ends nothing old */
		return ended && *err != EBUSY ? FW_NL_STALE_END : FW_NL_SKIP;
	}
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		*interrupted = 1;
	if (ended)
		return FW_NL_END;
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return FW_NL_SKIP;
	return FW_NL_DATA;
}

struct fw_nl_dump *fw_nl_dump_open(const char *label, char *error, size_t error_len)
{
	struct fw_nl_dump *d = calloc(1, sizeof(*d));
	int saved;

	if (!d) {
		fw_nl_dump_error(error, error_len, label, "open", ENOMEM);
		return NULL;
	}
	d->buf = malloc(FW_NL_BUFFER_SIZE);
	if (!d->buf) {
		fw_nl_dump_error(error, error_len, label, "buffer", ENOMEM);
		goto fail;
	}
	d->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!d->nl) {
		fw_nl_dump_error(error, error_len, label, "netlink socket", errno);
		goto fail;
	}
	if (mnl_socket_bind(d->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fw_nl_dump_error(error, error_len, label, "netlink bind", errno);
		goto fail;
	}
	d->portid = mnl_socket_get_portid(d->nl);
	d->seq = (uint32_t)time(NULL);
	return d;
fail:
	saved = errno;
	fw_nl_dump_close(d);
	errno = saved;
	return NULL;
}

void fw_nl_dump_close(struct fw_nl_dump *d)
{
	if (!d)
		return;
	if (d->nl)
		mnl_socket_close(d->nl);
	free(d->buf);
	free(d);
}

int fw_nl_dump_fd(const struct fw_nl_dump *d)
{
	return mnl_socket_get_fd(d->nl);
}

uint32_t fw_nl_dump_portid(const struct fw_nl_dump *d)
{
	return d->portid;
}

int fw_nl_dump_send(struct fw_nl_dump *d, struct nlmsghdr *request, fw_nl_message_fn message,
                    fw_nl_end_fn end, void *data)
{
	int eintr = 0;

	if (++d->seq == 0)
		d->seq = 1;
	request->nlmsg_seq = d->seq;
	d->active_seq = 0;
	for (;;) {
		if (mnl_socket_sendto(d->nl, request, request->nlmsg_len) >= 0)
			break;
		if (errno == EINTR && ++eintr <= FW_NL_MAX_EINTR)
			continue;
		return -1;
	}
	d->active_seq = d->seq;
	d->interrupted = 0;
	d->message = message;
	d->end = end;
	d->data = data;
	return 0;
}

void fw_nl_dump_on_stale_end(struct fw_nl_dump *d, void (*stale_end)(void *data), void *data)
{
	d->stale_end = stale_end;
	d->stale_data = data;
}

void fw_nl_dump_abandon(struct fw_nl_dump *d)
{
	d->active_seq = 0;
}

int fw_nl_dump_active(const struct fw_nl_dump *d)
{
	return d->active_seq != 0;
}

/* Ends the awaited dump; its end callback may start the next one. */
static void finish(struct fw_nl_dump *d, int err)
{
	fw_nl_end_fn end = d->end;

	d->active_seq = 0;
	if (end)
		end(err, d->data);
}

/* One datagram; returns the messages handled. */
static unsigned handle_datagram(struct fw_nl_dump *d, size_t len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)d->buf;
	int remaining = (int)len;
	unsigned handled = 0;
	uint32_t awaited = d->active_seq; /* an end callback may send the next request meanwhile */

	for (; mnl_nlmsg_ok(nlh, remaining); nlh = mnl_nlmsg_next(nlh, &remaining)) {
		int err = 0;

		handled++;
		switch (fw_nl_classify(nlh, d->portid, d->active_seq, &err, &d->interrupted)) {
		case FW_NL_SKIP:
			break;
		case FW_NL_STALE_END:
			if (d->stale_end)
				d->stale_end(d->stale_data);
			break;
		case FW_NL_END:
			finish(d, err == 0 && d->interrupted ? EINTR : err);
			break;
		case FW_NL_DATA:
			errno = 0;
			if (d->message && d->message(nlh, d->data) < 0)
				finish(d, errno ? errno : EBADMSG);
			break;
		}
	}
	/* leftover bytes that do not form a message: the kernel's reply was cut */
	if (remaining > 0 && d->active_seq && d->active_seq == awaited)
		finish(d, EBADMSG);
	return handled;
}

ssize_t fw_nl_recv(int fd, void *buf, size_t len, uint32_t *sender, int *truncated)
{
	struct sockaddr_nl addr;
	struct iovec iov = {.iov_base = buf, .iov_len = len};
	struct msghdr msg = {
	    .msg_name = &addr,
	    .msg_namelen = sizeof(addr),
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	};
	int eintr = 0;
	ssize_t n;

	for (;;) {
		n = recvmsg(fd, &msg, MSG_DONTWAIT);
		if (n >= 0)
			break;
		if (errno != EINTR || ++eintr > FW_NL_MAX_EINTR)
			return -1;
	}
	*sender = msg.msg_namelen == sizeof(addr) ? addr.nl_pid : UINT32_MAX;
	*truncated = (msg.msg_flags & MSG_TRUNC) != 0;
	return n;
}

int fw_nl_dump_process(struct fw_nl_dump *d, unsigned max_messages)
{
	unsigned handled = 0;

	while (handled < max_messages) {
		uint32_t sender;
		int truncated;
		ssize_t n =
		    fw_nl_recv(fw_nl_dump_fd(d), d->buf, FW_NL_BUFFER_SIZE, &sender, &truncated);

		if (n < 0) {
			int err = errno;

			if (err == EAGAIN || err == EWOULDBLOCK)
				break;
			if (d->active_seq)
				finish(d, err);
			errno = err;
			return -1;
		}
		/* only the kernel answers a dump */
		if (sender != 0) {
			handled++;
			continue;
		}
		if (truncated) {
			if (d->active_seq)
				finish(d, EMSGSIZE);
			handled++;
			continue;
		}
		/* a datagram counts once at least, messages in it or not */
		unsigned messages = handle_datagram(d, (size_t)n);

		handled += messages ? messages : 1;
	}
	return (int)handled;
}

struct nlmsghdr *fw_nl_dump_put_request(void *buf, uint16_t subsys, uint16_t msg_type,
                                        uint8_t family)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	memset(buf, 0, FW_NL_REQUEST_MAX);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)((subsys << 8) | msg_type);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return nlh;
}

struct blocking {
	fw_nl_message_fn fn;
	void *data;
	int done, err;
};

static int blocking_message(const struct nlmsghdr *nlh, void *data)
{
	struct blocking *b = data;

	return b->fn(nlh, b->data);
}

static void blocking_end(int err, void *data)
{
	struct blocking *b = data;

	b->done = 1;
	b->err = err;
}

int fw_nl_dump_request(const char *label, struct nlmsghdr *request, fw_nl_message_fn fn, void *data,
                       char *error, size_t error_len)
{
	struct blocking b = {.fn = fn, .data = data};
	struct fw_nl_dump *d = fw_nl_dump_open(label, error, error_len);

	if (!d)
		return -1;
	if (fw_nl_dump_send(d, request, blocking_message, blocking_end, &b) < 0) {
		b.done = 1;
		b.err = errno;
		fw_nl_dump_error(error, error_len, label, "send", b.err);
		fw_nl_dump_close(d);
		errno = b.err;
		return -1;
	}
	while (!b.done) {
		struct pollfd pfd = {.fd = fw_nl_dump_fd(d), .events = POLLIN};
		int ready = poll(&pfd, 1, FW_NL_RECV_TIMEOUT_MS);

		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0) {
			b.err = ready < 0 ? errno : ETIMEDOUT;
			break;
		}
		if (fw_nl_dump_process(d, UINT32_MAX) < 0 && !b.done)
			b.err = errno;
		if (b.err)
			break;
	}
	fw_nl_dump_close(d);
	if (b.err) {
		fw_nl_dump_error(error, error_len, label, NULL, b.err);
		errno = b.err;
		return -1;
	}
	return 0;
}

int fw_nl_dump(uint16_t subsys, uint16_t msg_type, uint8_t family, fw_nl_message_fn fn, void *data,
               char *error, size_t error_len)
{
	union {
		char bytes[FW_NL_REQUEST_MAX];
		uint32_t align;
	} req;
	char label_buf[40], label[64];

	snprintf(label, sizeof(label), "%s dump",
	         subsys_label(subsys, label_buf, sizeof(label_buf)));
	return fw_nl_dump_request(label,
	                          fw_nl_dump_put_request(req.bytes, subsys, msg_type, family), fn,
	                          data, error, error_len);
}

int fw_nl_attr_table(const void *start, size_t len, const uint8_t *policy, unsigned max,
                     const struct nlattr **tb, const char *what, char *error, size_t error_len)
{
	const char *base = start;
	size_t off = 0;
	unsigned i;

	for (i = 0; i <= max; i++)
		tb[i] = NULL;

	while (off < len && len - off >= sizeof(struct nlattr)) {
		const struct nlattr *attr = (const struct nlattr *)(base + off);
		uint16_t type = mnl_attr_get_type(attr);

		if (attr->nla_len < sizeof(struct nlattr) || attr->nla_len > len - off) {
			snprintf(error, error_len,
			         "%s: attribute %u at offset %zu has length %u, %zu bytes left",
			         what, type, off, attr->nla_len, len - off);
			errno = EBADMSG;
			return -1;
		}
		if (type <= max && policy[type] != MNL_TYPE_UNSPEC) {
			if (mnl_attr_validate(attr, (enum mnl_attr_data_type)policy[type]) < 0) {
				snprintf(error, error_len,
				         "%s: attribute %u has a bad payload (%u bytes)", what,
				         type, (unsigned)mnl_attr_get_payload_len(attr));
				errno = EBADMSG;
				return -1;
			}
			tb[type] = attr;
		}
		off += MNL_ALIGN(attr->nla_len);
	}
	/* 1-3 bytes cannot hold an attribute: the sender's lengths are inconsistent. */
	if (off < len) {
		snprintf(error, error_len, "%s: %zu stray bytes after the last attribute", what,
		         len - off);
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

const void *fw_nl_aligned(const void *buf, size_t len, void **copy)
{
	*copy = NULL;
	if (((uintptr_t)buf & 3) == 0)
		return buf;
	*copy = malloc(len ? len : 1);
	if (!*copy)
		return NULL;
	memcpy(*copy, buf, len);
	return *copy;
}
