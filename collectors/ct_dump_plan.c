/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ct_dump_plan.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static uint8_t request_family(unsigned request)
{
	return request % 2 ? AF_INET6 : AF_INET;
}

static const struct fw_ct_service *request_service(const struct fw_ct_dump_plan *plan,
                                                   unsigned request)
{
	return &plan->services[request / 2];
}

/* The first request from `from` on whose family is wanted; 2 * service_count when none is left. */
static unsigned wanted_request(const struct fw_ct_dump_plan *plan, unsigned from)
{
	while (from < 2 * plan->service_count && !plan->want_family[from % 2])
		from++;
	return from;
}

static int service_index(const struct fw_ct_dump_plan *plan, uint8_t protocol, uint16_t port)
{
	for (size_t i = 0; i < plan->service_count; i++)
		if (plan->services[i].protocol == protocol && plan->services[i].port == port)
			return (int)i;
	return -1;
}

static void add_service(struct fw_ct_dump_plan *plan, uint8_t protocol, uint16_t port)
{
	/* one listed twice would be dumped twice */
	if (service_index(plan, protocol, port) < 0 && plan->service_count < FW_CT_MAX_SERVICES)
		plan->services[plan->service_count++] =
		    (struct fw_ct_service){.protocol = protocol, .port = port};
}

void fw_ct_plan_init(struct fw_ct_dump_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->kernel_filter = 1;
}

int fw_ct_plan_start(struct fw_ct_dump_plan *plan, const uint16_t *ports, size_t port_count,
                     int dns, int ipv4, int ipv6)
{
	if (port_count == 0 || port_count > FW_CT_MAX_PORTS || (!ipv4 && !ipv6))
		return -1;
	plan->service_count = 0;
	for (size_t i = 0; i < port_count; i++)
		add_service(plan, IPPROTO_TCP, ports[i]);
	if (dns) {
		add_service(plan, IPPROTO_UDP, 53);
		add_service(plan, IPPROTO_TCP, 53);
		add_service(plan, IPPROTO_TCP, 853);
	}
	plan->running = 1;
	plan->unfiltered = !plan->kernel_filter;
	plan->want_family[0] = ipv4;
	plan->want_family[1] = ipv6;
	plan->request = wanted_request(plan, 0);
	plan->resend = 0;
	plan->done[0] = plan->done[1] = 0;
	return 0;
}

void fw_ct_plan_request(const struct fw_ct_dump_plan *plan, struct fw_ct_dump_request *request)
{
	request->unfiltered = plan->unfiltered;
	request->family = plan->unfiltered ? AF_UNSPEC : request_family(plan->request);
	request->protocol = plan->unfiltered ? 0 : request_service(plan, plan->request)->protocol;
	request->port = plan->unfiltered ? 0 : request_service(plan, plan->request)->port;
}

enum fw_ct_row_verdict fw_ct_plan_row(struct fw_ct_dump_plan *plan, uint8_t family,
                                      uint8_t protocol, uint16_t dport)
{
	int idx = service_index(plan, protocol, dport);

	if (idx >= 0) {
		if (plan->unfiltered)
			/* after a fallback, what the filtered requests delivered is skipped */
			return (plan->done[family == AF_INET6] & (1U << idx)) ? FW_CT_ROW_SKIP
			                                                      : FW_CT_ROW_ACCEPT;
		if (family == request_family(plan->request) && (unsigned)idx == plan->request / 2)
			return FW_CT_ROW_ACCEPT;
	} else if (plan->unfiltered) {
		return FW_CT_ROW_SKIP;
	}
	/* a kernel that ignores CTA_FILTER sends everything: one unfiltered dump is cheaper */
	if (!plan->unfiltered && plan->kernel_filter) {
		plan->kernel_filter = 0;
		return FW_CT_ROW_FILTER_IGNORED;
	}
	return FW_CT_ROW_SKIP;
}

enum fw_ct_plan_step fw_ct_plan_end(struct fw_ct_dump_plan *plan, int err)
{
	if (!plan->running)
		return FW_CT_PLAN_IGNORE;
	if (err == EBUSY) {
		/* this socket's previous dump is still running in the kernel */
		plan->resend = 1;
		return FW_CT_PLAN_WAIT;
	}
	if (err && !plan->unfiltered && (err == EOPNOTSUPP || err == EINVAL)) {
		plan->kernel_filter = 0;
		plan->unfiltered = 1;
		return FW_CT_PLAN_FALLBACK;
	}
	if (err) {
		fw_ct_plan_stop(plan);
		return FW_CT_PLAN_FAILED;
	}
	if (!plan->unfiltered) {
		plan->done[request_family(plan->request) == AF_INET6] |= 1U << (plan->request / 2);
		plan->request = wanted_request(plan, plan->request + 1);
		if (plan->request < 2 * plan->service_count)
			return FW_CT_PLAN_SEND;
	}
	plan->running = 0;
	return FW_CT_PLAN_FINISHED;
}

enum fw_ct_plan_step fw_ct_plan_stale_end(struct fw_ct_dump_plan *plan)
{
	if (!plan->running || !plan->resend)
		return FW_CT_PLAN_IGNORE;
	plan->resend = 0;
	return FW_CT_PLAN_SEND;
}

void fw_ct_plan_stop(struct fw_ct_dump_plan *plan)
{
	plan->running = 0;
	plan->resend = 0;
}
