/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fwstate.so: FWSTATE-MIB inside snmpd, loaded by "dlmod fwstate PATH".
 *
 * snmpd calls init_fwstate() from its dlmod line while it reads its
 * configuration; once snmpd has read everything the module reads the files
 * once more for its own directives (wherever they stand) and starts. On
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
#include "table_util.h"

void init_fwstate(void);
void deinit_fwstate(void);

static struct {
	int hooked;  /* callbacks registered: once per snmpd process */
	int started; /* the MIB is served */
	int stopped; /* snmpd is shutting down: never again */
	struct agent_info info;
} module = {.info = {.version = "fwstate-agent " FWSTATE_VERSION " (snmpd module)",
                     .mode = FW_AGENT_MODE_SNMPD_MODULE}};

/* Everything the start registered goes, so that a later start finds the tree free. */
static void module_stop(void)
{
	fwstate_module_stop();
	fwstate_scalars_unregister_all();
}

static int config_read(int major, int minor, void *serverarg, void *clientarg)
{
	struct fw_clock now;

	(void)major;
	(void)minor;
	(void)serverarg;
	(void)clientarg;
	if (module.stopped)
		return SNMPERR_SUCCESS;
	/*
	 * Before the first start, snmpd's files once more: directives above the
	 * dlmod line were unknown to snmpd's first read; a SIGHUP's re-read
	 * knows them all, and the first start must see what it sees.
	 */
	if (!module.started)
		fwstate_config_read_snmpd_files();
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
		snmp_log(LOG_ERR, "fwstate: FWSTATE-MIB could not be started (is fwstate-agent "
		                  "registered as a subagent?); trying again at the next SIGHUP\n");
		module_stop();
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
		module_stop();
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
