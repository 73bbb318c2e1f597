/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The notifications on their way out, oldest first: each waits until the
 * receiver (the AgentX master, or the trap sinks in master mode) has taken
 * it. A few are in flight at a time; when the receiver goes away, those go
 * back to waiting and are sent again, in order, once it is back. The queue is
 * bounded: when full, the oldest waiting notification is dropped and counted.
 * Payloads are opaque; the queue frees them with the function it was given.
 */
#ifndef FWSTATE_NOTIFY_QUEUE_H
#define FWSTATE_NOTIFY_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#define FW_NOTIFY_QUEUE_DEFAULT_LIMIT 1000
#define FW_NOTIFY_QUEUE_MAX_LIMIT     100000
/* Sent and not yet taken at most: enough to keep a stream busy, few to send again. */
#define FW_NOTIFY_QUEUE_IN_FLIGHT 16

struct fw_notify_item {
	struct fw_notify_item *next;
	void *payload;
	uint64_t seq;  /* 1, 2, ... in the order pushed */
	long request;  /* the request it was last sent in; valid while in_flight */
	int in_flight; /* sent, not yet taken */
	int attempts;  /* times sent */
};

struct fw_notify_queue {
	struct fw_notify_item *head, *tail;
	size_t length;    /* waiting + in flight */
	size_t in_flight; /* of them, sent and not yet taken */
	size_t limit;
	uint64_t next_seq;
	void (*free_payload)(void *payload);
	/* since the queue was created */
	uint64_t delivered; /* taken by the receiver */
	uint64_t dropped;   /* the queue was full, or the receiver refused it */
	uint64_t resent;    /* sent again after the receiver went away or did not answer */
};

void fw_notify_queue_init(struct fw_notify_queue *queue, size_t limit,
                          void (*free_payload)(void *payload));

/* Frees every payload still queued. */
void fw_notify_queue_free(struct fw_notify_queue *queue);

/* A new bound (a reload): the oldest waiting ones beyond it are dropped and counted. */
void fw_notify_queue_set_limit(struct fw_notify_queue *queue, size_t limit);

/*
 * Appends payload (the queue owns it from now on, even when it fails). When
 * the queue is full the oldest waiting notification is dropped; when every
 * queued one is in flight, payload itself is. Returns 0, 1 when something was
 * dropped, -1 when out of memory (payload freed and counted as dropped).
 */
int fw_notify_queue_push(struct fw_notify_queue *queue, void *payload);

/* A notification that could not even be built: counted as dropped. */
void fw_notify_queue_lost(struct fw_notify_queue *queue);

/* The oldest waiting notification, if another may be in flight now; else NULL. */
struct fw_notify_item *fw_notify_queue_next(struct fw_notify_queue *queue);

/* item (from fw_notify_queue_next) was sent in request `request`. */
void fw_notify_queue_sent(struct fw_notify_queue *queue, struct fw_notify_item *item, long request);

/*
 * The receiver took notification seq sent in request `request`: it leaves
 * the queue. Returns 1, or 0 when no such notification is in flight (an
 * answer to a request sent before the receiver went away, or one dropped).
 */
int fw_notify_queue_taken(struct fw_notify_queue *queue, uint64_t seq, long request);

/* The receiver refused notification seq for good: it leaves the queue, counted as dropped. */
int fw_notify_queue_refused(struct fw_notify_queue *queue, uint64_t seq, long request);

/*
 * Request `request` for notification seq failed (timed out, refused): it and
 * every other one in flight wait again, to be sent again in order. Returns 1,
 * or 0 when no such notification is in flight.
 */
int fw_notify_queue_failed(struct fw_notify_queue *queue, uint64_t seq, long request);

/* The receiver went away: everything in flight waits again. */
void fw_notify_queue_requeue(struct fw_notify_queue *queue);

#endif
