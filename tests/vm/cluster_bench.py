"""Scenarios of the cluster VM bench itself (tests/vm/cluster.py), before any protocol runs.

cluster.shared_disks: three nodes boot over the same six images. Every node sees every disk
with the same serial on the same channel (HBA) and target, disks 0-2 on one channel and 3-5 on
the other; a block each node writes (O_DIRECT) to a disk of its own is read back, byte for
byte, by every node. This is what the protocol's slots and mailboxes stand on: a completed write
of one node is what the others read.
"""
from cluster import Cluster
from vmtest import Fail

SECTOR = 40000      # in the data area: nothing of raidcluster's lives there


def hctl(vm, d):
    """host:channel:target:lun of the disk with serial d.serial in this node."""
    out = vm.check(f"basename $(readlink -f /sys/block/$(basename $(readlink -f {d.dev}))/device)")
    return tuple(int(x) for x in out.strip().split(":"))


def scenario_shared_disks(name):
    c = Cluster(name, nodes=3)
    with c:
        views = {}
        for i, vm in ((i, c.node(i)) for i in c.ids):
            view = [hctl(vm, d) for d in c.disks]
            hosts = [h for h, _, _, _ in view]
            # one HBA per channel, the same disks on it in order, in every node
            for k, d in enumerate(c.disks):
                if hosts[k] != hosts[d.channel * 3]:
                    raise Fail(f"node {i}: {d.serial} not on the HBA of channel {d.channel}: "
                               f"{view}")
            if hosts[0] == hosts[3]:
                raise Fail(f"node {i}: both channels on one HBA: {view}")
            views[i] = [(h - hosts[0], t) for h, _, t, _ in view]
        if len({tuple(v) for v in views.values()}) != 1:
            raise Fail(f"the nodes see the disks at different addresses: {views}")
        for i in c.ids:
            d = c.disks[i % len(c.disks)]
            c.node(i).check(f"printf 'node %s wrote this block' {i} | dd of=/tmp/blk bs=4096 "
                            "conv=sync 2>/dev/null && "
                            f"dd if=/tmp/blk of={d.dev} bs=4096 seek={SECTOR // 8} "
                            "oflag=direct conv=notrunc 2>/dev/null")
        for j in c.ids:
            for i in c.ids:
                d = c.disks[i % len(c.disks)]
                got = c.node(j).check(f"dd if={d.dev} bs=4096 skip={SECTOR // 8} count=1 "
                                      "iflag=direct 2>/dev/null | head -c 23")
                if got != f"node {i} wrote this block":
                    raise Fail(f"node {j} reads {got!r} where node {i} wrote on {d.serial}")
        problems = c.kernel_problems()
        if problems:
            raise Fail(f"kernel problems: {problems}")


SCENARIOS = [scenario_shared_disks]
