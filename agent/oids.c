/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "oids.h"

#include <string.h>

/*
 * fwStateMIB: Net-SNMP's playpen arc (netSnmpPlaypen.660), provisional until a
 * Private Enterprise Number is assigned. The only place the root is spelled.
 */
static const oid fwstate_root[] = {1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 660};

size_t fwstate_oid(oid *out, const oid *suffix, size_t suffix_len)
{
	const size_t root_len = OID_LENGTH(fwstate_root);

	if (root_len + suffix_len > MAX_OID_LEN)
		return 0;
	memcpy(out, fwstate_root, sizeof(fwstate_root));
	memcpy(out + root_len, suffix, suffix_len * sizeof(oid));
	return root_len + suffix_len;
}
