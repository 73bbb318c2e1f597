# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced by the lab benchmarks: where the sources, the benchmark build and
# its tools are (FWSTATE_BENCH_BUILD, default <repo>/build-bench), the agent
# to measure (FWSTATE_AGENT, default the one of that build), and bench_die.
# shellcheck shell=bash

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$BENCH_DIR/.." && pwd)
BUILD=${FWSTATE_BENCH_BUILD:-$SRC/build-bench}
BIN=$BUILD/bench
export FWSTATE_AGENT=${FWSTATE_AGENT:-$BUILD/fwstate-agent}
export FWSTATE_SOURCE_DIR=$SRC

# bench_die MESSAGE: "<benchmark>: MESSAGE" on stderr, exit 1.
bench_die() {
	printf '%s: %s\n' "$(basename "$0" .sh)" "$*" >&2
	exit 1
}

# field LINE KEY: the value of KEY=VALUE in a result line of a benchmark tool.
field() {
	local word
	for word in $1; do
		[[ $word == "$2="* ]] && printf '%s\n' "${word#*=}" && return 0
	done
	return 1
}

# bench_session_lab (after sourcing scripts/lab-lib.sh): the lab of a session
# benchmark, torn down on exit: namespaces, snmpd, snmptrapd, NAT, and the
# SBC's TCP server "sbc-tcp" on port 5061.
bench_session_lab() {
	lab_init
	lab_require_mibs
	lab_require_agent
	trap lab_down EXIT
	lab_up >/dev/null
	lab_session_nat
	lab_session_server sbc-tcp "$LAB_SBC_V4,5061"
	lab_session_listening sbc-tcp >/dev/null || bench_die "SBC server did not start"
}
