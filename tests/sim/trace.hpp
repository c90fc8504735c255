// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// The event trace of one run.  Every scheduler step, I/O, fault and
// library action is recorded: its numeric fields always feed a running
// FNV-1a hash (cheap, so determinism tests compare hashes of every run),
// and its text is formatted only when asked for (--trace, or a failing
// seed replayed for its report).  Formatting every event of 10,000
// scenarios would cost more than simulating them.
#ifndef RCSIM_TRACE_HPP
#define RCSIM_TRACE_HPP

#include <cstdint>
#include <deque>
#include <string>

namespace rcsim {

using SimTime = uint64_t; // microseconds of simulated (true) time

class Trace {
public:
  enum class Mode { Hash, Live, Tail };

  explicit Trace(Mode mode = Mode::Hash, size_t keep_tail = 200)
      : mode_(mode), keep_tail_(keep_tail) {}

  // Feed one event's identity into the hash.
  void note(SimTime t, uint64_t kind, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0) {
    mix(t);
    mix(kind);
    mix(a);
    mix(b);
    mix(c);
    events_++;
  }

  // Does anybody want text?  Callers test this before formatting.
  bool text() const { return mode_ != Mode::Hash; }

  // printf-style line stamped with the simulated time (text modes only).
  void log(SimTime t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

  uint64_t hash() const { return hash_; }
  uint64_t events() const { return events_; }
  const std::deque<std::string> &tail() const { return tail_; }

private:
  void mix(uint64_t v) {
    for (int i = 0; i < 8; i++) {
      hash_ ^= (v >> (8 * i)) & 0xff;
      hash_ *= 0x100000001b3ull;
    }
  }

  Mode mode_;
  size_t keep_tail_;
  uint64_t hash_ = 0xcbf29ce484222325ull;
  uint64_t events_ = 0;
  std::deque<std::string> tail_;
};

} // namespace rcsim

// Record an event: always hashed, formatted only when text is wanted.
#define RCSIM_EV(tr, t, kind, a, b, c, ...)                                                        \
  do {                                                                                             \
    (tr).note((t), (kind), (a), (b), (c));                                                         \
    if ((tr).text())                                                                               \
      (tr).log((t), __VA_ARGS__);                                                                  \
  } while (0)

#endif
