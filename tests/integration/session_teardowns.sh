#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Four sessions end four ways, each reported by one fwStateSessionTornDown
# with its cause and recorded in fwStateTeardownTable and fwStatePhoneTable:
#   reset(1)             the SBC aborts the connection (RST)
#   flushed(5)           conntrack -D in the firewall (IPv6 session)
#   halfClosedTimeout(4) the phone closes its side, the SBC never does, and
#                        the entry expires in CLOSE_WAIT (close_wait 5 s)
#   closed(2)            the phone closes and the SBC closes too
# The kernel removes an expired entry only when something looks at it (its
# garbage collector, a packet, a dump); the agent's reconcile dump is one
# such look, so reconcileInterval 2 bounds the wait for the expiry.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_session_lab "$LAB_SBC_V4,5061" "$LAB_SBC_V6,5061"
lab_agent_conf "reconcileInterval 2"
lab_agent_start
check "agent answers through snmpd" lab_wait_ready
lab_fw sysctl -qw "$LAB_SYSCTL_CLOSE_WAIT=5"

lab_session_client rst "$LAB_SBC_V4" 5061
check "phone: session 'rst' to $LAB_SBC_V4:5061" lab_session_connected rst
rst_port=$(lab_session_ports rst)
lab_session_client flush "$LAB_SBC_V6" 5061
check "phone: session 'flush' to [$LAB_SBC_V6]:5061" lab_session_connected flush
flush_port=$(lab_session_ports flush)
lab_session_client half "$LAB_SBC_V4" 5061
check "phone: session 'half' to $LAB_SBC_V4:5061" lab_session_connected half
half_port=$(lab_session_ports half)
lab_session_client fin "$LAB_SBC_V4" 5061
check "phone: session 'fin' to $LAB_SBC_V4:5061" lab_session_connected fin
fin_port=$(lab_session_ports fin)

rst_index=$(lab_session_index "$LAB_PHONE_V4" "$rst_port" "$LAB_SBC_V4" 5061)
flush_index=$(lab_session_index "$LAB_PHONE_V6" "$flush_port" "$LAB_SBC_V6" 5061)
half_index=$(lab_session_index "$LAB_PHONE_V4" "$half_port" "$LAB_SBC_V4" 5061)
fin_index=$(lab_session_index "$LAB_PHONE_V4" "$fin_port" "$LAB_SBC_V4" 5061)
check "fwStateSessionsNow.0 = 4" eventually 10 lab_session_scalar_is fwStateSessionsNow 4
for index in "$rst_index" "$flush_index" "$half_index" "$fin_index"; do
	check "session $index is established" \
		expect_match ' = INTEGER: established\(3\)$' lab_session_get fwStateSessionTcpState "$index"
done

# trap_index REGEX: the teardown index (varbind instance) of the first
# notification matching REGEX.
trap_index() {
	trap_lines "$1" | head -n 1 | sed -n 's/.*fwStateTeardownCause\.\([0-9]*\) = .*/\1/p'
}

# check_torn_down LABEL REGEX TYPE PHONE PHONE_PORT SERVER CAUSE LAST_STATE:
# the varbinds of the notification matching REGEX, then its history row.
check_torn_down() {
	local label=$1 re=$2 type=$3 phone=$4 port=$5 server=$6 cause=$7 state=$8 n
	n=$(trap_index "$re")
	n=${n:-0}
	# shellcheck disable=SC2317
	the_trap() { trap_lines "$re" | head -n 1; }
	lab_log "$label: teardown index $n"
	check "$label varbind: fwStateTeardownPhoneAddressType.$n = $type" \
		expect_match "fwStateTeardownPhoneAddressType\\.$n = INTEGER: $type\\(" the_trap
	check "$label varbind: fwStateTeardownServerAddressType.$n = $type" \
		expect_match "fwStateTeardownServerAddressType\\.$n = INTEGER: $type\\(" the_trap
	check "$label varbind: fwStateTeardownPhoneAddress.$n = $phone" \
		expect_match "fwStateTeardownPhoneAddress\\.$n = Hex-STRING: $(lab_inet_hex "$phone")( |\$)" the_trap
	check "$label varbind: fwStateTeardownPhonePort.$n = $port" \
		expect_match "fwStateTeardownPhonePort\\.$n = Gauge32: $port( |\$)" the_trap
	check "$label varbind: fwStateTeardownServerAddress.$n = $server" \
		expect_match "fwStateTeardownServerAddress\\.$n = Hex-STRING: $(lab_inet_hex "$server")( |\$)" the_trap
	check "$label varbind: fwStateTeardownServerPort.$n = 5061" \
		expect_match "fwStateTeardownServerPort\\.$n = Gauge32: 5061( |\$)" the_trap
	check "$label varbind: fwStateTeardownCause.$n = $cause" \
		expect_match "fwStateTeardownCause\\.$n = INTEGER: $cause\\(" the_trap
	check "$label varbind: fwStateTeardownDuration.$n below 60 s" \
		expect_match "fwStateTeardownDuration\\.$n = Gauge32: [0-5]?[0-9]( seconds)?( |\$)" the_trap
	check "$label varbind: fwStateTeardownLastState.$n = $state" \
		expect_match "fwStateTeardownLastState\\.$n = INTEGER: $state\\(" the_trap
	check "$label varbinds in the order of the MIB's OBJECTS" expect_match \
		"PhoneAddressType\\.$n .*PhoneAddress\\.$n .*PhonePort\\.$n .*ServerAddressType\\.$n .*ServerAddress\\.$n .*ServerPort\\.$n .*Cause\\.$n .*Duration\\.$n .*LastState\\.$n " \
		the_trap

	local duration
	duration=$(the_trap | sed -n "s/.*fwStateTeardownDuration\\.$n = Gauge32: \\([0-9]*\\).*/\\1/p")
	check "$label history row $n: fwStateTeardownCause = $cause" \
		expect_match " = INTEGER: $cause\\(" lab_teardown_get fwStateTeardownCause "$n"
	check "$label history row $n: fwStateTeardownLastState = $state" \
		expect_match " = INTEGER: $state\\(" lab_teardown_get fwStateTeardownLastState "$n"
	check "$label history row $n: fwStateTeardownPhoneAddressType = $type" \
		expect_match " = INTEGER: $type\\(" lab_teardown_get fwStateTeardownPhoneAddressType "$n"
	check "$label history row $n: fwStateTeardownServerAddressType = $type" \
		expect_match " = INTEGER: $type\\(" lab_teardown_get fwStateTeardownServerAddressType "$n"
	check "$label history row $n: fwStateTeardownPhoneAddress = $phone" \
		expect_match " = Hex-STRING: $(lab_inet_hex "$phone") ?\$" lab_teardown_get fwStateTeardownPhoneAddress "$n"
	check "$label history row $n: fwStateTeardownPhonePort = $port" \
		expect_match " = Gauge32: $port\$" lab_teardown_get fwStateTeardownPhonePort "$n"
	check "$label history row $n: fwStateTeardownServerAddress = $server" \
		expect_match " = Hex-STRING: $(lab_inet_hex "$server") ?\$" lab_teardown_get fwStateTeardownServerAddress "$n"
	check "$label history row $n: fwStateTeardownServerPort = 5061" \
		expect_match ' = Gauge32: 5061$' lab_teardown_get fwStateTeardownServerPort "$n"
	check "$label history row $n: fwStateTeardownZone = 0" \
		expect_match ' = Gauge32: 0$' lab_teardown_get fwStateTeardownZone "$n"
	check "$label history row $n: fwStateTeardownDuration = ${duration:-?} as notified" \
		expect_match " = Gauge32: ${duration:-missing}( seconds)?\$" lab_teardown_get fwStateTeardownDuration "$n"
	check "$label history row $n: fwStateTeardownTime is a date" \
		expect_match ' = STRING: [0-9]{4}-[0-9]{1,2}-[0-9]{1,2},' lab_teardown_get fwStateTeardownTime "$n"
}

# --- (a) the SBC resets the connection -----------------------------------------------
rst_re=$(torn_down_re reset "$LAB_PHONE_V4" "$rst_port")
rst_start=$SECONDS
lab_session_do rst send RST
# The RST is reported when conntrack enters CLOSE, not when the entry is
# destroyed 10 s (close timeout) later.
check "reset: fwStateSessionTornDown cause reset(1) within 3 s of the RST" wait_for_trap "$rst_re" 3
lab_log "reset reported after $((SECONDS - rst_start)) s"
check_torn_down "reset" "$rst_re" ipv4 "$LAB_PHONE_V4" "$rst_port" "$LAB_SBC_V4" reset close
check "reset: the session row shows close(8) until conntrack destroys the entry" \
	expect_match ' = INTEGER: close\(8\)$' lab_session_get fwStateSessionTcpState "$rst_index"
check "reset: fwStatePhoneResets of $LAB_PHONE_V4 = 1" \
	expect_match ' = Counter32: 1$' lab_phone_get fwStatePhoneResets "$LAB_PHONE_V4"
check "reset: fwStatePhoneLastTeardownCause of $LAB_PHONE_V4 = reset(1)" \
	expect_match ' = INTEGER: reset\(1\)$' lab_phone_get fwStatePhoneLastTeardownCause "$LAB_PHONE_V4"
check "reset: fwStateSessionsNow.0 = 3" lab_session_scalar_is fwStateSessionsNow 3

# --- (b) conntrack -D ----------------------------------------------------------------
flush_re=$(torn_down_re flushed "$LAB_PHONE_V6" "$flush_port")
check "flush: conntrack -D of the IPv6 session in the firewall" \
	lab_fw conntrack -D -f ipv6 -p tcp --orig-port-src "$flush_port" --dport 5061
check "flush: fwStateSessionTornDown cause flushed(5)" wait_for_trap "$flush_re" 3
check_torn_down "flush" "$flush_re" ipv6 "$LAB_PHONE_V6" "$flush_port" "$LAB_SBC_V6" flushed established
check "flush: the session row is gone" eventually 3 \
	expect_match 'No Such Instance' lab_session_get fwStateSessionTcpState "$flush_index"
check "flush: fwStatePhoneFlushes of $LAB_PHONE_V6 = 1" \
	expect_match ' = Counter32: 1$' lab_phone_get fwStatePhoneFlushes "$LAB_PHONE_V6"
check "flush: fwStatePhoneSessions of $LAB_PHONE_V6 = 0" \
	expect_match ' = Gauge32: 0$' lab_phone_get fwStatePhoneSessions "$LAB_PHONE_V6"
check "flush: fwStateSessionsNow.0 = 2" lab_session_scalar_is fwStateSessionsNow 2

# --- (c) half-closed until close_wait expires ------------------------------------------
half_re=$(torn_down_re halfClosedTimeout "$LAB_PHONE_V4" "$half_port")
lab_session_do half send HOLD
half_start=$SECONDS
lab_session_do half shutdown
check "half-close: the session row shows closeWait(5)" eventually 4 \
	expect_match ' = INTEGER: closeWait\(5\)$' lab_session_get fwStateSessionTcpState "$half_index"
check "half-close: nothing reported while half-closed" expect_eq 0 trap_count "$half_re"
check "half-close: fwStateSessionTornDown cause halfClosedTimeout(4) after the 5 s close_wait" \
	wait_for_trap "$half_re" 15
half_after=$((SECONDS - half_start))
lab_log "half-close reported after $half_after s"
check "half-close: not reported before close_wait (5 s) ran out" test "$half_after" -ge 4
check_torn_down "half-close" "$half_re" ipv4 "$LAB_PHONE_V4" "$half_port" "$LAB_SBC_V4" halfClosedTimeout closeWait
check "half-close: fwStatePhoneHalfClosedTimeouts of $LAB_PHONE_V4 = 1" \
	expect_match ' = Counter32: 1$' lab_phone_get fwStatePhoneHalfClosedTimeouts "$LAB_PHONE_V4"
check "half-close: the session row is gone" eventually 3 \
	expect_match 'No Such Instance' lab_session_get fwStateSessionTcpState "$half_index"

# --- (d) a clean close both ways ---------------------------------------------------------
fin_re=$(torn_down_re closed "$LAB_PHONE_V4" "$fin_port")
lab_session_do fin close
check "close: fwStateSessionTornDown cause closed(2)" wait_for_trap "$fin_re" 3
check_torn_down "close" "$fin_re" ipv4 "$LAB_PHONE_V4" "$fin_port" "$LAB_SBC_V4" closed timeWait
check "close: the session row shows timeWait(7)" \
	expect_match ' = INTEGER: timeWait\(7\)$' lab_session_get fwStateSessionTcpState "$fin_index"
check "close: fwStatePhoneCloses of $LAB_PHONE_V4 = 1" \
	expect_match ' = Counter32: 1$' lab_phone_get fwStatePhoneCloses "$LAB_PHONE_V4"

# --- totals ---------------------------------------------------------------------------
# The RST left a CLOSE entry behind; its destruction must not be reported again.
rst_entry_gone() { [[ -z $(lab_session_conntrack --orig-port-src "$rst_port") ]]; }
check "the reset session's CLOSE entry is destroyed (close timeout 10 s)" lab_poll 15 rst_entry_gone
check "reset: its row is gone with the entry" eventually 4 \
	expect_match 'No Such Instance' lab_session_get fwStateSessionTcpState "$rst_index"
check "the agent works on: two more timeout polls" lab_wait_polls 2
any_torn_down="snmpTrapOID\\.0 = OID: $LAB_TRAP_TORN_DOWN( |\$)"
check "one notification per session: 4 fwStateSessionTornDown" expect_eq 4 trap_count "$any_torn_down"
check "one reset notification for the reset session" expect_eq 1 trap_count "$rst_re"
check "fwStateSessionTeardowns.0 = 4" lab_session_scalar_is fwStateSessionTeardowns 4
check "fwStateSessionsNow.0 = 0" lab_session_scalar_is fwStateSessionsNow 0
check "fwStateSessionNotificationsHeld.0 = 0" lab_session_scalar_is fwStateSessionNotificationsHeld 0
check "fwStateTeardownTable has 4 rows" lab_session_rows_is fwStateTeardownCause 4
history_indexes() { lab_snmpwalk FWSTATE-MIB::fwStateTeardownCause | sed -n 's/^FWSTATE-MIB::fwStateTeardownCause\.\([0-9]*\) = .*/\1/p' | paste -sd' '; }
check "fwStateTeardownTable indexes 1 2 3 4" expect_eq "1 2 3 4" history_indexes
check "phone $LAB_PHONE_V4: fwStatePhoneTeardowns = 3" \
	expect_match ' = Counter32: 3$' lab_phone_get fwStatePhoneTeardowns "$LAB_PHONE_V4"
check "phone $LAB_PHONE_V4: fwStatePhoneSessions = 0" \
	expect_match ' = Gauge32: 0$' lab_phone_get fwStatePhoneSessions "$LAB_PHONE_V4"
check "phone $LAB_PHONE_V4: fwStatePhoneSessionsSeen = 3" \
	expect_match ' = Counter32: 3$' lab_phone_get fwStatePhoneSessionsSeen "$LAB_PHONE_V4"
other_causes() {
	lab_snmpget -Oqv "$(lab_phone_oid fwStatePhoneFlushes "$LAB_PHONE_V4")" "$(lab_phone_oid fwStatePhoneIdleTimeouts "$LAB_PHONE_V4")" \
		"$(lab_phone_oid fwStatePhoneMissed "$LAB_PHONE_V4")" "$(lab_phone_oid fwStatePhoneOtherTeardowns "$LAB_PHONE_V4")" | paste -sd' '
}
check "phone $LAB_PHONE_V4: no flushes, idle timeouts, missed or other teardowns" expect_eq "0 0 0 0" other_causes
check "phone $LAB_PHONE_V4: fwStatePhoneLastTeardownCause = closed(2)" \
	expect_match ' = INTEGER: closed\(2\)$' lab_phone_get fwStatePhoneLastTeardownCause "$LAB_PHONE_V4"
check "phone $LAB_PHONE_V4: fwStatePhoneLastTeardownTime is a date" \
	expect_match ' = STRING: [0-9]{4}-[0-9]{1,2}-[0-9]{1,2},' lab_phone_get fwStatePhoneLastTeardownTime "$LAB_PHONE_V4"
check "agent log names every teardown" \
	expect_eq 4 grep -c 'torn down after' "$LAB_AGENT_LOG"
check "agent still running" lab_agent_running

lab_summary
