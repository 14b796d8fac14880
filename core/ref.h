/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Resolve and record union ripc_ref storage references.
 */
#ifndef RIPC_CORE_REF_H
#define RIPC_CORE_REF_H

#include <ripc/common.h>

/** Storage address of an object at @p self whose reference is @p ref. */
static inline void *ripci_ref_resolve(const void *self, const union ripc_ref *ref, bool local)
{
	if (local)
		return ref->local;
	return (char *)(uintptr_t)self + ref->offset;
}

/** Record @p storage relative to the object at @p self (position-independent). */
static inline void ripci_ref_set_offset(union ripc_ref *ref, const void *self, const void *storage)
{
	ref->offset = (int64_t)((intptr_t)storage - (intptr_t)self);
}

#endif /* RIPC_CORE_REF_H */
