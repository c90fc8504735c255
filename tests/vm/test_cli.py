"""raidclusterctl against the real module and real SCSI disks: every bad input is refused with a
non-zero exit and ONE line naming the problem, and nothing on any disk changes; status --json
parses and agrees with sysfs; cod show decodes the COD through SG_IO with the module unloaded
(and falls back to copy B when copy A is torn); mkfs.ext4 + fsck.ext4 on a logical drive; delete
and detach."""
import json
import subprocess

from schema import checked
from vmtest import Fail, Group, disks_of, lds_of

MB = 2048  # sectors


def one_line_refusal(t, args, words=(), what=""):
    """raidclusterctl ARGS must exit non-zero with exactly one line that mentions one of words."""
    rc, out = t.ctl(*args)
    shown = "raidclusterctl " + " ".join(map(str, args))
    if rc == 0:
        raise Fail(f"{what}: `{shown}` was accepted:\n{out}")
    lines = out.strip().splitlines()
    if len(lines) != 1:
        raise Fail(f"{what}: `{shown}` refused (rc={rc}) but with {len(lines)} lines:\n{out}")
    if words and not any(w.lower() in lines[0].lower() for w in words):
        raise Fail(f"{what}: `{shown}` message does not name the problem ({' / '.join(words)}):"
                   f"\n{lines[0]}")
    return lines[0]


def d(t, i):
    return t.disks[i].serial


def test_module_not_loaded(t):
    if t.module_loaded():
        raise Fail("module loaded before the test loaded it")
    words = ("module", "/dev/raidcluster", "raidcluster.ko", "not loaded")
    for args in (["status"], ["attach", d(t, 0)], ["attach", "--all"], ["detach", d(t, 0)],
                 ["create", "x", "--level", "1", "--disk", d(t, 0), "--disk", d(t, 1)],
                 ["delete", "x"], ["run", "x"]):
        one_line_refusal(t, args, words, "module not loaded")
    rc, out = t.ctl("status", "--check")
    if rc != 4:
        raise Fail(f"status --check without the module exited {rc}, expected 4:\n{out}")
    # what needs only the disks works without the module
    out = t.ctl_ok("scan")
    for disk in t.disks:
        if disk.serial not in out or disk.naa.split(".")[1] not in out.lower():
            raise Fail(f"scan does not show {disk.serial} / {disk.naa}:\n{out}")
    cod = t.cod(d(t, 0))
    if cod.get("config"):
        raise Fail(f"blank disk has a COD? {cod}")


def test_scan_json(t):
    out = t.ctl_ok("scan", "--json")
    try:
        j = json.loads(out)
    except ValueError as e:
        raise Fail(f"scan --json is not JSON ({e}):\n{out}")
    checked("scan", j)
    text = json.dumps(j)
    for disk in t.disks:
        if disk.serial not in text or disk.naa.split(".")[1] not in text.lower():
            raise Fail(f"scan --json lacks {disk.serial} / {disk.naa}:\n{out}")


def test_bad_inputs_change_nothing(t):
    t.load()
    t.ctl_ok("attach", d(t, 0), d(t, 1), t.disks[2].naa)
    made = checked("create", json.loads(t.ctl_ok("create", "a", "--level", "1", "--disk",
                                                 f"{d(t, 0)}::64M", "--disk", f"{d(t, 1)}::64M",
                                                 "--json")))
    if made["device"] != "rcl0" or made["path"] != "/dev/rcl0" or len(made["extents"]) != 2:
        raise Fail(f"create --json: {made}")
    # disk 3 is in use by somebody else: a mounted filesystem holds it open exclusively
    # (read-only, so that ext4 itself writes nothing and the digest below stays meaningful)
    t.check(f"mkfs.ext4 -q -F {t.disks[3].dev} && mkdir -p /mnt/d3 && "
            f"mount -o ro {t.disks[3].dev} /mnt/d3", timeout=180)
    try:
        before_disks = t.disk_digest()
        before_status = t.status()
        d0, d2, d3 = d(t, 0), d(t, 2), d(t, 3)
        cases = [
            ("unknown disk", ["attach", "nosuchdisk"], ["nosuchdisk"]),
            ("unknown disk", ["attach", "naa.5000c500deadbeef"], ["naa.5000c500deadbeef"]),
            ("unknown disk", ["create", "b", "--level", "0", "--disk", "nosuchdisk", "--disk",
                              d2], ["nosuchdisk"]),
            ("unknown disk", ["cod", "show", "/dev/nosuchdisk"], ["nosuchdisk"]),
            ("disk in use", ["attach", d3], [d3, "busy", "in use", "mounted", "sd"]),
            ("disk in use", ["create", "b", "--level", "0", "--disk", f"{d0}:16M:8M", "--disk",
                             d2], ["overlap", "in use", "used"]),
            ("disk in use", ["detach", d0], ["in use", "used", "'a'", "drive"]),
            ("too few members", ["create", "b", "--level", "1", "--disk", d2],
             ["too few", "member"]),
            ("extent past the end", ["create", "b", "--level", "0", "--disk", f"{d2}:100M:1G",
                                     "--disk", f"{d0}::8M"], ["end", "past", "beyond", "large"]),
            ("extent in the metadata area", ["create", "b", "--level", "0", "--disk",
                                             f"{d2}:0:8M", "--disk", f"{d0}::8M"],
             ["metadata", "start", "reserved"]),
            ("name taken", ["create", "a", "--level", "0", "--disk", d2, "--disk", f"{d0}::8M"],
             ["'a'", "\"a\"", "taken", "exists", "in use"]),
            ("bad level", ["create", "b", "--level", "7", "--disk", d2, "--disk", f"{d0}::8M"],
             ["level"]),
            ("bad stripe", ["create", "b", "--level", "0", "--stripe", "3K", "--disk", d2,
                            "--disk", f"{d0}::8M"], ["stripe"]),
            ("bad name", ["create", "bad/name", "--level", "0", "--disk", d2, "--disk",
                          f"{d0}::8M"], ["name"]),
            ("unknown drive", ["delete", "nosuch"], ["nosuch"]),
            ("unknown drive", ["run", "nosuch"], ["nosuch"]),
        ]
        for what, args, words in cases:
            one_line_refusal(t, args, words, what)
            if t.status() != before_status:
                raise Fail(f"{what}: status changed after a refused `{' '.join(args)}`")
        after = t.disk_digest()
        changed = [s for s in before_disks if before_disks[s] != after[s]]
        if changed:
            raise Fail(f"metadata area changed on {changed} by refused commands")
    finally:
        t.sh("umount /mnt/d3")


def test_status_json(t):
    st = t.status()
    lds = {x["name"]: x for x in lds_of(st)}
    if set(lds) != {"a"}:
        raise Fail(f"drives {sorted(lds)}, expected ['a']")
    a = lds["a"]
    if int(a["level"]) != 1:
        raise Fail(f"a: level {a['level']}")
    cap = int(a.get("capacity_sectors", a.get("capacity", -1)))
    if cap != 64 * MB:
        raise Fail(f"a: capacity {cap} sectors, created with 64M extents")
    blk = t.drive_dev("a").split("/")[-1]
    size = int(t.check(f"cat /sys/block/{blk}/size"))
    if size != cap:
        raise Fail(f"/sys/block/{blk}/size {size} != status capacity {cap}")
    by_serial = {x.get("serial"): x for x in disks_of(st)}
    for disk in t.disks[:3]:
        rec = by_serial.get(disk.serial)
        if rec is None:
            raise Fail(f"{disk.serial} attached but not in status --json: {sorted(by_serial)}")
        if str(rec.get("wwn", "")).lower() != disk.naa:
            raise Fail(f"{disk.serial}: wwn {rec.get('wwn')} != {disk.naa}")
    if t.disks[3].serial in by_serial:
        raise Fail(f"{t.disks[3].serial} was never attached but is in status")


def exactly(t, args, want_rc, want):
    """raidclusterctl ARGS exits want_rc and prints exactly want (stdout and stderr)."""
    rc, out = t.ctl(*args)
    if rc != want_rc or out.strip() != want:
        raise Fail(f"`raidclusterctl {' '.join(map(str, args))}`: rc={rc} (want {want_rc}):\n"
                   f"{out.strip()}\n--- want:\n{want}")


def test_first_contact(t):
    """What a new admin types first, answered as mdadm, git and drbdadm users expect."""
    rc, out = t.ctl("help")
    if rc or not out.startswith("raidclusterctl - manage") or "policy" not in out:
        raise Fail(f"`raidclusterctl help`: rc={rc}\n{out}")
    rc, out = t.ctl("help", "status")
    if rc or "Usage: raidclusterctl status" not in out:
        raise Fail(f"`raidclusterctl help status`: rc={rc}\n{out}")
    exactly(t, ["help", "nosuch"], 2, "raidclusterctl: help: unknown command 'nosuch' (try help)")
    exactly(t, ["-v"], 2, "raidclusterctl: unknown option '-v' (try --help)")
    exactly(t, ["nosuch"], 2, "raidclusterctl: unknown command 'nosuch' (try --help)")
    for flag in ("-V", "--version"):
        rc, out = t.ctl(flag)
        if rc or not out.startswith("raidclusterctl 0.1 (ioctl ABI"):
            raise Fail(f"`raidclusterctl {flag}`: rc={rc}\n{out}")
    before, after = t.ctl_ok("status", "--json"), t.ctl_ok("--json", "status")
    if json.loads(before) != json.loads(after):
        raise Fail(f"`--json status` differs from `status --json`:\n{after}")
    exactly(t, ["attach"], 2, "raidclusterctl: attach: give DISK arguments or --all")
    exactly(t, ["attach", "--all", d(t, 3)], 2,
            "raidclusterctl: attach: give DISK arguments or --all, not both")
    exactly(t, ["create", "x", "--level", "1", "--disk", f"{d(t, 2)}:abc", "--disk", d(t, 3)], 2,
            "raidclusterctl: bad extent start 'abc': expected a number with an optional "
            f"K/M/G/T or s suffix (in disk specification '{d(t, 2)}:abc')")
    # sizes as sizes in the text, sectors (with the unit in the key) in JSON
    text = t.ctl_ok("status")
    if "d0:16M+64M d1:16M+64M" not in text:
        raise Fail(f"status: member extents not shown as sizes:\n{text}")
    ext = lds_of(json.loads(before))[0]["extents"][0]
    if (ext.get("start_sectors"), ext.get("length_sectors")) != (32768, 64 * MB):
        raise Fail(f"status --json extent: {ext}")
    cod = t.ctl_ok("cod", "show", d(t, 0))
    if "d0:16M+64M" not in cod or "policy: insert ignore" not in cod:
        raise Fail(f"cod show: extents not shown as sizes, or no policy:\n{cod}")
    proc = t.check("cat /proc/raidcluster")
    if "chunk 128 sectors members" not in proc:
        raise Fail(f"/proc/raidcluster: chunk without its unit:\n{proc}")


def test_cod_show_without_module(t):
    t.unload()
    gens = set()
    for disk in t.disks[:3]:
        j = t.cod(disk.serial)
        cfg = j.get("config")
        if not cfg:
            raise Fail(f"cod show {disk.serial}: no configuration: {j}")
        if [c.get("valid") for c in j.get("copies", [])] != [True, True]:
            raise Fail(f"cod show {disk.serial}: copies not both valid: {j['copies']}")
        gens.add(cfg.get("generation"))
        names = [x.get("name") for x in cfg.get("logical_drives", [])]
        if names != ["a"]:
            raise Fail(f"cod show {disk.serial}: drives {names}")
        wwns = {x.get("serial"): x.get("wwn") for x in cfg.get("disks", [])}
        for m in t.disks[:3]:
            if wwns.get(m.serial) != m.naa:
                raise Fail(f"cod show {disk.serial}: member {m.serial} wwn "
                           f"{wwns.get(m.serial)} != {m.naa}")
    if len(gens) != 1:
        raise Fail(f"members hold different COD generations {gens}")
    # the human form works too, by WWN and by sg node
    out = t.ctl_ok("cod", "show", t.disks[0].naa)
    if "in use: copy" not in out or " a " not in out:
        raise Fail(f"cod show (text) does not show copy in use and drive a:\n{out}")
    t.ctl_ok("cod", "show", t.disks[1].sg)
    # a disk without a COD is reported, not an error
    j = t.cod(t.disks[3].serial)
    if j.get("config"):
        raise Fail(f"{t.disks[3].serial} has no COD, cod show says {j}")
    # --udev: what 60-raidcluster.rules imports; a member is tagged for lsblk
    props = dict(ln.split("=", 1) for ln in
                 t.ctl_ok("cod", "show", "--udev", t.disks[1].dev).splitlines())
    want = {"ID_FS_TYPE": "raidcluster_member", "ID_FS_USAGE": "raid", "RAIDCLUSTER_COD": "member",
            "RAIDCLUSTER_DISK": "1", "RAIDCLUSTER_DISK_STATE": "online",
            "RAIDCLUSTER_GENERATION": str(gens.pop())}
    if any(props.get(k) != v for k, v in want.items()) or len(props.get("ID_FS_UUID", "")) != 36:
        raise Fail(f"cod show --udev of a member: {props}, expected {want} and ID_FS_UUID")
    out = t.ctl_ok("cod", "show", "--udev", t.disks[3].dev)
    if out != "RAIDCLUSTER_COD=none\n":
        raise Fail(f"cod show --udev of a blank disk: {out!r}")
    rc, out = t.ctl("cod", "show", "--udev", t.disks[3].serial)
    if rc != 1 or "not a block device" not in out and "unknown disk" not in out:
        raise Fail(f"cod show --udev by serial (not a path): rc={rc} {out!r}")


def test_torn_copy_a_falls_back_to_b(t):
    # tear copy A of disk 1 (sector 2048): the decoder must report the CRC mismatch, use copy B,
    # and attaching must bring drive a back from it
    t.check(f"dd if=/dev/urandom of={t.disks[1].dev} bs=512 seek=2050 count=4 oflag=direct "
            "conv=notrunc 2>/dev/null")
    j = t.cod(t.disks[1].serial)
    copies = {c["copy"]: c for c in j.get("copies", [])}
    if copies.get("A", {}).get("valid") or not copies.get("B", {}).get("valid"):
        raise Fail(f"torn copy A not detected / B not valid: {j.get('copies')}")
    if j.get("in_use") != "B" or not j.get("config"):
        raise Fail(f"cod show does not fall back to copy B: in_use={j.get('in_use')}")
    t.load()
    t.ctl_ok("attach", "--all")
    st = t.status()
    names = sorted(x["name"] for x in lds_of(st))
    if names != ["a"]:
        raise Fail(f"attach --all brought back {names}, expected ['a']")
    attached = sorted(x.get("serial") for x in disks_of(st))
    if attached != sorted(x.serial for x in t.disks[:3]):
        raise Fail(f"attach --all attached {attached} (disk 3 has no COD)")


def test_mkfs_fsck(t):
    # a RAID 0 over three disks, from the first free sector to the end of each disk
    t.ctl_ok("create", "fs", "--level", "0", "--stripe", "64K", "--disk", d(t, 0), "--disk",
             d(t, 1), "--disk", d(t, 2))
    dev = t.drive_dev("fs")
    t.check(f"mkfs.ext4 -q -F {dev}", timeout=300)
    t.check(f"fsck.ext4 -f -n {dev}", timeout=300)
    t.check(f"mkdir -p /mnt/fs && mount {dev} /mnt/fs && "
            "dd if=/dev/urandom of=/mnt/fs/big bs=1M count=24 2>/dev/null && "
            "for i in $(seq 0 299); do echo file $i > /mnt/fs/f$i || exit 1; done && "
            "mkdir /mnt/fs/dir && cp /mnt/fs/big /mnt/fs/dir/copy && "
            "cd /mnt/fs && md5sum big dir/copy f1 f299 > /tmp/sums && cd / && umount /mnt/fs",
            timeout=300)
    out = t.check(f"fsck.ext4 -f -n {dev}", timeout=300)
    # the filesystem survives a module reload
    t.unload()
    t.load()
    t.ctl_ok("attach", "--all")
    dev = t.drive_dev("fs")
    t.check(f"fsck.ext4 -f -n {dev}", timeout=300)
    t.check(f"mount {dev} /mnt/fs && cd /mnt/fs && md5sum -c /tmp/sums && "
            "ls /mnt/fs | grep -c '^f[0-9]' | grep -qx 300 && cd / && umount /mnt/fs",
            timeout=300)


def test_signatures(t):
    """attach refuses a new disk that carries another program's signature (an md member, an
    ext4 filesystem: libblkid) and changes nothing, even for the blank disk named before it;
    --force erases the signatures (as wipefs -a does) and attaches; a multi-disk attach that
    fails part-way says what it did."""
    t.load()
    d0, d1, d2, d3 = t.disks[:4]
    # d3 is blank again (an earlier test made a filesystem on it)
    t.check(f"dd if=/dev/zero of={d3.dev} bs=1M count=16 oflag=direct 2>/dev/null")
    t.check(f"mdadm --create /dev/md9 --run --level=1 --raid-devices=2 --metadata=1.2 "
            f"{d0.dev} {d1.dev} && mdadm --stop /dev/md9", timeout=120)
    t.check(f"mkfs.ext4 -q -F {d2.dev}", timeout=180)
    before = t.disk_digest()
    one_line_refusal(t, ["attach", d0.serial], ["linux_raid_member"], "an md member")
    one_line_refusal(t, ["attach", d3.serial, d2.serial], ["ext4 filesystem"],
                     "an ext4 disk after a blank one")
    one_line_refusal(t, ["attach", "--all", "--force"], ["--force"], "--force with --all")
    if disks_of(t.status()):
        raise Fail(f"a refused attach attached disks: {disks_of(t.status())}")
    if t.disk_digest() != before:
        raise Fail("a refused attach changed a disk")
    out = t.ctl_ok("attach", "--force", d2.serial, d0.serial)
    for want in ("erased an ext4 filesystem", "erased a linux_raid_member (raid)",
                 f"({d2.serial}) as member disk 0", f"({d0.serial}) as member disk 1"):
        if want not in out:
            raise Fail(f"attach --force does not say {want!r}:\n{out}")
    for disk in (d2, d0):          # nothing blkid recognises is left on the images
        r = subprocess.run(["blkid", "-p", disk.path], capture_output=True, text=True)
        if r.returncode != 2:
            raise Fail(f"{disk.serial} still carries a signature after --force: {r.stdout}")
    # part-way: d3 (blank) is attached, then erasing d1's md superblock fails at the disk
    t.vm.disk_errors(d1.serial, iotypes=("write",))
    try:
        rc, out = t.ctl("attach", "--force", d3.serial, d1.serial)
    finally:
        t.vm.disk_errors(d1.serial, on=False)
    last = out.strip().splitlines()[-1] if out.strip() else ""
    if rc != 1 or "Input/output error" not in last or \
            f"(done before it: {d3.serial}; not tried: none)" not in last:
        raise Fail(f"a write error on the second disk: rc={rc}, it does not say what it did:\n"
                   f"{out}")
    if [x["serial"] for x in disks_of(t.status())].count(d3.serial) != 1:
        raise Fail(f"{last}\nbut {d3.serial} is not attached: {disks_of(t.status())}")
    t.ctl_ok("detach", d0.serial, d2.serial, d3.serial)
    t.unload()


def test_delete_and_detach(t):
    dev = t.drive_dev("a")
    t.check(f"sleep 600 < {dev} > /dev/null 2>&1 & echo $! > /tmp/holder")
    try:
        one_line_refusal(t, ["delete", "--yes", "a"], ["open", "busy", "in use"], "drive open")
    finally:
        t.sh("kill $(cat /tmp/holder); sleep 0.5")
    # no terminal to ask on: refused without --yes, and the drive stays
    one_line_refusal(t, ["delete", "a"], ["--yes"], "delete without --yes")
    if "a" not in [x.get("name") for x in lds_of(t.status())]:
        raise Fail("delete without --yes deleted the drive")
    t.ctl_ok("delete", "--yes", "a")
    # the other drive is untouched by the deletion and still addressable by name
    left = [x.get("name") for x in lds_of(t.status())]
    if left != ["fs"]:
        raise Fail(f"after deleting a, status lists {left}, expected ['fs']; /dev: "
                   + t.sh("ls /dev/rcl*")[1].strip())
    t.ctl_ok("delete", "--yes", "fs")
    if lds_of(t.status()):
        raise Fail(f"drives left after delete: {lds_of(t.status())}")
    rc, out = t.sh("ls /dev/rcl* 2>/dev/null")
    if out.strip():
        raise Fail(f"device nodes left after delete: {out}")
    cfg = t.cod(d(t, 0)).get("config") or {}
    if cfg.get("logical_drives"):
        raise Fail(f"COD still lists drives after delete: {cfg['logical_drives']}")
    t.ctl_ok("detach", d(t, 0), d(t, 1), d(t, 2))
    if disks_of(t.status()):
        raise Fail(f"disks left after detach: {disks_of(t.status())}")
    t.unload()


GROUPS = [Group("cli", [test_module_not_loaded, test_scan_json, test_bad_inputs_change_nothing,
                        test_status_json, test_first_contact, test_cod_show_without_module,
                        test_torn_copy_a_falls_back_to_b, test_mkfs_fsck, test_delete_and_detach,
                        test_signatures],
                disks=4, size_mb=256)]
