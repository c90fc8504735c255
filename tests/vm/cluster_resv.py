"""Reservations that fence I/O (figures 10, 12, 19), on three real kernels sharing the disks.

cluster.reserve_fence: a RAID 1 made on the master appears on every node. Node 0 reserves it
and writes 4 MiB; node 1's reads and writes end with a reservation conflict, its open for
writing is refused with a kernel message naming node 0, and its reserve fails naming node 0.
Node 0 releases; node 1 reserves and reads exactly node 0's data, byte for byte.

cluster.two_writers_never: verified writers on all three nodes (rc-writer, guest/cluster_writer.c)
loop over reserve / write / release of one RAID 1 for minutes, with auto_reserve off. Each holder
bumps an epoch counter in block 0 and tags its blocks (node, epoch); after each refusal it tries
to open the drive for writing anyway, and after each release it writes once more through a
descriptor it kept open. Afterwards the member images (byte-identical mirrors) must show only
blocks tagged with an epoch their node held, no epoch held by two nodes, no rogue tag, and block
0 at the highest epoch.

cluster.pr_ops: the block layer's persistent-reservation ioctls on /dev/rclN (rc-pr,
guest/pr_ops.c): node 0 registers and reserves; node 1's reserve (registered or not) is a
reservation conflict (EBADE), a REGISTRANTS type is EOPNOTSUPP, its reads fail; node 0 releases,
node 1 reserves and reads node 0's data; node 1 writes without pause and node 0 preempts it:
node 1's writer fails and none of its writes lands after the preempt; CLEAR frees the drive on
every node.

cluster.simultaneous_reserve: nodes 0 and 1 (a two-node cluster) reserve the same drive at the
same moment, many times. Each time exactly one wins, it is the higher ID (1), and node 0's error
names node 1.
"The same moment" is a token the test writes into a shared disk's image: both nodes poll it
(rc-race, guest/cluster_race.c) and issue the ioctl within a fraction of a millisecond of each
other, well inside the message round trip that makes two reserves simultaneous.
"""
import mmap
import os
import time

from cluster import Cluster, solo
from vmtest import Fail

ROUNDS = 8
TRIGGER = 40000     # sector of disk 5 (no drive uses it) where the race token appears


def write_token(image, token):
    """Write token at TRIGGER of a disk image, O_DIRECT: the guests' O_DIRECT reads see it."""
    buf = mmap.mmap(-1, 4096)
    buf.write(token.encode().ljust(4096, b"\0"))
    fd = os.open(image, os.O_WRONLY | os.O_DIRECT)
    try:
        os.pwrite(fd, buf, TRIGGER * 512)
    finally:
        os.close(fd)


def make_drive(c, master, name="data", level=1, disks=(0, 3), size="64M"):
    """Create a drive on the master and wait until every node runs it; its /dev path."""
    args = ["create", name, "--level", str(level), "--size", size]
    for d in disks:
        args += ["--disk", c.disks[d].dev]
    Cluster.ctl_ok(c.node(master), *args)
    end = time.time() + 60
    while True:
        devs = {}
        for i in c.ids:
            for ld in Cluster.status(c.node(i))["logical_drives"]:
                if ld["name"] == name and ld["running"]:
                    devs[i] = "/dev/" + ld["device"]
        if len(devs) == len(c.ids):
            if len(set(devs.values())) != 1:
                raise Fail(f"{name} is not the same rclN everywhere: {devs}")
            return devs[c.ids[0]]
        if time.time() > end:
            raise Fail(f"{name} runs only on nodes {sorted(devs)}")
        time.sleep(0.5)


def start3(c):
    """Node 0 makes the cluster, then every node of c joins; all in nexus."""
    c.create_cluster(0)
    c.join_all()
    for i in c.ids:
        c.wait_nexus(c.node(i))


def scenario_reserve_fence(name):
    with Cluster(name, nodes=3) as c:
        start3(c)
        dev = make_drive(c, 2)
        a, b = c.node(0), c.node(1)
        Cluster.ctl_ok(a, "reserve", "data")
        a.check("head -c 4194304 /dev/urandom > /tmp/pat && "
                f"dd if=/tmp/pat of={dev} bs=1M oflag=direct 2>/dev/null && "
                "sha256sum < /tmp/pat > /tmp/pat.sum")
        want = a.check("cat /tmp/pat.sum").split()[0]
        rc, out = b.sh(f"dd if={dev} of=/dev/null bs=1M count=1 iflag=direct")
        if rc == 0:
            raise Fail(f"node 1 read a drive node 0 holds:\n{out}")
        rc, out = b.sh(f"dd if=/dev/zero of={dev} bs=4k count=1 oflag=direct")
        if rc == 0:
            raise Fail(f"node 1 wrote a drive node 0 holds:\n{out}")
        if "Device or resource busy" not in out:
            raise Fail(f"node 1's open for writing was not refused as busy:\n{out}")
        if "open for writing refused: reserved by node 0" not in b.console():
            raise Fail("no kernel message on node 1 names the holder:\n" + b.console_tail(20))
        rc, out = Cluster.ctl(b, "reserve", "data")
        if rc != 1 or "reserved by node 0" not in out:
            raise Fail(f"node 1's reserve did not fail naming node 0 (rc={rc}):\n{out}")
        st = Cluster.status(b)
        holder = [ld["holder"] for ld in st["logical_drives"] if ld["name"] == "data"]
        if holder != [0]:
            raise Fail(f"node 1's status does not show node 0 as the holder: {holder}")
        Cluster.ctl_ok(a, "release", "data")
        Cluster.ctl_ok(b, "reserve", "data")
        got = b.check(f"dd if={dev} bs=1M count=4 iflag=direct 2>/dev/null | sha256sum")
        if got.split()[0] != want:
            raise Fail("node 1 does not read what node 0 wrote")
        rc, out = a.sh(f"dd if={dev} of=/dev/null bs=1M count=1 iflag=direct")
        if rc == 0:
            raise Fail("node 0 still reads the drive node 1 now holds")
        problems = c.kernel_problems()
        if problems:
            raise Fail(f"kernel problems: {problems}")


@solo
def scenario_simultaneous_reserve(name):
    # Two nodes only, and alone (@solo): two VMs on the machine's two cores are never
    # descheduled for a mailbox poll period, the window in which two reserves are simultaneous
    # for the protocol. Beside another scenario's VMs they are, and node 0's reserve completes
    # before node 1's arrives (seen once: round 3 won by node 0, correctly for the protocol).
    with Cluster(name, nodes=2) as c:
        start3(c)
        make_drive(c, 1)
        lo, hi = c.node(0), c.node(1)
        trig = c.disks[5]
        for r in range(ROUNDS):
            token = f"RACE-{name}-{r}-GO"
            for i, vm in ((0, lo), (1, hi)):
                vm.check("rm -f /tmp/race.ready")
                vm.check(f"(rc-race reserve 0 {trig.dev} {TRIGGER} {token} /tmp/race.ready "
                         "> /tmp/race.out 2>&1; echo $? > /tmp/race.rc) >/dev/null 2>&1 &")
            for vm in (lo, hi):     # both are polling
                vm.check("while [ ! -e /tmp/race.ready ] && [ ! -s /tmp/race.rc ]; do "
                         "sleep 0.05; done")
            write_token(trig.path, token)
            res = {}
            for i, vm in ((0, lo), (1, hi)):
                vm.check("while [ ! -s /tmp/race.rc ]; do sleep 0.1; done")
                res[i] = (int(vm.check("cat /tmp/race.rc")), vm.check("cat /tmp/race.out"))
                vm.check("rm -f /tmp/race.rc /tmp/race.out")
            winners = [i for i, (rc, _) in sorted(res.items()) if rc == 0]
            if winners != [1]:
                raise Fail(f"round {r}: winners {winners}, expected [1]: {res}")
            rc, out = res[0]
            if rc != 1 or "reserved by node 1" not in out:
                raise Fail(f"round {r}: node 0's error does not name node 1 (rc={rc}): {out}")
            Cluster.ctl_ok(hi, "release", "data")
        problems = c.kernel_problems()
        if problems:
            raise Fail(f"kernel problems: {problems}")


# 75 s in make check (about 120 holds); RC_TWO_WRITERS_S=600 for a soak
WRITE_SECONDS = int(os.environ.get("RC_TWO_WRITERS_S", "75"))
BLOCKS = 256
MAGIC = 0x5257434c55535452
ROGUE = 0xffffffff


def scenario_two_writers_never(name):
    import struct
    with Cluster(name, nodes=3) as c:
        start3(c)
        dev = make_drive(c, 2, size="16M")
        st = Cluster.status(c.node(0))
        ld = next(x for x in st["logical_drives"] if x["name"] == "data")
        starts = {e["disk"]: e["start_sectors"] for e in ld["extents"]}
        for i in c.ids:
            c.node(i).check("echo 0 > /sys/block/rcl0/raidcluster/auto_reserve")
        for i in c.ids:
            c.node(i).check(f"(rc-writer {i} 0 {dev} {WRITE_SECONDS} {BLOCKS} > /tmp/w.out 2>&1;"
                            " echo $? > /tmp/w.rc) >/dev/null 2>&1 &")
        epochs = {}
        for i in c.ids:
            vm = c.node(i)
            vm.check("while [ ! -s /tmp/w.rc ]; do sleep 1; done", timeout=WRITE_SECONDS + 300)
            out = vm.check("cat /tmp/w.out")
            rc = int(vm.check("cat /tmp/w.rc"))
            if rc or "ROGUE" in out or "error" in out:
                raise Fail(f"node {i}'s writer failed (rc={rc}):\n{out[-2000:]}")
            epochs[i] = [int(line.split()[1]) for line in out.splitlines()
                         if line.startswith("epoch ")]
        owner = {}
        for i, es in epochs.items():
            for e in es:
                if e in owner:
                    raise Fail(f"epoch {e} was held by node {owner[e]} and node {i} at once")
                owner[e] = i
        if not owner or sorted(owner) != list(range(1, max(owner) + 1)):
            raise Fail(f"the epochs are not 1..N: {sorted(owner)}")
        held = [n for n in c.ids if epochs[n]]
        if len(held) < 2:
            raise Fail(f"only nodes {held} ever held the drive: no contention was tested")
        images = {}
        for d, start in starts.items():
            with open(c.disks[d].path, "rb") as f:
                f.seek(start * 512)
                images[d] = f.read(BLOCKS * 4096)
        if len(set(images.values())) != 1:
            raise Fail(f"the mirrors differ: {sorted(images)}")
        img = next(iter(images.values()))
        tagged = 0
        for b in range(BLOCKS):
            magic, node, epoch, block = struct.unpack_from("<QIII", img, b * 4096)
            if magic != MAGIC:
                continue
            tagged += 1
            if epoch == ROGUE:
                raise Fail(f"block {b} holds a rogue write of node {node}")
            if block != b or owner.get(epoch) != node:
                raise Fail(f"block {b} holds (node {node}, epoch {epoch}, block {block}); "
                           f"epoch {epoch} was held by node {owner.get(epoch)}")
        _, _, top, _ = struct.unpack_from("<QIII", img, 0)
        if top != max(owner):
            raise Fail(f"block 0 is at epoch {top}, the last holder had {max(owner)}")
        print(f"    two_writers_never: {len(owner)} holds "
              f"({', '.join(f'node {n}: {len(epochs[n])}' for n in c.ids)}), "
              f"{tagged} tagged blocks checked", flush=True)
        problems = c.kernel_problems()
        if problems:
            raise Fail(f"kernel problems: {problems}")


def pr(vm, dev, *args, ok=True):
    rc, out = vm.sh(f"rc-pr {dev} " + " ".join(str(a) for a in args))
    if ok and (rc or out.strip() != "ok"):
        raise Fail(f"{vm.name}: rc-pr {' '.join(map(str, args))} failed: {out}")
    if not ok and rc == 0:
        raise Fail(f"{vm.name}: rc-pr {' '.join(map(str, args))} succeeded: {out}")
    return out


def holders(c, name="data"):
    return {i: next(ld["holder"] for ld in Cluster.status(c.node(i))["logical_drives"]
                    if ld["name"] == name) for i in c.ids}


def wait_holder(c, want, timeout=20):
    end = time.time() + timeout
    while holders(c) != {i: want for i in c.ids}:
        if time.time() > end:
            raise Fail(f"holders {holders(c)}, expected {want} everywhere")
        time.sleep(0.5)


def scenario_pr_ops(name):
    with Cluster(name, nodes=3) as c:
        start3(c)
        dev = make_drive(c, 2)
        a, b = c.node(0), c.node(1)
        pr(a, dev, "register", 0, 0xa1)
        pr(a, dev, "reserve", 0xa1)
        wait_holder(c, 0)
        a.check("head -c 4194304 /dev/urandom > /tmp/p0 && "
                f"dd if=/tmp/p0 of={dev} bs=1M oflag=direct 2>/dev/null")
        want0 = a.check("sha256sum < /tmp/p0").split()[0]
        # another node: registered or not, its reserve is a reservation conflict
        pr(b, dev, "register", 0, 0xb2)
        out = pr(b, dev, "reserve", 0xb2, ok=False)
        if "errno 52" not in out:           # EBADE: the block layer's reservation conflict
            raise Fail(f"node 1's reserve is not a reservation conflict: {out}")
        pr(b, dev, "reserve", 0xdead, ok=False)
        out = pr(b, dev, "reserve", 0xb2, 5, ok=False)     # a REGISTRANTS ONLY type
        if "errno 95" not in out:
            raise Fail(f"an unsupported type is not EOPNOTSUPP: {out}")
        rc, _ = b.sh(f"dd if={dev} of=/dev/null bs=4k count=1 iflag=direct")
        if rc == 0:
            raise Fail("node 1 reads a drive node 0 holds by PR")
        # release and reserve in turn: node 1 reads node 0's data
        pr(a, dev, "release", 0xa1)
        pr(b, dev, "reserve", 0xb2)
        wait_holder(c, 1)
        got = b.check(f"dd if={dev} bs=1M count=4 iflag=direct 2>/dev/null | sha256sum")
        if got.split()[0] != want0:
            raise Fail("node 1 does not read what node 0 wrote")
        # node 1 writes without pause; node 0 preempts it: node 1's writes stop landing
        b.check(f"(dd if=/dev/zero of={dev} bs=64k seek=128 count=100000 oflag=direct "
                "> /tmp/dd.out 2>&1; echo $? > /tmp/dd.rc) >/dev/null 2>&1 &")
        time.sleep(2)
        pr(a, dev, "preempt", 0xa1, 0xb2)
        wait_holder(c, 0)
        b.check("i=0; while [ ! -s /tmp/dd.rc ]; do [ $i -lt 300 ] || exit 1; i=$((i+1)); "
                "sleep 0.1; done")
        if b.check("cat /tmp/dd.rc").strip() == "0":
            raise Fail("node 1's writer did not fail after the preempt:\n"
                       + b.check("cat /tmp/dd.out"))
        a.check("head -c 4194304 /dev/urandom > /tmp/p1 && "
                f"dd if=/tmp/p1 of={dev} bs=1M seek=8 oflag=direct 2>/dev/null")
        want1 = a.check("sha256sum < /tmp/p1").split()[0]
        time.sleep(2)
        got = a.check(f"dd if={dev} bs=1M skip=8 count=4 iflag=direct 2>/dev/null | sha256sum")
        if got.split()[0] != want1:
            raise Fail("a write of node 1 landed after node 0 preempted the drive")
        # CLEAR ends the reservation for every node
        pr(a, dev, "clear", 0xa1)
        wait_holder(c, None)
        problems = c.kernel_problems()
        if problems:
            raise Fail(f"kernel problems: {problems}")


SCENARIOS = [scenario_reserve_fence, scenario_simultaneous_reserve, scenario_two_writers_never,
             scenario_pr_ops]
