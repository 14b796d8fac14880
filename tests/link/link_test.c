/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Helpers of the link tests (see link_test.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "link_test.h"
#include "ripc_test.h"

uint16_t link_test_port(void)
{
	static atomic_uint calls;
	unsigned int n = atomic_fetch_add(&calls, 1);
	uint64_t t = (uint64_t)ripc_test_now_ns();

	/* 20000..59999: above common services, below the usual ephemeral range. */
	return (uint16_t)(20000u +
			  ((unsigned)getpid() * 131u + n * 7919u + (unsigned)(t >> 10)) % 40000u);
}

int link_test_start_retry(struct ripc_link *link, const struct ripc_link_config *cfg,
			  void (*fill)(uint16_t port, void *arg), void *arg)
{
	int rc = -EADDRINUSE, tries;

	for (tries = 0; tries < 50 && rc == -EADDRINUSE; tries++) {
		fill(link_test_port(), arg);
		rc = ripc_link_start(link, cfg);
	}
	return rc;
}

void link_test_timing(struct ripc_link_config *cfg)
{
	bool slow = ripc_test_scaled(1000) < 1000;

	cfg->heartbeat_ms = slow ? 200 : 50;
	cfg->dead_ms = slow ? 4000 : 400;
	/* Acknowledgements of an emulated board can lag by hundreds of milliseconds: a short
	 * retransmit timer would resend frames nobody lost. */
	cfg->rto_ms = slow ? 2000 : 0;
}

bool link_test_wait_state(struct ripc_link *link, uint32_t state, long ms)
{
	int64_t end = ripc_test_now_ns() + (int64_t)ms * 1000000;
	struct ripc_link_status st;

	do {
		assert_int_equal(ripc_link_status(link, &st), 0);
		if (st.state == state)
			return true;
		ripc_test_sleep_ms(2);
	} while (ripc_test_now_ns() < end);
	return false;
}

bool link_test_wait_for(bool (*cond)(void *arg), void *arg, long ms)
{
	int64_t end = ripc_test_now_ns() + (int64_t)ms * 1000000;

	do {
		if (cond(arg))
			return true;
		ripc_test_sleep_ms(2);
	} while (ripc_test_now_ns() < end);
	return cond(arg);
}

size_t link_test_msg(uint8_t *buf, size_t max, uint32_t i)
{
	size_t n = 8 + (i * 13u) % (max - 7), k;

	memcpy(buf, &i, 4);
	buf[4] = (uint8_t)~buf[0];
	buf[5] = (uint8_t)~buf[1];
	buf[6] = (uint8_t)~buf[2];
	buf[7] = (uint8_t)~buf[3];
	for (k = 8; k < n; k++)
		buf[k] = (uint8_t)(i * 31u + k);
	return n;
}

bool link_test_msg_ok(const uint8_t *buf, size_t len, size_t max, uint32_t i)
{
	uint8_t want[4096];
	size_t n = link_test_msg(want, max, i);

	return len == n && memcmp(buf, want, n) == 0;
}

uint32_t link_test_msg_num(const uint8_t *buf)
{
	uint32_t i;

	memcpy(&i, buf, 4);
	return i;
}

/* ---- TCP forwarder ---------------------------------------------------------------------- */

static int listen_on(uint16_t *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 8) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		close(fd);
		return -errno;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

static int connect_to(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Copy what @p from has to @p to; false when @p from ended. */
static bool pump(int from, int to)
{
	char buf[16384];
	ssize_t n = recv(from, buf, sizeof(buf), MSG_DONTWAIT), off = 0;

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return false;
	while (off < n) {
		ssize_t w = send(to, buf + off, (size_t)(n - off), MSG_NOSIGNAL);

		if (w < 0)
			return false;
		off += w;
	}
	return true;
}

static void *fwd_main(void *arg)
{
	struct tcp_fwd *f = arg;
	int a = -1, b = -1;

	while (!atomic_load(&f->stop)) {
		struct pollfd p[3] = {{.fd = f->lfd, .events = POLLIN},
				      {.fd = a, .events = POLLIN},
				      {.fd = b, .events = POLLIN}};
		bool hole = atomic_load(&f->blackhole) != 0;

		if (atomic_exchange(&f->cut, 0) != 0) {
			close(a);
			close(b);
			a = b = -1;
		}
		if (hole) {
			/* A partition: nothing moves, nobody is told. New connections wait in
			 * the backlog, unanswered. */
			p[0].fd = -1;
			p[1].fd = -1;
			p[2].fd = -1;
		}
		if (poll(p, 3, 5) <= 0)
			continue;
		if (p[0].revents & POLLIN) {
			int c = accept4(f->lfd, NULL, NULL, SOCK_CLOEXEC);

			if (c >= 0) {
				/* One connection at a time, as a link has: the newest wins. */
				close(a);
				close(b);
				a = c;
				b = connect_to(f->target);
				if (b < 0) {
					close(a);
					a = -1;
				} else {
					atomic_fetch_add(&f->conns, 1);
				}
			}
		}
		if (a >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)) && !pump(a, b)) {
			close(a);
			close(b);
			a = b = -1;
		}
		if (b >= 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR)) && !pump(b, a)) {
			close(a);
			close(b);
			a = b = -1;
		}
	}
	close(a);
	close(b);
	return NULL;
}

int tcp_fwd_start(struct tcp_fwd *f, uint16_t target)
{
	f->target = target;
	atomic_init(&f->stop, 0);
	atomic_init(&f->blackhole, 0);
	atomic_init(&f->cut, 0);
	atomic_init(&f->conns, 0);
	f->lfd = listen_on(&f->port);
	if (f->lfd < 0)
		return f->lfd;
	return -pthread_create(&f->thread, NULL, fwd_main, f);
}

void tcp_fwd_stop(struct tcp_fwd *f)
{
	atomic_store(&f->stop, 1);
	pthread_join(f->thread, NULL);
	close(f->lfd);
}

/* ---- Lossy UDP proxy ---------------------------------------------------------------------- */

static int to_sin(const char *text, struct sockaddr_in *a)
{
	char host[64];
	const char *colon = strchr(text, ':');

	if (colon == NULL || (size_t)(colon - text) >= sizeof(host))
		return -EINVAL;
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)atoi(colon + 1));
	return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -EINVAL;
}

static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

int udp_proxy_run(struct udp_proxy *p)
{
	struct sockaddr_in in, out;
	uint8_t held[65536], buf[65536];
	ssize_t held_len = -1;
	int64_t held_at = 0;
	uint32_t rnd = p->seed != 0 ? p->seed : 1;
	int fd, one = 1;

	memset(&p->counts, 0, sizeof(p->counts));
	atomic_store(&p->seen, 0);
	atomic_store(&p->forwarded, 0);
	if (to_sin(p->listen, &in) != 0 || to_sin(p->forward, &out) != 0)
		return -EINVAL;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&in, sizeof(in)) != 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	while (!atomic_load(&p->stop)) {
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		ssize_t n;
		uint32_t r;

		/* A held datagram nobody overtook goes out in order after 20 ms. */
		if (held_len >= 0 && ripc_test_now_ns() - held_at > 20000000) {
			sendto(fd, held, (size_t)held_len, 0, (struct sockaddr *)&out, sizeof(out));
			atomic_fetch_add(&p->forwarded, 1);
			held_len = -1;
		}
		if (poll(&pf, 1, 5) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			continue;
		if (n < 24 || (buf[3] != 4 && buf[3] != 5)) {
			p->counts.others++;
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&out, sizeof(out));
			continue;
		}
		p->counts.numbered++;
		r = next_rand(&rnd) % 100u;
		if (r < p->drop_pct) {
			p->counts.dropped++;
			atomic_fetch_add(&p->seen, 1);
			continue;
		}
		if (r < p->drop_pct + p->reorder_pct && held_len < 0) {
			memcpy(held, buf, (size_t)n);
			held_len = n;
			held_at = ripc_test_now_ns();
			atomic_fetch_add(&p->seen, 1);
			continue;
		}
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&out, sizeof(out));
		atomic_fetch_add(&p->forwarded, 1);
		if (r >= p->drop_pct + p->reorder_pct &&
		    r < p->drop_pct + p->reorder_pct + p->dup_pct) {
			p->counts.duplicated++;
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&out, sizeof(out));
			atomic_fetch_add(&p->forwarded, 1);
		}
		if (held_len >= 0) {
			/* A later numbered datagram went first: this is the reordering. */
			sendto(fd, held, (size_t)held_len, 0, (struct sockaddr *)&out, sizeof(out));
			atomic_fetch_add(&p->forwarded, 1);
			held_len = -1;
			p->counts.reordered++;
		}
		/* Counted last: a sender that sees it knows everything before was handled. */
		atomic_fetch_add(&p->seen, 1);
	}
	if (held_len >= 0)
		sendto(fd, held, (size_t)held_len, 0, (struct sockaddr *)&out, sizeof(out));
	close(fd);
	return 0;
}
