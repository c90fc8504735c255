#!/usr/bin/env bash
# The build suite of `make check`: the top-level Makefile on a fresh machine.
#
# The first `make check` or `make demo` on a fresh Debian 12 machine starts
# without kernel headers: its deps step installs them (linux-headers-amd64),
# and only then is the module built.  A Makefile that settles KDIR when it is
# read (and exports it to the sub-make) stops there with "no kernel headers
# (KDIR=)".  This suite replays that first run, and checks what install and
# uninstall do with the kernel release and DESTDIR.  Last line:
#   build: N passed, N failed
#
# usage: tests/build/first_run.sh
# env:   FIRST_RUN_MAKEFILE=FILE  test FILE instead of the tree's Makefile,
#                                 e.g. the committed one, to see that the
#                                 suite catches what a change fixed
#        RC_BUILD_KEEP=1          keep the scratch directory
#
# Needs root (mount namespaces) and the kernel headers installed (make deps;
# `make check` has run it by then).  Nothing runs in the tree itself: the
# suite copies the work tree, uncommitted changes included, to a scratch
# directory and builds there, so it cannot disturb the tree's own build.
# In that copy tools/install-deps.sh and tests/run-check.sh are replaced by
# stand-ins (below): the run under test is the real `make check` of the copy,
# the same command on any version of the Makefile.
#
# Checks (one count each):
#   headers_hidden   in a private mount namespace no kernel headers are
#                    visible and the Makefile finds none: the premise of the
#                    next check, which otherwise proves nothing
#   first_run        `make check` there succeeds: its deps stand-in makes the
#                    headers appear (as apt-get would), and the module then
#                    builds for the right kernel
#   kver_headers     KDIR=/usr/src/linux-headers-REL gives KVER=REL
#   kver_build_link  KDIR=/lib/modules/REL/build gives KVER=REL
#   install_destdir  make install DESTDIR=D puts raidcluster.ko in
#                    D/lib/modules/REL/updates/ and nothing outside D, and
#                    the tool, udev rule, helper and systemd unit in D
#   uninstall        make uninstall DESTDIR=D KDIR=/lib/modules/REL/build
#                    removes what install put in D
#   dkms_build       make dkms-source DESTDIR=D writes a DKMS tree with no
#                    user-space makefile in it, and dkms add + build (private
#                    --dkmstree) build raidcluster.ko from it for REL
#   dkms_exclusive   dkms build for a kernel the code does not support
#                    (7.0) is refused by dkms.conf's BUILD_EXCLUSIVE_KERNEL
#
# Time: about 2.5 minutes on 2 cores: the first run's build and the DKMS one.
set -euo pipefail

CHECKS=(headers_hidden first_run kver_headers kver_build_link install_destdir uninstall
	dkms_build dkms_exclusive)

# One line per check, also appended to $RESULTS: the checks run in several
# processes (one per mount namespace) and the outer one counts them.
pass() {
	echo "PASS $1"
	echo "PASS $1" >>"$RESULTS"
}
fail() {
	echo "FAIL $1: $2"
	echo "FAIL $1" >>"$RESULTS"
}

# make in the copy as a user would start it.  Nothing may leak in from a
# `make check` running this script: its MAKEFLAGS carry its jobserver and its
# command-line variables (KDIR=... would find the headers this suite hides).
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		-u KDIR -u KVER -u DESTDIR \
		timeout 900 make --no-print-directory -C "$COPY" "$@"
}

# What the Makefile makes of variable $1 once it is read, with the
# assignments that follow (e.g. KDIR=...): the make -s --eval way.
make_var() {
	local var=$1
	shift
	mk -s --eval "rc-print-var: ; @echo '\$($var)'" "$@" rc-print-var
}

# The tail of a failed make's log, to say why without opening it.
show_log() {
	echo "    --- last lines of $1"
	tail -n 12 "$1" | sed 's/^/    /'
}

# --- run in a private mount namespace: a machine whose headers come later
step_first_run() {
	# An empty tmpfs over /usr/src hides the Debian headers (and makes
	# /lib/modules/*/build, links into /usr/src, dangle); the running
	# kernel's module directory is hidden too when it exists, since KDIR
	# looks for /lib/modules/$(uname -r)/build first.
	mount -t tmpfs -o size=1m rc-no-headers /usr/src
	[ -z "$HIDE_MODDIR" ] || mount -t tmpfs -o size=1m rc-no-headers "$HIDE_MODDIR"

	local seen kdir
	seen=$(compgen -G '/usr/src/linux-headers-*' || true)
	[ -z "$HIDE_MODDIR" ] || seen+=$(compgen -G "$HIDE_MODDIR/*" || true)
	kdir=$(make_var KDIR) || kdir="(make failed)"
	if [ -n "$seen" ] || [ -n "$kdir" ]; then
		fail headers_hidden "still visible: ${seen:-nothing}; the Makefile finds KDIR=$kdir"
		fail first_run "not run: the headers could not be hidden"
		return
	fi
	pass headers_hidden

	# TEST_BINS= leaves out the GoogleTest and simulator binaries: they do
	# not need the headers, take a minute of their own, and the tree's own
	# `make check` builds them anyway.  The module and raidclusterctl are
	# built, by the sub-make of check's `build` step, as on a fresh machine.
	local log=$LOGS/first-run.log rc=0 why='' ko=$COPY/raidcluster.ko vermagic
	mk -j"$(nproc)" TEST_BINS= check >"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		why="make check exited with status $rc"
	elif [ ! -e "$WORK/deps-ran" ]; then
		why="make check did not run deps"
	elif [ ! -e "$WORK/check-ran" ]; then
		why="make check did not get to tests/run-check.sh"
	elif [ ! -f "$ko" ] || [ ! -x "$COPY/build/raidclusterctl" ]; then
		why="raidcluster.ko or build/raidclusterctl not built"
	else
		vermagic=$(modinfo -F vermagic "$ko" | cut -d' ' -f1) || vermagic="(modinfo failed)"
		[ "$vermagic" = "$REL" ] || why="raidcluster.ko is for $vermagic, not $REL"
	fi
	if [ -z "$why" ]; then
		pass first_run
	else
		fail first_run "$why (log: $log)"
		show_log "$log"
	fi
}

# --- run in a private mount namespace with a scratch /lib/modules
step_install() {
	# Kbuild's modules_install and depmod write to /lib/modules when they
	# ignore DESTDIR: give them a tmpfs, so that the host's stays untouched
	# and such a write can be seen.  It holds only REL/build, the link
	# linux-image-REL would install.
	mount -t tmpfs -o size=64m rc-lib-modules /lib/modules
	mkdir "/lib/modules/$REL"
	ln -s "$HDR" "/lib/modules/$REL/build"

	local kdir got
	for kdir in "$HDR" "/lib/modules/$REL/build"; do
		local name=kver_headers
		[ "$kdir" = "$HDR" ] || name=kver_build_link
		got=$(make_var KVER KDIR="$kdir") || got="(make failed)"
		if [ "$got" = "$REL" ]; then
			pass "$name"
		else
			fail "$name" "KDIR=$kdir gives KVER='$got', not $REL"
		fi
	done

	local dest=$WORK/dest log=$LOGS/install.log rc=0 why='' stray
	local ko=$dest/lib/modules/$REL/updates/raidcluster.ko
	mk TEST_BINS= install DESTDIR="$dest" >"$log" 2>&1 || rc=$?
	stray=$(find /lib/modules -name raidcluster.ko | tr '\n' ' ')
	if [ "$rc" -ne 0 ]; then
		why="make install exited with status $rc"
	elif [ -n "$stray" ]; then
		why="the module went outside DESTDIR: ${stray% }"
	elif [ ! -f "$ko" ]; then
		why="no $ko; modules in DESTDIR: $(find "$dest" -name '*.ko' 2>/dev/null | tr '\n' ' ' || true)"
	elif [ ! -x "$dest/usr/sbin/raidclusterctl" ]; then
		why="no $dest/usr/sbin/raidclusterctl"
	else
		for f in lib/udev/rules.d/60-raidcluster.rules lib/udev/raidcluster-udev \
			lib/systemd/system/raidcluster-attach@.service usr/sbin/fence_raidcluster \
			usr/share/bash-completion/completions/raidclusterctl lib/modprobe.d/raidcluster.conf \
			usr/share/man/man8/raidclusterctl.8 usr/share/man/man8/fence_raidcluster.8 \
			usr/share/man/man5/raidcluster.conf.5 usr/lib/ocf/resource.d/raidcluster/ld \
			usr/share/man/man7/ocf_raidcluster_ld.7; do
			[ -f "$dest/$f" ] || why="${why:+$why; }no $dest/$f"
		done
		# what the issue promises: man finds the pages where install put them
		for f in raidclusterctl raidcluster.conf fence_raidcluster ocf_raidcluster_ld; do
			MANPATH="$dest/usr/share/man" man -w "$f" >/dev/null 2>&1 ||
				why="${why:+$why; }man $f finds no page under $dest/usr/share/man"
		done
	fi
	if [ -z "$why" ]; then
		pass install_destdir
	else
		fail install_destdir "$why (log: $log)"
		show_log "$log"
	fi

	# The usual way to name a kernel: KDIR=/lib/modules/REL/build.  What
	# install should have put in DESTDIR and did not is put there now (an
	# empty file does: uninstall only removes), so that uninstall is judged
	# on its own, and never passes for finding nothing to remove.
	log=$LOGS/uninstall.log rc=0 why=''
	local left f
	for f in "$ko" "$dest/usr/sbin/raidclusterctl" "$dest/usr/sbin/fence_raidcluster" \
		"$dest/lib/udev/rules.d/60-raidcluster.rules" "$dest/lib/udev/raidcluster-udev" \
		"$dest/lib/systemd/system/raidcluster-attach@.service" \
		"$dest/usr/share/bash-completion/completions/raidclusterctl" \
		"$dest/lib/modprobe.d/raidcluster.conf" "$dest/usr/share/man/man8/raidclusterctl.8" \
		"$dest/usr/share/man/man5/raidcluster.conf.5" \
		"$dest/usr/lib/ocf/resource.d/raidcluster/ld" \
		"$dest/usr/share/man/man7/ocf_raidcluster_ld.7"; do
		[ -e "$f" ] || install -D -m 0644 /dev/null "$f"
	done
	mk uninstall DESTDIR="$dest" KDIR="/lib/modules/$REL/build" >"$log" 2>&1 || rc=$?
	left=$(find "$dest" \( -name raidcluster.ko -o -name raidclusterctl -o -name fence_raidcluster \
		-o -path '*/modprobe.d/raidcluster.conf' -o -name 'raidcluster*.[58]' \
		-o -name fence_raidcluster.8 -o -name ocf_raidcluster_ld.7 -o -path '*/raidcluster/ld' \
		-o -name 60-raidcluster.rules -o -name raidcluster-udev \
		-o -name 'raidcluster-attach@.service' \) 2>/dev/null |
		tr '\n' ' ' || true)
	if [ "$rc" -ne 0 ]; then
		why="make uninstall exited with status $rc"
	elif [ -n "$left" ]; then
		why="still installed: ${left% }"
	fi
	if [ -z "$why" ]; then
		pass uninstall
	else
		fail uninstall "$why (log: $log)"
		show_log "$log"
	fi
}

# DKMS on the tree make dkms-source writes, with a private DKMS tree: the
# system's /var/lib/dkms is never touched.
step_dkms() {
	local t=$WORK/dkms log=$LOGS/dkms.log rc=0 why='' ver ko mk_files
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$COPY/dkms.conf")
	mk dkms-source DESTDIR="$t/root" >"$log" 2>&1 || rc=$?
	mk_files=$(find "$t/root" \( -name Makefile -o -name '*.mk' \) 2>/dev/null || true)
	if ! command -v dkms >/dev/null; then
		why="dkms is not installed (make deps)"
	elif [ "$rc" -ne 0 ]; then
		why="make dkms-source exited with status $rc"
	elif [ -n "$mk_files" ]; then
		why="user-space makefiles in the DKMS tree: $mk_files"
	else
		mkdir -p "$t/tree"
		{ dkms add -m raidcluster -v "$ver" --sourcetree "$t/root/usr/src" \
			--dkmstree "$t/tree" &&
			timeout 900 dkms build -m raidcluster -v "$ver" -k "$REL" \
				--sourcetree "$t/root/usr/src" --dkmstree "$t/tree"; } \
			>>"$log" 2>&1 || rc=$?
		ko=$(find "$t/tree" -name 'raidcluster.ko*' -path "*/$REL/*" 2>/dev/null | head -n 1 ||
			true)
		if [ "$rc" -ne 0 ]; then
			why="dkms add/build exited with status $rc"
		elif [ -z "$ko" ]; then
			why="dkms build left no raidcluster.ko for $REL"
		elif [ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" != "$REL" ]; then
			why="$ko has vermagic $(modinfo -F vermagic "$ko")"
		fi
	fi
	if [ -z "$why" ]; then
		pass dkms_build
	else
		fail dkms_build "$why (log: $log)"
		show_log "$log"
		fail dkms_exclusive "not run: no DKMS build"
		return
	fi
	log=$LOGS/dkms_exclusive.log rc=0
	dkms build -m raidcluster -v "$ver" -k 7.0.0-1-amd64 --sourcetree "$t/root/usr/src" \
		--dkmstree "$t/tree" >"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ] && grep -q BUILD_EXCLUSIVE "$log"; then
		pass dkms_exclusive
	else
		fail dkms_exclusive "dkms build for 7.0.0-1-amd64 exited $rc without naming BUILD_EXCLUSIVE (log: $log)"
		show_log "$log"
	fi
}

# The outer run below starts itself again, in a new mount namespace, for
# each step.
if [ "${1:-}" = --in-namespace ]; then
	case $2 in
	first_run) step_first_run ;;
	install) step_install ;;
	esac
	exit
fi

# --- the outer run: set up the copy, run both steps, count
SELF=$(readlink -f "$0")
ROOT=$(cd "$(dirname "$SELF")/../.." && pwd -P)
LOGS=${RC_BUILD_LOGS:-$ROOT/build/results/build}
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/raidcluster-build.XXXXXX")
COPY=$WORK/tree
RESULTS=$WORK/results
if [ -n "${RC_BUILD_KEEP:-}" ]; then
	echo "build: scratch directory $WORK (kept)"
else
	trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$LOGS" "$COPY"
: >"$RESULTS"

finish() {
	local c passed failed
	for c in "${CHECKS[@]}"; do
		grep -qE "^(PASS|FAIL) $c\$" "$RESULTS" || fail "$c" "$1"
	done
	passed=$(grep -c '^PASS' "$RESULTS" || true)
	failed=$(grep -c '^FAIL' "$RESULTS" || true)
	echo "build: $passed passed, $failed failed"
	[ "$failed" -eq 0 ] && exit 0
	exit 1
}

[ "$(id -u)" = 0 ] || finish "not run: needs root (mount namespaces)"
# The release to expect, named by the package (linux-headers-REL), not by
# the Makefile's own reading of the headers: the same name as /lib/modules/REL.
HDR=$(compgen -G '/usr/src/linux-headers-*-amd64' | sort -V | tail -n 1 || true)
[ -n "$HDR" ] || finish "not run: no /usr/src/linux-headers-*-amd64 (make deps)"
REL=${HDR#/usr/src/linux-headers-}
HIDE_MODDIR=
[ ! -d "/lib/modules/$(uname -r)" ] || HIDE_MODDIR=/lib/modules/$(uname -r)

# The work tree as it is: tracked files (deleted ones left out) plus
# untracked ones that are not ignored, i.e. sources without build output.
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard) |
	while IFS= read -r -d '' f; do
		if [ -e "$ROOT/$f" ] || [ -L "$ROOT/$f" ]; then printf '%s\0' "$f"; fi
	done |
	(cd "$ROOT" && cpio -0 -pdm --quiet "$COPY")
if [ -n "${FIRST_RUN_MAKEFILE:-}" ]; then
	cp "$FIRST_RUN_MAKEFILE" "$COPY/Makefile"
	echo "build: testing the Makefile $FIRST_RUN_MAKEFILE"
fi

# The stand-ins.  deps: the package install of a fresh machine reduced to
# its effect on the build, the kernel headers appearing while make runs.
cat >"$COPY/tools/install-deps.sh" <<EOF
#!/usr/bin/env bash
# Written by tests/build/first_run.sh: the packages "get installed" now.
set -euo pipefail
umount /usr/src $HIDE_MODDIR
touch "$WORK/deps-ran"
echo "deps (stand-in): headers now visible:" /usr/src/linux-headers-*-amd64
EOF
# The suites are not this test's business, only that make check got past
# its build to them.
cat >"$COPY/tests/run-check.sh" <<EOF
#!/usr/bin/env bash
# Written by tests/build/first_run.sh: make check reached its suites.
touch "$WORK/check-ran"
EOF

export WORK COPY RESULTS LOGS HDR REL HIDE_MODDIR
echo "build: $REL, copy in $COPY, logs in $LOGS"
unshare -m --propagation private -- bash "$SELF" --in-namespace first_run || true
unshare -m --propagation private -- bash "$SELF" --in-namespace install || true
step_dkms
finish "no result (the step running it failed)"
