/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief --plot: four log-scale charts in one PNG, drawn by gnuplot (pingpong latency,
 *        stream and bulk throughput, uncontended cost), so the comparison reads at a glance.
 *
 * The data goes to gnuplot inline (data blocks in the script on its standard input): no
 * temporary files to clean up.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

/* Size of the pingpong shown on the chart. */
#define PLOT_PP_SIZE 64u

/* The figure a chart shows for @p x. */
static double figure(const struct bench_result *x)
{
	switch (x->sc) {
	case BENCH_PINGPONG:
		return x->p50_ns / 1e3;
	case BENCH_STREAM:
		return x->msgs_per_s;
	case BENCH_BULK:
		return x->mb_per_s;
	default:
		return x->ns_per_op;
	}
}

static bool charted(const struct bench_result *x, enum bench_scenario sc)
{
	return x->ok && x->sc == sc && (sc != BENCH_PINGPONG || x->size == PLOT_PP_SIZE);
}

/* Log-scale bars grow from the bottom of the range: keep the smallest one visible. */
static void yrange(FILE *g, const struct bench_report *r, enum bench_scenario sc)
{
	double lo = 0, hi = 0;
	size_t i;

	for (i = 0; i < r->nresults; i++) {
		const struct bench_result *x = &r->results[i];
		double v = figure(x), top = sc == BENCH_PINGPONG ? x->p99_ns / 1e3 : v;

		if (!charted(x, sc) || v <= 0)
			continue;
		lo = lo == 0 || v < lo ? v : lo;
		hi = top > hi ? top : hi;
	}
	if (lo > 0)
		fprintf(g, "set yrange [%g:%g]\n", lo / 3, hi * 3);
	else
		fprintf(g, "set yrange [*:*]\n");
}

static void block(FILE *g, const struct bench_report *r, const char *name, enum bench_scenario sc)
{
	char label[64];
	size_t i;

	fprintf(g, "$%s << EOD\n", name);
	for (i = 0; i < r->nresults; i++) {
		const struct bench_result *x = &r->results[i];

		if (!charted(x, sc))
			continue;
		fprintf(g, "\"%s\" %.3f", bench_mech_label(x->mech, label, sizeof(label)),
			figure(x));
		if (sc == BENCH_PINGPONG)
			fprintf(g, " %.3f", x->p99_ns / 1e3);
		fprintf(g, "\n");
	}
	fprintf(g, "EOD\n");
}

static void chart(FILE *g, const struct bench_report *r, enum bench_scenario sc, const char *title,
		  const char *ylabel, const char *data, const char *using)
{
	fprintf(g, "set title '%s'\nset ylabel '%s'\n", title, ylabel);
	yrange(g, r, sc);
	fprintf(g, "plot $%s %s\n", data, using);
}

int bench_report_plot(const struct bench_report *r, const char *path)
{
	const struct bench_machine *m = r->machine;
	FILE *g = popen("gnuplot", "w");
	int rc;

	if (g == NULL) {
		fprintf(stderr, "ripc-bench: cannot run gnuplot: %s\n", strerror(errno));
		return -1;
	}
	block(g, r, "pp", BENCH_PINGPONG);
	block(g, r, "st", BENCH_STREAM);
	block(g, r, "bu", BENCH_BULK);
	block(g, r, "un", BENCH_UNCONTENDED);
	fprintf(g, "set terminal pngcairo size 1600,1200 font ',9' noenhanced\nset output '%s'\n",
		path);
	fprintf(g, "set multiplot layout 2,2 title 'ripc-bench: %s, %s, %d CPUs, %s%s'\n", m->arch,
		m->cpu_model, m->cpus_online, m->kernel,
		r->params->emulated ? " (EMULATED: timings mean nothing)" : "");
	fprintf(g, "set style data histograms\nset style histogram clustered gap 1\n"
		   "set style fill solid 0.85 border -1\nset boxwidth 0.9\nset logscale y\n"
		   "set grid ytics mytics\nset xtics rotate by -50 left nomirror\n"
		   "set key top left\nset bmargin 9\nset rmargin 8\nset format y '%%.0s%%c'\n");
	chart(g, r, BENCH_PINGPONG, "pingpong round trip, 64 B (lower is better)", "microseconds",
	      "pp", "using 2:xtic(1) title 'p50', '' using 3 title 'p99'");
	chart(g, r, BENCH_STREAM, "stream, 64 B messages (higher is better)", "messages per second",
	      "st", "using 2:xtic(1) notitle");
	chart(g, r, BENCH_BULK, "bulk, 1 MiB payloads written and read (higher is better)", "MB/s",
	      "bu", "using 2:xtic(1) notitle");
	chart(g, r, BENCH_UNCONTENDED, "uncontended pair in one process (lower is better)",
	      "ns per pair", "un", "using 2:xtic(1) notitle");
	fprintf(g, "unset multiplot\n");
	rc = pclose(g);
	if (rc != 0) {
		fprintf(stderr, "ripc-bench: gnuplot failed (status %d)\n", rc);
		return -1;
	}
	printf("ripc-bench: chart written to %s\n", path);
	return 0;
}
