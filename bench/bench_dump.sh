#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/bench_dump.sh [SIP_COUNT [OTHER_COUNT]]: conntrack dumps against the
# real kernel, in a throw-away network namespace. Inserts SIP_COUNT (default
# 20000) ESTABLISHED TCP conntracks to port 5061 and OTHER_COUNT (default
# 80000) to port 443 with bench/ct_insert (documentation addresses, timeout
# 600 s, no packet sent), then times, best of BENCH_RUNS (default 3):
#   (a) an unfiltered netlink dump whose messages are only counted, and the
#       same with every message through fw_ct_parse;
#   (b) the collector's kernel-filtered dump (fw_ct_netlink_start_dump and
#       fw_ct_netlink_process_dump), for sipPort 5061 and for four ports;
#   (c) the collector's fallback, one unfiltered dump filtered in user space;
#   (d) conntrack -L -p tcp --dport 5061 | wc -l and conntrack -L | wc -l.
# Needs root. Prints figures; never fails on them.
#
# Environment: FWSTATE_BENCH_BUILD (build directory; default <repo>/build-bench),
# BENCH_RUNS.
set -euo pipefail

# shellcheck source=bench/bench-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
SIP=${1:-20000}
OTHER=${2:-80000}
RUNS=${BENCH_RUNS:-3}
NS=
LOG_DIR=

die() {
	printf 'bench_dump: %s\n' "$*" >&2
	exit 1
}

[[ $EUID -eq 0 ]] || die "must run as root (network namespaces, conntrack)"
[[ $SIP =~ ^[0-9]+$ && $OTHER =~ ^[0-9]+$ && $RUNS =~ ^[1-9][0-9]*$ ]] || die "counts must be numbers"
((SIP >= 1 && SIP + OTHER <= 1000000)) || die "between 1 and 1000000 conntracks, please"
for cmd in ip conntrack; do
	command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' not found"
done
for bin in ct_insert bench_ct_dump; do
	[[ -x $BIN/$bin ]] || die "$BIN/$bin not built (bench/run.sh builds it)"
done

cleanup() {
	local pid
	set +e
	if [[ -n $NS ]]; then
		# Only our own tools ever run in this namespace.
		for pid in $(ip netns pids "$NS" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$NS" 2>/dev/null
	fi
	[[ -z $LOG_DIR ]] || rm -rf "$LOG_DIR"
}
trap cleanup EXIT

in_ns() { ip netns exec "$NS" "$@"; }

now_ns() { date +%s%N; }

row() {
	# method, rows, best ms; plus ns per conntrack in the table
	local ns_per
	ns_per=$(awk -v ms="$3" -v n="$TOTAL" 'BEGIN { printf "%.0f", ms * 1e6 / n }')
	printf '  %-58s %8s %10s %12s\n' "$1" "$2" "$3" "$ns_per"
}

# dump_tool LABEL MODE [ARG...]: bench_ct_dump in the namespace; prints the row.
dump_tool() {
	local label=$1 out result
	shift
	out=$(in_ns "$BIN/bench_ct_dump" "$@" -r "$RUNS" 2>>"$LOG_DIR/stderr") ||
		die "bench_ct_dump $*: $(cat "$LOG_DIR/stderr")"
	result=$(grep '^result ' <<<"$out")
	row "$label" "$(field "$result" rows)" "$(field "$result" best_ms)"
	printf '%s\n' "$out" >>"$LOG_DIR/runs"
}

# conntrack_tool LABEL ARG...: conntrack -L ARG... | wc -l, best of RUNS, process start included.
conntrack_tool() {
	local label=$1 best='' rows t0 t1 ms i
	shift
	for ((i = 0; i < RUNS; i++)); do
		t0=$(now_ns)
		rows=$(in_ns conntrack -L "$@" 2>/dev/null | wc -l)
		t1=$(now_ns)
		ms=$(((t1 - t0) / 1000))
		if [[ -z $best ]] || ((ms < best)); then best=$ms; fi
	done
	row "$label" "$rows" "$(awk -v us="$best" 'BEGIN { printf "%.2f", us / 1000 }')"
}

NS="fwsbench$$-dump"
ip netns add "$NS"
ip -n "$NS" link set lo up
if ! in_ns test -e /proc/sys/net/netfilter/nf_conntrack_max; then
	modprobe nf_conntrack 2>/dev/null || true
	in_ns test -e /proc/sys/net/netfilter/nf_conntrack_max || die "no conntrack in the namespace"
fi
TOTAL=$((SIP + OTHER))
max=$(in_ns cat /proc/sys/net/netfilter/nf_conntrack_max)
((TOTAL <= max)) || die "nf_conntrack_max is $max, below the $TOTAL entries wanted"
LOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fwstate-bench-dump.XXXXXX")

echo "== bench_dump: conntrack dumps, kernel $(uname -r), $(nproc) CPUs, best of $RUNS =="
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
in_ns "$BIN/ct_insert" -n "$SIP" -p 5061 -f 4 -t 600
in_ns "$BIN/ct_insert" -n "$OTHER" -p 443 -f 4 -o "$SIP" -t 600
count=$(in_ns conntrack -C)
((count == TOTAL)) || die "$count conntracks in the namespace, $TOTAL expected"
echo "table: $TOTAL conntracks ($SIP to port 5061, $OTHER to port 443), nf_conntrack_buckets" \
	"$(in_ns cat /proc/sys/net/netfilter/nf_conntrack_buckets)"
echo
printf '  %-58s %8s %10s %12s\n' "method" "rows" "best ms" "ns/entry"
dump_tool "(a) raw unfiltered dump, messages counted" raw
dump_tool "(a) raw unfiltered dump + fw_ct_parse, 5061 rows counted" raw-parse
dump_tool "(b) collector, kernel-filtered (CTA_FILTER), sipPort 5061" filtered
dump_tool "(b) collector, kernel-filtered, sipPort 5061 5062 5063 5064" filtered \
	-P 5061 -P 5062 -P 5063 -P 5064
dump_tool "(b) collector, kernel-filtered, sipPort 5062 (no rows)" filtered -P 5062
dump_tool "(c) collector, unfiltered dump filtered in user space" userspace
conntrack_tool "(d) conntrack -L -p tcp --dport 5061 | wc -l" -p tcp --dport 5061
conntrack_tool "(d) conntrack -L | wc -l"
echo
echo "ns/entry: wall time divided by the $TOTAL conntracks in the table (each dump walks all)."
echo "(b) sends one request per port and family (IPv4, IPv6): each walks the whole table."
echo "(d) includes starting conntrack in the namespace and formatting its text."
sed -n 's/^run /  run: /p' "$LOG_DIR/runs"
grep -h 'filtering conntrack dumps here' "$LOG_DIR/stderr" | sed 's/^/  log: /' || true
