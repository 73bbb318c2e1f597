#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A stock firewall namespace (close_wait 60, established 432000): the walk of
# FWSTATE-MIB through snmpd shows every conntrack timeout sysctl with the
# value the kernel has, close_wait below the 660 s threshold, established
# ok and the UDP timeouts not checked.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_init
lab_require_mibs
lab_require_agent
trap lab_down EXIT
lab_up
lab_agent_conf
lab_agent_start
check "agent answers through snmpd" lab_wait_ready
# The first poll has filled the table once the source table counts rows.
check "first poll done" eventually 10 \
	expect_match 'Gauge32: [1-9]' lab_snmpget FWSTATE-MIB::fwStateSourceTimeouts.sysctl

walk=$(lab_snmpwalk)
walk_out() { printf '%s\n' "$walk"; }
walk_count() { walk_out | grep -cE -- "$1" || true; }

check "walk: sysctl close_wait = 60" \
	expect_match "$(row_re fwStateTimeoutValue sysctl net.netfilter tcp close_wait 'Gauge32: 60( seconds)?')" walk_out
check "walk: sysctl close_wait is checked" \
	expect_match "$(row_re fwStateTimeoutChecked sysctl net.netfilter tcp close_wait 'INTEGER: true\(1\)')" walk_out
check "walk: sysctl close_wait is belowThreshold" \
	expect_match "$(row_re fwStateTimeoutStatus sysctl net.netfilter tcp close_wait 'INTEGER: belowThreshold\(2\)')" walk_out
check "walk: sysctl established = 432000" \
	expect_match "$(row_re fwStateTimeoutValue sysctl net.netfilter tcp established 'Gauge32: 432000( seconds)?')" walk_out
check "walk: sysctl established is checked and ok" \
	expect_match "$(row_re fwStateTimeoutStatus sysctl net.netfilter tcp established 'INTEGER: ok\(1\)')" walk_out
for state in unreplied replied; do
	check "walk: sysctl udp $state is not checked" \
		expect_match "$(row_re fwStateTimeoutChecked sysctl net.netfilter udp "$state" 'INTEGER: false\(2\)')" walk_out
	check "walk: sysctl udp $state status notChecked" \
		expect_match "$(row_re fwStateTimeoutStatus sysctl net.netfilter udp "$state" 'INTEGER: notChecked\(3\)')" walk_out
done
check "walk: no sysctl row is stale" \
	expect_no_match 'fwStateTimeoutStale\.sysctl\..* = INTEGER: true' walk_out
check "walk: only close_wait is belowThreshold" \
	expect_eq 1 walk_count 'fwStateTimeoutStatus.* = INTEGER: belowThreshold\(2\)'

# Every conntrack timeout sysctl of the namespace has a row with its value.
sysctl_state() {
	case $1 in
	nf_conntrack_tcp_timeout_max_retrans) echo "tcp retrans" ;;
	nf_conntrack_tcp_timeout_*) echo "tcp ${1#nf_conntrack_tcp_timeout_}" ;;
	nf_conntrack_udp_timeout) echo "udp unreplied" ;;
	nf_conntrack_udp_timeout_stream) echo "udp replied" ;;
	*) return 1 ;;
	esac
}
rows=0
for file in $(lab_fw sh -c 'ls /proc/sys/net/netfilter/ | grep -E "^nf_conntrack_(tcp|udp)_timeout"'); do
	read -r proto state < <(sysctl_state "$file") || continue
	value=$(lab_fw cat "/proc/sys/net/netfilter/$file")
	rows=$((rows + 1))
	check "walk: sysctl $proto $state = $value (as in net.netfilter.$file)" \
		expect_match "$(row_re fwStateTimeoutValue sysctl net.netfilter "$proto" "$state" "Gauge32: $value( seconds)?")" walk_out
done
check "walk: one sysctl row per conntrack tcp/udp timeout sysctl ($rows)" \
	expect_eq "$rows" walk_count '^FWSTATE-MIB::fwStateTimeoutValue\.sysctl\.'

check "walk: fwStateTimeoutsBelowThreshold.0 = 1" \
	expect_match '^FWSTATE-MIB::fwStateTimeoutsBelowThreshold\.0 = Gauge32: 1$' walk_out
check "walk: fwStateTimeoutThreshold.0 = 660" \
	expect_match '^FWSTATE-MIB::fwStateTimeoutThreshold\.0 = Gauge32: 660( seconds)?$' walk_out
check "walk: fwStateTimeoutPollInterval.0 = 1" \
	expect_match '^FWSTATE-MIB::fwStateTimeoutPollInterval\.0 = Gauge32: 1( seconds)?$' walk_out
check "walk: fwStateTimeoutLastCheck.0 is a date" \
	expect_match '^FWSTATE-MIB::fwStateTimeoutLastCheck\.0 = STRING: [0-9]{4}-[0-9]{1,2}-[0-9]{1,2},' walk_out
check "walk: no read errors" \
	expect_match '^FWSTATE-MIB::fwStateTimeoutReadErrors\.0 = Counter32: 0$' walk_out
check "walk: fwStateSourceStatus.sysctl = ok" \
	expect_match '^FWSTATE-MIB::fwStateSourceStatus\.sysctl = INTEGER: ok\(1\)$' walk_out
check "walk: fwStateSourceTimeouts.sysctl = $rows" \
	expect_match "^FWSTATE-MIB::fwStateSourceTimeouts\\.sysctl = Gauge32: $rows\$" walk_out
check "walk: fwStateSourceReadErrors.sysctl = 0" \
	expect_match '^FWSTATE-MIB::fwStateSourceReadErrors\.sysctl = Counter32: 0$' walk_out

# GETBULK returns the same table as GETNEXT.
table_walk=$(lab_snmpwalk FWSTATE-MIB::fwStateTimeoutTable)
table_bulk=$(lab_snmpbulkwalk -Cr7 FWSTATE-MIB::fwStateTimeoutTable)
check "snmpbulkwalk of fwStateTimeoutTable returns rows" \
	expect_match 'fwStateTimeoutValue\.sysctl' echo "$table_bulk"
check "snmpbulkwalk returns the same rows as snmpwalk" \
	diff <(printf '%s\n' "$table_walk") <(printf '%s\n' "$table_bulk")

# GET by the full index, by name and by number.
close_wait_oid=$(lab_row fwStateTimeoutValue sysctl net.netfilter tcp close_wait)
check "snmpget $close_wait_oid" \
	expect_match "$(row_re fwStateTimeoutValue sysctl net.netfilter tcp close_wait 'Gauge32: 60( seconds)?')" \
	lab_snmpget "$close_wait_oid"
numeric_oid=$(lab_row_numeric fwStateTimeoutValue sysctl net.netfilter tcp close_wait)
check "snmpget $numeric_oid" \
	expect_match ' = Gauge32: 60( seconds)?$' lab_snmpget "$numeric_oid"
check "snmpget of a state that does not exist: noSuchInstance" \
	expect_match 'No Such Instance' lab_snmpget "$(lab_row fwStateTimeoutValue sysctl net.netfilter tcp no_such_state)"
check "snmpgetnext from the close_wait row stays in the table" \
	expect_match '^FWSTATE-MIB::fwStateTimeoutValue\.' lab_snmp snmpgetnext "$close_wait_oid"

# snmpd also answers over IPv6 loopback.
snmpget_v6() { LAB_SNMP_PEER='udp6:[::1]:161' lab_snmpget "$@"; }
if lab_fw test -e /proc/sys/net/ipv6/conf/lo; then
	check "snmpget over udp6:[::1]:161" \
		expect_match 'Gauge32: 660' snmpget_v6 FWSTATE-MIB::fwStateTimeoutThreshold.0
fi

# The documented snmpd lines (packaging/snmpd-fwstate.conf): an SNMPv3 user
# that must authenticate and encrypt, and a view holding FWSTATE-MIB and the
# system group only.
snmpv3() {
	lab_fw snmpget -v3 -l authPriv -u "$LAB_SNMPV3_USER" -a SHA-256 -A "$LAB_SNMPV3_AUTH" \
		-x AES -X "$LAB_SNMPV3_PRIV" "${LAB_MIB_OPTS[@]}" -t 2 -r 1 "$LAB_SNMP_PEER" "$@"
}
check "SNMPv3 (authPriv) user of the snmpd lines reads FWSTATE-MIB" \
	expect_match 'fwStateTimeoutThreshold\.0 = Gauge32: 660' snmpv3 FWSTATE-MIB::fwStateTimeoutThreshold.0
check "SNMPv3 with a wrong passphrase is refused" \
	expect_status nonzero lab_fw snmpget -v3 -l authPriv -u "$LAB_SNMPV3_USER" -a SHA-256 -A wrong-passphrase \
	-x AES -X "$LAB_SNMPV3_PRIV" -t 1 -r 0 "$LAB_SNMP_PEER" .1.3.6.1.2.1.1.3.0
check "the view holds sysUpTime (the MIB's TimeStamps count from it)" \
	expect_match 'sysUpTime\.0 = Timeticks' lab_snmpget SNMPv2-MIB::sysUpTime.0
check "the view holds sysORTable, where the agent registered FWSTATE-MIB" \
	expect_match 'sysORDescr\.[0-9]+ = STRING: FWSTATE-MIB: ' lab_snmpwalk SNMPv2-MIB::sysORDescr
check "... naming fwStateCompliance5" \
	expect_match 'sysORID\.[0-9]+ = OID: FWSTATE-MIB::fwStateCompliance5$' lab_snmpwalk SNMPv2-MIB::sysORID
check "the view hides the rest of snmpd's tree (IF-MIB)" \
	expect_match 'No Such Object|No more variables' lab_snmpget .1.3.6.1.2.1.2.1.0

lab_summary
