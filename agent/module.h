/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FWSTATE-MIB as a whole: every object, notification and collector. The
 * fwstate-agent binary (subagent or --master) and snmpd's dlmod (fwstate.so)
 * start and stop the same module here; only the process around it differs.
 */
#ifndef FWSTATE_MODULE_H
#define FWSTATE_MODULE_H

#include "agent_scalars.h"

/*
 * Registers everything and starts the collectors with the configuration in
 * force; info must live until fwstate_module_stop(). Returns 0 or -1 (logged).
 */
int fwstate_module_start(const struct agent_info *info);

/* The configuration in force has changed: every part takes it over. */
void fwstate_module_reconfigure(void);

void fwstate_module_stop(void);

#endif
