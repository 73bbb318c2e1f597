#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A server that stops answering, with real TCP through the firewall: the phone
# keeps sending, nothing acknowledges it, and the kernel re-arms the shorter
# unacknowledged/retrans timeout on every retransmission without an event,
# then expires the entry long before the established timeout it showed last.
# The agent reports unackedTimeout(8), not other(7), even though no reconcile
# dump runs in between; a session whose server answers stays up meanwhile.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_session_lab "$LAB_SBC_V4,5061"
# Short shortened timeouts, a long established one; no mid-stream pickup, so
# the phone's retransmissions after the expiry create no new entry.
lab_fw sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_established=7200 \
	net.netfilter.nf_conntrack_tcp_timeout_unacknowledged=8 \
	net.netfilter.nf_conntrack_tcp_timeout_max_retrans=8 \
	net.netfilter.nf_conntrack_tcp_loose=0
lab_agent_conf "reconcileInterval 3600"
lab_agent_start
check "agent answers through snmpd" lab_wait_ready

phone=$LAB_PHONE_V4
unacked() { lab_snmpget -Oqv "$(lab_phone_oid fwStatePhoneUnackedTimeouts "$phone")"; }

lab_session_client a "$LAB_SBC_V4" 5061
check "phone: session 'a'" lab_session_connected a
port_a=$(lab_session_ports a)
lab_session_client b "$LAB_SBC_V4" 5061
check "phone: session 'b'" lab_session_connected b
port_b=$(lab_session_ports b)
check "'a' is tracked, established" eventually 10 expect_match 'established\(3\)' lab_session_state "$port_a"
check "'b' is tracked, established" eventually 10 expect_match 'established\(3\)' lab_session_state "$port_b"
check "the effective timeout is the established one, 7200" \
	eventually 10 expect_match 'Gauge32: 7200 seconds$' lab_session_get fwStateSessionEffectiveTimeout \
	"$(lab_session_index "$phone" "$port_a" "$LAB_SBC_V4" 5061)"

check "fwStatePhoneUnackedTimeouts = 0 before the outage" expect_eq 0 unacked
check "no teardown so far" expect_eq 0 trap_count "snmpTrapOID\\.0 = OID: $LAB_TRAP_TORN_DOWN( |\$)"

# The SBC stops answering the phone's session 'a' only: its packets are dropped
# before TCP sees them.
lab_sbc nft -f - <<EOF
table inet outage {
	chain input {
		type filter hook input priority 0
		tcp sport $port_a drop
	}
}
EOF
# (masquerade keeps the phone's port towards the SBC unless it is taken)
lab_session_do a send "REGISTER sip:example.org SIP/2.0"
lab_session_do b send "REGISTER sip:example.org SIP/2.0"
# conntrack -L prints the seconds left third: the retransmissions re-arm 8.
ct_left() {
	local left
	left=$(lab_session_conntrack --orig-port-src "$port_a" | awk '{print $3}' | head -n 1)
	echo "seconds left on 'a': ${left:-no entry}"
	[[ -n $left ]] && ((left <= 8))
}
check "the kernel shortened the timeout of 'a' to 8 s" eventually 10 ct_left
check "the kernel expires 'a' without an event; reported as unackedTimeout" \
	wait_for_trap "$(torn_down_re unackedTimeout "$phone" "$port_a")" 60
check "fwStatePhoneUnackedTimeouts = 1" eventually 5 expect_eq 1 unacked
check "its teardown record says unackedTimeout(8), last state established" \
	expect_match 'unackedTimeout\(8\)' lab_snmpwalk FWSTATE-MIB::fwStateTeardownCause
check "the record's last state is established" \
	expect_match 'established\(3\)' lab_snmpwalk FWSTATE-MIB::fwStateTeardownLastState
check "no teardown classified other or missed" \
	expect_eq 0 trap_count "$(torn_down_re '(other|missed)')"
check "the agent logged the cause" grep -E "torn down after [0-9]+ s in ESTABLISHED: unackedTimeout" "$LAB_AGENT_LOG"
check "'b', whose data the server acknowledged, is still up" expect_match 'established\(3\)' lab_session_state "$port_b"
check "exactly one teardown notification" \
	expect_eq 1 trap_count "snmpTrapOID\\.0 = OID: $LAB_TRAP_TORN_DOWN( |\$)"
check "agent still running" lab_agent_running

lab_summary
