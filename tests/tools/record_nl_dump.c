/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Records the replies of a real cttimeout or nft object dump, for test
 * fixtures and fuzz seeds, and checks the collectors against the live kernel.
 *
 *   record_nl_dump cttimeout|nft [-p PREFIX] [-d DIR]
 *	prints each reply message as a C byte array PREFIX_N, writes it to
 *	DIR/PREFIX-N.bin when -d is given, then prints the rows that
 *	fw_cttimeout_dump() / fw_nft_timeout_dump() return.
 *   record_nl_dump raw SUBSYS MSGTYPE [FAMILY]
 *	only runs the dump and reports how it ended (for error behaviour).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>
#include <sys/socket.h>

#include "cttimeout_parse.h"
#include "nft_timeout_parse.h"
#include "nl_dump.h"

struct recorder {
	const char *prefix;
	const char *dir;
	int (*parse)(const void *buf, size_t len, struct fw_timeout_list *out, char *error,
	             size_t error_len);
	unsigned count;
};

static void print_rows(const char *indent, const struct fw_timeout_list *list, size_t first)
{
	char proto[16];
	size_t i;

	for (i = first; i < list->count; i++) {
		const struct fw_timeout_row *r = &list->rows[i];

		printf("%s%s \"%s\" %s %s = %u\n", indent, fw_source_kind_name(r->source),
		       r->source_name, fw_protocol_name(r->protocol, proto, sizeof(proto)),
		       r->state, r->seconds);
	}
}

static int write_raw(const struct recorder *rec, const struct nlmsghdr *nlh)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%u.bin", rec->dir, rec->prefix, rec->count);
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(nlh, 1, nlh->nlmsg_len, f) != nlh->nlmsg_len || fclose(f) != 0) {
		fprintf(stderr, "%s: write failed\n", path);
		return -1;
	}
	return 0;
}

static int record_message(const struct nlmsghdr *nlh, void *data)
{
	struct recorder *rec = data;
	struct fw_timeout_list rows = {0};
	const unsigned char *p = (const unsigned char *)nlh;
	char error[256];
	uint32_t i;
	int n;

	if (rec->parse) {
		n = rec->parse(nlh, nlh->nlmsg_len, &rows, error, sizeof(error));
		if (n < 0)
			printf("/* parse error: %s */\n", error);
		else
			printf("/* %d rows */\n", n);
		print_rows("// ", &rows, 0);
		fw_timeout_list_free(&rows);
	}
	printf("static const uint8_t %s_%u[] __attribute__((aligned(4))) = {", rec->prefix,
	       rec->count);
	for (i = 0; i < nlh->nlmsg_len; i++)
		printf("%s0x%02x,", i % 12 ? " " : "\n\t", p[i]);
	printf("\n};\n\n");

	if (rec->dir && write_raw(rec, nlh) < 0)
		return -1;
	rec->count++;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: record_nl_dump cttimeout|nft [-p PREFIX] [-d DIR]\n"
	                "       record_nl_dump raw SUBSYS MSGTYPE [FAMILY]\n");
	return 2;
}

static int run_raw(int argc, char **argv)
{
	struct recorder rec = {.prefix = "raw"};
	char error[256];

	if (argc < 4)
		return usage();
	if (fw_nl_dump((uint16_t)strtoul(argv[2], NULL, 0), (uint16_t)strtoul(argv[3], NULL, 0),
	               argc > 4 ? (uint8_t)strtoul(argv[4], NULL, 0) : AF_UNSPEC, record_message,
	               &rec, error, sizeof(error)) < 0) {
		int err = errno;

		printf("error: %s (errno %d)\n", error, err);
		return 1;
	}
	printf("ok: %u messages\n", rec.count);
	return 0;
}

int main(int argc, char **argv)
{
	struct recorder rec = {0};
	struct fw_timeout_list rows = {0};
	int (*dump)(struct fw_timeout_list * out, char *error, size_t error_len);
	uint16_t subsys, type;
	uint8_t family;
	char error[256];
	int status = 0;
	int opt;

	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "raw") == 0)
		return run_raw(argc, argv);
	if (strcmp(argv[1], "cttimeout") == 0) {
		subsys = NFNL_SUBSYS_CTNETLINK_TIMEOUT;
		type = IPCTNL_MSG_TIMEOUT_GET;
		family = AF_UNSPEC;
		rec.parse = fw_cttimeout_parse;
		dump = fw_cttimeout_dump;
	} else if (strcmp(argv[1], "nft") == 0) {
		subsys = NFNL_SUBSYS_NFTABLES;
		type = NFT_MSG_GETOBJ;
		family = NFPROTO_UNSPEC;
		rec.parse = fw_nft_timeout_parse;
		dump = fw_nft_timeout_dump;
	} else {
		return usage();
	}
	rec.prefix = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "p:d:")) != -1) {
		if (opt == 'p')
			rec.prefix = optarg;
		else if (opt == 'd')
			rec.dir = optarg;
		else
			return usage();
	}

	/* A failed recording still tries the collector, which retries interrupted dumps. */
	if (fw_nl_dump(subsys, type, family, record_message, &rec, error, sizeof(error)) < 0) {
		fprintf(stderr, "record: %s\n", error);
		status = 1;
	} else {
		printf("/* %u messages recorded */\n", rec.count);
	}

	if (dump(&rows, error, sizeof(error)) < 0) {
		fprintf(stderr, "collector: %s\n", error);
		return 1;
	}
	printf("/* collector: %zu rows\n", rows.count);
	print_rows(" * ", &rows, 0);
	printf(" */\n");
	fw_timeout_list_free(&rows);
	return status;
}
