#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The Zabbix 6.0 template (packaging/zabbix/fwstate_snmp.yaml):
# - every SNMP OID in it names a readable FWSTATE-MIB object, and the lab's
#   walk through snmpd has it (a scalar's instance, a column's rows);
# - its discovery scripts, run by Zabbix's own engine (zabbix_js) on the lab's
#   rows, name phones, sessions and timeouts readably;
# - its trap items match the lab's notifications as snmptrapd logs them, each
#   its own and no other, and every NOTIFICATION-TYPE has one;
# - a real Zabbix 6.0 (Debian's frontend on PostgreSQL) imports it whole.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_init
lab_require_mibs
lab_require_agent
trap lab_down EXIT
for cmd in zabbix_js php /usr/bin/python3; do
	command -v "$cmd" >/dev/null || lab_die "$cmd not found: run scripts/setup.sh"
done
template=$LAB_SOURCE_DIR/packaging/zabbix/fwstate_snmp.yaml
tool() { /usr/bin/python3 "$LAB_SOURCE_DIR/tests/tools/zabbix_template.py" "$@"; }

# --- the lab: a masquerading firewall, an nft policy on 5061, v4 and v6 phones -------------
lab_up
lab_session_nat
lab_nft_siptls 7200 60
lab_session_server sbc-tcp "$LAB_SBC_V4,5061" "$LAB_SBC_V6,5061"
check "SBC: TCP server on $LAB_SBC_V4:5061 and [$LAB_SBC_V6]:5061" lab_session_listening sbc-tcp
lab_agent_conf
lab_agent_start
check "agent answers through snmpd" lab_wait_ready
lab_session_client v4 "$LAB_SBC_V4" 5061
check "phone: IPv4 session" lab_session_connected v4
lab_session_client v6 "$LAB_SBC_V6" 5061
check "phone: IPv6 session" lab_session_connected v6
lab_session_client gone "$LAB_SBC_V4" 5061
check "phone: a session to reset" lab_session_connected gone
check "three sessions tracked" eventually 10 lab_session_scalar_is fwStateSessionsNow 3
lab_session_do gone send RST
check "the reset is recorded" eventually 10 lab_session_scalar_is fwStateSessionTeardowns 1
v4_port=$(lab_session_ports v4)
v6_port=$(lab_session_ports v6)

walk=$(lab_snmpbulkwalk -On -Cr50 "$LAB_ROOT")
printf '%s\n' "$walk" >"$LAB_RUN/walk.txt"

# --- every OID: a readable object of the MIB, present in the walk -------------------------
oids=$(tool oids "$template")
check "the template has SNMP OIDs" test -n "$oids"
translate() { snmptranslate "${LAB_MIB_OPTS[@]}" "$@" 2>&1; }
oid_ok() {
	local kind=$1 oid=$2 key=$3 name access
	name=$(translate -OS ".$oid") || return 1
	access=$(translate -Td ".$oid" | sed -n 's/^[[:space:]]*MAX-ACCESS[[:space:]]*//p')
	echo "$key: .$oid = $name ($access)"
	[[ $name == FWSTATE-MIB::fwState* && $access == read-only ]] || return 1
	if [[ $kind == scalar ]]; then
		[[ $oid == *.0 ]] && grep -q "^\\.$(lab_re_escape "$oid") = " <<<"$walk"
	else
		grep -q "^\\.$(lab_re_escape "$oid")\\.[0-9]" <<<"$walk"
	fi
}
while IFS=$'\t' read -r kind oid key; do
	check "template OID of $key is in the MIB and the lab's walk" oid_ok "$kind" "$oid" "$key"
done <<<"$oids"

# --- discovery scripts, as Zabbix runs them -------------------------------------------------
# lld_json RULE: the rows Zabbix's SNMP discovery makes from the walk: one per
# index of the rule's first OID, with each macro's value.
lld_json() {
	tool lld "$template" "$1" | while IFS=$'\t' read -r macro oid; do
		sed -n "s/^\\.$(lab_re_escape "$oid")\\.\\([0-9.]*\\) = [^:]*: \\(.*\\)$/\\1\\t$macro\\t\\2/p" \
			<<<"$walk"
	done | /usr/bin/python3 -c '
import json, sys
rows = {}
for line in sys.stdin:
    index, macro, value = line.rstrip("\n").split("\t")
    rows.setdefault(index, {"{#SNMPINDEX}": index})[macro] = value.split("(")[-1].rstrip(")") if value.endswith(")") else value
print(json.dumps(list(rows.values())))'
}
discover() {
	tool js "$template" "$1" >"$LAB_RUN/$1.js"
	lld_json "$1" >"$LAB_RUN/$1.in"
	zabbix_js -s "$LAB_RUN/$1.js" -i "$LAB_RUN/$1.in"
}
check "sessions: the IPv4 phone and server by address and port" expect_match \
	"\"\\{#PHONE\\}\":\"$LAB_PHONE_V4\",\"\\{#PHONE.PORT\\}\":\"$v4_port\",\"\\{#SERVER\\}\":\"$LAB_SBC_V4\",\"\\{#SERVER.PORT\\}\":\"5061\",\"\\{#ZONE\\}\":\"0\"" \
	discover fwstate.session.discovery
check "sessions: the IPv6 phone and server, compressed" expect_match \
	"\"\\{#PHONE\\}\":\"$LAB_PHONE_V6\",\"\\{#PHONE.PORT\\}\":\"$v6_port\",\"\\{#SERVER\\}\":\"$LAB_SBC_V6\"" \
	discover fwstate.session.discovery
check "phones: both phone addresses" expect_match \
	"\"\\{#PHONE\\}\":\"$LAB_PHONE_V4\".*\"\\{#PHONE\\}\":\"$LAB_PHONE_V6\"|\"\\{#PHONE\\}\":\"$LAB_PHONE_V6\".*\"\\{#PHONE\\}\":\"$LAB_PHONE_V4\"" \
	discover fwstate.phone.discovery
check "timeouts: the nft policy's close_wait, checked" expect_match \
	'"\{#CHECKED\}":"1","\{#SOURCE.KIND\}":"nft","\{#SOURCE.NAME\}":"inet filter siptls","\{#PROTOCOL\}":"tcp","\{#STATE\}":"close_wait"' \
	discover fwstate.timeout.discovery
check "timeouts: the sysctl established, checked" expect_match \
	'"\{#CHECKED\}":"1","\{#SOURCE.KIND\}":"sysctl","\{#SOURCE.NAME\}":"net.netfilter","\{#PROTOCOL\}":"tcp","\{#STATE\}":"established"' \
	discover fwstate.timeout.discovery

# --- trap items against the lab's notifications ---------------------------------------------
check "the lab sent fwStateTimeoutBelowThreshold (close_wait 60)" \
	wait_for_trap "snmpTrapOID\\.0 = OID: $LAB_TRAP_BELOW( |\$)" 10
check "the lab sent fwStateSessionTornDown (the reset)" \
	wait_for_trap "snmpTrapOID\\.0 = OID: $LAB_TRAP_TORN_DOWN( |\$)" 10
traps=$(tool traps "$template")
notifications=$(translate -Tz | awk '$2 ~ /"1\.3\.6\.1\.4\.1\.8072\.9999\.9999\.660\.0\.[0-9]+"/ {gsub(/"/, "", $1); print $1}')
check "the MIB has eight notifications" expect_eq 8 wc -l <<<"$notifications"
# matches_only LINE: exactly one trap item's regex matches the trap text LINE.
matches_only() {
	local line=$1 hits=0 regex name
	while IFS=$'\t' read -r regex name; do
		if grep -Eq -- "$regex" <<<"$line"; then
			hits=$((hits + 1))
			echo "matched by: $name"
		fi
	done <<<"$traps"
	((hits == 1))
}
for n in $notifications; do
	oid=$(translate -On "FWSTATE-MIB::$n")
	check "$n: one trap item matches it (by name)" \
		matches_only "SNMPv2-MIB::snmpTrapOID.0 = OID: FWSTATE-MIB::$n | SNMPv2-MIB::sysUpTime.0"
	check "$n: one trap item matches it (numeric)" \
		matches_only ".1.3.6.1.6.3.1.1.4.1.0 = OID: $oid .1.3.6.1.2.1.1.3.0"
done
for line_re in "$LAB_TRAP_BELOW" "$LAB_TRAP_TORN_DOWN"; do
	lab_line=$(trap_lines "snmpTrapOID\\.0 = OID: $line_re( |\$)" | head -n 1)
	check "the lab's ${line_re#FWSTATE-MIB::} trap line is matched by one item" matches_only "$lab_line"
done

# --- a real Zabbix 6.0 imports it ------------------------------------------------------------
pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1)")
[[ -x $pg_bin/postgres ]] || lab_die "PostgreSQL not found: run scripts/setup.sh"
zbx=$LAB_RUN/zabbix
chmod 755 "$LAB_RUN"
mkdir "$zbx"
chown postgres:postgres "$zbx"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
as_postgres "$pg_bin/initdb" -D "$zbx/pg" -A trust -U postgres >"$zbx/initdb.log"
lab_spawn postgres "$LAB_NS_FW" setpriv --reuid=postgres --regid=postgres --init-groups \
	"$pg_bin/postgres" -D "$zbx/pg" -k "$zbx" -c listen_addresses= -p 5432
check "PostgreSQL runs" lab_poll 30 test -S "$zbx/.s.PGSQL.5432"
psql_zbx() { lab_fw psql -X -q -v ON_ERROR_STOP=1 -h "$zbx" -p 5432 -U postgres "$@"; }
lab_fw createdb -h "$zbx" -p 5432 -U postgres zabbix
schema=/usr/share/zabbix-server-pgsql
check "Zabbix 6.0 schema and data loaded" psql_zbx -d zabbix -o /dev/null -f <(zcat "$schema/schema.sql.gz" "$schema/images.sql.gz" "$schema/data.sql.gz")
# Debian's frontend, run from a copy that reads its own configuration file
cp -a /usr/share/zabbix "$zbx/ui"
sed -i "s|'/etc/zabbix/zabbix.conf.php'|'$zbx/zabbix.conf.php'|" "$zbx/ui/include/classes/core/CConfigFile.php"
cat >"$zbx/zabbix.conf.php" <<-EOF
	<?php
	\$DB['TYPE'] = 'POSTGRESQL';
	\$DB['SERVER'] = '$zbx';
	\$DB['PORT'] = '5432';
	\$DB['DATABASE'] = 'zabbix';
	\$DB['USER'] = 'postgres';
	\$DB['PASSWORD'] = '';
	\$DB['SCHEMA'] = '';
	\$DB['DOUBLE_IEEE754'] = true;
	\$ZBX_SERVER_NAME = 'fwstate lab';
	\$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
EOF
lab_spawn zabbix-web "$LAB_NS_FW" php -d memory_limit=512M -d post_max_size=16M \
	-d max_execution_time=300 -S 127.0.0.1:8080 -t "$zbx/ui"
api_up() {
	lab_fw curl -sf -H 'Content-Type: application/json-rpc' \
		-d '{"jsonrpc":"2.0","method":"apiinfo.version","params":{},"id":1}' \
		http://127.0.0.1:8080/api_jsonrpc.php
}
check "Zabbix API answers 6.0" eventually 20 expect_match '"result":"6\.0\.' api_up
imported=$(lab_fw /usr/bin/python3 "$LAB_SOURCE_DIR/tests/tools/zabbix_template.py" import "$template" \
	http://127.0.0.1:8080/api_jsonrpc.php 2>&1) || true
printf '%s\n' "$imported" >"$LAB_RUN/zabbix-import.txt"
# What Zabbix holds after the import is everything the file has.
expected=$(tool counts "$template")
while read -r what n; do
	count_of() { sed -n "s/^$1 //p" <<<"$imported"; }
	check "Zabbix imported the template's $n $what" expect_eq "$n" count_of "$what"
done <<<"$expected"
check "agent still running" lab_agent_running

lab_summary
