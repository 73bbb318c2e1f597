/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fwstate-agent --check: one look at this network namespace's conntrack with
 * the agent's configuration, no snmpd needed. Prints PASS/WARN/FAIL lines (or
 * JSON) and returns the exit status: 0 all pass, 1 a FAIL, 2 not checked.
 */
#ifndef FWSTATE_CHECK_H
#define FWSTATE_CHECK_H

#include "config_parse.h"

int fwstate_check(const struct fw_config *config, int json);

/* The configuration could not be read: says so and returns 2. */
int fwstate_check_not_configured(unsigned problems, int json);

#endif
