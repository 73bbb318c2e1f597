#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A phone that loses its connection and re-registers, alternating between
# the provider's two data centres (SBC addresses 198.51.100.10 and .3):
# fwStatePhoneReconnects counts new sessions within reconnectWindow (5 s
# here) of a teardown, fwStatePhoneServerChanges counts new sessions to
# another server than the previous one, fwStatePhoneServerAddress follows
# the newest session.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

window=5

lab_session_lab
check "SBC: second address $LAB_SBC2_V4 (second data centre)" lab_session_sbc2
lab_session_server sbc-tcp "$LAB_SBC_V4,5061" "$LAB_SBC2_V4,5061"
check "SBC: TCP server on $LAB_SBC_V4:5061 and $LAB_SBC2_V4:5061" lab_session_listening sbc-tcp
lab_agent_conf "reconnectWindow $window"
lab_agent_start
check "agent answers through snmpd" lab_wait_ready

phone=$LAB_PHONE_V4
# phone_is COLUMN VALUE_REGEX: a fwStatePhoneTable cell of the phone.
phone_is() {
	expect_match " = $2\$" lab_phone_get "$1" "$phone"
}
# phone_state: reconnects, server changes, sessions now, sessions seen.
phone_state() {
	lab_snmpget -Oqv "$(lab_phone_oid fwStatePhoneReconnects "$phone")" "$(lab_phone_oid fwStatePhoneServerChanges "$phone")" \
		"$(lab_phone_oid fwStatePhoneSessions "$phone")" "$(lab_phone_oid fwStatePhoneSessionsSeen "$phone")" | paste -sd' '
}
phone_state_is() {
	local out
	out=$(phone_state) || return 1
	echo "reconnects, server changes, sessions, sessions seen: $out"
	[[ $out == "$1" ]]
}
server_is() {
	phone_is fwStatePhoneServerAddress "Hex-STRING: $(lab_inet_hex "$1") ?"
}

# --- registered at the first data centre ---------------------------------------------
lab_session_client a "$LAB_SBC_V4" 5061
check "phone: session 'a' to $LAB_SBC_V4:5061" lab_session_connected a
check "phone row: 0 reconnects, 0 server changes, 1 session, 1 seen" \
	eventually 10 phone_state_is "0 0 1 1"
check "fwStatePhoneServerAddress = $LAB_SBC_V4" server_is "$LAB_SBC_V4"

# --- reset, re-registered at the second data centre within the window ---------------------
a_port=$(lab_session_ports a)
lab_session_do a send RST
check "'a' torn down: cause reset(1)" wait_for_trap "$(torn_down_re reset "$phone" "$a_port")" 5
check "phone row: 0 sessions after the reset" eventually 3 phone_state_is "0 0 0 1"
lab_session_client b "$LAB_SBC2_V4" 5061
check "phone: session 'b' to $LAB_SBC2_V4:5061 right away" lab_session_connected b
check "fwStatePhoneReconnects = 1, fwStatePhoneServerChanges = 1" \
	eventually 10 phone_state_is "1 1 1 2"
check "fwStatePhoneServerAddress = $LAB_SBC2_V4 (the current server)" server_is "$LAB_SBC2_V4"
check "fwStatePhoneServerPort = 5061" phone_is fwStatePhoneServerPort 'Gauge32: 5061'
check "fwStatePhoneLastTeardownCause = reset(1)" phone_is fwStatePhoneLastTeardownCause 'INTEGER: reset\(1\)'

# --- flushed, back to the first data centre within the window -------------------------------
b_port=$(lab_session_ports b)
check "conntrack -D of 'b'" lab_fw conntrack -D -p tcp --orig-port-src "$b_port" --dport 5061
check "'b' torn down: cause flushed(5)" wait_for_trap "$(torn_down_re flushed "$phone" "$b_port")" 5
lab_session_client c "$LAB_SBC_V4" 5061
check "phone: session 'c' to $LAB_SBC_V4:5061 right away" lab_session_connected c
check "fwStatePhoneReconnects = 2, fwStatePhoneServerChanges = 2" \
	eventually 10 phone_state_is "2 2 1 3"
check "fwStatePhoneServerAddress = $LAB_SBC_V4 again" server_is "$LAB_SBC_V4"
check "fwStatePhoneLastTeardownCause = flushed(5)" phone_is fwStatePhoneLastTeardownCause 'INTEGER: flushed\(5\)'

# --- flushed, back after the window, same server --------------------------------------------
c_port=$(lab_session_ports c)
check "conntrack -D of 'c'" lab_fw conntrack -D -p tcp --orig-port-src "$c_port" --dport 5061
check "'c' torn down: cause flushed(5)" wait_for_trap "$(torn_down_re flushed "$phone" "$c_port")" 5
sleep $((window + 2))
lab_session_client d "$LAB_SBC_V4" 5061
check "phone: session 'd' to $LAB_SBC_V4:5061 after the window" lab_session_connected d
check "no reconnect after the window, no server change to the same server" \
	eventually 10 phone_state_is "2 2 1 4"

# --- an overlapping session to the other server ------------------------------------------
lab_session_client e "$LAB_SBC2_V4" 5061
check "phone: session 'e' to $LAB_SBC2_V4:5061 while 'd' is up" lab_session_connected e
check "a server change without a reconnect; 2 sessions now" \
	eventually 10 phone_state_is "2 3 2 5"
check "fwStatePhoneServerAddress = $LAB_SBC2_V4 (the newest session)" server_is "$LAB_SBC2_V4"

check "fwStatePhoneTeardowns = 3 (1 reset, 2 flushed)" phone_is fwStatePhoneTeardowns 'Counter32: 3'
check "fwStatePhoneResets = 1" phone_is fwStatePhoneResets 'Counter32: 1'
check "fwStatePhoneFlushes = 2" phone_is fwStatePhoneFlushes 'Counter32: 2'
phone_rows() { lab_snmpwalk -On FWSTATE-MIB::fwStatePhoneSessions | grep -c ' = Gauge32: ' || true; }
check "one fwStatePhoneTable row (one phone address)" expect_eq 1 phone_rows
check "fwStateSessionsNow.0 = 2" lab_session_scalar_is fwStateSessionsNow 2
check "agent still running" lab_agent_running

lab_summary
