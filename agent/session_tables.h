/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fwStateSessionTable, fwStatePhoneTable and fwStateTeardownTable, fed by the
 * tracker's hooks, and the session scalars. Column numbers are FWSTATE-MIB's;
 * notifications name their varbinds with them.
 */
#ifndef FWSTATE_SESSION_TABLES_H
#define FWSTATE_SESSION_TABLES_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "../collectors/session_tracker.h"
#include "session_monitor.h"

/* fwStateSessionEntry columns (1-7 are the index). */
enum session_column {
	SESSION_NAT_ADDRESS_TYPE = 8,
	SESSION_NAT_ADDRESS = 9,
	SESSION_NAT_PORT = 10,
	SESSION_TCP_STATE = 11,
	SESSION_REMAINING_TIMEOUT = 12,
	SESSION_EFFECTIVE_TIMEOUT = 13,
	SESSION_TIMEOUT_STATUS = 14,
	SESSION_START_TIME = 15,
	SESSION_AGE = 16,
	SESSION_PACKETS_FROM_PHONE = 17,
	SESSION_BYTES_FROM_PHONE = 18,
	SESSION_PACKETS_FROM_SERVER = 19,
	SESSION_BYTES_FROM_SERVER = 20,
	SESSION_ACCOUNTING = 21,
	SESSION_MARK = 22,
	SESSION_CONNTRACK_ID = 23,
};

/* fwStatePhoneEntry columns (1-2 are the index). */
enum phone_column {
	PHONE_SESSIONS = 3,
	PHONE_SERVER_ADDRESS_TYPE = 4,
	PHONE_SERVER_ADDRESS = 5,
	PHONE_SERVER_PORT = 6,
	PHONE_SESSIONS_SEEN = 7,
	PHONE_TEARDOWNS = 8,
	PHONE_FIRST_CAUSE = 9, /* 9..15: teardowns by cause, reset(1) .. other(7) */
	PHONE_LAST_CAUSE = 15,
	PHONE_LAST_TEARDOWN_TIME = 16,
	PHONE_LAST_TEARDOWN_CAUSE = 17,
	PHONE_RECONNECTS = 18,
	PHONE_SERVER_CHANGES = 19,
	PHONE_CREATION_TIME = 20,
	PHONE_UNACKED_TIMEOUTS = 21, /* teardowns of cause unackedTimeout(8), added later */
	PHONE_SERVER_FLAPPING = 22,
	PHONE_SERVER_FLAPS = 23,
	PHONE_PREV_SERVER_ADDRESS_TYPE = 24,
	PHONE_PREV_SERVER_ADDRESS = 25,
	PHONE_PREV_SERVER_PORT = 26,
};

/* fwStateTeardownEntry columns (1 is the index). */
enum teardown_column {
	TEARDOWN_TIME = 2,
	TEARDOWN_PHONE_ADDRESS_TYPE = 3,
	TEARDOWN_PHONE_ADDRESS = 4,
	TEARDOWN_PHONE_PORT = 5,
	TEARDOWN_SERVER_ADDRESS_TYPE = 6,
	TEARDOWN_SERVER_ADDRESS = 7,
	TEARDOWN_SERVER_PORT = 8,
	TEARDOWN_ZONE = 9,
	TEARDOWN_DURATION = 10,
	TEARDOWN_LAST_STATE = 11,
	TEARDOWN_CAUSE = 12,
};

/* fwStateSessionTable: rows point at the tracker's sessions; values read with view. */
int session_table_register(const struct session_monitor_view *view);
int session_table_add(const struct fw_session *session);
void session_table_remove(const struct fw_session *session);
/* Appends the session's cells of these columns (for a notification). */
int session_table_varbinds(netsnmp_variable_list **vars, const struct fw_session *session,
                           const unsigned *columns, size_t count);
void session_table_unregister(void);

/* fwStatePhoneTable: rows point at the tracker's phones, until the tracker drops them. */
int phone_table_register(void);
int phone_table_add(const struct fw_phone *phone);
void phone_table_remove(const struct fw_phone *phone);
/* One varbind per column of phone's row (for the notifications), as table_util.h's. */
int phone_table_varbinds(netsnmp_variable_list **vars, const struct fw_phone *phone,
                         const unsigned *columns, size_t count);
void phone_table_unregister(void);

/* fwStateTeardownTable: rows are copies of the tracker's history records. */
int teardown_table_register(void);
int teardown_table_add(const struct fw_teardown *teardown);
void teardown_table_remove(uint32_t index);
int teardown_table_varbinds(netsnmp_variable_list **vars, const struct fw_teardown *teardown,
                            const unsigned *columns, size_t count);
void teardown_table_unregister(void);

/* fwStateSessionsNow .. fwStateSessionNotificationsHeld */
int session_scalars_register(const struct session_monitor_view *view);

#endif
