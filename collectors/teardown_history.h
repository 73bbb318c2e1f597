/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The newest teardowns, numbered, in a ring that grows as records come (a
 * large history costs nothing until used) and forgets the oldest beyond its
 * limit. The rows of fwStateTeardownTable.
 */
#ifndef FWSTATE_TEARDOWN_HISTORY_H
#define FWSTATE_TEARDOWN_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "teardown_cause.h"

/* A row of fwStateTeardownTable. */
struct fw_teardown {
	uint32_t index; /* 1, 2, ...: never reused while the agent runs */
	time_t when;
	uint8_t family;
	uint8_t phone_addr[16];
	uint16_t phone_port;
	uint8_t server_addr[16];
	uint16_t server_port;
	uint16_t zone;
	uint32_t duration; /* seconds from session start to teardown */
	uint8_t last_state;
	enum fw_teardown_cause cause;
};

/* Told of each record kept and of each that leaves; either may be NULL. */
struct fw_history_hooks {
	void (*added)(const struct fw_teardown *teardown, void *ctx);
	void (*expired)(const struct fw_teardown *teardown, void *ctx);
	void *ctx;
};

struct fw_teardown_history {
	struct fw_teardown *ring; /* cap slots, count of them used from head (the oldest) */
	size_t cap, head, count;
	uint32_t next_index;
};

void fw_history_init(struct fw_teardown_history *h);
void fw_history_free(struct fw_teardown_history *h);

/*
 * Numbers rec and keeps the newest `limit` records: the oldest leave first
 * (expired), then rec is added. With limit 0 (or no memory for a first slot)
 * rec is announced and leaves at once.
 */
void fw_history_add(struct fw_teardown_history *h, struct fw_teardown *rec, size_t limit,
                    const struct fw_history_hooks *hooks);

/* A smaller limit: the oldest beyond it leave, and memory they held is given back. */
void fw_history_trim(struct fw_teardown_history *h, size_t limit,
                     const struct fw_history_hooks *hooks);

size_t fw_history_count(const struct fw_teardown_history *h);

/* Oldest first: i in [0, count); NULL past the end. Valid until the next add or trim. */
const struct fw_teardown *fw_history_at(const struct fw_teardown_history *h, size_t i);

#endif
