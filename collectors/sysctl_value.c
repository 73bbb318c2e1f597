/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sysctl_value.h"

#include <stdio.h>

#include "sysctl_timeouts.h"

int fw_sysctl_read_netfilter_u32(const char *proc_root, const char *name, uint32_t *value)
{
	char path[512];
	char text[32];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/net/netfilter/%s", proc_root, name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return fw_sysctl_parse_seconds(text, value);
}
