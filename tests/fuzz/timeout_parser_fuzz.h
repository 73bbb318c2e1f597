/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The body every timeout parser's fuzz target shares: run it, then check its contract. */
#ifndef FWSTATE_TIMEOUT_PARSER_FUZZ_H
#define FWSTATE_TIMEOUT_PARSER_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "timeout_dump.h"

static void quiet(int priority, const char *subsystem, const char *message)
{
	(void)priority;
	(void)subsystem;
	(void)message;
}

static int fuzz_timeout_parser(fw_timeout_parse_fn parse, const uint8_t *data, size_t size)
{
	struct fw_timeout_list list = {0};
	char error[256];
	int ret;

	fw_log_set_sink(quiet);
	ret = parse(data, size, &list, error, sizeof(error));
	/* The contract: a count of rows appended, or -1 with a message and nothing appended. */
	if (ret < 0 ? (list.count != 0 || error[0] == '\0' || !memchr(error, '\0', sizeof(error)))
	            : (size_t)ret != list.count)
		abort();
	for (size_t i = 0; i < list.count; i++) {
		const struct fw_timeout_row *row = &list.rows[i];

		if (!memchr(row->source_name, '\0', sizeof(row->source_name)) ||
		    !memchr(row->state, '\0', sizeof(row->state)) || row->state[0] == '\0')
			abort();
	}
	fw_timeout_list_free(&list);
	return 0;
}

#endif
