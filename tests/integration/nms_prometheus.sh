#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Prometheus: Debian's prometheus-snmp-generator turns
# packaging/snmp_exporter/generator.yml into exactly the shipped snmp.yml,
# without a warning; Debian's prometheus-snmp-exporter with that snmp.yml
# scrapes the lab through snmpd and shows timeout, session, phone and
# teardown series with readable labels and the values the lab has.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_init
lab_require_mibs
lab_require_agent
trap lab_down EXIT
command -v prometheus-snmp-exporter >/dev/null || lab_die "prometheus-snmp-exporter not found: run scripts/setup.sh"
exporter_dir=$LAB_SOURCE_DIR/packaging/snmp_exporter

# --- the generator ----------------------------------------------------------------------
mkdir "$LAB_RUN/generator" "$LAB_RUN/netsnmp-mibs"
# NET-SNMP-MIB only: other files there import modules a minimal IETF set lacks.
ln -s /usr/share/snmp/mibs/NET-SNMP-MIB.txt "$LAB_RUN/netsnmp-mibs/"
cp "$exporter_dir/generator.yml" "$LAB_RUN/generator/"
generate() {
	(cd "$LAB_RUN/generator" &&
		MIBDIRS="$LAB_IETF_MIBS:$LAB_RUN/netsnmp-mibs:$LAB_SOURCE_DIR/mibs" \
			prometheus-snmp-generator generate 2>&1)
}
check "generator: no warning or error on generator.yml" expect_no_match 'level=(warn|error)' generate
check "generator: the shipped snmp.yml is what generator.yml makes" \
	diff "$exporter_dir/snmp.yml" "$LAB_RUN/generator/snmp.yml"

# --- the lab: a stock masquerading firewall, one registered phone, one reset ------------
lab_up
lab_session_nat
lab_session_server sbc-tcp "$LAB_SBC_V4,5061"
check "SBC: TCP server on $LAB_SBC_V4:5061" lab_session_listening sbc-tcp
lab_agent_conf
lab_agent_start
check "agent answers through snmpd" lab_wait_ready
lab_session_client kept "$LAB_SBC_V4" 5061
check "phone: session 'kept'" lab_session_connected kept
lab_session_client reset "$LAB_SBC_V4" 5061
check "phone: session 'reset'" lab_session_connected reset
kept_port=$(lab_session_ports kept)
reset_port=$(lab_session_ports reset)
check "both sessions tracked" eventually 10 lab_session_scalar_is fwStateSessionsNow 2
lab_session_do reset send RST
check "the reset is recorded" eventually 10 lab_session_scalar_is fwStateSessionTeardowns 1

lab_spawn exporter "$LAB_NS_FW" prometheus-snmp-exporter --config.file="$exporter_dir/snmp.yml" \
	--web.listen-address=127.0.0.1:9116
exporter_up() { lab_fw curl -sf http://127.0.0.1:9116/metrics >/dev/null; }
check "exporter listens on 127.0.0.1:9116" lab_poll 10 exporter_up
scrape() { lab_fw curl -sf 'http://127.0.0.1:9116/snmp?module=fwstate&target=127.0.0.1'; }
check "scrape of the lab through snmpd succeeds" scrape
metrics=$(scrape || true)
printf "%s\n" "$metrics" >"$LAB_RUN/scrape.txt"
has() { grep -E -- "$1" <<<"$metrics"; }

# series_re NAME VALUE LABEL=VALUE...: a series as the exporter prints it,
# NAME{LABELS} VALUE, its labels in alphabetical order.
series_re() {
	local name=$1 value=$2 labels
	shift 2
	labels=$(printf '%s\n' "$@" | sort | sed 's/=\(.*\)/="\1"/' | paste -sd,)
	printf '^%s\\{%s\\} %s$\n' "$name" "$(lab_re_escape "$labels")" "$value"
}

tcp_cw=(fwStateTimeoutProtocol=6 fwStateTimeoutSourceKind=1 fwStateTimeoutSourceName=net.netfilter
	fwStateTimeoutState=close_wait)
check "timeout: fwStateTimeoutValue of sysctl tcp close_wait = 60" \
	has "$(series_re fwStateTimeoutValue 60 "${tcp_cw[@]}")"
check "timeout: its status belowThreshold is 1" \
	has "$(series_re fwStateTimeoutStatus 1 "${tcp_cw[@]}" fwStateTimeoutStatus=belowThreshold)"
check "timeout: and ok is 0" \
	has "$(series_re fwStateTimeoutStatus 0 "${tcp_cw[@]}" fwStateTimeoutStatus=ok)"
check "timeout: fwStateTimeoutsBelowThreshold = 1" has '^fwStateTimeoutsBelowThreshold 1$'

kept=(fwStateSessionPhoneAddress="$LAB_PHONE_V4" fwStateSessionPhonePort="$kept_port"
	fwStateSessionServerAddress="$LAB_SBC_V4" fwStateSessionServerPort=5061 fwStateSessionZone=0)
check "session: fwStateSessionEffectiveTimeout of 'kept' by phone and server address = 432000" \
	has "$(series_re fwStateSessionEffectiveTimeout 432000 "${kept[@]}")"
check "session: its state as a label, established" \
	has "$(series_re fwStateSessionTcpState_info 1 "${kept[@]}" fwStateSessionTcpState=established)"
check "session: its NAT address ($LAB_FW_SBC_V4), read with its own address type" \
	has "$(series_re fwStateSessionNatAddress 1 "${kept[@]}" fwStateSessionNatAddress="$LAB_FW_SBC_V4")"
check "session: fwStateSessionsNow = 1" has '^fwStateSessionsNow 1$'

check "phone: fwStatePhoneResets of $LAB_PHONE_V4 = 1" \
	has "$(series_re fwStatePhoneResets 1 fwStatePhoneAddress="$LAB_PHONE_V4")"
check "phone: fwStatePhoneSessions of $LAB_PHONE_V4 = 1" \
	has "$(series_re fwStatePhoneSessions 1 fwStatePhoneAddress="$LAB_PHONE_V4")"
check "phone: fwStatePhoneServerAddress = $LAB_SBC_V4" \
	has "$(series_re fwStatePhoneServerAddress 1 fwStatePhoneAddress="$LAB_PHONE_V4" fwStatePhoneServerAddress="$LAB_SBC_V4")"

check "teardown 1: cause reset" \
	has "$(series_re fwStateTeardownCause_info 1 fwStateTeardownIndex=1 fwStateTeardownCause=reset)"
check "teardown 1: last state close" \
	has "$(series_re fwStateTeardownLastState_info 1 fwStateTeardownIndex=1 fwStateTeardownLastState=close)"
check "teardown 1: phone address $LAB_PHONE_V4" \
	has "$(series_re fwStateTeardownPhoneAddress 1 fwStateTeardownIndex=1 fwStateTeardownPhoneAddress="$LAB_PHONE_V4")"
check "teardown 1: phone port $reset_port" \
	has "$(series_re fwStateTeardownPhonePort "$reset_port" fwStateTeardownIndex=1)"
check "teardown 1: server address $LAB_SBC_V4" \
	has "$(series_re fwStateTeardownServerAddress 1 fwStateTeardownIndex=1 fwStateTeardownServerAddress="$LAB_SBC_V4")"
check "counter: fwStateSessionTeardowns = 1" has '^fwStateSessionTeardowns 1$'
check "agent: fwStateAgentVersion as a label" \
	has '^fwStateAgentVersion\{fwStateAgentVersion="fwstate-agent [0-9.]+( \(snmpd module\))?"\} 1$'
check "sysUpTime is scraped (the TimeStamps count from it)" has '^sysUpTime [0-9]'
check "no scrape error" expect_no_match 'An error has occurred|snmp_scrape_walk_duration_seconds.*NaN' echo "$metrics"
check "agent still running" lab_agent_running

lab_summary
