/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>

#include "notify_queue.h"

/* Payloads are ints numbered in the order raised; freeing one records it. */
static int freed[256];
static size_t freed_count;

static void free_number(void *payload)
{
	freed[freed_count++] = *(int *)payload;
	free(payload);
}

static void *number(int n)
{
	int *p = malloc(sizeof(*p));

	assert_non_null(p);
	*p = n;
	return p;
}

static int setup(void **state)
{
	(void)state;
	freed_count = 0;
	return 0;
}

/* Sends what may be sent now, with requests 1000 + seq; returns how many. */
static int send_all(struct fw_notify_queue *q, int *order, int *count)
{
	struct fw_notify_item *item;
	int sent = 0;

	while ((item = fw_notify_queue_next(q))) {
		if (order)
			order[(*count)++] = *(int *)item->payload;
		fw_notify_queue_sent(q, item, 1000 + (long)item->seq);
		sent++;
	}
	return sent;
}

/* Nothing connected: everything waits, nothing is lost; then it all goes in order. */
static void test_held_then_delivered_in_order(void **state)
{
	struct fw_notify_queue q;
	int order[64], count = 0;

	(void)state;
	fw_notify_queue_init(&q, 1000, free_number);
	for (int i = 1; i <= 40; i++)
		assert_int_equal(fw_notify_queue_push(&q, number(i)), 0);
	assert_int_equal(q.length, 40);
	/* at most FW_NOTIFY_QUEUE_IN_FLIGHT in flight at a time */
	for (int round = 0; q.length; round++) {
		int first = count;

		assert_true(round < 10);
		assert_true(send_all(&q, order, &count) <= FW_NOTIFY_QUEUE_IN_FLIGHT);
		for (int k = first; k < count; k++)
			assert_int_equal(
			    fw_notify_queue_taken(&q, (uint64_t)order[k], 1000 + order[k]), 1);
	}
	assert_int_equal(count, 40);
	for (int i = 0; i < 40; i++)
		assert_int_equal(order[i], i + 1);
	assert_int_equal(q.delivered, 40);
	assert_int_equal(q.dropped, 0);
	assert_int_equal(q.resent, 0);
	fw_notify_queue_free(&q);
}

/* The master went away with some in flight: they go again first, then the rest. */
static void test_in_flight_sent_again_first(void **state)
{
	struct fw_notify_queue q;
	int order[64], count = 0;

	(void)state;
	fw_notify_queue_init(&q, 1000, free_number);
	for (int i = 1; i <= 20; i++)
		fw_notify_queue_push(&q, number(i));
	assert_int_equal(send_all(&q, order, &count), FW_NOTIFY_QUEUE_IN_FLIGHT);
	/* the first two arrived, the rest did not */
	assert_int_equal(fw_notify_queue_taken(&q, 1, 1001), 1);
	assert_int_equal(fw_notify_queue_taken(&q, 2, 1002), 1);
	fw_notify_queue_requeue(&q);
	assert_int_equal(q.in_flight, 0);
	assert_int_equal(q.length, 18);
	/* an answer to the old request arrives late: it is not the new one's */
	assert_int_equal(fw_notify_queue_taken(&q, 3, 1003), 0);

	count = 0;
	send_all(&q, order, &count);
	for (int k = 0; k < count; k++)
		assert_int_equal(order[k], k + 3);
	assert_int_equal(q.resent, FW_NOTIFY_QUEUE_IN_FLIGHT - 2);
	fw_notify_queue_free(&q);
}

/* Full while disconnected: the oldest waiting ones go, counted; the newest stay. */
static void test_full_drops_oldest_waiting(void **state)
{
	struct fw_notify_queue q;
	int order[16], count = 0;

	(void)state;
	fw_notify_queue_init(&q, 5, free_number);
	for (int i = 1; i <= 5; i++)
		assert_int_equal(fw_notify_queue_push(&q, number(i)), 0);
	assert_int_equal(fw_notify_queue_push(&q, number(6)), 1);
	assert_int_equal(fw_notify_queue_push(&q, number(7)), 1);
	assert_int_equal(q.length, 5);
	assert_int_equal(q.dropped, 2);
	assert_int_equal(freed_count, 2);
	assert_int_equal(freed[0], 1);
	assert_int_equal(freed[1], 2);
	send_all(&q, order, &count);
	assert_int_equal(count, 5);
	for (int k = 0; k < 5; k++)
		assert_int_equal(order[k], k + 3);
	fw_notify_queue_free(&q);
}

/* In flight ones are with the receiver: a full queue drops a waiting one, else the new one. */
static void test_full_keeps_in_flight(void **state)
{
	struct fw_notify_queue q;
	int order[16], count = 0;

	(void)state;
	fw_notify_queue_init(&q, 3, free_number);
	for (int i = 1; i <= 3; i++)
		fw_notify_queue_push(&q, number(i));
	send_all(&q, order, &count);
	assert_int_equal(q.in_flight, 3);
	assert_int_equal(fw_notify_queue_push(&q, number(4)), 1);
	assert_int_equal(freed_count, 1);
	assert_int_equal(freed[0], 4);
	assert_int_equal(fw_notify_queue_taken(&q, 1, 1001), 1);
	assert_int_equal(fw_notify_queue_push(&q, number(5)), 0);
	/* now 2 and 3 in flight, 5 waiting; 6 pushes 5 out */
	assert_int_equal(fw_notify_queue_push(&q, number(6)), 1);
	assert_int_equal(freed[freed_count - 1], 5);
	assert_int_equal(q.dropped, 2);
	fw_notify_queue_free(&q);
}

/* A failed request sends it and every later one in flight again, in order. */
static void test_failure_resends_in_order(void **state)
{
	struct fw_notify_queue q;
	int order[16], count = 0;

	(void)state;
	fw_notify_queue_init(&q, 10, free_number);
	for (int i = 1; i <= 4; i++)
		fw_notify_queue_push(&q, number(i));
	send_all(&q, order, &count);
	assert_int_equal(fw_notify_queue_taken(&q, 1, 1001), 1);
	/* a failure of a request it no longer matches changes nothing */
	assert_int_equal(fw_notify_queue_failed(&q, 2, 999), 0);
	assert_int_equal(q.in_flight, 3);
	assert_int_equal(fw_notify_queue_failed(&q, 2, 1002), 1);
	assert_int_equal(q.in_flight, 0);
	count = 0;
	send_all(&q, order, &count);
	assert_int_equal(count, 3);
	assert_int_equal(order[0], 2);
	assert_int_equal(order[1], 3);
	assert_int_equal(order[2], 4);
	assert_int_equal(q.resent, 3);
	/* refused for good: it leaves, counted as dropped */
	assert_int_equal(fw_notify_queue_refused(&q, 2, 1002), 1);
	assert_int_equal(q.dropped, 1);
	assert_int_equal(q.length, 2);
	/* one that could not be built counts as dropped too, and takes no place */
	fw_notify_queue_lost(&q);
	assert_int_equal(q.dropped, 2);
	assert_int_equal(q.length, 2);
	fw_notify_queue_free(&q);
}

/* A smaller bound on reload drops the oldest waiting beyond it; free frees the rest. */
static void test_set_limit_and_free(void **state)
{
	struct fw_notify_queue q;

	(void)state;
	fw_notify_queue_init(&q, 10, free_number);
	for (int i = 1; i <= 8; i++)
		fw_notify_queue_push(&q, number(i));
	fw_notify_queue_set_limit(&q, 3);
	assert_int_equal(q.length, 3);
	assert_int_equal(q.dropped, 5);
	assert_int_equal(freed[4], 5);
	assert_int_equal(*(int *)q.head->payload, 6);
	fw_notify_queue_free(&q);
	assert_int_equal(freed_count, 8);
	assert_null(q.head);
	assert_int_equal(q.length, 0);
	/* the queue is usable again after free */
	assert_int_equal(fw_notify_queue_push(&q, number(9)), 0);
	assert_int_equal(q.tail->seq, 9);
	fw_notify_queue_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_held_then_delivered_in_order, setup),
	    cmocka_unit_test_setup(test_in_flight_sent_again_first, setup),
	    cmocka_unit_test_setup(test_full_drops_oldest_waiting, setup),
	    cmocka_unit_test_setup(test_full_keeps_in_flight, setup),
	    cmocka_unit_test_setup(test_failure_resends_in_order, setup),
	    cmocka_unit_test_setup(test_set_limit_and_free, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
