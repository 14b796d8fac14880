/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Small helpers the mechanisms and scenarios share: exact reads and writes, the
 *        bulk payload's fill and sum, clocks.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

int bench_write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int bench_read_all(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void bench_fill(void *buf, size_t len, uint8_t seed)
{
	/* memset is what a producer writing a buffer costs at best: the same for everyone. */
	memset(buf, seed, len);
}

uint64_t bench_sum(const void *buf, size_t len)
{
	const uint64_t *w = buf;
	uint64_t s = 0;
	size_t i;

	/* Every word is read, so the consumer really touches the whole payload. */
	for (i = 0; i < len / sizeof(*w); i++)
		s += w[i];
	return s;
}

void bench_close_fds(struct bench_chan *c)
{
	size_t i;

	for (i = 0; i < sizeof(c->fd) / sizeof(c->fd[0]); i++) {
		if (c->fd[i] >= 0)
			close(c->fd[i]);
		c->fd[i] = -1;
	}
}

int64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t bench_cpu_ns(void)
{
	struct timespec ts;

	/* The whole process: helper threads of a library (iceoryx) count too. */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void bench_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause" ::: "memory");
#elif defined(__aarch64__) || (defined(__ARM_ARCH) && __ARM_ARCH >= 7)
	__asm__ __volatile__("yield" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}
