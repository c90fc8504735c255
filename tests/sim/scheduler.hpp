// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// The virtual clock and the event queue.  Events run in (time, sequence)
// order; the sequence number breaks ties in insertion order, so the only
// source of different interleavings is the seeded Rng that picked the
// times.  An event carries the incarnation of the node it belongs to: a
// crash or reset bumps the incarnation and the dead node's pending ticks
// and I/O completions are dropped when they come up, as on real hardware.
#ifndef RCSIM_SCHEDULER_HPP
#define RCSIM_SCHEDULER_HPP

#include "trace.hpp"

#include <cstdint>
#include <queue>
#include <vector>

namespace rcsim {

enum class EvKind : uint8_t {
  Tick,     // node timer: hand the node its (skewed) clock
  IoDone,   // a submitted I/O completes; id = I/O number
  Fault,    // a planned fault; id = index into the fault plan
  Host,     // a host command arrives; id = index into the host plan
  Check,    // periodic liveness check point
  Config,   // the host finished a configuration step (COD, adopt, commit)
  Start,    // the host (re)starts the node's library
  Rebuild,  // the node's rebuild engine makes progress
  Notice,   // the node's host notices a dead disk (id = disk)
  HostLate, // a host command that arrived while its node was frozen (id)
};

struct Event {
  SimTime t;
  uint64_t seq;
  EvKind kind;
  int node;             // -1: not tied to a node
  uint32_t incarnation; // node incarnation when scheduled
  uint64_t id;
};

class Scheduler {
public:
  SimTime now() const { return now_; }

  void at(SimTime t, EvKind kind, int node, uint32_t inc, uint64_t id) {
    q_.push(Event{t < now_ ? now_ : t, seq_++, kind, node, inc, id});
  }
  void after(SimTime d, EvKind kind, int node, uint32_t inc, uint64_t id) {
    at(now_ + d, kind, node, inc, id);
  }

  bool empty() const { return q_.empty(); }
  SimTime next_time() const { return q_.top().t; }

  // Pop the next event and advance the clock to it.
  Event pop() {
    Event e = q_.top();
    q_.pop();
    now_ = e.t;
    return e;
  }

  size_t pending() const { return q_.size(); }

private:
  struct Later {
    bool operator()(const Event &a, const Event &b) const {
      return a.t != b.t ? a.t > b.t : a.seq > b.seq;
    }
  };
  SimTime now_ = 0;
  uint64_t seq_ = 0;
  std::priority_queue<Event, std::vector<Event>, Later> q_;
};

} // namespace rcsim

#endif
