#!/usr/bin/env python3
"""The cluster suite of `make check`: scenarios on several qemu VMs sharing disk images
(tests/vm/cluster.py), one `PASS cluster.NAME` / `FAIL cluster.NAME` line each.

    python3 tests/vm/run_cluster.py             every scenario of every tests/vm/cluster_*.py
    python3 tests/vm/run_cluster.py NAME...     those scenarios (shell wildcards)
    python3 tests/vm/run_cluster.py --list

A scenario is a function f(name) that builds its own Cluster and raises (assert, vmtest.Fail)
on failure; every node's console is searched for kernel problems afterwards, as in the VM suite.
Scenarios run one after another: each boots several VMs, and the machine has 2 cores. Ends with
`cluster: N passed, N failed`; exits 1 if anything failed. Logs: $RC_VM_DIR/run/<scenario>-nK/.
"""
import argparse
import fnmatch
import glob
import importlib
import os
import sys
import time
import traceback

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import rcvm  # noqa: E402
import vmtest  # noqa: E402


def collect():
    out = []
    for path in sorted(glob.glob(os.path.join(HERE, "cluster_*.py"))):
        mod = importlib.import_module(os.path.basename(path)[:-3])
        out += mod.SCENARIOS
    return out


def name_of(fn):
    return fn.__name__[len("scenario_"):] if fn.__name__.startswith("scenario_") else fn.__name__


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("patterns", nargs="*")
    ap.add_argument("--list", action="store_true")
    opt = ap.parse_args()
    scenarios = collect()
    if opt.list:
        for fn in scenarios:
            print(name_of(fn))
        return 0
    if opt.patterns:
        scenarios = [fn for fn in scenarios
                     if any(fnmatch.fnmatch(name_of(fn), p) for p in opt.patterns)]
    rcvm.build_guest(quiet=False)
    passed = failed = 0
    t_all = time.time()
    for fn in scenarios:
        name = name_of(fn)
        t0 = time.time()
        try:
            fn(name)
            print(f"PASS cluster.{name} ({time.time() - t0:.1f}s)", flush=True)
            passed += 1
        except Exception as e:
            detail = str(e) if isinstance(e, (vmtest.Fail, AssertionError)) and str(e) \
                else traceback.format_exc(limit=-3)
            print(f"FAIL cluster.{name} ({time.time() - t0:.1f}s)\n"
                  + "\n".join("    " + line for line in detail.rstrip().splitlines())
                  + f"\n    (logs: {rcvm.DIR}/run/{name}-n*)", flush=True)
            failed += 1
        finally:
            rcvm._kill_all()
    print(f"cluster: total {time.time() - t_all:.0f}s")
    print(f"cluster: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
