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
  insert_replacement  member disk 1 pulled (the drive degraded, the disk recorded failed); the
                    blank disk 2, in a slot of its own, is offered again and left alone; then
                    a new blank disk is pushed into disk 1's slot (QMP blockdev-add and
                    device_add at its bus and target): the rule tags it RAIDCLUSTER_BLANK=1,
                    the module takes it in the failed member's place and rebuilds onto it; the
                    drive ends optimal, the data reads back and the two mirrors are equal
  insert_spare_policy  `policy --insert spare`: a new blank disk pushed into a free slot becomes
                    a hot spare; with `--insert ignore` the next one is left alone
"""
import json
import re

import rcvm
from cluster_failure import wait_until
from schema import checked
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
    if "ID_FS_TYPE" in p or p.get("RAIDCLUSTER_COD") != "none" or \
            p.get("RAIDCLUSTER_BLANK") != "1":
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


def disk_state(t, serial):
    return next((d.get("state") for d in t.status()["disks"] if d.get("serial") == serial), None)


def data_md5(t, disk):
    """md5 of a disk from the data area (16 MiB) to its end."""
    return t.check(f"dd if={disk.dev} bs=1M skip=16 iflag=direct 2>/dev/null | md5sum",
                   timeout=180).split()[0]


def test_insert_replacement(t):
    trigger(t)      # disk 0 again, left out as a "multipath path" above
    wait_until("drive u running, optimal",
             lambda: (t.drive("u") or {}).get("state") == "optimal"
             and t.drive("u").get("running"), 60)
    dev = t.drive_dev("u")
    job = [{"name": "w", "rw": "write", "bs": "64k", "size": "16m"}]
    t.fio_ok(dev, job)
    pulled = t.disks[1]
    t.vm.unplug(pulled.serial)
    # the next write finds the member gone; the loss is recorded after it settled
    t.check(f"dd if=/dev/zero of={dev} bs=4k count=1 seek=8192 oflag=direct 2>/dev/null")
    wait_until("the pulled disk recorded failed and the drive degraded",
             lambda: disk_state(t, pulled.serial) == "failed"
             and t.drive("u").get("state") == "degraded", 60)
    # a blank disk elsewhere is no replacement: offered again, still left alone
    trigger(t)
    if t.disks[2].serial in attached(t):
        raise Fail(f"blank disk {t.disks[2].serial} in a free slot was attached")
    new = rcvm.make_disks("udev-insert", ["udev-new"], size_mb=t.vm.disk_size_mb(0))[0]
    t.vm.insert(new, slot_of=pulled.serial)
    t.check(SETTLE, timeout=90)
    p = props(t, new)
    ld = wait_until("the drive to be optimal after the insert",
                  lambda: (lambda d: d if d.get("state") == "optimal" else None)(t.drive("u")),
                  300)
    if new.serial not in attached(t):
        raise Fail(f"the inserted disk is not attached: {attached(t)}")
    m = re.findall(r"rcl\d+: disk \d+ \(\w+\), inserted where member (\d+)'s disk was, "
                   r"replaces it", t.vm.console())
    if m != ["1"]:
        raise Fail(f"the replacement line (member 1, once) not on the console: {m}; "
                   f"udev saw {p}")
    t.fio_ok(dev, job, verify_only=True)
    a, b = data_md5(t, t.disks[0]), data_md5(t, new)
    if a != b:
        raise Fail(f"the mirrors differ after the rebuild: {a} {b}; drive {ld}")


def test_insert_spare_policy(t):
    out = t.ctl_ok("policy")
    if not out.startswith("insert: ignore"):
        raise Fail(f"the default insert policy is not 'ignore': {out}")
    t.ctl_ok("policy", "--insert", "spare")
    if checked("policy", json.loads(t.ctl_ok("policy", "--json")))["insert"] != "spare":
        raise Fail(f"policy --json: {t.ctl_ok('policy', '--json')}")
    size = t.vm.disk_size_mb(0)
    spare, other = rcvm.make_disks("udev-insert", ["udev-sp", "udev-ign"], size_mb=size)
    t.vm.insert(spare)
    t.check(SETTLE, timeout=90)
    wait_until("the new disk to be a hot spare", lambda: disk_state(t, spare.serial) == "spare", 30)
    t.ctl_ok("policy", "--insert", "ignore")
    t.vm.insert(other)
    t.check(SETTLE, timeout=90)
    if other.serial in attached(t):
        raise Fail(f"with --insert ignore the new disk was attached: {attached(t)}")
    if t.drive("u").get("state") != "optimal":
        raise Fail(f"drive u: {t.drive('u')}")


GROUPS = [Group("udev", [test_setup, test_tagged, test_boot_assembly, test_hotplug_member,
                         test_multipath_path, test_systemd_handoff, test_insert_replacement,
                         test_insert_spare_policy], disks=3)]
