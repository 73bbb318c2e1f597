/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ct_event_filter.h"

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* Where a jump goes: the next instruction, the verdicts at the end, or an index. */
enum {
	TO_NEXT = -1,
	TO_ACCEPT = -2,
	TO_DROP = -3,
};

struct program {
	struct sock_filter *out;
	size_t max, len;
	int jt[FW_CT_EVENT_FILTER_MAX], jf[FW_CT_EVENT_FILTER_MAX];
};

static void emit(struct program *p, uint16_t code, uint32_t k, int jt, int jf)
{
	if (p->len < p->max && p->len < FW_CT_EVENT_FILTER_MAX) {
		p->out[p->len] = (struct sock_filter){.code = code, .k = k};
		p->jt[p->len] = jt;
		p->jf[p->len] = jf;
	}
	p->len++;
}

static void stmt(struct program *p, uint16_t code, uint32_t k)
{
	emit(p, code, k, TO_NEXT, TO_NEXT);
}

/* A jump offset from instruction i to target (relative, as classic BPF counts). */
static int resolve(size_t i, int target, size_t accept, size_t drop)
{
	size_t to = target == TO_NEXT     ? i + 1
	            : target == TO_ACCEPT ? accept
	            : target == TO_DROP   ? drop
	                                  : (size_t)target;

	return (int)(to - i - 1);
}

size_t fw_ct_event_filter_build(const uint16_t *ports, size_t port_count, int ipv4, int ipv6,
                                int dns, struct sock_filter *out, size_t max)
{
	struct program p = {.out = out, .max = max};
	/* nlmsg_type is host order: its high byte, the nfnetlink subsystem, sits here */
	const uint16_t probe = 1;
	const uint32_t subsys_offset =
	    offsetof(struct nlmsghdr, nlmsg_type) + (*(const uint8_t *)&probe == 1 ? 1 : 0);
	const uint32_t attrs = NLMSG_HDRLEN + sizeof(struct nfgenmsg);
	size_t proto, accept, drop;

	if (port_count == 0 || port_count > 16)
		return 0;
	/* not a conntrack message (the agent's own resync marker, say): let it through */
	stmt(&p, BPF_LD | BPF_B | BPF_ABS, subsys_offset);
	emit(&p, BPF_JMP | BPF_JEQ | BPF_K, NFNL_SUBSYS_CTNETLINK, TO_NEXT, TO_ACCEPT);
	/* the address family, from nfgenmsg; one the networks rule out is dropped */
	stmt(&p, BPF_LD | BPF_B | BPF_ABS, NLMSG_HDRLEN + offsetof(struct nfgenmsg, nfgen_family));
	proto = p.len + 2;
	emit(&p, BPF_JMP | BPF_JEQ | BPF_K, AF_INET, ipv4 ? (int)proto : TO_DROP, TO_NEXT);
	emit(&p, BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, ipv6 ? (int)proto : TO_DROP, TO_ACCEPT);
	/* A = offset of CTA_TUPLE_ORIG among the message's attributes */
	stmt(&p, BPF_LD | BPF_IMM, attrs);
	stmt(&p, BPF_LDX | BPF_IMM, CTA_TUPLE_ORIG);
	stmt(&p, BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_NLATTR);
	emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, TO_ACCEPT, TO_NEXT);
	/* then CTA_TUPLE_PROTO inside it, kept in M[0] */
	stmt(&p, BPF_LDX | BPF_IMM, CTA_TUPLE_PROTO);
	stmt(&p, BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_NLATTR_NEST);
	emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, TO_ACCEPT, TO_NEXT);
	stmt(&p, BPF_ST, 0);
	/* CTA_PROTO_NUM: TCP or dropped */
	stmt(&p, BPF_LDX | BPF_IMM, CTA_PROTO_NUM);
	stmt(&p, BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_NLATTR_NEST);
	emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, TO_ACCEPT, TO_NEXT);
	stmt(&p, BPF_MISC | BPF_TAX, 0);
	stmt(&p, BPF_LD | BPF_B | BPF_IND, NLA_HDRLEN);
	if (dns) {
		/* TCP or UDP, the protocol kept in M[1]; anything else dropped */
		stmt(&p, BPF_ST, 1);
		emit(&p, BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, (int)p.len + 2, TO_NEXT);
		emit(&p, BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, TO_NEXT, TO_DROP);
	} else {
		emit(&p, BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, TO_NEXT, TO_DROP);
	}
	/* CTA_PROTO_DST_PORT (network order, as BPF loads it) */
	stmt(&p, BPF_LD | BPF_MEM, 0);
	stmt(&p, BPF_LDX | BPF_IMM, CTA_PROTO_DST_PORT);
	stmt(&p, BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_NLATTR_NEST);
	emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, TO_ACCEPT, TO_NEXT);
	stmt(&p, BPF_MISC | BPF_TAX, 0);
	stmt(&p, BPF_LD | BPF_H | BPF_IND, NLA_HDRLEN);
	if (dns) {
		/* port 53 passes for both; the rest only for TCP (X = the port, A = M[1]) */
		emit(&p, BPF_JMP | BPF_JEQ | BPF_K, FW_DNS_PORT, TO_ACCEPT, TO_NEXT);
		stmt(&p, BPF_MISC | BPF_TAX, 0);
		stmt(&p, BPF_LD | BPF_MEM, 1);
		emit(&p, BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, TO_NEXT, TO_DROP);
		stmt(&p, BPF_MISC | BPF_TXA, 0);
		emit(&p, BPF_JMP | BPF_JEQ | BPF_K, FW_DNS_TLS_PORT, TO_ACCEPT, TO_NEXT);
	}
	/* a SIP port (TCP) or dropped */
	for (size_t i = 0; i < port_count; i++)
		emit(&p, BPF_JMP | BPF_JEQ | BPF_K, ports[i], TO_ACCEPT, TO_NEXT);
	drop = p.len;
	stmt(&p, BPF_RET | BPF_K, 0);
	accept = p.len;
	/* the whole message: a smaller number would cut it */
	stmt(&p, BPF_RET | BPF_K, 0xffffffffu);
	if (p.len > max || p.len > FW_CT_EVENT_FILTER_MAX)
		return 0;
	for (size_t i = 0; i < p.len; i++) {
		if (BPF_CLASS(out[i].code) != BPF_JMP)
			continue;
		out[i].jt = (uint8_t)resolve(i, p.jt[i], accept, drop);
		out[i].jf = (uint8_t)resolve(i, p.jf[i], accept, drop);
	}
	return p.len;
}
