#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ripc authors
"""Evaluate ripc's Kconfig into a .config and a C header (called by CMake at configure time).

The configuration is the board's defconfig, then each user fragment in order. A .config that
menuconfig edited is kept for as long as the inputs (Kconfig files, defconfig, fragments) stay
the same; a change of inputs rebuilds it from them.
"""
import argparse
import hashlib
import os
import sys

try:
    import kconfiglib
except ImportError:
    sys.exit("kconfig.py: kconfiglib is missing: install python3-kconfiglib (scripts/setup.sh)")


def inputs_digest(kconf, files):
    h = hashlib.sha256()
    for path in sorted(set(kconf.kconfig_filenames)) + files:
        full = path if os.path.isabs(path) else os.path.join(kconf.srctree, path)
        h.update(full.encode())
        with open(full, "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kconfig", required=True)
    ap.add_argument("--defconfig", required=True)
    ap.add_argument("--fragment", action="append", default=[])
    ap.add_argument("--config", required=True, help=".config to write")
    ap.add_argument("--header", required=True, help="C header to write")
    args = ap.parse_args()

    os.environ.setdefault("srctree", os.path.dirname(os.path.abspath(args.kconfig)))
    kconf = kconfiglib.Kconfig(args.kconfig, warn_to_stderr=False)
    inputs = [args.defconfig] + args.fragment
    for path in inputs:
        if not os.path.isfile(path):
            sys.exit(f"kconfig.py: no such configuration file: {path}")
    digest = inputs_digest(kconf, [os.path.abspath(p) for p in inputs])
    stamp = args.config + ".inputs"

    old = open(stamp).read().strip() if os.path.isfile(stamp) else ""
    if old == digest and os.path.isfile(args.config):
        print(kconf.load_config(args.config))
    else:
        print(kconf.load_config(args.defconfig))
        for frag in args.fragment:
            print(kconf.load_config(frag, replace=False))

    for w in kconf.warnings:
        print("kconfig warning:", w, file=sys.stderr)
    # A value a fragment asked for but Kconfig refused (out of range, unmet dependency)
    # would otherwise pass silently; make it an error.
    refused = [w for w in kconf.warnings if "was assigned the value" in w]
    if refused:
        sys.exit("kconfig.py: configuration refused, see the warnings above")

    os.makedirs(os.path.dirname(os.path.abspath(args.config)), exist_ok=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.header)), exist_ok=True)
    kconf.write_config(args.config)
    kconf.write_autoconf(args.header)
    with open(stamp, "w") as f:
        f.write(digest + "\n")


if __name__ == "__main__":
    main()
