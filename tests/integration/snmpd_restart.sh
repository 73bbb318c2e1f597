#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Nothing lost across snmpd outages. snmpd is stopped; while it is away
# sessions are torn down and a timeout alarm is raised and cleared; snmpd
# comes back: the agent reconnects within 5 s, re-registers every object,
# keeps its state, and every notification raised meanwhile reaches
# snmptrapd once, in the order raised. Then four more restarts (one of them
# SIGKILL) under session churn: every teardown in fwStateTeardownTable has
# its fwStateSessionTornDown, in index order (one sent again after SIGKILL
# may arrive twice: at least once).
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

phones=12

connects() { grep -c 'connected to the AgentX master agent' "$LAB_AGENT_LOG" || true; }
lost() { grep -c 'lost the AgentX master agent' "$LAB_AGENT_LOG" || true; }
# more_than COUNTER N: the agent log's COUNTER (connects, lost) is above N.
more_than() { (($("$1") > $2)); }

# snmpd_stop SIGNAL: stop snmpd and wait until the agent noticed.
snmpd_stop() {
	local before
	before=$(lost)
	kill -s "$1" "$LAB_SNMPD_PID"
	lab_poll 10 lab_dead "$LAB_SNMPD_PID" || {
		echo "snmpd did not exit on SIG$1"
		return 1
	}
	# the socket's EOF tells the agent at once, whatever the signal
	lab_poll 15 more_than lost "$before" || {
		echo "the agent did not notice snmpd was gone"
		return 1
	}
	echo "snmpd stopped (SIG$1); the agent noticed"
}

# snmpd_back: start snmpd (in the main shell: it sets LAB_SNMPD_PID); the agent
# reconnects within 5 s of it listening.
snmpd_back() {
	local before started
	before=$(connects)
	lab_snmpd_start
	started=$(date +%s%N)
	check "snmpd back: the agent reconnects within 5 s" reconnected "$before" "$started"
}

reconnected() {
	local took
	lab_poll 10 more_than connects "$1" || {
		echo "the agent did not reconnect within 10 s"
		return 1
	}
	took=$((($(date +%s%N) - $2) / 1000000))
	echo "the agent reconnected $took ms after snmpd was back"
	((took <= 5000))
}

# The teardown indexes of the fwStateSessionTornDown notifications, in the order received.
notified_indexes() {
	trap_lines "$torn_down_any" | sed -n 's/.*fwStateTeardownCause\.\([0-9]*\) = .*/\1/p'
}

lab_session_lab "$LAB_SBC_V4,5061"
lab_fw sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_close_wait=660
lab_agent_conf "teardownNotifyLimit 100000" "teardownNotifyInterval 1"
lab_agent_start
check "agent answers through snmpd" lab_wait_ready
lab_session_client phones "$LAB_SBC_V4" 5061 "$phones"
check "phone: $phones sessions to $LAB_SBC_V4:5061" lab_session_connected phones
check "fwStateSessionsNow.0 = $phones" eventually 15 lab_session_scalar_is fwStateSessionsNow "$phones"
check "fwStateMasterReconnects.0 = 0" lab_scalar_is fwStateMasterReconnects 0
check "fwStateNotifyQueueLimit.0 = 1000 (the default)" lab_scalar_is fwStateNotifyQueueLimit 1000

torn_down_any="snmpTrapOID\\.0 = OID: $LAB_TRAP_TORN_DOWN( |\$)"
below_re=$(trap_re "$LAB_TRAP_BELOW" net.netfilter close_wait)
cleared_re=$(trap_re "$LAB_TRAP_CLEARED" net.netfilter close_wait)

# --- one outage: teardowns and a timeout alarm while snmpd is away -------------------
check "snmpd stopped (SIGTERM)" snmpd_stop TERM
check "the agent keeps running without snmpd" lab_agent_running
# one conntrack entry at a time, so the teardown indexes follow the ports
mapfile -t ports < <(lab_session_ports phones | sort -n)
for port in "${ports[@]}"; do
	lab_ct_delete -p tcp --orig-port-src "$port" --dport 5061
	lab_poll 5 grep -q "session .*:$port -> .* torn down" "$LAB_AGENT_LOG" || true
done
check "the agent logged all $phones teardowns while snmpd was away" \
	eventually 10 expect_eq "$phones" grep -c 'torn down after' "$LAB_AGENT_LOG"
lab_fw sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_close_wait=30
check "close_wait 30: the agent raised the alarm" eventually 10 \
	expect_match 'close_wait timeout is 30 s, below the threshold' cat "$LAB_AGENT_LOG"
lab_fw sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_close_wait=900
check "close_wait 900: the agent cleared it" eventually 10 \
	expect_match 'close_wait timeout alarm cleared \(900 s\)' cat "$LAB_AGENT_LOG"
check "nothing reached snmptrapd meanwhile" expect_eq 0 trap_count "$torn_down_any"
snmpd_back
check "all $phones fwStateSessionTornDown arrive" wait_for_trap "$torn_down_any" 15 "$phones"
check "the raise arrives" wait_for_trap "$below_re" 10
check "the clear arrives" wait_for_trap "$cleared_re" 10
check "the agent works on: two more timeout polls" lab_wait_polls 2
check "each teardown notified once, in order (indexes 1..$phones)" \
	expect_eq "$(seq 1 "$phones")" notified_indexes
check "the raise once" expect_eq 1 trap_count "$below_re"
check "the clear once" expect_eq 1 trap_count "$cleared_re"
order() {
	grep -F ' TRAP ' "$LAB_TRAP_LOG" | grep -Eo "$LAB_TRAP_TORN_DOWN|$LAB_TRAP_BELOW|$LAB_TRAP_CLEARED" |
		uniq | paste -sd' '
}
check "in the order raised: the teardowns, the raise, the clear" \
	expect_eq "$LAB_TRAP_TORN_DOWN $LAB_TRAP_BELOW $LAB_TRAP_CLEARED" order
check "fwStateMasterReconnects.0 = 1" lab_scalar_is fwStateMasterReconnects 1
check "fwStateNotifyQueueLength.0 = 0" lab_scalar_is fwStateNotifyQueueLength 0
check "fwStateNotificationsDropped.0 = 0" lab_scalar_is fwStateNotificationsDropped 0
delivered_at_least() {
	local n
	n=$(lab_scalar fwStateNotificationsDelivered) || return 1
	echo "fwStateNotificationsDelivered.0 = $n"
	((n >= $1))
}
check "fwStateNotificationsDelivered.0 >= $((phones + 2))" delivered_at_least $((phones + 2))
check "state kept: fwStateTeardownTable has $phones rows" lab_session_rows_is fwStateTeardownCause "$phones"
check "state kept: fwStatePhoneFlushes of $LAB_PHONE_V4 = $phones" \
	expect_match " = Counter32: $phones\$" lab_phone_get fwStatePhoneFlushes "$LAB_PHONE_V4"
check "re-registered: fwStateTimeoutTable walks again" \
	expect_match 'fwStateTimeoutValue\..* = Gauge32: 900' lab_snmpwalk FWSTATE-MIB::fwStateTimeoutValue

# --- four more restarts under session churn ---------------------------------------------
lab_session_client churn "$LAB_SBC_V4" 5061 4
check "phone: 4 churning sessions" lab_session_connected churn
churn_loop() {
	while [[ -e $LAB_RUN/churn.run ]]; do
		printf 'reset\n' >"$LAB_RUN/churn.ctl"
		sleep 0.3
		printf 'reconnect\n' >"$LAB_RUN/churn.ctl"
		sleep 0.3
	done
}
touch "$LAB_RUN/churn.run"
churn_loop &
churn_pid=$!
for signal in TERM KILL TERM TERM; do
	sleep 2
	check "snmpd stopped (SIG$signal) under churn" snmpd_stop "$signal"
	sleep 2
	snmpd_back
done
sleep 2
rm -f "$LAB_RUN/churn.run"
wait "$churn_pid" || true
check "fwStateMasterReconnects.0 = 5" lab_scalar_is fwStateMasterReconnects 5
teardowns=$(lab_session_scalar fwStateSessionTeardowns)
lab_log "teardowns recorded: $teardowns"
check "churn tore down sessions during the restarts (> $((phones + 20)))" \
	test "$teardowns" -gt $((phones + 20))
check "fwStateTeardownTable has all $teardowns rows" lab_session_rows_is fwStateTeardownCause "$teardowns"
check "every teardown notified" wait_for_trap "$torn_down_any" 20 "$teardowns"
check "fwStateNotifyQueueLength.0 = 0" eventually 10 lab_scalar_is fwStateNotifyQueueLength 0
# Delivery is at least once: a Notify snmpd forwarded just before SIGKILL, its
# answer lost, is sent again. So: the first of each in index order, none
# missing, and no more repeats than the agent sent again.
first_indexes() { notified_indexes | awk '!seen[$1]++'; }
repeats_within_resent() {
	local repeats resent
	repeats=$(($(notified_indexes | wc -l) - $(first_indexes | wc -l)))
	resent=$(lab_scalar fwStateNotificationsResent) || return 1
	echo "$repeats repeated, fwStateNotificationsResent.0 = $resent"
	((repeats <= resent))
}
check "each teardown notified, first in index order (1..$teardowns)" \
	expect_eq "$(seq 1 "$teardowns")" first_indexes
check "repeated only what was sent again" repeats_within_resent
check "fwStateNotificationsDropped.0 = 0" lab_scalar_is fwStateNotificationsDropped 0
check "agent still running" lab_agent_running

lab_summary
