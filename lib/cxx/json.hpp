// The tools' --json output: nlohmann::ordered_json, whose objects keep their
// insertion order so the output is stable and diffable.  Output only; the
// tools never parse JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace rc {

using Json = nlohmann::ordered_json;

// The text of @j as the tools print it: pretty-printed with @indent spaces,
// or on one line when @indent is negative (nlohmann's convention).
// Strings from disks (vendor, model, serial, a drive name another node wrote
// in the COD) need not be UTF-8: valid UTF-8 passes through unchanged, bytes
// that are not become U+FFFD, so the output is always valid JSON and never an
// exception (nlohmann's own dump() throws type_error.316 on them).  Control
// characters U+0000..U+001F are escaped (\n, \u001f).  Every output of the
// tools goes through here.
std::string dump_json(const Json &j, int indent = 2);

} // namespace rc
