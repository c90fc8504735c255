"""The kernel validates /dev/raidcluster requests by itself, not only raidclusterctl: the static
guest program rc-ioctl-abuse (guest/ioctl_abuse.c) sends malformed requests straight through
ioctl(2) — wrong version or size, reserved fields set, unterminated strings, bad levels and
stripes, extent counts and disk indexes out of range, extents that wrap 2^64, NULL and unmapped
argument pointers — each must fail with the right errno and change nothing; then seeded random
requests must not crash the kernel and leave the module working and unloadable."""
import json

from vmtest import Fail, Group, lds_of


def snapshot(t):
    return json.dumps(t.status(), sort_keys=True), t.disk_digest()


def test_malformed_requests_refused(t):
    t.load()
    t.ctl_ok("attach", t.disks[0].serial, t.disks[1].serial)
    t.wait_nexus()
    before = snapshot(t)
    rc, out = t.sh(f"rc-ioctl-abuse cases {t.disks[2].dev}")
    bad = [l for l in out.splitlines() if not l.startswith("ok ")]
    if rc or bad:
        raise Fail(f"rc-ioctl-abuse cases rc={rc}:\n" + "\n".join(bad or out.splitlines()))
    after = snapshot(t)
    if after != before:
        raise Fail("refused requests changed the configuration or the metadata on disk:\n"
                   f"before {before}\nafter  {after}")


def test_random_requests(t):
    t.ctl_ok("attach", t.disks[2].serial)          # three members for the requests to use
    for seed in (1, 2, 3):
        out = t.check(f"rc-ioctl-abuse fuzz 4000 {seed} "
                      + " ".join(f"$(readlink -f {d.dev})" for d in t.disks), timeout=600)
        if not out.startswith("fuzz:"):
            raise Fail(out)
    # still a working module: whatever the random requests created goes, a drive can be made
    # and used, then everything goes away
    for ld in lds_of(t.status()):
        t.ctl_ok("delete", "--yes", str(ld["number"]))
    for d in t.disks:                                   # random detaches may have hit some
        t.sh(f"raidclusterctl attach {d.serial}")
    t.ctl_ok("create", "after", "--level", "1", "--size", "16M", "--disk", t.disks[0].serial,
             "--disk", t.disks[1].serial)
    t.fio_ok(t.drive_dev("after"), [dict(name="w", rw="write", bs="64k", size="8M")])
    t.ctl_ok("delete", "--yes", "after")
    t.unload()


GROUPS = [Group("ioctl", [test_malformed_requests_refused, test_random_requests], disks=3,
                size_mb=64)]
