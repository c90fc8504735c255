"""Boot assembly under systemd: Debian's systemd is PID 1 of the guest (mksystemd.sh), the
project installed by `make install` with raidcluster.service enabled, /etc/raidcluster.conf and
/etc/fstab the machine's own files (a layer of the initramfs per boot). Three disks.

  install        first boot over blank disks: nothing fails, raidcluster.service loaded the
                 module from make install's module directory with node_id and cluster_uuid
                 of raidcluster.conf (the modprobe.d install line), and the blank disks were
                 offered by the udev rule through raidcluster-attach@sdX.service and left alone
  make_drive     a RAID 1 over disks 0 and 1 with ext4 on it and a file of known content
  cold_boot      powered off by systemd, booted again with /dev/rcl0 in fstab: without any
                 command the members are attached, rcl0 is checked (systemd-fsck) and mounted
                 on /data after raidcluster.service finished, the file reads back, the drive
                 is optimal with no resync (the shutdown unmounted, then unloaded the module),
                 and udev tagged the members ID_FS_TYPE=raidcluster_member
  degraded_boot  booted with disk 1 dead (left out): the drive waits for it, the last-resort
                 timer (delay shortened by a drop-in) starts it degraded, /data is mounted and
                 the file reads back; the boot ends with no failed unit
  late_member    disk 1 comes back (hot-plug): the udev rule hands it to systemd as
                 raidcluster-attach@sdX.service, which attaches it; its member stays failed
                 (it missed the writes since) and the drive degraded
"""
import os
import re

from cluster_failure import wait_until
from test_udev import kname
from vmtest import Fail, Group

UUID = "3f0c5b8e-7d0a-4c2e-9b61-2a4d8e9f1c37"
CONF = f"node_id = 2\ncluster_uuid = {UUID}\n"
FSTAB = "/dev/rcl0 /data ext4 defaults 0 2\n"
# the last resort after 5 s instead of 30: the drop-in `systemctl edit` would write
DROPIN = ("/etc/systemd/system/raidcluster-last-resort.timer.d/override.conf",
          "[Timer]\nOnActiveSec=\nOnActiveSec=5\n")


def booted(t, want="running", timeout=240):
    """Wait for the end of the boot; fail with the failed units and the journal unless the
    state is want."""
    rc, out = t.sh("systemctl is-system-running --wait", timeout=timeout)
    state = out.strip()
    # the disks' events handled (udev loaded sd_mod on the way: the /dev/lab links now) and
    # the units they asked for done (raidcluster-attach@sdX.service)
    t.check("udevadm settle -t 60 && lab-links && i=0; "
            "while systemctl list-jobs --no-legend | grep -q .; do "
            "[ $i -lt 600 ] || exit 1; i=$((i+1)); sleep 0.1; done", timeout=90)
    if state != want:
        failed = t.sh("systemctl --failed --no-legend --no-pager")[1]
        journal = t.sh("journalctl -b --no-pager -p warning | tail -40")[1]
        raise Fail(f"boot ended {state!r}, not {want!r}\nfailed units:\n{failed}\n"
                   f"warnings:\n{journal}")


def unit(t, name, *props):
    out = t.check(f"systemctl show {name} " + " ".join(f"-p {p}" for p in props))
    return dict(ln.split("=", 1) for ln in out.splitlines() if "=" in ln)


def journal(t, unit_glob):
    return t.sh(f"journalctl -b --no-pager -o cat -u '{unit_glob}'")[1]


def previous_console(t):
    """The console of the boot before this one (its shutdown is at the end)."""
    with open(os.path.join(t.vm.rundir, "console.log.prev"), errors="replace") as f:
        return f.read()


def test_install(t):
    booted(t)
    svc = unit(t, "raidcluster.service", "ActiveState", "Result", "UnitFileState")
    if svc != {"ActiveState": "active", "Result": "success", "UnitFileState": "enabled"}:
        raise Fail(f"raidcluster.service: {svc}")
    path = t.check("modinfo -n raidcluster").strip()
    if not re.fullmatch(r"/lib/modules/[^/]+/updates/raidcluster\.ko", path):
        raise Fail(f"modprobe finds the module at {path}, not in make install's updates/")
    params = t.check("cat /sys/module/raidcluster/parameters/node_id "
                     "/sys/module/raidcluster/parameters/cluster_uuid").split()
    if params != ["2", UUID]:
        raise Fail(f"module loaded with node_id, cluster_uuid = {params}, not 2, {UUID}")
    if "node 2 " not in t.ctl_ok("status").splitlines()[0]:
        raise Fail("status does not name this node 2")
    for d in t.disks:
        k = kname(t, d)
        log = journal(t, f"raidcluster-attach@{k}.service")
        if "left /dev/%s alone" % k not in log:
            raise Fail(f"blank {k}: raidcluster-attach@{k}.service did not leave it alone:\n"
                       f"{log}")
    if t.status()["disks"]:
        raise Fail("a blank disk was attached by itself")


def test_make_drive(t):
    a, b = t.disks[0], t.disks[1]
    t.ctl_ok("attach", a.serial, b.serial)
    t.ctl_ok("create", "boot", "--level", "1", "--disk", a.serial, "--disk", b.serial)
    t.check("mkfs.ext4 -q /dev/rcl0 && mkdir -p /data && mount -t ext4 /dev/rcl0 /data && "
            "dd if=/dev/urandom of=/data/payload bs=1M count=4 2>/dev/null && "
            "sha256sum /data/payload > /root/payload.sum && umount /data", timeout=240)
    t.state["sum"] = t.check("cat /root/payload.sum").split()[0]


def payload_ok(t):
    got = t.check("sha256sum /data/payload").split()[0]
    if got != t.state["sum"]:
        raise Fail(f"/data/payload reads back {got}, wrote {t.state['sum']}")


def test_cold_boot(t):
    t.new_vm(etc={"/etc/raidcluster.conf": CONF, "/etc/fstab": FSTAB})
    shutdown = previous_console(t)
    if not re.search(r"Stopped raidcluster\.service", shutdown):
        raise Fail("the shutdown did not stop raidcluster.service:\n"
                   + "\n".join(shutdown.splitlines()[-30:]))
    booted(t)
    src = t.check("findmnt -n -o SOURCE,FSTYPE /data").split()
    if src != ["/dev/rcl0", "ext4"]:
        raise Fail(f"/data is {src}, not /dev/rcl0 ext4")
    payload_ok(t)
    svc = unit(t, "raidcluster.service", "ActiveEnterTimestampMonotonic")
    mnt = unit(t, "data.mount", "ActiveEnterTimestampMonotonic", "After")
    fsck = unit(t, "systemd-fsck@dev-rcl0.service", "Result", "ActiveState")
    if not int(svc["ActiveEnterTimestampMonotonic"]) < int(mnt["ActiveEnterTimestampMonotonic"]):
        raise Fail(f"data.mount before raidcluster.service finished: {svc} {mnt}")
    if fsck != {"Result": "success", "ActiveState": "active"}:
        raise Fail(f"systemd-fsck@dev-rcl0.service: {fsck}")
    ld = t.drive("boot")
    if ld["state"] != "optimal" or ld["sync_action"] != "idle":
        raise Fail(f"after a clean shutdown the drive is {ld}")
    for d in t.disks[:2]:
        fs = t.check(f"udevadm info --query=property --name={d.dev} | "
                     "sed -n 's/^ID_FS_TYPE=//p'").strip()
        if fs != "raidcluster_member":
            raise Fail(f"member {d.serial}: ID_FS_TYPE={fs!r}")


def test_degraded_boot(t):
    t.state["dead"] = t.disks[1]
    etc = {"/etc/raidcluster.conf": CONF, "/etc/fstab": FSTAB, DROPIN[0]: DROPIN[1]}
    t.new_vm(disks=[t.disks[0], t.disks[2]], etc=etc)
    # the shutdown of the cold boot, with /data mounted from fstab: unmounted, then the
    # module unloaded (raidcluster.service stopped after it, and nothing said it failed)
    shutdown = previous_console(t)
    umount = shutdown.find("Unmounted data.mount")
    stop = shutdown.find("Stopped raidcluster.service")
    if umount < 0 or stop < umount or "Failed to start" in shutdown[umount:]:
        raise Fail("the shutdown did not unmount /data, then stop raidcluster.service:\n"
                   + "\n".join(shutdown.splitlines()[-40:]))
    booted(t)
    timers = t.check("systemctl show -p TimersMonotonic --value "
                     "raidcluster-last-resort.timer").strip().splitlines()
    if len(timers) != 1 or "OnActiveUSec=5s" not in timers[0].replace(" ", ""):
        raise Fail(f"the drop-in should leave one 5 s timer: {timers}")
    log = journal(t, "raidcluster-last-resort.service")
    if "rcl0 running, degraded" not in log:
        raise Fail(f"the last resort did not start rcl0 degraded:\n{log}")
    if t.check("findmnt -n -o SOURCE /data").strip() != "/dev/rcl0":
        raise Fail("/data not mounted from /dev/rcl0")
    payload_ok(t)
    if t.drive("boot")["state"] != "degraded":
        raise Fail(f"drive: {t.drive('boot')}")


def test_late_member(t):
    dead = t.state["dead"]
    t.vm.insert(dead)
    t.check("udevadm settle -t 60 && lab-links")
    k = kname(t, dead)
    # attached, and by the unit: its journal says so (a oneshot that ended is unloaded, so
    # the unit's own properties are gone by now)
    wait_until(f"{dead.serial} attached after its return",
               lambda: any(d.get("serial") == dead.serial and d.get("present")
                           for d in t.status()["disks"]), 60)
    log = journal(t, f"raidcluster-attach@{k}.service")
    if f"attached /dev/{k} as member disk" not in log:
        raise Fail(f"{dead.serial} was not attached by raidcluster-attach@{k}.service:\n{log}")
    ld = t.drive("boot")
    if ld["state"] != "degraded":
        raise Fail(f"a stale member came back into the drive: {ld}")
    payload_ok(t)


GROUPS = [Group("systemd", [test_install, test_make_drive, test_cold_boot, test_degraded_boot,
                            test_late_member], disks=3, image="systemd",
                etc={"/etc/raidcluster.conf": CONF}, seconds=110)]
