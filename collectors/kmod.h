/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Whether a kernel subsystem is there, without asking it: a netlink request
 * to an absent nfnetlink subsystem makes the kernel load its module
 * (request_module() inside sendmsg), which stalls the caller and changes the
 * firewall (nf_tables on an iptables-legacy host). What is not loaded is not
 * in use.
 */
#ifndef FWSTATE_KMOD_H
#define FWSTATE_KMOD_H

enum fw_kmod_state {
	FW_KMOD_ABSENT = 0, /* neither loaded nor built in: not in use, do not ask */
	FW_KMOD_LOADED,     /* listed in /proc/modules or /sys/module */
	FW_KMOD_BUILTIN,    /* part of the kernel image (modules.builtin) */
	FW_KMOD_NO_MODULES, /* a kernel without loadable modules: asking loads nothing */
};

/*
 * The state of module `name` (e.g. "nf_tables"): looked up in proc_modules
 * (/proc/modules; missing on a kernel without module support),
 * sys_module_dir (/sys/module) and modules_builtin
 * (/lib/modules/RELEASE/modules.builtin); the last two may be NULL or missing.
 * Pure file reading, so tests point it at fixtures.
 */
enum fw_kmod_state fw_kmod_state_in(const char *proc_modules, const char *sys_module_dir,
                                    const char *modules_builtin, const char *name);

/* The same for the running kernel. */
enum fw_kmod_state fw_kmod_state(const char *name);

/* Whether a netlink request to the subsystem of module `name` may be sent: not when it is absent.
 */
int fw_kmod_may_ask(const char *name);

#endif
