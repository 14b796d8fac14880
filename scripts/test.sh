#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ripc authors
#
# The whole test suite: installs what it needs (scripts/setup.sh), then configures, builds
# and tests every preset: the host (debug, ASan+UBSan, TSan, release) and each Raspberry Pi
# board under qemu-user. Prints one summary line per preset and a total.
#
#   scripts/test.sh                 every preset
#   scripts/test.sh native rpi3     just these
set -uo pipefail

cd "$(dirname "$0")/.."
presets=("$@")
[ ${#presets[@]} -gt 0 ] ||
	presets=(native native-asan native-tsan release fuzz rpi3 rpi4 rpi2 rpi1)

bash scripts/setup.sh || {
	echo "test.sh: setup failed" >&2
	exit 1
}

jobs=$(nproc 2>/dev/null || echo 2)
logdir=build/logs
mkdir -p "$logdir"
total_pass=0 total_fail=0 status=0 summary=()

for p in "${presets[@]}"; do
	start=$(date +%s)
	log=$logdir/$p.log
	echo "=== $p: configure, build, test (log: $log)"
	if ! { cmake --preset "$p" && cmake --build --preset "$p" -j "$jobs"; } >"$log" 2>&1; then
		tail -40 "$log"
		summary+=("$p: BUILD FAILED")
		status=1
		continue
	fi
	# Result lines and SKIP reasons; a failed test's own output is shown in full (up to the
	# next result line), so a CI log explains a failure without the log file.
	ctest --preset "$p" -j "$jobs" 2>&1 | tee -a "$log" | awk '
		/^ *[0-9]+\/[0-9]+ Test/ { show = ($0 ~ /\*\*\*|Failed|Timeout|Not Run/); print; next }
		/tests passed|SKIP/ { print; next }
		show { print }' || true
	line=$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$log" | tail -1)
	failed=$(sed -nE 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/p' <<<"$line")
	count=$(sed -nE 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/p' <<<"$line")
	if [ -z "$count" ]; then
		summary+=("$p: NO TEST RESULT")
		status=1
		continue
	fi
	total_pass=$((total_pass + count - failed))
	total_fail=$((total_fail + failed))
	[ "$failed" -eq 0 ] || status=1
	summary+=("$p: $((count - failed))/$count passed in $(($(date +%s) - start)) s")
done

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "total: $total_pass passed, $total_fail failed"
exit $status
