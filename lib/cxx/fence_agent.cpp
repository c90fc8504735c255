// fence_raidcluster's options, metadata and reports (fence_agent.hpp).
// The option names, their stdin spellings, the metadata layout and the
// exit statuses follow fence-agents' fencing.py, so Pacemaker (and an
// admin who knows fence_scsi) finds what it expects.
#include "fence_agent.hpp"

#include "error.hpp"

#include <cerrno>
#include <cstdlib>
#include <istream>
#include <sstream>

namespace rc::fence {

namespace {

struct OptDef {
  const char *name;     // metadata and stdin name
  const char *obsolete; // the older name it replaces (metadata: deprecated)
  char shortopt;        // 0: none
  const char *longopt;  // command line, without "--"
  bool value;           // takes a value (else a flag)
  const char *type;     // metadata content type
  const char *deflt;    // nullptr: none
  bool required;
  const char *getopt; // metadata <getopt mixed=...>
  const char *desc;   // metadata <shortdesc>, usage text
};

// In fencing.py's order: action, plug, the flags, then the timing options.
const OptDef kOpts[] = {
    {"action", nullptr, 'o', "action", true, "string", "reboot", true, "-o, --action=[action]",
     "Fencing action"},
    {"plug", "port", 'n', "plug", true, "string", nullptr, true, "-n, --plug=[id]",
     "ID of the raidcluster node to fence (0-31, as 'raidclusterctl node list' shows it)"},
    {"nodename", nullptr, 0, "nodename", true, "string", nullptr, false, "--nodename=[name]",
     "Name of the node to fence (Pacemaker's; the ID when it is a number and plug is not set)"},
    {"verbose", nullptr, 'v', "verbose", false, "boolean", nullptr, false, "-v, --verbose",
     "Verbose mode"},
    {"debug_file", "debug", 'D', "debug-file", true, "string", nullptr, false,
     "-D, --debug-file=[debugfile]", "Write debug information to given file"},
    {"quiet", nullptr, 'q', "quiet", false, "boolean", nullptr, false, "-q, --quiet",
     "Disable logging to stderr. Does not affect --verbose or --debug-file or logging to syslog."},
    {"version", nullptr, 'V', "version", false, "boolean", nullptr, false, "-V, --version",
     "Display version information and exit"},
    {"help", nullptr, 'h', "help", false, "boolean", nullptr, false, "-h, --help",
     "Display help and exit"},
    {"delay", nullptr, 0, "delay", true, "second", "0", false, "--delay=[seconds]",
     "Wait X seconds before fencing is started"},
    {"power_timeout", nullptr, 0, "power-timeout", true, "second", "20", false,
     "--power-timeout=[seconds]",
     "Try X seconds to have the cluster kill the node (it may be busy electing a master)"},
};

struct ActionDef {
  Action action;
  const char *name;
};

const ActionDef kActions[] = {
    {Action::On, "on"},
    {Action::Off, "off"},
    {Action::Reboot, "reboot"},
    {Action::Status, "status"},
    {Action::List, "list"},
    {Action::ListStatus, "list-status"},
    {Action::Monitor, "monitor"},
    {Action::Metadata, "metadata"},
    {Action::ValidateAll, "validate-all"},
};

// fencing.py accepts either spelling of a long option's name on stdin.
std::string dashes_to_underscores(std::string s) {
  for (char &c : s)
    if (c == '-')
      c = '_';
  return s;
}

const OptDef *find_name(const std::string &name) {
  const std::string n = dashes_to_underscores(name);
  for (const auto &d : kOpts)
    if (n == d.name || (d.obsolete && n == d.obsolete) || n == dashes_to_underscores(d.longopt))
      return &d;
  return nullptr;
}

const OptDef *find_long(const std::string &longopt) {
  for (const auto &d : kOpts)
    if (longopt == d.longopt || (d.obsolete && longopt == d.obsolete))
      return &d;
  return nullptr;
}

const OptDef *find_short(char c) {
  for (const auto &d : kOpts)
    if (d.shortopt == c)
      return &d;
  return nullptr;
}

double parse_seconds(const std::string &name, const std::string &v) {
  errno = 0;
  char *end = nullptr;
  double s = std::strtod(v.c_str(), &end);
  if (v.empty() || *end || errno || !(s >= 0) || s > 86400)
    throw UsageError("Failed: " + name + " must be a number of seconds (0-86400), not '" + v + "'");
  return s;
}

std::optional<unsigned> parse_node_id(const std::string &v) {
  if (v.empty() || v.size() > 2 || v.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  unsigned id = static_cast<unsigned>(std::stoul(v));
  if (id >= RC_MAX_NODES)
    return std::nullopt;
  return id;
}

void set_action(Options &o, const std::string &v) {
  std::string a;
  for (char c : v)
    a += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (a == "meta-data") // OCF's spelling
    a = "metadata";
  for (const auto &d : kActions)
    if (a == d.name) {
      o.action = d.action;
      o.action_name = d.name;
      return;
    }
  throw UsageError("Failed: Unrecognised action '" + v + "'");
}

void set_value(Options &o, const OptDef &d, const std::string &v) {
  const std::string n = d.name;
  if (n == "action") {
    set_action(o, v);
  } else if (n == "plug") {
    o.plug = parse_node_id(v);
    if (!o.plug)
      throw UsageError("Failed: plug must be a node ID 0-" + std::to_string(RC_MAX_NODES - 1) +
                       ", not '" + v + "'");
  } else if (n == "nodename") {
    o.nodename = v;
  } else if (n == "debug_file") {
    o.debug_file = v;
  } else if (n == "delay") {
    o.delay_s = parse_seconds("delay", v);
  } else if (n == "power_timeout") {
    o.power_timeout_s = parse_seconds("power_timeout", v);
  }
}

void set_flag(Options &o, const OptDef &d, bool on) {
  const std::string n = d.name;
  if (n == "verbose")
    o.verbose = on;
  else if (n == "quiet")
    o.quiet = on;
  else if (n == "version")
    o.version = on;
  else if (n == "help")
    o.help = on;
}

// Pacemaker names the target; with a host map it also passes the ID as
// plug.  Without one, a numeric name is the ID.
void finish(Options &o) {
  if (!o.plug && !o.nodename.empty())
    o.plug = parse_node_id(o.nodename);
}

std::string xml_escape(const std::string &s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

void parameter(std::ostringstream &x, const OptDef &d, const char *name, const char *extra) {
  x << "\t<parameter name=\"" << name << "\" unique=\"0\" required=\"" << (d.required ? 1 : 0)
    << "\"" << extra << ">\n"
    << "\t\t<getopt mixed=\"" << xml_escape(d.getopt) << "\" />\n"
    << "\t\t<content type=\"" << d.type << "\"";
  if (d.deflt)
    x << " default=\"" << xml_escape(d.deflt) << "\"";
  x << " />\n"
    << "\t\t<shortdesc lang=\"en\">" << xml_escape(d.desc) << "</shortdesc>\n"
    << "\t</parameter>\n";
}

} // namespace

Options parse_args(const std::vector<std::string> &args) {
  Options o;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string &a = args[i];
    const OptDef *d = nullptr;
    std::string value;
    bool has_value = false;
    if (a.rfind("--", 0) == 0 && a.size() > 2) {
      std::string name = a.substr(2);
      size_t eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
      d = find_long(name);
      if (!d)
        throw UsageError("Failed: unknown option '--" + name + "'");
      if (!d->value && has_value)
        throw UsageError("Failed: --" + name + " takes no value");
    } else if (a.size() >= 2 && a[0] == '-' && a[1] != '-') {
      // -vq, -o off, -ooff
      for (size_t k = 1; k < a.size(); k++) {
        d = find_short(a[k]);
        if (!d)
          throw UsageError(std::string("Failed: unknown option '-") + a[k] + "'");
        if (d->value) {
          if (k + 1 < a.size()) {
            value = a.substr(k + 1);
            has_value = true;
          }
          break;
        }
        set_flag(o, *d, true);
        d = nullptr;
      }
      if (!d)
        continue;
    } else {
      throw UsageError("Failed: unexpected argument '" + a + "' (options only; see -h)");
    }
    if (d->value) {
      if (!has_value) {
        if (i + 1 >= args.size())
          throw UsageError(std::string("Failed: option ") + a + " needs a value");
        value = args[++i];
      }
      set_value(o, *d, value);
    } else {
      set_flag(o, *d, true);
    }
  }
  finish(o);
  return o;
}

Options parse_stdin(std::istream &in) {
  Options o;
  std::string line;
  while (std::getline(in, line)) {
    const size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#')
      continue;
    line = line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
    const size_t eq = line.find('=');
    const std::string name = line.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : line.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    const OptDef *d = find_name(name);
    if (!d) {
      o.warnings.push_back("Parse error: Ignoring unknown option '" + line + "'");
      continue;
    }
    if (d->value) {
      set_value(o, *d, value);
      continue;
    }
    std::string v;
    for (char c : value)
      v += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (v == "1" || v == "yes" || v == "on" || v == "true")
      set_flag(o, *d, true);
    else if (v == "0" || v == "no" || v == "off" || v == "false")
      set_flag(o, *d, false);
    else
      o.warnings.push_back("Parse error: Ignoring option '" + name +
                           "' because it does not have value");
  }
  finish(o);
  return o;
}

void validate(const Options &o) {
  switch (o.action) {
  case Action::On:
  case Action::Off:
  case Action::Reboot:
  case Action::Status:
  case Action::ValidateAll:
    if (!o.plug)
      throw UsageError(o.nodename.empty()
                           ? "Failed: You have to enter plug number or machine identification"
                           : "Failed: no plug given, and nodename '" + o.nodename +
                                 "' is not a node ID: map it (pcmk_host_map=\"" + o.nodename +
                                 ":ID\")");
    break;
  default:
    break;
  }
}

std::string metadata_xml() {
  std::ostringstream x;
  x << "<?xml version=\"1.0\" ?>\n"
    << "<resource-agent name=\"fence_raidcluster\" shortdesc=\"Fence agent for raidcluster "
       "nodes: Node_Kill through the shared disks\" >\n"
    << "<longdesc>fence_raidcluster fences a node of a raidcluster cluster (host RAID on shared "
       "SCSI disks) through the disks themselves: 'off' is raidclusterctl node kill. The "
       "cluster writes a Node_Kill for the node's current life into the slots on the shared "
       "disks, waits out its lease and, on disks with SCSI-3 persistent reservations, removes "
       "its key from every member disk (PREEMPT AND ABORT), so the disks refuse its writes "
       "even if it never learns it was killed. The action returns once that is done and the "
       "node's logical drives may be taken over. It runs on any node of the raidcluster "
       "cluster in nexus. 'on' (unfencing) runs on the fenced node itself: it resumes the node "
       "(raidclusterctl node resume), which rejoins with a new life and, with persistent "
       "reservations, a new key. 'status' is OFF only when fencing the node's current life is "
       "complete. Do not combine it with fence_scsi on the same disks: raidcluster manages "
       "their reservations itself.</longdesc>\n"
    << "<vendor-url></vendor-url>\n"
    << "<parameters>\n";
  for (const auto &d : kOpts) {
    if (d.obsolete) {
      const std::string ob = std::string(" obsoletes=\"") + d.obsolete + "\"";
      parameter(x, d, d.name, ob.c_str());
      parameter(x, d, d.obsolete, " deprecated=\"1\"");
    } else {
      parameter(x, d, d.name, "");
    }
  }
  x << "</parameters>\n<actions>\n\t<action name=\"on\" on_target=\"1\" automatic=\"1\"/>\n";
  for (const auto &a : kActions)
    if (a.action != Action::On)
      x << "\t<action name=\"" << a.name << "\" />\n";
  x << "</actions>\n</resource-agent>\n";
  return x.str();
}

std::string usage_text() {
  std::ostringstream u;
  u << "Usage:\n\tfence_raidcluster [options]\n"
    << "\tfence_raidcluster < options   (name=value lines on stdin, as Pacemaker passes them)\n"
    << "Options:\n";
  for (const auto &d : kOpts) {
    std::string g = d.getopt;
    if (g.size() < 31)
      g.resize(31, ' ');
    u << "   " << g << " " << d.desc;
    if (d.deflt)
      u << " (default " << d.deflt << ")";
    u << "\n";
  }
  u << "Actions:\n"
    << "   off           Node_Kill the node through the shared disks; returns once it is fenced\n"
    << "   reboot        the same as off: the node stays suspended until it is unfenced\n"
    << "   on            unfence: on the fenced node itself, 'raidclusterctl node resume'\n"
    << "   status        ON, or OFF (exit 2) when fencing its current life is complete\n"
    << "   list          the nodes known on the disks, one 'ID,' line each\n"
    << "   list-status   'ID,,ON' or 'ID,,OFF' per node\n"
    << "   monitor       this node runs the protocol and is in nexus\n"
    << "   metadata      the fence-agents XML description\n"
    << "   validate-all  check the options only\n"
    << "Exit status: 0 success, 1 failure (a bad option included), 2 status OFF.\n";
  return u.str();
}

bool is_off(const rc_ioc_node_info &n) {
  if (n.flags & RC_NODE_F_SELF)
    return (n.flags & RC_NODE_F_SUSPENDED) || !(n.flags & RC_NODE_F_RUNNING);
  return (n.flags & RC_NODE_F_FENCED) != 0;
}

std::string format_list(const std::vector<rc_ioc_node_info> &nodes, bool with_status) {
  std::string out;
  for (const auto &n : nodes) {
    out += std::to_string(n.id) + ",";
    if (with_status)
      out += std::string(",") + (is_off(n) ? "OFF" : "ON");
    out += "\n";
  }
  return out;
}

} // namespace rc::fence
