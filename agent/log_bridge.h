/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FWSTATE_LOG_BRIDGE_H
#define FWSTATE_LOG_BRIDGE_H

/* Routes the collectors' fw_log() into snmp_log, so -L options govern all output. */
void fwstate_log_bridge_init(void);

#endif
