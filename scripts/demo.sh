#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ripc authors
#
# The demo: installs what it needs (host packages only), builds the release preset and runs
# the flagship sample: a sensor, a filter and a logger process sharing a ripc domain, then
# the token ping-pong between two processes. An argument sets the plant's run time in
# seconds (default 5).
set -euo pipefail

cd "$(dirname "$0")/.."
bash scripts/setup.sh --host
cmake --preset release >/dev/null
cmake --build --preset release --target ripc-plant ripc-demo >/dev/null
build/release/samples/plant/ripc-plant run "${1:-5}"
echo
build/release/samples/demo/ripc-demo 2
