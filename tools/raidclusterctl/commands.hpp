// The subcommands of raidclusterctl.  Each returns the process exit code
// and reports failures by throwing (rc::UsageError -> 2, rc::Error -> 1);
// main.cpp turns exceptions into one line on stderr.
#pragma once

#include <string>
#include <vector>

namespace rcctl {

struct ScanOpts {
  bool json = false;
  std::string output; // -o LIST: the table's columns; empty: all
  bool noheadings = false;
};
int cmd_scan(const ScanOpts &o);

struct AttachOpts {
  std::vector<std::string> disks;
  bool all = false;
  bool auto_ = false; // udev: members, and blank disks in a failed member's slot
  bool quiet = false;
  bool force = false; // erase other software's signatures instead of refusing
};
int cmd_attach(const AttachOpts &o);

struct DetachOpts {
  std::vector<std::string> disks;
};
int cmd_detach(const DetachOpts &o);

struct CreateOpts {
  std::string name;
  std::string level;
  std::string stripe;
  std::string size;
  std::vector<std::string> disks;
  bool json = false;
  bool assume_clean = false;
};
int cmd_create(const CreateOpts &o);

struct LdOpts {
  std::string ld;
};

struct DeleteOpts {
  std::string ld;
  bool yes = false; // do not ask
};
int cmd_delete(const DeleteOpts &o);
struct RunOpts {
  std::string ld;
  bool all = false; // every drive that waits for members
};
int cmd_run(const RunOpts &o);

struct RebuildOpts {
  std::string ld;
  std::string disk;
  bool wait = false; // until the rebuild ends
};
int cmd_rebuild(const RebuildOpts &o);

struct SpareOpts {
  std::string disk;
  bool remove = false;
};
int cmd_spare(const SpareOpts &o);

struct PolicyOpts {
  std::string insert; // "", "spare" or "ignore"
  bool json = false;
};
int cmd_policy(const PolicyOpts &o);

struct MonitorOpts {
  std::string program; // run for every event
  unsigned count = 0;  // stop after this many events (0: never)
  bool quiet_start = false;
};
int cmd_monitor(const MonitorOpts &o);

struct ConfigOpts {
  bool json = false;
};
int cmd_config_show(const ConfigOpts &o);
int cmd_config_module_options();

struct StatusOpts {
  std::string ld; // empty: every drive
  bool json = false;
  bool exportv = false;    // shell assignments of the one drive LD
  bool check = false;      // exit status says the drives' health
  std::string output;      // -o LIST: the logical drives' columns; empty: all
  std::string disk_output; // --disk-output LIST: the member disks' columns
};
// status --check exits with the drives' health; this when the status
// cannot be read (as mdadm --detail --test's 4).
constexpr int kCheckError = 4;
int cmd_status(const StatusOpts &o);

struct NodeListOpts {
  bool json = false;
  std::string output; // -o LIST: the table's columns; empty: all
  bool noheadings = false;
};
int cmd_node_list(const NodeListOpts &o);
int cmd_node_resume();
struct NodeKillOpts {
  uint32_t id = 0;
};
int cmd_node_kill(const NodeKillOpts &o);
int cmd_reserve(const LdOpts &o);
int cmd_release(const LdOpts &o);

struct CodShowOpts {
  std::string disk;
  bool json = false;
  bool udev = false; // KEY=VALUE properties for a udev rule's IMPORT{program}
};
int cmd_cod_show(const CodShowOpts &o);

} // namespace rcctl
