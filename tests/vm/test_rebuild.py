"""The rebuild engine (kernel/rebuild.c) with several windows (RAID 5: rows) in flight.

rebuild_errors: member I/O errors (QMP blkdebug, EIO). A read error on the copy it reads from
makes it read that window from another copy and finish; a write error on the new disk ends the
rebuild cleanly. A 3-way RAID 1 over disks 1..3 holding a random pattern; disk 3 is failed by a
write error; disk 0 and disk 4 are the replacement disks.

raid1/5/10_rebuild_writes: foreground writes all over the drive while the rebuild runs with its
pipeline full (both speed limits raised, so the writes do not slow it down): writes into the
fenced range (RAID 5: rows under the engine's stripe locks) wait, writes below the position
reach the new member, writes above it are copied later. Everything must read back right from
the new member alone, and the rebuilt extent must match on the raw images."""
import time

from levels import LEVELS
from vmtest import Fail, Group

DATA_START = 32768                 # sectors: RC_DATA_START_SECTOR
SIZE_MB = 48                       # the drive; written in full with the pattern


def state_of(obj):
    return str((obj or {}).get("state", "")).lower()


def disk_rec(t, serial):
    for x in t.status().get("disks", []):
        if x.get("serial") == serial:
            return x
    raise Fail(f"{serial} not in status --json")


def extent_state(t, serial):
    """State of the extent of drive r on disk `serial` (None: no such extent)."""
    idx = disk_rec(t, serial).get("index")
    for x in (t.drive("r") or {}).get("extents", []):
        if x.get("disk") == idx:
            return state_of(x)
    return None


def wait_rebuild_over(t, serial, timeout=600):
    end = time.time() + timeout
    while time.time() < end:
        st = extent_state(t, serial)
        if st != "rebuilding":
            return st
        time.sleep(1)
    raise Fail(f"rebuild onto {serial} still running after {timeout}s: {t.drive('r')}")


def same_data(t, dev):
    t.check(f"dd if={dev} bs=1M count={SIZE_MB} iflag=direct 2>/dev/null | cmp - /tmp/pat")


def check_health(t, want, what):
    """status --check exits 0 optimal, 1 degraded, 2 offline."""
    rc, out = t.ctl("status", "--check")
    if rc != want:
        raise Fail(f"status --check with {what} exited {rc}, expected {want}:\n{out}")


def test_source_read_error(t):
    # the engine reads from the first usable copy (disk 1); one bad sector there fails that
    # copy, and the window is read again from disk 2: the rebuild completes and the new member
    # holds every byte (checked with disk 2 pulled, and on the raw images)
    d = t.disks
    t.load()
    t.ctl_ok("attach", d[1].serial, d[2].serial, d[3].serial)
    t.ctl_ok("create", "r", "--level", "1", "--size", f"{SIZE_MB}M", "--disk", d[1].serial,
             "--disk", d[2].serial, "--disk", d[3].serial)
    dev = t.drive_dev("r")
    t.check(f"dd if=/dev/urandom of=/tmp/pat bs=1M count={SIZE_MB} 2>/dev/null && "
            f"dd if=/tmp/pat of={dev} bs=1M oflag=direct 2>/dev/null")
    check_health(t, 0, "an optimal drive")
    t.vm.disk_errors(d[3].serial, iotypes=("write",))
    try:
        t.check(f"dd if=/tmp/pat of={dev} bs=4k count=1 oflag=direct 2>/dev/null")
    finally:
        t.vm.disk_errors(d[3].serial, on=False)
    if state_of(t.drive("r")) != "degraded" or extent_state(t, d[3].serial) != "failed":
        raise Fail(f"r after a write error on {d[3].serial}: {t.drive('r')}")
    check_health(t, 1, "a degraded drive")
    # fill the new disk's data area: a window never copied could not pass for a copied one
    t.check(f"fio --name=fill --filename={d[0].dev} --ioengine=psync --direct=1 --rw=write "
            f"--bs=1M --offset={DATA_START * 512} --size={SIZE_MB + 4}M --buffer_pattern=0xa5")
    t.ctl_ok("attach", d[0].serial)
    bad = DATA_START + 29 * 2048 + 5           # 29 MiB + 5 sectors into disk 1's extent
    t.vm.disk_errors(d[1].serial, sector=bad, iotypes=("read",))
    try:
        out = t.ctl_ok("rebuild", "r", "--disk", d[0].serial, "--wait", timeout=600)
        st = wait_rebuild_over(t, d[0].serial)
    finally:
        t.vm.disk_errors(d[1].serial, on=False)
    if f"rebuild onto {d[0].serial} complete" not in out:
        raise Fail(f"rebuild --wait returned before the end, or did not say so:\n{out}")
    if st != "online":
        raise Fail(f"rebuild onto {d[0].serial} ended {st!r} after a read error on the source, "
                   f"expected online (read from the other copy): {t.drive('r')}")
    rec = disk_rec(t, d[1].serial)
    if rec.get("state") != "failed" or not int(rec.get("read_errors", 0)):
        raise Fail(f"{d[1].serial} after the read error under the rebuild: {rec}")
    if state_of(t.drive("r")) != "degraded":
        raise Fail(f"r after the rebuild with disk 1 failed: {t.drive('r')}")
    # the raw images: the new member's extent equals disk 2's
    t.check("sync")
    n = SIZE_MB * 1024 * 1024
    with open(d[2].path, "rb") as a, open(d[0].path, "rb") as b:
        a.seek(DATA_START * 512)
        b.seek(DATA_START * 512)
        if a.read(n) != b.read(n):
            raise Fail(f"the extent rebuilt onto {d[0].serial} differs from {d[2].serial}")
    t.vm.unplug(d[2].serial)
    same_data(t, dev)             # only disk 0 is left to read from


def test_target_write_error(t):
    # a write error on the new disk ends the rebuild: its extent is failed, no write or read
    # reaches it, the drive stays degraded with its data, and the engine holds nothing (writes
    # to the whole drive go through)
    d = t.disks
    dev = t.drive_dev("r")
    t.ctl_ok("attach", d[4].serial)
    t.vm.disk_errors(d[4].serial, sector=DATA_START + 17 * 2048, iotypes=("write",))
    try:
        rc, out = t.ctl("rebuild", "r", "--disk", d[4].serial, "--wait", timeout=600)
        st = wait_rebuild_over(t, d[4].serial)
    finally:
        t.vm.disk_errors(d[4].serial, on=False)
    if rc != 1 or "failed" not in out:
        raise Fail(f"rebuild --wait of a failing rebuild exited {rc}, expected 1 (failed):\n{out}")
    if st != "failed":
        raise Fail(f"rebuild onto {d[4].serial} with a write error ended {st!r}: "
                   f"{t.drive('r')}")
    if state_of(t.drive("r")) != "degraded":
        raise Fail(f"r after the failed rebuild: {t.drive('r')}")
    same_data(t, dev)
    t.check(f"dd if=/tmp/pat of={dev} bs=1M oflag=direct 2>/dev/null", timeout=120)
    same_data(t, dev)
    rc, out = t.ctl("rebuild", "r", "--disk", d[4].serial)
    if rc == 0:
        raise Fail(f"a rebuild onto the failed {d[4].serial} was accepted:\n{out}")


WRITES_MB = 64                     # the drive of the *_rebuild_writes groups
# random writes over the whole drive, 4 KiB (RAID 5: read-modify-write of a row) and 12 KiB
# (straddling chunks and rows), while the rebuild runs
JOBS_DURING = [dict(name="w4k", rw="randwrite", bs="4k", offset="0",
                    size=f"{WRITES_MB // 2}M", number_ios="3000"),
               dict(name="w12k", rw="randwrite", bs="12k", offset=f"{WRITES_MB // 2}M",
                    size=f"{WRITES_MB // 2}M", number_ios="1000")]


def fio_cmd(dev, jobs, verify_only=False):
    """The command vmtest's fio() runs (crc32c verification, psync, O_DIRECT)."""
    args = ["fio", "--ioengine=psync", "--direct=1", "--verify=crc32c", "--verify_fatal=1",
            "--randrepeat=1", "--norandommap", f"--filename={dev}"]
    if verify_only:
        args.append("--verify_only")
    for j in jobs:
        args.append(f"--name={j['name']}")
        args += [f"--{k}={v}" for k, v in j.items() if k != "name"]
    return " ".join(args)


def make_writes_test(lv):
    def test_writes_during_rebuild(t):
        ms = t.disks[1:1 + lv.members]
        new = t.disks[0]
        t.load()
        t.ctl_ok("attach", *[d.serial for d in ms])
        args = ["create", "w", "--level", str(lv.level), "--stripe", "64K",
                "--size", f"{WRITES_MB}M"]
        for d in ms:
            args += ["--disk", d.serial]
        t.ctl_ok(*args)
        dev = t.drive_dev("w")
        t.check(f"dd if=/dev/urandom of={dev} bs=1M count={WRITES_MB} oflag=direct 2>/dev/null")
        t.vm.unplug(ms[-1].serial)
        # a write over every member makes the drive notice
        t.check(f"dd if=/dev/urandom of={dev} bs=1M count=1 oflag=direct 2>/dev/null")
        if state_of(t.drive("w")) != "degraded":
            raise Fail(f"w with {ms[-1].serial} pulled: {t.drive('w')}")
        length = int(t.drive("w")["extents"][0]["length_sectors"])
        t.check(f"fio --name=fill --filename={new.dev} --ioengine=psync --direct=1 --rw=write "
                f"--bs=1M --offset={DATA_START * 512} --size={WRITES_MB}M --buffer_pattern=0xa5")
        t.ctl_ok("attach", new.serial)
        # 10 MB/s with or without foreground I/O: a few seconds, 5 MB issued every half second
        for p in ("rebuild_speed_max", "rebuild_speed_min"):
            t.check(f"echo 10000 > /sys/module/raidcluster/parameters/{p}")
        t.check(f"({fio_cmd(dev, JOBS_DURING)} > /tmp/fio.out 2>&1; echo $? > /tmp/fio.rc) "
                "> /dev/null 2>&1 &")
        t.ctl_ok("rebuild", "w", "--disk", new.serial)
        end = time.time() + 600
        while time.time() < end:
            ld = t.drive("w") or {}
            if t.sh("test -s /tmp/fio.rc")[0] == 0 and state_of(ld) == "optimal":
                break
            time.sleep(1)
        else:
            raise Fail(f"fio or the rebuild not over after 600 s: {t.drive('w')}")
        t.check("echo 1000 > /sys/module/raidcluster/parameters/rebuild_speed_min")
        t.check("echo 200000 > /sys/module/raidcluster/parameters/rebuild_speed_max")
        out = t.sh("cat /tmp/fio.out")[1]
        if t.check("cat /tmp/fio.rc").strip() != "0" or "verify: bad" in out:
            raise Fail(f"fio during the rebuild:\n{out[-3000:]}")
        # the raw images: the whole new extent equals its copy / every row's parity is right
        t.check("sync")
        step = 4 * 1024 * 1024
        files = [open(d.path, "rb") for d in
                 (ms[:-1] + [new] if lv.level == 5 else [ms[-2], new])]
        try:
            for pos in range(0, length * 512, step):
                n = min(step, length * 512 - pos)
                bufs = []
                for f in files:
                    f.seek(DATA_START * 512 + pos)
                    bufs.append(f.read(n))
                if lv.level == 5:
                    acc = 0
                    for b in bufs:
                        acc ^= int.from_bytes(b, "little")
                    bad = acc != 0
                else:
                    bad = bufs[0] != bufs[1]
                if bad:
                    raise Fail(f"rebuilt extent wrong in member sectors {pos // 512}.."
                               f"{(pos + n) // 512}")
        finally:
            for f in files:
                f.close()
        # reads that need the new member: a survivor pulled (RAID 10: the new member's pair)
        t.vm.unplug(ms[-2].serial)
        t.fio_ok(dev, JOBS_DURING, verify_only=True)
    return [test_writes_during_rebuild]


GROUPS = [Group("rebuild_errors", [test_source_read_error, test_target_write_error],
                disks=5, size_mb=96)]
GROUPS += [Group(lv.name + "_rebuild_writes", make_writes_test(lv), disks=lv.members + 1,
                 size_mb=96) for lv in LEVELS if lv.survives_pull]


STRADDLE_MB = 24                   # the drive of raid1_rebuild_straddle


def images_equal(a, b, length_sectors, step=4 << 20):
    """The first member sector where two members' extents (raw images) differ, or None."""
    with open(a.path, "rb") as fa, open(b.path, "rb") as fb:
        for pos in range(0, length_sectors * 512, step):
            n = min(step, length_sectors * 512 - pos)
            fa.seek(DATA_START * 512 + pos)
            fb.seek(DATA_START * 512 + pos)
            x, y = fa.read(n), fb.read(n)
            if x != y:
                i = next(k for k in range(n) if x[k] != y[k])
                return (pos + i) // 512
    return None


def test_writes_straddle_position(t):
    # A RAID 1 rebuild at its lowest speed spends almost all its time between windows, with
    # nothing fenced. Each time the position moves, one 1 MiB write lands across it (half below,
    # half above) while the engine sleeps, and that block is never written again: if the part
    # below the position skipped the new member (md sends a write to every mirror that is not
    # faulty, the recovering one included), it stays stale for good. Afterwards the two mirrors
    # must be byte-identical over the whole extent, on the raw images.
    d = t.disks
    old, keep, new = d[0], d[1], d[2]
    t.load()
    t.ctl_ok("attach", old.serial, keep.serial)
    t.ctl_ok("create", "r", "--level", "1", "--size", f"{STRADDLE_MB}M", "--disk", old.serial,
             "--disk", keep.serial)
    dev = t.drive_dev("r")
    t.check(f"dd if=/dev/urandom of={dev} bs=1M count={STRADDLE_MB} oflag=direct 2>/dev/null")
    t.vm.unplug(old.serial)
    t.check(f"dd if=/dev/urandom of={dev} bs=1M count=1 oflag=direct 2>/dev/null")
    if state_of(t.drive("r")) != "degraded":
        raise Fail(f"r with {old.serial} pulled: {t.drive('r')}")
    length = int(t.drive("r")["extents"][1]["length_sectors"])
    t.check(f"fio --name=fill --filename={new.dev} --ioengine=psync --direct=1 --rw=write "
            f"--bs=1M --offset={DATA_START * 512} --size={STRADDLE_MB}M --buffer_pattern=0xa5")
    t.ctl_ok("attach", new.serial)
    # 1000 KiB/s: one 1 MiB window a second, then a sleep with no window fenced
    for p in ("rebuild_speed_max", "rebuild_speed_min"):
        t.check(f"echo 1000 > /sys/module/raidcluster/parameters/{p}")
    sysfs = "/sys/block/rcl0/raidcluster/rebuild"
    # one write of 1 MiB at position - 512 KiB per position (RAID 1: drive = member sectors)
    follow = ("last=0; while set -- $(cat " + sysfs + ") && [ $2 != 0 ]; do "
              "if [ $1 != $last ] && [ $1 -ge 1024 ]; then "
              f"fio --name=straddle --filename={dev} --ioengine=psync --direct=1 --rw=write "
              "--bs=1M --size=1M --offset=$((($1 - 1024) * 512)) --buffer_pattern=0x$1 "
              ">/dev/null 2>&1; echo $1 >> /tmp/straddled; last=$1; fi; sleep 0.05; done")
    try:
        t.ctl_ok("rebuild", "r", "--disk", new.serial)
        t.check(f"rm -f /tmp/straddled; {follow}", timeout=900)
        st = wait_rebuild_over(t, new.serial, timeout=120)
    finally:
        t.check("echo 1000 > /sys/module/raidcluster/parameters/rebuild_speed_min")
        t.check("echo 200000 > /sys/module/raidcluster/parameters/rebuild_speed_max")
    if st != "online":
        raise Fail(f"rebuild onto {new.serial} ended {st!r}: {t.drive('r')}")
    straddled = t.check("cat /tmp/straddled 2>/dev/null | wc -l").strip()
    if int(straddled or 0) < 5:
        raise Fail(f"only {straddled} writes landed across the position: the test saw nothing")
    t.check("sync")
    bad = images_equal(keep, new, length)
    if bad is not None:
        def peek(d):
            with open(d.path, "rb") as f:
                f.seek((DATA_START + bad) * 512)
                return f.read(16).hex()
        raise Fail(f"after the rebuild the mirrors differ from member sector {bad} on "
                   f"({straddled} writes across the position, which moves in 2048-sector "
                   f"windows): {keep.serial} {peek(keep)}, {new.serial} {peek(new)}")


GROUPS += [Group("raid1_rebuild_straddle", [test_writes_straddle_position], disks=3,
                 size_mb=64)]
