/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief What machine the figures come from: CPU, kernel, compiler, C library, load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <ripc/config.h>

#include "run.h"

#ifndef CONFIG_RIPC_SPIN_ITERATIONS
#define CONFIG_RIPC_SPIN_ITERATIONS 0
#endif

/* The value of the first /proc/cpuinfo line starting with @p key. */
static bool cpuinfo_field(const char *key, char *out, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];
	bool found = false;

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char *colon = strchr(line, ':');

		if (strncmp(line, key, strlen(key)) != 0 || colon == NULL)
			continue;
		colon += strspn(colon, ": \t");
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(out, len, "%s", colon);
		found = true;
	}
	fclose(f);
	return found;
}

void bench_machine_read(struct bench_machine *m)
{
	struct utsname u;
	FILE *f;
	time_t now = time(NULL);

	memset(m, 0, sizeof(*m));
	if (uname(&u) == 0) {
		snprintf(m->arch, sizeof(m->arch), "%s", u.machine);
		snprintf(m->kernel, sizeof(m->kernel), "%s %s", u.sysname, u.release);
	}
	if (!cpuinfo_field("model name", m->cpu_model, sizeof(m->cpu_model)) &&
	    !cpuinfo_field("CPU part", m->cpu_model, sizeof(m->cpu_model)))
		snprintf(m->cpu_model, sizeof(m->cpu_model), "unknown");
	m->cpus_online = (int)sysconf(_SC_NPROCESSORS_ONLN);
#if defined(__clang__)
	snprintf(m->compiler, sizeof(m->compiler), "clang %s", __clang_version__);
#elif defined(__GNUC__)
	snprintf(m->compiler, sizeof(m->compiler), "gcc %s", __VERSION__);
#endif
#if defined(__GLIBC__)
	snprintf(m->libc, sizeof(m->libc), "glibc %d.%d", __GLIBC__, __GLIBC_MINOR__);
#else
	snprintf(m->libc, sizeof(m->libc), "musl");
#endif
	f = fopen("/proc/loadavg", "r");
	if (f != NULL) {
		if (fscanf(f, "%lf %lf %lf", &m->loadavg[0], &m->loadavg[1], &m->loadavg[2]) != 3)
			m->loadavg[0] = m->loadavg[1] = m->loadavg[2] = -1;
		fclose(f);
	}
	m->spin_iterations = CONFIG_RIPC_SPIN_ITERATIONS;
	strftime(m->date, sizeof(m->date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
}
