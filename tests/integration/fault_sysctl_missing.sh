#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The conntrack sysctl files go away under the running agent: an empty tmpfs
# is mounted over /proc/sys/net/netfilter in the agent's own mount namespace
# and network namespace (nothing else sees it; /proc/sys/net is a view per
# network namespace, so the mount is made from inside both). The agent keeps running and answering; the MIB
# shows the sysctl source failing with its rows kept as stale, the
# conntrack table statistics gone, and the log says each once however many
# polls fail. When the files are back, everything is read again and said
# once. Sessions are tracked throughout.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_session_lab "$LAB_SBC_V4,5061"
lab_agent_start
check "agent answers through snmpd" lab_wait_ready
check "sysctl source: ok(1)" eventually 10 \
	expect_match 'INTEGER: ok\(1\)$' lab_snmpget FWSTATE-MIB::fwStateSourceStatus.sysctl
check "fwStateConntrackMax.0 is read" eventually 10 \
	expect_match 'Gauge32: [1-9]' lab_snmpget FWSTATE-MIB::fwStateConntrackMax.0

close_wait_row=$(lab_row fwStateTimeoutStale sysctl net.netfilter tcp close_wait)
source_failed_lines() { grep -c 'sysctl timeouts not read' "$LAB_AGENT_LOG" || true; }
stats_failed_lines() { grep -c 'cannot read the conntrack table statistics' "$LAB_AGENT_LOG" || true; }

# --- the files go away --------------------------------------------------------------------
check "tmpfs over /proc/sys/net/netfilter for the agent alone" \
	nsenter -t "$LAB_AGENT_PID" -m -n mount -t tmpfs -o size=64k fwstate-lab /proc/sys/net/netfilter
check "the agent sees no conntrack sysctls" \
	expect_eq "" nsenter -t "$LAB_AGENT_PID" -m -n ls /proc/sys/net/netfilter
check "sysctl source: readFailed(2)" eventually 10 \
	expect_match 'INTEGER: readFailed\(2\)$' lab_snmpget FWSTATE-MIB::fwStateSourceStatus.sysctl
check "its last error says what is missing" expect_match '/proc/sys/net/netfilter: no conntrack timeout sysctls' \
	lab_snmpget FWSTATE-MIB::fwStateSourceLastError.sysctl
check "its rows are kept, stale: close_wait" expect_match 'INTEGER: true\(1\)$' lab_snmpget "$close_wait_row"
check "fwStateConntrackMax.0 is gone" eventually 10 \
	expect_match 'No Such Object' lab_snmpget FWSTATE-MIB::fwStateConntrackMax.0
check "the agent works on: three more timeout polls" lab_wait_polls 3
check "the log says the sysctls failed once" expect_eq 1 source_failed_lines
check "the log says the statistics failed once" expect_eq 1 stats_failed_lines
lab_session_client a "$LAB_SBC_V4" 5061
check "phone: a session" lab_session_connected a
check "it is tracked meanwhile" eventually 10 lab_session_scalar_is fwStateSessionsNow 1

# --- the files are back ---------------------------------------------------------------------
check "the tmpfs is gone" nsenter -t "$LAB_AGENT_PID" -m -n umount /proc/sys/net/netfilter
check "sysctl source: ok(1) again" eventually 10 \
	expect_match 'INTEGER: ok\(1\)$' lab_snmpget FWSTATE-MIB::fwStateSourceStatus.sysctl
check "close_wait is no longer stale" eventually 5 expect_match 'INTEGER: false\(2\)$' lab_snmpget "$close_wait_row"
check "fwStateConntrackMax.0 is back" eventually 10 \
	expect_match 'Gauge32: [1-9]' lab_snmpget FWSTATE-MIB::fwStateConntrackMax.0
check "the log says so once" eventually 5 expect_eq 1 grep -c 'sysctl timeouts readable again' "$LAB_AGENT_LOG"
check "and for the statistics" expect_eq 1 grep -c 'conntrack table statistics readable again' "$LAB_AGENT_LOG"
check "agent still running" lab_agent_running

lab_summary
