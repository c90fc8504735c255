"""Smoke: the guest boots with stable disk identities, the module loads and unloads cleanly,
and raidclusterctl runs (its shared libraries made it into the initramfs)."""
from vmtest import Fail, Group


def test_disk_identities(t):
    # every disk is visible under its serial and carries the WWN rcvm gave it, whatever sdX it got
    for d in t.disks:
        wwid = t.check(f"cat /sys/block/$(basename $(readlink {d.dev}))/device/wwid").strip()
        if wwid != d.naa:
            raise Fail(f"{d.serial}: wwid {wwid!r}, expected {d.naa!r}")


def test_ctl_help(t):
    rc, out = t.ctl("--help")
    if rc or "raidclusterctl" not in out.lower() and "usage" not in out.lower():
        raise Fail(f"raidclusterctl --help rc={rc}:\n{out}")
    for cmd in ("scan", "attach", "create", "status", "cod"):
        if cmd not in out:
            raise Fail(f"--help does not mention {cmd!r}:\n{out}")


def test_insmod_rmmod(t):
    t.load()
    out = t.check("cat /proc/sys/kernel/tainted; ls -l /dev/raidcluster")
    t.unload()
    # twice: a second load must find nothing left over from the first
    t.load()
    t.unload()


GROUPS = [Group("smoke", [test_disk_identities, test_ctl_help, test_insmod_rmmod], disks=2,
                size_mb=64)]
