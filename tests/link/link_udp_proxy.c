/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The lossy UDP proxy of the network-namespace tests, as a program:
 *
 *   link_udp_proxy <listen addr:port> <forward addr:port> <seed> <drop%> <dup%> <reorder%>
 *
 * Runs until SIGTERM or SIGINT, then prints what it did to numbered link datagrams.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link_test.h"

static struct udp_proxy proxy;

static void on_signal(int signo)
{
	(void)signo;
	atomic_store(&proxy.stop, 1);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int rc;

	if (argc != 7) {
		fprintf(stderr,
			"usage: link_udp_proxy listen forward seed drop%% dup%% reorder%%\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	proxy.listen = argv[1];
	proxy.forward = argv[2];
	proxy.seed = (uint32_t)strtoul(argv[3], NULL, 0);
	proxy.drop_pct = (unsigned)atoi(argv[4]);
	proxy.dup_pct = (unsigned)atoi(argv[5]);
	proxy.reorder_pct = (unsigned)atoi(argv[6]);
	atomic_init(&proxy.stop, 0);
	rc = udp_proxy_run(&proxy);
	if (rc != 0) {
		fprintf(stderr, "link_udp_proxy: %d\n", rc);
		return 1;
	}
	printf("proxy: numbered=%llu dropped=%llu duplicated=%llu reordered=%llu others=%llu\n",
	       (unsigned long long)proxy.counts.numbered, (unsigned long long)proxy.counts.dropped,
	       (unsigned long long)proxy.counts.duplicated,
	       (unsigned long long)proxy.counts.reordered, (unsigned long long)proxy.counts.others);
	return 0;
}
