"""The member-command census of `make bench` (`bench.py --census`): how many commands, of which
average size, each system sends to the member disks for a fixed amount of work.

Under TCG the emulated CPU, not the disks, limits throughput, and timings move 2-3x with the
host's load. Command counts do not: they depend only on how a driver cuts, routes and merges
I/O. So the census explains a ratio of the timed bench (Documentation/performance.md, "Why some
ratios are below 1.0") and shows whether a data-path change did what it meant to, on a busy
machine too. For each level and workload it runs fio for a fixed amount of I/O (not for a time)
on raidcluster and on md over the same members, and reads /sys/block/sdX/stat of every member
before and after.
"""
import json

from targets import BenchError, on_target

# A fixed amount of work per workload (bytes moved by fio), enough to cover several rows of
# every level: 1 MiB streams over 128 MiB at queue depth 4, 4 KiB random I/O over 16 MiB at
# queue depth 16 (the timed bench's depths).
CENSUS_WORK = [
    ("seqread", "read", "1M", 4, 128 << 20),
    ("seqwrite", "write", "1M", 4, 128 << 20),
    ("randread", "randread", "4k", 16, 16 << 20),
    ("randwrite", "randwrite", "4k", 16, 16 << 20),
]


def member_names(g, members):
    """The guest's sdX names of the member disks, in member order."""
    out = g.ok("for d in " + " ".join(d.dev for d in members) +
               "; do basename $(readlink -f $d); done")
    names = out.split()
    if len(names) != len(members):
        raise BenchError(f"census: member names {names} for {len(members)} members")
    return names


def read_stats(g, names):
    """{sdX: (reads, read sectors, writes, write sectors)} from /sys/block/sdX/stat."""
    out = g.ok("for n in " + " ".join(names) + "; do echo $n $(cat /sys/block/$n/stat); done")
    stats = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 8 and f[0] in names:
            stats[f[0]] = (int(f[1]), int(f[3]), int(f[5]), int(f[7]))
    if set(stats) != set(names):
        raise BenchError(f"census: no stat for {sorted(set(names) - set(stats))}")
    return stats


def one(g, dev, names, rw, bs, depth, amount):
    """Run one fixed-size fio job on dev; returns the member-command delta."""
    before = read_stats(g, names)
    g.ok(f"fio --name=census --filename={dev} --ioengine=libaio --direct=1 --rw={rw} "
         f"--bs={bs} --iodepth={depth} --io_size={amount} --norandommap --randrepeat=0 "
         f"--output=/dev/null", timeout=600)
    # the bitmap's lazy clearing and md's superblock updates also write: count them too,
    # they are part of what each system costs
    after = read_stats(g, names)
    per = []
    for n in names:
        d = [a - b for a, b in zip(after[n], before[n])]
        per.append({"reads": d[0], "read_kib": d[1] // 2, "writes": d[2], "write_kib": d[3] // 2})
    return {
        "members": per,
        "reads": sum(p["reads"] for p in per),
        "read_kib": sum(p["read_kib"] for p in per),
        "writes": sum(p["writes"] for p in per),
        "write_kib": sum(p["write_kib"] for p in per),
    }


def census(g, target, members, all_disks):
    """Build target, run every census workload on it, tear down, wipe. Returns
    {workload: delta}."""
    names = member_names(g, members)
    return on_target(g, target, all_disks, lambda dev: {
        key: one(g, dev, names, rw, bs, depth, amount)
        for key, rw, bs, depth, amount in CENSUS_WORK})


def fmt(delta, key):
    """'512 x 64 KiB' for the read or write side that the workload is about."""
    side = "reads" if key.endswith("read") else "writes"
    n = delta[side]
    kib = delta["read_kib" if side == "reads" else "write_kib"]
    text = f"{n} x {kib / n:.0f} KiB" if n else "0"
    other = "writes" if side == "reads" else "reads"
    if delta[other]:
        okib = delta["write_kib" if other == "writes" else "read_kib"]
        text += f" (+{delta[other]} {other[:-1]}s, {okib} KiB)"
    return text


def cell(d, key):
    if "error" in d:
        return "error: " + d["error"]
    if "na" in d:
        return "n/a (" + d["na"] + ")"
    return fmt(d[key], key)


def table(results):
    """Markdown table: level, workload, raidcluster's and md's member commands. results:
    {level: {system: {workload: delta} or {"error": text} or {"na": text}}}."""
    lines = ["| level | workload | raidcluster: member commands | md: member commands |",
             "|---|---|---|---|"]
    for lv, systems in results.items():
        for key, *_ in CENSUS_WORK:
            rc, md = (cell(systems[s], key) for s in ("raidcluster", "md"))
            lines.append(f"| RAID {lv} | {key} | {rc} | {md} |")
    return "\n".join(lines)


def dump(results, path):
    with open(path, "w") as f:
        json.dump(results, f, indent=1)
