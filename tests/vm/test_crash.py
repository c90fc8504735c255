"""Crash test: qemu is SIGKILLed while RAID 0, 1, 5 and 10 drives take concurrent writes; a new
VM boots over the same images, the write-intent bitmap resync runs when the node takes each drive
(its first open), and then EVERY
write the guest saw complete reads back through /dev/rclN, and mirrors and parity agree on the
raw images.

The writer is guest/crash_io.c (`rc-crash-io` in the guest): threads write self-describing
records (every 512-byte sector says run, block, write number GEN and carries a checksum) with
O_DIRECT|O_DSYNC, single blocks and 2..16-block writes that cross RAID 5 rows and chunks. After
a write completes, its ack "a RUN FIRST N GEN" goes out on the second serial port (guest
/dev/ttyS1 = RUNDIR/serial1.log on the host) and the port is drained; a block is written again
only after the ack of its previous write is drained. So after the kill the host knows, for every
block, the last acknowledged GEN A, and at most one later write of the block can have been in
flight. The rule the check applies to every sector of every block (Documentation/testing.md):

* acknowledged (the host has an ack of GEN A for the block): each sector holds the record of
  GEN A or of one later GEN (the one write that was in flight); never an older GEN, never a
  record of an earlier run, never another block's record, never garbage;
* not acknowledged in this round: each sector holds what the block held before the round (as
  checked after the previous crash) or the record of one GEN of this round;
* a block mixing two GENs sector by sector (a torn 4 KiB record) is accepted only when the
  newer GEN was not acknowledged; a sector that is not an intact record is never accepted.

Seeded (RC_CRASH_SEED=N replays the writers' choices and the kill delays; qemu's timing under
TCG is not deterministic, so a replay hits a similar, not the same, moment). RC_CRASH_ROUNDS
sets the number of kill points (default 3). In each round one member's writes are throttled
(QMP block_set_io_throttle), so the kill really leaves mirrors and RAID 5 rows half written:
with RC_CRASH_WRITE_INTENT=0 (no bitmap, no resync) the test fails.

The crash_rebuild_raid1/10/5 groups (end of the file) apply the same writer and rule to a crash
in the middle of a rebuild."""
import os
import random
import re
import time

import rcvm
from vmtest import Fail, Group

SEED = int(os.environ.get("RC_CRASH_SEED") or random.SystemRandom().randrange(1, 1 << 31))
ROUNDS = int(os.environ.get("RC_CRASH_ROUNDS", "3"))
BLOCKS = 8192              # 4 KiB blocks written per drive: its first 32 MiB
WINDOW = 512               # ... all in a 2 MiB window that jumps every 0.7 s (bitmap regions
                           # go idle, get cleared and dirty again during the run)
THREADS = 3                # writer threads per drive
MEMBER_SIZE = "32M"        # each member extent
# RC_CRASH_WRITE_INTENT=0: load the module without its write-intent bitmap (no resync) to see
# the test fail: with one member slowed, mirrors and parity are left half written
WRITE_INTENT = os.environ.get("RC_CRASH_WRITE_INTENT", "1") != "0"
MIN_ACKS = 150             # acked blocks per drive before the kill can come
THROTTLE_IOPS = 50         # writes/s of the member slowed down in each round


class Drv:
    def __init__(self, name, level, stripe, disks):
        self.name, self.level, self.stripe, self.disks = name, level, stripe, disks


# All four drives share the disks (each its own extents), so one kill catches all of them in the
# middle of their writes. Disk 3 is a member of the redundant ones only (the degraded check).
DRIVES = [Drv("c10", 10, "32K", [0, 1, 2, 3]),
          Drv("c5", 5, "16K", [1, 2, 3]),
          Drv("c1", 1, "64K", [2, 3]),
          Drv("c0", 0, "16K", [0, 1])]

ZERO = ("Z",) * 8


def parse_dump(text):
    """rc-crash-io dump output -> {block: 8 tokens}; a token is "Z", "X", "@B.S" or (run, gen)."""
    out = {}
    for line in text.splitlines():
        f = line.split()
        if not f:
            continue
        b = int(f[0])
        if f[1] == "T":
            toks = tuple((int(x.split(":")[0]), int(x.split(":")[1])) if ":" in x else x
                         for x in f[2:10])
            if len(toks) != 8:
                raise Fail(f"dump line with {len(toks)} sectors: {line!r}")
        else:
            toks = ((int(f[1]), int(f[2])),) * 8
        out[b] = toks
    return out


def parse_acks(data):
    """The ack log -> {run: {block: last acknowledged gen}}, count. An unfinished last line
    (its drain never completed) is ignored: that write counts as not acknowledged."""
    acks, n = {}, 0
    text = data.decode(errors="replace")
    lines = text.split("\n")[:-1]          # the part after the last newline is unfinished
    for line in lines:
        m = re.fullmatch(r"a (\d+) (\d+) (\d+) (\d+)", line)
        if not m:
            raise Fail(f"malformed line in the ack log: {line!r}")
        run, first, cnt, gen = map(int, m.groups())
        per = acks.setdefault(run, {})
        for b in range(first, first + cnt):
            if per.get(b, 0) > gen:
                # the writer never reuses a block before its ack is out: acks per block rise
                raise Fail(f"ack log: block {b} of run {run} acked gen {gen} after {per[b]}")
            per[b] = gen
        n += 1
    return acks, n


def check_blocks(name, run, cur, acks, prev):
    """Apply the rule (module docstring). cur: this dump, acks: {block: gen} of this run,
    prev: {block: tokens} before the round. Returns (errors, stats)."""
    errors, stats = [], dict(acked=0, newer=0, torn=0, unacked_new=0)
    for b in sorted(set(cur) | set(acks) | set(prev)):
        toks = cur.get(b, ZERO)
        old = prev.get(b, ZERO)
        a = acks.get(b)
        bad = [t for t in toks if t == "X" or (isinstance(t, str) and t.startswith("@"))]
        if bad:
            errors.append(f"{name} block {b}: {'garbage' if 'X' in bad else 'misdirected'} "
                          f"sectors {toks} (acked gen {a})")
            continue
        new_gens = {t[1] for t in toks if isinstance(t, tuple) and t[0] == run}
        if a is not None:
            stats["acked"] += 1
            wrong = [t for t in toks if not (isinstance(t, tuple) and t[0] == run and t[1] >= a)]
            above = {g for g in new_gens if g > a}
            if wrong:
                errors.append(f"{name} block {b}: acknowledged gen {a} of run {run} lost: "
                              f"sectors {toks}")
            elif len(above) > 1:
                errors.append(f"{name} block {b}: two unacknowledged gens {sorted(above)} "
                              f"(at most one write per block is in flight): {toks}")
            elif above:
                stats["newer"] += 1
                if a in new_gens:
                    stats["torn"] += 1
        else:
            wrong = [(s, t) for s, t in enumerate(toks)
                     if t != old[s] and not (isinstance(t, tuple) and t[0] == run)]
            if wrong:
                errors.append(f"{name} block {b}: not written in run {run} (no ack), but "
                              f"sectors {[s for s, _ in wrong]} changed: {old} -> {toks}")
            elif len(new_gens) > 1:
                errors.append(f"{name} block {b}: {len(new_gens)} unacknowledged gens of run "
                              f"{run}: {toks}")
            elif new_gens:
                stats["unacked_new"] += 1
                if any(t != toks[0] for t in toks):
                    stats["torn"] += 1
    return errors, stats


def say(t, msg):
    print(f"     crash: {msg}", flush=True)
    t.vm._log(f"# crash: {msg}\n")


def drive_extents(t, name):
    """[(image path, start byte, length bytes)] of the drive's members, in member order."""
    st = t.status()
    by_index = {d["index"]: d["serial"] for d in st["disks"]}
    ld = [x for x in st["logical_drives"] if x["name"] == name][0]
    return [(t.vm.disk(by_index[e["disk"]]).path, e["start_sectors"] * 512, e["length_sectors"] * 512)
            for e in ld["extents"]]


def redundancy_errors(t, drv):
    """Mirror copies equal (RAID 1; RAID 10 pairs) / every RAID 5 row XORs to zero, on the raw
    images over the members' whole extents."""
    if drv.level == 0:
        return []
    return extent_errors(drv.name, drv.level, drive_extents(t, drv.name))


def extent_errors(name, level, ext):
    """The check of redundancy_errors() over ext = [(image path, start byte, length bytes)] of a
    drive's members in member order (also the cluster scenarios')."""
    length = min(x[2] for x in ext)
    data = []
    for path, start, _ in ext:
        with open(path, "rb") as f:
            f.seek(start)
            data.append(f.read(length))
    groups = [list(range(len(ext)))] if level in (1, 5) else \
        [[i, i + 1] for i in range(0, len(ext), 2)]
    errs = []
    for g in groups:
        if level == 5:
            acc = 0
            for i in g:
                acc ^= int.from_bytes(data[i], "little")
            if acc:
                off = ((acc & -acc).bit_length() - 1) // 8
                errs.append(f"{name}: RAID 5 parity wrong at member byte {off} "
                            f"(member sector {(ext[0][1] + off) // 512} of member 0's disk)")
        else:
            for i in g[1:]:
                if data[i] != data[g[0]]:
                    off = next(k for k in range(0, length, 512)
                               if data[i][k:k + 512] != data[g[0]][k:k + 512])
                    errs.append(f"{name}: copies {g[0]} and {i} differ at extent byte {off}")
    return errs


def run_id(rnd, i):
    return rnd * 16 + i + 1


def dump_all(t):
    out = {}
    for d in DRIVES:
        out[d.name] = parse_dump(t.check(f"rc-crash-io dump {t.state['dev'][d.name]} {BLOCKS}",
                                         timeout=180))
    return out


def start_writers(t, rnd, count=0):
    """One rc-crash-io per drive in the background; their output in /tmp/cw.<name>."""
    for i, d in enumerate(DRIVES):
        t.check(f"rc-crash-io write {t.state['dev'][d.name]} /dev/ttyS1 {run_id(rnd, i)} "
                f"{SEED * 64 + rnd * 8 + i} {BLOCKS} {THREADS} {count} {WINDOW} "
                f"> /tmp/cw.{d.name} 2>&1 & echo $! > /tmp/cw.{d.name}.pid")


def attach_and_check(t, rnd, acks, expect_resync):
    """After a boot: load, attach, open (the resync runs when the node takes each drive), then
    the rule on every drive."""
    load(t)
    t.ctl_ok("attach", "--all")
    t.state["dev"] = {}
    numbers = {}
    for d in DRIVES:
        ld = t.drive(d.name)
        if ld is None or str(ld.get("state")).lower() != "optimal":
            raise Fail(f"{d.name} after the crash and attach --all: {ld}")
        t.state["dev"][d.name] = t.drive_dev(d.name)
        numbers[d.name] = ld["number"]
    # the first open of each drive takes it (a lone master): the resync runs there
    cur = dump_all(t)
    log = t.check("dmesg")
    resynced = {}
    for d in DRIVES:
        m = re.search(rf"rcl{numbers[d.name]}: resynced (\d+)", log)
        resynced[d.name] = int(m.group(1)) if m else 0
        if expect_resync and WRITE_INTENT and d.level != 0 and not resynced[d.name]:
            raise Fail(f"{d.name} (rcl{numbers[d.name]}): no resync of dirty regions after the "
                       "crash in the kernel log")
    errors, lines = [], []
    for i, d in enumerate(DRIVES):
        run = run_id(rnd, i)
        e, st = check_blocks(d.name, run, cur[d.name], acks.get(run, {}),
                             t.state["content"][d.name])
        errors += e
        errors += redundancy_errors(t, d)
        lines.append(f"{d.name} {st['acked']} acked blocks ({st['newer']} newer, "
                     f"{st['unacked_new']} unacked written, {st['torn']} torn"
                     + (f", {resynced[d.name]} regions resynced)" if d.level else ")"))
    say(t, f"round {rnd}: " + "; ".join(lines))
    if errors:
        raise Fail(f"seed {SEED} round {rnd} (replay: RC_CRASH_SEED={SEED}): "
                   f"{len(errors)} violation(s):\n" + "\n".join(errors[:30]))
    t.state["content"] = cur


def load(t):
    if WRITE_INTENT:
        t.load()
    else:
        t.check("for m in $(cat /etc/raidcluster-deps); do modprobe $m; done; "
                f"insmod {rcvm.KO} write_intent=0")


def test_create(t):
    load(t)
    t.ctl_ok("attach", *[d.serial for d in t.disks])
    t.state["dev"] = {}
    for d in DRIVES:
        args = ["create", d.name, "--level", d.level, "--stripe", d.stripe, "--size", MEMBER_SIZE]
        for i in d.disks:
            args += ["--disk", t.disks[i].serial]
        t.ctl_ok(*args)
        t.state["dev"][d.name] = t.drive_dev(d.name)
    t.state["content"] = {d.name: {} for d in DRIVES}
    say(t, f"seed {SEED} (replay: RC_CRASH_SEED={SEED}), {ROUNDS} kill points")


def test_acks_without_crash(t):
    # the pipeline itself: writers that stop after 400 writes each, every ack reaches the
    # host, and with nothing in flight every block must hold exactly its last acked gen
    start_writers(t, 0, count=400)
    t.check("for p in " + " ".join(f"$(cat /tmp/cw.{d.name}.pid)" for d in DRIVES)
            + "; do while [ -d /proc/$p ]; do sleep 0.2; done; done", timeout=300)
    outs = {d.name: t.check(f"cat /tmp/cw.{d.name}") for d in DRIVES}
    if any(o.strip() != "done 400" for o in outs.values()):
        raise Fail(f"writers did not finish cleanly: {outs}")
    acks, n = parse_acks(t.vm.serial1())
    if n != 400 * len(DRIVES):
        raise Fail(f"{n} acks on the host, expected {400 * len(DRIVES)}")
    cur = dump_all(t)
    for i, d in enumerate(DRIVES):
        a = acks.get(run_id(0, i), {})
        want = {b: ((run_id(0, i), g),) * 8 for b, g in a.items()}
        if cur[d.name] != want:
            diff = sorted(b for b in set(want) | set(cur[d.name])
                          if want.get(b) != cur[d.name].get(b))
            raise Fail(f"{d.name}: {len(diff)} blocks differ from their last ack, e.g. "
                       + "; ".join(f"{b}: {cur[d.name].get(b)} vs {want.get(b)}"
                                   for b in diff[:5]))
        e = redundancy_errors(t, d)
        if e:
            raise Fail("\n".join(e))
    t.state["content"] = cur


def make_round(rnd):
    def test_crash(t):
        rng = random.Random(SEED * 1000 + rnd)
        delay = rng.uniform(0.0, 6.0)
        # one member slowed down: its writes queue up in qemu, and the kill loses them, so
        # mirrors and RAID 5 rows really are half written at the crash (without it both
        # halves of a mirrored write land within microseconds and a kill rarely splits them)
        slow = t.disks[[3, 2, 1][(rnd - 1) % 3]]
        t.vm.throttle(slow.serial, iops_wr=THROTTLE_IOPS)
        start_writers(t, rnd)
        end = time.time() + 240
        while True:
            acks, _ = parse_acks(t.vm.serial1())
            if all(len(acks.get(run_id(rnd, i), {})) >= MIN_ACKS for i in range(len(DRIVES))):
                break
            if time.time() > end:
                raise Fail(f"writers too slow: acked blocks per run "
                           f"{ {r: len(v) for r, v in acks.items()} }\n"
                           + t.check("cat /tmp/cw.*"))
            time.sleep(0.2)
        time.sleep(delay)
        # the writers must still be at it (one that hit an I/O error has exited)
        rc, out = t.sh("for d in " + " ".join(d.name for d in DRIVES) + "; do "
                       "kill -0 $(cat /tmp/cw.$d.pid) 2>/dev/null || "
                       "{ echo \"$d: $(cat /tmp/cw.$d)\"; exit 1; }; done")
        t.vm.kill()
        if rc:
            raise Fail(f"a writer stopped before the kill: {out}")
        acks, _ = parse_acks(t.vm.serial1())
        n = sum(len(acks.get(run_id(rnd, i), {})) for i in range(len(DRIVES)))
        say(t, f"round {rnd}: killed qemu {delay:.2f}s after {MIN_ACKS} acked blocks per "
               f"drive ({slow.serial} slowed to {THROTTLE_IOPS} writes/s); {n} acked blocks "
               "on the host")
        t.new_vm(crash=True)
        attach_and_check(t, rnd, acks, expect_resync=True)
    test_crash.__name__ = f"test_crash{rnd}"
    return test_crash


def test_degraded_reads(t):
    # with disk 3 pulled, RAID 5 rebuilds its column from parity and RAID 1/10 read the other
    # copy: every drive must still read exactly what was checked after the last crash
    t.vm.unplug(t.disks[3].serial)
    cur = dump_all(t)
    for d in DRIVES:
        if cur[d.name] != t.state["content"][d.name]:
            diff = sorted(b for b in set(cur[d.name]) | set(t.state["content"][d.name])
                          if cur[d.name].get(b) != t.state["content"][d.name].get(b))
            raise Fail(f"{d.name} with {t.disks[3].serial} pulled: {len(diff)} blocks differ, "
                       f"e.g. block {diff[0]}: {cur[d.name].get(diff[0])} vs "
                       f"{t.state['content'][d.name].get(diff[0])}")
        state = str(t.drive(d.name).get("state")).lower()
        if (d.level == 0) != ("degraded" not in state):
            raise Fail(f"{d.name} state {state} with disk 3 pulled")


GROUPS = [Group("crash", [test_create, test_acks_without_crash]
                + [make_round(r) for r in range(1, ROUNDS + 1)] + [test_degraded_reads],
                disks=4, size_mb=128)]


# --- a crash during a rebuild ----------------------------------------------------------------
# A RAID 1, 10 or 5 drive over disks 1..n; its last member pulled, the drive rebuilt onto disk 0.
# Once the rebuild's checkpoint (COD rebuild_pos) is past the writers' blocks, writes there go to
# every copy including the new disk (the rebuild target), which is slowed down; qemu is killed;
# after the new boot the rebuild resumes from its checkpoint. Every acknowledged write must read
# back, and once the rebuild is over the copies / parity must agree, also where the crash left
# writes half done below the checkpoint: the resync at start has to repair the rebuilt part of
# the target too, the resumed rebuild never goes back there.
RB_BLOCKS = 1024                   # the writers' blocks: the drive's first 4 MiB
RB_SIZE = "32M"


def rb_cod_pos(t, serial, name):
    cfg = t.cod(serial).get("config") or {}
    ld = [x for x in cfg.get("logical_drives", []) if x.get("name") == name][0]
    return max(int(e.get("rebuild_pos_sectors", 0)) for e in ld["extents"])


def make_crash_during_rebuild(level, nmem):
    name = f"rb{level}"

    def test_crash_during_rebuild(t):
        load(t)
        new, ms = t.disks[0], t.disks[1:1 + nmem]
        t.ctl_ok("attach", *[d.serial for d in ms + [new]])
        t.ctl_ok("create", name, "--level", level, "--size", RB_SIZE,
                 *[a for d in ms for a in ("--disk", d.serial)])
        t.vm.unplug(ms[-1].serial)
        # the next write finds the member gone: degraded
        t.check(f"dd if=/dev/zero of={t.drive_dev(name)} bs=64k count=1 oflag=direct "
                "2>/dev/null")
        if "degraded" not in str(t.drive(name).get("state")):
            raise Fail(f"{name} not degraded after a write with {ms[-1].serial} pulled: "
                       f"{t.drive(name)}")
        t.check("echo 4000 > /sys/module/raidcluster/parameters/rebuild_speed_max")
        t.ctl_ok("rebuild", name, "--disk", new.serial)
        end = time.time() + 300
        while rb_cod_pos(t, new.serial, name) < 2 * RB_BLOCKS * 8:
            if time.time() > end:
                raise Fail(f"rebuild checkpoint not past {2 * RB_BLOCKS * 8} sectors: "
                           f"{t.drive(name)}")
            time.sleep(0.5)
        # slow: still rebuilding at the kill
        t.check("echo 500 > /sys/module/raidcluster/parameters/rebuild_speed_max; "
                "echo 500 > /sys/module/raidcluster/parameters/rebuild_speed_min")
        dev = t.drive_dev(name)
        rng = random.Random(SEED * 1000 + 900 + level)
        t.vm.throttle(new.serial, iops_wr=THROTTLE_IOPS)
        run = run_id(9, level)
        t.check(f"rc-crash-io write {dev} /dev/ttyS1 {run} {SEED * 64 + 40 + level} "
                f"{RB_BLOCKS} {THREADS} > /tmp/cw.rb 2>&1 & echo $! > /tmp/cw.rb.pid")
        end = time.time() + 240
        while len(parse_acks(t.vm.serial1())[0].get(run, {})) < MIN_ACKS:
            if time.time() > end:
                raise Fail("writer too slow: " + t.check("cat /tmp/cw.rb"))
            time.sleep(0.2)
        time.sleep(rng.uniform(0.0, 3.0))
        rc, out = t.sh("kill -0 $(cat /tmp/cw.rb.pid) && ! grep -q '^0 0 0' "
                       f"/sys/block/{dev.split('/')[-1]}/raidcluster/rebuild")
        t.vm.kill()
        if rc:
            raise Fail(f"writer stopped or rebuild over before the kill: {out}")
        acks, _ = parse_acks(t.vm.serial1())
        t.new_vm(crash=True)
        load(t)
        t.ctl_ok("attach", *[d.serial for d in ms[:-1] + [new]])
        ld = t.drive(name)
        if ld is None or not int(ld.get("rebuild_total_sectors", 0)):
            raise Fail(f"the rebuild did not resume after the crash: {ld}")
        t.check("echo 200000 > /sys/module/raidcluster/parameters/rebuild_speed_max")
        end = time.time() + 600
        while str(t.drive(name).get("state")).lower() != "optimal":
            if time.time() > end:
                raise Fail(f"rebuild not over: {t.drive(name)}")
            time.sleep(1)
        dev = t.drive_dev(name)
        cur = parse_dump(t.check(f"rc-crash-io dump {dev} {RB_BLOCKS}"))
        errors, st = check_blocks(name, run, cur, acks.get(run, {}), {})
        errors += redundancy_errors(t, Drv(name, level, "64K", []))
        say(t, f"crash during the rebuild of {name}: {st['acked']} acked blocks "
               f"({st['newer']} newer, {st['unacked_new']} unacked written)")
        if errors:
            raise Fail(f"seed {SEED} (replay: RC_CRASH_SEED={SEED}): {len(errors)} "
                       "violation(s):\n" + "\n".join(errors[:30]))
    return test_crash_during_rebuild


GROUPS += [Group(f"crash_rebuild_raid{level}", [make_crash_during_rebuild(level, n)],
                 disks=n + 1, size_mb=128) for level, n in ((1, 2), (10, 4), (5, 3))]
