#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Heavy foreign conntrack churn on the firewall (entries to TCP 443, and IPv6
# ones to 5061 where the phone and server networks are IPv4 only, created and
# deleted over netlink at the rate the kernel takes, millions of events) while
# phone sessions are torn down in every way:
#  1. With the kernel-side event filter: the agent receives only the events
#     of SIP sessions (fwStateSessionEvents grows by a handful), overruns
#     nothing, misses nothing, and reports every teardown made during the
#     churn with its cause.
#  2. A reload that adds a SIP port rebuilds the filter: a session to the new
#     port shows up through its events alone (no dump runs).
#  3. A kernel that refuses the filter (net.core.optmem_max too small for it
#     in the firewall's namespace): the agent says so in the log and in
#     fwStateSessionEventFilter, receives every event and filters them itself;
#     reconcile dumps still end while its event queue stays busy, and a
#     teardown is still reported.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

CHURN_SECONDS=8

lab_session_lab "$LAB_SBC_V4,5061" "$LAB_SBC_V4,5062"
CT_INSERT=${FWSTATE_CT_INSERT:-$LAB_SOURCE_DIR/build/bench/ct_insert}
[[ -x $CT_INSERT ]] || lab_die "'$CT_INSERT' not found: build first (scripts/build.sh) or set FWSTATE_CT_INSERT"
# No reconcile dump during the test: what the agent knows comes from events.
networks=("phoneNetwork 192.0.2.0/24" "serverNetwork 198.51.100.0/24")
lab_agent_conf "reconcileInterval 3600" "${networks[@]}"
lab_agent_start
check "agent answers through snmpd" lab_wait_ready

phone=$LAB_PHONE_V4
scalar() { lab_session_scalar "$1"; }
ct_delete_port() { lab_fw conntrack -D -p tcp --orig-port-src "$1" >/dev/null; }
teardowns_of() { trap_count "$(torn_down_re "$1" "$phone" "$2")"; }
# The agent's CPU time in clock ticks (utime + stime).
agent_ticks() { awk '{ print $14 + $15 }' "/proc/$LAB_AGENT_PID/stat"; }
# churn SECONDS: foreign churn in the firewall's namespace, in the background.
churn() {
	lab_fw "$CT_INSERT" -D -n 2000 -p 443 -f 4 -s "$1" >"$LAB_RUN/churn443.out" 2>&1 &
	churn_443=$!
	lab_fw "$CT_INSERT" -D -n 2000 -p 5061 -f 6 -s "$1" >"$LAB_RUN/churn6.out" 2>&1 &
	churn_6=$!
}
# churn_wait: waits for both (in the main shell: they are its children);
# churned then says how they ended.
churn_wait() {
	churn_rc=0
	wait "$churn_443" || churn_rc=$?
	wait "$churn_6" || churn_rc=$?
}
churned() {
	cat "$LAB_RUN/churn443.out" "$LAB_RUN/churn6.out"
	((churn_rc == 0))
}
churn_events() { sed -n 's/.*: \([0-9]*\) events).*/\1/p' "$LAB_RUN/churn443.out" "$LAB_RUN/churn6.out" | awk '{ n += $1 } END { print n + 0 }'; }

check "fwStateSessionEventFilter.0 = true(1)" expect_eq true scalar fwStateSessionEventFilter
check "the agent logged the kernel-side filter" \
	grep -F "conntrack events filtered in the kernel: TCP to port 5061; DNS (UDP and TCP 53, TCP 853), IPv4 only" "$LAB_AGENT_LOG"

# --- 1. teardowns of every kind during the churn ---------------------------------------------
lab_session_client rst "$LAB_SBC_V4" 5061
check "phone: session 'rst'" lab_session_connected rst
lab_session_client fin "$LAB_SBC_V4" 5061
check "phone: session 'fin'" lab_session_connected fin
lab_session_client del "$LAB_SBC_V4" 5061
check "phone: session 'del'" lab_session_connected del
lab_session_client late "$LAB_SBC_V4" 5061
check "phone: session 'late'" lab_session_connected late
port_rst=$(lab_session_ports rst) port_fin=$(lab_session_ports fin)
port_del=$(lab_session_ports del) port_late=$(lab_session_ports late)
for p in "$port_rst" "$port_fin" "$port_del" "$port_late"; do
	check "session from port $p is tracked" eventually 10 expect_match 'established\(3\)' lab_session_state "$p"
done
check "four sessions now" eventually 5 expect_eq 4 scalar fwStateSessionsNow

events_before=$(scalar fwStateSessionEvents)
resyncs_before=$(scalar fwStateSessionResyncs)
ticks_before=$(agent_ticks)
churn "$CHURN_SECONDS"
sleep 1
lab_session_do rst send RST
lab_session_do fin close
sleep 1
ct_delete_port "$port_del"
lab_session_do late exit
lab_session_client new "$LAB_SBC_V4" 5061
check "phone: a session opened during the churn" lab_session_connected new
port_new=$(lab_session_ports new)
churn_wait
check "the churn ran: every request succeeded" churned
ticks_after=$(agent_ticks)
events=$(churn_events)
lab_log "foreign churn: $events events in ${CHURN_SECONDS}s; agent CPU $((ticks_after - ticks_before)) ticks of 1/$(getconf CLK_TCK) s"
check "at least a million foreign events" test "$events" -ge 1000000

check "the server's RST: reset" eventually 5 expect_eq 1 teardowns_of reset "$port_rst"
check "the phone's close: closed, once the FINs crossed" eventually 10 expect_eq 1 teardowns_of closed "$port_fin"
check "conntrack -D: flushed" eventually 5 expect_eq 1 teardowns_of flushed "$port_del"
# ('late' exited: its FIN and the server's answer)
check "the session that ended during the churn: closed" eventually 10 expect_eq 1 teardowns_of closed "$port_late"
check "the session opened during the churn is tracked" eventually 5 expect_match 'established\(3\)' lab_session_state "$port_new"
check "fwStateSessionOverruns.0 = 0" expect_eq 0 scalar fwStateSessionOverruns
check "no resync was needed" expect_eq "$resyncs_before" scalar fwStateSessionResyncs
check "no teardown missed or other" expect_eq 0 trap_count "$(torn_down_re '(missed|other)')"
check "four teardown notifications in all" \
	expect_eq 4 trap_count "snmpTrapOID\\.0 = OID: $LAB_TRAP_TORN_DOWN( |\$)"
events_after=$(scalar fwStateSessionEvents)
lab_log "fwStateSessionEvents.0: $events_before -> $events_after"
check "the agent received only SIP events (at most 100 of $events)" \
	test $((events_after - events_before)) -le 100
check "one session now" expect_eq 1 scalar fwStateSessionsNow

# --- 2. a reload adds port 5062: the filter is rebuilt ----------------------------------------
lab_agent_conf "reconcileInterval 3600" "${networks[@]}" "sipPort 5061" "sipPort 5062"
resyncs=$(scalar fwStateSessionResyncs)
lab_agent_signal HUP
check "SIGHUP: the filter is rebuilt for both ports" \
	eventually 5 grep -F "conntrack events filtered in the kernel: TCP to ports 5061, 5062; DNS (UDP and TCP 53, TCP 853), IPv4 only" "$LAB_AGENT_LOG"
lab_session_client p5062 "$LAB_SBC_V4" 5062
check "phone: a session to port 5062" lab_session_connected p5062
port_5062=$(lab_session_ports p5062)
check "it is tracked through its events" eventually 5 expect_match 'established\(3\)' lab_session_state "$port_5062" 5062
check "no dump ran for it" expect_eq "$resyncs" scalar fwStateSessionResyncs
lab_session_do p5062 send RST
check "its reset is reported" wait_for_trap "$(torn_down_re reset "$phone" "$port_5062")" 5

# --- 3. a kernel that refuses the filter --------------------------------------------------------
# Every event now reaches the agent's socket; a reconcile dump every second
# must still end while that queue stays busy: the marker queued behind the
# dump's events ends it, not an empty queue.
lab_agent_stop
lab_fw sysctl -qw net.core.optmem_max=64
lab_agent_conf "reconcileInterval 1" "conntrackReceiveBuffer 67108864" "${networks[@]}"
# (-Dfwstate:resync logs how each resync ends)
lab_agent_start -Dfwstate:resync
check "agent answers through snmpd again" lab_wait_ready
check "fwStateSessionEventFilter.0 = false(2)" expect_eq false scalar fwStateSessionEventFilter
check "the agent logged why it filters events itself" \
	grep -E "the kernel refused the conntrack event filter \(.+\): every conntrack event of the firewall reaches the agent" "$LAB_AGENT_LOG"
check "the session opened before is tracked (start-up dump)" \
	eventually 5 expect_match 'established\(3\)' lab_session_state "$port_new"
events_before=$(scalar fwStateSessionEvents)
resyncs_before=$(scalar fwStateSessionResyncs)
churn 5
sleep 4
resyncs_during=$(scalar fwStateSessionResyncs)
churn_wait
check "a churn of 5 s ran" churned
events=$(churn_events)
events_seen() {
	local now
	now=$(scalar fwStateSessionEvents) || return 1
	echo "fwStateSessionEvents.0: $events_before -> $now (churn: $events, some may be lost to overruns)"
	((now - events_before >= 10000))
}
check "the agent received the foreign events itself" eventually 10 events_seen
lab_log "resyncs: $resyncs_before before the churn, $resyncs_during after 4 s of it; overruns: $(scalar fwStateSessionOverruns)"
check "reconcile dumps ended during the churn (at least 2 in 4 s)" \
	test $((resyncs_during - resyncs_before)) -ge 2
marker_ends() { grep -c "resync ends at its marker, events still queued" "$LAB_AGENT_LOG" || true; }
check "a resync ended at its marker while events were still queued (-Dfwstate:resync)" \
	test "$(marker_ends)" -ge 1
check "the live session is still tracked, not missed" expect_match 'established\(3\)' lab_session_state "$port_new"
lab_session_do new send RST
check "a reset after the churn is still reported" wait_for_trap "$(torn_down_re reset "$phone" "$port_new")" 10
check "agent still running" lab_agent_running

lab_summary
