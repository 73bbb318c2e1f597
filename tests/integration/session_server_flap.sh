#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Geo-routing flaps: a phone whose new sessions alternate between the
# provider's two data centres (SBC addresses 198.51.100.10 and .3). With
# serverFlapThreshold 2 and serverFlapWindow 20: two changes raise nothing; the
# third within the window sends one fwStatePhoneServerFlapStarted naming the
# phone (its index), the server it moved to and the one it left, and the
# phone's row shows the episode; further changes send nothing more; once the
# phone has stayed with one server for 20 s, fwStatePhoneServerFlapEnded.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

window=20
started_trap=FWSTATE-MIB::fwStatePhoneServerFlapStarted
ended_trap=FWSTATE-MIB::fwStatePhoneServerFlapEnded

lab_session_lab
check "SBC: second address $LAB_SBC2_V4 (second data centre)" lab_session_sbc2
lab_session_server sbc-tcp "$LAB_SBC_V4,5061" "$LAB_SBC2_V4,5061"
check "SBC: TCP server on $LAB_SBC_V4:5061 and $LAB_SBC2_V4:5061" lab_session_listening sbc-tcp
lab_agent_conf "serverFlapThreshold 2" "serverFlapWindow $window"
lab_agent_start
check "agent answers" lab_wait_ready

phone=$LAB_PHONE_V4
phone_is() { expect_match " = $2\$" lab_phone_get "$1" "$phone"; }
started_re() {
	printf '%s\n' "snmpTrapOID\\.0 = OID: $started_trap( |\$).*fwStatePhoneServerAddress\\.[^ ]* = Hex-STRING: $(lab_inet_hex "$1") .*fwStatePhonePrevServerAddress\\.[^ ]* = Hex-STRING: $(lab_inet_hex "$2") .*fwStatePhoneServerChanges\\.[^ ]* = Counter32: $3( |\$)"
}
ended_re() {
	printf '%s\n' "snmpTrapOID\\.0 = OID: $ended_trap( |\$).*fwStatePhoneServerAddress\\.[^ ]* = Hex-STRING: $(lab_inet_hex "$1") .*fwStatePhoneServerChanges\\.[^ ]* = Counter32: $2( |\$)"
}
connect() {
	lab_session_client "$1" "$2" 5061
	check "phone: session '$1' to $2:5061" lab_session_connected "$1"
	check "... tracked: $3 server change(s)" eventually 10 phone_is fwStatePhoneServerChanges "Counter32: $3"
}

# --- two changes: allowed --------------------------------------------------------------
connect a "$LAB_SBC_V4" 0
connect b "$LAB_SBC2_V4" 1
connect c "$LAB_SBC_V4" 2
check "the agent is alive and polling" lab_wait_polls 2
check "two changes within the window: no fwStatePhoneServerFlapStarted" \
	expect_eq 0 trap_count "$started_trap"
check "fwStatePhoneServerFlapping = false(2)" phone_is fwStatePhoneServerFlapping 'INTEGER: false\(2\)'
check "fwStatePhonePrevServerAddress = $LAB_SBC2_V4" \
	phone_is fwStatePhonePrevServerAddress "Hex-STRING: $(lab_inet_hex "$LAB_SBC2_V4") ?"

# --- the third: an episode ---------------------------------------------------------------
connect d "$LAB_SBC2_V4" 3
check "fwStatePhoneServerFlapStarted: now $LAB_SBC2_V4, before $LAB_SBC_V4, 3 changes" \
	wait_for_trap "$(started_re "$LAB_SBC2_V4" "$LAB_SBC_V4" 3)" 5
check "... its instance is the phone's index (ipv4.\"$phone\")" \
	expect_match "fwStatePhoneServerAddress\\.ipv4\\.\"$(lab_re_escape "$phone")\" = " trap_lines "$started_trap"
check "fwStatePhoneServerFlapping = true(1)" phone_is fwStatePhoneServerFlapping 'INTEGER: true\(1\)'
check "fwStatePhoneServerFlaps = 1" phone_is fwStatePhoneServerFlaps 'Counter32: 1'
check "fwStatePhonePrevServerAddress = $LAB_SBC_V4" \
	phone_is fwStatePhonePrevServerAddress "Hex-STRING: $(lab_inet_hex "$LAB_SBC_V4") ?"
check "fwStatePhonesFlapping.0 = 1" lab_session_scalar_is fwStatePhonesFlapping 1
check "the log names the phone and both servers" \
	expect_match "phone $phone flaps between servers: .*now $LAB_SBC2_V4:5061, before $LAB_SBC_V4:5061" \
	cat "$LAB_AGENT_LOG"
connect e "$LAB_SBC_V4" 4
check "a further change in the episode: still one fwStatePhoneServerFlapStarted" \
	expect_eq 1 trap_count "$started_trap"
check "no fwStatePhoneServerFlapEnded while it flaps" expect_eq 0 trap_count "$ended_trap"

# --- the phone stays with one server for the window ----------------------------------------
check "fwStatePhoneServerFlapEnded within $window s + 3 s: on $LAB_SBC_V4, 4 changes" \
	wait_for_trap "$(ended_re "$LAB_SBC_V4" 4)" $((window + 3))
check "fwStatePhoneServerFlapping = false(2) again" phone_is fwStatePhoneServerFlapping 'INTEGER: false\(2\)'
check "fwStatePhonesFlapping.0 = 0" lab_session_scalar_is fwStatePhonesFlapping 0
check "fwStatePhoneServerFlaps stays 1" phone_is fwStatePhoneServerFlaps 'Counter32: 1'
check "one fwStatePhoneServerFlapStarted in all" expect_eq 1 trap_count "$started_trap"
check "agent still running" lab_agent_running

lab_summary
