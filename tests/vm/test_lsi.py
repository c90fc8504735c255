"""The real-HBA path: the same module over disks behind an emulated LSI 53C895A (parallel SCSI,
guest driver sym53c8xx) instead of virtio-scsi. RAID 1: create, fio verification, module
reload, ext4, and a cable pull (QMP device_del: DID_NO_CONNECT). No blkdebug errors here: the
lsi emulation loses commands that fail inside qemu (see Documentation/testing.md)."""
from vmtest import Fail, Group

JOBS = [dict(name="seq", rw="write", bs="256k", offset="0", size="16M"),
        dict(name="rand", rw="randwrite", bs="4k", offset="16M", size="4M")]


def test_disks_behind_sym53c8xx(t):
    hosts = t.check("cat /sys/class/scsi_host/host*/proc_name").split()
    if "sym53c8xx" not in hosts:
        raise Fail(f"no sym53c8xx SCSI host: {hosts}")
    out = t.ctl_ok("scan")
    for disk in t.disks:
        if disk.serial not in out:
            raise Fail(f"scan does not show {disk.serial}:\n{out}")
        hctl = t.check(f"ls /sys/block/$(basename $(readlink {disk.dev}))/device/scsi_device"
                       ).strip()
        host = "host" + hctl.split(":")[0]
        if t.check(f"cat /sys/class/scsi_host/{host}/proc_name").strip() != "sym53c8xx":
            raise Fail(f"{disk.serial} ({hctl}) is not behind sym53c8xx")


def test_raid1_verify_reload(t):
    t.load()
    t.ctl_ok("attach", *[x.serial for x in t.disks])
    t.ctl_ok("create", "lsi1", "--level", "1", "--disk", t.disks[0].naa, "--disk",
             t.disks[1].serial, "--size", "64M")
    dev = t.drive_dev("lsi1")
    t.fio_ok(dev, JOBS)
    t.unload()
    t.load()
    t.ctl_ok("attach", "--all")
    dev = t.drive_dev("lsi1")
    t.fio_ok(dev, JOBS, verify_only=True)


def test_ext4(t):
    dev = t.drive_dev("lsi1")
    t.check(f"mkfs.ext4 -q -F {dev} && fsck.ext4 -f -n {dev}", timeout=300)
    t.check(f"mkdir -p /mnt/x && mount {dev} /mnt/x && dd if=/dev/urandom of=/mnt/x/f bs=1M "
            "count=8 2>/dev/null && md5sum /mnt/x/f > /tmp/s && umount /mnt/x && "
            f"fsck.ext4 -f -n {dev} && mount {dev} /mnt/x && md5sum -c /tmp/s && umount /mnt/x",
            timeout=300)


def test_cable_pull(t):
    # on the parallel SCSI HBA a pulled disk does not go away: every command to it fails with
    # DID_NO_CONNECT (selection timeout), as with a real cable pull. RAID 1 carries on.
    dev = t.drive_dev("lsi1")
    t.check(f"dd if=/dev/urandom of=/tmp/pat bs=1M count=4 2>/dev/null && "
            f"dd if=/tmp/pat of={dev} bs=1M seek=20 oflag=direct 2>/dev/null")
    t.vm.unplug(t.disks[1].serial)
    t.check(f"dd if=/tmp/pat of={dev} bs=1M seek=24 oflag=direct 2>/dev/null", timeout=180)
    for seek in (20, 24):
        t.check(f"dd if={dev} bs=1M skip={seek} count=4 iflag=direct 2>/dev/null | cmp - /tmp/pat",
                timeout=180)
    ld = t.drive("lsi1")
    if ld.get("state") != "degraded":
        raise Fail(f"lsi1 with a pulled member: {ld.get('state')}, expected degraded")


GROUPS = [Group("lsi", [test_disks_behind_sym53c8xx, test_raid1_verify_reload, test_ext4,
                        test_cable_pull],
                hba="lsi", disks=3, size_mb=128)]
