/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging for the kernel-side collectors. Collectors never include Net-SNMP
 * headers, so they log through a sink the agent installs (it forwards into
 * snmp_log); without a sink, messages go to stderr.
 */
#ifndef FWSTATE_COLLECTORS_LOG_H
#define FWSTATE_COLLECTORS_LOG_H

#include <syslog.h>

typedef void (*fw_log_sink)(int priority, const char *subsystem, const char *message);

void fw_log_set_sink(fw_log_sink sink);

/* subsystem is a short token such as "sysctl" or "nft"; priority is a syslog LOG_* level. */
void fw_log(int priority, const char *subsystem, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
