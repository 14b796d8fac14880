/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Link handshake: encode, decode with every field checked, and compare.
 *
 * The decoder is strict (zero padding, zero reserved fields): everything a peer sends is
 * either fully understood or refused, which is also what lets a later protocol version be
 * told apart from corruption.
 */
#include <errno.h>
#include <string.h>

#include "core/link_frame.h"
#include "core/link_hello.h"
#include "core/strbuf.h"

bool ripci_link_name_ok(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return false;
	for (; s[n] != '\0'; n++)
		if (n >= RIPC_LINK_NAME_MAX - 1 || s[n] <= ' ' || s[n] > '~')
			return false;
	return n > 0;
}

/* Copy @p name into a NUL-padded wire field of @p width bytes. */
static void put_name(uint8_t *p, size_t width, const char *name)
{
	size_t n = strlen(name);

	memset(p, 0, width);
	memcpy(p, name, n < width ? n : width - 1);
}

/* Take a NUL-padded wire field: it must hold a valid name followed only by NULs. */
static bool get_name(const uint8_t *p, size_t width, char *out)
{
	size_t n = 0, i;

	while (n < width && p[n] != 0)
		n++;
	if (n == 0 || n >= RIPC_LINK_NAME_MAX)
		return false;
	for (i = n; i < width; i++)
		if (p[i] != 0)
			return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return ripci_link_name_ok(out);
}

size_t ripci_hello_encode(const struct ripci_hello *h, uint8_t *buf)
{
	uint16_t i;

	ripci_put16(buf + 0, h->proto);
	ripci_put16(buf + 2, h->nch);
	ripci_put32(buf + 4, h->rx_next);
	ripci_put32(buf + 8, h->tx_base);
	ripci_put32(buf + 12, 0);
	ripci_put64(buf + 16, h->incarnation);
	ripci_put64(buf + 24, h->seen);
	put_name(buf + 32, 32, h->node);
	for (i = 0; i < h->nch; i++) {
		uint8_t *c = buf + RIPCI_HELLO_SIZE(i);

		put_name(c, 24, h->ch[i].name);
		c[24] = h->ch[i].kind;
		c[25] = h->ch[i].dir;
		ripci_put16(c + 26, 0);
		ripci_put32(c + 28, h->ch[i].size);
	}
	return RIPCI_HELLO_SIZE(h->nch);
}

int ripci_hello_decode(const uint8_t *buf, size_t len, struct ripci_hello *h)
{
	uint16_t i;

	if (len < RIPCI_HELLO_SIZE(0))
		return -EBADMSG;
	memset(h, 0, sizeof(*h));
	h->proto = ripci_get16(buf + 0);
	h->nch = ripci_get16(buf + 2);
	if (h->nch == 0 || h->nch > RIPCI_HELLO_WIRE_MAX_CH || len != RIPCI_HELLO_SIZE(h->nch))
		return -EBADMSG;
	if (ripci_get32(buf + 12) != 0)
		return -EBADMSG;
	h->rx_next = ripci_get32(buf + 4);
	h->tx_base = ripci_get32(buf + 8);
	h->incarnation = ripci_get64(buf + 16);
	h->seen = ripci_get64(buf + 24);
	if (!get_name(buf + 32, 32, h->node))
		return -EBADMSG;
	if (h->nch > CONFIG_RIPC_LINK_MAX_CHANNELS)
		return -E2BIG;
	for (i = 0; i < h->nch; i++) {
		const uint8_t *c = buf + RIPCI_HELLO_SIZE(i);
		struct ripci_hello_ch *ch = &h->ch[i];

		if (!get_name(c, 24, ch->name))
			return -EBADMSG;
		ch->kind = c[24];
		ch->dir = c[25];
		ch->size = ripci_get32(c + 28);
		if ((ch->kind != RIPC_LINK_KIND_MBOX && ch->kind != RIPC_LINK_KIND_EVENT) ||
		    (ch->dir != RIPC_LINK_DIR_OUT && ch->dir != RIPC_LINK_DIR_IN) ||
		    ripci_get16(c + 26) != 0)
			return -EBADMSG;
	}
	return 0;
}

void ripci_hello_describe(const struct ripc_link_config *cfg, struct ripci_hello *h)
{
	uint32_t i;

	memset(h, 0, sizeof(*h));
	h->proto = RIPCI_LINK_PROTO;
	h->nch = (uint16_t)cfg->nchannels;
	strncpy(h->node, cfg->node, sizeof(h->node) - 1);
	for (i = 0; i < cfg->nchannels; i++) {
		const struct ripc_link_channel *c = &cfg->channels[i];

		strncpy(h->ch[i].name, c->name, sizeof(h->ch[i].name) - 1);
		h->ch[i].kind = c->kind;
		h->ch[i].dir = c->dir;
		h->ch[i].size = c->kind == RIPC_LINK_KIND_MBOX
					? ((const struct ripc_mbox *)c->obj)->max_msg_size
					: c->bits;
	}
}

static const char *kind_name(uint8_t kind)
{
	return kind == RIPC_LINK_KIND_MBOX ? "mailbox" : "event";
}

static const char *dir_name(uint8_t dir)
{
	return dir == RIPC_LINK_DIR_OUT ? "out" : "in";
}

int ripci_hello_match(const struct ripci_hello *mine, const struct ripci_hello *peer, uint8_t *map,
		      char *reason, size_t reason_cap)
{
	bool used[CONFIG_RIPC_LINK_MAX_CHANNELS] = {false};
	struct ripci_strbuf r;
	uint16_t i, j;

	ripci_str_init(&r, reason, reason_cap);
	if (peer->proto != RIPCI_LINK_PROTO) {
		ripci_str_add(&r, "peer speaks link protocol ");
		ripci_str_u64(&r, peer->proto);
		ripci_str_add(&r, ", this node ");
		ripci_str_u64(&r, RIPCI_LINK_PROTO);
		return -EPROTO;
	}
	for (i = 0; i < peer->nch; i++) {
		const struct ripci_hello_ch *p = &peer->ch[i];

		for (j = 0; j < mine->nch; j++)
			if (strcmp(mine->ch[j].name, p->name) == 0 && mine->ch[j].dir != p->dir)
				break;
		if (j == mine->nch) {
			ripci_str_add(&r, "peer has channel '");
			ripci_str_add(&r, p->name);
			ripci_str_add(&r, "' (");
			ripci_str_add(&r, kind_name(p->kind));
			ripci_str_add(&r, p->dir == RIPC_LINK_DIR_OUT ? " out" : " in");
			ripci_str_add(&r, ") that this node does not carry the other way");
			return -EPROTO;
		}
		if (used[j]) {
			ripci_str_add(&r, "peer lists channel '");
			ripci_str_add(&r, p->name);
			ripci_str_add(&r, "' twice");
			return -EPROTO;
		}
		if (mine->ch[j].kind != p->kind) {
			ripci_str_add(&r, "channel '");
			ripci_str_add(&r, p->name);
			ripci_str_add(&r, "': ");
			ripci_str_add(&r, kind_name(mine->ch[j].kind));
			ripci_str_add(&r, " here, ");
			ripci_str_add(&r, kind_name(p->kind));
			ripci_str_add(&r, " at peer");
			return -EPROTO;
		}
		if (mine->ch[j].size != p->size) {
			ripci_str_add(&r, "channel '");
			ripci_str_add(&r, p->name);
			ripci_str_add(&r, p->kind == RIPC_LINK_KIND_MBOX ? "': max message "
									 : "': event bits ");
			ripci_str_u64(&r, mine->ch[j].size);
			ripci_str_add(&r, " here, ");
			ripci_str_u64(&r, p->size);
			ripci_str_add(&r, " at peer");
			return -EPROTO;
		}
		used[j] = true;
		map[i] = (uint8_t)j;
	}
	for (j = 0; j < mine->nch; j++) {
		if (!used[j]) {
			ripci_str_add(&r, "peer lacks channel '");
			ripci_str_add(&r, mine->ch[j].name);
			ripci_str_add(&r, "' (");
			ripci_str_add(&r, kind_name(mine->ch[j].kind));
			ripci_str_add(&r, " ");
			ripci_str_add(&r, dir_name(mine->ch[j].dir));
			ripci_str_add(&r, " here)");
			return -EPROTO;
		}
	}
	return 0;
}
