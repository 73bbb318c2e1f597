/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static fw_log_sink current_sink;

void fw_log_set_sink(fw_log_sink sink)
{
	current_sink = sink;
}

void fw_log(int priority, const char *subsystem, const char *fmt, ...)
{
	char message[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (current_sink)
		current_sink(priority, subsystem, message);
	else
		fprintf(stderr, "fwstate[%s]: %s\n", subsystem, message);
}
