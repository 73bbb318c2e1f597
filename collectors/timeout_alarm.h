/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Edge-triggered alarms on checked timeouts below the threshold: raised once
 * when a checked timeout is (or goes) below, cleared once when it is back at or
 * above, stops being checked, or its source disappears.
 */
#ifndef FWSTATE_TIMEOUT_ALARM_H
#define FWSTATE_TIMEOUT_ALARM_H

#include <stdint.h>

#include "timeout_row.h"

#define FW_DEFAULT_THRESHOLD 660
#define FW_MAX_CHECKS        32

struct fw_timeout_check {
	uint8_t protocol;                  /* IPPROTO_TCP or IPPROTO_UDP */
	char state[FW_STATE_NAME_MAX + 1]; /* "close_wait" */
};

struct fw_check_policy {
	uint32_t threshold; /* seconds */
	size_t count;
	struct fw_timeout_check checks[FW_MAX_CHECKS];
};

/* Values match FWSTATE-MIB fwStateTimeoutStatus. */
enum fw_timeout_status {
	FW_STATUS_OK = 1,
	FW_STATUS_BELOW_THRESHOLD = 2,
	FW_STATUS_NOT_CHECKED = 3,
};

/* Values match FWSTATE-MIB fwStateNotifyClearReason. */
enum fw_clear_reason {
	FW_CLEAR_AT_OR_ABOVE = 1,
	FW_CLEAR_SOURCE_REMOVED = 2,
	FW_CLEAR_NOT_CHECKED = 3,
};

enum fw_alarm_kind {
	FW_ALARM_RAISE,
	FW_ALARM_CLEAR,
};

struct fw_alarm_event {
	enum fw_alarm_kind kind;
	enum fw_clear_reason reason; /* FW_ALARM_CLEAR only */
	struct fw_timeout_row row;   /* current row; the last known one when its source is gone */
	uint32_t threshold;
};

typedef void (*fw_alarm_emit_fn)(const struct fw_alarm_event *event, void *ctx);

/* The alarms now raised: the last reported row of each. */
struct fw_alarm_state {
	struct fw_timeout_list raised;
};

/* TCP established and close_wait at FW_DEFAULT_THRESHOLD. */
void fw_check_policy_default(struct fw_check_policy *policy);

int fw_check_policy_covers(const struct fw_check_policy *policy, const struct fw_timeout_row *row);

enum fw_timeout_status fw_timeout_status(const struct fw_check_policy *policy,
                                         const struct fw_timeout_row *row);

/* The checked rows below the threshold. */
size_t fw_timeout_count_below(const struct fw_check_policy *policy,
                              const struct fw_timeout_list *rows);

/*
 * Compares rows against the raised set and emits one event per edge: clears
 * first, then raises, each in row order. Returns 0, or -1 when memory ran out
 * (the state is then unchanged and the next call retries).
 */
int fw_alarm_evaluate(struct fw_alarm_state *state, const struct fw_timeout_list *rows,
                      const struct fw_check_policy *policy, fw_alarm_emit_fn emit, void *ctx);

void fw_alarm_state_free(struct fw_alarm_state *state);

#endif
