/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "mib_encode.h"

#include <string.h>
#include <sys/socket.h>

int fw_index_append_string(fw_subid *out, size_t *len, size_t max, const char *text)
{
	size_t n = strlen(text);

	if (*len + 1 + n > max)
		return -1;
	out[(*len)++] = n;
	for (size_t i = 0; i < n; i++)
		out[(*len)++] = (unsigned char)text[i];
	return 0;
}

size_t fw_timeout_index_encode(const struct fw_timeout_row *row, fw_subid *out, size_t max)
{
	size_t len = 0;

	if (max < 2)
		return 0;
	out[len++] = row->source;
	if (fw_index_append_string(out, &len, max, row->source_name) < 0 || len + 1 > max)
		return 0;
	out[len++] = row->protocol;
	if (fw_index_append_string(out, &len, max, row->state) < 0)
		return 0;
	return len;
}

/*
 * Reads a length-prefixed string of min_len..cap octets, each 1..255: names
 * are C strings, and may be UTF-8 (a cttimeout policy name is any bytes).
 */
static int read_string(const fw_subid *in, size_t len, size_t *pos, char *dst, size_t min_len,
                       size_t cap)
{
	size_t n;

	if (*pos >= len)
		return -1;
	n = in[(*pos)++];
	if (n < min_len || n > cap || n > len - *pos)
		return -1;
	for (size_t i = 0; i < n; i++) {
		fw_subid c = in[(*pos)++];

		if (c < 1 || c > 255)
			return -1;
		dst[i] = (char)c;
	}
	dst[n] = '\0';
	return 0;
}

int fw_timeout_index_decode(const fw_subid *in, size_t len, struct fw_timeout_row *row)
{
	size_t pos = 0;

	memset(row, 0, sizeof(*row));
	if (len < 1 || in[0] < FW_SOURCE_SYSCTL || in[0] > FW_SOURCE_NFT)
		return -1;
	row->source = (enum fw_timeout_source)in[pos++];
	/* the kernel accepts an empty cttimeout policy name */
	if (read_string(in, len, &pos, row->source_name, 0, FW_SOURCE_NAME_MAX) < 0)
		return -1;
	if (pos >= len || in[pos] > 255)
		return -1;
	row->protocol = (uint8_t)in[pos++];
	if (read_string(in, len, &pos, row->state, 1, FW_STATE_NAME_MAX) < 0)
		return -1;
	return pos == len ? 0 : -1;
}

unsigned fw_inet_address_type(uint8_t family)
{
	return family == AF_INET ? 1 : family == AF_INET6 ? 2 : 0;
}

size_t fw_inet_address_len(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* A non-IMPLIED InetAddress index component: length, then the octets. */
static int append_address(fw_subid *out, size_t *len, size_t max, uint8_t family,
                          const uint8_t *addr)
{
	size_t n = fw_inet_address_len(family);

	if (n == 0 || *len + 1 + n > max)
		return -1;
	out[(*len)++] = n;
	for (size_t i = 0; i < n; i++)
		out[(*len)++] = addr[i];
	return 0;
}

size_t fw_session_index_encode(const struct fw_session *session, fw_subid *out, size_t max)
{
	const struct fw_ct_tuple *t = &session->orig;
	unsigned type = fw_inet_address_type(t->family);
	size_t len = 0;

	if (max < 1 || type == 0)
		return 0;
	out[len++] = type;
	if (append_address(out, &len, max, t->family, t->src) < 0 || len + 2 > max)
		return 0;
	out[len++] = t->sport;
	out[len++] = type; /* conntrack never translates between families */
	if (append_address(out, &len, max, t->family, t->dst) < 0 || len + 2 > max)
		return 0;
	out[len++] = t->dport;
	out[len++] = session->zone;
	return len;
}

/* InetAddressType then InetAddress at out[*len]. */
static int append_typed_address(fw_subid *out, size_t *len, size_t max, uint8_t family,
                                const uint8_t *addr)
{
	if (*len + 1 > max || fw_inet_address_type(family) == 0)
		return -1;
	out[(*len)++] = fw_inet_address_type(family);
	return append_address(out, len, max, family, addr);
}

size_t fw_phone_index_encode(const struct fw_phone *phone, fw_subid *out, size_t max)
{
	size_t len = 0;

	if (append_typed_address(out, &len, max, phone->family, phone->addr) < 0)
		return 0;
	return len;
}

size_t fw_resolver_index_encode(const struct fw_resolver *resolver, fw_subid *out, size_t max)
{
	size_t len = 0;

	if (append_typed_address(out, &len, max, resolver->family, resolver->addr) < 0)
		return 0;
	return len;
}

size_t fw_phone_resolver_index_encode(const struct fw_phone_resolver *pair, fw_subid *out,
                                      size_t max)
{
	size_t len = 0;

	if (append_typed_address(out, &len, max, pair->phone_family, pair->phone_addr) < 0 ||
	    append_typed_address(out, &len, max, pair->resolver->family, pair->resolver->addr) < 0)
		return 0;
	return len;
}

/* How far sysUpTime's zero may seem to move before it counts as a new one (a restart). */
#define UPTIME_BASE_TOLERANCE_MS 1000

void fw_timestamp_init(struct fw_timestamp *ts, uint64_t event_mono_ms)
{
	ts->event_mono_ms = event_mono_ms;
	ts->base_mono_ms = 0;
	ts->ticks = 0;
	ts->known = 0;
}

uint32_t fw_timestamp_value(struct fw_timestamp *ts, uint32_t uptime_now, uint64_t now_mono_ms)
{
	uint64_t uptime_ms = (uint64_t)uptime_now * 10;
	uint64_t base = now_mono_ms > uptime_ms ? now_mono_ms - uptime_ms : 0;
	uint64_t moved =
	    base > ts->base_mono_ms ? base - ts->base_mono_ms : ts->base_mono_ms - base;

	/*
	 * sysUpTime has centisecond steps and a subagent re-reads it from its
	 * master at every ping, so its zero seems to wander by milliseconds; the
	 * value is computed once per zero and stays put, as a TimeStamp must.
	 */
	if (!ts->known || moved > UPTIME_BASE_TOLERANCE_MS) {
		ts->known = 1;
		ts->base_mono_ms = base;
		ts->ticks =
		    ts->event_mono_ms < base ? 0 : (uint32_t)((ts->event_mono_ms - base) / 10);
	}
	return ts->ticks;
}

void fw_date_and_time(const struct tm *local, uint8_t out[FW_DATE_AND_TIME_LEN])
{
	long offset = local->tm_gmtoff;
	int year = local->tm_year + 1900;

	out[0] = (uint8_t)(year >> 8);
	out[1] = (uint8_t)(year & 0xff);
	out[2] = (uint8_t)(local->tm_mon + 1);
	out[3] = (uint8_t)local->tm_mday;
	out[4] = (uint8_t)local->tm_hour;
	out[5] = (uint8_t)local->tm_min;
	out[6] =
	    (uint8_t)(local->tm_sec > 59 ? 59 : local->tm_sec); /* DateAndTime has no leap second */
	out[7] = 0;
	out[8] = offset < 0 ? '-' : '+';
	if (offset < 0)
		offset = -offset;
	out[9] = (uint8_t)(offset / 3600);
	out[10] = (uint8_t)((offset % 3600) / 60);
}
