#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install what building, testing and the namespace lab need on Debian 12
# (bookworm). Run as root; safe to run again: when everything is installed
# already it changes nothing and needs no network.
set -euo pipefail

packages=(
	# build
	build-essential cmake pkg-config clang libclang-rt-dev
	libsnmp-dev libmnl-dev libcmocka-dev
	# MIB check, and the NMS side: Prometheus' snmp_exporter and its generator
	smitools prometheus-snmp-exporter curl
	# lab: namespaces, netfilter, Net-SNMP daemons and tools, TLS test peer
	iproute2 iputils-ping procps kmod nftables nfct conntrack
	snmp snmpd snmptrapd openssl ca-certificates
	# session tests: TCP peers; the agent under memcheck
	python3 valgrind
	# the Debian package, its man pages and unit
	debhelper dpkg-dev fakeroot groff-base man-db systemd
	# Zabbix 6.0 to import the template into (php-cgi keeps apache out)
	postgresql zabbix-server-pgsql zabbix-frontend-php php-cli php-cgi php-pgsql python3-yaml
)

if [[ $EUID -ne 0 ]]; then
	echo "setup.sh: must run as root (it installs packages with apt-get)" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "setup.sh: apt-get not found; this script is for Debian 12 (bookworm)" >&2
	exit 1
fi

missing=()
for pkg in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[[ $status == installed ]] || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
	echo "setup.sh: all ${#packages[@]} packages are installed"
	exit 0
fi

echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup.sh: done"
