#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Storm control: 200 sessions flushed at once (conntrack -D) give exactly
# teardownNotifyLimit (20) fwStateSessionTornDown notifications and one
# fwStateSessionTeardownsHeld summing up the other 180 at the end of the
# teardownNotifyInterval (10 s); every teardown is in fwStateTeardownTable.
# Then teardownHistory 50 and SIGHUP: only the newest 50 records (151..200)
# remain.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

sessions=200
limit=20
interval=10
held=$((sessions - limit))

lab_storm_up "$sessions" "$limit" "$interval"
check "conntrack: $sessions established entries to port 5061" \
	eventually 10 expect_eq "$sessions" lab_session_ct_count
check "fwStateSessionTable has $sessions rows" lab_session_rows_is fwStateSessionTcpState "$sessions"
check "fwStatePhoneSessions of $LAB_PHONE_V4 = $sessions" \
	expect_match " = Gauge32: $sessions\$" lab_phone_get fwStatePhoneSessions "$LAB_PHONE_V4"

# --- the flush --------------------------------------------------------------------------
torn_down_any=$LAB_STORM_TORN_DOWN
held_any=$LAB_STORM_HELD
flush_start=$SECONDS
check "conntrack -D -p tcp --dport 5061 in the firewall" lab_ct_delete -p tcp --dport 5061
check "fwStateSessionsNow.0 = 0" eventually 10 lab_session_scalar_is fwStateSessionsNow 0
check "$limit fwStateSessionTornDown notifications arrive" wait_for_trap "$torn_down_any" 10 "$limit"
check "fwStateSessionTeardownsHeld within the interval ($interval s) + 4 s" \
	wait_for_trap "$held_any" $((interval + 4))
lab_log "summary after $((SECONDS - flush_start)) s"
check "the agent works on: two more timeout polls" lab_wait_polls 2
check "exactly $limit fwStateSessionTornDown" expect_eq "$limit" trap_count "$torn_down_any"
check "all of them flushed(5)" expect_eq "$limit" trap_count "$(torn_down_re flushed)"
notified_indexes() {
	trap_lines "$torn_down_any" | sed -n 's/.*fwStateTeardownCause\.\([0-9]*\) = .*/\1/p' | sort -n | paste -sd' '
}
check "the notified teardowns are the first $limit (indexes 1..$limit)" \
	expect_eq "$(seq -s ' ' 1 "$limit")" notified_indexes
check "exactly one fwStateSessionTeardownsHeld" expect_eq 1 trap_count "$held_any"
held_trap() { trap_lines "$held_any" | head -n 1; }
check "summary varbind: fwStateNotifyHeldTotal = $held" \
	expect_match "fwStateNotifyHeldTotal(\\.0)? = Gauge32: $held( |\$)" held_trap
check "summary varbind: fwStateNotifyHeldFlushes = $held" \
	expect_match "fwStateNotifyHeldFlushes(\\.0)? = Gauge32: $held( |\$)" held_trap
for cause in Resets Closes IdleTimeouts HalfClosed Missed Other; do
	check "summary varbind: fwStateNotifyHeld$cause = 0" \
		expect_match "fwStateNotifyHeld$cause(\\.0)? = Gauge32: 0( |\$)" held_trap
done
check "summary varbind: fwStateNotifyHeldInterval = $interval" \
	expect_match "fwStateNotifyHeldInterval(\\.0)? = Gauge32: $interval( seconds)?( |\$)" held_trap
check "summary varbinds in the order of the MIB's OBJECTS" expect_match \
	'HeldTotal.*HeldResets.*HeldCloses.*HeldIdleTimeouts.*HeldHalfClosed.*HeldFlushes.*HeldMissed.*HeldOther.*HeldInterval' \
	held_trap

check "fwStateSessionNotificationsHeld.0 = $held" lab_session_scalar_is fwStateSessionNotificationsHeld "$held"
check "fwStateSessionTeardowns.0 = $sessions" lab_session_scalar_is fwStateSessionTeardowns "$sessions"
check "fwStateTeardownTable has $sessions rows (snmpbulkwalk)" lab_session_rows_is fwStateTeardownCause "$sessions"
flushed_rows() { lab_snmpbulkwalk -Cr50 FWSTATE-MIB::fwStateTeardownCause | grep -c ' = INTEGER: flushed(5)$' || true; }
check "all $sessions history rows say flushed(5)" expect_eq "$sessions" flushed_rows
check "fwStateSessionTable is empty" lab_session_rows_is fwStateSessionTcpState 0
check "fwStatePhoneFlushes of $LAB_PHONE_V4 = $sessions" \
	expect_match " = Counter32: $sessions\$" lab_phone_get fwStatePhoneFlushes "$LAB_PHONE_V4"
check "fwStatePhoneSessions of $LAB_PHONE_V4 = 0" \
	expect_match ' = Gauge32: 0$' lab_phone_get fwStatePhoneSessions "$LAB_PHONE_V4"

# --- a smaller history ------------------------------------------------------------------
history_indexes() {
	lab_snmpbulkwalk -Cr50 FWSTATE-MIB::fwStateTeardownCause |
		sed -n 's/^FWSTATE-MIB::fwStateTeardownCause\.\([0-9]*\) = .*/\1/p' | paste -sd' '
}
lab_agent_conf "teardownNotifyLimit $limit" "teardownNotifyInterval $interval" "teardownHistory 50"
lab_agent_signal HUP
check "SIGHUP: agent reloads its configuration" eventually 5 \
	expect_match 'configuration reloaded' cat "$LAB_AGENT_LOG"
check "teardownHistory 50: fwStateTeardownTable keeps 50 rows" eventually 5 \
	lab_session_rows_is fwStateTeardownCause 50
check "the newest 50 remain: indexes 151..200" expect_eq "$(seq -s ' ' 151 200)" history_indexes
check "fwStateTeardownIndex.150 is gone" \
	expect_match 'No Such Instance' lab_teardown_get fwStateTeardownCause 150
check "fwStateTeardownIndex.200 is still there" \
	expect_match ' = INTEGER: flushed\(5\)$' lab_teardown_get fwStateTeardownCause 200
check "the counters keep counting: fwStateSessionTeardowns.0 = $sessions" \
	lab_session_scalar_is fwStateSessionTeardowns "$sessions"

# One more teardown: index 201 is added and 151 leaves.
lab_session_client one-more "$LAB_SBC_V4" 5061
check "phone: one more session" lab_session_connected one-more
one_port=$(lab_session_ports one-more)
check "fwStateSessionsNow.0 = 1" eventually 10 lab_session_scalar_is fwStateSessionsNow 1
check "conntrack -D of that session" lab_ct_delete -p tcp --orig-port-src "$one_port" --dport 5061
check "its fwStateSessionTornDown has index 201" \
	wait_for_trap "fwStateTeardownCause\\.201 = INTEGER: flushed\\(5\\)" 5
check "history: indexes 152..201" eventually 5 expect_eq "$(seq -s ' ' 152 201)" history_indexes
check "agent still running" lab_agent_running

lab_summary
