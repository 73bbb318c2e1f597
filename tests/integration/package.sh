#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install and package:
# - cmake --install to another prefix puts each file where it belongs, the
#   unit's paths follow the prefix, and a second install keeps a changed
#   configuration;
# - scripts/package.sh builds the Debian package from this tree; it depends
#   on the libraries it links, holds the binary, MIB, unit, man pages,
#   examples and a conffile; installed on this machine, its fwstate-agent
#   answers --version and judges the lab's firewall with --check (a stock
#   one fails, the fixed one passes); its unit and man pages are valid; it
#   purges cleanly.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_init
trap lab_down EXIT
src=$LAB_SOURCE_DIR
version=$(sed -n 's/^project(fwstate VERSION \([0-9.]*\) .*/\1/p' "$src/CMakeLists.txt")

# --- cmake --install, to /opt/fwstate in a staging directory --------------------------------
# (GNUInstallDirs puts the configuration of an /opt prefix under /etc/opt, as the FHS says.)
conf=/etc/opt/fwstate/snmp/fwstate-agent.conf
build=$LAB_RUN/build-install
stage=$LAB_RUN/stage
configure_install() {
	cmake -S "$src" -B "$build" -DFWSTATE_TESTS=OFF -DCMAKE_INSTALL_PREFIX=/opt/fwstate >/dev/null &&
		cmake --build "$build" --parallel "$(nproc)" >/dev/null &&
		DESTDIR=$stage cmake --install "$build"
}
check "cmake --install with prefix /opt/fwstate" configure_install
for f in sbin/fwstate-agent share/snmp/mibs/FWSTATE-MIB.txt lib/systemd/system/fwstate-agent.service \
	share/man/man8/fwstate-agent.8 share/man/man5/fwstate-agent.conf.5 \
	share/doc/fwstate/examples/fwstate-agent.conf share/doc/fwstate/examples/snmpd-fwstate.conf \
	share/doc/fwstate/examples/snmp_exporter/snmp.yml share/doc/fwstate/examples/zabbix/fwstate_snmp.yaml \
	lib/snmp/dlmod/fwstate.so share/doc/fwstate/examples/snmpd-fwstate-dlmod.conf \
	share/doc/fwstate/examples/fwstate-dlmod.service.conf; do
	check "installed: /opt/fwstate/$f" test -s "$stage/opt/fwstate/$f"
done
check "installed: $conf" test -s "$stage$conf"
check "the dlmod example loads the prefix's module" grep -qx 'dlmod fwstate /opt/fwstate/lib/snmp/dlmod/fwstate.so' \
	"$stage/opt/fwstate/share/doc/fwstate/examples/snmpd-fwstate-dlmod.conf"
check "the unit runs the prefix's binary with the prefix's configuration" expect_match \
	"^ExecStart=/opt/fwstate/sbin/fwstate-agent -f -Lsd -C -c $(lab_re_escape "$conf")\$" \
	cat "$stage/opt/fwstate/lib/systemd/system/fwstate-agent.service"
check "the man page names the prefix's files" \
	expect_match "$(lab_re_escape "$conf")" cat "$stage/opt/fwstate/share/man/man8/fwstate-agent.8"
echo "timeoutThreshold 900" >>"$stage$conf"
check "a second install keeps the changed configuration" eval \
	"DESTDIR=$stage cmake --install $build >/dev/null && grep -q '^timeoutThreshold 900\$' $stage$conf"

# --- man pages -------------------------------------------------------------------------------
man_clean() { LC_ALL=C.UTF-8 MANROFFSEQ='' groff -man -ww -z -Tutf8 "$1" 2>&1 && [[ -z $(LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$1" 2>&1) ]]; }
for page in man8/fwstate-agent.8 man5/fwstate-agent.conf.5; do
	check "man page $page formats without a warning" man_clean "$stage/opt/fwstate/share/man/$page"
done
directives=$("$build/fwstate-agent" --help | sed -n 's/^  \([a-zA-Z]*\) .*/\1/p' | grep -v '^-' || true)
check "fwstate-agent --help lists the directives" test -n "$directives"
for d in $directives; do
	check "fwstate-agent.conf(5) documents $d" grep -q "^\\.B[IR]* $d\\b" "$stage/opt/fwstate/share/man/man5/fwstate-agent.conf.5"
done
for o in -f -x -c -C -L -D -p --master --check --json --version --help; do
	check "fwstate-agent(8) documents $o" grep -qF -- "${o//-/\\-}" "$stage/opt/fwstate/share/man/man8/fwstate-agent.8"
done

# --- the Debian package ----------------------------------------------------------------------
deb_dir=$LAB_RUN/deb
check "scripts/package.sh builds the package" bash "$src/scripts/package.sh" "$deb_dir"
deb=$(ls "$deb_dir"/fwstate-agent_"$version"_*.deb 2>/dev/null | head -n 1)
check "package file fwstate-agent_${version}_*.deb" test -s "${deb:-/nonexistent}"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libsnmp40 libmnl0 adduser; do
	check "Depends names $lib" expect_match "(^|, )$lib( |,|$)" echo "$depends"
done
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for f in "./usr/lib/$multiarch/snmp/dlmod/fwstate.so" ./usr/share/doc/fwstate-agent/examples/snmpd-fwstate-dlmod.conf \
	./usr/share/doc/fwstate-agent/examples/fwstate-dlmod.service.conf ./usr/sbin/fwstate-agent ./usr/share/snmp/mibs/FWSTATE-MIB.txt ./lib/systemd/system/fwstate-agent.service \
	./usr/share/man/man8/fwstate-agent.8.gz ./usr/share/man/man5/fwstate-agent.conf.5.gz ./etc/snmp/fwstate-agent.conf \
	./usr/share/doc/fwstate-agent/examples/snmpd-fwstate.conf ./usr/share/doc/fwstate-agent/copyright; do
	check "package holds $f" grep -qxF "$f" <<<"$contents"
done
check "nothing outside the usual places" expect_no_match '^\./(tmp|home|root|build)' echo "$contents"
mkdir "$LAB_RUN/control"
dpkg-deb -e "$deb" "$LAB_RUN/control"
check "the configuration is a conffile" grep -qx /etc/snmp/fwstate-agent.conf "$LAB_RUN/control/conffiles"

# Installed on this machine, without starting anything (no init system here).
if dpkg-query -W -f='${db:Status-Status}' fwstate-agent 2>/dev/null | grep -q installed; then
	lab_die "fwstate-agent is already installed on this machine; not touching it"
fi
policy_rc=/usr/sbin/policy-rc.d
made_policy_rc=0
if [[ ! -e $policy_rc ]]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy_rc"
	chmod 755 "$policy_rc"
	made_policy_rc=1
fi
purge() {
	dpkg --purge fwstate-agent >/dev/null 2>&1 || true
	((made_policy_rc == 0)) || rm -f "$policy_rc"
}
trap 'purge; lab_down' EXIT
check "dpkg -i installs it" dpkg -i "$deb"
check "installed: fwstate-agent --version" \
	expect_match "^fwstate-agent $(lab_re_escape "$version") \\(Net-SNMP " /usr/sbin/fwstate-agent --version
check "installed: the system user and group fwstate" id fwstate
check "installed: the unit verifies (systemd-analyze verify)" systemd-analyze verify /lib/systemd/system/fwstate-agent.service
check "installed: man fwstate-agent" expect_match 'fwstate-agent --check' man -P cat fwstate-agent
check "installed: man fwstate-agent.conf" expect_match 'timeoutThreshold' man -P cat 5 fwstate-agent.conf

lab_netns_up
lab_fw sysctl -qw "$LAB_SYSCTL_CLOSE_WAIT=60"
installed_check() { lab_fw /usr/sbin/fwstate-agent --check -C -c /etc/snmp/fwstate-agent.conf; }
check "installed --check on a stock firewall: close_wait FAILs" \
	expect_match '^FAIL +sysctl net\.netfilter\.nf_conntrack_tcp_timeout_close_wait: 60 s' \
	eval 'installed_check || true'
check "installed --check on a stock firewall: exit status 1" expect_status 1 installed_check
lab_fw sysctl -qw "$LAB_SYSCTL_CLOSE_WAIT=660"
check "installed --check on the fixed firewall: exit status 0" expect_status 0 installed_check

# The installed module in snmpd, on the installed example lines.
example=/usr/share/doc/fwstate-agent/examples/snmpd-fwstate-dlmod.conf
sed -e 's|192\.0\.2\.50|127.0.0.1|' "$example" >"$LAB_RUN/snmpd-dlmod.conf"
echo "agentaddress udp:127.0.0.1:161" >>"$LAB_RUN/snmpd-dlmod.conf"
check "the installed example names the installed module" \
	test -f "$(sed -n 's/^dlmod fwstate //p' "$example")"
lab_spawn snmpd "$LAB_NS_FW" snmpd -f -C -c "$LAB_RUN/snmpd-dlmod.conf" -Lf "$LAB_RUN/snmpd-dlmod.log"
check "snmpd with the installed example listens" lab_poll 15 lab_udp_listening 161
check "... and serves FWSTATE-MIB from the module" eventually 10 expect_match '(snmpdModule\(3\)|INTEGER: 3)$' \
	lab_snmpget -On "$LAB_ROOT_NUMERIC.1.4.4.0"
kill -TERM "$LAB_SPAWNED"
lab_poll 10 lab_dead "$LAB_SPAWNED" || true

check "dpkg --purge removes it" dpkg --purge fwstate-agent
check "purged: no binary, no configuration" eval '! test -e /usr/sbin/fwstate-agent && ! test -e /etc/snmp/fwstate-agent.conf'

lab_summary
