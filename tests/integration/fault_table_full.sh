#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The conntrack table of the firewall namespace fills up: as many assured
# entries to another port as nf_conntrack_max allows are made over netlink
# (no packet leaves the lab), with a 30 s timeout. A phone that registers
# again cannot connect: its SYN is dropped. The agent keeps running and
# answering, fwStateConntrack shows the full table and the drops, the log
# says so once, and the sessions that were up stay tracked. Once the entries
# expire the phone connects, and after a quiet minute the log says the
# episode is over, once.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

CT_INSERT=${FWSTATE_CT_INSERT:-$LAB_SOURCE_DIR/build/bench/ct_insert}
[[ -x $CT_INSERT ]] || lab_die "'$CT_INSERT' not found: build first (scripts/build.sh) or set FWSTATE_CT_INSERT"

lab_session_lab "$LAB_SBC_V4,5061"
# SNMP to snmpd and its traps stay on the loopback: untracked, as a full
# table would drop them too (watch a firewall through a path it does not track)
cat >"$LAB_RUN/notrack.nft" <<-EOF
	table inet lab_notrack {
		chain output {
			type filter hook output priority raw; policy accept;
			oif "lo" notrack
		}
		chain prerouting {
			type filter hook prerouting priority raw; policy accept;
			iif "lo" notrack
		}
	}
EOF
check "loopback traffic untracked in the firewall" lab_fw nft -f "$LAB_RUN/notrack.nft"
lab_agent_start
check "agent answers through snmpd" lab_wait_ready
lab_session_client up "$LAB_SBC_V4" 5061 3
check "phone: 3 sessions up" lab_session_connected up
check "fwStateSessionsNow.0 = 3" eventually 15 lab_session_scalar_is fwStateSessionsNow 3

full_lines() { grep -c 'conntrack table full' "$LAB_AGENT_LOG" || true; }
over_lines() { grep -c 'conntrack table no longer full' "$LAB_AGENT_LOG" || true; }

max=$(lab_fw sysctl -n net.netfilter.nf_conntrack_max)
check "fwStateConntrackMax.0 = nf_conntrack_max ($max)" lab_scalar_is fwStateConntrackMax "$max"
check "fwStateConntrackTableFull.0 = false" lab_scalar_is fwStateConntrackTableFull false
drops_before=$(lab_scalar fwStateConntrackDrops)
check "the agent works: two more timeout polls" lab_wait_polls 2
check "nothing logged about a full table yet" expect_eq 0 full_lines

# --- the table fills up --------------------------------------------------------------------
lab_log "filling the table: $max entries to port 80"
lab_fw "$CT_INSERT" -n "$max" -p 80 -t 30 || true
check "nf_conntrack_count reaches nf_conntrack_max" \
	expect_eq "$max" lab_fw sysctl -n net.netfilter.nf_conntrack_count
lab_session_client again "$LAB_SBC_V4" 5061 1
lab_poll 10 lab_session_out_has again '^(connected|failed) ' || true
check "a phone registering again cannot connect" lab_session_out_has again '^failed '
drops_grew() {
	local now
	now=$(lab_scalar fwStateConntrackDrops) || return 1
	echo "fwStateConntrackDrops.0 = $now (was $drops_before)"
	((now > drops_before))
}
check "fwStateConntrackDrops.0 grows" eventually 10 drops_grew
check "fwStateConntrackTableFull.0 = true" eventually 10 lab_scalar_is fwStateConntrackTableFull true
check "fwStateConntrackEntries.0 = $max" lab_scalar_is fwStateConntrackEntries "$max"
check "the log says the table is full" eventually 5 expect_eq 1 full_lines
check "the agent answers on: two more timeout polls" lab_wait_polls 2
check "the log said it once" expect_eq 1 full_lines
check "the sessions that were up stay tracked: fwStateSessionsNow.0 = 3" \
	lab_session_scalar_is fwStateSessionsNow 3
check "and none was torn down" lab_session_scalar_is fwStateSessionTeardowns 0

# --- the entries expire ------------------------------------------------------------------
count_below() { (($(lab_fw sysctl -n net.netfilter.nf_conntrack_count) < $1)); }
check "the entries expire (30 s)" eventually 60 count_below 100
lab_session_client later "$LAB_SBC_V4" 5061 1
check "the phone connects again" lab_session_connected later
check "fwStateSessionsNow.0 = 4" eventually 15 lab_session_scalar_is fwStateSessionsNow 4
check "a quiet minute later the log says the episode is over" eventually 80 expect_eq 1 over_lines
check "fwStateConntrackTableFull.0 = false" eventually 10 lab_scalar_is fwStateConntrackTableFull false
check "the log said that once too" expect_eq 1 over_lines
check "agent still running" lab_agent_running

lab_summary
