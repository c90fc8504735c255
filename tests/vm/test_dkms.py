"""DKMS as an admin runs it, inside the guest for the guest's own kernel. The guest has no
compiler of its own: its root for the test is made of the host's /usr, /etc and /var (the
read-only /host share) under writable overlayfs mounts (tmpfs upper), the host's /boot and the
source tree read-only, and the guest's own /proc, /sys, /dev and tmpfs, chrooted into, so
Debian's dkms, gcc, make and kernel headers run in the guest kernel and whatever they write
stays in the guest. (Not one overlay of the whole /host: a mount on a directory of a 9p-backed
overlay is dropped when the 9p dentry fails revalidation, which the host's live /proc does.)
One disk.

  install   the steps of the admin guide: `make dkms-source`, then `dkms add`, `dkms build -k
            $(uname -r)`, `dkms install`; `dkms status` says installed, `modinfo -n` finds the
            module in updates/dkms/ of the guest kernel, `modprobe raidcluster node_id=1` loads
            it (vermagic and symbols match the running kernel) and /dev/raidcluster answers
  remove    after rmmod, `dkms remove --all` takes the module out of the kernel's module
            directory and modprobe no longer finds it
"""
import shlex

import rcvm
from vmtest import Fail, Group

ROOT = "/ovl/root"
VERSION = "0.1"


def chroot(t, cmd, timeout=120):
    """cmd in the host's userland over the guest kernel (rc, output)."""
    return t.sh(f"chroot {ROOT} /bin/sh -c {shlex.quote('cd / && ' + cmd)}", timeout=timeout)


def chroot_ok(t, cmd, timeout=120):
    rc, out = chroot(t, cmd, timeout)
    if rc:
        raise Fail(f"{cmd} -> rc={rc}\n{out[-3000:]}")
    return out


def test_setup(t):
    if t.sh("test -d /host/usr/bin")[0]:
        raise Fail("no /host share in the guest")
    rc, out = t.vm.script(f"""set -e
modprobe overlay
mkdir -p /ovl && mount -t tmpfs -o size=700m tmpfs /ovl
mkdir -p {ROOT}
cd /host
for e in *; do
    if [ -L "$e" ]; then ln -s "$(readlink "$e")" "{ROOT}/$e"; fi
done
# what dkms writes to: usr (src, lib/modules), etc, var (lib/dkms)
for e in usr etc var; do
    mkdir -p /ovl/up/$e /ovl/work/$e {ROOT}/$e
    mount -t overlay overlay -o lowerdir=/host/$e,upperdir=/ovl/up/$e,workdir=/ovl/work/$e \\
        {ROOT}/$e
done
mkdir -p {ROOT}/boot {ROOT}/proc {ROOT}/sys {ROOT}/dev {ROOT}/tmp {ROOT}/run {ROOT}/root
mount -o bind,ro /host/boot {ROOT}/boot
mount -t proc proc {ROOT}/proc
mount -t sysfs sysfs {ROOT}/sys
mount -t devtmpfs devtmpfs {ROOT}/dev
ln -sfn /proc/self/fd {ROOT}/dev/fd
for e in tmp run root; do mount -t tmpfs tmpfs {ROOT}/$e; done
# the source tree, where the host has it
mkdir -p {ROOT}{rcvm.REPO}
mount -o bind,ro /host{rcvm.REPO} {ROOT}{rcvm.REPO}
""")
    if rc:
        raise Fail(f"guest root for DKMS: {out}")
    kver = t.check("uname -r").strip()
    t.state["kver"] = kver
    # the host's own raidcluster installs, if any, are not the guest's: out of the overlay
    chroot_ok(t, f"rm -rf /var/lib/dkms/raidcluster /usr/src/raidcluster-* "
                 f"/lib/modules/{kver}/updates/raidcluster.ko "
                 f"/lib/modules/{kver}/updates/dkms/raidcluster.ko* /lib/modprobe.d/raidcluster.conf")
    if not chroot(t, f"test -d /lib/modules/{kver}/build/include")[0] == 0:
        raise Fail(f"no kernel headers for {kver} on the host (make deps: linux-headers-amd64)")
    if chroot(t, "command -v dkms")[0]:
        raise Fail("no dkms on the host (make deps)")


def test_install(t):
    kver = t.state["kver"]
    chroot_ok(t, f"make -s -C {shlex.quote(rcvm.REPO)} dkms-source")
    chroot_ok(t, f"dkms add raidcluster/{VERSION}")
    # the compile runs in the guest (TCG): minutes
    chroot_ok(t, f"dkms build raidcluster/{VERSION} -k {kver}", timeout=1500)
    chroot_ok(t, f"dkms install raidcluster/{VERSION} -k {kver}", timeout=300)
    st = chroot_ok(t, "dkms status raidcluster").strip()
    if f"raidcluster/{VERSION}, {kver}, x86_64: installed" not in st:
        raise Fail(f"dkms status: {st!r}")
    path = chroot_ok(t, f"modinfo -k {kver} -n raidcluster").strip()
    if path != f"/lib/modules/{kver}/updates/dkms/raidcluster.ko":
        raise Fail(f"modprobe would load {path}, not DKMS's module")
    chroot_ok(t, "modprobe raidcluster node_id=1")
    if t.check("cat /sys/module/raidcluster/parameters/node_id").strip() != "1":
        raise Fail("the module did not take node_id=1")
    if t.sh("test -c /dev/raidcluster")[0]:
        raise Fail("no /dev/raidcluster after modprobe")
    out = t.ctl_ok("status")
    if "node 1 " not in out.splitlines()[0]:
        raise Fail(f"status after the DKMS module loaded:\n{out}")


def test_remove(t):
    kver = t.state["kver"]
    t.check("rmmod raidcluster")
    chroot_ok(t, f"dkms remove raidcluster/{VERSION} --all", timeout=300)
    rc, out = chroot(t, f"modinfo -k {kver} -n raidcluster")
    if rc == 0:
        raise Fail(f"after dkms remove modprobe still finds {out.strip()}")


GROUPS = [Group("dkms", [test_setup, test_install, test_remove], disks=1, mem=1024,
                seconds=420)]
