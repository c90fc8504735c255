#!/bin/bash
# Build the systemd guest's two extra initramfs layers under $RC_VM_DIR (default /tmp/rc-vm),
# laid over base.cpio.gz + project.cpio.gz of mkinitramfs.sh (the kernel unpacks concatenated
# archives in order; a later file replaces an earlier one):
#   systemd.cpio.gz  Debian's systemd, udev, mount, util-linux and kmod as their packages
#                    install them (dpkg -L, without documentation and the hwdb), with the
#                    shared libraries ldd names; the guest agent as rcvm-agent.service; units
#                    that need D-Bus or a terminal (logind, gettys) masked. Changes only with
#                    the system.
#   install.cpio.gz  `make install DESTDIR=...` of this tree over the guest's module directory
#                    (so its depmod sees every module), then `systemctl enable
#                    raidcluster.service`, as an admin installs the project.
# The guest boots with rdinit=/lib/systemd/systemd: systemd is PID 1 on the initramfs, which
# is not an initrd to it (no /etc/initrd-release), so it boots it as the system.
# Usage: mksystemd.sh [-q]   (after mkinitramfs.sh; env: RC_VM_DIR, KVER as mkinitramfs.sh)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
D=${RC_VM_DIR:-/tmp/rc-vm}
KO=$REPO/raidcluster.ko
QUIET=0; [ "${1:-}" = -q ] && QUIET=1
say() { [ "$QUIET" = 1 ] || echo "mksystemd: $*"; }
[ -n "${KVER:-}" ] || KVER=$(modinfo -F vermagic "$KO" | cut -d' ' -f1)
[ -s "$D/base.cpio.gz" ] || { echo "mksystemd: no $D/base.cpio.gz: run mkinitramfs.sh" >&2; exit 1; }
exec 9> "$D/.mksystemd.lock"
flock 9

PKGS="systemd libsystemd-shared udev mount util-linux kmod"
stamp() { for f in "$@"; do stat -L -c '%n %s %Y' "$f" 2>/dev/null || echo "$f missing"; done | sha1sum | cut -c1-40; }
fresh() { [ -s "$1" ] && [ -s "$1.stamp" ] && [ "$(cat "$1.stamp")" = "$2" ]; }
cpio_of() { (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$2"; }

# 1. systemd.cpio.gz
SD_STAMP=$( (dpkg-query -W -f='${Package} ${Version}\n' $PKGS; stamp "$HERE/mksystemd.sh") |
            sha1sum | cut -c1-40)
if ! fresh "$D/systemd.cpio.gz" "$SD_STAMP"; then
    R=$(mktemp -d "$D/systemd.XXXXXX"); chmod 755 "$R"
    trap 'rm -rf "$R"' EXIT
    # the packages' files and symlinks, not their directories: the host's /bin, /sbin, /lib
    # are usrmerge links, the guest's are directories (base.cpio.gz), which tar makes
    dpkg -L $PKGS | grep -Ev '^/usr/share/(doc|man|locale|lintian|zsh|fish|bash-completion)(/|$)|^/lib/udev/hwdb|^/etc/init.d' |
        while read -r f; do [ -d "$f" ] && [ ! -L "$f" ] || [ "$f" = /. ] || echo "${f#/}"; done |
        grep -vxE 'bin|sbin|lib|lib64' | sort -u > "$R.list"
    tar -C / -cf - --no-recursion -T "$R.list" | tar -C "$R" -xf -
    rm -f "$R.list"
    # the shared libraries of every program and library, where ldd finds them on the host
    find "$R" -type f \( -perm /111 -o -name '*.so*' \) -print0 | { xargs -0 ldd 2>/dev/null || :; } |
        awk '/=>/ && $3 ~ /^\// {print $3} /^\t\// {print $1}' | sort -u | while read -r l; do
            [ -e "$R$l" ] || { mkdir -p "$R$(dirname "$l")"; cp -L "$l" "$R$l"; }
        done
    # what dpkg's maintainer scripts and base-files would have put there
    cp /usr/lib/os-release "$R/usr/lib/os-release"; ln -sfn ../usr/lib/os-release "$R/etc/os-release"
    echo 5f8c0d2a1b3e4f6a8b9c0d1e2f3a4b5c > "$R/etc/machine-id"
    echo rcvm > "$R/etc/hostname"
    : > "$R/etc/fstab"
    # no D-Bus, no terminals: logind and the gettys would only fail
    mkdir -p "$R/etc/systemd/system"
    for u in systemd-logind.service getty.target serial-getty@.service getty@.service \
             console-getty.service systemd-firstboot.service; do
        ln -sfn /dev/null "$R/etc/systemd/system/$u"
    done
    # the agent (base.cpio.gz's /usr/sbin/rcvm-agent), as early as it can run: the tests
    # then see the boot as it happens
    cat > "$R/lib/systemd/system/rcvm-agent.service" <<'UNIT'
[Unit]
Description=VM bench agent (tests/vm/rcvm.py)
DefaultDependencies=no
After=systemd-journald.socket
[Service]
ExecStartPre=-/usr/sbin/lab-links
ExecStart=/usr/sbin/rcvm-agent "systemctl poweroff"
StandardOutput=journal+console
KillMode=process
[Install]
WantedBy=sysinit.target
UNIT
    mkdir -p "$R/etc/systemd/system/sysinit.target.wants"
    ln -sfn /lib/systemd/system/rcvm-agent.service "$R/etc/systemd/system/sysinit.target.wants/"
    cpio_of "$R" "$D/systemd.cpio.gz.tmp"
    mv "$D/systemd.cpio.gz.tmp" "$D/systemd.cpio.gz"
    echo "$SD_STAMP" > "$D/systemd.cpio.gz.stamp"
    say "systemd.cpio.gz $(du -h "$D/systemd.cpio.gz" | cut -f1) ($(dpkg-query -W -f='${Version}' systemd))"
    rm -rf "$R"; trap - EXIT
fi

# 2. install.cpio.gz: every time (make install takes seconds; its inputs are the whole tree)
R=$(mktemp -d "$D/install.XXXXXX"); chmod 755 "$R"
trap 'rm -rf "$R"' EXIT
(cd "$R" && gzip -dc "$D/base.cpio.gz" | cpio -id --quiet "lib/modules/*")
make -s -C "$REPO" install DESTDIR="$R" KVER="$KVER" INSTALL_MOD_STRIP=1 >"$D/install.log" 2>&1 ||
    { cat "$D/install.log" >&2; echo "mksystemd: make install failed" >&2; exit 1; }
[ -r "$R/lib/modules/$KVER/updates/raidcluster.ko" ] ||
    { echo "mksystemd: make install put no module in lib/modules/$KVER/updates" >&2; exit 1; }
systemctl --root="$R" enable raidcluster.service >>"$D/install.log" 2>&1
cpio_of "$R" "$D/install.cpio.gz.tmp"
mv "$D/install.cpio.gz.tmp" "$D/install.cpio.gz"
rm -rf "$R"; trap - EXIT
say "install.cpio.gz $(du -h "$D/install.cpio.gz" | cut -f1)"
