#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# FWSTATE-MIB inside snmpd (dlmod fwstate fwstate.so), on the shipped lines
# (packaging/snmpd-fwstate-dlmod.conf.in) and as the shipped systemd drop-in
# runs snmpd (packaging/fwstate-dlmod.service.conf: its user, its ambient
# capabilities, no -u):
#  - everything works: mode snmpdModule, every timeout source, session
#    tracking with reconcile dumps, a teardown notification from snmpd itself;
#  - SIGHUP: snmpd re-reads its files; the module keeps its state (teardown
#    history, start time) and applies the new directives; a bad line is
#    named (file and line) and the previous configuration stays;
#  - SIGTERM: snmpd stops the module and exits 0;
#  - snmpd -u (root that drops to its user): the kernel refuses the dumps; the
#    MIB (fwStateSessionDumpStatus notPermitted) and the log say so plainly,
#    events still arrive;
#  - a bad directive at start-up: named, the module is not served, snmpd is.
# shellcheck disable=SC2119
set -euo pipefail

export FWSTATE_MODE=dlmod
# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

user=Debian-snmp
id "$user" >/dev/null 2>&1 || lab_die "user $user not found (the snmpd package creates it)"
command -v setpriv >/dev/null 2>&1 || lab_die "'setpriv' not found (util-linux)"

lab_session_lab "$LAB_SBC_V4,5061"
lab_nft_siptls 7200 7200
lab_fw nfct add timeout sippolicy inet tcp established 7200

# What snmpd reads, writes and creates, as its user: the run directory
# passable, the files readable, the log, state, socket and pid file its own.
chmod 0711 "$LAB_RUN"
install -d -o "$user" -g "$user" -m 0750 "$LAB_RUN/snmpd-own"
chown -R "$user:$user" "$LAB_RUN/persist"
LAB_AGENTX_SOCK=$LAB_RUN/snmpd-own/agentx.sock
LAB_SNMPD_PIDFILE=$LAB_RUN/snmpd-own/snmpd.pid
: >"$LAB_AGENT_LOG"
chown "$user:$user" "$LAB_AGENT_LOG"

# The shipped lines, pointed at the lab: the module built here, the NMS on the loopback.
sed -e "s|^dlmod fwstate .*|dlmod fwstate $LAB_DLMOD|" -e 's|192\.0\.2\.50|127.0.0.1|' \
	-e 's|^timeoutThreshold 660$|includeFile '"$LAB_AGENT_CONF"'|' \
	"$LAB_SOURCE_DIR/packaging/snmpd-fwstate-dlmod.conf.in" >"$LAB_SNMPD_CONF"
printf '%s\n' "master agentx" "agentXSocket $LAB_AGENTX_SOCK" "agentaddress udp:127.0.0.1:161" \
	"dontLogTCPWrappersConnects yes" >>"$LAB_SNMPD_CONF"
lab_agent_conf "timeoutThreshold 660" "reconcileInterval 2"
chmod 0644 "$LAB_SNMPD_CONF" "$LAB_AGENT_CONF"

# --- as the drop-in runs it -------------------------------------------------------
dropin=$LAB_SOURCE_DIR/packaging/fwstate-dlmod.service.conf
unit_value() { sed -n "s/^$1=//p" "$dropin" | tail -n 1; }
check "drop-in: snmpd runs as $user" expect_eq "$user" unit_value User
check "drop-in: its ExecStart has no -u/-g (they would drop CAP_NET_ADMIN)" \
	eval "unit_value ExecStart | grep -q snmpd && ! unit_value ExecStart | grep -Eq ' -[ug]( |$)'"
caps=$(unit_value AmbientCapabilities | tr 'A-Z ' 'a-z\n' | sed -n 's/^cap_/+/p' | paste -sd,)
check "drop-in: CAP_NET_ADMIN among its ambient capabilities ($caps)" expect_match '\+net_admin' echo "$caps"
LAB_AGENT_PREFIX=(setpriv "--reuid=$user" "--regid=$user" --init-groups --no-new-privs
	"--inh-caps=-all,$caps" "--ambient-caps=-all,$caps" "--bounding-set=-all,$caps")
lab_agent_start
check "snmpd with the module answers FWSTATE-MIB" lab_wait_ready
status_field() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$LAB_AGENT_PID/status"; }
check "snmpd runs as $user" expect_eq "$(id -u "$user")" status_field Uid
check "fwStateAgentMode.0 = snmpdModule(3)" expect_match 'snmpdModule\(3\)$' \
	lab_snmpget FWSTATE-MIB::fwStateAgentMode.0
check "fwStateAgentVersion.0 names the module" expect_match 'fwstate-agent [0-9.]+ \(snmpd module\)' \
	lab_snmpget FWSTATE-MIB::fwStateAgentVersion.0
lab_privileged_work_checks a
phone=$LAB_PHONE_V4
port=$LAB_PRIVILEGED_PORT
check "fwStateSessionDumpStatus.0 = ok(1)" expect_match 'ok\(1\)$' \
	lab_snmpget FWSTATE-MIB::fwStateSessionDumpStatus.0
check "snmpbulkwalk of fwStateSessionTable through snmpd" \
	expect_match "fwStateSessionTcpState\..* = INTEGER: established\(3\)" lab_snmpbulkwalk FWSTATE-MIB::fwStateSessionTable
lab_session_do a send RST
check "its reset is notified by snmpd" wait_for_trap "$(torn_down_re reset "$phone" "$port")" 5
check "nothing logged about a missing permission" \
	expect_no_match 'not permitted|refused|lacks CAP_NET_ADMIN' cat "$LAB_AGENT_LOG"

# --- SIGHUP: the module keeps its state and takes the new directives ----------------
started=$(lab_snmpget -Oqv FWSTATE-MIB::fwStateAgentStartTime.0)
lab_agent_conf "timeoutThreshold 700" "reconcileInterval 2"
lab_agent_signal HUP
check "SIGHUP: the module applies the new configuration" eventually 10 \
	lab_scalar_is fwStateTimeoutThreshold 700
check "... and logs it" expect_match 'fwstate: configuration reloaded' cat "$LAB_AGENT_LOG"
check "... keeps its teardown history" lab_session_rows_is fwStateTeardownCause 1
check "... and its start time" expect_eq "$started" lab_snmpget -Oqv FWSTATE-MIB::fwStateAgentStartTime.0
lab_session_client h "$LAB_SBC_V4" 5061
check "phone: session 'h' after the SIGHUP" lab_session_connected h
check "... and still tracks sessions: 'h' is in fwStateSessionTable" eventually 10 \
	expect_match 'established\(3\)' lab_session_state "$(lab_session_ports h)"
lab_agent_conf "timeoutThreshold 800" "reconcileInterval 2" "sipPort 99999"
lab_agent_signal HUP
check "SIGHUP with a bad line: the file and line are named" eventually 10 \
	expect_match "fwstate-agent\.conf: line 4: .*sipPort" cat "$LAB_AGENT_LOG"
check "... the previous configuration stays in force" eventually 5 \
	expect_match 'previous configuration stays in force' cat "$LAB_AGENT_LOG"
check "... (threshold still 700, not the bad file's 800)" lab_scalar_is fwStateTimeoutThreshold 700
check "... and the module still polls (fwStateTimeoutLastCheck.0 moves)" lab_wait_polls 2

# --- SIGTERM -----------------------------------------------------------------------
rc=0
lab_agent_stop || rc=$?
check "SIGTERM: snmpd exits with status 0" expect_eq 0 echo "$rc"
check "... after stopping the module" expect_match 'fwstate: stopping' cat "$LAB_AGENT_LOG"

# --- snmpd -u: root that drops to its user -------------------------------------------
LAB_AGENT_PREFIX=()
lab_agent_conf "reconcileInterval 2"
lab_agent_start -u "$user" -g "$user"
check "snmpd -u $user with the module answers" lab_wait_ready
check "it runs as $user" eventually 5 expect_eq "$(id -u "$user")" status_field Uid
check "fwStateSessionDumpStatus.0 = notPermitted(2)" eventually 10 \
	expect_match 'notPermitted\(2\)$' lab_snmpget FWSTATE-MIB::fwStateSessionDumpStatus.0
check "fwStateSessionDumpError.0 says why" \
	expect_match 'Operation not permitted \(the process lacks CAP_NET_ADMIN' \
	lab_snmpget FWSTATE-MIB::fwStateSessionDumpError.0
check "the log says the kernel refused the dump" \
	expect_match 'conntrack dump refused by the kernel: .*lacks CAP_NET_ADMIN' cat "$LAB_AGENT_LOG"
check "cttimeout source: readFailed, naming the capability" eventually 10 \
	expect_match 'lacks CAP_NET_ADMIN' lab_snmpget FWSTATE-MIB::fwStateSourceLastError.cttimeout
lab_session_client b "$LAB_SBC_V4" 5061
check "phone: session 'b'" lab_session_connected b
port=$(lab_session_ports b)
check "its events still arrive: the new session is tracked" eventually 10 \
	expect_match 'established\(3\)' lab_session_state "$port"
lab_agent_stop || true

# --- a bad directive at start-up --------------------------------------------------------
lab_agent_conf "timeoutThreshold abc"
lab_agent_start
check "snmpd starts anyway" lab_poll 10 lab_udp_listening 161
check "the file and line are named" eventually 5 \
	expect_match 'fwstate-agent\.conf: line 2: .*timeoutThreshold' cat "$LAB_AGENT_LOG"
check "the log says the module is not served" eventually 5 \
	expect_match 'FWSTATE-MIB is not served' cat "$LAB_AGENT_LOG"
check "snmpd serves its own objects" expect_match 'Timeticks' lab_snmpget SNMPv2-MIB::sysUpTime.0
check "FWSTATE-MIB is absent" expect_match 'No Such Object' lab_snmpget FWSTATE-MIB::fwStateTimeoutThreshold.0
check "snmpd still running" lab_agent_running

# --- fwstate-agent still holds the subtree; a directive above the dlmod line -------------
# The subagent connects to this snmpd while the module is not served; fixed, the
# module cannot register until the subagent is gone, and then starts cleanly.
lab_spawn fwstate-agent "$LAB_NS_FW" "$LAB_AGENT" -f -C -c "$LAB_RUN/subagent.conf" \
	-Lf "$LAB_RUN/subagent.log" -x "$LAB_AGENTX_SOCK"
subagent=$LAB_SPAWNED
printf '%s\n' "timeoutPollInterval 1" >"$LAB_RUN/subagent.conf"
mode_is() { lab_snmpget -Oqv FWSTATE-MIB::fwStateAgentMode.0 | grep -qx "$1"; }
check "fwstate-agent as a subagent serves the subtree" eventually 10 mode_is subagent
lab_agent_conf "reconcileInterval 2"
sed -i "1i timeoutThreshold 900" "$LAB_SNMPD_CONF" # above the dlmod line
lab_agent_signal HUP
check "SIGHUP: the module cannot register while the subagent holds the tree, and says so" \
	eventually 10 expect_match 'FWSTATE-MIB could not be started' cat "$LAB_AGENT_LOG"
check "... the subagent still serves it" mode_is subagent
kill -TERM "$subagent"
lab_poll 10 lab_dead "$subagent" || true
lab_agent_signal HUP
check "the next SIGHUP: the module starts (nothing of the failed start was left)" \
	eventually 10 mode_is snmpdModule
check "... every table and scalar group is there" eventually 5 \
	expect_match 'fwStateSourceStatus.*ok\(1\)' lab_snmpwalk FWSTATE-MIB::fwStateSourceTable
check "... the directive above the dlmod line applies (threshold 900)" \
	lab_scalar_is fwStateTimeoutThreshold 900

lab_summary
