/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "ct_table_stats.h"

#define FULL FIXTURE_DIR "/proc-full"

/* /proc/net/stat/nf_conntrack as Linux 6.1 prints it, one line per CPU (two CPUs). */
static const char two_cpus[] =
    "entries  clashres found new invalid ignore delete chainlength insert insert_failed drop "
    "early_drop icmp_error  expect_new expect_create expect_delete search_restart\n"
    "0000002c  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001 "
    "000000ff 00000010 00000000  00000000 00000000 00000000 00000000\n"
    "0000002c  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 "
    "00000001 00000002 00000000  00000000 00000000 00000000 00000000\n";

static void test_sums_the_cpus(void **state)
{
	struct fw_ct_table_stats stats = {.entries = 7, .max = 9};
	char error[128] = "";

	(void)state;
	assert_int_equal(fw_ct_stat_parse(two_cpus, strlen(two_cpus), &stats, error, sizeof(error)),
	                 0);
	assert_int_equal(stats.drops, 0x100);
	assert_int_equal(stats.early_drops, 0x12);
	assert_int_equal(stats.insert_failed, 1);
	/* not this file's */
	assert_int_equal(stats.entries, 7);
	assert_int_equal(stats.max, 9);
}

/* Columns are found by name: a kernel that adds or moves some is still read right. */
static void test_columns_by_name(void **state)
{
	static const char moved[] = "drop entries early_drop insert_failed\n"
	                            "0000000A 1 2 3\n"
	                            "\n"
	                            "a 1 2 3";
	struct fw_ct_table_stats stats;
	char error[128];

	(void)state;
	assert_int_equal(fw_ct_stat_parse(moved, strlen(moved), &stats, error, sizeof(error)), 0);
	assert_int_equal(stats.drops, 20);
	assert_int_equal(stats.early_drops, 4);
	assert_int_equal(stats.insert_failed, 6);
}

struct bad_case {
	const char *text;
	const char *error;
};

static void test_bad_text(void **state)
{
	static const struct bad_case cases[] = {
	    {"", "no \"drop\" column in the header"},
	    {"entries drop insert_failed\n1 2 3\n", "no \"early_drop\" column in the header"},
	    {"drop early_drop insert_failed\n", "no per-CPU line"},
	    {"drop early_drop insert_failed\n1 2\n", "line 2 has 2 columns, fewer than the header"},
	    {"drop early_drop insert_failed\n1 2 x3\n", "line 2: column 3 is not a hex number"},
	    {"drop early_drop insert_failed\n1 2 11112222333344445\n",
	     "line 2: column 3 is not a hex number"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fw_ct_table_stats stats = {0};
		char error[128] = "";

		assert_int_equal(fw_ct_stat_parse(cases[i].text, strlen(cases[i].text), &stats,
		                                  error, sizeof(error)),
		                 -1);
		assert_string_equal(error, cases[i].error);
	}
}

static void test_read_files(void **state)
{
	struct fw_ct_table_stats stats;
	char error[256] = "";

	(void)state;
	assert_int_equal(fw_ct_table_read(FULL, &stats, error, sizeof(error)), 0);
	assert_int_equal(stats.entries, 262144);
	assert_int_equal(stats.max, 262144);
	assert_int_equal(stats.drops, 0x120);
	assert_int_equal(stats.early_drops, 4);
	assert_int_equal(stats.insert_failed, 2);
	assert_int_equal(fw_ct_table_read(FIXTURE_DIR "/proc-empty", &stats, error, sizeof(error)),
	                 -1);
	assert_non_null(strstr(error, "proc-empty/sys/net/netfilter/nf_conntrack_count"));
}

/* Drops make an episode (once), none for the quiet time end it. */
static void test_full_episode(void **state)
{
	struct fw_ct_full_state full = {0};
	struct fw_ct_table_stats stats = {.drops = 500};

	(void)state;
	/* drops from before the agent started are no episode */
	assert_int_equal(fw_ct_full_update(&full, &stats, 1000, 60000), FW_CT_FULL_UNCHANGED);
	assert_false(full.full);
	assert_int_equal(fw_ct_full_update(&full, &stats, 6000, 60000), FW_CT_FULL_UNCHANGED);
	stats.drops = 510;
	assert_int_equal(fw_ct_full_update(&full, &stats, 11000, 60000), FW_CT_FULL_BEGAN);
	assert_true(full.full);
	assert_int_equal(full.episode_drops, 10);
	stats.drops = 530;
	assert_int_equal(fw_ct_full_update(&full, &stats, 16000, 60000), FW_CT_FULL_UNCHANGED);
	assert_int_equal(full.episode_drops, 30);
	/* quiet, but not long enough */
	assert_int_equal(fw_ct_full_update(&full, &stats, 75000, 60000), FW_CT_FULL_UNCHANGED);
	assert_int_equal(fw_ct_full_update(&full, &stats, 76000, 60000), FW_CT_FULL_ENDED);
	assert_false(full.full);
	assert_int_equal(fw_ct_full_update(&full, &stats, 90000, 60000), FW_CT_FULL_UNCHANGED);
	/* a counter that went back starts nothing; growth after it does */
	stats.drops = 3;
	assert_int_equal(fw_ct_full_update(&full, &stats, 95000, 60000), FW_CT_FULL_UNCHANGED);
	stats.drops = 4;
	assert_int_equal(fw_ct_full_update(&full, &stats, 100000, 60000), FW_CT_FULL_BEGAN);
	assert_int_equal(full.episode_drops, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sums_the_cpus), cmocka_unit_test(test_columns_by_name),
	    cmocka_unit_test(test_bad_text),      cmocka_unit_test(test_read_files),
	    cmocka_unit_test(test_full_episode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
