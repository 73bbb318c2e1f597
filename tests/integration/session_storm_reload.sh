#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Storm control across a configuration reload: 60 sessions are flushed,
# 20 fwStateSessionTornDown are sent and 40 held back; a SIGHUP (same
# configuration) arrives while that teardownNotifyInterval still runs. The
# held teardowns must still be summed up by one fwStateSessionTeardownsHeld
# (FWSTATE-MIB: each interval with held notifications is summed up by one),
# so that every teardown shows in a notification or a summary.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

sessions=60
limit=20
interval=10
held=$((sessions - limit))

lab_storm_up "$sessions" "$limit" "$interval"
torn_down_any=$LAB_STORM_TORN_DOWN
held_any=$LAB_STORM_HELD
check "conntrack -D -p tcp --dport 5061 in the firewall" lab_ct_delete -p tcp --dport 5061
check "$limit fwStateSessionTornDown notifications arrive" wait_for_trap "$torn_down_any" 10 "$limit"
check "fwStateSessionNotificationsHeld.0 = $held" eventually 5 \
	lab_session_scalar_is fwStateSessionNotificationsHeld "$held"
check "no summary yet (the interval is still running)" expect_eq 0 trap_count "$held_any"

# --- SIGHUP inside the interval -------------------------------------------------------------
lab_agent_signal HUP
check "SIGHUP: agent reloads its configuration" eventually 5 \
	expect_match 'configuration reloaded' cat "$LAB_AGENT_LOG"
check "fwStateSessionTeardownsHeld for the $held held teardowns within the interval + 4 s" \
	wait_for_trap "$held_any" $((interval + 4))
held_sum() {
	local sum=0 n
	for n in $(trap_lines "$held_any" | sed -n 's/.*fwStateNotifyHeldTotal\(\.0\)\{0,1\} = Gauge32: \([0-9]*\).*/\2/p'); do
		sum=$((sum + n))
	done
	echo "$sum"
}
check "the summaries account for all $held held teardowns" expect_eq "$held" held_sum
notified_or_summed() { echo $(($(trap_count "$torn_down_any") + $(held_sum))); }
check "every teardown is in a notification or a summary ($limit + $held = $sessions)" \
	expect_eq "$sessions" notified_or_summed
check "fwStateTeardownTable has $sessions rows" lab_session_rows_is fwStateTeardownCause "$sessions"
check "agent still running" lab_agent_running

lab_summary
