/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "resync_sequencer.h"

unsigned fw_resync_reconcile_due(struct fw_resync_seq *s, uint64_t now_ms, uint64_t stuck_ms)
{
	/* an overrun resync is on its way, or one is finishing: this one can wait */
	if (s->overrun_due || s->end_due)
		return FW_RESYNC_DO_NOTHING;
	s->next_kind = FW_RESYNC_RECONCILE;
	if (!s->running)
		return FW_RESYNC_DO_START;
	/* a dump whose end never came (a reply lost): start it again */
	if (now_ms - s->started_ms < stuck_ms)
		return FW_RESYNC_DO_NOTHING;
	return FW_RESYNC_DO_START | FW_RESYNC_DO_RESTART;
}

void fw_resync_started(struct fw_resync_seq *s, enum fw_resync_kind kind, uint64_t now_ms)
{
	s->running = 1;
	s->kind = kind;
	s->started_ms = now_ms;
}

void fw_resync_overrun(struct fw_resync_seq *s)
{
	s->overrun_due = 1;
	/* what the running or ending resync misses was lost, not ended unseen */
	if (s->running || s->end_due)
		s->kind = FW_RESYNC_AFTER_OVERRUN;
}

unsigned fw_resync_dump_done(struct fw_resync_seq *s, int ok)
{
	s->running = 0;
	/* without a complete dump nothing can be declared gone; the next one retries */
	if (!ok)
		return FW_RESYNC_DO_NOTHING;
	s->end_due = 1;
	return FW_RESYNC_DO_SEND_MARKER;
}

void fw_resync_marker_queued(struct fw_resync_seq *s, int queued)
{
	s->marker_unsent = !queued;
}

unsigned fw_resync_before_read(const struct fw_resync_seq *s)
{
	return s->end_due && s->marker_unsent ? FW_RESYNC_DO_SEND_MARKER : FW_RESYNC_DO_NOTHING;
}

unsigned fw_resync_events_read(struct fw_resync_seq *s, int drained, int marker_read)
{
	unsigned actions = FW_RESYNC_DO_NOTHING;

	if (s->end_due && (drained || marker_read)) {
		s->end_due = 0;
		s->marker_unsent = 0;
		actions |= FW_RESYNC_DO_END;
	}
	/* only an empty queue makes the kernel deliver events again */
	if (s->overrun_due && drained) {
		s->overrun_due = 0;
		s->next_kind = FW_RESYNC_AFTER_OVERRUN;
		actions |= FW_RESYNC_DO_START;
	}
	return actions;
}
