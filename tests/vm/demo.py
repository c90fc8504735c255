#!/usr/bin/env python3
"""`make demo`: raidcluster on one server, end to end, in a qemu VM.

Boots Debian's 6.1 kernel under qemu (TCG) with four emulated SCSI disks, then walks through
scan, attach, a RAID 1 and a RAID 0 drive, ext4 on both, the configuration on disk (COD),
a module reload that finds the drives again, and a pulled disk that the RAID 1 drive survives.
Each step says what it shows and why, prints the real commands and their output, and the
demo stops with a non-zero exit at the first step that does not do what it says.
Scratch files: $RC_VM_DIR (default /tmp/rc-vm), run/demo/console.log holds the guest's kernel log.
"""
import json
import os
import sys
import textwrap
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rcvm  # noqa: E402

T0 = time.time()
N_STEP = 0
# The module's dependencies (modinfo depends, written by mkinitramfs.sh), by name.
LOAD_DEPS = "for m in $(cat /etc/raidcluster-deps); do modprobe $m; done"
TTY = sys.stdout.isatty()
BOLD, RED, PLAIN = ("\033[1m", "\033[1;31m", "\033[0m") if TTY else ("", "", "")


def narrate(title, text):
    global N_STEP
    N_STEP += 1
    print(f"\n{BOLD}== {N_STEP}. {title}{PLAIN}  [{time.time() - T0:.0f}s]")
    for para in text.strip().split("\n\n"):
        print(textwrap.fill(" ".join(para.split()), 96, initial_indent="   ",
                            subsequent_indent="   "))
    sys.stdout.flush()


def fail(msg, vm=None):
    print(f"\n{RED}DEMO FAILED:{PLAIN} {msg}")
    if vm is not None:
        print(f"   last lines of the guest console ({vm.rundir}/console.log):")
        print(textwrap.indent(vm.console_tail(25), "   | "))
        vm.poweroff()
    sys.exit(1)


def run(vm, cmd, ok=True, timeout=300, quiet=False):
    """Show and run a guest command; ok=True: it must succeed, ok=False: it must fail."""
    print(f"\n   guest# {cmd}")
    rc, out = vm.sh(cmd, timeout)
    if not quiet:
        for line in out.rstrip("\n").splitlines():
            print("     " + line)
    if ok and rc != 0:
        fail(f"`{cmd}` exited {rc}", vm)
    if not ok and rc == 0:
        fail(f"`{cmd}` succeeded but should have failed", vm)
    sys.stdout.flush()
    return out


def expect(cond, msg, vm):
    if not cond:
        fail(msg, vm)
    print(f"   -> {msg}: yes")


def main():
    narrate("Prepare the guest", """
        The product is a kernel module, and this machine cannot load modules into its own
        kernel. So the demo boots Debian's stock 6.1 kernel in a qemu virtual machine (software
        emulation, no KVM) with a small initramfs that carries raidcluster.ko, raidclusterctl,
        mkfs/fsck and the SCSI tools. The initramfs is rebuilt only when its inputs changed.""")
    rcvm.build_guest(quiet=False)
    for p in (os.path.join(rcvm.REPO, "raidcluster.ko"),
              os.path.join(rcvm.REPO, "build", "raidclusterctl")):
        if not os.path.exists(p):
            fail(f"{p} is missing: run `make all` first (make demo does)")

    serials = [f"demo-disk{i}" for i in range(4)]
    disks = rcvm.make_disks("demo", serials, size_mb=256)
    narrate("Boot a server with four SCSI disks", f"""
        Four 256 MiB disk images become SCSI disks on a virtio-scsi HBA. Each has a fixed serial
        number ({', '.join(serials)}) and WWN, as real disks do; raidcluster identifies disks by
        those, never by the sdX names the kernel hands out in whatever order it probes.""")
    vm = rcvm.VM("demo", disks)
    vm.start()
    try:
        vm.wait_ready()
    except Exception as e:
        fail(f"the VM did not come up: {e}", vm)
    print(f"   VM ready in {vm.boot_seconds:.1f}s")
    d = [x.serial for x in disks]

    narrate("Scan the disks", """
        raidclusterctl scan lists every SCSI disk with its address (host:channel:target:lun),
        vendor, model, WWN, serial and capacity, read through SCSI INQUIRY and VPD pages. It
        also reads any raidcluster configuration from the disk; these disks are blank.""")
    out = run(vm, "raidclusterctl scan")
    expect(all(s in out for s in d), "all four disks are listed by serial", vm)

    narrate("Load the module and attach the disks", """
        The module needs the kernel's xor library (RAID 5 parity), loaded first by name; then
        insmod loads raidcluster.ko into the guest kernel; it creates the control device
        /dev/raidcluster. Attaching a disk opens it exclusively for raidcluster and records it
        as a member disk. Disks are named here by serial number; a WWN (naa.…) works too.""")
    run(vm, f"{LOAD_DEPS} && insmod {rcvm.KO} && ls -l /dev/raidcluster")
    run(vm, "raidclusterctl attach " + " ".join(d))

    narrate("Create a RAID 1 and a RAID 0 logical drive", f"""
        'mirror' is RAID 1 over {d[0]} and {d[1]}: every block is written to both disks, so it
        survives losing either one. 'stripe' is RAID 0 over {d[2]} and {d[3]} with a 64 KiB
        stripe: blocks alternate between the disks, twice the capacity, no redundancy. Each
        logical drive is a block device /dev/rclN.""")
    run(vm, f"raidclusterctl create mirror --level 1 --size 96M --disk {d[0]} --disk {d[1]}")
    run(vm, f"raidclusterctl create stripe --level 0 --stripe 64K --disk {d[2]} --disk {d[3]}")
    out = run(vm, "raidclusterctl status")
    expect("mirror" in out and "stripe" in out, "both drives are listed", vm)
    run(vm, "ls -l /dev/rcl*; cat /sys/block/rcl*/size")

    dev = {}
    for name in ("mirror", "stripe"):
        st = json.loads(vm.check("raidclusterctl status --json"))
        for ld in st.get("logical_drives", []):
            if ld.get("name") == name:
                dn = ld.get("device") or f"rcl{ld['number']}"
                dev[name] = dn if dn.startswith("/") else "/dev/" + dn
    if set(dev) != {"mirror", "stripe"}:
        fail(f"status --json does not give both devices: {dev}", vm)

    narrate("Put a filesystem on each drive and write files", """
        An ordinary ext4 filesystem goes on each logical drive, exactly as on a disk. We write a
        16 MiB file of random bytes and a small text file to each and record their checksums,
        to compare after the module reload and after a disk is pulled.""")
    for name, dv in dev.items():
        run(vm, f"mkfs.ext4 -q -F -L {name} {dv} && mkdir -p /mnt/{name} && "
                f"mount {dv} /mnt/{name}", quiet=True)
        print(f"     (ext4 made and mounted on /mnt/{name})")
        run(vm, f"dd if=/dev/urandom of=/mnt/{name}/random.bin bs=1M count=16 2>/dev/null && "
                f"echo 'hello from {name}' > /mnt/{name}/hello.txt && sync")
    run(vm, "cd /mnt && md5sum mirror/*.* stripe/*.* | tee /tmp/sums")
    run(vm, "df -h /mnt/mirror /mnt/stripe")

    narrate("The configuration on disk (COD)", f"""
        raidcluster keeps its configuration on the member disks themselves, two copies (A and B)
        in a reserved area at the start of every disk: the cluster UUID, the member disks by WWN
        and serial, the logical drives and their extents. 'cod show' reads it straight from
        {d[0]} through SCSI commands (SG_IO); it does not even need the module. This is what lets
        any server that sees the disks find the drives again.""")
    run(vm, f"raidclusterctl cod show {d[0]}")

    narrate("Reload the module: the drives come back from the COD", """
        We unmount, unload the module (every /dev/rcl* goes away) and load it again. Attaching
        the disks that carry a COD (attach --all) re-creates their logical drives, and the files
        are still there with the same checksums.""")
    run(vm, "umount /mnt/mirror /mnt/stripe && rmmod raidcluster && "
            "ls /dev/rcl* /dev/raidcluster 2>&1 | head -3; lsmod | grep -c raidcluster || true")
    run(vm, f"{LOAD_DEPS} && insmod {rcvm.KO} && raidclusterctl attach --all")
    run(vm, "raidclusterctl status")
    run(vm, f"mount {dev['mirror']} /mnt/mirror && mount {dev['stripe']} /mnt/stripe && "
            "cd /mnt && md5sum -c /tmp/sums")

    narrate("Pull a disk out of the RAID 1 drive", f"""
        Now {d[1]} is pulled out of the running server (qemu hot-removes the SCSI disk, as when a
        cable or a drive is pulled). The RAID 1 drive keeps serving the right data from {d[0]}:
        we drop the page cache so the files are really read from the disks, check the sums, and
        write a new file. raidcluster marks the lost member failed, runs the drive degraded and
        records that in the COD of the surviving disks.""")
    vm.unplug(d[1])
    print(f"   (QMP device_del of {d[1]} done)")
    run(vm, "ls /dev/lab/")
    run(vm, "sync; echo 3 > /proc/sys/vm/drop_caches; cd /mnt && md5sum -c /tmp/sums")
    run(vm, "dd if=/dev/urandom of=/mnt/mirror/after-pull.bin bs=1M count=4 2>/dev/null && "
            "sync && md5sum /mnt/mirror/after-pull.bin > /tmp/after && "
            "echo 3 > /proc/sys/vm/drop_caches && md5sum -c /tmp/after")
    out = run(vm, "raidclusterctl status")
    expect("degraded" in out.lower(), "the mirror runs degraded", vm)
    run(vm, f"raidclusterctl cod show {d[0]} | sed -n '/member disks/,$p'")
    run(vm, "dmesg | grep -i raidcluster | tail -8")

    narrate("Done", """
        One server built a RAID 1 and a RAID 0 drive over SCSI disks, kept their configuration on
        the disks, found them again after a module reload, and the RAID 1 drive kept its data
        through a disk pull.""")
    run(vm, "umount /mnt/mirror /mnt/stripe", quiet=True)
    problems = vm.kernel_problems(since_last=False)
    if problems:
        fail("the guest kernel logged problems:\n" + "\n".join(problems[:20]), vm)
    vm.poweroff()
    print(f"\ndemo: all steps passed in {time.time() - T0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
