#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The agent's configuration file: errors stop the start-up with the file and
# line named (problems in Net-SNMP's own snmp.conf are only warned about, as
# snmpd does); SIGHUP applies a changed file (and the alarms follow), keeps the
# running configuration when the new file is bad; SIGTERM ends the agent
# cleanly.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_init
lab_require_mibs
lab_require_agent
trap lab_down EXIT
lab_up

# agent_once CONF: run the agent in the foreground with CONF and log to
# stderr; print what it said and its exit status (bounded: 124 = still running).
agent_once() {
	local rc=0
	lab_fw timeout 10 "$LAB_AGENT" -f -C -c "$1" -x "$LAB_AGENTX_SOCK" -Le 2>&1 || rc=$?
	echo "(exit status $rc)"
}
failed_promptly() {
	[[ $1 =~ \(exit\ status\ ([0-9]+)\)$ ]] && ((BASH_REMATCH[1] > 0 && BASH_REMATCH[1] < 124))
}

# --- start-up with an unknown directive ------------------------------------------
printf '%s\n' "timeoutPollInterval 1" "noSuchDirective 5" >"$LAB_RUN/unknown.conf"
out=$(agent_once "$LAB_RUN/unknown.conf")
check "unknown directive: agent exits non-zero at start-up" failed_promptly "$out"
check "unknown directive: message names the file and line 2" \
	expect_match 'unknown\.conf: line 2: ' echo "$out"

# --- start-up with a bad value ----------------------------------------------------
printf '%s\n' "timeoutPollInterval 1" "timeoutThreshold abc" >"$LAB_RUN/badvalue.conf"
out=$(agent_once "$LAB_RUN/badvalue.conf")
check "timeoutThreshold abc: agent exits non-zero at start-up" failed_promptly "$out"
check "timeoutThreshold abc: message names the file and line 2" \
	expect_match 'badvalue\.conf: line 2: ' echo "$out"

# --- Net-SNMP's own files keep snmpd's behaviour: warned about, not fatal ---------
# (without -C: the agent reads snmp.conf and fwstate-agent.conf from SNMPCONFPATH;
# threshold 30: these agents raise no alarm the checks below count)
confdir="$LAB_RUN/confpath"
mkdir -p "$confdir"
printf '%s\n' "defVersoin 2c" >"$confdir/snmp.conf"
printf '%s\n' "timeoutPollInterval 1" "timeoutThreshold 30" >"$confdir/fwstate-agent.conf"
agent_on_path() {
	local rc=0
	SNMPCONFPATH=$confdir lab_fw timeout 5 "$LAB_AGENT" -f -x "$LAB_AGENTX_SOCK" -Le 2>&1 || rc=$?
	echo "(exit status $rc)"
}
out=$(agent_on_path)
check "a typo in snmp.conf: warned about, naming the file and line 1" \
	expect_match 'snmp\.conf: line 1: Warning: Unknown token: defVersoin' echo "$out"
check "a typo in snmp.conf: the agent starts and runs" \
	expect_match 'started as AgentX subagent' echo "$out"
check "a typo in snmp.conf: still running when stopped (exit status 124)" \
	expect_match '\(exit status 124\)$' echo "$out"
printf '%s\n' "timeoutThreshold 30" "sipPorts 5061" >"$confdir/fwstate-agent.conf"
out=$(agent_on_path)
check "a typo in fwstate-agent.conf on the search path: exits non-zero at start-up" \
	failed_promptly "$out"
check "... naming the file and line 2" expect_match 'fwstate-agent\.conf: line 2: ' echo "$out"
# a file that ours includes is ours too
printf '%s\n' "timeoutThreshold 30" "includeFile $confdir/extra.conf" >"$confdir/fwstate-agent.conf"
printf '%s\n' "reconcileInterval 10" "sipPorts 5061" >"$confdir/extra.conf"
out=$(agent_on_path)
check "a typo in a file fwstate-agent.conf includes: exits non-zero at start-up" failed_promptly "$out"
check "... naming that file and line 2" expect_match 'extra\.conf: line 2: ' echo "$out"

# --- SIGHUP with a changed threshold ----------------------------------------------
threshold() { lab_snmpget FWSTATE-MIB::fwStateTimeoutThreshold.0; }
close_wait_status() {
	lab_snmpget "$(lab_row fwStateTimeoutStatus sysctl net.netfilter tcp close_wait)"
}
below_re=$(trap_re "$LAB_TRAP_BELOW" net.netfilter close_wait)
cleared_re=$(trap_re "$LAB_TRAP_CLEARED" net.netfilter close_wait)

lab_agent_conf "timeoutThreshold 900"
lab_agent_start
check "agent with timeoutThreshold 900 answers" lab_wait_ready
check "fwStateTimeoutThreshold.0 = 900" expect_match 'Gauge32: 900( seconds)?$' threshold
check "close_wait 60 < 900: alarm at start-up" wait_for_trap "$below_re" 15

lab_agent_conf "timeoutThreshold 30"
lab_agent_signal HUP
check "after SIGHUP: fwStateTimeoutThreshold.0 = 30" eventually 10 \
	expect_match 'Gauge32: 30( seconds)?$' threshold
check "after SIGHUP: close_wait 60 is ok" eventually 5 \
	expect_match 'INTEGER: ok\(1\)$' close_wait_status
check "after SIGHUP: fwStateTimeoutCleared for close_wait" wait_for_trap "$cleared_re" 10
cleared_trap() { trap_lines "$cleared_re" | head -n 1; }
check "clear varbind: reason atOrAboveThreshold" \
	expect_match 'fwStateNotifyClearReason(\.0)? = INTEGER: atOrAboveThreshold\(1\)' cleared_trap
check "clear varbind: threshold 30" \
	expect_match 'fwStateTimeoutThreshold(\.0)? = Gauge32: 30( seconds)?( |$)' cleared_trap

# --- SIGHUP with a bad file ---------------------------------------------------------
lab_agent_conf "timeoutThreshold 30" "thisIsNotADirective yes"
lab_agent_signal HUP
log_names_line_3() {
	grep -E "$(lab_re_escape "$(basename "$LAB_AGENT_CONF")"): line 3: " "$LAB_AGENT_LOG"
}
check "bad file + SIGHUP: the log names the file and line 3" eventually 10 log_names_line_3
check "two more polls under the configuration the agent kept" lab_wait_polls 2
check "bad file + SIGHUP: agent still running" lab_agent_running
check "bad file + SIGHUP: threshold still 30" expect_match 'Gauge32: 30( seconds)?$' threshold
check "bad file + SIGHUP: close_wait still ok" expect_match 'INTEGER: ok\(1\)$' close_wait_status
check "bad file + SIGHUP: no new alarm" expect_eq 1 trap_count "$below_re"

# --- SIGTERM -----------------------------------------------------------------------------
rc=0
lab_agent_stop || rc=$?
check "SIGTERM: agent exits with status 0 within 5 s" expect_eq 0 echo "$rc"

lab_summary
