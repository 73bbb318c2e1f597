/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FWSTATE_NOTIFY_SCALARS_H
#define FWSTATE_NOTIFY_SCALARS_H

/* fwStateNotifyQueue: the notification queue's bound, length and counters. */
int notify_scalars_register(void);

#endif
