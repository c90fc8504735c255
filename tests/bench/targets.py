"""What the bench measures inside the guest: a raidcluster logical drive and an md array built
over the same member disks and the same extents, one at a time.

Both use the members' sectors from RC_DATA_START_SECTOR (16 MiB) to the end: raidclusterctl
puts a fresh drive's extents there, and mdadm gets --data-offset=16M, so the two arrays put
their data on exactly the same sectors of the same emulated disks. Between two builds the first
16 MiB of every disk (md's superblock at 4 KiB, raidcluster's COD, slots, mailboxes and
write-intent bitmaps) are zeroed, so neither ever sees the other's metadata.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "vm"))
import vmtest  # noqa: E402  (status --json helpers shared with the VM suite)

DATA_START_BYTES = 32768 * 512       # RC_DATA_START_SECTOR (include/raidcluster/layout.h)
CHUNK_KIB = 64
SETTLE_S = 2                          # after a peer joins, before the measurement (Peer.join)
# The module or the tool refusing a level it does not implement yet (RAID 5/10 before their
# data path lands): the bench prints n/a for it instead of failing.
UNSUPPORTED_RE = re.compile(r"not (yet )?(implemented|supported)|unsupported|EOPNOTSUPP|"
                            r"Operation not supported", re.I)
MD_LEVELS = {0: "raid0", 1: "raid1", 5: "raid5", 10: "raid10"}


class Unsupported(Exception):
    """This build refuses the level (reported as n/a, not as an error)."""


class BenchError(Exception):
    pass


class Guest:
    """Shell helpers over one booted rcvm.VM."""

    def __init__(self, vm):
        self.vm = vm
        self.md_bitmap = "none"     # set by load_raidcluster()

    def sh(self, cmd, timeout=120):
        return self.vm.sh(cmd, timeout)

    def ok(self, cmd, timeout=120):
        rc, out = self.vm.sh(cmd, timeout)
        if rc:
            raise BenchError(f"guest: {cmd!r} -> rc={rc}\n{out.strip()[-1500:]}")
        return out

    def script(self, text, timeout=120):
        rc, out = self.vm.script(text, timeout)
        if rc:
            raise BenchError(f"guest script rc={rc}:\n{text.strip()}\n--- output:\n"
                             f"{out.strip()[-1500:]}")
        return out

    def ctl(self, *args, timeout=120):
        return self.vm.sh("raidclusterctl " + " ".join(shlex.quote(str(a)) for a in args),
                          timeout)

    def ctl_ok(self, *args, timeout=120):
        rc, out = self.ctl(*args, timeout=timeout)
        if rc:
            raise BenchError(f"raidclusterctl {' '.join(map(str, args))} -> rc={rc}\n"
                             f"{out.strip()}")
        return out

    def status(self):
        return json.loads(self.ctl_ok("status", "--json"))

    def wipe(self, disks):
        """Zero the metadata areas (first 16 MiB) of the disks."""
        self.script("set -e\n" + "".join(
            f"dd if=/dev/zero of={d.dev} bs=1M count=16 oflag=direct 2>/dev/null\n"
            for d in disks), timeout=300)

    def warm(self, disks):
        """Read every disk once, whole, before the first measurement. The first reads of an
        image after the VM starts cost far more than later ones (the host's own storage below
        the image files), which once made repetition 1's first rows 40x slower than the rest."""
        self.script("set -e\n" + "".join(
            f"dd if={d.dev} of=/dev/null bs=1M iflag=direct 2>/dev/null\n"
            for d in disks), timeout=600)

    def load_raidcluster(self):
        self.ok("for m in $(cat /etc/raidcluster-deps); do modprobe $m; done; "
                "grep -q '^raidcluster ' /proc/modules || insmod /lib/raidcluster/raidcluster.ko")
        self.ok("test -c /dev/raidcluster")
        rc, out = self.sh("cat /sys/module/raidcluster/parameters/write_intent")
        self.md_bitmap = "internal" if rc == 0 and out.strip() in ("Y", "1") else "none"

    def insmod_host(self, kver, modules, params=None):
        """Load `modules` (and what they depend on, in the host modprobe's order) from the
        host's module tree of the guest's kernel through the /host share; modules already
        loaded are skipped, and optional ones that do not fit the emulated CPU may fail.
        params: {module: "k=v ..."} for the named modules themselves."""
        paths = []
        for m in modules:
            out = subprocess.run(["modprobe", "-S", kver, "--show-depends", m], check=True,
                                 capture_output=True, text=True).stdout
            for line in out.splitlines():
                f = line.split()
                if len(f) >= 2 and f[0] == "insmod" and f[1] not in paths:
                    paths.append(f[1])
        lines = []
        for p in paths:
            name = os.path.basename(p)[:-3].replace("-", "_")
            args = (params or {}).get(name, "")
            lines.append(f"[ -d /sys/module/{name} ] || insmod /host{p} {args} 2>/dev/null || "
                         f"echo 'insmod {name} failed'")
        self.script("\n".join(lines) + "\n", timeout=300)

    def load_scsi_debug(self, kver, count, size_mb):
        """`count` RAM-backed SCSI disks of `size_mb` MiB each (scsi_debug), the fast members:
        one emulated host adapter per disk with a store of its own (per_host_store; with one
        shared store, the default, every disk would show the same blocks), delay=0 (each
        command answered in the submitter's context, no timer: a command costs only the copy
        to or from RAM). Real SCSI disks to the member checks: INQUIRY, VPD 0x80 serials
        (2000, 4000, ...) and 0x83 NAA names, READ CAPACITY, not rotational. Returns their
        /dev/sdX paths in host order."""
        self.insmod_host(kver, ("scsi_debug",), {
            "scsi_debug": f"add_host={count} per_host_store=1 dev_size_mb={size_mb} delay=0 "
                          "num_tgts=1 max_luns=1"})
        self.ok("udevadm settle 2>/dev/null; true")
        out = self.ok("for h in /sys/bus/pseudo/drivers/scsi_debug/adapter*/host*; do "
                      "ls $h/target*/*/block 2>/dev/null; done")
        devs = ["/dev/" + n for n in out.split()]
        if len(devs) != count:
            raise BenchError(f"scsi_debug: {len(devs)} disks of {count} appeared: {out!r}")
        return devs

    def load_md(self, kver):
        """md and its personalities straight from the host's module tree through the /host
        share (the VM suite's initramfs does not carry them). The insmod order is the host
        modprobe's dependency order; modules already loaded are skipped, and optional ones
        that do not fit the emulated CPU (crc32c-intel without SSE 4.2) may fail: what counts
        is that /proc/mdstat then lists every personality the bench needs."""
        self.insmod_host(kver, ("raid0", "raid1", "raid10", "raid456"))
        # md's resync/recovery cap (default 200000 KiB/s) off: the bench compares how fast
        # each can rebuild, not their default throttles
        self.ok("echo 10000000 > /proc/sys/dev/raid/speed_limit_max")
        mdstat = self.ok("cat /proc/mdstat")
        missing = [p for p in ("raid0", "raid1", "raid10", "raid5") if f"[{p}]" not in mdstat]
        if missing:
            raise BenchError(f"md personalities {missing} not available in the guest:\n{mdstat}")


class Peer:
    """A second node for the raidcluster rebuild: its own VM over the same images, node ID 1.
    It joins the cluster of the bench's drive (insmod node_id=1, attach --all), so the rebuild
    runs with the cluster running: the two protocol hosts heartbeat and poll their slots and
    mailboxes on the shared disks, the rebuild is coordinated by the master and its progress
    is sent to the other node. Between rebuilds its module is unloaded, so md's recovery runs
    beside an idle VM and never sees raidcluster metadata written behind its back."""

    def __init__(self, vm):
        self.vm = vm
        self.g = Guest(vm)

    def join(self, timeout=60):
        self.g.ok("for m in $(cat /etc/raidcluster-deps); do modprobe $m; done; "
                  "insmod /lib/raidcluster/raidcluster.ko node_id=1")
        self.g.ctl_ok("attach", "--all")
        self.g.ok(f"i=0; until raidclusterctl node list | grep -q '(this node): in nexus'; do "
                  f"[ $i -lt {timeout * 10} ] || exit 1; i=$((i+1)); sleep 0.1; done",
                  timeout=timeout + 30)
        # the join's aftermath (udev probing the new rclN, the master's configuration pass)
        # over before the measurement: in the first workload of early runs it showed as
        # randread pairs at half the others'
        self.g.sh("udevadm settle --timeout=10")
        time.sleep(SETTLE_S)

    def leave(self):
        self.g.sh("grep -q '^raidcluster ' /proc/modules && rmmod raidcluster")

    def rebuild_node_seen(self, name):
        """The node the peer's status shows rebuilding drive `name` (None: none)."""
        for ld in vmtest.lds_of(self.g.status()):
            if ld.get("name") == name:
                return ld.get("rebuild_node")
        return None


def on_target(g, target, all_disks, work):
    """Build target, run work(dev) on it, tear down, wipe all_disks; returns what work
    returned or raises (Unsupported, BenchError, ValueError). The teardown and wipe always
    run; the first failure is the one reported."""
    err = res = None
    try:
        res = work(target.setup())
    except (Unsupported, BenchError, ValueError) as e:
        err = e
    try:
        target.teardown()
    except BenchError as e:
        err = err or e
    g.wipe(all_disks)
    if err:
        raise err
    return res


class Raidcluster:
    """A raidcluster logical drive of one level over the members."""
    system = "raidcluster"

    def __init__(self, g, level, members):
        self.g, self.level, self.members = g, level, members
        self.name = f"bench{level}"
        self.dev = None

    def setup(self):
        self.g.ctl_ok("attach", *[d.serial for d in self.members])
        args = ["create", self.name, "--level", self.level, "--stripe", f"{CHUNK_KIB}K"]
        if str(self.level) == "5":
            # as md's --assume-clean below: no initial parity build under the measurement
            args.append("--assume-clean")
        for d in self.members:
            args += ["--disk", d.serial]
        rc, out = self.g.ctl(*args)
        if rc:
            if UNSUPPORTED_RE.search(out):
                raise Unsupported(out.strip().splitlines()[-1] if out.strip() else "refused")
            raise BenchError(f"raidclusterctl {' '.join(map(str, args))} -> rc={rc}\n{out}")
        for ld in vmtest.lds_of(self.g.status()):
            if ld.get("name") == self.name:
                self.dev = vmtest.dev_of(ld)
                break
        else:
            raise BenchError(f"{self.name} created but not in status --json")
        self.g.ok(f"test -b {self.dev}")
        return self.dev

    def teardown(self, extra=()):
        """Delete the drive (if it exists) and detach the members (and the extra disks, e.g.
        a rebuild's spare); errors are collected, not raised at the first, so a half-built
        drive is still cleaned up as far as possible."""
        errs = []
        st = self.g.status()
        if any(ld.get("name") == self.name for ld in vmtest.lds_of(st)):
            rc, out = self.g.ctl("delete", "--yes", self.name)
            if rc:
                errs.append(out.strip())
        attached = {d.get("serial") for d in vmtest.disks_of(self.g.status())}
        mine = [d.serial for d in list(self.members) + list(extra) if d.serial in attached]
        if mine:
            rc, out = self.g.ctl("detach", *mine)
            if rc:
                errs.append(out.strip())
        self.dev = None
        if errs:
            raise BenchError("raidcluster teardown: " + "; ".join(errs))

    # --- rebuild ---------------------------------------------------------------------------
    def rebuild_supported(self):
        return self.g.ctl("rebuild", "--help")[0] == 0

    def state(self):
        for ld in vmtest.lds_of(self.g.status()):
            if ld.get("name") == self.name:
                return ld
        return None

    def rebuild_rate(self, failed, spare, timeout=900, peer=None):
        """Pull member `failed` (QMP device_del), let the drive notice with a write, rebuild onto
        the unused disk `spare`; MiB/s = one member extent / seconds from the rebuild command
        to the drive being optimal again. With a Peer, it joins first and the disks are pulled
        and attached on both nodes, as in a shared shelf; the rebuild is asked on this node,
        the master, which runs it (nobody holds the drive). The caller replugs `failed`
        afterwards (on both) and makes the peer leave."""
        vm = self.g.vm
        # the same cap as md (speed_limit_max, raised by Guest.load_md; both in KiB/s): the
        # drive is idle, so only the maximum applies, as for md
        self.g.ok("p=/sys/module/raidcluster/parameters/rebuild_speed_max; "
                  "[ ! -e $p ] || cat /proc/sys/dev/raid/speed_limit_max > $p")
        if peer:
            peer.join()
        vm.unplug(failed.serial)
        if peer:
            peer.vm.unplug(failed.serial)
        # a write that spans every member of a row makes the drive see the missing member
        self.g.sh(f"dd if=/dev/zero of={self.dev} bs=1M count=4 oflag=direct 2>&1")
        end = time.time() + 60
        while "degraded" not in str(self.state().get("state", "")).lower():
            if time.time() > end:
                raise BenchError(f"{self.name} not degraded after pulling {failed.serial}: "
                                 f"{self.state()}")
            time.sleep(0.5)
        self.g.ctl_ok("attach", spare.serial)
        if peer:
            peer.g.ctl_ok("attach", spare.serial)
        t0 = time.time()
        self.g.ctl_ok("rebuild", self.name, "--disk", spare.serial, timeout=timeout)
        while True:
            st = self.state()
            s = str(st.get("state", "")).lower()
            if s in ("optimal", "online", "ok") and not st.get("rebuild"):
                break
            if "offline" in s or "failed" in s or time.time() - t0 > timeout:
                raise BenchError(f"{self.name} rebuild did not finish: {st}")
            time.sleep(0.2)
        secs = time.time() - t0
        if peer and peer.rebuild_node_seen(self.name) is not None:
            raise BenchError(f"the peer still shows {self.name} being rebuilt after the end")
        mib = member_bytes(self.g, spare) / (1 << 20)
        return mib / secs, secs


class Md:
    """An md array (mdadm) of the same level, member count, chunk and data extents."""
    system = "md"

    def __init__(self, g, level, members):
        self.g, self.level, self.members = g, level, members
        self.dev = "/dev/md0"

    def create_cmd(self, members, assume_clean=True):
        a = ["mdadm", "--create", self.dev, "--run", "--metadata=1.2",
             f"--level={MD_LEVELS[self.level]}", f"--raid-devices={len(members)}",
             "--data-offset=16M"]
        if self.level != 0:
            # like for like: an internal write-intent bitmap when raidcluster keeps one (its
            # write_intent parameter), else none (md's default below 100 GiB); raid0 has no
            # redundancy to track and refuses any
            a.append("--bitmap=" + self.g.md_bitmap)
        if self.level != 1:
            a.append(f"--chunk={CHUNK_KIB}")
        if self.level == 5:
            a.append("--layout=left-symmetric")
        if self.level == 10:
            a.append("--layout=n2")
        if assume_clean:
            a.append("--assume-clean")
        return " ".join(a + [d.dev for d in members])

    def setup(self):
        self.g.ok(self.create_cmd(self.members) + " 2>&1", timeout=300)
        self.g.ok(f"test -b {self.dev} && grep -q '^md0 : active' /proc/mdstat")
        return self.dev

    def teardown(self, extra=()):
        self.g.sh(f"[ -e /sys/block/md0/md ] && mdadm --stop {self.dev} 2>&1; true")
        self.g.ok("! grep -q '^md0 ' /proc/mdstat")
        self.g.sh("mdadm --zero-superblock "
                  + " ".join(d.dev for d in list(self.members) + list(extra)) + " 2>/dev/null")

    def rebuild_rate(self, failed, spare, timeout=900):
        """Fail and remove member `failed`, add the unused disk `spare`, time md's recovery
        from the --add until the array is no longer degraded and sync_action is idle.
        speed_limit_max is raised (Guest.load_md) so md runs as fast as it can."""
        out = self.g.script(f"""set -e
mdadm {self.dev} --fail {failed.dev} --remove {failed.dev} >/dev/null 2>&1
t0=$(cut -d' ' -f1 /proc/uptime)
mdadm {self.dev} --add {spare.dev} >/dev/null 2>&1
i=0
# until the recovery started (or already ended), then mdadm --wait sleeps in poll() on
# sync_action instead of a polling loop stealing the one vCPU from md; then until the spare
# is active (degraded 0)
while [ "$(cat /sys/block/md0/md/sync_action)" = idle ] && \\
      [ "$(cat /sys/block/md0/md/degraded)" != 0 ]; do
    sleep 0.02; i=$((i+1)); [ $i -lt 3000 ]
done
mdadm --wait {self.dev} >/dev/null 2>&1 || true
i=0
while [ "$(cat /sys/block/md0/md/degraded)" != 0 ] || \\
      [ "$(cat /sys/block/md0/md/sync_action)" != idle ]; do
    sleep 0.05; i=$((i+1)); [ $i -lt {timeout * 20} ]
done
t1=$(cut -d' ' -f1 /proc/uptime)
echo "md-rebuild t0=$t0 t1=$t1 kib=$(cat /sys/block/md0/md/component_size)"
""", timeout=timeout + 60)
        m = re.search(r"md-rebuild t0=([\d.]+) t1=([\d.]+) kib=(\d+)", out)
        if not m:
            raise BenchError(f"md rebuild: unexpected output {out!r}")
        secs = float(m.group(2)) - float(m.group(1))
        return int(m.group(3)) / 1024 / max(secs, 0.01), secs


def member_bytes(g, disk):
    """Bytes of a member's data extent: the disk from RC_DATA_START_SECTOR to its end."""
    blk = g.ok(f"basename $(readlink -f {disk.dev})").strip()
    return int(g.ok(f"cat /sys/block/{blk}/size")) * 512 - DATA_START_BYTES
