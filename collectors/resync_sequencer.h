/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * When a resync (a filtered conntrack dump merged into the tracker) starts
 * and when it ends, around lost events. The order matters:
 *   - after ENOBUFS the kernel drops events until the event queue has been
 *     read empty, so a dump started before that could pass an entry whose
 *     event is then lost: the resync after an overrun starts once the queue
 *     was drained, and an overrun during a dump turns it into one;
 *   - a session missing from a complete dump is only gone once the events
 *     queued meanwhile are read (its DESTROY may be among them): the resync
 *     ends at the marker queued behind them, or at an empty queue;
 *   - a periodic reconcile waits for an overrun resync due or ending, and
 *     starts a dump again only when the one under way is stuck.
 * Pure: the session monitor feeds it what happened and does what it says.
 */
#ifndef FWSTATE_RESYNC_SEQUENCER_H
#define FWSTATE_RESYNC_SEQUENCER_H

#include <stdint.h>

#include "session_tracker.h"

/* What to do now; a set of these bits. */
enum {
	FW_RESYNC_DO_NOTHING = 0,
	FW_RESYNC_DO_START = 1,       /* start a dump of kind fw_resync_seq.next_kind */
	FW_RESYNC_DO_END = 2,         /* end the resync (of kind fw_resync_seq.kind) now */
	FW_RESYNC_DO_SEND_MARKER = 4, /* queue the end marker behind the events */
	FW_RESYNC_DO_RESTART = 8,     /* with START: the dump under way never ended */
};

struct fw_resync_seq {
	int running;                   /* a dump is under way */
	int overrun_due;               /* events were lost: resync once the queue was read empty */
	int end_due;                   /* the dump is complete: end once the events caught up */
	int marker_unsent;             /* its marker could not be queued yet */
	enum fw_resync_kind kind;      /* of the resync under way or ending */
	enum fw_resync_kind next_kind; /* of the dump DO_START asks for */
	uint64_t started_ms;
};

/* The periodic reconcile is due: START (+RESTART when the dump under way is stuck_ms old). */
unsigned fw_resync_reconcile_due(struct fw_resync_seq *s, uint64_t now_ms, uint64_t stuck_ms);

/* A dump of this kind was started (after DO_START). */
void fw_resync_started(struct fw_resync_seq *s, enum fw_resync_kind kind, uint64_t now_ms);

/* The event socket overran. */
void fw_resync_overrun(struct fw_resync_seq *s);

/* The dump ended: complete (ok) or failed. SEND_MARKER when complete. */
unsigned fw_resync_dump_done(struct fw_resync_seq *s, int ok);

/* Whether the marker could be queued (after SEND_MARKER). */
void fw_resync_marker_queued(struct fw_resync_seq *s, int queued);

/* Before reading events: SEND_MARKER when it is due and could not be queued before. */
unsigned fw_resync_before_read(const struct fw_resync_seq *s);

/*
 * Events were read: the queue is now empty (drained), or the marker was
 * among them. END when a complete dump waited for them; START (kind after
 * overrun) when events were lost and the queue has been read empty.
 */
unsigned fw_resync_events_read(struct fw_resync_seq *s, int drained, int marker_read);

#endif
