#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The agent on its own, as SNMP master agent (--master), for hosts without
# snmpd: it answers SNMP on the address given, with access and trap
# destinations from its own configuration file.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_init
lab_require_mibs
lab_require_agent
trap lab_down EXIT
lab_netns_up
lab_trapd_start # no snmpd in this lab

lab_agent_conf "rocommunity public 127.0.0.1" "trap2sink 127.0.0.1:162 public"
LAB_SNMP_PEER=udp:127.0.0.1:11161
lab_agent_start --master "$LAB_SNMP_PEER"
check "agent answers on $LAB_SNMP_PEER" lab_wait_ready
check "no snmpd: nothing listens on port 161" expect_eq "" lab_fw ss -Huln "sport = :161"

table_walk() { lab_snmpwalk FWSTATE-MIB::fwStateTimeoutTable; }
check "walk: sysctl close_wait = 60" eventually 5 expect_match \
	"$(row_re fwStateTimeoutValue sysctl net.netfilter tcp close_wait 'Gauge32: 60( seconds)?')" table_walk
check "walk: sysctl close_wait belowThreshold" expect_match \
	"$(row_re fwStateTimeoutStatus sysctl net.netfilter tcp close_wait 'INTEGER: belowThreshold\(2\)')" table_walk
check "walk: sysctl established ok" expect_match \
	"$(row_re fwStateTimeoutStatus sysctl net.netfilter tcp established 'INTEGER: ok\(1\)')" table_walk
check "snmpbulkwalk of FWSTATE-MIB works too" expect_match \
	'^FWSTATE-MIB::fwStateTimeoutThreshold\.0 = Gauge32: 660( seconds)?$' lab_snmpbulkwalk
# Only the configured community gets an answer (snmpget then times out).
get_private() {
	! lab_fw snmpget -v2c -c private -t 1 -r 0 "${LAB_MIB_OPTS[@]}" "$LAB_SNMP_PEER" \
		FWSTATE-MIB::fwStateTimeoutThreshold.0
}
check "other communities get no answer" expect_match 'Timeout' get_private

below_re=$(trap_re "$LAB_TRAP_BELOW" net.netfilter close_wait)
check "start-up alarm for close_wait arrives from the agent itself" wait_for_trap "$below_re" 15
check "alarm varbind: value 60" expect_match 'fwStateNotifyTimeoutValue(\.0)? = Gauge32: 60( seconds)?( |$)' \
	trap_lines "$below_re"
check "the agent polls on: three more polls" lab_wait_polls 3
check "the start-up alarm arrived once" expect_eq 1 trap_count "$below_re"

# Reloads must not run Net-SNMP's own directives again: each would add one more
# trap2sink, and every notification would then arrive once per reload.
lab_agent_signal HUP
sleep 0.5
lab_agent_signal HUP
sleep 0.5
printf '%s\n' "timeoutThreshold 30" >>"$LAB_AGENT_CONF"
lab_agent_signal HUP
cleared_re=$(trap_re "$LAB_TRAP_CLEARED" net.netfilter close_wait)
check "after three reloads: fwStateTimeoutCleared arrives" wait_for_trap "$cleared_re" 10
check "the agent polls on: two more polls" lab_wait_polls 2
check "after three reloads: it arrives once, from one trap sink" expect_eq 1 trap_count "$cleared_re"
check "the reload is logged" expect_match 'configuration reloaded' cat "$LAB_AGENT_LOG"

rc=0
lab_agent_stop || rc=$?
check "SIGTERM: agent exits with status 0 within 5 s" expect_eq 0 echo "$rc"

lab_summary
