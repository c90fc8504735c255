#!/bin/bash
# Build the VM bench guest under $RC_VM_DIR (default /tmp/rc-vm):
#   vmlinux            the ELF inside Debian's XZ bzImage: boots through PVH, which saves the
#                      ~3.4 s of in-guest XZ decompression that every TCG boot would pay
#   base.cpio.gz       busybox-static, the Debian modules the guest needs (with their deps),
#                      sg3-utils, mdadm, e2fsprogs, resource-agents' OCF shell library and
#                      ocf-tester, /init; changes only with the system
#   project.cpio.gz    raidcluster.ko (repo root, from `make module`), build/raidclusterctl,
#                      build/fence_raidcluster, the OCF resource agent tools/ocf/ld
#                      with the shared libraries ldd names, and the static test programs of
#                      guest/ (rc-ioctl-abuse, rc-crash-io); changes with every build
#   initramfs.cpio.gz  base + project concatenated: the kernel unpacks concatenated archives in
#                      order, so a rebuilt module costs one small cpio instead of the whole tree
# Each part is rebuilt only when a stamp of its inputs (path, size, mtime) changed.
# fio is not copied (it drags in ~80 MB of libraries): the guest runs the host's fio through
# the read-only /host 9p share (guest/hostbin.sh).
# Usage: mkinitramfs.sh [-q]        env: RC_VM_DIR, KVER (guest kernel; default: the vermagic of
#                                   raidcluster.ko, else the newest in /lib/modules),
#                                   RC_GUEST_ROOT (where boot/vmlinuz-KVER and lib/modules/KVER
#                                   are; default /: Debian's kernel), RC_KO (the module; default
#                                   raidcluster.ko of the repository). tests/vm/fault-kernel.sh
#                                   sets the last two for its fault-injection guest.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
D=${RC_VM_DIR:-/tmp/rc-vm}
KO=${RC_KO:-$REPO/raidcluster.ko}
GR=${RC_GUEST_ROOT:-}
GR=${GR%/}
CTL=$REPO/build/raidclusterctl
FENCE=$REPO/build/fence_raidcluster
# The guest kernel must be the one the module was built for (its vermagic); without a module
# yet, the newest installed kernel.
if [ -z "${KVER:-}" ] && [ -r "$KO" ]; then
    KVER=$(modinfo -F vermagic "$KO" | cut -d' ' -f1)
fi
KVER=${KVER:-$(ls "$GR/lib/modules" | sort -V | tail -1)}
QUIET=0; [ "${1:-}" = -q ] && QUIET=1
say() { [ "$QUIET" = 1 ] || echo "mkinitramfs: $*"; }
mkdir -p "$D"
# one builder at a time per $RC_VM_DIR (make demo and the suite may start together)
exec 9> "$D/.mkinitramfs.lock"
flock 9

VMLINUZ=$GR/boot/vmlinuz-$KVER
[ -r "$VMLINUZ" ] && [ -d "$GR/lib/modules/$KVER" ] || {
    echo "mkinitramfs: no guest kernel $KVER ($GR/boot/vmlinuz-$KVER, $GR/lib/modules/$KVER):" \
         "install linux-image-$KVER, or rebuild the module for an installed kernel" >&2; exit 1; }

# stamp FILE...: one line per input (missing inputs count too, so their arrival triggers a build)
stamp() { for f in "$@"; do stat -L -c '%n %s %Y' "$f" 2>/dev/null || echo "$f missing"; done | sha1sum | cut -c1-40; }
fresh() { [ -s "$1" ] && [ -s "$1.stamp" ] && [ "$(cat "$1.stamp")" = "$2" ]; }

# 1. vmlinux
if ! fresh "$D/vmlinux" "$(stamp "$VMLINUZ")"; then
    python3 - "$VMLINUZ" "$D/vmlinux.tmp" <<'PY'
import lzma, sys
d = open(sys.argv[1], "rb").read()
i = d.find(b"\xfd7zXZ\x00")
assert i >= 0, "no XZ payload in the bzImage"
out = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(d[i:])
assert out[:4] == b"\x7fELF", "payload is not an ELF"
open(sys.argv[2], "wb").write(out)
PY
    mv "$D/vmlinux.tmp" "$D/vmlinux"
    stamp "$VMLINUZ" > "$D/vmlinux.stamp"
    say "extracted $D/vmlinux from $VMLINUZ"
fi

# Modules the guest loads: the HBAs (virtio-scsi, LSI 53C895A = sym53c8xx), sd/sg, the agent's
# virtio-serial port, 9p for /host, ext4 for the filesystem tests, overlay for the DKMS test's
# writable view of /host, plus whatever raidcluster.ko itself depends on (modinfo), so that
# `insmod raidcluster.ko` never misses a symbol.
MODS="scsi_mod sd_mod sg virtio_pci virtio_scsi sym53c8xx virtio_console ext4 9p 9pnet_virtio
      crc32c_generic libcrc32c md_mod raid1 overlay"
KODEPS=
[ -r "$KO" ] && KODEPS=$(modinfo -F depends "$KO" | tr , ' ')
MODS="$MODS $KODEPS"
BINS="busybox udevadm sg_inq sg_vpd sg_readcap sg_turs sg_raw sg_dd sg_persist mdadm mke2fs e2fsck dumpe2fs
      kmod"
# Pacemaker's side of the OCF resource agent (cluster.resource_agent): resource-agents' shell
# library and ocf-tester, with the DTD it validates meta-data against (xmllint: the host's,
# through /host as fio, since libxml2 drags in libicu's 30 MB)
OCF_LIB=/usr/lib/ocf/lib/heartbeat
OCF_FILES="$OCF_LIB/ocf-shellfuncs $OCF_LIB/ocf-binaries $OCF_LIB/ocf-returncodes $OCF_LIB/ocf-directories
           $OCF_LIB/ocf-rarun $OCF_LIB/ocf-distro /usr/sbin/ocf-tester /usr/share/resource-agents/ra-api-1.dtd"

# copy_elf ROOT FILE DESTDIR: a binary plus every shared library ldd lists, same paths
copy_elf() {
    local r=$1 f=$2 dst=$3 l
    mkdir -p "$r$dst"; cp -L "$f" "$r$dst/"
    ldd "$f" 2>/dev/null | awk '/=>/ && $3 ~ /^\// {print $3} /^\t\// {print $1}' | while read -r l; do
        mkdir -p "$r$(dirname "$l")"
        [ -e "$r$l" ] || cp -L "$l" "$r$l"
    done
}
cpio_of() { (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$2"; }

# 2. base
BASE_INPUTS=("$VMLINUZ" "$HERE/mkinitramfs.sh" "$HERE/init" "$HERE/guest/lab-links" "$HERE/guest/hostbin.sh" "$HERE/guest/agent.sh" "$HERE/guest/stuck.sh" /etc/mke2fs.conf)
for b in $BINS; do BASE_INPUTS+=("$(command -v "$b" || echo "/nonexistent/$b")"); done
for f in $OCF_FILES; do BASE_INPUTS+=("$f"); done
BASE_STAMP=$( (stamp "${BASE_INPUTS[@]}"; echo "$MODS") | sha1sum | cut -c1-40)
if ! fresh "$D/base.cpio.gz" "$BASE_STAMP"; then
    R=$(mktemp -d "$D/base.XXXXXX"); chmod 755 "$R"   # the guest's /: nobody walks it too
    trap 'rm -rf "$R"' EXIT
    mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,tmp,run,mnt,etc,root,host}
    cp /bin/busybox "$R/bin/busybox"
    for a in $("$R/bin/busybox" --list); do [ -e "$R/bin/$a" ] || ln -s busybox "$R/bin/$a"; done
    # the kernel's request_module() (crypto-crc32c from libcrc32c) execs /sbin/modprobe
    ln -s ../bin/busybox "$R/sbin/modprobe"
    M=$R/lib/modules/$KVER
    mkdir -p "$M"
    for m in $MODS; do
        modprobe ${GR:+-d "$GR"} -S "$KVER" --show-depends "$m" | awk '$1=="insmod"{print $2}'
    done | sort -u | while read -r f; do
        rel=${f#"$GR"/lib/modules/$KVER/}
        mkdir -p "$M/$(dirname "$rel")"; cp "$f" "$M/$rel"
    done
    cp "$GR/lib/modules/$KVER"/modules.{order,builtin,builtin.modinfo} "$M/"
    depmod -b "$R" "$KVER"
    for b in $BINS; do
        [ "$b" = busybox ] && continue
        p=$(command -v "$b") || { echo "mkinitramfs: missing $b (make deps)" >&2; exit 1; }
        copy_elf "$R" "$p" /usr/sbin
    done
    ln -s mke2fs "$R/usr/sbin/mkfs.ext4"; ln -s e2fsck "$R/usr/sbin/fsck.ext4"
    # udev for the tests that start it (tests/vm/test_udev.py): udevadm is also the daemon
    mkdir -p "$R/lib/systemd" "$R/lib/udev/rules.d"
    ln -s /usr/sbin/udevadm "$R/lib/systemd/systemd-udevd"
    cp /etc/mke2fs.conf "$R/etc/"
    cp "$HERE/init" "$R/init"; cp "$HERE/guest/lab-links" "$R/usr/sbin/"
    cp "$HERE/guest/stuck.sh" "$R/usr/sbin/rc-stuck"
    cp "$HERE/guest/agent.sh" "$R/usr/sbin/rcvm-agent"
    cp "$HERE/guest/hostbin.sh" "$R/usr/bin/fio"     # `fio` in the guest = the host's, via /host
    cp "$HERE/guest/hostbin.sh" "$R/usr/bin/xmllint" # the same loader trick runs any host binary
    chmod +x "$R/init" "$R/usr/sbin/lab-links" "$R/usr/sbin/rc-stuck" "$R/usr/sbin/rcvm-agent" "$R/usr/bin/fio" \
        "$R/usr/bin/xmllint"
    for f in $OCF_FILES; do
        [ -r "$f" ] || { echo "mkinitramfs: missing $f (make deps: resource-agents)" >&2; exit 1; }
        install -D -m 0755 "$f" "$R$f"
    done
    # ocf-tester checks that nobody can run the agent's meta-data (su nobody)
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
        > "$R/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/etc/group"
    echo "$KODEPS" > "$R/etc/raidcluster-deps"
    cpio_of "$R" "$D/base.cpio.gz.tmp"
    mv "$D/base.cpio.gz.tmp" "$D/base.cpio.gz"
    echo "$BASE_STAMP" > "$D/base.cpio.gz.stamp"
    say "base.cpio.gz $(du -h "$D/base.cpio.gz" | cut -f1), $(find "$M" -name '*.ko' | wc -l) modules ($KVER)"
    rm -rf "$R"; trap - EXIT
fi

# 3. project: what `make module` and `make build/raidclusterctl` produced (either may be
#    missing while the project is being built; the tests then say so)
ABUSE_SRC=$HERE/guest/ioctl_abuse.c
CRASH_SRC=$HERE/guest/crash_io.c
MEMHOG_SRC=$HERE/guest/memhog.c
RACE_SRC=$HERE/guest/cluster_race.c
WRITER_SRC=$HERE/guest/cluster_writer.c
PR_SRC=$HERE/guest/pr_ops.c
UDEV_SRC=$REPO/tools/udev
OCF_AGENT=$REPO/tools/ocf/ld
PROJ_STAMP=$(stamp "$KO" "$CTL" "$FENCE" "$OCF_AGENT" "$HERE/mkinitramfs.sh" "$ABUSE_SRC" "$CRASH_SRC" "$MEMHOG_SRC" \
             "$RACE_SRC" "$WRITER_SRC" "$PR_SRC" "$UDEV_SRC/60-raidcluster.rules" \
             "$UDEV_SRC/raidcluster-udev" \
             "$REPO/include/raidcluster/ioctl.h")
if ! fresh "$D/project.cpio.gz" "$PROJ_STAMP"; then
    R=$(mktemp -d "$D/proj.XXXXXX"); chmod 755 "$R"
    trap 'rm -rf "$R"' EXIT
    mkdir -p "$R/lib/raidcluster" "$R/usr/sbin"
    # debug info stays in the build tree (decode oopses there); the guest gets lean copies
    [ -r "$KO" ] && strip --strip-debug -o "$R/lib/raidcluster/raidcluster.ko" "$KO"
    if [ -x "$CTL" ]; then
        copy_elf "$R" "$CTL" /usr/sbin
        strip --strip-debug "$R/usr/sbin/raidclusterctl"
    fi
    # the fence agent (cluster.fence_agent), on the same libraries
    if [ -x "$FENCE" ]; then
        copy_elf "$R" "$FENCE" /usr/sbin
        strip --strip-debug "$R/usr/sbin/fence_raidcluster"
    fi
    # raw-ioctl checker of the kernel's own validation (tests/vm/test_ioctl.py), static
    cc -static -O2 -Wall -Wextra -Werror -I"$REPO/include" -o "$R/usr/sbin/rc-ioctl-abuse" \
        "$ABUSE_SRC"
    # writer and reader of self-describing records for the crash test (tests/vm/test_crash.py)
    cc -static -O2 -pthread -Wall -Wextra -Werror -o "$R/usr/sbin/rc-crash-io" "$CRASH_SRC"
    # memory pressure next to writeback (tests/vm/test_memory.py)
    cc -static -O2 -Wall -Wextra -Werror -o "$R/usr/sbin/rc-memhog" "$MEMHOG_SRC"
    # reserve at one instant on several nodes (tests/vm/cluster_resv.py)
    cc -static -O2 -Wall -Wextra -Werror -I"$REPO/include" -o "$R/usr/sbin/rc-race" "$RACE_SRC"
    # verified reserve/write/release loop (cluster.two_writers_never)
    cc -static -O2 -Wall -Wextra -Werror -I"$REPO/include" -o "$R/usr/sbin/rc-writer" \
        "$WRITER_SRC"
    # the persistent-reservation ioctls (cluster.pr_ops)
    cc -static -O2 -Wall -Wextra -Werror -o "$R/usr/sbin/rc-pr" "$PR_SRC"
    # the udev rule and helper where `make install` puts them (idle until udevd runs)
    install -D -m 0644 "$UDEV_SRC/60-raidcluster.rules" "$R/lib/udev/rules.d/60-raidcluster.rules"
    install -D -m 0755 "$UDEV_SRC/raidcluster-udev" "$R/lib/udev/raidcluster-udev"
    # the OCF resource agent where `make install` puts it
    install -D -m 0755 "$OCF_AGENT" "$R/usr/lib/ocf/resource.d/raidcluster/ld"
    cpio_of "$R" "$D/project.cpio.gz.tmp"
    mv "$D/project.cpio.gz.tmp" "$D/project.cpio.gz"
    echo "$PROJ_STAMP" > "$D/project.cpio.gz.stamp"
    say "project.cpio.gz $(du -h "$D/project.cpio.gz" | cut -f1):" \
        "raidcluster.ko $([ -r "$KO" ] && echo yes || echo MISSING)," \
        "raidclusterctl $([ -x "$CTL" ] && echo yes || echo MISSING)"
    rm -rf "$R"; trap - EXIT
fi

# 4. the initrd qemu boots
if [ ! -s "$D/initramfs.cpio.gz" ] || [ "$D/base.cpio.gz" -nt "$D/initramfs.cpio.gz" ] ||
   [ "$D/project.cpio.gz" -nt "$D/initramfs.cpio.gz" ]; then
    cat "$D/base.cpio.gz" "$D/project.cpio.gz" > "$D/initramfs.cpio.gz.tmp"
    mv "$D/initramfs.cpio.gz.tmp" "$D/initramfs.cpio.gz"
    say "$D/initramfs.cpio.gz $(du -h "$D/initramfs.cpio.gz" | cut -f1)"
fi
