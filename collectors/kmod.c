/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kmod.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

/* A line of /proc/modules starts with the name and a space. */
static int listed_in_proc_modules(FILE *f, const char *name)
{
	char line[512];
	size_t len = strlen(name);
	int found = 0;

	while (!found && fgets(line, sizeof(line), f))
		found = strncmp(line, name, len) == 0 && line[len] == ' ';
	return found;
}

/* A line of modules.builtin is a path ending in /NAME.ko; '-' and '_' are the same in names. */
static int listed_in_builtin(const char *path, const char *name)
{
	char line[512];
	size_t len = strlen(name);
	FILE *f = path ? fopen(path, "re") : NULL;
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		const char *base = strrchr(line, '/');

		base = base ? base + 1 : line;
		if (strncmp(base + len, ".ko", 3) != 0)
			continue;
		found = 1;
		for (size_t i = 0; i < len && found; i++) {
			char a = base[i] == '-' ? '_' : base[i];
			char b = name[i] == '-' ? '_' : name[i];

			found = a == b;
		}
	}
	fclose(f);
	return found;
}

enum fw_kmod_state fw_kmod_state_in(const char *proc_modules, const char *sys_module_dir,
                                    const char *modules_builtin, const char *name)
{
	FILE *modules = proc_modules ? fopen(proc_modules, "re") : NULL;
	char path[512];
	struct stat st;
	int loaded;

	/* no /proc/modules: no module support, so nothing can be loaded on demand */
	if (!modules)
		return FW_KMOD_NO_MODULES;
	loaded = listed_in_proc_modules(modules, name);
	fclose(modules);
	if (loaded)
		return FW_KMOD_LOADED;
	if (listed_in_builtin(modules_builtin, name))
		return FW_KMOD_BUILTIN;
	/* built-in modules with parameters show here too, loaded ones always */
	if (sys_module_dir &&
	    snprintf(path, sizeof(path), "%s/%s", sys_module_dir, name) < (int)sizeof(path) &&
	    stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return FW_KMOD_LOADED;
	return FW_KMOD_ABSENT;
}

enum fw_kmod_state fw_kmod_state(const char *name)
{
	char builtin[300];
	struct utsname uts;

	builtin[0] = '\0';
	if (uname(&uts) == 0)
		snprintf(builtin, sizeof(builtin), "/lib/modules/%s/modules.builtin", uts.release);
	return fw_kmod_state_in("/proc/modules", "/sys/module", builtin[0] ? builtin : NULL, name);
}

int fw_kmod_may_ask(const char *name)
{
	return fw_kmod_state(name) != FW_KMOD_ABSENT;
}
