/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table indexes the agent builds from what the kernel says: any timeout
 * row, session or phone (names of any bytes and length, any address family,
 * ports, zone) encodes within the table's bound or not at all, and a timeout
 * index decodes back to the row it came from.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>

#include "../../agent/mib_encode.h"
#include "session_tracker.h"

/* The bounds of the tables (agent/timeout_table.c, session_table.c, phone_table.c). */
#define TIMEOUT_INDEX_MAX (128 - 15)
#define SESSION_INDEX_MAX 39
#define PHONE_INDEX_MAX   18

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *data;
	size_t size;
};

static uint8_t take(struct input *in)
{
	uint8_t byte = 0;

	if (in->size) {
		byte = *in->data++;
		in->size--;
	}
	return byte;
}

static void take_string(struct input *in, char *out, size_t max)
{
	size_t len = (size_t)(take(in) << 8 | take(in)) % (max + 1);

	for (size_t i = 0; i < len; i++)
		out[i] = (char)take(in);
	out[len] = '\0';
}

static uint8_t take_family(struct input *in)
{
	uint8_t pick = take(in);

	return pick < 100 ? AF_INET : pick < 200 ? AF_INET6 : pick;
}

static void check_timeout_row(struct input *in)
{
	struct fw_timeout_row row, back;
	fw_subid index[TIMEOUT_INDEX_MAX + 1], again[TIMEOUT_INDEX_MAX + 1];
	size_t len, again_len;

	char name[2 * FW_SOURCE_NAME_MAX + 1];

	memset(&row, 0, sizeof(row));
	row.source = (enum fw_timeout_source)(take(in) % 5);
	/* as the collectors name rows: cut to FW_SOURCE_NAME_MAX */
	take_string(in, name, sizeof(name) - 1);
	fw_timeout_set_source_name(&row, name);
	row.protocol = take(in);
	take_string(in, row.state, FW_STATE_NAME_MAX);
	len = fw_timeout_index_encode(&row, index, TIMEOUT_INDEX_MAX);
	if (len > TIMEOUT_INDEX_MAX)
		abort();
	/* rows the collectors make: a known source kind and a state name */
	if (len == 0 || row.source < FW_SOURCE_SYSCTL || row.source > FW_SOURCE_NFT ||
	    row.state[0] == '\0')
		return;
	if (fw_timeout_index_decode(index, len, &back) != 0)
		abort();
	again_len = fw_timeout_index_encode(&back, again, TIMEOUT_INDEX_MAX);
	if (again_len != len || memcmp(index, again, len * sizeof(fw_subid)) != 0)
		abort();
}

static void check_session_and_phone(struct input *in)
{
	struct fw_session session;
	struct fw_phone phone;
	fw_subid index[SESSION_INDEX_MAX + 1];
	size_t len;

	memset(&session, 0, sizeof(session));
	session.orig.family = take_family(in);
	for (size_t i = 0; i < 16; i++) {
		session.orig.src[i] = take(in);
		session.orig.dst[i] = take(in);
	}
	session.orig.sport = (uint16_t)(take(in) << 8 | take(in));
	session.orig.dport = (uint16_t)(take(in) << 8 | take(in));
	session.zone = (uint16_t)(take(in) << 8 | take(in));
	len = fw_session_index_encode(&session, index, SESSION_INDEX_MAX);
	if (len > SESSION_INDEX_MAX ||
	    (len == 0) != (fw_inet_address_len(session.orig.family) == 0))
		abort();

	memset(&phone, 0, sizeof(phone));
	phone.family = session.orig.family;
	memcpy(phone.addr, session.orig.src, sizeof(phone.addr));
	len = fw_phone_index_encode(&phone, index, PHONE_INDEX_MAX);
	if (len > PHONE_INDEX_MAX || (len == 0) != (fw_inet_address_len(phone.family) == 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};

	check_timeout_row(&in);
	check_session_and_phone(&in);
	return 0;
}
