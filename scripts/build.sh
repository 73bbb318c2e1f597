#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# scripts/build.sh [BUILD_DIR] [CMAKE_ARG...]: configure and build (default
# BUILD_DIR: build, relative to the repository). The compiler comes from CC
# on the first configure of a build directory, e.g.
#   CC=clang scripts/build.sh build-sanitize -DFWSTATE_SANITIZE=ON -DFWSTATE_FUZZ=ON
set -euo pipefail

cd "$(dirname "$0")/.."
build_dir=${1:-build}
(($# == 0)) || shift

cmake -S . -B "$build_dir" "$@"
cmake --build "$build_dir" --parallel "$(nproc)"
