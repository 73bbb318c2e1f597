/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FWSTATE_CIDR_H
#define FWSTATE_CIDR_H

#include <stdint.h>

struct fw_cidr {
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t prefix_len;
	uint8_t addr[16]; /* host bits cleared */
};

/* "192.0.2.0/24", "2001:db8::/32", or an address alone (host prefix). Returns 0 or -1. */
int fw_cidr_parse(const char *text, struct fw_cidr *out);

int fw_cidr_contains(const struct fw_cidr *cidr, uint8_t family, const uint8_t *addr);

#endif
