/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fwStateTimeouts scalars, read from the poller's view. */
#include "timeout_scalars.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "mib_encode.h"
#include "oids.h"
#include "timeout_poll.h"

enum {
	SCALAR_THRESHOLD = 1,
	SCALAR_POLL_INTERVAL = 2,
	SCALAR_BELOW_THRESHOLD = 3,
	SCALAR_LAST_CHECK = 4,
	SCALAR_READ_ERRORS = 5,
	SCALAR_LAST_READ_ERROR = 6,
};

static const char *const scalar_names[] = {
    [SCALAR_THRESHOLD] = "fwStateTimeoutThreshold",
    [SCALAR_POLL_INTERVAL] = "fwStateTimeoutPollInterval",
    [SCALAR_BELOW_THRESHOLD] = "fwStateTimeoutsBelowThreshold",
    [SCALAR_LAST_CHECK] = "fwStateTimeoutLastCheck",
    [SCALAR_READ_ERRORS] = "fwStateTimeoutReadErrors",
    [SCALAR_LAST_READ_ERROR] = "fwStateTimeoutLastReadError",
};

static void set_last_check(netsnmp_variable_list *var, time_t when)
{
	uint8_t octets[FW_DATE_AND_TIME_LEN];
	struct tm local;

	if (when == 0 || !localtime_r(&when, &local)) {
		/* never checked: the DateAndTime "unknown" value of RFC 2579 usage */
		static const uint8_t unknown[8] = {0, 0, 1, 1, 0, 0, 0, 0};

		snmp_set_var_typed_value(var, ASN_OCTET_STR, unknown, sizeof(unknown));
		return;
	}
	fw_date_and_time(&local, octets);
	snmp_set_var_typed_value(var, ASN_OCTET_STR, octets, sizeof(octets));
}

static void set_scalar(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *request,
                       uintptr_t scalar, const struct timeout_view *view)
{
	netsnmp_variable_list *var = request->requestvb;

	switch (scalar) {
	case SCALAR_THRESHOLD:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, view->config->policy.threshold);
		break;
	case SCALAR_POLL_INTERVAL:
		snmp_set_var_typed_integer(var, ASN_UNSIGNED, view->config->poll_interval);
		break;
	case SCALAR_BELOW_THRESHOLD:
		snmp_set_var_typed_integer(var, ASN_GAUGE, view->below_threshold);
		break;
	case SCALAR_LAST_CHECK:
		set_last_check(var, view->collector->last_check);
		break;
	case SCALAR_READ_ERRORS:
		snmp_set_var_typed_integer(var, ASN_COUNTER,
		                           view->collector->total_errors & 0xffffffffUL);
		break;
	case SCALAR_LAST_READ_ERROR:
		snmp_set_var_typed_value(var, ASN_OCTET_STR, view->collector->last_error,
		                         strlen(view->collector->last_error));
		break;
	default:
		netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHOBJECT);
	}
}

static int scalar_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                          netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	(void)reginfo;
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *request = requests; request; request = request->next)
		set_scalar(reqinfo, request, (uintptr_t)handler->myvoid, timeout_poll_view());
	return SNMP_ERR_NOERROR;
}

int timeout_scalars_register(void)
{
	for (oid scalar = SCALAR_THRESHOLD; scalar <= SCALAR_LAST_READ_ERROR; scalar++) {
		oid name[MAX_OID_LEN];
		size_t len = FWSTATE_OID(name, FWSTATE_TIMEOUTS, scalar);
		netsnmp_handler_registration *reg = netsnmp_create_handler_registration(
		    scalar_names[scalar], scalar_handler, name, len, HANDLER_CAN_RONLY);

		if (reg) /* which scalar this handler answers for */
			reg->handler->myvoid = (void *)(uintptr_t)scalar;
		if (!reg || netsnmp_register_scalar(reg) != MIB_REGISTERED_OK) {
			snmp_log(LOG_ERR, "cannot register %s\n", scalar_names[scalar]);
			return -1;
		}
	}
	return 0;
}
