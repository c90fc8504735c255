// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// The shared SCSI buses and disks, as memory.
//
// A disk sits on one channel (bus) at one target ID and stores 512-byte
// sectors sparsely in 4 KiB blocks (only the metadata area is ever touched: slots,
// mailboxes, COD).  Every node reaches a disk through its own cable to
// the disk's channel; a path works when the node is up, its cable on that
// channel is plugged and the disk has not failed.
//
// I/O is asynchronous: submit() records the request, the cluster schedules
// its completion after a random latency, and complete() performs it then
// (reads see the medium at completion time, writes land at completion
// time).  What can go wrong, and how:
//   - cable pulled before submission: the I/O fails, nothing transferred;
//   - cable pulled or node crashed while a write is in flight: a random
//     prefix of its sectors (possibly none, possibly all) reaches the
//     medium, the rest does not: a torn 4 KiB block;
//   - a torn-write fault: the node's next writes transfer a random strict
//     prefix and then fail (transport abort mid-transfer);
//   - a failed disk: every I/O and Test Unit Ready on it fails.
#ifndef RCSIM_FABRIC_HPP
#define RCSIM_FABRIC_HPP

#include "rng.hpp"
#include "trace.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

namespace rcsim {

constexpr unsigned kSectorBytes = 512;
constexpr unsigned kBlockSectors = 8; // storage granule: one 4 KiB block
using Block = std::array<uint8_t, kSectorBytes * kBlockSectors>;

class Disk {
public:
  Disk(int channel, int target) : channel_(channel), target_(target) {}

  int channel() const { return channel_; }
  int target() const { return target_; }
  bool failed() const { return failed_; }
  void fail() { failed_ = true; }

  // Sectors never written read as zeros.
  void read(uint64_t sector, uint32_t n, uint8_t *out) const;
  void write(uint64_t sector, uint32_t n, const uint8_t *in);
  uint64_t writes() const { return writes_; }

private:
  int channel_, target_;
  bool failed_ = false;
  uint64_t writes_ = 0;
  std::unordered_map<uint64_t, Block> blocks_; // by sector / 8
};

enum class IoOp : uint8_t { Read, Write, Tur };

enum class IoStatus : uint8_t {
  Ok,
  NoPath,     // this node's cable to the disk's channel is pulled
  DiskFailed, // the disk is dead for everybody
  Aborted,    // transfer aborted midway (torn write fault)
};

const char *io_status_name(IoStatus s);
const char *io_op_name(IoOp op);

struct Io {
  uint64_t id = 0;
  int node = -1;
  int disk = -1;
  IoOp op = IoOp::Read;
  uint64_t sector = 0;
  uint32_t nsect = 0;
  uint64_t tag = 0;          // the library's cookie, returned on completion
  std::vector<uint8_t> data; // write payload / read result
  bool path_at_submit = false;
  IoStatus status = IoStatus::Ok;
};

class Fabric {
public:
  Fabric(int nodes, int channels) : nodes_(nodes), channels_(channels) {
    cable_.assign(nodes * channels, true);
    torn_budget_.assign(nodes, 0);
  }

  int add_disk(int channel, int target) {
    disks_.emplace_back(channel, target);
    return (int)disks_.size() - 1;
  }

  int nodes() const { return nodes_; }
  int channels() const { return channels_; }
  int ndisks() const { return (int)disks_.size(); }
  Disk &disk(int d) { return disks_[d]; }
  const Disk &disk(int d) const { return disks_[d]; }

  bool cable(int node, int ch) const { return cable_[node * channels_ + ch]; }
  void set_cable(int node, int ch, bool plugged) { cable_[node * channels_ + ch] = plugged; }
  // Bitmap of channels this node's cables are plugged into.
  uint32_t plugged_mask(int node) const;
  // Can @node reach @disk right now (cable + disk alive)?
  IoStatus path(int node, int disk) const;
  // Does @node reach at least one live disk on any channel?
  bool reaches_any(int node) const;

  // The next @count writes of @node are torn (strict prefix, then Aborted).
  void arm_torn_writes(int node, int count) { torn_budget_[node] += count; }

  // Record a request; returns its id.  The caller schedules complete().
  uint64_t submit(Io io);
  bool in_flight(uint64_t id) const { return inflight_.count(id) != 0; }
  // Perform a request at its completion time; removes it from flight.
  Io complete(uint64_t id, Rng &rng, Trace &tr, SimTime now);
  // The node lost power: its in-flight writes land fully, partly or not
  // at all (chosen by @rng); every request of the node is forgotten.
  void crash_node(int node, Rng &rng, Trace &tr, SimTime now);
  size_t in_flight_count() const { return inflight_.size(); }

private:
  void land_prefix(const Io &io, uint32_t n);

  int nodes_, channels_;
  std::vector<Disk> disks_;
  std::vector<bool> cable_;
  std::vector<int> torn_budget_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Io> inflight_; // ordered: crash_node is deterministic
};

} // namespace rcsim

#endif
