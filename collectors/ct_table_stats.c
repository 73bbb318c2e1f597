/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ct_table_stats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sysctl_value.h"

enum { COL_DROP, COL_EARLY_DROP, COL_INSERT_FAILED, COL_WANTED };

static const char *const wanted_names[COL_WANTED] = {
    [COL_DROP] = "drop",
    [COL_EARLY_DROP] = "early_drop",
    [COL_INSERT_FAILED] = "insert_failed",
};

/* Columns of a line are separated by spaces; returns the start of the next word or NULL. */
static const char *next_word(const char *p, const char *end, size_t *word_len)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p == '\n')
		return NULL;
	*word_len = 0;
	while (p + *word_len < end && p[*word_len] != ' ' && p[*word_len] != '\t' &&
	       p[*word_len] != '\n')
		(*word_len)++;
	return p;
}

static int hex_value(const char *word, size_t len, uint64_t *value)
{
	uint64_t v = 0;

	if (len == 0 || len > 16)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = word[i];
		unsigned digit;

		if (c >= '0' && c <= '9')
			digit = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			digit = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			digit = (unsigned)(c - 'A' + 10);
		else
			return -1;
		v = v << 4 | digit;
	}
	*value = v;
	return 0;
}

static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl : end;
}

int fw_ct_stat_parse(const char *text, size_t len, struct fw_ct_table_stats *stats, char *error,
                     size_t error_len)
{
	const char *end = text + len, *p = text, *eol, *word;
	int column_of[COL_WANTED];
	uint64_t sum[COL_WANTED] = {0};
	size_t word_len;
	int column = 0, lines = 0;

	for (int w = 0; w < COL_WANTED; w++)
		column_of[w] = -1;
	/* the header: which column is which */
	eol = line_end(p, end);
	while ((word = next_word(p, eol, &word_len))) {
		for (int w = 0; w < COL_WANTED; w++)
			if (strlen(wanted_names[w]) == word_len &&
			    memcmp(word, wanted_names[w], word_len) == 0)
				column_of[w] = column;
		column++;
		p = word + word_len;
	}
	for (int w = 0; w < COL_WANTED; w++) {
		if (column_of[w] < 0) {
			snprintf(error, error_len, "no \"%s\" column in the header",
			         wanted_names[w]);
			return -1;
		}
	}
	/* one line per CPU */
	for (p = eol < end ? eol + 1 : end; p < end; p = eol < end ? eol + 1 : end) {
		eol = line_end(p, end);
		if (!next_word(p, eol, &word_len))
			continue; /* an empty line */
		lines++;
		column = 0;
		while ((word = next_word(p, eol, &word_len))) {
			uint64_t value;

			if (hex_value(word, word_len, &value) < 0) {
				snprintf(error, error_len, "line %d: column %d is not a hex number",
				         lines + 1, column + 1);
				return -1;
			}
			for (int w = 0; w < COL_WANTED; w++)
				if (column_of[w] == column)
					sum[w] += value;
			column++;
			p = word + word_len;
		}
		for (int w = 0; w < COL_WANTED; w++) {
			if (column_of[w] >= column) {
				snprintf(error, error_len,
				         "line %d has %d columns, fewer than the header", lines + 1,
				         column);
				return -1;
			}
		}
	}
	if (lines == 0) {
		snprintf(error, error_len, "no per-CPU line");
		return -1;
	}
	stats->drops = sum[COL_DROP];
	stats->early_drops = sum[COL_EARLY_DROP];
	stats->insert_failed = sum[COL_INSERT_FAILED];
	return 0;
}

int fw_ct_table_read(const char *proc_root, struct fw_ct_table_stats *stats, char *error,
                     size_t error_len)
{
	/* one line per CPU of about 140 bytes: room for 7 000 CPUs */
	static char text[1 << 20];
	char path[512], why[160];
	ssize_t n = 0;
	size_t used = 0;
	int fd;

	if (fw_sysctl_read_netfilter_u32(proc_root, "nf_conntrack_count", &stats->entries) < 0 ||
	    fw_sysctl_read_netfilter_u32(proc_root, "nf_conntrack_max", &stats->max) < 0) {
		snprintf(
		    error, error_len,
		    "%s/sys/net/netfilter/nf_conntrack_count or nf_conntrack_max cannot be read",
		    proc_root);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/net/stat/nf_conntrack", proc_root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(error, error_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (used < sizeof(text) && (n = read(fd, text + used, sizeof(text) - used)) > 0)
		used += (size_t)n;
	if (n < 0) {
		snprintf(error, error_len, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (used == sizeof(text)) {
		snprintf(error, error_len, "%s: larger than %zu bytes", path, sizeof(text));
		return -1;
	}
	if (fw_ct_stat_parse(text, used, stats, why, sizeof(why)) < 0) {
		snprintf(error, error_len, "%s: %s", path, why);
		return -1;
	}
	return 0;
}

enum fw_ct_full_edge fw_ct_full_update(struct fw_ct_full_state *state,
                                       const struct fw_ct_table_stats *stats, uint64_t now_ms,
                                       uint64_t quiet_ms)
{
	uint64_t last = state->last_drops;
	int primed = state->primed;

	state->primed = 1;
	state->last_drops = stats->drops;
	if (primed && stats->drops > last) {
		uint64_t delta = stats->drops - last;

		state->last_drop_ms = now_ms;
		if (!state->full) {
			state->full = 1;
			state->episode_drops = delta;
			return FW_CT_FULL_BEGAN;
		}
		state->episode_drops += delta;
		return FW_CT_FULL_UNCHANGED;
	}
	if (state->full && now_ms - state->last_drop_ms >= quiet_ms) {
		state->full = 0;
		return FW_CT_FULL_ENDED;
	}
	return FW_CT_FULL_UNCHANGED;
}
