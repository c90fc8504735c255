"""Member disks with real SCSI-3 persistent reservations, for the VM tests and the bench.

qemu's emulated disks (scsi-hd) have no persistent reservations: PERSISTENT RESERVE IN and
OUT are invalid opcodes there. A disk that enforces them between VMs comes from a local
iSCSI target: Debian's tgt (tgtd, in user space, so no kernel module on the host) serves each
image as a LUN, and every VM reaches it through qemu's iSCSI block driver (qemu-block-extra,
libiscsi) under a passthrough scsi-block device, with an initiator name of its own, so the
target sees one I_T nexus per node as a shelf of SAS disks sees one per server.

    with IscsiTarget("group", disks) as t:      # disks: rcvm.Disk, their images are the LUNs
        vm = VM(..., disks=disks)               # the VM attaches them through iSCSI

The target listens on 127.0.0.1 only, on a port of its own (several suites on one machine
do not meet), and its control socket is tgtd's -C number; both end with the context.
"""
import os
import shutil
import signal
import socket
import subprocess
import time

IQN = "iqn.2026-12.org.raidcluster"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def available():
    """tgtd and qemu's iSCSI driver are installed (make deps installs both)."""
    return bool(shutil.which("tgtd") and shutil.which("tgtadm")) and any(
        os.path.exists(os.path.join(d, "block-iscsi.so"))
        for d in ("/usr/lib/x86_64-linux-gnu/qemu", "/usr/lib/qemu"))


class IscsiTarget:
    def __init__(self, name, disks, rundir):
        self.name, self.disks, self.rundir = name, list(disks), rundir
        self.port = _free_port()
        # tgtd -C takes 0..32767 (its control socket is /var/run/tgtd/socket.<N>); the
        # port is unique on this machine while we hold it, so fold it into that range
        self.control = 1 + self.port % 32767
        self.proc = None
        self.iqn = f"{IQN}:{name.replace('_', '-')}"

    def _adm(self, *args):
        r = subprocess.run(["tgtadm", "-C", str(self.control), "--lld", "iscsi", *args],
                           capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError(f"tgtadm {' '.join(args)}: {r.stderr.strip() or r.stdout}")
        return r.stdout

    def start(self):
        os.makedirs(self.rundir, exist_ok=True)
        log = open(os.path.join(self.rundir, "tgtd.log"), "w")
        self.proc = subprocess.Popen(
            ["tgtd", "-f", "-C", str(self.control), "--iscsi", f"portal=127.0.0.1:{self.port}"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        end = time.time() + 20
        while True:
            r = subprocess.run(["tgtadm", "-C", str(self.control), "--lld", "iscsi", "--op",
                                "show", "--mode", "sys"], capture_output=True)
            if r.returncode == 0:
                break
            if self.proc.poll() is not None or time.time() > end:
                raise RuntimeError(f"tgtd did not start (see {self.rundir}/tgtd.log)")
            time.sleep(0.1)
        self._adm("--op", "new", "--mode", "target", "--tid", "1", "-T", self.iqn)
        for lun, d in enumerate(self.disks, start=1):
            # bsoflags=direct: the host page cache never hides data, as cache.direct for scsi-hd
            self._adm("--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", str(lun),
                      "-b", d.path, "--bsoflags", "direct")
            # the disk's own serial, so the module and lab-links name it as on scsi-hd
            self._adm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", str(lun),
                      "--params", f"scsi_sn={d.serial},scsi_id={d.serial}")
            d.iscsi = {"portal": f"127.0.0.1:{self.port}", "target": self.iqn, "lun": lun}
        self._adm("--op", "bind", "--mode", "target", "--tid", "1", "-I", "127.0.0.1")
        return self

    def stop(self):
        for d in self.disks:
            d.iscsi = None
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
