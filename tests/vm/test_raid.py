"""Each RAID level of levels.py over real (emulated) SCSI disks: create with raidclusterctl, write
with fio crc32c verification, unload refused while open, rmmod + insmod + attach brings the drive
back with the same data, and a member pulled through QMP: a redundant level still serves the
right data (and accepts writes), RAID 0 goes offline with clean I/O errors.

Members are disks 1..n of the group (disk 0 stays out of the drive), so a tool that picked disks
by sdX order instead of by serial/WWN would be caught."""
import time

from levels import LEVELS
from vmtest import Fail, Group, parity_mismatch

DISK_MB = 256
DATA_START = 32768                 # sectors: RC_DATA_START_SECTOR (include/raidcluster/layout.h)
STRIPE = 64 * 1024
# fio jobs over distinct regions of the drive: large sequential writes that span stripes, 4 KiB
# random writes, and 12 KiB random writes that straddle stripe boundaries.
JOBS = [dict(name="seq1m", rw="write", bs="1M", offset="0", size="24M"),
        dict(name="rand4k", rw="randwrite", bs="4k", offset="24M", size="8M"),
        dict(name="rand12k", rw="randwrite", bs="12k", offset="32M", size="12M")]
# four jobs at once, each writing every fourth 4 KiB block of the same 4 MiB: concurrent small
# writes into the same stripes (RAID 5 read-modify-write races if rows were not serialised;
# test_parity and the degraded reads after a pull would see the damage)
JOBS += [dict(name=f"inter{i}", rw="write:12k", bs="4k", offset=f"{44 * 1024 + 4 * i}k",
              size=f"{4 * 1024 - 16}k") for i in range(4)]
WRITTEN_MB = 48
# RAID 5 only: several writers at once into shared rows (a row of the 64 KiB-stripe, 3-member
# drive holds 128 KiB of data). Per block size, four jobs tile one region round-robin (job i
# writes blocks i, i+4, ...: rw=write:<3 blocks> skips the other jobs' blocks, io_size stops it
# at the region's end), so neighbouring blocks of a row come from different jobs, with several
# requests of each job in flight: partial rows (RMW and reconstruct-write) and whole rows (zero
# copy) of concurrent requests overlap in rows but never in bytes, so every job can verify what
# it wrote. 1036 KiB blocks are split into a 1 MiB request and a 12 KiB one.
# Everything lies in the first 128 MiB (test_parity's range).
CONC_BS = [4, 44, 100, 260, 1036]           # KiB


def conc_jobs():
    jobs, base = [], 80 * 1024               # KiB: from 80 MiB, after every other region
    for bs in CONC_BS:
        blocks = max(4, 4096 // (4 * bs))    # per job; at least four, about 4 MiB a size
        jobs += [dict(name=f"conc{bs}k_{i}", rw=f"write:{3 * bs}k", bs=f"{bs}k",
                      offset=f"{base + i * bs}k", size=f"{4 * blocks * bs - i * bs}k",
                      io_size=f"{blocks * bs}k", ioengine="libaio", iodepth=4)
                 for i in range(4)]
        base += 4 * blocks * bs
    # and one buffered writer: page cache writeback reaches the drive as whole rows whose
    # parity comes from the cached pages (zero copy), while fio keeps rewriting those pages;
    # stable_writes must hold them until written, or test_parity sees the mismatch
    jobs.append(dict(name="concbuf", rw="randwrite", bs="4k", offset=f"{base}k", size="4M",
                     direct=0, end_fsync=1))
    return jobs


JOBS_CONC = conc_jobs()
# written just before a power loss, in a region nothing else used
JOBS_CRASH = [dict(name="crash16k", rw="randwrite", bs="16k", offset="60M", size="8M")]
# written while degraded (after the pull), in a region nothing else used
JOBS_DEGRADED = [dict(name="deg64k", rw="randwrite", bs="64k", offset="48M", size="8M")]
# the rebuild target's data area holds this byte before the rebuild
FILL = "0xa5"
# RAID 5 only: 4 KiB rewritten across a chunk boundary (test_straddle_touches_needed_parity),
# in a region nothing else used: 76 MiB + one chunk - 2 KiB
STRADDLE_OFFSET = 76 * 1024 * 1024 + STRIPE - 2048
# written while a rebuild onto a fresh disk runs, in a region nothing else used
JOBS_REBUILD = [dict(name="reb4k", rw="randwrite", bs="4k", offset="56M", size="4M"),
                dict(name="reb1m", rw="write", bs="1M", offset="68M", size="8M")]


def members(t, lv):
    return t.disks[1:1 + lv.members]


def setup_drive(t, lv):
    """Attach the members (first by WWN, the others by serial) and create the drive."""
    t.load()
    ms = members(t, lv)
    t.ctl_ok("attach", ms[0].naa, *[d.serial for d in ms[1:]])
    args = ["create", lv.name, "--level", lv.level, "--stripe", "64K"]
    for d in ms:
        args += ["--disk", d.serial]
    t.ctl_ok(*args)
    t.state["name"] = lv.name


def digest(t, dev, mb):
    return t.check(f"dd if={dev} bs=1M count={mb} iflag=direct 2>/dev/null | md5sum").split()[0]


def state_of(obj):
    return str(obj.get("state", "")).lower()


def make_tests(lv):
    def test_create(t):
        setup_drive(t, lv)
        ld = t.drive(lv.name)
        if ld is None:
            raise Fail(f"{lv.name} not in status --json:\n{t.ctl('status', '--json')[1]}")
        if int(ld.get("level", -1)) != lv.level:
            raise Fail(f"level {ld.get('level')} != {lv.level}: {ld}")
        if state_of(ld) != "optimal":
            raise Fail(f"new drive not optimal: {ld}")
        dev = t.drive_dev(lv.name)
        t.state["dev"] = dev
        blk = dev.split("/")[-1]
        size = int(t.check(f"cat /sys/block/{blk}/size"))
        # capacity: data_members x the data area of one member, rounded down to whole stripes
        per_member = DISK_MB * 2048 - DATA_START
        most = lv.data_members(lv.members) * per_member
        if not most - lv.members * 2048 <= size <= most:
            raise Fail(f"{dev}: {size} sectors, expected about {most} (<= {most})")
        lbs = int(t.check(f"cat /sys/block/{blk}/queue/logical_block_size"))
        if lbs != 512:
            raise Fail(f"{dev}: logical_block_size {lbs}, members have 512")
        if lv.level == 0:
            io_min = int(t.check(f"cat /sys/block/{blk}/queue/minimum_io_size"))
            io_opt = int(t.check(f"cat /sys/block/{blk}/queue/optimal_io_size"))
            if (io_min, io_opt) != (STRIPE, STRIPE * lv.members):
                raise Fail(f"{dev}: io_min/io_opt {io_min}/{io_opt}, expected "
                           f"{STRIPE}/{STRIPE * lv.members}")
        # the configuration is on disk: every member's COD names the drive
        for d in members(t, lv):
            cfg = t.cod(d.serial).get("config") or {}
            if lv.name not in [x.get("name") for x in cfg.get("logical_drives", [])]:
                raise Fail(f"cod show {d.serial} --json does not list {lv.name}:\n{cfg}")

    def test_write_verify(t):
        dev = t.state["dev"]
        t.fio_ok(dev, JOBS)
        t.fio_ok(dev, JOBS, verify_only=True)
        t.state["md5"] = digest(t, dev, WRITTEN_MB)

    def check_parity(t, disks, sectors=None):
        # on the raw member images, every row's parity is the XOR of its data: the members of a
        # row XOR to zero at every offset (every member's extent starts at DATA_START); over
        # the first 64 MiB, or the first `sectors` sectors of the extents
        blk = t.state["dev"].split("/")[-1]
        per_member = int(t.check(f"cat /sys/block/{blk}/size")) // lv.data_members(lv.members)
        end = sectors * 512 if sectors else min(per_member * 512, 64 * 1024 * 1024)
        t.check("sync")
        bad = parity_mismatch(disks, DATA_START * 512, end)
        if bad is not None:
            raise Fail(f"parity wrong at member sector {DATA_START + bad}")

    def test_parity(t):
        # RAID 5 only (not in the list otherwise)
        check_parity(t, members(t, lv))

    def member_sectors(t):
        # sectors read and written by the member disks so far (/sys/block/sdX/stat)
        rd = wr = 0
        for d in members(t, lv):
            blk = t.check(f"readlink -f {d.dev}").strip().split("/")[-1]
            f = t.check(f"cat /sys/block/{blk}/stat").split()
            rd += int(f[2])
            wr += int(f[6])
        return rd, wr

    def test_straddle_touches_needed_parity(t):
        # RAID 5 only: a 4 KiB write across a chunk boundary (2 KiB each side) reads and writes
        # the old data and parity of those two 2 KiB pieces (RMW: 16 sectors each way), not a
        # whole chunk of parity (136 sectors each way). 200 such writes, with the drive held
        # open for writing meanwhile (fio reopens it every loop, and a first open for writing
        # takes the drive: it reads the 31 other nodes' bitmap slices); the metadata I/O
        # beside them (that one take, bitmap marks, the protocol host's polls) is a small part
        # of the margin.
        dev = t.state["dev"]
        n = 200
        rd0, wr0 = member_sectors(t)
        t.check(f"{{ fio --name=straddle --filename={dev} --ioengine=psync --direct=1 "
                f"--rw=write --bs=4k --size=4k --offset={STRADDLE_OFFSET} --loops={n} "
                f"--output=/dev/null; }} 3<>{dev}", timeout=300)
        rd1, wr1 = member_sectors(t)
        per_rd, per_wr = (rd1 - rd0) / n, (wr1 - wr0) / n
        if per_rd > 40 or per_wr > 40:
            raise Fail(f"a 4k write across a chunk boundary cost {per_rd:.0f} sectors read and "
                       f"{per_wr:.0f} written on the members; 16 each are needed")

    def test_concurrent_rows(t):
        # RAID 5 only: concurrent writers sharing rows (JOBS_CONC) read back, then parity holds
        # on the raw images (test_parity, next), and after the pull (test_pull) the rows rebuilt
        # from parity read back too
        # once with raid5_zero_copy on (whole rows straight from the request's pages), then
        # with the default (copied)
        dev = t.state["dev"]
        zc = "/sys/module/raidcluster/parameters/raid5_zero_copy"
        for on in (1, 0):
            t.check(f"echo {on} > {zc}")
            t.fio_ok(dev, JOBS_CONC)
            t.fio_ok(dev, JOBS_CONC, verify_only=True)

    def wait_rebuilt(t, timeout=600):
        end = time.time() + timeout
        while time.time() < end:
            ld = t.drive(lv.name)
            if ld and state_of(ld) == "optimal":
                return ld
            time.sleep(2)
        raise Fail(f"{lv.name} not optimal {timeout}s after the rebuild started: {ld}")

    def check_rebuilt_extent(t, new, sectors):
        # the whole rebuilt extent on the raw images, not only what fio wrote: RAID 1/10 equal
        # to the copy it was rebuilt from, RAID 5 parity right in every row. The target was
        # filled with FILL first, so a window the engine skipped (say, a resume past a window
        # still in flight at the unload) cannot match.
        if lv.level == 5:
            check_parity(t, members(t, lv)[:-1] + [new], sectors)
            return
        # the pulled member is the last: RAID 1 any survivor, RAID 10 its pair's other disk
        src = members(t, lv)[-2]
        t.check("sync")
        step = 4 * 1024 * 1024
        with open(src.path, "rb") as a, open(new.path, "rb") as b:
            a.seek(DATA_START * 512)
            b.seek(DATA_START * 512)
            for pos in range(0, sectors * 512, step):
                n = min(step, sectors * 512 - pos)
                x, y = a.read(n), b.read(n)
                if x != y:
                    bad = next(i for i in range(n) if x[i] != y[i])
                    raise Fail(f"rebuilt member differs from {src.serial} at member sector "
                               f"{DATA_START + (pos + bad) // 512}")

    def test_rebuild(t):
        # the pulled member is rebuilt onto disk 0 (filled with a pattern first) while fio
        # writes; the position is checkpointed in the COD and a reload resumes from it. The
        # first run is limited to 8 MB/s: the engine then issues 4 windows (rows) at once
        # every half second, so the unload usually catches several in flight.
        dev = t.drive_dev(lv.name)
        t.state["dev"] = dev
        new = t.disks[0]
        t.check(f"fio --name=fill --filename={new.dev} --ioengine=psync --direct=1 --rw=write "
                f"--bs=1M --offset={DATA_START * 512} --buffer_pattern={FILL}")
        t.ctl_ok("attach", new.serial)
        t.check("echo 8000 > /sys/module/raidcluster/parameters/rebuild_speed_max")
        out = t.ctl_ok("rebuild", lv.name, "--disk", new.serial)
        if "rebuilding member" not in out:
            raise Fail(f"rebuild printed: {out}")
        rc, out = t.ctl("rebuild", lv.name, "--disk", new.serial)
        if rc == 0 or len(out.strip().splitlines()) != 1:
            raise Fail(f"a second rebuild while one runs: rc={rc}:\n{out}")
        time.sleep(3)
        ld = t.drive(lv.name)
        if not int(ld.get("rebuild_total_sectors", 0)) or "rebuild" not in t.ctl_ok("status"):
            raise Fail(f"no rebuild progress in status: {ld}")
        sysfs = t.check(f"cat /sys/block/{dev.split('/')[-1]}/raidcluster/rebuild").split()
        if len(sysfs) != 3 or int(sysfs[1]) != int(ld["rebuild_total_sectors"]):
            raise Fail(f"sysfs rebuild {sysfs}, status {ld}")
        total = int(ld["rebuild_total_sectors"])
        time.sleep(2)        # at least one checkpoint (1 s period) of a position > 0
        t.unload()
        pos = [int(e.get("rebuild_pos_sectors", 0)) for e in
               ((t.cod(new.serial).get("config") or {}).get("logical_drives") or [{}])[0]
               .get("extents", [])]
        if not max(pos, default=0):
            raise Fail(f"no rebuild position in the COD after unload: {pos}")
        t.load()
        t.check("echo 2000 > /sys/module/raidcluster/parameters/rebuild_speed_max")
        t.ctl_ok("attach", new.serial, *[d.serial for d in members(t, lv)[:-1]])
        ld = t.drive(lv.name)
        if ld is None or int(ld.get("rebuild_done_sectors", 0)) < max(pos):
            raise Fail(f"rebuild not resumed from the COD position {max(pos)}: {ld}")
        t.state["dev"] = dev = t.drive_dev(lv.name)
        # foreground writes while it runs (speed limited: it is still running)
        t.fio_ok(dev, JOBS_REBUILD)
        t.check("echo 200000 > /sys/module/raidcluster/parameters/rebuild_speed_max")
        wait_rebuilt(t)
        t.fio_ok(dev, JOBS_REBUILD, verify_only=True)
        if digest(t, dev, WRITTEN_MB) != t.state["md5"]:
            raise Fail(f"{dev}: data differs after the rebuild")
        check_rebuilt_extent(t, new, total)

    def test_rebuilt_member_serves(t):
        # pull a survivor (RAID 10: the rebuilt member's partner): every read that needs the
        # rebuilt member now gets it, and must be right
        dev = t.state["dev"]
        new = t.disks[0]
        if lv.level == 5:
            check_parity(t, members(t, lv)[:-1] + [new])
        t.vm.unplug(members(t, lv)[-2].serial)
        t.fio_ok(dev, JOBS, verify_only=True)
        t.fio_ok(dev, JOBS_DEGRADED, verify_only=True)
        t.fio_ok(dev, JOBS_REBUILD, verify_only=True)
        if digest(t, dev, WRITTEN_MB) != t.state["md5"]:
            raise Fail(f"{dev}: wrong data served by the rebuilt member")

    def test_unload_refused_while_open(t):
        dev = t.state["dev"]
        # the child opens the drive after the fork: wait until it holds it, or rmmod may win
        held = t.check(f"sleep 600 < {dev} > /dev/null 2>&1 & echo $! > /tmp/holder; "
                       "for i in $(seq 100); do readlink /proc/$(cat /tmp/holder)/fd/0 | "
                       f"grep -q {dev} && break; sleep 0.1; done; "
                       "readlink /proc/$(cat /tmp/holder)/fd/0")
        if dev not in held:
            raise Fail(f"the holder did not open {dev}: {held}")
        try:
            rc, out = t.sh("rmmod raidcluster")
            if rc == 0:
                raise Fail(f"rmmod succeeded while {dev} was open")
            if not t.module_loaded():
                raise Fail("module gone after a refused rmmod")
            if digest(t, dev, WRITTEN_MB) != t.state["md5"]:
                raise Fail(f"{dev} data changed after a refused rmmod")
        finally:
            t.sh("kill $(cat /tmp/holder); sleep 0.5")

    def test_reload(t):
        dev = t.state["dev"]
        t.unload()
        t.load()
        # by serial, in reverse order: the drive must come back whatever the attach order
        t.ctl_ok("attach", *[d.serial for d in reversed(members(t, lv))])
        ld = t.drive(lv.name)
        if ld is None:
            raise Fail(f"{lv.name} not re-created from the COD after reload:\n"
                       + t.ctl("status")[1])
        if state_of(ld) != "optimal":
            raise Fail(f"{lv.name} not optimal after reload: {ld}")
        t.state["dev"] = dev = t.drive_dev(lv.name)
        t.fio_ok(dev, JOBS, verify_only=True)
        if digest(t, dev, WRITTEN_MB) != t.state["md5"]:
            raise Fail(f"{dev}: data differs after rmmod + insmod + attach")

    def test_power_loss(t):
        # what was written (O_DIRECT, completed) before qemu is SIGKILLed is on the disks, and
        # a new boot finds the drive from the COD alone
        t.fio_ok(t.state["dev"], JOBS_CRASH)
        t.new_vm(crash=True)
        t.load()
        t.ctl_ok("attach", "--all")
        ld = t.drive(lv.name)
        if ld is None or state_of(ld) != "optimal":
            raise Fail(f"{lv.name} after power loss and attach --all: {ld}\n"
                       + t.ctl("status")[1])
        t.state["dev"] = dev = t.drive_dev(lv.name)
        # verify each job list as it was written: fio seeds a job's random offsets by its
        # position in the command, so a job must keep its position for --verify_only
        t.fio_ok(dev, JOBS, verify_only=True)
        t.fio_ok(dev, JOBS_CRASH, verify_only=True)
        if digest(t, dev, WRITTEN_MB) != t.state["md5"]:
            raise Fail(f"{dev}: data differs after power loss")

    def test_pull(t):
        dev = t.state["dev"]
        pulled = members(t, lv)[-1]
        t.vm.unplug(pulled.serial)
        if lv.survives_pull:
            # reads must come from the surviving member(s), bit for bit
            t.fio_ok(dev, JOBS, verify_only=True)
            if lv.level == 5:
                t.fio_ok(dev, JOBS_CONC, verify_only=True)
            if digest(t, dev, WRITTEN_MB) != t.state["md5"]:
                raise Fail(f"{dev}: wrong data with {pulled.serial} pulled")
            # writes while degraded go to the survivors and read back
            t.fio_ok(dev, JOBS_DEGRADED)
            t.fio_ok(dev, JOBS_DEGRADED, verify_only=True)
            ld = t.drive(lv.name)
            if "degraded" not in state_of(ld):
                raise Fail(f"{lv.name} not degraded with a member pulled: {ld}")
        else:
            # 1 MiB from offset 0 spans both members: the read must fail, promptly, with EIO
            rc, out = t.sh(f"dd if={dev} of=/dev/null bs=64k count=16 iflag=direct", timeout=90)
            if rc == 0 or "Input/output error" not in out:
                raise Fail(f"read across the pulled member: rc={rc}, expected EIO:\n{out}")
            rc, out = t.sh(f"dd if=/dev/zero of={dev} bs=64k count=16 oflag=direct", timeout=90)
            if rc == 0 or "Input/output error" not in out:
                raise Fail(f"write across the pulled member: rc={rc}, expected EIO:\n{out}")
            ld = t.drive(lv.name)
            if "offline" not in state_of(ld):
                raise Fail(f"{lv.name} not offline with a member pulled: {ld}")
            # offline means offline: not even the chunks of the surviving member are served
            rc, out = t.sh(f"dd if={dev} of=/dev/null bs=4k count=1 iflag=direct", timeout=90)
            if rc == 0:
                raise Fail(f"offline {dev} still serves reads:\n{out}")
        # the failure is recorded on disk: the survivors' COD shows the pulled member failed
        for d in members(t, lv)[:-1]:
            cfg = t.cod(d.serial).get("config") or {}
            rec = [x for x in cfg.get("disks", []) if x.get("serial") == pulled.serial]
            if not rec or rec[0].get("state") != "failed":
                raise Fail(f"cod show {d.serial} does not record {pulled.serial} as failed: "
                           f"{rec or cfg}")

    def test_reload_after_pull(t):
        dev = t.state["dev"]
        t.unload()
        t.load()
        survivors = members(t, lv)[:-1]
        t.ctl_ok("attach", *[d.serial for d in survivors])
        ld = t.drive(lv.name)
        if lv.survives_pull:
            if ld is None or "degraded" not in state_of(ld):
                # members missing: the admin starts it explicitly (RC_IOC_RUN)
                t.ctl_ok("run", lv.name)
                ld = t.drive(lv.name)
            if ld is None or "degraded" not in state_of(ld):
                raise Fail(f"{lv.name} not back degraded after reload: {ld}")
            dev = t.drive_dev(lv.name)
            t.fio_ok(dev, JOBS, verify_only=True)
            t.fio_ok(dev, JOBS_DEGRADED, verify_only=True)
            if digest(t, dev, WRITTEN_MB) != t.state["md5"]:
                raise Fail(f"{dev}: data differs after reload with a member missing")
        else:
            rc, out = t.ctl("run", lv.name)
            if rc == 0:
                raise Fail(f"run {lv.name} succeeded with a RAID 0 member missing:\n{out}")
            if len(out.strip().splitlines()) != 1:
                raise Fail(f"run refused, but not with one line:\n{out}")
            rc, out = t.sh(f"dd if={dev} of=/dev/null bs=4k count=1 iflag=direct", timeout=90)
            if rc == 0:
                raise Fail(f"{dev} serves reads with a RAID 0 member missing")

    tests = [test_create, test_write_verify, test_unload_refused_while_open, test_reload,
             test_power_loss, test_pull, test_reload_after_pull]
    if lv.level == 5:
        tests[2:2] = [test_concurrent_rows, test_straddle_touches_needed_parity, test_parity]
    if lv.survives_pull:
        tests += [test_rebuild, test_rebuilt_member_serves]
    return tests


def make_bad_sector_test(lv):
    def test_bad_sector(t):
        # one unreadable sector (a media error) on the first member, in the first chunk, which
        # holds data for every redundant level (RAID 5: row 0's D0; RAID 10: pair 0, and its
        # reads of that region start on member 0): reads must still return the right data
        # (RAID 5 rebuilds it from the row), the member is failed, the drive degraded
        setup_drive(t, lv)
        dev = t.drive_dev(lv.name)
        t.check(f"dd if=/dev/urandom of=/tmp/pat bs=1M count=8 2>/dev/null && "
                f"dd if=/tmp/pat of={dev} bs=1M oflag=direct 2>/dev/null")
        victim = members(t, lv)[0]
        t.vm.disk_errors(victim.serial, sector=DATA_START + 7, iotypes=("read",))
        try:
            for _ in range(2):
                t.check(f"dd if={dev} bs=64k count=128 iflag=direct 2>/dev/null | cmp - /tmp/pat")
        finally:
            t.vm.disk_errors(victim.serial, on=False)
        ld = t.drive(lv.name)
        if "degraded" not in state_of(ld):
            raise Fail(f"{lv.name} after a media error on {victim.serial}: {ld}")
        # and degraded writes over the failed member's chunks read back
        t.check(f"dd if=/dev/urandom of=/tmp/pat2 bs=12k count=100 2>/dev/null && "
                f"dd if=/tmp/pat2 of={dev} bs=12k seek=3 oflag=direct 2>/dev/null && "
                f"dd if={dev} bs=12k skip=3 count=100 iflag=direct 2>/dev/null | cmp - /tmp/pat2")
    return [test_bad_sector]


WIB_SECTOR = 16384                 # RC_WIB_OF(0): node 0's bitmap; drive 0 uses its first slice


def wib_bits(disk):
    """The first 16 bytes of node 0 / drive 0's write-intent bitmap slice on a raw image."""
    with open(disk.path, "rb") as f:
        f.seek(WIB_SECTOR * 512)
        return f.read(16)


def make_write_intent_tests(lv):
    def copies_equal(t, a, b, mb=4):
        with open(a.path, "rb") as fa, open(b.path, "rb") as fb:
            fa.seek(DATA_START * 512)
            fb.seek(DATA_START * 512)
            return fa.read(mb << 20) == fb.read(mb << 20)

    def consistent(t):
        """Row 0's region: parity (RAID 5) or the two copies (RAID 1, RAID 10 pair 0) agree."""
        ms = members(t, lv)
        if lv.level == 5:
            acc = 0
            for d in ms:
                with open(d.path, "rb") as f:
                    f.seek(DATA_START * 512)
                    acc ^= int.from_bytes(f.read(4 << 20), "little")
            return acc == 0
        return copies_equal(t, ms[0], ms[1])

    def test_bits_follow_writes(t):
        setup_drive(t, lv)
        dev = t.state["dev"] = t.drive_dev(lv.name)
        t.check(f"dd if=/dev/urandom of=/tmp/pat bs=1M count=4 2>/dev/null && "
                f"dd if=/tmp/pat of={dev} bs=1M oflag=direct 2>/dev/null")
        # region 0 again, alone: the 4 MiB above may take longer under TCG than the two idle
        # scans (6 s) after which region 0's bit is cleared, on one member before the other
        t.check(f"dd if=/tmp/pat of={dev} bs=4k count=1 oflag=direct 2>/dev/null")
        ms = members(t, lv)
        if any(wib_bits(d)[0] & 1 == 0 for d in ms):
            raise Fail(f"region 0 not dirty on every member right after a write: "
                       f"{[wib_bits(d).hex() for d in ms]}")
        time.sleep(12)      # idle: the bit is cleared lazily (two 3 s scans)
        if any(any(wib_bits(d)) for d in ms):
            raise Fail(f"bitmap not clean 12 s after the last write: "
                       f"{[wib_bits(d).hex() for d in ms]}")

    def test_dirty_region_resynced(t):
        # as after a crash between member writes: region 0 marked dirty on disk, its parity /
        # second copy stale; the next start must make it consistent again
        dev = t.state["dev"]
        t.unload()
        ms = members(t, lv)
        stale = ms[-1] if lv.level == 5 else ms[1]     # RAID 5 row 0's parity member
        t.check(f"dd if=/dev/urandom of={stale.dev} bs=64k count=1 seek={DATA_START // 128} "
                "oflag=direct 2>/dev/null")
        t.check("printf '\\001' > /tmp/bit && dd if=/dev/zero bs=511 count=1 >> /tmp/bit "
                "2>/dev/null")
        for d in ms:
            t.check(f"dd if=/tmp/bit of={d.dev} bs=512 seek={WIB_SECTOR} count=1 oflag=direct "
                    "2>/dev/null")
        if consistent(t):
            raise Fail("the planted inconsistency is not on the images")
        t.load()
        t.ctl_ok("attach", *[d.serial for d in ms])
        # the node that takes the drive (here its first open, a lone master's) resyncs
        dev = t.state["dev"] = t.drive_dev(lv.name)
        t.check(f"dd if={dev} of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null")
        if not consistent(t):
            raise Fail("region 0 still inconsistent after the take resynced the dirty bitmap")
        if "resynced 1 dirty region" not in t.check("dmesg"):
            raise Fail("no resync message in the kernel log")
        if any(any(wib_bits(d)) for d in ms):
            raise Fail("bitmap still dirty after the resync")
        dev = t.state["dev"] = t.drive_dev(lv.name)
        t.check(f"dd if={dev} bs=1M count=4 iflag=direct 2>/dev/null | cmp - /tmp/pat")

    def test_crash_during_writes(t):
        # qemu killed while fio writes: the bitmap on the images is dirty, the next start
        # resyncs it, everything is consistent and what fio completed reads back
        dev = t.state["dev"]
        t.check(f"fio --name=w --filename={dev} --ioengine=psync --direct=1 --rw=randwrite "
                "--bs=16k --size=4M --time_based --runtime=60 > /dev/null 2>&1 & sleep 4")
        t.new_vm(crash=True)
        ms = members(t, lv)
        if not any(any(wib_bits(d)) for d in ms):
            raise Fail("no dirty bit on any member after a crash during writes")
        t.load()
        t.ctl_ok("attach", *[d.serial for d in ms])
        dev = t.state["dev"] = t.drive_dev(lv.name)
        t.check(f"dd if={dev} of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null")
        if not consistent(t):
            raise Fail("inconsistent after the crash and the resync")
        if "resynced" not in t.check("dmesg"):
            raise Fail("no resync after the crash")

    return [test_bits_follow_writes, test_dirty_region_resynced, test_crash_during_writes]


def make_spare_test(lv):
    def cod_disk_state(t, reader, serial):
        cfg = t.cod(reader.serial).get("config") or {}
        rec = [x for x in cfg.get("disks", []) if x.get("serial") == serial]
        return rec[0].get("state") if rec else None

    def rebuilt_onto_spare(t, ld, spare):
        disks = t.status().get("disks", [])
        idx = [d.get("index") for d in disks if d.get("serial") == spare.serial]
        exts = ld.get("extents", [])
        return bool(idx) and any(x.get("disk") == idx[0] for x in exts) and \
            all(state_of(x) == "online" for x in exts)

    def test_hot_spare(t):
        # disk 0 is made a hot spare; a member pulled: the module rebuilds onto the spare by
        # itself, the drive is optimal again, and with a survivor pulled too the rebuilt
        # member serves the right data
        setup_drive(t, lv)
        dev = t.drive_dev(lv.name)
        t.fio_ok(dev, JOBS)
        md5 = digest(t, dev, WRITTEN_MB)
        spare = t.disks[0]
        t.ctl_ok("attach", spare.serial)
        out = t.ctl_ok("spare", spare.serial)
        if "hot spare" not in out:
            raise Fail(f"spare printed: {out}")
        for reader in (spare, members(t, lv)[0]):
            if cod_disk_state(t, reader, spare.serial) != "spare":
                raise Fail(f"the COD of {reader.serial} does not list {spare.serial} as spare")
        if state_of(t.drive(lv.name)) != "optimal":
            raise Fail(f"{lv.name} changed with a spare added: {t.drive(lv.name)}")
        t.vm.unplug(members(t, lv)[-1].serial)
        end = time.time() + 600
        while time.time() < end:
            # optimal again with the spare a member and every extent online: the rebuild is
            # over.  (Right after the pull the drive can still read optimal for a moment, and the
            # COD lists the spare online as soon as it replaces the member, before the rebuild.)
            ld = t.drive(lv.name)
            if ld and state_of(ld) == "optimal" and rebuilt_onto_spare(t, ld, spare) and \
                    cod_disk_state(t, spare, spare.serial) == "online":
                break
            time.sleep(2)
        else:
            raise Fail(f"{lv.name} not rebuilt onto the hot spare: {t.drive(lv.name)}")
        if cod_disk_state(t, spare, spare.serial) != "online":
            raise Fail(f"{spare.serial} not an online member after the rebuild")
        t.vm.unplug(members(t, lv)[-2].serial)
        t.fio_ok(dev, JOBS, verify_only=True)
        if digest(t, dev, WRITTEN_MB) != md5:
            raise Fail(f"{dev}: wrong data from the member rebuilt onto the spare")
    return [test_hot_spare]


GROUPS = [Group(lv.name, make_tests(lv), disks=lv.members + 1, size_mb=DISK_MB)
          for lv in LEVELS]
GROUPS += [Group(lv.name + "_spare", make_spare_test(lv), disks=lv.members + 1,
                 size_mb=DISK_MB) for lv in LEVELS if lv.survives_pull]
GROUPS += [Group(lv.name + "_write_intent", make_write_intent_tests(lv), disks=lv.members + 1,
                 size_mb=DISK_MB) for lv in LEVELS if lv.survives_pull]
GROUPS += [Group(lv.name + "_bad_sector", make_bad_sector_test(lv), disks=lv.members + 1,
                 size_mb=DISK_MB) for lv in LEVELS if lv.survives_pull]
