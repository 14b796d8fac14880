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


def refused_assignments(kconf):
    out = []
    for sym in kconf.unique_defined_syms:
        want = sym.user_value
        if want is None:
            continue
        if sym.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
            if sym.tri_value != want:
                out.append(f"CONFIG_{sym.name}={kconfiglib.TRI_TO_STR[want]} not possible "
                           f"(unmet dependencies): got {sym.str_value}")
        elif sym.str_value != want:
            out.append(f"CONFIG_{sym.name}={want} not accepted (out of range?): "
                       f"got {sym.str_value}")
    return out


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
    # A fragment overriding the defconfig is the point of fragments, not a warning.
    kconf.warn_assign_override = False
    kconf.warn_assign_redun = False
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
    # kconfiglib quietly drops a value outside its range or a bool with unmet dependencies;
    # a firmware build must not run with a configuration other than the one it asked for.
    refused = refused_assignments(kconf)
    if refused:
        sys.exit("kconfig.py: configuration refused:\n  " + "\n  ".join(refused))

    os.makedirs(os.path.dirname(os.path.abspath(args.config)), exist_ok=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.header)), exist_ok=True)
    kconf.write_config(args.config)
    kconf.write_autoconf(args.header)
    with open(stamp, "w") as f:
        f.write(digest + "\n")


if __name__ == "__main__":
    main()
