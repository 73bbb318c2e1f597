/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "htable.h"

#include <stdlib.h>

#define MIN_BUCKETS 64

int fw_htable_init(struct fw_htable *t)
{
	t->buckets = calloc(MIN_BUCKETS, sizeof(*t->buckets));
	t->mask = MIN_BUCKETS - 1;
	t->count = 0;
	return t->buckets ? 0 : -1;
}

/* Doubling keeps chains short; if memory is short the table just stays denser. */
static void grow(struct fw_htable *t)
{
	size_t size = (t->mask + 1) * 2;
	struct fw_hnode **buckets;

	if (size <= t->mask + 1)
		return;
	buckets = calloc(size, sizeof(*buckets));
	if (!buckets)
		return;
	for (size_t i = 0; i <= t->mask; i++) {
		struct fw_hnode *n = t->buckets[i], *next;

		for (; n; n = next) {
			next = n->next;
			n->next = buckets[n->hash & (size - 1)];
			buckets[n->hash & (size - 1)] = n;
		}
	}
	free(t->buckets);
	t->buckets = buckets;
	t->mask = size - 1;
}

void fw_htable_insert(struct fw_htable *t, struct fw_hnode *n, uint64_t hash)
{
	n->hash = hash;
	n->next = t->buckets[hash & t->mask];
	t->buckets[hash & t->mask] = n;
	t->count++;
	if (t->count > t->mask + 1)
		grow(t);
}

void fw_htable_remove(struct fw_htable *t, struct fw_hnode *n)
{
	struct fw_hnode **link = &t->buckets[n->hash & t->mask];

	for (; *link; link = &(*link)->next) {
		if (*link == n) {
			*link = n->next;
			t->count--;
			return;
		}
	}
}

struct fw_hnode *fw_htable_first(const struct fw_htable *t, uint64_t hash)
{
	return t->buckets[hash & t->mask];
}

void fw_htable_clear(struct fw_htable *t, void (*free_node)(struct fw_hnode *))
{
	if (!t->buckets)
		return;
	for (size_t i = 0; i <= t->mask; i++) {
		struct fw_hnode *n = t->buckets[i], *next;

		for (; n; n = next) {
			next = n->next;
			free_node(n);
		}
		t->buckets[i] = NULL;
	}
	t->count = 0;
}

void fw_htable_free(struct fw_htable *t, void (*free_node)(struct fw_hnode *))
{
	fw_htable_clear(t, free_node);
	free(t->buckets);
	t->buckets = NULL;
}

uint64_t fw_hash_bytes(uint64_t seed, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ull ^ seed;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}
