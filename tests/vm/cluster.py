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
import json
import os
import shlex
import threading
import time

import iscsi_target
import rcvm
import schema
from vmtest import Fail

DISKS = 6            # shared disk images
CHANNELS = 2         # HBAs per node: disks 0-2 on channel 0, 3-5 on channel 1



def solo(scenario):
    """Mark a scenario to run alone (run_cluster.py runs two others at once): it loads the
    machine on purpose, so another scenario beside it would change what it measures."""
    scenario.solo = True
    return scenario


class Cluster:
    def __init__(self, name, nodes=3, ids=None, disks=DISKS, channels=CHANNELS, size_mb=128,
                 mem=384, reboot=False, iscsi=False):
        """iscsi=True: the disks are LUNs of a local iSCSI target (iscsi_target.py), with
        real SCSI-3 persistent reservations, instead of qemu's emulated disks."""
        self.name, self.mem, self.reboot = name, mem, reboot
        self.ids = list(ids) if ids is not None else list(range(nodes))
        serials = [f"{name}-d{i}" for i in range(disks)]
        self.disks = rcvm.make_disks(f"cluster-{name}", serials, size_mb)
        per = (disks + channels - 1) // channels
        for i, d in enumerate(self.disks):
            d.channel = i // per
        self.vms = {}
        self.target = None
        if iscsi:
            self.target = iscsi_target.IscsiTarget(
                name, self.disks, os.path.join(rcvm.DIR, "run", f"{name}-target"))

    # --- lifecycle -----------------------------------------------------------------------
    def start(self, which=None):
        """Boot the nodes (all, or the IDs in `which`) at once and wait for their agents."""
        ids = self.ids if which is None else list(which)
        if self.target and not self.target.proc:
            self.target.start()
        vms = {i: rcvm.VM(f"{self.name}-n{i}", self.disks, mem=self.mem, reboot=self.reboot)
               for i in ids}
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
        if self.target:
            self.target.stop()

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

    def extra_vm(self, name):
        """One more node over the same disks (not in ids: e.g. a second machine with a live ID)."""
        vm = rcvm.VM(f"{self.name}-{name}", self.disks, mem=self.mem)
        vm.start()
        vm.wait_ready()
        self.vms[name] = vm
        return vm

    # --- the tool on a node --------------------------------------------------------------
    @staticmethod
    def ctl(vm, *args, timeout=120):
        """raidclusterctl ARGS on node vm; (rc, output)."""
        return vm.sh("raidclusterctl " + " ".join(shlex.quote(str(a)) for a in args), timeout)

    @staticmethod
    def ctl_ok(vm, *args, timeout=120):
        rc, out = Cluster.ctl(vm, *args, timeout=timeout)
        if rc:
            raise Fail(f"{vm.name}: raidclusterctl {' '.join(map(str, args))} -> rc={rc}\n{out}")
        return out

    @staticmethod
    def node_list(vm):
        """`node list --json` of node vm, parsed: {id: entry}."""
        out = Cluster.ctl_ok(vm, "node", "list", "--json")
        try:
            return {n["id"]: n for n in schema.checked("node_list", json.loads(out))["nodes"]}
        except ValueError as e:
            raise Fail(f"{vm.name}: node list --json is not JSON ({e}):\n{out}")

    @staticmethod
    def status(vm):
        out = Cluster.ctl_ok(vm, "status", "--json")
        try:
            return schema.checked("status", json.loads(out))
        except ValueError as e:
            raise Fail(f"{vm.name}: status --json is not JSON ({e}):\n{out}")

    @staticmethod
    def self_of(view):
        return next(n for n in view.values() if n["self"])

    def wait_nexus(self, vm, timeout=60):
        """Wait until node vm is in nexus (MASTER or ACTIVE_SLAVE, startup completed)."""
        end = time.time() + timeout * rcvm.SLOW
        while True:
            view = self.node_list(vm)
            me = self.self_of(view)
            if me["state"] in ("MASTER", "ACTIVE_SLAVE") and \
                    me["info"] in ("Completed_Startup", "None"):
                return view
            if time.time() > end:
                raise Fail(f"{vm.name}: not in nexus after {timeout}s: {me}\n"
                           + vm.console_tail(30))
            time.sleep(0.5)

    def attach_all(self, vm):
        """Attach every shared disk (by its lab path) on node vm."""
        return self.ctl_ok(vm, "attach", *[d.dev for d in self.disks])

    def create_cluster(self, node_id=0):
        """The first node makes the cluster: loads, attaches the six blank disks, becomes
        master (it writes the COD on every disk), then unloads. The COD is on the disks."""
        vm = self.node(node_id)
        self.load(node_id)
        self.attach_all(vm)
        self.wait_nexus(vm)
        vm.check("rmmod raidcluster")

    def join_all(self, which=None, extra=""):
        """Load the module and attach the cluster's disks on the nodes at once (threads)."""
        ids = [i for i in (self.ids if which is None else which)]
        errors = []

        def go(i):
            try:
                self.load(i, extra)
                self.ctl_ok(self.node(i), "attach", "--all")
            except Exception as e:  # reported below
                errors.append(f"node {i}: {e}")

        threads = [threading.Thread(target=go, args=(i,)) for i in ids]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        if errors:
            raise Fail("nodes did not join:\n" + "\n".join(errors))

    def kernel_problems(self):
        """(node, problem lines) of every node whose console shows one."""
        out = []
        for i, vm in self.vms.items():
            p = vm.kernel_problems()
            if p:
                out.append((i, p))
        return out
