/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief The JSON report: machine, the mechanisms this build declares (available or not,
 *        with the reason, and the scenarios each will run), and one entry per measurement
 *        with only the fields that apply to its scenario.
 *
 * The mechanism list lets a checker verify the report against what the program itself
 * says should be there, on any board.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void machine(FILE *f, const struct bench_report *r)
{
	const struct bench_machine *m = r->machine;
	const struct bench_params *p = r->params;

	fprintf(f, "  \"machine\": {\"arch\": ");
	json_string(f, m->arch);
	fprintf(f, ", \"kernel\": ");
	json_string(f, m->kernel);
	fprintf(f, ", \"cpu\": ");
	json_string(f, m->cpu_model);
	fprintf(f, ", \"cpus_online\": %d, \"compiler\": ", m->cpus_online);
	json_string(f, m->compiler);
	fprintf(f, ", \"libc\": ");
	json_string(f, m->libc);
	fprintf(f,
		", \"loadavg\": [%.2f, %.2f, %.2f], \"ripc_spin_iterations\": %ld, \"date\": "
		"\"%s\","
		" \"emulated\": %s, \"quick\": %s, \"reps\": %d, \"measure_ms\": %lld, "
		"\"warmup_ms\": %lld, \"pinned_cpus\": [",
		m->loadavg[0], m->loadavg[1], m->loadavg[2], m->spin_iterations, m->date,
		p->emulated ? "true" : "false", p->quick ? "true" : "false", p->reps,
		(long long)(p->measure_ns / 1000000), (long long)(p->warm_ns / 1000000));
	if (p->ncpu > 0)
		fprintf(f, "%d", p->cpu[0]);
	if (p->ncpu > 1)
		fprintf(f, ", %d", p->cpu[1]);
	fprintf(f, "]},\n");
}

static void mechanisms(FILE *f, const struct bench_report *r)
{
	size_t i;

	fprintf(f, "  \"mechanisms\": [\n");
	for (i = 0; i < r->nmechs; i++) {
		const struct bench_mech *m = r->mechs[i];
		const char *why = bench_unavailable(m);
		const char *sep = "";
		int s;

		fprintf(f, "    {\"mechanism\": \"%s\", ", m->name);
		if (m->variant != NULL)
			fprintf(f, "\"variant\": \"%s\", ", m->variant);
		fprintf(f, "\"selected\": %s, \"available\": %s, ",
			r->selected[i] ? "true" : "false", why == NULL ? "true" : "false");
		if (why != NULL) {
			fprintf(f, "\"reason\": ");
			json_string(f, why);
			fprintf(f, ", ");
		}
		fprintf(f, "\"scenarios\": [");
		for (s = 0; s < BENCH_NSCENARIOS; s++) {
			if (!(m->scenarios & BENCH_SC(s)))
				continue;
			fprintf(f, "%s\"%s\"", sep, bench_scenario_name((enum bench_scenario)s));
			sep = ", ";
		}
		fprintf(f, "]}%s\n", i + 1 < r->nmechs ? "," : "");
	}
	fprintf(f, "  ],\n");
}

static void result(FILE *f, const struct bench_result *x)
{
	fprintf(f, "    {\"mechanism\": \"%s\", ", x->mech->name);
	if (x->mech->variant != NULL)
		fprintf(f, "\"variant\": \"%s\", ", x->mech->variant);
	fprintf(f, "\"scenario\": \"%s\"", bench_scenario_name(x->sc));
	if (x->sc != BENCH_UNCONTENDED)
		fprintf(f, ", \"size\": %zu", x->size);
	if (!x->ok) {
		fprintf(f, ", \"error\": ");
		json_string(f, x->err);
		fprintf(f, "}");
		return;
	}
	if (x->sc == BENCH_PINGPONG)
		fprintf(f, ", \"p50_ns\": %.0f, \"p99_ns\": %.0f, \"round_trips_per_s\": %.0f",
			x->p50_ns, x->p99_ns, x->msgs_per_s);
	if (x->sc == BENCH_STREAM)
		fprintf(f, ", \"msgs_per_s\": %.0f, \"lost_pct\": %.3f", x->msgs_per_s,
			x->lost_pct);
	if (x->sc == BENCH_BULK)
		fprintf(f, ", \"mb_per_s\": %.1f", x->mb_per_s);
	if (x->sc == BENCH_UNCONTENDED) {
		fprintf(f, ", \"ns_per_op\": %.2f", x->ns_per_op);
		if (x->futex_per_op >= 0)
			fprintf(f, ", \"futex_calls_per_op\": %.4f", x->futex_per_op);
	} else {
		fprintf(f,
			", \"cpu_ns_per_msg\": %.1f, \"cpu_ns_per_msg_a\": %.1f, "
			"\"cpu_ns_per_msg_b\": %.1f",
			x->cpu_a + x->cpu_b, x->cpu_a, x->cpu_b);
	}
	fprintf(f, ", \"reps\": %d, \"spread_pct\": %.2f}", x->reps, x->spread_pct);
}

int bench_report_json(const struct bench_report *r, const char *path)
{
	FILE *f = fopen(path, "w");
	const char *sep = "";
	size_t i;
	int s;

	if (f == NULL) {
		fprintf(stderr, "ripc-bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "{\n");
	machine(f, r);
	fprintf(f, "  \"scenarios\": [");
	for (s = 0; s < BENCH_NSCENARIOS; s++) {
		if (!(r->scenarios & BENCH_SC(s)))
			continue;
		fprintf(f, "%s\"%s\"", sep, bench_scenario_name((enum bench_scenario)s));
		sep = ", ";
	}
	fprintf(f, "],\n");
	mechanisms(f, r);
	fprintf(f, "  \"results\": [\n");
	for (i = 0; i < r->nresults; i++) {
		result(f, &r->results[i]);
		fprintf(f, "%s\n", i + 1 < r->nresults ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	if (fclose(f) != 0) {
		fprintf(stderr, "ripc-bench: writing %s failed\n", path);
		return -1;
	}
	return 0;
}
