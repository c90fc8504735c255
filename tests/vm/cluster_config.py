"""Configuration changes from any node (figure 15: the master checks its cables, commits, and
distributes), on three real kernels.

cluster.config_everywhere: a RAID 5 created on a slave (node 0; the master is node 2) is carried
out by the master (Node_Host_Request) and appears as the same rclN with the same level,
geometry and extents on every node. A create refused by the master (the name is taken) fails on
the slave with the master's reason and changes nothing anywhere. Deleted on another slave
(node 1), the drive disappears from every node.
"""
import time

from cluster import Cluster
from vmtest import Fail


def drives(c, i):
    return {ld["name"]: ld for ld in Cluster.status(c.node(i))["logical_drives"]}


def geometry(ld):
    return (ld["device"], ld["level"], ld["stripe_sectors"], ld["capacity_sectors"],
            tuple((e["disk"], e["start_sectors"], e["length_sectors"]) for e in ld["extents"]))


def wait_everywhere(c, cond, what, timeout=60):
    end = time.time() + timeout
    while True:
        views = {i: drives(c, i) for i in c.ids}
        if all(cond(v) for v in views.values()):
            return views
        if time.time() > end:
            raise Fail(f"{what} not on every node after {timeout}s: "
                       f"{ {i: sorted(v) for i, v in views.items()} }")
        time.sleep(0.5)


def scenario_config_everywhere(name):
    with Cluster(name, nodes=3) as c:
        c.create_cluster(0)
        c.join_all()
        for i in c.ids:
            c.wait_nexus(c.node(i))
        slave = c.node(0)
        disks = [c.disks[k].dev for k in (0, 1, 3, 4)]
        args = ["create", "r5", "--level", "5", "--size", "32M", "--stripe", "64K"]
        for d in disks:
            args += ["--disk", d]
        out = Cluster.ctl_ok(slave, *args)
        # the slave runs it at once: the command returned after this node adopted it
        here = drives(c, 0)
        if "r5" not in here or not here["r5"]["running"]:
            raise Fail(f"create on the slave returned before the drive runs there:\n{out}\n"
                       f"{sorted(here)}")
        views = wait_everywhere(c, lambda v: "r5" in v and v["r5"]["running"], "r5")
        geos = {i: geometry(v["r5"]) for i, v in views.items()}
        if len(set(geos.values())) != 1:
            raise Fail(f"r5 differs between the nodes: {geos}")
        if views[0]["r5"]["level"] != 5 or len(views[0]["r5"]["extents"]) != 4:
            raise Fail(f"r5 is not the RAID 5 asked for: {views[0]['r5']}")
        gens = {i: Cluster.status(c.node(i))["cod_generation"] for i in c.ids}
        # a refusal by the master: one clear error on the slave, nothing changes anywhere
        before = {i: {n: geometry(ld) for n, ld in drives(c, i).items()} for i in c.ids}
        rc, out = Cluster.ctl(c.node(1), *args)
        if rc != 1 or "r5" not in out:
            raise Fail(f"a duplicate name was not refused with the master's reason (rc={rc}):"
                       f"\n{out}")
        time.sleep(3)
        after = {i: {n: geometry(ld) for n, ld in drives(c, i).items()} for i in c.ids}
        if after != before:
            raise Fail(f"a refused create changed drives: {before} -> {after}")
        # deleted on another slave: gone everywhere
        Cluster.ctl_ok(c.node(1), "delete", "--yes", "r5")
        wait_everywhere(c, lambda v: "r5" not in v, "the deletion of r5")
        for i in c.ids:
            rc, out = c.node(i).sh(f"test -b /dev/{geos[0][0]}")
            if rc == 0:
                raise Fail(f"node {i} still has /dev/{geos[0][0]}")
        newgens = {i: Cluster.status(c.node(i))["cod_generation"] for i in c.ids}
        if len(set(newgens.values())) != 1 or min(newgens.values()) <= max(gens.values()):
            raise Fail(f"the nodes do not run one newer generation: {gens} -> {newgens}")
        problems = c.kernel_problems()
        if problems:
            raise Fail(f"kernel problems: {problems}")


SCENARIOS = [scenario_config_everywhere]
