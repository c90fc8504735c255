# tools/: raidclusterctl and helpers (filled in by the tools work).
