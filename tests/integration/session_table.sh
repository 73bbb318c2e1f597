#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fwStateSessionTable, fwStatePhoneTable and the session scalars for real
# sessions through a masquerading firewall: an IPv6 TCP session to port
# 5061 that existed before the agent started (found by the first dump), a
# TLS session to port 5061 over IPv4 opened afterwards (followed by events)
# and an HTTPS-port session that is no session at all.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_session_lab "$LAB_SBC_V6,5061" "$LAB_SBC_V4,443"

# --- a session older than the agent ------------------------------------------------
lab_session_client phone-v6 "$LAB_SBC_V6" 5061
check "phone: IPv6 session to [$LAB_SBC_V6]:5061 before the agent starts" lab_session_connected phone-v6
v6_port=$(lab_session_ports phone-v6)
lab_agent_conf
lab_agent_start
check "agent answers through snmpd" lab_wait_ready

# ct_line SERVER: the firewall's established conntrack entry to SERVER:5061.
ct_line() {
	local family=ipv4
	[[ $1 != *:* ]] || family=ipv6
	lab_session_conntrack -f "$family" --orig-dst "$1" | grep -E ' ESTABLISHED .*\[ASSURED\]' | head -n 1
}
ct_line_ok() { [[ -n $(ct_line "$1") ]]; }

v6_index=$(lab_session_index "$LAB_PHONE_V6" "$v6_port" "$LAB_SBC_V6" 5061)
check "IPv6 session from before the start is in the table (first dump)" eventually 10 \
	expect_match ' = INTEGER: established\(3\)$' lab_session_get fwStateSessionTcpState "$v6_index"

# --- a TLS session and a session to port 443, after the start --------------------------
lab_session_tls_start
check "firewall: the TLS session is an established conntrack entry" lab_poll 10 ct_line_ok "$LAB_SBC_V4"
tls_line=$(ct_line "$LAB_SBC_V4")
lab_log "conntrack: $tls_line"
tls_port=$(lab_session_ct_field "$tls_line" sport 1)
tls_nat_addr=$(lab_session_ct_field "$tls_line" dst 2)
tls_nat_port=$(lab_session_ct_field "$tls_line" dport 2)
tls_index=$(lab_session_index "$LAB_PHONE_V4" "$tls_port" "$LAB_SBC_V4" 5061)
check "conntrack: masquerade replaced the phone's address by $LAB_FW_SBC_V4" expect_eq "$LAB_FW_SBC_V4" echo "$tls_nat_addr"

lab_session_client phone-https "$LAB_SBC_V4" 443
check "phone: session to $LAB_SBC_V4:443" lab_session_connected phone-https
https_port=$(lab_session_ports phone-https)
https_ct() { lab_fw conntrack -L -p tcp --dport 443 2>/dev/null | grep -E " ESTABLISHED .*sport=$https_port "; }
check "firewall: the port 443 session is an established conntrack entry" lab_poll 10 https_ct

check "TLS session row appears: fwStateSessionTcpState = established(3)" eventually 10 \
	expect_match ' = INTEGER: established\(3\)$' lab_session_get fwStateSessionTcpState "$tls_index"
check "TLS handshake done: s_client got the SBC's certificate and stays connected" \
	eventually 5 expect_match 'CN ?= ?sbc\.example\.net' cat "$LAB_RUN/phone-tls.out"
check "TLS client still connected" lab_alive "$LAB_SESSION_TLS_PID"

# --- the TLS row, by its numeric index ------------------------------------------------
lab_log "TLS row index: $tls_index"
check "TLS: fwStateSessionNatAddress = $LAB_FW_SBC_V4 (masquerade)" \
	expect_match " = Hex-STRING: $(lab_inet_hex "$LAB_FW_SBC_V4") ?\$" lab_session_get fwStateSessionNatAddress "$tls_index"
check "TLS: fwStateSessionNatPort = $tls_nat_port (reply dport in conntrack -L)" \
	expect_match " = Gauge32: $tls_nat_port\$" lab_session_get fwStateSessionNatPort "$tls_index"
check "TLS: fwStateSessionRemainingTimeout > 0" \
	expect_match ' = Gauge32: [1-9][0-9]*( seconds)?$' lab_session_get fwStateSessionRemainingTimeout "$tls_index"
check "TLS: fwStateSessionEffectiveTimeout = 432000 (stock established)" \
	expect_match ' = Gauge32: 432000( seconds)?$' lab_session_get fwStateSessionEffectiveTimeout "$tls_index"
check "TLS: fwStateSessionTimeoutStatus = ok(1)" \
	expect_match ' = INTEGER: ok\(1\)$' lab_session_get fwStateSessionTimeoutStatus "$tls_index"
check "TLS: fwStateSessionStartTime is a date" \
	expect_match ' = STRING: [0-9]{4}-[0-9]{1,2}-[0-9]{1,2},' lab_session_get fwStateSessionStartTime "$tls_index"
check "TLS: fwStateSessionAge < 60" \
	expect_match ' = Gauge32: [0-5]?[0-9]( seconds)?$' lab_session_get fwStateSessionAge "$tls_index"
tls_id=$(lab_fw conntrack -L -p tcp --dport 5061 --orig-dst "$LAB_SBC_V4" -o id 2>/dev/null |
	sed -n "s/.* sport=$tls_port .* id=\([0-9]*\).*/\1/p" | head -n 1)
check "TLS: fwStateSessionConntrackId = ${tls_id:-?} (conntrack -L -o id)" \
	expect_match " = Gauge32: ${tls_id:-missing}\$" lab_session_get fwStateSessionConntrackId "$tls_index"
# snmpwalk decodes each address with the type just before it in the INDEX
check "TLS: by name, the row is ipv4.\"$LAB_PHONE_V4\".$tls_port.ipv4.\"$LAB_SBC_V4\".5061.0" \
	expect_match "^FWSTATE-MIB::fwStateSessionTcpState\\.ipv4\\.\"$(lab_re_escape "$LAB_PHONE_V4")\"\\.$tls_port\\.ipv4\\.\"$(lab_re_escape "$LAB_SBC_V4")\"\\.5061\\.0 = INTEGER: established\\(3\\)\$" \
	lab_snmpwalk FWSTATE-MIB::fwStateSessionTcpState

# --- the IPv6 row ------------------------------------------------------------------------
v6_line=$(ct_line "$LAB_SBC_V6")
lab_log "conntrack: $v6_line"
v6_nat_port=$(lab_session_ct_field "$v6_line" dport 2)
check "IPv6: fwStateSessionNatAddress = $LAB_FW_SBC_V6 (masquerade)" \
	expect_match " = Hex-STRING: $(lab_inet_hex "$LAB_FW_SBC_V6") ?\$" lab_session_get fwStateSessionNatAddress "$v6_index"
check "IPv6: fwStateSessionNatPort = $v6_nat_port" \
	expect_match " = Gauge32: ${v6_nat_port:-missing}\$" lab_session_get fwStateSessionNatPort "$v6_index"
check "IPv6: fwStateSessionRemainingTimeout > 0" \
	expect_match ' = Gauge32: [1-9][0-9]*( seconds)?$' lab_session_get fwStateSessionRemainingTimeout "$v6_index"
# Seen in dumps only (no events for a conntrack older than the agent with
# nf_conntrack_events=2): the highest remaining time a dump reported, a
# second or two below the armed 432000.
check "IPv6: fwStateSessionEffectiveTimeout 431900..432000 (stock established, seen by dump)" \
	expect_match ' = Gauge32: 43(19[0-9][0-9]|2000)( seconds)?$' lab_session_get fwStateSessionEffectiveTimeout "$v6_index"
check "IPv6: fwStateSessionTimeoutStatus = ok(1)" \
	expect_match ' = INTEGER: ok\(1\)$' lab_session_get fwStateSessionTimeoutStatus "$v6_index"

# --- only the two sessions -------------------------------------------------------------
state_walk() { lab_snmpwalk -On FWSTATE-MIB::fwStateSessionTcpState; }
state_rows() { state_walk | grep -c ' = INTEGER: ' || true; }
check "fwStateSessionTable has 2 rows" expect_eq 2 state_rows
check "no row for the port 443 session (phone port $https_port)" \
	expect_no_match "\\.$https_port\\.1\\.4\\.$(lab_re_escape "$LAB_SBC_V4")\\.443\\.0 = " state_walk
check "no row with server port 443" expect_no_match '\.443\.0 = ' state_walk
check "fwStateSessionsNow.0 = 2" lab_session_scalar_is fwStateSessionsNow 2
check "fwStateSessionKernelFilter.0 = true(1)" lab_session_scalar_is fwStateSessionKernelFilter true
events_sysctl=$(lab_fw sysctl -n net.netfilter.nf_conntrack_events)
check "fwStateConntrackEventsSetting.0 = $events_sysctl (net.netfilter.nf_conntrack_events in fw)" \
	lab_session_scalar_is fwStateConntrackEventsSetting "$events_sysctl"
check "fwStateSessionResyncs.0 >= 1 (the start-up dump)" \
	expect_match '^[1-9][0-9]*$' lab_session_scalar fwStateSessionResyncs
check "fwStateSessionEvents.0 > 0" expect_match '^[1-9][0-9]*$' lab_session_scalar fwStateSessionEvents
check "fwStateSessionTeardowns.0 = 0" lab_session_scalar_is fwStateSessionTeardowns 0

# --- fwStatePhoneTable ------------------------------------------------------------------
check "phone $LAB_PHONE_V4: fwStatePhoneSessions = 1" \
	expect_match ' = Gauge32: 1$' lab_phone_get fwStatePhoneSessions "$LAB_PHONE_V4"
check "phone $LAB_PHONE_V4: fwStatePhoneServerAddressType = ipv4(1)" \
	expect_match ' = INTEGER: ipv4\(1\)$' lab_phone_get fwStatePhoneServerAddressType "$LAB_PHONE_V4"
check "phone $LAB_PHONE_V4: fwStatePhoneServerAddress = $LAB_SBC_V4" \
	expect_match " = Hex-STRING: $(lab_inet_hex "$LAB_SBC_V4") ?\$" lab_phone_get fwStatePhoneServerAddress "$LAB_PHONE_V4"
check "phone $LAB_PHONE_V4: fwStatePhoneServerPort = 5061" \
	expect_match ' = Gauge32: 5061$' lab_phone_get fwStatePhoneServerPort "$LAB_PHONE_V4"
check "phone $LAB_PHONE_V4: fwStatePhoneSessionsSeen = 1" \
	expect_match ' = Counter32: 1$' lab_phone_get fwStatePhoneSessionsSeen "$LAB_PHONE_V4"
check "phone $LAB_PHONE_V4: fwStatePhoneTeardowns = 0" \
	expect_match ' = Counter32: 0$' lab_phone_get fwStatePhoneTeardowns "$LAB_PHONE_V4"
check "phone $LAB_PHONE_V4: fwStatePhoneLastTeardownCause = none(0)" \
	expect_match ' = INTEGER: none\(0\)$' lab_phone_get fwStatePhoneLastTeardownCause "$LAB_PHONE_V4"
check "phone $LAB_PHONE_V6: fwStatePhoneSessions = 1" \
	expect_match ' = Gauge32: 1$' lab_phone_get fwStatePhoneSessions "$LAB_PHONE_V6"
check "phone $LAB_PHONE_V6: fwStatePhoneServerAddress = $LAB_SBC_V6" \
	expect_match " = Hex-STRING: $(lab_inet_hex "$LAB_SBC_V6") ?\$" lab_phone_get fwStatePhoneServerAddress "$LAB_PHONE_V6"
phone_rows() { lab_snmpwalk -On FWSTATE-MIB::fwStatePhoneSessions | grep -c ' = Gauge32: ' || true; }
check "fwStatePhoneTable has 2 rows (the two phone addresses)" expect_eq 2 phone_rows
check "fwStateTeardownTable is empty" lab_session_rows_is fwStateTeardownCause 0

# --- GETBULK = GETNEXT -----------------------------------------------------------------
table_walk=$(lab_snmpwalk FWSTATE-MIB::fwStateSessionTable)
table_bulk=$(lab_snmpbulkwalk -Cr7 FWSTATE-MIB::fwStateSessionTable)
# Remaining timeout and age tick between the two walks: compare the rest.
steady() { grep -vE '^FWSTATE-MIB::fwStateSession(RemainingTimeout|Age)\.' <<<"$1"; }
bulk_cells() { grep -c '^FWSTATE-MIB::fwStateSession' <<<"$table_bulk" || true; }
check "snmpbulkwalk of fwStateSessionTable returns 2 x 16 cells" expect_eq 32 bulk_cells
check "snmpbulkwalk returns the same rows as snmpwalk" \
	diff <(steady "$table_walk") <(steady "$table_bulk")
phone_walk=$(lab_snmpwalk FWSTATE-MIB::fwStatePhoneTable)
phone_bulk=$(lab_snmpbulkwalk -Cr5 FWSTATE-MIB::fwStatePhoneTable)
check "snmpbulkwalk of fwStatePhoneTable equals snmpwalk" \
	diff <(printf '%s\n' "$phone_walk") <(printf '%s\n' "$phone_bulk")
check "snmpget of a session that does not exist: noSuchInstance" \
	expect_match 'No Such Instance' lab_session_get fwStateSessionTcpState "$(lab_session_index "$LAB_PHONE_V4" "$https_port" "$LAB_SBC_V4" 443)"
check "no session notification so far" \
	expect_eq 0 trap_count "snmpTrapOID\\.0 = OID: FWSTATE-MIB::fwStateSession"
check "agent still running" lab_agent_running

lab_summary
