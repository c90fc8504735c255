#include "blank.hpp"

#include "raidcluster/layout.h"

#include <algorithm>

namespace rc {

namespace {
constexpr uint64_t kMiB = 1024 * 1024;
// Everything the first attach writes: the metadata area up to the data.
constexpr uint64_t kHead = RC_DATA_START_SECTOR * 512;
constexpr uint64_t kReadChunk = 1024 * 1024;
} // namespace

std::vector<std::pair<uint64_t, uint64_t>> blank_ranges(uint64_t bytes, uint32_t block_len) {
  std::vector<std::pair<uint64_t, uint64_t>> r;
  if (!block_len)
    return r;
  bytes -= bytes % block_len;
  if (bytes <= kHead + kMiB) {
    if (bytes)
      r.emplace_back(0, bytes);
    return r;
  }
  r.emplace_back(0, kHead - kHead % block_len);
  uint64_t tail = bytes - kMiB;
  tail -= tail % block_len; // a block size that does not divide 1 MiB
  r.emplace_back(tail, bytes - tail);
  return r;
}

bool all_zero(const uint8_t *p, size_t n) {
  return std::all_of(p, p + n, [](uint8_t b) { return b == 0; });
}

bool disk_is_blank(ScsiDevice &dev) {
  Capacity cap = dev.capacity();
  for (const auto &[off, len] : blank_ranges(cap.blocks * cap.block_len, cap.block_len)) {
    for (uint64_t done = 0; done < len;) {
      uint64_t n = std::min(kReadChunk, len - done);
      std::vector<uint8_t> buf = dev.read_bytes(off + done, n);
      if (!all_zero(buf.data(), buf.size()))
        return false;
      done += n;
    }
  }
  return true;
}

} // namespace rc
