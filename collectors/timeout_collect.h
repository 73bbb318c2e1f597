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

#endif
