/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Builds ctnetlink conntrack messages with libmnl, attribute for attribute in
 * the order the kernel's ctnetlink fills them (events, dump rows), or as a
 * create request for ct_insert. Shared by the benchmarks and ct_insert.
 */
#ifndef FWSTATE_BENCH_CT_MSG_H
#define FWSTATE_BENCH_CT_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "ct_event.h"

struct ct_msg_spec {
	uint16_t msg_type; /* IPCTNL_MSG_CT_NEW or IPCTNL_MSG_CT_DELETE */
	uint16_t nl_flags; /* NLM_F_CREATE|NLM_F_EXCL (new event), NLM_F_MULTI (dump row)... */
	uint32_t seq;
	uint32_t portid;
	struct fw_ct_tuple orig; /* the reply tuple is this one reversed */
	uint32_t status;         /* IPS_* */
	uint8_t has_timeout;
	uint32_t timeout;
	uint8_t has_state;
	uint8_t tcp_state;
	uint8_t tcp_details; /* window scales and flags, as events and dumps carry them */
	uint8_t has_counters;
	uint64_t orig_packets, orig_bytes, reply_packets, reply_bytes;
	uint8_t has_start;
	uint64_t start_ns;
	uint8_t has_mark;
	uint32_t mark;
	uint8_t has_id; /* CTA_ID and CTA_USE, which the kernel puts in every entry */
	uint32_t id;
};

/* Writes one message into buf; returns its length, or 0 if it does not fit. */
size_t ct_msg_build(void *buf, size_t len, const struct ct_msg_spec *spec);

#endif
