#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The agent as the packaged unit runs it: an unprivileged user (here nobody,
# in the group the AgentX socket is opened to) holding only CAP_NET_ADMIN, no
# new privileges. Everything works: the AgentX session, every timeout source,
# session tracking with the kernel's event filter, reconcile dumps (their end
# marker needs the capability), teardown notifications. It listens on no
# network socket. The unit's own hardening is checked by systemd-analyze.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

user=nobody group=nogroup
LAB_SNMPD_EXTRA_CONF="agentXPerms 0660 0711 root $group"
lab_session_lab "$LAB_SBC_V4,5061"
command -v setpriv >/dev/null 2>&1 || lab_die "'setpriv' not found (util-linux)"
lab_nft_siptls 7200 7200
lab_fw nfct add timeout sippolicy inet tcp established 7200
# what the agent reads, and its log, as that user
chmod 0711 "$LAB_RUN"
lab_agent_conf "reconcileInterval 2"
chmod 0644 "$LAB_AGENT_CONF"
: >"$LAB_AGENT_LOG"
chown "$user:$group" "$LAB_AGENT_LOG"
LAB_AGENT_PREFIX=(setpriv "--reuid=$user" "--regid=$group" --clear-groups --no-new-privs
	--inh-caps=-all,+net_admin --ambient-caps=-all,+net_admin --bounding-set=-all,+net_admin)
lab_agent_start
check "agent as $user with CAP_NET_ADMIN only answers through snmpd" lab_wait_ready

status_field() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$LAB_AGENT_PID/status"; }
check "it runs as $user" expect_eq "$(id -u "$user")" status_field Uid
# CAP_NET_ADMIN is capability 12
check "its effective capabilities: CAP_NET_ADMIN alone" expect_eq 0000000000001000 status_field CapEff
check "its bounding set: CAP_NET_ADMIN alone" expect_eq 0000000000001000 status_field CapBnd
check "no new privileges" expect_eq 1 status_field NoNewPrivs

lab_privileged_work_checks a
phone=$LAB_PHONE_V4
port=$LAB_PRIVILEGED_PORT
lab_session_do a send RST
check "its reset is notified" wait_for_trap "$(torn_down_re reset "$phone" "$port")" 5
check "nothing logged about a missing permission" expect_no_match 'not permitted|EPERM|refused the conntrack event filter' \
	cat "$LAB_AGENT_LOG"

listening() { lab_fw ss -Hlnpuw | grep -F "pid=$LAB_AGENT_PID," || true; }
check "as an AgentX subagent it listens on no network socket" expect_eq "" listening

unit=$(dirname "$LAB_AGENT")/fwstate-agent.service
if [[ -f $unit ]]; then
	check "the unit: User=fwstate, only CAP_NET_ADMIN, NoNewPrivileges" \
		eval "grep -qx User=fwstate '$unit' && grep -qx CapabilityBoundingSet=CAP_NET_ADMIN '$unit' && grep -qx NoNewPrivileges=yes '$unit'"
	exposure() { systemd-analyze security --offline=yes "$unit" 2>&1 | tail -n 1; }
	check "the unit's exposure (systemd-analyze security) is at most 2.0" \
		eval "exposure; systemd-analyze security --offline=yes --threshold=20 '$unit' >/dev/null 2>&1"
else
	lab_log "no built unit next to $LAB_AGENT; its checks are in tests/integration/package.sh"
fi
check "agent still running" lab_agent_running

lab_summary
