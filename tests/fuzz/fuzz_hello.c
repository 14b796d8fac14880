/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Fuzz target: the link handshake, decoded from arbitrary bytes and compared with a
 *        fixed local node, as a peer's HELLO is.
 *
 * Whatever the input: no read outside it, a reason text that is always terminated and
 * printable, and a channel map that only ever points at our own channels.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ripc/link.h>

#include "core/link_hello.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static RIPC_MBOX_DEFINE(tm, 64, 4);
static RIPC_MBOX_DEFINE(cmd, 32, 4);
static RIPC_EVENT_DEFINE(alarm_ev);

static const struct ripc_link_channel channels[] = {RIPC_LINK_MBOX_OUT("tm", &tm),
						    RIPC_LINK_MBOX_IN("cmd", &cmd, 0),
						    RIPC_LINK_EVENT_OUT("alarm", &alarm_ev, 0xff)};
static const struct ripc_link_config cfg = {.node = "fuzz", .channels = channels, .nchannels = 3};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ripci_hello mine, peer;
	uint8_t map[RIPCI_HELLO_WIRE_MAX_CH];
	char reason[128];
	size_t i, n;
	int rc;

	ripci_hello_describe(&cfg, &mine);
	rc = ripci_hello_decode(data, size, &peer);
	if (rc != 0)
		return 0;
	memset(map, 0xee, sizeof(map));
	memset(reason, 'x', sizeof(reason));
	reason[0] = '\0';
	rc = ripci_hello_match(&mine, &peer, map, reason, sizeof(reason));
	if (memchr(reason, '\0', sizeof(reason)) == NULL)
		abort(); /* unterminated */
	n = strlen(reason);
	for (i = 0; i < n; i++)
		if (reason[i] < ' ' || reason[i] > '~')
			abort();
	if (rc == 0)
		for (i = 0; i < peer.nch; i++)
			if (map[i] >= mine.nch)
				abort();
	return 0;
}
