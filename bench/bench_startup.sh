#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/bench_startup.sh [TOTAL [SESSIONS]]: the agent's start-up on a big
# conntrack table. In the lab's firewall namespace (scripts/lab-lib.sh, with
# snmpd), bench/ct_insert creates TOTAL (default 1000000) ESTABLISHED IPv4
# conntracks, SESSIONS (default 10000) of them to TCP 5061 and the rest to 443
# (documentation addresses, no packet sent). The agent is configured with IPv4
# phone and server networks, so it walks the IPv4 table only. Timed, best of
# BENCH_RUNS (default 3), in the same run:
#   (a) the kernel's own filtered table walk: bench/bench_ct_dump filtered -4
#       (one CTA_FILTER request, IPv4, port 5061; rows only counted), and the
#       same for both families;
#   (b) conntrack -L -p tcp --dport 5061 | wc -l;
#   (c) the agent: from its start until fwStateSessionsNow.0 reads SESSIONS
#       through snmpd (polled every 10 ms), and the duration of its start-up
#       dump as it logs it (from the request until the last session is in the
#       tables).
# Needs root; raises net.netfilter.nf_conntrack_max of the initial namespace
# to TOTAL for the run (the namespaces cannot go above it) and restores it.
# Prints figures; never fails on them.
#
# Environment: FWSTATE_BENCH_BUILD (default <repo>/build-bench), FWSTATE_AGENT
# (default: the agent in that build directory), BENCH_RUNS.
set -euo pipefail

# shellcheck source=bench/bench-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
TOTAL=${1:-1000000}
SESSIONS=${2:-10000}
RUNS=${BENCH_RUNS:-3}

[[ $TOTAL =~ ^[0-9]+$ && $SESSIONS =~ ^[0-9]+$ && $RUNS =~ ^[1-9][0-9]*$ ]] || bench_die "numbers, please"
((SESSIONS >= 1 && SESSIONS < TOTAL && TOTAL <= 4000000)) || bench_die "1 <= SESSIONS < TOTAL <= 4000000"
for bin in ct_insert bench_ct_dump; do
	[[ -x $BIN/$bin ]] || bench_die "$BIN/$bin not built (bench/run.sh builds it)"
done

# shellcheck source=scripts/lab-lib.sh
source "$SRC/scripts/lab-lib.sh"

old_max=$(sysctl -n net.netfilter.nf_conntrack_max)
restore() {
	sysctl -qw net.netfilter.nf_conntrack_max="$old_max"
	lab_down
}
lab_init
lab_require_agent
trap restore EXIT
((old_max >= TOTAL)) || sysctl -qw net.netfilter.nf_conntrack_max="$TOTAL"
lab_up >/dev/null

now_ms() { echo $(($(date +%s%N) / 1000000)); }
best_of() { sort -n | head -n 1; }

echo "== bench_startup: $TOTAL conntracks ($SESSIONS to 5061), kernel $(uname -r), $(nproc) CPUs," \
	"best of $RUNS =="
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
lab_fw "$BIN/ct_insert" -n "$SESSIONS" -p 5061 -f 4 -t 7200
lab_fw "$BIN/ct_insert" -n "$((TOTAL - SESSIONS))" -p 443 -f 4 -o "$SESSIONS" -t 7200
count=$(lab_fw conntrack -C)
((count == TOTAL)) || bench_die "$count conntracks in the namespace, $TOTAL expected"
echo "nf_conntrack_buckets $(lab_fw cat /proc/sys/net/netfilter/nf_conntrack_buckets)"
echo

dump_ms() {
	lab_fw "$BIN/bench_ct_dump" filtered -r "$RUNS" "$@" | sed -n 's/^result .*best_ms=\([0-9.]*\).*/\1/p'
}
kernel4=$(dump_ms -4)
kernel46=$(dump_ms)

cli=()
for ((i = 0; i < RUNS; i++)); do
	t0=$(now_ms)
	rows=$(lab_fw conntrack -L -p tcp --dport 5061 2>/dev/null | wc -l)
	cli+=($(($(now_ms) - t0)))
done
cli_best=$(printf '%s\n' "${cli[@]}" | best_of)

lab_agent_conf "phoneNetwork 192.0.2.0/24" "serverNetwork 198.51.100.0/24" "reconcileInterval 3600"
starts=() dumps=()
for ((i = 0; i < RUNS; i++)); do
	: >"$LAB_AGENT_LOG"
	t0=$(now_ms)
	lab_agent_start
	until [[ $(lab_snmpget -Oqv FWSTATE-MIB::fwStateSessionsNow.0 2>/dev/null) == "$SESSIONS" ]]; do
		(($(now_ms) - t0 < 60000)) || bench_die "the agent did not show $SESSIONS sessions within 60 s"
		sleep 0.01
	done
	starts+=($(($(now_ms) - t0)))
	dumps+=("$(sed -n 's/.*start-up dump: [0-9]* SIP-TLS session(s), \([0-9]*\) ms.*/\1/p' "$LAB_AGENT_LOG")")
	lab_agent_stop || true
done
start_best=$(printf '%s\n' "${starts[@]}" | best_of)
dump_best=$(printf '%s\n' "${dumps[@]}" | best_of)

printf '  %-62s %10s\n' "method" "best ms"
printf '  %-62s %10s\n' "(a) kernel's filtered walk, IPv4, port 5061 (bench_ct_dump -4)" "$kernel4"
printf '  %-62s %10s\n' "(a) the same for IPv4 and IPv6 (two walks)" "$kernel46"
printf '  %-62s %10s\n' "(b) conntrack -L -p tcp --dport 5061 | wc -l ($rows rows)" "$cli_best"
printf '  %-62s %10s\n' "(c) agent start-up dump, as logged" "$dump_best"
printf '  %-62s %10s\n' "(c) agent start until fwStateSessionsNow.0 = $SESSIONS via snmpd" "$start_best"
echo
awk -v d="$dump_best" -v k="$kernel4" -v c="$cli_best" -v s="$start_best" 'BEGIN {
	printf "  start-up dump / kernel walk: %.2f x; conntrack -L / start-up dump: %.1f x; " \
	       "conntrack -L / whole start: %.1f x\n", d / k, c / d, c / s }'
echo "  runs: agent start ${starts[*]} ms; start-up dump ${dumps[*]} ms; conntrack -L ${cli[*]} ms"
