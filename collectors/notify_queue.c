/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "notify_queue.h"

#include <stdlib.h>

void fw_notify_queue_init(struct fw_notify_queue *queue, size_t limit,
                          void (*free_payload)(void *payload))
{
	*queue = (struct fw_notify_queue){
	    .limit = limit ? limit : 1,
	    .next_seq = 1,
	    .free_payload = free_payload,
	};
}

static void destroy(struct fw_notify_queue *queue, struct fw_notify_item *item)
{
	if (queue->free_payload)
		queue->free_payload(item->payload);
	free(item);
}

/* Unlinks item, whose predecessor is prev (NULL: item is the head). */
static void unlink_item(struct fw_notify_queue *queue, struct fw_notify_item *prev,
                        struct fw_notify_item *item)
{
	if (prev)
		prev->next = item->next;
	else
		queue->head = item->next;
	if (queue->tail == item)
		queue->tail = prev;
	queue->length--;
	if (item->in_flight)
		queue->in_flight--;
}

void fw_notify_queue_free(struct fw_notify_queue *queue)
{
	struct fw_notify_item *item = queue->head;

	while (item) {
		struct fw_notify_item *next = item->next;

		destroy(queue, item);
		item = next;
	}
	queue->head = queue->tail = NULL;
	queue->length = queue->in_flight = 0;
}

/* Drops the oldest waiting notification; 0 when every queued one is in flight. */
static int drop_oldest_waiting(struct fw_notify_queue *queue)
{
	struct fw_notify_item *prev = NULL;

	for (struct fw_notify_item *item = queue->head; item; prev = item, item = item->next) {
		if (item->in_flight)
			continue;
		unlink_item(queue, prev, item);
		destroy(queue, item);
		queue->dropped++;
		return 1;
	}
	return 0;
}

void fw_notify_queue_set_limit(struct fw_notify_queue *queue, size_t limit)
{
	queue->limit = limit ? limit : 1;
	while (queue->length > queue->limit && drop_oldest_waiting(queue)) {
	}
}

int fw_notify_queue_push(struct fw_notify_queue *queue, void *payload)
{
	struct fw_notify_item *item;
	int dropped = 0;

	if (queue->length >= queue->limit) {
		dropped = 1;
		if (!drop_oldest_waiting(queue)) {
			if (queue->free_payload)
				queue->free_payload(payload);
			queue->dropped++;
			return 1;
		}
	}
	item = calloc(1, sizeof(*item));
	if (!item) {
		if (queue->free_payload)
			queue->free_payload(payload);
		queue->dropped++;
		return -1;
	}
	item->payload = payload;
	item->seq = queue->next_seq++;
	if (queue->tail)
		queue->tail->next = item;
	else
		queue->head = item;
	queue->tail = item;
	queue->length++;
	return dropped;
}

void fw_notify_queue_lost(struct fw_notify_queue *queue)
{
	queue->dropped++;
}

struct fw_notify_item *fw_notify_queue_next(struct fw_notify_queue *queue)
{
	if (queue->in_flight >= FW_NOTIFY_QUEUE_IN_FLIGHT)
		return NULL;
	/* in flight ones come first: everything is sent in order */
	for (struct fw_notify_item *item = queue->head; item; item = item->next)
		if (!item->in_flight)
			return item;
	return NULL;
}

void fw_notify_queue_sent(struct fw_notify_queue *queue, struct fw_notify_item *item, long request)
{
	if (item->attempts++ > 0)
		queue->resent++;
	item->request = request;
	if (!item->in_flight)
		queue->in_flight++;
	item->in_flight = 1;
}

/* The in-flight item seq sent in request, or NULL; *prev_out gets its predecessor. */
static struct fw_notify_item *find_in_flight(struct fw_notify_queue *queue, uint64_t seq,
                                             long request, struct fw_notify_item **prev_out)
{
	struct fw_notify_item *prev = NULL;

	for (struct fw_notify_item *item = queue->head; item; prev = item, item = item->next) {
		if (item->seq != seq)
			continue;
		if (!item->in_flight || item->request != request)
			return NULL;
		*prev_out = prev;
		return item;
	}
	return NULL;
}

static int leave(struct fw_notify_queue *queue, uint64_t seq, long request, uint64_t *counter)
{
	struct fw_notify_item *prev, *item = find_in_flight(queue, seq, request, &prev);

	if (!item)
		return 0;
	unlink_item(queue, prev, item);
	destroy(queue, item);
	(*counter)++;
	return 1;
}

int fw_notify_queue_taken(struct fw_notify_queue *queue, uint64_t seq, long request)
{
	return leave(queue, seq, request, &queue->delivered);
}

int fw_notify_queue_refused(struct fw_notify_queue *queue, uint64_t seq, long request)
{
	return leave(queue, seq, request, &queue->dropped);
}

void fw_notify_queue_requeue(struct fw_notify_queue *queue)
{
	for (struct fw_notify_item *item = queue->head; item; item = item->next)
		item->in_flight = 0;
	queue->in_flight = 0;
}

int fw_notify_queue_failed(struct fw_notify_queue *queue, uint64_t seq, long request)
{
	struct fw_notify_item *prev;

	if (!find_in_flight(queue, seq, request, &prev))
		return 0;
	/* the later ones go again too, or the first would arrive after them */
	fw_notify_queue_requeue(queue);
	return 1;
}
