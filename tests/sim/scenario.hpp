// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// One scenario: the cluster's shape and a timed plan of faults and host
// commands, all drawn from the seed.  The plan is generated up front (so
// it can be printed, and so the same seed gives the same plan whatever the
// library does) and executed by the Cluster.
#ifndef RCSIM_SCENARIO_HPP
#define RCSIM_SCENARIO_HPP

#include "rng.hpp"
#include "trace.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rcsim {

enum class FaultKind : uint8_t {
  Crash,       // power off: in-flight writes torn, node silent
  PowerOn,     // boot a crashed node (new incarnation)
  Reset,       // fast reboot: crash and boot again within ~0.1-1 s
  CablePull,   // node's cable on one channel: its I/O there fails
  CablePlug,   // plug it back (a suspended node stays suspended)
  DiskFail,    // a disk dies for everybody
  TornWrites,  // the node's next writes transfer a strict prefix, abort
  DelayWrites, // the node's writes take much longer for a while
  ClockJump,   // the node's clock rate changes (skew)
  Freeze,      // the node stops for span (SIGSTOP, a hung kernel): no event
               // of it runs, its I/O waits; then it goes on, its clock jumped
  HangIo,      // every I/O the node issues for span hangs until its end
  FreezeClock, // as Freeze, but its clock stops too (a VM paused by its
               // hypervisor): when it thaws it believes in its lease
};

struct Fault {
  SimTime t;
  FaultKind kind;
  int node = -1;
  int arg = 0;      // channel, disk, write count, rate in ppm
  SimTime span = 0; // DelayWrites, Freeze, HangIo: how long; Reset: down time
};

enum class HostKind : uint8_t { Reserve, Release, Io, Rebuild };

struct HostCmd {
  SimTime t;
  HostKind kind;
  int node;
  int ld;
};

struct Shape {
  int nodes = 2;
  int channels = 2;
  int disks_per_channel = 2;
  int lds = 2;
};

struct Scenario {
  uint64_t seed = 0;
  Shape shape;
  std::vector<SimTime> boot_at;      // per node: first power-on
  std::vector<int32_t> skew_ppm;     // per node: clock rate error
  std::vector<SimTime> clock_offset; // per node: clock value at boot
  std::vector<Fault> faults;         // sorted by time
  std::vector<HostCmd> host;         // sorted by time
  SimTime end = 0;                   // simulated duration
  uint32_t poll_ms = 100;            // the library's mailbox poll period
  bool disk_pr = true;               // the disks have persistent reservations
};

struct ScenarioParams {
  int faults_min = 1, faults_max = 2;
  SimTime startup = 6500000;   // faults start after this (cold start done)
  SimTime fault_gap = 5000000; // faults spread over this window
  SimTime tail = 18000000;     // run this long after the last fault
  int host_cmds = 8;
  int32_t max_skew_ppm = 20000; // +-2 %
  bool allow_disk_fail = true;
  bool allow_cable = true;
  // The disks have SCSI-3 persistent reservations and the nodes fence at
  // them (rc_node_params.disk_fence); false: the lease alone, where a
  // FreezeClock fault can make two writers (rcsim --lease-only shows it).
  bool disk_pr = true;
};

// Build the scenario of @seed for @nodes nodes.
Scenario make_scenario(uint64_t seed, int nodes, const ScenarioParams &p);

// Human-readable plan (printed by --trace before the run).
std::string describe(const Scenario &s);
const char *fault_name(FaultKind k);
const char *host_name(HostKind k);

} // namespace rcsim

#endif
