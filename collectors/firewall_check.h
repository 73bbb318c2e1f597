/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The verdict of `fwstate-agent --check`: is this firewall the reason the
 * phones unregister? Pure: it judges what the collectors read (timeouts of
 * every source, conntrack sysctls, the current SIP-TLS sessions) against the
 * agent's configuration, and says for each problem the exact fix.
 */
#ifndef FWSTATE_FIREWALL_CHECK_H
#define FWSTATE_FIREWALL_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "resolver_tracker.h"
#include "session_tracker.h"
#include "timeout_alarm.h"
#include "timeout_collect.h"

enum fw_check_level {
	FW_CHECK_PASS,      /* checked and fine */
	FW_CHECK_INFO,      /* nothing to judge (a subsystem not in use, no sessions now) */
	FW_CHECK_WARN,      /* phones keep working, but something is worth changing */
	FW_CHECK_FAIL,      /* the firewall can drop the phones' connections: fix it */
	FW_CHECK_UNCHECKED, /* could not be checked; detail says why */
};

#define FW_CHECK_FIX_MAX     4
#define FW_CHECK_TEXT_MAX    384
#define FW_CHECK_SUBJECT_MAX 160

struct fw_check_finding {
	enum fw_check_level level;
	const char *topic;                  /* "timeout", "source", "events", "sessions", ... */
	char subject[FW_CHECK_SUBJECT_MAX]; /* what was checked */
	char detail[FW_CHECK_TEXT_MAX];     /* what was found, in words */
	char fix[FW_CHECK_FIX_MAX][FW_CHECK_TEXT_MAX]; /* what to do, in order */
	size_t fix_count;
};

struct fw_check_report {
	struct fw_check_finding *items;
	size_t count, capacity;
	int boot_fix_given; /* the module-load line that makes sysctl.d settings stick was shown */
};

/* Conntrack settings of the namespace; -1 where unreadable. */
struct fw_check_sysctls {
	int64_t events;    /* nf_conntrack_events */
	int64_t acct;      /* nf_conntrack_acct */
	int64_t timestamp; /* nf_conntrack_timestamp */
	int64_t count;     /* nf_conntrack_count */
	int64_t max;       /* nf_conntrack_max */
};

struct fw_check_input {
	uint32_t threshold;
	const struct fw_check_policy *policy;    /* checked states and threshold */
	const struct fw_timeout_list *timeouts;  /* rows of every source read */
	const struct fw_timeout_collector *read; /* each source's status */
	/* per source (enum fw_timeout_source): 0 when its subsystem is not loaded */
	int in_use[FW_SOURCE_COUNT + 1];
	struct fw_check_sysctls sysctls;
	/* the SIP-TLS sessions of a filtered conntrack dump */
	int sessions_checked; /* 0: not dumped; sessions_error says why */
	const char *sessions_error;
	const struct fw_session *const *sessions;
	size_t session_count;
	/* the phones' resolvers from the same dump (resolverTracking), pairs first seen order */
	int resolvers_checked;
	const struct fw_phone_resolver *const *resolver_pairs;
	size_t resolver_pair_count;
	const uint16_t *sip_ports;
	size_t sip_port_count;
	struct fw_clock now;
};

/* Judges everything into report (appended). Returns 0, or -1 when memory ran out. */
int fw_check_run(const struct fw_check_input *in, struct fw_check_report *report);

/* 0 when nothing failed and everything was checked, 1 on a FAIL, else 2 (could not check). */
int fw_check_exit_status(const struct fw_check_report *report);

/* How many findings have this level. */
size_t fw_check_count(const struct fw_check_report *report, enum fw_check_level level);

void fw_check_report_free(struct fw_check_report *report);

/* "PASS", "INFO", "WARN", "FAIL", "UNCHECKED". */
const char *fw_check_level_name(enum fw_check_level level);

#endif
