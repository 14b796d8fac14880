/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The readable report on stdout: one section per scenario, then the mechanisms that
 *        could not run here and why, then failures.
 */
#include <stdio.h>

#include "run.h"

const char *bench_mech_label(const struct bench_mech *m, char *buf, size_t len)
{
	if (m->variant != NULL)
		snprintf(buf, len, "%s/%s", m->name, m->variant);
	else
		snprintf(buf, len, "%s", m->name);
	return buf;
}

static void header(const struct bench_report *r)
{
	const struct bench_machine *m = r->machine;
	const struct bench_params *p = r->params;

	printf("ripc-bench: %s, %s, %d CPUs, %s, %s, %s\n", m->arch, m->cpu_model, m->cpus_online,
	       m->kernel, m->compiler, m->libc);
	printf("  load average %.2f %.2f %.2f; ripc spin %ld; %d repetition(s) of %lld ms after "
	       "%lld ms warm-up; ",
	       m->loadavg[0], m->loadavg[1], m->loadavg[2], m->spin_iterations, p->reps,
	       (long long)(p->measure_ns / 1000000), (long long)(p->warm_ns / 1000000));
	if (p->ncpu == 2)
		printf("sides pinned to CPUs %d and %d\n", p->cpu[0], p->cpu[1]);
	else
		printf("sides share one CPU\n");
	if (p->emulated)
		printf("  EMULATED (qemu-user): these timings mean nothing; run on the board.\n");
}

static void section(const struct bench_report *r, enum bench_scenario sc, const char *title,
		    const char *cols)
{
	char label[64];
	size_t i;
	bool any = false;

	for (i = 0; i < r->nresults; i++) {
		const struct bench_result *x = &r->results[i];

		if (x->sc != sc || !x->ok)
			continue;
		if (!any)
			printf("\n%s\n%-22s %s\n", title, "mechanism", cols);
		any = true;
		printf("%-22s ", bench_mech_label(x->mech, label, sizeof(label)));
		if (sc == BENCH_PINGPONG)
			printf("%7zu %10.0f %10.0f %10.0f %9.0f %9.0f %6.1f\n", x->size, x->p50_ns,
			       x->p99_ns, x->msgs_per_s, x->cpu_a, x->cpu_b, x->spread_pct);
		else if (sc == BENCH_STREAM)
			printf("%12.0f %9.0f %9.0f %6.2f %6.1f\n", x->msgs_per_s, x->cpu_a,
			       x->cpu_b, x->lost_pct, x->spread_pct);
		else if (sc == BENCH_BULK)
			printf("%10.0f %12.0f %12.0f %6.1f\n", x->mb_per_s, x->cpu_a, x->cpu_b,
			       x->spread_pct);
		else if (x->futex_per_op >= 0)
			printf("%9.1f %9.1f %12.3f %6.1f\n", x->ns_per_op, x->cpu_a,
			       x->futex_per_op, x->spread_pct);
		else
			printf("%9.1f %9.1f %12s %6.1f\n", x->ns_per_op, x->cpu_a, "-",
			       x->spread_pct);
	}
}

static void unavailable_and_failed(const struct bench_report *r)
{
	char label[64];
	size_t i;

	for (i = 0; i < r->nmechs; i++) {
		const char *why = bench_unavailable(r->mechs[i]);

		if (why != NULL && r->selected[i])
			printf("\nunavailable: %-22s %s",
			       bench_mech_label(r->mechs[i], label, sizeof(label)), why);
	}
	printf("\n");
	for (i = 0; i < r->nresults; i++) {
		const struct bench_result *x = &r->results[i];

		if (!x->ok)
			printf("FAILED: %s %s %zu B: %s\n",
			       bench_mech_label(x->mech, label, sizeof(label)),
			       bench_scenario_name(x->sc), x->size, x->err);
	}
}

void bench_report_table(const struct bench_report *r)
{
	header(r);
	section(r, BENCH_PINGPONG,
		"pingpong: round trip between two processes, ns (cpu: CPU ns per one-way message, "
		"side A / side B)",
		"   size        p50        p99  rtrips/s     cpu A     cpu B spread%");
	section(r, BENCH_STREAM, "stream: 64 B messages one way (cpu: CPU ns per message)",
		"      msgs/s     cpu A     cpu B  lost% spread%");
	section(r, BENCH_BULK,
		"bulk: 1 MiB payloads written and read completely (cpu: CPU ns per payload)",
		"      MB/s        cpu A        cpu B spread%");
	section(r, BENCH_UNCONTENDED,
		"uncontended: one process, ns per operation pair (take+give, lock+unlock, ...)",
		"    ns/op cpu ns/op futex/op spread%");
	unavailable_and_failed(r);
}
