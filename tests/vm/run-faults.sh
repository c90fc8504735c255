#!/usr/bin/env bash
# The fault-injection suite of `make check`: the VM groups that need allocations to fail
# (alloc_faults, and memory_pressure again) on the guest kernel of tests/vm/fault-kernel.sh.
# Debian's kernel cannot fail an allocation on request, so this suite needs that kernel; it is
# built once (~20 minutes on 2 cores) by `make fault-kernel` and kept in
# /var/cache/raidcluster/fault-kernel. Without it the suite says so and runs nothing (the VM
# suite prints SKIP for alloc_faults on Debian's kernel). With it, the module is rebuilt for
# that kernel from this tree (seconds to a minute) and the groups run.
# Ends with `faults: N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${RC_FAULT_DIR:-/var/cache/raidcluster/fault-kernel}
if [ ! -s "$OUT/kernel.stamp" ] || [ ! -d "$OUT/root/lib/modules" ]; then
	echo "faults: no fault-injection guest kernel in $OUT: nothing run (make fault-kernel builds it)"
	echo "faults: 0 passed, 0 failed"
	exit 0
fi
if ! bash tests/vm/fault-kernel.sh; then
	echo "faults: the module does not build for the fault-injection kernel"
	echo "faults: 0 passed, 1 failed"
	exit 1
fi
export $(bash tests/vm/fault-kernel.sh --print-env)
python3 tests/vm/run.py alloc_faults memory_pressure 2>&1 | sed -u 's/^vm: \([0-9]* passed, [0-9]* failed\)$/faults: \1/'
exit "${PIPESTATUS[0]}"
