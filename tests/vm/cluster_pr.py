"""SCSI-3 persistent reservations on the member disks (Documentation/kernel.md, "Persistent
reservations"), on disks that have them: LUNs of a local iSCSI target (iscsi_target.py).

cluster.pr_registration: three nodes start a cluster on six iSCSI disks. Every node's key
(lib/pr_key.h: the cluster UUID's tag, the node ID, its incarnation) is registered on every
member disk: `status --json` of each node shows it, and PERSISTENT RESERVE IN (sg_persist, read
by the test on one node) lists exactly the three keys on each disk. Node 1's module is unloaded
and loaded again: its old key leaves every disk with it, and its new life registers a new key
(a higher incarnation) on every disk.

On qemu's emulated disks, which have no persistent reservations, every node shows each disk's
registration as unsupported (`PR KEY` column `none`): check_lease_only(), run by
cluster.cold_start.
"""
import re

import iscsi_target
from cluster import Cluster
from vmtest import Fail, Skip


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


def scenario_pr_registration(name):
    if not iscsi_target.available():
        raise Skip("tgt or qemu-block-extra not installed (make deps installs them)")
    with Cluster(name, nodes=3, iscsi=True) as c:
        c.create_cluster(0)
        c.join_all()
        for i in c.ids:
            c.wait_nexus(c.node(i))
        want = keys_of(c)
        check_disks(c, want, c.node(2))
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
        problems = c.kernel_problems()
        if problems:
            raise Fail(f"kernel problems: {problems}")


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


SCENARIOS = [scenario_pr_registration]
