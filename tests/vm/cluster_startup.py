"""Startup and membership on real kernels (figures 4-7, 9 of the patent), the protocol run by
raidcluster.ko over the shared disks.

cluster.cold_start: node 0 makes the cluster (the COD on the six disks), then the three nodes
load the module and attach the disks at once. The highest ID (2) becomes the master, every node
reaches nexus, and `node list` on every node names the same master and the same members;
/sys/class/misc/raidcluster/ says the same.

cluster.join: with 0-2 running, a fourth node with a higher ID (3) starts later: it joins the
running master as a slave (an ID decides only among nodes that start together).

cluster.duplicate_id: with 0-2 running, a second machine loaded with node_id=1 listens first,
sees node 1's slot advancing, refuses to join (KILLED_SLAVE/Duplicate_Node_ID, a kernel message
naming the conflict) and writes nothing: qemu's block statistics of its six disks show no write
from the moment the module was loaded.
"""
import time

from cluster import Cluster
from vmtest import Fail


def agree(c, ids, master, settle=20):
    """Every node of ids is in nexus and lists exactly ids, all naming master. The views
    settle within a few heartbeats (a node reads the others' slots once a period)."""
    for i in ids:
        c.wait_nexus(c.node(i))
    end = time.time() + settle
    while True:
        try:
            return check_views(c, ids, master)
        except Fail:
            if time.time() > end:
                raise
            time.sleep(1)


def check_views(c, ids, master):
    views = {i: c.node_list(c.node(i)) for i in ids}
    for i, view in views.items():
        live = sorted(n for n, e in view.items() if e["self"] or e["live"])
        if live != sorted(ids):
            raise Fail(f"node {i} lists live nodes {live}, expected {sorted(ids)}: {view}")
        for n in ids:
            e = view[n]
            if e["master"] != master:
                raise Fail(f"node {i}: node {n} names master {e['master']}, expected {master}:"
                           f" {e}")
            want = "MASTER" if n == master else "ACTIVE_SLAVE"
            if e["state"] != want:
                raise Fail(f"node {i}: node {n} is {e['state']}/{e['info']}, expected {want}")
        me = c.self_of(view)
        if me["id"] != i or me["incarnation"] == 0:
            raise Fail(f"node {i}: own entry wrong: {me}")
    return views


def problems(c):
    p = c.kernel_problems()
    if p:
        raise Fail(f"kernel problems: {p}")


def sysfs_agrees(c, i):
    """/sys/class/misc/raidcluster/ says what node list says on node i."""
    vm = c.node(i)
    me = c.self_of(c.node_list(vm))
    d = "/sys/class/misc/raidcluster"
    got = {k: vm.check(f"cat {d}/{k}").strip() for k in ("node_id", "node_state", "master",
                                                          "nexus")}
    want = {"node_id": str(i), "node_state": f"{me['state']}/{me['info']}",
            "master": str(me["master"]), "nexus": "1"}
    if got != want:
        raise Fail(f"node {i}: sysfs {got} but node list {want}")
    ids = sorted(int(line.split()[0]) for line in vm.check(f"cat {d}/nodes").splitlines())
    if ids != sorted(c.ids):
        raise Fail(f"node {i}: sysfs nodes lists {ids}")


def scenario_cold_start(name):
    with Cluster(name, nodes=3) as c:
        c.create_cluster(0)
        c.join_all()
        agree(c, c.ids, master=2)
        for i in c.ids:
            sysfs_agrees(c, i)
        # the same drives everywhere: the COD every node runs has one generation
        gens = {i: Cluster.status(c.node(i))["cod_generation"] for i in c.ids}
        if len(set(gens.values())) != 1:
            raise Fail(f"the nodes run different COD generations: {gens}")
        problems(c)


def scenario_join(name):
    with Cluster(name, nodes=4) as c:
        c.create_cluster(0)
        c.join_all([0, 1, 2])
        agree(c, [0, 1, 2], master=2)
        c.join_all([3])
        agree(c, [0, 1, 2, 3], master=2)
        problems(c)


def write_ops(vm):
    """Writes qemu completed per disk of vm (QMP query-blockstats), by device id."""
    out = {}
    for dev in vm.qmp("query-blockstats"):
        name = dev.get("qdev") or dev.get("device")
        out[name] = dev["stats"]["wr_operations"]
    return out


def scenario_duplicate_id(name):
    with Cluster(name, nodes=3) as c:
        c.create_cluster(0)
        c.join_all()
        agree(c, c.ids, master=2)
        dup = c.extra_vm("dup1")
        before = write_ops(dup)
        dup.check("for m in $(cat /etc/raidcluster-deps); do modprobe $m; done; "
                  "insmod /lib/raidcluster/raidcluster.ko node_id=1")
        Cluster.ctl_ok(dup, "attach", "--all")
        end = time.time() + 60
        while True:
            me = Cluster.self_of(Cluster.node_list(dup))
            if me["state"] == "KILLED_SLAVE":
                break
            if time.time() > end:
                raise Fail(f"the duplicate node 1 did not refuse to join: {me}")
            time.sleep(0.5)
        if me["info"] != "Duplicate_Node_ID":
            raise Fail(f"the duplicate refused for another reason: {me}")
        if "Duplicate_Node_ID" not in dup.console():
            raise Fail("no kernel message names the duplicate ID:\n" + dup.console_tail(20))
        time.sleep(3)           # a write it would do after refusing would show now
        after = write_ops(dup)
        if after != before:
            raise Fail(f"the duplicate node wrote to the shared disks: {before} -> {after}")
        # the real node 1 is still a member, and nobody saw two nodes 1
        agree(c, c.ids, master=2)
        problems(c)


SCENARIOS = [scenario_cold_start, scenario_join, scenario_duplicate_id]
