/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An intrusive hash table with chaining: the caller embeds a fw_hnode in its
 * objects, hashes its own keys and compares them walking a bucket's chain.
 * Doubles as it fills, so chains stay short; never allocates per node.
 */
#ifndef FWSTATE_HTABLE_H
#define FWSTATE_HTABLE_H

#include <stddef.h>
#include <stdint.h>

#define fw_container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

struct fw_hnode {
	struct fw_hnode *next;
	uint64_t hash;
};

struct fw_htable {
	struct fw_hnode **buckets;
	size_t mask; /* bucket count - 1; the count is a power of two */
	size_t count;
};

/* Returns 0, or -1 when memory ran out. */
int fw_htable_init(struct fw_htable *t);

/* Links n under hash; grows the table past one node per bucket (when memory allows). */
void fw_htable_insert(struct fw_htable *t, struct fw_hnode *n, uint64_t hash);

/* Unlinks n, which must be in the table. */
void fw_htable_remove(struct fw_htable *t, struct fw_hnode *n);

/* The chain hash falls in: compare node->hash and the key along ->next. */
struct fw_hnode *fw_htable_first(const struct fw_htable *t, uint64_t hash);

/* Calls free_node on every node and leaves the table empty (buckets kept). */
void fw_htable_clear(struct fw_htable *t, void (*free_node)(struct fw_hnode *));

/* fw_htable_clear, then frees the buckets. */
void fw_htable_free(struct fw_htable *t, void (*free_node)(struct fw_hnode *));

/*
 * FNV-1a with a seed and a final mix: a per-table random seed keeps crafted
 * keys (ports an attacker picks) from piling up in one chain.
 */
uint64_t fw_hash_bytes(uint64_t seed, const void *data, size_t len);

#endif
