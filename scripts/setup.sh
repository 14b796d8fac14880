#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ripc authors
#
# Installs what building and testing ripc needs on a Debian 12 machine (run as root):
# host tools, the musl cross compilers for the Raspberry Pi boards, qemu-user, qemu-system,
# the CMocka source package, which the board builds compile for musl themselves, and the
# Debian kernels the emulated boards boot (scripts/fetch-kernels.sh).
# Idempotent: a second run installs nothing and returns quickly.
#
#   scripts/setup.sh           host and board packages (tests of every preset)
#   scripts/setup.sh --host    host packages only (the demo)
set -euo pipefail

mode=${1:-all}
deps_dir=${RIPC_DEPS_DIR:-${HOME:-/root}/.cache/ripc}

host_pkgs=(build-essential cmake python3-kconfiglib libcmocka-dev clang-format binutils pkg-config
	iceoryx libiceoryx-binding-c-dev gnuplot-nox
	clang libclang-rt-14-dev iproute2)
board_pkgs=(musl-tools clang cpio device-tree-compiler qemu-user qemu-system-arm
	gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-arm-linux-gnueabi
	musl-dev:arm64 musl-dev:armhf musl-dev:armel dpkg-dev)

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt-get update sometimes fails on one index (a mirror in sync); retry, then go on with the
# indexes that did arrive: the install below fails clearly if a package is really missing.
apt_update() {
	local i
	for i in 1 2 3; do
		as_root apt-get update -qq && return 0
		sleep $((i * 5))
	done
	echo "setup: apt-get update incomplete, continuing with the indexes it fetched" >&2
}

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
			echo "$p"
	done
}

want=("${host_pkgs[@]}")
if [ "$mode" != "--host" ]; then
	for a in arm64 armhf armel; do
		dpkg --print-foreign-architectures | grep -qx "$a" || as_root dpkg --add-architecture "$a"
	done
	want+=("${board_pkgs[@]}")
fi

mapfile -t todo < <(missing "${want[@]}")
if [ "${#todo[@]}" -gt 0 ]; then
	apt_update
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${todo[@]}"
fi

[ "$mode" = "--host" ] && exit 0

# CMocka source for the musl boards: Debian's binary package is a glibc shared library, no
# use for static musl test programs. The board builds compile this source with their own
# toolchain. Nothing here is ever copied into the repository.
src_list=/etc/apt/sources.list.d/ripc-deb-src.sources
if ! ls "$deps_dir"/cmocka-src/cmocka-*/src/cmocka.c >/dev/null 2>&1; then
	if [ ! -f "$src_list" ]; then
		as_root tee "$src_list" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		apt_update
	fi
	mkdir -p "$deps_dir/cmocka-src"
	(cd "$deps_dir/cmocka-src" && apt-get source -qq --download-only cmocka >/dev/null &&
		dpkg-source -x --no-check ./cmocka_*.dsc >/dev/null)
	mv "$deps_dir"/cmocka-src/cmocka-[0-9]* "$deps_dir/cmocka-src/cmocka-source" 2>/dev/null || true
fi
# Debian's ARM kernels for the emulated boards (CTest label "system"), also kept in $deps_dir.
RIPC_DEPS_DIR=$deps_dir bash "$(dirname "$0")/fetch-kernels.sh"
echo "setup: done (deps in $deps_dir)"
