/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Link wire format: CRC32C values, frame seal and parse with every rejection cause,
 *        handshake encode, strict decode and comparison with its reasons.
 */
#include <errno.h>
#include <string.h>

#include "ripc_test.h"

#include "core/crc32c.h"
#include "core/link_frame.h"
#include "core/link_hello.h"

/* ---- CRC32C ----------------------------------------------------------------------------- */

static void test_crc32c_matches_published_check_values(void **state)
{
	static const uint8_t zeros[32],
		ones[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	uint8_t inc[32];
	int i;

	(void)state;
	for (i = 0; i < 32; i++)
		inc[i] = (uint8_t)i;
	/* "123456789" and the iSCSI test vectors of RFC 3720, appendix B.4. */
	assert_int_equal(ripci_crc32c(0, "123456789", 9), 0xe3069283u);
	assert_int_equal(ripci_crc32c(0, zeros, 32), 0x8a9136aau);
	assert_int_equal(ripci_crc32c(0, ones, 32), 0x62a8ab43u);
	assert_int_equal(ripci_crc32c(0, inc, 32), 0x46dd794eu);
	assert_int_equal(ripci_crc32c(0, "", 0), 0);
}

static void test_crc32c_continues_across_pieces_and_alignments(void **state)
{
	uint8_t buf[300];
	uint32_t whole;
	size_t i, cut, off;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 37u + 11u);
	for (off = 0; off < 8; off++) {
		whole = ripci_crc32c(0, buf + off, 200);
		for (cut = 0; cut <= 200; cut += 13)
			assert_int_equal(ripci_crc32c(ripci_crc32c(0, buf + off, cut),
						      buf + off + cut, 200 - cut),
					 whole);
	}
}

/* ---- Frames -------------------------------------------------------------------------------- */

static uint8_t fbuf[RIPCI_FRAME_HDR + 256];

static size_t make_data(uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		fbuf[RIPCI_FRAME_HDR + i] = (uint8_t)(i ^ 0x5a);
	return ripci_frame_seal(fbuf, RIPCI_T_DATA, 3, 0xfffffff0u, 77, len);
}

static void test_frame_seal_then_parse_round_trips(void **state)
{
	struct ripci_frame f;
	size_t n = make_data(100);

	(void)state;
	assert_int_equal(n, RIPCI_FRAME_HDR + 100);
	assert_int_equal(ripci_frame_parse(fbuf, n, 100, &f), (int)n);
	assert_int_equal(f.type, RIPCI_T_DATA);
	assert_int_equal(f.channel, 3);
	assert_int_equal(f.seq, 0xfffffff0u);
	assert_int_equal(f.ack, 77);
	assert_int_equal(f.len, 100);
	assert_ptr_equal(f.payload, fbuf + RIPCI_FRAME_HDR);
	/* Header layout as documented: magic, version, type, channel. */
	assert_int_equal(fbuf[0], 'r');
	assert_int_equal(fbuf[1], 'L');
	assert_int_equal(fbuf[2], 1);
	assert_int_equal(fbuf[3], RIPCI_T_DATA);
}

static void test_frame_parse_waits_for_the_whole_frame(void **state)
{
	struct ripci_frame f;
	size_t n = make_data(50), avail;

	(void)state;
	for (avail = 0; avail < n; avail++)
		assert_int_equal(ripci_frame_parse(fbuf, avail, 1000, &f), 0);
	assert_int_equal(ripci_frame_parse(fbuf, n, 1000, &f), (int)n);
	/* Extra bytes after the frame are the next frame's business. */
	assert_int_equal(ripci_frame_parse(fbuf, sizeof(fbuf), 1000, &f), (int)n);
}

static void test_frame_parse_rejects_each_corruption_by_cause(void **state)
{
	struct ripci_frame f;
	size_t n = make_data(40), i;
	uint8_t copy[sizeof(fbuf)];

	(void)state;
	memcpy(copy, fbuf, n);
	fbuf[0] = 'x';
	assert_int_equal(ripci_frame_parse(fbuf, 1, 1000, &f), -EBADMSG);
	assert_int_equal(ripci_frame_parse(fbuf, n, 1000, &f), -EBADMSG);
	memcpy(fbuf, copy, n);
	fbuf[2] = 2;
	assert_int_equal(ripci_frame_parse(fbuf, 3, 1000, &f), -EPROTONOSUPPORT);
	memcpy(fbuf, copy, n);
	fbuf[7] = 1; /* reserved flags */
	assert_int_equal(ripci_frame_parse(fbuf, n, 1000, &f), -EBADMSG);
	memcpy(fbuf, copy, n);
	fbuf[3] = 0; /* no such type */
	assert_int_equal(ripci_frame_parse(fbuf, n, 1000, &f), -EBADMSG);
	fbuf[3] = 10;
	assert_int_equal(ripci_frame_parse(fbuf, n, 1000, &f), -EBADMSG);
	memcpy(fbuf, copy, n);
	assert_int_equal(ripci_frame_parse(fbuf, n, 39, &f), -EMSGSIZE);
	/* Any flipped bit in the sealed part is a CRC mismatch (or caught earlier). */
	for (i = 8; i < n; i++) {
		if (i >= 16 && i < 20)
			continue; /* the length: judged before the CRC */
		memcpy(fbuf, copy, n);
		fbuf[i] ^= 0x10;
		assert_int_equal(ripci_frame_parse(fbuf, n, 1000, &f), -EILSEQ);
	}
	memcpy(fbuf, copy, n);
	assert_int_equal(ripci_frame_parse(fbuf, n, 1000, &f), (int)n);
}

static void test_frame_parse_bounds_lengths_per_type(void **state)
{
	struct ripci_frame f;
	uint8_t b[RIPCI_FRAME_HDR + 200];
	size_t n;

	(void)state;
	memset(b, 0, sizeof(b));
	n = ripci_frame_seal(b, RIPCI_T_EVENT, 0, 1, 0, 4);
	assert_int_equal(ripci_frame_parse(b, n, 1000, &f), (int)n);
	n = ripci_frame_seal(b, RIPCI_T_EVENT, 0, 1, 0, 5);
	assert_int_equal(ripci_frame_parse(b, n, 1000, &f), -EBADMSG);
	n = ripci_frame_seal(b, RIPCI_T_ACK, 0, 0, 9, 0);
	assert_int_equal(ripci_frame_parse(b, n, 1000, &f), (int)n);
	n = ripci_frame_seal(b, RIPCI_T_ACK, 0, 0, 9, 1);
	assert_int_equal(ripci_frame_parse(b, n, 1000, &f), -EBADMSG);
	n = ripci_frame_seal(b, RIPCI_T_HEARTBEAT, 0, 0, 0, 8);
	assert_int_equal(ripci_frame_parse(b, n, 1000, &f), (int)n);
	n = ripci_frame_seal(b, RIPCI_T_ECHO, 0, 0, 0, 7);
	assert_int_equal(ripci_frame_parse(b, n, 1000, &f), -EBADMSG);
	n = ripci_frame_seal(b, RIPCI_T_HELLO, 0, 0, 0, 96);
	assert_int_equal(ripci_frame_parse(b, n, 1000, &f), (int)n);
	n = ripci_frame_seal(b, RIPCI_T_HELLO, 0, 0, 0, 95);
	assert_int_equal(ripci_frame_parse(b, n, 1000, &f), -EBADMSG);
	n = ripci_frame_seal(b, RIPCI_T_REFUSE, 0, 0, 0, 1);
	assert_int_equal(ripci_frame_parse(b, n, 1000, &f), -EBADMSG);
	/* A huge length is refused from the header alone, before any wait for its bytes. */
	ripci_frame_seal(b, RIPCI_T_DATA, 0, 0, 0, 0);
	ripci_put32(b + 16, 0xffffffffu);
	assert_int_equal(ripci_frame_parse(b, RIPCI_FRAME_HDR, 1u << 20, &f), -EMSGSIZE);
}

static void test_seq_before_wraps(void **state)
{
	(void)state;
	assert_true(ripci_seq_before(1, 2));
	assert_false(ripci_seq_before(2, 2));
	assert_true(ripci_seq_before(0xffffffffu, 0));
	assert_false(ripci_seq_before(0, 0xffffffffu));
}

/* ---- Handshake ----------------------------------------------------------------------------- */

static struct ripc_mbox mb_a, mb_b;
static _Alignas(64) unsigned char mbuf_a[4096], mbuf_b[4096];
static struct ripc_event ev;

static void make_hello(struct ripci_hello *h, const struct ripc_link_channel *ch, uint32_t n)
{
	struct ripc_link_config cfg = {.node = "alpha", .channels = ch, .nchannels = n};

	ripci_hello_describe(&cfg, h);
	h->rx_next = 11;
	h->tx_base = 22;
	h->incarnation = 0x0123456789abcdefULL;
	h->seen = 42;
}

static void test_hello_encodes_and_decodes_every_field(void **state)
{
	const struct ripc_link_channel ch[] = {RIPC_LINK_MBOX_OUT("tm", &mb_a),
					       RIPC_LINK_EVENT_IN("alarm", &ev, 0x30)};
	struct ripci_hello h, d;
	uint8_t wire[RIPCI_HELLO_SIZE(2)];

	(void)state;
	assert_int_equal(ripc_mbox_init(&mb_a, mbuf_a, sizeof(mbuf_a), 64, 8), 0);
	make_hello(&h, ch, 2);
	assert_int_equal(ripci_hello_encode(&h, wire), sizeof(wire));
	assert_int_equal(ripci_hello_decode(wire, sizeof(wire), &d), 0);
	assert_int_equal(d.proto, RIPCI_LINK_PROTO);
	assert_int_equal(d.nch, 2);
	assert_int_equal(d.rx_next, 11);
	assert_int_equal(d.tx_base, 22);
	assert_true(d.incarnation == 0x0123456789abcdefULL);
	assert_true(d.seen == 42);
	assert_string_equal(d.node, "alpha");
	assert_string_equal(d.ch[0].name, "tm");
	assert_int_equal(d.ch[0].kind, RIPC_LINK_KIND_MBOX);
	assert_int_equal(d.ch[0].dir, RIPC_LINK_DIR_OUT);
	assert_int_equal(d.ch[0].size, 64);
	assert_string_equal(d.ch[1].name, "alarm");
	assert_int_equal(d.ch[1].kind, RIPC_LINK_KIND_EVENT);
	assert_int_equal(d.ch[1].size, 0x30);
}

static void test_hello_decode_is_strict(void **state)
{
	const struct ripc_link_channel ch[] = {RIPC_LINK_MBOX_OUT("tm", &mb_a)};
	struct ripci_hello h, d;
	uint8_t wire[RIPCI_HELLO_SIZE(1)], bad[sizeof(wire)];
	uint8_t big[RIPCI_HELLO_SIZE(CONFIG_RIPC_LINK_MAX_CHANNELS + 1)];

	(void)state;
	assert_int_equal(ripc_mbox_init(&mb_a, mbuf_a, sizeof(mbuf_a), 64, 8), 0);
	make_hello(&h, ch, 1);
	ripci_hello_encode(&h, wire);
	assert_int_equal(ripci_hello_decode(wire, sizeof(wire) - 1, &d), -EBADMSG);
	assert_int_equal(ripci_hello_decode(wire, 10, &d), -EBADMSG);
#define CORRUPT(off, val)                                                             \
	do {                                                                          \
		memcpy(bad, wire, sizeof(wire));                                      \
		bad[off] = (val);                                                     \
		assert_int_equal(ripci_hello_decode(bad, sizeof(bad), &d), -EBADMSG); \
	} while (0)
	CORRUPT(3, 0);         /* zero channels */
	CORRUPT(3, 2);         /* channel count does not fit the length */
	CORRUPT(15, 1);        /* reserved word */
	CORRUPT(32, 0);        /* empty node name */
	CORRUPT(32 + 10, 'x'); /* bytes after the node name's NUL */
	CORRUPT(32, 0x07);     /* unprintable */
	CORRUPT(64 + 5, 'x');  /* channel name: bytes after its NUL */
	CORRUPT(64 + 24, 3);   /* kind */
	CORRUPT(64 + 25, 0);   /* direction */
	CORRUPT(64 + 27, 1);   /* reserved */
#undef CORRUPT
	/* More channels than this build carries: a clear "too many", not "malformed". */
	memset(big, 0, sizeof(big));
	memcpy(big, wire, 64);
	ripci_put16(big + 2, CONFIG_RIPC_LINK_MAX_CHANNELS + 1);
	assert_int_equal(ripci_hello_decode(big, sizeof(big), &d), -E2BIG);
}

static void expect_mismatch(const struct ripc_link_channel *mine, uint32_t nm,
			    const struct ripc_link_channel *theirs, uint32_t nt, const char *part)
{
	struct ripci_hello a, b;
	uint8_t map[RIPCI_HELLO_WIRE_MAX_CH];
	char reason[128];

	make_hello(&a, mine, nm);
	make_hello(&b, theirs, nt);
	assert_int_equal(ripci_hello_match(&a, &b, map, reason, sizeof(reason)), -EPROTO);
	if (strstr(reason, part) == NULL)
		fail_msg("reason '%s' lacks '%s'", reason, part);
}

static void test_hello_match_pairs_channels_and_explains_mismatches(void **state)
{
	const struct ripc_link_channel a[] = {RIPC_LINK_MBOX_OUT("tm", &mb_a),
					      RIPC_LINK_EVENT_IN("alarm", &ev, 0x30),
					      RIPC_LINK_MBOX_IN("cmd", &mb_b, 0)};
	const struct ripc_link_channel b[] = {RIPC_LINK_MBOX_OUT("cmd", &mb_b),
					      RIPC_LINK_MBOX_IN("tm", &mb_a, 0),
					      RIPC_LINK_EVENT_OUT("alarm", &ev, 0x30)};
	const struct ripc_link_channel b_size[] = {RIPC_LINK_MBOX_OUT("cmd", &mb_b),
						   RIPC_LINK_MBOX_IN("tm", &mb_b, 0),
						   RIPC_LINK_EVENT_OUT("alarm", &ev, 0x30)};
	const struct ripc_link_channel b_bits[] = {RIPC_LINK_MBOX_OUT("cmd", &mb_b),
						   RIPC_LINK_MBOX_IN("tm", &mb_a, 0),
						   RIPC_LINK_EVENT_OUT("alarm", &ev, 0x10)};
	const struct ripc_link_channel b_kind[] = {RIPC_LINK_MBOX_OUT("cmd", &mb_b),
						   RIPC_LINK_EVENT_IN("tm", &ev, 1),
						   RIPC_LINK_EVENT_OUT("alarm", &ev, 0x30)};
	const struct ripc_link_channel b_dir[] = {RIPC_LINK_MBOX_OUT("cmd", &mb_b),
						  RIPC_LINK_MBOX_OUT("tm", &mb_a),
						  RIPC_LINK_EVENT_OUT("alarm", &ev, 0x30)};
	struct ripci_hello ha, hb;
	uint8_t map[RIPCI_HELLO_WIRE_MAX_CH];
	char reason[128];

	(void)state;
	assert_int_equal(ripc_mbox_init(&mb_a, mbuf_a, sizeof(mbuf_a), 64, 8), 0);
	assert_int_equal(ripc_mbox_init(&mb_b, mbuf_b, sizeof(mbuf_b), 32, 8), 0);
	make_hello(&ha, a, 3);
	make_hello(&hb, b, 3);
	assert_int_equal(ripci_hello_match(&ha, &hb, map, reason, sizeof(reason)), 0);
	assert_int_equal(map[0], 2); /* their "cmd" out is our "cmd" in */
	assert_int_equal(map[1], 0);
	assert_int_equal(map[2], 1);
	expect_mismatch(a, 3, b_size, 3, "'tm': max message 64 here, 32 at peer");
	expect_mismatch(a, 3, b_bits, 3, "'alarm': event bits 48 here, 16 at peer");
	expect_mismatch(a, 3, b_kind, 3, "'tm': mailbox here, event at peer");
	expect_mismatch(a, 3, b_dir, 3, "peer has channel 'tm' (mailbox out)");
	expect_mismatch(a, 3, b, 2, "peer lacks channel 'alarm'");
	hb.proto = 2;
	assert_int_equal(ripci_hello_match(&ha, &hb, map, reason, sizeof(reason)), -EPROTO);
	assert_non_null(strstr(reason, "protocol 2"));
}

static void test_link_names_are_checked(void **state)
{
	(void)state;
	assert_true(ripci_link_name_ok("a"));
	assert_true(ripci_link_name_ok("telemetry-0.b_c"));
	assert_true(ripci_link_name_ok("abcdefghijklmnopqrstuvw")); /* 23 characters */
	assert_false(ripci_link_name_ok("abcdefghijklmnopqrstuvwx"));
	assert_false(ripci_link_name_ok(""));
	assert_false(ripci_link_name_ok(NULL));
	assert_false(ripci_link_name_ok("with space"));
	assert_false(ripci_link_name_ok("tab\t"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c_matches_published_check_values),
		cmocka_unit_test(test_crc32c_continues_across_pieces_and_alignments),
		cmocka_unit_test(test_frame_seal_then_parse_round_trips),
		cmocka_unit_test(test_frame_parse_waits_for_the_whole_frame),
		cmocka_unit_test(test_frame_parse_rejects_each_corruption_by_cause),
		cmocka_unit_test(test_frame_parse_bounds_lengths_per_type),
		cmocka_unit_test(test_seq_before_wraps),
		cmocka_unit_test(test_hello_encodes_and_decodes_every_field),
		cmocka_unit_test(test_hello_decode_is_strict),
		cmocka_unit_test(test_hello_match_pairs_channels_and_explains_mismatches),
		cmocka_unit_test(test_link_names_are_checked),
	};

	ripc_test_init("link.frame");
	return cmocka_run_group_tests_name("link.frame", tests, NULL, NULL);
}
