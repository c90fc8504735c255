# tests/: unit (GoogleTest), sim, kunit, vm, bench.
