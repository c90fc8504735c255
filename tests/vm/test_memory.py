"""The data path under memory pressure: no I/O may depend on fresh memory.

memory_pressure: a guest with little memory (256 MiB) writes files to ext4 on a RAID 5 and on a
RAID 1 while rc-memhog (guest/memhog.c) keeps taking all the memory the kernel says is available,
so the page cache, dirty pages included, must be reclaimed, and written back through the drives,
while there is next to nothing free. RAID 5 takes its row buffers from its preallocated stripe
cache and its request state from the request itself, bios come from mempools, and a short
allocation waits instead of failing. Every file must read back with the checksum it was written
with (after a remount, from the disks), fsck must find both filesystems clean, and the console
must show no hung task, allocation failure or other kernel problem (the harness fails a test on
any Call Trace). The RAID 5 is also in its initial resync meanwhile.
"""
from vmtest import Fail, Group

FILE_MB = 24
FILES = 3


def test_writeback_under_pressure(t):
    d = t.disks
    t.load()
    t.ctl_ok("attach", *[x.serial for x in d])
    t.ctl_ok("create", "m5", "--level", "5", "--size", "48M", "--disk", d[0].serial,
             "--disk", d[1].serial, "--disk", d[2].serial)
    t.ctl_ok("create", "m1", "--level", "1", "--size", "96M", "--disk", d[3].serial,
             "--disk", d[4].serial)
    # a stall of 30 s is reported (Call Trace on the console fails the test)
    t.check("echo 30 > /proc/sys/kernel/hung_task_timeout_secs")
    mounts = {}
    for name in ("m5", "m1"):
        dev = t.drive_dev(name)
        mnt = f"/mnt/{name}"
        t.check(f"mkfs.ext4 -q -F {dev} && mkdir -p {mnt} && mount {dev} {mnt}", timeout=300)
        mounts[name] = (dev, mnt)
    # the source data lives in memory too (tmpfs): it competes with the hog like the page cache
    t.check(f"dd if=/dev/urandom of=/tmp/src bs=1M count={FILE_MB} 2>/dev/null")
    want = t.check("md5sum < /tmp/src").split()[0]
    t.check("(rc-memhog 90 > /tmp/memhog.out 2>&1; echo $? > /tmp/memhog.rc) >/dev/null 2>&1 &")
    try:
        writers = []
        for name, (_, mnt) in mounts.items():
            for i in range(FILES):
                writers.append(f"cp /tmp/src {mnt}/f{i} && sync {mnt}/f{i}")
        # all writers at once, buffered: writeback happens under the hog
        t.check(" & ".join(f"({w})" for w in writers) + "; wait", timeout=900)
        t.check("sync", timeout=300)
    finally:
        t.sh("while [ ! -s /tmp/memhog.rc ]; do sleep 1; done", timeout=200)
    hog = t.sh("cat /tmp/memhog.out /tmp/memhog.rc")[1]
    if "rounds" not in hog:
        raise Fail(f"rc-memhog did not run: {hog}")
    for name, (dev, mnt) in mounts.items():
        t.check(f"umount {mnt}", timeout=120)
        t.check(f"fsck.ext4 -n -f {dev}", timeout=300)
        t.check(f"mount {dev} {mnt}")
    t.check("echo 3 > /proc/sys/vm/drop_caches")
    for name, (_, mnt) in mounts.items():
        for i in range(FILES):
            got = t.check(f"md5sum < {mnt}/f{i}", timeout=120).split()[0]
            if got != want:
                raise Fail(f"{mnt}/f{i} reads back wrong after writeback under memory "
                           f"pressure ({hog.strip()})")
    for _, mnt in mounts.values():
        t.check(f"umount {mnt}")


GROUPS = [Group("memory_pressure", [test_writeback_under_pressure], disks=5, size_mb=128,
                mem=256)]
