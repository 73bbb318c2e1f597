/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Any sub-identifier sequence: decode never crashes, and what decodes re-encodes to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../agent/mib_encode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fw_subid in[128], again[128];
	size_t len = 0;
	struct fw_timeout_row row;

	/* two input bytes per sub-identifier, so lengths and values above 255 occur */
	for (size_t i = 0; i + 1 < size && len < 128; i += 2)
		in[len++] = (fw_subid)data[i] << 8 | data[i + 1];
	if (fw_timeout_index_decode(in, len, &row) == 0) {
		size_t n = fw_timeout_index_encode(&row, again, 128);

		if (n != len || memcmp(in, again, len * sizeof(fw_subid)) != 0)
			abort();
	}
	return 0;
}
