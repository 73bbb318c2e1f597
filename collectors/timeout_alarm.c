/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "timeout_alarm.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

static void add_check(struct fw_check_policy *policy, uint8_t protocol, const char *state)
{
	struct fw_timeout_check *check = &policy->checks[policy->count++];

	check->protocol = protocol;
	strcpy(check->state, state);
}

void fw_check_policy_default(struct fw_check_policy *policy)
{
	memset(policy, 0, sizeof(*policy));
	policy->threshold = FW_DEFAULT_THRESHOLD;
	add_check(policy, IPPROTO_TCP, "established");
	add_check(policy, IPPROTO_TCP, "close_wait");
}

int fw_check_policy_covers(const struct fw_check_policy *policy, const struct fw_timeout_row *row)
{
	for (size_t i = 0; i < policy->count; i++)
		if (policy->checks[i].protocol == row->protocol &&
		    strcmp(policy->checks[i].state, row->state) == 0)
			return 1;
	return 0;
}

enum fw_timeout_status fw_timeout_status(const struct fw_check_policy *policy,
                                         const struct fw_timeout_row *row)
{
	if (!fw_check_policy_covers(policy, row))
		return FW_STATUS_NOT_CHECKED;
	return row->seconds < policy->threshold ? FW_STATUS_BELOW_THRESHOLD : FW_STATUS_OK;
}

static const struct fw_timeout_row *find_key(const struct fw_timeout_row *rows, size_t count,
                                             const struct fw_timeout_row *key)
{
	for (size_t i = 0; i < count; i++)
		if (fw_timeout_row_same_key(&rows[i], key))
			return &rows[i];
	return NULL;
}

static void add_event(struct fw_alarm_event *events, size_t *n, enum fw_alarm_kind kind,
                      enum fw_clear_reason reason, const struct fw_timeout_row *row,
                      uint32_t threshold)
{
	struct fw_alarm_event *e = &events[(*n)++];

	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->reason = reason;
	e->row = *row;
	e->threshold = threshold;
}

size_t fw_timeout_count_below(const struct fw_check_policy *policy,
                              const struct fw_timeout_list *rows)
{
	size_t below = 0;

	for (size_t i = 0; i < rows->count; i++)
		below += fw_timeout_status(policy, &rows->rows[i]) == FW_STATUS_BELOW_THRESHOLD;
	return below;
}

int fw_alarm_evaluate(struct fw_alarm_state *state, const struct fw_timeout_list *rows,
                      const struct fw_check_policy *policy, fw_alarm_emit_fn emit, void *ctx)
{
	const struct fw_timeout_list *old = &state->raised;
	struct fw_timeout_list next = {0};
	struct fw_alarm_event *events;
	size_t n = 0, max_events = old->count + rows->count;

	/*
	 * Everything is computed into next and events first, so running out of
	 * memory leaves the raised set as it was and emits nothing.
	 */
	events = calloc(max_events ? max_events : 1, sizeof(*events));
	if (!events)
		return -1;

	/* Clears of rows still present, in row order; alarms that stay are kept. */
	for (size_t i = 0; i < rows->count; i++) {
		const struct fw_timeout_row *row = &rows->rows[i];
		const struct fw_timeout_row *raised = find_key(old->rows, old->count, row);

		/* Only the first row of a key counts (sources never repeat one anyway). */
		if (!raised || find_key(rows->rows, i, row))
			continue;
		if (!fw_check_policy_covers(policy, row)) {
			add_event(events, &n, FW_ALARM_CLEAR, FW_CLEAR_NOT_CHECKED, row,
			          policy->threshold);
		} else if (row->seconds >= policy->threshold) {
			add_event(events, &n, FW_ALARM_CLEAR, FW_CLEAR_AT_OR_ABOVE, row,
			          policy->threshold);
		} else {
			/* Still below: stays raised, remembering the current value. */
			if (fw_timeout_list_append(&next, row) < 0)
				goto oom;
		}
	}
	/* Clears of alarms whose row is gone, with the last row reported. */
	for (size_t i = 0; i < old->count; i++)
		if (!find_key(rows->rows, rows->count, &old->rows[i]))
			add_event(events, &n, FW_ALARM_CLEAR, FW_CLEAR_SOURCE_REMOVED,
			          &old->rows[i], policy->threshold);
	/* Raises, in row order, of keys not raised before. */
	for (size_t i = 0; i < rows->count; i++) {
		const struct fw_timeout_row *row = &rows->rows[i];

		if (fw_timeout_status(policy, row) != FW_STATUS_BELOW_THRESHOLD ||
		    find_key(rows->rows, i, row) || find_key(old->rows, old->count, row))
			continue;
		if (fw_timeout_list_append(&next, row) < 0)
			goto oom;
		add_event(events, &n, FW_ALARM_RAISE, (enum fw_clear_reason)0, row,
		          policy->threshold);
	}

	fw_timeout_list_free(&state->raised);
	state->raised = next;
	for (size_t i = 0; emit && i < n; i++)
		emit(&events[i], ctx);
	free(events);
	return 0;

oom:
	fw_timeout_list_free(&next);
	free(events);
	return -1;
}

void fw_alarm_state_free(struct fw_alarm_state *state)
{
	fw_timeout_list_free(&state->raised);
}
