#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/bench_soak.sh [SECONDS]: a long run (default 1800 s) of everything at
# once in the lab (scripts/lab-lib.sh). A phone keeps SOAK_SESSIONS (default
# 8) sessions and resets and reopens them all every 0.5 s; two walkers
# snmpbulkwalk the whole of FWSTATE-MIB through snmpd without pause; foreign
# conntracks churn in the firewall (bench/ct_insert -D) in bursts; snmpd is
# restarted every SOAK_RESTART seconds (default 120), by SIGTERM and SIGKILL
# in turn. At the end (the churn stopped, snmpd up, the queue empty):
#   - the agent is still running (a sanitizer build of it: no report);
#   - every teardown the phone caused (its resets, and its reconnects the SBC
#     refused: each made a conntrack that the RST ended) is in the agent's
#     count, the newest teardownHistory of them in fwStateTeardownTable, and
#     each has exactly one fwStateSessionTornDown in snmptrapd's log;
#   - the agent's resident memory, sampled every 10 s, after the first
#     quarter (warm-up: the history fills) against the end.
# Needs root. Prints figures; never fails on them, only when it cannot run.
#
# Environment: FWSTATE_BENCH_BUILD (default <repo>/build-bench), FWSTATE_AGENT
# (default: the agent in that build directory), SOAK_SESSIONS, SOAK_RESTART.
set -euo pipefail

# shellcheck source=bench/bench-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
DURATION=${1:-1800}
SESSIONS=${SOAK_SESSIONS:-8}
RESTART=${SOAK_RESTART:-120}
HISTORY=1000

[[ $DURATION =~ ^[1-9][0-9]*$ ]] || bench_die "SECONDS must be a number"
[[ $SESSIONS =~ ^[1-9][0-9]*$ ]] || bench_die "SOAK_SESSIONS must be a number"
[[ $RESTART =~ ^[1-9][0-9]*$ ]] || bench_die "SOAK_RESTART must be a number"
[[ -x $BIN/ct_insert ]] || bench_die "$BIN/ct_insert not built (bench/run.sh builds it)"

# shellcheck source=scripts/lab-lib.sh
source "$SRC/scripts/lab-lib.sh"
# snmpd killed on purpose: not worth the shell's "Killed" line each time
exec 2> >(grep -v --line-buffered ' Killed ' >&2)

bench_session_lab

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$LAB_AGENT_PID/status"; }

lab_agent_conf "teardownHistory $HISTORY" "teardownNotifyLimit 100000" "teardownNotifyInterval 1"
lab_agent_start
lab_wait_ready >/dev/null || bench_die "agent did not answer"
lab_session_client phone "$LAB_SBC_V4" 5061 "$SESSIONS"
lab_session_connected phone >/dev/null || bench_die "phone sessions did not connect"

echo "== bench_soak: $DURATION s, kernel $(uname -r), $(nproc) CPUs; $SESSIONS sessions reset" \
	"and reopened every 0.5 s, 2 walkers, foreign churn bursts, snmpd restarted every $RESTART s =="
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

touch "$LAB_RUN/soak.run"
churn_sessions() {
	while [[ -e $LAB_RUN/soak.run ]]; do
		printf 'reset\n' >"$LAB_RUN/phone.ctl"
		sleep 0.25
		printf 'reconnect\n' >"$LAB_RUN/phone.ctl"
		sleep 0.25
	done
}
walker() {
	local walks=0 failed=0
	while [[ -e $LAB_RUN/soak.run ]]; do
		if lab_snmpbulkwalk -Cr50 >/dev/null 2>&1; then walks=$((walks + 1)); else failed=$((failed + 1)); fi
	done
	echo "$walks $failed" >"$LAB_RUN/walker-$1"
}
foreign_churn() {
	while [[ -e $LAB_RUN/soak.run ]]; do
		lab_fw "$BIN/ct_insert" -D -n 2000 -p 443 -f 4 -s 5 >/dev/null 2>&1 || true
		sleep 25
	done
}
sample_memory() {
	while [[ -e $LAB_RUN/soak.run ]]; do
		echo "$SECONDS $(rss_kib)" >>"$LAB_RUN/rss"
		sleep 10
	done
}
churn_sessions &
pids=($!)
walker 1 &
pids+=($!)
walker 2 &
pids+=($!)
foreign_churn &
pids+=($!)
sample_memory &
pids+=($!)

start=$SECONDS restarts=0 signal=TERM
while ((SECONDS - start < DURATION)); do
	sleep "$((RESTART < DURATION - (SECONDS - start) ? RESTART : DURATION - (SECONDS - start)))"
	((SECONDS - start < DURATION)) || break
	kill -s "$signal" "$LAB_SNMPD_PID" 2>/dev/null || true
	lab_poll 10 lab_dead "$LAB_SNMPD_PID" || bench_die "snmpd did not stop"
	wait "$LAB_SNMPD_PID" 2>/dev/null || true
	sleep 3
	lab_snmpd_start
	restarts=$((restarts + 1))
	if [[ $signal == TERM ]]; then signal=KILL; else signal=TERM; fi
	lab_alive "$LAB_AGENT_PID" || bench_die "the agent died (see $LAB_AGENT_LOG)"
done
rm -f "$LAB_RUN/soak.run"
for pid in "${pids[@]}"; do wait "$pid" || true; done
lab_alive "$LAB_AGENT_PID" || bench_die "the agent died (see $LAB_AGENT_LOG)"

# the phone's resets: every "done reset" reset all its sessions, but those it could not
caused=$(($(grep -c '^done reset$' "$LAB_RUN/phone.out" || true) * SESSIONS -
	$(grep -c '^error reset ' "$LAB_RUN/phone.out" || true)))
refused=$(grep -c '^error reconnect .*[Rr]efused' "$LAB_RUN/phone.out" || true)
other_errors=$(($(grep -c '^error reconnect ' "$LAB_RUN/phone.out" || true) - refused))
lab_poll 30 test "$(lab_scalar fwStateNotifyQueueLength)" = 0 || true
sleep 2
teardowns=$(lab_scalar fwStateSessionTeardowns)
resets=$(lab_snmpget -Oqv "$(lab_phone_oid fwStatePhoneResets "$LAB_PHONE_V4")")
history=$(lab_snmpbulkwalk -Cr100 FWSTATE-MIB::fwStateTeardownCause | grep -c '^FWSTATE-MIB::fwStateTeardownCause\.' || true)
newest=$(lab_snmpbulkwalk -Cr100 FWSTATE-MIB::fwStateTeardownCause |
	sed -n 's/^FWSTATE-MIB::fwStateTeardownCause\.\([0-9]*\) = .*/\1/p' | sort -n | sed -n '1p;$p' | paste -sd-)
trap_indexes() {
	grep -F 'fwStateSessionTornDown' "$LAB_TRAP_LOG" | sed -n 's/.*fwStateTeardownCause\.\([0-9]*\) = .*/\1/p'
}
notified=$(trap_indexes | wc -l)
unique=$(trap_indexes | sort -un | wc -l)
missing=$(comm -23 <(seq 1 "$teardowns" | sort) <(trap_indexes | sort -u) | wc -l)
in_order=yes
trap_indexes | awk 'NR > 1 && $1 < last { bad = 1 } { last = $1 } END { exit bad }' || in_order=no
read -r w1 f1 <"$LAB_RUN/walker-1"
read -r w2 f2 <"$LAB_RUN/walker-2"
quarter=$((DURATION / 4))
read -r rss_warm rss_end rss_max < <(awk -v q="$quarter" -v s="$start" '
	$1 - s >= q && !warm { warm = $2 } { last = $2; if ($2 > max) max = $2 }
	END { print warm, last, max }' "$LAB_RUN/rss")

echo
printf '  %-58s %s\n' "duration, snmpd restarts (TERM and KILL in turn)" "$DURATION s, $restarts"
printf '  %-58s %s\n' "fwStateMasterReconnects" "$(lab_scalar fwStateMasterReconnects)"
printf '  %-58s %s\n' "teardowns the phone caused: resets + refused reconnects" \
	"$((caused + refused)) ($caused + $refused; other failed reconnects: $other_errors)"
printf '  %-58s %s\n' "fwStateSessionTeardowns / fwStatePhoneResets" "$teardowns / $resets"
printf '  %-58s %s\n' "fwStateTeardownTable rows (teardownHistory $HISTORY), indexes" "$history, $newest"
printf '  %-58s %s\n' "fwStateSessionTornDown received / distinct / missing" "$notified / $unique / $missing"
printf '  %-58s %s\n' "received in index order" "$in_order"
printf '  %-58s %s\n' "fwStateNotificationsDelivered / Dropped / Resent" \
	"$(lab_scalar fwStateNotificationsDelivered) / $(lab_scalar fwStateNotificationsDropped) / $(lab_scalar fwStateNotificationsResent)"
printf '  %-58s %s\n' "walks of FWSTATE-MIB done / failed (snmpd away)" "$((w1 + w2)) / $((f1 + f2))"
printf '  %-58s %s\n' "agent RSS after warm-up ($quarter s) / at the end / max (KiB)" \
	"$rss_warm / $rss_end / $rss_max"
printf '  %-58s %s\n' "fwStateSessionOverruns" "$(lab_scalar fwStateSessionOverruns)"
printf '  %-58s %s\n' "agent alive; sanitizer reports" \
	"$(lab_alive "$LAB_AGENT_PID" && echo yes || echo no); $(find "$LAB_RUN/sanitizer" -type f | wc -l)"
