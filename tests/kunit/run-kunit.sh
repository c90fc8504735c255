#!/usr/bin/env bash
# run-kunit.sh - build and run KUnit tests for out-of-tree kernel C code
# against Debian's linux-source-6.1, under UML (default) or qemu x86_64.
#
# raidcluster runs it through tests/kunit/run.sh (which picks SRCDIR, the
# files, the include dirs and the fixed Kconfig select set); this file is
# the generic builder, taken from the lab's proven script
# (../shared/lab/kunit/run-kunit.sh) and kept generic on purpose.  Debian's
# kernel has no CONFIG_KUNIT, hence UML built from linux-source-6.1.
#
# usage: run-kunit.sh [options] SRCDIR [FILE.c ...]
#   SRCDIR   directory holding the project's kernel C sources (e.g. ./kernel).
#            It is symlinked into the kernel tree as lib/extkunit/src, so the
#            files are compiled in place (incremental re-runs see edits).
#   FILE.c   sources, relative to SRCDIR, to build INTO the test kernel:
#            the code under test plus its *_test.c files. Default: every
#            *_test.c under SRCDIR, plus X.c next to each X_test.c if present
#            (skipped when X_test.c does #include "X.c" to reach statics).
#            Never list the file with module_init()/module_exit().
# options:
#   -a ARCH    um (default, fastest) | x86_64 (qemu TCG; slower build)
#   -c LINE    extra .kunitconfig line, e.g. -c CONFIG_NET=y  (repeatable)
#   -s SYM     Kconfig symbol the test option selects, e.g. -s RAID6_PQ
#              -s XOR_BLOCKS -s LIBCRC32C (for non-visible symbols; repeatable)
#   -I DIR     extra include dir, relative to SRCDIR (repeatable);
#              SRCDIR and SRCDIR/include are always on the include path
#   -f GLOB    run only suites/tests matching GLOB (e.g. 'proj_geom.*')
#   -j N       make jobs (default: nproc)
#   -o FILE    also write kunit.py's JSON results to FILE
#   -t SECS    boot+run timeout (default 300)
#   -w DIR     work/cache dir for the extracted tree and build
#              (default: $KUNIT_WORKDIR or /var/tmp/kunit-6.1)
#   -n         no -Werror for the project files
# env: KUNIT_NO_INSTALL=1  do not apt-get install missing packages
# exit: 0 only if the build succeeded, >=1 test ran and none failed/crashed.
# last line: "kunit: N passed, N failed, N skipped"
set -euo pipefail

ARCH=um; JOBS=$(nproc); FILTER=""; JSON_OUT=""; TIMEOUT=300; WERROR=1
WORKDIR=${KUNIT_WORKDIR:-/var/tmp/kunit-6.1}
declare -a EXTRA_CFG=() SELECTS=() INCS=() FILES=()

die() { echo "run-kunit: $*" >&2; exit 2; }
while getopts "a:c:s:I:f:j:o:t:w:nh" opt; do
  case $opt in
    a) ARCH=$OPTARG ;; c) EXTRA_CFG+=("$OPTARG") ;; s) SELECTS+=("$OPTARG") ;;
    I) INCS+=("$OPTARG") ;; f) FILTER=$OPTARG ;; j) JOBS=$OPTARG ;;
    o) JSON_OUT=$OPTARG ;; t) TIMEOUT=$OPTARG ;; w) WORKDIR=$OPTARG ;;
    n) WERROR=0 ;;
    h) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) die "bad option (see -h)" ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || die "usage: run-kunit.sh [options] SRCDIR [FILE.c ...] (see -h)"
SRCDIR=$(cd "$1" && pwd -P) || die "no such dir: $1"; shift
case $ARCH in um|x86_64) ;; *) die "unsupported arch: $ARCH" ;; esac

# ---- 1. packages --------------------------------------------------------
PKGS=(linux-source-6.1 build-essential flex bison bc libelf-dev libssl-dev
      python3 xz-utils)
[ "$ARCH" = x86_64 ] && PKGS+=(qemu-system-x86)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "${KUNIT_NO_INSTALL:-0}" = 1 ] && die "missing packages: ${missing[*]}"
  [ "$(id -u)" = 0 ] || die "missing packages (need root): ${missing[*]}"
  echo "run-kunit: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# ---- 2. kernel tree (extracted once per source version) -------------------
TARBALL=/usr/src/linux-source-6.1.tar.xz
[ -f "$TARBALL" ] || die "$TARBALL not found"
VER=$(dpkg-query -W -f='${Version}' linux-source-6.1)
mkdir -p "$WORKDIR"
exec 9>"$WORKDIR/.lock"
flock -w 3600 9 || die "could not lock $WORKDIR"
KSRC=$WORKDIR/linux-$VER
if [ ! -f "$KSRC/.extracted" ]; then
  echo "run-kunit: extracting $TARBALL ($VER) into $KSRC"
  rm -rf "$KSRC" "$KSRC.tmp"; mkdir -p "$KSRC.tmp"
  # Skip big dirs no Kconfig/um/x86_64 build reads (saves ~0.5 GB, ~10 s).
  tar -xf "$TARBALL" -C "$KSRC.tmp" --strip-components=1 \
    --exclude='linux-source-6.1/Documentation/[!K]*' \
    --exclude='linux-source-6.1/arch/*/boot/dts' \
    --exclude='linux-source-6.1/drivers/gpu/drm/amd/include/asic_reg'
  touch "$KSRC.tmp/.extracted"; mv "$KSRC.tmp" "$KSRC"
fi

# ---- 3. hook lib/extkunit into the tree -----------------------------------
put() { # write stdin to $1 only if content changed (keeps mtimes stable)
  local tmp; tmp=$(mktemp); cat >"$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}
EXT=$KSRC/lib/extkunit
mkdir -p "$EXT"
grep -q 'lib/extkunit/Kconfig' "$KSRC/lib/Kconfig" ||
  echo 'source "lib/extkunit/Kconfig"' >>"$KSRC/lib/Kconfig"
grep -q '^obj-y += extkunit/' "$KSRC/lib/Makefile" ||
  echo 'obj-y += extkunit/' >>"$KSRC/lib/Makefile"
ln -sfn "$SRCDIR" "$EXT/src"

if [ $# -gt 0 ]; then
  FILES=("$@")
else
  while IFS= read -r t; do
    FILES+=("$t"); base=${t%_test.c}.c
    # add X.c unless X_test.c already #includes it (static-function idiom)
    if [ -f "$SRCDIR/$base" ] && ! grep -Eq "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]*/)?${base##*/}\"" "$SRCDIR/$t"; then
      FILES+=("$base")
    fi
  done < <(cd "$SRCDIR" && find . -name '*_test.c' -not -path '*/.*' | sed 's|^\./||' | sort)
fi
[ ${#FILES[@]} -gt 0 ] || die "no test sources found under $SRCDIR"
objs=""
for f in "${FILES[@]}"; do
  f=${f#./}
  case $f in *.c) ;; *) die "not a .c file: $f" ;; esac
  [ -f "$SRCDIR/$f" ] || die "no such file: $SRCDIR/$f"
  objs+=" src/${f%.c}.o"
done

{
  echo "config EXT_KUNIT_TEST"
  echo "	tristate \"KUnit tests for out-of-tree project code\""
  echo "	depends on KUNIT"
  for s in ${SELECTS[@]+"${SELECTS[@]}"}; do echo "	select ${s#CONFIG_}"; done
} | put "$EXT/Kconfig"
{
  echo 'ccflags-y += -I$(srctree)/$(src)/src -I$(srctree)/$(src)/src/include'
  for i in ${INCS[@]+"${INCS[@]}"}; do echo "ccflags-y += -I\$(srctree)/\$(src)/src/${i#./}"; done
  [ "$WERROR" = 1 ] && echo 'ccflags-y += -Werror'
  echo 'obj-$(CONFIG_EXT_KUNIT_TEST) += ext_kunit.o'
  echo "ext_kunit-y :=$objs"
} | put "$EXT/Makefile"
{
  echo CONFIG_KUNIT=y
  echo CONFIG_EXT_KUNIT_TEST=y
  for c in ${EXTRA_CFG[@]+"${EXTRA_CFG[@]}"}; do echo "$c"; done
} | put "$EXT/.kunitconfig"

# ---- 4. build + run -------------------------------------------------------
# Always recompile the project's few objects: make trusts mtimes, and a tree
# copied with old mtimes (cp -a, tar, another clone) would reuse stale .o files.
rm -rf "$KSRC/.kunit-$ARCH/lib/extkunit"
JSON=$(mktemp)
trap 'rm -f "$JSON"' EXIT
args=(run --arch="$ARCH" --build_dir=".kunit-$ARCH" --jobs="$JOBS"
      --kunitconfig=lib/extkunit/.kunitconfig --timeout="$TIMEOUT" --json="$JSON")
# x86_64: an oops only kills the test kthread and 6.1 KUnit then waits for the
# whole timeout; make it panic so qemu exits at once (UML already does this).
[ "$ARCH" = x86_64 ] && args+=(--kernel_args=oops=panic --kernel_args=panic=-1)
[ -n "$FILTER" ] && args+=("$FILTER")
set +e
(cd "$KSRC" && ./tools/testing/kunit/kunit.py "${args[@]}" </dev/null 2>&1) |
  grep -v -e "^stty: 'standard input'" -e '^/usr/bin/ld: ' -e '^\s*$'
rc=${PIPESTATUS[0]}
set -e
[ -n "$JSON_OUT" ] && [ -s "$JSON" ] && cp "$JSON" "$JSON_OUT"

# ---- 5. plain summary line (for CI log scrapers) --------------------------
python3 - "$JSON" "$rc" <<'EOF'
import json, sys
path, rc = sys.argv[1], int(sys.argv[2])
p = f = s = 0
try:
    data = json.load(open(path))
except Exception:
    data = None
def walk(g):
    global p, f, s
    for t in g.get("test_cases", []):
        st = t.get("status")
        if st == "PASS": p += 1
        elif st == "SKIP": s += 1
        else: f += 1          # FAIL, TEST_CRASHED, ...
    for sub in g.get("sub_groups", []):
        walk(sub)
if data: walk(data)
if rc != 0 and f == 0:          # build error / boot crash before any result
    print(f"kunit: build or boot failed (kunit.py exit {rc})")
    f = 1
elif p + s + f == 0:
    print("kunit: no tests ran")
print(f"kunit: {p} passed, {f} failed, {s} skipped")
sys.exit(0 if rc == 0 and f == 0 and p + s > 0 else 1)
EOF
