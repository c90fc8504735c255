#!/usr/bin/env python3
"""make bench: raidcluster against Linux md on the same members, in one VM, two kinds of member.

    python3 tests/bench/bench.py                    both kinds, every level, default runtime and reps
    python3 tests/bench/bench.py --quick            short runs, one repetition (smoke run)
    python3 tests/bench/bench.py --kinds fast --levels 0,5 --runtime 10 --reps 5

Two kinds of member disk, each in a VM of its own (tests/vm/rcvm.py: Debian's 6.1 kernel under
qemu TCG):
  emulated  four members and a spare, qemu scsi-hd on virtio-scsi over raw images: every SCSI
            command costs a large fixed amount of emulated CPU (the bench of earlier sessions);
  fast      four scsi_debug disks in the guest (RAM-backed SCSI, --fast-mb each): a command costs
            almost nothing, so the RAID layer's own cost shows.
For every repetition and every level 0, 1, 5, 10 it builds the raidcluster drive (raidclusterctl)
over the four members, runs fio's four workloads (4k random read and write, 1M sequential read and
write; libaio, direct I/O; the host's fio through the /host share), tears it down, zeroes the
metadata areas, builds the md array of the same level, chunk and extents (mdadm --assume-clean),
runs the same fio, tears it down: A B A B, so both see the same drift of a noisy TCG host. Each
repetition first measures one raw member over the same extent: the physical limit of a level is
that times the level's factor. Every row also gets the guest's CPU time per I/O (busy ticks of
/proc/stat over the I/Os of the device's stat, taken by fio's pre- and post-run hooks).

The rows are taken with the protocol host running: in the emulated kind a second VM over the same
images (node 1, targets.Peer) joins the drive's cluster for every raidcluster row and for the
rebuilds, and leaves before md's (--no-peer: one node alone); in the fast kind the members live
in one guest's RAM, so that guest's node runs its protocol host alone (heartbeats, slots and
mailboxes on the members). Afterwards, for the redundant levels of the emulated kind, the time to
rebuild one member onto the spare (md: recovery after --fail/--add; raidcluster:
`raidclusterctl rebuild`).

A level this build refuses prints as n/a and is picked up automatically once it works. Prints
one table per kind (medians), writes build/bench/bench-<date>.json (and latest.json) with every
sample and the machine of each kind, and ends with one line
`bench: worst ratio R (KIND LEVEL WORKLOAD)` over the rows of both kinds.
Exit status: 0 when every level either ran or is n/a, 1 on an error, 2 on bad usage.
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# A directory of its own: the bench neither races the VM suite's initramfs builds nor
# touches its disk images when both run on one machine.
os.environ.setdefault("RC_VM_DIR", "/tmp/rc-vm-bench")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "vm"))
import rcvm  # noqa: E402
import report  # noqa: E402
import census  # noqa: E402
import vmtest  # noqa: E402
from targets import (DATA_START_BYTES, BenchError, Guest, Md, Peer,  # noqa: E402
                     Raidcluster, Unsupported, member_bytes, on_target)
from workloads import (SNAP_PATH, SNAP_SCRIPT, WORKLOADS, fio_args,  # noqa: E402
                       parse_cost, parse_fio)

ALL_LEVELS = [0, 1, 5, 10]
MEMBERS = 4
KINDS = ("emulated", "fast")
KIND_TEXT = {"emulated": "qemu scsi-hd disks on raw images, virtio-scsi",
             "fast": "scsi_debug RAM disks in the guest"}
# the fast kind's guest: what the 512 MiB of the emulated kind's guest hold, plus every
# member's RAM (scsi_debug allocates its stores at load)
FAST_GUEST_BASE_MIB = 640


def say(msg=""):
    print(msg, flush=True)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="short runs (2 s + 1 s ramp), one repetition: a smoke run")
    ap.add_argument("--levels", default="0,1,5,10", help="comma list of 0,1,5,10")
    ap.add_argument("--runtime", type=int, help="seconds per workload (default 4; quick 2)")
    ap.add_argument("--ramp", type=int, help="warm-up seconds per workload, not measured "
                    "(default 1)")
    ap.add_argument("--reps", type=int, help="repetitions (default 3; quick 1)")
    ap.add_argument("--kinds", default=",".join(KINDS),
                    help="comma list of emulated (qemu's emulated SCSI disks), fast (RAM-backed "
                    "scsi_debug disks: the RAID layer's own cost); default both")
    ap.add_argument("--disk-mb", type=int, default=384, help="size of each disk image (MiB)")
    ap.add_argument("--fast-mb", type=int, default=192,
                    help="size of each scsi_debug member of the fast kind (MiB of guest RAM)")
    ap.add_argument("--no-rebuild", action="store_true", help="skip the rebuild comparison")
    ap.add_argument("--no-peer", action="store_true",
                    help="rebuild on one node alone (no second node joining the cluster)")
    ap.add_argument("--no-wait", action="store_true",
                    help="start even while two other VMs are running on this machine")
    ap.add_argument("--census", action="store_true",
                    help="no timing: count the commands each system sends to the members for "
                    "a fixed amount of I/O per workload (steady under TCG noise)")
    ap.add_argument("--markdown", metavar="JSON",
                    help="no run: print the table of a results file (build/bench/*.json) as "
                    "markdown, for Documentation/performance.md")
    opt = ap.parse_args(argv)
    try:
        opt.levels = [int(x) for x in opt.levels.split(",") if x.strip()]
    except ValueError:
        ap.error(f"--levels: not a comma list of numbers: {opt.levels!r}")
    bad = [lv for lv in opt.levels if lv not in ALL_LEVELS]
    if bad or not opt.levels:
        ap.error(f"--levels: choose from {ALL_LEVELS}, got {opt.levels}")
    opt.levels = [lv for lv in ALL_LEVELS if lv in opt.levels]
    opt.kinds = [k.strip() for k in opt.kinds.split(",") if k.strip()]
    if not opt.kinds or any(k not in KINDS for k in opt.kinds):
        ap.error(f"--kinds: choose from {list(KINDS)}, got {opt.kinds}")
    opt.kinds = [k for k in KINDS if k in opt.kinds]
    opt.runtime = opt.runtime or (2 if opt.quick else 4)
    opt.ramp = 1 if opt.ramp is None else opt.ramp
    opt.reps = opt.reps or (1 if opt.quick else 3)
    if opt.runtime < 1 or opt.reps < 1 or opt.ramp < 0 or opt.disk_mb < 64 or \
            not 64 <= opt.fast_mb <= 1024:
        ap.error("--runtime and --reps must be >= 1, --ramp >= 0, --disk-mb >= 64, "
                 "--fast-mb from 64 to 1024")
    return opt


def other_vms():
    r = subprocess.run(["pgrep", "-c", "qemu-system"], capture_output=True, text=True)
    return int(r.stdout.strip() or 0)


def wait_for_quiet_host(limit=600, own=0):
    """This machine has 2 cores and the VM suite may be running: while two other VMs are busy,
    wait (up to `limit` seconds), since a third would distort every number. `own`: VMs of
    this bench among the running ones."""
    t0 = time.time()
    while other_vms() - own >= 2 and time.time() - t0 < limit:
        if int(time.time() - t0) % 60 == 0:
            say(f"bench: {other_vms() - own} other VMs running; waiting for them to finish")
        time.sleep(1)
    if other_vms() - own >= 2:
        say("bench: warning: still 2+ other VMs running; the numbers will be noisier")


def make_images(disk_mb, serials):
    """Fully allocated images (zeros written, not sparse): a read must cost the same whether
    or not some earlier run happened to write that block."""
    d = os.path.join(rcvm.DIR, "disks", "bench")
    os.makedirs(d, exist_ok=True)
    size = disk_mb << 20
    disks = []
    for s in serials:
        p = os.path.join(d, s + ".img")
        try:
            st = os.stat(p)
            ok = st.st_size == size and st.st_blocks * 512 >= size
        except FileNotFoundError:
            ok = False
        if not ok:
            chunk = bytes(4 << 20)
            with open(p, "wb") as f:
                for _ in range(size // len(chunk)):
                    f.write(chunk)
                f.truncate(size)
        disks.append(rcvm.Disk(p, s))
    return disks


def run_fio(g, dev, opt, offset=None, size=None):
    """fio's four workloads on dev: ({workload: IOPS or MiB/s}, {workload: {"cpu_us",
    "sys_us"}}), the second from the guest's CPU accounting around each job (workloads.py)."""
    kname = g.ok(f"basename $(readlink -f {shlex.quote(dev)})").strip()
    args = fio_args(dev, opt.runtime, opt.ramp, "/tmp/fio.json", offset, size, snap=kname)
    timeout = len(WORKLOADS) * (opt.runtime + opt.ramp) + 180
    rc, out = g.sh("cd /tmp && rm -f /tmp/cost.* && " + shlex.join(args) + " 2>&1",
                   timeout=timeout)
    if rc:
        raise BenchError(f"fio on {dev} rc={rc}:\n{out.strip()[-1500:]}")
    res = parse_fio(g.ok("cat /tmp/fio.json"))
    snaps = {}
    for block in g.ok("for f in /tmp/cost.*.pre /tmp/cost.*.post; do echo \"== $f\"; "
                      "cat $f; done").split("== ")[1:]:
        name, _, text = block.partition("\n")
        snaps[name.strip()[len("/tmp/cost."):]] = text
    return res, parse_cost(snaps)


def short(e):
    """One line for the table's notes: the error's first line and, if different, its last
    (a failed guest command's first line is the command, its last the program's message)."""
    lines = [l.strip() for l in str(e).strip().splitlines() if l.strip()] or [type(e).__name__]
    first = lines[0] if len(lines[0]) <= 120 else lines[0][:117] + "..."
    return first if len(lines) == 1 else f"{first} -> {lines[-1]}"


def fmt_sample(res, cost=None):
    return ", ".join(f"{w.key} {w.fmt(res[w.key])}"
                     + (f" {cost[w.key]['cpu_us']:.0f}us" if cost else "") for w in WORKLOADS)


def measure(g, target, opt, all_disks, peer=None):
    """Build, (peer joins,) fio, tear down, (peer leaves,) wipe; returns the samples
    (targets.on_target)."""
    def work(dev):
        if peer:
            peer.join()
        return run_fio(g, dev, opt)
    try:
        return on_target(g, target, all_disks, work)
    finally:
        if peer:
            peer.leave()


def machine_info(vm, g, kind):
    def cmd(*a):
        try:
            r = subprocess.run(a, capture_output=True, text=True)
            return (r.stdout.strip() or r.stderr.strip()).splitlines()[0]
        except (OSError, IndexError):
            return ""
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    disks = ("scsi-hd, raw image, cache.direct=on, aio=threads" if kind == "emulated" else
             "scsi_debug in the guest (RAM, delay=0, one host and store per disk)")
    return {
        "host": platform.node(), "host_kernel": platform.release(), "cpu": cpu,
        "cpus": os.cpu_count(), "mem_gib": round(mem_kb / (1 << 20), 1),
        "kvm_device": os.path.exists("/dev/kvm"), "accel": "tcg",
        "qemu": cmd("qemu-system-x86_64", "--version"),
        "fio": cmd("fio", "--version"), "mdadm": cmd("mdadm", "--version"),
        "guest_kernel": g.ok("uname -r").strip(), "guest_mem_mib": vm.mem, "guest_cpus": vm.smp,
        "hba": "virtio-scsi" if kind == "emulated" else "scsi_debug", "disks": disks,
        "git": cmd("git", "-C", REPO, "describe", "--always", "--dirty"),
        "loadavg_start": open("/proc/loadavg").read().split()[:3],
        "other_vms_at_start": other_vms() - 1,
    }


class FastDisk:
    """A scsi_debug member: dev its /dev/sdX, serial the VPD 0x80 serial raidcluster knows it
    by (what `attach` and `create --disk` take, and `status --json` shows)."""

    def __init__(self, dev, serial):
        self.dev, self.serial = dev, serial


def fast_disks(g, kver, count, size_mb):
    """count scsi_debug disks of size_mb MiB as FastDisks: attached once by path to learn
    the serials raidcluster reads from them, then detached again."""
    devs = g.load_scsi_debug(kver, count, size_mb)
    g.ctl_ok("attach", *devs)
    by_name = {d.get("device"): d.get("serial") for d in vmtest.disks_of(g.status())}
    g.ctl_ok("detach", *[by_name.get(os.path.basename(d), d) for d in devs])
    missing = [d for d in devs if not by_name.get(os.path.basename(d))]
    if missing:
        raise BenchError(f"scsi_debug disks {missing} not in status --json: {by_name}")
    return [FastDisk(d, by_name[os.path.basename(d)]) for d in devs]


def new_results(opt):
    results = {"baseline": {}, "baseline_cost": {}, "levels": {}, "rebuild": {}}
    for lv in opt.levels:
        results["levels"][str(lv)] = {s: {"status": "ok", "reason": "", "samples": {},
                                          "cost": {}}
                                      for s in ("raidcluster", "md")}
    return results


def add_cost(into, cost):
    for k, c in cost.items():
        into.setdefault(k, []).append(c["cpu_us"])


def measure_reps(vm, g, opt, members, disks, results, errors, peer=None):
    """The interleaved rows: for every repetition one raw member, then per level raidcluster
    (with the peer in its cluster) and md back to back, each with its CPU cost per I/O."""
    data_bytes = member_bytes(g, members[0])
    for rep in range(opt.reps):
        if not opt.no_wait:
            # other VMs may have started meanwhile; the guest idles while we wait
            wait_for_quiet_host(300, own=1 + (peer is not None))
        say(f"--- repetition {rep + 1}/{opt.reps}")
        res, cost = run_fio(g, members[0].dev, opt, DATA_START_BYTES, data_bytes)
        for k, v in res.items():
            results["baseline"].setdefault(k, []).append(v)
        add_cost(results["baseline_cost"], cost)
        say(f"  one member       {fmt_sample(res, cost)}")
        for lv in opt.levels:
            for cls in (Raidcluster, Md):
                target = cls(g, lv, members)
                slot = results["levels"][str(lv)][target.system]
                if slot["status"] != "ok":
                    continue
                t0 = time.time()
                try:
                    res, cost = measure(g, target, opt, disks,
                                        peer if target.system == "raidcluster" else None)
                except Unsupported as e:
                    slot["status"], slot["reason"] = "n/a", \
                        f"not supported by this build ({e})"
                    say(f"  RAID{lv} {target.system:11s} n/a (not supported by this "
                        f"build: {e})")
                    continue
                except (BenchError, ValueError) as e:
                    slot["status"], slot["reason"] = "error", short(e)
                    errors.append(f"RAID{lv} {target.system}: {e}")
                    say(f"  RAID{lv} {target.system:11s} ERROR {e}")
                    continue
                for k, v in res.items():
                    slot["samples"].setdefault(k, []).append(v)
                add_cost(slot.setdefault("cost", {}), cost)
                say(f"  RAID{lv} {target.system:11s} {fmt_sample(res, cost)} "
                    f"({time.time() - t0:.0f}s)")
                problems = vm.kernel_problems() + (peer.vm.kernel_problems() if peer else [])
                if problems:
                    slot["status"], slot["reason"] = "error", "kernel problem: " + problems[0]
                    errors.append(f"RAID{lv} {target.system}: kernel problems:\n"
                                  + "\n".join(problems[:20]))


def boot(name, disks, mem):
    vm = rcvm.VM(name, disks, mem=mem)
    try:
        vm.start()
        vm.wait_ready()
    except (RuntimeError, TimeoutError, OSError):
        vm.kill()
        raise
    return vm


def run_kind(kind, opt, errors):
    """One bench kind in a VM of its own: {"machine", "members", "disk_mib", "results"}.
    emulated: four qemu scsi-hd members and a spare on image files, a peer VM in the cluster
    for raidcluster's rows and rebuilds (unless --no-peer); fast: four scsi_debug members in
    the guest's RAM, one node (its protocol host running alone: heartbeats, slot polls,
    fencing by lease), no rebuilds."""
    results = new_results(opt)
    out = {"results": results, "members": MEMBERS}
    if kind == "emulated":
        serials = [f"bench-d{i}" for i in range(MEMBERS)] + ["bench-sp"]
        disks = make_images(opt.disk_mb, serials)
        members, spare = disks[:MEMBERS], disks[MEMBERS]
        out["disk_mib"] = opt.disk_mb
        vm_disks, mem = disks, 512
    else:
        out["disk_mib"] = opt.fast_mb
        vm_disks, mem = (), FAST_GUEST_BASE_MIB + MEMBERS * opt.fast_mb
    say(f"=== {kind} members: " + ("qemu scsi-hd on raw images" if kind == "emulated" else
                                   "scsi_debug (RAM) in the guest"))
    try:
        vm = boot("bench" if kind == "emulated" else "bench-fast", vm_disks, mem)
    except (RuntimeError, TimeoutError, OSError) as e:
        errors.append(f"{kind}: the VM did not come up: {e}")
        say(f"bench: the VM did not come up: {e}")
        return out
    peer = None
    try:
        say(f"bench: VM up in {vm.boot_seconds:.1f}s")
        g = Guest(vm)
        info = out["machine"] = machine_info(vm, g, kind)
        try:
            g.load_raidcluster()
            say("bench: raidcluster keeps a write-intent bitmap: md gets --bitmap=internal"
                if g.md_bitmap == "internal" else
                "bench: raidcluster keeps no write-intent bitmap: md gets --bitmap=none")
            g.load_md(info["guest_kernel"])
            if kind == "fast":
                members = fast_disks(g, info["guest_kernel"], MEMBERS, opt.fast_mb)
                disks = members
            vm.put(SNAP_PATH, SNAP_SCRIPT.encode())
            g.wipe(disks)
            g.warm(disks)
            if kind == "emulated" and not opt.no_peer:
                peer = start_peer(disks)
            out["peer"] = peer is not None
            measure_reps(vm, g, opt, members, disks, results, errors, peer)
            if kind == "emulated" and not opt.no_rebuild:
                rebuilds(g, opt, members, spare, disks, results, errors, peer)
        except (RuntimeError, TimeoutError, ConnectionError, BenchError) as e:
            # qemu died, the agent went away, a command hung (its late output would be taken
            # for the next command's), or the guest could not load a module or wipe a disk:
            # stop, and report what was measured so far
            errors.append(f"{kind}: stopped: {e}")
            say(f"bench: stopping {kind}: {str(e)[:2000]}")
        info["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
    finally:
        if peer:
            peer.vm.poweroff()
        vm.poweroff()
    return out


def main(argv=None):
    opt = parse_args(sys.argv[1:] if argv is None else argv)
    if opt.markdown:
        return print_markdown(opt.markdown)
    for what, path in (("raidcluster.ko", os.path.join(REPO, "raidcluster.ko")),
                       ("raidclusterctl", os.path.join(REPO, "build", "raidclusterctl"))):
        if not os.path.exists(path):
            say(f"bench: no {what} at {path}: run `make all` first")
            return 1
    if not opt.no_wait:
        wait_for_quiet_host()
    t_start = time.time()
    started = datetime.datetime.now(datetime.timezone.utc)
    rcvm.build_guest()
    errors = []
    say(f"bench: kinds {', '.join(opt.kinds)}; levels {opt.levels}, {opt.reps} repetition(s), "
        f"{opt.runtime} s per workload (+{opt.ramp} s ramp), {MEMBERS} members, chunk 64K; "
        f"{started:%Y-%m-%d %H:%M} UTC, qemu TCG (the harness never uses KVM)")
    if opt.census:
        return run_census_vm(opt)
    kinds = {}
    for kind in opt.kinds:
        k = kinds[kind] = run_kind(kind, opt, errors)
        k["rows"] = report.summarize(k["results"], MEMBERS)
        say("")
        say(f"{kind} members ({KIND_TEXT[kind]}):")
        say(report.table(k["rows"]))
        if k.get("peer"):
            say("note: raidcluster's rows and rebuilds ran with the cluster running: node 1 (a "
                "second VM over the same disks) in the cluster, md's beside that VM idle")
        elif kind == "fast":
            say("note: one node; its protocol host runs (heartbeat, slot and mailbox polls, "
                "fencing by lease) as on any node")
        say("")
    record = {
        "date": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seconds": round(time.time() - t_start),
        "settings": {"kinds": opt.kinds, "levels": opt.levels, "reps": opt.reps,
                     "runtime_s": opt.runtime, "ramp_s": opt.ramp, "members": MEMBERS,
                     "disk_mib": opt.disk_mb, "fast_mib": opt.fast_mb, "chunk_kib": 64,
                     "md": "metadata 1.2, --data-offset=16M, --assume-clean, --bitmap as "
                     "raidcluster's write_intent (raid1/5/10), raid5 left-symmetric, raid10 n2",
                     "fio": shlex.join(fio_args("DEV", opt.runtime, opt.ramp, "OUT"))},
        "kinds": kinds, "errors": errors,
        "worst": report.worst_of_kinds({k: v["rows"] for k, v in kinds.items()}),
    }
    finished = datetime.datetime.now(datetime.timezone.utc)
    outdir = os.path.join(REPO, "build", "bench")
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, "bench-" + finished.strftime("%Y%m%d-%H%M%S") + ".json")
    with open(path, "w") as f:
        json.dump(record, f, indent=1)
    shutil.copyfile(path, os.path.join(outdir, "latest.json"))
    for e in errors:
        say("error: " + short(e))
    say(f"bench: results in {os.path.relpath(path, REPO)} ({record['seconds']} s)")
    say(report.worst_line_kinds({k: v["rows"] for k, v in kinds.items()}))
    return 1 if errors else 0


def run_census_vm(opt):
    """bench.py --census: on the emulated members (the command counts are what TCG's fixed
    cost per command multiplies)."""
    disks = make_images(opt.disk_mb, [f"bench-d{i}" for i in range(MEMBERS)] + ["bench-sp"])
    try:
        vm = boot("bench", disks, 512)
    except (RuntimeError, TimeoutError, OSError) as e:
        say(f"bench: the VM did not come up: {e}")
        return 1
    try:
        g = Guest(vm)
        g.load_raidcluster()
        g.load_md(g.ok("uname -r").strip())
        g.wipe(disks)
        return run_census(g, opt, disks[:MEMBERS], disks)
    except (RuntimeError, TimeoutError, ConnectionError, BenchError) as e:
        say(f"bench: census stopped: {e}")
        return 1
    finally:
        vm.poweroff()


def run_census(g, opt, members, disks):
    """bench.py --census: census.py for every level, raidcluster then md."""
    results, failed = {}, False
    for lv in opt.levels:
        results[lv] = {}
        for cls in (Raidcluster, Md):
            target = cls(g, lv, members)
            try:
                results[lv][target.system] = census.census(g, target, members, disks)
            except Unsupported as e:
                results[lv][target.system] = {"na": f"not supported by this build: {e}"}
            except (BenchError, ValueError) as e:
                results[lv][target.system] = {"error": short(e)}
                failed = True
            say(f"  RAID{lv} {target.system:11s} counted")
    outdir = os.path.join(REPO, "build", "bench")
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, "census-latest.json")
    census.dump(results, path)
    say("")
    say(census.table(results))
    say(f"bench: census in {os.path.relpath(path, REPO)}")
    return 1 if failed else 0


def print_markdown(path):
    """The tables of a results file as markdown. A file of the single-kind bench (before the
    fast kind) holds its one run at the top level: the emulated kind."""
    try:
        with open(path) as f:
            rec = json.load(f)
        st = rec["settings"]
        kinds = rec.get("kinds") or {"emulated": {
            "machine": rec["machine"], "results": rec["results"], "members": st["members"],
            "disk_mib": st["disk_mib"], "peer": rec["results"].get("rebuild_peer", False)}}
        # from the samples, so a file of an older bench gets today's statistics
        rows = {k: report.summarize(v["results"], v["members"]) for k, v in kinds.items()}
    except (OSError, ValueError, KeyError, TypeError) as e:
        say(f"bench: {path}: not a bench results file ({e})")
        return 1
    for kind, k in kinds.items():
        m = k.get("machine", {})
        say(f"**{kind} members** ({KIND_TEXT.get(kind, kind)}). Run of {rec['date']} "
            f"({rec['seconds']} s for the whole bench), git {m.get('git')}: {m.get('cpu')}, "
            f"{m.get('cpus')} cores, {m.get('qemu')}, TCG (no KVM); guest "
            f"{m.get('guest_kernel')}, {m.get('guest_cpus')} vCPU, {m.get('guest_mem_mib')} MiB;"
            f" {k['members']} x {k['disk_mib']} MiB {m.get('disks')} on {m.get('hba')}; "
            f"{st['reps']} repetitions x {st['runtime_s']} s (+{st['ramp_s']} s ramp) per "
            f"workload; {m.get('other_vms_at_start')} other VM(s) running at the start, load "
            f"average {' '.join(m.get('loadavg_start', []))} -> "
            f"{' '.join(m.get('loadavg_end', []))}"
            + ("; raidcluster's rows with node 1 in the cluster." if k.get("peer") else "."))
        say("")
        say(report.markdown(rows[kind]))
        say("")
    say(report.worst_line_kinds(rows))
    return 0


def start_peer(disks):
    """The second node's VM (targets.Peer), booted over the same images, module not loaded."""
    vm = rcvm.VM("bench-peer", disks, mem=384)
    try:
        vm.start()
        vm.wait_ready()
    except (RuntimeError, TimeoutError, OSError):
        vm.kill()
        raise
    say(f"bench: peer VM (node 1) up in {vm.boot_seconds:.1f}s: it joins the cluster for each "
        "raidcluster row and rebuild")
    return Peer(vm)


def rebuilds(g, opt, members, spare, disks, results, errors, peer=None):
    """Rebuild rate of each redundant level, member 3 replaced by the spare: raidcluster
    rebuild (with the peer in the cluster) and md recovery back to back, --reps times (a single
    rebuild of a few seconds is at the mercy of the host's load as much as any fio run)."""
    results["rebuild_peer"] = peer is not None
    for rep in range(opt.reps):
        if opt.reps > 1:
            say(f"--- rebuilds, repetition {rep + 1}/{opt.reps}")
        for lv in opt.levels:
            if lv == 0:
                continue
            entry = results["rebuild"].setdefault(str(lv), {})
            for cls in (Raidcluster, Md):
                target = cls(g, lv, members)
                slot = entry.setdefault(target.system, {"status": "ok", "reason": "",
                                                        "samples": [], "seconds": []})
                if slot["status"] != "ok":
                    continue
                perf = results["levels"][str(lv)][target.system]
                if perf["status"] != "ok":
                    slot["status"], slot["reason"] = perf["status"], perf["reason"]
                    continue
                if target.system == "raidcluster" and not target.rebuild_supported():
                    slot["status"] = "n/a"
                    slot["reason"] = "not supported by this build (no `raidclusterctl rebuild`)"
                    say(f"  RAID{lv} raidcluster rebuild n/a (no `raidclusterctl rebuild`)")
                    continue
                on_peer = peer if target.system == "raidcluster" else None
                try:
                    target.setup()
                    rate, secs = (target.rebuild_rate(members[-1], spare, peer=on_peer)
                                  if on_peer else target.rebuild_rate(members[-1], spare))
                    slot["samples"].append(rate)
                    slot["seconds"].append(secs)
                    say(f"  RAID{lv} {target.system:11s} rebuild {rate:.0f} MiB/s "
                        f"({secs:.1f} s)")
                except (BenchError, ValueError) as e:
                    slot["status"], slot["reason"] = "error", short(e)
                    errors.append(f"RAID{lv} {target.system} rebuild: {e}")
                    say(f"  RAID{lv} {target.system:11s} rebuild ERROR {e}")
                finally:
                    try:
                        target.teardown(extra=[spare])
                    except BenchError as e:
                        errors.append(f"RAID{lv} {target.system} rebuild teardown: {e}")
                    if on_peer:
                        on_peer.leave()
                        if not _present(on_peer.g, members[-1]):
                            on_peer.vm.replug(members[-1].serial)
                    if not _present(g, members[-1]):      # pulled by the raidcluster rebuild
                        g.vm.replug(members[-1].serial)
                    g.wipe(disks)


def _present(g, disk):
    return g.sh(f"test -b {disk.dev}")[0] == 0


if __name__ == "__main__":
    sys.exit(main())
