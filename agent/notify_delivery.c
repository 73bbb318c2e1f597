/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "notify_delivery.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <stdint.h>

#include "../collectors/notify_queue.h"

/* RFC 2741 6.2.10 and 6.2.16; Net-SNMP does not install agentx/protocol.h. */
#define AGENTX_NOTIFY_PDU     12
#define AGENTX_ERROR_NOT_OPEN 257

/*
 * How long the master may take to answer a Notify before the library sends
 * it again (a duplicate, over a stream). Far beyond the AgentX ping, which
 * finds a master that stopped answering within seconds and closes the
 * session: the Notify then waits in the queue instead.
 */
#define NOTIFY_ANSWER_TIMEOUT_SEC 60
/* After a failed send, the next attempt waits this long (or for the master to return). */
#define NOTIFY_RETRY_SEC 5

static struct fw_notify_queue queue;
static int master_mode;
static netsnmp_session *agentx; /* the AgentX session while a master is connected */
static int was_connected;
static uint32_t reconnects;
static unsigned retry_timer;
static uint64_t dropped_logged; /* queue.dropped when a drop was last logged */

static void free_varbinds(void *payload)
{
	snmp_free_varbind(payload);
}

static void pump(void);

static void retry_fired(unsigned reg, void *arg)
{
	(void)reg;
	(void)arg;
	retry_timer = 0;
	pump();
}

static void retry_later(void)
{
	if (!retry_timer)
		retry_timer = snmp_alarm_register(NOTIFY_RETRY_SEC, 0, retry_fired, NULL);
}

/* The master's answer to one Notify; magic is the notification's place in the queue. */
static int on_answer(int op, netsnmp_session *session, int request, netsnmp_pdu *pdu, void *magic)
{
	uint64_t seq = (uintptr_t)magic;

	(void)session;
	switch (op) {
	case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
		if (!pdu)
			break;
		if (pdu->errstat == SNMP_ERR_NOERROR) {
			if (fw_notify_queue_taken(&queue, seq, request))
				pump();
		} else if (pdu->errstat == AGENTX_ERROR_NOT_OPEN) {
			/* the session is no longer open: once it is back, in order */
			if (fw_notify_queue_failed(&queue, seq, request))
				retry_later();
		} else if (fw_notify_queue_refused(&queue, seq, request)) {
			/* a malformed notification would be refused again: it goes, counted */
			snmp_log(LOG_ERR, "the AgentX master refused a notification (error %ld)\n",
			         pdu->errstat);
			pump();
		}
		break;
	case NETSNMP_CALLBACK_OP_RESEND:
		/* the library sent the same request again itself: still in flight */
		break;
	default:
		/*
		 * No answer in time, the session closed, or the send failed. A send
		 * that fails at once is reported here before snmp_async_send()
		 * returns, for an item not yet in flight: pump() sees the failure.
		 */
		if (fw_notify_queue_failed(&queue, seq, request))
			retry_later();
		break;
	}
	return 1;
}

static int send_agentx(netsnmp_variable_list *vars, uint64_t seq, long *request)
{
	netsnmp_pdu *pdu = snmp_pdu_create(AGENTX_NOTIFY_PDU);

	if (!pdu)
		return -1;
	pdu->version = agentx->version;
	pdu->sessid = agentx->sessid;
	pdu->reqid = snmp_get_next_reqid();
	pdu->msgid = snmp_get_next_msgid();
	pdu->flags |= UCD_MSG_FLAG_PDU_TIMEOUT;
	pdu->time = NOTIFY_ANSWER_TIMEOUT_SEC;
	pdu->variables = snmp_clone_varbind(vars);
	*request = pdu->reqid;
	if (!pdu->variables || !snmp_async_send(agentx, pdu, on_answer, (void *)(uintptr_t)seq)) {
		snmp_free_pdu(pdu);
		return -1;
	}
	return 0;
}

static void log_drops(void)
{
	if (queue.dropped == dropped_logged)
		return;
	snmp_log(LOG_WARNING,
	         "notification queue full (%zu): %llu notification(s) dropped so far, the "
	         "oldest first; see fwStateNotificationsDropped\n",
	         queue.limit, (unsigned long long)queue.dropped);
	dropped_logged = queue.dropped;
}

static void pump(void)
{
	struct fw_notify_item *item;

	if (master_mode) {
		/* the trap sinks answer nothing (or their informs are the library's): handed over
		 */
		while ((item = fw_notify_queue_next(&queue))) {
			send_v2trap(item->payload);
			fw_notify_queue_sent(&queue, item, 0);
			fw_notify_queue_taken(&queue, item->seq, 0);
		}
		return;
	}
	while (agentx && (item = fw_notify_queue_next(&queue))) {
		long request;

		if (send_agentx(item->payload, item->seq, &request) < 0) {
			snmp_log(LOG_WARNING, "cannot send a notification to the AgentX master; "
			                      "keeping it to send again\n");
			retry_later();
			return;
		}
		fw_notify_queue_sent(&queue, item, request);
	}
}

void notify_delivery_start(size_t limit, int is_master)
{
	master_mode = is_master;
	fw_notify_queue_init(&queue, limit, free_varbinds);
}

void notify_delivery_set_limit(size_t limit)
{
	fw_notify_queue_set_limit(&queue, limit);
	log_drops();
}

int notify_delivery_enqueue(netsnmp_variable_list *vars, const char *what)
{
	int rc;

	if (!vars) {
		fw_notify_queue_lost(&queue);
		snmp_log(LOG_ERR, "notify: out of memory building %s\n", what);
		return -1;
	}
	rc = fw_notify_queue_push(&queue, vars);
	if (rc < 0)
		snmp_log(LOG_ERR, "notify: out of memory queueing %s\n", what);
	else if (rc > 0 && dropped_logged == 0)
		log_drops(); /* the first drop at once; later ones when the master is back */
	pump();
	return rc < 0 ? -1 : 0;
}

void notify_delivery_master(netsnmp_session *session)
{
	agentx = session;
	if (!session) {
		/* what was in flight may not have arrived: it goes again, first */
		fw_notify_queue_requeue(&queue);
		if (queue.length)
			snmp_log(LOG_WARNING,
			         "%zu notification(s) held until a master agent is back\n",
			         queue.length);
		return;
	}
	if (was_connected)
		reconnects++;
	was_connected = 1;
	log_drops();
	if (queue.length)
		snmp_log(LOG_NOTICE, "sending %zu held notification(s) to the master agent\n",
		         queue.length);
	pump();
}

void notify_delivery_stats(struct notify_delivery_stats *stats)
{
	stats->limit = (uint32_t)queue.limit;
	stats->length = (uint32_t)queue.length;
	stats->delivered = queue.delivered;
	stats->dropped = queue.dropped;
	stats->resent = queue.resent;
	stats->reconnects = reconnects;
}

void notify_delivery_stop(void)
{
	if (retry_timer)
		snmp_alarm_unregister(retry_timer);
	retry_timer = 0;
	if (queue.length)
		snmp_log(LOG_WARNING, "stopping with %zu notification(s) not delivered\n",
		         queue.length);
	fw_notify_queue_free(&queue);
	agentx = NULL;
}
