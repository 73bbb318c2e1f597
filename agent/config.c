/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <string.h>
#include <strings.h>

static struct fw_config active_config;
static struct fw_config staged_config; /* filled while the files are read */
static int reading_config;
static unsigned config_problems;
static enum fw_config_files config_files_kind;

static void apply_directive(const char *token, char *value)
{
	char error[256];

	if (fw_config_apply(&staged_config, token, value, error, sizeof(error)) < 0) {
		netsnmp_config_error("%s", error); /* names file and line */
		/* in our own files the log hook below counts it, with every other problem */
		if (config_files_kind == FW_CONFIG_SNMPD_FILES)
			config_problems++;
	}
}

/*
 * Whether FILE is one of fwstate-agent's own configuration files: anything
 * read but Net-SNMP's library files (snmp.conf, snmp.local.conf) and its
 * persistent store, so files that ours include count as ours. Problems in
 * Net-SNMP's files keep snmpd's behaviour: logged, and the agent goes on.
 */
static int is_own_config_file(const char *file, size_t len)
{
	const char *persistent = get_persistent_directory();
	size_t plen = persistent ? strlen(persistent) : 0;
	const char *base = file;

	while (plen > 1 && persistent[plen - 1] == '/')
		plen--;
	if (plen && plen < len && strncmp(file, persistent, plen) == 0 && file[plen] == '/')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (file[i] == '/')
			base = file + i + 1;
	len -= (size_t)(base - file);
	return !((len == strlen("snmp.conf") && strncmp(base, "snmp.conf", len) == 0) ||
	         (len == strlen("snmp.local.conf") && strncmp(base, "snmp.local.conf", len) == 0));
}

/*
 * Net-SNMP reports config problems (its own and ours) only as log lines of the
 * form "FILE: line N: Error|Warning: ...". Counting those of our files while
 * they are read is the one hook that also catches unknown tokens.
 */
static int count_config_problem(int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *message = serverarg;
	const char *at;

	(void)major;
	(void)minor;
	(void)clientarg;
	if (!reading_config || !message || message->priority > LOG_WARNING || !message->msg)
		return SNMPERR_SUCCESS;
	at = strstr(message->msg, ": line ");
	if (at && is_own_config_file(message->msg, (size_t)(at - message->msg)))
		config_problems++;
	return SNMPERR_SUCCESS;
}

static void begin_read(void)
{
	fw_config_defaults(&staged_config);
	config_problems = 0;
	reading_config = 1;
}

static int end_read(void)
{
	reading_config = 0;
	if (config_problems)
		return -1;
	active_config = staged_config;
	return 0;
}

static int before_config_read(int major, int minor, void *serverarg, void *clientarg)
{
	(void)major;
	(void)minor;
	(void)serverarg;
	(void)clientarg;
	begin_read();
	return SNMPERR_SUCCESS;
}

static int after_config_read(int major, int minor, void *serverarg, void *clientarg)
{
	(void)major;
	(void)minor;
	(void)serverarg;
	(void)clientarg;
	end_read();
	return SNMPERR_SUCCESS;
}

void fwstate_config_init(enum fw_config_files files)
{
	config_files_kind = files;
	fw_config_defaults(&active_config);
	for (const struct fw_config_directive *d = fw_config_directives; d->name; d++)
		register_app_config_handler(d->name, apply_directive, NULL, d->usage);

	if (files == FW_CONFIG_OWN_FILES) {
		netsnmp_register_loghandler(NETSNMP_LOGHANDLER_CALLBACK, LOG_WARNING);
		snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
		                       count_config_problem, NULL);
	} else {
		/* snmpd is reading its files already: the rest of them is read for us */
		begin_read();
	}
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_PRE_READ_CONFIG,
	                       before_config_read, NULL);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG,
	                       after_config_read, NULL);
}

unsigned fwstate_config_problems(void)
{
	return config_problems;
}

const struct fw_config *fwstate_config(void)
{
	return &active_config;
}

/*
 * A reload reads the same files with handlers of a private type: ours apply,
 * Net-SNMP's own directives (trap sinks, communities, AgentX settings) are
 * recognised but ignored, since running them again would add a second trap
 * sink per reload; they take effect at the next start.
 */
#define RELOAD_TYPE "fwstate-agent-reload"

static void ignore_directive(const char *token, char *value)
{
	(void)token;
	(void)value;
}

static int is_fwstate_directive(const char *token)
{
	for (const struct fw_config_directive *d = fw_config_directives; d->name; d++)
		if (strcasecmp(d->name, token) == 0)
			return 1;
	return 0;
}

static struct config_line *reload_handlers(const char *app_type)
{
	static int registered;

	if (!registered) {
		registered = 1;
		for (const struct fw_config_directive *d = fw_config_directives; d->name; d++)
			register_config_handler(RELOAD_TYPE, d->name, apply_directive, NULL,
			                        d->usage);
		for (struct config_line *l = read_config_get_handlers(app_type); l; l = l->next)
			if (l->config_token && !is_fwstate_directive(l->config_token))
				register_config_handler(RELOAD_TYPE, l->config_token,
				                        ignore_directive, NULL, NULL);
	}
	return read_config_get_handlers(RELOAD_TYPE);
}

/* The files read again with the private handlers: 0 when the configuration took effect. */
static int read_again(void)
{
	const char *optional =
	    netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG);
	char *app_type = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_APPTYPE);
	struct config_files files = {.fileHeader = app_type, .next = NULL};

	if (!app_type)
		return -1;
	files.start = reload_handlers(app_type);
	begin_read();
	if (!netsnmp_ds_get_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS))
		read_config_files_of_type(NORMAL_CONFIG, &files);
	if (optional) {
		char *list = strdup(optional);
		char *saveptr = NULL;

		for (char *file = list ? strtok_r(list, ",", &saveptr) : NULL; file;
		     file = strtok_r(NULL, ",", &saveptr)) {
			if (read_config(file, files.start, NORMAL_CONFIG) != SNMPERR_SUCCESS) {
				snmp_log(LOG_ERR, "%s: cannot read configuration file\n", file);
				config_problems++;
			}
		}
		free(list);
	}
	return end_read();
}

int fwstate_config_reload(void)
{
	if (read_again() < 0) {
		snmp_log(LOG_ERR,
		         "configuration reload: %u problem(s) above; the previous configuration "
		         "stays in force\n",
		         config_problems);
		return -1;
	}
	snmp_log(LOG_INFO, "configuration reloaded (Net-SNMP's own directives apply at the next "
	                   "start)\n");
	return 0;
}

int fwstate_config_read_snmpd_files(void)
{
	return read_again();
}
