/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Whether a subsystem may be asked: from /proc/modules, /sys/module and modules.builtin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmod.h"

struct files {
	char dir[64];
	char modules[96];
	char builtin[96];
	char sys[96];
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct files *fs = calloc(1, sizeof(*fs));

	assert_non_null(fs);
	snprintf(fs->dir, sizeof(fs->dir), "/tmp/fwstate-kmod.XXXXXX");
	assert_non_null(mkdtemp(fs->dir));
	snprintf(fs->modules, sizeof(fs->modules), "%s/modules", fs->dir);
	snprintf(fs->builtin, sizeof(fs->builtin), "%s/modules.builtin", fs->dir);
	snprintf(fs->sys, sizeof(fs->sys), "%s/sys", fs->dir);
	write_file(fs->modules, "nf_conntrack_netlink 57344 0 - Live 0x0000000000000000\n"
	                        "nf_tables 360448 12 nft_ct, Live 0x0000000000000000\n");
	write_file(fs->builtin, "kernel/net/netfilter/nf_conntrack.ko\n"
	                        "kernel/net/netfilter/nfnetlink-cttimeout.ko\n");
	assert_int_equal(mkdir(fs->sys, 0700), 0);
	*state = fs;
	return 0;
}

static int teardown(void **state)
{
	struct files *fs = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", fs->dir);
	assert_int_equal(system(cmd), 0);
	free(fs);
	return 0;
}

static void test_loaded_builtin_absent(void **state)
{
	struct files *fs = *state;
	char dir[128];

	assert_int_equal(fw_kmod_state_in(fs->modules, fs->sys, fs->builtin, "nf_tables"),
	                 FW_KMOD_LOADED);
	/* a prefix of a loaded module's name is not that module */
	assert_int_equal(fw_kmod_state_in(fs->modules, fs->sys, fs->builtin, "nf_table"),
	                 FW_KMOD_ABSENT);
	/* built in, '-' and '_' alike */
	assert_int_equal(fw_kmod_state_in(fs->modules, fs->sys, fs->builtin, "nfnetlink_cttimeout"),
	                 FW_KMOD_BUILTIN);
	assert_int_equal(fw_kmod_state_in(fs->modules, fs->sys, fs->builtin, "nf_conntrack"),
	                 FW_KMOD_BUILTIN);
	assert_int_equal(fw_kmod_state_in(fs->modules, fs->sys, fs->builtin, "nf_conntrack_ftp"),
	                 FW_KMOD_ABSENT);
	/* a built-in module with parameters shows only in /sys/module */
	snprintf(dir, sizeof(dir), "%s/nf_conntrack_ftp", fs->sys);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(fw_kmod_state_in(fs->modules, fs->sys, fs->builtin, "nf_conntrack_ftp"),
	                 FW_KMOD_LOADED);
	assert_int_equal(fw_kmod_state_in(fs->modules, NULL, NULL, "nfnetlink_cttimeout"),
	                 FW_KMOD_ABSENT);
}

static void test_kernel_without_modules(void **state)
{
	struct files *fs = *state;
	char missing[128];

	/* no /proc/modules: nothing can be loaded on demand, so asking is safe */
	snprintf(missing, sizeof(missing), "%s/no-such-file", fs->dir);
	assert_int_equal(fw_kmod_state_in(missing, fs->sys, fs->builtin, "nf_tables"),
	                 FW_KMOD_NO_MODULES);
	assert_int_equal(fw_kmod_state_in(NULL, NULL, NULL, "nf_tables"), FW_KMOD_NO_MODULES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_loaded_builtin_absent, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_kernel_without_modules, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
