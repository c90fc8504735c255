"""Attach and detach when the disks carry configurations of different generations.

adopt_detach: a drive keeps running after a newer configuration, adopted from another disk, no
longer lists it. Detaching one of its members must be refused with the reason (it used to free
the member disk under the running drive: a use after free on the next I/O), and the drive's
data must still read back.

adopt_rollback: a disk with a newer configuration of the cluster that fails validation once
attached (it shrank below one of its extents) is refused, and the configuration in memory is
exactly what it was before the attach (/proc/raidcluster identical), not the newer one half
adopted: no drive the refused disk's COD brought in, the old generation, the old records.
"""
import re

from vmtest import Fail, Group, lds_of

SIZE_MB = 8


def proc(t):
    return t.check("cat /proc/raidcluster")


def generation(text):
    m = re.search(r"generation (\d+)", text)
    if not m:
        raise Fail(f"no generation in /proc/raidcluster:\n{text}")
    return int(m.group(1))


def test_detach_running_member(t):
    a, b, c = t.disks[0], t.disks[1], t.disks[2]
    t.load()
    t.ctl_ok("attach", a.serial, b.serial, c.serial)
    t.ctl_ok("create", "x", "--level", "1", "--size", f"{SIZE_MB}M", "--disk", a.serial,
             "--disk", b.serial)
    dev = t.drive_dev("x")
    t.check(f"dd if=/dev/urandom of=/tmp/x bs=1M count={SIZE_MB} 2>/dev/null && "
            f"dd if=/tmp/x of={dev} bs=1M oflag=direct 2>/dev/null")
    # c alone: drive x cannot start (its members are not attached); deleting it writes a newer
    # generation, without x, to c only
    t.unload()
    t.load()
    t.ctl_ok("attach", c.serial)
    t.ctl_ok("delete", "--yes", "x")
    t.unload()
    # x runs from a and b; attaching c adopts c's newer configuration, which has no x
    t.load()
    t.ctl_ok("attach", a.serial, b.serial)
    if t.drive("x") is None:
        raise Fail("x not running after attaching its members")
    t.ctl_ok("attach", c.serial)
    if "x" in [ld.get("name") for ld in lds_of(t.status())]:
        raise Fail("x still in the configuration after adopting c's newer one")
    t.check(f"test -b {dev}")
    rc, out = t.ctl("detach", a.serial)
    if rc == 0:
        raise Fail(f"detach of {a.serial}, a member of the running rcl0, was accepted:\n{out}")
    if "rcl0" not in out or len(out.strip().splitlines()) != 1:
        raise Fail(f"detach refusal should be one line naming rcl0:\n{out}")
    t.check(f"dd if={dev} bs=1M count={SIZE_MB} iflag=direct 2>/dev/null | cmp - /tmp/x")
    t.check(f"dd if=/tmp/x of={dev} bs=1M oflag=direct conv=fsync 2>/dev/null")
    t.check(f"dd if={dev} bs=1M count={SIZE_MB} iflag=direct 2>/dev/null | cmp - /tmp/x")


def test_failed_adopt_rolls_back(t):
    a, b, c = t.disks[0], t.disks[1], t.disks[2]
    t.load()
    t.ctl_ok("attach", a.serial, b.serial, c.serial)
    # x's extent on a ends 8 MiB before a's end
    size = t.vm.disk_size_mb(a.serial) - 16 - SIZE_MB    # 16 MiB metadata area
    t.ctl_ok("create", "x", "--level", "1", "--size", f"{size}M", "--disk", a.serial,
             "--disk", b.serial)
    t.unload()
    # a newer generation with drive y, on a and b only
    t.load()
    t.ctl_ok("attach", a.serial, b.serial)
    t.ctl_ok("create", "y", "--level", "1", "--size", "4M", "--disk", b.serial, "--disk",
             a.serial + ":" + f"{16 + size}M:4M")
    t.unload()
    # a shrinks by 16 MiB: x's extent on it no longer fits
    t.vm.resize(a.serial, t.vm.disk_size_mb(a.serial) - 16)
    t.load()
    t.ctl_ok("attach", c.serial)
    before = proc(t)
    rc, out = t.ctl("attach", a.serial)
    if rc == 0:
        raise Fail(f"attach of the shrunken {a.serial} was accepted:\n{out}")
    after = proc(t)
    if after != before:
        raise Fail("a refused attach changed the configuration in memory "
                   f"(generation {generation(before)} -> {generation(after)}):\n--- before\n"
                   f"{before}\n--- after\n{after}")
    # the cluster goes on from there: b brings the newer generation (with y) as usual
    t.ctl_ok("attach", b.serial)
    names = sorted(ld.get("name") for ld in lds_of(t.status()))
    if names != ["x", "y"]:
        raise Fail(f"after attaching {b.serial}: drives {names}, expected x and y")


GROUPS = [Group("adopt_detach", [test_detach_running_member], disks=3, size_mb=64),
          Group("adopt_rollback", [test_failed_adopt_rolls_back], disks=3, size_mb=64)]
