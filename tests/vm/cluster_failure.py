"""Node failures on three real kernels sharing the disks (figures 8, 17; the lease and fencing of
Documentation/protocol.md). Node IDs 0, 1, 2: node 2 is the master.

cluster.slave_crash: node 0 (a slave) holds a RAID 1 and a RAID 5 and writes them with verified
writers (guest/crash_io.c: every completed write is acknowledged on a serial port that outlives
qemu), one member of each slowed down so the kill leaves mirrors and rows half written; its qemu
is SIGKILLed. The master declares it failed; node 1 reserves both drives as soon as it is
allowed (the dead node's drives are freed once it is fenced), and reads back every acknowledged
write through /dev/rclN. The dead node's dirty regions were resynced by node 1 when it took the
drives: on the raw images the mirrors are byte-identical and every RAID 5 row XORs to zero.

cluster.master_crash: the master (node 2) is SIGKILLed; the highest survivor (node 1) becomes
master, node 0 follows it; node 2 boots again, loads the module and joins as a slave.

cluster.fast_reset: node 0 holds a drive and is reset (QMP system_reset); it boots, loads and
joins again before its heartbeat has been missed long enough to be declared dead (the scenario
loads the module with hb_misses=40 so that a TCG boot fits in the window: the point is the
failure-to-detect-failure path, a new incarnation seen where the old one was expected). The
master recognises it as rebooted, it renegotiates and comes back as a slave without its
reservation: node 1 reserves the drive at once, without a fence wait.

cluster.pause_fence: node 0 holds a RAID 1 and writes it; its qemu is paused (SIGSTOP) longer
than the detection time. Node 1 takes the drive over when the fence allows it and writes its
own pattern over the area; node 0 is resumed (SIGCONT). Node 0's writers fail from then on; on
the raw images every block of the area holds node 1's pattern on both mirrors, except blocks
that node 0 had inside qemu when it was paused (reported; at most one per writer thread).

cluster.kill_resume: `raidclusterctl node kill 0` on the master: it returns once node 0 is fenced,
node 0 is suspended (its drive's I/O fails at once), node 1 reserves node 0's drive; `node
resume` on node 0 brings it back as a slave with a new incarnation.
"""
import os
import re
import signal
import struct
import time

from cluster import Cluster, solo
from cluster_resv import make_drive, start3
from test_crash import check_blocks, extent_errors, parse_acks, parse_dump
from vmtest import Fail

BLOCKS = 4096       # 4 KiB blocks each writer uses: the first 16 MiB of its drive
THREADS = 3
MIN_ACKS = 200      # acknowledged writes before the fault comes


def wait_until(what, fn, timeout=60, step=0.25):
    """Poll fn() until it returns a true value (returned); Fail after timeout s."""
    end = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.time() > end:
            raise Fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(step)


def acks_of(vm):
    return parse_acks(vm.serial1())


def start_writer(vm, dev, run, seed, tag):
    vm.check(f"rc-crash-io write {dev} /dev/ttyS1 {run} {seed} {BLOCKS} {THREADS} "
             f"> /tmp/cw.{tag} 2>&1 & echo $! > /tmp/cw.{tag}.pid")


def wait_acks(vm, runs, want=MIN_ACKS, timeout=120):
    def enough():
        acks, _ = acks_of(vm)
        return all(len(acks.get(r, {})) >= want for r in runs)
    wait_until(f"{want} acknowledged writes of runs {runs} on {vm.name}", enough, timeout)


def reserve_retry(vm, name, timeout=60):
    """raidclusterctl reserve NAME until it succeeds (a dead holder's drive is freed once it is
    fenced). Seconds it took."""
    t0 = time.time()
    last = ""

    def ok():
        nonlocal last
        rc, last = Cluster.ctl(vm, "reserve", name)
        return rc == 0
    try:
        wait_until(f"node {vm.name} to reserve {name}", ok, timeout, step=0.2)
    except Fail as e:
        raise Fail(f"{e}; last answer: {last.strip()}")
    return time.time() - t0


def drive_extents(c, vm, name):
    """[(image path, start byte, length bytes)] of a drive's members, as node vm sees them."""
    st = Cluster.status(vm)
    by_index = {d["index"]: d["serial"] for d in st["disks"]}
    ld = [x for x in st["logical_drives"] if x["name"] == name][0]
    path = {d.serial: d.path for d in c.disks}
    return [(path[by_index[e["disk"]]], e["start_sectors"] * 512, e["length_sectors"] * 512)
            for e in ld["extents"]]


def redundancy_errors(c, vm, name, level):
    """Mirrors equal (RAID 1) / every RAID 5 row XORs to zero on the raw images."""
    return extent_errors(name, level, drive_extents(c, vm, name))


def no_kernel_problems(c):
    problems = c.kernel_problems()
    if problems:
        raise Fail(f"kernel problems: {problems}")


def sees_failed(vm, node):
    return re.search(rf"node {node} is FAILED_SLAVE", vm.console())


# --- scenarios -------------------------------------------------------------------------------

def scenario_slave_crash(name):
    with Cluster(name, nodes=3) as c:
        start3(c)
        make_drive(c, 2, "m", level=1, disks=(0, 3), size="32M")
        make_drive(c, 2, "p", level=5, disks=(1, 2, 4), size="32M")
        a, b, master = c.node(0), c.node(1), c.node(2)
        Cluster.ctl_ok(a, "reserve", "m")
        Cluster.ctl_ok(a, "reserve", "p")
        devs = {ld["name"]: "/dev/" + ld["device"] for ld in Cluster.status(a)["logical_drives"]}
        before = {n: parse_dump(a.check(f"rc-crash-io dump {devs[n]} {BLOCKS}", timeout=180))
                  for n in ("m", "p")}
        # one member of each drive slowed on node 0: the kill leaves them half written
        a.throttle(c.disks[3].serial, iops_wr=60)
        a.throttle(c.disks[4].serial, iops_wr=60)
        start_writer(a, devs["m"], 1, 11, "m")
        start_writer(a, devs["p"], 2, 12, "p")
        wait_acks(a, (1, 2))
        a.kill()
        t_kill = time.time()
        acks, nacks = acks_of(a)
        wait_until("the master to declare node 0 failed", lambda: sees_failed(master, 0), 30)
        detect = time.time() - t_kill
        take = {n: reserve_retry(b, n) for n in ("m", "p")}
        print(f"     slave_crash: {nacks} writes acknowledged; detected in {detect:.1f} s, "
              f"m reserved {take['m']:.1f} s later, p {take['p']:.1f} s", flush=True)
        errors = []
        for n, run, level in (("m", 1, 1), ("p", 2, 5)):
            cur = parse_dump(b.check(f"rc-crash-io dump {devs[n]} {BLOCKS}", timeout=180))
            e, st = check_blocks(n, run, cur, acks.get(run, {}), before[n])
            errors += e
            errors += redundancy_errors(c, b, n, level)
            print(f"     slave_crash: {n}: {st['acked']} acknowledged blocks read back "
                  f"({st['newer']} newer, {st['torn']} torn)", flush=True)
        if not re.search(r"rcl\d+: resynced \d+ dirty region\(s\) of node 0", b.console()):
            errors.append("node 1 did not resync node 0's dirty regions when it took the drives")
        if errors:
            raise Fail(f"{len(errors)} violation(s):\n" + "\n".join(errors[:30]))
        no_kernel_problems(c)


def scenario_master_crash(name):
    with Cluster(name, nodes=3) as c:
        start3(c)
        a, b = c.node(0), c.node(1)
        c.node(2).kill()
        wait_until("node 1 to become the master",
                   lambda: c.self_of(c.node_list(b))["state"] == "MASTER", 40)
        wait_until("node 0 to follow node 1",
                   lambda: c.self_of(c.node_list(a))["master"] == 1 and
                   c.node_list(a)[1]["state"] == "MASTER", 30)
        view = c.wait_nexus(a)
        if c.self_of(view)["state"] != "ACTIVE_SLAVE":
            raise Fail(f"node 0 is not a slave of node 1: {c.self_of(view)}")
        # the old master comes back: it joins as a slave of node 1
        c.start(which=[2])
        c.join_all(which=[2])
        view = c.wait_nexus(c.node(2))
        me = c.self_of(view)
        if me["state"] != "ACTIVE_SLAVE" or me["master"] != 1:
            raise Fail(f"the old master did not rejoin as node 1's slave: {me}")
        no_kernel_problems(c)


def scenario_fast_reset(name):
    with Cluster(name, nodes=3, reboot=True) as c:
        slow = "hb_misses=40"
        c.create_cluster(0)
        c.join_all(extra=slow)
        for i in c.ids:
            c.wait_nexus(c.node(i))
        make_drive(c, 2, "m", level=1, disks=(0, 3), size="16M")
        a, b, master = c.node(0), c.node(1), c.node(2)
        Cluster.ctl_ok(a, "reserve", "m")
        inc = c.self_of(c.node_list(a))["incarnation"]
        took = a.reset()
        c.load(0, slow)
        Cluster.ctl_ok(a, "attach", "--all")
        view = c.wait_nexus(a)
        me = c.self_of(view)
        age = c.node_list(master)[0]["heartbeat_age_ms"]
        print(f"     fast_reset: node 0 back in {took:.1f} s (boot), incarnation {inc} -> "
              f"{me['incarnation']}", flush=True)
        if me["incarnation"] <= inc or me["state"] != "ACTIVE_SLAVE":
            raise Fail(f"node 0 after the reset: {me} (incarnation before {inc})")
        if not re.search(r"node 0 is RESTARTED_SLAVE|node 0 is NEW_SLAVE", master.console()):
            raise Fail("the master did not see node 0 as rebooted:\n" + master.console_tail(30))
        if sees_failed(master, 0):
            raise Fail("node 0 was declared failed: the reset was not within the heartbeat "
                       f"window (age {age} ms)")
        holders = [ld["holder"] for ld in Cluster.status(b)["logical_drives"]]
        if holders != [None]:
            raise Fail(f"node 0's reservation outlived its reboot: holders {holders}")
        Cluster.ctl_ok(b, "reserve", "m")
        no_kernel_problems(c)


def ack_lines(vm):
    """The complete lines of vm's ack log: [(run, first, count, gen)]."""
    lines = vm.serial1().decode(errors="replace").split("\n")[:-1]
    return [tuple(map(int, m.groups())) for m in
            (re.fullmatch(r"a (\d+) (\d+) (\d+) (\d+)", ln) for ln in lines) if m]


def scenario_pause_fence(name):
    with Cluster(name, nodes=3) as c:
        start3(c)
        dev = make_drive(c, 2, "m", level=1, disks=(0, 3), size="32M")
        a, b = c.node(0), c.node(1)
        Cluster.ctl_ok(a, "reserve", "m")
        start_writer(a, dev, 7, 17, "m")
        wait_acks(a, (7,))
        # node 0's reads of the slots (on the first disk of each channel) take a while: when
        # it wakes up, its writers run well before it reads the kill
        for d in (0, 3):
            a.throttle(c.disks[d].serial, iops_rd=2)
        time.sleep(2)
        # the guest's clock minus the host's: busybox date has whole seconds, so wait for the
        # guest's second to turn
        g = float(a.check("s=$(date +%s); while [ $(date +%s) = $s ]; do :; done; date +%s"))
        skew = g - time.time()
        a.proc.send_signal(signal.SIGSTOP)
        t_stop = time.time()
        time.sleep(0.5)                   # the serial file holds every drained ack
        n_pause = len(ack_lines(a))
        took = reserve_retry(b, "m")
        # node 1 writes its own pattern over the whole area node 0 was writing
        pattern = os.urandom(BLOCKS * 4096)
        pat_file = os.path.join(b.rundir, "pattern")
        with open(pat_file, "wb") as f:
            f.write(pattern)
        b.check(f"dd if=/host{pat_file} of={dev} bs=1M oflag=direct 2>/dev/null")
        a.proc.send_signal(signal.SIGCONT)
        paused = time.time() - t_stop
        wait_until("node 0 to learn it was killed",
                   lambda: re.search(r"node 0 suspended \(Killed\)", a.console()), 60)
        time.sleep(3)                     # its writers meet the fence and give up
        a.sh("kill $(cat /tmp/cw.m.pid) 2>/dev/null; true")
        late = ack_lines(a)[n_pause:]     # writes that completed after it woke up
        # every block of the images that is not node 1's pattern: whose write, issued when
        writes = {}
        for k, (path, start, _) in enumerate(drive_extents(c, b, "m")):
            with open(path, "rb") as f:
                f.seek(start)
                data = f.read(BLOCKS * 4096)
            for blk in range(BLOCKS):
                got = data[blk * 4096:(blk + 1) * 4096]
                if got == pattern[blk * 4096:(blk + 1) * 4096]:
                    continue
                magic, run, _, gen, _, nb, first, issued = struct.unpack_from("<IIQQIIQQ", got)
                if magic != 0x57434352:
                    raise Fail(f"copy {k} block {blk}: neither node 1's pattern nor a record "
                               "of node 0")
                writes.setdefault(gen, (first, nb, issued / 1e6 - skew, set()))[3].add(k)
        print(f"     pause_fence: paused {paused:.1f} s, node 1 took the drive {took:.1f} s "
              f"after the pause; {len(late)} write(s) of node 0 completed when it woke; "
              f"on the images after the takeover: {len(writes)} write(s) of node 0, all "
              f"issued before the pause: " + ", ".join(
                  f"gen {g} blocks {w[0]}+{w[1]} issued {t_stop - w[2]:.2f} s before it "
                  f"(copies {sorted(w[3])})" for g, w in sorted(writes.items())), flush=True)
        errors = [f"write gen {g} (blocks {w[0]}+{w[1]}) issued {w[2] - t_stop:.1f} s after "
                  "the pause reached the drive after the takeover"
                  for g, w in sorted(writes.items()) if w[2] > t_stop + 1.5]
        if len(writes) > THREADS:
            errors.append(f"{len(writes)} writes of node 0 on the images: more than the "
                          f"{THREADS} that can have been in flight at the pause")
        if errors:
            raise Fail("\n".join(errors))
        no_kernel_problems(c)


def scenario_kill_resume(name):
    with Cluster(name, nodes=3) as c:
        start3(c)
        dev = make_drive(c, 2, "m", level=1, disks=(0, 3), size="16M")
        a, b, master = c.node(0), c.node(1), c.node(2)
        Cluster.ctl_ok(a, "reserve", "m")
        inc = c.self_of(c.node_list(a))["incarnation"]
        t0 = time.time()
        out = Cluster.ctl_ok(master, "node", "kill", "0")
        took = time.time() - t0
        if "node 0 killed and fenced" not in out:
            raise Fail(f"node kill output: {out!r}")
        me = c.self_of(c.node_list(a))
        if not me["suspended"] and me["info"] != "Killed":
            raise Fail(f"node 0 is not suspended after node kill: {me}")
        rc, out = a.sh(f"dd if={dev} of=/dev/null bs=4k count=1 iflag=direct")
        if rc == 0:
            raise Fail("a suspended node still reads its drive")
        if "open refused: node 0 is not in nexus: it is suspended" not in a.console():
            raise Fail("no kernel message says why the I/O failed:\n" + a.console_tail(20))
        # the master's table frees the drive; node 1 reads it within a heartbeat
        reserve_retry(b, "m", timeout=10)
        rc, out = Cluster.ctl(master, "node", "kill", "9")
        if rc != 1 or "no node 9" not in out:
            raise Fail(f"node kill of an unknown node: rc={rc} {out!r}")
        rc, out = Cluster.ctl(master, "node", "kill", "2")
        if rc != 1 or "this node" not in out:
            raise Fail(f"node kill of itself: rc={rc} {out!r}")
        out = Cluster.ctl_ok(a, "node", "resume")
        me = c.self_of(c.wait_nexus(a))
        if me["state"] != "ACTIVE_SLAVE" or me["incarnation"] <= inc:
            raise Fail(f"node 0 after node resume: {me} (incarnation before {inc})")
        rc, out = Cluster.ctl(a, "node", "resume")
        if rc != 1 or "not suspended" not in out:
            raise Fail(f"node resume of a running node: rc={rc} {out!r}")
        print(f"     kill_resume: node kill returned after {took:.1f} s", flush=True)
        no_kernel_problems(c)


SCENARIOS = [scenario_slave_crash, scenario_master_crash, scenario_fast_reset,
             scenario_pause_fence, scenario_kill_resume]


NO_FALSE_KILL_S = int(os.environ.get("RC_NO_FALSE_KILL_S", "90"))


@solo
def scenario_no_false_kill(name):
    """Saturating verified I/O on every node (and so on the host's cores, three TCG guests on
    two) for NO_FALSE_KILL_S seconds with the default timeouts: nobody is declared failed,
    nobody suspended, and every node's fio verifies what it wrote."""
    with Cluster(name, nodes=3) as c:
        start3(c)
        drives = {0: ("a", 1, (0, 3)), 1: ("b", 1, (1, 4)), 2: ("c", 1, (2, 5))}
        devs = {i: make_drive(c, 2, n, level=lv, disks=d, size="48M")
                for i, (n, lv, d) in drives.items()}
        for i, (n, _, _) in drives.items():
            Cluster.ctl_ok(c.node(i), "reserve", n)
        for i, dev in devs.items():
            c.node(i).check(
                f"(fio --name=v --filename={dev} --ioengine=libaio --direct=1 --rw=randwrite "
                f"--bs=4k --iodepth=16 --size=40M --verify=crc32c --verify_backlog=256 "
                f"--time_based --runtime={NO_FALSE_KILL_S} --output=/tmp/fio.out "
                f"> /tmp/fio.err 2>&1; echo $? > /tmp/fio.rc) > /dev/null 2>&1 &")
        t0, worst = time.time(), 0
        while time.time() - t0 < NO_FALSE_KILL_S:
            time.sleep(15)
            for n in c.node_list(c.node(2)).values():
                if not n["self"] and n["heartbeat_age_ms"] is not None:
                    worst = max(worst, n["heartbeat_age_ms"])
        errors = []
        for i in c.ids:
            vm = c.node(i)
            vm.check("while [ ! -s /tmp/fio.rc ]; do sleep 1; done", timeout=600)
            rc = int(vm.check("cat /tmp/fio.rc"))
            if rc:
                errors.append(f"node {i}: fio failed (rc={rc}):\n" +
                              vm.check("tail -5 /tmp/fio.err /tmp/fio.out"))
            con = vm.console()
            if re.search(r"is FAILED_SLAVE|suspended \(", con):
                errors.append(f"node {i}: " + "; ".join(
                    ln for ln in con.splitlines() if re.search(r"FAILED_SLAVE|suspended", ln)))
            me = c.self_of(c.node_list(vm))
            if me["info"] != "Completed_Startup" or me["suspended"]:
                errors.append(f"node {i} after the run: {me}")
        print(f"     no_false_kill: {NO_FALSE_KILL_S} s of verified writes on three nodes; "
              f"the master saw heartbeat ages up to {worst} ms", flush=True)
        if errors:
            raise Fail("\n".join(errors))
        no_kernel_problems(c)


SCENARIOS.append(scenario_no_false_kill)
