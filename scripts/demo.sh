#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ripc authors
#
# The demo: installs what it needs (host packages only), builds the release preset and runs
# the demo sample. Extra arguments go to the demo (e.g. the number of seconds).
set -euo pipefail

cd "$(dirname "$0")/.."
bash scripts/setup.sh --host
cmake --preset release >/dev/null
cmake --build --preset release --target ripc-demo >/dev/null
exec build/release/samples/demo/ripc-demo "$@"
