/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fwStateSessionTable, fwStatePhoneTable and fwStateTeardownTable, fed by the tracker's hooks. */
#ifndef FWSTATE_SESSION_TABLES_H
#define FWSTATE_SESSION_TABLES_H

#include "../collectors/session_tracker.h"

/* fwStateSessionTable: rows point at the tracker's sessions. */
int session_table_register(void);
int session_table_add(struct fw_session *session);
void session_table_remove(const struct fw_session *session);
void session_table_unregister(void);

/* fwStatePhoneTable: rows point at the tracker's phones, until the tracker drops them. */
int phone_table_register(void);
int phone_table_add(struct fw_phone *phone);
void phone_table_remove(const struct fw_phone *phone);
void phone_table_unregister(void);

/* fwStateTeardownTable: rows are copies of the tracker's history records. */
int teardown_table_register(void);
int teardown_table_add(const struct fw_teardown *teardown);
void teardown_table_remove(uint32_t index);
void teardown_table_unregister(void);

/* fwStateSessionsNow .. fwStateSessionNotificationsHeld */
int session_scalars_register(void);

#endif
