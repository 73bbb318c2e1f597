#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# scripts/demo.sh (as root): install dependencies, build, then show
# fwstate-agent at work on a throw-away lab of three network namespaces
# (phone - firewall - SIP server) with a real snmpd and snmptrapd:
# the MIB walk, fwstate-agent --check, the alarm for the stock close_wait
# timeout, clearing it, raising it again, an nftables timeout policy for SIP
# over TLS, the phone's session with its effective timeout, and its teardown
# by a conntrack flush.
# Everything is removed again at the end. Takes about a minute.
# FWSTATE_BUILD_DIR picks the build directory (default: build).
# shellcheck disable=SC2119
set -euo pipefail

cd "$(dirname "$0")/.."
build_dir=${FWSTATE_BUILD_DIR:-build}
bash scripts/setup.sh
echo "Building fwstate in $build_dir ..."
bash scripts/build.sh "$build_dir" >/dev/null
export FWSTATE_SOURCE_DIR=$PWD
export FWSTATE_AGENT=$PWD/$build_dir/fwstate-agent

# shellcheck source=scripts/lab-lib.sh
source scripts/lab-lib.sh

step=0
heading() {
	step=$((step + 1))
	printf '\n=== %d. %s\n\n' "$step" "$*"
}

# Print a command as an admin would type it on the firewall, then run it there.
on_fw() {
	printf 'firewall# %s\n' "$*"
	lab_fw "$@"
}

# The lab_snmp wrappers, echoing the command (MIB path options left out).
show_snmp() {
	local tool=$1
	shift
	printf 'firewall# %s -v2c -c public %s %s\n' "$tool" "${LAB_SNMP_PEER#udp:}" "$*"
	"lab_$tool" "$@"
}

# One notification from the trap log, one varbind per line (without the
# source address and sysUpTime, the first two fields).
show_trap() {
	local line=$1 fields field
	printf 'snmptrapd received at %s:\n' "${line%% TRAP *}"
	mapfile -t fields <<<"${line// | /$'\n'}"
	for field in "${fields[@]:2}"; do
		printf '    %s\n' "$field"
	done
}

# expect_trap WHAT REGEX [COUNT]: wait (bounded) for a notification, show it.
expect_trap() {
	local what=$1 re=$2 count=${3:-1}
	if ! wait_for_trap "$re" 15 "$count" >/dev/null; then
		printf 'FAILED: %s did not arrive within 15 s\n' "$what" >&2
		exit 1
	fi
	show_trap "$(trap_lines "$re" | tail -n 1)"
}

lab_init
trap lab_down EXIT

heading "Lab: SIP phone $LAB_PHONE_V4 -> firewall -> SIP server (SBC) $LAB_SBC_V4, in namespaces $LAB_PREFIX-*"
lab_up
echo "snmpd (AgentX master), snmptrapd and fwstate-agent run in the firewall namespace ($LAB_NS_FW)."
echo "Files: $LAB_RUN"
lab_agent_conf
printf 'fwstate-agent configuration (%s):\n' "$LAB_AGENT_CONF"
sed 's/^/    /' "$LAB_AGENT_CONF"
echo "    (threshold: the default, 660 s; checked: TCP established and close_wait)"
lab_agent_start
lab_wait_ready || {
	echo "FAILED: fwstate-agent did not answer through snmpd" >&2
	exit 1
}

heading "What the firewall reports: its conntrack timeouts (FWSTATE-MIB)"
on_fw sysctl "$LAB_SYSCTL_CLOSE_WAIT" net.netfilter.nf_conntrack_tcp_timeout_established
echo
show_snmp snmpwalk "$LAB_ROOT"

below_re=$(trap_re "$LAB_TRAP_BELOW" net.netfilter close_wait)
cleared_re=$(trap_re "$LAB_TRAP_CLEARED" net.netfilter close_wait)
if [[ $LAB_NUMERIC -ne 0 ]]; then
	below_re="= OID: $(lab_re_escape "$LAB_TRAP_BELOW")( |\$)"
	cleared_re="= OID: $(lab_re_escape "$LAB_TRAP_CLEARED")( |\$)"
fi

# --check in the firewall, with the agent's configuration; shows its exit status.
show_check() {
	local rc=0
	printf 'firewall# fwstate-agent --check\n'
	lab_fw "$LAB_AGENT" --check -C -c "$LAB_AGENT_CONF" 2>/dev/null || rc=$?
	printf 'firewall# echo $?\n%d\n' "$rc"
}

heading "One look without an NMS: fwstate-agent --check says what is wrong and how to fix it"
show_check

heading "Alarm at start-up: the stock close_wait timeout (60 s) is below 660 s"
echo "The firewall forgets a SIP-over-TLS phone's connection 60 s after it enters close_wait: \"Line Unregistered\"."
expect_trap "fwStateTimeoutBelowThreshold for close_wait" "$below_re"

heading "Fix: raise close_wait to 660 s - the alarm clears"
on_fw sysctl -w "$LAB_SYSCTL_CLOSE_WAIT=660"
expect_trap "fwStateTimeoutCleared for close_wait" "$cleared_re"
echo
show_check

heading "Regression: close_wait back to 60 s - the alarm is raised again"
on_fw sysctl -w "$LAB_SYSCTL_CLOSE_WAIT=60"
expect_trap "a second fwStateTimeoutBelowThreshold for close_wait" "$below_re" 2

heading "An nftables timeout policy for SIP over TLS (TCP 5061) with established = 300 s"
lab_nft_siptls 300 660
printf 'firewall# cat siptls.nft\n'
cat "$LAB_RUN/siptls.nft"
printf 'firewall# nft -f siptls.nft\n\n'
lab_sip_tls_start
echo "The phone opens a TLS connection to the SBC on port 5061; the firewall tracks it with the siptls timeouts:"
if ! lab_poll 10 lab_sip_tls_conntrack; then
	echo "FAILED: no tracked TLS connection from the phone in $LAB_NS_FW" >&2
	exit 1
fi
printf 'firewall# conntrack -L -p tcp --dport 5061\n'
lab_sip_tls_conntrack
echo
nft_name="inet filter siptls"
nft_below_re=$(trap_re "$LAB_TRAP_BELOW" "$nft_name" established)
[[ $LAB_NUMERIC -eq 0 ]] || nft_below_re=$below_re
expect_trap "fwStateTimeoutBelowThreshold for the nft policy" "$nft_below_re" "$([[ $LAB_NUMERIC -eq 0 ]] && echo 1 || echo 3)"
echo
nft_row=$(lab_row fwStateTimeoutValue nft "$nft_name" tcp established)
nft_row_is_300() { [[ $(lab_snmpget -Oqv "$nft_row" 2>/dev/null) =~ ^300 ]]; }
if ! lab_poll 10 nft_row_is_300; then
	echo "FAILED: no fwStateTimeoutTable row for the nft policy's established timeout" >&2
	exit 1
fi
echo "Its rows in fwStateTimeoutTable (value, status):"
if [[ $LAB_NUMERIC -eq 0 ]]; then
	show_snmp snmpwalk FWSTATE-MIB::fwStateTimeoutValue | grep -F "\"$nft_name\""
	show_snmp snmpwalk FWSTATE-MIB::fwStateTimeoutStatus | grep -F "\"$nft_name\""
else
	show_snmp snmpget "$nft_row"
fi

# The session part: the phone's TLS connection in fwStateSessionTable, the
# policy's 300 s as its effective idle timeout, then an admin's flush.
session_below_re='snmpTrapOID\.0 = OID: FWSTATE-MIB::fwStateSessionTimeoutTooLow( |$)'
torn_down_re='snmpTrapOID\.0 = OID: FWSTATE-MIB::fwStateSessionTornDown( |$).*fwStateTeardownCause\.[0-9]+ = INTEGER: flushed\(5\)'
sessions_oid=FWSTATE-MIB::fwStateSessions
if [[ $LAB_NUMERIC -ne 0 ]]; then
	session_below_re="= OID: $(lab_re_escape "$LAB_ROOT_NUMERIC.0.4")( |\$)"
	torn_down_re="= OID: $(lab_re_escape "$LAB_ROOT_NUMERIC.0.3")( |\$)"
	sessions_oid=$LAB_ROOT_NUMERIC.1.3
fi
sessions_now_is() { [[ $(lab_snmpget -Oqv "$sessions_oid.1.0" 2>/dev/null) == "$1" ]]; }

heading "The phone's SIP-TLS session as the firewall sees it: 300 s of silence and it is gone"
if ! lab_poll 10 sessions_now_is 1; then
	echo "FAILED: the phone's session did not appear in fwStateSessionTable" >&2
	exit 1
fi
if [[ $LAB_NUMERIC -eq 0 ]]; then
	show_snmp snmpwalk FWSTATE-MIB::fwStateSessionTable
else
	show_snmp snmpwalk "$sessions_oid.10"
fi
echo
expect_trap "fwStateSessionTimeoutTooLow for the phone's session" "$session_below_re"

heading "An admin flushes the session from conntrack: the phone would show \"Line Unregistered\""
on_fw conntrack -D -p tcp --dport 5061
expect_trap "fwStateSessionTornDown with cause flushed" "$torn_down_re"
echo
if [[ $LAB_NUMERIC -eq 0 ]]; then
	show_snmp snmpwalk FWSTATE-MIB::fwStatePhoneTable
	show_snmp snmpwalk FWSTATE-MIB::fwStateTeardownTable
else
	show_snmp snmpwalk "$sessions_oid.11"
	show_snmp snmpwalk "$sessions_oid.12"
fi

heading "Final state: fwStateTimeoutTable and fwStateSourceTable"
if [[ $LAB_NUMERIC -eq 0 ]]; then
	show_snmp snmpbulkwalk FWSTATE-MIB::fwStateTimeoutTable
	show_snmp snmpbulkwalk FWSTATE-MIB::fwStateSourceTable
	show_snmp snmpget FWSTATE-MIB::fwStateTimeoutsBelowThreshold.0
else
	show_snmp snmpbulkwalk "$LAB_ROOT_NUMERIC.1.1"
fi

heading "Done: every step happened as expected; removing the lab"
