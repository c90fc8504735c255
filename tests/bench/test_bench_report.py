#!/usr/bin/env python3
"""Self-test of the bench's arithmetic and interface lines (no VM): the CPU-per-I/O accounting
from fio's pre/post snapshots, the medians and paired ratios of a results record with two kinds,
and the closing line `bench: worst ratio R (KIND LEVEL WORKLOAD)`. Run by the unit suite of
`make check` (tests/unit/run.sh); prints `bench-selftest: N passed, N failed`."""
import os
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
from workloads import WORKLOADS, parse_cost  # noqa: E402

STAT = "   10 0 {rs} 0   20 0 {ws} 0 0 0 0 0 0 0 0 0 0"


def snap(busy_user, system, sectors_read=0, sectors_written=0, irq=1):
    # /proc/stat's cpu line (user nice system idle iowait irq softirq steal) and a device stat
    return (f"cpu  {busy_user} 0 {system} 5000 7 {irq} {irq + 1} 0 0 0\n"
            + STAT.format(rs=sectors_read, ws=sectors_written) + "\n")


def snaps_for_all(per_job):
    out = {}
    for w in WORKLOADS:
        pre, post = per_job(w)
        out[w.key + ".pre"], out[w.key + ".post"] = pre, post
    return out


class Cost(unittest.TestCase):
    def test_cpu_per_io(self):
        # 1000 blocks moved in 60 busy ticks of 10 ms (30 user, 20 system, 5 irq, 5 softirq;
        # idle and iowait do not count) = 600 us each, 300 of them in the kernel
        def job(w):
            n = 1000 * w.block_bytes // 512
            return snap(100, 40), snap(130, 60, sectors_read=n, irq=6)
        cost = parse_cost(snaps_for_all(job))
        self.assertAlmostEqual(cost["randread"]["cpu_us"], 600.0)
        self.assertAlmostEqual(cost["randread"]["sys_us"], 300.0)
        self.assertAlmostEqual(cost["seqwrite"]["cpu_us"], 600.0)

    def test_missing_snapshot_is_an_error(self):
        snaps = snaps_for_all(lambda w: (snap(1, 1), snap(2, 2, 8, 8)))
        del snaps["seqwrite.post"]
        with self.assertRaises(ValueError):
            parse_cost(snaps)

    def test_no_io_is_an_error(self):
        with self.assertRaises(ValueError):
            parse_cost(snaps_for_all(lambda w: (snap(1, 1), snap(2, 2))))

    def test_garbage_is_an_error(self):
        with self.assertRaises(ValueError):
            parse_cost(snaps_for_all(lambda w: ("cat: no such file\n", "x\n")))


def level_record(rc, md, rc_cost=None, md_cost=None):
    def side(xs, cs):
        return {"status": "ok", "samples": {w.key: list(xs) for w in WORKLOADS},
                "cost": {w.key: list(cs) for w in WORKLOADS} if cs else {}}
    return {"raidcluster": side(rc, rc_cost), "md": side(md, md_cost)}


def results(levels):
    return {"baseline": {w.key: [100.0] for w in WORKLOADS}, "levels": levels}


class Rows(unittest.TestCase):
    def test_paired_median_and_cpu_ratio(self):
        rows = report.summarize(results({"0": level_record([90, 200, 110], [100, 100, 100],
                                                           [30, 40, 50], [40, 40, 40])}), 4)
        r = rows[0]
        self.assertAlmostEqual(r["ratio"], 1.1)           # median of 0.9, 2.0, 1.1
        self.assertEqual(r["ratio_range"], [0.9, 2.0])
        self.assertAlmostEqual(r["cpu_ratio"], 1.0)       # 40 / 40
        self.assertEqual(r["raidcluster_cpu_us"], 40)

    def test_worst_line_over_kinds(self):
        fast = report.summarize(results({"5": level_record([80], [100])}), 4)
        emu = report.summarize(results({"0": level_record([120], [100]),
                                        "5": level_record([90], [100])}), 4)
        line = report.worst_line_kinds({"emulated": emu, "fast": fast})
        label = WORKLOADS[0].label
        self.assertEqual(line, f"bench: worst ratio 0.80 (fast RAID5 {label})")

    def test_worst_line_when_nothing_ran(self):
        self.assertEqual(report.worst_line_kinds({"fast": []}),
                         "bench: worst ratio n/a (no level ran on both raidcluster and md)")


if __name__ == "__main__":
    res = unittest.TextTestRunner(verbosity=1).run(
        unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__]))
    bad = len(res.failures) + len(res.errors)
    print(f"bench-selftest: {res.testsRun - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)
