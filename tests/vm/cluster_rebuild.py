"""The cluster rebuild on three real kernels (figures 14, 16, 18; Documentation/admin-guide.md,
"In a cluster"). Node IDs 0, 1, 2: node 2 is the master. Ten shared disks on two channels
(0-4, 5-9; the comm disks 0 and 5 are never pulled). A member is failed the way a disk dies in
a shared shelf: it is pulled (QMP device_del) from every node, and the holder's next writes
find it gone. The rebuild speed is limited (module parameters) so that a rebuild lasts long
enough to be watched, and every node's console is read for the executor's lines:
"rclN: rebuilding member M from sector S of T" (a node starts units) and "rclN: member M
rebuilt; online once the cluster records it" (it copied the last one).

cluster.rebuild_one_at_a_time: a RAID 1 held by node 0 and a RAID 5 held by node 1 each lose a
member; both rebuilds are asked at once, on two different nodes. Each runs on its drive's
holder and nowhere else, the second only after the first has ended (the other waits with no
node shown), then both drives are optimal everywhere, the data reads back, and on the raw
images the mirrors are equal and every RAID 5 row XORs to zero.

cluster.rebuild_takeover: node 0 holds a RAID 1 and rebuilds it; at about half its qemu is
SIGKILLed. Once node 0 is fenced the master, left with an unheld drive, finishes the rebuild
itself from at least the last position the survivors were told (printed), the drive is optimal,
node 1 reads back what node 0 wrote, and the mirrors are equal.

cluster.udev_insert: node 0 holds a RAID 1 whose member disk 6 is pulled from every node; every
guest runs systemd-udevd; a new blank image is pushed into disk 6's slot (channel 1, target 1)
of every node (QMP blockdev-add and device_add), as into a shared shelf, the master first: it
alone says the disk replaces the member (once, on its console). Node 0, which held the drive
since before, writes new data while it does not have the disk yet, then gets it and rebuilds.
Node 1 then takes the drive without the disk: its write fails (with the kernel's "write
refused") instead of missing the new member, until the disk appears there too (between the two
holdings the master rebuilds the unheld drive). The drive ends optimal everywhere, the new disk is a member on every node,
the data node 0 wrote reads back on node 1 and the mirrors are equal.

cluster.rebuild_master_dies: node 0 (a slave) holds and rebuilds a RAID 1; the master is
SIGKILLed. Node 1 becomes master and learns the running rebuild: no other node starts one, node
0 never goes back to the start, the rebuild ends, the new master records it (optimal
everywhere), the data reads back and the mirrors are equal.
"""
import os
import re
import threading
import time

import rcvm
from cluster import Cluster
from cluster_failure import no_kernel_problems, redundancy_errors, sees_failed, wait_until
from vmtest import Fail

DISKS = 10
SIZE = "32M"                       # every drive's capacity
SIZE_MB = 32
START_RE = re.compile(r"rcl(\d+): rebuilding member (\d+) from sector (\d+) of (\d+)")
END_RE = re.compile(r"rcl(\d+): member (\d+) rebuilt; online once the cluster records it")
REPLACE_RE = re.compile(r"rcl(\d+): disk \d+ \(\w+\), inserted where member (\d+)'s disk was, "
                        r"replaces it")


def speed(kib_s):
    return f"rebuild_speed_min={kib_s} rebuild_speed_max={kib_s}"


def start_cluster(c, kib_s):
    """Node 0 makes the cluster over the ten disks; every node joins with the rebuild speed
    limited to kib_s KiB/s; all in nexus, node 2 the master."""
    c.create_cluster(0)
    c.join_all(extra=speed(kib_s))
    for i in c.ids:
        c.wait_nexus(c.node(i))


def create(c, name, level, disks):
    """A drive made on the master, running on every node; its number. RAID 5 with
    --assume-clean: the images are zero, so parity is right, and no initial resync competes
    with the rebuilds."""
    args = ["create", name, "--level", str(level), "--size", SIZE]
    args += ["--assume-clean"] if level == 5 else []
    for d in disks:
        args += ["--disk", c.disks[d].dev]
    Cluster.ctl_ok(c.node(2), *args)

    def everywhere():
        found = [ld for i in c.ids for ld in Cluster.status(c.node(i))["logical_drives"]
                 if ld["name"] == name and ld["running"]]
        return [found[0]["number"]] if len(found) == len(c.ids) else None
    return wait_until(f"{name} to run on every node", everywhere, 60)[0]


def drive(vm, name):
    return next(ld for ld in Cluster.status(vm)["logical_drives"] if ld["name"] == name)


def write_pattern(vm, dev, tag):
    """Random data over the whole drive from node vm; its sha256."""
    vm.check(f"head -c {SIZE_MB << 20} /dev/urandom > /tmp/{tag} && "
             f"dd if=/tmp/{tag} of={dev} bs=1M oflag=direct 2>/dev/null", timeout=180)
    return vm.check(f"sha256sum < /tmp/{tag}").split()[0]


def read_sum(vm, dev):
    return vm.check(f"dd if={dev} bs=1M count={SIZE_MB} iflag=direct 2>/dev/null | sha256sum",
                    timeout=180).split()[0]


def pull_member(c, disk, holders):
    """Disk `disk` is pulled from every node of the cluster at once (from the shared shelf);
    the holders [(vm, dev, pattern tag)] rewrite a block of their drives so that the member is
    found gone at once."""
    th = [threading.Thread(target=vm.unplug, args=(c.disks[disk].serial,)) for vm in c.nodes()]
    for t in th:
        t.start()
    for t in th:
        t.join()
    for vm, dev, tag in holders:
        # block 1 again, from the pattern of write_pattern(): the data stays what it was
        vm.sh(f"dd if=/tmp/{tag} of={dev} bs=4k count=1 skip=1 seek=1 oflag=direct 2>&1")


def wait_degraded(c, names, timeout=60):
    def all_degraded():
        return all(drive(vm, n)["state"] == "degraded" for vm in c.nodes() for n in names)
    wait_until(f"{names} to be degraded on every node", all_degraded, timeout)


def wait_optimal(c, names, vms, timeout=240):
    def all_optimal():
        return all(drive(vm, n)["state"] == "optimal" for vm in vms for n in names)
    wait_until(f"{names} to be optimal on nodes {[v.name for v in vms]}", all_optimal, timeout)


class Watch:
    """Reads every node's console every 0.1 s in a thread: the host time at which each
    executor line (START_RE, END_RE) first appeared, per node; and the drives' status on one
    node every 0.5 s."""

    def __init__(self, c, status_vm=None):
        self.c, self.status_vm = c, status_vm
        self.events = []             # (host time, node id, "start"|"end", ld, sector, total)
        self.samples = []            # (host time, {name: ld entry of status --json})
        self._seen = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _scan(self):
        now = time.time()
        for i, vm in list(self.c.vms.items()):
            text = vm.console()
            for kind, rx in (("start", START_RE), ("end", END_RE)):
                for m in rx.finditer(text, self._seen.get((i, kind), 0)):
                    g = m.groups()
                    self.events.append((now, i, kind, int(g[0]),
                                        int(g[2]) if kind == "start" else None,
                                        int(g[3]) if kind == "start" else None))
                    self._seen[(i, kind)] = m.end()

    def _run(self):
        last_status = 0
        while not self._stop.is_set():
            self._scan()
            if self.status_vm is not None and time.time() - last_status > 0.5 \
                    and self.status_vm.alive():
                last_status = time.time()
                try:
                    lds = Cluster.status(self.status_vm)["logical_drives"]
                    self.samples.append((last_status, {ld["name"]: ld for ld in lds}))
                except Exception:   # noqa: BLE001 -- a sample lost to a dying node
                    pass
            self._stop.wait(0.1)
        self._scan()

    def of(self, ld, kind=None, node=None):
        return [e for e in self.events if e[3] == ld and (kind is None or e[2] == kind)
                and (node is None or e[1] == node)]


# --- scenarios -------------------------------------------------------------------------------

def scenario_rebuild_one_at_a_time(name):
    with Cluster(name, nodes=3, disks=DISKS) as c:
        start_cluster(c, 4000)
        a, b, master = c.node(0), c.node(1), c.node(2)
        num = {"m": create(c, "m", 1, (1, 6)), "p": create(c, "p", 5, (2, 3, 7))}
        dev = {n: f"/dev/rcl{k}" for n, k in num.items()}
        holder = {"m": 0, "p": 1}
        Cluster.ctl_ok(a, "reserve", "m")
        Cluster.ctl_ok(b, "reserve", "p")
        want = {"m": write_pattern(a, dev["m"], "m"), "p": write_pattern(b, dev["p"], "p")}
        pull_member(c, 6, [(a, dev["m"], "m")])
        pull_member(c, 7, [(b, dev["p"], "p")])
        wait_degraded(c, ("m", "p"))
        # both asked at once, on two nodes that hold neither drive's replacement request
        answers = {}

        def ask(vm, ld, disk):
            answers[ld] = Cluster.ctl(vm, "rebuild", ld, "--disk", c.disks[disk].dev)
        with Watch(c, status_vm=master) as w:
            th = [threading.Thread(target=ask, args=(master, "m", 4)),
                  threading.Thread(target=ask, args=(a, "p", 9))]
            for t in th:
                t.start()
            for t in th:
                t.join()
            for ld, (rc, out) in answers.items():
                if rc:
                    raise Fail(f"rebuild {ld} refused: rc={rc} {out}")
            wait_optimal(c, ("m", "p"), c.nodes())
        errors = []
        spans = {}
        for n, k in num.items():
            starts, ends = w.of(k, "start"), w.of(k, "end")
            where = sorted({e[1] for e in starts + ends})
            if where != [holder[n]]:
                errors.append(f"{n} (rcl{k}) was rebuilt on nodes {where}, not on its holder "
                              f"node {holder[n]} alone")
            if not starts or not ends:
                errors.append(f"{n}: no start or no end line seen ({starts}, {ends})")
                continue
            spans[n] = (min(e[0] for e in starts), max(e[0] for e in ends))
        if len(spans) == 2:
            first, second = sorted(spans, key=lambda n: spans[n][0])
            # polled every 0.1 s: an observed time is at most that late
            if spans[second][0] < spans[first][1] - 0.2:
                errors.append(f"the rebuilds overlapped: {first} ran {spans[first]}, {second} "
                              f"started at {spans[second][0]:.1f}")
            waited = [s for t, s in w.samples if spans[first][0] < t < spans[first][1] - 0.5
                      and s[second]["rebuild_node"] is None]
            if not waited:
                errors.append(f"{second} was never shown waiting (no node) while {first} ran")
            print(f"     rebuild_one_at_a_time: {first} on node {holder[first]} "
                  f"{spans[first][1] - spans[first][0]:.1f} s, then {second} on node "
                  f"{holder[second]} {spans[second][1] - spans[second][0]:.1f} s, "
                  f"{spans[second][0] - spans[first][1]:.1f} s after", flush=True)
        for n, vm in (("m", a), ("p", b)):
            got = read_sum(vm, dev[n])
            if got != want[n]:
                errors.append(f"{n}: the data read back differs from what was written")
            errors += redundancy_errors(c, vm, n, 1 if n == "m" else 5)
        if errors:
            raise Fail("\n".join(errors))
        no_kernel_problems(c)


def resumed_after(w, k, node, t):
    """The start lines of rcl k on node after host time t."""
    return [e for e in w.of(k, "start", node) if e[0] > t]


def degraded_mirror(c, kib_s):
    """The cluster started (rebuild speed kib_s), a RAID 1 m over disks 1 and 6 held by node 0
    and filled by it, then disk 6 pulled: m degraded everywhere. (rclN number, device, sha256)."""
    start_cluster(c, kib_s)
    a = c.node(0)
    k = create(c, "m", 1, (1, 6))
    dev = f"/dev/rcl{k}"
    Cluster.ctl_ok(a, "reserve", "m")
    want = write_pattern(a, dev, "m")
    pull_member(c, 6, [(a, dev, "m")])
    wait_degraded(c, ("m",))
    return k, dev, want


def node0_rebuild_seen(b, percent):
    """Wait until node vm b shows m rebuilt by node 0 to percent; that status entry."""
    def there():
        ld = drive(b, "m")
        return ld["rebuild_node"] == 0 and (ld["rebuild_percent"] or 0) >= percent and ld
    return wait_until(f"node 1 to see node 0's rebuild at {percent} %", there, 120, step=0.2)


def last_told(seen, w, t_kill):
    """The last position of m by node 0 that node 1 showed before t_kill: the wait's own
    observation or the watcher's samples."""
    return max([seen["rebuild_done_sectors"]] +
               [s["m"]["rebuild_done_sectors"] for t, s in w.samples
                if t < t_kill and s["m"]["rebuild_node"] == 0])


def chunk_floor(pos, ld):
    """The chunk boundary at or below pos: where the engine starts (rc_rb_seek())."""
    return pos - pos % ld["stripe_sectors"]


def scenario_rebuild_takeover(name):
    with Cluster(name, nodes=3, disks=DISKS) as c:
        a, b, master = c.node(0), c.node(1), c.node(2)
        k, dev, want = degraded_mirror(c, 2000)
        with Watch(c, status_vm=b) as w:
            Cluster.ctl_ok(b, "rebuild", "m", "--disk", c.disks[4].dev)
            seen = node0_rebuild_seen(b, 45)
            a.kill()
            t_kill = time.time()
            told = last_told(seen, w, t_kill)
            wait_until("the master to declare node 0 failed", lambda: sees_failed(master, 0), 30)
            resumed = wait_until("the rebuild to resume on the master",
                                 lambda: resumed_after(w, k, 2, t_kill), 60)
            wait_optimal(c, ("m",), (b, master))
        total = seen["rebuild_total_sectors"]
        at = resumed[0][4]
        print(f"     rebuild_takeover: node 0 killed at {told * 100 // total} % "
              f"(sector {told} of {total}, what node 1 had been told); the master resumed "
              f"at sector {at} ({at * 100 // total} %) {resumed[0][0] - t_kill:.1f} s later",
              flush=True)
        errors = []
        if at < chunk_floor(told, seen):
            errors.append(f"the master resumed at sector {at}, below the {told} every "
                          f"survivor had been told (chunk {seen['stripe_sectors']})")
        if w.of(k, "start", 1):
            errors.append("node 1, which does not hold the drive, ran the rebuild")
        Cluster.ctl_ok(b, "reserve", "m")
        if read_sum(b, dev) != want:
            errors.append("the data read back on node 1 differs from what node 0 wrote")
        errors += redundancy_errors(c, b, "m", 1)
        if errors:
            raise Fail("\n".join(errors))
        no_kernel_problems(c)


def scenario_rebuild_master_dies(name):
    with Cluster(name, nodes=3, disks=DISKS) as c:
        a, b, master = c.node(0), c.node(1), c.node(2)
        k, dev, want = degraded_mirror(c, 2500)
        with Watch(c, status_vm=b) as w:
            Cluster.ctl_ok(a, "rebuild", "m", "--disk", c.disks[4].dev)
            seen = node0_rebuild_seen(b, 20)
            master.kill()
            t_kill = time.time()
            before = last_told(seen, w, t_kill)
            wait_until("node 1 to become the master",
                       lambda: c.self_of(c.node_list(b))["state"] == "MASTER", 40)
            wait_optimal(c, ("m",), (a, b))
        errors = []
        if w.of(k, "start", 1) or w.of(k, "start", 2):
            errors.append("a node that does not hold the drive started its rebuild: "
                          f"{w.of(k, 'start', 1) + w.of(k, 'start', 2)}")
        later = resumed_after(w, k, 0, t_kill)
        low = [e[4] for e in later if e[4] < chunk_floor(before, seen)]
        if low:
            errors.append(f"node 0 started again at sector(s) {low}, below the {before} the "
                          "cluster knew when the master died")
        if not w.of(k, "end", 0):
            errors.append("node 0 never reported the end of the rebuild")
        print(f"     rebuild_master_dies: the master died at sector {before}; node 0 "
              f"{'went on' if not later else 'restarted at ' + str([e[4] for e in later])}; "
              f"ended {max(e[0] for e in w.of(k, 'end', 0)) - t_kill:.1f} s after the kill"
              if w.of(k, "end", 0) else "", flush=True)
        if read_sum(a, dev) != want:
            errors.append("the data read back on node 0 differs from what it wrote")
        errors += redundancy_errors(c, a, "m", 1)
        if errors:
            raise Fail("\n".join(errors))
        no_kernel_problems(c)


def scenario_udev_insert(name):
    with Cluster(name, nodes=3, disks=DISKS) as c:
        a, b, master = c.node(0), c.node(1), c.node(2)
        k, dev, _ = degraded_mirror(c, 1000)
        for vm in c.nodes():
            vm.check("mkdir -p /run/udev && /lib/systemd/systemd-udevd --daemon && "
                     "udevadm settle -t 60", timeout=90)
        old = c.disks[6]
        new = rcvm.make_disks(f"cluster-{name}", [f"{name}-new6"],
                              os.path.getsize(old.path) >> 20)[0]
        new.channel = old.channel
        errors = []
        with Watch(c) as w:
            # the master sees the disk first and decides before the others have it
            master.insert(new, slot_of=old.serial)
            wait_until("the master to decide", lambda: REPLACE_RE.search(master.console()), 60)
            # node 0 held the drive since before: it writes new data while it has no path to
            # the new member, then gets the disk and joins the rebuild
            a.check(f"head -c {SIZE_MB << 20} /dev/urandom > /tmp/m2 && "
                    f"(dd if=/tmp/m2 of={dev} bs=1M oflag=direct 2>/dev/null; echo $? > /tmp/dd.rc)"
                    " & echo $! > /tmp/dd", timeout=60)
            a.insert(new, slot_of=old.serial)
            a.check("while kill -0 $(cat /tmp/dd) 2>/dev/null; do sleep 0.2; done; "
                    "exit $(cat /tmp/dd.rc)", timeout=180)
            want = a.check("sha256sum < /tmp/m2").split()[0]
            # node 1 takes the drive without the disk: its writes must fail, not skip it
            Cluster.ctl_ok(a, "release", "m")
            Cluster.ctl_ok(b, "reserve", "m")
            rc, out = b.sh(f"dd if={dev} of=/tmp/blk bs=4k count=1 iflag=direct 2>&1 && "
                           f"dd if=/tmp/blk of={dev} bs=4k count=1 oflag=direct 2>&1")
            if rc == 0:
                errors.append(f"node 1, without the new disk, wrote the drive: {out.strip()}")
            if "write refused" not in b.console():
                errors.append("node 1's refused write left no kernel message")
            b.insert(new, slot_of=old.serial)
            wait_until("node 1's udev to attach the new disk",
                       lambda: new.serial in {d["serial"] for d in Cluster.status(b)["disks"]
                                              if d.get("present")}, 60)
            b.check(f"dd if=/tmp/blk of={dev} bs=4k count=1 oflag=direct 2>/dev/null",
                    timeout=60)
            c.disks.append(new)
            wait_optimal(c, ("m",), c.nodes())
        said = {i: REPLACE_RE.findall(vm.console()) for i, vm in c.vms.items()}
        if said != {0: [], 1: [], 2: [(str(k), "1")]}:
            errors.append(f"the replacement was not decided once, by the master: {said}")
        # node 0 and then node 1 held the drive; between the two the master rebuilt it
        where = sorted({e[1] for e in w.of(k)})
        if 0 not in where or 1 not in where:
            errors.append(f"m was rebuilt on nodes {where}: not by both its holders (0, then 1)")
        for i, vm in c.vms.items():
            members = {d["serial"] for d in Cluster.status(vm)["disks"] if d.get("present")}
            if new.serial not in members:
                errors.append(f"node {i} did not attach the inserted disk: {sorted(members)}")
        print(f"     udev_insert: the master decided {said[2]}; rebuilt on node(s) {where}; "
              "node 1's write without the disk refused", flush=True)
        if read_sum(b, dev) != want:
            errors.append("the data read back on node 1 differs from what node 0 wrote")
        errors += redundancy_errors(c, b, "m", 1)
        if errors:
            raise Fail("\n".join(errors))
        no_kernel_problems(c)


SCENARIOS = [scenario_rebuild_one_at_a_time, scenario_rebuild_takeover,
             scenario_udev_insert, scenario_rebuild_master_dies]
