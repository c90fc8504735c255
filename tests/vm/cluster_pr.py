"""SCSI-3 persistent reservations on the member disks (Documentation/kernel.md, "Persistent
reservations"), on disks that have them: LUNs of a local iSCSI target (iscsi_target.py).

cluster.pr_registration: three nodes start a cluster on six iSCSI disks. Every node's key
(lib/pr_key.h: the cluster UUID's tag, the node ID, its incarnation) is registered on every
member disk: `status --json` of each node shows it, and PERSISTENT RESERVE IN (sg_persist, read
by the test on one node) lists exactly the three keys on each disk. Node 1's module is unloaded
and loaded again: its old key leaves every disk with it, and its new life registers a new key
(a higher incarnation) on every disk.

The master holds a WRITE EXCLUSIVE, REGISTRANTS ONLY reservation on every disk (READ
RESERVATION names its key), and every node says `fencing: disk PR`.

cluster.pr_fence_frozen: node 0 holds a RAID 1 and writes it with verified writers; its VM is
stopped through QMP (`stop`), which stops the guest's clock with it: when it runs again, its lease
has not run out as far as it can tell. The master fences it at the disks (its key is preempted
from every disk) and frees its drive; node 1 reserves it and writes its own pattern over the
whole area; node 0 runs again (`cont`). Its queued and new writes end with RESERVATION CONFLICT
at the disks and it suspends itself (Killed): on the raw images every block of the area holds
node 1's pattern on both mirrors. With RC_PR_FENCING=0 in the environment the nodes load with
pr_fencing=0 and run on the lease alone: this scenario then fails, which is the risk the admin
guide describes.

cluster.pr_crash_rejoin: node 0 (holding a drive) is SIGKILLed; before its drive is freed its key
is gone from every disk (node 1 reserves the drive, then READ KEYS shows only nodes 1 and 2). Node
0 boots again and joins: its new life's key is on every disk, it is a slave in nexus, and it can
read and write a drive it reserves.

cluster.lease_only_mode: on qemu's emulated disks, which have no persistent reservations, every
node shows each disk's registration as unsupported (`PR KEY` column `none`) and the fencing mode
`lease only` in `status`, `node list` and /proc/raidcluster (check_lease_only()); the lease's
own scenarios (cluster.pause_fence, cluster.slave_crash, ...) run on such disks.
"""
import os
import re
import time

import iscsi_target
from cluster import Cluster
from cluster_failure import (BLOCKS, drive_extents, no_kernel_problems, reserve_retry,
                             start_writer, wait_acks, wait_until)
from cluster_resv import make_drive, start3
from vmtest import Fail, Skip

# 0: load the nodes with pr_fencing=0 (the lease alone): pr_fence_frozen must then fail
PR_FENCING = os.environ.get("RC_PR_FENCING", "1")


def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return crc ^ 0xffffffff


def pr_key(uuid, node, incarnation):
    """lib/pr_key.c's rc_pr_key(), from the other side."""
    tag = crc32c(bytes.fromhex(uuid.replace("-", ""))) & 0x7fffff
    return (1 << 63) | (tag << 40) | (node << 32) | incarnation


def registered_keys(vm, disk):
    """The keys PERSISTENT RESERVE IN, READ KEYS lists on disk (through vm)."""
    out = vm.check(f"sg_persist --in --read-keys --no-inquiry {disk.dev}")
    return sorted(int(k, 16) for k in re.findall(r"^\s+0x([0-9a-f]+)\s*$", out, re.M))


def keys_of(c):
    """{node: its key} from each node's own status and node list."""
    want = {}
    for i in c.ids:
        vm = c.node(i)
        st = Cluster.status(vm)
        me = Cluster.self_of(Cluster.node_list(vm))
        key = pr_key(st["cluster_uuid"], i, me["incarnation"])
        want[i] = key
        for d in st["disks"]:
            if d["pr_state"] != "registered" or d["pr_key"] != "0x%016x" % key:
                raise Fail(f"node {i}: disk {d['index']} shows {d['pr_state']} {d['pr_key']},"
                           f" expected registered 0x{key:016x}")
    return want


def check_disks(c, want, via):
    for d in c.disks:
        have = registered_keys(via, d)
        if have != sorted(want.values()):
            raise Fail(f"{d.serial}: registered keys {[hex(k) for k in have]}, expected "
                       f"{[hex(k) for k in sorted(want.values())]}")


def need_iscsi():
    if not iscsi_target.available():
        raise Skip("tgt or qemu-block-extra not installed (make deps installs them)")


def reservation(vm, disk):
    """(holder key, type text) of the disk's persistent reservation, or None (through vm)."""
    out = vm.check(f"sg_persist --in --read-reservation --no-inquiry {disk.dev}")
    if "Reservation follows" not in out:
        return None
    key = re.search(r"Key\s*=\s*0x([0-9a-f]+)", out)
    typ = re.search(r"type:\s*(.+?)\s*$", out, re.M)
    if not key or not typ:
        raise Fail(f"{disk.serial}: cannot read sg_persist's answer:\n{out}")
    return int(key.group(1), 16), typ.group(1)


def check_reservation(c, want, via):
    """The master holds WRITE EXCLUSIVE, REGISTRANTS ONLY on every disk with its key."""
    master = Cluster.self_of(Cluster.node_list(via))["master"]
    for d in c.disks:
        r = reservation(via, d)
        if r is None or r[0] != want[master] or \
                r[1] != "Write Exclusive, registrants only":
            raise Fail(f"{d.serial}: reservation {r}, expected the master's (node {master}) key "
                       f"0x{want[master]:016x} with Write Exclusive, registrants only")


def fencing_mode(vm):
    """The fencing mode node vm names in status --json, node list --json, node list, status
    and /proc/raidcluster: Fail unless all five agree."""
    modes = {"status --json": Cluster.status(vm)["fencing"],
             "node list --json": Cluster.self_of(Cluster.node_list(vm))["fencing"]}
    for what, args in (("node list", ("node", "list")), ("status", ("status",))):
        m = re.search(r"fencing: (disk PR|lease only)\n", Cluster.ctl_ok(vm, *args))
        modes[what] = m.group(1) if m else None
    m = re.search(r"^fencing: (.*)$", vm.check("cat /proc/raidcluster"), re.M)
    modes["/proc/raidcluster"] = m.group(1) if m else None
    if len(set(modes.values())) != 1:
        raise Fail(f"{vm.name}: the fencing mode differs: {modes}")
    return modes["status --json"]


def check_mode(c, want):
    for i in c.ids:
        mode = fencing_mode(c.node(i))
        if mode != want:
            raise Fail(f"node {i}: fencing mode {mode!r}, expected {want!r}")


def scenario_pr_registration(name):
    need_iscsi()
    with Cluster(name, nodes=3, iscsi=True) as c:
        c.create_cluster(0)
        c.join_all()
        for i in c.ids:
            c.wait_nexus(c.node(i))
        want = keys_of(c)
        check_disks(c, want, c.node(2))
        check_reservation(c, want, c.node(2))
        check_mode(c, "disk PR")
        old = want[1]
        vm = c.node(1)
        vm.check("rmmod raidcluster")
        gone = dict(want)
        del gone[1]
        check_disks(c, gone, c.node(2))
        c.join_all([1])
        c.wait_nexus(vm)
        want = keys_of(c)
        if want[1] == old or (want[1] & 0xffffffff) <= (old & 0xffffffff):
            raise Fail(f"node 1's new life has key 0x{want[1]:016x}, its old one 0x{old:016x}")
        check_disks(c, want, c.node(0))
        check_reservation(c, want, c.node(0))
        no_kernel_problems(c)


def guest_uptime(vm):
    return float(vm.check("cut -d' ' -f1 /proc/uptime"))


def image_errors(c, vm, name, pattern):
    """Blocks of the drive's members on the raw images that do not hold pattern."""
    errors = []
    for k, (path, start, _) in enumerate(drive_extents(c, vm, name)):
        with open(path, "rb") as f:
            f.seek(start)
            data = f.read(len(pattern))
        bad = [b for b in range(len(pattern) // 4096)
               if data[b * 4096:(b + 1) * 4096] != pattern[b * 4096:(b + 1) * 4096]]
        if bad:
            errors.append(f"copy {k}: {len(bad)} block(s) are not node 1's pattern after the "
                          f"takeover (the first: {bad[:8]})")
    return errors


def scenario_pr_fence_frozen(name):
    need_iscsi()
    extra = "" if PR_FENCING == "1" else "pr_fencing=0"
    with Cluster(name, nodes=3, iscsi=True) as c:
        c.create_cluster(0)
        c.join_all(extra=extra)
        for i in c.ids:
            c.wait_nexus(c.node(i))
        check_mode(c, "disk PR" if not extra else "lease only")
        dev = make_drive(c, 2, "m", level=1, disks=(0, 3), size="32M")
        a, b = c.node(0), c.node(1)
        Cluster.ctl_ok(a, "reserve", "m")
        start_writer(a, dev, 7, 17, "m")
        wait_acks(a, (7,))
        u0, t0 = guest_uptime(a), time.time()
        a.qmp("stop")
        t_stop = time.time()
        took = reserve_retry(b, "m", timeout=120)
        pattern = os.urandom(BLOCKS * 4096)
        pat_file = os.path.join(b.rundir, "pattern")
        with open(pat_file, "wb") as f:
            f.write(pattern)
        b.check(f"dd if=/host{pat_file} of={dev} bs=1M oflag=direct 2>/dev/null")
        a.qmp("cont")
        stopped = time.time() - t_stop
        u1, t1 = guest_uptime(a), time.time()
        lost = (t1 - t0) - (u1 - u0)
        if lost < 0.8 * stopped:
            raise Fail(f"node 0's clock went on while it was stopped: {u1 - u0:.1f} s of guest "
                       f"time in {t1 - t0:.1f} s, {stopped:.1f} s of it stopped")
        wait_until("node 0 to suspend itself",
                   lambda: re.search(r"node 0 suspended \(Killed\)", a.console()), 60)
        time.sleep(3)                     # every writer met the fence
        a.sh("kill $(cat /tmp/cw.m.pid) 2>/dev/null; true")
        console = a.console()
        refused = len(re.findall(r"reservation conflict", console))
        print(f"     pr_fence_frozen: stopped {stopped:.1f} s (node 0's clock lost {lost:.1f} s), "
              f"node 1 took the drive {took:.1f} s after the stop; node 0's console shows "
              f"{refused} I/O(s) refused with RESERVATION CONFLICT", flush=True)
        errors = image_errors(c, b, "m", pattern)
        if not refused:
            errors.append("no I/O of node 0 was refused at the disks:\n" + a.console_tail(30))
        if errors:
            raise Fail("\n".join(errors))
        no_kernel_problems(c)


def scenario_pr_crash_rejoin(name):
    need_iscsi()
    with Cluster(name, nodes=3, iscsi=True) as c:
        start3(c)
        make_drive(c, 2, "m", level=1, disks=(0, 3), size="16M")
        want = keys_of(c)
        a, b = c.node(0), c.node(1)
        Cluster.ctl_ok(a, "reserve", "m")
        a.kill()
        # node 0's drive is free only once it is fenced at the disks: its key is gone by then
        reserve_retry(b, "m", timeout=120)
        gone = {i: k for i, k in want.items() if i != 0}
        check_disks(c, gone, b)
        check_reservation(c, gone, b)
        c.start(which=[0])
        c.join_all([0])
        view = c.wait_nexus(c.node(0))
        if Cluster.self_of(view)["state"] != "ACTIVE_SLAVE":
            raise Fail(f"node 0 came back as {Cluster.self_of(view)}")
        again = keys_of(c)
        if (again[0] & 0xffffffff) <= (want[0] & 0xffffffff):
            raise Fail(f"node 0's new key 0x{again[0]:016x} is not of a later life than "
                       f"0x{want[0]:016x}")
        check_disks(c, again, b)
        check_mode(c, "disk PR")
        # it writes again: node 1 lets the drive go, node 0 takes it and writes it
        Cluster.ctl_ok(b, "release", "m")
        a = c.node(0)
        reserve_retry(a, "m")
        dev = "/dev/" + [x for x in Cluster.status(a)["logical_drives"]
                         if x["name"] == "m"][0]["device"]
        a.check(f"dd if=/dev/urandom of={dev} bs=64k count=16 oflag=direct 2>/dev/null")
        no_kernel_problems(c)


def scenario_lease_only_mode(name):
    with Cluster(name, nodes=3) as c:
        start3(c)
        check_lease_only(c)


def check_lease_only(c):
    """Every node of c (on emulated disks) shows no registration, and says why: none."""
    for i in c.ids:
        st = Cluster.status(c.node(i))
        bad = [(d["index"], d["pr_state"]) for d in st["disks"]
               if d["pr_state"] != "unsupported" or d["pr_key"] is not None]
        if bad:
            raise Fail(f"node {i}: emulated disks show a registration: {bad}")
        out = Cluster.ctl_ok(c.node(i), "status")
        rows = [ln for ln in out.splitlines() if ln.strip().startswith(tuple("012345"))
                and "/dev/" in ln]
        if not rows or any(not ln.rstrip().endswith("none") for ln in rows):
            raise Fail(f"node {i}: the PR KEY column does not say none:\n{out}")
    check_mode(c, "lease only")


SCENARIOS = [scenario_pr_registration, scenario_pr_fence_frozen, scenario_pr_crash_rejoin,
             scenario_lease_only_mode]
