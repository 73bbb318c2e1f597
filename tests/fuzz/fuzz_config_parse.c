/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Feeds config lines ("directive value...", one per input line) through
 * fw_config_apply on one config, as snmpd would, and checks after each line
 * that a failure changed nothing and the config always stays within bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../agent/config_parse.h"

#define MAX_LINES 64

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_config(const struct fw_config *c)
{
	check(c->policy.threshold >= 1 && c->policy.threshold <= FW_MAX_THRESHOLD);
	check(c->poll_interval >= 1 && c->poll_interval <= FW_MAX_POLL_INTERVAL);
	check(c->timeout_notifications == 0 || c->timeout_notifications == 1);
	check(c->policy.count <= FW_MAX_CHECKS);
	for (size_t i = 0; i < c->policy.count; i++) {
		const struct fw_timeout_check *k = &c->policy.checks[i];

		check(memchr(k->state, '\0', sizeof(k->state)) != NULL);
		check(k->protocol == 6 || k->protocol == 17);
		/* No duplicates ever make it into the list. */
		for (size_t j = 0; j < i; j++)
			check(k->protocol != c->policy.checks[j].protocol ||
			      strcmp(k->state, c->policy.checks[j].state) != 0);
	}
}

static void apply_line(struct fw_config *config, char *line)
{
	char error[256];
	char tiny[8];
	struct fw_config before = *config, other = *config;
	char *value = line;
	int rc, rc_tiny;

	while (*value && *value != ' ' && *value != '\t')
		value++;
	if (*value)
		*value++ = '\0';

	memset(error, 0x7f, sizeof(error));
	rc = fw_config_apply(config, line, value, error, sizeof(error));
	check(rc == 0 || rc == -1);
	check(memchr(error, '\0', sizeof(error)) != NULL);
	if (rc < 0) {
		check(error[0] != '\0');
		check(memcmp(config, &before, sizeof(before)) == 0);
	} else {
		check(error[0] == '\0');
	}
	check_config(config);

	/* A short or missing error buffer must give the same answer. */
	memset(tiny, 0x7f, sizeof(tiny));
	rc_tiny = fw_config_apply(&other, line, value, tiny, sizeof(tiny));
	check(rc_tiny == rc);
	check(memchr(tiny, '\0', sizeof(tiny)) != NULL);
	check(fw_config_apply(&before, line, value, NULL, 0) == rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_config config;
	char *text = malloc(size + 1);
	char *line = text, *end = text + size;
	int lines = 0;

	if (!text)
		return 0;
	/* The input is not NUL-terminated; the parser takes C strings. */
	memcpy(text, data, size);
	text[size] = '\0';

	fw_config_defaults(&config);
	check_config(&config);
	/* Split on newlines by length: an embedded NUL only cuts its own line short. */
	while (line <= end && lines++ < MAX_LINES) {
		char *nl = memchr(line, '\n', (size_t)(end - line));

		if (nl)
			*nl = '\0';
		apply_line(&config, line);
		if (!nl)
			break;
		line = nl + 1;
	}
	free(text);
	return 0;
}
