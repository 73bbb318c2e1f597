/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Feeds arbitrary bytes to fw_ct_parse() as one netlink message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ct_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int tuple_sane(const struct fw_ct_tuple *t, uint8_t family, int may_be_empty)
{
	static const uint8_t zero[12];

	if (may_be_empty && t->family == 0) {
		static const struct fw_ct_tuple none;

		return memcmp(t, &none, sizeof(none)) == 0;
	}
	if (t->family != family)
		return 0;
	/* IPv4 addresses use 4 of the 16 bytes; the rest must stay clear. */
	if (family == AF_INET &&
	    (memcmp(t->src + 4, zero, sizeof(zero)) || memcmp(t->dst + 4, zero, sizeof(zero))))
		return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fw_ct_event zero;
	struct fw_ct_event ev, again;
	char error[256];
	int ret;

	memset(&ev, 0xa5, sizeof(ev));
	error[0] = 'x';
	ret = fw_ct_parse(data, size, &ev, error, sizeof(error));
	/* The contract: 1 with an event, 0 or -1 (with a message) and a zeroed event. */
	if (ret < -1 || ret > 1 || !memchr(error, '\0', sizeof(error)))
		abort();
	if (ret != 1) {
		if (memcmp(&ev, &zero, sizeof(ev)) || (ret < 0 && error[0] == '\0'))
			abort();
		return 0;
	}
	if (ev.kind != FW_CT_NEW && ev.kind != FW_CT_UPDATE && ev.kind != FW_CT_DESTROY)
		abort();
	if (ev.orig.family != AF_INET && ev.orig.family != AF_INET6)
		abort();
	if (!tuple_sane(&ev.orig, ev.orig.family, 0) || !tuple_sane(&ev.reply, ev.orig.family, 1))
		abort();
	if ((!ev.has_timeout && ev.timeout) || (!ev.has_start && ev.start_ns) ||
	    (!ev.has_tcp_state && ev.tcp_state) ||
	    (!ev.has_counters &&
	     (ev.orig_packets || ev.orig_bytes || ev.reply_packets || ev.reply_bytes)))
		abort();
	if (!fw_tcp_state_label(ev.tcp_state))
		abort();
	/* Parsing is a function of the bytes: the same input, an unaligned copy, the same event. */
	{
		uint8_t *copy = malloc(size + 1);

		if (!copy)
			return 0;
		memcpy(copy + 1, data, size);
		if (fw_ct_parse(copy + 1, size, &again, error, sizeof(error)) != 1 ||
		    memcmp(&ev, &again, sizeof(ev)))
			abort();
		free(copy);
	}
	return 0;
}
