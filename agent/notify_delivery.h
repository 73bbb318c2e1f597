/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one way out for every notification: a bounded queue (collectors/
 * notify_queue.c) that holds them while no master agent is connected and
 * delivers them in order once one is. As a subagent each notification is an
 * AgentX Notify of its own and leaves the queue only when the master has
 * answered it, so a notification in flight when snmpd goes away is sent again
 * (at least once, in order). As a master agent they go to the trap sinks.
 */
#ifndef FWSTATE_NOTIFY_DELIVERY_H
#define FWSTATE_NOTIFY_DELIVERY_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <stddef.h>
#include <stdint.h>

struct notify_delivery_stats {
	uint32_t limit;      /* notificationQueueLimit */
	uint32_t length;     /* waiting or in flight now */
	uint64_t delivered;  /* taken by the master / handed to the trap sinks */
	uint64_t dropped;    /* the queue was full, or the master refused one */
	uint64_t resent;     /* sent again after the master went away */
	uint32_t reconnects; /* the AgentX master came back after it was lost */
};

/* master_mode: this process is the SNMP agent and sends to its trap sinks. */
void notify_delivery_start(size_t limit, int master_mode);

void notify_delivery_set_limit(size_t limit);

/*
 * Queues a notification's varbinds (snmpTrapOID.0 first; the queue owns them)
 * and sends what may be sent. NULL vars: building them failed, logged as
 * `what`. Returns 0, or -1 when it could not be queued (logged, counted).
 */
int notify_delivery_enqueue(netsnmp_variable_list *vars, const char *what);

/* The AgentX session to the master opened (session) or closed (NULL). */
void notify_delivery_master(netsnmp_session *session);

void notify_delivery_stats(struct notify_delivery_stats *stats);

/* Says how many were never delivered, and frees them. */
void notify_delivery_stop(void);

#endif
