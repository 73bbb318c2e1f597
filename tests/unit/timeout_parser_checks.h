/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checks every timeout parser (cttimeout, nft) must pass on its recorded messages. */
#ifndef FWSTATE_TIMEOUT_PARSER_CHECKS_H
#define FWSTATE_TIMEOUT_PARSER_CHECKS_H

#include "nl_test_util.h"
#include "timeout_dump.h"

struct parser_fixture {
	const uint8_t *buf;
	size_t len;
	int rows; /* rows the whole message yields */
};

/* A buffer shorter than the header's nlmsg_len is always refused, with a message. */
static inline void check_truncated_buffers(fw_timeout_parse_fn parse,
                                           const struct parser_fixture *fixtures, size_t count)
{
	for (size_t f = 0; f < count; f++) {
		for (size_t n = 0; n < fixtures[f].len; n++) {
			struct fw_timeout_list list = {0};
			char error[256] = "";
			uint8_t *buf = copy_of(fixtures[f].buf, n);

			assert_int_equal(parse(buf, n, &list, error, sizeof(error)), -1);
			assert_int_equal(list.count, 0);
			assert_true(error[0] != '\0');
			free(buf);
			fw_timeout_list_free(&list);
		}
	}
}

/* Cut messages whose nlmsg_len agrees: -1 or fewer rows, never a read past the cut. */
static inline void check_truncated_messages(fw_timeout_parse_fn parse,
                                            const struct parser_fixture *fixtures, size_t count)
{
	for (size_t f = 0; f < count; f++) {
		for (size_t n = 0; n <= fixtures[f].len; n++) {
			struct fw_timeout_list list = {0};
			char error[256] = "";
			uint8_t *buf = copy_of(fixtures[f].buf, n);
			int ret;

			if (n >= sizeof(struct nlmsghdr))
				((struct nlmsghdr *)buf)->nlmsg_len = (uint32_t)n;
			ret = parse(buf, n, &list, error, sizeof(error));
			if (n == fixtures[f].len)
				assert_int_equal(ret, fixtures[f].rows);
			else if (ret < 0)
				assert_true(error[0] != '\0');
			else
				assert_true(ret <= fixtures[f].rows);
			assert_int_equal(list.count, ret < 0 ? 0 : (size_t)ret);
			free(buf);
			fw_timeout_list_free(&list);
		}
	}
}

/* Parses fixture with the attribute at off claiming nla_len bytes; nothing kept on failure. */
static inline int parse_modified(fw_timeout_parse_fn parse, const uint8_t *fixture, size_t len,
                                 size_t off, uint16_t nla_len, char *error, size_t error_len)
{
	struct fw_timeout_list list = {0};
	uint8_t *buf = copy_of(fixture, len);
	int ret;

	((struct nlattr *)(buf + off))->nla_len = nla_len;
	ret = parse(buf, len, &list, error, error_len);
	if (ret < 0)
		assert_int_equal(list.count, 0);
	free(buf);
	fw_timeout_list_free(&list);
	return ret;
}

#endif
