"""The cluster manager's agents, run in the guests as Pacemaker runs them.

cluster.fence_agent: fence_raidcluster (fence-agents conventions) on three nodes sharing six
iSCSI disks with persistent reservations. Node 0 holds a RAID 1. On node 1: the metadata is
valid by fence-agents' own grammar (metadata.rng, checked on the host), `list` and `list-status`
name the three nodes ON, `monitor` and `status -n 0` succeed. `off` of node 0, given on stdin as
the fencer writes it (action=off, port=0, nodename=...), returns once node 0 is fenced: node 0
has suspended itself (Killed), its key is gone from every disk, node 1 reserves its drive at
once, and `status` says OFF (exit 2) on node 1 and on the master; a second `off` is "Already
OFF". `on` is refused on node 1 (it unfences the node it runs on) and works on node 0 itself:
node 0 resumes as a slave with a new key of a later life on every disk, and `status` is ON again.
A node nobody knows, this node itself, and bad options are refused with exit 1.
"""
import os
import re
import subprocess

from cluster import Cluster
from cluster_failure import no_kernel_problems
from cluster_pr import check_disks, keys_of, need_iscsi
from cluster_resv import make_drive, start3
from vmtest import Fail

RNG = "/usr/share/cluster/relaxng/metadata.rng"


def agent(vm, args="", stdin=None):
    """fence_raidcluster on vm: (rc, output). stdin: name=value lines, as the fencer sends."""
    if stdin is None:
        return vm.sh(f"fence_raidcluster {args} 2>&1")
    text = "".join(f"{k}={v}\n" for k, v in stdin.items())
    rc, out = vm.script(f"printf '%s' '{text}' | fence_raidcluster 2>&1\n")
    return rc, out


def agent_ok(vm, args="", stdin=None, want_rc=0, want=None):
    rc, out = agent(vm, args, stdin)
    if rc != want_rc or (want and not re.search(want, out, re.M)):
        raise Fail(f"{vm.name}: fence_raidcluster {args or stdin} -> rc={rc} (expected "
                   f"{want_rc}{', ' + repr(want) if want else ''}):\n{out}")
    return out


def check_metadata(vm, rundir):
    xml = agent_ok(vm, "-o metadata", want=r"<resource-agent name=\"fence_raidcluster\"")
    path = os.path.join(rundir, "fence_raidcluster.xml")
    with open(path, "w") as f:
        f.write(xml[xml.index("<?xml"):])
    r = subprocess.run(["xmllint", "--noout", "--relaxng", RNG, path], capture_output=True,
                       text=True)
    if r.returncode:
        raise Fail(f"the metadata does not validate against {RNG}:\n{r.stderr}")


def scenario_fence_agent(name):
    need_iscsi()
    with Cluster(name, nodes=3, iscsi=True) as c:
        start3(c)
        make_drive(c, 2, "m", level=1, disks=(0, 3), size="16M")
        want = keys_of(c)
        a, b, master = c.node(0), c.node(1), c.node(2)
        Cluster.ctl_ok(a, "reserve", "m")
        check_metadata(b, b.rundir)
        agent_ok(b, "-o list", want=r"^0,\r?\n1,\r?\n2,\r?$")
        agent_ok(b, "-o list-status", want=r"^0,,ON\r?\n1,,ON\r?\n2,,ON\r?$")
        agent_ok(b, "-o monitor")
        agent_ok(b, "-o status -n 0", want=r"Status: ON")
        # off, on stdin as the fencer passes it (port: the host map's value for node 0)
        agent_ok(b, stdin={"action": "off", "port": 0, "nodename": "alpha"},
                 want=r"Success: Powered OFF")
        a.wait_console(r"node 0 suspended \(Killed\)", 30)
        gone = {i: k for i, k in want.items() if i != 0}
        check_disks(c, gone, b)
        Cluster.ctl_ok(b, "reserve", "m")       # at once: it was fenced when off returned
        for vm in (b, master):
            agent_ok(vm, "-o status -n 0", want_rc=2, want=r"Status: OFF")
        agent_ok(b, "-o list-status", want=r"^0,,OFF\r?$")
        agent_ok(b, "-o off -n 0", want=r"Success: Already OFF")
        # unfencing runs on the fenced node itself
        agent_ok(b, "-o on -n 0", want_rc=1, want=r"not this node")
        agent_ok(a, "-o status -n 0", want_rc=2, want=r"Status: OFF")
        agent_ok(a, "-o on -n 0", want=r"Success: Powered ON")
        me = Cluster.self_of(c.wait_nexus(a))
        if me["state"] != "ACTIVE_SLAVE" or me["suspended"]:
            raise Fail(f"node 0 after 'on': {me}")
        again = keys_of(c)
        if (again[0] & 0xffffffff) <= (want[0] & 0xffffffff):
            raise Fail(f"node 0's key after 'on' 0x{again[0]:016x} is not of a later life than "
                       f"0x{want[0]:016x}")
        check_disks(c, again, b)
        agent_ok(b, "-o status -n 0", want=r"Status: ON")
        agent_ok(a, "-o on -n 0", want=r"Success: Already ON")
        # refusals
        agent_ok(b, "-o off -n 9", want_rc=1, want=r"no node 9 is known")
        agent_ok(b, "-o off -n 1", want_rc=1, want=r"is this node")
        agent_ok(b, "-o off -n 40", want_rc=1, want=r"plug must be a node ID")
        agent_ok(b, "-o off", want_rc=1, want=r"plug")
        agent_ok(b, "-o dance -n 0", want_rc=1, want=r"Unrecognised action")
        no_kernel_problems(c)


SCENARIOS = [scenario_fence_agent]
