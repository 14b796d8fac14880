/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Named shared-memory regions for domains (POSIX port).
 *
 * shm_open() with O_EXCL decides who creates a region, but nobody has to wait for the
 * creator: a region of size 0 is sized by whoever sees it first (ftruncate to the same
 * length is idempotent), and everything inside is zero until a process initialises it under
 * the domain's own lock. The checks refuse what must never be mapped: a region of another
 * user (someone could have planted it) or of another size (other definitions).
 */
#define _GNU_SOURCE /* syscall(), gettid and Linux-specific declarations */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "port/port.h"

static bool name_ok(const char *name)
{
	size_t len;

	if (name == NULL || name[0] != '/')
		return false;
	len = strlen(name);
	/* NAME_MAX for the file in /dev/shm; no further slash. */
	return len > 1 && len < 255 && strchr(name + 1, '/') == NULL;
}

static int open_region(const char *name, uint32_t mode)
{
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, (mode_t)mode);

	if (fd >= 0) {
		/* Exactly the requested bits, whatever the umask removed. */
		if (fchmod(fd, (mode_t)mode) != 0) {
			int err = errno;

			close(fd);
			shm_unlink(name);
			return -err;
		}
		return fd;
	}
	if (errno != EEXIST)
		return -errno;
	fd = shm_open(name, O_RDWR | O_CLOEXEC, 0);
	return fd >= 0 ? fd : -errno;
}

static int check_and_size(int fd, size_t len)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -errno;
	if (st.st_uid != geteuid() || !S_ISREG(st.st_mode))
		return -EACCES;
	if (st.st_size == 0)
		return ftruncate(fd, (off_t)len) == 0 ? 0 : -errno;
	return (uint64_t)st.st_size == (uint64_t)len ? 0 : -EPROTO;
}

int ripc_port_shm_map(const char *name, size_t len, uint32_t mode, void **addr)
{
	int saved = errno, fd, rc;
	void *p = MAP_FAILED;

	if (!name_ok(name) || len == 0 || addr == NULL)
		return -EINVAL;
	fd = open_region(name, mode);
	if (fd < 0) {
		rc = fd;
		goto out;
	}
	rc = check_and_size(fd, len);
	if (rc == 0) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		rc = p == MAP_FAILED ? -errno : 0;
	}
	close(fd);
	if (rc == 0)
		*addr = p;
out:
	errno = saved;
	return rc;
}

int ripc_port_shm_unmap(void *addr, size_t len)
{
	int saved = errno;
	int rc = munmap(addr, len) == 0 ? 0 : -errno;

	errno = saved;
	return rc;
}

int ripc_port_shm_unlink(const char *name)
{
	int saved = errno, rc;

	if (!name_ok(name))
		return -EINVAL;
	rc = shm_unlink(name) == 0 ? 0 : -errno;
	errno = saved;
	return rc;
}
