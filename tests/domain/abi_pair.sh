#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a 32-bit and a 64-bit build of domain_abi_peer against one domain, side by side.
# Usage: abi_pair.sh "<emulator32 ...>" PEER32 "<emulator64 ...>" PEER64 ROUNDS
set -u
emu32=$1 peer32=$2 emu64=$3 peer64=$4 rounds=$5
region=/ripc-test-abi-$$
rm -f /dev/shm${region}
# shellcheck disable=SC2086
$emu32 "$peer32" pong "$region" "$rounds" &
pong=$!
# shellcheck disable=SC2086
$emu64 "$peer64" ping "$region" "$rounds"
ping_rc=$?
wait $pong
pong_rc=$?
rm -f /dev/shm${region}
echo "abi_pair: ping (64-bit) exit $ping_rc, pong (32-bit) exit $pong_rc"
[ $ping_rc -eq 0 ] && [ $pong_rc -eq 0 ]
