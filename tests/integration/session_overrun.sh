#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Lost conntrack events and the dumps that make up for them. The agent is
# stopped (SIGSTOP) while the events pile up, so the 64 KiB event buffer
# (conntrackReceiveBuffer 65536) overruns every time, and all the changes
# are made before it reads again.
#  1. 300 sessions open and 10 known ones are deleted while it is stopped:
#     the resync adds the 300 and records the 10 as missed(6), once each.
#  2. All 300 deleted while it is stopped: the tables end empty, every
#     session is torn down exactly once (flushed(5) while events still fit,
#     missed(6) after that).
#  3. nf_conntrack_events=0 (no events at all) and reconcileInterval 2:
#     sessions appear through the reconcile dump, an idle session that
#     expires (established timeout 8 s) is reported as idleTimeout(3), a
#     deleted one as missed(6).
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

stopped_new=300
stopped_old=10

lab_session_lab "$LAB_SBC_V4,5061"
lab_agent_conf "conntrackReceiveBuffer 65536" "teardownNotifyLimit 5"
lab_agent_start
check "agent answers through snmpd" lab_wait_ready

scalar() { lab_session_scalar "$1"; }
# converged N: fwStateSessionsNow.0, the rows of fwStateSessionTable and the
# firewall's conntrack entries to port 5061 all equal N.
converged() {
	local now rows ct
	now=$(scalar fwStateSessionsNow) || return 1
	rows=$(lab_session_rows fwStateSessionTcpState) || return 1
	ct=$(lab_session_ct_count)
	echo "fwStateSessionsNow.0 $now, fwStateSessionTable rows $rows, conntrack entries $ct (want $1)"
	[[ $now == "$1" && $rows == "$1" && $ct == "$1" ]]
}
ct_delete() { lab_fw conntrack -D "$@" >/dev/null; }
missed_count() {
	lab_snmpget -Oqv "$(lab_phone_oid fwStatePhoneMissed "$LAB_PHONE_V4")"
}

# --- 1. events lost while the agent is stopped ---------------------------------------------
lab_session_client old "$LAB_SBC_V4" 5061 "$stopped_old"
check "phone: $stopped_old sessions" lab_session_connected old
check "converged: $stopped_old sessions" eventually 10 converged "$stopped_old"
overruns_before=$(scalar fwStateSessionOverruns)
resyncs_before=$(scalar fwStateSessionResyncs)
teardowns_before=$(scalar fwStateSessionTeardowns)
missed_before=$(missed_count)
lab_agent_signal STOP
# The new sessions' events fill the 64 KiB buffer long before these end;
# the DESTROY events of the deletions that follow are lost.
stopped_phase() {
	local port
	lab_session_client new "$LAB_SBC_V4" 5061 "$stopped_new"
	lab_session_connected new || return 1
	for port in $(lab_session_ports old); do
		ct_delete -p tcp --orig-port-src "$port" --dport 5061 2>/dev/null || return 1
	done
}
rc=0
stopped_phase || rc=$?
lab_agent_signal CONT
check "agent stopped: $stopped_new sessions opened, $stopped_old deleted" test "$rc" -eq 0
overruns_grew() {
	local now
	now=$(scalar fwStateSessionOverruns) || return 1
	echo "fwStateSessionOverruns.0: $overruns_before -> $now"
	((now > overruns_before))
}
check "fwStateSessionOverruns.0 is higher than before the stop" eventually 10 overruns_grew
resyncs_grew() {
	local now
	now=$(scalar fwStateSessionResyncs) || return 1
	echo "fwStateSessionResyncs.0: $resyncs_before -> $now"
	((now > resyncs_before))
}
check "fwStateSessionResyncs.0 grows" eventually 10 resyncs_grew
check "converged: $stopped_new sessions" eventually 20 converged "$stopped_new"
check "the $stopped_old deleted sessions are torn down as missed(6)" \
	expect_eq $((missed_before + stopped_old)) missed_count
check "fwStateSessionTeardowns.0 grew by $stopped_old" \
	lab_session_scalar_is fwStateSessionTeardowns $((teardowns_before + stopped_old))
check "agent log explains the overrun" \
	expect_match 'conntrack events were lost \(receive buffer full\)' cat "$LAB_AGENT_LOG"
check "fwStateSessionLastResync.0 is a date" expect_match '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2},' scalar fwStateSessionLastResync

# --- 2. everything deleted while the agent is stopped --------------------------------------------
total=$((stopped_old + stopped_new))
overruns_before=$(scalar fwStateSessionOverruns)
lab_agent_signal STOP
rc=0
ct_delete -p tcp --dport 5061 || rc=$?
lab_agent_signal CONT
check "agent stopped: conntrack -D -p tcp --dport 5061 ($stopped_new entries)" test "$rc" -eq 0
check "fwStateSessionOverruns.0 is higher than before the stop" eventually 10 overruns_grew
check "converged: 0 sessions" eventually 20 converged 0
check "each session torn down once: fwStateSessionTeardowns.0 = $total" \
	eventually 10 lab_session_scalar_is fwStateSessionTeardowns "$total"
check "fwStatePhoneSessionsSeen of $LAB_PHONE_V4 = $total" \
	expect_match " = Counter32: $total\$" lab_phone_get fwStatePhoneSessionsSeen "$LAB_PHONE_V4"
check "fwStatePhoneTeardowns of $LAB_PHONE_V4 = $total" \
	expect_match " = Counter32: $total\$" lab_phone_get fwStatePhoneTeardowns "$LAB_PHONE_V4"
flushed_or_missed() {
	local flushed missed
	flushed=$(lab_snmpget -Oqv "$(lab_phone_oid fwStatePhoneFlushes "$LAB_PHONE_V4")") || return 1
	missed=$(missed_count) || return 1
	echo "flushed $flushed + missed $missed"
	((flushed + missed == total))
}
check "every teardown is flushed(5) or missed(6)" flushed_or_missed
check "fwStateTeardownTable has $total rows" lab_session_rows_is fwStateTeardownCause "$total"
# Storm control (teardownNotifyLimit 5) held most of these back: the
# summaries must account for every held notification.
held_any="snmpTrapOID\\.0 = OID: $LAB_TRAP_HELD( |\$)"
summaries_match_held() {
	local held sum=0 n
	held=$(scalar fwStateSessionNotificationsHeld) || return 1
	for n in $(trap_lines "$held_any" | sed -n 's/.*fwStateNotifyHeldTotal\(\.0\)\{0,1\} = Gauge32: \([0-9]*\).*/\2/p'); do
		sum=$((sum + n))
	done
	echo "fwStateSessionNotificationsHeld.0 $held, held in summaries $sum"
	((held > 0 && sum == held))
}
check "fwStateSessionTeardownsHeld summaries add up to fwStateSessionNotificationsHeld.0" \
	eventually 15 summaries_match_held

# --- 3. no events at all: the reconcile dump ------------------------------------------------------
lab_agent_conf "conntrackReceiveBuffer 65536" "teardownNotifyLimit 5" "reconcileInterval 2"
lab_agent_signal HUP
check "SIGHUP: reconcileInterval 2" eventually 5 expect_match 'configuration reloaded' cat "$LAB_AGENT_LOG"
lab_fw sysctl -qw net.netfilter.nf_conntrack_events=0 net.netfilter.nf_conntrack_tcp_timeout_established=8
check "fwStateConntrackEventsSetting.0 = 0" eventually 5 lab_session_scalar_is fwStateConntrackEventsSetting 0
check "agent log warns that no events come" \
	expect_match 'nf_conntrack_events is 0: no conntrack events' cat "$LAB_AGENT_LOG"

lab_session_client quiet "$LAB_SBC_V4" 5061
check "phone: session 'quiet' (idle)" lab_session_connected quiet
lab_session_client gone "$LAB_SBC_V4" 5061
check "phone: session 'gone'" lab_session_connected gone
quiet_port=$(lab_session_ports quiet)
gone_port=$(lab_session_ports gone)
quiet_index=$(lab_session_index "$LAB_PHONE_V4" "$quiet_port" "$LAB_SBC_V4" 5061)
gone_index=$(lab_session_index "$LAB_PHONE_V4" "$gone_port" "$LAB_SBC_V4" 5061)
quiet_start=$SECONDS
check "'quiet' appears by the reconcile dump" eventually 6 \
	expect_match ' = INTEGER: established\(3\)$' lab_session_get fwStateSessionTcpState "$quiet_index"
check "'gone' appears by the reconcile dump" eventually 6 \
	expect_match ' = INTEGER: established\(3\)$' lab_session_get fwStateSessionTcpState "$gone_index"
check "'quiet': remaining timeout <= 8 s (established timeout 8)" \
	expect_match ' = Gauge32: [0-8]( seconds)?$' lab_session_get fwStateSessionRemainingTimeout "$quiet_index"

check "conntrack -D of 'gone' (no event tells why)" ct_delete -p tcp --orig-port-src "$gone_port" --dport 5061
check "'gone': fwStateSessionTornDown cause missed(6)" \
	wait_for_trap "$(torn_down_re missed "$LAB_PHONE_V4" "$gone_port")" 6
check "'quiet': fwStateSessionTornDown cause idleTimeout(3) once the 8 s ran out" \
	wait_for_trap "$(torn_down_re idleTimeout "$LAB_PHONE_V4" "$quiet_port")" 16
quiet_after=$((SECONDS - quiet_start))
lab_log "idle timeout reported $quiet_after s after the session opened"
check "'quiet': not reported before its 8 s ran out" test "$quiet_after" -ge 7
quiet_trap() { trap_lines "$(torn_down_re idleTimeout "$LAB_PHONE_V4" "$quiet_port")" | head -n 1; }
check "'quiet': last state established(3)" \
	expect_match 'fwStateTeardownLastState\.[0-9]+ = INTEGER: established\(3\)' quiet_trap
check "'quiet': its row is gone" expect_match 'No Such Instance' lab_session_get fwStateSessionTcpState "$quiet_index"
check "fwStatePhoneIdleTimeouts of $LAB_PHONE_V4 = 1" \
	expect_match ' = Counter32: 1$' lab_phone_get fwStatePhoneIdleTimeouts "$LAB_PHONE_V4"
check "fwStateSessionsNow.0 = 0" lab_session_scalar_is fwStateSessionsNow 0
check "agent still running" lab_agent_running

lab_summary
