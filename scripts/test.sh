#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The whole test run (as root: the integration tests build network
# namespaces): install dependencies, build with gcc and with clang +
# AddressSanitizer/UndefinedBehaviorSanitizer + libFuzzer, run the unit and
# fuzz tests of the sanitizer build, then every test of the gcc build
# (unit, fuzz replay, MIB check, integration), then the integration tests
# again against the sanitizer build of the agent (all but valgrind's and the
# package's, which do not test that binary). Stops at the first failing step;
# the output ends with the summary of the last ctest run.
set -euo pipefail

cd "$(dirname "$0")/.."
jobs=$(nproc)

bash scripts/setup.sh
bash scripts/build.sh build
CC=clang bash scripts/build.sh build-sanitize -DFWSTATE_SANITIZE=ON -DFWSTATE_FUZZ=ON

ctest --test-dir build-sanitize -L 'unit|fuzz' --output-on-failure --parallel "$jobs"
ctest --test-dir build --output-on-failure --parallel "$jobs"
ctest --test-dir build-sanitize -L integration -E 'integration\.(memcheck|package)$' --output-on-failure
