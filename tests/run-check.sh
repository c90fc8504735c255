#!/usr/bin/env bash
# Run every test suite of `make check`, each into build/results/SUITE.log,
# and print one closing line "N passed, N failed" summed over the suites.
#
# Every suite prints its own closing line "SUITE: N passed, N failed"; a
# suite that exits non-zero or prints no such line counts as one failure.
# Suites run in sequence (2 cores: the VM and KUnit suites each want both).
# RC_SUITES="unit sim" limits the run to those suites.
set -uo pipefail
cd "$(dirname "$0")/.."
R=build/results
mkdir -p "$R"

# build first: if the top-level Makefile cannot do a fresh machine's first
# run, that is the first thing to know (tests/build/first_run.sh, ~1.5 min).
ALL_SUITES=(build unit sim kunit vm faults cluster demo)
read -r -a SUITES <<<"${RC_SUITES:-${ALL_SUITES[*]}}"

run_suite() {
	case $1 in
	build) bash tests/build/first_run.sh ;;
	unit) make --no-print-directory unit ;;
	sim) make --no-print-directory sim-check ;;
	kunit) bash tests/kunit/run.sh ;;
	vm) python3 tests/vm/run.py ;;
	# allocations made to fail: needs the guest kernel of make fault-kernel
	faults) bash tests/vm/run-faults.sh ;;
	cluster) python3 tests/vm/run_cluster.py ;;
	# `make demo` is the other command the README promises: run it too.
	demo) if python3 tests/vm/demo.py; then
		echo "demo: 1 passed, 0 failed"
	else
		echo "demo: 0 passed, 1 failed"
	fi ;;
	*) echo "$1: unknown suite"; return 2 ;;
	esac
}

passed=0 failed=0
for s in "${SUITES[@]}"; do
	echo "=== $s"
	start=$SECONDS
	run_suite "$s" 2>&1 | tee "$R/$s.log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E "^$s: [0-9]+ passed, [0-9]+ failed" "$R/$s.log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "=== $s: no summary line (exit $rc): counted as 1 failure"
		failed=$((failed + 1))
		continue
	fi
	p=$(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$line")
	f=$(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "=== $s: exit $rc with no failed test: counted as 1 failure"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f))
	echo "=== $s: $p passed, $f failed ($((SECONDS - start)) s)"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
