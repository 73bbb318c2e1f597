/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure encoders for FWSTATE-MIB values: table indexes and DateAndTime. No
 * Net-SNMP headers, so unit tests and fuzzers use them directly; sub-identifiers
 * are unsigned long, which is Net-SNMP's `oid` on Linux.
 */
#ifndef FWSTATE_MIB_ENCODE_H
#define FWSTATE_MIB_ENCODE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../collectors/resolver_tracker.h"
#include "../collectors/session_tracker.h"
#include "../collectors/timeout_row.h"

typedef unsigned long fw_subid;

/*
 * Appends a non-IMPLIED OCTET STRING index (length, then one sub-identifier per
 * octet) at out[*len]. Returns 0, or -1 if it would pass max (nothing written).
 */
int fw_index_append_string(fw_subid *out, size_t *len, size_t max, const char *text);

/*
 * fwStateTimeoutEntry index: source kind, source name, protocol, state.
 * Returns the number of sub-identifiers written, or 0 if max is too small.
 */
size_t fw_timeout_index_encode(const struct fw_timeout_row *row, fw_subid *out, size_t max);

/* The inverse; returns 0, or -1 when the sub-identifiers are not a valid index. */
int fw_timeout_index_decode(const fw_subid *in, size_t len, struct fw_timeout_row *row);

/* INET-ADDRESS-MIB InetAddressType of an address family: ipv4(1), ipv6(2), unknown(0). */
unsigned fw_inet_address_type(uint8_t family);

/* Octets of an InetAddress of that family: 4, 16, or 0. */
size_t fw_inet_address_len(uint8_t family);

/*
 * fwStateSessionEntry index: phone address type, phone address, phone port,
 * server address type, server address, server port, zone (original tuple).
 * Returns the length or 0.
 */
size_t fw_session_index_encode(const struct fw_session *session, fw_subid *out, size_t max);

/* fwStatePhoneEntry index: address type, address. Returns the length or 0. */
size_t fw_phone_index_encode(const struct fw_phone *phone, fw_subid *out, size_t max);

/* fwStateResolverEntry index: address type, address. Returns the length or 0. */
size_t fw_resolver_index_encode(const struct fw_resolver *resolver, fw_subid *out, size_t max);

/*
 * fwStatePhoneResolverEntry index: phone address type and address, resolver
 * address type and address. Returns the length or 0.
 */
size_t fw_phone_resolver_index_encode(const struct fw_phone_resolver *pair, fw_subid *out,
                                      size_t max);

/* An SNMPv2-TC TimeStamp: the value of sysUpTime at an event. */
struct fw_timestamp {
	uint64_t event_mono_ms; /* the event, on CLOCK_MONOTONIC */
	uint64_t base_mono_ms;  /* sysUpTime's zero on CLOCK_MONOTONIC when ticks was computed */
	uint32_t ticks;
	int known;
};

void fw_timestamp_init(struct fw_timestamp *ts, uint64_t event_mono_ms);

/*
 * The TimeStamp given sysUpTime now (uptime_now hundredths at now_mono_ms):
 * stable from call to call, 0 when the event came before sysUpTime's zero
 * (the agent serving it restarted since), recomputed when that zero moves.
 */
uint32_t fw_timestamp_value(struct fw_timestamp *ts, uint32_t uptime_now, uint64_t now_mono_ms);

/* SNMPv2-TC DateAndTime with UTC offset: always 11 octets. */
#define FW_DATE_AND_TIME_LEN 11
void fw_date_and_time(const struct tm *local, uint8_t out[FW_DATE_AND_TIME_LEN]);

#endif
