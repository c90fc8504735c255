"""/etc/raidcluster.conf (raidcluster.conf(5)) in the guest, as the tools and the module use it.

config: `config module-options` turns the file into the module's options, and the module loaded
with them runs as the configured node of the configured cluster: the first blank disk makes a
cluster with that UUID (not a random one). A disk of another cluster is skipped by `attach --all`
(it says so) and refused by the module when named (cluster_uuid=); `disks =` patterns limit what
`attach --all` takes; `auto_attach = none` makes `attach --auto` (udev) attach nothing; a bad line
is refused naming the file and line, and changes nothing.

config (modprobe): `modprobe raidcluster` through the install line of tools/modprobe/ loads the
module with the file's node_id and cluster_uuid, and fails (nothing loaded) on a bad file."""
import json
import os
import shlex

import rcvm
from schema import checked
from vmtest import Fail, Group, disks_of

UUID = "2b9f0c8e-1a2b-4c3d-8e4f-0123456789ab"


def conf(t, text):
    t.check(f"printf '{text}' > /etc/raidcluster.conf")


def attached(t):
    return sorted(d["serial"] for d in disks_of(t.status()) if d.get("present"))


def test_modprobe(t):
    """modprobe through the install line make install puts in /lib/modprobe.d: the module gets
    the file's node_id and cluster_uuid; a file raidclusterctl refuses fails the load."""
    with open(os.path.join(rcvm.REPO, "tools/modprobe/raidcluster.conf")) as f:
        line = [ln for ln in f.read().splitlines() if ln.startswith("install ")][0]
    # kmod's modprobe and depmod (busybox's know no install lines), for this test only
    t.check("ln -sf /usr/sbin/kmod /sbin/modprobe && ln -sf /usr/sbin/kmod /tmp/depmod && "
            "d=/lib/modules/$(uname -r)/updates && mkdir -p $d /etc/modprobe.d && "
            f"cp {rcvm.KO} $d/ && /tmp/depmod -a && "
            f"printf '%s\\n' {shlex.quote(line)} > /etc/modprobe.d/raidcluster.conf")
    conf(t, f"node_id = 5\\ncluster_uuid = {UUID}\\n")
    t.check("/sbin/modprobe raidcluster")
    params = t.check("cat /sys/module/raidcluster/parameters/node_id "
                     "/sys/module/raidcluster/parameters/cluster_uuid").split()
    if params != ["5", UUID]:
        raise Fail(f"modprobe with node_id = 5 in the file: parameters {params}")
    t.unload()
    conf(t, "node_id = 77\\n")
    rc, out = t.sh("/sbin/modprobe raidcluster 2>&1")
    if rc == 0 or "node_id must be 0-31" not in out or t.module_loaded():
        raise Fail(f"modprobe with a bad file (rc={rc}, loaded={t.module_loaded()}):\n{out}")
    t.check("rm -f /etc/modprobe.d/raidcluster.conf /etc/raidcluster.conf && "
            "ln -sf ../bin/busybox /sbin/modprobe")


def test_config(t):
    d0, d1, d2 = t.disks[:3]
    # another cluster's disk first: a module without cluster_uuid makes a random cluster on d2
    t.load()
    t.ctl_ok("attach", d2.serial)
    t.wait_nexus()                  # the new cluster's COD is written once it is master
    other = t.status()["cluster_uuid"]
    t.unload()
    if other == UUID:
        raise Fail("a random cluster UUID was the configured one")
    conf(t, f"# this node\\nnode_id = 3\\ncluster_uuid = {UUID}  # the cluster\\n")
    opts = t.check("raidclusterctl config module-options").strip()
    if opts != f"node_id=3 cluster_uuid={UUID}":
        raise Fail(f"config module-options printed {opts!r}")
    t.load(opts)
    params = t.check("cat /sys/module/raidcluster/parameters/node_id "
                     "/sys/module/raidcluster/parameters/cluster_uuid").split()
    if params != ["3", UUID]:
        raise Fail(f"module parameters after loading with {opts!r}: {params}")
    t.ctl_ok("attach", d0.serial, d1.serial)
    t.wait_nexus()
    st = t.status()
    if st["cluster_uuid"] != UUID or st["node_id"] != 3:
        raise Fail(f"the new cluster is {st['cluster_uuid']} node {st['node_id']}, expected "
                   f"{UUID} node 3")
    rc, out = t.ctl("attach", d2.serial)
    if rc == 0 or other not in out or "cluster_uuid" not in out:
        raise Fail(f"the module took a disk of cluster {other} (rc={rc}):\n{out}")
    # attach --all after a reload: ours, not the other cluster's
    t.unload()
    t.load(opts)
    out = t.ctl_ok("attach", "--all")
    if attached(t) != sorted([d0.serial, d1.serial]) or f"its COD is cluster {other}" not in out:
        raise Fail(f"attach --all attached {attached(t)}:\n{out}")
    # disks = patterns
    t.unload()
    conf(t, f"node_id = 3\\ncluster_uuid = {UUID}\\ndisks = {d1.serial} nosuch*\\n")
    t.load(opts)
    out = t.ctl_ok("attach", "--all")
    if attached(t) != [d1.serial] or "not among the disks of /etc/raidcluster.conf" not in out:
        raise Fail(f"attach --all with disks = {d1.serial} attached {attached(t)}:\n{out}")
    # auto_attach = none: udev's attach --auto leaves the disks alone
    conf(t, f"node_id = 3\\ncluster_uuid = {UUID}\\nauto_attach = none\\n")
    out = t.ctl_ok("attach", "--auto", d0.serial)
    if attached(t) != [d1.serial] or "auto_attach = none" not in out:
        raise Fail(f"attach --auto with auto_attach = none attached {attached(t)}:\n{out}")
    # a bad line: refused, naming the file and line; nothing attached
    conf(t, "node_id = 3\\nnode_id = 4\\n")
    for args in (["config", "show"], ["attach", "--all"]):
        rc, out = t.ctl(*args)
        if rc == 0 or "/etc/raidcluster.conf:2: node_id is given twice" not in out:
            raise Fail(f"raidclusterctl {' '.join(args)} with a bad file (rc={rc}):\n{out}")
    if attached(t) != [d1.serial]:
        raise Fail(f"a refused attach --all attached {attached(t)}")
    js = checked("config", json.loads(
        t.check("RAIDCLUSTER_CONF=/nonexistent raidclusterctl config show --json")))
    if js["present"] or js["node_id"] is not None or js["module_options"] != "":
        raise Fail(f"config show without a file: {js}")
    t.check("rm -f /etc/raidcluster.conf")
    t.unload()


GROUPS = [Group("config", [test_modprobe, test_config], disks=3, size_mb=64)]
