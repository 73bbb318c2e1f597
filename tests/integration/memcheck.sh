#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The agent under valgrind memcheck through a lab scenario that touches every
# part: start-up dump, phone sessions through the firewall, walks of every
# table, resets with storm control holding notifications back, reconcile
# dumps, a reload, foreign churn, and the shutdown. memcheck must report no
# error and nothing definitely lost (--error-exitcode makes the agent's exit
# status say so, and the log is checked too).
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_session_lab "$LAB_SBC_V4,5061"
command -v valgrind >/dev/null 2>&1 || lab_die "'valgrind' not found: run scripts/setup.sh first"
CT_INSERT=${FWSTATE_CT_INSERT:-$LAB_SOURCE_DIR/build/bench/ct_insert}
[[ -x $CT_INSERT ]] || lab_die "'$CT_INSERT' not found: build first (scripts/build.sh) or set FWSTATE_CT_INSERT"

MEMCHECK_LOG=$LAB_RUN/memcheck.log
LAB_AGENT_PREFIX=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite
	--error-exitcode=99 --log-file="$MEMCHECK_LOG")
LAB_AGENT_STOP_WAIT=30
lab_agent_conf "reconcileInterval 2" "teardownNotifyLimit 2" "teardownNotifyInterval 2"
lab_agent_start
check "agent under memcheck answers through snmpd" lab_wait_ready 60

phone=$LAB_PHONE_V4
scalar() { lab_session_scalar "$1"; }
lab_session_client a "$LAB_SBC_V4" 5061 6
check "phone: 6 sessions" lab_session_connected a
check "all 6 tracked" eventually 20 expect_eq 6 scalar fwStateSessionsNow
for table in fwStateTimeoutTable fwStateSourceTable fwStateSessionTable fwStatePhoneTable; do
	check "walk of $table" expect_match "FWSTATE-MIB::" lab_snmpwalk "FWSTATE-MIB::$table"
done
resyncs=$(scalar fwStateSessionResyncs)
lab_session_do a send RST
check "the 6 resets are recorded" eventually 20 expect_eq 6 \
	lab_snmpget -Oqv "$(lab_phone_oid fwStatePhoneResets "$phone")"
check "storm control held some back and summed them up" wait_for_trap "snmpTrapOID\\.0 = OID: $LAB_TRAP_HELD" 20
check "walk of fwStateTeardownTable" expect_match "reset\\(1\\)" lab_snmpwalk FWSTATE-MIB::fwStateTeardownCause
reconciled() { (($(scalar fwStateSessionResyncs) >= resyncs + 2)); }
check "reconcile dumps ran" eventually 20 reconciled
lab_agent_conf "reconcileInterval 2" "teardownNotifyLimit 5" "sipPort 5061" "sipPort 5062"
lab_agent_signal HUP
check "SIGHUP: the configuration is reloaded" eventually 20 grep -F "configuration reloaded" "$LAB_AGENT_LOG"
check "foreign churn in the firewall's namespace" lab_fw "$CT_INSERT" -D -n 1000 -p 443 -f 4 -s 2
check "the agent still answers" lab_wait_ready 20
rc=0
lab_agent_stop || rc=$?
check "SIGTERM: exit status 0 (memcheck found nothing: else 99)" test "$rc" -eq 0
memcheck_clean() {
	cat "$MEMCHECK_LOG"
	! grep -Eq "are definitely lost|definitely lost: [1-9]|Invalid (read|write|free)|uninitialised|ERROR SUMMARY: [1-9]" "$MEMCHECK_LOG"
}
check "memcheck: no error, nothing definitely lost" memcheck_clean

lab_summary
