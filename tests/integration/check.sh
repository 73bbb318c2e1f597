#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fwstate-agent --check in the lab's firewall namespace, no snmpd: on a
# stock firewall it fails with the exact fix; applying each printed fix (the
# sysctl line, the nft policy with the reload it needs, the nfct replacement
# policy) turns that check into a PASS, until all pass (exit 0); sessions
# are listed; what cannot be checked exits 2 saying why; --json is JSON.
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_init
lab_require_agent
trap lab_down EXIT
lab_netns_up
lab_session_nat
lab_agent_conf "phoneNetwork $LAB_PHONE_V4/32"

# run_check [ARG...]: --check in the firewall with the lab's configuration;
# its output in $LAB_RUN/check.out, its exit status in $LAB_RUN/check.rc.
run_check() {
	local rc=0
	lab_fw "$LAB_AGENT" --check -C -c "$LAB_AGENT_CONF" "$@" >"$LAB_RUN/check.out" 2>"$LAB_RUN/check.err" || rc=$?
	echo "$rc" >"$LAB_RUN/check.rc"
	cat "$LAB_RUN/check.out" "$LAB_RUN/check.err"
	echo "(exit status $rc)"
}
check_says() {
	run_check >/dev/null
	expect_match "$1" cat "$LAB_RUN/check.out"
}
status_is() { expect_eq "$1" cat "$LAB_RUN/check.rc"; }
# fix_lines SUBJECT_RE: the fix lines printed under the finding matching SUBJECT_RE.
fix_lines() {
	awk -v re="$1" '/^[A-Z]/ {inside = ($0 ~ re)} inside && /^ +fix: / {sub(/^ +fix: /, ""); print}' \
		"$LAB_RUN/check.out"
}

# --- a stock firewall ---------------------------------------------------------------------
lab_fw sysctl -qw "$LAB_SYSCTL_CLOSE_WAIT=60" net.netfilter.nf_conntrack_events=2
check "stock: close_wait 60 FAILs" \
	check_says '^FAIL +sysctl net\.netfilter\.nf_conntrack_tcp_timeout_close_wait: 60 s, below the threshold of 660 s'
check "stock: exit status 1" status_is 1
check "stock: established 432000 passes" \
	expect_match '^PASS +sysctl net\.netfilter\.nf_conntrack_tcp_timeout_established: 432000 s' cat "$LAB_RUN/check.out"
check "stock: the fix is the sysctl line and the sysctl.d file" expect_eq \
	"sysctl -w net.netfilter.nf_conntrack_tcp_timeout_close_wait=660
echo 'net.netfilter.nf_conntrack_tcp_timeout_close_wait = 660' >> /etc/sysctl.d/90-fwstate.conf" \
	eval "fix_lines 'close_wait:' | head -n 2"
check "stock: nf_conntrack_events 2 warns, with its fix" \
	expect_match '^WARN +sysctl net\.netfilter\.nf_conntrack_events: 2: ' cat "$LAB_RUN/check.out"
check "stock: accounting and timestamps are looked at" \
	expect_match '^(PASS|WARN) +sysctl net\.netfilter\.nf_conntrack_(acct|timestamp):' cat "$LAB_RUN/check.out"
check "stock: no phones yet" \
	expect_match '^INFO +SIP-TLS sessions \(TCP to port 5061\): none through this firewall now' cat "$LAB_RUN/check.out"
check "stock: the verdict line" \
	expect_match '^result: fail \(1 fail, ' cat "$LAB_RUN/check.out"

# --- the printed fix, applied -------------------------------------------------------------
fix=$(fix_lines 'close_wait:' | head -n 1)
check "the fix is a sysctl command" expect_match '^sysctl -w [a-z_.]+=[0-9]+$' echo "$fix"
# shellcheck disable=SC2086
lab_fw $fix >/dev/null
check "fixed: close_wait passes" \
	check_says '^PASS +sysctl net\.netfilter\.nf_conntrack_tcp_timeout_close_wait: 660 s, at least the threshold'
check "fixed: exit status 0 (warnings do not fail)" status_is 0
check "fixed: the verdict line" expect_match '^result: pass \(0 fail, ' cat "$LAB_RUN/check.out"

# --- an nft policy below the threshold, and its fix ---------------------------------------
lab_nft_siptls 300 60
check "nft: established 300 of the policy FAILs" \
	check_says '^FAIL +nft ct timeout inet filter siptls, tcp established: 300 s, below'
check "nft: close_wait 60 of the policy FAILs" \
	expect_match '^FAIL +nft ct timeout inet filter siptls, tcp close_wait: 60 s' cat "$LAB_RUN/check.out"
check "nft: exit status 1" status_is 1
statement=$(fix_lines 'siptls, tcp established' | head -n 1 | sed -n 's/^in the ruleset file ([^)]*): //p')
check "nft: the fix is the object with a policy at the threshold" expect_eq \
	'table inet filter { ct timeout siptls { protocol tcp; l3proto ip; policy = { established: 660, close_wait: 660 }; }; }' \
	echo "$statement"
check "nft: and says to reload the whole ruleset" \
	expect_match '^nft -f /etc/nftables\.conf ' eval "fix_lines 'siptls, tcp established'"
# What the fix warns about: adding the object again leaves it as it was.
lab_fw nft add ct timeout inet filter siptls '{ protocol tcp; l3proto ip; policy = { established: 660, close_wait: 660 }; }'
check "nft: 'nft add ct timeout' indeed changes nothing" \
	check_says '^FAIL +nft ct timeout inet filter siptls, tcp established: 300 s'
# The ruleset file with the printed statement, reloaded whole.
{
	echo "flush ruleset"
	cat "$LAB_RUN/nat.nft"
	echo "$statement"
	cat <<-'EOF'
		table inet filter {
			chain pre {
				type filter hook prerouting priority filter
				tcp dport 5061 ct timeout set "siptls"
			}
		}
	EOF
} >"$LAB_RUN/nftables.conf"
check "nft: the ruleset file with the fix loads (nft -f)" lab_fw nft -f "$LAB_RUN/nftables.conf"
check "nft: the rule still attaches the policy" \
	expect_match 'ct timeout set "siptls"' lab_fw nft list chain inet filter pre
check "nft: both states pass now" \
	check_says '^PASS +nft ct timeout inet filter siptls, tcp close_wait: 660 s'
check "nft: exit status 0" status_is 0

# --- a cttimeout policy below the threshold, and its replacement --------------------------
lab_fw nfct timeout add sip-phones inet tcp established 100 close_wait 900
check "cttimeout: established 100 FAILs" \
	check_says '^FAIL +cttimeout policy sip-phones, tcp established: 100 s'
nfct_add=$(fix_lines 'sip-phones, tcp established' | head -n 1)
check "cttimeout: the fix adds a policy at the threshold, keeping close_wait" expect_eq \
	'nfct timeout add sip-phones-660 inet tcp established 660 close_wait 900' echo "$nfct_add"
# shellcheck disable=SC2086
check "cttimeout: the printed nfct command works" lab_fw $nfct_add
lab_fw nfct timeout delete sip-phones
check "cttimeout: the replacement passes" \
	check_says '^PASS +cttimeout policy sip-phones-660, tcp established: 660 s'
check "cttimeout: exit status 0" status_is 0

# --- sessions ----------------------------------------------------------------------------
lab_session_server sbc-tcp "$LAB_SBC_V4,5061"
check "SBC: TCP server on $LAB_SBC_V4:5061" lab_session_listening sbc-tcp
lab_session_client phones "$LAB_SBC_V4" 5061 2
check "phone: two sessions" lab_session_connected phones
ports=$(lab_session_ports phones | paste -sd' ')
read -r port1 port2 <<<"$ports"
# The nft policy (now 660 s) holds them: under the threshold left within a
# second, yet every timeout that can apply is at least the threshold.
check "sessions: each established one passes" \
	check_says "^PASS +session $(lab_re_escape "$LAB_PHONE_V4"):$port1 -> $(lab_re_escape "$LAB_SBC_V4"):5061: established, (6[0-5][0-9]|660) s left; every idle timeout that can apply to it is at least 660 s"
check "sessions: both are listed" \
	expect_match "^PASS +session $(lab_re_escape "$LAB_PHONE_V4"):$port2 -> " cat "$LAB_RUN/check.out"
lab_session_do phones send HOLD
lab_session_do phones shutdown
half_closed() { lab_session_ct_count --state CLOSE_WAIT; }
check "firewall: the sessions are half-closed (CLOSE_WAIT)" eventually 10 expect_eq 2 half_closed
check "sessions: a half-closed one warns" \
	check_says "^WARN +session $(lab_re_escape "$LAB_PHONE_V4"):$port1 -> .*: half-closed \(CLOSE_WAIT\)"

# --- JSON ---------------------------------------------------------------------------------
json_ok() {
	run_check --json >/dev/null
	/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["threshold"] == 660 and d["result"] == "pass" and d["exit_status"] == 0, d
subjects = [f["subject"] for f in d["findings"]]
assert "sysctl net.netfilter.nf_conntrack_tcp_timeout_close_wait" in subjects, subjects
assert all(set(f) == {"level", "topic", "subject", "detail", "fix"} for f in d["findings"])
print(len(d["findings"]), "findings")' "$LAB_RUN/check.out"
}
check "--json: one valid JSON object with the findings" json_ok
lab_fw sysctl -qw "$LAB_SYSCTL_CLOSE_WAIT=60"
json_fail() {
	run_check --json >/dev/null
	/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["level"] == "FAIL"]
assert d["result"] == "fail" and d["exit_status"] == 1 and d["counts"]["fail"] == len(f) == 1, d
assert f[0]["fix"][0] == "sysctl -w net.netfilter.nf_conntrack_tcp_timeout_close_wait=660", f
print("FAIL with its fix")' "$LAB_RUN/check.out"
}
check "--json: a FAIL carries its fix" json_fail
check "--json: exit status 1" status_is 1

# --- what cannot be checked ---------------------------------------------------------------
unprivileged() {
	local rc=0
	lab_fw setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		"$LAB_AGENT" --check -C -c "$LAB_AGENT_CONF" >"$LAB_RUN/check.out" 2>&1 || rc=$?
	echo "$rc" >"$LAB_RUN/check.rc"
	cat "$LAB_RUN/check.out"
}
chmod 644 "$LAB_AGENT_CONF"
chmod o+x "$LAB_RUN"
check "no CAP_NET_ADMIN: the sessions are UNCHECKED, saying why" \
	expect_match '^UNCHECKED +SIP-TLS sessions .*(Operation not permitted|CAP_NET_ADMIN)' unprivileged
check "no CAP_NET_ADMIN: a FAIL still wins (exit 1)" status_is 1
lab_fw sysctl -qw "$LAB_SYSCTL_CLOSE_WAIT=660"
check "no CAP_NET_ADMIN, nothing failing: exit status 2" eval "unprivileged >/dev/null; status_is 2"
check "no CAP_NET_ADMIN: the verdict says not everything could be checked" \
	expect_match '^result: unchecked ' cat "$LAB_RUN/check.out"
printf 'timeoutThreshold soon\n' >"$LAB_RUN/bad.conf"
bad_config() {
	local rc=0
	lab_fw "$LAB_AGENT" --check -C -c "$LAB_RUN/bad.conf" >"$LAB_RUN/check.out" 2>&1 || rc=$?
	echo "$rc" >"$LAB_RUN/check.rc"
	cat "$LAB_RUN/check.out"
}
check "a bad configuration line is named" \
	expect_match "bad\\.conf: line 1: .*timeoutThreshold: 'soon' is not a number" bad_config
check "a bad configuration: exit status 2" status_is 2
check "--json without --check is refused" expect_status 1 "$LAB_AGENT" --json
check "a bad option with --check: exit status 2" expect_status 2 "$LAB_AGENT" --check --bogus

lab_summary
