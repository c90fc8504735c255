// The machine interface: every --json output of raidclusterctl and every
// line of `raidclusterctl monitor` is one JSON object whose first member is
// schema_version.  Documentation/raidclusterctl.schema.json describes
// version kSchemaVersion, and the tests validate every output against it.
// A change that removes or retypes a field raises the version; a new field
// does not.
#pragma once

#include "json.hpp"

namespace rc {

constexpr unsigned kSchemaVersion = 1;

// An output's top-level object: schema_version, then @members in their order.
inline Json versioned(const Json &members = Json::object()) {
  Json j = {{"schema_version", kSchemaVersion}};
  j.update(members);
  return j;
}

} // namespace rc
