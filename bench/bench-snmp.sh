# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced by the SNMP benchmarks (bench_walk.sh, bench_modes.sh) after
# scripts/lab-lib.sh: clocks, a process's memory and CPU, SNMP by number.
# shellcheck shell=bash

CLK_TCK=$(getconf CLK_TCK)

now_ms() { echo $(($(date +%s%N) / 1000000)); }

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# user + system CPU of a process, in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

ticks_ms() { awk -v t="$1" -v hz="$CLK_TCK" -v n="${2:-1}" 'BEGIN { printf "%.0f", t * 1000 / hz / n }'; }

# A PID lab_down must not signal any more (it ended; the number may be reused).
forget_pid() {
	local keep=() pid
	for pid in "${LAB_PIDS[@]}"; do
		[[ $pid == "$1" ]] || keep+=("$pid")
	done
	LAB_PIDS=("${keep[@]}")
}

snmp_num() {
	local tool=$1
	shift
	lab_fw "$tool" -v2c -c public -t 5 -r 0 -m "" -On "$LAB_SNMP_PEER" "$@"
}


# sessions_now: fwStateSessionsNow.0, or nothing when it cannot be read.
sessions_now() { snmp_num snmpget -Oqv .1.3.6.1.4.1.8072.9999.9999.660.1.3.1.0 2>/dev/null || true; }

# wait_sessions WANT PID: until fwStateSessionsNow is WANT (bounded by
# BENCH_WAIT, default 120 s; polled every 20 ms); PID must stay alive.
wait_sessions() {
	local want=$1 pid=$2 deadline=$((SECONDS + ${BENCH_WAIT:-120})) n=''
	while :; do
		n=$(sessions_now)
		[[ $n == "$want" ]] && return 0
		lab_alive "$pid" || bench_die "the agent exited (see $LAB_AGENT_LOG)"
		((SECONDS < deadline)) || bench_die "'$n' sessions in the agent after ${BENCH_WAIT:-120} s, $want expected"
		sleep 0.02
	done
}
