#include "units.hpp"
#include "error.hpp"

#include <cctype>
#include <cstdio>
#include <limits>

namespace rc {

namespace {

std::string lower(std::string s) {
  for (auto &c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

[[noreturn]] void bad(const std::string &what, const std::string &s, const std::string &why) {
  throw UsageError("bad " + what + " '" + s + "': " + why);
}

} // namespace

uint64_t parse_bytes(const std::string &s, const std::string &what) {
  size_t i = 0;
  uint64_t n = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    unsigned d = static_cast<unsigned>(s[i] - '0');
    if (n > (std::numeric_limits<uint64_t>::max() - d) / 10)
      bad(what, s, "number too large");
    n = n * 10 + d;
    i++;
  }
  if (i == 0)
    bad(what, s, "expected a number with an optional K/M/G/T or s suffix");
  std::string suffix = lower(s.substr(i));
  unsigned shift = 0;
  if (suffix.empty() || suffix == "b")
    shift = 0;
  else if (suffix == "s")
    shift = 9;
  else {
    static const char units[] = "kmgt";
    size_t u = std::string(units).find(suffix[0]);
    std::string rest = suffix.substr(1);
    if (u == std::string::npos || !(rest.empty() || rest == "b" || rest == "ib"))
      bad(what, s, "unknown suffix '" + s.substr(i) + "' (use K, M, G, T or s)");
    shift = 10 * static_cast<unsigned>(u + 1);
  }
  if (n > (std::numeric_limits<uint64_t>::max() >> shift))
    bad(what, s, "number too large");
  return n << shift;
}

uint64_t parse_sectors(const std::string &s, const std::string &what) {
  uint64_t b = parse_bytes(s, what);
  if (b % 512)
    bad(what, s, "not a multiple of 512 bytes");
  return b / 512;
}

uint32_t parse_stripe(const std::string &s) {
  uint64_t sec = parse_sectors(s, "stripe");
  if (sec < 8 || sec > 2048 || (sec & (sec - 1)))
    bad("stripe", s, "must be a power of two from 4K to 1M");
  return static_cast<uint32_t>(sec);
}

unsigned parse_level(const std::string &s) {
  std::string l = lower(s);
  if (l.compare(0, 4, "raid") == 0)
    l = l.substr(4);
  if (l == "0" || l == "1" || l == "5" || l == "10")
    return static_cast<unsigned>(std::stoul(l));
  bad("level", s, "supported levels are 0, 1, 5 and 10");
}

std::string format_sectors(uint64_t sectors) {
  static const char *units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (sectors < 2)
    return std::to_string(sectors * 512) + " B";
  double v = static_cast<double>(sectors) / 2.0; // KiB
  unsigned u = 0;
  while (v >= 1024.0 && u + 1 < sizeof(units) / sizeof(units[0])) {
    v /= 1024.0;
    u++;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f %s", v, units[u]);
  return buf;
}

std::string format_sectors_exact(uint64_t sectors) {
  if (!sectors)
    return "0";
  static const struct {
    uint64_t sectors;
    const char *suffix;
  } units[] = {{2ull << 30, "T"}, {2ull << 20, "G"}, {2ull << 10, "M"}, {2, "K"}};
  for (const auto &u : units)
    if (sectors % u.sectors == 0)
      return std::to_string(sectors / u.sectors) + u.suffix;
  return std::to_string(sectors) + "s";
}

std::string format_stripe(uint32_t sectors) {
  uint64_t b = static_cast<uint64_t>(sectors) * 512;
  if (b && b % (1024 * 1024) == 0)
    return std::to_string(b / (1024 * 1024)) + "M";
  if (b && b % 1024 == 0)
    return std::to_string(b / 1024) + "K";
  return std::to_string(b);
}

} // namespace rc
