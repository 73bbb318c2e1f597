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
