#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Phones that reconnect from the same local port, as phones that bind a fixed
# port do, with real TCP through the firewall:
#   A. the server resets the session and the phone reconnects at once: the
#      kernel brings the same conntrack back (CLOSE, SYN ignored, then the
#      SYN/ACK: SYN_RECV, ESTABLISHED, same id);
#   B. the server closes first (its side ends in TIME_WAIT) and the phone
#      reconnects: the kernel replaces the conntrack;
#   C. the phone resets its session and reconnects: replaced as well.
# Each time the agent reports the teardown once, counts a new session and a
# reconnect for the phone, shows the row alive again, and reports that
# session's own teardown later.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_session_lab "$LAB_SBC_V4,5061"
lab_agent_conf "reconnectWindow 120" "reconcileInterval 2"
lab_agent_start
check "agent answers through snmpd" lab_wait_ready

phone=$LAB_PHONE_V4
# ct_id PORT: the conntrack id of the phone's entry from PORT.
ct_id() { lab_session_conntrack -o id --orig-port-src "$1" | sed -n 's/.* id=\([0-9]*\).*/\1/p' | head -n 1; }
ct_state() { lab_session_conntrack --orig-port-src "$1" | awk '{print $4}' | head -n 1; }
ct_state_is() {
	local got
	got=$(ct_state "$1")
	echo "conntrack state from port $1: ${got:-none}"
	[[ $got == "$2" ]]
}
# phone_counters: sessions now, sessions seen, reconnects, teardowns
phone_counters() {
	lab_snmpget -Oqv "$(lab_phone_oid fwStatePhoneSessions "$phone")" "$(lab_phone_oid fwStatePhoneSessionsSeen "$phone")" \
		"$(lab_phone_oid fwStatePhoneReconnects "$phone")" "$(lab_phone_oid fwStatePhoneTeardowns "$phone")" | paste -sd' '
}
phone_is() {
	local out
	out=$(phone_counters) || return 1
	echo "sessions now, seen, reconnects, teardowns: $out"
	[[ $out == "$1" ]]
}
teardowns_of() { trap_count "$(torn_down_re "$1" "$phone" "$2")"; }

# --- A. the server resets; the phone reconnects from the same port: same conntrack ------------
port_a=45061
lab_session_client a "$LAB_SBC_V4" 5061 1 "$port_a"
check "phone: session 'a' from port $port_a" lab_session_connected a
check "'a' is tracked, established" eventually 10 expect_match 'established\(3\)' lab_session_state "$port_a"
id_a=$(ct_id "$port_a")
lab_log "conntrack id of 'a': $id_a"
check "phone: 1 session, 1 seen, 0 reconnects, 0 teardowns" eventually 10 phone_is "1 1 0 0"
lab_session_do a send RST
check "A: the server's RST is reported (reset)" wait_for_trap "$(torn_down_re reset "$phone" "$port_a")" 5
check "A: the conntrack entry is in CLOSE" eventually 5 ct_state_is "$port_a" CLOSE
lab_session_do a reconnect
check "A: the phone is connected again from port $port_a" \
	eventually 10 expect_match "^port $port_a\$" grep '^port ' "$LAB_RUN/a.out"
check "A: conntrack brought the same entry back, established" eventually 10 ct_state_is "$port_a" ESTABLISHED
check "A: same conntrack id $id_a (the kernel revived it)" expect_eq "$id_a" ct_id "$port_a"
check "A: the row is alive again" eventually 10 expect_match 'established\(3\)' lab_session_state "$port_a"
check "A: a new session, counted as a reconnect" eventually 10 phone_is "1 2 1 1"
check "A: fwStateSessionsNow.0 = 1" lab_session_scalar_is fwStateSessionsNow 1
lab_session_do a send RST
check "A: the revived session's own reset is reported" \
	eventually 5 expect_eq 2 teardowns_of reset "$port_a"
check "A: after it, 0 sessions, 2 seen, 1 reconnect, 2 teardowns" eventually 10 phone_is "0 2 1 2"
lab_session_do a exit

# --- B. the server closes first, the phone reconnects: a new conntrack -----------------------
port_b=45062
lab_session_client b "$LAB_SBC_V4" 5061 1 "$port_b"
check "phone: session 'b' from port $port_b" lab_session_connected b
check "'b' is tracked, established" eventually 10 expect_match 'established\(3\)' lab_session_state "$port_b"
lab_session_do b send CLOSE
check "B: the server's FIN half-closes it" eventually 5 ct_state_is "$port_b" CLOSE_WAIT
lab_session_do b close
check "B: both FINs: TIME_WAIT" eventually 5 ct_state_is "$port_b" TIME_WAIT
check "B: reported as closed" wait_for_trap "$(torn_down_re closed "$phone" "$port_b")" 5
lab_session_do b reconnect
check "B: the phone is connected again from port $port_b" \
	eventually 10 expect_eq 2 grep -c "^port $port_b\$" "$LAB_RUN/b.out"
check "B: a new conntrack entry, established" eventually 10 ct_state_is "$port_b" ESTABLISHED
# (The kernel replaced the entry - DESTROY, then NEW - but its id can come out
# the same: it hashes the entry's address, which the allocator may hand out again.)
check "B: the row is alive again" eventually 10 expect_match 'established\(3\)' lab_session_state "$port_b"
# (the first session of 'b' was a reconnect too: it came within the window of A's reset)
check "B: a new session, counted as a reconnect; one teardown for the close" \
	eventually 10 phone_is "1 4 3 3"
check "B: the close was reported once" expect_eq 1 teardowns_of closed "$port_b"

# --- C. the phone resets, then reconnects from the same port: a new conntrack ------------------
lab_session_do b reset
check "C: the phone's RST is reported (reset)" wait_for_trap "$(torn_down_re reset "$phone" "$port_b")" 5
lab_session_do b reconnect
check "C: the phone is connected again from port $port_b" \
	eventually 10 expect_eq 3 grep -c "^port $port_b\$" "$LAB_RUN/b.out"
check "C: established again" eventually 10 ct_state_is "$port_b" ESTABLISHED
check "C: the row is alive again" eventually 10 expect_match 'established\(3\)' lab_session_state "$port_b"
check "C: a new session, a reconnect, one more teardown" eventually 10 phone_is "1 5 4 4"
check "C: the reset was reported once" expect_eq 1 teardowns_of reset "$port_b"

# --- the reconcile dumps (every 2 s) change none of it ------------------------------------------
resyncs=$(lab_session_scalar fwStateSessionResyncs)
resynced() {
	local now
	now=$(lab_session_scalar fwStateSessionResyncs) || return 1
	echo "fwStateSessionResyncs.0: $resyncs -> $now"
	((now >= resyncs + 2))
}
check "two more reconcile dumps ran" eventually 10 resynced
check "still 1 session now, 5 seen, 4 reconnects, 4 teardowns" phone_is "1 5 4 4"
check "no teardown reported missed" expect_eq 0 trap_count "$(torn_down_re missed)"
check "four teardown notifications in all" expect_eq 4 trap_count "snmpTrapOID\\.0 = OID: $LAB_TRAP_TORN_DOWN( |\$)"
check "agent still running" lab_agent_running

lab_summary
