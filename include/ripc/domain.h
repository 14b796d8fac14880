/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Shared-memory domains: statically defined objects that several processes share.
 *
 * A domain is a named POSIX shared-memory region whose layout is fixed at build time by a
 * list of objects. Every process built from the same list calls ripc_domain_attach(); the
 * first one to get the region's lock initialises every object, the others find them ready.
 * Processes that start at the same moment never see a half-initialised domain, and a
 * process that dies while initialising is replaced by the next one to attach (the lock is
 * a robust ripc mutex).
 *
 * The region carries a fingerprint of the layout (format version, object kinds, names,
 * offsets, sizes and parameters). Attaching with other definitions fails with -EPROTO
 * instead of corrupting anything. Because objects hold no pointers, a 32-bit (armhf) and a
 * 64-bit (aarch64) process on one board share a domain.
 *
 * Defining a domain (the list is an "X macro": one X(KIND, name, args...) per object):
 * @code
 * #define PLANT_OBJECTS(X)                  \
 *	X(SEM, ready, 0, 1)               \
 *	X(MUTEX, table_lock)              \
 *	X(MBOX, telemetry, 64, 16)        \
 *	X(POOL, frames, 1 << 20, 4)       \
 *	X(EVENT, alarms)                  \
 *	X(DATA, settings, struct settings)
 *
 * RIPC_DOMAIN_DECLARE(plant, PLANT_OBJECTS);   // in a header every process includes
 * RIPC_DOMAIN_DEFINE(plant, PLANT_OBJECTS);    // in exactly one .c file of each program
 *
 * ripc_domain_attach(&plant);
 * struct ripc_mbox *tm = RIPC_DOMAIN_OBJ(plant, telemetry);
 * @endcode
 * Kinds and their arguments: SEM(name, initial, limit), MUTEX(name), EVENT(name),
 * MBOX(name, max_msg_size, depth), POOL(name, block_size, nblocks), and DATA(name, type):
 * plain shared data of a fixed-width, pointer-free type of yours, zero-filled when the
 * region is created (guard it with a MUTEX of the domain). RIPC_DOMAIN_OBJ gives a pointer
 * to the object's type (to @p type for DATA).
 */
#ifndef RIPC_DOMAIN_H
#define RIPC_DOMAIN_H

#include <string.h>

#include <ripc/common.h>
#include <ripc/event.h>
#include <ripc/mbox.h>
#include <ripc/mutex.h>
#include <ripc/pool.h>
#include <ripc/sem.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Version of the region format; part of the fingerprint. */
#define RIPC_DOMAIN_FORMAT_VERSION 1u

/** @brief Longest shared-memory name, including the leading '/' and the terminator. */
#define RIPC_DOMAIN_NAME_MAX 64

/** @brief Default permissions of a new region: the creating user only. */
#define RIPC_DOMAIN_MODE_DEFAULT 0600u

/** @brief Object kinds, as recorded in the fingerprint. */
enum ripc_domain_kind {
	RIPC_DOMAIN_SEM = 1,
	RIPC_DOMAIN_MUTEX = 2,
	RIPC_DOMAIN_MBOX = 3,
	RIPC_DOMAIN_POOL = 4,
	RIPC_DOMAIN_EVENT = 5,
	RIPC_DOMAIN_DATA = 6,
};

/**
 * @brief The fixed header at the start of every region (private fields).
 *
 * Its layout never depends on the domain's objects, so any process can read it.
 */
struct ripc_domain_header {
	uint32_t magic;              /**< RIPC_DOMAIN_MAGIC once initialised. */
	uint32_t version;            /**< RIPC_DOMAIN_FORMAT_VERSION. */
	uint64_t fingerprint;        /**< Hash of the layout. */
	uint64_t size;               /**< Region size in bytes. */
	ripc_atomic_u32_t ready;     /**< 1 once every object is initialised. */
	uint32_t nobjects;           /**< Number of objects. */
	struct ripc_mutex init_lock; /**< Held while (re)initialising; robust. */
};

/** @brief Describes one object of a domain (generated; process-local, read-only). */
struct ripc_domain_object {
	const char *name; /**< Member name. */
	uint32_t kind;    /**< enum ripc_domain_kind. */
	uint32_t offset;  /**< Offset of the object from the region start. */
	uint32_t size;    /**< Bytes of the object and its storage. */
	uint32_t arg[2];  /**< Kind parameters (see the kinds above). */
};

/**
 * @brief A domain as one process sees it (process-local; define with RIPC_DOMAIN_DEFINE).
 */
struct ripc_domain {
	const char *name; /**< Name given to RIPC_DOMAIN_DEFINE. */
	/** Layout description: returns the object table and stores its length. */
	const struct ripc_domain_object *(*describe)(uint32_t *count);
	uint32_t mode;                       /**< Permissions for a new region. */
	uint64_t size;                       /**< Region size. */
	int (*init_objects)(void *base);     /**< Initialises every object in a region. */
	void *base;                          /**< Mapping, NULL while detached. */
	char shm_name[RIPC_DOMAIN_NAME_MAX]; /**< Region name; "" means "/ripc.<name>". */
};

/** @cond INTERNAL */
#define RIPC_DOMAIN_APPLY_(what, kind, ...) RIPC_DOMAIN_##what##_##kind(__VA_ARGS__)
#define RIPC_DOMAIN_MEMBER_(kind, ...)      RIPC_DOMAIN_APPLY_(MEMBER, kind, __VA_ARGS__)
#define RIPC_DOMAIN_DESC_(kind, ...)        RIPC_DOMAIN_APPLY_(DESC, kind, __VA_ARGS__)
#define RIPC_DOMAIN_INIT_(kind, ...)        RIPC_DOMAIN_APPLY_(INIT, kind, __VA_ARGS__)

/* Each member is a wrapper whose first field is the object, followed by its storage. Large
 * storage is cache-line aligned so objects never share a line with a neighbour. */
#define RIPC_DOMAIN_MEMBER_SEM(name, initial, limit) \
	struct {                                     \
		struct ripc_sem obj;                 \
	} name;
#define RIPC_DOMAIN_MEMBER_MUTEX(name) \
	struct {                       \
		struct ripc_mutex obj; \
	} name;
#define RIPC_DOMAIN_MEMBER_EVENT(name) \
	struct {                       \
		struct ripc_event obj; \
	} name;
#define RIPC_DOMAIN_MEMBER_DATA(name, type) \
	struct {                            \
		_Alignas(64) type obj;      \
	} name;
#define RIPC_DOMAIN_MEMBER_MBOX(name, msz, depth)                                    \
	struct {                                                                     \
		_Alignas(64) struct ripc_mbox obj;                                   \
		_Alignas(64) uint64_t buf[(RIPC_MBOX_BUF_SIZE(msz, depth) + 7) / 8]; \
	} name;
#define RIPC_DOMAIN_MEMBER_POOL(name, bsize, nblocks)                                    \
	struct {                                                                         \
		_Alignas(64) struct ripc_pool obj;                                       \
		_Alignas(64) uint64_t buf[(RIPC_POOL_BUF_SIZE(bsize, nblocks) + 7) / 8]; \
	} name;

/* Descriptor entries refer to the layout through ripc_domain_l_, a typedef local to the
 * generated describe function. */
#define RIPC_DOMAIN_DESC_ENTRY_(name, kind, a0, a1)     \
	{#name,                                         \
	 kind,                                          \
	 (uint32_t)offsetof(ripc_domain_l_, name),      \
	 (uint32_t)sizeof(((ripc_domain_l_ *)0)->name), \
	 {(uint32_t)(a0), (uint32_t)(a1)}},
#define RIPC_DOMAIN_DESC_SEM(name, initial, limit) \
	RIPC_DOMAIN_DESC_ENTRY_(name, RIPC_DOMAIN_SEM, initial, limit)
#define RIPC_DOMAIN_DESC_MUTEX(name) RIPC_DOMAIN_DESC_ENTRY_(name, RIPC_DOMAIN_MUTEX, 0, 0)
#define RIPC_DOMAIN_DESC_EVENT(name) RIPC_DOMAIN_DESC_ENTRY_(name, RIPC_DOMAIN_EVENT, 0, 0)
#define RIPC_DOMAIN_DESC_DATA(name, type) \
	RIPC_DOMAIN_DESC_ENTRY_(name, RIPC_DOMAIN_DATA, sizeof(type), 0)
#define RIPC_DOMAIN_DESC_MBOX(name, msz, depth) \
	RIPC_DOMAIN_DESC_ENTRY_(name, RIPC_DOMAIN_MBOX, msz, depth)
#define RIPC_DOMAIN_DESC_POOL(name, bsize, nblocks) \
	RIPC_DOMAIN_DESC_ENTRY_(name, RIPC_DOMAIN_POOL, bsize, nblocks)

#define RIPC_DOMAIN_INIT_SEM(name, initial, limit) \
	if (rc == 0)                               \
		rc = ripc_sem_init(&l->name.obj, initial, limit);
#define RIPC_DOMAIN_INIT_MUTEX(name) \
	if (rc == 0)                 \
		rc = ripc_mutex_init(&l->name.obj);
#define RIPC_DOMAIN_INIT_EVENT(name) \
	if (rc == 0)                 \
		rc = ripc_event_init(&l->name.obj);
#define RIPC_DOMAIN_INIT_DATA(name, type) \
	if (rc == 0)                      \
		memset(&l->name.obj, 0, sizeof(type));
#define RIPC_DOMAIN_INIT_MBOX(name, msz, depth) \
	if (rc == 0)                            \
		rc = ripc_mbox_init(&l->name.obj, l->name.buf, sizeof(l->name.buf), msz, depth);
#define RIPC_DOMAIN_INIT_POOL(name, bsize, nblocks) \
	if (rc == 0)                                \
		rc = ripc_pool_init(&l->name.obj, l->name.buf, sizeof(l->name.buf), bsize, nblocks);
/** @endcond */

/**
 * @brief Declare a domain's layout type and the domain variable (in a shared header).
 * @param dom Domain name; also the default region name "/ripc.<dom>".
 * @param LIST The object list macro, see the file comment.
 */
#define RIPC_DOMAIN_DECLARE(dom, LIST)                      \
	struct ripc_domain_layout_##dom {                   \
		_Alignas(64) struct ripc_domain_header hdr; \
		LIST(RIPC_DOMAIN_MEMBER_)                   \
	};                                                  \
	extern struct ripc_domain dom

/**
 * @brief Define a domain declared with RIPC_DOMAIN_DECLARE (in exactly one .c file).
 * @param dom Domain name.
 * @param LIST The same object list as in the declaration.
 */
#define RIPC_DOMAIN_DEFINE(dom, LIST)                                                       \
	static const struct ripc_domain_object *ripc_domain_describe_##dom(uint32_t *count) \
	{                                                                                   \
		typedef struct ripc_domain_layout_##dom ripc_domain_l_;                     \
		static const struct ripc_domain_object table[] = {LIST(RIPC_DOMAIN_DESC_)}; \
		*count = (uint32_t)(sizeof(table) / sizeof(table[0]));                      \
		return table;                                                               \
	}                                                                                   \
	static int ripc_domain_init_##dom(void *base)                                       \
	{                                                                                   \
		struct ripc_domain_layout_##dom *l = base;                                  \
		int rc = 0;                                                                 \
		LIST(RIPC_DOMAIN_INIT_)                                                     \
		return rc;                                                                  \
	}                                                                                   \
	struct ripc_domain dom = {.name = #dom,                                             \
				  .describe = ripc_domain_describe_##dom,                   \
				  .mode = RIPC_DOMAIN_MODE_DEFAULT,                         \
				  .size = sizeof(struct ripc_domain_layout_##dom),          \
				  .init_objects = ripc_domain_init_##dom,                   \
				  .base = NULL,                                             \
				  .shm_name = ""}

/**
 * @brief Pointer to object @p member of domain @p dom, or NULL while it is not attached.
 */
#define RIPC_DOMAIN_OBJ(dom, member) \
	((dom).base != NULL ? &((struct ripc_domain_layout_##dom *)(dom).base)->member.obj : NULL)

/**
 * @brief Use another region name than "/ripc.<dom>" (several instances, tests).
 * @param dom Domain, detached.
 * @param shm_name Region name: a leading '/', no other '/', shorter than
 *        RIPC_DOMAIN_NAME_MAX.
 * @retval 0 Set. @retval -EINVAL NULL, bad name. @retval -EBUSY The domain is attached.
 *
 * Context: thread; before ripc_domain_attach.
 */
int ripc_domain_set_name(struct ripc_domain *dom, const char *shm_name);

/**
 * @brief Permissions for the region if this process creates it (default 0600).
 * @param dom Domain, detached.
 * @param mode Permission bits, e.g. 0660 to let the group attach.
 * @retval 0 Set. @retval -EINVAL NULL or bits outside 0777. @retval -EBUSY Attached.
 *
 * Context: thread; before ripc_domain_attach.
 */
int ripc_domain_set_mode(struct ripc_domain *dom, uint32_t mode);

/**
 * @brief Map the domain's region, creating and initialising it if needed.
 * @param dom Domain.
 * @retval 0 Attached; RIPC_DOMAIN_OBJ gives the objects. Attaching twice is harmless.
 * @retval -EINVAL @p dom is NULL or its name is invalid.
 * @retval -EACCES The region belongs to another user or its permissions refuse us.
 * @retval -EPROTO The region was made from other definitions (size, format version,
 *         object kinds, names, offsets or parameters differ); nothing was changed.
 * @retval -ETIMEDOUT Another process kept initialising the region for 10 s.
 * @retval -ENOMEM, -ENOSPC The system could not create or map the region.
 *
 * Context: thread; may block while another process initialises the region.
 */
int ripc_domain_attach(struct ripc_domain *dom);

/**
 * @brief Unmap the domain from this process; the region and its objects stay.
 * @param dom Domain.
 * @retval 0 Detached (or was not attached). @retval -EINVAL @p dom is NULL.
 *
 * Context: thread; no other thread of the process may still use its objects.
 */
int ripc_domain_detach(struct ripc_domain *dom);

/**
 * @brief Remove the region's name, so the next attach creates a fresh region.
 * @param dom Domain (attached or not; mappings stay valid until detached).
 * @retval 0 Removed. @retval -ENOENT No such region. @retval -EACCES Not ours.
 * @retval -EINVAL @p dom is NULL or its name is invalid.
 *
 * Context: thread.
 */
int ripc_domain_unlink(struct ripc_domain *dom);

/**
 * @brief Fingerprint of the domain's layout as this program defines it.
 * @param dom Domain.
 * @return The 64-bit layout hash, 0 for NULL.
 *
 * Context: any thread.
 */
uint64_t ripc_domain_fingerprint(const struct ripc_domain *dom);

#ifdef __cplusplus
}
#endif

#endif /* RIPC_DOMAIN_H */
