/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief ripc-bench internals: run parameters, what the two sides report through shared
 *        memory, and the results the reports print.
 */
#ifndef RIPC_BENCH_RUN_H
#define RIPC_BENCH_RUN_H

#include <stdatomic.h>

#include "bench.h"

/** Round trips one pingpong run records at most. */
#define BENCH_MAX_SAMPLES (1u << 19)

/** How every measurement runs (options.c fills it). */
struct bench_params {
	int64_t warm_ns;    /**< Warm-up before each measured phase. */
	int64_t measure_ns; /**< Length of each measured phase. */
	int reps;           /**< Repetitions; medians are reported. */
	bool emulated;      /**< Under qemu-user: timings mean nothing. */
	bool quick;         /**< --quick. */
	int ncpu;           /**< CPUs to pin the sides to: 0 (no pinning), 1 or 2. */
	int cpu[2];         /**< Their numbers. */
	int64_t timeout_ns; /**< A run that takes longer is killed and reported failed. */
};

/** What one side reports about one run. */
struct bench_side_out {
	int rc;              /**< 0, or the negative errno it failed with. */
	char err[120];       /**< What failed. */
	int64_t cpu_ns;      /**< CPU time of the process during the measured phase. */
	uint64_t count;      /**< Round trips, messages, payloads or operation pairs. */
	uint64_t sent;       /**< Stream: messages sent (more than count when lossy). */
	int64_t elapsed_ns;  /**< Measured phase, wall clock. */
	uint64_t nsamples;   /**< Pingpong: round-trip samples in bench_ctl::samples. */
	uint64_t sum;        /**< Bulk: checksum of what was read (keeps the reads real). */
	int64_t futex_calls; /**< ripc uncontended: futex system calls seen; -1 unknown. */
};

/** The runner's shared page: start barrier, both sides' reports, latency samples. */
struct bench_ctl {
	_Atomic int ready;
	pid_t pids[2];
	struct bench_side_out out[2];
	uint32_t samples[BENCH_MAX_SAMPLES];
};

/** Repetitions one measurement keeps at most. */
#define BENCH_MAX_REPS 32

/** The figures of one repetition. */
struct bench_rep {
	double main; /**< The figure whose spread is reported. */
	double p50, p99, rate, mb, nsop, cpu_a, cpu_b, lost, futex;
};

/** One line of the report: medians over the repetitions of one measurement. */
struct bench_result {
	const struct bench_mech *mech;
	enum bench_scenario sc;
	size_t size;         /**< Message or payload size; 0 for uncontended. */
	bool ok;             /**< False: @c err says why. */
	char err[160];       /**< Failure of the first failed repetition. */
	int reps;            /**< Repetitions that succeeded. */
	double p50_ns;       /**< Pingpong. */
	double p99_ns;       /**< Pingpong. */
	double msgs_per_s;   /**< Stream (and pingpong: round trips per second). */
	double mb_per_s;     /**< Bulk, 10^6 bytes per second. */
	double ns_per_op;    /**< Uncontended: per operation pair. */
	double cpu_a;        /**< CPU ns per message on side A (sender). */
	double cpu_b;        /**< CPU ns per message on side B (receiver). */
	double spread_pct;   /**< (max - min) / median of the main figure over repetitions. */
	double lost_pct;     /**< Stream over a lossy mechanism: messages lost. */
	double futex_per_op; /**< ripc uncontended: futex calls per pair; < 0 unknown. */
	struct bench_rep rep[BENCH_MAX_REPS]; /**< Each repetition, until finished. */
};

/** Run one side of one run (scenario.c); returns the process exit status. */
int bench_side_main(struct bench_chan *c, int side, const struct bench_params *p,
		    struct bench_ctl *ctl);

/** Start the result of measuring @p m in scenario @p sc with @p size (run.c). */
void bench_result_init(struct bench_result *r, const struct bench_mech *m, enum bench_scenario sc,
		       size_t size);
/** Run one more repetition of @p r; a failure marks it failed and ends its repetitions. */
void bench_measure_once(struct bench_result *r, const struct bench_params *p);
/** Medians and spread over the repetitions run. */
void bench_result_finish(struct bench_result *r);

/** Kill what the runner started (children, daemons) on any exit path (run.c). */
void bench_cleanup_register(void (*fn)(void));
void bench_install_signal_cleanup(void);

/* stats.c */
/** p-th percentile (0..100) of @p n samples; sorts them. */
double bench_percentile(uint32_t *v, size_t n, double p);
/** Median of @p n values; sorts them. */
double bench_median(double *v, size_t n);
/** (max - min) / median * 100 of @p n values. */
double bench_spread_pct(const double *v, size_t n);

/* machine.c */
/** Write the "machine" JSON object's members (without braces) to @p f. */
struct bench_machine {
	char arch[72];
	char kernel[144];
	char cpu_model[128];
	int cpus_online;
	char compiler[96];
	char libc[32];
	double loadavg[3];
	long spin_iterations;
	char date[32];
};
void bench_machine_read(struct bench_machine *m);

/* report_table.c, report_json.c, plot.c */
struct bench_report {
	const struct bench_params *params;
	const struct bench_machine *machine;
	const struct bench_result *results;
	size_t nresults;
	const struct bench_mech *const *mechs;
	size_t nmechs;
	unsigned scenarios;   /**< Selected scenarios. */
	const bool *selected; /**< Per mechanism of @c mechs: selected by --mech. */
};
void bench_report_table(const struct bench_report *r);
int bench_report_json(const struct bench_report *r, const char *path);
int bench_report_plot(const struct bench_report *r, const char *path);
/** Printable name: "name" or "name/variant" into @p buf. */
const char *bench_mech_label(const struct bench_mech *m, char *buf, size_t len);

#endif /* RIPC_BENCH_RUN_H */
