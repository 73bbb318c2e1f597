/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel-side filter of the conntrack event socket: a classic BPF
 * program that passes the events of TCP conntracks whose original
 * destination port is a SIP port and, when the phones' resolvers are
 * followed, of DNS (UDP and TCP 53, TCP 853: DNS over TLS), of the address
 * families in use, and drops every other event before it reaches the
 * socket's buffer. It walks the
 * nested tuple attributes with the SKF_AD_NLATTR and SKF_AD_NLATTR_NEST
 * extensions. What it cannot read it passes: user space checks every event
 * again.
 */
#ifndef FWSTATE_CT_EVENT_FILTER_H
#define FWSTATE_CT_EVENT_FILTER_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

/* Instructions the program needs at most (16 ports and DNS). */
#define FW_CT_EVENT_FILTER_MAX 56

#define FW_DNS_PORT     53
#define FW_DNS_TLS_PORT 853

/*
 * Builds the program for these ports (1 to 16), families and, with dns,
 * the DNS flows, into out (max instructions). Returns its length, or 0 when
 * it does not fit.
 */
size_t fw_ct_event_filter_build(const uint16_t *ports, size_t port_count, int ipv4, int ipv6,
                                int dns, struct sock_filter *out, size_t max);

#endif
