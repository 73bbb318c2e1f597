/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tracker's hash table: insert, find along a chain, remove, grow, clear. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>

#include "htable.h"

struct item {
	struct fw_hnode node;
	uint32_t key;
};

static int freed;

static void free_item(struct fw_hnode *n)
{
	freed++;
	free(fw_container_of(n, struct item, node));
}

static uint64_t hash_of(uint32_t key)
{
	return fw_hash_bytes(42, &key, sizeof(key));
}

static struct item *find(const struct fw_htable *t, uint32_t key)
{
	uint64_t hash = hash_of(key);

	for (struct fw_hnode *n = fw_htable_first(t, hash); n; n = n->next) {
		struct item *it = fw_container_of(n, struct item, node);

		if (n->hash == hash && it->key == key)
			return it;
	}
	return NULL;
}

static void test_insert_find_remove_grow(void **state)
{
	enum { N = 5000 };
	struct fw_htable t;
	struct item *kept = NULL;

	(void)state;
	assert_int_equal(fw_htable_init(&t), 0);
	for (uint32_t k = 0; k < N; k++) {
		struct item *it = calloc(1, sizeof(*it));

		assert_non_null(it);
		it->key = k;
		fw_htable_insert(&t, &it->node, hash_of(k));
		if (k == 1234)
			kept = it;
	}
	assert_int_equal(t.count, N);
	/* grown to at least one bucket per node */
	assert_true(t.mask + 1 >= N);
	for (uint32_t k = 0; k < N; k++)
		assert_non_null(find(&t, k));
	assert_null(find(&t, N));
	fw_htable_remove(&t, &kept->node);
	free(kept);
	assert_null(find(&t, 1234));
	assert_non_null(find(&t, 1235));
	assert_int_equal(t.count, N - 1);
	freed = 0;
	fw_htable_clear(&t, free_item);
	assert_int_equal(freed, N - 1);
	assert_int_equal(t.count, 0);
	assert_null(find(&t, 7));
	fw_htable_free(&t, free_item);
	assert_null(t.buckets);
}

static void test_seed_changes_the_hash(void **state)
{
	uint32_t key = 5061;

	(void)state;
	assert_int_not_equal(fw_hash_bytes(1, &key, sizeof(key)),
	                     fw_hash_bytes(2, &key, sizeof(key)));
	assert_int_equal(fw_hash_bytes(1, &key, sizeof(key)), fw_hash_bytes(1, &key, sizeof(key)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_insert_find_remove_grow),
	    cmocka_unit_test(test_seed_changes_the_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
