#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/bench_modes.sh [K...]: FWSTATE-MIB served in each of its three modes
# (BENCH_MODES, default "subagent dlmod master": fwstate-agent as an AgentX
# subagent of snmpd, fwstate.so loaded into snmpd, fwstate-agent --master),
# measured against snmpd's own tables in the same run. In the lab (phone,
# firewall and SBC namespaces; documentation addresses; conntracks created
# over netlink by bench/ct_insert, no packet sent for them):
#
#  1. walks, for K = 1 000, 10 000 and 100 000 (the arguments): K IPv6
#     sessions to port 5061 (K phones) and, as the anchor, K permanent
#     neighbours in snmpd's ipNetToPhysicalTable. In-process GETBULK walks
#     (bench/snmp_getnext_lat, 50 repetitions) of fwStateSessionTable,
#     fwStatePhoneTable and the anchor, through the same snmpd: microseconds
#     per varbind, the ratio to the anchor (target in dlmod mode: at most
#     1.5), and the cost per row at the largest K against the smallest
#     (target: at most 1.5). Best of BENCH_RUNS (default 2); through AgentX
#     one walk (BENCH_AGENTX_RUNS, default 1), which takes minutes at 100 000.
#  2. memory, at BENCH_MEMORY_K (default: the largest K) sessions: VmRSS of
#     the process serving the module (fwstate-agent, or snmpd with the
#     module) without sessions, then BENCH_CYCLES (default 3) cycles of
#     filling the table (conntracks created at once) and flushing it
#     (conntrack -F): bytes per session (target: at most 1 KiB) and the RSS
#     after each fill and flush (target: flat).
#  3. notification latency: BENCH_TEARDOWNS (default 200) real TCP sessions
#     from the phone to the SBC through the firewall, reset by the SBC one at
#     a time (bench/rst_latency.py): from just before each RST to its
#     fwStateSessionTornDown line in snmptrapd's log; median (target 50 ms)
#     and p99 (target 200 ms).
#
# Prints the figures and, at the end, one table of figure, anchor, ratio,
# target and whether it is met. BENCH_PARTS (default "walks memory latency")
# runs only some of the three. Needs root. Never fails on a figure.
set -euo pipefail

# shellcheck source=bench/bench-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
export FWSTATE_DLMOD=${FWSTATE_DLMOD:-$BUILD/fwstate.so}
RUNS=${BENCH_RUNS:-2}
AGENTX_RUNS=${BENCH_AGENTX_RUNS:-1}
CYCLES=${BENCH_CYCLES:-3}
TEARDOWNS=${BENCH_TEARDOWNS:-200}
read -r -a MODES <<<"${BENCH_MODES:-subagent dlmod master}"
read -r -a PARTS <<<"${BENCH_PARTS:-walks memory latency}"
if (($#)); then SIZES=("$@"); else SIZES=(1000 10000 100000); fi
MEMORY_K=${BENCH_MEMORY_K:-${SIZES[-1]}}

ROOT=.1.3.6.1.4.1.8072.9999.9999.660
SESSION_TABLE=$ROOT.1.3.10
PHONE_TABLE=$ROOT.1.3.11
NEIGH_TABLE=.1.3.6.1.2.1.4.35 # IP-MIB::ipNetToPhysicalTable
MASTER_PEER=udp:127.0.0.1:11161
SNMPD_PEER=udp:127.0.0.1:161

for k in "${SIZES[@]}" "$MEMORY_K"; do
	[[ $k =~ ^[0-9]+$ ]] && ((k >= 2 && k <= 200000)) || bench_die "K must be 2..200000, not '$k'"
done
for n in "$RUNS" "$AGENTX_RUNS" "$CYCLES" "$TEARDOWNS"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || bench_die "BENCH_RUNS, BENCH_AGENTX_RUNS, BENCH_CYCLES, BENCH_TEARDOWNS: numbers"
done
for mode in "${MODES[@]}"; do
	[[ $mode =~ ^(subagent|dlmod|master)$ ]] || bench_die "BENCH_MODES: '$mode' is not subagent, dlmod or master"
done
for part in "${PARTS[@]}"; do
	[[ $part =~ ^(walks|memory|latency)$ ]] || bench_die "BENCH_PARTS: '$part' is not walks, memory or latency"
done
part() { [[ " ${PARTS[*]} " == *" $1 "* ]]; }
for bin in ct_insert snmp_getnext_lat; do
	[[ -x $BIN/$bin ]] || bench_die "$BIN/$bin not built (bench/run.sh builds it)"
done
[[ -f $FWSTATE_DLMOD ]] || bench_die "$FWSTATE_DLMOD not built (bench/run.sh builds it)"
command -v python3 >/dev/null 2>&1 || bench_die "'python3' not found"

# shellcheck source=scripts/lab-lib.sh
source "$SRC/scripts/lab-lib.sh"
# shellcheck source=bench/bench-snmp.sh
source "$BENCH_DIR/bench-snmp.sh"

lab_init
lab_require_mibs
lab_require_agent
trap lab_down EXIT
lab_netns_up >/dev/null
lab_trapd_start
lab_session_nat
lab_fw ip link add bench0 type veth peer name bench1
lab_fw ip link set bench0 up
lab_fw ip link set bench1 up
SNMPD_LOG=$LAB_SNMPD_LOG
LAB_SNMPD_EXTRA_CONF="view fwstateView included $NEIGH_TABLE"
SERVER_PID= # the process serving FWSTATE-MIB: the agent, or snmpd with the module
RESULTS=()  # "figure|value|anchor|ratio|target|met"

result() { RESULTS+=("$1|$2|$3|$4|$5|$6"); }

# server_up MODE [CONF_LINE...]: snmpd and the module in MODE; LAB_SNMP_PEER is
# where FWSTATE-MIB is served, ANCHOR_PEER where snmpd is.
server_up() {
	local mode=$1
	shift
	printf '%s\n' "timeoutPollInterval 60" "reconcileInterval 3600" "$@" >"$LAB_AGENT_CONF"
	LAB_SNMPD_LOG=$SNMPD_LOG
	rm -f "$LAB_AGENTX_SOCK"
	ANCHOR_PEER=$SNMPD_PEER
	LAB_SNMP_PEER=$SNMPD_PEER
	case $mode in
	subagent)
		LAB_MODE=subagent
		lab_snmpd_conf
		lab_snmpd_spawn
		lab_agent_start
		;;
	dlmod)
		LAB_MODE=dlmod
		lab_snmpd_conf
		lab_agent_start
		;;
	master)
		LAB_MODE=subagent
		lab_snmpd_conf
		lab_snmpd_spawn
		printf '%s\n' "rocommunity public 127.0.0.1" "trap2sink 127.0.0.1:162 public" >>"$LAB_AGENT_CONF"
		lab_agent_start --master "$MASTER_PEER"
		LAB_SNMP_PEER=$MASTER_PEER
		;;
	esac
	SERVER_PID=$LAB_AGENT_PID
	lab_wait_ready 60 >/dev/null || bench_die "$mode: FWSTATE-MIB not served (see $LAB_AGENT_LOG)"
}

stop_pid() {
	[[ -n ${1:-} ]] || return 0
	if lab_alive "$1"; then
		kill -TERM "$1"
		lab_poll 30 lab_dead "$1" || kill -KILL "$1" 2>/dev/null || true
	fi
	wait "$1" 2>/dev/null || true
	forget_pid "$1"
}

server_down() {
	stop_pid "$LAB_AGENT_PID"
	[[ $LAB_SNMPD_PID == "$LAB_AGENT_PID" ]] || stop_pid "$LAB_SNMPD_PID"
	LAB_AGENT_PID= SERVER_PID=
}

conntracks() {
	lab_fw conntrack -F >/dev/null 2>&1 || true
	((${1:-0} == 0)) || lab_fw "$BIN/ct_insert" -n "$1" -p 5061 -f 6 -t 7200 >/dev/null
}

neighbours() {
	local k=$1 i
	lab_fw ip neigh flush dev bench0 nud all 2>/dev/null || true
	for ((i = 1; i <= k; i++)); do
		printf 'neigh add 2001:db8:3::%x:%x lladdr 02:00:00:%02x:%02x:%02x dev bench0 nud permanent\n' \
			$((i >> 16)) $((i & 65535)) $((i >> 16 & 255)) $((i >> 8 & 255)) $((i & 255))
	done | lab_fw ip -batch -
}

# walk PEER OID RUNS: "VARBINDS MS" of the best in-process GETBULK walk.
walk() {
	local peer=$1 oid=$2 runs=$3 best='' varbinds=0 line ms i
	for ((i = 0; i < runs; i++)); do
		line=$(lab_fw "$BIN/snmp_getnext_lat" -p "$peer" bulkwalk "$oid")
		ms=$(field "$line" ms)
		varbinds=$(field "$line" varbinds)
		if [[ -z $best ]] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$ms; fi
	done
	echo "$varbinds $best"
}

us_per() { awk -v ms="$1" -v n="$2" 'BEGIN { printf "%.2f", n ? ms * 1000 / n : 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "yes" : "NO" }'; }

declare -A PER_ROW # mode/table/K -> microseconds per row

walks() {
	local k=$1 mode=$2 runs=$RUNS anchor_vb anchor_ms vb ms table oid name per anchor_per r
	[[ $mode != subagent ]] || runs=$AGENTX_RUNS
	walk "$ANCHOR_PEER" "$NEIGH_TABLE" 1 >/dev/null # snmpd loads its cache
	read -r anchor_vb anchor_ms < <(walk "$ANCHOR_PEER" "$NEIGH_TABLE" "$RUNS")
	anchor_per=$(us_per "$anchor_ms" "$anchor_vb")
	printf '  %-32s %9s varbinds %10s ms %8s us/varbind\n' "ipNetToPhysicalTable (snmpd)" \
		"$anchor_vb" "$anchor_ms" "$anchor_per"
	for table in session phone; do
		if [[ $table == session ]]; then oid=$SESSION_TABLE name=fwStateSessionTable; else oid=$PHONE_TABLE name=fwStatePhoneTable; fi
		read -r vb ms < <(walk "$LAB_SNMP_PEER" "$oid" "$runs")
		per=$(us_per "$ms" "$vb")
		r=$(ratio "$per" "$anchor_per")
		PER_ROW[$mode/$name/$k]=$(us_per "$ms" "$k")
		printf '  %-32s %9s varbinds %10s ms %8s us/varbind  %5s x the anchor\n' "$name" "$vb" "$ms" "$per" "$r"
		if [[ $mode == dlmod ]]; then
			result "$mode: $name walk, K=$k (us/varbind)" "$per" "$anchor_per" "$r" "<= 1.5" "$(at_most "$r" 1.5)"
		else
			result "$mode: $name walk, K=$k (us/varbind)" "$per" "$anchor_per" "$r" "-" "-"
		fi
	done
}

memory() {
	local mode=$1 k=$MEMORY_K rss0 full first_full='' first_empty='' empty c per
	conntracks 0
	server_up "$mode"
	wait_sessions 0 "$SERVER_PID"
	sleep 1
	rss0=$(rss_kib "$SERVER_PID")
	printf '  VmRSS of pid %s without sessions: %s KiB\n' "$SERVER_PID" "$rss0"
	for ((c = 1; c <= CYCLES; c++)); do
		conntracks "$k"
		wait_sessions "$k" "$SERVER_PID"
		full=$(rss_kib "$SERVER_PID")
		conntracks 0
		wait_sessions 0 "$SERVER_PID"
		empty=$(rss_kib "$SERVER_PID")
		printf '  cycle %d: %s KiB with %d sessions, %s KiB after the flush\n' "$c" "$full" "$k" "$empty"
		[[ -n $first_full ]] || {
			first_full=$full
			first_empty=$empty
		}
	done
	per=$(awk -v a="$first_full" -v b="$rss0" -v k="$k" 'BEGIN { printf "%.0f", (a - b) * 1024 / k }')
	result "$mode: RSS per session at $k (bytes)" "$per" "-" "-" "<= 1024" "$(at_most "$per" 1024)"
	result "$mode: RSS growth, fill $CYCLES vs fill 1 (KiB)" "$((full - first_full))" "$first_full" "$(ratio "$full" "$first_full")" "flat (<= 1.05)" "$(at_most "$(ratio "$full" "$first_full")" 1.05)"
	result "$mode: RSS growth, flush $CYCLES vs flush 1 (KiB)" "$((empty - first_empty))" "$first_empty" "$(ratio "$empty" "$first_empty")" "flat (<= 1.05)" "$(at_most "$(ratio "$empty" "$first_empty")" 1.05)"
	server_down
}

latency() {
	local mode=$1 n=$TEARDOWNS go=$LAB_RUN/rst.go summary median p99 reset_pid hold_pid
	conntracks 0
	rm -f "$go"
	server_up "$mode" "teardownNotifyLimit 100000" "teardownNotifyInterval 1"
	lab_spawn "rst-$mode" "$LAB_NS_SBC" python3 "$BENCH_DIR/rst_latency.py" reset 5061 "$n" "$go" "$LAB_TRAP_LOG"
	reset_pid=$LAB_SPAWNED
	lab_poll 10 lab_tcp_listening "$LAB_NS_SBC" 5061 || bench_die "rst_latency.py did not listen"
	lab_spawn "hold-$mode" "$LAB_NS_PHONE" python3 "$BENCH_DIR/rst_latency.py" hold "$LAB_SBC_V4" 5061 "$n"
	hold_pid=$LAB_SPAWNED
	wait_sessions "$n" "$SERVER_PID"
	touch "$go"
	lab_poll $((n * 11)) lab_dead "$reset_pid" || true
	wait "$reset_pid" 2>/dev/null || true
	forget_pid "$reset_pid"
	stop_pid "$hold_pid"
	summary=$(grep '^teardowns=' "$LAB_RUN/rst-$mode.out" || true)
	if [[ -z $summary ]]; then
		echo "  no result: $(tail -n 1 "$LAB_RUN/rst-$mode.out")"
		result "$mode: notification latency" "failed" "-" "-" "-" "NO"
		server_down
		return 0
	fi
	echo "  $summary"
	median=$(field "$summary" median_ms)
	p99=$(field "$summary" p99_ms)
	result "$mode: RST to trap log, median (ms)" "$median" "-" "-" "<= 50" "$(at_most "$median" 50)"
	result "$mode: RST to trap log, p99 (ms)" "$p99" "-" "-" "<= 200" "$(at_most "$p99" 200)"
	server_down
}

echo "== bench_modes: FWSTATE-MIB as subagent, snmpd module and master agent," \
	"kernel $(uname -r), $(nproc) CPUs =="
echo "agent: $FWSTATE_AGENT; module: $FWSTATE_DLMOD; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for k in "${SIZES[@]}"; do
	part walks || break
	echo
	echo "-- walks, K = $k: $k IPv6 phones with one session each; $k neighbours in snmpd --"
	conntracks "$k"
	neighbours "$k"
	for mode in "${MODES[@]}"; do
		echo " $mode:"
		server_up "$mode"
		wait_sessions "$k" "$SERVER_PID"
		walks "$k" "$mode"
		server_down
	done
done
neighbours 0
small=${SIZES[0]} large=${SIZES[-1]}
if part walks && ((large > small)); then
	for mode in "${MODES[@]}"; do
		for name in fwStateSessionTable fwStatePhoneTable; do
			a=${PER_ROW[$mode/$name/$large]} b=${PER_ROW[$mode/$name/$small]}
			r=$(ratio "$a" "$b")
			result "$mode: $name us/row, K=$large vs K=$small" "$a" "$b" "$r" "<= 1.5" "$(at_most "$r" 1.5)"
		done
	done
fi
for mode in "${MODES[@]}"; do
	part memory || break
	echo
	echo "-- memory, $mode: $MEMORY_K sessions, $CYCLES fill/flush cycles --"
	memory "$mode"
done
for mode in "${MODES[@]}"; do
	part latency || break
	echo
	echo "-- notification latency, $mode: $TEARDOWNS server resets --"
	latency "$mode"
done

echo
printf '%-58s %12s %12s %8s %16s %5s\n' "figure" "value" "anchor" "ratio" "target" "met"
for row in "${RESULTS[@]}"; do
	IFS='|' read -r figure value anchor r target met <<<"$row"
	printf '%-58s %12s %12s %8s %16s %5s\n' "$figure" "$value" "$anchor" "$r" "$target" "$met"
done
echo "anchor: snmpd's own ipNetToPhysicalTable of the same size, walked through the same snmpd"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
