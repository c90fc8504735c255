"""rcvm: the raidcluster VM bench (python3 stdlib only).

Boots Debian's own 6.1 kernel under qemu TCG with the initramfs of mkinitramfs.sh, a SCSI HBA
(virtio-scsi, or the LSI 53C895A = guest driver sym53c8xx) and raw disk images that carry a
stable serial (VPD 0x80, = the disk's name) and WWN (VPD 0x83, derived from the serial), so the
guest names them the same way on every boot: /dev/lab/<serial> -> sdX, and raidclusterctl
accepts the serial or naa.<wwn>. Faults come through QMP.

    from rcvm import VM, make_disks
    disks = make_disks("raid1", ["r1a", "r1b"])          # images under $RC_VM_DIR/disks/raid1/
    with VM("raid1", disks) as vm:                         # boots, waits for the agent
        vm.check("insmod /lib/raidcluster/raidcluster.ko")
        rc, out = vm.sh("raidclusterctl status")
        vm.unplug("r1a"); vm.replug("r1a")                 # QMP device_del / device_add
        vm.disk_errors("r1b", sector=40000)                # EIO on one sector (blkdebug)

Channels: commands go to the guest agent (/init) on the virtio-serial port "rcvm.ctl" through
RUNDIR/ctl.sock; QMP is RUNDIR/qmp.sock; the serial console (kernel log and "RCVM:" markers)
is RUNDIR/console.log; the second serial port (guest /dev/ttyS1) is RUNDIR/serial1.log; every
command and its output is appended to RUNDIR/transcript.log. A command that times out brings
what the guest is stuck on (VM.stuck(), over the port "rcvm.dbg" = RUNDIR/dbg.sock) into the
error and RUNDIR/stuck.log.
RUNDIR = $RC_VM_DIR/run/<name>. No qemu outlives the Python process that started it.
"""
import atexit
import base64
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DIR = os.environ.get("RC_VM_DIR", "/tmp/rc-vm")
KO = "/lib/raidcluster/raidcluster.ko"      # where mkinitramfs.sh puts the module in the guest
RC_RE = re.compile(rb"@@RC=(\d+)@@\n")
# What must never appear on the guest console (oops=panic turns an oops into a qemu exit, but
# WARN_ON and "BUG: sleeping function ..." do not stop the guest).
KERNEL_PROBLEM_RE = re.compile(r"Oops|BUG[: ]|WARNING:|Call Trace|general protection|"
                               r"Kernel panic|kernel BUG|UBSAN|KASAN|refcount_t:")
# TCG is 10-50x slower than hardware and the host may be loaded by other builds: timeouts are
# generous and scale with RC_VM_SLOW (e.g. 2 on a busy machine).
SLOW = float(os.environ.get("RC_VM_SLOW", "1"))

_ALL = []


def _kill_all():
    for vm in list(_ALL):
        vm.kill()


def kill_named(prefix):
    """Kill the VMs whose name starts with prefix (a cluster scenario's leftovers), and only
    those: another scenario's VMs may be running beside them (run_cluster.py)."""
    for vm in list(_ALL):
        if vm.name.startswith(prefix):
            vm.kill()


atexit.register(_kill_all)
for _sig in (signal.SIGTERM, signal.SIGHUP):
    signal.signal(_sig, lambda *_: (_kill_all(), os._exit(143)))


def build_guest(quiet=True):
    """(Re)build vmlinux + initramfs when their inputs changed (mkinitramfs.sh decides)."""
    subprocess.run([os.path.join(HERE, "mkinitramfs.sh")] + (["-q"] if quiet else []),
                   check=True)


_systemd_built = threading.Lock()
_systemd_done = []


def build_systemd_guest(quiet=True):
    """The systemd guest's layers (mksystemd.sh), once per process: over base + project."""
    with _systemd_built:
        if not _systemd_done:
            build_guest(quiet)
            subprocess.run([os.path.join(HERE, "mksystemd.sh")] + (["-q"] if quiet else []),
                           check=True)
            _systemd_done.append(True)


def cpio_layer(path, files):
    """A gzip'd newc cpio at path holding files {guest path: text} (mode 0644, directories
    made): one more initramfs layer, unpacked over the ones before it."""
    with tempfile.TemporaryDirectory(dir=DIR) as root:
        for name, text in files.items():
            p = os.path.join(root, name.lstrip("/"))
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
        lst = subprocess.run("find . | LC_ALL=C sort", shell=True, cwd=root, check=True,
                             capture_output=True).stdout
        data = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=root, input=lst,
                              check=True, capture_output=True).stdout
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(data)


def wwn_of(serial):
    """NAA 5 WWN of a disk: fixed OUI-style prefix + CRC32 of the serial (stable, unique enough)."""
    return (0x5000C500 << 32) | zlib.crc32(serial.encode())


class Disk:
    """One raw image: its serial is its name, its WWN follows from the serial."""

    def __init__(self, path, serial, channel=0, write_cache=False, block_size=512):
        self.path, self.serial, self.channel = path, serial, channel
        self.block_size = block_size            # logical = physical block size: 512 or 4096
        # False: WCE=0, a write-through disk (the default, like the patent's controllers);
        # True: a volatile write cache, so flushes (SYNCHRONIZE CACHE) reach the disk and count
        self.write_cache = write_cache
        self.rotation_rate = 0                  # 1: an SSD (VPD page 0xb1); 0: not reported
        self.wwn = wwn_of(serial)
        self.naa = "naa.%016x" % self.wwn
        self.dev = f"/dev/lab/{serial}"         # guest path (link made by lab-links)
        self.sg = f"/dev/lab/{serial}.sg"
        # {"portal", "target", "lun"} while an iscsi_target.IscsiTarget serves the image: the
        # VMs then reach it through iSCSI, as a scsi-block (real persistent reservations)
        self.iscsi = None

    def __repr__(self):
        return f"Disk({self.serial})"


def make_disks(group, serials, size_mb=256, fresh=True, write_cache=False, block_sizes=None):
    """Sparse raw images $RC_VM_DIR/disks/<group>/<serial>.img (zeroed when fresh).
    block_sizes: {serial: 4096} for disks with 4 KiB logical blocks (default 512)."""
    d = os.path.join(DIR, "disks", group)
    os.makedirs(d, exist_ok=True)
    out = []
    for s in serials:
        p = os.path.join(d, s + ".img")
        if fresh and os.path.exists(p):
            os.unlink(p)
        if not os.path.exists(p):
            with open(p, "wb") as f:
                f.truncate(size_mb << 20)
        out.append(Disk(p, s, write_cache=write_cache,
                        block_size=(block_sizes or {}).get(s, 512)))
    return out


class VM:
    def __init__(self, name, disks=(), hba="virtio", mem=512, smp=1, hostfs=True, append="",
                 reboot=False, extra=(), interactive=False, image="busybox", etc=None):
        assert hba in ("virtio", "lsi"), hba
        assert image in ("busybox", "systemd"), image
        # busybox: /init and the agent, nothing else runs. systemd: Debian's systemd is PID 1
        # (mksystemd.sh) with the project installed by `make install`; etc {path: text} is a
        # last layer of files (/etc/raidcluster.conf, /etc/fstab), the machine's own disk.
        self.image, self.etc = image, dict(etc or {})
        self.name, self.disks, self.hba = name, list(disks), hba
        self.mem, self.smp, self.hostfs, self.append = mem, smp, hostfs, append
        self._sh_lock = threading.Lock()   # one command at a time on the agent's port
        self.reboot, self.extra = reboot, list(extra)
        self.interactive = interactive        # console on the terminal, a shell, no agent
        self.rundir = os.path.join(DIR, "run", name)
        self.proc = self.ctl = self.qmp_sock = None
        self.events = []
        self._qbuf = b""
        self._devargs = {}
        self.console_seen = 0          # console offset up to which problems were reported
        self.boot_seconds = None

    # --- qemu command line ---------------------------------------------------------------
    def _cmdline(self):
        r = self.rundir
        a = ["qemu-system-x86_64", "-name", self.name, "-accel", "tcg", "-machine", "q35",
             "-m", str(self.mem), "-smp", str(self.smp), "-nodefaults", "-no-user-config",
             "-display", "none",
             "-kernel", os.path.join(DIR, "vmlinux"),
             "-initrd", self._initrd(),
             "-qmp", f"unix:{r}/qmp.sock,server=on,wait=off",
             "-device", "virtio-serial-pci,id=vser0",
             "-chardev", f"socket,id=ctl,path={r}/ctl.sock,server=on,wait=off",
             "-device", "virtserialport,bus=vser0.0,chardev=ctl,name=rcvm.ctl",
             "-chardev", f"socket,id=dbg,path={r}/dbg.sock,server=on,wait=off",
             "-device", "virtserialport,bus=vser0.0,chardev=dbg,name=rcvm.dbg",
             "-pidfile", f"{r}/qemu.pid"]
        if self.interactive:
            a += ["-serial", "mon:stdio"]       # Ctrl-a x quits, Ctrl-a c: qemu monitor
        else:
            a += ["-chardev", f"file,id=con,path={r}/console.log", "-serial", "chardev:con"]
        # ttyS1 -> RUNDIR/serial1.log: a channel a guest program can write to that outlives a
        # SIGKILL of qemu: each byte the guest puts in the UART is written to the file at once
        # (a drained tty, tcdrain(), is on the host), e.g. the acks of guest/crash_io.c.
        a += ["-chardev", f"file,id=aux,path={r}/serial1.log", "-serial", "chardev:aux"]
        if not self.reboot:
            # reset, reboot and panic (oops=panic) all make qemu exit: a dead kernel is seen
            a.append("-no-reboot")
        # no_timer_check: a loaded host otherwise panics TCG guests ("IO-APIC + timer doesn't
        # work"); sym53c8xx.settle=0 drops a 3 s bus settle; scan=sync finishes the SCSI scan
        # before /init runs.
        # systemd: unit start/stop lines on the console (console.log), the boot's story
        init = "rdinit=/lib/systemd/systemd systemd.show_status=1 systemd.log_color=0 " \
            "systemd.status_unit_format=name " \
            if self.image == "systemd" else ""
        a += ["-append", "console=ttyS0 panic=-1 oops=panic quiet no_timer_check "
              "sym53c8xx.settle=0 scsi_mod.scan=sync " + init
              + ("rcvm.shell=1 " if self.interactive else "") + self.append]
        if self.hostfs:
            a += ["-virtfs", "local,path=/,mount_tag=host,security_model=none,readonly=on,id=host"]
        hbas, next_id = set(), {}
        for i, d in enumerate(self.disks):
            ch = d.channel
            if ch not in hbas:
                hbas.add(ch)
                a += ["-device", ("virtio-scsi-pci" if self.hba == "virtio" else "lsi53c895a")
                      + f",id=hba{ch}"]
            tgt = next_id.get(ch, 0)
            next_id[ch] = tgt + 1
            if self.hba == "lsi" and tgt > 6:
                raise ValueError("lsi53c895a has targets 0-6 only (7 is the HBA)")
            if d.iscsi:
                # iscsi node d<i> -> scsi-block disk<i>: SCSI passthrough to the target, with
                # this VM's own initiator name (one I_T nexus per node for the PR)
                a += ["-blockdev", f"driver=iscsi,node-name=d{i},transport=tcp,"
                      f"portal={d.iscsi['portal']},target={d.iscsi['target']},"
                      f"lun={d.iscsi['lun']},initiator-name={self.initiator_name()}"]
                dev = {"driver": "scsi-block", "id": f"disk{i}", "bus": f"hba{ch}.0",
                       "scsi-id": tgt, "lun": 0, "drive": f"d{i}", "share-rw": True}
                self._devargs[d.serial] = dev
                a += ["-device", ",".join(f"{k}={_qarg(v)}" for k, v in dev.items())]
                continue
            # file node f<i> -> raw node d<i> -> scsi-hd disk<i>; disk_errors() slips a blkdebug
            # node between f<i> and d<i>. cache.direct: the host page cache never hides data.
            a += ["-blockdev", f"driver=file,node-name=f{i},filename={d.path},"
                  "cache.direct=on,aio=threads",
                  "-blockdev", f"driver=raw,node-name=d{i},file=f{i}"]
            dev = self._scsi_hd(i, d, f"hba{ch}.0", tgt)
            a += ["-device", ",".join(f"{k}={_qarg(v)}" for k, v in dev.items())]
        return a + self.extra

    def _initrd(self):
        if self.image == "busybox":
            return os.path.join(DIR, "initramfs.cpio.gz")
        build_systemd_guest()
        etc = os.path.join(self.rundir, "etc.cpio.gz")
        cpio_layer(etc, self.etc)
        out = os.path.join(self.rundir, "initrd.cpio.gz")
        with open(out + ".tmp", "wb") as f:
            for part in ("initramfs.cpio.gz", "systemd.cpio.gz", "install.cpio.gz"):
                with open(os.path.join(DIR, part), "rb") as src:
                    shutil.copyfileobj(src, f)
            with open(etc, "rb") as src:
                shutil.copyfileobj(src, f)
        os.replace(out + ".tmp", out)
        return out

    def initiator_name(self):
        """This VM's iSCSI initiator name: the target's I_T nexus of this node."""
        return "iqn.2026-12.org.raidcluster:initiator-" + self.name.replace("_", "-").lower()

    def _scsi_hd(self, i, d, bus, tgt):
        """The scsi-hd device of disk d as disk<i> on drive d<i>, at bus and target tgt."""
        dev = {"driver": "scsi-hd", "id": f"disk{i}", "bus": bus, "scsi-id": tgt,
               "lun": 0, "drive": f"d{i}", "share-rw": True, "serial": d.serial,
               "wwn": d.wwn, "write-cache": "on" if d.write_cache else "off"}
        if d.block_size != 512:
            dev["logical_block_size"] = dev["physical_block_size"] = d.block_size
        if d.rotation_rate:
            dev["rotation_rate"] = d.rotation_rate
        self._devargs[d.serial] = dev
        return dev

    # --- lifecycle -----------------------------------------------------------------------
    def start(self):
        os.makedirs(self.rundir, exist_ok=True)
        # a VM booted again over the same disks (same name) keeps the previous logs as *.prev
        for f in ("console.log", "transcript.log", "serial1.log"):
            p = os.path.join(self.rundir, f)
            if os.path.exists(p) and any(v is not self and v.rundir == self.rundir for v in _ALL):
                os.replace(p, p + ".prev")
        for f in ("console.log", "qmp.sock", "ctl.sock", "dbg.sock", "transcript.log"):
            try:
                os.unlink(os.path.join(self.rundir, f))
            except FileNotFoundError:
                pass
        cmd = self._cmdline()
        with open(os.path.join(self.rundir, "cmdline"), "w") as f:
            f.write(" ".join(cmd) + "\n")
        self.t_start = time.time()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.rundir, "qemu.err"), "w"))
        _ALL.append(self)
        self.console_seen = 0
        return self

    def __enter__(self):
        self.start()
        self.wait_ready()
        return self

    def __exit__(self, *exc):
        self.poweroff()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def console(self):
        try:
            with open(os.path.join(self.rundir, "console.log"), "rb") as f:
                return f.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def serial1(self):
        """What the guest wrote to /dev/ttyS1 so far (bytes; the file outlives qemu)."""
        try:
            with open(os.path.join(self.rundir, "serial1.log"), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return b""

    def console_tail(self, n=40):
        return "\n".join(self.console().splitlines()[-n:])

    def kernel_problems(self, since_last=True):
        """Lines of the console that show an oops, BUG, WARNING or call trace. With since_last,
        only what appeared after the previous call (each problem is reported once)."""
        text = self.console()
        start = self.console_seen if since_last else 0
        self.console_seen = len(text)
        return [l for l in text[start:].splitlines() if KERNEL_PROBLEM_RE.search(l)]

    def wait_console(self, pattern, timeout=60):
        rx = re.compile(pattern)
        end = time.time() + timeout * SLOW
        while time.time() < end:
            m = rx.search(self.console())
            if m:
                return m
            if not self.alive():
                raise RuntimeError(f"{self.name}: qemu exited rc={self.proc.returncode}\n"
                                   + self._qemu_err() + self.console_tail())
            time.sleep(0.05)
        raise TimeoutError(f"{self.name}: no {pattern!r} on console in {timeout}s\n"
                           + self.console_tail())

    def _qemu_err(self):
        try:
            with open(os.path.join(self.rundir, "qemu.err")) as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def _connect(self, sockname, timeout=30):
        path = os.path.join(self.rundir, sockname)
        end = time.time() + timeout * SLOW
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
                return s
            except (FileNotFoundError, ConnectionRefusedError):
                s.close()
                if time.time() > end or not self.alive():
                    raise
                time.sleep(0.05)

    def wait_ready(self, timeout=120, boot=1):
        """Wait until the agent of the boot-th boot answers; returns seconds since start()."""
        self.wait_console(r"(?s)(RCVM: agent ready.*?){%d}" % boot, timeout)
        if self.ctl is None:
            self.ctl = self._connect("ctl.sock")
        rc, _ = self.sh("true", timeout=timeout, log=False)
        assert rc == 0
        self.boot_seconds = time.time() - self.t_start
        return self.boot_seconds

    # --- commands --------------------------------------------------------------------------
    def _log(self, text):
        with open(os.path.join(self.rundir, "transcript.log"), "a") as f:
            f.write(text)

    def sh(self, line, timeout=120, log=True):
        """Run one shell line in the guest; returns (rc, output with stderr). Threads may share
        a VM: their commands take turns (the agent answers one at a time)."""
        assert "\n" not in line, "one line per command; use script() for more"
        with self._sh_lock:
            return self._sh(line, timeout, log)

    def _sh(self, line, timeout, log):
        t0 = time.time()
        self.ctl.sendall(line.encode() + b"\n")
        buf, end = b"", t0 + timeout * SLOW
        self.ctl.settimeout(0.2)
        while True:
            m = RC_RE.search(buf)
            if m:
                rc, out = int(m.group(1)), buf[:m.start()].decode(errors="replace")
                if log:
                    self._log(f"$ {line}\n{out}[rc={rc} {time.time() - t0:.2f}s]\n")
                return rc, out
            if time.time() > end:
                self._log(f"$ {line}\n{buf.decode(errors='replace')}[TIMEOUT {timeout}s]\n")
                raise TimeoutError(f"{self.name}: {line!r} timed out after {timeout * SLOW:.0f}s;"
                                   f" output so far {buf[-500:]!r}\n" + self.stuck()
                                   + self.console_tail())
            try:
                chunk = self.ctl.recv(65536)
                if not chunk:
                    raise ConnectionError(f"{self.name}: agent channel closed")
                buf += chunk
            except socket.timeout:
                if not self.alive():
                    raise RuntimeError(f"{self.name}: qemu died during {line!r}\n"
                                       + self.console_tail(60))

    def stuck(self, timeout=20):
        """What the guest is stuck on (guest/stuck.sh over the "rcvm.dbg" port, which answers
        while the command port is busy): blocked tasks' stacks and the block devices with
        requests in flight. Also in RUNDIR/stuck.log. Never raises: a diagnosis, not a test."""
        try:
            s = self._connect("dbg.sock", timeout=2)
            s.sendall(b"rc-stuck\n")
            s.settimeout(0.5)
            buf, end = b"", time.time() + timeout
            while not RC_RE.search(buf) and time.time() < end:
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    continue
                if not chunk:
                    break
                buf += chunk
            s.close()
            m = RC_RE.search(buf)
            text = (buf[:m.start()] if m else buf).decode(errors="replace")
        except OSError as e:
            text = f"(no answer on the debug port: {e})\n"
        with open(os.path.join(self.rundir, "stuck.log"), "a") as f:
            f.write(text)
        lines = text.splitlines()
        if len(lines) > 120:
            lines = lines[:120] + [f"... {len(lines) - 120} more lines in stuck.log"]
        return f"--- {self.name}: what is stuck (rc-stuck)\n" + "\n".join(lines) + "\n--- console\n"

    def check(self, line, timeout=120):
        """sh() that raises unless the command exits 0; returns its output."""
        rc, out = self.sh(line, timeout)
        if rc:
            raise RuntimeError(f"{self.name}: {line!r} -> rc={rc}\n{out}")
        return out

    def script(self, text, timeout=120):
        """Run a multi-line sh script (sent base64-encoded as one agent line); (rc, output)."""
        b64 = base64.b64encode(text.encode()).decode()
        rc, out = self.sh(f"echo {b64} | base64 -d > /tmp/.s && sh /tmp/.s", timeout, log=False)
        self._log(f"$ <<script\n{text.rstrip()}\nscript\n{out}[rc={rc}]\n")
        return rc, out

    def put(self, guest_path, data):
        """Write bytes to a guest file (small files: goes through the agent line)."""
        b64 = base64.b64encode(data).decode()
        self.check(f"echo {b64} | base64 -d > {guest_path}")

    # --- QMP -------------------------------------------------------------------------------
    def _qmp_read(self):
        while b"\n" not in self._qbuf:
            chunk = self.qmp_sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"{self.name}: QMP closed")
            self._qbuf += chunk
        line, self._qbuf = self._qbuf.split(b"\n", 1)
        return json.loads(line)

    def qmp(self, cmd, args=None, **kw):
        """One QMP command; arguments as a dict (for dashed names) and/or keywords."""
        if self.qmp_sock is None:
            self.qmp_sock = self._connect("qmp.sock")
            self._qmp_read()  # greeting
            self.qmp("qmp_capabilities")
        a = dict(args or {}, **kw)
        msg = {"execute": cmd, **({"arguments": a} if a else {})}
        self._log(f"qmp> {json.dumps(msg)}\n")
        self.qmp_sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            r = self._qmp_read()
            if "event" in r:
                self.events.append(r)
            elif "error" in r:
                raise RuntimeError(f"{self.name}: QMP {cmd} {a}: {r['error']}")
            else:
                return r["return"]

    # --- faults ----------------------------------------------------------------------------
    def disk(self, which):
        """A Disk by serial or index."""
        if isinstance(which, int):
            return self.disks[which]
        for d in self.disks:
            if which in (d.serial, d.naa):
                return d
        raise KeyError(which)

    def _index(self, which):
        return self.disks.index(self.disk(which))

    def unplug(self, which, wait=True):
        """Pull a disk (QMP device_del of its scsi-hd). On virtio-scsi the guest sees a
        hot-remove and the sd device goes away; on lsi53c895a the disk stays and every command
        fails with DID_NO_CONNECT (selection timeout), like a real cable pull."""
        d = self.disk(which)
        self.qmp("device_del", id=f"disk{self._index(which)}")
        if wait and self.hba == "virtio":
            # the sd device is gone from sysfs once the guest processed the event
            self.check(f"i=0; while [ -e /sys/block/$(basename $(readlink -f {d.dev}))/device ]"
                       f" && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; [ $i -lt 300 ]",
                       timeout=60)
        self.sh("lab-links", log=False)

    def replug(self, which, wait=True):
        """Plug a pulled disk back with the same bus, target, serial and WWN."""
        d = self.disk(which)
        self.qmp("device_add", self._devargs[d.serial])
        if self.hba == "lsi":  # no hotplug notification on the parallel SCSI HBA
            self.check("for h in /sys/class/scsi_host/host*/scan; do echo '- - -' > $h; done")
        if wait:
            self.check(f"i=0; while ! lab-links || [ ! -e {d.dev} ]; do [ $i -lt 300 ] || exit 1;"
                       f" sleep 0.1; i=$((i+1)); done", timeout=60)

    def insert(self, disk, slot_of=None, wait=True):
        """Push a new disk (a Disk of make_disks()) into the running machine, as into a shelf:
        QMP blockdev-add of its image and device_add of a scsi-hd with its own serial and WWN,
        at the bus and target of pulled disk slot_of (unplug() it first), or else at the next
        free target of channel disk.channel. Inserting one image into several VMs is a shared
        shelf (share-rw). It becomes disk len(disks)."""
        i = len(self.disks)
        if slot_of is not None:
            old = self._devargs[self.disk(slot_of).serial]
            bus, tgt = old["bus"], old["scsi-id"]
        else:
            bus = f"hba{disk.channel}.0"
            tgt = 1 + max((a["scsi-id"] for a in self._devargs.values() if a["bus"] == bus),
                          default=-1)
        self.qmp("blockdev-add", {"driver": "file", "node-name": f"f{i}", "filename": disk.path,
                                  "cache": {"direct": True}, "aio": "threads"})
        self.qmp("blockdev-add", {"driver": "raw", "node-name": f"d{i}", "file": f"f{i}"})
        self.qmp("device_add", self._scsi_hd(i, disk, bus, tgt))
        self.disks.append(disk)
        if self.hba == "lsi":  # no hotplug notification on the parallel SCSI HBA
            self.check("for h in /sys/class/scsi_host/host*/scan; do echo '- - -' > $h; done")
        if wait:
            self.check(f"i=0; while ! lab-links || [ ! -e {disk.dev} ]; do [ $i -lt 300 ] || "
                       f"exit 1; sleep 0.1; i=$((i+1)); done", timeout=60)

    def disk_errors(self, which, on=True, errno=5, sector=None, iotypes=("read", "write"),
                    once=False):
        """Make a disk fail I/O with errno (5 = EIO; the guest sees sense 'Aborted Command / I/O
        process terminated') by inserting a blkdebug node under its raw node through
        blockdev-reopen; on=False removes it. sector=N: only requests touching 512-byte sector
        N fail (a bad block). Use virtio-scsi: the lsi emulation loses errored commands."""
        i = self._index(which)
        if on:
            rules = []
            for t in iotypes:
                r = {"event": f"{t}_aio", "iotype": t, "errno": errno, "once": once}
                if sector is not None:
                    r["sector"] = sector
                rules.append(r)
            self.qmp("blockdev-add", {"driver": "blkdebug", "node-name": f"e{i}",
                                      "image": f"f{i}", "inject-error": rules})
            self.qmp("blockdev-reopen",
                     options=[{"driver": "raw", "node-name": f"d{i}", "file": f"e{i}"}])
        else:
            self.qmp("blockdev-reopen",
                     options=[{"driver": "raw", "node-name": f"d{i}", "file": f"f{i}"}])
            self.qmp("blockdev-del", {"node-name": f"e{i}"})

    def disk_size_mb(self, which):
        """The size of a disk's image, MiB."""
        return os.path.getsize(self.disk(which).path) >> 20

    def resize(self, which, size_mb):
        """Grow or shrink a disk (QMP block_resize of its raw node: the image file follows) and
        make the guest read its new capacity (sd rescan)."""
        d = self.disk(which)
        self.qmp("block_resize", {"node-name": f"d{self._index(which)}",
                                  "size": size_mb << 20})
        self.check(f"echo 1 > /sys/block/$(basename $(readlink -f {d.dev}))/device/rescan")

    def throttle(self, which, iops_wr=0, bps_wr=0, iops_rd=0):
        """Slow a disk's writes down (QMP block_set_io_throttle; 0, 0 lifts it). qemu queues
        the excess in its own memory, so a kill loses what is queued: with one member slowed,
        a crash catches mirrors and parity half written."""
        self.qmp("block_set_io_throttle", id=f"disk{self._index(which)}", bps=0, bps_rd=0,
                 bps_wr=bps_wr, iops=0, iops_rd=iops_rd, iops_wr=iops_wr)

    def reset(self, timeout=120):
        """Node reset: QMP system_reset (needs reboot=True, else qemu exits); waits for the agent."""
        n = self.console().count("RCVM: agent ready")
        t = time.time()
        self.qmp("system_reset")
        self.wait_ready(timeout, boot=n + 1)
        return time.time() - t

    def kill(self):
        """Node crash: SIGKILL qemu (also the last-resort cleanup)."""
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        for s in (self.ctl, self.qmp_sock):
            if s:
                s.close()
        self.ctl = self.qmp_sock = None

    def poweroff(self, timeout=30):
        if self.alive() and self.ctl:
            try:
                self.ctl.sendall(b"@@POWEROFF@@\n")
                self.proc.wait(timeout * SLOW)
            except Exception:
                pass
        self.kill()


def _qarg(v):
    if v is True:
        return "on"
    if v is False:
        return "off"
    return str(v)


def _main():
    """python3 tests/vm/rcvm.py shell [--disks N] [--hba lsi] [--size MB]: boot a VM with a
    shell on this terminal (debugging). Disks: $RC_VM_DIR/disks/shell/shell-d<i>.img, fresh."""
    import argparse
    ap = argparse.ArgumentParser(description=_main.__doc__)
    ap.add_argument("cmd", choices=["shell"])
    ap.add_argument("--disks", type=int, default=4)
    ap.add_argument("--hba", default="virtio", choices=["virtio", "lsi"])
    ap.add_argument("--size", type=int, default=256, help="MiB per disk")
    ap.add_argument("--keep-disks", action="store_true", help="reuse the images of last time")
    opt = ap.parse_args()
    build_guest(quiet=False)
    disks = make_disks("shell", [f"shell-d{i}" for i in range(opt.disks)], opt.size,
                       fresh=not opt.keep_disks)
    vm = VM("shell", disks, hba=opt.hba, interactive=True)
    print("disks: " + ", ".join(f"{d.serial} ({d.naa})" for d in disks))
    print("in the guest: insmod " + KO + "; raidclusterctl scan; Ctrl-a x quits")
    cmd = vm._cmdline()
    os.makedirs(vm.rundir, exist_ok=True)
    subprocess.run(cmd)


if __name__ == "__main__":
    import sys
    sys.dont_write_bytecode = True
    _main()
