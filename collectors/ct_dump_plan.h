/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The requests of one conntrack dump, and what each reply means for it. A
 * dump asks the kernel for each wanted (family, service) pair in turn with a
 * CTA_FILTER request, a service being TCP to a sipPort or, when the phones'
 * resolvers are followed, DNS (UDP 53, TCP 53, TCP 853); a kernel that refuses the filter (EINVAL,
 * EOPNOTSUPP) gets one unfiltered request instead, whose rows are filtered here and those of pairs
 * already dumped skipped; a kernel that ignores it (rows of other ports arrive) gets unfiltered
 * requests from the next dump on. EBUSY means the kernel still runs this socket's abandoned dump:
 * the request is sent again when that one's end arrives. Pure: ct_netlink.c does the I/O.
 */
#ifndef FWSTATE_CT_DUMP_PLAN_H
#define FWSTATE_CT_DUMP_PLAN_H

#include <stddef.h>
#include <stdint.h>

#define FW_CT_MAX_PORTS 16
/* the SIP ports and the three DNS services */
#define FW_CT_MAX_SERVICES (FW_CT_MAX_PORTS + 3)

/* What conntracks a filtered request asks for: protocol and original destination port. */
struct fw_ct_service {
	uint8_t protocol;
	uint16_t port;
};

struct fw_ct_dump_plan {
	int running;
	struct fw_ct_service services[FW_CT_MAX_SERVICES];
	size_t service_count;
	int want_family[2]; /* AF_INET ([0]) / AF_INET6 ([1]): the networks may rule one out */
	int kernel_filter;  /* 0 once the kernel refused or ignored CTA_FILTER */
	int unfiltered;     /* this dump: one unfiltered request */
	unsigned request;   /* filtered: index into the service x family requests */
	int resend;         /* the kernel was busy: send again at the abandoned dump's end */
	uint32_t done[2];   /* bit i: services[i] fully dumped for AF_INET ([0]) / AF_INET6 ([1]) */
};

/* What to ask the kernel now. */
struct fw_ct_dump_request {
	int unfiltered; /* one request for everything (family AF_UNSPEC) */
	uint8_t family; /* else this family, protocol and port */
	uint8_t protocol;
	uint16_t port;
};

enum fw_ct_plan_step {
	FW_CT_PLAN_IGNORE,   /* no dump runs: nothing to do */
	FW_CT_PLAN_SEND,     /* send fw_ct_plan_request() */
	FW_CT_PLAN_FALLBACK, /* the kernel refused the filter: send the unfiltered request */
	FW_CT_PLAN_WAIT,     /* EBUSY: wait for the abandoned dump's end */
	FW_CT_PLAN_FINISHED, /* the dump is complete */
	FW_CT_PLAN_FAILED,   /* the dump failed */
};

enum fw_ct_row_verdict {
	FW_CT_ROW_ACCEPT,         /* a row of the dump */
	FW_CT_ROW_SKIP,           /* not wanted, or already delivered */
	FW_CT_ROW_FILTER_IGNORED, /* not asked for: the kernel ignores filters (said once) */
};

void fw_ct_plan_init(struct fw_ct_dump_plan *plan);

/*
 * Starts a dump (abandoning one under way) of TCP to these ports and, with
 * dns, the DNS services. Returns 0, or -1 for no port, too many, no family.
 */
int fw_ct_plan_start(struct fw_ct_dump_plan *plan, const uint16_t *ports, size_t port_count,
                     int dns, int ipv4, int ipv6);

void fw_ct_plan_request(const struct fw_ct_dump_plan *plan, struct fw_ct_dump_request *request);

/* A row arrived for the request in flight. */
enum fw_ct_row_verdict fw_ct_plan_row(struct fw_ct_dump_plan *plan, uint8_t family,
                                      uint8_t protocol, uint16_t dport);

/* The request in flight ended: err 0 (complete) or an errno value. */
enum fw_ct_plan_step fw_ct_plan_end(struct fw_ct_dump_plan *plan, int err);

/* An abandoned dump's replies ended: SEND when a request waits for that. */
enum fw_ct_plan_step fw_ct_plan_stale_end(struct fw_ct_dump_plan *plan);

/* The dump is given up (a request could not be sent, the socket failed). */
void fw_ct_plan_stop(struct fw_ct_dump_plan *plan);

#endif
