/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Fuzz target: the link frame parser, fed bytes as a TCP stream would bring them
 *        (frame after frame, any split) and as one UDP datagram.
 *
 * Whatever the input, the parser must stay inside the bytes it was given (ASan checks), make
 * progress or stop, and describe only frames whose CRC it checked.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/crc32c.h"
#include "core/link_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ripci_frame f;
	size_t off = 0, max = size > 0 ? data[0] * 16u : 0;
	int r;

	/* As a stream: frames back to back until one is incomplete or bad. */
	while (off < size) {
		r = ripci_frame_parse(data + off, size - off, max, &f);
		if (r <= 0)
			break;
		/* A frame it accepted is whole, within bounds, and sealed as it says. */
		if ((size_t)r != RIPCI_FRAME_HDR + f.len || f.len > max ||
		    f.payload != data + off + RIPCI_FRAME_HDR)
			abort();
		off += (size_t)r;
	}
	/* As one datagram: a frame must fill it exactly. */
	r = ripci_frame_parse(data, size, 65507, &f);
	if (r > 0 && (size_t)r > size)
		abort();
	return 0;
}
