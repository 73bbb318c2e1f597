#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# SNMP requests with malformed indexes, for a column of every table, through
# snmpd: truncated, oversized, a wrong or unknown address type, an IPv4 or
# IPv6 address of the wrong length, an address length past the OID's end,
# sub-identifiers of 2^32-1, a string length larger than the OID. A GET is
# answered noSuchInstance; a GETNEXT from there returns the first real cell
# after it in OID order (computed from a walk of the column), or the next
# column. The agent keeps answering throughout.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_session_lab "$LAB_SBC_V4,5061" "$LAB_SBC_V6,5061"
lab_agent_conf
lab_agent_start
check "agent answers through snmpd" lab_wait_ready

lab_session_client v4 "$LAB_SBC_V4" 5061 2
check "phone: 2 IPv4 sessions" lab_session_connected v4
lab_session_client v6 "$LAB_SBC_V6" 5061
check "phone: 1 IPv6 session" lab_session_connected v6
check "3 sessions tracked" eventually 10 lab_session_scalar_is fwStateSessionsNow 3
lab_session_do v4 send RST
check "2 teardowns recorded" eventually 10 lab_session_scalar_is fwStateSessionTeardowns 2

# raw TOOL OID: a Net-SNMP tool without MIBs, so that it sends any OID as
# given (with the MIB loaded it refuses indexes out of the MIB's ranges).
raw() { lab_fw "$1" -v2c -c public -t 2 -r 1 -m "" -On "$LAB_SNMP_PEER" "$2"; }

# next_after COLUMN_OID QUERY_OID: the first OID of the column's walk that
# sorts after QUERY_OID, or "past" when none does.
next_after() {
	lab_fw snmpwalk -v2c -c public -t 2 -r 1 -m "" -On -Oq "$LAB_SNMP_PEER" "$1" | awk '{ print $1 }' | python3 -c '
import sys
key = lambda o: [int(x) for x in o.strip(".").split(".")]
query = key(sys.argv[1])
after = sorted((key(o), o) for o in sys.stdin.read().split() if key(o) > query)
print(after[0][1] if after else "past")' "$2"
}

# malformed COLUMN SUFFIX...: each SUFFIX appended to the column's OID.
malformed() {
	local column=$1 col_oid suffix oid want got
	shift
	col_oid=$(lab_column "$column")
	for suffix in "$@"; do
		oid=$col_oid.$suffix
		check "GET $column.$suffix: noSuchInstance" \
			expect_match 'No Such Instance' raw snmpget "$oid"
		want=$(next_after "$col_oid" "$oid")
		got=$(raw snmpgetnext "$oid" | awk '{ print $1 }') || got=
		if [[ $want == past ]]; then
			# the next cell lies past this column
			check "GETNEXT $column.$suffix: an answer beyond the column ($got)" eval \
				"[[ -n '$got' && '$got' != $(printf %q "$col_oid").* ]]"
		else
			check "GETNEXT $column.$suffix: the next real cell, $want" expect_eq "$want" echo "$got"
		fi
	done
}

big=4294967295
# fwStateTimeoutTable: source kind, source name (length-prefixed), protocol, state
malformed fwStateTimeoutValue \
	1 "1.13" "1.13.110.101.116" "1.13.110.101.116.46.110.101.116.102.105.108.116.101.114.6.3" \
	"$big" "0.0.0.0" "1.200.1.2" "1.13.110.101.116.46.110.101.116.102.105.108.116.101.114.6.10.99.108.111.115.101.95.119.97.105.116.1" \
	"4.1.97.6.1.98" "1.$big.1"
# fwStateSourceTable: the source kind
malformed fwStateSourceStatus 0 4 "1.1" "$big"
# fwStateSessionTable: phone type+address+port, server type+address+port, zone
malformed fwStateSessionTcpState \
	1 "1.4.192.0.2" "1.4.192.0.2.10" "1.4.192.0.2.10.40000" \
	"1.4.192.0.2.10.40000.1.4.198.51.100.10.5061.0.7" \
	"3.4.192.0.2.10.40000.1.4.198.51.100.10.5061.0" \
	"1.16.192.0.2.10.40000.1.4.198.51.100.10.5061.0" \
	"2.5.32.1.13.184.0.40000.2.16.32.1.13.184.0.2.0.0.0.0.0.0.0.0.0.16.5061.0" \
	"1.4.192.0.2.10.40000.2.4.198.51.100.10.5061.0" \
	"1.4.192.0.2.10.$big.1.4.198.51.100.10.5061.0" \
	"1.4.192.0.2.300.40000.1.4.198.51.100.10.5061.0" \
	"1.$big" "2.200.1"
# fwStatePhoneTable: address type, address
malformed fwStatePhoneSessions 1 "1.4.192.0.2" "1.4.192.0.2.10.5" "1.16.192.0.2.10" \
	"2.4.192.0.2.10" "2.5.32.1.13.184.0" "16.4.192.0.2.10" "1.$big" "0"
# fwStateTeardownTable: the record number
malformed fwStateTeardownCause 0 "1.1" "$big" "999999"

check "the agent still answers" lab_wait_ready
check "still 1 session and 2 teardowns" eval \
	'lab_session_scalar_is fwStateSessionsNow 1 && lab_session_scalar_is fwStateSessionTeardowns 2'
check "agent still running" lab_agent_running

lab_summary
