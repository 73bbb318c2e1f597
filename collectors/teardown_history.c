/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "teardown_history.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

#define MIN_HISTORY 16

void fw_history_init(struct fw_teardown_history *h)
{
	memset(h, 0, sizeof(*h));
	h->next_index = 1;
}

void fw_history_free(struct fw_teardown_history *h)
{
	free(h->ring);
	fw_history_init(h);
}

static void expire_oldest(struct fw_teardown_history *h, const struct fw_history_hooks *hooks)
{
	const struct fw_teardown *oldest = &h->ring[h->head];

	if (hooks && hooks->expired)
		hooks->expired(oldest, hooks->ctx);
	h->head = (h->head + 1) % h->cap;
	h->count--;
}

/* Moves the records, oldest first, into a buffer of new_cap slots. Returns 0 or -1. */
static int resize(struct fw_teardown_history *h, size_t new_cap)
{
	struct fw_teardown *ring = NULL;

	if (new_cap < h->count)
		return -1;
	if (new_cap > 0) {
		if (new_cap > SIZE_MAX / sizeof(*ring))
			return -1;
		ring = malloc(new_cap * sizeof(*ring));
		if (!ring)
			return -1;
		for (size_t i = 0; i < h->count; i++)
			ring[i] = h->ring[(h->head + i) % h->cap];
	}
	free(h->ring);
	h->ring = ring;
	h->cap = new_cap;
	h->head = 0;
	return 0;
}

void fw_history_add(struct fw_teardown_history *h, struct fw_teardown *rec, size_t limit,
                    const struct fw_history_hooks *hooks)
{
	struct fw_teardown *slot;

	rec->index = h->next_index++;
	if (h->next_index == 0)
		h->next_index = 1;

	if (h->count == h->cap && h->cap < limit) {
		size_t want = h->cap < MIN_HISTORY / 2 ? MIN_HISTORY : h->cap * 2;

		if (want > limit || want < h->cap)
			want = limit;
		if (resize(h, want) < 0)
			fw_log(LOG_ERR, "tracker", "out of memory growing the teardown history");
	}
	if (limit == 0 || h->cap == 0) {
		if (hooks && hooks->added)
			hooks->added(rec, hooks->ctx);
		if (hooks && hooks->expired)
			hooks->expired(rec, hooks->ctx);
		return;
	}
	while (h->count > 0 && (h->count >= limit || h->count == h->cap))
		expire_oldest(h, hooks);
	slot = &h->ring[(h->head + h->count) % h->cap];
	*slot = *rec;
	h->count++;
	if (hooks && hooks->added)
		hooks->added(slot, hooks->ctx);
}

void fw_history_trim(struct fw_teardown_history *h, size_t limit,
                     const struct fw_history_hooks *hooks)
{
	while (h->count > limit)
		expire_oldest(h, hooks);
	/* keeping the memory is harmless if giving it back fails */
	if (h->cap > limit)
		(void)resize(h, limit);
}

size_t fw_history_count(const struct fw_teardown_history *h)
{
	return h->count;
}

const struct fw_teardown *fw_history_at(const struct fw_teardown_history *h, size_t i)
{
	if (i >= h->count)
		return NULL;
	return &h->ring[(h->head + i) % h->cap];
}
