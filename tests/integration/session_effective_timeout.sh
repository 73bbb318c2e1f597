#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The idle timeout that really applies to each session: an nftables ct
# timeout policy of 300 s attached to TCP port 5061 shows in
# fwStateSessionEffectiveTimeout of the sessions opened while it is attached
# (IPv4 and, although the object says l3proto ip, IPv6: the rule attaches it
# to both), with status belowThreshold and exactly one
# fwStateSessionTimeoutTooLow each; sessions opened before the
# policy was attached or after it was deleted keep the stock 432000 s.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_session_lab "$LAB_SBC_V4,5061" "$LAB_SBC_V6,5061"
# Reconcile dumps every 2 s re-read every session: none of them may repeat
# the notification.
lab_agent_conf "reconcileInterval 2"
lab_agent_start
check "agent answers through snmpd" lab_wait_ready

phone_re=$(lab_re_escape "$LAB_PHONE_V4")
below_any_re="snmpTrapOID\\.0 = OID: $LAB_TRAP_SESSION_BELOW( |\$)"
# below_re FAMILY PHONE_PORT: the notification about that session (any
# phone address of the family; the port tells the sessions apart).
below_re() {
	printf '%s\n' "$below_any_re.*fwStateSessionEffectiveTimeout\\.$1\\.\"[^\"]*\"\\.$2\\..*\\.5061\\.0 = "
}
below_count() { trap_count "$below_any_re"; }

# --- before the policy ------------------------------------------------------------------
lab_session_client before "$LAB_SBC_V4" 5061
check "phone: session 'before' to $LAB_SBC_V4:5061 (no timeout policy yet)" lab_session_connected before
before_port=$(lab_session_ports before)
before_index=$(lab_session_index "$LAB_PHONE_V4" "$before_port" "$LAB_SBC_V4" 5061)
check "'before': fwStateSessionEffectiveTimeout = 432000" eventually 10 \
	expect_match ' = Gauge32: 432000( seconds)?$' lab_session_get fwStateSessionEffectiveTimeout "$before_index"
check "'before': fwStateSessionTimeoutStatus = ok(1)" \
	expect_match ' = INTEGER: ok\(1\)$' lab_session_get fwStateSessionTimeoutStatus "$before_index"

# --- the policy: established 300 for TCP to port 5061 ------------------------------------
check "nft: ct timeout siptls { established: 300, close_wait: 660 } on tcp dport 5061" \
	lab_nft_siptls 300 660
lab_session_client short "$LAB_SBC_V4" 5061
check "phone: session 'short' to $LAB_SBC_V4:5061" lab_session_connected short
short_port=$(lab_session_ports short)
short_index=$(lab_session_index "$LAB_PHONE_V4" "$short_port" "$LAB_SBC_V4" 5061)
short_ct() { lab_session_conntrack --orig-port-src "$short_port" | grep -E '^tcp +6 +(29[0-9]|300) ESTABLISHED '; }
check "conntrack: 'short' is established with the policy's timeout (<= 300 s)" lab_poll 10 short_ct
lab_session_client v6 "$LAB_SBC_V6" 5061
check "phone: session 'v6' to [$LAB_SBC_V6]:5061" lab_session_connected v6
v6_port=$(lab_session_ports v6)
v6_index=$(lab_session_index "$LAB_PHONE_V6" "$v6_port" "$LAB_SBC_V6" 5061)
v6_ct() { lab_session_conntrack -f ipv6 --orig-port-src "$v6_port" | grep -E '^tcp +6 +(29[0-9]|300) ESTABLISHED '; }
check "conntrack: 'v6' is established with the policy's timeout too (<= 300 s)" lab_poll 10 v6_ct

check "'short': fwStateSessionEffectiveTimeout = 300 (the policy's established)" eventually 10 \
	expect_match ' = Gauge32: (299|300)( seconds)?$' lab_session_get fwStateSessionEffectiveTimeout "$short_index"
check "'short': fwStateSessionTimeoutStatus = belowThreshold(2)" \
	expect_match ' = INTEGER: belowThreshold\(2\)$' lab_session_get fwStateSessionTimeoutStatus "$short_index"
check "'short': fwStateSessionRemainingTimeout <= 300" \
	expect_match ' = Gauge32: ([1-9]|[1-9][0-9]|[12][0-9][0-9]|300)( seconds)?$' lab_session_get fwStateSessionRemainingTimeout "$short_index"
check "'v6': fwStateSessionEffectiveTimeout = 300" eventually 10 \
	expect_match ' = Gauge32: (299|300)( seconds)?$' lab_session_get fwStateSessionEffectiveTimeout "$v6_index"
check "'v6': fwStateSessionTimeoutStatus = belowThreshold(2)" \
	expect_match ' = INTEGER: belowThreshold\(2\)$' lab_session_get fwStateSessionTimeoutStatus "$v6_index"
check "'before': still 432000 (a policy applies to new connections only)" \
	expect_match ' = Gauge32: 432000( seconds)?$' lab_session_get fwStateSessionEffectiveTimeout "$before_index"
check "'before': still ok(1)" \
	expect_match ' = INTEGER: ok\(1\)$' lab_session_get fwStateSessionTimeoutStatus "$before_index"
status_walk() { lab_snmpwalk -On FWSTATE-MIB::fwStateSessionTimeoutStatus; }
below_rows() { status_walk | grep -c 'belowThreshold(2)' || true; }
check "two sessions of three are belowThreshold" expect_eq 2 below_rows

# --- the notifications ------------------------------------------------------------------
short_re=$(below_re ipv4 "$short_port")
check "fwStateSessionTimeoutTooLow for 'short'" wait_for_trap "$short_re" 10
short_trap() { trap_lines "$short_re" | head -n 1; }
short_row_re="ipv4\\.\"$phone_re\"\\.$short_port\\.[^ ]*\\.5061\\.0"
check "varbind: fwStateSessionNatAddress of the row = $LAB_FW_SBC_V4 (masquerade)" \
	expect_match "fwStateSessionNatAddress\\.$short_row_re = Hex-STRING: $(lab_inet_hex "$LAB_FW_SBC_V4")( |\$)" short_trap
nat_port=$(lab_session_ct_field "$(lab_session_conntrack --orig-port-src "$short_port" | head -n 1)" dport 2)
check "varbind: fwStateSessionNatPort of the row = ${nat_port:-?} (conntrack reply dport)" \
	expect_match "fwStateSessionNatPort\\.$short_row_re = Gauge32: ${nat_port:-missing}( |\$)" short_trap
check "varbind: fwStateSessionEffectiveTimeout of the row = 300" \
	expect_match "fwStateSessionEffectiveTimeout\\.$short_row_re = Gauge32: (299|300)( seconds)?( |\$)" short_trap
check "varbind: fwStateTimeoutThreshold.0 = 660" \
	expect_match 'fwStateTimeoutThreshold\.0 = Gauge32: 660( seconds)?( |$)' short_trap
check "varbinds in the order of the MIB's OBJECTS" expect_match \
	'fwStateSessionNatAddressType\..*fwStateSessionNatAddress\..*fwStateSessionNatPort\..*fwStateSessionEffectiveTimeout\..*fwStateTimeoutThreshold\.0' \
	short_trap
check "agent log names the session and its 300 s" \
	expect_match "session $phone_re:$short_port -> .*: conntrack keeps it only (299|300) s idle" cat "$LAB_AGENT_LOG"

v6_re=$(below_re ipv6 "$v6_port")
check "fwStateSessionTimeoutTooLow for 'v6'" wait_for_trap "$v6_re" 10
v6_trap() { trap_lines "$v6_re" | head -n 1; }
check "'v6' varbind: fwStateSessionNatAddress = $LAB_FW_SBC_V6 (masquerade)" \
	expect_match "fwStateSessionNatAddress\\.ipv6\\.[^ ]*\\.$v6_port\\..*\\.5061\\.0 = Hex-STRING: $(lab_inet_hex "$LAB_FW_SBC_V6")( |\$)" v6_trap
check "'v6' varbind: fwStateSessionEffectiveTimeout = 300" \
	expect_match "fwStateSessionEffectiveTimeout\\.ipv6\\.[^ ]*\\.$v6_port\\..*\\.5061\\.0 = Gauge32: (299|300)( seconds)?( |\$)" v6_trap

# Traffic in the session and several reconcile dumps: still one notification each.
resyncs=$(lab_session_scalar fwStateSessionResyncs)
lab_session_do short send "REGISTER sip:example.net SIP/2.0"
sleep 3
lab_session_do short send "OPTIONS sip:example.net SIP/2.0"
resyncs_grew() {
	local now
	now=$(lab_session_scalar fwStateSessionResyncs) || return 1
	echo "fwStateSessionResyncs.0: $resyncs -> $now"
	((now >= resyncs + 3))
}
check "three more reconcile dumps happen" eventually 10 resyncs_grew
check "not repeated: one fwStateSessionTimeoutTooLow for 'short'" expect_eq 1 trap_count "$short_re"
check "not repeated: one fwStateSessionTimeoutTooLow for 'v6'" expect_eq 1 trap_count "$v6_re"
check "none for 'before': two fwStateSessionTimeoutTooLow in all" expect_eq 2 below_count
check "'short': still belowThreshold(2)" \
	expect_match ' = INTEGER: belowThreshold\(2\)$' lab_session_get fwStateSessionTimeoutStatus "$short_index"
check "'short': effective timeout still 300 after the packets" \
	expect_match ' = Gauge32: (299|300)( seconds)?$' lab_session_get fwStateSessionEffectiveTimeout "$short_index"

# --- a third session under the policy gets its own notification ----------------------------
lab_session_client short2 "$LAB_SBC_V4" 5061
check "phone: session 'short2' to $LAB_SBC_V4:5061" lab_session_connected short2
short2_port=$(lab_session_ports short2)
check "fwStateSessionTimeoutTooLow for 'short2'" wait_for_trap "$(below_re ipv4 "$short2_port")" 10
check "three fwStateSessionTimeoutTooLow in all" expect_eq 3 below_count

# --- the policy deleted: new sessions are back to the stock timeout ------------------------
check "nft: delete table inet filter" lab_fw nft delete table inet filter
lab_session_client after "$LAB_SBC_V4" 5061
check "phone: session 'after' to $LAB_SBC_V4:5061" lab_session_connected after
after_port=$(lab_session_ports after)
after_index=$(lab_session_index "$LAB_PHONE_V4" "$after_port" "$LAB_SBC_V4" 5061)
check "'after': fwStateSessionEffectiveTimeout = 432000" eventually 10 \
	expect_match ' = Gauge32: 432000( seconds)?$' lab_session_get fwStateSessionEffectiveTimeout "$after_index"
check "'after': fwStateSessionTimeoutStatus = ok(1)" \
	expect_match ' = INTEGER: ok\(1\)$' lab_session_get fwStateSessionTimeoutStatus "$after_index"
check "'short' keeps its 300 s (the kernel keeps the policy of existing connections)" \
	expect_match ' = Gauge32: (299|300)( seconds)?$' lab_session_get fwStateSessionEffectiveTimeout "$short_index"
check "the agent works on: two more timeout polls" lab_wait_polls 2
check "no notification for 'after': still three in all" expect_eq 3 below_count
check "fwStateSessionsNow.0 = 5" lab_session_scalar_is fwStateSessionsNow 5
check "agent still running" lab_agent_running

lab_summary
