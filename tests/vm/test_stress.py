"""Disk pulls while I/O is in flight (libaio, queue depth 16): the failure path races with
running requests. RAID 1 must finish the workload with every block verified; RAID 0 must fail
the workload with I/O errors, promptly and without a hang; afterwards the module unloads (no
request or reference leaked)."""
import time

from vmtest import Fail, Group

LOAD = ("fio --name=load --filename={dev} --rw=randwrite --bs=16k --size=40M --offset=0 "
        "--ioengine=libaio --iodepth=16 --direct=1 --verify=crc32c --verify_fatal=1 "
        "--randrepeat=1")


def start_load(t, dev, tag):
    t.check(f"rm -f /tmp/{tag}.rc; ({LOAD.format(dev=dev)} > /tmp/{tag}.out 2>&1; "
            f"echo $? > /tmp/{tag}.rc) > /dev/null 2>&1 &")


def wait_load(t, tag, timeout=240):
    """Exit status of the background fio; raises if it is still running after timeout."""
    end = time.time() + timeout
    while time.time() < end:
        rc, out = t.sh(f"cat /tmp/{tag}.rc 2>/dev/null")
        if rc == 0 and out.strip():
            return int(out.strip()), t.sh(f"tail -40 /tmp/{tag}.out")[1]
        time.sleep(1)
    raise Fail(f"fio ({tag}) still running {timeout}s after the pull: I/O hangs\n"
               + t.sh(f"tail -20 /tmp/{tag}.out")[1])


def wait_writing(t, dev, mb=4):
    """Wait until at least mb MiB were written to dev (sysfs stat), so the pull lands mid-run."""
    blk = dev.split("/")[-1]
    for _ in range(200):
        if int(t.check(f"cat /sys/block/{blk}/stat").split()[6]) >= mb * 2048:
            return
        time.sleep(0.2)
    raise Fail(f"{dev}: the load never started writing")


def test_raid1_pull_under_load(t):
    t.load()
    d = t.disks
    t.ctl_ok("attach", *[x.serial for x in d])
    t.ctl_ok("create", "m", "--level", "1", "--size", "48M", "--disk", d[0].serial, "--disk",
             d[1].serial)
    dev = t.drive_dev("m")
    start_load(t, dev, "m")
    wait_writing(t, dev)
    t.vm.unplug(d[1].serial)
    rc, out = wait_load(t, "m")
    if rc != 0 or "verify: bad" in out:
        raise Fail(f"RAID 1 workload across a member pull: fio rc={rc}\n{out}")
    # everything written before, during and after the pull reads back right
    rc, out = t.sh(LOAD.format(dev=dev) + " --verify_only", timeout=300)
    if rc:
        raise Fail(f"verify after the pull: rc={rc}\n{out[-1500:]}")
    if t.drive("m").get("state") != "degraded":
        raise Fail(f"m after the pull: {t.drive('m').get('state')}")


def test_raid0_pull_under_load(t):
    d = t.disks
    t.ctl_ok("create", "s", "--level", "0", "--size", "48M", "--disk", d[2].serial, "--disk",
             d[3].serial)
    dev = t.drive_dev("s")
    start_load(t, dev, "s")
    wait_writing(t, dev)
    t.vm.unplug(d[3].serial)
    rc, out = wait_load(t, "s")
    if rc == 0:
        raise Fail(f"RAID 0 workload across a member pull succeeded?\n{out}")
    if "Input/output error" not in out and "error=5" not in out.replace(" ", "").lower() \
            and "err=5" not in out.replace(" ", ""):
        raise Fail(f"RAID 0 workload failed, but not with EIO:\n{out}")
    if t.drive("s").get("state") != "offline":
        raise Fail(f"s after the pull: {t.drive('s').get('state')}")


def test_unload_after_pulls(t):
    # nothing in flight, nothing leaked: both drives stop and the module goes away
    t.unload()


GROUPS = [Group("stress", [test_raid1_pull_under_load, test_raid0_pull_under_load,
                           test_unload_after_pulls], disks=4, size_mb=128)]
