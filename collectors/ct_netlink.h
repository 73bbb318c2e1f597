/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The conntrack sockets: one subscribed to NEW/UPDATE/DESTROY events, one for
 * dumps. Both are non-blocking; the agent's event loop watches their fds and
 * calls the *_process functions, which handle at most a bounded number of
 * messages per call so the AgentX session is never starved.
 */
#ifndef FWSTATE_CT_NETLINK_H
#define FWSTATE_CT_NETLINK_H

#include <stddef.h>
#include <stdint.h>

#include "ct_dump_plan.h"
#include "ct_event.h"

struct fw_ct_netlink;

struct fw_ct_netlink_callbacks {
	/* An event from the event socket. */
	void (*event)(const struct fw_ct_event *ev, void *ctx);
	/* The event socket overran (ENOBUFS): events were lost; a resync is due. */
	void (*overrun)(void *ctx);
	/* A dump row (kind FW_CT_UPDATE), already filtered to TCP and the dump's ports. */
	void (*dump_row)(const struct fw_ct_event *ev, void *ctx);
	/*
	 * The dump finished (ok = 1) or failed (ok = 0; err is the errno
	 * value, 0 if none, and error says why).
	 */
	void (*dump_done)(int ok, int err, const char *error, void *ctx);
	void *ctx;
};

/*
 * Opens both sockets in the caller's network namespace. rcvbuf_bytes is the
 * event socket's receive buffer (SO_RCVBUFFORCE, falling back to SO_RCVBUF).
 * Returns NULL with error set (EPERM without CAP_NET_ADMIN, ...).
 */
struct fw_ct_netlink *fw_ct_netlink_open(const struct fw_ct_netlink_callbacks *callbacks,
                                         size_t rcvbuf_bytes, char *error, size_t error_len);
void fw_ct_netlink_close(struct fw_ct_netlink *ct);

/*
 * Has the kernel drop every event but those of TCP to these ports, of the
 * wanted families (ct_event_filter.h), before they reach the event socket;
 * replaces an earlier filter. Returns 0, or -1 with error set when the
 * kernel refused it: every event then reaches the socket, and the caller's
 * own checks filter them.
 */
int fw_ct_netlink_filter_events(struct fw_ct_netlink *ct, const uint16_t *ports, size_t port_count,
                                int dns, int ipv4, int ipv6, char *error, size_t error_len);

int fw_ct_netlink_event_fd(const struct fw_ct_netlink *ct);
int fw_ct_netlink_dump_fd(const struct fw_ct_netlink *ct);

/* Reads up to max_messages events; returns how many were handled, or -1 on a socket error. */
int fw_ct_netlink_process_events(struct fw_ct_netlink *ct, unsigned max_messages);

/* 1 when the last fw_ct_netlink_process_events call read the event queue empty. */
int fw_ct_netlink_events_drained(const struct fw_ct_netlink *ct);

/*
 * Queues a marker behind the events queued so far: a netlink message from the
 * dump socket to the event socket (the kernel allows it with CAP_NET_ADMIN,
 * which dumps need anyway; the event filter lets it through). Once
 * fw_ct_netlink_marker_read says a process_events call read it, every event
 * queued before the send has been handled, however busy the queue stays.
 * A newer marker replaces an unread one. Returns 0, or -1 with errno
 * (EAGAIN: the event socket is full).
 */
int fw_ct_netlink_send_marker(struct fw_ct_netlink *ct);
int fw_ct_netlink_marker_read(const struct fw_ct_netlink *ct);

/*
 * The marker message (pure, for tests): NLMSG_NOOP with seq, sent by port
 * `sender`. fw_ct_is_marker tells it among the datagrams of the event socket:
 * from the dump socket's port, with the sequence number awaited.
 */
size_t fw_ct_build_marker(void *buf, size_t buf_len, uint32_t seq, uint32_t sender);
int fw_ct_is_marker(const void *buf, size_t len, uint32_t sender, uint32_t dump_portid,
                    uint32_t seq);

/*
 * Starts a dump of TCP conntracks whose original destination port is one of
 * ports[] and, with dns, of DNS flows (UDP 53, TCP 53, TCP 853): one
 * kernel-filtered request per service and wanted family
 * (CTA_FILTER, kernels >= 5.8; a family the networks rule out is not walked)
 * or, where the kernel refuses the filter, one unfiltered dump filtered here.
 * A dump already running is restarted. Returns 0, or -1 with error set.
 */
int fw_ct_netlink_start_dump(struct fw_ct_netlink *ct, const uint16_t *ports, size_t port_count,
                             int dns, int ipv4, int ipv6, char *error, size_t error_len);

/*
 * Reads up to max_messages dump replies (a datagram read is handled whole, so
 * up to one datagram's worth more: ~100 rows); returns how many, or -1
 * (dump_done(0) was called).
 */
int fw_ct_netlink_process_dump(struct fw_ct_netlink *ct, unsigned max_messages);

/* 1 while the kernel filters dumps (CTA_FILTER accepted), 0 once it refused and we filter. */
int fw_ct_netlink_kernel_filter(const struct fw_ct_netlink *ct);

/* Messages (events, dump rows) that failed to parse; each was skipped and logged, rate-limited. */
uint64_t fw_ct_netlink_parse_errors(const struct fw_ct_netlink *ct);

/*
 * Builds a CTA_FILTER dump request for protocol (TCP, UDP) with original
 * destination port `port` into buf (pure; exposed for tests). Returns its
 * length, or 0 if buf is too small.
 */
size_t fw_ct_build_filtered_dump(void *buf, size_t buf_len, uint32_t seq, uint8_t family,
                                 uint8_t protocol, uint16_t port);

#endif
