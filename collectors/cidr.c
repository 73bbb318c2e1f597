/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cidr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static unsigned addr_bits(uint8_t family)
{
	return family == AF_INET ? 32 : 128;
}

/* Digits only, no sign or blanks: strtoul would accept " +24". */
static int parse_prefix(const char *text, unsigned max, unsigned *out)
{
	unsigned value = 0;
	size_t i;

	if (text[0] == '\0')
		return -1;
	for (i = 0; text[i] != '\0'; i++) {
		if (text[i] < '0' || text[i] > '9' || i >= 3)
			return -1;
		value = value * 10 + (unsigned)(text[i] - '0');
	}
	if (value > max)
		return -1;
	*out = value;
	return 0;
}

int fw_cidr_parse(const char *text, struct fw_cidr *out)
{
	char addr_text[INET6_ADDRSTRLEN];
	const char *slash;
	struct fw_cidr cidr;
	size_t addr_len;
	unsigned prefix, bits;

	if (!text || !out)
		return -1;
	slash = strchr(text, '/');
	addr_len = slash ? (size_t)(slash - text) : strlen(text);
	if (addr_len == 0 || addr_len >= sizeof(addr_text))
		return -1;
	memcpy(addr_text, text, addr_len);
	addr_text[addr_len] = '\0';

	memset(&cidr, 0, sizeof(cidr));
	if (inet_pton(AF_INET, addr_text, cidr.addr) == 1)
		cidr.family = AF_INET;
	else if (inet_pton(AF_INET6, addr_text, cidr.addr) == 1)
		cidr.family = AF_INET6;
	else
		return -1;

	bits = addr_bits(cidr.family);
	prefix = bits;
	if (slash && parse_prefix(slash + 1, bits, &prefix) < 0)
		return -1;
	cidr.prefix_len = (uint8_t)prefix;

	/* Host bits cleared, so equal networks compare equal byte for byte. */
	for (unsigned i = 0; i < bits / 8; i++) {
		unsigned keep = prefix > i * 8 ? prefix - i * 8 : 0;

		if (keep < 8)
			cidr.addr[i] &= (uint8_t)(0xff00u >> keep);
	}
	*out = cidr;
	return 0;
}

int fw_cidr_contains(const struct fw_cidr *cidr, uint8_t family, const uint8_t *addr)
{
	unsigned full, rest;

	if (!cidr || !addr || cidr->family != family || (family != AF_INET && family != AF_INET6) ||
	    cidr->prefix_len > addr_bits(family))
		return 0;
	full = cidr->prefix_len / 8;
	rest = cidr->prefix_len % 8;
	if (memcmp(cidr->addr, addr, full) != 0)
		return 0;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff00u >> rest);

		if ((cidr->addr[full] & mask) != (addr[full] & mask))
			return 0;
	}
	return 1;
}
