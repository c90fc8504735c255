"""Members with 4 KiB logical blocks (4Kn disks), alone and mixed with 512-byte disks: the
metadata area and COD work on them, a logical drive takes the largest block size of its members
(a 512-byte write could not be split onto a 4Kn member), and data verifies across a reload.
Then non-rotational members (SSDs: qemu's rotation_rate=1 in VPD page 0xb1): a drive over
them only is not rotational, one with a spinning member is."""
import rcvm
from vmtest import Fail, Group

JOBS = [dict(name="seq", rw="write", bs="1M", offset="0", size="16M"),
        dict(name="rand", rw="randwrite", bs="4k", offset="16M", size="4M")]


def queue(t, dev, attr):
    return t.check(f"cat /sys/block/{dev.split('/')[-1]}/queue/{attr}").strip()


def test_4kn_members(t):
    d = t.disks
    for x, bs in ((d[0], "512"), (d[1], "4096"), (d[2], "4096")):
        got = t.check(f"cat /sys/block/$(basename $(readlink {x.dev}))/queue/logical_block_size")
        if got.strip() != bs:
            raise Fail(f"{x.serial}: logical block size {got.strip()}, the VM should give {bs}")
    t.load()
    t.ctl_ok("attach", *[x.serial for x in d])
    # RAID 1 over a 512-byte and a 4Kn disk; RAID 0 over two 4Kn disks
    t.ctl_ok("create", "mixed", "--level", "1", "--size", "40M", "--disk", d[0].serial,
             "--disk", d[1].serial)
    t.ctl_ok("create", "four", "--level", "0", "--size", "40M", "--disk", d[1].serial,
             "--disk", d[2].serial)
    for name in ("mixed", "four"):
        dev = t.drive_dev(name)
        if queue(t, dev, "logical_block_size") != "4096":
            raise Fail(f"{name} ({dev}): logical_block_size {queue(t, dev, 'logical_block_size')}"
                       ", a 4Kn member needs 4096")
        t.fio_ok(dev, JOBS)
    # a 512-byte direct write is refused by the block layer, not split onto the 4Kn member
    # (fio, not busybox dd: dd silently retries without O_DIRECT); 30M is outside JOBS
    rc, out = t.sh(f"fio --name=w512 --filename={t.drive_dev('mixed')} --rw=write --bs=512 "
                   "--size=512 --offset=30M --direct=1 --ioengine=psync")
    if rc == 0 or "Invalid argument" not in out:
        raise Fail(f"a 512-byte O_DIRECT write to a 4 KiB-block drive: rc={rc}, expected "
                   f"EINVAL:\n{out[-600:]}")
    for x in d:
        cfg = t.cod(x.serial).get("config") or {}
        if not cfg.get("logical_drives"):
            raise Fail(f"no COD readable on {x.serial} (block size {x.block_size})")


def test_reload_and_fs(t):
    t.unload()
    t.load()
    t.ctl_ok("attach", "--all")
    for name in ("mixed", "four"):
        dev = t.drive_dev(name)
        t.fio_ok(dev, JOBS, verify_only=True)
    dev = t.drive_dev("four")
    t.check(f"mkfs.ext4 -q -F {dev} && fsck.ext4 -f -n {dev}", timeout=300)


def test_rotational(t):
    ssds = rcvm.make_disks("blocksize", ["blocksize-ssd0", "blocksize-ssd1"], 64)
    for x in ssds:
        x.rotation_rate = 1
        t.vm.insert(x)
    for x in ssds:
        if queue(t, t.check(f"readlink -f {x.dev}").strip(), "rotational") != "0":
            raise Fail(f"{x.serial}: the VM should give a non-rotational disk")
    t.ctl_ok("attach", *[x.serial for x in ssds])
    t.ctl_ok("create", "flash", "--level", "1", "--size", "16M", "--disk", ssds[0].serial,
             "--disk", ssds[1].serial)
    t.ctl_ok("create", "hybrid", "--level", "1", "--size", "16M", "--disk", ssds[0].serial,
             "--disk", t.disks[0].serial)
    for name, want in (("flash", "0"), ("hybrid", "1"), ("four", "1")):
        got = queue(t, t.drive_dev(name), "rotational")
        if got != want:
            raise Fail(f"{name}: rotational {got}, its members make it {want}")


GROUPS = [Group("blocksize", [test_4kn_members, test_reload_and_fs, test_rotational], disks=3, size_mb=128,
                block_sizes={1: 4096, 2: 4096})]
