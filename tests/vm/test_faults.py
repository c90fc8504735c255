"""Member I/O errors injected under the guest (QMP blkdebug, EIO) and cache flushes.

Disks here have a volatile write cache (WCE=1), so the block layer really sends SYNCHRONIZE
CACHE to them and counts flushes in /sys/block/sdX/stat: a flush or FUA write to a logical drive
must reach every member it concerns (the patent's controllers are write-through). Then a read
error on a RAID 1 member (data still right, member failed, drive degraded, uevent, COD), a write
error on a RAID 0 member (clean EIO, drive offline, uevent), and the failures survive a reload."""
from vmtest import Fail, Group

JOBS = [dict(name="seq", rw="write", bs="256k", offset="0", size="12M"),
        dict(name="rand", rw="randwrite", bs="4k", offset="12M", size="4M")]


def flushes(t, disk):
    """Completed flush requests of a disk (field 16 of /sys/block/sdX/stat)."""
    out = t.check(f"cat /sys/block/$(basename $(readlink {disk.dev}))/stat")
    return int(out.split()[15])


def start_uevents(t):
    # busybox uevent runs the program once per kernel uevent, with the event as environment
    t.check("rm -f /tmp/uev; (uevent sh -c 'echo \"$ACTION $DEVNAME $RAIDCLUSTER_LD "
            "$RAIDCLUSTER_STATE\" >> /tmp/uev' > /dev/null 2>&1 &); sleep 0.3")


def uevents(t):
    return t.sh("cat /tmp/uev 2>/dev/null")[1]


def state(t, name):
    ld = t.drive(name)
    return ld and ld.get("state")


def disk_rec(t, serial):
    for x in t.status().get("disks", []):
        if x.get("serial") == serial:
            return x
    raise Fail(f"{serial} not in status --json")


def test_flush_and_fua_reach_every_member(t):
    t.load()
    t.ctl_ok("attach", *[d.serial for d in t.disks[:4]])
    d = t.disks
    t.ctl_ok("create", "m", "--level", "1", "--size", "64M", "--disk", d[0].serial, "--disk",
             d[1].serial)
    t.ctl_ok("create", "s", "--level", "0", "--size", "64M", "--disk", d[2].serial, "--disk",
             d[3].serial)
    for name, members in (("m", d[0:2]), ("s", d[2:4])):
        dev = t.drive_dev(name)
        blk = dev.split("/")[-1]
        wc = t.check(f"cat /sys/block/{blk}/queue/write_cache").strip()
        fua = t.check(f"cat /sys/block/{blk}/queue/fua").strip()
        if wc != "write back" or fua != "1":
            raise Fail(f"{dev}: write_cache={wc!r} fua={fua}: flushes and FUA would be "
                       "dropped before they reach the members")
        # fsync of the block device = an empty REQ_PREFLUSH: every member must flush
        before = [flushes(t, x) for x in members]
        t.check(f"dd if=/dev/zero of={dev} bs=4k count=1 oflag=direct conv=fsync 2>/dev/null")
        after = [flushes(t, x) for x in members]
        if not all(a > b for a, b in zip(after, before)):
            raise Fail(f"{dev}: fsync did not flush every member: flush counts {before} -> "
                       f"{after}")
    # O_DIRECT|O_DSYNC writes are REQ_FUA: both mirrors must get them to stable storage
    dev = t.drive_dev("m")
    before = [flushes(t, x) for x in d[0:2]]
    t.check(f"fio --name=fua --filename={dev} --rw=write --bs=4k --size=64k --direct=1 "
            "--sync=dsync --ioengine=psync > /dev/null")
    after = [flushes(t, x) for x in d[0:2]]
    if not all(a > b for a, b in zip(after, before)):
        raise Fail(f"{dev}: FUA writes did not reach stable storage on every mirror: flush "
                   f"counts {before} -> {after}")


def test_bad_sector_on_raid1_member(t):
    # one unreadable sector on one mirror (a media error): the read is served by the other
    # mirror with the right data, and the mirror with the bad sector is taken out
    d4, d5 = t.disks[4], t.disks[5]
    t.ctl_ok("attach", d4.serial, d5.serial)
    t.ctl_ok("create", "b", "--level", "1", "--size", "32M", "--disk", d4.serial, "--disk",
             d5.serial)
    dev = t.drive_dev("b")
    t.check(f"dd if=/dev/urandom of=/tmp/pat bs=1M count=8 2>/dev/null && "
            f"dd if=/tmp/pat of={dev} bs=1M oflag=direct 2>/dev/null")
    bad_sector = 32768 + 5 * 2048 + 7          # 5 MiB + 7 sectors into the drive, on d4
    t.vm.disk_errors(d4.serial, sector=bad_sector, iotypes=("read",))
    try:
        # two passes: whichever mirror the first read of that block picks, both must be right
        for _ in range(2):
            t.check(f"dd if={dev} bs=64k count=128 iflag=direct 2>/dev/null | cmp - /tmp/pat")
    finally:
        t.vm.disk_errors(d4.serial, on=False)
    if state(t, "b") != "degraded":
        raise Fail(f"b is {state(t, 'b')} after a media error on {d4.serial}, expected degraded"
                   " (a member I/O error fails the member)")
    rec = disk_rec(t, d4.serial)
    if rec.get("state") != "failed":
        raise Fail(f"{d4.serial} after a media error: {rec}")


def test_read_error_on_raid1_member(t):
    dev = t.drive_dev("m")
    t.fio_ok(dev, JOBS)
    md5 = t.check(f"dd if={dev} bs=1M count=16 iflag=direct 2>/dev/null | md5sum").split()[0]
    t.state["m_md5"] = md5
    start_uevents(t)
    bad = t.disks[0]
    t.vm.disk_errors(bad.serial, iotypes=("read",))
    try:
        # every read that lands on the bad mirror fails there and is retried on the other one
        t.fio_ok(dev, JOBS, verify_only=True)
        again = t.check(f"dd if={dev} bs=1M count=16 iflag=direct 2>/dev/null | md5sum")
        if again.split()[0] != md5:
            raise Fail(f"{dev}: wrong data while {bad.serial} fails reads")
    finally:
        t.vm.disk_errors(bad.serial, on=False)
    if state(t, "m") != "degraded":
        raise Fail(f"m is {state(t, 'm')} after read errors on {bad.serial}, expected degraded")
    rec = disk_rec(t, bad.serial)
    if rec.get("state") != "failed" or not int(rec.get("read_errors", 0)):
        raise Fail(f"{bad.serial} after read errors: {rec}")
    cfg = t.cod(t.disks[1].serial).get("config") or {}
    st = {x.get("serial"): x.get("state") for x in cfg.get("disks", [])}
    if st.get(bad.serial) != "failed":
        raise Fail(f"the COD of {t.disks[1].serial} does not record {bad.serial} failed: {st}")
    ev = uevents(t)
    if not any(l.split()[:1] == ["change"] and "degraded" in l for l in ev.splitlines()):
        raise Fail(f"no change uevent announcing the degraded drive; uevents seen:\n{ev}")


def test_write_error_on_raid0_member(t):
    dev = t.drive_dev("s")
    t.check(f"dd if=/dev/urandom of={dev} bs=64k count=32 oflag=direct 2>/dev/null")
    start_uevents(t)
    bad = t.disks[3]
    t.vm.disk_errors(bad.serial, iotypes=("write",))
    try:
        # 2 MiB from offset 0 cover both members: the write must fail with EIO, not hang
        rc, out = t.sh(f"dd if=/dev/zero of={dev} bs=64k count=32 oflag=direct", timeout=120)
        if rc == 0 or "Input/output error" not in out:
            raise Fail(f"write with {bad.serial} failing writes: rc={rc}, expected EIO:\n{out}")
    finally:
        t.vm.disk_errors(bad.serial, on=False)
    if state(t, "s") != "offline":
        raise Fail(f"s is {state(t, 's')} after write errors on {bad.serial}, expected offline")
    rc, out = t.sh(f"dd if={dev} of=/dev/null bs=4k count=1 iflag=direct", timeout=120)
    if rc == 0:
        raise Fail(f"offline {dev} still serves reads")
    ev = uevents(t)
    if not any(l.split()[:1] == ["change"] and "offline" in l for l in ev.splitlines()):
        raise Fail(f"no change uevent announcing the offline drive; uevents seen:\n{ev}")
    # the healthy RAID 1 drive next to it is not disturbed
    if state(t, "m") != "degraded":
        raise Fail(f"m changed to {state(t, 'm')}")


def test_failures_persist_across_reload(t):
    t.unload()
    t.load()
    t.ctl_ok("attach", "--all")
    if state(t, "m") != "degraded":
        # a member missing or failed: the admin may have to start it (RC_IOC_RUN)
        t.ctl_ok("run", "m")
    if state(t, "m") != "degraded":
        raise Fail(f"m after reload: {state(t, 'm')}, expected degraded (its failed member is "
                   "recorded in the COD)")
    dev = t.drive_dev("m")
    t.fio_ok(dev, JOBS, verify_only=True)
    md5 = t.check(f"dd if={dev} bs=1M count=16 iflag=direct 2>/dev/null | md5sum").split()[0]
    if md5 != t.state["m_md5"]:
        raise Fail(f"{dev}: data differs after reload")
    if state(t, "s") == "optimal":
        raise Fail("s (RAID 0 with a failed member) came back optimal after reload")


GROUPS = [Group("faults", [test_flush_and_fua_reach_every_member, test_bad_sector_on_raid1_member,
                           test_read_error_on_raid1_member, test_write_error_on_raid0_member,
                           test_failures_persist_across_reload],
                disks=6, size_mb=128, write_cache=True)]
