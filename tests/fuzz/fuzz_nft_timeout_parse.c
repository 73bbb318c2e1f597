/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Feeds arbitrary bytes to fw_nft_timeout_parse() as one netlink message. */
#include "nft_timeout_parse.h"
#include "timeout_parser_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_timeout_parser(fw_nft_timeout_parse, data, size);
}
