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


def fio_args(dev, runtime, ramp, output, offset=None, size=None):
    """fio command line (list) for the four workloads on dev, JSON written to output.
    offset/size (bytes) confine a raw member disk to the data area the arrays use."""
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
    return a


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
