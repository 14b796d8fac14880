/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Shared-memory domains: map a region, initialise its objects once, check layouts.
 *
 * Synchronisation: the region header holds a robust mutex. Every attaching process takes
 * it; the one that finds @c ready unset (a fresh, zero-filled region, or one whose
 * initialiser died half-way) initialises every object and the header, publishes @c ready,
 * and unlocks. Everybody else checks the header against its own definitions under the same
 * lock, so nobody can observe a half-initialised domain. Creation itself needs no ordering:
 * the port sizes a fresh region idempotently, and zero bytes are an unlocked mutex.
 */
#include <errno.h>
#include <string.h>

#include <ripc/domain.h>

#include "port/port.h"

#define RIPC_DOMAIN_MAGIC 0x43504952u /* "RIPC" little-endian */

/* A region initialiser that takes longer than this is taken for stuck. */
#define RIPC_DOMAIN_INIT_TIMEOUT RIPC_SEC(10)

/* FNV-1a, 64-bit: stable across compilers and word sizes, enough to tell layouts apart. */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len-- > 0) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t fnv_u32(uint64_t h, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};

	return fnv(h, b, sizeof(b));
}

uint64_t ripc_domain_fingerprint(const struct ripc_domain *dom)
{
	const struct ripc_domain_object *o;
	uint64_t h = 0xcbf29ce484222325ull;
	uint32_t n, i;

	if (dom == NULL || dom->describe == NULL)
		return 0;
	o = dom->describe(&n);
	h = fnv_u32(h, RIPC_DOMAIN_FORMAT_VERSION);
	h = fnv_u32(h, (uint32_t)dom->size);
	h = fnv_u32(h, (uint32_t)(dom->size >> 32));
	h = fnv_u32(h, n);
	for (i = 0; i < n; i++) {
		h = fnv(h, o[i].name, strlen(o[i].name) + 1);
		h = fnv_u32(h, o[i].kind);
		h = fnv_u32(h, o[i].offset);
		h = fnv_u32(h, o[i].size);
		h = fnv_u32(h, o[i].arg[0]);
		h = fnv_u32(h, o[i].arg[1]);
	}
	return h;
}

static bool name_char_ok(char c)
{
	return c != '/' && c != '\0';
}

/* The region name: the override, or "/ripc.<name>". */
static int region_name(const struct ripc_domain *dom, char out[RIPC_DOMAIN_NAME_MAX])
{
	static const char prefix[] = "/ripc.";
	size_t len;

	if (dom->shm_name[0] != '\0') {
		memcpy(out, dom->shm_name, RIPC_DOMAIN_NAME_MAX);
		return 0;
	}
	if (dom->name == NULL)
		return -EINVAL;
	len = strlen(dom->name);
	if (len == 0 || len + sizeof(prefix) > RIPC_DOMAIN_NAME_MAX)
		return -EINVAL;
	memcpy(out, prefix, sizeof(prefix) - 1);
	memcpy(out + sizeof(prefix) - 1, dom->name, len + 1);
	return 0;
}

int ripc_domain_set_name(struct ripc_domain *dom, const char *shm_name)
{
	size_t len, i;

	if (dom == NULL || shm_name == NULL || shm_name[0] != '/')
		return -EINVAL;
	if (dom->base != NULL)
		return -EBUSY;
	len = strlen(shm_name);
	if (len < 2 || len >= RIPC_DOMAIN_NAME_MAX)
		return -EINVAL;
	for (i = 1; i < len; i++)
		if (!name_char_ok(shm_name[i]))
			return -EINVAL;
	memcpy(dom->shm_name, shm_name, len + 1);
	return 0;
}

int ripc_domain_set_mode(struct ripc_domain *dom, uint32_t mode)
{
	if (dom == NULL || (mode & ~0777u) != 0)
		return -EINVAL;
	if (dom->base != NULL)
		return -EBUSY;
	dom->mode = mode;
	return 0;
}

static int initialise(struct ripc_domain *dom, struct ripc_domain_header *hdr, uint64_t fp)
{
	uint32_t n;
	int rc = dom->init_objects(hdr);

	if (rc != 0)
		return rc;
	(void)dom->describe(&n);
	hdr->magic = RIPC_DOMAIN_MAGIC;
	hdr->version = RIPC_DOMAIN_FORMAT_VERSION;
	hdr->fingerprint = fp;
	hdr->size = dom->size;
	hdr->nobjects = n;
	atomic_store_explicit(&hdr->ready, 1, memory_order_release);
	return 0;
}

static int check(const struct ripc_domain *dom, const struct ripc_domain_header *hdr, uint64_t fp)
{
	if (hdr->magic != RIPC_DOMAIN_MAGIC || hdr->version != RIPC_DOMAIN_FORMAT_VERSION ||
	    hdr->size != dom->size || hdr->fingerprint != fp)
		return -EPROTO;
	return 0;
}

/* Under the region lock: initialise a region nobody finished, or check a ready one. */
static int settle(struct ripc_domain *dom, struct ripc_domain_header *hdr)
{
	uint64_t fp = ripc_domain_fingerprint(dom);
	int rc = ripc_mutex_lock(&hdr->init_lock, RIPC_DOMAIN_INIT_TIMEOUT);

	if (rc == -EOWNERDEAD) {
		/* An attacher died holding the lock: a half-done initialisation is redone
		 * below because @c ready is still unset; a finished one is intact. */
		rc = ripc_mutex_consistent(&hdr->init_lock);
	}
	if (rc != 0)
		return rc;
	if (atomic_load_explicit(&hdr->ready, memory_order_acquire) == 0)
		rc = initialise(dom, hdr, fp);
	else
		rc = check(dom, hdr, fp);
	(void)ripc_mutex_unlock(&hdr->init_lock);
	return rc;
}

int ripc_domain_attach(struct ripc_domain *dom)
{
	char name[RIPC_DOMAIN_NAME_MAX];
	void *base = NULL;
	int rc;

	if (dom == NULL || dom->describe == NULL || dom->init_objects == NULL ||
	    dom->size < sizeof(struct ripc_domain_header))
		return -EINVAL;
	if (dom->base != NULL)
		return 0;
	rc = region_name(dom, name);
	if (rc != 0)
		return rc;
	rc = ripc_port_shm_map(name, (size_t)dom->size, dom->mode, &base);
	if (rc != 0)
		return rc;
	rc = settle(dom, base);
	if (rc != 0) {
		(void)ripc_port_shm_unmap(base, (size_t)dom->size);
		return rc;
	}
	dom->base = base;
	return 0;
}

int ripc_domain_detach(struct ripc_domain *dom)
{
	int rc;

	if (dom == NULL)
		return -EINVAL;
	if (dom->base == NULL)
		return 0;
	rc = ripc_port_shm_unmap(dom->base, (size_t)dom->size);
	if (rc == 0)
		dom->base = NULL;
	return rc;
}

int ripc_domain_unlink(struct ripc_domain *dom)
{
	char name[RIPC_DOMAIN_NAME_MAX];
	int rc;

	if (dom == NULL)
		return -EINVAL;
	rc = region_name(dom, name);
	if (rc != 0)
		return rc;
	return ripc_port_shm_unlink(name);
}
