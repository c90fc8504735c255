#!/usr/bin/env bash
# The KUnit suite of `make check`: the portable C of lib/ and its test
# cases, compiled as kernel code into a User-Mode-Linux kernel built from
# Debian's linux-source-6.1, and run there.  Last line:
#   kunit: N passed, N failed, N skipped
#
# usage: tests/kunit/run.sh [run-kunit.sh options, e.g. -f 'rc_cod.*']
# env:   KUNIT_GLOBS  source globs to build in, relative to the repository
#                     (default below); e.g. to leave an area out while it is
#                     being written: KUNIT_GLOBS="lib/*.c tests/cases/[cg]*.c
#                     tests/kunit/lib_kunit.c"
#
# Built in: lib/*.c, lib/proto/*.c, kernel/crc32c.c (the kernel's side of
# lib/crc32c.h), tests/cases/*.c and tests/kunit/*_kunit.c
# (globbed at every run, so new lib areas and their case files join by
# existing; each X-macro list of cases needs a kunit_suite in some
# tests/kunit/*_kunit.c to run, see lib_kunit.c).
#
# The sources are copied to a private staging tree first (only *.c and *.h
# of include/, lib/, tests/cases/, tests/kunit/): the repository root also
# holds Kbuild objects from `make module` and other build output, which the
# kernel's make must never see.  Compiler errors therefore name files under
# the staging dir; the paths below it are the repository's.
#
# The Kconfig select set below is fixed on purpose: changing it makes the
# next run rebuild most of the UML kernel (~5 minutes).  The first run on a
# machine extracts and builds the kernel (~3-6 minutes) in
# $KUNIT_WORKDIR (default /var/tmp/kunit-6.1); later runs take ~20 s.
# Concurrent runs serialize on a lock in that dir.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd -P)
HERE=$ROOT/tests/kunit
SELECTS=(-s XOR_BLOCKS -s RAID6_PQ -s LIBCRC32C)
INCS=(-I lib -I tests/cases)

stage=$(mktemp -d "${TMPDIR:-/var/tmp}/raidcluster-kunit.XXXXXX")
trap 'rm -rf "$stage"' EXIT
(
	cd "$ROOT"
	find include lib tests/cases tests/kunit -type f \
		\( -name '*.c' -o -name '*.h' \) -not -path 'lib/cxx/*' \
		-not -path 'lib/user/*' -print0 | xargs -0 -r cp --parents -t "$stage"
	# what lib/ takes from the kernel there (lib/lib.mk: lib/user/ in user space)
	cp --parents kernel/crc32c.c "$stage"
)

GLOBS=${KUNIT_GLOBS:-lib/*.c lib/proto/*.c kernel/crc32c.c tests/cases/*.c tests/kunit/*_kunit.c}
shopt -s nullglob
FILES=()
cd "$stage"
# shellcheck disable=SC2086 # the globs are meant to expand here
for f in $GLOBS; do
	FILES+=("$f")
done
shopt -u nullglob
cd "$ROOT"
if [ ${#FILES[@]} -eq 0 ]; then
	echo "kunit: no sources found"
	echo "kunit: 0 passed, 1 failed"
	exit 1
fi
echo "kunit: building ${FILES[*]}"

set +e
bash "$HERE/run-kunit.sh" "${SELECTS[@]}" "${INCS[@]}" "$@" "$stage" "${FILES[@]}"
rc=$?
set -e
exit $rc
