#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/bench_walk.sh [K...]: SNMP walks of the session tables, through a real
# snmpd (master agentx) and fwstate-agent, with K sessions (default: 1000 and
# 10000). For each K, a fresh network namespace (scripts/lab-lib.sh) gets
# snmpd, K ESTABLISHED conntracks to port 5061 from K distinct IPv6 phones
# (bench/ct_insert: documentation addresses, no packet sent) and, as the
# anchor, K permanent IPv6 neighbours, which snmpd serves itself in
# ipNetToPhysicalTable. The agent starts without sessions (its VmRSS is the
# baseline), the K conntracks are created at once (a burst of K NEW events:
# time until all are in the table, overruns), then the agent is restarted so
# the sessions come from its initial dump (time until all are in the table).
# Then, timed:
#   - GETBULK walks (50 repetitions) of fwStateSessionTable, fwStatePhoneTable,
#     ipNetToPhysicalTable and the system group: in-process (bench/
#     snmp_getnext_lat; best of BENCH_RUNS, default 3, or of BENCH_AGENTX_RUNS,
#     default 1, for the slow walks through AgentX) and with snmpbulkwalk
#     -Cr50 (BENCH_CLI_RUNS, default 1, process start and formatting included);
#   - the fwStateSessionTable walks again with snmpd and the agent pinned to
#     CPU 0 (taskset; "both on CPU 0"), and with the agent as its own SNMP
#     agent (--master): what the AgentX hop costs;
#   - single GETNEXT latency at the start, middle and end of fwStateSessionTable
#     and ipNetToPhysicalTable, and of sysUpTime: in-process (median of 200)
#     and with snmpgetnext (best of 5, process start included);
#   - agent VmRSS without sessions, with K sessions, after the walks; agent
#     and snmpd CPU per walk.
# Needs root. Prints figures; never fails on them.
#
# Environment: FWSTATE_BENCH_BUILD (default <repo>/build-bench), FWSTATE_AGENT
# (default: the agent in that build directory), BENCH_RUNS, BENCH_AGENTX_RUNS,
# BENCH_CLI_RUNS. With perf installed, "perf bench sched pipe" gives the
# machine's cost of a cross-process round trip, which AgentX pays per varbind.
set -euo pipefail

# shellcheck source=bench/bench-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
RUNS=${BENCH_RUNS:-3}
AGENTX_RUNS=${BENCH_AGENTX_RUNS:-1}
CLI_RUNS=${BENCH_CLI_RUNS:-1}
if (($#)); then SIZES=("$@"); else SIZES=(1000 10000); fi

ROOT=.1.3.6.1.4.1.8072.9999.9999.660
SESSIONS_NOW=$ROOT.1.3.1.0
OVERRUNS=$ROOT.1.3.3.0
SESSION_TABLE=$ROOT.1.3.10
PHONE_TABLE=$ROOT.1.3.11
NEIGH_TABLE=.1.3.6.1.2.1.4.35 # IP-MIB::ipNetToPhysicalTable
SYSTEM=.1.3.6.1.2.1.1
SYSUPTIME=.1.3.6.1.2.1.1.3

for k in "${SIZES[@]}"; do
	if ! [[ $k =~ ^[0-9]+$ ]] || ((k < 2 || k > 100000)); then
		bench_die "K must be 2..100000, not '$k'"
	fi
done
for n in "$RUNS" "$AGENTX_RUNS" "$CLI_RUNS"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || bench_die "BENCH_RUNS, BENCH_AGENTX_RUNS, BENCH_CLI_RUNS: numbers"
done
for bin in ct_insert snmp_getnext_lat; do
	[[ -x $BIN/$bin ]] || bench_die "$BIN/$bin not built (bench/run.sh builds it)"
done
command -v snmpgetnext >/dev/null 2>&1 || bench_die "'snmpgetnext' not found"

# shellcheck source=scripts/lab-lib.sh
source "$SRC/scripts/lab-lib.sh"

# shellcheck source=bench/bench-snmp.sh
source "$BENCH_DIR/bench-snmp.sh"

lab_init
lab_require_agent
trap lab_down EXIT

# One namespace per K: a fresh conntrack table and a fresh snmpd (whose caches
# would otherwise hold the previous K's neighbours).
ns_up() {
	local k=$1 i
	LAB_NS_FW="$LAB_PREFIX-fw$k"
	lab_netns_add "$LAB_NS_FW"
	if ! lab_fw test -e /proc/sys/net/netfilter/nf_conntrack_max; then
		modprobe nf_conntrack 2>/dev/null || true
		lab_fw test -e /proc/sys/net/netfilter/nf_conntrack_max ||
			bench_die "no conntrack in $LAB_NS_FW"
	fi
	rm -f "$LAB_AGENTX_SOCK"
	# the anchor table, beside the view of the documented snmpd lines
	LAB_SNMPD_EXTRA_CONF="view fwstateView included $NEIGH_TABLE" lab_snmpd_start
	lab_fw ip link add bench0 type veth peer name bench1
	lab_fw ip link set bench0 up
	lab_fw ip link set bench1 up
	for ((i = 1; i <= k; i++)); do
		printf 'neigh add 2001:db8:3::%x lladdr 02:00:00:%02x:%02x:%02x dev bench0 nud permanent\n' \
			"$i" $((i >> 16 & 255)) $((i >> 8 & 255)) $((i & 255))
	done | lab_fw ip -batch -
}

ns_down() {
	lab_agent_down
	if lab_alive "${LAB_SNMPD_PID:-}"; then
		kill -TERM "$LAB_SNMPD_PID"
		lab_poll 5 lab_dead "$LAB_SNMPD_PID" || kill -KILL "$LAB_SNMPD_PID" 2>/dev/null || true
		wait "$LAB_SNMPD_PID" 2>/dev/null || true
	fi
	forget_pid "$LAB_SNMPD_PID"
	ip netns del "$LAB_NS_FW"
}

# agent_up WANT [--master ADDRESS]: start the agent; sets LOADED_MS, from the
# start until it answers with all WANT sessions in the table.
agent_up() {
	local want=$1 t0
	shift
	# Timeouts polled rarely and no reconcile dump while walking: only the walks are measured.
	printf '%s\n' "timeoutPollInterval 60" "reconcileInterval 3600" >"$LAB_AGENT_CONF"
	(($# == 0)) || printf '%s\n' "rocommunity public 127.0.0.1" >>"$LAB_AGENT_CONF"
	t0=$(now_ms)
	lab_agent_start "$@"
	wait_sessions "$want" "$LAB_AGENT_PID"
	LOADED_MS=$(($(now_ms) - t0))
}

lab_agent_down() {
	[[ -n ${LAB_AGENT_PID:-} ]] || return 0
	lab_agent_stop || true
	forget_pid "$LAB_AGENT_PID"
	LAB_AGENT_PID=
}

walk_header() {
	printf '  %-54s %9s %9s %12s %9s %9s\n' "walk (GETBULK, 50 repetitions)" "varbinds" "best ms" \
		"varbinds/s" "agent ms" "snmpd ms"
}

# walk LABEL OID RUNS [CLI_OUTPUT_FILE]: in-process walks (best of RUNS), then snmpbulkwalk.
walk() {
	local label=$1 oid=$2 runs=$3 out=${4:-$LAB_RUN/scratch.walk} best='' line ms varbinds a0 s0 a1 s1 i t0 t1 agent_cpu
	a0=$(cpu_ticks "$LAB_AGENT_PID")
	s0=$(cpu_ticks "$LAB_SNMPD_PID")
	for ((i = 0; i < runs; i++)); do
		line=$(lab_fw "$BIN/snmp_getnext_lat" -p "$LAB_SNMP_PEER" bulkwalk "$oid")
		ms=$(field "$line" ms)
		varbinds=$(field "$line" varbinds)
		if [[ -z $best ]] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$ms
		fi
	done
	a1=$(cpu_ticks "$LAB_AGENT_PID")
	s1=$(cpu_ticks "$LAB_SNMPD_PID")
	agent_cpu=$(ticks_ms $((a1 - a0)) "$runs")
	[[ $oid == "$ROOT"* ]] || agent_cpu=-
	printf '  %-54s %9s %9s %12s %9s %9s\n' "$label, in-process" "$varbinds" "$best" \
		"$(awk -v n="$varbinds" -v ms="$best" 'BEGIN { printf "%.0f", n * 1000 / ms }')" \
		"$agent_cpu" "$(ticks_ms $((s1 - s0)) "$runs")"
	best=''
	for ((i = 0; i < CLI_RUNS; i++)); do
		t0=$(now_ms)
		snmp_num snmpbulkwalk -Cr50 -Oq "$oid" >"$out"
		t1=$(now_ms)
		ms=$((t1 - t0))
		if [[ -z $best ]] || ((ms < best)); then best=$ms; fi
	done
	varbinds=$(wc -l <"$out")
	printf '  %-54s %9s %9s %12s\n' "$label, snmpbulkwalk -Cr50" "$varbinds" "$best" \
		"$(awk -v n="$varbinds" -v ms="$best" 'BEGIN { printf "%.0f", n * 1000 / (ms ? ms : 1) }')"
}

# getnext_points LABEL WALK_FILE COLUMN_PREFIX: GETNEXT latency before the
# first row, from the middle row and from the next-to-last row.
getnext_points() {
	local label=$1 file=$2 prefix=$3 rows line where oid i t0 t1 best
	mapfile -t rows < <(awk -v p="$prefix." 'index($1, p) == 1 { print $1 }' "$file")
	((${#rows[@]} >= 2)) || {
		echo "  $label: only ${#rows[@]} rows walked, no GETNEXT points"
		return 0
	}
	for where in start middle end; do
		case $where in
		start) oid=$prefix ;;
		middle) oid=${rows[$((${#rows[@]} / 2 - 1))]} ;;
		end) oid=${rows[$((${#rows[@]} - 2))]} ;;
		esac
		line=$(lab_fw "$BIN/snmp_getnext_lat" -p "$LAB_SNMP_PEER" -n 200 getnext "$oid")
		best=''
		for ((i = 0; i < 5; i++)); do
			t0=$(date +%s%N)
			snmp_num snmpgetnext "$oid" >/dev/null
			t1=$(date +%s%N)
			if [[ -z $best ]] || (((t1 - t0) < best)); then best=$((t1 - t0)); fi
		done
		printf '  %-34s %-7s %10s %10s %10s %14s\n' "$label" "$where" "$(field "$line" median_us)" \
			"$(field "$line" p90_us)" "$(field "$line" min_us)" $((best / 1000))
	done
}

# The machine's price of waking another process and being woken back.
pipe_round_trip() {
	command -v perf >/dev/null 2>&1 || return 0
	local any one=''
	any=$(perf bench sched pipe -l 10000 2>/dev/null | awk '/usecs\/op/ { print $1 }') || true
	if command -v taskset >/dev/null 2>&1; then
		one=$(taskset -c 0 perf bench sched pipe -l 10000 2>/dev/null |
			awk '/usecs\/op/ { print $1 }') || true
	fi
	[[ -z $any ]] || echo "cross-process round trip (perf bench sched pipe): $any us on any CPUs${one:+, $one us on one CPU}"
}

# AgentX wakes the other process once per varbind: with both on one CPU no
# cross-CPU wakeup is needed. Their affinity is restored afterwards.
pinned_walk() {
	command -v taskset >/dev/null 2>&1 || return 0
	local agent_cpus snmpd_cpus
	agent_cpus=$(taskset -pc "$LAB_AGENT_PID" | awk -F': ' '{ print $2 }')
	snmpd_cpus=$(taskset -pc "$LAB_SNMPD_PID" | awk -F': ' '{ print $2 }')
	taskset -pc 0 "$LAB_AGENT_PID" >/dev/null
	taskset -pc 0 "$LAB_SNMPD_PID" >/dev/null
	walk "fwStateSessionTable, both on CPU 0" "$SESSION_TABLE" "$AGENTX_RUNS" \
		"$LAB_RUN/pinned.walk"
	taskset -pc "$agent_cpus" "$LAB_AGENT_PID" >/dev/null
	taskset -pc "$snmpd_cpus" "$LAB_SNMPD_PID" >/dev/null
}

# The same table served by the agent itself (--master): what AgentX adds.
master_walks() {
	local k=$1 line
	lab_agent_down
	LAB_SNMP_PEER=udp:127.0.0.1:11161
	agent_up "$k" --master "$LAB_SNMP_PEER"
	echo
	echo "without AgentX: fwstate-agent --master $LAB_SNMP_PEER (snmpd idle), same $k sessions"
	walk_header
	walk "fwStateSessionTable (--master)" "$SESSION_TABLE" "$RUNS" "$LAB_RUN/master.walk"
	printf '  %-34s %-7s %10s %10s %10s %14s\n' "GETNEXT latency (us)" "where" "median" "p90" \
		"min" "snmpgetnext"
	getnext_points "fwStateSessionTable (--master)" "$LAB_RUN/master.walk" "$SESSION_TABLE.1.7"
	line=$(lab_fw "$BIN/snmp_getnext_lat" -p "$LAB_SNMP_PEER" -n 200 getnext "$SESSIONS_NOW")
	printf '  %-34s %-7s %10s %10s %10s\n' "fwStateSessionsNow.0 (scalar)" "-" \
		"$(field "$line" median_us)" "$(field "$line" p90_us)" "$(field "$line" min_us)"
	lab_agent_down
	LAB_SNMP_PEER=udp:127.0.0.1:161
}

echo "== bench_walk: SNMP walks through snmpd (master agentx) + fwstate-agent," \
	"kernel $(uname -r), $(nproc) CPUs =="
echo "agent: $FWSTATE_AGENT; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
pipe_round_trip
for k in "${SIZES[@]}"; do
	ns_up "$k"
	# Without sessions, then a burst: K conntracks appear at once while the agent runs.
	agent_up 0
	base_rss=$(rss_kib "$LAB_AGENT_PID")
	t0=$(now_ms)
	lab_fw "$BIN/ct_insert" -n "$k" -p 5061 -f 6 -t 7200 >/dev/null
	wait_sessions "$k" "$LAB_AGENT_PID"
	burst_ms=$(($(now_ms) - t0))
	overruns=$(snmp_num snmpget -Oqv "$OVERRUNS" 2>/dev/null || echo "?")
	lab_agent_down
	# Restarted, the agent finds the same sessions through its initial dump.
	agent_up "$k"
	rss_loaded=$(rss_kib "$LAB_AGENT_PID")

	echo
	echo "-- K = $k sessions (one IPv6 phone each); $k neighbours in snmpd's ipNetToPhysicalTable --"
	echo "event burst: $k conntracks created at once while the agent ran: all in" \
		"fwStateSessionTable after $burst_ms ms (creation included, polled), overruns: $overruns"
	echo "restart: the agent answered with all $k sessions in fwStateSessionTable" \
		"$LOADED_MS ms after it was started (initial dump; AgentX registration included)"
	walk_header
	walk fwStateSessionTable "$SESSION_TABLE" "$AGENTX_RUNS" "$LAB_RUN/sessions.walk"
	walk fwStatePhoneTable "$PHONE_TABLE" "$AGENTX_RUNS" "$LAB_RUN/phones.walk"
	pinned_walk
	walk "ipNetToPhysicalTable (snmpd)" "$NEIGH_TABLE" "$RUNS" "$LAB_RUN/neigh.walk"
	walk "system group (snmpd)" "$SYSTEM" "$RUNS"
	echo
	printf '  %-34s %-7s %10s %10s %10s %14s\n' "GETNEXT latency (us)" "where" "median" "p90" "min" \
		"snmpgetnext"
	getnext_points fwStateSessionTable "$LAB_RUN/sessions.walk" "$SESSION_TABLE.1.7"
	getnext_points "ipNetToPhysicalTable (snmpd)" "$LAB_RUN/neigh.walk" "$NEIGH_TABLE.1.4"
	line=$(lab_fw "$BIN/snmp_getnext_lat" -p "$LAB_SNMP_PEER" -n 200 getnext "$SYSUPTIME")
	printf '  %-34s %-7s %10s %10s %10s\n' "sysUpTime (snmpd scalar)" "-" "$(field "$line" median_us)" \
		"$(field "$line" p90_us)" "$(field "$line" min_us)"
	rss_after=$(rss_kib "$LAB_AGENT_PID")
	master_walks "$k"
	echo
	echo "agent VmRSS: $base_rss KiB without sessions, $rss_loaded KiB with $k sessions" \
		"($(awk -v a="$rss_loaded" -v b="$base_rss" -v k="$k" 'BEGIN { printf "%.0f", (a - b) * 1024 / k }') B/session)," \
		"$rss_after KiB after the walks"
	ns_down
done
echo
echo "in-process: bench/snmp_getnext_lat, no process start; snmpgetnext/snmpbulkwalk columns: one"
echo "process per run, started with ip netns exec, formatting included (microseconds/ms)."
echo "agent ms / snmpd ms: CPU time (user+system) of each process per walk, ${CLK_TCK} Hz ticks."
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
pipe_round_trip
