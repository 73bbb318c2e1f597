#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Timeout policies beside the sysctls: an nftables ct timeout object that a
# rule attaches to SIP-over-TLS (TCP 5061) and an nfnetlink cttimeout policy.
# Each gets rows, raises an alarm for its short established timeout and
# clears it with reason sourceRemoved when it is deleted.
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
check "start-up alarm for sysctl close_wait" wait_for_trap "$(trap_re "$LAB_TRAP_BELOW" net.netfilter close_wait)" 15

table_walk() { lab_snmpwalk FWSTATE-MIB::fwStateTimeoutTable; }

# --- nftables ct timeout object --------------------------------------------------
nft_name="inet filter siptls"
check "nft: add table inet filter with ct timeout siptls" lab_nft_siptls 300 660

nft_below_re=$(trap_re "$LAB_TRAP_BELOW" "$nft_name" established)
check "nft: fwStateTimeoutBelowThreshold for \"$nft_name\" established" wait_for_trap "$nft_below_re" 15
nft_trap() { trap_lines "$nft_below_re" | head -n 1; }
check "nft raise varbind: source kind nft" expect_match 'fwStateNotifySourceKind(\.0)? = INTEGER: nft\(3\)' nft_trap
check "nft raise varbind: source name \"$nft_name\"" expect_match 'fwStateNotifySourceName(\.0)? = STRING: "?inet filter siptls"?( |$)' nft_trap
check "nft raise varbind: protocol tcp" expect_match 'fwStateNotifyProtocol(\.0)? = INTEGER: tcp\(6\)' nft_trap
check "nft raise varbind: value 300" expect_match 'fwStateNotifyTimeoutValue(\.0)? = Gauge32: 300( seconds)?( |$)' nft_trap
check "nft raise varbind: threshold 660" expect_match 'fwStateTimeoutThreshold(\.0)? = Gauge32: 660( seconds)?( |$)' nft_trap
check "nft: no alarm for close_wait 660 in the object" \
	expect_eq 0 trap_count "$(trap_re "$LAB_TRAP_BELOW" "$nft_name" close_wait)"

check "walk: nft established = 300" eventually 5 expect_match \
	"$(row_re fwStateTimeoutValue nft "$nft_name" tcp established 'Gauge32: 300( seconds)?')" table_walk
check "walk: nft established belowThreshold" expect_match \
	"$(row_re fwStateTimeoutStatus nft "$nft_name" tcp established 'INTEGER: belowThreshold\(2\)')" table_walk
check "walk: nft close_wait = 660" expect_match \
	"$(row_re fwStateTimeoutValue nft "$nft_name" tcp close_wait 'Gauge32: 660( seconds)?')" table_walk
check "walk: nft close_wait ok" expect_match \
	"$(row_re fwStateTimeoutStatus nft "$nft_name" tcp close_wait 'INTEGER: ok\(1\)')" table_walk
check "snmpget by the nft index" expect_match \
	"$(row_re fwStateTimeoutValue nft "$nft_name" tcp established 'Gauge32: 300( seconds)?')" \
	lab_snmpget "$(lab_row fwStateTimeoutValue nft "$nft_name" tcp established)"
check "fwStateSourceStatus.nft = ok" expect_match 'INTEGER: ok\(1\)$' lab_snmpget FWSTATE-MIB::fwStateSourceStatus.nft
check "fwStateSourceTimeouts.nft counts the object's rows" expect_match 'Gauge32: [1-9][0-9]*$' \
	lab_snmpget FWSTATE-MIB::fwStateSourceTimeouts.nft
check "fwStateTimeoutsBelowThreshold.0 = 2 (sysctl close_wait, nft established)" \
	expect_match 'Gauge32: 2$' lab_snmpget FWSTATE-MIB::fwStateTimeoutsBelowThreshold.0

# The lab really sends the phone's SIP-over-TLS connection through that policy.
lab_sip_tls_start
check "phone's TLS connection to the SBC port 5061 gets the siptls timeout (<= 300 s)" \
	lab_sip_tls_tracked 300

lab_fw nft delete table inet filter
nft_cleared_re=$(trap_re "$LAB_TRAP_CLEARED" "$nft_name" established)
check "nft table deleted: fwStateTimeoutCleared for \"$nft_name\" established" wait_for_trap "$nft_cleared_re" 15
nft_cleared() { trap_lines "$nft_cleared_re" | head -n 1; }
check "nft clear varbind: reason sourceRemoved" expect_match 'fwStateNotifyClearReason(\.0)? = INTEGER: sourceRemoved\(2\)' nft_cleared
check "nft clear varbind: source kind nft" expect_match 'fwStateNotifySourceKind(\.0)? = INTEGER: nft\(3\)' nft_cleared
check "walk: the nft rows are gone" eventually 5 expect_no_match '\.nft\.' table_walk
check "walk: the sysctl rows are still there" expect_match \
	"$(row_re fwStateTimeoutValue sysctl net.netfilter tcp close_wait 'Gauge32: 60( seconds)?')" table_walk
nft_counts() { echo "raised $(trap_count "$nft_below_re"), cleared $(trap_count "$nft_cleared_re")"; }
check "nft: the alarm was raised once and cleared once" expect_eq "raised 1, cleared 1" nft_counts

# --- nfnetlink cttimeout policy -------------------------------------------------
check "nfct add timeout sippolicy inet tcp established 100" \
	lab_fw nfct add timeout sippolicy inet tcp established 100
ct_below_re=$(trap_re "$LAB_TRAP_BELOW" sippolicy established)
check "cttimeout: fwStateTimeoutBelowThreshold for sippolicy established" wait_for_trap "$ct_below_re" 15
ct_trap() { trap_lines "$ct_below_re" | head -n 1; }
check "cttimeout raise varbind: source kind cttimeout" expect_match 'fwStateNotifySourceKind(\.0)? = INTEGER: cttimeout\(2\)' ct_trap
check "cttimeout raise varbind: value 100" expect_match 'fwStateNotifyTimeoutValue(\.0)? = Gauge32: 100( seconds)?( |$)' ct_trap
check "walk: cttimeout sippolicy established = 100" eventually 5 expect_match \
	"$(row_re fwStateTimeoutValue cttimeout sippolicy tcp established 'Gauge32: 100( seconds)?')" table_walk
check "walk: cttimeout sippolicy established belowThreshold" expect_match \
	"$(row_re fwStateTimeoutStatus cttimeout sippolicy tcp established 'INTEGER: belowThreshold\(2\)')" table_walk
# The policy's other states carry the kernel's defaults; the rows agree with nfct.
ct_close_wait=$(lab_fw nfct list timeout | sed -n 's/^[[:space:]]*\.CLOSE_WAIT = \([0-9]*\),$/\1/p' | head -n 1)
check "walk: cttimeout sippolicy close_wait = ${ct_close_wait:-?} as nfct lists it" expect_match \
	"$(row_re fwStateTimeoutValue cttimeout sippolicy tcp close_wait "Gauge32: ${ct_close_wait:-missing}( seconds)?")" table_walk
check "fwStateSourceStatus.cttimeout = ok" expect_match 'INTEGER: ok\(1\)$' lab_snmpget FWSTATE-MIB::fwStateSourceStatus.cttimeout

check "nfct delete timeout sippolicy" lab_fw nfct delete timeout sippolicy
ct_cleared_re=$(trap_re "$LAB_TRAP_CLEARED" sippolicy established)
check "cttimeout deleted: fwStateTimeoutCleared for sippolicy established" wait_for_trap "$ct_cleared_re" 15
ct_cleared() { trap_lines "$ct_cleared_re" | head -n 1; }
check "cttimeout clear varbind: reason sourceRemoved" expect_match 'fwStateNotifyClearReason(\.0)? = INTEGER: sourceRemoved\(2\)' ct_cleared
check "walk: the cttimeout rows are gone" eventually 5 expect_no_match '\.cttimeout\.' table_walk
check "agent still running" lab_agent_running

lab_summary
