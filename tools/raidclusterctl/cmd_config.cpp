// config show / module-options: this node's /etc/raidcluster.conf.
#include "commands.hpp"
#include "config_file.hpp"
#include "json.hpp"
#include "rclib.hpp"
#include "schema.hpp"

#include <iostream>

namespace rcctl {

int cmd_config_show(const ConfigOpts &o) {
  rc::NodeConfig c = rc::load_config();
  const std::string uuid = c.cluster_uuid ? rc::format_uuid(c.cluster_uuid->data()) : "";
  if (o.json) {
    std::cout << rc::dump_json(
                     rc::versioned({{"path", c.path},
                                    {"present", c.present},
                                    {"node_id", c.node_id ? rc::Json(*c.node_id) : rc::Json()},
                                    {"cluster_uuid", c.cluster_uuid ? rc::Json(uuid) : rc::Json()},
                                    {"auto_attach", c.auto_attach ? "members" : "none"},
                                    {"disks", rc::Json(c.disks)},
                                    {"module_options", rc::module_options(c)}}))
              << "\n";
    return 0;
  }
  std::cout << "# " << c.path << (c.present ? "" : " (absent: the defaults)") << "\n"
            << "node_id = " << (c.node_id ? std::to_string(*c.node_id) : "(unset: 0)") << "\n"
            << "cluster_uuid = " << (c.cluster_uuid ? uuid : "(unset: any)") << "\n"
            << "auto_attach = " << (c.auto_attach ? "members" : "none") << "\n"
            << "disks =";
  if (c.disks.empty())
    std::cout << " (unset: all)";
  for (const auto &d : c.disks)
    std::cout << " " << d;
  std::cout << "\n";
  return 0;
}

int cmd_config_module_options() {
  std::cout << rc::module_options(rc::load_config()) << "\n";
  return 0;
}

} // namespace rcctl
