"""Data lands exactly where the COD says: drives over explicit extents (DISK:START:LEN, different
starts on each member) are written through /dev/rclN, then the raw member disks are read back
and the drive's contents rebuilt by hand from the RAID geometry (RAID 0: chunk i on member
i mod n at start + (i div n) x stripe; RAID 1: a full copy at each member's start). Sectors
outside the extents stay untouched. This pins the on-disk layout, so another implementation (or
a later version) reading the same disks finds the same data."""
from vmtest import Fail, Group

MB = 1024 * 1024
STRIPE = 64 * 1024
PATTERN_MB = 4
DISK_MB = 160


def zero_outside(t, disk, ranges_mb, end_mb):
    """Every MiB of the data area (16 MiB .. end) of disk outside ranges_mb is still zero."""
    pos = 16
    for start, length in sorted(ranges_mb) + [(end_mb, 0)]:
        if start > pos:
            n = t.check(f"dd if={disk.dev} bs=1M skip={pos} count={start - pos} iflag=direct "
                        "2>/dev/null | tr -d '\\000' | wc -c").strip()
            if n != "0":
                raise Fail(f"{disk.serial}: {n} non-zero bytes in [{pos}M, {start}M), outside "
                           "every extent")
        pos = max(pos, start + length)


def test_raid0_extents_on_disk(t):
    t.load()
    d = t.disks
    t.ctl_ok("attach", *[x.serial for x in d])
    starts = {0: 100, 1: 50}                      # MiB: deliberately different per member
    t.ctl_ok("create", "r0", "--level", "0", "--stripe", "64K",
             "--disk", f"{d[0].serial}:100M:32M", "--disk", f"{d[1].naa}:50M:32M")
    dev = t.drive_dev("r0")
    size = int(t.check(f"cat /sys/block/{dev.split('/')[-1]}/size"))
    if size != 2 * 32 * 2048:
        raise Fail(f"r0: {size} sectors, expected {2 * 32 * 2048} (2 x 32 MiB)")
    t.check(f"dd if=/dev/urandom of=/tmp/pat bs=1M count={PATTERN_MB} 2>/dev/null && "
            f"dd if=/tmp/pat of={dev} bs=1M oflag=direct 2>/dev/null")
    chunks = PATTERN_MB * MB // STRIPE
    script = "rm -f /tmp/recon\n"
    for i in range(chunks):
        m = i % 2
        off = starts[m] * MB // STRIPE + i // 2
        script += (f"dd if={d[m].dev} bs=64k skip={off} count=1 iflag=direct 2>/dev/null "
                   ">> /tmp/recon\n")
    script += "cmp /tmp/recon /tmp/pat\n"
    rc, out = t.vm.script(script, timeout=300)
    if rc:
        raise Fail("RAID 0 contents rebuilt from the raw members (chunk i on member i mod 2 at "
                   f"its extent start + (i div 2) x 64K) differ from what was written:\n{out}")
    zero_outside(t, d[0], [(100, 32)], DISK_MB)
    zero_outside(t, d[1], [(50, 32)], DISK_MB)


def test_raid1_extents_on_disk(t):
    d = t.disks
    t.ctl_ok("create", "r1", "--level", "1", "--disk", f"{d[2].serial}:20M:16M",
             "--disk", f"{d[3].serial}:40M:16M")
    dev = t.drive_dev("r1")
    t.check(f"dd if=/tmp/pat of={dev} bs=1M oflag=direct 2>/dev/null")
    for disk, start in ((d[2], 20), (d[3], 40)):
        rc, out = t.sh(f"dd if={disk.dev} bs=1M skip={start} count={PATTERN_MB} iflag=direct "
                       "2>/dev/null | cmp - /tmp/pat")
        if rc:
            raise Fail(f"RAID 1 copy on {disk.serial} at {start} MiB differs from what was "
                       f"written:\n{out}")
    zero_outside(t, d[2], [(20, 16)], DISK_MB)
    zero_outside(t, d[3], [(40, 16)], DISK_MB)


def test_second_drive_on_same_disks(t):
    # a second RAID 0 on the free space after r0 on the same disks: writing it leaves r0 alone
    d = t.disks
    before = t.check(f"dd if={t.drive_dev('r0')} bs=1M iflag=direct 2>/dev/null | md5sum")
    t.ctl_ok("create", "r0b", "--level", "0", "--disk", f"{d[0].serial}::16M",
             "--disk", f"{d[1].serial}::16M")
    ext = [e for e in t.drive("r0b").get("extents", [])]
    starts = sorted(int(e["start_sectors"]) for e in ext)
    if starts != [(50 + 32) * 2048, (100 + 32) * 2048]:
        raise Fail(f"r0b extents start at {starts}: the default start is the first free sector "
                   "after the disk's last extent")
    dev = t.drive_dev("r0b")
    t.check(f"dd if=/dev/urandom of={dev} bs=1M oflag=direct 2>/dev/null; true")
    t.check(f"dd if={dev} bs=1M count=1 iflag=direct 2>/dev/null | md5sum")
    after = t.check(f"dd if={t.drive_dev('r0')} bs=1M iflag=direct 2>/dev/null | md5sum")
    if after != before:
        raise Fail("writing r0b changed the contents of r0")


GROUPS = [Group("layout", [test_raid0_extents_on_disk, test_raid1_extents_on_disk,
                           test_second_drive_on_same_disks], disks=4, size_mb=DISK_MB)]
