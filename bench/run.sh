#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/run.sh [tracker|container|dump|walk|modes|churn|startup|soak]...: build the
# benchmarks (FWSTATE_BENCH=ON, RelWithDebInfo, in build-bench or
# FWSTATE_BENCH_BUILD) and run the ones named, default all but soak (30
# minutes; only when named), printing their figures. dump, walk, modes, churn and startup need
# root (network namespaces);
# without it they are skipped with a note.
# Benchmarks never fail on timings; this script fails only if one cannot run.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export FWSTATE_BENCH_BUILD=${FWSTATE_BENCH_BUILD:-$SRC/build-bench}
BIN=$FWSTATE_BENCH_BUILD/bench

if (($#)); then WHICH=("$@"); else WHICH=(tracker container dump walk modes churn startup); fi
for w in "${WHICH[@]}"; do
	case $w in
	tracker | container | dump | walk | modes | churn | startup | soak) ;;
	*)
		echo "usage: bench/run.sh [tracker|container|dump|walk|modes|churn|startup|soak]..." >&2
		exit 2
		;;
	esac
done

cmake -S "$SRC" -B "$FWSTATE_BENCH_BUILD" -DFWSTATE_BENCH=ON -DFWSTATE_TESTS=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$FWSTATE_BENCH_BUILD" --parallel "$(nproc)" --target bench_tracker \
	bench_container ct_insert bench_ct_dump snmp_getnext_lat fwstate-agent fwstate >/dev/null

echo "== fwstate benchmarks: $(date -u +%Y-%m-%dT%H:%MZ), kernel $(uname -r), $(nproc) CPUs," \
	"$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "   build type RelWithDebInfo ($FWSTATE_BENCH_BUILD), load average" \
	"$(cut -d' ' -f1-3 /proc/loadavg)"

needs_root() {
	if [[ $EUID -ne 0 ]]; then
		echo
		echo "== $1: skipped (needs root for network namespaces) =="
		return 1
	fi
}

for w in "${WHICH[@]}"; do
	case $w in
	tracker)
		echo
		echo "== bench_tracker =="
		"$BIN/bench_tracker"
		;;
	container)
		echo
		echo "== bench_container =="
		"$BIN/bench_container"
		;;
	dump)
		needs_root bench_dump || continue
		echo
		"$SRC/bench/bench_dump.sh"
		;;
	walk)
		needs_root bench_walk || continue
		echo
		"$SRC/bench/bench_walk.sh"
		;;
	modes)
		needs_root bench_modes || continue
		echo
		"$SRC/bench/bench_modes.sh"
		;;
	churn)
		needs_root bench_churn || continue
		echo
		"$SRC/bench/bench_churn.sh"
		;;
	startup)
		needs_root bench_startup || continue
		echo
		"$SRC/bench/bench_startup.sh"
		;;
	soak)
		needs_root bench_soak || continue
		echo
		"$SRC/bench/bench_soak.sh"
		;;
	esac
done
