// raidclusterctl: administration of raidcluster logical drives over SCSI
// disks.  This file only declares the command line (CLI11) and maps errors
// to exit codes: 0 success, 1 the operation failed, 2 the request was
// malformed.  The work is in cmd_*.cpp on top of lib/cxx.
#include "commands.hpp"
#include "error.hpp"
#include "inventory.hpp"
#include "nodes.hpp"
#include "raidcluster/cod.h"
#include "raidcluster/ioctl.h"
#include "status.hpp"
#include "table.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <iostream>
#include <string>
#include <vector>

namespace {

const char *kExitCodes = "Exit status: 0 success, 1 the operation failed (nothing was changed),\n"
                         "2 bad command line or request syntax.";

const char *kDiskNames =
    "DISK may be a device path (/dev/sdb, /dev/disk/by-id/...), a kernel name (sdb),\n"
    "a WWN (naa.5000c5008cd36a98) or a serial number (VPD page 0x80).";

// Long help of a command: CLI11 lists the short description in the parent's
// help and prints this after the options of the command's own --help.
void doc(CLI::App *sub, const std::string &details, const std::string &rest) {
  sub->footer(details + "\n\n" + rest);
}

// The -o names of a table's columns, for the help: "A, B, C".
std::string column_list(const std::vector<std::string> &headers) {
  std::string s;
  for (const auto &n : rc::column_names(headers))
    s += (s.empty() ? "" : ", ") + n;
  return s;
}

bool is_column(const std::vector<std::string> &headers, const std::string &name) {
  try {
    rc::select_columns(headers, {name});
    return true;
  } catch (const rc::UsageError &) {
    return false;
  }
}

// -o LIST of a table with these headers (table.hpp): an unknown column is
// a usage error naming the valid ones, before anything is read.  @other:
// the headers of the command's other table, whose names the error points
// to @other_option.
CLI::Option *add_output(CLI::App *sub, const std::string &flags, std::string &list,
                        const std::vector<std::string> &headers, const std::string &what,
                        const std::vector<std::string> *other = nullptr,
                        const std::string &other_option = "") {
  auto check = [&headers, other, other_option](std::string &v) {
    try {
      rc::select_columns(headers, rc::split_columns(v));
      return std::string();
    } catch (const rc::UsageError &e) {
      std::string msg = e.what();
      for (const auto &n : rc::split_columns(v))
        if (!n.empty() && !is_column(headers, n)) { // the one the error names
          if (other && is_column(*other, n))
            msg += " ('" + n + "' is one of " + other_option + "'s)";
          break;
        }
      return msg;
    }
  };
  return sub->add_option(flags, list, "Print only these columns of " + what + ", in this order")
      ->type_name("LIST")
      ->check(CLI::Validator(check, ""));
}

const char *kOutputHelp =
    "-o LIST prints only the columns named in LIST, in that order, as lsblk -o:\n"
    "names separated by commas, in any case.  A column's name is its header\n"
    "without a parenthesised note, a blank written as '-' (or '_'): HEARTBEAT-AGE.";

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"raidclusterctl - manage raidcluster logical drives over shared SCSI disks"};
  app.name("raidclusterctl");
  app.require_subcommand(1);
  app.footer(std::string("Run 'raidclusterctl COMMAND --help' for the options of a command.\n"
                         "--json output: one object, schema_version first (the schema is\n"
                         "raidclusterctl.schema.json in the documentation).\n") +
             kExitCodes);
  app.set_version_flag("-V,--version", "raidclusterctl 0.1 (ioctl ABI " +
                                           std::to_string(RC_IOCTL_VERSION) + ", COD format " +
                                           std::to_string(RC_COD_VERSION) + ")");

  rcctl::ScanOpts scan;
  auto *s = app.add_subcommand("scan", "List every SCSI disk of this host with its raidcluster "
                                       "membership");
  std::string s_details =
      ("List every SCSI disk (H:C:T:L, device, sg node, vendor, model, WWN, serial, capacity)\n"
       "and its raidcluster membership read from the COD on the disk through SG_IO:\n"
       "cluster UUID (short), member index and member state.  Works without the module.");
  auto *s_json = s->add_flag("--json", scan.json, "Print JSON instead of a table");
  add_output(s, "-o,--output", scan.output, rc::probe_headers(), "the table")->excludes(s_json);
  s->add_flag("-n,--noheadings", scan.noheadings,
              "Leave out the header line (and '(no SCSI disks found)')")
      ->excludes(s_json);
  doc(s, s_details + "\n\n" + kOutputHelp + "\nColumns: " + column_list(rc::probe_headers()) + ".",
      std::string(
          "Examples:\n  raidclusterctl scan\n  raidclusterctl scan -o DEVICE,WWN,RAIDCLUSTER "
          "--noheadings\n") +
          kExitCodes + "\nExit status is 1 when a disk could not be probed (it is still listed).");

  rcctl::AttachOpts att;
  auto *a = app.add_subcommand("attach", "Make disks member disks of raidcluster");
  std::string a_details =
      ("Open disks exclusively in the raidcluster module and record them in the "
       "COD.\nA disk that already carries a COD brings back its logical drives.\n"
       "A disk new to raidcluster gets its metadata from 1 MiB on and its data from\n"
       "16 MiB on: one that carries another program's signature (a partition table,\n"
       "a filesystem, LVM, md, LUKS: what blkid and wipefs see) is refused, unless\n"
       "--force, which erases those signatures (as wipefs -a does) and attaches it.\n"
       "Every name is checked before the first disk is attached; the disks are then\n"
       "attached in the order given, and the first failure stops the command: the\n"
       "disks before it stay attached, and the error names them and the disks not\n"
       "tried.\n" +
       std::string(kDiskNames));
  a->add_option("DISK", att.disks, "Disks to attach");
  a->add_flag("--all", att.all, "Attach every disk that carries a raidcluster COD");
  a->add_flag("--auto", att.auto_,
              "For udev: attach member disks; offer blank disks to the module, which\n"
              "takes one only where a failed member's disk was (and the master starts\n"
              "the rebuild onto it); skip (exit 0) everything else and disks attached");
  a->add_flag("-q,--quiet", att.quiet, "Print nothing on success");
  a->add_flag("--force", att.force,
              "Attach a new disk even if it carries another program's signature,\n"
              "erasing the signatures first: the data they describe is lost");
  doc(a, a_details,
      std::string("Examples:\n  raidclusterctl attach /dev/sdb naa.5000c5008cd36a99\n"
                  "  raidclusterctl attach --all\n") +
          kExitCodes);

  rcctl::DetachOpts det;
  auto *d = app.add_subcommand("detach", "Forget member disks that no logical drive uses");
  std::string d_details = ("Close member disks and remove their records.  A disk still used by a\n"
                           "logical drive is refused.  Every name is checked first; the disks\n"
                           "are then detached in the order given, and the first failure stops\n"
                           "the command: the error names the disks detached before it and the\n"
                           "disks not tried.\n" +
                           std::string(kDiskNames));
  d->add_option("DISK", det.disks, "Member disks to detach")->required();
  doc(d, d_details, std::string("Example: raidclusterctl detach sdc\n") + kExitCodes);

  rcctl::CreateOpts cr;
  auto *c = app.add_subcommand("create", "Create a logical drive /dev/rclN from disk extents");
  std::string c_details =
      ("Create a logical drive from extents of attached member disks.\n"
       "Each --disk is DISK[:START[:LEN]] (or DISK::LEN); START and LEN take sizes in\n"
       "bytes with an optional K, M, G or T suffix (binary) or a count of 512-byte\n"
       "sectors with the suffix s.  The default START is the first free sector of the\n"
       "disk's data area (sector 32768 on a fresh disk); the default LEN is the rest of\n"
       "the disk, or --size.  Members are used in the order given.  The request is\n"
       "checked with the same code as the kernel before anything is written.\n"
       "A new RAID 5 builds its parity in the background (a resync, shown by\n"
       "'status'; the drive is usable at once, writes not yet passed by it use\n"
       "reconstruct-write); --assume-clean skips that when the members are known\n"
       "to hold consistent parity already (e.g. all zeroed), as mdadm's.\n" +
       std::string(kDiskNames));
  c->add_option("NAME", cr.name, "Drive name: 1-31 of [A-Za-z0-9_.-]")->required();
  c->add_option("-l,--level", cr.level, "RAID level: 0, 1, 5 or 10")->required();
  c->add_option("-s,--stripe", cr.stripe,
                "Stripe unit (chunk): a power of two from 4K to 1M (default 64K)");
  c->add_option("-d,--disk", cr.disks, "Member extent DISK[:START[:LEN]], repeat per member")
      ->required();
  c->add_option("--size", cr.size, "Length of each member extent without its own LEN");
  c->add_flag("--json", cr.json, "Print the created drive as JSON");
  c->add_flag("--assume-clean", cr.assume_clean,
              "RAID 5: skip the initial parity build (members already consistent)");
  doc(c, c_details,
      std::string("Examples:\n"
                  "  raidclusterctl create data --level 1 --disk sdb --disk sdc\n"
                  "  raidclusterctl create scratch --level 0 --stripe 128K \\\n"
                  "      --disk naa.5000c5008cd36a98:1G:10G --disk sdc::10G\n"
                  "  raidclusterctl create r5 --level 5 --size 20G -d sdb -d sdc -d sdd\n") +
          kExitCodes);

  rcctl::DeleteOpts del;
  rcctl::RunOpts run;
  auto *dl = app.add_subcommand("delete", "Delete a logical drive nobody has open");
  std::string dl_details =
      ("Delete a logical drive; its extents become free.  Data on it is lost.\n"
       "It asks first (y/N) on a terminal; without one it is refused unless --yes.\n"
       "LD is a drive number (0), a device name (rcl0) or the drive's name.");
  dl->add_option("LD", del.ld, "Logical drive")->required();
  dl->add_flag("-y,--yes", del.yes, "Do not ask for confirmation");
  doc(dl, dl_details,
      std::string("Examples:\n  raidclusterctl delete scratch\n  raidclusterctl delete --yes 3\n") +
          kExitCodes + "\nAnswering no exits with status 1.");

  auto *r = app.add_subcommand("run", "Start a logical drive with members missing (degraded)");
  std::string r_details =
      ("Start a logical drive whose member disks are not all attached: missing\n"
       "members are marked failed and the drive runs degraded.  Refused when the\n"
       "drive would be offline (too many members missing).\n"
       "--all starts every drive that waits for members: each is tried, one that\n"
       "cannot start is named and makes the exit status 1 (the others start).\n"
       "raidcluster-last-resort.timer runs 'run --all' 30 s after boot assembly.\n"
       "LD is a drive number (0), a device name (rcl0) or the drive's name.");
  r->add_option("LD", run.ld, "Logical drive");
  r->add_flag("--all", run.all, "Every drive whose members are not all attached");
  doc(r, r_details,
      std::string("Examples:\n  raidclusterctl run data\n  raidclusterctl run --all\n") +
          kExitCodes);

  rcctl::RebuildOpts rb;
  auto *rbc = app.add_subcommand("rebuild", "Rebuild a drive's failed member onto a new disk");
  std::string rb_details =
      ("Copy the failed member of a RAID 1, 5 or 10 drive onto an attached disk that\n"
       "no drive uses (attach it first).  The new member starts at the data area of\n"
       "the disk.  The drive stays in use; progress shows in 'status' and in\n"
       "/sys/block/rclN/raidcluster/.  The position is saved in the COD: after a\n"
       "reload the rebuild resumes.  Speed: module parameters rebuild_speed_min/max\n"
       "(KiB/s).\n"
       "In a cluster: given on any node, carried out by the master; one rebuild at a\n"
       "time cluster-wide, run by the node that holds the drive (the master when\n"
       "nobody does), taken over from the last known position when that node dies.\n"
       "'status' on every node shows it, with the node that runs it.\n"
       "LD is a drive number (0), a device name (rcl0) or the drive's name.");
  rbc->add_option("LD", rb.ld, "Logical drive")->required();
  rbc->add_option("-d,--disk", rb.disk, "The new disk")->required();
  rbc->add_flag("-w,--wait", rb.wait,
                "Return when the rebuild has ended: exit 0 when the new member is online,\n"
                "1 when it failed or was replaced");
  doc(rbc, rb_details,
      std::string("Examples:\n  raidclusterctl rebuild data --disk sde\n"
                  "  raidclusterctl rebuild data --disk sde --wait\n") +
          kExitCodes);

  rcctl::SpareOpts sp;
  auto *spc = app.add_subcommand("spare", "Make an attached free disk a hot spare (or not)");
  std::string sp_details =
      ("A hot spare is an attached disk that no drive uses, marked 'spare' in the\n"
       "COD.  When a RAID 1, 5 or 10 drive is degraded, the module rebuilds its\n"
       "failed member onto a spare that is large enough, by itself (see 'rebuild').\n"
       "--remove makes it an ordinary free disk again.");
  spc->add_option("DISK", sp.disk, "The disk")->required();
  spc->add_flag("--remove", sp.remove, "No longer a hot spare");
  doc(spc, sp_details, std::string("Example: raidclusterctl spare sdf\n") + kExitCodes);

  rcctl::PolicyOpts po;
  auto *pol = app.add_subcommand("policy", "Show or set the cluster's policy for inserted disks");
  std::string po_details =
      ("A blank disk inserted where a failed member's disk was (the same channel and\n"
       "target) always replaces that member: udev attaches it on every node and the\n"
       "master starts the rebuild.  --insert says what a blank disk inserted anywhere\n"
       "else becomes: 'spare' (a hot spare; the master decides, and a degraded drive\n"
       "takes it at once) or 'ignore' (left alone, the default).  The policy is kept in\n"
       "the COD, for every node of the cluster; set on a slave, it goes to the master.\n"
       "A module older than this policy refuses a COD that has it set.");
  pol->add_option("--insert", po.insert, "spare or ignore")
      ->check(CLI::IsMember({"spare", "ignore"}));
  pol->add_flag("--json", po.json, "Machine-readable output");
  doc(pol, po_details,
      std::string("Examples:\n  raidclusterctl policy\n  raidclusterctl policy --insert spare\n") +
          kExitCodes);

  rcctl::StatusOpts st;
  auto *sa = app.add_subcommand("status", "Show the module's member disks and logical drives");
  std::string sa_details =
      ("Show the module, its member disks (state, presence, error counters, this\n"
       "node's SCSI-3 persistent reservation key: 'none' on a disk without PR) and\n"
       "its logical drives (level, stripe, capacity, state, members, rebuild).\n"
       "The first line ends with the fencing mode once the node runs: 'disk PR'\n"
       "when its key is on every member disk it reaches (a node the cluster fences\n"
       "is refused by the disks themselves), else 'lease only' (a fenced node stops\n"
       "writing when its lease runs out; see the admin guide for the risk).\n"
       "With LD, only that logical drive (and --check judges only it).\n"
       "--export prints LD's state as shell assignments, one per line, for\n"
       "scripts to eval (as mdadm --detail --export): RC_NODE_ID (this node),\n"
       "RC_NUMBER, RC_DEVICE, RC_NAME, RC_LEVEL, RC_CAPACITY_SECTORS, RC_STATE,\n"
       "RC_RUNNING (1/0), RC_OPEN_COUNT, RC_HOLDER (the node holding its\n"
       "reservation, empty when none), RC_SYNC_ACTION (idle, resync, rebuild)\n"
       "and RC_HEALTH (as --check's exit status).");
  sa->add_option("LD", st.ld, "Logical drive (default: every drive)");
  auto *sa_json = sa->add_flag("--json", st.json, "Print JSON instead of tables");
  auto *sa_export =
      sa->add_flag("--export", st.exportv, "Print LD's state as shell assignments (needs LD)")
          ->excludes(sa_json);
  add_output(sa, "-o,--output", st.output, rc::status_ld_headers(), "the logical drives",
             &rc::status_disk_headers(), "--disk-output")
      ->excludes(sa_json)
      ->excludes(sa_export);
  add_output(sa, "--disk-output", st.disk_output, rc::status_disk_headers(), "the member disks",
             &rc::status_ld_headers(), "-o")
      ->excludes(sa_json)
      ->excludes(sa_export);
  sa->add_flag("--check", st.check,
               "Exit status says the drives' health: 0 all optimal, 1 one degraded\n"
               "or rebuilding, 2 one offline or not running, 4 status unreadable");
  doc(sa,
      sa_details + "\n\n" + kOutputHelp +
          "\n-o picks the logical drives' columns, --disk-output the member disks';\n"
          "the other table stays whole.\nLogical drives: " +
          column_list(rc::status_ld_headers()) +
          ".\nMember disks: " + column_list(rc::status_disk_headers()) + ".",
      std::string("Examples:\n  raidclusterctl status --json\n  raidclusterctl status --check "
                  ">/dev/null || echo attention\n  eval \"$(raidclusterctl status data "
                  "--export)\"\n  raidclusterctl status -o NAME,STATE,REBUILD --disk-output "
                  "IDX,DEVICE,STATE\n") +
          kExitCodes + "\nWith --check: 0, 1, 2 as above, 4 when the status cannot be read.");

  rcctl::MonitorOpts mo;
  auto *mon =
      app.add_subcommand("monitor", "Print the module's events as JSON lines, as they come");
  std::string mon_details =
      ("One JSON object per line for each event of the module (its uevents), on\n"
       "every node: drive_state (a drive became optimal, degraded, rebuilding,\n"
       "offline), disk_state (a disk recorded failed, ...), member_state (a rebuild\n"
       "started onto a disk, completed, failed), rebuild_progress (every 10 %),\n"
       "node_state (a node's state in the cluster) and reservation (a drive's\n"
       "holder changed).  Each line has schema_version, time (UTC), event and the\n"
       "event's fields.  --program PROG runs PROG EVENT OBJECT VALUE for each\n"
       "event (as mdadm's PROGRAM), with the JSON line on its stdin, e.g.\n"
       "'PROG drive_state rcl0 degraded', and waits for it.  Runs until killed, or\n"
       "for --count events.");
  mon->add_option("--program", mo.program, "Run this for every event");
  mon->add_option("-n,--count", mo.count, "Stop after this many events");
  mon->add_flag("-q,--quiet", mo.quiet_start, "Do not say on stderr that it listens");
  doc(mon, mon_details,
      std::string("Examples:\n  raidclusterctl monitor\n"
                  "  raidclusterctl monitor --program /usr/local/sbin/rc-alert\n") +
          kExitCodes);

  rcctl::ConfigOpts cfo;
  auto *cfg = app.add_subcommand("config", "Show this node's /etc/raidcluster.conf");
  cfg->require_subcommand(1);
  auto *cfs = cfg->add_subcommand("show", "Print the configuration as the tools read it");
  std::string cfs_details =
      ("/etc/raidcluster.conf ($RAIDCLUSTER_CONF) says this node's ID, the cluster it\n"
       "belongs to and which disks attach automatically (raidcluster.conf(5)):\n"
       "  node_id = 2\n"
       "  cluster_uuid = 2b9f0c8e-1a2b-4c3d-8e4f-0123456789ab\n"
       "  auto_attach = members        (or none: udev attaches nothing)\n"
       "  disks = naa.5000c5* d[0-5]   (globs on kernel name, /dev path, WWN, serial)\n"
       "modprobe passes node_id and cluster_uuid to the module; attach --all and\n"
       "--auto skip disks of another cluster and disks the patterns do not name.\n"
       "A bad line is an error naming the file and line.  Without the file every\n"
       "value is its default.");
  cfs->add_flag("--json", cfo.json, "Print JSON");
  doc(cfs, cfs_details, std::string("Example: raidclusterctl config show\n") + kExitCodes);
  auto *cfm = cfg->add_subcommand("module-options",
                                  "Print the module options the configuration gives (modprobe)");
  doc(cfm,
      "Prints 'node_id=N cluster_uuid=UUID' (what is set) for modprobe: the install\n"
      "line of /lib/modprobe.d/raidcluster.conf runs it.",
      std::string("Example: modprobe raidcluster $(raidclusterctl config module-options)\n") +
          kExitCodes);

  rcctl::NodeListOpts nl;
  auto *node = app.add_subcommand("node", "Show the nodes of the cluster");
  node->require_subcommand(1);
  node->footer(std::string("Run 'raidclusterctl node list --help' (resume, kill) for details.\n") +
               kExitCodes);
  auto *nlc = node->add_subcommand("list", "List this node and every node it sees on the disks");
  std::string nl_details =
      ("One line per node this node knows from the slots on the shared disks, itself\n"
       "first marked '*': its state and state info as the patent names them\n"
       "(master, active_slave, ...; completed_startup, negotiating, ...), the master\n"
       "it names, its incarnation (grows on every start), how long ago its heartbeat\n"
       "last advanced, the channels it is connected to and its communication channel.\n"
       "The first line says whether this node is in nexus (a member of the cluster\n"
       "that may change the configuration or take reservations) and its fencing\n"
       "mode ('disk PR' or 'lease only', as in 'status').");
  auto *nl_json = nlc->add_flag("--json", nl.json, "Print JSON");
  add_output(nlc, "-o,--output", nl.output, rc::node_headers(), "the table")->excludes(nl_json);
  nlc->add_flag("-n,--noheadings", nl.noheadings,
                "Print the table's rows alone (no header line, no first line)")
      ->excludes(nl_json);
  doc(nlc,
      nl_details + "\n\n" + kOutputHelp + "\nColumns: " + column_list(rc::node_headers()) + ".",
      std::string("Examples:\n  raidclusterctl node list\n  raidclusterctl node list -o "
                  "ID,STATE,HEARTBEAT-AGE -n\n") +
          kExitCodes);
  auto *nrc = node->add_subcommand("resume", "Start this suspended node again");
  std::string nr_details =
      ("A suspended node (killed by another node or by 'node kill', or it lost every\n"
       "cable, or it timed out joining) sends no I/O to the shared disks and fails\n"
       "every request to its logical drives until it is resumed.  Resume it once\n"
       "the cause is repaired: it starts again with a new incarnation, joins the\n"
       "cluster as a slave and the command returns when it is in nexus (exit 1 with\n"
       "the reason when it does not get there within the module's join_timeout_ms).\n"
       "Its reservations are gone: reserve (or open) the drives again.");
  doc(nrc, nr_details, std::string("Example: raidclusterctl node resume\n") + kExitCodes);
  rcctl::NodeKillOpts nk;
  auto *nkc = node->add_subcommand("kill", "Kill (fence) another node of the cluster");
  std::string nk_details =
      ("Node_Kill to node ID: it is declared failed, it suspends itself as soon as\n"
       "it reads the kill, and its reservations are freed.  The command returns once\n"
       "the node is fenced -- its lease has run out and its writes in flight have\n"
       "ended (lease_ms + drain_ms after the kill is on the disks, 4 s by default)\n"
       "-- and, on disks with persistent reservations, its key is gone from every\n"
       "member disk; so its drives may be taken over at once.  The fence agent\n"
       "fence_raidcluster runs this for Pacemaker.  A killed node stays\n"
       "suspended until 'node resume' on it.");
  nkc->add_option("ID", nk.id, "Node ID (0..31)")->required()->check(CLI::Range(0, 31));
  doc(nkc, nk_details, std::string("Example: raidclusterctl node kill 2\n") + kExitCodes);

  rcctl::LdOpts rsv, rel;
  auto *rsc = app.add_subcommand("reserve", "Reserve a logical drive for this node, cluster-wide");
  std::string rs_details =
      ("The SCSI Reserve of a logical drive, forwarded to every node.  While this node\n"
       "holds the reservation, the other nodes' I/O to the drive ends with a\n"
       "reservation conflict and their opens for writing are refused.  Fails (exit 1)\n"
       "with the holder's ID when another node holds it.  When two nodes reserve at\n"
       "once, the higher node ID wins.  A drive nobody holds is also reserved by the\n"
       "first open for writing when its auto_reserve is on (the default, sysfs\n"
       "/sys/block/rclN/raidcluster/auto_reserve); such a reservation ends with the\n"
       "last close, one taken here only with 'release'.\n"
       "LD is a drive number (0), a device name (rcl0) or the drive's name.");
  rsc->add_option("LD", rsv.ld, "Logical drive")->required();
  doc(rsc, rs_details, std::string("Example: raidclusterctl reserve data\n") + kExitCodes);
  auto *rlc = app.add_subcommand("release", "Release this node's reservation of a logical drive");
  std::string rl_details =
      ("The SCSI Release: this node's writes in flight end first, then every node\n"
       "learns the drive is free.\n"
       "LD is a drive number (0), a device name (rcl0) or the drive's name.");
  rlc->add_option("LD", rel.ld, "Logical drive")->required();
  doc(rlc, rl_details, std::string("Example: raidclusterctl release data\n") + kExitCodes);

  rcctl::CodShowOpts cs;
  auto *cod = app.add_subcommand("cod", "Inspect the configuration on disk (COD)");
  cod->require_subcommand(1);
  cod->footer(std::string("Run 'raidclusterctl cod show --help' for details.\n") + kExitCodes);
  auto *show = cod->add_subcommand("show", "Decode the COD of a disk straight from the disk");
  std::string show_details =
      ("Read both COD copies (A at sector 2048, B at sector 2176) from the disk through\n"
       "SG_IO and decode them with the same code as the kernel: status of each copy\n"
       "(valid, no COD, CRC mismatch, newer version, inconsistent), which copy is used and\n"
       "why, then the configuration it holds.  The module is not needed.\n" +
       std::string(kDiskNames) + "\nA path may also be an sg node (/dev/sg1).");
  show->add_option("DISK", cs.disk, "Disk to read")->required();
  show->add_flag("--json", cs.json, "Print JSON");
  show->add_flag("--udev", cs.udev,
                 "Print udev properties (KEY=VALUE) for a rule's IMPORT{program}: a member\n"
                 "gets ID_FS_TYPE=raidcluster_member (lsblk's FSTYPE); RAIDCLUSTER_COD says\n"
                 "member, unlisted, invalid or none. DISK must be a block device path; only\n"
                 "that disk is read")
      ->excludes("--json");
  doc(show, show_details,
      std::string("Example: raidclusterctl cod show /dev/sdb\n"
                  "         raidclusterctl cod show --udev /dev/sdb   (60-raidcluster.rules)\n") +
          kExitCodes +
          "\nA disk without a COD is reported (exit 0); a disk that cannot be read is\n"
          "an error (exit 1).");

  // What CLI11 answers badly before the command: `help` (mdadm, git and
  // drbdadm users type it) is the help; an unknown option or command is
  // named (CLI11 would say "A subcommand is required"); --json given before
  // the command is the command's own (`raidclusterctl --json status`).
  std::vector<std::string> args(argv + 1, argv + argc);
  auto command = [&](const std::string &name) -> CLI::App * {
    auto found = app.get_subcommands([&](CLI::App *sub) { return sub->check_name(name); });
    return found.empty() ? nullptr : found[0];
  };
  bool json_first = false;
  while (!args.empty() && args[0] == "--json") {
    json_first = true;
    args.erase(args.begin());
  }
  if (!args.empty() && args[0] == "help") {
    if (args.size() == 1) {
      std::cout << app.help();
      return 0;
    }
    if (!command(args[1])) {
      std::cerr << "raidclusterctl: help: unknown command '" << args[1] << "' (try help)\n";
      return 2;
    }
    // `help node list` as `raidclusterctl node list --help` prints it
    args.erase(args.begin());
    args.push_back("--help");
  }
  if (!args.empty() && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help" &&
      args[0] != "-V" && args[0] != "--version") {
    std::cerr << "raidclusterctl: unknown option '" << args[0] << "' (try --help)\n";
    return 2;
  }
  if (!args.empty() && args[0][0] != '-' && !command(args[0])) {
    std::cerr << "raidclusterctl: unknown command '" << args[0] << "' (try --help)\n";
    return 2;
  }
  if (json_first)
    args.push_back("--json");
  std::reverse(args.begin(), args.end()); // CLI11 takes them last first
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    // One line, not CLI11's two: scripts and the VM suite grep it.
    std::cerr << "raidclusterctl: " << e.what() << " (try --help)\n";
    return 2;
  }

  try {
    if (*s)
      return rcctl::cmd_scan(scan);
    if (*a) {
      if (!att.all && att.disks.empty())
        throw rc::UsageError("attach: give DISK arguments or --all");
      if (att.all && !att.disks.empty())
        throw rc::UsageError("attach: give DISK arguments or --all, not both");
      if (att.force && (att.all || att.auto_))
        throw rc::UsageError("attach: --force is for disks named one by one, not with " +
                             std::string(att.all ? "--all" : "--auto"));
      return rcctl::cmd_attach(att);
    }
    if (*d)
      return rcctl::cmd_detach(det);
    if (*c)
      return rcctl::cmd_create(cr);
    if (*dl)
      return rcctl::cmd_delete(del);
    if (*r) {
      if (run.all == !run.ld.empty())
        throw rc::UsageError("run: give LD or --all");
      return rcctl::cmd_run(run);
    }
    if (*rbc)
      return rcctl::cmd_rebuild(rb);
    if (*spc)
      return rcctl::cmd_spare(sp);
    if (*pol)
      return rcctl::cmd_policy(po);
    if (*sa) {
      if (st.exportv && st.ld.empty()) {
        std::cerr << "raidclusterctl: status --export needs LD\n";
        return 2;
      }
      if (!st.check)
        return rcctl::cmd_status(st);
      try {
        return rcctl::cmd_status(st);
      } catch (const std::exception &e) {
        std::cerr << "raidclusterctl: " << e.what() << "\n";
        return rcctl::kCheckError;
      }
    }
    if (*show)
      return rcctl::cmd_cod_show(cs);
    if (*mon)
      return rcctl::cmd_monitor(mo);
    if (*cfs)
      return rcctl::cmd_config_show(cfo);
    if (*cfm)
      return rcctl::cmd_config_module_options();
    if (*nlc)
      return rcctl::cmd_node_list(nl);
    if (*nrc)
      return rcctl::cmd_node_resume();
    if (*nkc)
      return rcctl::cmd_node_kill(nk);
    if (*rsc)
      return rcctl::cmd_reserve(rsv);
    if (*rlc)
      return rcctl::cmd_release(rel);
  } catch (const rc::UsageError &e) {
    std::cerr << "raidclusterctl: " << e.what() << "\n";
    return 2;
  } catch (const rc::SysError &e) {
    std::cerr << "raidclusterctl: " << e.what()
              << (e.err() == EACCES || e.err() == EPERM ? " (run as root)" : "") << "\n";
    return 1;
  } catch (const std::exception &e) {
    std::cerr << "raidclusterctl: " << e.what() << "\n";
    return 1;
  }
  return 2;
}
