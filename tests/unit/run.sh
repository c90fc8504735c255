#!/usr/bin/env bash
# Run the GoogleTest binary of `make unit` and the bench's Python self-test
# (tests/bench/test_bench_report.py), and close with the suite line of
# `make check`: "unit: N passed, N failed".
#
# usage: tests/unit/run.sh BINARY [gtest options...]
# The counts come from GoogleTest's JSON report, not from scraping its text.
# A binary that crashes or exits non-zero without a failed test counts as
# one failure; the exit status is 0 only when every test passed.
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: $0 BINARY [gtest options]" >&2; exit 2; }
bin=$1
shift
[ -x "$bin" ] || { echo "unit: $bin not built"; echo "unit: 0 passed, 1 failed"; exit 1; }

json=$(mktemp --suffix=.json)
trap 'rm -f "$json"' EXIT
"$bin" --gtest_output="json:$json" "$@"
rc=$?

read -r passed failed < <(python3 - "$json" <<'PY'
import json, sys
try:
    data = json.load(open(sys.argv[1]))
except Exception:
    print(0, 0)
    sys.exit(0)
p = f = 0
for suite in data.get("testsuites", []):
    for t in suite.get("testsuite", []):
        if t.get("status") != "RUN" or t.get("result") == "SKIPPED":
            continue
        if t.get("failures"):
            f += 1
        else:
            p += 1
print(p, f)
PY
)
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "unit: $bin exited with status $rc and no failed test (crash?)"
	failed=1
fi
# The bench's own arithmetic and closing line (Python, no VM), counted in.
here=$(dirname "$0")
bline=$(python3 "$here/../bench/test_bench_report.py" 2>&1 | tee /dev/stderr |
	grep -E '^bench-selftest: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
if [ -z "$bline" ]; then
	echo "unit: the bench self-test printed no summary line"
	failed=$((failed + 1))
else
	read -r bp bf < <(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/' <<<"$bline")
	passed=$((passed + bp)) failed=$((failed + bf))
fi
if [ $((passed + failed)) -eq 0 ]; then
	echo "unit: no tests ran"
	failed=1
fi
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
