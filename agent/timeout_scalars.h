/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FWSTATE_TIMEOUT_SCALARS_H
#define FWSTATE_TIMEOUT_SCALARS_H

#include "timeout_poll.h"

/* fwStateTimeoutThreshold .. fwStateTimeoutLastReadError, read from view. */
int timeout_scalars_register(const struct timeout_view *view);

#endif
