#!/usr/bin/env python3
"""`make demo`: a three-node raidcluster, end to end, in three qemu VMs sharing six disks.

Boots Debian's 6.1 kernel under qemu (TCG) three times; the VMs share six disk images on two
SCSI channels (two virtio-scsi HBAs in each VM, the same disks on the same channel), as servers
sharing SCSI buses. The walk-through: the nodes start together and elect the highest ID as
master, a drive created on the master appears on every node, node 1 reserves it and writes
files on ext4, node 0 is refused (reads, writes, opening for writing), node 1 releases, node 0
reserves it and reads every file back; node 1 takes it again, writes and is killed: the master
declares it failed, node 0 takes the drive over once node 1 is fenced and reads every file
back, and node 1 boots again and rejoins as a slave. Each step says what it shows and why, prints the real
commands and their output, and the demo stops with a non-zero exit at the first step that does
not do what it says. Ends with `demo: 3 nodes, all steps passed`.
Scratch files: $RC_VM_DIR (default /tmp/rc-vm); run/demo-nN/console.log is node N's kernel log.
"""
import json
import os
import sys
import textwrap
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rcvm  # noqa: E402
from cluster import Cluster  # noqa: E402

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
    print(f"\n   {vm.name.split('-')[-1].replace('n', 'node')}# {cmd}")
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
    narrate("Prepare the guests", """
        The product is a kernel module, and this machine cannot load modules into its own
        kernel. So the demo boots Debian's stock 6.1 kernel in qemu virtual machines (software
        emulation, no KVM) with a small initramfs that carries raidcluster.ko, raidclusterctl,
        mkfs/fsck and the SCSI tools. The initramfs is rebuilt only when its inputs changed.""")
    rcvm.build_guest(quiet=False)
    for p in (os.path.join(rcvm.REPO, "raidcluster.ko"),
              os.path.join(rcvm.REPO, "build", "raidclusterctl")):
        if not os.path.exists(p):
            fail(f"{p} is missing: run `make all` first (make demo does)")

    c = Cluster("demo", nodes=3)
    narrate("Boot three servers that share six SCSI disks", """
        Six 128 MiB disk images become SCSI disks on two channels: disks 0-2 on the first
        virtio-scsi HBA, 3-5 on the second, in every server. Every server opens the same image
        files, so a block one server writes is what the others read: the servers ("nodes")
        cooperate only through these disks, as the patent's controllers do over shared SCSI
        buses. There is no network between them. Each disk has a fixed serial and WWN.""")
    try:
        c.start()
    except Exception as e:
        fail(f"the VMs did not come up: {e}")
    n0, n1, n2 = c.node(0), c.node(1), c.node(2)
    try:
        return walk(c, n0, n1, n2)
    finally:
        c.stop()


def walk(c, n0, n1, n2):
    d = [x.dev for x in c.disks]
    run(n0, "raidclusterctl scan")

    narrate("Node 0 makes the cluster", f"""
        Node 0 loads raidcluster.ko with node_id=0 and attaches the six blank disks. Attaching
        the first creates a new cluster; the module's protocol node starts, listens to the
        disks for a moment (a live node with the same ID would show up there), finds nobody,
        and becomes master of a cluster of one. As master it writes the configuration on disk
        (the COD) on every member. Then it unloads, leaving the COD on the disks.""")
    run(n0, f"{LOAD_DEPS} && insmod {rcvm.KO} node_id=0")
    run(n0, "raidclusterctl attach " + " ".join(d))
    c.wait_nexus(n0)
    run(n0, "raidclusterctl node list")
    run(n0, "rmmod raidcluster")

    narrate("All three nodes start at once and elect a master", """
        Every node loads the module with its own node_id and attaches the disks that carry the
        COD. The nodes find each other through their slots in the disks' metadata area
        (heartbeats), the highest ID (2) becomes master, processes the COD, and negotiates the
        configuration with the other two, which become active slaves. 'node list' shows the
        cluster as each node sees it: the same master and members on every node.""")
    c.join_all()
    for vm in (n0, n1, n2):
        c.wait_nexus(vm)
    for vm in (n0, n1, n2):
        views = c.node_list(vm)
        live = sorted(i for i, e in views.items() if e["self"] or e["live"])
        if live != [0, 1, 2] or any(views[i]["master"] != 2 for i in live):
            time.sleep(3)
    for vm in (n0, n1, n2):
        out = run(vm, "raidclusterctl node list")
    views = c.node_list(n0)
    expect(views[2]["state"] == "MASTER" and views[0]["master"] == 2,
           "node 2 is the master and node 0 follows it", n0)

    narrate("Create a RAID 1 drive on the master: it appears on every node", f"""
        A RAID 1 drive 'shared' mirrors disk 0 (channel 0) and disk 3 (channel 1). The master
        writes the new configuration on the disks and tells the slaves, which read it from the
        disks and start the same drive: /dev/rcl0 is the same drive on every node.""")
    run(n2, f"raidclusterctl create shared --level 1 --size 64M --disk {d[0]} --disk {d[3]}")
    for vm in (n0, n1):
        end = time.time() + 60
        while not any(ld["name"] == "shared" and ld["running"]
                      for ld in c.status(vm)["logical_drives"]):
            if time.time() > end:
                fail("the drive did not appear on every node", vm)
            time.sleep(0.5)
        run(vm, "raidclusterctl status | sed -n '/logical drives/,$p'")

    narrate("Node 1 reserves the drive and writes files", """
        Before a node uses a shared drive it takes the drive's reservation, the SCSI Reserve of
        the patent: the request goes to every other node through the disks, and simultaneous
        requests are settled by node ID. Node 1 makes an ext4 filesystem on the drive, writes
        a 16 MiB file of random bytes and a text file, records their checksums, and unmounts.""")
    run(n1, "raidclusterctl reserve shared")
    run(n1, "mkfs.ext4 -q -F -L shared /dev/rcl0 && mkdir -p /mnt/shared && "
            "mount /dev/rcl0 /mnt/shared", quiet=True)
    run(n1, "dd if=/dev/urandom of=/mnt/shared/random.bin bs=1M count=16 2>/dev/null && "
            "echo 'hello from node 1' > /mnt/shared/hello.txt && sync && "
            "cd /mnt/shared && md5sum random.bin hello.txt | tee /tmp/sums")
    sums = n1.check("cat /tmp/sums")
    run(n1, "umount /mnt/shared")

    narrate("Node 0 is refused while node 1 holds the drive", """
        On a node that does not hold the reservation, I/O to the drive ends with a reservation
        conflict and an open for writing is refused; the kernel says who holds the drive. Its own
        reserve fails, naming the holder. This is the fence: two nodes never write one drive.""")
    run(n0, "dd if=/dev/rcl0 of=/dev/null bs=4k count=1 iflag=direct", ok=False)
    run(n0, "mkdir -p /mnt/shared && mount /dev/rcl0 /mnt/shared", ok=False)
    out = run(n0, "raidclusterctl reserve shared", ok=False)
    expect("reserved by node 1" in out, "node 0's reserve is refused naming node 1", n0)
    run(n0, "dmesg | grep 'raidcluster: rcl0' | tail -3")
    run(n0, "raidclusterctl status | sed -n '/logical drives/,$p'")

    narrate("Node 1 releases; node 0 reserves and reads every file back", """
        Node 1 releases the drive (its writes in flight reach the disks first). Node 0 reserves
        it, mounts the filesystem node 1 made and checks every file against node 1's
        checksums.""")
    run(n1, "raidclusterctl release shared")
    run(n0, "raidclusterctl reserve shared")
    n0.put("/tmp/sums", sums.encode())
    run(n0, "mount /dev/rcl0 /mnt/shared && cd /mnt/shared && md5sum -c /tmp/sums && "
            "cat hello.txt")
    run(n0, "umount /mnt/shared && raidclusterctl release shared")
    run(n0, "cat /proc/raidcluster")

    narrate("Node 1 holds the drive, writes, and dies", """
        Node 1 reserves the drive again, writes one more file and records its checksum; then its
        server is switched off without warning (its qemu is killed: no shutdown, no release).
        The master misses its heartbeats (4 of them, one a second), tests its own disk to rule
        out its own cable, declares node 1 failed and writes a Node_Kill for it.""")
    run(n1, "raidclusterctl reserve shared && mount /dev/rcl0 /mnt/shared && "
            "dd if=/dev/urandom of=/mnt/shared/late.bin bs=1M count=4 2>/dev/null && sync && "
            "cd /mnt/shared && md5sum random.bin hello.txt late.bin | tee /tmp/sums")
    sums = n1.check("cat /tmp/sums")
    n1.kill()
    t_kill = time.time()
    try:
        n2.wait_console(r"node 1 is FAILED_SLAVE", 60)
    except Exception as e:
        fail(f"the master did not declare node 1 failed: {e}", n2)
    print(f"\n   -> the master declared node 1 failed {time.time() - t_kill:.1f} s after it died")
    run(n2, "dmesg | grep 'raidcluster: node 1' | tail -2")

    narrate("A survivor takes the drive over and reads every file back", """
        The dead node's drive is freed only once it is fenced: its kill is on the disks and
        its lease (3 s) and the time for its last writes to land (1 s) are over, so it cannot
        be writing any more. Node 0 then reserves the drive (it retries while the drive is
        still fenced), resyncs the dirty regions of node 1's write-intent bitmap, and finds
        every file, the one written just before the crash included.""")
    end = time.time() + 60
    while True:
        rc, out = Cluster.ctl(n0, "reserve", "shared")
        if rc == 0:
            break
        if time.time() > end:
            fail(f"node 0 could not reserve the drive: {out}", n0)
        time.sleep(0.3)
    print(f"\n   node0# raidclusterctl reserve shared      (succeeded "
          f"{time.time() - t_kill:.1f} s after node 1 died)")
    n0.put("/tmp/sums", sums.encode())
    run(n0, "mount /dev/rcl0 /mnt/shared && cd /mnt/shared && md5sum -c /tmp/sums")
    run(n0, "umount /mnt/shared && raidclusterctl release shared")

    narrate("The dead node comes back as a slave", """
        Node 1's server boots again and loads the module: it joins the running cluster as a
        slave of node 2 with a new incarnation, without any of its old reservations.""")
    c.start(which=[1])
    c.join_all(which=[1])
    n1 = c.node(1)
    view = c.wait_nexus(n1)
    run(n1, "raidclusterctl node list")
    me = c.self_of(view)
    expect(me["state"] == "ACTIVE_SLAVE" and me["master"] == 2,
           "node 1 is back as a slave of node 2", n1)

    narrate("Done", """
        Three nodes elected a master over the shared disks, agreed on one configuration, and a
        drive made on one node was used by two others in turn under its reservation: the node
        without it was fenced, and the next holder read exactly what the first one wrote. When
        the holder died, a survivor took the drive over once the dead node was fenced and read
        every file back; the dead node rejoined as a slave.""")
    for i, vm in ((0, n0), (1, n1), (2, n2)):
        problems = vm.kernel_problems(since_last=False)
        if problems:
            fail(f"node {i}'s kernel logged problems:\n" + "\n".join(problems[:20]), vm)
    print(f"\n   ({time.time() - T0:.0f}s)")
    print("demo: 3 nodes, all steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
