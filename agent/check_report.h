/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How `fwstate-agent --check` prints its findings: lines for an admin, or JSON for scripts. */
#ifndef FWSTATE_CHECK_REPORT_H
#define FWSTATE_CHECK_REPORT_H

#include <stdio.h>

#include "../collectors/firewall_check.h"

/* "LEVEL  subject: detail" and indented "fix:" lines, then the verdict. */
void fw_check_print_text(FILE *out, const struct fw_check_report *report, uint32_t threshold);

/* One JSON object: threshold, result, exit_status, counts and the findings. */
void fw_check_print_json(FILE *out, const struct fw_check_report *report, uint32_t threshold);

#endif
