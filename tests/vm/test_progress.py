"""Rebuild progress as the admin sees it: while a rebuild throttled by the module parameter
rebuild_speed_max runs, `raidclusterctl status` shows percent, rate and ETA in the drive's
REBUILD column and `status --json` shows rebuild_percent, rebuild_rate_sectors_per_second and rebuild_eta_seconds;
the percent only grows and stays within 0..100, the rate is above zero and the ETA agrees with
the rest at that rate; /proc/raidcluster shows the rebuild advancing on the drive's line.
`raidclusterctl monitor`, started before the pull, prints JSON lines for the drive degraded, the
disk failed, the member rebuilding, progress in tenths, the member online and the drive optimal,
in that order, and `monitor --program` runs its program with EVENT OBJECT VALUE. When the rebuild is over the drive is optimal, the progress fields are
null (nothing to show), and the data written before the member was pulled reads back.

No timing is asserted: the speed limit only makes the rebuild last long enough (several seconds)
for status to be sampled a few times.

rebuild_slow: a RAID 1, a RAID 10 and a RAID 5 each lose a member; each is rebuilt with
rebuild_speed_min = rebuild_speed_max = 100 KiB/s (below one 1 MiB unit per rate period) and
watched for 24 s (two 1 MiB units): it must advance at 50..200 KiB/s, then finishes at full speed. The factor of 2
is the throttle's promise ("about that rate"), not a speed target."""
import json
import re
import time

from schema import checked
from vmtest import Fail, Group

SPEED_KIB = 3000                   # rebuild_speed_max during the test
SIZE = "32M"                       # each member extent: about 11 s of rebuild at SPEED_KIB
TEXT_RE = re.compile(r"(\d+\.\d)% ([\d.]+) MiB/s ETA (\d+):(\d\d)")
PROC_RE = re.compile(r" rebuild (\d+)/(\d+) sectors \((\d+\.\d)%\) (\d+) sectors/s")


def test_progress(t):
    t.load()
    new, ms = t.disks[0], t.disks[1:4]
    # the new disk too, now: right after the unplug it may answer with a unit attention
    t.ctl_ok("attach", *[d.serial for d in ms + [new]])
    t.ctl_ok("create", "p5", "--level", 5, "--stripe", "64K", "--size", SIZE,
             *[a for d in ms for a in ("--disk", d.serial)])
    dev = t.drive_dev("p5")
    t.check(f"dd if=/dev/urandom of=/tmp/pat bs=1M count=8 2>/dev/null && "
            f"dd if=/tmp/pat of={dev} bs=1M oflag=direct 2>/dev/null")
    # raidclusterctl monitor from here on: its JSON lines, and --program's arguments
    t.check("printf '#!/bin/sh\\necho \"$@\" >> /tmp/prog.log\\n' > /tmp/prog && "
            "chmod +x /tmp/prog && (raidclusterctl monitor -q > /tmp/mon.log 2>&1 &) && "
            "(raidclusterctl monitor -q --program /tmp/prog > /dev/null 2>&1 &) && sleep 1")
    t.vm.unplug(ms[-1].serial)
    # the next write finds the member gone: degraded
    t.check(f"dd if=/tmp/pat of={dev} bs=64k count=1 oflag=direct 2>/dev/null")
    if "degraded" not in str(t.drive("p5").get("state")):
        raise Fail(f"p5 not degraded after a write with {ms[-1].serial} pulled: "
                   f"{t.drive('p5')}")
    t.check(f"echo {SPEED_KIB} > /sys/module/raidcluster/parameters/rebuild_speed_max")
    t.ctl_ok("rebuild", "p5", "--disk", new.serial)
    samples, proc_rows, end = [], [], time.time() + 600
    while True:
        out = t.check("raidclusterctl status --json; echo @@; raidclusterctl status; echo @@; "
                      "cat /proc/raidcluster")
        js, text, proc = out.split("@@\n", 2)
        proc_rows.append(next((ln for ln in proc.splitlines() if " 'p5' " in ln), ""))
        ld = [x for x in checked("status", json.loads(js))["logical_drives"]
              if x["name"] == "p5"][0]
        row = [line for line in text.splitlines() if re.search(r"\bp5\b", line)]
        if str(ld["state"]).lower() == "optimal" and not ld["rebuild_total_sectors"]:
            break
        if time.time() > end:
            raise Fail(f"rebuild not over after 600 s: {ld}")
        if ld["rebuild_total_sectors"]:
            samples.append((ld, row[0] if row else ""))
        time.sleep(0.5)
    t.check("echo 200000 > /sys/module/raidcluster/parameters/rebuild_speed_max")
    t.vm._log("# samples:\n" + "\n".join(f"{s[0]} | {s[1]}" for s in samples) + "\n")
    if len(samples) < 3:
        raise Fail(f"only {len(samples)} status samples during the rebuild (throttled to "
                   f"{SPEED_KIB} KiB/s it should last several seconds): {samples}")
    last_json = last_text = -1.0
    rates = text_etas = 0
    for ld, row in samples:
        done, total, rate = ld["rebuild_done_sectors"], ld["rebuild_total_sectors"], ld["rebuild_rate_sectors_per_second"]
        pct = ld.get("rebuild_percent")
        if pct is None or not 0 <= pct <= 100 or pct != 100 * done // total:
            raise Fail(f"rebuild_percent {pct} for {done}/{total}: {ld}")
        if pct < last_json:
            raise Fail(f"rebuild_percent went back from {last_json} to {pct}")
        last_json = pct
        if rate:
            rates += 1
            eta = ld.get("rebuild_eta_seconds")
            if eta is None or eta != -(-(total - done) // rate):
                raise Fail(f"rebuild_eta_seconds {eta} for {total - done} sectors left at "
                           f"{rate} sectors/s: {ld}")
        # the text comes from a second call, a moment later: the rebuild may be over by then
        m = TEXT_RE.search(row) or re.search(r"(\d+\.\d)%", row)
        if not m:
            if "optimal" in row:
                continue
            raise Fail(f"status shows no percent during the rebuild: {row!r}")
        text_etas += TEXT_RE.search(row) is not None
        tp = float(m.group(1))
        if not 0 <= tp <= 100 or tp < last_text or tp < pct:
            raise Fail(f"status percent {tp} after {last_text} (JSON just before: {pct}): "
                       f"{row!r}")
        last_text = tp
    if not rates or not text_etas:
        raise Fail(f"no sample with a rate and an ETA among {len(samples)}: {samples}")
    # /proc/raidcluster: "rebuild DONE/TOTAL sectors (P.P%) RATE sectors/s", then nothing
    progress = [m for m in (PROC_RE.search(r) for r in proc_rows) if m]
    if len(progress) < 2 or any(int(m.group(1)) > int(m.group(2)) for m in progress) or \
            [int(m.group(1)) for m in progress] != sorted(int(m.group(1)) for m in progress):
        raise Fail("/proc/raidcluster did not show the rebuild advancing:\n" +
                   "\n".join(proc_rows))
    if PROC_RE.search(proc_rows[-1]):
        raise Fail(f"/proc/raidcluster still shows a rebuild after the end: {proc_rows[-1]}")
    ld = t.drive("p5")
    if ld.get("rebuild_percent") is not None or ld.get("rebuild_eta_seconds") is not None:
        raise Fail(f"progress fields left after the rebuild: {ld}")
    sysfs = t.check(f"cat /sys/block/{dev.split('/')[-1]}/raidcluster/rebuild").split()
    if sysfs != ["0", "0", "0"]:
        raise Fail(f"sysfs rebuild after the end: {sysfs}")
    t.check(f"dd if={dev} bs=1M count=8 iflag=direct 2>/dev/null | cmp - /tmp/pat")
    check_monitor(t, new)


def check_monitor(t, new):
    """What raidclusterctl monitor saw of the pull and the rebuild, in order."""
    t.sh("killall raidclusterctl; sleep 0.5")
    lines = t.check("cat /tmp/mon.log").splitlines()
    events = []
    for ln in lines:
        try:
            ev = json.loads(ln)
        except ValueError:
            raise Fail(f"monitor printed a line that is not JSON: {ln!r}")
        events.append(checked("event", ev))
    new_idx = [d["index"] for d in t.status()["disks"] if d["serial"] == new.serial][0]
    want = [("drive_state", lambda e: e["device"] == "rcl0" and e["state"] == "degraded"),
            ("member_state", lambda e: e["disk"] == new_idx and e["state"] == "rebuilding"),
            ("rebuild_progress", lambda e: e["percent"] in range(10, 100, 10)),
            ("member_state", lambda e: e["disk"] == new_idx and e["state"] == "online"),
            ("drive_state", lambda e: e["state"] == "optimal")]
    k = 0
    for ev in events:
        if k < len(want) and ev["event"] == want[k][0] and want[k][1](ev):
            k += 1
    if k < len(want):
        raise Fail(f"monitor did not show {want[k][0]} (in order) among:\n" + "\n".join(lines))
    if not any(e["event"] == "disk_state" and e["state"] == "failed" for e in events):
        raise Fail("monitor did not show the pulled disk failed:\n" + "\n".join(lines))
    prog = t.check("cat /tmp/prog.log")
    if "drive_state rcl0 degraded" not in prog or "drive_state rcl0 optimal" not in prog:
        raise Fail(f"monitor --program was not run with EVENT OBJECT VALUE:\n{prog}")


SLOW_KIB = 100                     # rebuild_speed_min = _max in the rebuild_slow group
SLOW_S = 24                        # seconds each level's rebuild is watched: 2 units
# (name, level, members, new disk): disk indexes of the rebuild_slow group
SLOW = [("s1", 1, (0, 1), 2), ("s10", 10, (3, 4, 5, 6), 7), ("s5", 5, (8, 9, 10), 11)]


def speed(t, kib_min, kib_max):
    t.check(f"echo {kib_min} > /sys/module/raidcluster/parameters/rebuild_speed_min && "
            f"echo {kib_max} > /sys/module/raidcluster/parameters/rebuild_speed_max")


def test_slow_setup(t):
    t.load()
    t.ctl_ok("attach", *[d.serial for d in t.disks])
    for name, level, members, _ in SLOW:
        t.ctl_ok("create", name, "--level", level, "--stripe", "64K", "--size", "16M",
                 *["--assume-clean"] * (level == 5),
                 *[a for i in members for a in ("--disk", t.disks[i].serial)])
        dev = t.drive_dev(name)
        t.vm.unplug(t.disks[members[-1]].serial)
        t.check(f"dd if=/dev/urandom of={dev} bs=64k count=4 oflag=direct 2>/dev/null")
        if "degraded" not in str(t.drive(name).get("state")):
            raise Fail(f"{name} not degraded with a member pulled: {t.drive(name)}")


def slow_rebuild(t, name):
    """A rebuild limited to SLOW_KIB KiB/s advances at about that rate: within a factor of 2
    over SLOW_S seconds (a unit of 1 MiB takes 10 s at this limit: the throttle must carry
    its debt from one rate period to the next)."""
    _, level, members, new = next(x for x in SLOW if x[0] == name)
    speed(t, SLOW_KIB, SLOW_KIB)
    t0 = time.time()
    t.ctl_ok("rebuild", name, "--disk", t.disks[new].serial)
    time.sleep(SLOW_S)
    ld = t.drive(name)
    secs = time.time() - t0
    speed(t, 1000, 200000)             # the defaults: the rest at full speed
    kib_s = ld["rebuild_done_sectors"] / 2 / secs
    print(f"     {name} (RAID {level}) at {SLOW_KIB} KiB/s: {ld['rebuild_done_sectors']} sectors in "
          f"{secs:.0f} s = {kib_s:.0f} KiB/s", flush=True)
    end = time.time() + 120
    while (t.drive(name) or {}).get("state") != "optimal":
        if time.time() > end:
            raise Fail(f"{name}: not optimal 120 s after the limit was lifted: {t.drive(name)}")
        time.sleep(0.5)
    if not SLOW_KIB / 2 <= kib_s <= SLOW_KIB * 2:
        raise Fail(f"{name}: {kib_s:.0f} KiB/s under a limit of {SLOW_KIB} KiB/s "
                   f"({ld['rebuild_done_sectors']} sectors in {secs:.0f} s): {ld}")


def test_slow_raid1(t):
    slow_rebuild(t, "s1")


def test_slow_raid10(t):
    slow_rebuild(t, "s10")


def test_slow_raid5(t):
    slow_rebuild(t, "s5")


GROUPS = [Group("rebuild_progress", [test_progress], disks=4, size_mb=128),
          Group("rebuild_slow", [test_slow_setup, test_slow_raid1, test_slow_raid10,
                                 test_slow_raid5], disks=12, size_mb=64)]
