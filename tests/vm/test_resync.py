"""The initial parity build of a new RAID 5 (the resync), on disks that held data before.

Real disks are never zeroed: a RAID 5 created over them starts with garbage parity. A write by
read-modify-write then carries that garbage into the new parity, and after a member failure the
blocks the user wrote are reconstructed wrong. A new RAID 5 therefore builds its parity in the
background (kernel/rebuild.c, resync), and until the resync has passed a row, writes there use
reconstruct-write.

raid5_initial_parity: five members whose data areas hold random bytes; random 4 KiB writes with
verification (small writes on five members take read-modify-write once a row is in sync) while
the resync runs; once it is over, every row's parity is the XOR of its data on the raw images;
with a member pulled, every written block reads back right, rebuilt from parity.

raid5_resync_resume: the resync's position is checkpointed in the COD (resync_pos): after an
unload in the middle of it, the reload goes on from there, not from zero; a rebuild that is
refused meanwhile (nothing to rebuild) leaves it running; it ends with the parity right
everywhere.
"""
import os
import time

from vmtest import Fail, Group, parity_mismatch

DATA_START = 32768                 # sectors: RC_DATA_START_SECTOR
MEMBER_MB = 16                     # each member's extent


def fill_random(disks, mb):
    """Random bytes over the first `mb` MiB of each disk's data area (on the host, before the
    module ever reads it: a disk that held something before)."""
    for d in disks:
        with open(d.path, "r+b") as f:
            f.seek(DATA_START * 512)
            for _ in range(mb):
                f.write(os.urandom(1 << 20))


def speed(t, kib):
    if not t.module_loaded():
        return
    for p in ("rebuild_speed_max", "rebuild_speed_min"):
        t.check(f"echo {kib} > /sys/module/raidcluster/parameters/{p}")


def restore_speed(t):
    speed(t, 200000)
    if t.module_loaded():
        t.check("echo 1000 > /sys/module/raidcluster/parameters/rebuild_speed_min")


def sync_action(t, name):
    return (t.drive(name) or {}).get("sync_action", "idle")


def wait_resync_over(t, name, timeout=600):
    end = time.time() + timeout
    while time.time() < end:
        if sync_action(t, name) == "idle":
            return
        time.sleep(1)
    raise Fail(f"resync of {name} not over after {timeout} s: {t.drive(name)}")


def cod_ld(t, disk, name):
    for ld in (t.cod(disk).get("config") or {}).get("logical_drives", []):
        if ld.get("name") == name:
            return ld
    raise Fail(f"no drive {name} in the COD of {disk}")


def check_parity(t, disks, mb):
    """Every row's parity is the XOR of its data: the members XOR to zero at every offset."""
    t.check("sync")
    bad = parity_mismatch(disks, DATA_START * 512, mb << 20)
    if bad is not None:
        raise Fail(f"parity wrong at member sector {bad} of the extents")


def create(t, name, ms):
    args = ["create", name, "--level", "5", "--stripe", "64K", "--size", f"{MEMBER_MB}M"]
    for d in ms:
        args += ["--disk", d.serial]
    t.ctl_ok(*args)
    return t.drive_dev(name)


JOBS = [dict(name="rmw4k", rw="randwrite", bs="4k", offset="0", size=f"{MEMBER_MB * 4}M",
             number_ios="2500")]


def test_parity_built_under_writes(t):
    ms = t.disks
    fill_random(ms, MEMBER_MB)
    t.load()
    t.ctl_ok("attach", *[d.serial for d in ms])
    speed(t, 2000)          # about 8 s of resync: the writes land on both sides of it
    try:
        dev = create(t, "p", ms)
        t.fio_ok(dev, JOBS, timeout=600)
        wait_resync_over(t, "p")
    finally:
        restore_speed(t)
    ld = cod_ld(t, ms[0].serial, "p")
    if int(ld.get("resync_pos_sectors", -1)) != int(ld["capacity_sectors"]):
        raise Fail(f"resync over but the COD says resync_pos {ld.get('resync_pos')} of "
                   f"{ld['capacity_sectors']}")
    check_parity(t, ms, MEMBER_MB)
    t.vm.unplug(ms[2].serial)
    t.fio_ok(dev, JOBS, verify_only=True, timeout=600)


def test_resync_resumes(t):
    ms = t.disks
    fill_random(ms, MEMBER_MB)
    t.load()
    t.ctl_ok("attach", *[d.serial for d in ms])
    speed(t, 1000)
    try:
        create(t, "q", ms)
        end = time.time() + 120
        while time.time() < end:
            done = int((t.drive("q") or {}).get("rebuild_done_sectors", 0))
            if done >= 8192:            # a quarter of the 16 MiB extents
                break
            time.sleep(1)
        else:
            raise Fail(f"no resync progress: {t.drive('q')}")
        time.sleep(2)                   # a checkpoint (once a second) past that
        t.unload()
        ld = cod_ld(t, ms[0].serial, "q")
        pos, cap = int(ld.get("resync_pos_sectors", 0)), int(ld["capacity_sectors"])
        if not 0 < pos < cap:
            raise Fail(f"COD resync_pos {pos} of {cap} after an unload in the middle of it")
        t.load()
        speed(t, 1000)          # the reload brought the module's defaults back
        t.ctl_ok("attach", *[d.serial for d in ms])
        q = t.drive("q")
        if sync_action(t, "q") != "resync" or int(q.get("rebuild_done_sectors", 0)) * 3 < pos:
            # rebuild_done_sectors counts member sectors, resync_pos_sectors drive sectors (3 data members)
            raise Fail(f"after the reload the resync does not go on from {pos}: {q}")
        # a rebuild refused (the drive has no failed member) leaves the resync running
        rc, out = t.ctl("rebuild", "q", "--disk", ms[0].serial)
        if rc == 0:
            raise Fail(f"rebuild of an optimal drive accepted:\n{out}")
        before = int(t.drive("q").get("rebuild_done_sectors", 0))
        time.sleep(4)
        q = t.drive("q")
        if sync_action(t, "q") != "resync" or int(q.get("rebuild_done_sectors", 0)) <= before:
            raise Fail(f"the resync stopped after a refused rebuild ({out.strip()}): {q}")
        speed(t, 200000)
        wait_resync_over(t, "q")
    finally:
        restore_speed(t)
    check_parity(t, ms, MEMBER_MB)


GROUPS = [Group("raid5_initial_parity", [test_parity_built_under_writes], disks=5, size_mb=40),
          Group("raid5_resync_resume", [test_resync_resumes], disks=4, size_mb=40)]
