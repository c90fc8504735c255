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

// An output's top-level object, schema_version first.
inline Json versioned() { return Json::object().set("schema_version", kSchemaVersion); }

} // namespace rc
