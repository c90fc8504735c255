"""Cable failures (figure 17's analysis) on three real kernels sharing the disks: a "cable" is a
node's path to the disks of one channel, pulled by QMP device_del of that node's disks there.
Node IDs 0, 1, 2: node 2 is the master.

cluster.cable_comm_channel: node 0 loses channel 0 (its communication channel: the first online
disk of each channel carries the slots) as a failing cable does: its disks first end commands with
errors, then vanish. It switches to channel 1 and stays in nexus; the other nodes keep it live; no
drive is marked failed in the configuration or on the other nodes (the errors settle before they
count: kernel/failure.c).

cluster.cable_isolated: node 0 loses both channels while it holds a drive: it suspends itself
(cable failure); the master declares it failed and node 1 takes the drive over once it is
fenced. After the cables are back, `attach --all` and `node resume` bring node 0 back as a
slave with a new incarnation.

cluster.peer_cable_kill: one channel only (all six disks on it). Node 0 holds a RAID 1 and
writes it with verified writers, then loses its only channel. The master's heartbeat check
misses it, its TEST UNIT READY of its own first drive answers: the analysis concludes the
peer's cable failed, it is declared FAILED_SLAVE and killed; node 1 reserves the drive when it
is fenced and reads back every acknowledged write; node 0 has suspended itself.
"""
import re
import time

from cluster import Cluster
from cluster_failure import (BLOCKS, no_kernel_problems, reserve_retry, sees_failed,
                             start_writer, wait_acks, wait_until, acks_of)
from cluster_resv import make_drive, start3
from test_crash import check_blocks, parse_dump
from vmtest import Fail


def pull(c, vm, disks):
    for d in disks:
        vm.unplug(c.disks[d].serial)


def replug(c, vm, disks):
    for d in disks:
        vm.replug(c.disks[d].serial)


def healthy_everywhere(c, nodes):
    """Every disk online and every drive optimal in the status of each node in nodes."""
    errs = []
    for i in nodes:
        st = Cluster.status(c.node(i))
        for d in st["disks"]:
            if str(d.get("state")).lower() != "online":
                errs.append(f"node {i}: disk {d['index']} is {d.get('state')}")
        for ld in st["logical_drives"]:
            if str(ld.get("state")).lower() != "optimal":
                errs.append(f"node {i}: {ld['name']} is {ld.get('state')}")
    return errs


def scenario_cable_comm_channel(name):
    with Cluster(name, nodes=3) as c:
        start3(c)
        make_drive(c, 2, "m", level=1, disks=(1, 4), size="16M")
        a, master = c.node(0), c.node(2)
        if c.self_of(c.node_list(a))["comm_channel"] != 0:
            raise Fail(f"node 0 does not talk on channel 0: {c.self_of(c.node_list(a))}")
        for d in (0, 1, 2):
            a.disk_errors(c.disks[d].serial)
        a.wait_console(r"metadata (read|write) error", 30)
        for d in (0, 1, 2):
            a.unplug(c.disks[d].serial, wait=False)
        a.check("for d in " + " ".join(c.disks[d].dev for d in (0, 1, 2)) + "; do i=0; "
                "while [ -e /sys/block/$(basename $(readlink -f $d))/device ] && [ $i -lt 300 ]; "
                "do sleep 0.1; i=$((i+1)); done; done", timeout=60)
        me = wait_until("node 0 to move to channel 1",
                        lambda: (lambda m: m if m["comm_channel"] == 1 else None)(
                            c.self_of(c.node_list(a))), 30)
        time.sleep(8)           # two heartbeat windows: nobody may declare it failed
        me = c.self_of(c.node_list(a))
        if me["state"] != "ACTIVE_SLAVE" or me["info"] != "Completed_Startup" or \
                me["connected_channels"] != "1":
            raise Fail(f"node 0 after losing channel 0: {me}")
        peer = c.node_list(master)[0]
        if not peer["live"] or sees_failed(master, 0):
            raise Fail(f"the master lost node 0: {peer}")
        errs = healthy_everywhere(c, (1, 2))
        if errs:
            raise Fail("a healthy drive was marked failed:\n" + "\n".join(errs))
        if "suspended" in a.console():
            raise Fail("node 0 suspended itself:\n" + a.console_tail(20))
        no_kernel_problems(c)


def scenario_cable_isolated(name):
    with Cluster(name, nodes=3) as c:
        start3(c)
        make_drive(c, 2, "m", level=1, disks=(0, 3), size="16M")
        a, b, master = c.node(0), c.node(1), c.node(2)
        Cluster.ctl_ok(a, "reserve", "m")
        inc = c.self_of(c.node_list(a))["incarnation"]
        pull(c, a, range(6))
        a.wait_console(r"node 0 suspended \(Cable_Failure\)", 30)
        wait_until("the master to declare node 0 failed", lambda: sees_failed(master, 0), 30)
        took = reserve_retry(b, "m")
        if c.self_of(c.node_list(master))["state"] != "MASTER":
            raise Fail("the master did not carry on")
        replug(c, a, range(6))
        Cluster.ctl_ok(a, "attach", "--all")
        Cluster.ctl_ok(a, "node", "resume")
        me = c.self_of(c.wait_nexus(a))
        if me["state"] != "ACTIVE_SLAVE" or me["incarnation"] <= inc:
            raise Fail(f"node 0 after the cables came back and node resume: {me}")
        print(f"     cable_isolated: node 1 reserved the drive {took:.1f} s after the master "
              "declared node 0 failed", flush=True)
        errs = healthy_everywhere(c, (1, 2))
        if errs:
            raise Fail("a healthy drive was marked failed:\n" + "\n".join(errs))
        no_kernel_problems(c)


def scenario_peer_cable_kill(name):
    with Cluster(name, nodes=3, channels=1) as c:
        start3(c)
        dev = make_drive(c, 2, "m", level=1, disks=(1, 4), size="32M")
        a, b, master = c.node(0), c.node(1), c.node(2)
        Cluster.ctl_ok(a, "reserve", "m")
        before = parse_dump(a.check(f"rc-crash-io dump {dev} {BLOCKS}", timeout=180))
        start_writer(a, dev, 3, 13, "m")
        wait_acks(a, (3,))
        pull(c, a, range(6))
        t_pull = time.time()
        wait_until("the master to declare node 0 failed", lambda: sees_failed(master, 0), 30)
        detect = time.time() - t_pull
        if not re.search(r"node 0 is FAILED_SLAVE/Heartbeat_Lost", master.console()):
            raise Fail("the master's analysis did not conclude a heartbeat loss:\n"
                       + master.console_tail(20))
        took = reserve_retry(b, "m")
        a.wait_console(r"node 0 suspended \((Cable_Failure|Killed)\)", 30)
        acks, n = acks_of(a)
        cur = parse_dump(b.check(f"rc-crash-io dump {dev} {BLOCKS}", timeout=180))
        errors, st = check_blocks("m", 3, cur, acks.get(3, {}), before)
        print(f"     peer_cable_kill: failed after {detect:.1f} s, node 1 reserved {took:.1f} s "
              f"later; {st['acked']} acknowledged blocks read back", flush=True)
        if errors:
            raise Fail(f"{len(errors)} violation(s):\n" + "\n".join(errors[:30]))
        no_kernel_problems(c)


SCENARIOS = [scenario_cable_comm_channel, scenario_cable_isolated, scenario_peer_cable_kill]
