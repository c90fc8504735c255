#!/usr/bin/env python3
"""The VM suite of `make check`: Debian's 6.1 kernel under qemu TCG running raidcluster.ko and
raidclusterctl against emulated SCSI disks.

    python3 tests/vm/run.py                 every group of every tests/vm/test_*.py
    python3 tests/vm/run.py raid1           one group
    python3 tests/vm/run.py raid1.pull      one test (plus the tests before it in its group,
                                            which set up what it needs)
    python3 tests/vm/run.py --list          the groups and tests
    RC_VM_JOBS=1 python3 tests/vm/run.py    one VM at a time (default 2: this machine has 2 cores)

Each group boots one VM over fresh disk images and runs its tests in order on it. After every
test the guest console is searched for Oops/BUG/WARNING/Call Trace; any hit fails that test.
Prints one line per test and ends with `vm: N passed, N failed`; exits 1 if anything failed.
A test that cannot run on this guest kernel prints `SKIP name: reason` (with the rest of its
group), counted in neither number.
Logs: $RC_VM_DIR/run/<group>/{console.log,transcript.log,cmdline} (default /tmp/rc-vm).
"""
import argparse
import fcntl
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

_print_lock = threading.Lock()


def say(msg):
    with _print_lock:
        print(msg, flush=True)


def collect():
    groups = []
    for path in sorted(glob.glob(os.path.join(HERE, "test_*.py"))):
        mod = importlib.import_module(os.path.basename(path)[:-3])
        groups += mod.GROUPS
    names = [g.name for g in groups]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SystemExit(f"vm: duplicate group names {sorted(dup)}")
    return groups


def select(groups, patterns):
    """[(group, [tests to run])]: a pattern names a group or group.test (fnmatch); a selected
    test brings along the tests before it in its group (they are its setup)."""
    if not patterns:
        return [(g, list(g.tests)) for g in groups]
    out = []
    for g in groups:
        last = -1
        for i, t in enumerate(g.tests):
            full = f"{g.name}.{test_name(t)}"
            if any(fnmatch.fnmatch(g.name, p) or fnmatch.fnmatch(full, p) for p in patterns):
                last = i
        if last >= 0:
            out.append((g, list(g.tests[:last + 1])))
    return out


def test_name(t):
    return t.__name__[5:] if t.__name__.startswith("test_") else t.__name__


class Results:
    def __init__(self):
        self.passed = self.failed = 0
        self.lock = threading.Lock()

    def record(self, name, ok, seconds, detail=""):
        with self.lock:
            if ok:
                self.passed += 1
            else:
                self.failed += 1
        line = f"{'PASS' if ok else 'FAIL'} {name} ({seconds:.1f}s)"
        if detail:
            line += "\n" + "\n".join("    " + l for l in detail.rstrip().splitlines())
        say(line)


def run_group(group, tests, results):
    disks = rcvm.make_disks(group.name, group.serials, group.size_mb,
                            write_cache=group.write_cache,
                            block_sizes={group.serials[i]: bs
                                         for i, bs in group.block_sizes.items()})
    vm = None
    skipped = None
    for t in tests:
        name = f"{group.name}.{test_name(t)}"
        if skipped:
            say(f"SKIP {name}: {skipped}")
            continue
        t0 = time.time()
        try:
            if vm is None or not vm.alive():
                if vm is not None:
                    say(f"     {group.name}: VM died, booting a new one over the same disks")
                    vm.kill()
                vm = rcvm.VM(group.name, disks, hba=group.hba, mem=group.mem,
                             image=group.image, etc=group.etc).start()
                vm.wait_ready()
                say(f"     {group.name}: VM up in {vm.boot_seconds:.1f}s "
                    f"({group.hba}, {len(disks)} disks, {group.image})")
                ctx = vmtest.T(vm, group)
            t0 = time.time()
            try:
                t(ctx)
            finally:
                vm = ctx.vm          # the test may have booted a new VM (T.new_vm)
            problems = vm.kernel_problems()
            if problems:
                raise vmtest.Fail("kernel problems on the console:\n" + "\n".join(problems[:20]))
            if not vm.alive():
                raise vmtest.Fail("qemu exited during the test:\n" + vm.console_tail())
            results.record(name, True, time.time() - t0)
        except vmtest.Skip as e:
            skipped = str(e)
            say(f"SKIP {name}: {skipped}")
        except Exception as e:
            if isinstance(e, (vmtest.Fail, AssertionError)):
                detail = str(e) or traceback.format_exc(limit=-2)
                tb = traceback.extract_tb(e.__traceback__)
                where = [f for f in tb if os.path.basename(f.filename).startswith("test_")]
                if where:
                    detail += f"\n(at {os.path.basename(where[-1].filename)}:{where[-1].lineno})"
            else:
                detail = traceback.format_exc(limit=-3)
            if vm is not None:
                problems = vm.kernel_problems()
                if problems:
                    detail += "\nkernel problems on the console:\n" + "\n".join(problems[:20])
            detail += f"\n(logs: {vm.rundir if vm else rcvm.DIR})"
            results.record(name, False, time.time() - t0, detail)
    if vm is not None:
        vm.poweroff()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("patterns", nargs="*", help="group or group.test (shell wildcards)")
    ap.add_argument("--list", action="store_true")
    opt = ap.parse_args()
    groups = collect()
    if opt.list:
        for g in groups:
            print(f"{g.name} ({g.hba}, {len(g.serials)} disks): "
                  + " ".join(test_name(t) for t in g.tests))
        return 0
    chosen = select(groups, opt.patterns)
    if not chosen:
        print(f"vm: nothing matches {opt.patterns}")
        print("vm: 0 passed, 1 failed")
        return 1
    # One suite per $RC_VM_DIR at a time: two runs would share group names, disk images and
    # run directories (and double the load). A second run waits; a different RC_VM_DIR does not.
    os.makedirs(rcvm.DIR, exist_ok=True)
    suite_lock = open(os.path.join(rcvm.DIR, ".suite.lock"), "a+")   # held until exit
    try:
        fcntl.flock(suite_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        say(f"vm: another VM suite is running in {rcvm.DIR}; waiting for it "
            "(set RC_VM_DIR to run beside it)")
        fcntl.flock(suite_lock, fcntl.LOCK_EX)
    t0 = time.time()
    rcvm.build_guest(quiet=False)
    ko = os.environ.get("RC_KO") or os.path.join(rcvm.REPO, "raidcluster.ko")
    for what, path in (("raidcluster.ko (make module)", ko),
                       ("raidclusterctl (make build/raidclusterctl)",
                        os.path.join(rcvm.REPO, "build", "raidclusterctl"))):
        if not os.path.exists(path):
            say(f"vm: warning: no {what}; the tests that need it will fail")
    results = Results()
    jobs = max(1, min(2, int(os.environ.get("RC_VM_JOBS", "2"))))   # at most 2 VMs at once
    # the longest groups first, so the two workers finish at about the same time: by the
    # last run's durations, else the group's estimate
    times = durations.load("vm")
    pending = sorted(chosen, key=lambda gt: -float(times.get(gt[0].name, gt[0].seconds)))
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not pending:
                    return
                g, tests = pending.pop(0)
            g0 = time.time()
            try:
                run_group(g, tests, results)
            except Exception:
                results.record(g.name, False, 0, traceback.format_exc(limit=-3))
            if len(tests) == len(g.tests):      # a whole group: its time is the next estimate
                with lock:
                    times[g.name] = round(time.time() - g0, 1)

    # daemon workers + a polling join: Ctrl-C reaches the main thread at once, and the qemu
    # processes die with us (rcvm's atexit hook) instead of after the running groups finish
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(jobs)]
    for th in threads:
        th.start()
    try:
        while any(th.is_alive() for th in threads):
            for th in threads:
                th.join(0.5)
    except KeyboardInterrupt:
        rcvm._kill_all()
        print("vm: interrupted")
        print(f"vm: {results.passed} passed, {results.failed + 1} failed")
        return 130
    durations.save("vm", times)
    print(f"vm: total {time.time() - t0:.0f}s")
    print(f"vm: {results.passed} passed, {results.failed} failed")
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
