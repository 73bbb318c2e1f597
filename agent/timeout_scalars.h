/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FWSTATE_TIMEOUT_SCALARS_H
#define FWSTATE_TIMEOUT_SCALARS_H

/* fwStateTimeoutThreshold .. fwStateTimeoutLastReadError, read from timeout_poll_view(). */
int timeout_scalars_register(void);

#endif
