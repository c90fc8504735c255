"""Test vocabulary of the VM suite: groups of tests that share one booted VM, and the guest-side
helpers the tests use (raidclusterctl, module load/unload, fio with verification).

A test module (tests/vm/test_*.py) defines GROUPS, a list of Group. A group boots one VM over
fresh disk images and runs its tests in order on it; later tests may build on earlier ones
(create -> write -> reload -> pull). A test is a function f(t) taking a T (below) and raising
(assert or Fail) on failure.
"""
import json
import re
import shlex

import rcvm
import schema


class Fail(AssertionError):
    pass


class Skip(Exception):
    """Raised by a test that cannot run on this guest (the reason says why and what would run
    it): the runner prints SKIP with the reason and skips the rest of the group, which counts
    neither as passed nor as failed."""


class Group:
    def __init__(self, name, tests, disks=4, hba="virtio", size_mb=256, mem=512,
                 write_cache=False, block_sizes=None, image="busybox", etc=None, seconds=None):
        self.name, self.tests, self.hba, self.size_mb, self.mem = name, tests, hba, size_mb, mem
        self.image, self.etc = image, etc     # the guest (rcvm.VM): busybox or systemd
        # how long the group takes, for the runner's longest-first order until a run has
        # measured it ($RC_VM_DIR/vm-times.json)
        self.seconds = seconds if seconds is not None else 20 * len(tests)
        self.write_cache = write_cache
        self.block_sizes = block_sizes or {}    # disk index -> 4096 for 4Kn disks
        # disk serials: <group>-d<i>; rcvm derives the WWN from the serial
        self.serials = [f"{name}-d{i}" for i in range(disks)] if isinstance(disks, int) \
            else list(disks)


class State(dict):
    """Values the tests of a group pass along; a missing one means an earlier test failed."""

    def __missing__(self, key):
        raise Fail(f"no {key!r} from an earlier test of this group (it failed or did not run)")


class T:
    """What a test sees: the VM, its disks, and state that the group's tests pass along."""

    def __init__(self, vm, group):
        self.vm, self.group, self.state = vm, group, State()
        self.disks = vm.disks

    def new_vm(self, crash=False, disks=None, etc=None):
        """Boot a new VM over the same disks: after a clean poweroff, or with crash=True after a
        SIGKILL of qemu (a power loss: what the guest had not written is gone). disks: another
        set (a disk left out is one that died with the power off); etc: the systemd guest's
        files for this boot (default: the previous boot's)."""
        old = self.vm
        problems = old.kernel_problems()
        if crash:
            old.kill()
        else:
            old.poweroff()
        if problems:
            raise Fail("kernel problems on the console before the restart:\n"
                       + "\n".join(problems[:20]))
        self.vm = rcvm.VM(old.name, old.disks if disks is None else disks, hba=old.hba,
                          mem=old.mem, image=old.image,
                          etc=old.etc if etc is None else etc).start()
        self.disks = self.vm.disks
        self.vm.wait_ready()
        return self.vm

    # --- plain commands ----------------------------------------------------------------------
    def sh(self, cmd, timeout=120):
        return self.vm.sh(cmd, timeout)

    def check(self, cmd, timeout=120):
        return self.vm.check(cmd, timeout)

    # --- the tool ------------------------------------------------------------------------------
    def ctl(self, *args, timeout=120):
        """raidclusterctl ARGS in the guest; returns (rc, output with stderr)."""
        return self.vm.sh("raidclusterctl " + " ".join(shlex.quote(str(a)) for a in args),
                          timeout)

    def ctl_ok(self, *args, timeout=120):
        rc, out = self.ctl(*args, timeout=timeout)
        if rc:
            raise Fail(f"raidclusterctl {' '.join(map(str, args))} -> rc={rc}\n{out}")
        return out

    def status(self):
        """`raidclusterctl status --json`, parsed."""
        out = self.ctl_ok("status", "--json")
        try:
            return schema.checked("status", json.loads(out))
        except ValueError as e:
            raise Fail(f"status --json is not JSON ({e}):\n{out}")

    def cod(self, disk):
        """`raidclusterctl cod show DISK --json`, parsed (read through SG_IO, no module)."""
        out = self.ctl_ok("cod", "show", disk, "--json")
        try:
            return schema.checked("cod_show", json.loads(out))
        except ValueError as e:
            raise Fail(f"cod show --json is not JSON ({e}):\n{out}")

    def drive(self, name):
        """The logical drive called name in status --json (None when absent)."""
        for ld in lds_of(self.status()):
            if ld.get("name") == name:
                return ld
        return None

    def drive_dev(self, name):
        ld = self.drive(name)
        if ld is None:
            raise Fail(f"no logical drive {name!r} in status --json")
        return dev_of(ld)

    # --- the module ----------------------------------------------------------------------------
    def module_loaded(self):
        return self.vm.sh("grep -q '^raidcluster ' /proc/modules")[0] == 0

    def load(self, args=""):
        """insmod the module built by `make module` (its dependencies first, by name), with
        module parameters args ("node_id=2")."""
        if self.vm.sh(f"test -r {rcvm.KO}")[0]:
            raise Fail(f"{rcvm.KO} is not in the guest: run `make module` (the initramfs "
                       "picks raidcluster.ko up from the repository root)")
        self.check("for m in $(cat /etc/raidcluster-deps); do modprobe $m; done; "
                   f"insmod {rcvm.KO} {args}")
        self.check("test -c /dev/raidcluster")

    def wait_nexus(self, timeout=60):
        """Wait until the module's protocol node is in nexus (it writes the COD it found as
        master then; a snapshot taken before would see that write)."""
        self.check(f"i=0; until raidclusterctl node list | grep -q '(this node): in nexus'; do "
                   f"[ $i -lt {timeout * 10} ] || exit 1; i=$((i+1)); sleep 0.1; done",
                   timeout=timeout + 30)

    def unload(self):
        self.check("rmmod raidcluster")
        rc, out = self.sh("ls /dev/raidcluster /dev/rcl* /sys/module/raidcluster 2>/dev/null")
        if out.strip():
            raise Fail(f"rmmod left things behind:\n{out}")

    # --- data ----------------------------------------------------------------------------------
    def fio(self, dev, jobs, verify_only=False, timeout=300):
        """Run fio jobs on dev with crc32c verification. jobs: list of dicts of fio options
        (name, rw, bs, offset, size, ...). verify_only re-reads and checks what the same jobs
        wrote earlier (after a reload or a disk pull). Returns (rc, output)."""
        args = ["fio", "--ioengine=psync", "--direct=1", "--verify=crc32c",
                "--verify_fatal=1", "--randrepeat=1", "--norandommap", f"--filename={dev}"]
        if verify_only:
            args.append("--verify_only")
        for j in jobs:
            args.append(f"--name={j['name']}")
            for k, v in j.items():
                if k != "name":
                    args.append(f"--{k}={v}")
        return self.vm.sh(" ".join(args), timeout)

    def fio_ok(self, dev, jobs, verify_only=False, timeout=300):
        rc, out = self.fio(dev, jobs, verify_only, timeout)
        if rc or "verify: bad" in out or re.search(r"err= *[1-9]", out):
            raise Fail(f"fio on {dev} {'(verify only) ' if verify_only else ''}rc={rc}\n"
                       + tail(out, 30))
        return out

    def disk_digest(self, serials=None, sectors=32768):
        """md5 of the first `sectors` sectors (the metadata area) of each disk, by serial,
        without the protocol's slots and mailboxes (sectors 4096-16383): the module's protocol
        node writes its heartbeat there every second, whatever the commands do."""
        out = {}
        for d in self.disks:
            if serials and d.serial not in serials:
                continue
            o = self.check(f"( dd if={d.dev} bs=64k count={min(sectors, 4096) // 128} "
                           "iflag=direct; "
                           f"[ {sectors} -le 16384 ] || dd if={d.dev} bs=64k skip=128 "
                           f"count={(sectors - 16384) // 128} iflag=direct ) 2>/dev/null | md5sum")
            out[d.serial] = o.split()[0]
        return out


def parity_mismatch(disks, start, length, step=4 << 20):
    """RAID 5 on the raw images: the members of a row XOR to zero at every offset. Checks bytes
    [start, start + length) of every image (the extents start at the same place); returns the
    first sector (from `start`) where they do not, or None."""
    files = [open(d.path, "rb") for d in disks]
    try:
        for pos in range(0, length, step):
            acc = 0
            for f in files:
                f.seek(start + pos)
                acc ^= int.from_bytes(f.read(min(step, length - pos)), "little")
            if acc:
                return (pos + (acc & -acc).bit_length() // 8) // 512
        return None
    finally:
        for f in files:
            f.close()


def lds_of(status):
    """The list of logical drives in status --json (accepts a few plausible shapes)."""
    for key in ("logical_drives", "drives", "lds"):
        if isinstance(status.get(key), list):
            return status[key]
    raise Fail(f"status --json has no list of logical drives: keys {sorted(status)}")


def disks_of(status):
    for key in ("disks", "member_disks", "physical_drives"):
        if isinstance(status.get(key), list):
            return status[key]
    raise Fail(f"status --json has no list of disks: keys {sorted(status)}")


def dev_of(ld):
    """/dev path of a logical drive of status/cod --json ("device": "rcl0")."""
    d = ld.get("device") or f"rcl{ld['number']}"
    return d if d.startswith("/") else "/dev/" + d


def tail(text, n=20):
    return "\n".join(text.rstrip().splitlines()[-n:])
