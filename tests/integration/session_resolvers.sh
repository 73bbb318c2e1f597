#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The DNS resolvers the phones use. With allowedResolver 198.51.100.53 (the
# provider's GTM server, here an address of the SBC namespace): a real DNS
# query from the phone to it through the firewall is allowed and notifies
# nothing; flows to public resolvers are conntrack entries created over
# netlink (conntrack -I, no packet leaves the machine): Google's 8.8.8.8 over
# UDP 53 and Quad9's 9.9.9.9 over TCP 853 are flagged, each notified once
# per phone with fwStatePhoneFlaggedResolver and logged with the fix; an
# entry that existed before the agent started is found by its first dump.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

gtm=198.51.100.53
flagged_trap=FWSTATE-MIB::fwStatePhoneFlaggedResolver

lab_session_lab
ip -n "$LAB_NS_SBC" addr add "$gtm/24" dev eth0
phone=$LAB_PHONE_V4
# insert_flow PROTO DST DPORT SPORT: a conntrack entry of the phone's, no packet sent
insert_flow() {
	local state=()
	[[ $1 != tcp ]] || state=(--state ESTABLISHED)
	lab_fw conntrack -I -p "$1" -s "$phone" -d "$2" --sport "$4" --dport "$3" -t 60 \
		"${state[@]}" -r "$2" -q "$phone" --reply-port-src "$3" --reply-port-dst "$4" >/dev/null 2>&1
}
# a flow from before the agent: its first dump finds it
check "conntrack -I: the phone's UDP flow to 1.1.1.1:53, before the agent starts" \
	insert_flow udp 1.1.1.1 53 41000
lab_agent_conf "allowedResolver $gtm" "reconcileInterval 2"
lab_agent_start
check "agent answers" lab_wait_ready
verdict_of() { lab_snmpget -Oqv "FWSTATE-MIB::fwStateResolverVerdict.$(lab_phone_index "$1")"; }
check "the start-up dump found 1.1.1.1: flagged" eventually 10 expect_eq flagged verdict_of 1.1.1.1

# --- a real query to the provider's resolver --------------------------------------
lab_spawn dns-server "$LAB_NS_SBC" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("'"$gtm"'", 53))
while True:
    data, peer = s.recvfrom(512)
    s.sendto(data, peer)'
lab_poll 10 eval "[[ -n \$(ip netns exec $LAB_NS_SBC ss -Huln 'sport = :53') ]]" ||
	lab_die "the DNS server did not start"
query() {
	lab_phone python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03sip\x07example\x03net\x00\x00\x01\x00\x01", ("'"$gtm"'", 53))
print(len(s.recv(512)))'
}
check "the phone queries $gtm:53 through the firewall" query
check "$gtm: allowed" eventually 10 expect_eq allowed verdict_of "$gtm"
phone_resolver_oid() { printf 'FWSTATE-MIB::%s.%s.%s\n' "$1" "$(lab_phone_index "$phone")" "$(lab_phone_index "$2")"; }
check "fwStatePhoneResolverTable: the phone's row for $gtm, one flow" \
	expect_match 'Counter64: 1$' lab_snmpget "$(phone_resolver_oid fwStatePhoneResolverFlows "$gtm")"
check "the agent is alive and polling" lab_wait_polls 2
check "no fwStatePhoneFlaggedResolver for the allowed resolver" \
	expect_no_match "$(lab_re_escape "\"$gtm\"")" trap_lines "$flagged_trap"

# --- public resolvers, made as conntrack entries ---------------------------------------
check "conntrack -I: UDP to 8.8.8.8:53" insert_flow udp 8.8.8.8 53 41001
check "8.8.8.8: flagged" eventually 10 expect_eq flagged verdict_of 8.8.8.8
check "fwStatePhoneFlaggedResolver names the phone and 8.8.8.8" \
	wait_for_trap "$flagged_trap( |\$).*fwStatePhoneResolverVerdict\\.ipv4\\.\"$(lab_re_escape "$phone")\"\\.ipv4\\.\"8\\.8\\.8\\.8\" = INTEGER: flagged\\(2\\)" 5
check "... and the log gives the fix" \
	expect_match "phone $(lab_re_escape "$phone") uses the flagged resolver 8\\.8\\.8\\.8: .*DHCP option 6" cat "$LAB_AGENT_LOG"
check "conntrack -I: a second flow to 8.8.8.8" insert_flow udp 8.8.8.8 53 41002
check "... counted" eventually 5 expect_match 'Counter64: 2$' \
	lab_snmpget "$(phone_resolver_oid fwStatePhoneResolverFlows 8.8.8.8)"
check "... but notified once" eventually 3 expect_eq 1 trap_count "$flagged_trap( |\$).*\"8\\.8\\.8\\.8\""
check "conntrack -I: TCP to 9.9.9.9:853 (DNS over TLS)" insert_flow tcp 9.9.9.9 853 41003
check "9.9.9.9: flagged, notified" \
	wait_for_trap "$flagged_trap( |\$).*\"9\\.9\\.9\\.9\" = INTEGER: flagged\\(2\\)" 5
check "fwStateResolverCount.0 = 4 (1.1.1.1, $gtm, 8.8.8.8, 9.9.9.9)" lab_scalar_is fwStateResolverCount 4
check "fwStateResolversFlaggedInUse.0 = 3" eventually 5 lab_scalar_is fwStateResolversFlaggedInUse 3
check "fwStateResolverPhonesNow of 8.8.8.8 = 1" expect_match 'Gauge32: 1$' \
	lab_snmpget "FWSTATE-MIB::fwStateResolverPhonesNow.$(lab_phone_index 8.8.8.8)"
check "an NTP flow is no DNS flow: no row for 203.0.113.123" insert_flow udp 203.0.113.123 123 41004
check "... (the agent saw it and kept it out)" lab_wait_polls 1
check "... fwStateResolverCount.0 still 4" lab_scalar_is fwStateResolverCount 4

# --- --check sees them too --------------------------------------------------------------
check_out() { lab_fw "$LAB_AGENT" --check -C -c "$LAB_AGENT_CONF" 2>&1 || true; }
check "--check: WARN for the phone asking 8.8.8.8" \
	expect_match "^WARN +phone $(lab_re_escape "$phone"): asks the flagged resolver 8\.8\.8\.8" check_out
check "--check: ... with the fix (DHCP option 6)" expect_match 'DHCP option 6 on the phone VLAN' check_out
check "--check: nothing about the allowed $gtm" expect_no_match "flagged resolver $(lab_re_escape "$gtm")" check_out

# --- the flows end ---------------------------------------------------------------
check "conntrack -D of the phone's flows to 8.8.8.8" lab_ct_delete -p udp -d 8.8.8.8
check "fwStateResolverPhonesNow of 8.8.8.8 = 0, the row stays" eventually 5 expect_match 'Gauge32: 0$' \
	lab_snmpget "FWSTATE-MIB::fwStateResolverPhonesNow.$(lab_phone_index 8.8.8.8)"
check "fwStateResolversFlaggedInUse.0 = 2" eventually 5 lab_scalar_is fwStateResolversFlaggedInUse 2
check "agent still running" lab_agent_running

lab_summary
