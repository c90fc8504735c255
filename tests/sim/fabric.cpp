// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "fabric.hpp"

#include <algorithm>
#include <cstring>

namespace rcsim {

const char *io_status_name(IoStatus s) {
  switch (s) {
  case IoStatus::Ok:
    return "ok";
  case IoStatus::NoPath:
    return "no-path";
  case IoStatus::DiskFailed:
    return "disk-failed";
  case IoStatus::Aborted:
    return "aborted";
  }
  return "?";
}

const char *io_op_name(IoOp op) {
  switch (op) {
  case IoOp::Read:
    return "read";
  case IoOp::Write:
    return "write";
  case IoOp::Tur:
    return "tur";
  }
  return "?";
}

void Disk::read(uint64_t sector, uint32_t n, uint8_t *out) const {
  while (n) {
    uint64_t blk = sector / kBlockSectors;
    uint32_t off = (uint32_t)(sector % kBlockSectors);
    uint32_t take = std::min(n, kBlockSectors - off);
    auto it = blocks_.find(blk);
    if (it == blocks_.end())
      memset(out, 0, (size_t)take * kSectorBytes);
    else
      memcpy(out, it->second.data() + (size_t)off * kSectorBytes, (size_t)take * kSectorBytes);
    out += (size_t)take * kSectorBytes;
    sector += take;
    n -= take;
  }
}

void Disk::write(uint64_t sector, uint32_t n, const uint8_t *in) {
  writes_++;
  while (n) {
    uint64_t blk = sector / kBlockSectors;
    uint32_t off = (uint32_t)(sector % kBlockSectors);
    uint32_t take = std::min(n, kBlockSectors - off);
    auto it = blocks_.find(blk);
    if (it == blocks_.end())
      it = blocks_.emplace(blk, Block{}).first; // value-initialised: zeros
    memcpy(it->second.data() + (size_t)off * kSectorBytes, in, (size_t)take * kSectorBytes);
    in += (size_t)take * kSectorBytes;
    sector += take;
    n -= take;
  }
}

uint32_t Fabric::plugged_mask(int node) const {
  uint32_t m = 0;
  for (int c = 0; c < channels_; c++)
    if (cable(node, c))
      m |= 1u << c;
  return m;
}

IoStatus Fabric::path(int node, int d) const {
  const Disk &k = disks_[d];
  if (!cable(node, k.channel()))
    return IoStatus::NoPath;
  if (k.failed())
    return IoStatus::DiskFailed;
  return IoStatus::Ok;
}

bool Fabric::reaches_any(int node) const {
  for (int d = 0; d < ndisks(); d++)
    if (path(node, d) == IoStatus::Ok)
      return true;
  return false;
}

uint64_t Fabric::submit(Io io) {
  io.id = next_id_++;
  io.path_at_submit = path(io.node, io.disk) == IoStatus::Ok;
  if (io.op == IoOp::Read)
    io.data.assign((size_t)io.nsect * kSectorBytes, 0);
  uint64_t id = io.id;
  inflight_.emplace(id, std::move(io));
  return id;
}

void Fabric::land_prefix(const Io &io, uint32_t n) {
  if (n)
    disks_[io.disk].write(io.sector, n, io.data.data());
}

Io Fabric::complete(uint64_t id, Rng &rng, Trace &tr, SimTime now) {
  auto it = inflight_.find(id);
  Io io = std::move(it->second);
  inflight_.erase(it);

  IoStatus st = path(io.node, io.disk);
  if (!io.path_at_submit) {
    // Never left the initiator: nothing transferred.
    io.status = st == IoStatus::Ok ? IoStatus::NoPath : st;
    if (io.op == IoOp::Read)
      io.data.clear();
    return io;
  }
  if (st != IoStatus::Ok) {
    // The path broke while the request was in flight.
    if (io.op == IoOp::Write && st == IoStatus::NoPath) {
      uint32_t n = (uint32_t)rng.range(0, io.nsect);
      land_prefix(io, n);
      RCSIM_EV(tr, now, 0x100, io.node, io.disk, n,
               "fabric: node %d write d%d@%llu cut by cable pull: %u/%u "
               "sectors landed",
               io.node, io.disk, (unsigned long long)io.sector, n, io.nsect);
    }
    io.status = st;
    if (io.op == IoOp::Read)
      io.data.clear();
    return io;
  }
  switch (io.op) {
  case IoOp::Tur:
    break;
  case IoOp::Read:
    disks_[io.disk].read(io.sector, io.nsect, io.data.data());
    break;
  case IoOp::Write:
    if (torn_budget_[io.node] > 0 && io.nsect > 1) {
      torn_budget_[io.node]--;
      uint32_t n = (uint32_t)rng.range(1, io.nsect - 1);
      land_prefix(io, n);
      io.status = IoStatus::Aborted;
      RCSIM_EV(tr, now, 0x101, io.node, io.disk, n,
               "fabric: node %d write d%d@%llu torn: %u/%u sectors landed", io.node, io.disk,
               (unsigned long long)io.sector, n, io.nsect);
      return io;
    }
    land_prefix(io, io.nsect);
    break;
  }
  io.status = IoStatus::Ok;
  return io;
}

void Fabric::crash_node(int node, Rng &rng, Trace &tr, SimTime now) {
  for (auto it = inflight_.begin(); it != inflight_.end();) {
    Io &io = it->second;
    if (io.node != node) {
      ++it;
      continue;
    }
    if (io.op == IoOp::Write && io.path_at_submit && path(node, io.disk) == IoStatus::Ok) {
      uint32_t n = (uint32_t)rng.range(0, io.nsect);
      land_prefix(io, n);
      RCSIM_EV(tr, now, 0x102, node, io.disk, n,
               "fabric: node %d crashed during write d%d@%llu: %u/%u sectors "
               "landed",
               node, io.disk, (unsigned long long)io.sector, n, io.nsect);
    }
    it = inflight_.erase(it);
  }
}

} // namespace rcsim
