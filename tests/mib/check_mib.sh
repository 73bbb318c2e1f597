#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Checks mibs/FWSTATE-MIB.txt: smilint at its strictest level (9) must
# print nothing, snmptranslate must load it without complaint, Prometheus'
# snmp_exporter generator must take every object of it without a warning,
# and every node must keep the numeric OID the agent is built against (so
# renumbering fails here).
#
# The IETF modules it imports are taken from $FWSTATE_IETF_MIBS, by
# default <repo>/../shared/mibs/ietf; NET-SNMP-MIB (the root) from
# $FWSTATE_NETSNMP_MIBS, by default /usr/share/snmp/mibs (libsnmp-base).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)
ietf=${FWSTATE_IETF_MIBS:-$repo/../shared/mibs/ietf}
netsnmp_mibs=${FWSTATE_NETSNMP_MIBS:-/usr/share/snmp/mibs}
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

for tool in smilint snmptranslate prometheus-snmp-generator; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "FAIL: $tool not found (install smitools / snmp / prometheus-snmp-exporter)" >&2
		exit 1
	fi
done
if [[ ! -f $ietf/SNMPv2-SMI.txt ]]; then
	echo "FAIL: no IETF MIB modules in $ietf (set FWSTATE_IETF_MIBS)" >&2
	exit 1
fi
if [[ ! -f $netsnmp_mibs/NET-SNMP-MIB.txt ]]; then
	echo "FAIL: no NET-SNMP-MIB in $netsnmp_mibs (install libsnmp-base or set FWSTATE_NETSNMP_MIBS)" >&2
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

# Only the modules the MIB needs: the other files of $netsnmp_mibs import
# modules (SNMP-VIEW-BASED-ACM-MIB, ...) that a minimal IETF set lacks, and
# their parse errors are not this module's.
mkdir "$tmp/mibs"
ln -s "$netsnmp_mibs/NET-SNMP-MIB.txt" "$tmp/mibs/NET-SNMP-MIB.txt"
mib_path=$ietf:$tmp/mibs:$mib_dir

translate() {
	snmptranslate -M "$mib_path" -m "$module" "$@"
}

# --- smilint -----------------------------------------------------------------
if lint=$(SMIPATH="$mib_path" smilint -l 9 "$mib" 2>&1) && [[ -z $lint ]]; then
	ok
else
	bad "smilint -l 9 $mib:"
	printf '%s\n' "$lint" >&2
fi

# --- prometheus-snmp-generator: every table, no warning -----------------------
# A generic decoder pairs an InetAddress with the InetAddressType just before
# it; the generator says "missing preceding InetAddressType" (and drops the
# table) when the MIB breaks that rule, or warns about anything else it
# cannot map.
mkdir "$tmp/generator"
printf 'modules:\n  fwstate:\n    walk: [fwStateMIB]\n' >"$tmp/generator/generator.yml"
if gen=$(cd "$tmp/generator" && MIBDIRS=$mib_path prometheus-snmp-generator generate 2>&1) &&
	! grep -E 'level=(warn|error)' <<<"$gen" >&2; then
	ok
else
	bad "prometheus-snmp-generator (walk: [fwStateMIB]) warned:"
	printf '%s\n' "$gen" | grep -v 'level=info' >&2
fi
# Every table's columns are in the generated module, indexed by readable labels.
for column in fwStateTimeoutValue fwStateSourceStatus fwStateSessionTcpState \
	fwStatePhoneSessions fwStateTeardownCause; do
	if grep -q "name: $column\$" "$tmp/generator/snmp.yml" 2>/dev/null; then
		ok
	else
		bad "prometheus-snmp-generator dropped $column"
	fi
done

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
	[fwStateMIB]=$root

	[fwStateNotifications]=$root.0
	[fwStateTimeoutBelowThreshold]=$root.0.1
	[fwStateTimeoutCleared]=$root.0.2
	[fwStateSessionTornDown]=$root.0.3
	[fwStateSessionTimeoutTooLow]=$root.0.4
	[fwStateSessionTeardownsHeld]=$root.0.5

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
	[fwStateNotifyHeldTotal]=$root.1.2.7
	[fwStateNotifyHeldResets]=$root.1.2.8
	[fwStateNotifyHeldCloses]=$root.1.2.9
	[fwStateNotifyHeldIdleTimeouts]=$root.1.2.10
	[fwStateNotifyHeldHalfClosed]=$root.1.2.11
	[fwStateNotifyHeldFlushes]=$root.1.2.12
	[fwStateNotifyHeldMissed]=$root.1.2.13
	[fwStateNotifyHeldOther]=$root.1.2.14
	[fwStateNotifyHeldInterval]=$root.1.2.15
	[fwStateNotifyHeldUnacked]=$root.1.2.16

	[fwStateSessions]=$root.1.3
	[fwStateSessionsNow]=$root.1.3.1
	[fwStateSessionEvents]=$root.1.3.2
	[fwStateSessionOverruns]=$root.1.3.3
	[fwStateSessionResyncs]=$root.1.3.4
	[fwStateSessionLastResync]=$root.1.3.5
	[fwStateSessionKernelFilter]=$root.1.3.6
	[fwStateConntrackEventsSetting]=$root.1.3.7
	[fwStateSessionTeardowns]=$root.1.3.8
	[fwStateSessionNotificationsHeld]=$root.1.3.9
	[fwStateSessionEventFilter]=$root.1.3.13
	[fwStateSessionDumpStatus]=$root.1.3.14
	[fwStateSessionDumpError]=$root.1.3.15

	[fwStateSessionTable]=$root.1.3.10
	[fwStateSessionEntry]=$root.1.3.10.1
	[fwStateSessionPhoneAddressType]=$root.1.3.10.1.1
	[fwStateSessionPhoneAddress]=$root.1.3.10.1.2
	[fwStateSessionPhonePort]=$root.1.3.10.1.3
	[fwStateSessionServerAddressType]=$root.1.3.10.1.4
	[fwStateSessionServerAddress]=$root.1.3.10.1.5
	[fwStateSessionServerPort]=$root.1.3.10.1.6
	[fwStateSessionZone]=$root.1.3.10.1.7
	[fwStateSessionNatAddressType]=$root.1.3.10.1.8
	[fwStateSessionNatAddress]=$root.1.3.10.1.9
	[fwStateSessionNatPort]=$root.1.3.10.1.10
	[fwStateSessionTcpState]=$root.1.3.10.1.11
	[fwStateSessionRemainingTimeout]=$root.1.3.10.1.12
	[fwStateSessionEffectiveTimeout]=$root.1.3.10.1.13
	[fwStateSessionTimeoutStatus]=$root.1.3.10.1.14
	[fwStateSessionStartTime]=$root.1.3.10.1.15
	[fwStateSessionAge]=$root.1.3.10.1.16
	[fwStateSessionPacketsFromPhone]=$root.1.3.10.1.17
	[fwStateSessionBytesFromPhone]=$root.1.3.10.1.18
	[fwStateSessionPacketsFromServer]=$root.1.3.10.1.19
	[fwStateSessionBytesFromServer]=$root.1.3.10.1.20
	[fwStateSessionAccounting]=$root.1.3.10.1.21
	[fwStateSessionMark]=$root.1.3.10.1.22
	[fwStateSessionConntrackId]=$root.1.3.10.1.23

	[fwStatePhoneTable]=$root.1.3.11
	[fwStatePhoneEntry]=$root.1.3.11.1
	[fwStatePhoneAddressType]=$root.1.3.11.1.1
	[fwStatePhoneAddress]=$root.1.3.11.1.2
	[fwStatePhoneSessions]=$root.1.3.11.1.3
	[fwStatePhoneServerAddressType]=$root.1.3.11.1.4
	[fwStatePhoneServerAddress]=$root.1.3.11.1.5
	[fwStatePhoneServerPort]=$root.1.3.11.1.6
	[fwStatePhoneSessionsSeen]=$root.1.3.11.1.7
	[fwStatePhoneTeardowns]=$root.1.3.11.1.8
	[fwStatePhoneResets]=$root.1.3.11.1.9
	[fwStatePhoneCloses]=$root.1.3.11.1.10
	[fwStatePhoneIdleTimeouts]=$root.1.3.11.1.11
	[fwStatePhoneHalfClosedTimeouts]=$root.1.3.11.1.12
	[fwStatePhoneFlushes]=$root.1.3.11.1.13
	[fwStatePhoneMissed]=$root.1.3.11.1.14
	[fwStatePhoneOtherTeardowns]=$root.1.3.11.1.15
	[fwStatePhoneLastTeardownTime]=$root.1.3.11.1.16
	[fwStatePhoneLastTeardownCause]=$root.1.3.11.1.17
	[fwStatePhoneReconnects]=$root.1.3.11.1.18
	[fwStatePhoneServerChanges]=$root.1.3.11.1.19
	[fwStatePhoneCreationTime]=$root.1.3.11.1.20
	[fwStatePhoneUnackedTimeouts]=$root.1.3.11.1.21

	[fwStateTeardownTable]=$root.1.3.12
	[fwStateTeardownEntry]=$root.1.3.12.1
	[fwStateTeardownIndex]=$root.1.3.12.1.1
	[fwStateTeardownTime]=$root.1.3.12.1.2
	[fwStateTeardownPhoneAddressType]=$root.1.3.12.1.3
	[fwStateTeardownPhoneAddress]=$root.1.3.12.1.4
	[fwStateTeardownPhonePort]=$root.1.3.12.1.5
	[fwStateTeardownServerAddressType]=$root.1.3.12.1.6
	[fwStateTeardownServerAddress]=$root.1.3.12.1.7
	[fwStateTeardownServerPort]=$root.1.3.12.1.8
	[fwStateTeardownZone]=$root.1.3.12.1.9
	[fwStateTeardownDuration]=$root.1.3.12.1.10
	[fwStateTeardownLastState]=$root.1.3.12.1.11
	[fwStateTeardownCause]=$root.1.3.12.1.12

	[fwStateAgent]=$root.1.4
	[fwStateAgentStartTime]=$root.1.4.1
	[fwStateCounterDiscontinuityTime]=$root.1.4.2
	[fwStateAgentVersion]=$root.1.4.3
	[fwStateAgentMode]=$root.1.4.4

	[fwStateNotifyQueue]=$root.1.5
	[fwStateNotifyQueueLimit]=$root.1.5.1
	[fwStateNotifyQueueLength]=$root.1.5.2
	[fwStateNotificationsDelivered]=$root.1.5.3
	[fwStateNotificationsDropped]=$root.1.5.4
	[fwStateNotificationsResent]=$root.1.5.5
	[fwStateMasterReconnects]=$root.1.5.6

	[fwStateConntrack]=$root.1.6
	[fwStateConntrackEntries]=$root.1.6.1
	[fwStateConntrackMax]=$root.1.6.2
	[fwStateConntrackDrops]=$root.1.6.3
	[fwStateConntrackEarlyDrops]=$root.1.6.4
	[fwStateConntrackInsertFailed]=$root.1.6.5
	[fwStateConntrackTableFull]=$root.1.6.6

	[fwStateConformance]=$root.2

	[fwStateGroups]=$root.2.1
	[fwStateTimeoutGroup]=$root.2.1.1
	[fwStateNotifyObjectsGroup]=$root.2.1.2
	[fwStateTimeoutNotificationsGroup]=$root.2.1.3
	[fwStateSessionGroup]=$root.2.1.4
	[fwStateSessionNotifyObjectsGroup]=$root.2.1.5
	[fwStateSessionNotificationsGroup]=$root.2.1.6
	[fwStateAgentGroup]=$root.2.1.7
	[fwStateNotifyQueueGroup]=$root.2.1.8
	[fwStateConntrackGroup]=$root.2.1.9
	[fwStateAgentModeGroup]=$root.2.1.10
	[fwStateSessionDumpGroup]=$root.2.1.11
	[fwStatePhoneFlapGroup]=$root.2.1.12
	[fwStatePhoneFlapNotifyGroup]=$root.2.1.13
	[fwStatePhoneServerFlapStarted]=$root.0.6
	[fwStatePhoneServerFlapEnded]=$root.0.7
	[fwStatePhonesFlapping]=$root.1.3.16
	[fwStatePhoneServerFlapping]=$root.1.3.11.1.22
	[fwStatePhoneServerFlaps]=$root.1.3.11.1.23
	[fwStatePhonePrevServerAddrType]=$root.1.3.11.1.24
	[fwStatePhonePrevServerAddress]=$root.1.3.11.1.25
	[fwStatePhonePrevServerPort]=$root.1.3.11.1.26

	[fwStateCompliances]=$root.2.2
	[fwStateCompliance]=$root.2.2.1
	[fwStateCompliance2]=$root.2.2.2
	[fwStateCompliance3]=$root.2.2.3
	[fwStateCompliance4]=$root.2.2.4
	[fwStateCompliance5]=$root.2.2.5
	[fwStateResolverGroup]=$root.2.1.14
	[fwStateResolvers]=$root.1.7
	[fwStateResolverTable]=$root.1.7.3
	[fwStateResolverEntry]=$root.1.7.3.1
	[fwStateResolverAddressType]=$root.1.7.3.1.1
	[fwStateResolverAddress]=$root.1.7.3.1.2
	[fwStateResolverPhonesNow]=$root.1.7.3.1.4
	[fwStateResolverPhonesEver]=$root.1.7.3.1.5
	[fwStateResolverFlows]=$root.1.7.3.1.6
	[fwStateResolverLastSeen]=$root.1.7.3.1.7
	[fwStatePhoneResolverTable]=$root.1.7.4
	[fwStatePhoneResolverEntry]=$root.1.7.4.1
	[fwStatePhoneResolverPhoneType]=$root.1.7.4.1.1
	[fwStatePhoneResolverPhone]=$root.1.7.4.1.2
	[fwStatePhoneResolverAddrType]=$root.1.7.4.1.3
	[fwStatePhoneResolverAddress]=$root.1.7.4.1.4
	[fwStatePhoneResolverLiveFlows]=$root.1.7.4.1.6
	[fwStatePhoneResolverFlows]=$root.1.7.4.1.7
	[fwStatePhoneResolverLastSeen]=$root.1.7.4.1.8
	[fwStateResolverNotifyGroup]=$root.2.1.15
	[fwStatePhoneFlaggedResolver]=$root.0.8
	[fwStateResolverCount]=$root.1.7.1
	[fwStateResolversFlaggedInUse]=$root.1.7.2
	[fwStateResolverVerdict]=$root.1.7.3.1.3
	[fwStatePhoneResolverVerdict]=$root.1.7.4.1.5
)

# The root hangs from Net-SNMP's playpen, imported rather than redefined.
if got=$(translate -On NET-SNMP-MIB::netSnmpPlaypen 2>&1) && [[ $got == "${root%.660}" ]] &&
	grep -Eq '^[[:space:]]*netSnmpPlaypen$' <(sed -n '/^IMPORTS/,/;/p' "$mib") &&
	! grep -Eq '^[[:space:]]*[A-Za-z]+[[:space:]]+OBJECT IDENTIFIER[[:space:]]*::=[[:space:]]*\{[[:space:]]*enterprises' "$mib"; then
	ok
else
	bad "fwStateMIB must hang from netSnmpPlaypen imported from NET-SNMP-MIB ($got)"
fi

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

# --- enumerations, index bounds and value types the C code depends on -------
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
	[fwStateSourceStatus]='INTEGER {ok(1), readFailed(2), notInUse(3)}'
	[fwStateNotifyClearReason]='INTEGER {atOrAboveThreshold(1), sourceRemoved(2), notChecked(3)}'
	[fwStateTimeoutChecked]='INTEGER {true(1), false(2)}'
	[fwStateTimeoutStale]='INTEGER {true(1), false(2)}'
	[fwStateTimeoutSourceName]='OCTET STRING (0..80)'
	[fwStateTimeoutState]='OCTET STRING (1..24)'

	# Sessions. FwStateTcpState numbers the kernel's TCP_CONNTRACK_*
	# states; FwStateTeardownCauseType matches enum fw_teardown_cause.
	[fwStateSessionsNow]='Gauge32'
	[fwStateSessionEvents]='Counter64'
	[fwStateSessionOverruns]='Counter32'
	[fwStateSessionResyncs]='Counter32'
	[fwStateSessionLastResync]='OCTET STRING (8 | 11)'
	[fwStateSessionKernelFilter]='INTEGER {true(1), false(2)}'
	[fwStateConntrackEventsSetting]='Integer32 (-1..2)'
	[fwStateSessionTeardowns]='Counter32'
	[fwStateSessionNotificationsHeld]='Counter32'
	[fwStateSessionEventFilter]='INTEGER {true(1), false(2)}'
	[fwStateSessionDumpStatus]='INTEGER {ok(1), notPermitted(2), failed(3), notTracking(4)}'
	[fwStateSessionDumpError]='OCTET STRING (0..255)'

	[fwStateSessionPhoneAddressType]='INTEGER {unknown(0), ipv4(1), ipv6(2), ipv4z(3), ipv6z(4), dns(16)}'
	[fwStateSessionPhoneAddress]='OCTET STRING (4 | 16)'
	[fwStateSessionPhonePort]='Unsigned32 (0..65535)'
	[fwStateSessionServerAddressType]='INTEGER {unknown(0), ipv4(1), ipv6(2), ipv4z(3), ipv6z(4), dns(16)}'
	[fwStateSessionServerAddress]='OCTET STRING (4 | 16)'
	[fwStateSessionServerPort]='Unsigned32 (0..65535)'
	[fwStateSessionZone]='Unsigned32 (0..65535)'
	[fwStateSessionNatAddressType]='INTEGER {unknown(0), ipv4(1), ipv6(2), ipv4z(3), ipv6z(4), dns(16)}'
	[fwStateSessionNatAddress]='OCTET STRING (0..255)'
	[fwStateSessionNatPort]='Unsigned32 (0..65535)'
	[fwStateSessionTcpState]='INTEGER {none(0), synSent(1), synRecv(2), established(3), finWait(4), closeWait(5), lastAck(6), timeWait(7), close(8), synSent2(9)}'
	[fwStateSessionRemainingTimeout]='Unsigned32'
	[fwStateSessionEffectiveTimeout]='Unsigned32'
	[fwStateSessionTimeoutStatus]='INTEGER {ok(1), belowThreshold(2), unknown(3)}'
	[fwStateSessionStartTime]='OCTET STRING (8 | 11)'
	[fwStateSessionAge]='Unsigned32'
	[fwStateSessionPacketsFromPhone]='Counter64'
	[fwStateSessionBytesFromPhone]='Counter64'
	[fwStateSessionPacketsFromServer]='Counter64'
	[fwStateSessionBytesFromServer]='Counter64'
	[fwStateSessionAccounting]='INTEGER {true(1), false(2)}'
	[fwStateSessionMark]='Unsigned32'
	[fwStateSessionConntrackId]='Unsigned32'

	[fwStatePhoneAddressType]='INTEGER {unknown(0), ipv4(1), ipv6(2), ipv4z(3), ipv6z(4), dns(16)}'
	[fwStatePhoneAddress]='OCTET STRING (4 | 16)'
	[fwStatePhoneSessions]='Gauge32'
	[fwStatePhoneServerAddressType]='INTEGER {unknown(0), ipv4(1), ipv6(2), ipv4z(3), ipv6z(4), dns(16)}'
	[fwStatePhoneServerAddress]='OCTET STRING (0..255)'
	[fwStatePhoneServerPort]='Unsigned32 (0..65535)'
	[fwStatePhoneSessionsSeen]='Counter32'
	[fwStatePhoneTeardowns]='Counter32'
	[fwStatePhoneResets]='Counter32'
	[fwStatePhoneCloses]='Counter32'
	[fwStatePhoneIdleTimeouts]='Counter32'
	[fwStatePhoneHalfClosedTimeouts]='Counter32'
	[fwStatePhoneFlushes]='Counter32'
	[fwStatePhoneMissed]='Counter32'
	[fwStatePhoneOtherTeardowns]='Counter32'
	[fwStatePhoneLastTeardownTime]='OCTET STRING (8 | 11)'
	[fwStatePhoneLastTeardownCause]='INTEGER {none(0), reset(1), closed(2), idleTimeout(3), halfClosedTimeout(4), flushed(5), missed(6), other(7), unackedTimeout(8)}'
	[fwStatePhoneReconnects]='Counter32'
	[fwStatePhoneServerChanges]='Counter32'
	[fwStatePhoneCreationTime]='TimeTicks'
	[fwStatePhoneUnackedTimeouts]='Counter32'
	[fwStatePhoneServerFlapping]='INTEGER {true(1), false(2)}'
	[fwStatePhoneServerFlaps]='Counter32'
	[fwStatePhonePrevServerAddrType]='INTEGER {unknown(0), ipv4(1), ipv6(2), ipv4z(3), ipv6z(4), dns(16)}'
	[fwStatePhonePrevServerAddress]='OCTET STRING (0..255)'
	[fwStatePhonePrevServerPort]='Unsigned32 (0..65535)'
	[fwStatePhonesFlapping]='Gauge32'
	[fwStateResolverVerdict]='INTEGER {allowed(1), flagged(2), unknown(3)}'
	[fwStatePhoneResolverFlows]='Counter64'

	[fwStateTeardownIndex]='Unsigned32 (1..4294967295)'
	[fwStateTeardownTime]='OCTET STRING (8 | 11)'
	[fwStateTeardownPhoneAddressType]='INTEGER {unknown(0), ipv4(1), ipv6(2), ipv4z(3), ipv6z(4), dns(16)}'
	[fwStateTeardownPhoneAddress]='OCTET STRING (0..255)'
	[fwStateTeardownPhonePort]='Unsigned32 (0..65535)'
	[fwStateTeardownServerAddressType]='INTEGER {unknown(0), ipv4(1), ipv6(2), ipv4z(3), ipv6z(4), dns(16)}'
	[fwStateTeardownServerAddress]='OCTET STRING (0..255)'
	[fwStateTeardownServerPort]='Unsigned32 (0..65535)'
	[fwStateTeardownZone]='Unsigned32 (0..65535)'
	[fwStateTeardownDuration]='Unsigned32'
	[fwStateTeardownLastState]='INTEGER {none(0), synSent(1), synRecv(2), established(3), finWait(4), closeWait(5), lastAck(6), timeWait(7), close(8), synSent2(9)}'
	[fwStateTeardownCause]='INTEGER {none(0), reset(1), closed(2), idleTimeout(3), halfClosedTimeout(4), flushed(5), missed(6), other(7), unackedTimeout(8)}'

	[fwStateNotifyHeldTotal]='Unsigned32'
	[fwStateNotifyHeldResets]='Unsigned32'
	[fwStateNotifyHeldCloses]='Unsigned32'
	[fwStateNotifyHeldIdleTimeouts]='Unsigned32'
	[fwStateNotifyHeldHalfClosed]='Unsigned32'
	[fwStateNotifyHeldFlushes]='Unsigned32'
	[fwStateNotifyHeldMissed]='Unsigned32'
	[fwStateNotifyHeldOther]='Unsigned32'
	[fwStateNotifyHeldInterval]='Unsigned32'
	[fwStateNotifyHeldUnacked]='Unsigned32'

	[fwStateAgentStartTime]='OCTET STRING (8 | 11)'
	[fwStateCounterDiscontinuityTime]='TimeTicks'
	[fwStateAgentVersion]='OCTET STRING (0..255)'
	[fwStateAgentMode]='INTEGER {subagent(1), masterAgent(2), snmpdModule(3)}'
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

# --- INDEX and notification OBJECTS, in order --------------------------------
clause_of() {
	translate -Td "$module::$1" 2>&1 | sed -n "s/^[[:space:]]*$2[[:space:]]*//p" |
		sed 's/[[:space:]]*$//'
}

declare -A index=(
	[fwStateTimeoutEntry]='{ fwStateTimeoutSourceKind, fwStateTimeoutSourceName, fwStateTimeoutProtocol, fwStateTimeoutState }'
	[fwStateSourceEntry]='{ fwStateSourceKind }'
	[fwStateSessionEntry]='{ fwStateSessionPhoneAddressType, fwStateSessionPhoneAddress, fwStateSessionPhonePort, fwStateSessionServerAddressType, fwStateSessionServerAddress, fwStateSessionServerPort, fwStateSessionZone }'
	[fwStatePhoneEntry]='{ fwStatePhoneAddressType, fwStatePhoneAddress }'
	[fwStateTeardownEntry]='{ fwStateTeardownIndex }'
	[fwStateResolverEntry]='{ fwStateResolverAddressType, fwStateResolverAddress }'
	[fwStatePhoneResolverEntry]='{ fwStatePhoneResolverPhoneType, fwStatePhoneResolverPhone, fwStatePhoneResolverAddrType, fwStatePhoneResolverAddress }'
)

for name in $(printf '%s\n' "${!index[@]}" | sort); do
	want=${index[$name]}
	got=$(clause_of "$name" INDEX)
	if [[ $got == "$want" ]]; then
		ok
	else
		bad "$name: INDEX expected '$want', got '$got'"
	fi
done

declare -A objects=(
	[fwStateTimeoutBelowThreshold]='{ fwStateNotifySourceKind, fwStateNotifySourceName, fwStateNotifyProtocol, fwStateNotifyState, fwStateNotifyTimeoutValue, fwStateTimeoutThreshold }'
	[fwStateTimeoutCleared]='{ fwStateNotifySourceKind, fwStateNotifySourceName, fwStateNotifyProtocol, fwStateNotifyState, fwStateNotifyTimeoutValue, fwStateTimeoutThreshold, fwStateNotifyClearReason }'
	[fwStateSessionTornDown]='{ fwStateTeardownPhoneAddressType, fwStateTeardownPhoneAddress, fwStateTeardownPhonePort, fwStateTeardownServerAddressType, fwStateTeardownServerAddress, fwStateTeardownServerPort, fwStateTeardownCause, fwStateTeardownDuration, fwStateTeardownLastState }'
	[fwStateSessionTimeoutTooLow]='{ fwStateSessionNatAddressType, fwStateSessionNatAddress, fwStateSessionNatPort, fwStateSessionEffectiveTimeout, fwStateTimeoutThreshold }'
	[fwStatePhoneServerFlapStarted]='{ fwStatePhoneServerAddressType, fwStatePhoneServerAddress, fwStatePhoneServerPort, fwStatePhonePrevServerAddrType, fwStatePhonePrevServerAddress, fwStatePhonePrevServerPort, fwStatePhoneServerChanges }'
	[fwStatePhoneFlaggedResolver]='{ fwStatePhoneResolverVerdict, fwStatePhoneResolverFlows }'
	[fwStatePhoneServerFlapEnded]='{ fwStatePhoneServerAddressType, fwStatePhoneServerAddress, fwStatePhoneServerPort, fwStatePhoneServerChanges }'
	[fwStateSessionTeardownsHeld]='{ fwStateNotifyHeldTotal, fwStateNotifyHeldResets, fwStateNotifyHeldCloses, fwStateNotifyHeldIdleTimeouts, fwStateNotifyHeldHalfClosed, fwStateNotifyHeldFlushes, fwStateNotifyHeldMissed, fwStateNotifyHeldOther, fwStateNotifyHeldInterval, fwStateNotifyHeldUnacked }'
)

for name in $(printf '%s\n' "${!objects[@]}" | sort); do
	want=${objects[$name]}
	got=$(clause_of "$name" OBJECTS)
	if [[ $got == "$want" ]]; then
		ok
	else
		bad "$name: OBJECTS expected '$want', got '$got'"
	fi
done

echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
