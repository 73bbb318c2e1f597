#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# An SBC that refuses the phone's connection (nothing listens on port 5061:
# the SYN is answered by an RST). The kernel deletes such a conntrack at
# once, without an update to CLOSE; its DESTROY event carries the final
# state CLOSE. FWSTATE-MIB: reset(1) is "an RST was seen: the conntrack
# state went to CLOSE", and fwStateTeardownLastState is close(8) for a
# reset, so the teardown must be reported as reset(1), not other(7).
# shellcheck disable=SC2119
set -euo pipefail

# shellcheck source=scripts/lab-lib.sh
source "${FWSTATE_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/lab-lib.sh"

lab_session_lab
check "SBC: address $LAB_SBC2_V4 with nothing listening on port 5061" lab_session_sbc2
lab_agent_conf
lab_agent_start
check "agent answers through snmpd" lab_wait_ready

lab_session_client refused "$LAB_SBC2_V4" 5061
refused_out() {
	lab_poll 10 lab_session_out_has refused '^(connected|failed) ' || true
	cat "$LAB_RUN/refused.out"
}
check "phone: the connection to $LAB_SBC2_V4:5061 is refused" \
	expect_match '^failed .*[Rr]efused' refused_out

any_torn_down="snmpTrapOID\\.0 = OID: $LAB_TRAP_TORN_DOWN( |\$)"
check "fwStateSessionTornDown for the refused session" wait_for_trap "$any_torn_down" 5
refused_trap() { trap_lines "$any_torn_down" | head -n 1; }
check "varbind: fwStateTeardownServerAddress = $LAB_SBC2_V4" expect_match \
	"fwStateTeardownServerAddress\\.[0-9]+ = Hex-STRING: $(lab_inet_hex "$LAB_SBC2_V4")( |\$)" refused_trap
check "varbind: fwStateTeardownLastState = close(8)" \
	expect_match 'fwStateTeardownLastState\.[0-9]+ = INTEGER: close\(8\)' refused_trap
check "varbind: fwStateTeardownCause = reset(1) (the SBC answered the SYN with an RST)" \
	expect_match 'fwStateTeardownCause\.[0-9]+ = INTEGER: reset\(1\)' refused_trap
check "history row 1: fwStateTeardownCause = reset(1)" \
	expect_match ' = INTEGER: reset\(1\)$' lab_teardown_get fwStateTeardownCause 1
check "fwStatePhoneResets of $LAB_PHONE_V4 = 1" \
	expect_match ' = Counter32: 1$' lab_phone_get fwStatePhoneResets "$LAB_PHONE_V4"
check "fwStatePhoneOtherTeardowns of $LAB_PHONE_V4 = 0" \
	expect_match ' = Counter32: 0$' lab_phone_get fwStatePhoneOtherTeardowns "$LAB_PHONE_V4"
check "fwStateSessionsNow.0 = 0" lab_session_scalar_is fwStateSessionsNow 0
check "fwStateSessionTable is empty" lab_session_rows_is fwStateSessionTcpState 0
check "agent still running" lab_agent_running

lab_summary
