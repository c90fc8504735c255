// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "scenario.hpp"

#include <algorithm>
#include <cstdio>

namespace rcsim {

const char *fault_name(FaultKind k) {
  switch (k) {
  case FaultKind::Crash:
    return "crash";
  case FaultKind::PowerOn:
    return "power-on";
  case FaultKind::Reset:
    return "reset";
  case FaultKind::CablePull:
    return "cable-pull";
  case FaultKind::CablePlug:
    return "cable-plug";
  case FaultKind::DiskFail:
    return "disk-fail";
  case FaultKind::TornWrites:
    return "torn-writes";
  case FaultKind::DelayWrites:
    return "delay-writes";
  case FaultKind::Freeze:
    return "freeze";
  case FaultKind::HangIo:
    return "hang-io";
  case FaultKind::FreezeClock:
    return "freeze-clock";
  case FaultKind::ClockJump:
    return "clock-jump";
  }
  return "?";
}

const char *host_name(HostKind k) {
  switch (k) {
  case HostKind::Reserve:
    return "reserve";
  case HostKind::Release:
    return "release";
  case HostKind::Io:
    return "io";
  case HostKind::Rebuild:
    return "rebuild";
  }
  return "?";
}

// Fault kinds and their weights in the random mix.
struct Weighted {
  FaultKind k;
  int w;
};
static const Weighted kMix[] = {
    {FaultKind::Crash, 4},       {FaultKind::Reset, 4},      {FaultKind::CablePull, 4},
    {FaultKind::DiskFail, 2},    {FaultKind::TornWrites, 3}, {FaultKind::DelayWrites, 2},
    {FaultKind::ClockJump, 2},   {FaultKind::Freeze, 2},     {FaultKind::HangIo, 2},
    {FaultKind::FreezeClock, 2},
};

static FaultKind pick_kind(Rng &r, const ScenarioParams &p) {
  int total = 0;
  for (const auto &m : kMix)
    total += m.w;
  for (;;) {
    int x = (int)r.below(total);
    for (const auto &m : kMix) {
      if (x < m.w) {
        if ((m.k == FaultKind::DiskFail && !p.allow_disk_fail) ||
            (m.k == FaultKind::CablePull && !p.allow_cable))
          break; // draw again
        return m.k;
      }
      x -= m.w;
    }
  }
}

// @f lasts f.span; 1-3 s after its end the operator resets the node (one
// the fault got killed waits suspended for a human).
static void push_with_operator_reset(std::vector<Fault> &faults, const Fault &f, Rng &r) {
  faults.push_back(f);
  Fault op = f;
  op.kind = FaultKind::Reset;
  op.t = f.t + f.span + r.range(1000000, 3000000);
  op.span = 200000;
  faults.push_back(op);
}

Scenario make_scenario(uint64_t seed, int nodes, const ScenarioParams &p) {
  Rng r(seed);
  Scenario s;
  s.seed = seed;
  s.shape.nodes = nodes;
  s.shape.channels = (int)r.range(1, 3);
  s.shape.disks_per_channel = (int)r.range(1, 3);
  s.shape.lds = (int)r.range(1, 4);
  const int ndisks = s.shape.channels * s.shape.disks_per_channel;
  // The poll period is a parameter of the library: the default 100 ms in
  // a third of the runs, coarser in the others (fewer I/Os per simulated
  // second, and timing variety for the protocol).
  static const uint32_t polls[] = {100, 200, 300};
  s.poll_ms = polls[r.below(3)];
  s.disk_pr = p.disk_pr;

  // Cold start: everybody within 0.3 s; sometimes one node joins late
  // and must become a slave of the running master.
  int late = r.chance(1, 4) ? (int)r.below(nodes) : -1;
  for (int n = 0; n < nodes; n++) {
    SimTime b = r.range(0, 300000);
    if (n == late)
      b += r.range(3000000, 6000000);
    s.boot_at.push_back(b);
    s.skew_ppm.push_back((int32_t)r.range(0, 2 * (uint64_t)p.max_skew_ppm) - p.max_skew_ppm);
    s.clock_offset.push_back(r.range(0, 1ull << 40));
  }

  int nf = (int)r.range(p.faults_min, p.faults_max);
  int disks_failed = 0;
  SimTime last = p.startup;
  for (int i = 0; i < nf; i++) {
    Fault f;
    f.t = p.startup + r.range(0, p.fault_gap);
    f.kind = pick_kind(r, p);
    f.node = (int)r.below(nodes);
    switch (f.kind) {
    case FaultKind::Crash:
      s.faults.push_back(f);
      if (r.chance(1, 2)) { // comes back later, as a slave
        Fault on = f;
        on.kind = FaultKind::PowerOn;
        on.t = f.t + r.range(1000000, 8000000);
        s.faults.push_back(on);
      }
      break;
    case FaultKind::Reset:
      f.span = r.range(50000, 800000);
      s.faults.push_back(f);
      break;
    case FaultKind::CablePull: {
      // One channel, or (1 in 3) every channel: the node is isolated.
      bool all = r.chance(1, 3);
      int ch = (int)r.below(s.shape.channels);
      SimTime back = f.t + r.range(2000000, 6000000);
      for (int c = 0; c < s.shape.channels; c++) {
        if (!all && c != ch)
          continue;
        Fault pull = f, plug = f;
        pull.arg = plug.arg = c;
        plug.kind = FaultKind::CablePlug;
        plug.t = back;
        s.faults.push_back(pull);
        s.faults.push_back(plug);
      }
      // The operator fixes the cable and resets the node (a suspended
      // node waits for human intervention).
      Fault op = f;
      op.kind = FaultKind::Reset;
      op.t = back + 500000;
      op.span = 200000;
      s.faults.push_back(op);
      break;
    }
    case FaultKind::DiskFail:
      if (disks_failed + 1 >= ndisks) {
        i--;
        continue;
      }
      disks_failed++;
      f.node = -1;
      f.arg = (int)r.below(ndisks);
      s.faults.push_back(f);
      break;
    case FaultKind::TornWrites:
      f.arg = (int)r.range(1, 4);
      s.faults.push_back(f);
      break;
    case FaultKind::DelayWrites:
      f.arg = (int)r.range(20, 300); // extra ms per write
      f.span = r.range(500000, 3000000);
      s.faults.push_back(f);
      break;
    case FaultKind::ClockJump:
      f.arg = (int32_t)r.range(0, 2 * (uint64_t)p.max_skew_ppm) - p.max_skew_ppm;
      s.faults.push_back(f);
      break;
    case FaultKind::Freeze:
    case FaultKind::FreezeClock: {
      // Shorter and longer than the detection time: a frozen holder is
      // either back in time or fenced.  A frozen clock matters when the
      // node was fenced meanwhile: mostly longer than detection + fence.
      f.span = f.kind == FaultKind::Freeze ? r.range(500000, 12000000) : r.range(4000000, 16000000);
      push_with_operator_reset(s.faults, f, r);
      // The node holds a drive when it freezes (the case that matters).
      HostCmd h;
      h.t = f.t - r.range(500000, 1500000);
      h.kind = HostKind::Reserve;
      h.node = f.node;
      h.ld = (int)r.below(s.shape.lds);
      s.host.push_back(h);
      break;
    }
    case FaultKind::HangIo:
      // A hang longer than the detection time gets the node killed.
      f.span = r.range(500000, 8000000);
      push_with_operator_reset(s.faults, f, r);
      break;
    case FaultKind::PowerOn:
    case FaultKind::CablePlug:
      break;
    }
  }
  std::stable_sort(s.faults.begin(), s.faults.end(),
                   [](const Fault &a, const Fault &b) { return a.t < b.t; });
  for (const auto &f : s.faults)
    last = std::max(last, f.t + f.span);
  s.end = last + p.tail;

  static const HostKind kinds[] = {HostKind::Reserve, HostKind::Reserve, HostKind::Io,
                                   HostKind::Io,      HostKind::Io,      HostKind::Release,
                                   HostKind::Release, HostKind::Rebuild};
  for (int i = 0; i < p.host_cmds; i++) {
    HostCmd h;
    h.t = r.range(p.startup / 2, last + 4000000);
    h.kind = kinds[r.below(sizeof(kinds) / sizeof(kinds[0]))];
    h.node = (int)r.below(nodes);
    h.ld = (int)r.below(s.shape.lds);
    s.host.push_back(h);
  }
  std::stable_sort(s.host.begin(), s.host.end(),
                   [](const HostCmd &a, const HostCmd &b) { return a.t < b.t; });
  return s;
}

std::string describe(const Scenario &s) {
  std::string out;
  char buf[256];
  snprintf(buf, sizeof(buf),
           "scenario seed %llu: %d nodes, %d channels x %d disks, %d lds, "
           "poll %u ms, %.1f s\n",
           (unsigned long long)s.seed, s.shape.nodes, s.shape.channels, s.shape.disks_per_channel,
           s.shape.lds, s.poll_ms, s.end / 1e6);
  out += buf;
  for (int n = 0; n < s.shape.nodes; n++) {
    snprintf(buf, sizeof(buf), "  node %d boots at %.3f s, clock skew %+d ppm\n", n,
             s.boot_at[n] / 1e6, s.skew_ppm[n]);
    out += buf;
  }
  for (const auto &f : s.faults) {
    snprintf(buf, sizeof(buf), "  fault %8.3f s %-12s node %d arg %d span %.3f s\n", f.t / 1e6,
             fault_name(f.kind), f.node, f.arg, f.span / 1e6);
    out += buf;
  }
  for (const auto &h : s.host) {
    snprintf(buf, sizeof(buf), "  host  %8.3f s %-8s node %d ld %d\n", h.t / 1e6, host_name(h.kind),
             h.node, h.ld);
    out += buf;
  }
  return out;
}

} // namespace rcsim
