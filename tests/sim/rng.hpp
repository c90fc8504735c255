// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// The simulator's only source of randomness: xoshiro256** seeded through
// splitmix64 from the scenario seed.  Every random choice of a run (latency,
// interleaving, fault plan) comes from one Rng in a fixed order, so a seed
// names exactly one run: `rcsim --seed S` replays it bit for bit.
#ifndef RCSIM_RNG_HPP
#define RCSIM_RNG_HPP

#include <cstdint>

namespace rcsim {

// splitmix64: expands one 64-bit seed into well-mixed state words.
inline uint64_t splitmix64(uint64_t &x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

class Rng {
public:
  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (auto &w : s_)
      w = splitmix64(x);
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); n == 0 yields 0.  Lemire's multiply-shift: no
  // modulo bias worth caring about at simulator scales, and no loop, so
  // the number of draws per call is fixed (keeps traces stable).
  uint64_t below(uint64_t n) {
    if (n == 0)
      return 0;
    return (uint64_t)(((unsigned __int128)next() * n) >> 64);
  }

  // Uniform in [lo, hi] (inclusive).
  uint64_t range(uint64_t lo, uint64_t hi) { return hi <= lo ? lo : lo + below(hi - lo + 1); }

  // True with probability num/den.
  bool chance(uint64_t num, uint64_t den) { return below(den) < num; }

private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

} // namespace rcsim

#endif
