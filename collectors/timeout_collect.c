/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "timeout_collect.h"

#include <stdio.h>
#include <string.h>

#include "cttimeout_parse.h"
#include "kmod.h"
#include "log.h"
#include "nft_timeout_parse.h"
#include "sysctl_timeouts.h"

void fw_timeout_collector_init(struct fw_timeout_collector *c)
{
	memset(c, 0, sizeof(*c));
	c->proc_root = "/proc";
	c->readers.sysctl = fw_sysctl_read_timeouts;
	c->readers.cttimeout = fw_cttimeout_dump;
	c->readers.nft = fw_nft_timeout_dump;
	c->may_ask = fw_kmod_may_ask;
}

static int contains_key(const struct fw_timeout_list *list, size_t from, size_t to,
                        const struct fw_timeout_row *row)
{
	for (size_t i = from; i < to; i++)
		if (fw_timeout_row_same_key(&list->rows[i], row))
			return 1;
	return 0;
}

/*
 * Appends the previous rows of source whose keys were not read this time
 * (out->rows[fresh..]), so a partly failed read keeps the rows it lost.
 */
static int carry_over(const struct fw_timeout_list *previous, enum fw_timeout_source source,
                      struct fw_timeout_list *out, size_t fresh)
{
	size_t fresh_end = out->count;

	if (!previous)
		return 0;
	for (size_t i = 0; i < previous->count; i++) {
		const struct fw_timeout_row *row = &previous->rows[i];

		if (row->source != source || contains_key(out, fresh, fresh_end, row))
			continue;
		if (fw_timeout_list_append(out, row) < 0)
			return -1;
	}
	return 0;
}

static int read_source(struct fw_timeout_collector *c, enum fw_timeout_source source,
                       struct fw_timeout_list *out, unsigned *file_errors, char *error,
                       size_t error_len)
{
	*file_errors = 0;
	switch (source) {
	case FW_SOURCE_SYSCTL:
		if (!c->readers.sysctl)
			return 0;
		return c->readers.sysctl(c->proc_root, out, file_errors, error, error_len);
	case FW_SOURCE_CTTIMEOUT:
		return c->readers.cttimeout ? c->readers.cttimeout(out, error, error_len) : 0;
	case FW_SOURCE_NFT:
		return c->readers.nft ? c->readers.nft(out, error, error_len) : 0;
	}
	return 0;
}

const char *fw_source_module(enum fw_timeout_source source)
{
	switch (source) {
	case FW_SOURCE_CTTIMEOUT:
		return "nfnetlink_cttimeout";
	case FW_SOURCE_NFT:
		return "nf_tables";
	case FW_SOURCE_SYSCTL:
		break;
	}
	return NULL;
}

void fw_collect_begin(struct fw_timeout_collector *c, struct fw_timeout_list *out)
{
	(void)c;
	fw_timeout_list_clear(out);
}

int fw_collect_source_in_use(const struct fw_timeout_collector *c, enum fw_timeout_source source)
{
	const char *module = fw_source_module(source);

	return !module || !c->may_ask || c->may_ask(module);
}

void fw_collect_not_in_use(struct fw_timeout_collector *c, enum fw_timeout_source source)
{
	struct fw_source_status *st = &c->status[source];
	const char *kind = fw_source_kind_name(source);

	if (!st->not_in_use)
		fw_log(LOG_INFO, kind, "%s not loaded: no %s timeouts apply; not asking",
		       fw_source_module(source), kind);
	st->ok = 1;
	st->not_in_use = 1;
	st->last_error[0] = '\0';
}

int fw_collect_source(struct fw_timeout_collector *c, enum fw_timeout_source source, int rc,
                      unsigned file_errors, const char *reader_error, size_t start,
                      const struct fw_timeout_list *previous, struct fw_timeout_list *out)
{
	struct fw_source_status *st = &c->status[source];
	const char *kind = fw_source_kind_name(source);
	char error[FW_ERROR_TEXT_MAX];
	/* errors > 0 with ok == 0 means the previous poll of this source failed. */
	int was_failing = !st->ok && st->errors > 0;

	if (st->not_in_use) {
		fw_log(LOG_NOTICE, kind, "%s loaded: reading %s timeouts", fw_source_module(source),
		       kind);
		st->not_in_use = 0;
	}
	if (rc == 0 && file_errors == 0) {
		if (was_failing)
			fw_log(LOG_NOTICE, kind, "%s timeouts readable again", kind);
		st->ok = 1;
		return 0;
	}
	snprintf(error, sizeof(error), "%s", reader_error && reader_error[0] ? reader_error : "");
	if (rc < 0) {
		/* Drop whatever the reader appended before it gave up. */
		out->count = start;
		st->errors++;
		c->total_errors++;
	} else {
		st->errors += file_errors;
		c->total_errors += file_errors;
	}
	if (error[0] == '\0')
		snprintf(error, sizeof(error), "read failed");
	if (carry_over(previous, source, out, rc < 0 ? out->count : start) < 0) {
		snprintf(error, sizeof(error), "out of memory keeping the previous rows");
		st->errors++;
		c->total_errors++;
	}
	if (!was_failing || strcmp(st->last_error, error) != 0)
		fw_log(LOG_ERR, kind, "%s timeouts not read, keeping the previous values: %s", kind,
		       error);
	st->ok = 0;
	snprintf(st->last_error, sizeof(st->last_error), "%s", error);
	/* Named after its source; a truncated tail is acceptable here. */
	if (snprintf(c->last_error, sizeof(c->last_error), "%s: %s", kind, error) < 0)
		c->last_error[0] = '\0';
	return 1;
}

void fw_collect_end(struct fw_timeout_collector *c)
{
	c->last_check = time(NULL);
}

int fw_collect_timeouts(struct fw_timeout_collector *c, const struct fw_timeout_list *previous,
                        struct fw_timeout_list *out)
{
	int failed_sources = 0;

	fw_collect_begin(c, out);
	for (int s = FW_SOURCE_SYSCTL; s <= FW_SOURCE_NFT; s++) {
		enum fw_timeout_source source = (enum fw_timeout_source)s;
		char error[FW_ERROR_TEXT_MAX] = "";
		unsigned file_errors = 0;
		size_t start = out->count;
		int rc;

		if (!fw_collect_source_in_use(c, source)) {
			fw_collect_not_in_use(c, source);
			continue;
		}
		rc = read_source(c, source, out, &file_errors, error, sizeof(error));
		failed_sources +=
		    fw_collect_source(c, source, rc, file_errors, error, start, previous, out);
	}
	fw_collect_end(c);
	return failed_sources;
}
