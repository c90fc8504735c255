#!/usr/bin/env python3
"""make bench-failover: how long the cluster takes to notice a dead node and to let a survivor
write its drive, on three qemu VMs sharing the disks (tests/vm/cluster.py), default timeouts.

    python3 tests/bench/failover.py                 5 repetitions, a 60 s saturating run
    python3 tests/bench/failover.py --reps 7 --load 120

Each repetition: node 0 (a slave) reserves a RAID 1 and writes it; its qemu is SIGKILLed at t0.
  detect    t0 -> the master's kernel log says node 0 is FAILED_SLAVE (the host reads the
            master's console file every 50 ms)
  takeover  t0 -> node 1's `raidclusterctl reserve` succeeded and its first 4 KiB O_DIRECT
            write to the drive was acknowledged (node 1 retries the reserve every 0.2 s: the
            drive is freed once node 0 is fenced)
Node 0 then boots again and rejoins for the next repetition. Then false kills: fio writes with
verification on every node for --load seconds (three TCG guests on the machine's cores); every
FAILED_SLAVE or suspension in any kernel log counts.

Prints the table (median, min, max), writes build/bench/failover-<date>.json (and
failover-latest.json), and ends with one line `failover: detect D s, takeover T s, false kills K`
(medians). Exit status: 0, 1 on an error.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
os.environ.setdefault("RC_VM_DIR", "/tmp/rc-vm-bench")
sys.path.insert(0, os.path.join(REPO, "tests", "vm"))
import rcvm  # noqa: E402
from cluster import Cluster  # noqa: E402
from cluster_resv import make_drive, start3  # noqa: E402


def first_write(vm, dev, name):
    """reserve until it works, then one O_DIRECT write: the time it returned."""
    while True:
        rc, _ = Cluster.ctl(vm, "reserve", name)
        if rc == 0:
            break
        time.sleep(0.2)
    vm.check(f"dd if=/dev/urandom of={dev} bs=4k count=1 oflag=direct 2>/dev/null")
    return time.time()


def one_failover(c, dev):
    a, b, master = c.node(0), c.node(1), c.node(2)
    Cluster.ctl_ok(a, "reserve", "m")
    a.check(f"dd if=/dev/urandom of={dev} bs=64k count=16 oflag=direct 2>/dev/null")
    seen = len(re.findall(r"node 0 is FAILED_SLAVE", master.console()))
    a.kill()
    t0 = time.time()
    detect = None
    while detect is None:
        if len(re.findall(r"node 0 is FAILED_SLAVE", master.console())) > seen:
            detect = time.time() - t0
        elif time.time() - t0 > 60:
            raise RuntimeError("the master did not declare node 0 failed in 60 s")
        time.sleep(0.05)
    take = first_write(b, dev, "m") - t0
    Cluster.ctl_ok(b, "release", "m")
    c.start(which=[0])
    c.join_all(which=[0])
    c.wait_nexus(c.node(0))
    return detect, take


def false_kills(c, devs, seconds):
    for i, dev in devs.items():
        c.node(i).check(
            f"(fio --name=v --filename={dev} --ioengine=libaio --direct=1 --rw=randwrite "
            f"--bs=4k --iodepth=16 --size=40M --verify=crc32c --time_based "
            f"--runtime={seconds} --output=/tmp/fio.out > /tmp/fio.err 2>&1; "
            "echo $? > /tmp/fio.rc) > /dev/null 2>&1 &")
    before = {i: c.node(i).console() for i in c.ids}
    time.sleep(seconds)
    kills = 0
    for i in c.ids:
        c.node(i).check("while [ ! -s /tmp/fio.rc ]; do sleep 1; done", timeout=600)
        new = c.node(i).console()[len(before[i]):]
        kills += len(re.findall(r"is FAILED_SLAVE|suspended \(", new))
    return kills


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--load", type=int, default=60, help="seconds of the saturating run")
    opt = ap.parse_args()
    rcvm.build_guest(quiet=False)
    t_all = time.time()
    samples = []
    with Cluster("failover", nodes=3) as c:
        start3(c)
        dev = make_drive(c, 2, "m", level=1, disks=(0, 3), size="32M")
        for r in range(opt.reps):
            d, t = one_failover(c, dev)
            samples.append({"detect_s": d, "takeover_s": t})
            print(f"failover: repetition {r + 1}/{opt.reps}: detect {d:.2f} s, "
                  f"takeover {t:.2f} s", flush=True)
        devs = {1: make_drive(c, 2, "b", level=1, disks=(1, 4), size="48M"),
                2: make_drive(c, 2, "c", level=1, disks=(2, 5), size="48M"),
                0: dev}
        for i, n in ((0, "m"), (1, "b"), (2, "c")):
            Cluster.ctl_ok(c.node(i), "reserve", n)
        kills = false_kills(c, devs, opt.load)
    det = [s["detect_s"] for s in samples]
    tak = [s["takeover_s"] for s in samples]
    print("\nmeasure    median     min     max   (s, %d repetitions)" % len(samples))
    for label, v in (("detect", det), ("takeover", tak)):
        print(f"{label:<9} {statistics.median(v):7.2f} {min(v):7.2f} {max(v):7.2f}")
    print(f"false kills during {opt.load} s of saturating writes on three nodes: {kills}")
    out = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "seconds": round(time.time() - t_all),
           "machine": {"host": platform.node(), "cpus": os.cpu_count(),
                       "kernel": platform.release()},
           "settings": {"reps": opt.reps, "load_s": opt.load, "hb_period_ms": 1000,
                        "hb_misses": 4, "lease_ms": 3000, "drain_ms": 1000},
           "samples": samples, "false_kills": kills,
           "detect_median_s": statistics.median(det), "detect_max_s": max(det),
           "takeover_median_s": statistics.median(tak), "takeover_max_s": max(tak)}
    bdir = os.path.join(REPO, "build", "bench")
    os.makedirs(bdir, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    for f in (f"failover-{stamp}.json", "failover-latest.json"):
        with open(os.path.join(bdir, f), "w") as fh:
            json.dump(out, fh, indent=1)
    print(f"failover: results in build/bench/failover-{stamp}.json ({out['seconds']} s)")
    print(f"failover: detect {statistics.median(det):.1f} s, takeover "
          f"{statistics.median(tak):.1f} s, false kills {kills}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # one line, then the exit status
        print(f"failover: error: {e}", file=sys.stderr)
        rcvm._kill_all()
        sys.exit(1)
