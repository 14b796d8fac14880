#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ripc authors
#
# Fetches the Debian kernels the emulated boards boot (CTest label "system") into the cache
# folder outside the repository, one folder per kernel package:
#
#   $RIPC_DEPS_DIR/kernels/<package>/vmlinuz   the kernel image
#   $RIPC_DEPS_DIR/kernels/<package>/dtbs      its device trees
#   $RIPC_DEPS_DIR/kernels/<package>/modules   its modules (lib/modules/<version>)
#
# Which packages: RIPC_SYSTEM_KERNEL_PACKAGE in boards/*/system.cmake. The versioned package
# (its name carries the kernel ABI, which changes) is resolved through apt-cache, downloaded
# with apt-get download and unpacked with dpkg-deb -x. A kernel already cached is kept, so a
# second run needs no network; --refresh resolves and fetches again.
#
#   scripts/fetch-kernels.sh [--refresh]
set -euo pipefail

cd "$(dirname "$0")/.."
deps_dir=${RIPC_DEPS_DIR:-${HOME:-/root}/.cache/ripc}
kernels=$deps_dir/kernels
refresh=0
[ "${1:-}" = "--refresh" ] && refresh=1

# "linux-image-arm64:arm64" -> "linux-image-6.1.0-50-arm64:arm64"
resolve() {
	local meta=$1 arch=${1#*:} dep
	dep=$(apt-cache depends "$meta" 2>/dev/null |
		sed -nE 's/^ *Depends: (linux-image-[0-9][^ :]*)(:[a-z0-9]+)?$/\1/p' | head -1)
	[ -n "$dep" ] || {
		echo "fetch-kernels: apt-cache cannot resolve $meta (run scripts/setup.sh)" >&2
		return 1
	}
	echo "$dep:$arch"
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

download() {
	local sandbox=()
	# apt's download sandbox user cannot write into root's cache folder.
	[ "$(id -u)" -eq 0 ] && sandbox=(-o APT::Sandbox::User=root)
	(cd "$1" && apt-get download -qq "${sandbox[@]}" "$2")
}

fetch() {
	local meta=$1 dir=$kernels/${1%%:*} pkg tmp
	if [ "$refresh" -eq 0 ] && [ -e "$dir/vmlinuz" ] && [ -d "$dir/modules/kernel" ]; then
		echo "fetch-kernels: ${meta%%:*}: $(cat "$dir/package") (cached)"
		return 0
	fi
	pkg=$(resolve "$meta")
	tmp=$(mktemp -d "$kernels/.fetch.$$.XXXXXX")
	chmod 755 "$tmp"
	# A stale package list names a kernel the mirror has replaced: refresh it once.
	if ! download "$tmp" "$pkg"; then
		as_root apt-get update -qq
		pkg=$(resolve "$meta")
		download "$tmp" "$pkg"
	fi
	dpkg-deb -x "$tmp"/*.deb "$tmp/root"
	rm -f "$tmp"/*.deb
	ln -s "$(cd "$tmp" && echo root/boot/vmlinuz-*)" "$tmp/vmlinuz"
	ln -s "$(cd "$tmp" && echo root/usr/lib/linux-image-*)" "$tmp/dtbs"
	ln -s "$(cd "$tmp" && echo root/lib/modules/*)" "$tmp/modules"
	if [ ! -e "$tmp/vmlinuz" ] || [ ! -d "$tmp/dtbs" ] || [ ! -d "$tmp/modules/kernel" ]; then
		echo "fetch-kernels: $pkg: unexpected package layout" >&2
		return 1
	fi
	echo "${pkg%%:*}" >"$tmp/package"
	# Replace the folder in one step: a reader sees the old kernel or the new one.
	rm -rf "$dir"
	mv "$tmp" "$dir"
	echo "fetch-kernels: ${meta%%:*}: ${pkg%%:*}"
}

mkdir -p "$kernels"
# An interrupted download leaves nothing behind.
trap 'rm -rf "$kernels"/.fetch.$$.*' EXIT
mapfile -t metas < <(sed -nE 's/^set\(RIPC_SYSTEM_KERNEL_PACKAGE ([^ )]+)\)/\1/p' \
	boards/*/system.cmake | sort -u)
for meta in "${metas[@]}"; do
	fetch "$meta"
done
