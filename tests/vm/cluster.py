"""The cluster VM bench: several qemu VMs ("nodes") sharing the same disk images.

Every node is its own qemu (Debian's 6.1 kernel under TCG, the initramfs of mkinitramfs.sh),
with one virtio-scsi HBA per channel and the same disks on the same channel and target in every
node, as servers sharing SCSI buses. The images are opened by every qemu with share-rw on and
cache.direct on: a write one node's guest completed is in the image file, and every other
node's O_DIRECT read (or raidcluster's own bios, which bypass the page cache) sees it. qemu does
not enforce SCSI reservations between the VMs: fencing is the protocol's job.

    from cluster import Cluster
    with Cluster("cold", nodes=3) as c:        # 6 disks over 2 channels, node IDs 0, 1, 2
        c.node(0).check("...")                 # a node is an rcvm.VM
        c.load_all()                           # insmod raidcluster.ko node_id=<its ID>

Faults are per node, through its own QMP (rcvm.VM.unplug, disk_errors, throttle, reset) or by
signalling its qemu (kill, SIGSTOP/SIGCONT).
"""
import threading

import rcvm

DISKS = 6            # shared disk images
CHANNELS = 2         # HBAs per node: disks 0-2 on channel 0, 3-5 on channel 1


class Cluster:
    def __init__(self, name, nodes=3, ids=None, disks=DISKS, channels=CHANNELS, size_mb=128,
                 mem=384):
        self.name, self.mem = name, mem
        self.ids = list(ids) if ids is not None else list(range(nodes))
        serials = [f"{name}-d{i}" for i in range(disks)]
        self.disks = rcvm.make_disks(f"cluster-{name}", serials, size_mb)
        per = (disks + channels - 1) // channels
        for i, d in enumerate(self.disks):
            d.channel = i // per
        self.vms = {}

    # --- lifecycle -----------------------------------------------------------------------
    def start(self, which=None):
        """Boot the nodes (all, or the IDs in `which`) at once and wait for their agents."""
        ids = self.ids if which is None else list(which)
        vms = {i: rcvm.VM(f"{self.name}-n{i}", self.disks, mem=self.mem) for i in ids}
        errors = []

        def boot(vm):
            try:
                vm.start()
                vm.wait_ready()
            except Exception as e:  # reported below, after every boot ended
                errors.append(f"{vm.name}: {e}")

        threads = [threading.Thread(target=boot, args=(vm,)) for vm in vms.values()]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.vms.update(vms)
        if errors:
            raise RuntimeError("nodes did not boot:\n" + "\n".join(errors))
        return self

    def stop(self):
        for vm in self.vms.values():
            vm.kill()
        self.vms = {}

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- nodes ---------------------------------------------------------------------------
    def node(self, node_id):
        return self.vms[node_id]

    def nodes(self):
        return [self.vms[i] for i in self.ids if i in self.vms]

    def load(self, node_id, extra=""):
        """insmod raidcluster.ko with this node's ID (and its dependencies first)."""
        vm = self.node(node_id)
        vm.check("for m in $(cat /etc/raidcluster-deps); do modprobe $m; done; "
                 f"insmod {rcvm.KO} node_id={node_id} {extra}")
        vm.check("test -c /dev/raidcluster")

    def load_all(self, extra=""):
        for i in self.ids:
            if i in self.vms:
                self.load(i, extra)

    def kernel_problems(self):
        """(node, problem lines) of every node whose console shows one."""
        out = []
        for i in self.ids:
            vm = self.vms.get(i)
            if vm is not None:
                p = vm.kernel_problems()
                if p:
                    out.append((i, p))
        return out
