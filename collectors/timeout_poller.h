/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One poll of every timeout source without blocking: the sysctls are read at
 * once, then the netlink sources (cttimeout, nft) one after the other on the
 * dump engine, their replies handled as they arrive on its socket, which the
 * caller's event loop watches. Sources whose kernel module is not loaded are
 * not asked. The results go through the collector (timeout_collect.h), so a
 * failing source keeps its previous rows exactly as in a blocking poll.
 */
#ifndef FWSTATE_TIMEOUT_POLLER_H
#define FWSTATE_TIMEOUT_POLLER_H

#include "nl_dump.h"
#include "timeout_collect.h"

struct fw_timeout_poller {
	struct fw_timeout_collector *collector;
	struct fw_nl_dump
	    *dump; /* NULL until a netlink source needs it (or while it fails to open) */
	const struct fw_timeout_list *previous;
	struct fw_timeout_list *out;
	enum fw_timeout_source source; /* the netlink source awaited; 0: none */
	size_t start;                  /* its rows begin here in out */
	int attempt;
	int parse_failed;
	char parse_error[FW_ERROR_TEXT_MAX];
	int busy;     /* a poll is under way */
	int refused;  /* the kernel still runs an abandoned dump (EBUSY): ask again at its end */
	int finished; /* set when the poll ended inside the last call */
	unsigned failed_sources;
};

void fw_timeout_poller_init(struct fw_timeout_poller *p, struct fw_timeout_collector *collector);
void fw_timeout_poller_free(struct fw_timeout_poller *p);

/* The dump socket to watch for replies; -1 while there is none. */
int fw_timeout_poller_fd(const struct fw_timeout_poller *p);

/*
 * Starts a poll into out (previous: the last complete result, for the rows of
 * failing sources). Returns 1 when it completed at once (no netlink source to
 * ask), 0 when it awaits replies on the fd.
 */
int fw_timeout_poller_start(struct fw_timeout_poller *p, const struct fw_timeout_list *previous,
                            struct fw_timeout_list *out);

/* Handles the replies that arrived. Returns 1 when the poll completed now. */
int fw_timeout_poller_process(struct fw_timeout_poller *p);

/*
 * The kernel has not answered for too long: the source awaited fails with
 * "no reply from the kernel" and the poll goes on. Returns 1 when that
 * completed it.
 */
int fw_timeout_poller_expire(struct fw_timeout_poller *p);

int fw_timeout_poller_busy(const struct fw_timeout_poller *p);

#endif
