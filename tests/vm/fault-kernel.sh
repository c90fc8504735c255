#!/bin/bash
# Build a guest kernel that can make allocations fail, and raidcluster.ko for it, so the VM
# group alloc_faults (tests/vm/test_memory.py) can show that no I/O of the module depends on an
# allocation succeeding. Debian's 6.1 kernel has CONFIG_FAULT_INJECTION off: there, order-0
# GFP_NOIO allocations practically never fail (the page allocator loops for them), so a data
# path that turned a failed allocation into an I/O error looks correct under any memory
# pressure a test can create. This kernel fails them on request, and only for allocations
# made with raidcluster.ko's code on the stack (failslab and fail_page_alloc with a stack
# filter on the module's address range, Documentation/fault-injection/fault-injection.rst).
#
# The kernel: Debian's linux-source-6.1 (make deps installs it), x86_64 defconfig plus
# kvm_guest.config plus tests/vm/fault-kernel.config (every driver the guest needs built in,
# XZ and PVH as the suite boots it, fault injection on). One change to the source:
# FAULT_INJECTION_STACKTRACE_FILTER is allowed on x86_64 (upstream excludes it there only
# because it would select FRAME_POINTER; the ORC unwinder walks the stack it needs).
#
# Output under $RC_FAULT_DIR (default /var/cache/raidcluster/fault-kernel, kept between runs
# and rebuilt only when an input changed):
#   root/boot/vmlinuz-KVER, root/lib/modules/KVER   a guest root for mkinitramfs (RC_GUEST_ROOT)
#   raidcluster.ko                                  the module, built for that kernel (RC_KO)
# Usage: fault-kernel.sh [--print-env]   the second form prints the environment for run.py
# Takes ~15 minutes on 2 cores the first time; the module alone is rebuilt in seconds.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=${RC_FAULT_DIR:-/var/cache/raidcluster/fault-kernel}
SRC_TAR=/usr/src/linux-source-6.1.tar.xz
FRAG=$HERE/fault-kernel.config
KSRC=$OUT/linux
MOD=$OUT/module
JOBS=${JOBS:-$(nproc)}

if [ "${1:-}" = --print-env ]; then
    echo "RC_VM_DIR=${RC_VM_DIR:-/tmp/rc-vm-fault} RC_GUEST_ROOT=$OUT/root RC_KO=$OUT/raidcluster.ko"
    exit 0
fi
[ -r "$SRC_TAR" ] || { echo "fault-kernel: no $SRC_TAR (make deps installs linux-source-6.1)" >&2; exit 1; }
mkdir -p "$OUT"
exec 9> "$OUT/.lock"
flock 9

stamp() { for f in "$@"; do stat -L -c '%n %s %Y' "$f" 2>/dev/null || echo "$f missing"; done | sha1sum | cut -c1-40; }
# Bump when the kernel build below changes (the stamp does not hash this script, so that a
# change of a comment or of the module part does not rebuild the kernel).
KBUILD_REV=1

# 1. the kernel: what it is built from, by content (any checkout builds the same kernel)
KSTAMP=$( (stat -L -c '%s %Y' "$SRC_TAR"; cat "$FRAG"; echo "rev $KBUILD_REV") | sha1sum | cut -c1-40)
if [ ! -s "$OUT/kernel.stamp" ] || [ "$(cat "$OUT/kernel.stamp")" != "$KSTAMP" ]; then
    echo "fault-kernel: building the guest kernel in $KSRC (about 15 minutes on 2 cores)"
    rm -rf "$KSRC" "$OUT/root"
    mkdir -p "$KSRC"
    tar -xf "$SRC_TAR" -C "$KSRC" --strip-components=1
    sed -i '/^config FAULT_INJECTION_STACKTRACE_FILTER/,/^config /{/depends on !X86_64/d}' \
        "$KSRC/lib/Kconfig.debug"
    make -C "$KSRC" -s defconfig kvm_guest.config >/dev/null
    "$KSRC/scripts/kconfig/merge_config.sh" -m -O "$KSRC" "$KSRC/.config" "$FRAG" >/dev/null
    make -C "$KSRC" -s olddefconfig
    for opt in FAILSLAB FAIL_PAGE_ALLOC FAULT_INJECTION_DEBUG_FS FAULT_INJECTION_STACKTRACE_FILTER \
               SCSI_VIRTIO SCSI_SYM53C8XX_2 KERNEL_XZ PVH; do
        grep -q "^CONFIG_$opt=y" "$KSRC/.config" ||
            { echo "fault-kernel: CONFIG_$opt did not stay on" >&2; exit 1; }
    done
    make -C "$KSRC" -s -j"$JOBS" bzImage modules
    KVER=$(make -C "$KSRC" -s kernelrelease)
    mkdir -p "$OUT/root/boot"
    cp "$KSRC/arch/x86/boot/bzImage" "$OUT/root/boot/vmlinuz-$KVER"
    make -C "$KSRC" -s INSTALL_MOD_PATH="$OUT/root" modules_install >/dev/null
    echo "$KSTAMP" > "$OUT/kernel.stamp"
    echo "fault-kernel: $OUT/root/boot/vmlinuz-$KVER"
fi

# 2. the module, from a copy of the sources (the repository's raidcluster.ko stays Debian's)
MSRCS=("$REPO/Kbuild" "$REPO"/kernel/* "$REPO"/lib/*.[ch] "$REPO"/lib/proto/*.[ch] \
       "$REPO"/include/raidcluster/*.h)
MSTAMP=$( (cat "$OUT/kernel.stamp"; cat "${MSRCS[@]}") | sha1sum | cut -c1-40)
if [ ! -s "$OUT/raidcluster.ko" ] || [ ! -s "$OUT/module.stamp" ] ||
   [ "$(cat "$OUT/module.stamp")" != "$MSTAMP" ]; then
    rm -rf "$MOD"
    mkdir -p "$MOD"
    (cd "$REPO" && tar -cf - Kbuild kernel lib/*.[ch] lib/proto include) | tar -xf - -C "$MOD"
    make -C "$KSRC" -s M="$MOD" modules
    cp "$MOD/raidcluster.ko" "$OUT/raidcluster.ko"
    echo "$MSTAMP" > "$OUT/module.stamp"
    echo "fault-kernel: $OUT/raidcluster.ko"
fi
