#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The close_wait alarm through snmpd to snmptrapd: raised once at start-up
# for the stock 60 s, cleared when the sysctl is raised to 660, raised again
# when it drops back to 60, never repeated while nothing changes.
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

below_re=$(trap_re "$LAB_TRAP_BELOW" net.netfilter close_wait)
cleared_re=$(trap_re "$LAB_TRAP_CLEARED" net.netfilter close_wait)
any_below_re="snmpTrapOID\\.0 = OID: $LAB_TRAP_BELOW( |$)"
any_cleared_re="snmpTrapOID\\.0 = OID: $LAB_TRAP_CLEARED( |$)"
close_wait_status() {
	lab_snmpget "$(lab_row fwStateTimeoutStatus sysctl net.netfilter tcp close_wait)"
}
below_now() {
	lab_snmpget FWSTATE-MIB::fwStateTimeoutsBelowThreshold.0
}

# --- start-up: close_wait 60 < 660 -------------------------------------------
check "start-up: fwStateTimeoutBelowThreshold for sysctl close_wait" wait_for_trap "$below_re" 15
below_trap() { trap_lines "$below_re" | head -n 1; }
check "raise varbind: source kind sysctl" expect_match 'fwStateNotifySourceKind(\.0)? = INTEGER: sysctl\(1\)' below_trap
check "raise varbind: source name net.netfilter" expect_match 'fwStateNotifySourceName(\.0)? = STRING: "?net\.netfilter"?( |$)' below_trap
check "raise varbind: protocol tcp" expect_match 'fwStateNotifyProtocol(\.0)? = INTEGER: tcp\(6\)' below_trap
check "raise varbind: state close_wait" expect_match 'fwStateNotifyState(\.0)? = STRING: "?close_wait"?( |$)' below_trap
check "raise varbind: value 60" expect_match 'fwStateNotifyTimeoutValue(\.0)? = Gauge32: 60( seconds)?( |$)' below_trap
check "raise varbind: threshold 660" expect_match 'fwStateTimeoutThreshold(\.0)? = Gauge32: 660( seconds)?( |$)' below_trap
check "raise varbinds in MIB order" expect_match \
	'fwStateNotifySourceKind.*fwStateNotifySourceName.*fwStateNotifyProtocol.*fwStateNotifyState.*fwStateNotifyTimeoutValue.*fwStateTimeoutThreshold' \
	below_trap

check "the agent polls on: four more polls" lab_wait_polls 4
check "start-up raise arrived once" expect_eq 1 trap_count "$below_re"
check "no alarm for the other timeouts (established 432000 is fine)" expect_eq 1 trap_count "$any_below_re"
check "no clear yet" expect_eq 0 trap_count "$any_cleared_re"

# --- close_wait raised to 660 --------------------------------------------------
lab_fw sysctl -qw "$LAB_SYSCTL_CLOSE_WAIT=660"
check "close_wait=660: fwStateTimeoutCleared for sysctl close_wait" wait_for_trap "$cleared_re" 15
cleared_trap() { trap_lines "$cleared_re" | head -n 1; }
check "clear varbind: reason atOrAboveThreshold" expect_match 'fwStateNotifyClearReason(\.0)? = INTEGER: atOrAboveThreshold\(1\)' cleared_trap
check "clear varbind: source kind sysctl" expect_match 'fwStateNotifySourceKind(\.0)? = INTEGER: sysctl\(1\)' cleared_trap
check "clear varbind: protocol tcp" expect_match 'fwStateNotifyProtocol(\.0)? = INTEGER: tcp\(6\)' cleared_trap
check "clear varbind: value 660" expect_match 'fwStateNotifyTimeoutValue(\.0)? = Gauge32: 660( seconds)?( |$)' cleared_trap
check "clear varbind: threshold 660" expect_match 'fwStateTimeoutThreshold(\.0)? = Gauge32: 660( seconds)?( |$)' cleared_trap
check "walk: close_wait = 660, status ok" eventually 5 \
	expect_match "$(row_re fwStateTimeoutStatus sysctl net.netfilter tcp close_wait 'INTEGER: ok\(1\)')" close_wait_status
check "walk: close_wait value 660" expect_match \
	"$(row_re fwStateTimeoutValue sysctl net.netfilter tcp close_wait 'Gauge32: 660( seconds)?')" \
	lab_snmpwalk FWSTATE-MIB::fwStateTimeoutValue
check "fwStateTimeoutsBelowThreshold.0 = 0" expect_match 'Gauge32: 0$' below_now

# --- close_wait back to 60 ------------------------------------------------------
lab_fw sysctl -qw "$LAB_SYSCTL_CLOSE_WAIT=60"
check "close_wait=60: fwStateTimeoutBelowThreshold again" wait_for_trap "$below_re" 15 2
check "walk: close_wait belowThreshold again" eventually 5 \
	expect_match "$(row_re fwStateTimeoutStatus sysctl net.netfilter tcp close_wait 'INTEGER: belowThreshold\(2\)')" close_wait_status
check "fwStateTimeoutsBelowThreshold.0 = 1" expect_match 'Gauge32: 1$' below_now

check "the agent polls on: five more polls" lab_wait_polls 5
check "no repeated raise: 2 fwStateTimeoutBelowThreshold in all" expect_eq 2 trap_count "$any_below_re"
check "no repeated clear: 1 fwStateTimeoutCleared in all" expect_eq 1 trap_count "$any_cleared_re"
check "agent still running" lab_agent_running

lab_summary
