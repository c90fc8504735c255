"""The udev rule and helper of tools/udev/, run by a real systemd-udevd in the guest (Debian's
udevadm in the initramfs; the rule and helper where `make install` puts them). Three disks: a
RAID 1 over disks 0 and 1, disk 2 blank.

  tagged            members get ID_FS_TYPE=raidcluster_member and RAIDCLUSTER_COD=member from
                    `cod show --udev`, with the module unloaded; the blank disk only
                    RAIDCLUSTER_COD=none
  boot_assembly     the module loaded, the add events of a boot replayed (udevadm trigger): the
                    rule attaches both members and the drive runs, optimal; the blank disk is
                    not attached
  hotplug_member    a member plugged in (QMP device_add) while the drive waits for it: attached
                    by the rule, the drive starts with both members
  multipath_path    a disk marked as a dm-multipath path (DM_MULTIPATH_DEVICE_PATH=1, as
                    multipath-tools' earlier rule would) is neither tagged nor attached
  systemd_handoff   with /run/systemd/system present the rule asks systemd for
                    raidcluster-attach@sdX.service instead of running the helper; without it
                    the helper runs (udevadm test shows both)
"""
from vmtest import Fail, Group

SETTLE = "udevadm settle -t 60"


def kname(t, disk):
    return t.check(f"basename $(readlink -f {disk.dev})").strip()


def props(t, disk):
    out = t.check(f"udevadm info --query=property --name={disk.dev}")
    return dict(ln.split("=", 1) for ln in out.splitlines() if "=" in ln)


def attached(t):
    return sorted(d["serial"] for d in t.status()["disks"] if d.get("present"))


def trigger(t):
    """The add events of a boot, replayed for every block device."""
    t.check(f"udevadm trigger --action=add --subsystem-match=block && {SETTLE}", timeout=120)


def test_setup(t):
    t.load()
    a, b = t.disks[0], t.disks[1]
    t.ctl_ok("attach", a.serial, b.serial)
    t.ctl_ok("create", "u", "--level", "1", "--disk", a.serial, "--disk", b.serial)
    t.unload()
    t.check(f"mkdir -p /run/udev && /lib/systemd/systemd-udevd --daemon && {SETTLE}",
            timeout=90)
    trigger(t)


def test_tagged(t):
    for d in t.disks[:2]:
        p = props(t, d)
        if p.get("ID_FS_TYPE") != "raidcluster_member" or p.get("RAIDCLUSTER_COD") != "member" \
                or p.get("ID_FS_USAGE") != "raid":
            raise Fail(f"member {d.serial} not tagged: {p}")
    p = props(t, t.disks[2])
    if "ID_FS_TYPE" in p or p.get("RAIDCLUSTER_COD") != "none":
        raise Fail(f"blank disk {t.disks[2].serial}: {p}")


def test_boot_assembly(t):
    t.load()
    trigger(t)
    want = sorted(d.serial for d in t.disks[:2])
    if attached(t) != want:
        raise Fail(f"after the add events: attached {attached(t)}, expected {want}")
    ld = t.drive("u")
    if not ld or not ld.get("running") or ld.get("state") != "optimal":
        raise Fail(f"drive u after the add events: {ld}")


def test_hotplug_member(t):
    t.unload()
    t.vm.unplug(t.disks[1].serial)
    t.load()
    trigger(t)
    ld = t.drive("u")
    if attached(t) != [t.disks[0].serial] or (ld and ld.get("running")):
        raise Fail(f"with disk 1 out: attached {attached(t)}, drive {ld}")
    t.vm.replug(t.disks[1].serial)
    t.check(SETTLE, timeout=90)
    t.check("i=0; until raidclusterctl status --json | grep -q '\"running\": true'; do "
            "[ $i -lt 300 ] || exit 1; i=$((i+1)); sleep 0.1; done", timeout=60)
    ld = t.drive("u")
    if ld.get("state") != "optimal" or len(attached(t)) != 2:
        raise Fail(f"after plugging disk 1 in: attached {attached(t)}, drive {ld}")


def test_multipath_path(t):
    t.unload()
    d = t.disks[0]
    t.check("mkdir -p /etc/udev/rules.d && echo 'KERNEL==\"" + kname(t, d) + "\", "
            "ENV{DM_MULTIPATH_DEVICE_PATH}=\"1\"' > /etc/udev/rules.d/56-test-mpath.rules && "
            "udevadm control --reload")
    try:
        t.load()
        trigger(t)
        p = props(t, d)
        if "ID_FS_TYPE" in p or "RAIDCLUSTER_COD" in p:
            raise Fail(f"a multipath path was probed: {p}")
        if d.serial in attached(t):
            raise Fail(f"a multipath path was attached: {attached(t)}")
        if t.disks[1].serial not in attached(t):
            raise Fail(f"the other member was not attached: {attached(t)}")
    finally:
        t.check("rm -f /etc/udev/rules.d/56-test-mpath.rules && udevadm control --reload")


def test_systemd_handoff(t):
    k = kname(t, t.disks[1])
    _, without = t.sh(f"udevadm test --action=add /sys/block/{k} 2>&1")
    t.check("mkdir -p /run/systemd/system")
    try:
        _, with_sd = t.sh(f"udevadm test --action=add /sys/block/{k} 2>&1")
    finally:
        t.check("rmdir /run/systemd/system")
    if f"SYSTEMD_WANTS=raidcluster-attach@{k}.service" not in with_sd or \
            "raidcluster-udev add" in with_sd:
        raise Fail(f"with systemd: no hand-off to raidcluster-attach@{k}.service or the helper "
                   f"still run:\n{with_sd[-2000:]}")
    if "raidcluster-udev add" not in without or "SYSTEMD_WANTS=raidcluster" in without:
        raise Fail(f"without systemd the helper is not run:\n{without[-2000:]}")


GROUPS = [Group("udev", [test_setup, test_tagged, test_boot_assembly, test_hotplug_member,
                         test_multipath_path, test_systemd_handoff], disks=3)]
