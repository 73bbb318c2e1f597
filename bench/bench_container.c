/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_container: the container the agent's session table sits on, found by
 * the same name ("...:table_container"), keyed by the same fwStateSessionEntry
 * index, fed the way the tracker's hooks feed it: inserts and removals in
 * conntrack dump order (hash order, random with respect to the index). Prints
 * ns per insert, GETNEXT, exact find and removal for each N; lookups should
 * stay flat as N grows, while an array-backed container makes inserts and
 * removals grow with N.
 *
 *   bench_container [-n N[,N...]] [-l LOOKUPS]
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/container.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mib_encode.h"
#include "session_tracker.h"

#define INDEX_MAX 38 /* as agent/session_table.c */
#define MAX_SIZES 8

struct entry {
	netsnmp_index index; /* first: the container orders on it */
	oid index_oid[INDEX_MAX];
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Same sessions as bench_tracker: one IPv6 phone each, server 2001:db8:2::10 port 5061. */
static void fill_entry(struct entry *e, size_t i)
{
	static const uint8_t net[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0};
	static const uint8_t server[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0,
	                                   0,    0,    0,    0,    0, 0, 0, 0x10};
	struct fw_session s;
	fw_subid index[INDEX_MAX];
	uint32_t host = htonl((uint32_t)i + 1);
	size_t len;

	memset(&s, 0, sizeof(s));
	s.orig.family = AF_INET6;
	s.orig.protocol = IPPROTO_TCP;
	memcpy(s.orig.src, net, sizeof(net));
	memcpy(s.orig.src + 12, &host, sizeof(host));
	memcpy(s.orig.dst, server, sizeof(server));
	s.orig.sport = (uint16_t)(1024 + i % 60000);
	s.orig.dport = 5061;
	len = fw_session_index_encode(&s, index, INDEX_MAX);
	for (size_t k = 0; k < len; k++)
		e->index_oid[k] = index[k];
	e->index.oids = e->index_oid;
	e->index.len = len;
}

/* xorshift: a fixed, repeatable "dump order" */
static uint64_t next_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

static void shuffle(size_t *order, size_t n, uint64_t seed)
{
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = next_random(&seed) % i, tmp = order[i - 1];

		order[i - 1] = order[j];
		order[j] = tmp;
	}
}

static netsnmp_container *new_container(void)
{
	netsnmp_container *c = netsnmp_container_find("fwStateSessionTable:table_container");

	if (c && !c->compare)
		c->compare = netsnmp_compare_netsnmp_index;
	return c;
}

static int bench(size_t n, size_t lookups)
{
	struct entry *entries = calloc(n, sizeof(*entries));
	size_t *order = calloc(n, sizeof(*order));
	netsnmp_container *c = new_container();
	double t, insert_random, insert_sorted, next, find, remove_random;
	size_t misses = 0;

	if (!entries || !order || !c) {
		fprintf(stderr, "bench_container: out of memory or no table_container\n");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		fill_entry(&entries[i], i);

	/* Sorted first: the cheapest case for an array (appends). */
	t = now_ns();
	for (size_t i = 0; i < n; i++)
		CONTAINER_INSERT(c, &entries[i]);
	insert_sorted = (now_ns() - t) / (double)n;
	CONTAINER_CLEAR(c, NULL, NULL);

	shuffle(order, n, 0x9e3779b97f4a7c15ull);
	t = now_ns();
	for (size_t i = 0; i < n; i++)
		CONTAINER_INSERT(c, &entries[order[i]]);
	insert_random = (now_ns() - t) / (double)n;
	if (CONTAINER_SIZE(c) != n) {
		fprintf(stderr, "bench_container: %zu rows after %zu inserts\n",
		        (size_t)CONTAINER_SIZE(c), n);
		return -1;
	}

	t = now_ns();
	for (size_t i = 0; i < lookups; i++)
		if (!CONTAINER_NEXT(c, &entries[order[i % n]]))
			misses++;
	next = (now_ns() - t) / (double)lookups;
	t = now_ns();
	for (size_t i = 0; i < lookups; i++)
		if (!CONTAINER_FIND(c, &entries[order[i % n]]))
			misses++;
	find = (now_ns() - t) / (double)lookups;

	shuffle(order, n, 0x2545f4914f6cdd1dull);
	t = now_ns();
	for (size_t i = 0; i < n; i++)
		CONTAINER_REMOVE(c, &entries[order[i]]);
	remove_random = (now_ns() - t) / (double)n;

	/* One GETNEXT past the last row finds nothing: the only expected miss. */
	printf("  %8zu %14.0f %14.0f %10.0f %10.0f %14.0f %12.2f\n", n, insert_sorted,
	       insert_random, next, find, remove_random, insert_random * (double)n / 1e9);
	if (misses > lookups / n + 1)
		fprintf(stderr, "bench_container: %zu lookups found nothing\n", misses);
	CONTAINER_FREE(c);
	free(entries);
	free(order);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_container [-n N[,N...]] [-l LOOKUPS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	size_t sizes[MAX_SIZES] = {1000, 10000, 100000};
	size_t size_count = 3, lookups = 200000;
	int opt;

	while ((opt = getopt(argc, argv, "n:l:")) != -1) {
		char *save = NULL, *list, *end;

		switch (opt) {
		case 'n':
			list = strdup(optarg);
			size_count = 0;
			for (char *tok = strtok_r(list, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				unsigned long v;

				errno = 0;
				v = strtoul(tok, &end, 10);
				if (errno || end == tok || *end || v < 1 || v > 10000000 ||
				    size_count == MAX_SIZES)
					usage();
				sizes[size_count++] = v;
			}
			free(list);
			if (size_count == 0)
				usage();
			break;
		case 'l':
			errno = 0;
			lookups = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || lookups < 1)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	netsnmp_container_init_list();
	printf("Net-SNMP table_container, fwStateSessionTable index (IPv6), rows inserted and "
	       "removed in dump order\n");
	printf("  %8s %14s %14s %10s %10s %14s %12s\n", "rows", "insert sorted", "insert dump",
	       "getnext", "find", "remove dump", "load s");
	printf("  %8s %14s %14s %10s %10s %14s %12s\n", "", "ns/row", "ns/row", "ns", "ns",
	       "ns/row", "(all rows)");
	for (size_t s = 0; s < size_count; s++)
		if (bench(sizes[s], lookups) < 0)
			return 1;
	netsnmp_container_free_list();
	return 0;
}
