/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration through Net-SNMP's config API, from fwstate-agent.conf or
 * from snmpd's own files. Every problem on a line is counted: at start-up
 * that is fatal; on reload the previous configuration stays in force.
 */
#ifndef FWSTATE_CONFIG_H
#define FWSTATE_CONFIG_H

#include "config_parse.h"

enum fw_config_files {
	/*
	 * fwstate-agent's own files: every problem Net-SNMP reports in them
	 * counts, unknown tokens too. Call after init_agent(), before init_snmp().
	 */
	FW_CONFIG_OWN_FILES,
	/*
	 * snmpd's files, while snmpd reads them (from its dlmod line): only
	 * problems of FWSTATE directives count; snmpd judges the rest.
	 */
	FW_CONFIG_SNMPD_FILES,
};

/* Registers the directives and read hooks. */
void fwstate_config_init(enum fw_config_files files);

/* Problems found by the last read of the config files (0 when it was applied). */
unsigned fwstate_config_problems(void);

/* The configuration in force. */
const struct fw_config *fwstate_config(void);

/*
 * Reads the config files again (the default ones unless -C, and every -c
 * file). Returns 0 when the new configuration took effect, -1 when it had
 * problems and the previous one was kept.
 */
int fwstate_config_reload(void);

/*
 * In snmpd, once snmpd has read its files: reads them again, so that FWSTATE
 * directives apply wherever they stand, also before the dlmod line (snmpd's
 * own re-read on SIGHUP sees them all too, the handlers being registered by
 * then). Returns 0, or -1 with problems (fwstate_config_problems()).
 */
int fwstate_config_read_snmpd_files(void);

#endif
