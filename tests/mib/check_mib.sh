#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Checks mibs/FWSTATE-MIB.txt: smilint at level 5 must print nothing,
# snmptranslate must load it without complaint, and every node must keep
# the numeric OID the agent is built against (so renumbering fails here).
#
# The IETF modules it imports are taken from $FWSTATE_IETF_MIBS, by
# default <repo>/../shared/mibs/ietf.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)
ietf=${FWSTATE_IETF_MIBS:-$repo/../shared/mibs/ietf}
mib_dir=$repo/mibs
mib=$mib_dir/FWSTATE-MIB.txt
module=FWSTATE-MIB
root=.1.3.6.1.4.1.8072.9999.9999.660

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*" >&2
}

for tool in smilint snmptranslate; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "FAIL: $tool not found (install smitools / snmp)" >&2
		exit 1
	fi
done
if [[ ! -f $ietf/SNMPv2-SMI.txt ]]; then
	echo "FAIL: no IETF MIB modules in $ietf (set FWSTATE_IETF_MIBS)" >&2
	exit 1
fi
if [[ ! -f $mib ]]; then
	echo "FAIL: $mib missing" >&2
	exit 1
fi

# Keep snmptranslate away from the user's and the system's Net-SNMP state
# and configuration; cert_indexes is created up front so that it does not
# announce creating it on stderr.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/cert_indexes"
export SNMP_PERSISTENT_DIR=$tmp SNMPCONFPATH=$tmp
unset MIBS MIBDIRS MIBFILES

translate() {
	snmptranslate -M "$ietf:$mib_dir" -m "$module" "$@"
}

# --- smilint -----------------------------------------------------------------
if lint=$(SMIPATH="$ietf:$mib_dir" smilint -l 5 "$mib" 2>&1) && [[ -z $lint ]]; then
	ok
else
	bad "smilint -l 5 $mib:"
	printf '%s\n' "$lint" >&2
fi

# --- snmptranslate -Tp -------------------------------------------------------
if tree=$(translate -Tp -IR fwStateMIB 2>"$tmp/tp.err") && [[ ! -s $tmp/tp.err ]] &&
	grep -q 'fwStateMIB(660)' <<<"$tree"; then
	ok
else
	bad "snmptranslate -Tp -IR fwStateMIB:"
	cat "$tmp/tp.err" >&2
fi

# --- name -> numeric OID -----------------------------------------------------
# Every node of the module. The nodes under $root must be exactly these.
declare -A expect=(
	[fwStateNetSnmp]=.1.3.6.1.4.1.8072
	[fwStateNetSnmpExperimental]=.1.3.6.1.4.1.8072.9999
	[fwStateNetSnmpPlaypen]=.1.3.6.1.4.1.8072.9999.9999
	[fwStateMIB]=$root

	[fwStateNotifications]=$root.0
	[fwStateTimeoutBelowThreshold]=$root.0.1
	[fwStateTimeoutCleared]=$root.0.2

	[fwStateObjects]=$root.1
	[fwStateTimeouts]=$root.1.1
	[fwStateTimeoutThreshold]=$root.1.1.1
	[fwStateTimeoutPollInterval]=$root.1.1.2
	[fwStateTimeoutsBelowThreshold]=$root.1.1.3
	[fwStateTimeoutLastCheck]=$root.1.1.4
	[fwStateTimeoutReadErrors]=$root.1.1.5
	[fwStateTimeoutLastReadError]=$root.1.1.6

	[fwStateTimeoutTable]=$root.1.1.7
	[fwStateTimeoutEntry]=$root.1.1.7.1
	[fwStateTimeoutSourceKind]=$root.1.1.7.1.1
	[fwStateTimeoutSourceName]=$root.1.1.7.1.2
	[fwStateTimeoutProtocol]=$root.1.1.7.1.3
	[fwStateTimeoutState]=$root.1.1.7.1.4
	[fwStateTimeoutValue]=$root.1.1.7.1.5
	[fwStateTimeoutChecked]=$root.1.1.7.1.6
	[fwStateTimeoutStatus]=$root.1.1.7.1.7
	[fwStateTimeoutStale]=$root.1.1.7.1.8

	[fwStateSourceTable]=$root.1.1.8
	[fwStateSourceEntry]=$root.1.1.8.1
	[fwStateSourceKind]=$root.1.1.8.1.1
	[fwStateSourceStatus]=$root.1.1.8.1.2
	[fwStateSourceTimeouts]=$root.1.1.8.1.3
	[fwStateSourceReadErrors]=$root.1.1.8.1.4
	[fwStateSourceLastError]=$root.1.1.8.1.5

	[fwStateNotifyObjects]=$root.1.2
	[fwStateNotifySourceKind]=$root.1.2.1
	[fwStateNotifySourceName]=$root.1.2.2
	[fwStateNotifyProtocol]=$root.1.2.3
	[fwStateNotifyState]=$root.1.2.4
	[fwStateNotifyTimeoutValue]=$root.1.2.5
	[fwStateNotifyClearReason]=$root.1.2.6

	[fwStateConformance]=$root.2
	[fwStateGroups]=$root.2.1
	[fwStateTimeoutGroup]=$root.2.1.1
	[fwStateNotifyObjectsGroup]=$root.2.1.2
	[fwStateTimeoutNotificationsGroup]=$root.2.1.3
	[fwStateCompliances]=$root.2.2
	[fwStateCompliance]=$root.2.2.1
)

for name in $(printf '%s\n' "${!expect[@]}" | sort); do
	want=${expect[$name]}
	if got=$(translate -On "$module::$name" 2>&1) && [[ $got == "$want" ]]; then
		ok
	else
		bad "$name: expected $want, got '$got'"
	fi
done

# No node under the root that the table above does not know about.
if all=$(translate -Tz 2>&1); then
	extra=0
	while read -r label oid; do
		label=${label//\"/}
		oid=.${oid//\"/}
		[[ $oid == "$root" || $oid == "$root".* ]] || continue
		if [[ ${expect[$label]-} != "$oid" ]]; then
			bad "unexpected node $label = $oid (add it to this test)"
			extra=1
		fi
	done <<<"$all"
	[[ $extra == 0 ]] && ok
else
	bad "snmptranslate -Tz: $all"
fi

# --- enumerations and index bounds the C code depends on --------------------
syntax_of() {
	translate -Td "$module::$1" 2>&1 | sed -n 's/^[[:space:]]*SYNTAX[[:space:]]*//p' |
		sed 's/[[:space:]]*$//'
}

declare -A syntax=(
	[fwStateTimeoutSourceKind]='INTEGER {sysctl(1), cttimeout(2), nft(3)}'
	[fwStateSourceKind]='INTEGER {sysctl(1), cttimeout(2), nft(3)}'
	[fwStateNotifySourceKind]='INTEGER {sysctl(1), cttimeout(2), nft(3)}'
	[fwStateTimeoutProtocol]='INTEGER {tcp(6), udp(17)}'
	[fwStateNotifyProtocol]='INTEGER {tcp(6), udp(17)}'
	[fwStateTimeoutStatus]='INTEGER {ok(1), belowThreshold(2), notChecked(3)}'
	[fwStateSourceStatus]='INTEGER {ok(1), readFailed(2)}'
	[fwStateNotifyClearReason]='INTEGER {atOrAboveThreshold(1), sourceRemoved(2), notChecked(3)}'
	[fwStateTimeoutChecked]='INTEGER {true(1), false(2)}'
	[fwStateTimeoutStale]='INTEGER {true(1), false(2)}'
	[fwStateTimeoutSourceName]='OCTET STRING (1..80)'
	[fwStateTimeoutState]='OCTET STRING (1..24)'
)

for name in $(printf '%s\n' "${!syntax[@]}" | sort); do
	want=${syntax[$name]}
	got=$(syntax_of "$name")
	if [[ $got == "$want" ]]; then
		ok
	else
		bad "$name: SYNTAX expected '$want', got '$got'"
	fi
done

echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
