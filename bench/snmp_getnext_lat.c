/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snmp_getnext_lat: SNMP round trips timed in-process, so the figures hold no
 * process start-up or MIB loading (which dominate a single snmpgetnext run).
 *
 *   snmp_getnext_lat [-p PEER] [-c COMMUNITY] [-n REPEATS] getnext OID...
 *	REPEATS GETNEXT requests for each numeric OID (after one warm-up);
 *	prints min, median and 90th percentile in microseconds and the OID
 *	that came back.
 *   snmp_getnext_lat [-p PEER] [-c COMMUNITY] [-R MAXREP] bulkwalk OID
 *	Walks the subtree with GETBULK (MAXREP repetitions, default 50); prints
 *	varbinds, requests, wall time and varbinds per second.
 *
 * SNMPv2c; PEER defaults to udp:127.0.0.1:161, COMMUNITY to public.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPEATS 100000

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Numeric OIDs only ("1.3.6..." or ".1.3.6..."): no MIB is loaded. */
static int parse_numeric_oid(const char *text, oid *out, size_t *len)
{
	const char *p = text[0] == '.' ? text + 1 : text;

	*len = 0;
	while (*p) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno || end == p || (*end && *end != '.') || *len == MAX_OID_LEN)
			return -1;
		out[(*len)++] = v;
		p = *end ? end + 1 : end;
	}
	return *len >= 2 ? 0 : -1;
}

static void format_oid(char *buf, size_t len, const oid *name, size_t name_len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < name_len && used < len; i++) {
		int n = snprintf(buf + used, len - used, ".%lu", (unsigned long)name[i]);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One request; returns the response (caller frees) or NULL. */
static netsnmp_pdu *request(netsnmp_session *ss, int type, const oid *name, size_t name_len,
                            long max_repetitions)
{
	netsnmp_pdu *pdu = snmp_pdu_create(type), *response = NULL;
	int status;

	if (type == SNMP_MSG_GETBULK) {
		pdu->non_repeaters = 0;
		pdu->max_repetitions = max_repetitions;
	}
	snmp_add_null_var(pdu, name, name_len);
	status = snmp_synch_response(ss, pdu, &response);
	if (status != STAT_SUCCESS || !response || response->errstat != SNMP_ERR_NOERROR) {
		fprintf(stderr, "snmp_getnext_lat: request failed: %s\n",
		        status == STAT_SUCCESS && response ? snmp_errstring(response->errstat)
		                                           : snmp_api_errstring(snmp_errno));
		if (response)
			snmp_free_pdu(response);
		return NULL;
	}
	return response;
}

static int getnext(netsnmp_session *ss, const char *text, unsigned repeats)
{
	oid name[MAX_OID_LEN];
	size_t name_len;
	double *samples = calloc(repeats, sizeof(*samples));
	char returned[1024] = "";
	netsnmp_pdu *response;

	if (!samples || parse_numeric_oid(text, name, &name_len) < 0) {
		fprintf(stderr, "snmp_getnext_lat: bad OID %s\n", text);
		free(samples);
		return -1;
	}
	response = request(ss, SNMP_MSG_GETNEXT, name, name_len, 0);
	if (!response) {
		free(samples);
		return -1;
	}
	if (response->variables)
		format_oid(returned, sizeof(returned), response->variables->name,
		           response->variables->name_length);
	snmp_free_pdu(response);
	for (unsigned i = 0; i < repeats; i++) {
		double start = now_us();

		response = request(ss, SNMP_MSG_GETNEXT, name, name_len, 0);
		samples[i] = now_us() - start;
		if (!response) {
			free(samples);
			return -1;
		}
		snmp_free_pdu(response);
	}
	qsort(samples, repeats, sizeof(*samples), compare_double);
	printf("getnext oid=%s repeats=%u min_us=%.0f median_us=%.0f p90_us=%.0f next=%s\n", text,
	       repeats, samples[0], samples[repeats / 2], samples[repeats * 9 / 10], returned);
	free(samples);
	return 0;
}

static int bulkwalk(netsnmp_session *ss, const char *text, long max_repetitions)
{
	oid root[MAX_OID_LEN], cur[MAX_OID_LEN];
	size_t root_len, cur_len;
	unsigned long varbinds = 0, requests = 0;
	double start, elapsed;
	int done = 0;

	if (parse_numeric_oid(text, root, &root_len) < 0) {
		fprintf(stderr, "snmp_getnext_lat: bad OID %s\n", text);
		return -1;
	}
	memcpy(cur, root, root_len * sizeof(oid));
	cur_len = root_len;
	start = now_us();
	while (!done) {
		netsnmp_pdu *response =
		    request(ss, SNMP_MSG_GETBULK, cur, cur_len, max_repetitions);
		netsnmp_variable_list *var;

		if (!response)
			return -1;
		requests++;
		done = 1;
		for (var = response->variables; var; var = var->next_variable) {
			if (var->type == SNMP_ENDOFMIBVIEW || var->type == SNMP_NOSUCHOBJECT ||
			    var->type == SNMP_NOSUCHINSTANCE || var->name_length < root_len ||
			    snmp_oid_compare(var->name, root_len, root, root_len) != 0) {
				done = 1;
				break;
			}
			varbinds++;
			memcpy(cur, var->name, var->name_length * sizeof(oid));
			cur_len = var->name_length;
			done = 0;
		}
		snmp_free_pdu(response);
	}
	elapsed = now_us() - start;
	printf("bulkwalk oid=%s maxrep=%ld varbinds=%lu requests=%lu ms=%.1f varbinds_per_s=%.0f "
	       "us_per_request=%.0f\n",
	       text, max_repetitions, varbinds, requests, elapsed / 1e3, varbinds / (elapsed / 1e6),
	       elapsed / (double)requests);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: snmp_getnext_lat [-p PEER] [-c COMMUNITY] [-n REPEATS] getnext "
	                "OID...\n"
	                "       snmp_getnext_lat [-p PEER] [-c COMMUNITY] [-R MAXREP] bulkwalk "
	                "OID\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *peer = "udp:127.0.0.1:161", *community = "public";
	unsigned long repeats = 200, max_repetitions = 50;
	netsnmp_session session, *ss;
	int opt, ret = 0;

	while ((opt = getopt(argc, argv, "+p:c:n:R:")) != -1) {
		switch (opt) {
		case 'p':
			peer = optarg;
			break;
		case 'c':
			community = optarg;
			break;
		case 'n':
		case 'R': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (end == optarg || *end || v < 1 || v > MAX_REPEATS)
				usage();
			if (opt == 'n')
				repeats = v;
			else
				max_repetitions = v;
			break;
		}
		default:
			usage();
		}
	}
	if (argc - optind < 2)
		usage();

	/* No MIB modules and no snmp.conf: the figures are the round trips alone. */
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	init_snmp("fwstate-bench");
	snmp_sess_init(&session);
	session.peername = (char *)peer;
	session.version = SNMP_VERSION_2c;
	session.community = (u_char *)community;
	session.community_len = strlen(community);
	session.timeout = 5000000;
	session.retries = 0;
	ss = snmp_open(&session);
	if (!ss) {
		snmp_sess_perror("snmp_getnext_lat", &session);
		return 1;
	}

	if (strcmp(argv[optind], "getnext") == 0) {
		for (int i = optind + 1; i < argc; i++)
			if (getnext(ss, argv[i], (unsigned)repeats) < 0)
				ret = 1;
	} else if (strcmp(argv[optind], "bulkwalk") == 0 && argc - optind == 2) {
		if (bulkwalk(ss, argv[optind + 1], (long)max_repetitions) < 0)
			ret = 1;
	} else {
		usage();
	}
	snmp_close(ss);
	snmp_shutdown("fwstate-bench");
	return ret;
}
