/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reads net.netfilter.nf_conntrack_{tcp,udp}_timeout_* of the calling
 * process's network namespace. The procfs root is a parameter so tests can
 * point it at a fixture directory.
 */
#ifndef FWSTATE_SYSCTL_TIMEOUTS_H
#define FWSTATE_SYSCTL_TIMEOUTS_H

#include <stddef.h>

#include "timeout_row.h"

/*
 * Appends one FW_SOURCE_SYSCTL row per readable sysctl found under
 * <proc_root>/sys/net/netfilter. Returns 0 when the directory was read, even
 * if single files failed (counted in *file_errors; error, which may be NULL,
 * names the first and how many more; nothing is logged, as this runs every
 * poll and the caller logs what changed); -1 when the directory itself cannot
 * be read (no conntrack in this namespace, no permission): error says why.
 */
int fw_sysctl_read_timeouts(const char *proc_root, struct fw_timeout_list *out,
                            unsigned *file_errors, char *error, size_t error_len);

/*
 * Parses the contents of one sysctl file ("60\n"). Returns 0 and stores the
 * value, or -1 when it is not a number that fits in 32 bits.
 */
int fw_sysctl_parse_seconds(const char *text, uint32_t *seconds);

/*
 * Maps a sysctl file name ("nf_conntrack_tcp_timeout_max_retrans") to its
 * protocol and state name ("retrans"). Returns 0, or -1 for files that are not
 * per-state conntrack timeouts.
 */
int fw_sysctl_timeout_key(const char *file_name, uint8_t *protocol, char *state, size_t state_len);

/* The inverse: the file name of a protocol's state ("retrans" -> "..._max_retrans"). 0 or -1. */
int fw_sysctl_timeout_name(uint8_t protocol, const char *state, char *name, size_t name_len);

#endif
