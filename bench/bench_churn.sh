#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/bench_churn.sh [SECONDS]: what foreign conntrack churn costs the agent.
# In the lab (scripts/lab-lib.sh: phone, firewall and SBC namespaces, snmpd,
# snmptrapd), with BENCH_SESSIONS (default 40) real TCP phone sessions through
# the firewall, bench/ct_insert -D creates and deletes conntracks to TCP 443 in
# the firewall's namespace for SECONDS (default 10): two events each, at the
# rate the kernel takes. Every phone session is reset by the server while it
# runs. Measured, for three set-ups:
#   (0) no agent: the churn's own rate (the anchor);
#   (1) the agent with its kernel-side event filter;
#   (2) the agent where the kernel refuses the filter (net.core.optmem_max 64
#       in the firewall's namespace): every event reaches it and is filtered
#       in user space.
# Figures: events and events/s, the agent's CPU time (from /proc/PID/schedstat)
# per million events, fwStateSessionEvents, fwStateSessionOverruns, the resets
# the phone's table counts (fwStatePhoneResets; notifications beyond storm
# control's limit are held, the counts are not) and teardowns of any other
# cause (missed, other, a timeout). Needs root. Prints figures; never fails on them.
#
# Environment: FWSTATE_BENCH_BUILD (default <repo>/build-bench), FWSTATE_AGENT
# (default: the agent in that build directory), BENCH_SESSIONS.
set -euo pipefail

# shellcheck source=bench/bench-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
SECONDS_CHURN=${1:-10}
SESSIONS=${BENCH_SESSIONS:-40}

[[ $SECONDS_CHURN =~ ^[1-9][0-9]*$ ]] || bench_die "SECONDS must be a number"
[[ $SESSIONS =~ ^[1-9][0-9]*$ ]] && ((SESSIONS % 2 == 0)) || bench_die "BENCH_SESSIONS: an even number"
[[ -x $BIN/ct_insert ]] || bench_die "$BIN/ct_insert not built (bench/run.sh builds it)"

# shellcheck source=scripts/lab-lib.sh
source "$SRC/scripts/lab-lib.sh"

bench_session_lab

# cpu_ns PID: CPU time the process has used, in ns.
cpu_ns() { awk '{ print $1 }' "/proc/$1/schedstat"; }
scalar() { lab_snmpget -Oqv "FWSTATE-MIB::$1.0"; }
events_of() { sed -n 's/.*: \([0-9]*\) events) in \([0-9.]*\) s.*/\1 \2/p' "$1"; }
# every teardown is counted at its phone, notified or held by storm control
resets() { lab_snmpget -Oqv "$(lab_phone_oid fwStatePhoneResets "$LAB_PHONE_V4")" 2>/dev/null || echo 0; }
not_reset() {
	local n=0 c
	for c in fwStatePhoneMissed fwStatePhoneOtherTeardowns fwStatePhoneIdleTimeouts fwStatePhoneUnackedTimeouts; do
		n=$((n + $(lab_snmpget -Oqv "$(lab_phone_oid "$c" "$LAB_PHONE_V4")" 2>/dev/null || echo 0)))
	done
	echo "$n"
}

# churn LABEL: one churn run in the firewall's namespace; prints "events seconds".
churn() {
	lab_fw "$BIN/ct_insert" -D -n 4000 -p 443 -f 4 -s "$SECONDS_CHURN" >"$LAB_RUN/churn-$1.out" 2>&1 ||
		bench_die "ct_insert: $(cat "$LAB_RUN/churn-$1.out")"
	events_of "$LAB_RUN/churn-$1.out"
}

echo "== bench_churn: foreign conntrack churn, kernel $(uname -r), $(nproc) CPUs," \
	"$SECONDS_CHURN s per run, $SESSIONS phone sessions =="
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# drop_all_listener: subscribes to the conntrack event groups and drops everything (BPF "ret #0").
drop_all_listener() {
	cat >"$LAB_RUN/drop_all.py" <<-'EOF'
		import ctypes, signal, socket, struct
		sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)  # NETLINK_NETFILTER
		sock.bind((0, 7))  # NFNLGRP_CONNTRACK_NEW, _UPDATE, _DESTROY
		insn = (ctypes.c_ubyte * 8).from_buffer_copy(struct.pack("HBBI", 0x06, 0, 0, 0))
		sock.setsockopt(socket.SOL_SOCKET, 26, struct.pack("HL", 1, ctypes.addressof(insn)))
		print("ready", flush=True)
		signal.pause()
	EOF
	lab_spawn drop_all "$LAB_NS_FW" python3 "$LAB_RUN/drop_all.py"
	lab_poll 5 grep -q ready "$LAB_RUN/drop_all.out" || bench_die "listener did not start"
}

rate() { awk -v e="$1" -v s="$2" 'BEGIN { print e / s }'; }
printf '  %-46s %10s %9s %12s\n' "set-up" "events" "events/s" "CPU s / M"
read -r events secs < <(churn none)
printf '  %-46s %10s %9.0f %12s\n' "(0) no agent listening" "$events" "$(rate "$events" "$secs")" "-"
drop_all_listener
read -r events secs < <(churn dropall)
printf '  %-46s %10s %9.0f %12s\n' "(0b) a listener dropping all in the kernel" "$events" "$(rate "$events" "$secs")" "-"
kill "$LAB_SPAWNED" 2>/dev/null || true

run() {
	local label=$1 name=$2 pid cpu0 cpu1 ev0 ev1 resets0
	lab_agent_conf "reconcileInterval 3600"
	: >"$LAB_AGENT_LOG"
	lab_agent_start
	lab_wait_ready >/dev/null || bench_die "agent did not answer"
	pid=$LAB_AGENT_PID
	lab_session_client "s$name" "$LAB_SBC_V4" 5061 "$SESSIONS"
	lab_session_connected "s$name" >/dev/null || bench_die "phone sessions did not connect"
	lab_poll 20 test "$(scalar fwStateSessionsNow)" = "$SESSIONS" ||
		bench_die "the agent shows $(scalar fwStateSessionsNow) of $SESSIONS sessions"
	filter=$(scalar fwStateSessionEventFilter)
	resets0=$(resets)
	other0=$(not_reset)
	ev0=$(scalar fwStateSessionEvents)
	cpu0=$(cpu_ns "$pid")
	churn "$name" >"$LAB_RUN/result-$name" &
	local churn_pid=$!
	sleep 1
	# every session: the server resets it while the churn runs
	lab_session_do "s$name" send RST >/dev/null
	wait "$churn_pid"
	cpu1=$(cpu_ns "$pid")
	read -r events secs <"$LAB_RUN/result-$name"
	lab_poll 10 test "$(($(resets) - resets0))" -ge "$SESSIONS" || true
	ev1=$(scalar fwStateSessionEvents)
	printf '  %-46s %10s %9.0f %12.4f\n' "$label" "$events" \
		"$(rate "$events" "$secs")" \
		"$(awk -v c="$((cpu1 - cpu0))" -v e="$events" 'BEGIN { print c / 1e9 / (e / 1e6) }')"
	printf '      fwStateSessionEventFilter %s; agent CPU %.3f s; fwStateSessionEvents +%s;\n' \
		"$filter" "$(awk -v c="$((cpu1 - cpu0))" 'BEGIN { print c / 1e9 }')" "$((ev1 - ev0))"
	printf '      overruns %s; resets recorded %s of %s; teardowns of another cause %s\n' \
		"$(scalar fwStateSessionOverruns)" "$(($(resets) - resets0))" "$SESSIONS" \
		"$(($(not_reset) - other0))"
	lab_session_do "s$name" exit >/dev/null || true
	lab_agent_stop || true
}

run "(1) agent, kernel-side event filter" filtered
lab_fw sysctl -qw net.core.optmem_max=64
run "(2) agent, filter refused: user-space filtering" userspace
echo
echo "CPU s / M: the agent's CPU time during the churn per million churn events."
echo "Resets: all $SESSIONS sessions are reset by the server 1 s into the churn."
