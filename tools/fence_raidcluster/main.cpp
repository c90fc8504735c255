// fence_raidcluster: a fence agent (fence-agents conventions) that fences a
// raidcluster node through the shared disks.  Options and reports are in
// lib/cxx/fence_agent.cpp; this file performs the actions on the module:
// off = RC_IOC_NODE_KILL (returns once the node is fenced: Node_Kill in the
// slots, its lease waited out, its persistent-reservation key preempted),
// on = RC_IOC_NODE_RESUME on the fenced node itself (unfencing).
#include "ctl.hpp"
#include "error.hpp"
#include "fence_agent.hpp"
#include "nodes.hpp"

#include <cerrno>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <syslog.h>
#include <thread>
#include <vector>

namespace {

using rc::fence::Action;
using rc::fence::Options;

// Where fencing.py logs: syslog always, stderr unless quiet, the debug file
// when given (every line, verbose or not).
class Log {
public:
  explicit Log(const Options &o) : o_(o) {
    openlog("fence_raidcluster", LOG_PID, LOG_DAEMON);
    if (!o.debug_file.empty()) {
      debug_.open(o.debug_file, std::ios::app);
      if (!debug_)
        error("Unable to create file " + o.debug_file);
    }
  }
  ~Log() { closelog(); }
  void error(const std::string &m) { put(LOG_ERR, "ERROR", m, true); }
  void warning(const std::string &m) { put(LOG_WARNING, "WARNING", m, true); }
  void info(const std::string &m) { put(LOG_INFO, "INFO", m, o_.verbose); }

private:
  void put(int prio, const char *tag, const std::string &m, bool to_stderr) {
    if (prio != LOG_INFO)
      syslog(prio, "%s", m.c_str());
    if (to_stderr && !o_.quiet)
      std::cerr << tag << ": " << m << "\n";
    if (debug_)
      debug_ << tag << ": " << m << std::endl;
  }
  const Options &o_;
  std::ofstream debug_;
};

std::vector<rc_ioc_node_info> known_nodes(rc::Control &ctl) {
  std::vector<rc_ioc_node_info> all;
  for (uint32_t id = 0; id < RC_MAX_NODES; id++)
    all.push_back(ctl.node_info(id));
  return rc::listed_nodes(all);
}

// This node's view of @id; throws when no slot of it was ever read.
rc_ioc_node_info target(rc::Control &ctl, unsigned id) {
  rc_ioc_node_info n = ctl.node_info(id);
  if (!(n.flags & (RC_NODE_F_SELF | RC_NODE_F_KNOWN)))
    throw rc::Error("Failed: no node " + std::to_string(id) +
                    " is known on the shared disks (check pcmk_host_map)");
  return n;
}

void need_running(const rc_ioc_node_info &self) {
  if (!(self.flags & RC_NODE_F_RUNNING))
    throw rc::Error("Failed: this node's raidcluster protocol does not run (no member disk "
                    "attached)");
}

// Node_Kill, retried while the cluster cannot do it yet (EAGAIN: this node
// is not in nexus, a master is being elected), until power_timeout.  True
// when the node's current life was fenced already: nothing to do.
bool kill(rc::Control &ctl, const Options &o, Log &log) {
  const unsigned id = *o.plug;
  rc_ioc_node_info n = target(ctl, id);
  if (n.flags & RC_NODE_F_SELF)
    throw rc::Error("Failed: node " + std::to_string(id) +
                    " is this node: fence it from another node");
  need_running(ctl.node_info(n.self));
  if (rc::fence::is_off(n))
    return true;
  const auto end = std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(static_cast<long>(o.power_timeout_s * 1000));
  for (;;) {
    try {
      log.info("node kill " + std::to_string(id));
      ctl.node_kill(id);
      return false;
    } catch (const rc::CtlError &e) {
      if (e.err() != EAGAIN || std::chrono::steady_clock::now() >= end)
        throw;
      log.info(std::string(e.what()) + ": trying again");
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

int run(const Options &o, Log &log) {
  switch (o.action) {
  case Action::Metadata:
    std::cout << rc::fence::metadata_xml();
    return rc::fence::kOk;
  case Action::ValidateAll:
    return rc::fence::kOk; // validate() passed
  case Action::Off:
  case Action::Reboot: {
    if (o.delay_s > 0) {
      log.info("delay " + std::to_string(o.delay_s) + " s");
      std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(o.delay_s * 1000)));
    }
    rc::Control ctl;
    if (kill(ctl, o, log)) {
      std::cout << "Success: Already OFF\n";
      return rc::fence::kOk;
    }
    std::cout << (o.action == Action::Off ? "Success: Powered OFF\n" : "Success: Rebooted\n");
    if (o.action == Action::Reboot)
      log.info("node " + std::to_string(*o.plug) +
               " stays suspended until it is unfenced ('on' on that node)");
    return rc::fence::kOk;
  }
  case Action::On: {
    rc::Control ctl;
    rc_ioc_node_info n = ctl.node_info(*o.plug);
    if (!(n.flags & RC_NODE_F_SELF))
      throw rc::Error("Failed: 'on' unfences the node it runs on (on_target): node " +
                      std::to_string(*o.plug) + " is not this node (" + std::to_string(n.self) +
                      ")");
    need_running(n);
    if (!(n.flags & RC_NODE_F_SUSPENDED)) {
      std::cout << "Success: Already ON\n";
      return rc::fence::kOk;
    }
    log.info("node resume");
    ctl.node_resume(n.self);
    std::cout << "Success: Powered ON\n";
    return rc::fence::kOk;
  }
  case Action::Status: {
    rc::Control ctl;
    const bool off = rc::fence::is_off(target(ctl, *o.plug));
    std::cout << "Status: " << (off ? "OFF" : "ON") << "\n";
    return off ? rc::fence::kStatusOff : rc::fence::kOk;
  }
  case Action::List:
  case Action::ListStatus: {
    rc::Control ctl;
    std::cout << rc::fence::format_list(known_nodes(ctl), o.action == Action::ListStatus);
    return rc::fence::kOk;
  }
  case Action::Monitor: {
    rc::Control ctl;
    rc_ioc_node_info self = ctl.node_info(ctl.info().node_id);
    need_running(self);
    if (!(self.flags & RC_NODE_F_NEXUS))
      throw rc::Error("Failed: this node is not in nexus: it cannot fence others now");
    return rc::fence::kOk;
  }
  }
  return rc::fence::kFailed;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  try {
    if (argc > 1)
      o = rc::fence::parse_args(std::vector<std::string>(argv + 1, argv + argc));
    else
      o = rc::fence::parse_stdin(std::cin);
  } catch (const rc::Error &e) {
    std::cerr << e.what() << "\nPlease use '-h' for usage\n";
    return rc::fence::kFailed;
  }
  Log log(o);
  for (const auto &w : o.warnings)
    log.warning(w);
  if (o.help) {
    std::cout << rc::fence::usage_text();
    return rc::fence::kOk;
  }
  if (o.version) {
    std::cout << "fence_raidcluster 0.1 (ioctl ABI " << RC_IOCTL_VERSION << ")\n";
    return rc::fence::kOk;
  }
  try {
    rc::fence::validate(o);
    return run(o, log);
  } catch (const rc::UsageError &e) {
    log.error(e.what());
    if (!o.quiet)
      std::cerr << "Please use '-h' for usage\n";
  } catch (const std::exception &e) {
    log.error(e.what());
  }
  return rc::fence::kFailed;
}
