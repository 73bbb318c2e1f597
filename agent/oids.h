/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FWSTATE-MIB object identifiers. The module root is defined once, in oids.c;
 * everything else is a suffix below it, named after the MIB object.
 */
#ifndef FWSTATE_OIDS_H
#define FWSTATE_OIDS_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

/* Root + suffix into out (MAX_OID_LEN long); returns the length. */
size_t fwstate_oid(oid *out, const oid *suffix, size_t suffix_len);

#define FWSTATE_OID(out, ...)                        \
	fwstate_oid(out, (const oid[]){__VA_ARGS__}, \
	            sizeof((const oid[]){__VA_ARGS__}) / sizeof(oid))

/* Suffixes below fwStateMIB. */
#define FWSTATE_NOTIFICATIONS  0
#define FWSTATE_TIMEOUTS       1, 1 /* fwStateObjects.fwStateTimeouts */
#define FWSTATE_NOTIFY_OBJECTS 1, 2 /* fwStateObjects.fwStateNotifyObjects */

#define FWSTATE_SESSIONS     1, 3 /* fwStateObjects.fwStateSessions */
#define FWSTATE_AGENT        1, 4 /* fwStateObjects.fwStateAgent */
#define FWSTATE_NOTIFY_QUEUE 1, 5 /* fwStateObjects.fwStateNotifyQueue */
#define FWSTATE_CONNTRACK    1, 6 /* fwStateObjects.fwStateConntrack */
#define FWSTATE_RESOLVERS    1, 7 /* fwStateObjects.fwStateResolvers */

#define FWSTATE_TIMEOUT_TABLE 7
#define FWSTATE_SOURCE_TABLE  8

#define FWSTATE_SESSION_TABLE  10
#define FWSTATE_PHONE_TABLE    11
#define FWSTATE_TEARDOWN_TABLE 12

/* fwStateConformance.fwStateCompliances.fwStateCompliance5: what sysORTable names. */
#define FWSTATE_COMPLIANCE 2, 2, 5

#endif
