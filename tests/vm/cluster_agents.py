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

cluster.resource_agent: ocf:raidcluster:ld (tools/ocf/ld) on two nodes, run as Pacemaker's
lrmd runs it (OCF_RESKEY_* and OCF_RESKEY_CRM_meta_timeout in the environment). On node 0
`ocf-tester` (Debian's resource-agents: meta-data valid by ra-api-1.dtd, the agent readable by
nobody, probe with the tools missing, start/monitor/stop, starting a started and stopping a
stopped resource) passes. Then node 1 holds the drive: validate-all of an unknown drive says
not installed (5), without the parameter not configured (6); node 0's start waits (its monitor
says not running, 7) until node 1's stop releases the drive, then takes it and succeeds;
node 1's monitor then says 7, node 0's 0. A start whose timeout runs out while node 0 holds
the drive fails (1) on node 1 naming the holder, and leaves node 0 holding it.
"""
import os
import re
import subprocess
import time

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


AGENT = "/usr/lib/ocf/resource.d/raidcluster/ld"


def ocf(vm, action, drive="m", timeout_ms=20000, background=False):
    """The resource agent's ACTION on vm, with the environment lrmd gives it: (rc, output)."""
    env = (f"OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=rc_{drive or 'none'} "
           f"OCF_RESKEY_drive={drive} OCF_RESKEY_CRM_meta_timeout={timeout_ms}")
    if background:
        return vm.sh(f"(env {env} {AGENT} {action} > /tmp/ocf.out 2>&1; echo $? > /tmp/ocf.rc)"
                     " > /dev/null 2>&1 &")
    return vm.sh(f"env {env} {AGENT} {action} 2>&1")


def ocf_ok(vm, action, want_rc=0, want=None, **kw):
    rc, out = ocf(vm, action, **kw)
    if rc != want_rc or (want and not re.search(want, out, re.M)):
        raise Fail(f"{vm.name}: ld {action} {kw} -> rc={rc} (expected {want_rc}"
                   f"{', ' + repr(want) if want else ''}):\n{out}")
    return out


def scenario_resource_agent(name):
    with Cluster(name, nodes=2) as c:
        start3(c)
        make_drive(c, 1, "m", level=1, disks=(0, 3), size="16M")
        a, b = c.node(0), c.node(1)
        rc, out = a.sh(f"ocf-tester -n rc_m -o drive=m {AGENT} 2>&1", timeout=300)
        if rc or "passed all tests" not in out:
            raise Fail(f"ocf-tester on node 0 -> rc={rc}:\n{out}")
        ocf_ok(a, "validate-all", drive="nosuch", want_rc=5, want=r"unknown logical drive")
        ocf_ok(a, "validate-all", drive="", want_rc=6, want=r"drive parameter is required")
        # node 1 holds it: node 0's start waits until node 1's stop
        ocf_ok(b, "start")
        ocf_ok(b, "monitor")
        ocf(a, "start", timeout_ms=120000, background=True)
        time.sleep(3)
        if a.sh("test -s /tmp/ocf.rc")[0] == 0:
            raise Fail("node 0's start returned while node 1 held the drive:\n"
                       + a.check("cat /tmp/ocf.rc /tmp/ocf.out"))
        ocf_ok(a, "monitor", want_rc=7)
        ocf_ok(b, "stop")
        a.check("i=0; while [ ! -s /tmp/ocf.rc ] && [ $i -lt 60 ]; do sleep 1; i=$((i+1)); done")
        rc, out = a.sh("cat /tmp/ocf.rc /tmp/ocf.out")
        if not out.startswith("0"):
            raise Fail(f"node 0's start after node 1's stop:\n{out}")
        if "held by node 1: waiting" not in out:
            raise Fail(f"node 0's start did not say it waited for node 1:\n{out}")
        ocf_ok(a, "monitor")
        ocf_ok(b, "monitor", want_rc=7)
        st = Cluster.status(b)
        holder = next(x for x in st["logical_drives"] if x["name"] == "m")["holder"]
        if holder != 0:
            raise Fail(f"node 1 sees holder {holder}, not node 0")
        # a start that runs out of time fails and takes nothing from the holder
        ocf_ok(b, "start", timeout_ms=8000, want_rc=1, want=r"still held by node 0")
        ocf_ok(a, "monitor")
        ocf_ok(a, "stop")
        ocf_ok(a, "monitor", want_rc=7)
        no_kernel_problems(c)


SCENARIOS = [scenario_fence_agent, scenario_resource_agent]
