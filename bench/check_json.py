#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ripc authors
"""Check a ripc-bench --json report: well formed and complete, never its speed.

Complete means: every mechanism the issue names is declared (available or, with a reason,
unavailable); every declared mechanism that is available and selected has exactly one
successful result for every selected scenario it supports (pingpong at each size), with
the fields of that scenario as finite positive numbers; nothing else is reported.

usage: check_json.py REPORT.json
"""
import json
import math
import sys

NAMES = ["ripc-mbox", "ripc-pool", "ripc-sem", "ripc-event", "ripc-mutex", "ripc-link-tcp",
         "ripc-link-udp", "pipe", "fifo", "sysv-msq", "posix-mq", "unix-stream", "unix-dgram",
         "unix-seqpacket", "tcp", "udp", "eventfd", "signal", "sysv-sem", "posix-sem",
         "pthread-mutex", "futex", "spin", "iceoryx"]
SIZES = {"pingpong": [8, 64, 1024], "stream": [64], "bulk": [1 << 20], "uncontended": [None]}
FIELDS = {"pingpong": ["p50_ns", "p99_ns", "cpu_ns_per_msg"],
          "stream": ["msgs_per_s", "cpu_ns_per_msg"],
          "bulk": ["mb_per_s", "cpu_ns_per_msg"],
          "uncontended": ["ns_per_op"]}
MACHINE = ["arch", "kernel", "cpu", "cpus_online", "compiler", "libc", "emulated"]


def key(entry, size):
    return (entry["mechanism"], entry.get("variant"), entry["scenario"], size)


def check(report):
    errors = []
    for field in MACHINE:
        if field not in report.get("machine", {}):
            errors.append("machine: missing %s" % field)
    scenarios = report.get("scenarios", [])
    if not scenarios or any(s not in SIZES for s in scenarios):
        errors.append("bad scenario list %r" % scenarios)
    mechs = report.get("mechanisms", [])
    declared = {m["mechanism"] for m in mechs}
    for name in NAMES:
        if name not in declared:
            errors.append("mechanism %s is not declared" % name)
    expected = set()
    for m in mechs:
        label = m["mechanism"] + ("/" + m["variant"] if "variant" in m else "")
        if not m.get("available"):
            if not m.get("reason"):
                errors.append("%s: unavailable without a reason" % label)
            continue
        if not m.get("selected"):
            continue
        for sc in m.get("scenarios", []):
            if sc not in SIZES:
                errors.append("%s: unknown scenario %s" % (label, sc))
            elif sc in scenarios:
                for size in SIZES[sc]:
                    expected.add((m["mechanism"], m.get("variant"), sc, size))
    seen = set()
    for r in report.get("results", []):
        k = key(r, r.get("size"))
        where = "%s %s" % (k[0] + ("/" + k[1] if k[1] else ""), k[2]) + \
            ("" if k[3] is None else " %d B" % k[3])
        if k in seen:
            errors.append("%s: reported twice" % where)
        seen.add(k)
        if k not in expected:
            errors.append("%s: not expected from the declared mechanisms" % where)
            continue
        if "error" in r:
            errors.append("%s: failed: %s" % (where, r["error"]))
            continue
        for field in FIELDS[k[2]]:
            v = r.get(field)
            if not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
                errors.append("%s: %s is %r" % (where, field, v))
    for k in sorted(expected - seen, key=str):
        errors.append("%s %s %s: missing" % (k[0] + ("/" + k[1] if k[1] else ""), k[2], k[3]))
    return errors, len(seen)


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1]) as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        print("check_json: %s: %s" % (sys.argv[1], e), file=sys.stderr)
        return 1
    errors, n = check(report)
    for e in errors:
        print("check_json: " + e, file=sys.stderr)
    if errors:
        print("check_json: %d problem(s) in %s" % (len(errors), sys.argv[1]))
        return 1
    print("check_json: %s complete: %d results, %d mechanisms declared" %
          (sys.argv[1], n, len(report["mechanisms"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
