/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Geo-routing flaps: a phone whose new sessions keep going to another server
 * than the previous one (the provider's DNS sending it to alternating data
 * centres). More than threshold server changes within window seconds start an
 * episode; it ends once the phone has stayed with one server for window
 * seconds. Pure: the caller gives the time.
 */
#ifndef FWSTATE_SERVER_FLAP_H
#define FWSTATE_SERVER_FLAP_H

#include <stdint.h>

#define FW_FLAP_MAX_THRESHOLD 16

struct fw_flap_policy {
	uint32_t threshold; /* 1..FW_FLAP_MAX_THRESHOLD changes allowed within the window */
	uint32_t window_s;  /* seconds */
};

/* A phone's recent server changes; allocated for a phone at its first change. */
struct fw_server_flap {
	uint64_t change_ms[FW_FLAP_MAX_THRESHOLD + 1]; /* ring of the latest change times */
	uint8_t head;                                  /* next slot to write */
	uint8_t count;                                 /* changes in the ring */
	uint8_t flapping;                              /* an episode is running */
	uint32_t episodes;                             /* episodes started */
	uint64_t last_change_ms;
	/* the server before the newest one */
	uint8_t prev_family;
	uint8_t prev_addr[16];
	uint16_t prev_port;
};

enum fw_flap_edge {
	FW_FLAP_NONE,
	FW_FLAP_RAISED,  /* an episode started */
	FW_FLAP_CLEARED, /* an episode ended */
};

/* A new session went to another server at now_ms. */
enum fw_flap_edge fw_server_flap_changed(struct fw_server_flap *flap,
                                         const struct fw_flap_policy *policy, uint64_t now_ms);

/* Time passed: ends an episode after window seconds without a change. */
enum fw_flap_edge fw_server_flap_tick(struct fw_server_flap *flap,
                                      const struct fw_flap_policy *policy, uint64_t now_ms);

#endif
