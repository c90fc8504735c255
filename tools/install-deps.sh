#!/usr/bin/env bash
# Install, idempotently, every Debian package the build and the tests need.
# Runs as root (CI, the dev machines); with sudo otherwise.  A package that
# is already installed costs one dpkg-query, so `make check` may call this
# every time.
set -euo pipefail

PKGS=(
	# build: kernel module (kbuild) and user space
	build-essential make gcc g++ pkg-config linux-headers-amd64
	libsgutils2-dev libudev-dev libblkid-dev libcli11-dev googletest libgtest-dev
	libisal-dev
	# the tools' --json output (lib/cxx/json.hpp): nlohmann::ordered_json
	nlohmann-json3-dev
	# the tools' human tables (scan, status, node list, cod show) are
	# printed by util-linux's libsmartcols, as lsblk's
	libsmartcols-dev
	# VM bench: the Debian 6.1 guest kernel, qemu, guest user space
	linux-image-amd64 qemu-system-x86 busybox-static kmod cpio
	sg3-utils mdadm fio e2fsprogs python3 xz-utils udev
	# the systemd guest (tests/vm/mksystemd.sh) is Debian's systemd as it
	# installs itself: a container image may not have it
	systemd
	# member disks with SCSI-3 persistent reservations: a loopback iSCSI
	# target (tgtd, user space) that the VMs reach through qemu's iSCSI driver
	tgt qemu-block-extra
	# fence_raidcluster's metadata is checked against fence-agents' own
	# grammar (metadata.rng) with xmllint
	fence-agents libxml2-utils
	# every --json output the VM tests parse is validated against
	# Documentation/raidclusterctl.schema.json
	python3-jsonschema
	# the OCF resource agent is tested in the guest with resource-agents'
	# ocf-tester and its shell library (ocf-shellfuncs)
	resource-agents
	# the bash completion is tested in bash with bash-completion loaded
	bash-completion
	# make install's man pages are checked with man, and the DKMS tree is
	# built with dkms (tests/build/)
	man-db dkms
	# KUnit on UML
	linux-source-6.1 flex bison bc libelf-dev libssl-dev
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# initramfs-tools hooks of linux-image are slow and useless here: the test
# guest boots its own initramfs (tests/vm/mkinitramfs.sh).
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
