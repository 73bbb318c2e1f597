/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The netlink dump engine of every collector: one NETLINK_NETFILTER socket,
 * non-blocking, with one dump in flight at a time. It sends a request, checks
 * each reply (from the kernel, for this socket and sequence number), and
 * hands data messages to a callback and the end (NLMSG_DONE, an error, an
 * overrun) to another; replies of an abandoned request are dropped. The
 * conntrack dumps and the timeout polls run on it inside the agent's event
 * loop; fw_nl_dump() is the blocking form for one-shot tools.
 */
#ifndef FWSTATE_NL_DUMP_H
#define FWSTATE_NL_DUMP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct nlmsghdr;

/* Called for every reply message that is not NLMSG_DONE/NLMSG_ERROR; returns 0 or -1 to stop. */
typedef int (*fw_nl_message_fn)(const struct nlmsghdr *nlh, void *data);

/*
 * How a dump ended: err 0 when complete, else an errno value: the kernel's
 * error (EBUSY: this socket's previous dump still runs in the kernel; EINVAL
 * or EOPNOTSUPP: it lacks the subsystem or refused the request), EINTR when a
 * concurrent change interrupted it (NLM_F_DUMP_INTR), ENOBUFS on an overrun,
 * the callback's errno (EBADMSG by default) when it returned -1, or a socket
 * error.
 */
typedef void (*fw_nl_end_fn)(int err, void *data);

/* What one reply message is to the dump awaited (pure; exposed for tests). */
enum fw_nl_reply {
	FW_NL_SKIP,      /* an acknowledgement, NLMSG_NOOP, or a stale reply mid-dump */
	FW_NL_DATA,      /* a message for the callback */
	FW_NL_END,       /* the awaited dump ended; *err says how */
	FW_NL_STALE_END, /* the end of an abandoned dump */
};

/*
 * Classifies nlh (nlmsg_len bytes, already checked to fit) for a socket bound
 * to portid awaiting the reply to request seq (0: none). Sets *err for
 * FW_NL_END, and *interrupted when the kernel flagged the dump interrupted.
 */
enum fw_nl_reply fw_nl_classify(const struct nlmsghdr *nlh, uint32_t portid, uint32_t seq, int *err,
                                int *interrupted);

struct fw_nl_dump;

/* Opens and binds the socket. Returns NULL with "<label>: ..." in error and errno set. */
struct fw_nl_dump *fw_nl_dump_open(const char *label, char *error, size_t error_len);
void fw_nl_dump_close(struct fw_nl_dump *d);

int fw_nl_dump_fd(const struct fw_nl_dump *d);
uint32_t fw_nl_dump_portid(const struct fw_nl_dump *d);

/*
 * Sends request (an NLM_F_DUMP request; its sequence number is set here).
 * A dump still awaited is abandoned without its end being called: its
 * replies are dropped, and stale_end (when set) hears of its end. Returns 0,
 * or -1 with errno.
 */
int fw_nl_dump_send(struct fw_nl_dump *d, struct nlmsghdr *request, fw_nl_message_fn message,
                    fw_nl_end_fn end, void *data);

/* Called when an abandoned dump's replies end: the kernel is free for a new one. */
void fw_nl_dump_on_stale_end(struct fw_nl_dump *d, void (*stale_end)(void *data), void *data);

/* Stops awaiting the dump in flight, without calling its end. */
void fw_nl_dump_abandon(struct fw_nl_dump *d);

/* 1 while a dump is awaited. */
int fw_nl_dump_active(const struct fw_nl_dump *d);

/*
 * Reads what has arrived, up to max_messages messages (a datagram is handled
 * whole, so up to one datagram's worth more), without blocking. Returns how
 * many were handled, or -1 after a socket error (the awaited dump's end was
 * called with it).
 */
int fw_nl_dump_process(struct fw_nl_dump *d, unsigned max_messages);

/*
 * Reads one datagram from netlink socket fd without blocking (a few signals
 * are ridden out). Returns its length with *sender the port that sent it (0:
 * the kernel; UINT32_MAX: unknown) and *truncated set when it was larger than
 * len (the rest is lost); -1 with errno (EAGAIN, ENOBUFS, ...).
 */
ssize_t fw_nl_recv(int fd, void *buf, size_t len, uint32_t *sender, int *truncated);

/* "<label>: what: strerror(err)" plus a hint when err means the kernel lacks the subsystem. */
void fw_nl_dump_error(char *error, size_t error_len, const char *label, const char *what, int err);

/*
 * For EPERM and EACCES, what the kernel wants (netlink checks CAP_NET_ADMIN
 * of the socket's opener and of the sender at every request); else "".
 */
const char *fw_nl_permission_hint(int err);

/*
 * The blocking form: dumps request on a socket of its own and feeds the
 * replies to fn, waiting at most 200 ms for each datagram. Returns 0, or -1
 * with "<label>: ..." in error and errno (the end's err; ETIMEDOUT when the
 * kernel stayed silent). fn may have seen some messages before a failure.
 */
int fw_nl_dump_request(const char *label, struct nlmsghdr *request, fw_nl_message_fn fn, void *data,
                       char *error, size_t error_len);

/*
 * Writes into buf (FW_NL_REQUEST_MAX bytes, aligned) a bare NLM_F_DUMP request
 * of type (subsys << 8 | msg_type) for nfgen family `family`.
 */
#define FW_NL_REQUEST_MAX 128
struct nlmsghdr *fw_nl_dump_put_request(void *buf, uint16_t subsys, uint16_t msg_type,
                                        uint8_t family);

/* fw_nl_dump_request of a bare request, labelled after the subsystem ("cttimeout", "nft"). */
int fw_nl_dump(uint16_t subsys, uint16_t msg_type, uint8_t family, fw_nl_message_fn fn, void *data,
               char *error, size_t error_len);

/*
 * Attribute access needs 4-byte alignment, and parsers may be handed any byte
 * buffer: returns buf when it is aligned, else a malloc'd copy also stored in
 * *copy (for the caller to free); NULL when memory ran out.
 */
const void *fw_nl_aligned(const void *buf, size_t len, void **copy);

struct nlattr;

/*
 * Validates the attributes in the `len` bytes at `start` (4-byte aligned) and
 * indexes them by type into tb[0..max]. policy[type] is an MNL_TYPE_* value
 * checked with mnl_attr_validate(); types above max or with policy
 * MNL_TYPE_UNSPEC are skipped, as newer kernels add attributes. Nothing past
 * start + len is read. Returns 0, or -1 with "<what>: ..." in error.
 */
int fw_nl_attr_table(const void *start, size_t len, const uint8_t *policy, unsigned max,
                     const struct nlattr **tb, const char *what, char *error, size_t error_len);

#endif
