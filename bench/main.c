/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief ripc-bench: measure ripc against the IPC mechanisms of Linux, side by side.
 *
 * Options select mechanisms and scenarios; every selected mechanism that can run here runs
 * every selected scenario it supports, between two forked processes pinned to two CPUs.
 * Mechanisms that cannot run here are listed with the reason. The exit status is 0 when
 * every measurement that should have run did.
 */
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

#define MAX_RESULTS 512

static struct bench_result results[MAX_RESULTS];

struct options {
	struct bench_params p;
	const char *json;
	const char *plot;
	const char *mechs;  /* comma list, NULL: all */
	unsigned scenarios; /* BENCH_SC bits */
	bool list;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ripc-bench [options]\n"
		"  --quick             short smoke run (one repetition, short phases)\n"
		"  --json FILE         write the results as JSON\n"
		"  --plot FILE.png     draw latency and throughput charts (needs gnuplot)\n"
		"  --mech LIST         mechanisms, comma-separated (name or name/variant)\n"
		"  --scenario LIST     pingpong,stream,bulk,uncontended\n"
		"  --reps N            repetitions per measurement (default 5, quick 1)\n"
		"  --time MS           measured phase per repetition (default 300, quick 40)\n"
		"  --warmup MS         warm-up before it (default 100, quick 10)\n"
		"  --emulated          say that timings mean nothing (set by RIPC_TEST_EMULATED)\n"
		"  --no-pin            do not pin the two processes to two CPUs\n"
		"  --list              list the mechanisms and whether they can run here\n");
}

static bool in_list(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		bool start = p == list || p[-1] == ',';
		bool end = p[n] == '\0' || p[n] == ',';

		if (start && end)
			return true;
		p += n;
	}
	return false;
}

static bool mech_selected(const struct options *o, const struct bench_mech *m)
{
	char label[64];

	if (o->mechs == NULL)
		return true;
	return in_list(o->mechs, m->name) || in_list(o->mechs, bench_mech_label(m, label, 64));
}

static unsigned parse_scenarios(const char *list)
{
	unsigned bits = 0;
	int s;

	for (s = 0; s < BENCH_NSCENARIOS; s++)
		if (in_list(list, bench_scenario_name((enum bench_scenario)s)))
			bits |= BENCH_SC(s);
	return bits;
}

/* The first two CPUs this process may run on. */
static void pick_cpus(struct bench_params *p)
{
	cpu_set_t set;
	int i;

	p->ncpu = 0;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return;
	for (i = 0; i < CPU_SETSIZE && p->ncpu < 2; i++)
		if (CPU_ISSET(i, &set))
			p->cpu[p->ncpu++] = i;
}

static int parse(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {{"quick", no_argument, NULL, 'q'},
					      {"json", required_argument, NULL, 'j'},
					      {"plot", required_argument, NULL, 'p'},
					      {"mech", required_argument, NULL, 'm'},
					      {"scenario", required_argument, NULL, 's'},
					      {"reps", required_argument, NULL, 'r'},
					      {"time", required_argument, NULL, 't'},
					      {"warmup", required_argument, NULL, 'w'},
					      {"emulated", no_argument, NULL, 'e'},
					      {"no-pin", no_argument, NULL, 'n'},
					      {"list", no_argument, NULL, 'l'},
					      {"help", no_argument, NULL, 'h'},
					      {NULL, 0, NULL, 0}};
	long reps = -1, time_ms = -1, warm_ms = -1;
	const char *emu = getenv("RIPC_TEST_EMULATED");
	bool pin = true;
	int c;

	memset(o, 0, sizeof(*o));
	o->scenarios = (1u << BENCH_NSCENARIOS) - 1;
	o->p.emulated = emu != NULL && strcmp(emu, "1") == 0;
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 'q':
			o->p.quick = true;
			break;
		case 'j':
			o->json = optarg;
			break;
		case 'p':
			o->plot = optarg;
			break;
		case 'm':
			o->mechs = optarg;
			break;
		case 's':
			o->scenarios = parse_scenarios(optarg);
			break;
		case 'r':
			reps = strtol(optarg, NULL, 10);
			break;
		case 't':
			time_ms = strtol(optarg, NULL, 10);
			break;
		case 'w':
			warm_ms = strtol(optarg, NULL, 10);
			break;
		case 'e':
			o->p.emulated = true;
			break;
		case 'n':
			pin = false;
			break;
		case 'l':
			o->list = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc || o->scenarios == 0) {
		usage(stderr);
		return -1;
	}
	o->p.reps = (int)(reps > 0 ? reps : o->p.quick ? 1 : 5);
	o->p.measure_ns = (time_ms > 0 ? time_ms : o->p.quick ? 40 : 300) * 1000000LL;
	o->p.warm_ns = (warm_ms >= 0 ? warm_ms : o->p.quick ? 10 : 100) * 1000000LL;
	/* Generous: a run is its two phases plus set-up, much slower under emulation. */
	o->p.timeout_ns =
		(o->p.emulated ? 60 : 20) * 1000000000LL + 4 * (o->p.measure_ns + o->p.warm_ns);
	if (pin)
		pick_cpus(&o->p);
	return 0;
}

static void list_mechs(const struct bench_mech *const *mechs, size_t n)
{
	char label[64];
	size_t i;

	for (i = 0; i < n; i++) {
		const char *why = bench_unavailable(mechs[i]);

		printf("%-22s %s%s\n", bench_mech_label(mechs[i], label, sizeof(label)),
		       why ? "unavailable: " : "available", why ? why : "");
	}
}

/* List every selected measurement of every selected mechanism that can run here. */
static size_t plan(const struct options *o, const struct bench_mech *const *mechs, size_t nm,
		   bool *selected)
{
	static const unsigned pp_sizes[] = BENCH_PINGPONG_SIZES;
	size_t i, n = 0;

	for (i = 0; i < nm; i++) {
		const struct bench_mech *m = mechs[i];
		int s, k;

		selected[i] = mech_selected(o, m);
		if (!selected[i] || bench_unavailable(m) != NULL)
			continue;
		for (s = 0; s < BENCH_NSCENARIOS; s++) {
			enum bench_scenario sc = (enum bench_scenario)s;
			int nsizes = sc == BENCH_PINGPONG ? BENCH_NPINGPONG_SIZES : 1;

			if (!(m->scenarios & o->scenarios & BENCH_SC(s)))
				continue;
			for (k = 0; k < nsizes && n < MAX_RESULTS; k++) {
				size_t size = sc == BENCH_PINGPONG ? pp_sizes[k]
					      : sc == BENCH_STREAM ? BENCH_STREAM_SIZE
					      : sc == BENCH_BULK   ? BENCH_BULK_SIZE
								   : 0;

				bench_result_init(&results[n++], m, sc, size);
			}
		}
	}
	return n;
}

/*
 * Run every measurement once per repetition, repetition after repetition: a burst of load
 * from elsewhere then spoils one repetition of several measurements, which the medians
 * absorb, rather than every repetition of one. Returns the number that failed.
 */
static int run_all(const struct options *o, size_t n)
{
	char label[64];
	int failed = 0, rep;
	size_t i;

	for (rep = 0; rep < o->p.reps; rep++) {
		fprintf(stderr, "ripc-bench: repetition %d of %d\n", rep + 1, o->p.reps);
		for (i = 0; i < n; i++) {
			struct bench_result *r = &results[i];

			if (!r->ok)
				continue;
			bench_measure_once(r, &o->p);
			if (rep == 0 || !r->ok)
				fprintf(stderr, "ripc-bench: %-22s %-11s %7zu B %s%s\n",
					bench_mech_label(r->mech, label, sizeof(label)),
					bench_scenario_name(r->sc), r->size,
					r->ok ? "ok" : "FAILED: ", r->ok ? "" : r->err);
		}
	}
	for (i = 0; i < n; i++) {
		bench_result_finish(&results[i]);
		failed += !results[i].ok;
	}
	return failed;
}

int main(int argc, char **argv)
{
	static bool selected[64];
	struct bench_machine machine;
	struct bench_report rep;
	struct options o;
	size_t nm, nres = 0;
	const struct bench_mech *const *mechs;
	int failed;

	if (parse(argc, argv, &o) != 0)
		return 2;
	mechs = bench_mechs(&nm);
	if (o.list) {
		list_mechs(mechs, nm);
		return 0;
	}
	bench_install_signal_cleanup();
	bench_machine_read(&machine);
	nres = plan(&o, mechs, nm, selected);
	failed = run_all(&o, nres);
	memset(&rep, 0, sizeof(rep));
	rep.params = &o.p;
	rep.machine = &machine;
	rep.results = results;
	rep.nresults = nres;
	rep.mechs = mechs;
	rep.nmechs = nm;
	rep.scenarios = o.scenarios;
	rep.selected = selected;
	bench_report_table(&rep);
	if (o.json != NULL && bench_report_json(&rep, o.json) != 0)
		failed++;
	if (o.plot != NULL && bench_report_plot(&rep, o.plot) != 0)
		failed++;
	return failed == 0 ? 0 : 1;
}
