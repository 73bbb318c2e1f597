/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "check_report.h"

#include <ctype.h>

static const char *verdict(int status)
{
	switch (status) {
	case 0:
		return "pass";
	case 1:
		return "fail";
	}
	return "unchecked";
}

static const char *verdict_text(int status)
{
	switch (status) {
	case 0:
		return "this firewall keeps SIP-over-TLS connections for at least the threshold";
	case 1:
		return "this firewall can drop the phones' SIP-over-TLS connections: apply the "
		       "fixes above";
	}
	return "not everything could be checked: see UNCHECKED above";
}

void fw_check_print_text(FILE *out, const struct fw_check_report *report, uint32_t threshold)
{
	int status = fw_check_exit_status(report);

	fprintf(out, "fwstate-agent --check: conntrack in this network namespace, threshold %u s\n",
	        threshold);
	for (size_t i = 0; i < report->count; i++) {
		const struct fw_check_finding *f = &report->items[i];

		fprintf(out, "%-9s %s: %s\n", fw_check_level_name(f->level), f->subject, f->detail);
		for (size_t j = 0; j < f->fix_count; j++)
			fprintf(out, "          fix: %s\n", f->fix[j]);
	}
	fprintf(out, "result: %s (%zu fail, %zu warn, %zu unchecked, %zu pass, %zu info): %s\n",
	        verdict(status), fw_check_count(report, FW_CHECK_FAIL),
	        fw_check_count(report, FW_CHECK_WARN), fw_check_count(report, FW_CHECK_UNCHECKED),
	        fw_check_count(report, FW_CHECK_PASS), fw_check_count(report, FW_CHECK_INFO),
	        verdict_text(status));
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_lower(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++)
		fputc(tolower((unsigned char)*s), out);
	fputc('"', out);
}

void fw_check_print_json(FILE *out, const struct fw_check_report *report, uint32_t threshold)
{
	static const enum fw_check_level levels[] = {
	    FW_CHECK_FAIL, FW_CHECK_WARN, FW_CHECK_UNCHECKED, FW_CHECK_PASS, FW_CHECK_INFO};
	int status = fw_check_exit_status(report);

	fprintf(out, "{\"threshold\":%u,\"result\":\"%s\",\"exit_status\":%d,\"counts\":{",
	        threshold, verdict(status), status);
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		fputs(i ? "," : "", out);
		json_lower(out, fw_check_level_name(levels[i]));
		fprintf(out, ":%zu", fw_check_count(report, levels[i]));
	}
	fputs("},\"findings\":[", out);
	for (size_t i = 0; i < report->count; i++) {
		const struct fw_check_finding *f = &report->items[i];

		fputs(i ? ",{\"level\":" : "{\"level\":", out);
		json_string(out, fw_check_level_name(f->level));
		fputs(",\"topic\":", out);
		json_string(out, f->topic);
		fputs(",\"subject\":", out);
		json_string(out, f->subject);
		fputs(",\"detail\":", out);
		json_string(out, f->detail);
		fputs(",\"fix\":[", out);
		for (size_t j = 0; j < f->fix_count; j++) {
			fputs(j ? "," : "", out);
			json_string(out, f->fix[j]);
		}
		fputs("]}", out);
	}
	fputs("]}\n", out);
}
