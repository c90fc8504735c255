#include "json.hpp"

namespace rc {

std::string dump_json(const Json &j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

} // namespace rc
