/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "cttimeout_parse.h"
#include "kmod.h"
#include "log.h"
#include "nft_timeout_parse.h"
#include "sysctl_timeouts.h"
#include "timeout_collect.h"

/* What each fake reader does on its next call. */
enum fake_mode {
	FAKE_OK,
	FAKE_FAIL,    /* appends a junk row, then fails */
	FAKE_PARTIAL, /* sysctl only: one file unreadable */
};

static struct {
	enum fake_mode mode;
	uint32_t seconds; /* value of the rows returned, to tell fresh from carried */
	const char *error;
	unsigned calls;
	const char *proc_root;
} fake[FW_SOURCE_COUNT + 1];

/* The module a test pretends is not loaded; NULL: all are. */
static const char *absent_module;

static int fake_may_ask(const char *module)
{
	return !absent_module || strcmp(module, absent_module) != 0;
}

static struct fw_timeout_row make_row(enum fw_timeout_source source, const char *name,
                                      uint8_t protocol, const char *state, uint32_t seconds)
{
	struct fw_timeout_row row;

	memset(&row, 0, sizeof(row));
	row.source = source;
	fw_timeout_set_source_name(&row, name);
	row.protocol = protocol;
	snprintf(row.state, sizeof(row.state), "%s", state);
	row.seconds = seconds;
	return row;
}

static void append(struct fw_timeout_list *out, enum fw_timeout_source source, const char *name,
                   const char *state, uint32_t seconds)
{
	struct fw_timeout_row row = make_row(source, name, IPPROTO_TCP, state, seconds);

	assert_int_equal(fw_timeout_list_append(out, &row), 0);
}

static int fail_with_junk(enum fw_timeout_source source, struct fw_timeout_list *out, char *error,
                          size_t error_len)
{
	append(out, source, "junk", "junk", 1);
	snprintf(error, error_len, "%s", fake[source].error);
	return -1;
}

static int fake_sysctl(const char *proc_root, struct fw_timeout_list *out, unsigned *file_errors,
                       char *error, size_t error_len)
{
	fake[FW_SOURCE_SYSCTL].calls++;
	fake[FW_SOURCE_SYSCTL].proc_root = proc_root;
	*file_errors = 0;
	if (fake[FW_SOURCE_SYSCTL].mode == FAKE_FAIL)
		return fail_with_junk(FW_SOURCE_SYSCTL, out, error, error_len);
	append(out, FW_SOURCE_SYSCTL, "net.netfilter", "established", 432000);
	if (fake[FW_SOURCE_SYSCTL].mode == FAKE_PARTIAL) {
		/* close_wait missing; the error names it. */
		*file_errors = 2;
		snprintf(error, error_len, "%s", fake[FW_SOURCE_SYSCTL].error);
	} else {
		append(out, FW_SOURCE_SYSCTL, "net.netfilter", "close_wait",
		       fake[FW_SOURCE_SYSCTL].seconds);
	}
	append(out, FW_SOURCE_SYSCTL, "net.netfilter", "time_wait", 120);
	return 0;
}

static int fake_cttimeout(struct fw_timeout_list *out, char *error, size_t error_len)
{
	fake[FW_SOURCE_CTTIMEOUT].calls++;
	if (fake[FW_SOURCE_CTTIMEOUT].mode == FAKE_FAIL)
		return fail_with_junk(FW_SOURCE_CTTIMEOUT, out, error, error_len);
	append(out, FW_SOURCE_CTTIMEOUT, "sip-phones", "established", 7200);
	append(out, FW_SOURCE_CTTIMEOUT, "sip-phones", "close_wait",
	       fake[FW_SOURCE_CTTIMEOUT].seconds);
	return 0;
}

static int fake_nft(struct fw_timeout_list *out, char *error, size_t error_len)
{
	fake[FW_SOURCE_NFT].calls++;
	if (fake[FW_SOURCE_NFT].mode == FAKE_FAIL)
		return fail_with_junk(FW_SOURCE_NFT, out, error, error_len);
	append(out, FW_SOURCE_NFT, "inet filter siptls", "close_wait", fake[FW_SOURCE_NFT].seconds);
	return 0;
}

#define MAX_LOGS 16
static struct {
	int priority;
	char subsystem[32];
	char message[1024];
} logs[MAX_LOGS];
static int log_count;

static void capture(int priority, const char *subsystem, const char *message)
{
	assert_true(log_count < MAX_LOGS);
	logs[log_count].priority = priority;
	snprintf(logs[log_count].subsystem, sizeof(logs[0].subsystem), "%s", subsystem);
	snprintf(logs[log_count].message, sizeof(logs[0].message), "%s", message);
	log_count++;
}

static void assert_log(int i, int priority, const char *subsystem, const char *message)
{
	assert_true(i < log_count);
	assert_int_equal(logs[i].priority, priority);
	assert_string_equal(logs[i].subsystem, subsystem);
	assert_string_equal(logs[i].message, message);
}

static struct fw_timeout_collector collector;
static struct fw_timeout_list lists[2];
static int current; /* lists[current] holds the last poll */

static int setup(void **state)
{
	(void)state;
	memset(fake, 0, sizeof(fake));
	absent_module = NULL;
	for (int s = 1; s <= FW_SOURCE_COUNT; s++) {
		fake[s].mode = FAKE_OK;
		fake[s].seconds = 60;
	}
	fw_timeout_collector_init(&collector);
	collector.proc_root = "/fixture/proc";
	collector.readers.sysctl = fake_sysctl;
	collector.readers.cttimeout = fake_cttimeout;
	collector.readers.nft = fake_nft;
	collector.may_ask = fake_may_ask;
	memset(lists, 0, sizeof(lists));
	current = 0;
	log_count = 0;
	fw_log_set_sink(capture);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fw_log_set_sink(NULL);
	fw_timeout_list_free(&lists[0]);
	fw_timeout_list_free(&lists[1]);
	return 0;
}

/* One poll, as the agent does it: the last result is the next previous. */
static int poll_once(void)
{
	int next = 1 - current;
	int failed = fw_collect_timeouts(&collector, &lists[current], &lists[next]);

	current = next;
	return failed;
}

struct want {
	enum fw_timeout_source source;
	const char *name;
	const char *state;
	uint32_t seconds;
};

static void assert_rows(const struct want *want, size_t n)
{
	const struct fw_timeout_list *list = &lists[current];

	assert_int_equal(list->count, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(list->rows[i].source, want[i].source);
		assert_string_equal(list->rows[i].source_name, want[i].name);
		assert_string_equal(list->rows[i].state, want[i].state);
		assert_int_equal(list->rows[i].seconds, want[i].seconds);
	}
}

#define SYS FW_SOURCE_SYSCTL, "net.netfilter"
#define CT  FW_SOURCE_CTTIMEOUT, "sip-phones"
#define NFT FW_SOURCE_NFT, "inet filter siptls"

static void test_init(void **state)
{
	struct fw_timeout_collector c;

	(void)state;
	memset(&c, 0x5a, sizeof(c));
	fw_timeout_collector_init(&c);
	assert_string_equal(c.proc_root, "/proc");
	assert_ptr_equal(c.readers.sysctl, fw_sysctl_read_timeouts);
	assert_ptr_equal(c.readers.cttimeout, fw_cttimeout_dump);
	assert_ptr_equal(c.readers.nft, fw_nft_timeout_dump);
	assert_ptr_equal(c.may_ask, fw_kmod_may_ask);
	for (int s = 0; s <= FW_SOURCE_COUNT; s++) {
		assert_int_equal(c.status[s].ok, 0);
		assert_int_equal(c.status[s].errors, 0);
		assert_string_equal(c.status[s].last_error, "");
	}
	assert_int_equal(c.total_errors, 0);
	assert_string_equal(c.last_error, "");
	assert_int_equal(c.last_check, 0);
}

static void test_all_sources_ok(void **state)
{
	static const struct want want[] = {
	    {SYS, "established", 432000}, {SYS, "close_wait", 60}, {SYS, "time_wait", 120},
	    {CT, "established", 7200},    {CT, "close_wait", 60},  {NFT, "close_wait", 60},
	};
	time_t before = time(NULL), after;

	(void)state;
	assert_int_equal(poll_once(), 0);
	after = time(NULL);
	assert_rows(want, sizeof(want) / sizeof(want[0]));
	assert_string_equal(fake[FW_SOURCE_SYSCTL].proc_root, "/fixture/proc");
	for (int s = 1; s <= FW_SOURCE_COUNT; s++) {
		assert_int_equal(fake[s].calls, 1);
		assert_int_equal(collector.status[s].ok, 1);
		assert_int_equal(collector.status[s].errors, 0);
	}
	assert_int_equal(collector.total_errors, 0);
	assert_true(collector.last_check >= before && collector.last_check <= after);
	/* A first successful poll is not a "recovery". */
	assert_int_equal(log_count, 0);

	/* out is cleared first: a second poll does not accumulate. */
	assert_int_equal(poll_once(), 0);
	assert_rows(want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(log_count, 0);
}

static void test_failing_source_keeps_rows(void **state)
{
	static const struct want stale_ct[] = {
	    {SYS, "established", 432000}, {SYS, "close_wait", 900}, {SYS, "time_wait", 120},
	    {CT, "established", 7200},    {CT, "close_wait", 60},   {NFT, "close_wait", 900},
	};
	static const struct want fresh[] = {
	    {SYS, "established", 432000}, {SYS, "close_wait", 900}, {SYS, "time_wait", 120},
	    {CT, "established", 7200},    {CT, "close_wait", 900},  {NFT, "close_wait", 900},
	};

	(void)state;
	assert_int_equal(poll_once(), 0);

	/* cttimeout fails; the other sources move on to new values. */
	fake[FW_SOURCE_SYSCTL].seconds = 900;
	fake[FW_SOURCE_CTTIMEOUT].seconds = 900;
	fake[FW_SOURCE_NFT].seconds = 900;
	fake[FW_SOURCE_CTTIMEOUT].mode = FAKE_FAIL;
	fake[FW_SOURCE_CTTIMEOUT].error = "netlink: Operation not permitted";
	collector.last_check = 0;
	assert_int_equal(poll_once(), 1);
	assert_rows(stale_ct, sizeof(stale_ct) / sizeof(stale_ct[0]));
	assert_true(collector.last_check != 0);
	assert_int_equal(collector.status[FW_SOURCE_CTTIMEOUT].ok, 0);
	assert_int_equal(collector.status[FW_SOURCE_CTTIMEOUT].errors, 1);
	assert_string_equal(collector.status[FW_SOURCE_CTTIMEOUT].last_error,
	                    "netlink: Operation not permitted");
	assert_string_equal(collector.last_error, "cttimeout: netlink: Operation not permitted");
	assert_int_equal(collector.status[FW_SOURCE_SYSCTL].ok, 1);
	assert_int_equal(collector.status[FW_SOURCE_NFT].ok, 1);
	assert_int_equal(collector.total_errors, 1);
	assert_int_equal(log_count, 1);
	assert_log(0, LOG_ERR, "cttimeout",
	           "cttimeout timeouts not read, keeping the previous values: netlink: Operation "
	           "not permitted");

	/* Still failing the same way: counted, carried again, not logged again. */
	assert_int_equal(poll_once(), 1);
	assert_rows(stale_ct, sizeof(stale_ct) / sizeof(stale_ct[0]));
	assert_int_equal(collector.status[FW_SOURCE_CTTIMEOUT].errors, 2);
	assert_int_equal(collector.total_errors, 2);
	assert_int_equal(log_count, 1);

	/* A different error is news. */
	fake[FW_SOURCE_CTTIMEOUT].error = "netlink: No buffer space available";
	assert_int_equal(poll_once(), 1);
	assert_rows(stale_ct, sizeof(stale_ct) / sizeof(stale_ct[0]));
	assert_int_equal(collector.status[FW_SOURCE_CTTIMEOUT].errors, 3);
	assert_int_equal(log_count, 2);
	assert_log(1, LOG_ERR, "cttimeout",
	           "cttimeout timeouts not read, keeping the previous values: netlink: No buffer "
	           "space available");

	/* Recovery: fresh rows, logged once, the error history kept. */
	fake[FW_SOURCE_CTTIMEOUT].mode = FAKE_OK;
	assert_int_equal(poll_once(), 0);
	assert_rows(fresh, sizeof(fresh) / sizeof(fresh[0]));
	assert_int_equal(collector.status[FW_SOURCE_CTTIMEOUT].ok, 1);
	assert_int_equal(collector.status[FW_SOURCE_CTTIMEOUT].errors, 3);
	assert_string_equal(collector.status[FW_SOURCE_CTTIMEOUT].last_error,
	                    "netlink: No buffer space available");
	assert_int_equal(collector.total_errors, 3);
	assert_int_equal(log_count, 3);
	assert_log(2, LOG_NOTICE, "cttimeout", "cttimeout timeouts readable again");
	assert_int_equal(poll_once(), 0);
	assert_int_equal(log_count, 3);

	/* Failing again after a recovery is logged again. */
	fake[FW_SOURCE_CTTIMEOUT].mode = FAKE_FAIL;
	assert_int_equal(poll_once(), 1);
	assert_int_equal(log_count, 4);
	assert_log(3, LOG_ERR, "cttimeout",
	           "cttimeout timeouts not read, keeping the previous values: netlink: No buffer "
	           "space available");
}

static void test_failure_on_first_poll(void **state)
{
	static const struct want want[] = {
	    {SYS, "established", 432000}, {SYS, "close_wait", 60}, {SYS, "time_wait", 120},
	    {CT, "established", 7200},    {CT, "close_wait", 60},
	};

	(void)state;
	/* Nothing to carry over, and a reader that gives no reason. */
	fake[FW_SOURCE_NFT].mode = FAKE_FAIL;
	fake[FW_SOURCE_NFT].error = "";
	assert_int_equal(poll_once(), 1);
	assert_rows(want, sizeof(want) / sizeof(want[0]));
	assert_string_equal(collector.status[FW_SOURCE_NFT].last_error, "read failed");
	assert_string_equal(collector.last_error, "nft: read failed");
	assert_int_equal(log_count, 1);
	assert_log(0, LOG_ERR, "nft",
	           "nft timeouts not read, keeping the previous values: read failed");
}

static void test_null_previous(void **state)
{
	struct fw_timeout_list out = {0};

	(void)state;
	fake[FW_SOURCE_SYSCTL].mode = FAKE_FAIL;
	fake[FW_SOURCE_SYSCTL].error = "/proc/sys/net/netfilter: No such file or directory";
	assert_int_equal(fw_collect_timeouts(&collector, NULL, &out), 1);
	assert_int_equal(out.count, 3);
	assert_int_equal(out.rows[0].source, FW_SOURCE_CTTIMEOUT);
	fw_timeout_list_free(&out);
}

static void test_all_fail(void **state)
{
	(void)state;
	assert_int_equal(poll_once(), 0);
	for (int s = 1; s <= FW_SOURCE_COUNT; s++) {
		fake[s].mode = FAKE_FAIL;
		fake[s].error = "boom";
		fake[s].seconds = 1;
	}
	assert_int_equal(poll_once(), 3);
	/* Everything carried over unchanged, nothing of the junk. */
	assert_int_equal(lists[current].count, lists[1 - current].count);
	assert_memory_equal(lists[current].rows, lists[1 - current].rows,
	                    lists[current].count * sizeof(struct fw_timeout_row));
	assert_int_equal(collector.total_errors, 3);
	assert_string_equal(collector.last_error, "nft: boom");
	assert_int_equal(log_count, 3);
	assert_log(0, LOG_ERR, "sysctl",
	           "sysctl timeouts not read, keeping the previous values: boom");
	assert_log(1, LOG_ERR, "cttimeout",
	           "cttimeout timeouts not read, keeping the previous values: boom");
	assert_log(2, LOG_ERR, "nft", "nft timeouts not read, keeping the previous values: boom");
}

static void test_sysctl_directory_fails(void **state)
{
	static const struct want want[] = {
	    {SYS, "established", 432000}, {SYS, "close_wait", 60}, {SYS, "time_wait", 120},
	    {CT, "established", 7200},    {CT, "close_wait", 300}, {NFT, "close_wait", 300},
	};

	(void)state;
	assert_int_equal(poll_once(), 0);
	fake[FW_SOURCE_SYSCTL].mode = FAKE_FAIL;
	fake[FW_SOURCE_SYSCTL].error = "/proc/sys/net/netfilter: Permission denied";
	fake[FW_SOURCE_CTTIMEOUT].seconds = 300;
	fake[FW_SOURCE_NFT].seconds = 300;
	assert_int_equal(poll_once(), 1);
	assert_rows(want, sizeof(want) / sizeof(want[0]));
	assert_string_equal(collector.last_error,
	                    "sysctl: /proc/sys/net/netfilter: Permission denied");
}

static void test_sysctl_file_errors(void **state)
{
	/* The unreadable close_wait keeps its last value, after the fresh rows. */
	static const struct want partial[] = {
	    {SYS, "established", 432000}, {SYS, "time_wait", 120}, {SYS, "close_wait", 60},
	    {CT, "established", 7200},    {CT, "close_wait", 60},  {NFT, "close_wait", 60},
	};
	const char *error = "/proc/sys/net/netfilter/nf_conntrack_tcp_timeout_close_wait: "
	                    "Permission denied (and 1 more unreadable files)";
	char logged[512];

	(void)state;
	assert_int_equal(poll_once(), 0);
	fake[FW_SOURCE_SYSCTL].mode = FAKE_PARTIAL;
	fake[FW_SOURCE_SYSCTL].error = error;
	assert_int_equal(poll_once(), 1);
	assert_rows(partial, sizeof(partial) / sizeof(partial[0]));
	assert_int_equal(collector.status[FW_SOURCE_SYSCTL].ok, 0);
	assert_int_equal(collector.status[FW_SOURCE_SYSCTL].errors, 2);
	assert_int_equal(collector.total_errors, 2);
	assert_string_equal(collector.status[FW_SOURCE_SYSCTL].last_error, error);
	assert_int_equal(log_count, 1);
	snprintf(logged, sizeof(logged),
	         "sysctl timeouts not read, keeping the previous values: %s", error);
	assert_log(0, LOG_ERR, "sysctl", logged);

	/* Same again: counted, not logged; the carried row is carried on. */
	assert_int_equal(poll_once(), 1);
	assert_rows(partial, sizeof(partial) / sizeof(partial[0]));
	assert_int_equal(collector.total_errors, 4);
	assert_int_equal(log_count, 1);

	fake[FW_SOURCE_SYSCTL].mode = FAKE_OK;
	fake[FW_SOURCE_SYSCTL].seconds = 61;
	assert_int_equal(poll_once(), 0);
	assert_int_equal(lists[current].rows[1].seconds, 61);
	assert_string_equal(lists[current].rows[1].state, "close_wait");
	assert_int_equal(log_count, 2);
	assert_log(1, LOG_NOTICE, "sysctl", "sysctl timeouts readable again");
}

/*
 * A source whose kernel module is not loaded is not asked (asking would load
 * it): no rows, status ok and not in use, logged once; and read again, with a
 * note, once the module is there.
 */
static void test_module_not_loaded(void **state)
{
	(void)state;
	absent_module = "nf_tables";
	assert_int_equal(poll_once(), 0);
	assert_int_equal(fake[FW_SOURCE_NFT].calls, 0);
	assert_int_equal(fake[FW_SOURCE_CTTIMEOUT].calls, 1);
	assert_int_equal(fw_timeout_list_count_source(&lists[current], FW_SOURCE_NFT), 0);
	assert_int_equal(collector.status[FW_SOURCE_NFT].ok, 1);
	assert_int_equal(collector.status[FW_SOURCE_NFT].not_in_use, 1);
	assert_int_equal(collector.status[FW_SOURCE_CTTIMEOUT].not_in_use, 0);
	assert_int_equal(log_count, 1);
	assert_log(0, LOG_INFO, "nft", "nf_tables not loaded: no nft timeouts apply; not asking");
	assert_int_equal(poll_once(), 0);
	assert_int_equal(log_count, 1);

	absent_module = NULL;
	assert_int_equal(poll_once(), 0);
	assert_int_equal(fake[FW_SOURCE_NFT].calls, 1);
	assert_int_equal(collector.status[FW_SOURCE_NFT].not_in_use, 0);
	assert_true(fw_timeout_list_count_source(&lists[current], FW_SOURCE_NFT) > 0);
	assert_log(1, LOG_NOTICE, "nft", "nf_tables loaded: reading nft timeouts");
}

static void test_missing_reader_is_skipped(void **state)
{
	(void)state;
	collector.readers.cttimeout = NULL;
	assert_int_equal(poll_once(), 0);
	assert_int_equal(lists[current].count, 4);
	assert_int_equal(collector.status[FW_SOURCE_CTTIMEOUT].ok, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init),
	    cmocka_unit_test_setup_teardown(test_all_sources_ok, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failing_source_keeps_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failure_on_first_poll, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_null_previous, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_all_fail, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sysctl_directory_fails, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sysctl_file_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_reader_is_skipped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_module_not_loaded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
