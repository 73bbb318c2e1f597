/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The teardown history: numbering, the limit, growing and trimming, and what the hooks hear. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "teardown_history.h"

struct heard {
	uint32_t added[64], expired[64];
	size_t added_count, expired_count;
};

static void on_added(const struct fw_teardown *t, void *ctx)
{
	struct heard *h = ctx;

	h->added[h->added_count++ % 64] = t->index;
}

static void on_expired(const struct fw_teardown *t, void *ctx)
{
	struct heard *h = ctx;

	h->expired[h->expired_count++ % 64] = t->index;
}

static void add(struct fw_teardown_history *h, size_t limit, struct fw_history_hooks *hooks,
                enum fw_teardown_cause cause)
{
	struct fw_teardown rec;

	memset(&rec, 0, sizeof(rec));
	rec.cause = cause;
	fw_history_add(h, &rec, limit, hooks);
}

static void test_numbering_and_limit(void **state)
{
	struct heard heard = {0};
	struct fw_history_hooks hooks = {on_added, on_expired, &heard};
	struct fw_teardown_history h;

	(void)state;
	fw_history_init(&h);
	for (int i = 0; i < 5; i++)
		add(&h, 3, &hooks, FW_CAUSE_RESET);
	/* 1..5 added; 1 and 2 left for 4 and 5, each just before its successor came */
	assert_int_equal(heard.added_count, 5);
	assert_int_equal(heard.expired_count, 2);
	assert_int_equal(heard.expired[0], 1);
	assert_int_equal(heard.expired[1], 2);
	assert_int_equal(fw_history_count(&h), 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(fw_history_at(&h, i)->index, 3 + i);
	assert_null(fw_history_at(&h, 3));
	fw_history_free(&h);
}

static void test_grows_as_records_come_and_trims(void **state)
{
	struct heard heard = {0};
	struct fw_history_hooks hooks = {on_added, on_expired, &heard};
	struct fw_teardown_history h;

	(void)state;
	fw_history_init(&h);
	add(&h, 1000000, &hooks, FW_CAUSE_FLUSHED);
	/* a large limit costs nothing until used */
	assert_true(h.cap < 100);
	for (int i = 0; i < 99; i++)
		add(&h, 1000000, &hooks, FW_CAUSE_FLUSHED);
	assert_int_equal(fw_history_count(&h), 100);
	assert_int_equal(heard.expired_count, 0);
	fw_history_trim(&h, 10, &hooks);
	assert_int_equal(fw_history_count(&h), 10);
	assert_int_equal(heard.expired_count, 90);
	assert_int_equal(h.cap, 10);
	assert_int_equal(fw_history_at(&h, 0)->index, 91);
	assert_int_equal(fw_history_at(&h, 9)->index, 100);
	fw_history_free(&h);
}

static void test_limit_zero_keeps_nothing(void **state)
{
	struct heard heard = {0};
	struct fw_history_hooks hooks = {on_added, on_expired, &heard};
	struct fw_teardown_history h;

	(void)state;
	fw_history_init(&h);
	add(&h, 0, &hooks, FW_CAUSE_OTHER);
	assert_int_equal(heard.added_count, 1);
	assert_int_equal(heard.expired_count, 1);
	assert_int_equal(heard.added[0], heard.expired[0]);
	assert_int_equal(fw_history_count(&h), 0);
	fw_history_free(&h);
}

static void test_index_never_zero(void **state)
{
	struct fw_teardown_history h;

	(void)state;
	fw_history_init(&h);
	h.next_index = UINT32_MAX;
	add(&h, 4, NULL, FW_CAUSE_RESET);
	add(&h, 4, NULL, FW_CAUSE_RESET);
	assert_int_equal(fw_history_at(&h, 0)->index, UINT32_MAX);
	assert_int_equal(fw_history_at(&h, 1)->index, 1);
	fw_history_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_numbering_and_limit),
	    cmocka_unit_test(test_grows_as_records_come_and_trims),
	    cmocka_unit_test(test_limit_zero_keeps_nothing),
	    cmocka_unit_test(test_index_never_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
