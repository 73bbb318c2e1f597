/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fwstate.so: FWSTATE-MIB inside snmpd, loaded by "dlmod fwstate PATH".
 *
 * snmpd calls init_fwstate() from its dlmod line while it reads its
 * configuration, so the directives after that line (and in files included
 * after it) are ours; the module starts once snmpd has read everything. On
 * SIGHUP snmpd calls deinit_fwstate() and init_fwstate() again around the
 * re-read: the module is linked "nodelete", keeps running with its state
 * (sessions, teardown history, counters) and takes over the new configuration
 * as fwstate-agent does on SIGHUP. It stops when snmpd shuts down.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "../collectors/clock.h"
#include "config.h"
#include "log_bridge.h"
#include "module.h"

void init_fwstate(void);
void deinit_fwstate(void);

static struct {
	int hooked;  /* callbacks registered: once per snmpd process */
	int started; /* the MIB is served */
	int stopped; /* snmpd is shutting down: never again */
	struct agent_info info;
} module = {.info = {.version = "fwstate-agent " FWSTATE_VERSION " (snmpd module)",
                     .mode = FW_AGENT_MODE_SNMPD_MODULE}};

static int config_read(int major, int minor, void *serverarg, void *clientarg)
{
	struct fw_clock now;

	(void)major;
	(void)minor;
	(void)serverarg;
	(void)clientarg;
	if (module.stopped)
		return SNMPERR_SUCCESS;
	if (fwstate_config_problems()) {
		if (module.started)
			snmp_log(LOG_ERR,
			         "fwstate: %u configuration problem(s) above; the previous "
			         "configuration stays in force\n",
			         fwstate_config_problems());
		else
			snmp_log(LOG_ERR,
			         "fwstate: %u configuration problem(s) above; FWSTATE-MIB is not "
			         "served\n",
			         fwstate_config_problems());
		return SNMPERR_SUCCESS;
	}
	if (module.started) {
		fwstate_module_reconfigure();
		snmp_log(LOG_INFO, "fwstate: configuration reloaded\n");
		return SNMPERR_SUCCESS;
	}
	fw_clock_now(&now);
	module.info.start_wall = now.wall;
	module.info.start_mono_ms = now.mono_ms;
	if (fwstate_module_start(&module.info) < 0) {
		snmp_log(LOG_ERR, "fwstate: FWSTATE-MIB could not be started\n");
		fwstate_module_stop();
		return SNMPERR_SUCCESS;
	}
	module.started = 1;
	snmp_log(LOG_INFO, "%s started in snmpd\n", module.info.version);
	return SNMPERR_SUCCESS;
}

/* Before snmpd's logging and alarms go away, which happens before deinit_fwstate(). */
static int snmpd_shutdown(int major, int minor, void *serverarg, void *clientarg)
{
	(void)major;
	(void)minor;
	(void)serverarg;
	(void)clientarg;
	if (module.started) {
		snmp_log(LOG_INFO, "fwstate: stopping\n");
		fwstate_module_stop();
	}
	module.started = 0;
	module.stopped = 1;
	return SNMPERR_SUCCESS;
}

void init_fwstate(void)
{
	if (module.hooked)
		return; /* snmpd re-reads its configuration: the handlers are still there */
	module.hooked = 1;
	fwstate_log_bridge_init();
	fwstate_config_init(FW_CONFIG_SNMPD_FILES);
	/* after config.c's own end-of-read callback, which settles the configuration */
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG, config_read,
	                       NULL);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_SHUTDOWN, snmpd_shutdown, NULL);
}

/* On SIGHUP and at shutdown (after snmpd_shutdown()): the module keeps, or has, stopped. */
void deinit_fwstate(void)
{
}
