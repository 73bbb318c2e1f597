/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "sysctl_timeouts.h"

#define STOCK   FIXTURE_DIR "/proc-stock"
#define BROKEN  FIXTURE_DIR "/proc-broken"
#define EMPTY   FIXTURE_DIR "/proc-empty"
#define MISSING FIXTURE_DIR "/proc-does-not-exist"
#define NETDIR  "/sys/net/netfilter"

/* Log capture: the reader must name every bad file with its full path. */
#define MAX_LOGS 16
static char logs[MAX_LOGS][1024];
static int log_priority[MAX_LOGS];
static int log_count;

static void capture(int priority, const char *subsystem, const char *message)
{
	assert_string_equal(subsystem, "sysctl");
	assert_true(log_count < MAX_LOGS);
	log_priority[log_count] = priority;
	snprintf(logs[log_count++], sizeof(logs[0]), "%s", message);
}

static int setup(void **state)
{
	(void)state;
	log_count = 0;
	fw_log_set_sink(capture);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fw_log_set_sink(NULL);
	return 0;
}

struct expected_row {
	uint8_t protocol;
	const char *state;
	uint32_t seconds;
};

static void assert_rows(const struct fw_timeout_list *list, size_t from,
                        const struct expected_row *want, size_t n)
{
	assert_int_equal(list->count - from, n);
	for (size_t i = 0; i < n; i++) {
		const struct fw_timeout_row *row = &list->rows[from + i];

		assert_int_equal(row->source, FW_SOURCE_SYSCTL);
		assert_string_equal(row->source_name, "net.netfilter");
		assert_int_equal(row->protocol, want[i].protocol);
		assert_string_equal(row->state, want[i].state);
		assert_int_equal(row->seconds, want[i].seconds);
	}
}

static void test_parse_seconds_good(void **state)
{
	static const struct {
		const char *text;
		uint32_t seconds;
	} cases[] = {
	    {"60\n", 60}, {"0\n", 0},   {"432000\n", 432000}, {"4294967295\n", 4294967295u},
	    {"60", 60},   {"007\n", 7},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t seconds = 12345;

		assert_int_equal(fw_sysctl_parse_seconds(cases[i].text, &seconds), 0);
		assert_int_equal(seconds, cases[i].seconds);
	}
}

static void test_parse_seconds_bad(void **state)
{
	static const char *const cases[] = {
	    "abc",    "",       "\n",   "-1\n",  "+5\n",  " 60\n",        "60 \n",
	    "60\n\n", "6 0\n",  "0x10", "1e3\n", "60abc", "4294967296\n", "99999999999999999999\n",
	    "60\r\n", "\n60\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t seconds = 777;

		if (fw_sysctl_parse_seconds(cases[i], &seconds) != -1)
			fail_msg("accepted \"%s\"", cases[i]);
		assert_int_equal(seconds, 777);
	}
}

static void test_timeout_key(void **state)
{
	static const struct {
		const char *file;
		int rc;
		uint8_t protocol;
		const char *state;
	} cases[] = {
	    {"nf_conntrack_tcp_timeout_close_wait", 0, IPPROTO_TCP, "close_wait"},
	    {"nf_conntrack_tcp_timeout_established", 0, IPPROTO_TCP, "established"},
	    {"nf_conntrack_tcp_timeout_max_retrans", 0, IPPROTO_TCP, "retrans"},
	    {"nf_conntrack_tcp_timeout_unacknowledged", 0, IPPROTO_TCP, "unacknowledged"},
	    {"nf_conntrack_tcp_timeout_half_open", 0, IPPROTO_TCP, "half_open"},
	    {"nf_conntrack_udp_timeout", 0, IPPROTO_UDP, "unreplied"},
	    {"nf_conntrack_udp_timeout_stream", 0, IPPROTO_UDP, "replied"},
	    {"nf_conntrack_tcp_max_retrans", -1, 0, NULL},
	    {"nf_conntrack_tcp_loose", -1, 0, NULL},
	    {"nf_conntrack_max", -1, 0, NULL},
	    {"nf_conntrack_gre_timeout_stream", -1, 0, NULL},
	    {"nf_conntrack_udplite_timeout", -1, 0, NULL},
	    {"nf_conntrack_udp_timeout_stream2", -1, 0, NULL},
	    {"nf_conntrack_udp_timeout_", -1, 0, NULL},
	    {"nf_conntrack_tcp_timeout_", -1, 0, NULL},
	    {"nf_conntrack_tcp_timeout", -1, 0, NULL},
	    {"nf_conntrack_tcp_timeout_Bad-Name", -1, 0, NULL},
	    {"nf_conntrack_tcp_timeout_a_state_name_longer_than_32_chars", -1, 0, NULL},
	    {"x_nf_conntrack_tcp_timeout_close", -1, 0, NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t protocol = 0;
		char name[FW_STATE_NAME_MAX + 1] = "";
		int rc = fw_sysctl_timeout_key(cases[i].file, &protocol, name, sizeof(name));

		if (rc != cases[i].rc)
			fail_msg("%s: rc %d", cases[i].file, rc);
		if (rc == 0) {
			char file[64];

			assert_int_equal(protocol, cases[i].protocol);
			assert_string_equal(name, cases[i].state);
			/* and back: the file a fix has to name */
			assert_int_equal(fw_sysctl_timeout_name(protocol, name, file, sizeof(file)),
			                 0);
			assert_string_equal(file, cases[i].file);
		}
	}
}

static void test_timeout_name_rejects(void **state)
{
	char file[64], small[8];

	(void)state;
	assert_int_equal(fw_sysctl_timeout_name(IPPROTO_UDP, "established", file, sizeof(file)),
	                 -1);
	assert_int_equal(fw_sysctl_timeout_name(IPPROTO_ICMP, "replied", file, sizeof(file)), -1);
	assert_int_equal(fw_sysctl_timeout_name(IPPROTO_TCP, "close", small, sizeof(small)), -1);
}

static void test_timeout_key_short_buffer(void **state)
{
	uint8_t protocol;
	char name[6];

	(void)state;
	assert_int_equal(fw_sysctl_timeout_key("nf_conntrack_tcp_timeout_close_wait", &protocol,
	                                       name, sizeof(name)),
	                 -1);
	assert_int_equal(
	    fw_sysctl_timeout_key("nf_conntrack_tcp_timeout_close", &protocol, name, sizeof(name)),
	    0);
	assert_string_equal(name, "close");
}

static const struct expected_row stock_rows[] = {
    {IPPROTO_TCP, "syn_sent", 120},       {IPPROTO_TCP, "syn_recv", 60},
    {IPPROTO_TCP, "established", 432000}, {IPPROTO_TCP, "fin_wait", 120},
    {IPPROTO_TCP, "close_wait", 60},      {IPPROTO_TCP, "last_ack", 30},
    {IPPROTO_TCP, "time_wait", 120},      {IPPROTO_TCP, "close", 10},
    {IPPROTO_TCP, "retrans", 300},        {IPPROTO_TCP, "unacknowledged", 300},
    {IPPROTO_UDP, "unreplied", 30},       {IPPROTO_UDP, "replied", 120},
};

static void test_stock(void **state)
{
	struct fw_timeout_list list = {0};
	unsigned file_errors = 99;
	char error[256] = "stale";

	(void)state;
	assert_int_equal(fw_sysctl_read_timeouts(STOCK, &list, &file_errors, error, sizeof(error)),
	                 0);
	assert_int_equal(file_errors, 0);
	assert_string_equal(error, "");
	assert_rows(&list, 0, stock_rows, sizeof(stock_rows) / sizeof(stock_rows[0]));
	assert_int_equal(log_count, 0);
	fw_timeout_list_free(&list);
}

static void test_appends_after_existing_rows(void **state)
{
	struct fw_timeout_list list = {0};
	struct fw_timeout_row first = {.source = FW_SOURCE_NFT, .protocol = IPPROTO_UDP};
	unsigned file_errors;

	(void)state;
	strcpy(first.state, "zzz");
	fw_timeout_set_source_name(&first, "inet filter siptls");
	assert_int_equal(fw_timeout_list_append(&list, &first), 0);
	assert_int_equal(fw_sysctl_read_timeouts(STOCK, &list, &file_errors, NULL, 0), 0);
	assert_int_equal(list.rows[0].source, FW_SOURCE_NFT);
	assert_string_equal(list.rows[0].state, "zzz");
	assert_rows(&list, 1, stock_rows, sizeof(stock_rows) / sizeof(stock_rows[0]));
	fw_timeout_list_free(&list);
}

static void test_broken(void **state)
{
	static const struct expected_row want[] = {
	    {IPPROTO_TCP, "syn_sent", 120},    {IPPROTO_TCP, "established", 432000},
	    {IPPROTO_TCP, "awaiting_ack", 15}, {IPPROTO_TCP, "half_open", 90},
	    {IPPROTO_UDP, "unreplied", 30},
	};
	const char *dir = BROKEN NETDIR "/";
	static const char *const messages[] = {
	    BROKEN NETDIR "/nf_conntrack_tcp_timeout_close_wait: 'sixty' is not a number of "
	                  "seconds (0-4294967295)",
	    BROKEN NETDIR "/nf_conntrack_tcp_timeout_last_ack: Is a directory",
	    BROKEN NETDIR "/nf_conntrack_tcp_timeout_time_wait: '' is not a number of seconds "
	                  "(0-4294967295)",
	    BROKEN NETDIR "/nf_conntrack_udp_timeout_stream: '4294967296' is not a number of "
	                  "seconds (0-4294967295)",
	};
	const char *tail = " (and 3 more unreadable files)";
	struct fw_timeout_list list = {0};
	unsigned file_errors = 0;
	char error[512];
	int found = 0;

	(void)state;
	assert_int_equal(fw_sysctl_read_timeouts(BROKEN, &list, &file_errors, error, sizeof(error)),
	                 0);
	assert_int_equal(file_errors, 4);
	assert_rows(&list, 0, want, sizeof(want) / sizeof(want[0]));

	/* Silent: the reader runs every poll; the collector logs what changed. */
	assert_int_equal(log_count, 0);

	/* error is the first failure plus how many others there were. */
	assert_true(strlen(error) > strlen(tail));
	assert_string_equal(error + strlen(error) - strlen(tail), tail);
	assert_memory_equal(error, dir, strlen(dir));
	for (int i = 0; i < 4; i++)
		if (strlen(error) == strlen(messages[i]) + strlen(tail) &&
		    strncmp(error, messages[i], strlen(messages[i])) == 0)
			found++;
	assert_int_equal(found, 1);
	fw_timeout_list_free(&list);
}

static void test_empty_directory(void **state)
{
	struct fw_timeout_list list = {0};
	unsigned file_errors = 5;
	char error[512] = "stale";

	(void)state;
	/* the directory is there, but no timeout in it: as if nf_conntrack were not loaded */
	assert_int_equal(fw_sysctl_read_timeouts(EMPTY, &list, &file_errors, error, sizeof(error)),
	                 -1);
	assert_int_equal(list.count, 0);
	assert_int_equal(file_errors, 0);
	assert_string_equal(error, EMPTY NETDIR ": no conntrack timeout sysctls (is nf_conntrack "
	                                        "loaded in this network namespace?)");
	fw_timeout_list_free(&list);
}

static void test_missing_root(void **state)
{
	struct fw_timeout_list list = {0};
	struct fw_timeout_row keep = {.source = FW_SOURCE_CTTIMEOUT, .protocol = IPPROTO_TCP};
	unsigned file_errors = 5;
	char error[512];

	(void)state;
	assert_int_equal(fw_timeout_list_append(&list, &keep), 0);
	assert_int_equal(
	    fw_sysctl_read_timeouts(MISSING, &list, &file_errors, error, sizeof(error)), -1);
	assert_string_equal(error, MISSING NETDIR ": No such file or directory (is nf_conntrack "
	                                          "loaded in this network namespace?)");
	assert_int_equal(list.count, 1);
	assert_int_equal(file_errors, 0);
	/* The directory failing is the caller's to report, once. */
	assert_int_equal(log_count, 0);

	/* No error buffer: still a clean failure. */
	assert_int_equal(fw_sysctl_read_timeouts(MISSING, &list, NULL, NULL, 0), -1);
	assert_int_equal(list.count, 1);
	fw_timeout_list_free(&list);
}

static void test_root_is_a_file(void **state)
{
	struct fw_timeout_list list = {0};
	char error[512];

	(void)state;
	assert_int_equal(fw_sysctl_read_timeouts(STOCK NETDIR "/nf_conntrack_max", &list, NULL,
	                                         error, sizeof(error)),
	                 -1);
	assert_string_equal(error, STOCK NETDIR "/nf_conntrack_max" NETDIR ": Not a directory");
	assert_int_equal(list.count, 0);
}

/* Builds <tmp>/sys/net/netfilter with one file of the given bytes. */
static void make_tree(char *root, size_t root_len, const char *file, const char *bytes, size_t len)
{
	char path[512];
	int fd;

	snprintf(root, root_len, "/tmp/fwstate-sysctl-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/sys", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sys/net", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sys/net/netfilter", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sys/net/netfilter/%s", root, file);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, len), (ssize_t)len);
	close(fd);
}

static void remove_tree(const char *root, const char *file)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/sys/net/netfilter/%s", root, file);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sys/net/netfilter", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sys/net", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sys", root);
	rmdir(path);
	rmdir(root);
}

static void read_single(const char *file, const char *bytes, size_t len, int want_ok,
                        const char *want_error_tail, uint32_t want_seconds)
{
	struct fw_timeout_list list = {0};
	char root[64], error[512], want[512];
	unsigned file_errors = 9;

	make_tree(root, sizeof(root), file, bytes, len);
	log_count = 0;
	assert_int_equal(fw_sysctl_read_timeouts(root, &list, &file_errors, error, sizeof(error)),
	                 0);
	if (want_ok) {
		assert_int_equal(file_errors, 0);
		assert_int_equal(list.count, 1);
		assert_int_equal(list.rows[0].seconds, want_seconds);
		assert_string_equal(error, "");
	} else {
		snprintf(want, sizeof(want), "%s/sys/net/netfilter/%s: %s", root, file,
		         want_error_tail);
		assert_int_equal(file_errors, 1);
		assert_int_equal(list.count, 0);
		assert_string_equal(error, want);
		assert_int_equal(log_count, 0);
	}
	remove_tree(root, file);
	fw_timeout_list_free(&list);
}

static void test_single_files(void **state)
{
	const char *close_wait = "nf_conntrack_tcp_timeout_close_wait";

	(void)state;
	read_single(close_wait, "60", 2, 1, NULL, 60);
	read_single(close_wait, "3600\n", 5, 1, NULL, 3600);
	read_single(close_wait, "-1\n", 3, 0, "'-1' is not a number of seconds (0-4294967295)", 0);
	read_single(close_wait, "60\0junk\n", 8, 0,
	            "'60' is not a number of seconds (0-4294967295)", 0);
	read_single(close_wait, "6\x01\n", 3, 0, "'6?' is not a number of seconds (0-4294967295)",
	            0);
	read_single(close_wait, "0000000000000000000000000000000060\n", 35, 0,
	            "value longer than 32 bytes", 0);
	read_single("nf_conntrack_tcp_timeout_half_open", "45\n", 3, 1, NULL, 45);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_seconds_good),
	    cmocka_unit_test(test_parse_seconds_bad),
	    cmocka_unit_test(test_timeout_key),
	    cmocka_unit_test(test_timeout_key_short_buffer),
	    cmocka_unit_test(test_timeout_name_rejects),
	    cmocka_unit_test_setup_teardown(test_stock, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_appends_after_existing_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_broken, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_directory, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_root, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_root_is_a_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_single_files, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
