# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Globals set here are read by the scripts that source this file, and some
# functions take optional arguments:
# shellcheck disable=SC2034,SC2120
#
# lab-lib.sh: a throw-away firewall lab in network namespaces, shared by
# scripts/demo.sh and tests/integration/*.sh. Source it, then:
#
#   lab_init                  # names, run directory, MIB options
#   trap lab_down EXIT        # always clean up
#   lab_up                    # namespaces + snmptrapd + snmpd (use the
#                             # lab_netns_up/lab_trapd_start/lab_snmpd_start
#                             # pieces for other layouts)
#   lab_agent_conf [LINE...]  # agent config: timeoutPollInterval 1 + LINEs
#   lab_agent_start [ARG...]  # fwstate-agent in the fw namespace
#   lab_wait_ready
#   check "description" expect_match REGEX lab_snmpget OID
#   lab_summary               # last line: "N passed, M failed"
#
# Topology (documentation address ranges only):
#
#   <prefix>-phone            <prefix>-fw                    <prefix>-sbc
#   eth0 192.0.2.10  ---- phone0 192.0.2.1
#        2001:db8:1::10          2001:db8:1::1
#                               sbc0 198.51.100.1   ---- eth0 198.51.100.10
#                                    2001:db8:2::1            2001:db8:2::10
#
# snmpd (AgentX master), snmptrapd and the agent run in the fw namespace and
# talk over its loopback; every file they write lives in the run directory.
#
# Environment: FWSTATE_AGENT (agent binary; default <repo>/build/fwstate-agent),
# FWSTATE_SOURCE_DIR (repository; default: the one holding this file),
# LAB_KEEP=1 keeps the run directory after lab_down,
# FWSTATE_MODE: how FWSTATE-MIB is served, "subagent" (default: fwstate-agent
# connects to the lab's snmpd over AgentX), "dlmod" (FWSTATE_DLMOD, default
# <repo>/build/fwstate.so, loaded into the lab's snmpd; lab_snmpd_start then
# only prepares, and lab_agent_start starts snmpd with the module, reading the
# agent configuration through includeFile: the "agent" is snmpd) or "master"
# (no snmpd: lab_agent_start starts fwstate-agent --master on snmpd's
# addresses, with the access and trap lines of the lab's snmpd.conf).

LAB_PHONE_V4=192.0.2.10
LAB_FW_PHONE_V4=192.0.2.1
LAB_PHONE_V6=2001:db8:1::10
LAB_FW_PHONE_V6=2001:db8:1::1
LAB_SBC_V4=198.51.100.10
LAB_FW_SBC_V4=198.51.100.1
LAB_SBC_V6=2001:db8:2::10
LAB_FW_SBC_V6=2001:db8:2::1

LAB_ROOT_NUMERIC=.1.3.6.1.4.1.8072.9999.9999.660
LAB_SYSCTL_CLOSE_WAIT=net.netfilter.nf_conntrack_tcp_timeout_close_wait

LAB_PASSED=0
LAB_FAILED=0
LAB_CHECKS=0
LAB_SUMMARY_DONE=0
LAB_LOGS_DUMPED=0
LAB_PIDS=()
LAB_NAMESPACES=()
LAB_AGENT_PID=
LAB_AGENT_PREFIX=() # a command the agent runs under (valgrind ...), if any
LAB_SNMPD_PREFIX=() # a command snmpd runs under, if any
LAB_RUN=

lab_log() {
	printf '# %s\n' "$*"
}

lab_die() {
	printf 'lab: error: %s\n' "$*" >&2
	exit 1
}

# Resolve paths and names; create the run directory. Must run in the main
# shell (not in $(...)) because it sets globals.
lab_init() {
	[[ $EUID -eq 0 ]] || lab_die "must run as root (network namespaces, sysctl, nft)"
	local cmd
	for cmd in ip nft nfct sysctl snmpd snmptrapd snmpget snmpwalk snmpbulkwalk; do
		command -v "$cmd" >/dev/null 2>&1 ||
			lab_die "'$cmd' not found: run scripts/setup.sh first"
	done

	LAB_SOURCE_DIR=$(cd "${FWSTATE_SOURCE_DIR:-$(dirname "${BASH_SOURCE[0]}")/..}" && pwd)
	LAB_AGENT=${FWSTATE_AGENT:-$LAB_SOURCE_DIR/build/fwstate-agent}
	LAB_MODE=${FWSTATE_MODE:-subagent}
	LAB_DLMOD=${FWSTATE_DLMOD:-$LAB_SOURCE_DIR/build/fwstate.so}
	case $LAB_MODE in
	subagent | master) ;;
	dlmod) [[ -f $LAB_DLMOD ]] || lab_die "FWSTATE_DLMOD=$LAB_DLMOD: no such module (build it first)" ;;
	*) lab_die "FWSTATE_MODE=$LAB_MODE: must be subagent, dlmod or master" ;;
	esac

	# PID-based prefix: parallel runs never collide; if a leftover from an
	# earlier run with the same PID is still there, pick another suffix.
	local base="fws$$" n=0
	LAB_PREFIX=$base
	while ip netns list | grep -Eq "^${LAB_PREFIX}-(phone|fw|sbc)( |$)"; do
		n=$((n + 1))
		LAB_PREFIX="${base}x${n}"
	done
	LAB_NS_PHONE="$LAB_PREFIX-phone"
	LAB_NS_FW="$LAB_PREFIX-fw"
	LAB_NS_SBC="$LAB_PREFIX-sbc"

	LAB_RUN=$(mktemp -d "${TMPDIR:-/tmp}/fwstate-lab.XXXXXX")
	LAB_AGENTX_SOCK="$LAB_RUN/agentx.sock"
	LAB_SNMPD_CONF="$LAB_RUN/snmpd.conf"
	LAB_SNMPD_LOG="$LAB_RUN/snmpd.log"
	LAB_SNMPD_PIDFILE="$LAB_RUN/snmpd.pid"
	LAB_TRAPD_CONF="$LAB_RUN/snmptrapd.conf"
	LAB_TRAP_LOG="$LAB_RUN/traps.log"
	LAB_TRAPD_PIDFILE="$LAB_RUN/snmptrapd.pid"
	LAB_AGENT_CONF="$LAB_RUN/fwstate-agent.conf"
	LAB_AGENT_LOG="$LAB_RUN/fwstate-agent.log"
	LAB_SNMP_PEER=udp:127.0.0.1:161
	mkdir -p "$LAB_RUN/persist" "$LAB_RUN/snmpconf"
	# Net-SNMP writes persistent state and reads snmp.conf from these, not
	# from /var/lib/snmp, /etc/snmp or ~/.snmp.
	export SNMP_PERSISTENT_DIR="$LAB_RUN/persist"
	export SNMPCONFPATH="$LAB_RUN/snmpconf"
	# An agent (or test tool) built with AddressSanitizer/UndefinedBehaviorSanitizer
	# writes its reports here, whoever it runs as; lab_summary fails on any.
	mkdir -m 1777 "$LAB_RUN/sanitizer"
	export ASAN_OPTIONS="log_path=$LAB_RUN/sanitizer/report:detect_leaks=1"
	export UBSAN_OPTIONS="log_path=$LAB_RUN/sanitizer/report:print_stacktrace=1:halt_on_error=1"

	lab_find_mibs
}

# MIB options for the snmp tools and snmptrapd. The IETF modules come from
# ../shared/mibs/ietf beside the repository, else from snmp-mibs-downloader.
# The module list is given in full (SNMPv2-MIB for sysUpTime/snmpTrapOID plus
# FWSTATE-MIB and what it imports): "-m +FWSTATE-MIB" would also load
# Net-SNMP's long built-in list, most of which neither place has, and every
# command would print a page of "Cannot find module".
lab_find_mibs() {
	local dir
	LAB_IETF_MIBS=
	for dir in "$LAB_SOURCE_DIR/../shared/mibs/ietf" /usr/share/snmp/mibs/ietf; do
		if compgen -G "$dir/SNMPv2-SMI*" >/dev/null; then
			LAB_IETF_MIBS=$(cd "$dir" && pwd)
			break
		fi
	done
	if [[ -n $LAB_IETF_MIBS && -f $LAB_SOURCE_DIR/mibs/FWSTATE-MIB.txt ]]; then
		LAB_MIB_OPTS=(-M "+$LAB_IETF_MIBS:$LAB_SOURCE_DIR/mibs" -m SNMPv2-MIB:FWSTATE-MIB)
		LAB_NUMERIC=0
		LAB_ROOT=FWSTATE-MIB::fwStateMIB
		LAB_TRAP_BELOW=FWSTATE-MIB::fwStateTimeoutBelowThreshold
		LAB_TRAP_CLEARED=FWSTATE-MIB::fwStateTimeoutCleared
	else
		LAB_MIB_OPTS=(-m "" -On)
		LAB_NUMERIC=1
		LAB_ROOT=$LAB_ROOT_NUMERIC
		LAB_TRAP_BELOW="$LAB_ROOT_NUMERIC.0.1"
		LAB_TRAP_CLEARED="$LAB_ROOT_NUMERIC.0.2"
		lab_log "note: IETF MIB modules not found (looked in $LAB_SOURCE_DIR/../shared/mibs/ietf" \
			"and /usr/share/snmp/mibs/ietf; install snmp-mibs-downloader): showing numeric OIDs" \
			"under $LAB_ROOT_NUMERIC (FWSTATE-MIB)"
	fi
}

# Tests assert on names from FWSTATE-MIB; they cannot run on numeric output.
lab_require_mibs() {
	[[ $LAB_NUMERIC -eq 0 ]] ||
		lab_die "FWSTATE-MIB and the IETF modules are needed (../shared/mibs/ietf or snmp-mibs-downloader)"
}

lab_require_agent() {
	[[ -x $LAB_AGENT ]] || lab_die "agent binary '$LAB_AGENT' not found: build first (scripts/build.sh) or set FWSTATE_AGENT"
}

# Run a command in one of the lab namespaces.
lab_phone() { ip netns exec "$LAB_NS_PHONE" "$@"; }
lab_fw() { ip netns exec "$LAB_NS_FW" "$@"; }
lab_sbc() { ip netns exec "$LAB_NS_SBC" "$@"; }

lab_netns_add() {
	ip netns add "$1"
	LAB_NAMESPACES+=("$1")
	ip -n "$1" link set lo up
	# No duplicate address detection on the lab links (link-local addresses
	# included), so IPv6 works as soon as the links are up.
	if ip netns exec "$1" test -e /proc/sys/net/ipv6/conf/default; then
		ip netns exec "$1" sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
	fi
}

lab_netns_up() {
	lab_netns_add "$LAB_NS_PHONE"
	lab_netns_add "$LAB_NS_FW"
	lab_netns_add "$LAB_NS_SBC"

	# Both veth ends are created directly in their namespaces, so the
	# interface names never appear in (or collide in) the caller's namespace.
	ip link add eth0 netns "$LAB_NS_PHONE" type veth peer name phone0 netns "$LAB_NS_FW"
	ip link add eth0 netns "$LAB_NS_SBC" type veth peer name sbc0 netns "$LAB_NS_FW"

	ip -n "$LAB_NS_PHONE" addr add "$LAB_PHONE_V4/24" dev eth0
	ip -n "$LAB_NS_PHONE" addr add "$LAB_PHONE_V6/64" dev eth0 nodad
	ip -n "$LAB_NS_FW" addr add "$LAB_FW_PHONE_V4/24" dev phone0
	ip -n "$LAB_NS_FW" addr add "$LAB_FW_PHONE_V6/64" dev phone0 nodad
	ip -n "$LAB_NS_FW" addr add "$LAB_FW_SBC_V4/24" dev sbc0
	ip -n "$LAB_NS_FW" addr add "$LAB_FW_SBC_V6/64" dev sbc0 nodad
	ip -n "$LAB_NS_SBC" addr add "$LAB_SBC_V4/24" dev eth0
	ip -n "$LAB_NS_SBC" addr add "$LAB_SBC_V6/64" dev eth0 nodad

	ip -n "$LAB_NS_PHONE" link set eth0 up
	ip -n "$LAB_NS_FW" link set phone0 up
	ip -n "$LAB_NS_FW" link set sbc0 up
	ip -n "$LAB_NS_SBC" link set eth0 up

	ip -n "$LAB_NS_PHONE" route add default via "$LAB_FW_PHONE_V4"
	ip -n "$LAB_NS_PHONE" -6 route add default via "$LAB_FW_PHONE_V6"
	ip -n "$LAB_NS_SBC" route add default via "$LAB_FW_SBC_V4"
	ip -n "$LAB_NS_SBC" -6 route add default via "$LAB_FW_SBC_V6"

	lab_fw sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

	# The conntrack sysctls of a namespace exist only once nf_conntrack is
	# loaded; on a fresh machine nothing may have loaded it yet.
	if ! lab_fw test -e "/proc/sys/${LAB_SYSCTL_CLOSE_WAIT//.//}"; then
		modprobe nf_conntrack 2>/dev/null || true
		lab_fw test -e "/proc/sys/${LAB_SYSCTL_CLOSE_WAIT//.//}" ||
			lab_die "no conntrack sysctls in $LAB_NS_FW (is nf_conntrack available?)"
	fi

	if command -v ping >/dev/null 2>&1; then
		local addr
		for addr in "$LAB_SBC_V4" "$LAB_SBC_V6"; do
			lab_poll 5 lab_phone ping -q -c 1 -W 1 "$addr" ||
				lab_die "phone cannot reach the SBC ($addr) through the firewall"
		done
	fi
}

# lab_spawn NAME NAMESPACE COMMAND...: start COMMAND in NAMESPACE in the
# background and remember its PID, which is COMMAND's own ("ip netns exec"
# execs it; no shell function or subshell in between, so signals reach it).
# Its stdout/stderr go to NAME.out in the run directory, its stdin is
# /dev/null or LAB_SPAWN_STDIN (opened read-write).
lab_spawn() {
	local name=$1 ns=$2
	shift 2
	ip netns exec "$ns" "$@" <>"${LAB_SPAWN_STDIN:-/dev/null}" >>"$LAB_RUN/$name.out" 2>&1 &
	LAB_SPAWNED=$!
	LAB_PIDS+=("$LAB_SPAWNED")
}

lab_alive() {
	[[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null
}

# Bounded poll: lab_poll SECONDS COMMAND... (every 0.2 s, until it succeeds).
lab_poll() {
	local timeout=$1
	shift
	local deadline=$((SECONDS + timeout))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		((SECONDS < deadline)) || return 1
		sleep 0.2
	done
}

lab_udp_listening() {
	[[ -n $(lab_fw ss -Huln "sport = :$1") ]]
}

lab_trapd_start() {
	cat >"$LAB_TRAPD_CONF" <<-EOF
		disableAuthorization yes
		format2 %.4y-%.2m-%.2l %.2h:%.2j:%.2k TRAP %B | %V | %v\n
	EOF
	: >"$LAB_TRAP_LOG"
	lab_spawn snmptrapd "$LAB_NS_FW" snmptrapd -f -C -c "$LAB_TRAPD_CONF" -X -n -p "$LAB_TRAPD_PIDFILE" \
		-Lf "$LAB_TRAP_LOG" "${LAB_MIB_OPTS[@]}" udp:127.0.0.1:162
	LAB_TRAPD_PID=$LAB_SPAWNED
	lab_poll 10 lab_udp_listening 162 || lab_die "snmptrapd did not start (see $LAB_TRAP_LOG)"
}

# The lab's snmpd runs on the documented lines (packaging/snmpd-fwstate.conf),
# pointed at the lab: its socket, snmptrapd and the loopback as the NMS, the
# socket's group root (no fwstate group in the lab); plus where to listen and
# LAB_SNMPD_EXTRA_CONF (lines of the caller's).
lab_snmpd_start() {
	lab_snmpd_conf
	# with the module, snmpd starts with the agent (lab_agent_start); --master has none
	[[ $LAB_MODE == subagent ]] || return 0
	lab_snmpd_spawn
}

lab_snmpd_conf() {
	local addresses=udp:127.0.0.1:161 community6=
	if lab_fw test -e /proc/sys/net/ipv6/conf/lo; then
		addresses+=",udp6:[::1]:161"
		community6="rocommunity6 public ::1 -V fwstateView"
	fi
	LAB_SNMPV3_USER=fwstate-nms
	LAB_SNMPV3_AUTH=change-this-auth-passphrase
	LAB_SNMPV3_PRIV=change-this-priv-passphrase
	sed -e "s|^agentXSocket .*|agentXSocket $LAB_AGENTX_SOCK|" \
		-e 's|^agentXPerms 0660 0750 root fwstate|agentXPerms 0660 0750 root root|' \
		-e 's|192\.0\.2\.50|127.0.0.1|' \
		"$LAB_SOURCE_DIR/packaging/snmpd-fwstate.conf" >"$LAB_SNMPD_CONF"
	cat >>"$LAB_SNMPD_CONF" <<-EOF
		agentaddress $addresses
		$community6
		dontLogTCPWrappersConnects yes
		${LAB_SNMPD_EXTRA_CONF:-}
	EOF
	LAB_SNMPD_ADDRESSES=$addresses
	if [[ $LAB_MODE == dlmod ]]; then
		# the module's directives come after its dlmod line; its log is snmpd's
		printf 'dlmod fwstate %s\nincludeFile %s\n' "$LAB_DLMOD" "$LAB_AGENT_CONF" >>"$LAB_SNMPD_CONF"
		LAB_SNMPD_LOG=$LAB_AGENT_LOG
	fi
}

# snmpd on $LAB_SNMPD_CONF, under LAB_SNMPD_PREFIX (a command, if any), with ARGs.
lab_snmpd_spawn() {
	local mibs=()
	[[ $LAB_NUMERIC -ne 0 ]] || mibs=("${LAB_MIB_OPTS[@]}")
	lab_spawn snmpd "$LAB_NS_FW" "${LAB_SNMPD_PREFIX[@]}" snmpd -f -C -c "$LAB_SNMPD_CONF" \
		-Lf "$LAB_SNMPD_LOG" -p "$LAB_SNMPD_PIDFILE" "${mibs[@]}" "$@"
	LAB_SNMPD_PID=$LAB_SPAWNED
	lab_poll 15 test -S "$LAB_AGENTX_SOCK" || lab_die "snmpd did not open $LAB_AGENTX_SOCK (see $LAB_SNMPD_LOG)"
	lab_poll 15 lab_udp_listening 161 || lab_die "snmpd is not listening on udp:127.0.0.1:161"
}

lab_up() {
	lab_netns_up
	lab_trapd_start
	lab_snmpd_start
}

# Write the agent config: "timeoutPollInterval 1" then one line per argument.
lab_agent_conf() {
	{
		printf '%s\n' "timeoutPollInterval 1"
		(($# == 0)) || printf '%s\n' "$@"
	} >"$LAB_AGENT_CONF"
}

# Start the agent in the fw namespace, in the foreground of a background job,
# logging to $LAB_AGENT_LOG. Connects to the lab's snmpd unless the arguments
# contain --master. In dlmod mode it starts snmpd with the module instead
# (ARGs are snmpd's then, -D... say) and LAB_AGENT_PID is snmpd's.
lab_agent_start() {
	[[ -f $LAB_AGENT_CONF ]] || lab_agent_conf
	if [[ $LAB_MODE == dlmod ]]; then
		[[ " $* " != *" --master "* ]] || lab_die "--master: not in FWSTATE_MODE=dlmod"
		rm -f "$LAB_AGENTX_SOCK"
		local saved=("${LAB_SNMPD_PREFIX[@]}")
		LAB_SNMPD_PREFIX=("${LAB_AGENT_PREFIX[@]}")
		lab_snmpd_spawn "$@"
		LAB_SNMPD_PREFIX=("${saved[@]}")
		LAB_AGENT_PID=$LAB_SNMPD_PID
		return 0
	fi
	lab_require_agent
	local args=(-f -C -c "$LAB_AGENT_CONF" -Lf "$LAB_AGENT_LOG")
	if [[ $LAB_MODE == master && " $* " != *" --master "* ]]; then
		# the access control and trap sinks snmpd would have had
		grep -Ev '^(master|agentXSocket|agentXPerms|agentaddress|dontLogTCPWrappersConnects|dlmod|includeFile)( |$)' \
			"$LAB_SNMPD_CONF" >"$LAB_RUN/master-access.conf"
		args=(-f -C -c "$LAB_AGENT_CONF,$LAB_RUN/master-access.conf" -Lf "$LAB_AGENT_LOG"
			--master "$LAB_SNMPD_ADDRESSES")
		LAB_SNMPD_LOG=$LAB_AGENT_LOG
	fi
	[[ " ${args[*]} $* " == *" --master "* ]] || args+=(-x "$LAB_AGENTX_SOCK")
	lab_spawn fwstate-agent "$LAB_NS_FW" "${LAB_AGENT_PREFIX[@]}" "$LAB_AGENT" "${args[@]}" "$@"
	LAB_AGENT_PID=$LAB_SPAWNED
}

# lab_nft_siptls ESTABLISHED CLOSE_WAIT: load into the fw namespace (from
# siptls.nft in the run directory) an nftables ct
# timeout object "siptls" with these TCP timeouts, attached by a prerouting
# rule to connections to TCP port 5061 (SIP over TLS). The rule runs at filter
# priority: the kernel attaches a timeout policy only to a connection that
# conntrack (priority -200) has created and not yet confirmed, so at raw
# priority (-300) it would have no effect on the connections.
lab_nft_siptls() {
	cat >"$LAB_RUN/siptls.nft" <<-EOF
		table inet filter {
			ct timeout siptls {
				protocol tcp
				l3proto ip
				policy = { established: $1, close_wait: $2 }
			}
			chain pre {
				type filter hook prerouting priority filter
				tcp dport 5061 ct timeout set "siptls"
			}
		}
	EOF
	lab_fw nft -f "$LAB_RUN/siptls.nft"
}

# A TLS server on the SBC (port 5061, throw-away self-signed certificate) and
# a phone that connects to it through the firewall and stays connected. Both
# read stdin from a FIFO opened read-write, which never reaches end of file
# (s_server would close the connection on EOF).
lab_sip_tls_start() {
	[[ -z ${LAB_SIP_CLIENT_PID:-} ]] || return 0
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
		-subj /CN=sbc.example.net -keyout "$LAB_RUN/sbc.key" -out "$LAB_RUN/sbc.crt" >/dev/null 2>&1
	mkfifo "$LAB_RUN/tls.stdin"
	LAB_SPAWN_STDIN="$LAB_RUN/tls.stdin" lab_spawn sbc-tls "$LAB_NS_SBC" openssl s_server -quiet -accept 5061 \
		-cert "$LAB_RUN/sbc.crt" -key "$LAB_RUN/sbc.key"
	lab_poll 20 lab_tcp_listening "$LAB_NS_SBC" 5061 || {
		echo "TLS server on the SBC did not start; its output:"
		cat "$LAB_RUN/sbc-tls.out" 2>/dev/null || true
		return 1
	}
	LAB_SPAWN_STDIN="$LAB_RUN/tls.stdin" lab_spawn phone-tls "$LAB_NS_PHONE" openssl s_client -quiet \
		-connect "$LAB_SBC_V4:5061"
	LAB_SIP_CLIENT_PID=$LAB_SPAWNED
}

lab_tcp_listening() {
	[[ -n $(ip netns exec "$1" ss -Htln "sport = :$2") ]]
}

lab_sip_tls_conntrack() {
	lab_fw conntrack -L -p tcp --dport 5061 2>/dev/null | grep -E ' ESTABLISHED .*dport=5061 .*ASSURED'
}

# lab_sip_tls_tracked MAX (after lab_sip_tls_start, which must run in the
# main shell): the phone's TLS connection to the SBC is in the
# firewall's conntrack table as ESTABLISHED with a timeout of at most MAX s.
lab_sip_tls_tracked() {
	local max=$1 line timeout
	lab_poll 10 lab_sip_tls_conntrack || {
		echo "no established conntrack entry for TCP 5061 in $LAB_NS_FW:"
		lab_fw conntrack -L 2>&1
		return 1
	}
	line=$(lab_sip_tls_conntrack | head -n 1)
	echo "$line"
	read -r _ _ timeout _ <<<"$line"
	((timeout <= max)) || {
		echo "(timeout $timeout s is above $max s)"
		return 1
	}
}

# lab_wait_polls N: waits until the agent has finished N more timeout polls
# (fwStateTimeoutLastCheck.0 changed N times; the lab polls every second).
# A check that something did not happen runs after it: the agent's loop was
# alive and working all that time, not stalled.
lab_wait_polls() {
	local want=$1 seen=0 last now deadline=$((SECONDS + 3 * $1 + 5))
	last=$(lab_snmpget -Oqv FWSTATE-MIB::fwStateTimeoutLastCheck.0) || return 1
	while ((seen < want)); do
		if ((SECONDS >= deadline)); then
			echo "only $seen of $want more timeout polls (fwStateTimeoutLastCheck.0 $last)"
			return 1
		fi
		sleep 0.2
		now=$(lab_snmpget -Oqv FWSTATE-MIB::fwStateTimeoutLastCheck.0) || continue
		if [[ $now != "$last" ]]; then
			seen=$((seen + 1))
			last=$now
		fi
	done
	echo "$want more timeout polls; fwStateTimeoutLastCheck.0 = $last"
}

# Send a signal to the agent.
lab_agent_signal() {
	kill -s "$1" "$LAB_AGENT_PID"
}

# Stop the agent with SIGTERM; returns its exit status (124 if it had to be
# killed because it did not exit within LAB_AGENT_STOP_WAIT seconds, default 5).
lab_agent_stop() {
	local pid=$LAB_AGENT_PID rc=0
	lab_alive "$pid" || return 0
	kill -TERM "$pid"
	if ! lab_poll "${LAB_AGENT_STOP_WAIT:-5}" lab_dead "$pid"; then
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		return 124
	fi
	wait "$pid" || rc=$?
	return "$rc"
}

lab_dead() {
	! kill -0 "$1" 2>/dev/null
}

# Wait until the agent answers through SNMP; fail early if it exits.
lab_wait_ready() {
	local timeout=${1:-20}
	local deadline=$((SECONDS + timeout)) out
	while :; do
		if ! lab_alive "$LAB_AGENT_PID"; then
			lab_log "fwstate-agent exited before it became ready"
			return 1
		fi
		out=$(lab_snmpget -Oqv "$(lab_oid fwStateTimeoutThreshold.0 1.1.1.0)" 2>/dev/null) || out=
		[[ $out =~ ^[0-9]+ ]] && return 0
		if ((SECONDS >= deadline)); then
			lab_log "fwstate-agent did not answer within ${timeout}s (last answer: ${out:-none})"
			return 1
		fi
		sleep 0.3
	done
}

# lab_oid NAME NUMERIC_SUFFIX: a FWSTATE-MIB object by name, or by number
# below the module root when the MIB cannot be loaded.
lab_oid() {
	if [[ $LAB_NUMERIC -eq 0 ]]; then
		printf 'FWSTATE-MIB::%s\n' "$1"
	else
		printf '%s.%s\n' "$LAB_ROOT_NUMERIC" "$2"
	fi
}

# lab_snmp TOOL [OPTION...] [OID...]: a Net-SNMP tool in the fw namespace,
# SNMPv2c community public, against $LAB_SNMP_PEER (snmpd by default).
# Leading arguments that start with "-" are options.
lab_snmp() {
	local tool=$1
	shift
	local opts=()
	while (($#)) && [[ $1 == -* ]]; do
		opts+=("$1")
		shift
	done
	lab_fw "$tool" -v2c -c public -t 2 -r 1 "${LAB_MIB_OPTS[@]}" "${opts[@]}" "$LAB_SNMP_PEER" "$@"
}

lab_snmpget() { lab_snmp snmpget "$@"; }
lab_snmpwalk() {
	if (($# == 0)) || [[ ${!#} == -* ]]; then set -- "$@" "$LAB_ROOT"; fi
	lab_snmp snmpwalk "$@"
}
lab_snmpbulkwalk() {
	if (($# == 0)) || [[ ${!#} == -* ]]; then set -- "$@" "$LAB_ROOT"; fi
	lab_snmp snmpbulkwalk "$@"
}

# The trap log holds one line per notification:
#   <date> <time> TRAP <source> | sysUpTime.0 = ... | snmpTrapOID.0 = OID: ... | varbind | ...
# trap_lines REGEX...: the notifications matching every REGEX.
trap_lines() {
	local out
	out=$(grep -F ' TRAP ' "$LAB_TRAP_LOG" || true)
	while (($#)); do
		out=$(grep -E -- "$1" <<<"$out" || true)
		shift
	done
	[[ -z $out ]] || printf '%s\n' "$out"
}

# trap_count REGEX...: how many notifications match every REGEX.
trap_count() {
	local lines
	lines=$(trap_lines "$@")
	if [[ -z $lines ]]; then
		echo 0
	else
		wc -l <<<"$lines"
	fi
}

# wait_for_trap REGEX [TIMEOUT [COUNT]]: wait (bounded) until at least COUNT
# (default 1) notifications match REGEX; print them.
wait_for_trap() {
	local re=$1 timeout=${2:-15} want=${3:-1}
	local deadline=$((SECONDS + timeout))
	while (($(trap_count "$re") < want)); do
		if ((SECONDS >= deadline)); then
			echo "no$( ((want == 1)) || echo " $want") notification matching /$re/ within ${timeout}s; trap log:"
			tail -n 20 "$LAB_TRAP_LOG"
			return 1
		fi
		sleep 0.2
	done
	trap_lines "$re"
}

# A regex for the notification named by $1 (LAB_TRAP_BELOW/LAB_TRAP_CLEARED)
# about a given source name and state: trap_re NOTIFICATION NAME STATE.
trap_re() {
	local name=${2//./\\.} state=${3//./\\.}
	printf '%s\n' "snmpTrapOID\.0 = OID: ${1//./\\.}( |$).*fwStateNotifySourceName(\.0)? = STRING: \"?$name\"?( |$).*fwStateNotifyState(\.0)? = STRING: \"?$state\"?( |$)"
}

# lab_re_escape STRING: STRING as a literal in an extended regex.
lab_re_escape() {
	sed 's/[][\\.*^$+?(){}|/]/\\&/g' <<<"$1"
}

# lab_oid_string STRING: STRING as a length-prefixed OID index (len.c1.c2...).
lab_oid_string() {
	local s=$1 i out=${#1}
	for ((i = 0; i < ${#s}; i++)); do
		out+=.$(printf '%d' "'${s:i:1}")
	done
	printf '%s\n' "$out"
}

# lab_row_numeric OBJECT KIND NAME PROTOCOL STATE: a fwStateTimeoutTable cell
# as a numeric OID.
lab_row_numeric() {
	local column kind proto
	case $1 in
	fwStateTimeoutValue) column=5 ;;
	fwStateTimeoutChecked) column=6 ;;
	fwStateTimeoutStatus) column=7 ;;
	fwStateTimeoutStale) column=8 ;;
	*) return 1 ;;
	esac
	case $2 in sysctl) kind=1 ;; cttimeout) kind=2 ;; nft) kind=3 ;; *) return 1 ;; esac
	case $4 in tcp) proto=6 ;; udp) proto=17 ;; *) return 1 ;; esac
	printf '%s.1.1.7.1.%s.%s.%s.%s.%s\n' "$LAB_ROOT_NUMERIC" "$column" "$kind" \
		"$(lab_oid_string "$3")" "$proto" "$(lab_oid_string "$5")"
}

# lab_row OBJECT KIND NAME PROTOCOL STATE: a fwStateTimeoutTable cell, e.g.
# lab_row fwStateTimeoutValue sysctl net.netfilter tcp close_wait; by name, or
# numeric when the MIB cannot be loaded.
lab_row() {
	if [[ $LAB_NUMERIC -eq 0 ]]; then
		printf 'FWSTATE-MIB::%s.%s."%s".%s."%s"\n' "$@"
	else
		lab_row_numeric "$@"
	fi
}

# row_re OBJECT KIND NAME PROTOCOL STATE VALUE_REGEX: a regex for that cell's
# line in snmpwalk/snmpget output.
row_re() {
	local name state
	name=$(lab_re_escape "$3")
	state=$(lab_re_escape "$5")
	printf '^FWSTATE-MIB::%s\\.%s\\."%s"\\.%s\\."%s" = %s$\n' "$1" "$2" "$name" "$4" "$state" "$6"
}

# ---------------------------------------------------------------------------
# Assertions. Each takes a command, prints its output and succeeds or fails;
# use them as the command of check.

# check DESCRIPTION COMMAND...: run COMMAND, print "ok N - ..." or
# "not ok N - ..." followed by the command and its output.
check() {
	local desc=$1
	shift
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	LAB_CHECKS=$((LAB_CHECKS + 1))
	if ((rc == 0)); then
		LAB_PASSED=$((LAB_PASSED + 1))
		printf 'ok %d - %s\n' "$LAB_CHECKS" "$desc"
	else
		LAB_FAILED=$((LAB_FAILED + 1))
		printf 'not ok %d - %s\n' "$LAB_CHECKS" "$desc"
		printf '#   command: %s\n' "$*"
		[[ -z $out ]] || printf '#   %s\n' "${out//$'\n'/$'\n'#   }"
	fi
	return 0
}

# expect_match REGEX COMMAND...: COMMAND succeeds and a line of its output
# matches the extended REGEX.
expect_match() {
	local re=$1 out
	shift
	out=$("$@" 2>&1) || {
		printf '%s\n' "$out"
		echo "(command failed)"
		return 1
	}
	printf '%s\n' "$out"
	grep -Eq -- "$re" <<<"$out" || {
		echo "(expected a line matching /$re/)"
		return 1
	}
}

# expect_no_match REGEX COMMAND...: COMMAND succeeds and no line matches.
expect_no_match() {
	local re=$1 out
	shift
	out=$("$@" 2>&1) || {
		printf '%s\n' "$out"
		echo "(command failed)"
		return 1
	}
	printf '%s\n' "$out"
	if grep -Eq -- "$re" <<<"$out"; then
		echo "(expected no line matching /$re/)"
		return 1
	fi
}

# expect_eq EXPECTED COMMAND...: COMMAND succeeds and prints exactly EXPECTED.
expect_eq() {
	local want=$1 out
	shift
	out=$("$@" 2>&1) || {
		printf '%s\n' "$out"
		echo "(command failed)"
		return 1
	}
	[[ $out == "$want" ]] || {
		printf 'expected: %s\n  actual: %s\n' "$want" "$out"
		return 1
	}
}

# expect_status STATUS COMMAND...: COMMAND exits with STATUS ("nonzero"
# accepts 1-123, i.e. a failure that was not a timeout or a signal).
expect_status() {
	local want=$1 rc=0
	shift
	"$@" 2>&1 || rc=$?
	echo "(exit status $rc)"
	if [[ $want == nonzero ]]; then
		((rc > 0 && rc < 124))
	else
		((rc == want))
	fi
}

# eventually TIMEOUT COMMAND...: retry COMMAND (bounded) until it succeeds;
# print the output of the last try.
eventually() {
	local timeout=$1 out rc
	shift
	local deadline=$((SECONDS + timeout))
	while :; do
		rc=0
		out=$("$@" 2>&1) || rc=$?
		if ((rc == 0)) || ((SECONDS >= deadline)); then
			printf '%s\n' "$out"
			((rc == 0)) || echo "(still failing after ${timeout}s)"
			return "$rc"
		fi
		sleep 0.3
	done
}

lab_agent_running() {
	if lab_alive "$LAB_AGENT_PID"; then
		echo "fwstate-agent (pid $LAB_AGENT_PID) is running"
	else
		echo "fwstate-agent (pid ${LAB_AGENT_PID:-none}) is not running"
		return 1
	fi
}

lab_dump_logs() {
	((LAB_LOGS_DUMPED == 0)) || return 0
	LAB_LOGS_DUMPED=1
	local f
	for f in "$LAB_SNMPD_LOG" "$LAB_AGENT_LOG" "$LAB_RUN/fwstate-agent.out" "$LAB_TRAP_LOG"; do
		[[ -s $f ]] || continue
		printf '# ---- last lines of %s ----\n' "$f"
		tail -n 30 "$f" | sed 's/^/# /'
	done
}

lab_keep_note() {
	[[ -z $LAB_RUN ]] || printf '# configs and logs kept in %s\n' "$LAB_RUN"
}

# lab_sanitized: the agent under test is a sanitizer build.
lab_sanitized() {
	grep -qa __asan_report_load "$LAB_AGENT"
}

# lab_sanitizer_clean: no sanitizer report from any process of the lab, in
# the report files or (where one could not be written) in their output.
lab_sanitizer_clean() {
	local report found=0
	for report in "$LAB_RUN"/sanitizer/report*; do
		[[ -e $report ]] || continue
		found=1
		printf -- '--- %s\n' "$report"
		head -n 40 "$report"
	done
	for report in "$LAB_RUN"/*.out; do
		[[ -e $report ]] || continue
		grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' "$report" || continue
		found=1
		printf -- '--- %s\n' "$report"
		grep -E -A20 'AddressSanitizer|LeakSanitizer|runtime error:' "$report" | head -n 40
	done
	((found == 0))
}

# lab_summary: print "N passed, M failed" (after the log tails if anything
# failed); fails if any check failed. With a sanitizer build of the agent it
# stops the agent first (leaks are reported at exit) and checks that no
# process of the lab reported anything.
lab_summary() {
	if [[ -n ${LAB_RUN:-} ]] && lab_sanitized; then
		local stopped=0
		# the leak check runs at exit: give it time, and a killed agent has none
		LAB_AGENT_STOP_WAIT=30 lab_agent_stop >/dev/null 2>&1 || stopped=$?
		check "the agent exits on SIGTERM (its leak check ran)" test "$stopped" -ne 124
		check "no AddressSanitizer/UndefinedBehaviorSanitizer report" lab_sanitizer_clean
	fi
	((LAB_FAILED == 0)) || lab_dump_logs
	((LAB_FAILED == 0)) || lab_keep_note
	LAB_SUMMARY_DONE=1
	printf '%d passed, %d failed\n' "$LAB_PASSED" "$LAB_FAILED"
	((LAB_FAILED == 0))
}

# lab_down: stop everything this lab started, delete its namespaces, remove
# the run directory (kept on failure or with LAB_KEEP=1). Meant for
# "trap lab_down EXIT"; a script that stops before lab_summary counts as failed.
lab_down() {
	local rc=$? pid ns
	set +e
	# Clean up even if whoever reads our output has gone away.
	trap '' PIPE
	if ((LAB_SUMMARY_DONE == 0)) && ((LAB_CHECKS > 0 || rc != 0)); then
		LAB_CHECKS=$((LAB_CHECKS + 1))
		printf 'not ok %d - script stopped early (exit status %d)\n' "$LAB_CHECKS" "$rc"
		LAB_FAILED=$((LAB_FAILED + 1))
		lab_dump_logs
		lab_keep_note
		printf '%d passed, %d failed\n' "$LAB_PASSED" "$LAB_FAILED"
		((rc != 0)) || rc=1
	fi
	for pid in "${LAB_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${LAB_PIDS[@]}"; do
		lab_poll 5 lab_dead "$pid" || kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	# Anything else still running inside our namespaces was started from
	# here (test commands); end it by PID before deleting the namespaces.
	for ns in "${LAB_NAMESPACES[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	if [[ -n $LAB_RUN && -d $LAB_RUN ]]; then
		if ((rc == 0 && LAB_FAILED == 0)) && [[ ${LAB_KEEP:-0} != 1 ]]; then
			rm -rf "$LAB_RUN"
		fi
	fi
	exit "$rc"
}

# ===========================================================================
# Session tests: TCP peers in the lab, NAT in the firewall and the
# FWSTATE-MIB session objects (fwStateSessions) by number.
#
#   lab_session_nat                    # masquerade phone -> SBC in fw
#   lab_session_server NAME ADDR,PORT...       # TCP server in sbc, then
#   check "..." lab_session_listening NAME
#   lab_session_client NAME ADDR PORT [COUNT]  # COUNT connections from phone,
#   check "..." lab_session_connected NAME     # then
#   lab_session_do NAME COMMAND [TEXT] # send/shutdown/close/reset
#   lab_session_index PHONE PPORT SERVER SPORT [ZONE]
#   lab_session_get COLUMN INDEX       # snmpget -On of a fwStateSessionTable
#                                      # cell; COLUMN is its name
#
# The functions that start processes (lab_session_server, lab_session_client,
# lab_session_tls_start) must run in the main shell, not as the command of
# check: they record PIDs for lab_down. Nothing here changes the functions
# above.

# A second SBC address ("second data centre"), added by lab_session_sbc2.
LAB_SBC2_V4=198.51.100.3
LAB_TRAP_TORN_DOWN=FWSTATE-MIB::fwStateSessionTornDown
LAB_TRAP_SESSION_BELOW=FWSTATE-MIB::fwStateSessionTimeoutTooLow
LAB_TRAP_HELD=FWSTATE-MIB::fwStateSessionTeardownsHeld

# Source NAT (masquerade) in the firewall for everything that leaves towards
# the SBC, IPv4 and IPv6: the SBC sees the firewall's sbc0 addresses.
lab_session_nat() {
	cat >"$LAB_RUN/nat.nft" <<-EOF
		table ip nat {
			chain post {
				type nat hook postrouting priority srcnat
				oifname "sbc0" masquerade
			}
		}
		table ip6 nat {
			chain post {
				type nat hook postrouting priority srcnat
				oifname "sbc0" masquerade
			}
		}
	EOF
	lab_fw nft -f "$LAB_RUN/nat.nft"
}

# Add the second SBC address to the SBC's interface.
lab_session_sbc2() {
	ip -n "$LAB_NS_SBC" addr add "$LAB_SBC2_V4/24" dev eth0
}

# The TCP peer used by the session tests (Debian's python3), written once
# into the run directory.
#   peer.py server ADDR,PORT...
#     accepts on every endpoint and holds the connections open; closes a
#     connection when the phone closes its side, unless the phone sent a
#     line HOLD (then it keeps it half-open for ever); a line RST makes it
#     abort the connection (SO_LINGER 0: an RST instead of a FIN), a line
#     CLOSE makes it close first (its FIN before the phone's).
#   peer.py client ADDR PORT COUNT [LOCAL_PORT]
#     opens COUNT connections (from LOCAL_PORT, if given, with COUNT 1),
#     prints "port P" for each, then "connected COUNT" (or "failed ERROR"
#     and exits); then reads commands from stdin, one per line, each
#     applied to every connection and acknowledged with "done COMMAND":
#     send TEXT | shutdown (FIN, keep reading) | close | reset (RST) |
#     reconnect (close, then connect again from the same local port) | exit
lab_session_peer() {
	LAB_SESSION_PEER="$LAB_RUN/peer.py"
	[[ -f $LAB_SESSION_PEER ]] && return 0
	command -v python3 >/dev/null 2>&1 || lab_die "'python3' not found: run scripts/setup.sh first"
	cat >"$LAB_SESSION_PEER" <<-'EOF'
		import selectors
		import socket
		import struct
		import sys


		def family_of(host):
		    return socket.AF_INET6 if ":" in host else socket.AF_INET


		def abort(sock):
		    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
		    sock.close()


		def server(endpoints):
		    sel = selectors.DefaultSelector()
		    for endpoint in endpoints:
		        host, _, port = endpoint.rpartition(",")
		        listener = socket.socket(family_of(host), socket.SOCK_STREAM)
		        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
		        if family_of(host) == socket.AF_INET6:
		            listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
		        listener.bind((host, int(port)))
		        listener.listen(4096)
		        sel.register(listener, selectors.EVENT_READ, None)
		        print("listening", endpoint, flush=True)
		    print("ready", flush=True)
		    kept = []
		    while True:
		        for key, _ in sel.select():
		            sock = key.fileobj
		            if key.data is None:
		                conn, _ = sock.accept()
		                sel.register(conn, selectors.EVENT_READ, {"hold": False, "text": b""})
		                continue
		            state = key.data
		            try:
		                data = sock.recv(65536)
		            except OSError:
		                data = b""
		            if data:
		                state["text"] = (state["text"] + data)[-256:]
		                lines = state["text"].split(b"\n")
		                if b"RST" in lines:
		                    sel.unregister(sock)
		                    abort(sock)
		                elif b"CLOSE" in lines:
		                    state["text"] = b""
		                    sock.shutdown(socket.SHUT_WR)
		                elif b"HOLD" in lines:
		                    state["hold"] = True
		                continue
		            sel.unregister(sock)
		            if state["hold"]:
		                kept.append(sock)
		            else:
		                sock.close()


				def connect(host, port, local_port):
		    sock = socket.socket(family_of(host), socket.SOCK_STREAM)
		    if local_port:
		        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
		        sock.bind(("::" if family_of(host) == socket.AF_INET6 else "0.0.0.0", local_port))
		    sock.settimeout(5)
		    sock.connect((host, port))
		    sock.settimeout(None)
		    return sock


		def client(host, port, count, local_port):
		    socks = []
		    for _ in range(count):
		        try:
		            sock = connect(host, port, local_port)
		        except OSError as error:
		            print("failed", error, flush=True)
		            sys.exit(1)
		        socks.append(sock)
		        print("port", sock.getsockname()[1], flush=True)
		    print("connected", count, flush=True)
		    while True:
		        line = sys.stdin.readline()
		        if not line:
		            return
		        words = line.split(None, 1)
		        if not words:
		            continue
		        command = words[0]
		        for i, sock in enumerate(socks):
		            try:
		                if command == "send":
		                    text = words[1] if len(words) > 1 else "\n"
		                    sock.sendall(text.encode())
		                elif command == "shutdown":
		                    sock.shutdown(socket.SHUT_WR)
		                elif command == "close":
		                    sock.close()
		                elif command == "reset":
		                    abort(sock)
		                elif command == "reconnect":
		                    local = sock.getsockname()[1] if sock.fileno() >= 0 else local_port
		                    sock.close()
		                    socks[i] = connect(host, port, local)
		                    print("port", socks[i].getsockname()[1], flush=True)
		            except OSError as error:
		                print("error", command, error, flush=True)
		        print("done", command, flush=True)
		        if command == "exit":
		            return


				if sys.argv[1] == "server":
		    server(sys.argv[2:])
		else:
		    client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
		           int(sys.argv[5]) if len(sys.argv) > 5 else 0)
	EOF
}

# lab_session_lab [ADDR,PORT...]: the lab of a session test, from the main
# shell: namespaces, snmpd and snmptrapd (torn down on exit), source NAT in
# the firewall and, when endpoints are given, the SBC's TCP server "sbc-tcp"
# on them, checked.
lab_session_lab() {
	lab_init
	lab_require_mibs
	lab_require_agent
	trap lab_down EXIT
	lab_up
	lab_session_nat
	(($#)) || return 0
	lab_session_server sbc-tcp "$@"
	check "SBC: TCP server on ${*//,/:}" lab_session_listening sbc-tcp
}

# lab_session_server NAME ADDR,PORT...: start a TCP server in the sbc
# namespace (output in NAME.out); lab_session_listening NAME waits for it.
lab_session_server() {
	local name=$1
	shift
	lab_session_peer
	lab_spawn "$name" "$LAB_NS_SBC" python3 "$LAB_SESSION_PEER" server "$@"
}

lab_session_listening() {
	lab_poll 10 lab_session_out_has "$1" '^ready$' || {
		echo "server $1 did not start:"
		cat "$LAB_RUN/$1.out"
		return 1
	}
	grep '^listening ' "$LAB_RUN/$1.out"
}

lab_session_out_has() {
	grep -Eq -- "$2" "$LAB_RUN/$1.out"
}

lab_session_out_count() {
	grep -Ec -- "$2" "$LAB_RUN/$1.out" || true
}

# lab_session_client NAME ADDR PORT [COUNT [LOCAL_PORT]]: start COUNT
# (default 1) connections from the phone in one process (from LOCAL_PORT if
# given); commands go to them through the FIFO NAME.ctl. LAB_SESSION_PID is
# the client's PID. lab_session_connected NAME waits until all are connected.
lab_session_client() {
	local name=$1 addr=$2 port=$3 count=${4:-1} local_port=${5:-0}
	lab_session_peer
	mkfifo "$LAB_RUN/$name.ctl"
	LAB_SPAWN_STDIN="$LAB_RUN/$name.ctl" lab_spawn "$name" "$LAB_NS_PHONE" \
		python3 "$LAB_SESSION_PEER" client "$addr" "$port" "$count" "$local_port"
	LAB_SESSION_PID=$LAB_SPAWNED
}

lab_session_connected() {
	lab_poll 30 lab_session_out_has "$1" '^(connected|failed) ' || true
	if ! lab_session_out_has "$1" '^connected '; then
		echo "client $1 did not connect:"
		cat "$LAB_RUN/$1.out"
		return 1
	fi
	grep '^connected ' "$LAB_RUN/$1.out"
}

# lab_session_do NAME COMMAND [TEXT]: run a client command, wait until done.
lab_session_do() {
	local name=$1 before
	shift
	before=$(lab_session_out_count "$name" "^done $1\$")
	printf '%s\n' "$*" >"$LAB_RUN/$name.ctl"
	lab_poll 10 lab_session_done_more "$name" "$1" "$before" || {
		echo "client $name did not finish '$*':"
		cat "$LAB_RUN/$name.out"
		return 1
	}
}

lab_session_done_more() {
	(($(lab_session_out_count "$1" "^done $2\$") > $3))
}

# lab_session_ports NAME: the client's local (phone) ports, one per line.
lab_session_ports() {
	sed -n 's/^port \([0-9]*\)$/\1/p' "$LAB_RUN/$1.out"
}

# A TLS server on the SBC's IPv4 address, port 5061 (throw-away self-signed
# certificate), and a phone that stays connected to it. Unlike
# lab_sip_tls_start the server binds the IPv4 address only, so port 5061 of
# the SBC's IPv6 address stays free for other servers.
lab_session_tls_start() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
		-subj /CN=sbc.example.net -keyout "$LAB_RUN/sbc.key" -out "$LAB_RUN/sbc.crt" >/dev/null 2>&1
	mkfifo "$LAB_RUN/tls.stdin"
	LAB_SPAWN_STDIN="$LAB_RUN/tls.stdin" lab_spawn sbc-tls "$LAB_NS_SBC" openssl s_server -quiet \
		-accept "$LAB_SBC_V4:5061" -cert "$LAB_RUN/sbc.crt" -key "$LAB_RUN/sbc.key"
	lab_poll 10 lab_session_tls_listening || {
		echo "TLS server on the SBC did not start"
		return 1
	}
	LAB_SPAWN_STDIN="$LAB_RUN/tls.stdin" lab_spawn phone-tls "$LAB_NS_PHONE" openssl s_client -quiet \
		-connect "$LAB_SBC_V4:5061"
	LAB_SESSION_TLS_PID=$LAB_SPAWNED
}

# Something listens on the SBC's IPv4 address, port 5061 (not just on 5061
# of another address).
lab_session_tls_listening() {
	[[ -n $(lab_sbc ss -Htln "( src $LAB_SBC_V4 and sport = :5061 )") ]]
}

# lab_session_conntrack [CONNTRACK_ARG...]: the firewall's TCP entries to
# port 5061 (conntrack -L; extra arguments filter further).
lab_session_conntrack() {
	lab_fw conntrack -L -p tcp --dport 5061 "$@" 2>/dev/null
}

# lab_session_ct_count [CONNTRACK_ARG...]: how many there are.
lab_session_ct_count() {
	local out
	out=$(lab_session_conntrack "$@" | grep -c ' dport=5061 ' || true)
	echo "$out"
}

# lab_session_ct_field LINE KEY N: the Nth KEY=value of a conntrack -L line
# (1: original direction, 2: reply direction).
lab_session_ct_field() {
	grep -oE -- "(^| )$2=[^ ]+" <<<"$1" | sed -n "$3s/^ *$2=//p"
}

# lab_inet_index ADDR: an InetAddress as an index component (length, then
# the octets), for IPv4 dotted quads and IPv6 addresses.
lab_inet_index() {
	local addr=$1 head tail n i group out=16
	local -a first=() last=() groups=()
	if [[ $addr != *:* ]]; then
		printf '4.%s\n' "$addr"
		return 0
	fi
	if [[ $addr == *::* ]]; then
		head=${addr%%::*}
		tail=${addr#*::}
	else
		head=$addr
		tail=
	fi
	[[ -z $head ]] || IFS=: read -ra first <<<"$head"
	[[ -z $tail ]] || IFS=: read -ra last <<<"$tail"
	n=$((8 - ${#first[@]} - ${#last[@]}))
	groups=("${first[@]}")
	for ((i = 0; i < n; i++)); do groups+=(0); done
	groups+=("${last[@]}")
	for group in "${groups[@]}"; do
		out+=.$(((16#$group) >> 8)).$(((16#$group) & 255))
	done
	printf '%s\n' "$out"
}

# lab_inet_hex ADDR: the address as snmptrapd prints an InetAddress
# (Hex-STRING octets, e.g. "C0 00 02 0A").
lab_inet_hex() {
	local -a octets
	IFS=. read -ra octets <<<"$(lab_inet_index "$1")"
	printf '%02X ' "${octets[@]:1}" | sed 's/ $//'
}

# lab_session_index PHONE PHONE_PORT SERVER SERVER_PORT [ZONE]: the
# fwStateSessionTable index (phone address type, phone address, phone port,
# server address type, server address, server port, zone) as numbers.
lab_session_index() {
	local type=1
	[[ $1 != *:* ]] || type=2
	printf '%s.%s.%s.%s.%s.%s.%s\n' "$type" "$(lab_inet_index "$1")" "$2" \
		"$type" "$(lab_inet_index "$3")" "$4" "${5:-0}"
}

# lab_phone_index ADDR: the fwStatePhoneTable index.
lab_phone_index() {
	local type=1
	[[ $1 != *:* ]] || type=2
	printf '%s.%s\n' "$type" "$(lab_inet_index "$1")"
}

# lab_column NAME: the numeric OID of a FWSTATE-MIB object, from the MIB, so
# tests name columns instead of numbering them.
lab_column() {
	snmptranslate "${LAB_MIB_OPTS[@]}" -On "FWSTATE-MIB::$1" ||
		lab_die "FWSTATE-MIB has no object $1"
}

# Numeric OIDs of table cells: COLUMN is the column's name.
lab_session_oid() { printf '%s.%s\n' "$(lab_column "$1")" "$2"; }
lab_phone_oid() { printf '%s.%s\n' "$(lab_column "$1")" "$(lab_phone_index "$2")"; }
lab_teardown_oid() { printf '%s.%s\n' "$(lab_column "$1")" "$2"; }

# lab_session_get COLUMN INDEX: snmpget -On of a fwStateSessionTable cell.
lab_session_get() { lab_snmpget -On "$(lab_session_oid "$1" "$2")"; }
# lab_session_state PORT [SERVER_PORT]: fwStateSessionTcpState of the IPv4
# phone's session from PORT to the SBC's IPv4 address (port 5061 by default).
lab_session_state() {
	lab_session_get fwStateSessionTcpState \
		"$(lab_session_index "$LAB_PHONE_V4" "$1" "$LAB_SBC_V4" "${2:-5061}")"
}
# lab_phone_get COLUMN PHONE_ADDR, lab_teardown_get COLUMN INDEX: likewise.
lab_phone_get() { lab_snmpget -On "$(lab_phone_oid "$1" "$2")"; }
lab_teardown_get() { lab_snmpget -On "$(lab_teardown_oid "$1" "$2")"; }

# lab_session_scalar NAME: the value of fwStateSessions scalar NAME.0.
lab_session_scalar() {
	lab_snmpget -Oqv "FWSTATE-MIB::$1.0"
}

# lab_scalar NAME: FWSTATE-MIB::NAME.0, its value alone (no UNITS);
# lab_scalar_is NAME VALUE: it is VALUE (for eventually).
lab_scalar() { lab_snmpget -OUqv "FWSTATE-MIB::$1.0"; }
lab_scalar_is() {
	local out
	out=$(lab_scalar "$1") || return 1
	echo "$1.0 = $out"
	[[ $out == "$2" ]]
}

# lab_session_scalar_is NAME VALUE: NAME.0 is VALUE (for eventually).
lab_session_scalar_is() {
	local out
	out=$(lab_session_scalar "$1") || return 1
	echo "$1.0 = $out"
	[[ $out == "$2" ]]
}

# lab_session_rows COLUMN_NAME: the number of rows of a session table
# column, by snmpbulkwalk.
lab_session_rows() {
	local out
	out=$(lab_snmpbulkwalk -Cr50 "FWSTATE-MIB::$1") || return 1
	grep -c "^FWSTATE-MIB::$1\\." <<<"$out" || true
}

# lab_session_rows_is COLUMN_NAME N: that column has N rows.
lab_session_rows_is() {
	local rows
	rows=$(lab_session_rows "$1") || return 1
	echo "$1: $rows row(s)"
	((rows == $2))
}

# torn_down_re CAUSE [PHONE_ADDR [PHONE_PORT]]: a regex for an
# fwStateSessionTornDown notification with that cause (and phone).
torn_down_re() {
	local re="snmpTrapOID\\.0 = OID: $LAB_TRAP_TORN_DOWN( |\$).*fwStateTeardownCause\\.[0-9]+ = INTEGER: $1\\("
	if [[ -n ${2:-} ]]; then
		re="snmpTrapOID\\.0 = OID: $LAB_TRAP_TORN_DOWN( |\$).*fwStateTeardownPhoneAddress\\.[0-9]+ = Hex-STRING: $(lab_inet_hex "$2")( |\$)"
		[[ -z ${3:-} ]] || re+=".*fwStateTeardownPhonePort\\.[0-9]+ = Gauge32: $3( |\$)"
		re+=".*fwStateTeardownCause\\.[0-9]+ = INTEGER: $1\\("
	fi
	printf '%s\n' "$re"
}

# lab_storm_up SESSIONS LIMIT INTERVAL: the lab of the storm control tests — a
# masquerading firewall, a TCP server on the SBC's port 5061, the agent with
# teardownNotifyLimit LIMIT per teardownNotifyInterval INTERVAL, and one phone
# process holding SESSIONS sessions to it, all tracked. Sets the trap regexes
# LAB_STORM_TORN_DOWN and LAB_STORM_HELD. Runs in the main shell (it starts
# processes and sets globals).
lab_storm_up() {
	local sessions=$1 limit=$2 interval=$3

	lab_session_lab "$LAB_SBC_V4,5061"
	lab_agent_conf "teardownNotifyLimit $limit" "teardownNotifyInterval $interval"
	lab_agent_start
	check "agent answers through snmpd" lab_wait_ready
	lab_session_client phones "$LAB_SBC_V4" 5061 "$sessions"
	check "phone: $sessions sessions to $LAB_SBC_V4:5061 (one process)" lab_session_connected phones
	check "fwStateSessionsNow.0 = $sessions" eventually 15 \
		lab_session_scalar_is fwStateSessionsNow "$sessions"
	LAB_STORM_TORN_DOWN="snmpTrapOID\\.0 = OID: $LAB_TRAP_TORN_DOWN( |\$)"
	LAB_STORM_HELD="snmpTrapOID\\.0 = OID: $LAB_TRAP_HELD( |\$)"
}

# lab_ct_delete ARG...: conntrack -D in the firewall; the deleted entries are not shown.
lab_ct_delete() { lab_fw conntrack -D "$@" >/dev/null; }

# lab_privileged_work_checks NAME: checks that what needs CAP_NET_ADMIN works
# (after lab_session_lab with the SBC on port 5061, lab_nft_siptls and a
# cttimeout policy): every timeout source read, the nft and cttimeout rows, the
# kernel's event filter, session NAME from the phone tracked, reconcile dumps
# ending. Runs in the main shell (it starts the client); sets
# LAB_PRIVILEGED_PORT to the session's phone port.
lab_privileged_work_checks() {
	local source
	for source in sysctl cttimeout nft; do
		check "$source source: ok(1)" eventually 10 \
			expect_match 'INTEGER: ok\(1\)$' lab_snmpget "FWSTATE-MIB::fwStateSourceStatus.$source"
	done
	check "the nft object's rows are read" eventually 5 expect_match 'Gauge32: [1-9]' \
		lab_snmpget FWSTATE-MIB::fwStateSourceTimeouts.nft
	check "the cttimeout policy's rows are read" eventually 5 expect_match 'Gauge32: [1-9]' \
		lab_snmpget FWSTATE-MIB::fwStateSourceTimeouts.cttimeout
	check "the kernel filters the conntrack events" expect_eq true lab_session_scalar fwStateSessionEventFilter
	lab_session_client "$1" "$LAB_SBC_V4" 5061
	check "phone: session '$1'" lab_session_connected "$1"
	LAB_PRIVILEGED_PORT=$(lab_session_ports "$1")
	check "the session is tracked" eventually 10 \
		expect_match 'established\(3\)' lab_session_state "$LAB_PRIVILEGED_PORT"
	LAB_RESYNCS_BEFORE=$(lab_session_scalar fwStateSessionResyncs)
	check "reconcile dumps end" eventually 15 lab_reconciled_twice
}

lab_reconciled_twice() { (($(lab_session_scalar fwStateSessionResyncs) >= LAB_RESYNCS_BEFORE + 2)); }
