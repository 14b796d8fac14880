#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ripc authors
#
# Size of libripc.a (text, data, bss summed over its members, from each board's binutils
# `size`) for every board and Kconfig profile (minimal, default, all), as one Markdown table.
# Each board is configured in its own folder under build/size-report (optimised as the
# board presets are, RelWithDebInfo) and its size-report target builds the three profiles.
#
#   scripts/size-report.sh                 every board
#   scripts/size-report.sh rpi3 rpi1       just these
set -euo pipefail

cd "$(dirname "$0")/.."
boards=("$@")
[ ${#boards[@]} -gt 0 ] || boards=(rpi3 rpi4 rpi2 rpi1 native)
out=${RIPC_SIZE_BUILD_DIR:-build/size-report}

echo "| board | profile | text | data | bss | total |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for b in "${boards[@]}"; do
	dir=$out/$b
	log=$dir.log
	mkdir -p "$out"
	if ! { cmake -S . -B "$dir" -DRIPC_BOARD="$b" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DRIPC_BUILD_TESTS=OFF -DRIPC_BUILD_SAMPLES=OFF -DRIPC_BUILD_BENCH=OFF &&
		cmake --build "$dir" --target size-report --parallel 2; } >"$log" 2>&1; then
		tail -30 "$log" >&2
		echo "size-report.sh: board $b failed (log: $log)" >&2
		exit 1
	fi
	# The profile rows; the target's header and its "this build" row are for one board only.
	grep -E "^\| $b \| (minimal|default|all) \|" "$log"
done
