#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# scripts/package.sh [OUT_DIR]: build the Debian package fwstate-agent from
# this tree (dpkg-buildpackage, packaging/debian) into OUT_DIR (default:
# build-deb, relative to the repository). Needs debhelper and the build
# dependencies (scripts/setup.sh installs them); runs as any user.
set -euo pipefail

cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-build-deb}")
version=$(sed -n 's/^project(fwstate VERSION \([0-9.]*\) .*/\1/p' CMakeLists.txt)
changelog=$(sed -n '1s/^fwstate (\([^)]*\)).*/\1/p' packaging/debian/changelog)
if [[ -z $version || $version != "$changelog" ]]; then
	echo "package.sh: CMakeLists.txt says version '$version', packaging/debian/changelog '$changelog'" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=$work/fwstate-$version
mkdir "$src"
# the tree as it is (uncommitted changes included), without build output
tar --exclude='./build*' --exclude=./.git -cf - . | tar -xf - -C "$src"
cp -a packaging/debian "$src/debian"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 || {
	tail -n 40 "$work/build.log" >&2
	echo "package.sh: dpkg-buildpackage failed" >&2
	exit 1
}
mkdir -p "$out"
mv "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes "$out/"
ls "$out"/fwstate-agent_"$version"_*.deb
