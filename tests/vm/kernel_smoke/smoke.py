#!/usr/bin/env python3
"""Kernel smoke test of raidcluster.ko in one Debian 6.1 guest (qemu TCG).

The kernel helper's own check while the project harness (tests/vm/) grows:
insmod, bad ioctls, attach 4 scsi-hd disks by serial, RAID 1 (3 mirrors)
and RAID 0, write + read verify, delete/rmmod refused while open, rmmod +
insmod + re-attach in another order (drives come back, same data), a read
error on one mirror (retried on another), QMP device_del of a RAID 1 member
(data still correct) and of a RAID 0 member (clean EIO), COD state after a
reload, and no oops/warning/leak on the console.

Uses the proven lab scripts of /work/shared/lab/vm (boot.sh, labvm.py,
mkinitramfs.sh with EXTRA_MODS=loop) with LAB=/tmp/lab-kernel by default.
Usage: smoke.py [--keep]    prints "kernel_smoke: N passed, N failed".
"""
import os
import re
import shutil
import subprocess
import sys
import time

LABDIR = "/work/shared/lab/vm"
os.environ.setdefault("LAB", "/tmp/lab-kernel")
LAB = os.environ["LAB"]
sys.path.insert(0, LABDIR)
import labvm  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "../../.."))
SHARE = os.path.join(LAB, "share")
RC = "/mnt/lab/rcctl"
NDISKS = 4
MB = 2048  # sectors
DATA = 32768  # RC_DATA_START_SECTOR
EXT = 64 * MB

passed = failed = 0


def ok(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"PASS {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def prepare():
    os.makedirs(os.path.join(LAB, "disks"), exist_ok=True)
    os.makedirs(SHARE, exist_ok=True)
    # loop: the non-SCSI disk to refuse; xor: raid5.c's parity (a dependency
    # of raidcluster.ko, which insmod does not resolve)
    mods = "loop xor"
    stamp = os.path.join(LAB, "initramfs.mods")
    if (not os.path.exists(os.path.join(LAB, "initramfs.cpio.gz"))
            or not os.path.exists(stamp) or open(stamp).read() != mods):
        subprocess.check_call([os.path.join(LABDIR, "mkinitramfs.sh")],
                              env=dict(os.environ, EXTRA_MODS=mods))
        with open(stamp, "w") as f:
            f.write(mods)
    for i in range(NDISKS + 1):
        p = os.path.join(LAB, "disks", f"d{i}.img")
        with open(p, "wb") as f:  # fresh, all zero: no COD
            f.truncate(256 << 20)
    shutil.copy(os.path.join(TOP, "raidcluster.ko"), SHARE)
    subprocess.check_call(["gcc", "-static", "-O2", "-Wall", "-Wextra",
                           "-I" + os.path.join(TOP, "include"), "-o",
                           os.path.join(SHARE, "rcctl"),
                           os.path.join(HERE, "rcctl.c")])
    with open(os.path.join(SHARE, "hotplug.sh"), "w") as f:
        f.write('#!/bin/sh\n[ -n "$RAIDCLUSTER_STATE" ] && '
                'echo "$ACTION $DEVNAME $RAIDCLUSTER_LD $RAIDCLUSTER_STATE" >> /tmp/uevents\nexit 0\n')
    os.chmod(os.path.join(SHARE, "hotplug.sh"), 0o755)
    shutil.copy(os.path.join(LABDIR, "guest", "hostbin.sh"), os.path.join(SHARE, "fio"))
    with open(os.path.join(SHARE, "hostbin.sh"), "w") as f:  # host e2fsprogs
        f.write("L=/host/lib/x86_64-linux-gnu:/host/usr/lib/x86_64-linux-gnu\n"
                "B=$1; shift\nexec /host/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
                " --library-path $L /host$B \"$@\"\n")


def main():
    prepare()
    disks = [os.path.join(LAB, "disks", f"d{i}.img") for i in range(NDISKS)]
    hba = "lsi" if "--lsi" in sys.argv else "virtio"
    # d4: a 4 KiB-sector disk on hba0 (boot.sh's DISKS has no block size option)
    d4 = os.path.join(LAB, "disks", "d4.img")
    extra = ["-blockdev", f"driver=file,node-name=f4,filename={d4},cache.direct=on,aio=threads",
             "-blockdev", "driver=raw,node-name=d4,file=f4",
             "-device", "scsi-hd,id=disk4,bus=hba0.0,scsi-id=4,lun=0,drive=d4,serial=d4,"
             "wwn=0x5000c50000004444,write-cache=off,logical_block_size=4096,"
             "physical_block_size=4096"]
    vm = labvm.VM("k1", disks=disks, share=SHARE, mem=384, hba=hba, hostfs=True,
                  extra=extra)
    vm.start()
    try:
        run(vm, hba)
    finally:
        con = vm.console()
        bad = [l for l in con.splitlines()
               if any(w in l for w in ("BUG", "Oops", "WARNING", "Call Trace",
                                       "leak", "general protection"))]
        ok("console: no oops/BUG/WARNING", not bad, "\n".join(bad[:20]))
        if "--keep" not in sys.argv:
            vm.poweroff()
        with open(os.path.join(LAB, "k1-console.log"), "w") as f:
            f.write(con)
    print(f"kernel_smoke: {passed} passed, {failed} failed")
    return 1 if failed else 0


def sh(vm, cmd, timeout=300):
    rc, out = vm.sh(cmd, timeout)
    return rc, out.strip()


def verify(vm, dev, name, mb=32):
    rc, out = sh(vm, f"dd if={dev} bs=1M count={mb} iflag=direct 2>/dev/null | md5sum")
    rc2, want = sh(vm, f"md5sum < /tmp/pat{mb}")
    ok(name, rc == 0 and out.split()[0] == want.split()[0], f"{out} vs {want}")


def attach_all(vm, order):
    started = 0
    for i in order:
        rc, out = sh(vm, f"{RC} attach /dev/lab/d{i}")
        ok(f"attach d{i}", rc == 0, out)
        if rc == 0:
            started += int(out.split()[-1])
    return started


def run(vm, hba):
    vm.wait_ready()
    vm.check("rm -f /tmp/uevents; (uevent /mnt/lab/hotplug.sh >/dev/null 2>&1 &)")
    vm.check("dd if=/dev/urandom of=/tmp/pat32 bs=1M count=32 2>/dev/null")
    vm.check("for m in $(modinfo -F depends /mnt/lab/raidcluster.ko | tr , ' '); do modprobe $m; done")
    rc, out = sh(vm, "insmod /mnt/lab/raidcluster.ko node_id=40")
    ok("insmod refuses node_id=40", rc != 0, out)
    rc, out = sh(vm, "insmod /mnt/lab/raidcluster.ko node_id=3 && ls -l /dev/raidcluster")
    ok("insmod, /dev/raidcluster", rc == 0 and "crw-------" in out, out)

    # --- bad input ------------------------------------------------------------
    for args, want in (("raw 2 216", "Protocol error"), ("raw 1 200", "Invalid argument"),
                       ("raw 1 216", "reserved fields must be zero")):
        rc, out = sh(vm, f"{RC} {args}")
        ok(f"ioctl {args} refused ({want})", rc == 1 and want in out, out)
    rc, out = sh(vm, f"{RC} attach /dev/nonexistent")
    ok("attach missing path refused", rc == 1 and "no such block device" in out, out)
    rc, out = sh(vm, f"{RC} attach relative")
    ok("attach relative path refused", rc == 1 and "not absolute" in out, out)
    rc, out = sh(vm, "dd if=/dev/zero of=/tmp/loop.img bs=1M count=40 2>/dev/null; "
                 f"modprobe loop && losetup /dev/loop0 /tmp/loop.img && {RC} attach /dev/loop0")
    ok("attach non-SCSI (loop) refused", rc == 1 and "not a SCSI disk" in out, out)
    rc, out = sh(vm, f"{RC} create x 0 128 0:{DATA}:{EXT}")
    ok("create without disks refused", rc == 1 and "no member disk" in out, out)
    rc, out = sh(vm, "losetup -d /dev/loop0; cat /proc/raidcluster")
    ok("/proc/raidcluster before attach", "no configuration" in out, out)

    attach_all(vm, range(NDISKS))
    rc, out = sh(vm, f"{RC} attach /dev/lab/d0")
    ok("attach twice refused", rc == 1 and "already attached" in out, out)
    rc, out = sh(vm, f"{RC} info")
    ok("info: 4 disks, node 3", "ndisks=4" in out and "node=3" in out, out)
    rc, out = sh(vm, f"{RC} disk 2")
    ok("disk info has serial d2 and WWN", "serial=d2" in out and "wwn_len=8" in out, out)

    bad_creates = (
        (f"bad/name 1 128 0:{DATA}:{EXT} 1:{DATA}:{EXT}", "name must be"),
        (f"r 7 128 0:{DATA}:{EXT} 1:{DATA}:{EXT}", "unknown RAID level"),
        (f"r 0 100 0:{DATA}:{EXT} 1:{DATA}:{EXT}", "power of 2"),
        (f"r 1 128 0:100:{EXT} 1:{DATA}:{EXT}", ""),
        (f"r 1 128 0:{DATA}:{600 * MB} 1:{DATA}:{EXT}", ""),
        (f"r 1 128 0:{DATA}:{EXT} 9:{DATA}:{EXT}", "not attached"),
    )
    for args, want in bad_creates:
        rc, out = sh(vm, f"{RC} create {args}")
        ok(f"create {args[:30]}.. refused", rc == 1 and want in out, out)

    # rcl0: RAID 1 on d0,d1,d2.  rcl1: RAID 0 on d2,d3 after it.
    rc, out = sh(vm, f"{RC} create mirror 1 0 0:{DATA}:{EXT} 1:{DATA}:{EXT} 2:{DATA}:{EXT}")
    ok("create RAID 1 rcl0", rc == 0 and "rcl0" in out, out)
    rc, out = sh(vm, f"{RC} create mirror 0 64 2:{DATA + EXT}:{EXT} 3:{DATA + EXT}:{EXT}")
    ok("create duplicate name refused", rc == 1, out)
    rc, out = sh(vm, f"{RC} create stripe 0 64 2:{DATA}:{EXT} 3:{DATA}:{EXT}")
    ok("create overlapping extent refused", rc == 1, out)
    rc, out = sh(vm, f"{RC} create stripe 0 64 2:{DATA + EXT}:{EXT} 3:{DATA + EXT}:{EXT}")
    ok("create RAID 0 rcl1", rc == 0 and "rcl1 capacity 262144" in out, out)

    rc, out = sh(vm, "cd /sys/block/rcl1 && cat raidcluster/level raidcluster/state "
                 "raidcluster/name raidcluster/stripe_sectors raidcluster/members "
                 "queue/minimum_io_size queue/optimal_io_size queue/logical_block_size size")
    v = out.split()
    ok("rcl1 sysfs", len(v) == 10 and v[:4] == ["raid0", "optimal", "stripe", "64"]
       and re.fullmatch(r"2:sd[a-z]:online", v[4]) and re.fullmatch(r"3:sd[a-z]:online", v[5])
       and v[6:] == ["32768", "65536", "512", "262144"], out)
    rc, out = sh(vm, "cat /sys/block/rcl0/raidcluster/members /sys/block/rcl0/size /proc/raidcluster")
    ok("rcl0 sysfs + proc", "rcl0 'mirror' raid1 optimal" in out and "\n131072" in out, out)

    for dev in ("rcl0", "rcl1"):
        rc, out = sh(vm, f"dd if=/tmp/pat32 of=/dev/{dev} bs=1M oflag=direct conv=fsync 2>&1")
        ok(f"write 32M to {dev}", rc == 0, out)
        verify(vm, f"/dev/{dev}", f"read back {dev}")
    rc, out = sh(vm, "sh /mnt/lab/fio --name=v --filename=/dev/rcl1 --direct=1"
                 " --ioengine=psync --rw=randwrite --bs=4k --bsrange=4k-64k --size=16M"
                 " --offset=64M --verify=crc32c --verify_fatal=1 --do_verify=1 2>&1 | grep -E 'err=|verify|fail'",
                 timeout=600)
    ok("fio randwrite + crc32c verify on rcl1", rc == 0 and "err= 0" in out, out)
    rc, out = sh(vm, "sh /mnt/lab/fio --name=v --filename=/dev/rcl0 --direct=1"
                 " --ioengine=libaio --iodepth=8 --rw=randrw --bs=16k --size=16M"
                 " --offset=40M --verify=crc32c --verify_fatal=1 2>&1 | grep -E 'err=|verify|fail'", timeout=600)
    ok("fio randrw qd8 + crc32c verify on rcl0", rc == 0 and "err= 0" in out, out)
    # a buffered write + fsync (flush path), read after dropping caches
    rc, out = sh(vm, "dd if=/tmp/pat32 of=/dev/rcl1 bs=64k seek=512 count=64 conv=fsync 2>&1;"
                 " echo 3 > /proc/sys/vm/drop_caches;"
                 " dd if=/dev/rcl1 bs=64k skip=512 count=64 2>/dev/null | md5sum;"
                 " dd if=/tmp/pat32 bs=64k count=64 2>/dev/null | md5sum")
    lines = out.splitlines()
    ok("buffered write + fsync on rcl1", len(lines) >= 2 and lines[-1] == lines[-2], out)
    verify(vm, "/dev/rcl1", "rcl1 first 32M unchanged")

    # --- a file system on a third drive (RAID 0 over d0, d1), then delete it
    rc, out = sh(vm, f"{RC} create fs 0 128 0:{DATA + EXT}:{EXT} 1:{DATA + EXT}:{EXT}")
    ok("create RAID 0 rcl2 for ext4", rc == 0 and "rcl2" in out, out)
    hb = "sh /mnt/lab/hostbin.sh"
    rc, out = sh(vm, f"{hb} /usr/sbin/mke2fs -q -F -t ext4 /dev/rcl2 2>&1 && mkdir -p /mnt/fs"
                 " && mount -t ext4 /dev/rcl2 /mnt/fs && cp /tmp/pat32 /mnt/fs/p && sync"
                 " && umount /mnt/fs && mount -t ext4 /dev/rcl2 /mnt/fs && cmp /tmp/pat32 /mnt/fs/p"
                 f" && umount /mnt/fs && {hb} /usr/sbin/e2fsck -f -n /dev/rcl2 2>&1", timeout=600)
    ok("mkfs.ext4 + file round trip + fsck on rcl2", rc == 0, out)
    rc, out = sh(vm, f"{RC} delete 2 && ls /sys/block")
    ok("delete rcl2", rc == 0 and "rcl2" not in out, out)

    # --- a 4 KiB-sector member: alignment enforced, mixed mirror works --------
    rc, out = sh(vm, f"{RC} attach /dev/lab/d4")
    ok("attach 4K disk d4", rc == 0 and out.startswith("disk 4"), out)
    rc, out = sh(vm, f"{RC} create bs 1 0 0:{DATA + 2 * EXT}:{EXT} 4:{DATA + 1}:{EXT}")
    ok("create with a misaligned extent on a 4K disk refused", rc == 1 and "multiples of 8" in out, out)
    rc, out = sh(vm, f"{RC} create bs 1 0 0:{DATA + 2 * EXT}:{EXT} 4:{DATA}:{EXT}")
    ok("create RAID 1 over 512 + 4K members", rc == 0 and "rcl2" in out, out)
    rc, out = sh(vm, "cat /sys/block/rcl2/queue/logical_block_size"
                 " && dd if=/tmp/pat32 of=/dev/rcl2 bs=1M oflag=direct 2>&1")
    ok("rcl2 has 4096-byte blocks, write", rc == 0 and out.startswith("4096"), out)
    verify(vm, "/dev/rcl2", "rcl2 (mixed block sizes) read back")
    rc, out = sh(vm, f"{RC} delete 2 && {RC} detach 4 && {RC} info")
    ok("delete rcl2, detach d4", rc == 0 and "ndisks=4" in out, out)

    # --- open drives pin things ----------------------------------------------
    vm.check("sleep 60 < /dev/rcl1 >/dev/null 2>&1 & echo $! > /tmp/holder.pid")
    time.sleep(1)
    rc, out = sh(vm, f"{RC} delete 1")
    ok("delete refused while open", rc == 1 and "open" in out, out)
    rc, out = sh(vm, "rmmod raidcluster")
    ok("rmmod refused while open", rc != 0, out)
    vm.check("kill $(cat /tmp/holder.pid); sleep 1")
    rc, out = sh(vm, f"{RC} ld 1")
    ok("ld info", rc == 0 and "name=stripe" in out and "open=0" in out, out)

    # --- reload: the drives come back ----------------------------------------
    rc, out = sh(vm, "rmmod raidcluster && ls /dev/ | grep -c rcl; ls /sys/block")
    ok("rmmod with drives closed", rc == 0 and "rcl" not in out.split("\n", 1)[-1], out)
    rc, out = sh(vm, "insmod /mnt/lab/raidcluster.ko node_id=3")
    ok("insmod again", rc == 0, out)
    started = attach_all(vm, [3, 1, 2, 0])
    ok("reload: both drives started by the last attach", started == 2, str(started))
    verify(vm, "/dev/rcl0", "rcl0 data after reload")
    verify(vm, "/dev/rcl1", "rcl1 data after reload")

    # --- read error on mirror d0: retried on another -------------------------
    if hba == "virtio":
        vm.disk_errors(0, iotypes=("read",))
        verify(vm, "/dev/rcl0", "rcl0 correct with read errors on d0")
        time.sleep(2)
        rc, out = sh(vm, "cat /sys/block/rcl0/raidcluster/state; cat /proc/raidcluster")
        ok("rcl0 degraded after read error, reads retried",
           out.startswith("degraded") and re.search(r"read-retries [1-9]", out), out)
        vm.disk_errors(0, on=False)

    # --- pull d1 (RAID 1 member) under fio: no error, data still correct ------
    vm.check("(sh /mnt/lab/fio --name=p --filename=/dev/rcl0 --direct=1 --ioengine=libaio"
             " --iodepth=16 --rw=randwrite --bs=4k --size=24M --offset=40M --loops=3"
             " --verify=crc32c --verify_fatal=1 > /tmp/fio.out 2>&1; echo $? > /tmp/fio.rc)"
             " >/dev/null 2>&1 &")
    time.sleep(4)
    vm.unplug(1)
    rc, out = sh(vm, "while [ ! -e /tmp/fio.rc ]; do sleep 1; done; cat /tmp/fio.rc;"
                 " grep -E 'err=|verify|rror' /tmp/fio.out; grep 'disk 1' /proc/raidcluster",
                 timeout=900)
    ok("fio write+verify on rcl0 unharmed by pulling d1 mid-run",
       out.startswith("0") and "err= 0" in out and "failed" in out, out)
    verify(vm, "/dev/rcl0", "rcl0 correct after pulling d1")
    rc, out = sh(vm, "cat /sys/block/rcl0/raidcluster/state /sys/block/rcl0/raidcluster/members")
    ok("rcl0 degraded, d1 failed, d2 online", out.startswith("degraded")
       and re.search(r"1:sd[a-z]+:failed", out) and re.search(r"2:sd[a-z]+:online", out)
       and len(re.findall(":online", out)) == (1 if hba == "virtio" else 2), out)

    # --- pull d3 (RAID 0 member): noticed while idle, then clean EIO ----------
    vm.unplug(3)
    time.sleep(4)
    if hba == "virtio":  # hot-remove is seen without any I/O (lsi: on the next I/O)
        rc, out = sh(vm, "cat /sys/block/rcl1/raidcluster/state; grep 'disk 3' /proc/raidcluster")
        ok("idle pull of d3 noticed: rcl1 offline", out.startswith("offline")
           and "failed" in out, out)
    rc, out = sh(vm, "dd if=/dev/rcl1 of=/dev/null bs=1M count=4 iflag=direct 2>&1")
    ok("rcl1 read fails after pulling d3", rc != 0, out)
    rc, out = sh(vm, "dd if=/tmp/pat32 of=/dev/rcl1 bs=1M count=1 oflag=direct 2>&1;"
                 " cat /sys/block/rcl1/raidcluster/state")
    ok("rcl1 offline, write fails", out.endswith("offline") and "error" in out.lower(), out)
    time.sleep(1)
    rc, out = sh(vm, "cat /tmp/uevents; cat /proc/raidcluster")
    ok("uevents degraded + offline", "change" in out and "degraded" in out and "offline" in out, out)

    if hba == "virtio":
        vm.replug(1)
        time.sleep(3)
        vm.check("lab-links")
        rc, out = sh(vm, f"{RC} attach /dev/lab/d1")
        ok("replugged d1 refused while its failed self is held", rc == 1 and "failed as" in out, out)

    # --- reload with the survivors: RAID 1 back degraded, RAID 0 refused ------
    rc, out = sh(vm, "rmmod raidcluster && insmod /mnt/lab/raidcluster.ko")
    ok("reload after failures", rc == 0, out)
    rc, out = sh(vm, f"{RC} attach /dev/lab/d0 && {RC} attach /dev/lab/d2")
    ok("attach d0 (stale, failed) then d2", rc == 0, out)
    rc, out = sh(vm, "ls /sys/block; cat /sys/block/rcl0/raidcluster/state /proc/raidcluster")
    ok("rcl0 back degraded, rcl1 not started", "rcl0" in out and "rcl1" not in out.split("raidcluster")[0]
       and "degraded" in out, out)
    verify(vm, "/dev/rcl0", "rcl0 data after reload with survivors")
    rc, out = sh(vm, f"{RC} run 1")
    ok("run RAID 0 with a failed member refused", rc == 1 and "offline" in out, out)
    rc, out = sh(vm, f"{RC} delete 1 && {RC} info")
    ok("delete the dead RAID 0", rc == 0 and "nlds=1" in out, out)

    if hba == "virtio":  # lsi has no hotplug: a pulled disk stays dead
        run_missing(vm)

    # --- clusters: d4 (wiped by detach) alone starts a new one, which the
    # old cluster then refuses
    rc, out = sh(vm, f"rmmod raidcluster && insmod /mnt/lab/raidcluster.ko && {RC} attach /dev/lab/d4"
                 f" && {RC} info")
    ok("a disk without COD alone makes a new cluster", rc == 0 and "ndisks=1" in out, out)
    rc, out = sh(vm, f"rmmod raidcluster && insmod /mnt/lab/raidcluster.ko && {RC} attach /dev/lab/d2"
                 f" && {RC} attach /dev/lab/d4")
    ok("disk of another cluster refused (EXDEV)", rc == 1 and "another cluster" in out
       and "cross-device" in out.lower(), out)

    rc, out = sh(vm, "rmmod raidcluster && lsmod | grep -c raidcluster; ls /sys/block /dev | grep rcl")
    ok("final rmmod leaves nothing", "rcl" not in out, out)


def run_missing(vm):
    """RUN: a drive with a member missing, started degraded."""
    # d3 comes back (stale COD, recorded failed); detach wipes it, attach
    # makes it a new member, and a new mirror goes on d2 + d3.
    vm.replug(3)
    time.sleep(3)
    vm.check("lab-links")
    rc, out = sh(vm, "ls /dev/lab/; " + f"{RC} attach /dev/lab/d3")
    ok("re-attach replugged d3: stays failed", rc == 0, out)
    rc, out = sh(vm, f"{RC} disk 3")
    ok("d3 record failed", "state=2" in out, out)
    rc, out = sh(vm, f"{RC} detach 3 && {RC} attach /dev/lab/d3 && {RC} disk 3")
    ok("detach + attach: d3 a new online member", rc == 0 and "state=1" in out, out)
    rc, out = sh(vm, f"{RC} create m2 1 0 2:{DATA + 2 * EXT}:{EXT} 3:{DATA + 2 * EXT}:{EXT}")
    ok("create RAID 1 m2 on d2 + d3", rc == 0, out)
    n = out.split()[0] if rc == 0 else "rcl1"
    rc, out = sh(vm, f"dd if=/tmp/pat32 of=/dev/{n} bs=1M count=32 oflag=direct 2>&1")
    ok(f"write {n}", rc == 0, out)
    rc, out = sh(vm, "rmmod raidcluster && insmod /mnt/lab/raidcluster.ko && "
                 f"{RC} attach /dev/lab/d3 && ls /sys/block")
    ok("reload, attach d3 only: m2 waits", rc == 0 and n not in out, out)
    rc, out = sh(vm, f"{RC} run {n[3:]} && cat /sys/block/{n}/raidcluster/state && {RC} disk 2")
    ok("RUN starts m2 degraded, missing d2 marked failed",
       rc == 0 and out.startswith("degraded") and "state=2" in out, out)
    verify(vm, f"/dev/{n}", f"{n} data after RUN")
    rc, out = sh(vm, f"{RC} run {n[3:]}")
    ok("RUN twice refused", rc == 1 and "already running" in out, out)
    rc, out = sh(vm, f"{RC} detach 3")
    ok("detach of a used disk refused", rc == 1 and "used by" in out, out)


if __name__ == "__main__":
    sys.exit(main())
