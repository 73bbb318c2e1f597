/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fwstate-agent.conf through Net-SNMP's config API. Every problem Net-SNMP
 * reports on a config line (unknown token, bad value) is counted: at start-up
 * that is fatal; on reload the previous configuration stays in force.
 */
#ifndef FWSTATE_CONFIG_H
#define FWSTATE_CONFIG_H

#include "config_parse.h"

/* Registers the directives and read hooks. Call after init_agent(), before init_snmp(). */
void fwstate_config_init(void);

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

#endif
