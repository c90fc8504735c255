#!/usr/bin/env python3
"""The cluster suite of `make check`: scenarios on several qemu VMs sharing disk images
(tests/vm/cluster.py), one `PASS cluster.NAME` / `FAIL cluster.NAME` line each.

    python3 tests/vm/run_cluster.py             every scenario of every tests/vm/cluster_*.py
    python3 tests/vm/run_cluster.py NAME...     those scenarios (shell wildcards)
    python3 tests/vm/run_cluster.py --list

A scenario is a function f(name) that builds its own Cluster and raises (assert, vmtest.Fail)
on failure; every node's console is searched for kernel problems afterwards, as in the VM suite.
Ends with `cluster: N passed, N failed`; exits 1 if anything failed.
Logs: $RC_VM_DIR/run/<scenario>-nK/.

Two scenarios run at once (RC_CLUSTER_JOBS, default 2, 1 = one after another): a scenario's
VMs spend most of its time waiting on the protocol's windows (startup, heartbeats, leases) and
use under one of the two cores together, so a second scenario beside it costs little. A
scenario marked solo (cluster.solo: it saturates the machine on purpose, or measures) runs
alone, before the others. The others start longest first, by the durations the last run
recorded in $RC_VM_DIR/cluster-times.json (declared order without it), so that the two
workers end together.
"""
import argparse
import fnmatch
import glob
import importlib
import os
import sys
import threading
import time
import traceback

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import durations  # noqa: E402
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
    times = durations.load("cluster")
    solo = [fn for fn in scenarios if getattr(fn, "solo", False)]
    rest = sorted((fn for fn in scenarios if not getattr(fn, "solo", False)),
                  key=lambda fn: -float(times.get(name_of(fn), 0)))
    jobs = max(1, min(2, int(os.environ.get("RC_CLUSTER_JOBS", "2"))))
    lock = threading.Lock()
    counts = {"passed": 0, "failed": 0}

    def say(text):
        with lock:
            print(text, flush=True)

    def run(fn):
        name = name_of(fn)
        t0 = time.time()
        try:
            fn(name)
            seconds = time.time() - t0
            say(f"PASS cluster.{name} ({seconds:.1f}s)")
            ok = True
        except Exception as e:
            seconds = time.time() - t0
            detail = str(e) if isinstance(e, (vmtest.Fail, AssertionError)) and str(e) \
                else traceback.format_exc(limit=-3)
            say(f"FAIL cluster.{name} ({seconds:.1f}s)\n"
                + "\n".join("    " + line for line in detail.rstrip().splitlines())
                + f"\n    (logs: {rcvm.DIR}/run/{name}-n*)")
            ok = False
        finally:
            rcvm.kill_named(name + "-")      # what the scenario left running, not the others'
        with lock:
            counts["passed" if ok else "failed"] += 1
            times[name] = round(seconds, 1)

    def worker(queue):
        while True:
            with lock:
                if not queue:
                    return
                fn = queue.pop(0)
            run(fn)

    t_all = time.time()
    try:
        for fn in solo:
            run(fn)
        threads = [threading.Thread(target=worker, args=(rest,), daemon=True)
                   for _ in range(jobs)]
        for th in threads:
            th.start()
        while any(th.is_alive() for th in threads):
            for th in threads:
                th.join(0.5)
    except KeyboardInterrupt:
        rcvm._kill_all()
        print("cluster: interrupted")
        print(f"cluster: {counts['passed']} passed, {counts['failed'] + 1} failed")
        return 130
    durations.save("cluster", times)
    print(f"cluster: total {time.time() - t_all:.0f}s")
    print(f"cluster: {counts['passed']} passed, {counts['failed']} failed")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
