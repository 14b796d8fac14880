/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief One side of the 32-bit/64-bit domain test: an armhf and an aarch64 build of this
 *        program share one domain and exchange messages, pool blocks, events and a mutex.
 *
 * Usage: domain_abi_peer ping|pong REGION ROUNDS
 * ping puts a sequence number and a pool handle into @c to_pong; pong checks the block's
 * checksum, writes its own pattern into a block of its own and answers on @c to_ping. Both
 * count rounds under the shared mutex. Exit status 0 means every check passed; the layout
 * fingerprint (which covers every offset and size) must agree or attach fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ripc/domain.h>

struct abi_counts {
	uint32_t rounds[2];
	uint64_t checksum[2];
};

struct abi_msg {
	uint32_t seq;
	ripc_pool_handle_t block;
	uint32_t pad;
	uint64_t sum;
};

#define ABI_OBJECTS(X)                              \
	X(MBOX, to_pong, sizeof(struct abi_msg), 4) \
	X(MBOX, to_ping, sizeof(struct abi_msg), 4) \
	X(POOL, blocks, 4096, 8)                    \
	X(MUTEX, lock)                              \
	X(EVENT, flags)                             \
	X(SEM, started, 0, 2)                       \
	X(DATA, counts, struct abi_counts)

RIPC_DOMAIN_DECLARE(abi, ABI_OBJECTS);
RIPC_DOMAIN_DEFINE(abi, ABI_OBJECTS);

#define FLAG_PING_READY 0x1u
#define FLAG_PONG_READY 0x2u
#define FLAG_DONE       0x4u

static uint64_t fill(uint8_t *p, size_t n, uint32_t seed)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		p[i] = (uint8_t)(seed * 31u + i * 7u);
		sum = sum * 131u + p[i];
	}
	return sum;
}

static uint64_t checksum(const uint8_t *p, size_t n)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum = sum * 131u + p[i];
	return sum;
}

static int fail(const char *role, const char *what, int rc)
{
	fprintf(stderr, "%s: %s failed: %d (%s)\n", role, what, rc, strerror(rc < 0 ? -rc : rc));
	return 1;
}

/* Send one block with a pattern through @p out; returns 0 or a negative errno. */
static int send_block(struct ripc_mbox *out, uint32_t seq)
{
	struct ripc_pool *pool = RIPC_DOMAIN_OBJ(abi, blocks);
	struct abi_msg m;

	memset(&m, 0, sizeof(m));
	m.seq = seq;
	void *blk;
	int rc = ripc_pool_alloc(pool, &blk, RIPC_SEC(10));

	if (rc != 0)
		return rc;
	m.sum = fill(blk, 4096, seq);
	rc = ripc_pool_ref(pool, blk, &m.block);
	if (rc != 0)
		return rc;
	return ripc_mbox_put(out, &m, sizeof(m), RIPC_SEC(10));
}

/* Receive one block from @p in and check it; returns 0 or a negative errno. */
static int recv_block(struct ripc_mbox *in, uint32_t want_seq)
{
	struct ripc_pool *pool = RIPC_DOMAIN_OBJ(abi, blocks);
	struct abi_msg m;
	size_t len = 0;
	uint8_t *blk;
	int rc = ripc_mbox_get(in, &m, sizeof(m), &len, RIPC_SEC(10));

	if (rc != 0)
		return rc;
	if (len != sizeof(m) || m.seq != want_seq)
		return -EBADMSG;
	blk = ripc_pool_ptr(pool, m.block);
	if (blk == NULL || checksum(blk, 4096) != m.sum)
		return -EBADMSG;
	return ripc_pool_release(pool, m.block);
}

static int count_round(int side)
{
	struct ripc_mutex *lock = RIPC_DOMAIN_OBJ(abi, lock);
	int rc = ripc_mutex_lock(lock, RIPC_SEC(10));

	if (rc != 0)
		return rc;
	RIPC_DOMAIN_OBJ(abi, counts)->rounds[side]++;
	return ripc_mutex_unlock(lock);
}

int main(int argc, char **argv)
{
	struct ripc_event *flags;
	uint32_t rounds, i, matched;
	int ping, rc;
	const char *role;

	if (argc != 4 || (strcmp(argv[1], "ping") != 0 && strcmp(argv[1], "pong") != 0)) {
		fprintf(stderr, "usage: %s ping|pong REGION ROUNDS\n", argv[0]);
		return 2;
	}
	role = argv[1];
	ping = strcmp(role, "ping") == 0;
	rounds = (uint32_t)strtoul(argv[3], NULL, 10);
	rc = ripc_domain_set_name(&abi, argv[2]);
	if (rc == 0)
		rc = ripc_domain_attach(&abi);
	if (rc != 0)
		return fail(role, "attach", rc);
	printf("%s: %zu-bit process attached, layout %llu bytes, fingerprint %016llx\n", role,
	       sizeof(void *) * 8, (unsigned long long)abi.size,
	       (unsigned long long)ripc_domain_fingerprint(&abi));
	flags = RIPC_DOMAIN_OBJ(abi, flags);
	ripc_event_post(flags, ping ? FLAG_PING_READY : FLAG_PONG_READY);
	rc = ripc_event_wait(flags, FLAG_PING_READY | FLAG_PONG_READY, RIPC_EVENT_WAIT_ALL,
			     &matched, RIPC_SEC(30));
	if (rc != 0)
		return fail(role, "waiting for the peer", rc);
	for (i = 0; i < rounds; i++) {
		if (ping) {
			rc = send_block(RIPC_DOMAIN_OBJ(abi, to_pong), i);
			if (rc == 0)
				rc = recv_block(RIPC_DOMAIN_OBJ(abi, to_ping), i);
		} else {
			rc = recv_block(RIPC_DOMAIN_OBJ(abi, to_pong), i);
			if (rc == 0)
				rc = send_block(RIPC_DOMAIN_OBJ(abi, to_ping), i);
		}
		if (rc == 0)
			rc = count_round(ping ? 0 : 1);
		if (rc != 0)
			return fail(role, "round", rc);
	}
	if (ping) {
		ripc_event_post(flags, FLAG_DONE);
	} else {
		rc = ripc_event_wait(flags, FLAG_DONE, RIPC_EVENT_WAIT_ANY, &matched, RIPC_SEC(30));
		if (rc != 0)
			return fail(role, "waiting for done", rc);
	}
	printf("%s: %u rounds ok (ping counted %u, pong counted %u)\n", role, rounds,
	       RIPC_DOMAIN_OBJ(abi, counts)->rounds[0], RIPC_DOMAIN_OBJ(abi, counts)->rounds[1]);
	return 0;
}
