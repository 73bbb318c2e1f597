#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The kernel removes sessions wholesale. First `conntrack -F` flushes the
# whole table under 3 000 real sessions; then the firewall's interface to the
# SBC goes away, and the kernel drops the masqueraded sessions through it. In
# both the agent keeps running and answering, and every session is in
# fwStateTeardownTable once: flushed(5) for the flush, other(7) (removed by
# the kernel itself) for the interface. Storm control keeps the log of the
# flush to a few lines and one summary.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

sessions=3000
limit=20
# one socket per session in the phone and the SBC processes
ulimit -n $((sessions + 1024))

lab_session_lab "$LAB_SBC_V4,5061"
lab_agent_conf "teardownHistory 10000" "teardownNotifyLimit $limit" "teardownNotifyInterval 10"
lab_agent_start
check "agent answers through snmpd" lab_wait_ready
lab_session_client phones "$LAB_SBC_V4" 5061 "$sessions"
check "phone: $sessions sessions to $LAB_SBC_V4:5061" lab_session_connected phones
check "fwStateSessionsNow.0 = $sessions" eventually 30 \
	lab_session_scalar_is fwStateSessionsNow "$sessions"

# cause_rows CAUSE: the teardown history rows of that cause.
cause_rows() {
	lab_snmpbulkwalk -Cr100 FWSTATE-MIB::fwStateTeardownCause | grep -c " = INTEGER: $1\$" || true
}
teardown_lines() { grep -c 'torn down after' "$LAB_AGENT_LOG" || true; }
summary_lines() { grep -c 'more teardown(s) in .* s, not logged one by one: .* flushed' "$LAB_AGENT_LOG" || true; }

# --- the whole table flushed --------------------------------------------------------------
check "conntrack -F in the firewall" lab_fw conntrack -F
check "fwStateSessionsNow.0 = 0" eventually 20 lab_session_scalar_is fwStateSessionsNow 0
check "fwStateSessionTeardowns.0 = $sessions" eventually 10 \
	lab_session_scalar_is fwStateSessionTeardowns "$sessions"
check "the agent answers on: two more timeout polls" lab_wait_polls 2
check "fwStateTeardownTable: $sessions rows, all flushed(5)" expect_eq "$sessions" cause_rows 'flushed(5)' 
check "fwStatePhoneFlushes of $LAB_PHONE_V4 = $sessions" \
	expect_match " = Counter32: $sessions\$" lab_phone_get fwStatePhoneFlushes "$LAB_PHONE_V4"
check "the log: $limit teardown lines" expect_eq "$limit" teardown_lines
check "the log: then one summary of the rest" eventually 15 expect_eq 1 summary_lines
check "agent still running" lab_agent_running

# --- the interface to the SBC goes away -----------------------------------------------------
lab_session_client more "$LAB_SBC_V4" 5061 5
check "phone: 5 new sessions" lab_session_connected more
total=$((sessions + 5))
check "fwStateSessionsNow.0 = 5" eventually 15 lab_session_scalar_is fwStateSessionsNow 5
check "the firewall's interface sbc0 deleted" lab_fw ip link del sbc0
check "the kernel drops the masqueraded sessions: fwStateSessionsNow.0 = 0" eventually 15 \
	lab_session_scalar_is fwStateSessionsNow 0
check "fwStateSessionTeardowns.0 = $total" eventually 10 \
	lab_session_scalar_is fwStateSessionTeardowns "$total"
check "the agent answers on: two more timeout polls" lab_wait_polls 2
check "fwStateTeardownTable: the flushed $sessions rows kept" expect_eq "$sessions" cause_rows 'flushed(5)'
check "and 5 more, other(7): removed by the kernel" expect_eq 5 cause_rows 'other(7)' 
check "the conntrack table holds none of them" expect_eq 0 lab_session_ct_count
check "agent still running" lab_agent_running

lab_summary
