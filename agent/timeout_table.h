/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FWSTATE_TIMEOUT_TABLE_H
#define FWSTATE_TIMEOUT_TABLE_H

#include "timeout_poll.h"

/* fwStateTimeoutTable and fwStateSourceTable, answered from view. */
int timeout_table_register(const struct timeout_view *view);

/* Brings the table's rows in line with the view: inserts, updates and removes in place. */
void timeout_table_sync(const struct timeout_view *view);

void timeout_table_unregister(void);

#endif
