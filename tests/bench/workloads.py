"""The four fio workloads of the bench, the fio command that runs them, the parsing of fio's JSON,
and the physical limit of each RAID level (a single member's throughput times a factor).

One fio invocation runs all four workloads one after the other (stonewall), so each measurement
of a target pays fio's start-up through the 9p share once, not four times.
"""
import json


class Workload:
    def __init__(self, key, label, rw, bs, iodepth, unit):
        self.key, self.label, self.rw, self.bs, self.iodepth = key, label, rw, bs, iodepth
        self.unit = unit                    # "IOPS" (small random I/O) or "MiB/s" (streaming)

    @property
    def is_read(self):
        return self.rw in ("randread", "read")

    @property
    def block_bytes(self):
        units = {"k": 1 << 10, "M": 1 << 20}
        return int(self.bs[:-1]) * units[self.bs[-1]]

    @property
    def is_random(self):
        return self.rw.startswith("rand")

    def fmt(self, value):
        if value is None:
            return "n/a"
        return f"{value:.0f} {self.unit}"


# Queue depths follow /work/shared/lab/vm/README.md: 16 deep for 4 KiB random I/O (enough to
# keep four members busy), 4 deep for 1 MiB streams (each already spans all members).
WORKLOADS = [
    Workload("randread", "4k randread", "randread", "4k", 16, "IOPS"),
    Workload("randwrite", "4k randwrite", "randwrite", "4k", 16, "IOPS"),
    Workload("seqread", "1M seqread", "read", "1M", 4, "MiB/s"),
    Workload("seqwrite", "1M seqwrite", "write", "1M", 4, "MiB/s"),
]
BY_KEY = {w.key: w for w in WORKLOADS}


# The guest's CPU accounting around each job (fio's exec_prerun/exec_postrun, run by the job's
# own thread before its first and after its last I/O): /proc/stat's cpu line and the measured
# device's /sys/block/X/stat, into /tmp/cost.JOB.pre and .post. Under TCG the guest's CPU time
# follows the instructions the vCPU executed, so CPU per I/O is a steady measure of what the
# whole guest (fio, the block layer, the RAID driver, its workers, the member driver) spent.
SNAP_SCRIPT = """#!/bin/sh
{ head -1 /proc/stat; cat /sys/block/$2/stat; } > /tmp/cost.$1
"""
SNAP_PATH = "/tmp/snap.sh"
USER_HZ = 100           # /proc/stat's unit on every x86 Debian kernel (CONFIG_HZ aside)


def fio_args(dev, runtime, ramp, output, offset=None, size=None, snap=None):
    """fio command line (list) for the four workloads on dev, JSON written to output.
    offset/size (bytes) confine a raw member disk to the data area the arrays use. snap: the
    kernel name of the device (sda, md0, rcl0) whose stat the cost accounting reads (parse_cost);
    None: no accounting."""
    a = ["fio", "--output-format=json", f"--output={output}", f"--filename={dev}",
         "--ioengine=libaio", "--direct=1", "--time_based", f"--runtime={runtime}",
         f"--ramp_time={ramp}", "--norandommap", "--randrepeat=0", "--group_reporting"]
    if offset is not None:
        a.append(f"--offset={offset}")
    if size is not None:
        a.append(f"--size={size}")
    for w in WORKLOADS:
        a += [f"--name={w.key}", f"--rw={w.rw}", f"--bs={w.bs}", f"--iodepth={w.iodepth}",
              "--stonewall"]
        if snap:
            a += [f"--exec_prerun=sh {SNAP_PATH} {w.key}.pre {snap}",
                  f"--exec_postrun=sh {SNAP_PATH} {w.key}.post {snap}"]
    return a


def _snap_values(text):
    """(busy ticks, kernel ticks, bytes moved) of one snapshot: /proc/stat's cpu line (user nice
    system idle iowait irq softirq steal ...) and the device's stat (sectors read is field 3,
    written field 7)."""
    lines = [l.split() for l in text.strip().splitlines() if l.strip()]
    if len(lines) != 2 or lines[0][0] != "cpu" or len(lines[0]) < 9 or len(lines[1]) < 7:
        raise ValueError(f"not a cost snapshot: {text!r}")
    c = [int(x) for x in lines[0][1:9]]
    busy = c[0] + c[1] + c[2] + c[5] + c[6] + c[7]
    kernel = c[2] + c[5] + c[6]
    d = [int(x) for x in lines[1]]
    return busy, kernel, (d[2] + d[6]) * 512


def parse_cost(snaps):
    """{workload key: {"cpu_us": guest CPU microseconds per I/O, "sys_us": of which in the
    kernel (system, irq, softirq)}} from {"JOB.pre"|"JOB.post": snapshot text}. An I/O is one
    fio block (4 KiB or 1 MiB), counted from the bytes the measured device moved in the window,
    so md (bio-based) and raidcluster (blk-mq, which may split a request) count alike."""
    out = {}
    for w in WORKLOADS:
        pre, post = snaps.get(w.key + ".pre"), snaps.get(w.key + ".post")
        if pre is None or post is None:
            raise ValueError(f"no cost snapshots for fio job {w.key}")
        b0, k0, n0 = _snap_values(pre)
        b1, k1, n1 = _snap_values(post)
        ios = (n1 - n0) / w.block_bytes
        if ios <= 0 or b1 < b0:
            raise ValueError(f"fio job {w.key}: no I/O or no CPU counted ({pre!r} -> {post!r})")
        tick_us = 1e6 / USER_HZ
        out[w.key] = {"cpu_us": (b1 - b0) * tick_us / ios, "sys_us": (k1 - k0) * tick_us / ios}
    return out


def parse_fio(text):
    """{workload key: value in the workload's unit} from fio's JSON output. Raises ValueError
    when the text is not fio JSON, a workload is missing, or a job reports an error."""
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON in fio output: " + text[-300:])
    data = json.loads(text[start:])
    out = {}
    for job in data.get("jobs", []):
        w = BY_KEY.get(job.get("jobname"))
        if w is None:
            continue
        if job.get("error"):
            raise ValueError(f"fio job {w.key}: error {job['error']}")
        side = job["read" if w.is_read else "write"]
        if w.unit == "IOPS":
            out[w.key] = float(side["iops"])
        else:
            out[w.key] = float(side["bw_bytes"]) / (1 << 20)
    missing = [w.key for w in WORKLOADS if w.key not in out]
    if missing:
        raise ValueError(f"fio JSON lacks jobs {missing}")
    return out


def limit_factor(level, n, workload):
    """How many members' worth of throughput a level can deliver for a workload (n members):
    RAID 0: n for everything. RAID 1 (n-way mirror): reads n, writes 1 (every member writes
    every block). RAID 10 (2 copies): reads n, writes n/2. RAID 5: streams n-1 (one chunk of
    every row is parity), random reads n, random writes n/4 (a small write costs 4 member I/Os:
    read old data and parity, write both)."""
    w = BY_KEY[workload]
    if level == 0:
        return n
    if level == 1:
        return n if w.is_read else 1
    if level == 10:
        return n if w.is_read else n / 2
    if level == 5:
        if not w.is_random:
            return n - 1
        return n if w.is_read else n / 4
    raise ValueError(f"no limit factor for RAID {level}")
