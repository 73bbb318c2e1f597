/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fwstate-agent: publishes the firewall's conntrack timeouts in FWSTATE-MIB as
 * an AgentX subagent (default) or as its own SNMP master agent (--master).
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../collectors/clock.h"
#include "agent_scalars.h"
#include "check.h"
#include "config.h"
#include "log_bridge.h"
#include "module.h"
#include "notify_delivery.h"

#define APP_NAME "fwstate-agent"

/*
 * For --master mode: access control, and the system group (sysUpTime for the
 * TimeStamps, sysORTable); parts of libnetsnmpmibs without a public header.
 */
void init_vacm_vars(void);
void init_usmUser(void);
void init_system_mib(void);
void init_sysORTable(void);
int vacm_warn_if_not_configured(int major, int minor, void *serverarg, void *clientarg);

struct options {
	int foreground;
	int logging_given;
	const char *master_address; /* NULL: AgentX subagent */
	const char *pid_file;
	int check; /* --check: judge the firewall once and exit */
	int json;  /* --json: --check prints JSON */
};

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t reload_requested;
static int wakeup_pipe[2] = {-1, -1};

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: " APP_NAME " [OPTIONS]\n"
	        "Publishes conntrack TCP timeouts in FWSTATE-MIB and notifies when one is below\n"
	        "the threshold (SIP-over-TLS phones need 660 s).\n\n"
	        "  -f              stay in the foreground\n"
	        "  -x SOCKET       AgentX master socket (default: Net-SNMP's)\n"
	        "  -c FILE[,FILE]  read these configuration files as well\n"
	        "  -C              do not read the default configuration files\n"
	        "  -L...           logging, as snmpd: -Le stderr, -Lf FILE, -Lsd syslog\n"
	        "                  (default: stderr with -f, syslog otherwise)\n"
	        "  -D[TOKENS]      debug output for TOKENS (all if none)\n"
	        "  -p FILE         write the process id to FILE\n"
	        "  --master ADDR   be an SNMP master agent listening on ADDR\n"
	        "                  (e.g. udp:127.0.0.1:1161) instead of an AgentX subagent\n"
	        "  --check         check this network namespace's conntrack against the\n"
	        "                  configuration once, print PASS/WARN/FAIL with fixes, exit\n"
	        "                  0 (all pass), 1 (a FAIL) or 2 (could not check)\n"
	        "  --json          with --check: print JSON\n"
	        "  -V, --version   print the version\n"
	        "  -h, --help      this help\n\n"
	        "Configuration (" APP_NAME ".conf):\n");
	for (const struct fw_config_directive *d = fw_config_directives; d->name; d++)
		fprintf(out, "  %s %s\n", d->name, d->usage);
}

/* Returns 0, 1 to exit successfully (help, version), or -1 on a bad option. */
static int parse_options(int argc, char **argv, struct options *opts)
{
	static const struct option long_options[] = {
	    {"master", required_argument, NULL, 'M'}, {"check", no_argument, NULL, 'K'},
	    {"json", no_argument, NULL, 'J'},         {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "fx:c:CL:D::p:hV", long_options, NULL)) != -1) {
		switch (c) {
		case 'f':
			opts->foreground = 1;
			break;
		case 'x':
			netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET,
			                      optarg);
			break;
		case 'c':
			netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG,
			                      optarg);
			break;
		case 'C':
			netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			                       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
			break;
		case 'L':
			if (snmp_log_options(optarg, argc, argv) < 0) {
				fprintf(stderr, APP_NAME ": option -L%s: bad logging option\n",
				        optarg);
				return -1;
			}
			opts->logging_given = 1;
			break;
		case 'D':
			/* with no token registered, Net-SNMP prints every debug token */
			if (optarg)
				debug_register_tokens(optarg);
			snmp_set_do_debugging(1);
			break;
		case 'p':
			opts->pid_file = optarg;
			break;
		case 'M':
			opts->master_address = optarg;
			break;
		case 'K':
			opts->check = 1;
			break;
		case 'J':
			opts->json = 1;
			break;
		case 'V':
			printf(APP_NAME " " FWSTATE_VERSION " (Net-SNMP %s)\n",
			       netsnmp_get_version());
			return 1;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, APP_NAME ": unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (opts->json && !opts->check) {
		fprintf(stderr, APP_NAME ": option --json: only with --check\n");
		return -1;
	}
	return 0;
}

/* -c files must exist: Net-SNMP would only log and go on without them. */
static int check_config_files(void)
{
	const char *files =
	    netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG);
	char *copy, *saveptr = NULL;
	int missing = 0;

	if (!files)
		return 0;
	copy = strdup(files);
	for (char *file = copy ? strtok_r(copy, ",", &saveptr) : NULL; file;
	     file = strtok_r(NULL, ",", &saveptr)) {
		if (access(file, R_OK) != 0) {
			fprintf(stderr, APP_NAME ": option -c %s: %s\n", file, strerror(errno));
			missing = 1;
		}
	}
	free(copy);
	return missing ? -1 : 0;
}

static void on_signal(int signo)
{
	int saved_errno = errno;

	if (signo == SIGHUP)
		reload_requested = 1;
	else
		stop_requested = 1;
	/* wakes the event loop; a full pipe already means a wakeup is due */
	if (write(wakeup_pipe[1], "x", 1) < 0) {
	}
	errno = saved_errno;
}

static void drain_wakeup_pipe(int fd, void *data)
{
	char buf[64];

	(void)data;
	while (read(fd, buf, sizeof(buf)) > 0) {
	}
}

static int install_signal_handlers(void)
{
	struct sigaction action;

	if (pipe2(wakeup_pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
		snmp_log_perror("pipe2");
		return -1;
	}
	register_readfd(wakeup_pipe[0], drain_wakeup_pipe, NULL);
	memset(&action, 0, sizeof(action));
	action.sa_handler = on_signal;
	sigemptyset(&action.sa_mask);
	sigaction(SIGTERM, &action, NULL);
	sigaction(SIGINT, &action, NULL);
	sigaction(SIGHUP, &action, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int master_came(int major, int minor, void *serverarg, void *clientarg)
{
	(void)major;
	(void)minor;
	(void)clientarg;
	snmp_log(LOG_NOTICE, "connected to the AgentX master agent\n");
	/* the AgentX session, opened: notifications go over it */
	notify_delivery_master(serverarg);
	return SNMPERR_SUCCESS;
}

static int master_went(int major, int minor, void *serverarg, void *clientarg)
{
	(void)major;
	(void)minor;
	(void)serverarg;
	(void)clientarg;
	/* closing the AgentX session on the way out is no lost master */
	if (stop_requested)
		return SNMPERR_SUCCESS;
	snmp_log(LOG_WARNING, "lost the AgentX master agent; holding notifications until it "
	                      "returns\n");
	notify_delivery_master(NULL);
	return SNMPERR_SUCCESS;
}

static int write_pid_file(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
		snmp_log(LOG_ERR, "-p %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void setup_library(const struct options *opts)
{
	/* no persistent state files, no MIB files: this agent only serves its own objects */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	setenv("MIBS", "", 1);
	if (opts->check) {
		/* the configuration as the agent reads it, but no agent: no AgentX, no ports */
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 0);
	} else if (opts->master_address) {
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 0);
		/* one log line per request would drown the agent's own messages */
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		                       NETSNMP_DS_AGENT_DONT_LOG_TCPWRAPPERS_CONNECTS, 1);
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_PORTS,
		                      opts->master_address);
	} else {
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	}
}

int main(int argc, char **argv)
{
	struct options opts = {0};
	struct agent_info info = {.version = APP_NAME " " FWSTATE_VERSION};
	struct fw_clock start;
	int rc;

	rc = parse_options(argc, argv, &opts);
	if (rc != 0)
		return rc > 0 ? EXIT_SUCCESS : opts.check ? 2 : EXIT_FAILURE;
	if (!opts.logging_given) {
		if (opts.foreground || opts.check)
			snmp_enable_stderrlog();
		else
			snmp_enable_syslog_ident(APP_NAME, LOG_DAEMON);
	}
	if (check_config_files() < 0)
		return opts.check ? 2 : EXIT_FAILURE;
	fwstate_log_bridge_init();
	setup_library(&opts);
	/* before anything can signal us (a reload right after the pid file appears) */
	if (install_signal_handlers() < 0)
		return EXIT_FAILURE;

	SOCK_STARTUP;
	if (init_agent(APP_NAME) != 0) {
		snmp_log(LOG_ERR, "cannot initialise the agent library\n");
		return EXIT_FAILURE;
	}
	/*
	 * After init_agent(), which resets them; the config file may still
	 * override. The ping interval is also how often a lost master is tried
	 * again: snmpd back is snmpd served again within 2 s.
	 */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, 2);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_TIMEOUT, 1);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_RETRIES, 2);
	if (opts.check) {
		/* read as a master for no AgentX session; but --check answers no request */
		snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG,
		                         vacm_warn_if_not_configured, NULL, 1);
	}
	if (opts.master_address) {
		init_vacm_vars();
		init_usmUser();
		init_system_mib();
		init_sysORTable();
	} else if (!opts.check) {
		snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START,
		                       master_came, NULL);
		snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP,
		                       master_went, NULL);
	}
	fwstate_config_init(FW_CONFIG_OWN_FILES);

	init_snmp(APP_NAME);
	if (opts.check) {
		rc = fwstate_config_problems()
		         ? fwstate_check_not_configured(fwstate_config_problems(), opts.json)
		         : fwstate_check(fwstate_config(), opts.json);
		snmp_shutdown(APP_NAME);
		return rc;
	}
	if (fwstate_config_problems()) {
		snmp_log(LOG_ERR, "%u configuration problem(s) above; not starting\n",
		         fwstate_config_problems());
		snmp_shutdown(APP_NAME);
		return EXIT_FAILURE;
	}
	if (opts.master_address) {
		if (init_master_agent() != 0) {
			snmp_log(LOG_ERR, "--master %s: cannot listen there\n",
			         opts.master_address);
			snmp_shutdown(APP_NAME);
			return EXIT_FAILURE;
		}
	}
	if (!opts.foreground && netsnmp_daemonize(1, snmp_stderrlog_status()) != 0)
		return EXIT_FAILURE;
	if (opts.pid_file && write_pid_file(opts.pid_file) < 0)
		return EXIT_FAILURE;
	fw_clock_now(&start);
	info.start_wall = start.wall;
	info.start_mono_ms = start.mono_ms;
	info.mode = opts.master_address ? FW_AGENT_MODE_MASTER : FW_AGENT_MODE_SUBAGENT;
	if (fwstate_module_start(&info) < 0) {
		snmp_shutdown(APP_NAME);
		return EXIT_FAILURE;
	}
	snmp_log(LOG_INFO, APP_NAME " " FWSTATE_VERSION " started as %s\n",
	         opts.master_address ? "SNMP master agent" : "AgentX subagent");

	while (!stop_requested) {
		if (reload_requested) {
			reload_requested = 0;
			if (fwstate_config_reload() == 0)
				fwstate_module_reconfigure();
		}
		agent_check_and_process(1);
	}

	snmp_log(LOG_INFO, APP_NAME " stopping\n");
	fwstate_module_stop();
	unregister_readfd(wakeup_pipe[0]);
	snmp_shutdown(APP_NAME);
	SOCK_CLEANUP;
	if (opts.pid_file)
		unlink(opts.pid_file);
	return EXIT_SUCCESS;
}
