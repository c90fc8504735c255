// fence_raidcluster's interface with the cluster manager, as the
// fence-agents project defines it (fencing.py): options from the command
// line or, with no arguments, as name=value lines on stdin; the metadata
// XML Pacemaker reads; what each action prints and its exit status.  Pure:
// the agent (tools/fence_raidcluster/) performs the actions on the module.
#pragma once

#include "raidcluster/abi.h"
#include "raidcluster/ioctl.h"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace rc::fence {

// Exit statuses of fence-agents (fencing.py EC_*): a refused or unknown
// option is a failure (1) as there; "status" of a fenced node is 2.
constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kStatusOff = 2;

enum class Action { On, Off, Reboot, Status, List, ListStatus, Monitor, Metadata, ValidateAll };

struct Options {
  Action action = Action::Reboot;
  std::string action_name = "reboot";
  std::optional<unsigned> plug; // the node ID to act on (plug, port)
  std::string nodename;         // Pacemaker's name of the target: informational
  double delay_s = 0;           // before off and reboot
  double power_timeout_s = 20;  // how long off waits for the cluster to be able to kill
  bool verbose = false;
  bool quiet = false;
  bool help = false;
  bool version = false;
  std::string debug_file;
  // Options ignored as fencing.py ignores them (unknown names, a flag
  // without a true value): one warning line each.
  std::vector<std::string> warnings;
};

// Command-line form: -o/--action, -n/--plug (--port), --nodename, --delay,
// --power-timeout, -v/--verbose, -q/--quiet, -D/--debug-file, -h/--help,
// -V/--version; "--opt=value" and "--opt value" both.  Throws UsageError.
Options parse_args(const std::vector<std::string> &args);

// The stdin form Pacemaker uses: "name=value" lines, '#' comments and blank
// lines skipped, a value in double quotes unquoted; flags take
// 1/yes/on/true.  Throws UsageError on a bad value of a known option.
Options parse_stdin(std::istream &in);

// Checks what the action needs (a plug for on/off/reboot/status); throws
// UsageError naming what is missing.
void validate(const Options &o);

// The fence-agents metadata (the RELAX NG grammar of fence-agents'
// metadata.rng) for "-o metadata".
std::string metadata_xml();
std::string usage_text();

// A node's power as a fence device reports it, from this node's
// RC_IOC_NODE_INFO of it: OFF only when fencing it is complete (this life
// killed, its lease waited out, its key off the disks) or, for this node,
// when it is suspended; ON otherwise, a node that merely stopped answering
// included (it is not fenced until it is killed).
bool is_off(const rc_ioc_node_info &n);

// "list": one "ID," line per node; "list-status": "ID,,ON|OFF".
std::string format_list(const std::vector<rc_ioc_node_info> &nodes, bool with_status);

} // namespace rc::fence
