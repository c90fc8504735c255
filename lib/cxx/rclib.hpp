// The portable C library (lib/) seen from C++: its headers have no
// extern "C" of their own because the kernel build must not see one.
#pragma once

extern "C" {
#include "cod.h"
#include "crc32c.h"
#include "geom.h"
}

#include <memory>
#include <string>

namespace rc {

// struct rc_config is ~40 KiB: keep it on the heap (shared: reports copy).
using ConfigPtr = std::shared_ptr<rc_config>;
inline ConfigPtr new_config() { return std::make_shared<rc_config>(); }

// "0f3c2a1e-...": the 36-character form; short_uuid() is its first 8 digits.
std::string format_uuid(const uint8_t uuid[16]);
std::string short_uuid(const uint8_t uuid[16]);
bool uuid_is_zero(const uint8_t uuid[16]);

// NUL-padded fixed-size field -> string (stops at the first NUL).
std::string fixed_str(const char *p, size_t len);

} // namespace rc
