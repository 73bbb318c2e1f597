/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How full the conntrack table of the agent's network namespace is, and
 * what the kernel dropped because it was full: nf_conntrack_count and
 * nf_conntrack_max, and the per-CPU counters of /proc/net/stat/nf_conntrack
 * (drop: packets dropped because no entry could be made; early_drop: entries
 * evicted to make room). A full table is how a firewall loses phones that
 * try to register again: their SYN is dropped.
 */
#ifndef FWSTATE_CT_TABLE_STATS_H
#define FWSTATE_CT_TABLE_STATS_H

#include <stddef.h>
#include <stdint.h>

struct fw_ct_table_stats {
	uint32_t entries;       /* nf_conntrack_count */
	uint32_t max;           /* nf_conntrack_max */
	uint64_t drops;         /* sum of "drop" over the CPUs */
	uint64_t early_drops;   /* sum of "early_drop" */
	uint64_t insert_failed; /* sum of "insert_failed" */
};

/*
 * Parses the text of /proc/net/stat/nf_conntrack: a header naming the
 * columns, then one line of hexadecimal numbers per CPU. Fills the three
 * counters (entries and max are left alone). Returns 0, or -1 with a message
 * naming what is wrong.
 */
int fw_ct_stat_parse(const char *text, size_t len, struct fw_ct_table_stats *stats, char *error,
                     size_t error_len);

/*
 * Reads them all below proc_root ("/proc"): net/stat/nf_conntrack and
 * sys/net/netfilter/nf_conntrack_{count,max}. Returns 0, or -1 with a
 * message naming the file.
 */
int fw_ct_table_read(const char *proc_root, struct fw_ct_table_stats *stats, char *error,
                     size_t error_len);

/* A "table full" episode: packets dropped, until none for quiet_ms. */
struct fw_ct_full_state {
	int primed;          /* a first reading was taken */
	int full;            /* in an episode */
	uint64_t last_drops; /* drops at the last reading */
	uint64_t episode_drops;
	uint64_t last_drop_ms; /* when drops last grew */
};

enum fw_ct_full_edge {
	FW_CT_FULL_UNCHANGED,
	FW_CT_FULL_BEGAN, /* packets are being dropped now */
	FW_CT_FULL_ENDED, /* none for quiet_ms */
};

/*
 * A new reading at now_ms. Drops counted before the first reading (or a
 * counter that went back, as after the namespace was recreated) start no
 * episode.
 */
enum fw_ct_full_edge fw_ct_full_update(struct fw_ct_full_state *state,
                                       const struct fw_ct_table_stats *stats, uint64_t now_ms,
                                       uint64_t quiet_ms);

#endif
