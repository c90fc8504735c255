"""Turning the bench's samples into the table, the JSON record and the closing line.

results = {
  "baseline": {workload: [samples]},                    # one member disk, raw
  "baseline_cost": {workload: [guest CPU us per I/O]},
  "levels": {"0": {"raidcluster": {"status": "ok" | "n/a" | "error", "reason": str,
                                   "samples": {workload: [samples]},
                                   "cost": {workload: [guest CPU us per I/O]}},
                   "md": {...}}},
  "rebuild": {"1": {"raidcluster": {"status", "reason", "samples": [MiB/s], "seconds": [s]},
                    "md": {...}}},
}
"""
import statistics

from workloads import BY_KEY, WORKLOADS, limit_factor

LEVEL_ORDER = [0, 1, 5, 10]


def median(xs):
    return statistics.median(xs) if xs else None


def pair_ratios(rc, md):
    """The per-repetition ratios rc/md, or [] when the repetitions do not line up."""
    if len(rc) == len(md) and rc and all(rc) and all(md):
        return [a / b for a, b in zip(rc, md)]
    return []


def paired_ratio(rc, md):
    """Median over the repetitions of rc/md, each pair measured back to back: the host's load
    drifts over minutes (other VMs, builds), and a pair sees about the same load, so this is
    steadier than the ratio of the two medians. Falls back to that when a repetition of one
    side is missing (the pairs would not line up)."""
    pairs = pair_ratios(rc, md)
    return statistics.median(pairs) if pairs else median(rc) / median(md)


def summarize(results, members):
    """Rows (dicts) of the table: one per level and workload, plus one per rebuild."""
    base = {w.key: median(results["baseline"].get(w.key, [])) for w in WORKLOADS}
    rows = []
    for level in LEVEL_ORDER:
        lv = results["levels"].get(str(level))
        if lv is None:
            continue
        for w in WORKLOADS:
            row = {"level": level, "workload": w.key, "unit": w.unit}
            for sysname in ("raidcluster", "md"):
                s = lv[sysname]
                xs = s["samples"].get(w.key, [])
                row[sysname] = median(xs) if s["status"] == "ok" and xs else None
                row[sysname + "_samples"] = xs
                row[sysname + "_status"] = s["status"]
                row[sysname + "_reason"] = s.get("reason", "")
                cs = s.get("cost", {}).get(w.key, [])
                row[sysname + "_cpu_us"] = median(cs) if s["status"] == "ok" and cs else None
                row[sysname + "_cost_samples"] = cs
            row["cpu_ratio"] = (row["raidcluster_cpu_us"] / row["md_cpu_us"]
                                if row["raidcluster_cpu_us"] and row["md_cpu_us"] else None)
            row["ratio"] = paired_ratio(row["raidcluster_samples"], row["md_samples"]) \
                if row["raidcluster"] and row["md"] else None
            pairs = pair_ratios(row["raidcluster_samples"], row["md_samples"])
            row["ratio_range"] = [min(pairs), max(pairs)] if len(pairs) > 1 else None
            row["ratio_of_medians"] = (row["raidcluster"] / row["md"]
                                       if row["raidcluster"] and row["md"] else None)
            b = base.get(w.key)
            row["limit"] = b * limit_factor(level, members, w.key) if b else None
            rows.append(row)
    for level in LEVEL_ORDER:
        rb = results.get("rebuild", {}).get(str(level))
        if rb is None:
            continue
        row = {"level": level, "workload": "rebuild", "unit": "MiB/s"}
        for sysname in ("raidcluster", "md"):
            s = rb.get(sysname, {"status": "n/a"})
            # (files of the first bench version hold one run as mib_s)
            xs = s.get("samples") or ([s["mib_s"]] if "mib_s" in s else [])
            row[sysname] = median(xs) if s["status"] == "ok" and xs else None
            row[sysname + "_samples"] = xs
            row[sysname + "_status"] = s["status"]
            row[sysname + "_reason"] = s.get("reason", "")
            row[sysname + "_seconds"] = s.get("seconds")
        pairs = pair_ratios(row["raidcluster_samples"], row["md_samples"])
        row["ratio"] = paired_ratio(row["raidcluster_samples"], row["md_samples"]) \
            if row["raidcluster"] and row["md"] else None
        row["ratio_range"] = [min(pairs), max(pairs)] if len(pairs) > 1 else None
        # a rebuild writes one whole member: the replacement disk's streaming write bounds it
        row["limit"] = base.get("seqwrite")
        rows.append(row)
    return rows


def ratio_cell(row):
    """rc/md, with the lowest and highest pair ratio when there were several repetitions:
    a wide range says the host's noise, not the code, decides that row."""
    if row["ratio"] is None:
        return "n/a"
    rng = row.get("ratio_range")
    if rng:
        return f"{row['ratio']:.2f} ({rng[0]:.2f}-{rng[1]:.2f})"
    return f"{row['ratio']:.2f}"


def cell(row, sysname):
    v = row[sysname]
    if v is not None:
        return f"{v:.0f} {row['unit']}"
    st = row[sysname + "_status"]
    if st == "n/a":
        return "n/a"
    return st or "n/a"


def cpu_cell(row, sysname):
    v = row.get(sysname + "_cpu_us")
    return f"{v:.0f}" if v is not None else "-"


def cpu_ratio_cell(row):
    v = row.get("cpu_ratio")
    return f"{v:.2f}" if v is not None else "-"


def table(rows):
    """The human table, one line per row; n/a reasons follow as notes. CPU: the guest's CPU
    microseconds per I/O (one fio block) of raidcluster and md, and their ratio (lower is
    better for raidcluster)."""
    head = ("level", "workload", "raidcluster", "md", "rc/md (pair range)", "CPU us/IO rc",
            "md", "rc/md", "physical limit")
    lines = [head]
    notes = []
    for r in rows:
        label = BY_KEY[r["workload"]].label if r["workload"] in BY_KEY else r["workload"]
        ratio = ratio_cell(r)
        limit = f"{r['limit']:.0f} {r['unit']}" if r.get("limit") else "n/a"
        lines.append((f"RAID{r['level']}", label, cell(r, "raidcluster"), cell(r, "md"),
                      ratio, cpu_cell(r, "raidcluster"), cpu_cell(r, "md"), cpu_ratio_cell(r),
                      limit))
        for sysname in ("raidcluster", "md"):
            reason = r[sysname + "_reason"]
            if r[sysname] is None and reason:
                what = " rebuild" if r["workload"] == "rebuild" else ""
                note = f"RAID{r['level']} {sysname}{what}: {reason}"
                if note not in notes:
                    notes.append(note)
    widths = [max(len(str(l[i])) for l in lines) for i in range(len(head))]
    out = []
    for i, l in enumerate(lines):
        out.append("  ".join(str(c).ljust(widths[j]) if j < 2 else str(c).rjust(widths[j])
                             for j, c in enumerate(l)).rstrip())
        if i == 0:
            out.append("-" * len(out[0]))
    if notes:
        out.append("")
        out += ["note: " + n for n in notes]
    return "\n".join(out)


def worst(rows):
    """(ratio, level, workload) of the lowest rc/md ratio over what ran, or None."""
    rated = [r for r in rows if r["ratio"] is not None]
    if not rated:
        return None
    r = min(rated, key=lambda r: r["ratio"])
    return r["ratio"], r["level"], r["workload"]


def worst_line(rows):
    w = worst(rows)
    if w is None:
        return "bench: worst ratio n/a (no level ran on both raidcluster and md)"
    ratio, level, workload = w
    label = BY_KEY[workload].label if workload in BY_KEY else workload
    return f"bench: worst ratio {ratio:.2f} (RAID{level} {label})"


def worst_of_kinds(rows_by_kind):
    """(ratio, kind, level, workload) of the lowest rc/md ratio over every kind, or None."""
    found = [(w[0], kind, w[1], w[2]) for kind, rows in rows_by_kind.items()
             for w in [worst(rows)] if w is not None]
    return min(found) if found else None


def worst_line_kinds(rows_by_kind):
    """The bench's closing line: `bench: worst ratio R (KIND LEVEL WORKLOAD)`."""
    w = worst_of_kinds(rows_by_kind)
    if w is None:
        return "bench: worst ratio n/a (no level ran on both raidcluster and md)"
    ratio, kind, level, workload = w
    label = BY_KEY[workload].label if workload in BY_KEY else workload
    return f"bench: worst ratio {ratio:.2f} ({kind} RAID{level} {label})"


def markdown(rows):
    """The same table as GitHub markdown, for Documentation/performance.md."""
    out = ["| level | workload | raidcluster | md | rc/md (pair range) | CPU µs/IO rc | md | "
           "rc/md | physical limit |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        label = BY_KEY[r["workload"]].label if r["workload"] in BY_KEY else r["workload"]
        ratio = ratio_cell(r)
        limit = f"{r['limit']:.0f} {r['unit']}" if r.get("limit") else "n/a"
        out.append(f"| RAID {r['level']} | {label} | {cell(r, 'raidcluster')} | "
                   f"{cell(r, 'md')} | {ratio} | {cpu_cell(r, 'raidcluster')} | "
                   f"{cpu_cell(r, 'md')} | {cpu_ratio_cell(r)} | {limit} |")
    return "\n".join(out)
