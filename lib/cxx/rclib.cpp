#include "rclib.hpp"

#include <cstdio>
#include <cstring>

namespace rc {

std::string format_uuid(const uint8_t u[16]) {
  char b[37];
  std::snprintf(b, sizeof(b),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
                u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
                u[15]);
  return b;
}

std::string short_uuid(const uint8_t u[16]) { return format_uuid(u).substr(0, 8); }

bool uuid_is_zero(const uint8_t u[16]) {
  static const uint8_t zero[16] = {};
  return std::memcmp(u, zero, 16) == 0;
}

std::string fixed_str(const char *p, size_t len) { return std::string(p, strnlen(p, len)); }

} // namespace rc
