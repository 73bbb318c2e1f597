/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "timeout_poller.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/netlink.h>

#include "timeout_dump.h"

/* Timeout sources have tens of rows: one call reads every reply that arrived. */
#define REPLIES_PER_CALL 4096

void fw_timeout_poller_init(struct fw_timeout_poller *p, struct fw_timeout_collector *collector)
{
	memset(p, 0, sizeof(*p));
	p->collector = collector;
}

void fw_timeout_poller_free(struct fw_timeout_poller *p)
{
	fw_nl_dump_close(p->dump);
	p->dump = NULL;
}

int fw_timeout_poller_fd(const struct fw_timeout_poller *p)
{
	return p->dump ? fw_nl_dump_fd(p->dump) : -1;
}

int fw_timeout_poller_busy(const struct fw_timeout_poller *p)
{
	return p->busy;
}

static int has_reader(const struct fw_timeout_collector *c, enum fw_timeout_source source)
{
	return source == FW_SOURCE_CTTIMEOUT ? c->readers.cttimeout != NULL
	                                     : c->readers.nft != NULL;
}

static void source_done(struct fw_timeout_poller *p, int rc, const char *error)
{
	p->failed_sources += (unsigned)fw_collect_source(p->collector, p->source, rc, 0, error,
	                                                 p->start, p->previous, p->out);
}

static int on_reply(const struct nlmsghdr *nlh, void *data)
{
	struct fw_timeout_poller *p = data;

	if (fw_timeout_parser(p->source)(nlh, nlh->nlmsg_len, p->out, p->parse_error,
	                                 sizeof(p->parse_error)) < 0) {
		p->parse_failed = 1;
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

static void next_source(struct fw_timeout_poller *p, enum fw_timeout_source from);

/* Sends the request of p->source; 0, or -1 with error set. */
static int ask(struct fw_timeout_poller *p, char *error, size_t error_len);

static void on_end(int err, void *data)
{
	struct fw_timeout_poller *p = data;
	char error[FW_ERROR_TEXT_MAX];

	if (err == 0) {
		source_done(p, 0, NULL);
		next_source(p, p->source + 1);
		return;
	}
	if (err == EBUSY && !p->refused) {
		/* a dump given up on still runs in the kernel: ask again when it ends */
		p->refused = 1;
		return;
	}
	/* partial results would make rows flicker in the table: drop them */
	p->out->count = p->start;
	if (err == EINTR && !p->parse_failed && p->attempt < FW_TIMEOUT_DUMP_ATTEMPTS &&
	    ask(p, error, sizeof(error)) == 0)
		return;
	if (p->parse_failed)
		snprintf(error, sizeof(error), "%s", p->parse_error);
	else
		fw_nl_dump_error(error, sizeof(error), fw_timeout_dump_label(p->source), NULL, err);
	source_done(p, -1, error);
	next_source(p, p->source + 1);
}

/* The abandoned dump the kernel was busy with has ended: the refused request goes again. */
static void abandoned_dump_ended(void *data)
{
	struct fw_timeout_poller *p = data;
	char error[FW_ERROR_TEXT_MAX];

	if (!p->busy || !p->refused)
		return;
	p->attempt--; /* the refusal was no attempt of its own */
	if (ask(p, error, sizeof(error)) == 0)
		return;
	source_done(p, -1, error);
	next_source(p, p->source + 1);
}

static int ask(struct fw_timeout_poller *p, char *error, size_t error_len)
{
	union {
		char bytes[FW_NL_REQUEST_MAX];
		uint32_t align;
	} req;
	const char *label = fw_timeout_dump_label(p->source);

	if (!p->dump) {
		if (!(p->dump = fw_nl_dump_open(label, error, error_len)))
			return -1;
		fw_nl_dump_on_stale_end(p->dump, abandoned_dump_ended, p);
	}
	p->refused = 0;
	p->attempt++;
	p->parse_failed = 0;
	if (fw_nl_dump_send(p->dump, fw_timeout_request(p->source, req.bytes), on_reply, on_end,
	                    p) < 0) {
		fw_nl_dump_error(error, error_len, label, "send", errno);
		return -1;
	}
	return 0;
}

/* Asks the netlink sources from `from` on; ends the poll after the last. */
static void next_source(struct fw_timeout_poller *p, enum fw_timeout_source from)
{
	char error[FW_ERROR_TEXT_MAX];

	for (int s = from; s <= FW_SOURCE_NFT; s++) {
		p->source = (enum fw_timeout_source)s;
		p->start = p->out->count;
		p->attempt = 0;
		if (!fw_collect_source_in_use(p->collector, p->source)) {
			fw_collect_not_in_use(p->collector, p->source);
			continue;
		}
		if (!has_reader(p->collector, p->source)) {
			source_done(p, 0, NULL);
			continue;
		}
		if (ask(p, error, sizeof(error)) == 0)
			return; /* on_end goes on */
		source_done(p, -1, error);
	}
	p->source = 0;
	p->busy = 0;
	p->finished = 1;
	fw_collect_end(p->collector);
}

int fw_timeout_poller_start(struct fw_timeout_poller *p, const struct fw_timeout_list *previous,
                            struct fw_timeout_list *out)
{
	struct fw_timeout_collector *c = p->collector;
	char error[FW_ERROR_TEXT_MAX] = "";
	unsigned file_errors = 0;
	int rc = 0;

	if (p->busy && p->dump)
		fw_nl_dump_abandon(p->dump);
	p->previous = previous;
	p->out = out;
	p->busy = 1;
	p->finished = 0;
	p->failed_sources = 0;
	fw_collect_begin(c, out);
	/* the sysctls are files: read at once */
	p->source = FW_SOURCE_SYSCTL;
	p->start = 0;
	if (c->readers.sysctl)
		rc = c->readers.sysctl(c->proc_root, out, &file_errors, error, sizeof(error));
	p->failed_sources += (unsigned)fw_collect_source(c, FW_SOURCE_SYSCTL, rc, file_errors,
	                                                 error, 0, previous, out);
	next_source(p, FW_SOURCE_CTTIMEOUT);
	return p->finished;
}

int fw_timeout_poller_process(struct fw_timeout_poller *p)
{
	p->finished = 0;
	if (p->dump)
		fw_nl_dump_process(p->dump, REPLIES_PER_CALL);
	return p->finished;
}

int fw_timeout_poller_expire(struct fw_timeout_poller *p)
{
	p->finished = 0;
	if (!p->busy || !p->dump || (!fw_nl_dump_active(p->dump) && !p->refused))
		return 0;
	fw_nl_dump_abandon(p->dump);
	p->refused = 0;
	on_end(ETIMEDOUT, p);
	return p->finished;
}
