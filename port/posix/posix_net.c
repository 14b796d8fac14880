/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief Sockets for links between boards (POSIX port).
 *
 * Every socket is non-blocking: the link threads decide how long to wait, through
 * ripc_port_net_wait, against their own deadlines. Addresses cross the port boundary in
 * struct ripc_port_addr, so core/ never sees a sockaddr.
 */
#define _GNU_SOURCE /* accept4, MSG_NOSIGNAL, ppoll */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "port/port.h"

/* ---- Addresses ------------------------------------------------------------------------ */

/* Parse a decimal number of at most @p max; false on anything else. */
static bool parse_num(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

int ripc_port_net_parse(const char *text, struct ripc_port_addr *addr)
{
	char host[64];
	const char *port = NULL, *prefix = NULL, *end;
	unsigned long num;
	size_t hlen;

	if (text == NULL || addr == NULL)
		return -EINVAL;
	memset(addr, 0, sizeof(*addr));
	if (text[0] == '[') { /* [v6]:port or [v6] */
		end = strchr(text, ']');
		if (end == NULL)
			return -EINVAL;
		hlen = (size_t)(end - text - 1);
		if (end[1] == ':')
			port = end + 2;
		else if (end[1] == '/')
			prefix = end + 2;
		else if (end[1] != '\0')
			return -EINVAL;
		text++;
	} else {
		const char *colon = strchr(text, ':');
		const char *slash = strchr(text, '/');

		/* One colon: IPv4 with a port. Several: a bare IPv6 address. */
		if (colon != NULL && strchr(colon + 1, ':') == NULL) {
			port = colon + 1;
			hlen = (size_t)(colon - text);
		} else {
			hlen = slash != NULL ? (size_t)(slash - text) : strlen(text);
		}
		if (slash != NULL)
			prefix = slash + 1;
		if (slash != NULL && port != NULL)
			return -EINVAL;
	}
	if (hlen == 0 || hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, text, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, addr->ip) == 1) {
		addr->family = 4;
		addr->prefix = 32;
	} else if (inet_pton(AF_INET6, host, addr->ip) == 1) {
		addr->family = 6;
		addr->prefix = 128;
	} else {
		return -EINVAL;
	}
	if (port != NULL) {
		if (!parse_num(port, 65535, &num))
			return -EINVAL;
		addr->port = (uint16_t)num;
	}
	if (prefix != NULL) {
		if (!parse_num(prefix, addr->prefix, &num))
			return -EINVAL;
		addr->prefix = (uint8_t)num;
	}
	return 0;
}

void ripc_port_net_format(const struct ripc_port_addr *addr, char *buf, size_t cap)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (buf == NULL || cap == 0)
		return;
	if (addr == NULL || (addr->family != 4 && addr->family != 6)) {
		snprintf(buf, cap, "(none)");
		return;
	}
	inet_ntop(addr->family == 4 ? AF_INET : AF_INET6, addr->ip, host, sizeof(host));
	if (addr->family == 4)
		snprintf(buf, cap, "%s:%u", host, (unsigned)addr->port);
	else
		snprintf(buf, cap, "[%s]:%u", host, (unsigned)addr->port);
}

/* struct ripc_port_addr -> sockaddr; returns its length, 0 for an unset address. */
static socklen_t to_sockaddr(const struct ripc_port_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == 4) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(a->port);
		memcpy(&in->sin_addr, a->ip, 4);
		return sizeof(*in);
	}
	if (a->family == 6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(a->port);
		memcpy(&in6->sin6_addr, a->ip, 16);
		return sizeof(*in6);
	}
	return 0;
}

static void from_sockaddr(const struct sockaddr_storage *ss, struct ripc_port_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

		a->family = 4;
		a->prefix = 32;
		a->port = ntohs(in->sin_port);
		memcpy(a->ip, &in->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

		a->family = 6;
		a->prefix = 128;
		a->port = ntohs(in6->sin6_port);
		memcpy(a->ip, &in6->sin6_addr, 16);
	}
}

/* ---- Sockets ------------------------------------------------------------------------- */

static void set_nodelay(int fd)
{
	int one = 1;

	/* Best effort: without it frames still arrive, only later. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int ripc_port_net_open(int transport, int family)
{
	int type = transport == RIPC_PORT_NET_TCP ? SOCK_STREAM : SOCK_DGRAM;
	int fd;

	if ((transport != RIPC_PORT_NET_TCP && transport != RIPC_PORT_NET_UDP) ||
	    (family != 4 && family != 6))
		return -EINVAL;
	fd = socket(family == 4 ? AF_INET : AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (transport == RIPC_PORT_NET_TCP)
		set_nodelay(fd);
	return fd;
}

int ripc_port_net_bind(int fd, const struct ripc_port_addr *addr)
{
	struct sockaddr_storage ss;
	socklen_t len = to_sockaddr(addr, &ss);
	int one = 1;

	if (len == 0)
		return -EINVAL;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	return bind(fd, (struct sockaddr *)&ss, len) == 0 ? 0 : -errno;
}

int ripc_port_net_listen(int fd)
{
	return listen(fd, 8) == 0 ? 0 : -errno;
}

int ripc_port_net_accept(int fd, struct ripc_port_addr *peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int c = accept4(fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (c < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	set_nodelay(c);
	if (peer != NULL)
		from_sockaddr(&ss, peer);
	return c;
}

int ripc_port_net_connect(int fd, const struct ripc_port_addr *addr)
{
	struct sockaddr_storage ss;
	socklen_t len = to_sockaddr(addr, &ss);

	if (len == 0)
		return -EINVAL;
	if (connect(fd, (struct sockaddr *)&ss, len) == 0)
		return 0;
	return errno == EINPROGRESS || errno == EINTR ? -EINPROGRESS : -errno;
}

int ripc_port_net_connected(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		return -errno;
	return -err;
}

int ripc_port_net_send(int fd, const void *buf, size_t len, const struct ripc_port_addr *to)
{
	struct sockaddr_storage ss;
	socklen_t slen = 0;
	ssize_t n;

	if (to != NULL) {
		slen = to_sockaddr(to, &ss);
		if (slen == 0)
			return -EINVAL;
	}
	do {
		n = sendto(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT,
			   slen != 0 ? (struct sockaddr *)&ss : NULL, slen);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return (int)n;
}

int ripc_port_net_recv(int fd, void *buf, size_t cap, struct ripc_port_addr *from)
{
	struct sockaddr_storage ss;
	struct iovec iov = {.iov_base = buf, .iov_len = cap};
	struct msghdr msg = {
		.msg_name = &ss, .msg_namelen = sizeof(ss), .msg_iov = &iov, .msg_iovlen = 1};
	ssize_t n;

	memset(&ss, 0, sizeof(ss));
	do {
		/* No MSG_TRUNC flag: on TCP it would discard the data. A cut datagram is
		 * reported in msg_flags instead. */
		n = recvmsg(fd, &msg, MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (from != NULL)
		from_sockaddr(&ss, from);
	if (msg.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	return (int)n;
}

int ripc_port_net_wait(struct ripc_port_net_wait_item *items, size_t n, int64_t deadline_ns)
{
	struct pollfd pfd[8];
	size_t i;
	int r;

	if (n > sizeof(pfd) / sizeof(pfd[0]))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		pfd[i].fd = items[i].fd;
		pfd[i].events = (short)(((items[i].want & RIPC_PORT_NET_IN) ? POLLIN : 0) |
					((items[i].want & RIPC_PORT_NET_OUT) ? POLLOUT : 0));
		pfd[i].revents = 0;
		items[i].got = 0;
	}
	for (;;) {
		struct timespec ts, *tsp = NULL;

		if (deadline_ns != RIPC_PORT_FOREVER) {
			int64_t left = deadline_ns - ripc_port_clock_ns();

			if (left < 0)
				left = 0;
			ts.tv_sec = (time_t)(left / 1000000000);
			ts.tv_nsec = (long)(left % 1000000000);
			tsp = &ts;
		}
		r = ppoll(pfd, (nfds_t)n, tsp, NULL);
		if (r >= 0 || errno != EINTR)
			break;
	}
	if (r < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		short ev = pfd[i].revents;

		items[i].got = ((ev & POLLIN) ? RIPC_PORT_NET_IN : 0u) |
			       ((ev & POLLOUT) ? RIPC_PORT_NET_OUT : 0u) |
			       ((ev & (POLLERR | POLLHUP | POLLNVAL)) ? RIPC_PORT_NET_ERR : 0u);
	}
	return r;
}

void ripc_port_net_close(int fd)
{
	if (fd >= 0)
		(void)close(fd);
}

/* ---- Notifier --------------------------------------------------------------------------- */

int ripc_port_net_notifier(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	return fd >= 0 ? fd : -errno;
}

void ripc_port_net_notify(int fd)
{
	uint64_t one = 1;

	/* A full counter is already readable, which is all a notify has to achieve. */
	(void)!write(fd, &one, sizeof(one));
}

void ripc_port_net_drain(int fd)
{
	uint64_t v;

	(void)!read(fd, &v, sizeof(v));
}
