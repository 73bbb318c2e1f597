/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One poll of every timeout source: sysctls, cttimeout policies and nft ct
 * timeout objects. A source that fails keeps its previous rows (marked stale
 * by its status) so that a passing read error never looks like "the policy was
 * removed" and never clears an alarm.
 */
#ifndef FWSTATE_TIMEOUT_COLLECT_H
#define FWSTATE_TIMEOUT_COLLECT_H

#include <time.h>

#include "timeout_row.h"

#define FW_ERROR_TEXT_MAX 256

struct fw_source_status {
	int ok;               /* 1 when the last read of this source succeeded */
	int not_in_use;       /* its kernel module is not loaded: not asked, nothing applies */
	unsigned long errors; /* read errors of this source since start */
	char last_error[FW_ERROR_TEXT_MAX];
};

/* The readers, replaceable so tests can make a source fail. */
struct fw_timeout_readers {
	int (*sysctl)(const char *proc_root, struct fw_timeout_list *out, unsigned *file_errors,
	              char *error, size_t error_len);
	int (*cttimeout)(struct fw_timeout_list *out, char *error, size_t error_len);
	int (*nft)(struct fw_timeout_list *out, char *error, size_t error_len);
};

struct fw_timeout_collector {
	const char *proc_root; /* "/proc" unless a test says otherwise */
	struct fw_timeout_readers readers;
	/*
	 * Whether the netlink source of a kernel module may be asked
	 * (fw_kmod_may_ask): a request to an absent nfnetlink subsystem would
	 * load its module. NULL: always.
	 */
	int (*may_ask)(const char *module);
	struct fw_source_status status[FW_SOURCE_COUNT + 1]; /* indexed by enum fw_timeout_source */
	unsigned long total_errors;                          /* sum over sources, files included */
	char last_error[FW_ERROR_TEXT_MAX];                  /* most recent error of any source */
	time_t last_check;                                   /* wall clock of the last poll */
};

/* Fills in the real readers and "/proc". */
void fw_timeout_collector_init(struct fw_timeout_collector *c);

/*
 * Reads every source into out (cleared first). previous is the result of the
 * last poll (may be empty): rows of a failed source are carried over from it.
 * Logs each new failure once and each recovery. Returns the number of sources
 * that failed this time.
 */
int fw_collect_timeouts(struct fw_timeout_collector *c, const struct fw_timeout_list *previous,
                        struct fw_timeout_list *out);

/*
 * The same poll in steps, for a caller that reads the netlink sources
 * without blocking: fw_collect_begin clears out; then, for each source in
 * the order of enum fw_timeout_source, either fw_collect_not_in_use (asked
 * first with fw_collect_source_in_use) or the reader's result with
 * fw_collect_source (rc 0 or -1, file_errors and error as the readers give
 * them; rows from start on are the source's); then fw_collect_end.
 * fw_collect_source returns 1 when the source failed.
 */
void fw_collect_begin(struct fw_timeout_collector *c, struct fw_timeout_list *out);
int fw_collect_source_in_use(const struct fw_timeout_collector *c, enum fw_timeout_source source);
void fw_collect_not_in_use(struct fw_timeout_collector *c, enum fw_timeout_source source);
int fw_collect_source(struct fw_timeout_collector *c, enum fw_timeout_source source, int rc,
                      unsigned file_errors, const char *error, size_t start,
                      const struct fw_timeout_list *previous, struct fw_timeout_list *out);
void fw_collect_end(struct fw_timeout_collector *c);

/* The kernel module a netlink source needs ("nf_tables"); NULL for the sysctls. */
const char *fw_source_module(enum fw_timeout_source source);

#endif
