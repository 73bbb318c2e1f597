#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The agent without CAP_NET_ADMIN: cttimeout policies, nft objects and
# conntrack sessions cannot be read. It must still start, publish the sysctl
# timeouts it can read, say per source what failed and why, raise the sysctl
# alarm, and log clearly why session tracking is unavailable. Nothing crashes.
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
# A cttimeout policy exists, but the agent may not read it.
lab_fw nfct add timeout sippolicy inet tcp established 100
# Root without any capability: the same user, none of the privileges.
lab_spawn fwstate-agent "$LAB_NS_FW" setpriv --inh-caps=-all --bounding-set=-all \
	"$LAB_AGENT" -f -C -c "$LAB_AGENT_CONF" -Lf "$LAB_AGENT_LOG" -x "$LAB_AGENTX_SOCK"
LAB_AGENT_PID=$LAB_SPAWNED

check "agent answers through snmpd" lab_wait_ready
check "sysctl source is read" eventually 10 \
	expect_match 'INTEGER: ok\(1\)$' lab_snmpget FWSTATE-MIB::fwStateSourceStatus.sysctl
check "sysctl close_wait row is there and below the threshold" eventually 5 \
	expect_match 'INTEGER: belowThreshold\(2\)$' \
	lab_snmpget 'FWSTATE-MIB::fwStateTimeoutStatus.sysctl."net.netfilter".tcp."close_wait"'
check "cttimeout source: readFailed" \
	expect_match 'INTEGER: readFailed\(2\)$' lab_snmpget FWSTATE-MIB::fwStateSourceStatus.cttimeout
check "cttimeout source: the error says why" \
	expect_match 'STRING: .*Operation not permitted' \
	lab_snmpget FWSTATE-MIB::fwStateSourceLastError.cttimeout
check "nft source: readFailed" \
	expect_match 'INTEGER: readFailed\(2\)$' lab_snmpget FWSTATE-MIB::fwStateSourceStatus.nft
check "read errors are counted" \
	expect_match 'Counter32: [1-9]' lab_snmpget FWSTATE-MIB::fwStateTimeoutReadErrors.0
check "no cttimeout row was made up" \
	expect_no_match 'sippolicy' lab_snmpwalk FWSTATE-MIB::fwStateTimeoutTable
agent_log() { cat "$LAB_AGENT_LOG"; }
check "the log says why session tracking is unavailable" \
	expect_match 'session tracking unavailable: .*(not permitted|permission)' agent_log
check "the log names the failing timeout source" \
	expect_match 'cttimeout.*Operation not permitted' agent_log
check "the start-up alarm for close_wait still arrives" \
	wait_for_trap "$(trap_re "$LAB_TRAP_BELOW" net.netfilter close_wait)" 10
check "agent still running" lab_agent_running
rc=0
lab_agent_stop || rc=$?
check "SIGTERM: exits with status 0" expect_eq 0 echo "$rc"
lab_summary
