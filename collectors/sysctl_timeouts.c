/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sysctl_timeouts.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define SYSCTL_DIR      "/sys/net/netfilter"
#define TCP_PREFIX      "nf_conntrack_tcp_timeout_"
#define UDP_UNREPLIED   "nf_conntrack_udp_timeout"
#define UDP_REPLIED     "nf_conntrack_udp_timeout_stream"
#define VALUE_MAX_BYTES 32

int fw_sysctl_parse_seconds(const char *text, uint32_t *seconds)
{
	uint64_t value = 0;
	const char *p = text;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		value = value * 10 + (uint64_t)(*p - '0');
		if (value > UINT32_MAX)
			return -1;
	}
	/* The kernel writes "%u\n"; tolerate a missing newline, nothing else. */
	if (*p == '\n')
		p++;
	if (*p != '\0')
		return -1;
	*seconds = (uint32_t)value;
	return 0;
}

static int copy_state(const char *name, char *state, size_t state_len)
{
	size_t len = strlen(name);

	if (len == 0 || len >= state_len || len > FW_STATE_NAME_MAX)
		return -1;
	/* Only names the kernel could plausibly use; they end up in OIDs and logs. */
	for (size_t i = 0; i < len; i++)
		if (!islower((unsigned char)name[i]) && !isdigit((unsigned char)name[i]) &&
		    name[i] != '_')
			return -1;
	memcpy(state, name, len + 1);
	return 0;
}

int fw_sysctl_timeout_key(const char *file_name, uint8_t *protocol, char *state, size_t state_len)
{
	if (strcmp(file_name, UDP_UNREPLIED) == 0) {
		*protocol = IPPROTO_UDP;
		return copy_state("unreplied", state, state_len);
	}
	if (strcmp(file_name, UDP_REPLIED) == 0) {
		*protocol = IPPROTO_UDP;
		return copy_state("replied", state, state_len);
	}
	if (strncmp(file_name, TCP_PREFIX, strlen(TCP_PREFIX)) == 0) {
		const char *suffix = file_name + strlen(TCP_PREFIX);

		*protocol = IPPROTO_TCP;
		/* The sysctl says max_retrans where cttimeout and nft say retrans. */
		if (strcmp(suffix, "max_retrans") == 0)
			suffix = "retrans";
		return copy_state(suffix, state, state_len);
	}
	return -1;
}

int fw_sysctl_timeout_name(uint8_t protocol, const char *state, char *name, size_t name_len)
{
	int n;

	if (protocol == IPPROTO_UDP && strcmp(state, "unreplied") == 0)
		n = snprintf(name, name_len, "%s", UDP_UNREPLIED);
	else if (protocol == IPPROTO_UDP && strcmp(state, "replied") == 0)
		n = snprintf(name, name_len, "%s", UDP_REPLIED);
	else if (protocol == IPPROTO_TCP)
		n = snprintf(name, name_len, "%s%s", TCP_PREFIX,
		             strcmp(state, "retrans") == 0 ? "max_retrans" : state);
	else
		return -1;
	return n > 0 && (size_t)n < name_len ? 0 : -1;
}

/* Position of a state in the kernel's own order; unknown states sort after. */
static unsigned state_rank(uint8_t protocol, const char *state)
{
	unsigned max = protocol == IPPROTO_TCP ? CTA_TIMEOUT_TCP_MAX : CTA_TIMEOUT_UDP_MAX;

	for (unsigned type = 1; type <= max; type++) {
		const char *name = fw_timeout_state_name(protocol, type);

		if (name && strcmp(name, state) == 0)
			return type;
	}
	return UINT32_MAX;
}

static int compare_rows(const void *pa, const void *pb)
{
	const struct fw_timeout_row *a = pa, *b = pb;
	unsigned ra, rb;

	if (a->protocol != b->protocol)
		return a->protocol < b->protocol ? -1 : 1;
	ra = state_rank(a->protocol, a->state);
	rb = state_rank(b->protocol, b->state);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return strcmp(a->state, b->state);
}

/* Makes file contents safe to quote in a one-line message. */
static void printable(const char *in, char *out, size_t out_len)
{
	size_t n = 0;

	for (; *in && n + 1 < out_len; in++) {
		if (*in == '\n' && in[1] == '\0')
			break;
		out[n++] = isprint((unsigned char)*in) ? *in : '?';
	}
	out[n] = '\0';
}

/* Reads and parses one file; on failure writes "<path>: <why>" into why. */
static int read_one(int dir_fd, const char *path, const char *name, uint32_t *seconds, char *why,
                    size_t why_len)
{
	char buf[VALUE_MAX_BYTES + 1];
	char shown[VALUE_MAX_BYTES + 1];
	size_t total = 0;
	int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, buf + total, sizeof(buf) - 1 - total);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, why_len, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total == sizeof(buf) - 1) {
			snprintf(why, why_len, "%s: value longer than %d bytes", path,
			         VALUE_MAX_BYTES);
			close(fd);
			return -1;
		}
	}
	close(fd);
	buf[total] = '\0';
	/* An embedded NUL would otherwise hide trailing garbage from the parser. */
	if (strlen(buf) != total || fw_sysctl_parse_seconds(buf, seconds) < 0) {
		printable(buf, shown, sizeof(shown));
		snprintf(why, why_len, "%s: '%s' is not a number of seconds (0-%u)", path, shown,
		         UINT32_MAX);
		return -1;
	}
	return 0;
}

int fw_sysctl_read_timeouts(const char *proc_root, struct fw_timeout_list *out,
                            unsigned *file_errors, char *error, size_t error_len)
{
	char dir_path[4096];
	char path[4096 + 256];
	char first_error[512] = "";
	unsigned failed = 0;
	size_t start = out->count;
	struct dirent *entry;
	DIR *dir;

	if (error && error_len)
		error[0] = '\0';
	if (file_errors)
		*file_errors = 0;
	snprintf(dir_path, sizeof(dir_path), "%s%s", proc_root, SYSCTL_DIR);
	dir = opendir(dir_path);
	if (!dir) {
		int err = errno;

		if (error && error_len)
			snprintf(error, error_len, "%s: %s%s", dir_path, strerror(err),
			         err == ENOENT
			             ? " (is nf_conntrack loaded in this network namespace?)"
			             : "");
		return -1;
	}
	while ((errno = 0, entry = readdir(dir)) != NULL) {
		struct fw_timeout_row row;
		char why[sizeof(first_error)];

		memset(&row, 0, sizeof(row));
		if (fw_sysctl_timeout_key(entry->d_name, &row.protocol, row.state,
		                          sizeof(row.state)) < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir_path, entry->d_name);
		if (read_one(dirfd(dir), path, entry->d_name, &row.seconds, why, sizeof(why)) < 0) {
			/* not logged here: this runs every poll; the collector logs changes */
			if (failed++ == 0)
				snprintf(first_error, sizeof(first_error), "%s", why);
			continue;
		}
		row.source = FW_SOURCE_SYSCTL;
		fw_timeout_set_source_name(&row, FW_SYSCTL_SOURCE_NAME);
		if (fw_timeout_list_append(out, &row) < 0) {
			out->count = start;
			closedir(dir);
			if (error && error_len)
				snprintf(error, error_len, "%s: out of memory", dir_path);
			return -1;
		}
	}
	if (errno != 0) {
		int err = errno;

		out->count = start;
		closedir(dir);
		if (error && error_len)
			snprintf(error, error_len, "%s: %s", dir_path, strerror(err));
		return -1;
	}
	closedir(dir);
	if (out->count == start && failed == 0) {
		/* with nf_conntrack loaded there are a dozen: the same fault as no directory */
		if (error && error_len)
			snprintf(error, error_len,
			         "%s: no conntrack timeout sysctls (is nf_conntrack loaded in this "
			         "network namespace?)",
			         dir_path);
		return -1;
	}
	if (out->count > start)
		qsort(out->rows + start, out->count - start, sizeof(*out->rows), compare_rows);
	if (file_errors)
		*file_errors = failed;
	if (failed && error && error_len) {
		if (failed == 1)
			snprintf(error, error_len, "%s", first_error);
		else
			snprintf(error, error_len, "%s (and %u more unreadable files)", first_error,
			         failed - 1);
	}
	return 0;
}
