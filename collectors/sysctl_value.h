/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FWSTATE_SYSCTL_VALUE_H
#define FWSTATE_SYSCTL_VALUE_H

#include <stdint.h>

/*
 * Reads <proc_root>/sys/net/netfilter/<name> (e.g. "nf_conntrack_events") of
 * the caller's network namespace. Returns 0, or -1 when it is missing or not a
 * number.
 */
int fw_sysctl_read_netfilter_u32(const char *proc_root, const char *name, uint32_t *value);

#endif
