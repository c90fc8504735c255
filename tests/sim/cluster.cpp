// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "cluster.hpp"

extern "C" {
#include "proto/codec.h"
}

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>

namespace rcsim {

// Trace event kinds (the numeric identity hashed for every event).
enum : uint64_t {
  T_BOOT = 1,
  T_TICK,
  T_IO_SUBMIT,
  T_IO_DONE,
  T_ACTION,
  T_FAULT,
  T_HOST,
  T_COMPLETE,
  T_CONFIG,
  T_REBUILD,
  T_VIOLATION,
};

static const uint8_t kUuid[16] = {'r', 'c', 's', 'i', 'm', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

// Notice event id: retry a configuration change the library found BUSY.
static const uint64_t kRetryConfig = 1u << 20;
// A Notice that answers RC_ACT_PR_PREEMPT (kPrPreempt) or PR_CHECK: the
// node asked about in bits 32-39, its incarnation in bits 0-31.
static const uint64_t kPrAnswer = 1ull << 62;
static const uint64_t kPrPreempt = 1ull << 61;
// A Notice that is a write of a frozen node's writer to drive (low bits),
// issued the moment it thaws.
static const uint64_t kThawIo = 1ull << 60;
// A Notice to a survivor: reserve drive (low bits), a frozen node's.
static const uint64_t kTakeover = 1ull << 59;

struct ConfigStep {
  uint8_t type; // RC_ACT_PROCESS_COD / ADOPT_CONFIG / COMMIT_CONFIG
  bool has_neg = false;
  struct rc_wire_negotiate neg;
};

struct Cluster::Node {
  int id = 0;
  std::vector<uint64_t> mem; // the library's struct rc_node
  struct rc_node *lib = nullptr;
  bool up = false;         // powered
  bool suspended = false;  // RC_ACT_SUSPEND seen
  bool restarting = false; // RC_ACT_RESTART seen, waiting for I/O to drain
  bool blind = false;      // test hook: reads return zeros
  uint32_t life = 0;       // sim incarnation: events of older lives drop
  uint32_t boots = 0;      // incarnation handed to the library
  int32_t ppm = 0;         // clock rate error
  SimTime base_true = 0;   // clock: local = base_local + (t - base_true)*rate
  uint64_t base_local_us = 0;
  SimTime delay_until = 0;  // DelayWrites fault window
  SimTime frozen_until = 0; // Freeze: none of its events runs before
  SimTime hang_until = 0;   // HangIo: its I/O completes no earlier
  uint32_t delay_ms = 0;
  int inflight = 0;
  HostConfig cfg;                                    // the configuration this node's host keeps
  uint64_t local_failed = 0;                         // disks its host marked failed on I/O errors
  std::map<uint64_t, std::pair<HostKind, int>> cmds; // cookie -> command
  std::map<uint64_t, SimTime> cmd_at;                // cookie -> when submitted
  // Cookie of the last Release per drive (cookies grow): a Reserve that
  // completes after a later Release of its host grants nothing.
  uint64_t release_cookie[RC_MAX_LDS] = {};
  std::deque<ConfigStep> config_steps;
  int engine_ld = -1; // rebuild engine
  uint32_t engine_gen = 0;
  uint32_t engine_permille = 0;
  struct rc_node_params params;
};

// Stand-in for the CRC of the COD a configuration would encode to.
static uint32_t config_crc(const HostConfig &c) {
  uint32_t crc = 2166136261u;
  for (uint8_t b : c.disk_state)
    crc = (crc ^ b) * 16777619u;
  for (uint8_t b : c.ld_state)
    crc = (crc ^ b) * 16777619u;
  return crc ^ (uint32_t)c.generation;
}

static int io_errno(IoStatus s) {
  switch (s) {
  case IoStatus::Ok:
    return 0;
  case IoStatus::NoPath:
    return -ENOLINK;
  case IoStatus::DiskFailed:
    return -EIO;
  case IoStatus::Aborted:
    return -EIO;
  }
  return -EIO;
}

Cluster::Cluster(const Scenario &s, Trace &tr, Bounds b)
    : s_(s), tr_(tr), rng_(s.seed ^ 0x5eed5eed5eed5eedull),
      fabric_(s.shape.nodes, s.shape.channels), checker_(b) {
  for (int &o : rb_owner_)
    o = -1;
  for (int c = 0; c < s_.shape.channels; c++)
    for (int t = 0; t < s_.shape.disks_per_channel; t++)
      fabric_.add_disk(c, t);

  // The cluster was created earlier: every disk carries COD generation 1
  // with every disk online and every logical drive optimal.
  HostConfig initial;
  initial.generation = 1;
  for (int d = 0; d < fabric_.ndisks(); d++)
    initial.disk_state[d] = RC_DISK_ONLINE;
  for (int l = 0; l < s_.shape.lds; l++)
    initial.ld_state[l] = RC_LD_OPTIMAL;
  initial.cod_crc = config_crc(initial);
  cod_.assign(fabric_.ndisks(), initial);

  truth_.node.resize(s_.shape.nodes);
  views_.resize(s_.shape.nodes);
  const size_t words = (rc_node_size() + 7) / 8;
  for (int n = 0; n < s_.shape.nodes; n++) {
    auto node = std::make_unique<Node>();
    node->id = n;
    node->mem.assign(words, 0);
    node->lib = reinterpret_cast<struct rc_node *>(node->mem.data());
    node->ppm = s_.skew_ppm[n];
    node->base_local_us = s_.clock_offset[n];
    rc_node_reset(node->lib);
    nodes_.push_back(std::move(node));
    truth_.node[n].up = false;
    sched_.at(s_.boot_at[n], EvKind::Start, n, 0, 1 /* power-on */);
  }
  if (!s_.faults.empty())
    sched_.at(s_.faults[0].t, EvKind::Fault, -1, 0, 0);
  if (!s_.host.empty())
    sched_.at(s_.host[0].t, EvKind::Host, -1, 0, 0);
  sched_.at(500000, EvKind::Check, -1, 0, 0);
  pr_.assign(fabric_.ndisks(), std::vector<uint32_t>(s_.shape.nodes, 0));
}

Cluster::~Cluster() = default;

struct rc_node *Cluster::lib(int n) {
  return nodes_[n]->lib;
}

// --- clocks -----------------------------------------------------------------

uint64_t Cluster::local_ms(int n) const {
  const Node &x = *nodes_[n];
  if (sched_.now() < x.base_true) // FreezeClock: stopped until base_true
    return x.base_local_us / 1000;
  __int128 dt = (__int128)(sched_.now() - x.base_true) * (1000000 + x.ppm);
  return (x.base_local_us + (uint64_t)(dt / 1000000)) / 1000;
}

SimTime Cluster::true_after_local(int n, uint64_t local_us) const {
  return (SimTime)((__int128)local_us * 1000000 / (1000000 + nodes_[n]->ppm));
}

// --- node life --------------------------------------------------------------

void Cluster::boot(int n, bool cold) {
  Node &x = *nodes_[n];
  if (x.up) { // a reset: power-cycle first
    crash(n);
  }
  x.up = true;
  x.suspended = x.restarting = x.blind = false;
  x.life++;
  x.boots++;
  x.local_failed = 0;
  x.config_steps.clear();
  truth_.node[n].up = true;
  truth_.node[n].disturbed_at = sched_.now();
  truth_.node[n].operator_suspend_ok = false;
  // The host attaches: reads the COD from the disks it sees and describes
  // them to the library (kernel module load / attach).
  rc_node_reset(x.lib);
  load_config(n);
  RCSIM_EV(tr_, sched_.now(), T_BOOT, n, x.boots, cold,
           "node %d: power on, incarnation %u, clock %llu ms, COD gen %llu", n, x.boots,
           (unsigned long long)local_ms(n), (unsigned long long)x.cfg.generation);
  start_library(n);
}

void Cluster::start_library(int n) {
  Node &x = *nodes_[n];
  rc_node_params_default(&x.params, (u8)n, x.boots);
  x.params.poll_ms = s_.poll_ms;
  x.params.disk_fence = s_.disk_pr;
  pr_register(n); // as the kernel: before the life's first slot write
  int rc = rc_node_start(x.lib, &x.params, local_ms(n));
  if (rc) {
    checker_.report(sched_.now(), n, "rc_node_start refused its parameters");
    RCSIM_EV(tr_, sched_.now(), T_VIOLATION, n, (uint64_t)-rc, 0,
             "node %d: rc_node_start failed: %d", n, rc);
  }
  drain(n);
  schedule_tick(n);
  refresh_view(n);
}

void Cluster::crash(int n) {
  Node &x = *nodes_[n];
  fabric_.crash_node(n, rng_, tr_, sched_.now());
  if (sched_.now() < x.base_true) { // a clock stopped by FreezeClock runs again
    x.base_local_us = local_ms(n) * 1000;
    x.base_true = sched_.now();
  }
  x.up = false;
  x.frozen_until = x.hang_until = 0;
  x.life++;
  x.inflight = 0;
  x.engine_ld = -1;
  x.engine_gen++;
  for (auto &c : x.cmds)
    if (c.second.first == HostKind::Reserve || c.second.first == HostKind::Release)
      resv_pending_--;
  x.cmds.clear();
  x.cmd_at.clear();
  x.config_steps.clear();
  for (auto &g : truth_.grants)
    g &= ~(1ull << n);
  truth_.node[n].up = false;
  truth_.node[n].disturbed_at = sched_.now();
  refresh_view(n);
}

void Cluster::schedule_tick(int n) {
  Node &x = *nodes_[n];
  if (!x.up || x.suspended || x.restarting)
    return;
  uint64_t poll_us = (uint64_t)x.params.poll_ms * 1000;
  SimTime d = true_after_local(n, poll_us) + rng_.below(poll_us / 10 + 1);
  sched_.after(d, EvKind::Tick, n, x.life, 0);
}

// --- configuration: what the kernel keeps and writes -------------------------

void Cluster::push_disks(int n) {
  Node &x = *nodes_[n];
  for (int d = 0; d < fabric_.ndisks(); d++) {
    const Disk &k = fabric_.disk(d);
    uint32_t flags = fabric_.path(n, d) == IoStatus::Ok ? RC_DISKF_PRESENT : 0;
    rc_node_set_disk(x.lib, (u16)d, (u8)k.channel(), (u8)k.target(), x.cfg.disk_state[d], flags);
  }
  struct rc_proto_config pc;
  memset(&pc, 0, sizeof(pc));
  pc.generation = x.cfg.generation;
  pc.cod_crc = x.cfg.cod_crc;
  memcpy(pc.cluster_uuid, kUuid, 16);
  pc.nlds = (u32)s_.shape.lds;
  for (int l = 0; l < s_.shape.lds; l++) {
    pc.ld_state[l] = x.cfg.ld_state[l];
    pc.ld_level[l] = RC_RAID1;
  }
  rc_node_set_config(x.lib, &pc);
}

// Read the newest COD among the disks this node reaches (step 445 / attach).
void Cluster::load_config(int n) {
  Node &x = *nodes_[n];
  const HostConfig *best = nullptr;
  for (int d = 0; d < fabric_.ndisks(); d++)
    if (fabric_.path(n, d) == IoStatus::Ok && (!best || cod_[d].generation > best->generation))
      best = &cod_[d];
  if (best)
    x.cfg = *best;
  push_disks(n);
}

// The master writes its configuration to every COD it reaches.
void Cluster::write_cod(int n) {
  Node &x = *nodes_[n];
  for (int d = 0; d < fabric_.ndisks(); d++)
    if (fabric_.path(n, d) == IoStatus::Ok)
      cod_[d] = x.cfg;
  stats_.commits++;
}

void Cluster::apply_negotiated(int n, const struct rc_wire_negotiate *w, bool commit) {
  Node &x = *nodes_[n];
  uint64_t gen = le64toh(w->configuration.generation);
  for (int c = 0; c < RC_MAX_CHANNELS; c++)
    for (int t = 0; t < RC_MAX_TARGETS; t++) {
      const struct rc_wire_pd &pd = w->physical_drives[c][t];
      unsigned d = le16toh(pd.disk);
      if (d != RC_PD_NONE && d < (unsigned)fabric_.ndisks())
        x.cfg.disk_state[d] = pd.state;
    }
  for (int l = 0; l < s_.shape.lds; l++)
    x.cfg.ld_state[l] = w->logical_drives[l].state;
  if (commit && gen < x.cfg.generation) {
    // A slave's proposal built on an older configuration would undo what
    // the master committed since (a disk failed meanwhile back online).
    char what[128];
    snprintf(what, sizeof(what),
             "committed a proposal built on generation %llu, older than its own %llu",
             (unsigned long long)gen, (unsigned long long)x.cfg.generation);
    checker_.report(sched_.now(), n, what);
  }
  if (commit) {
    // The COD writer numbers the new configuration: one past anything
    // this node has seen, so every reader picks it over older copies.
    x.cfg.generation = std::max(gen, x.cfg.generation) + 1;
    x.cfg.cod_crc = config_crc(x.cfg);
  } else {
    x.cfg.generation = gen;
    x.cfg.cod_crc = le32toh(w->configuration.cod_crc);
  }
  push_disks(n);
}

// The host's data path saw a member disk fail (no path / device dead):
// like any RAID driver it marks the disk failed and asks the library to
// distribute the change.  Whether that change is a cable failure in
// disguise (figure 15) is the library's call.
void Cluster::mark_failed_locally(int n, int d) {
  Node &x = *nodes_[n];
  if ((x.local_failed >> d & 1) || x.cfg.disk_state[d] != RC_DISK_ONLINE)
    return;
  x.local_failed |= 1ull << d;
  x.cfg.disk_state[d] = RC_DISK_FAILED;
  const Disk &k = fabric_.disk(d);
  rc_node_set_disk(x.lib, (u16)d, (u8)k.channel(), (u8)k.target(), RC_DISK_FAILED, 0);
  RCSIM_EV(tr_, sched_.now(), T_HOST, n, 100 + d, 0, "node %d host: disk %d failed under I/O", n,
           d);
  submit_config_change(n);
}

// Ask the library to distribute the host's configuration change.  Like a
// kernel worker, the host tries again later while the library answers
// BUSY (no master, a negotiation or another change in progress).
void Cluster::submit_config_change(int n) {
  Node &x = *nodes_[n];
  struct rc_host_cmd c;
  memset(&c, 0, sizeof(c));
  c.op = RC_HOST_CONFIG_CHANGE;
  c.cookie = next_cookie_++;
  int rc = rc_node_host_cmd(x.lib, local_ms(n), &c);
  RCSIM_EV(tr_, sched_.now(), T_HOST, n, 99, (uint64_t)rc, "node %d host: config change -> %d", n,
           rc);
  if (rc == 0) {
    x.cmds[c.cookie] = {HostKind::Rebuild /* unused */, -1};
    x.cmd_at[c.cookie] = sched_.now();
  } else
    sched_.after(rng_.range(500000, 1500000), EvKind::Notice, n, x.life, kRetryConfig);
}

// --- actions -------------------------------------------------------------------

SimTime Cluster::io_latency(int n, IoOp op) {
  Node &x = *nodes_[n];
  SimTime lat = rng_.range(200, 3000);
  if (rng_.chance(1, 100))
    lat += rng_.range(5000, 40000);
  if (op == IoOp::Write && sched_.now() < x.delay_until)
    lat += (SimTime)x.delay_ms * 1000;
  if (sched_.now() < x.hang_until)
    lat += x.hang_until - sched_.now();
  return lat;
}

// Trace only: what a metadata block a node writes says, decoded with the
// library's own codecs (slot: state, heartbeat, master, kill requests;
// mailbox: acknowledgement and every queued message).
static std::string describe_block(uint64_t sector, const uint8_t *buf, uint32_t len) {
  char out[768];
  size_t o = 0;
  out[0] = 0;
  if (len != RC_BLOCK_BYTES)
    return "";
  if (sector >= RC_SLOT_SECTOR && sector < RC_MBOX_SECTOR) {
    unsigned id = (unsigned)((sector - RC_SLOT_SECTOR) / RC_SLOT_SECTORS);
    struct rc_slot_info si;
    if (rc_slot_decode(buf, len, (u8)id, &si))
      return " [slot: undecodable]";
    snprintf(out, sizeof(out),
             " [slot %u: inc %u hb %llu %s/%s master %d booting %d kill 0x%x gen %llu]", id,
             si.incarnation, (unsigned long long)si.heartbeat, rc_node_state_name(si.state),
             rc_node_info_name(si.info), si.master == RC_NO_NODE ? -1 : si.master, si.booting,
             si.kill_mask, (unsigned long long)si.generation);
    return out;
  }
  if (sector >= RC_MBOX_SECTOR && sector < RC_WIB_SECTOR) {
    uint64_t box = (sector - RC_MBOX_SECTOR) / RC_MBOX_SECTORS;
    u8 snd = (u8)(box / RC_MAX_NODES), rcv = (u8)(box % RC_MAX_NODES);
    struct rc_mbox_info h;
    if (rc_mbox_decode(buf, len, snd, rcv, &h))
      return " [box: undecodable]";
    o += snprintf(out + o, sizeof(out) - o, " [box %u->%u inc %u->%u ack %u@%u:", snd, rcv,
                  h.sender_incarnation, h.receiver_incarnation, h.ack, h.ack_incarnation);
    for (unsigned i = 0; i < h.nmsgs && o < sizeof(out) - 64; i++) {
      static thread_local struct rc_msg m; // large: not on the stack
      if (rc_mbox_msg_decode(buf, i, &m))
        continue;
      o += snprintf(out + o, sizeof(out) - o, " #%u %s%s", m.seq, rc_dcmd_name(m.cmd.dcmd),
                    m.flags & RC_MSGF_RESPONSE ? "-reply" : "");
      if (m.flags & RC_MSGF_RESPONSE)
        o += snprintf(out + o, sizeof(out) - o, "(to #%u st 0x%02x)", m.reply_to, m.status);
    }
    snprintf(out + o, sizeof(out) - o, "]");
    return out;
  }
  return "";
}

void Cluster::drain(int n) {
  Node &x = *nodes_[n];
  struct rc_action a;
  while (x.up && rc_node_next_action(x.lib, &a))
    do_action(n, a);
}

void Cluster::do_action(int n, const struct rc_action &a) {
  Node &x = *nodes_[n];
  const SimTime now = sched_.now();
  switch (a.type) {
  case RC_ACT_READ:
  case RC_ACT_WRITE:
  case RC_ACT_TUR: {
    Io io;
    io.node = n;
    io.disk = a.disk;
    io.op = a.type == RC_ACT_READ ? IoOp::Read : a.type == RC_ACT_WRITE ? IoOp::Write : IoOp::Tur;
    io.sector = a.sector;
    io.nsect = a.len / kSectorBytes;
    io.tag = a.tag;
    if (a.disk >= fabric_.ndisks() ||
        (io.op != IoOp::Tur && (a.len % kSectorBytes || a.len == 0))) {
      // A library bug: record it as a violation, answer with an error.
      checker_.report(now, n, "I/O action with a bad disk or length");
      RCSIM_EV(tr_, now, T_VIOLATION, n, a.disk, a.len, "node %d: bad I/O action disk %u len %u", n,
               a.disk, a.len);
      rc_node_io_done(x.lib, local_ms(n), &a, -EINVAL, nullptr);
      return;
    }
    if (io.op == IoOp::Write)
      io.data.assign((const uint8_t *)a.buf, (const uint8_t *)a.buf + a.len);
    const IoOp op = io.op;
    uint64_t id = fabric_.submit(std::move(io));
    act_copy_[id] = a;
    x.inflight++;
    stats_.ios++;
    SimTime lat = io_latency(n, op);
    sched_.after(lat, EvKind::IoDone, n, x.life, id);
    RCSIM_EV(
        tr_, now, T_IO_SUBMIT, n, a.type, a.sector,
        "node %d: %s disk %u sector %llu len %u (io %llu, %.3f ms)%s", n, rc_action_name(a.type),
        a.disk, (unsigned long long)a.sector, a.len, (unsigned long long)id, lat / 1e3,
        a.type == RC_ACT_WRITE ? describe_block(a.sector, (const uint8_t *)a.buf, a.len).c_str()
                               : "");
    return;
  }
  case RC_ACT_COMPLETE: {
    auto it = x.cmds.find(a.cookie);
    if (it == x.cmds.end()) {
      RCSIM_EV(tr_, now, T_COMPLETE, n, a.cookie, a.status,
               "node %d: completion of unknown command %llu", n, (unsigned long long)a.cookie);
      return;
    }
    HostKind k = it->second.first;
    int ld = it->second.second;
    x.cmds.erase(it);
    x.cmd_at.erase(a.cookie);
    RCSIM_EV(tr_, now, T_COMPLETE, n, (uint64_t)k, a.status,
             "node %d: host %s ld %d completes with status 0x%02x", n,
             ld < 0 ? "config-change" : host_name(k), ld, a.status);
    if (ld < 0) {
      if (a.status == RC_SCSI_BUSY)
        sched_.after(rng_.range(500000, 1500000), EvKind::Notice, n, x.life, kRetryConfig);
      return;
    }
    if (k == HostKind::Reserve || k == HostKind::Release) {
      resv_pending_--;
      last_resv_cmd_ = now;
    }
    if (k == HostKind::Reserve) {
      if (a.status == RC_SCSI_GOOD) {
        stats_.grants++;
        for (int m = 0; m < (int)nodes_.size(); m++)
          refresh_view(m);
        refresh_truth();
        // A Reserve that completes after its host released the drive
        // (the release went out first) grants nothing: the host never
        // uses it.
        // Nor does one to a node fenced at the disks: its writes fail.
        if (x.release_cookie[ld] < a.cookie && !truth_.node[n].fenced_at_disks) {
          checker_.on_grant(n, ld, views_, truth_);
          // Taken over: whoever held it before may not write it again.
          if (truth_.grants[ld] & ~(1ull << n))
            stats_.takeovers++;
          truth_.grants[ld] = 1ull << n;
        }
      } else {
        stats_.conflicts++;
      }
    }
    return;
  }
  case RC_ACT_STATE:
    RCSIM_EV(tr_, now, T_ACTION, n, a.type, a.node * 256 + a.state,
             "node %d: sees node %u as %s/%s", n, a.node, rc_node_state_name(a.state),
             rc_node_info_name(a.info));
    return;
  case RC_ACT_MASTER:
    stats_.masters++;
    RCSIM_EV(tr_, now, T_ACTION, n, a.type, a.node, "node %d: master is %d", n,
             a.node == RC_NO_NODE ? -1 : (int)a.node);
    return;
  case RC_ACT_RESERVATION:
    RCSIM_EV(tr_, now, T_ACTION, n, a.type, a.ld * 256 + a.node, "node %d: ld %u held by %d", n,
             a.ld, a.node == RC_NO_NODE ? -1 : (int)a.node);
    return;
  case RC_ACT_PROCESS_COD:
  case RC_ACT_ADOPT_CONFIG:
  case RC_ACT_COMMIT_CONFIG: {
    ConfigStep st;
    st.type = a.type;
    if (a.type != RC_ACT_PROCESS_COD && a.buf && a.len >= sizeof(st.neg)) {
      memcpy(&st.neg, a.buf, sizeof(st.neg));
      st.has_neg = true;
    }
    x.config_steps.push_back(st);
    // Writing EEPROM/NVM or the COD takes a few I/Os' time.
    sched_.after(rng_.range(1000, 20000), EvKind::Config, n, x.life, 0);
    RCSIM_EV(tr_, now, T_ACTION, n, a.type, a.len, "node %d: %s", n, rc_action_name(a.type));
    return;
  }
  case RC_ACT_REBUILD_START:
    if (a.ld >= RC_MAX_LDS || a.permille > 1000) {
      checker_.report(now, n, "rebuild start with a bad drive or position");
      return;
    }
    if (a.permille > rb_true_[a.ld])
      checker_.report(now, n,
                      fmt("rebuild of ld %u starts at %u permille, above the %u the last engine "
                          "reached",
                          a.ld, a.permille, rb_true_[a.ld]));
    x.engine_ld = a.ld;
    x.engine_gen++;
    x.engine_permille = a.permille;
    rb_true_[a.ld] = a.permille;
    rb_owner_[a.ld] = n;
    rb_owner_gen_[a.ld] = x.engine_gen;
    stats_.rebuilds++;
    sched_.after(rng_.range(100000, 400000), EvKind::Rebuild, n, x.life, x.engine_gen);
    RCSIM_EV(tr_, now, T_REBUILD, n, a.ld, 1, "node %d: rebuild of ld %u starts", n, a.ld);
    return;
  case RC_ACT_REBUILD_STOP:
    x.engine_ld = -1;
    x.engine_gen++;
    RCSIM_EV(tr_, now, T_REBUILD, n, a.ld, 0, "node %d: rebuild of ld %u stops", n, a.ld);
    return;
  case RC_ACT_REBUILD_RECORD:
    // The master's COD checkpoint: only the position's bound matters here.
    if (a.ld < RC_MAX_LDS && a.status == RC_SCSI_BUSY && a.permille > rb_true_[a.ld])
      checker_.report(now, n,
                      fmt("rebuild checkpoint of ld %u at %u permille, above the %u reached", a.ld,
                          a.permille, rb_true_[a.ld]));
    RCSIM_EV(tr_, now, T_REBUILD, n, a.ld, 4, "node %d: rebuild of ld %u recorded at %u", n, a.ld,
             a.permille);
    return;
  case RC_ACT_RESTART:
    stats_.restarts++;
    x.restarting = true;
    x.life++;
    x.engine_ld = -1;
    x.engine_gen++;
    x.config_steps.clear();
    for (auto &g : truth_.grants)
      g &= ~(1ull << n);
    for (auto &c : x.cmds)
      if (c.second.first == HostKind::Reserve || c.second.first == HostKind::Release)
        resv_pending_--;
    x.cmds.clear();
    x.cmd_at.clear();
    RCSIM_EV(tr_, now, T_ACTION, n, a.type, x.inflight,
             "node %d: restart requested (%d I/Os to drain)", n, x.inflight);
    if (x.inflight == 0)
      sched_.after(rng_.range(100000, 300000), EvKind::Start, n, x.life, 0);
    return;
  case RC_ACT_SUSPEND:
    stats_.suspends++;
    x.suspended = true;
    x.life++;
    x.engine_ld = -1;
    x.engine_gen++;
    RCSIM_EV(tr_, now, T_ACTION, n, a.type, a.info, "node %d: SUSPENDED (%s)", n,
             rc_node_info_name(a.info));
    return;
  case RC_ACT_PR_PREEMPT:
  case RC_ACT_PR_CHECK:
    // The kernel runs them on a work queue: the answer comes later.
    RCSIM_EV(tr_, now, T_ACTION, n, a.type, a.node, "node %d: %s node %u incarnation %u", n,
             rc_action_name(a.type), a.node, a.incarnation);
    sched_.after(rng_.range(1000, 50000), EvKind::Notice, n, x.life,
                 kPrAnswer | (a.type == RC_ACT_PR_PREEMPT ? kPrPreempt : 0) |
                     (uint64_t)a.node << 32 | a.incarnation);
    return;
  default:
    RCSIM_EV(tr_, now, T_ACTION, n, a.type, 0, "node %d: action %s", n, rc_action_name(a.type));
    return;
  }
}

// Survivor @n reserves drive @ld unless it holds it, then writes it.
void Cluster::take_over(int n, int ld) {
  Node &x = *nodes_[n];
  if (rc_node_holder(x.lib, (u8)ld) == n) {
    host_command(n, HostKind::Io, ld);
    return;
  }
  for (const auto &c : x.cmds)
    if (c.second.first == HostKind::Reserve && c.second.second == ld)
      return; // its last try is still out
  host_command(n, HostKind::Reserve, ld);
}

// --- persistent reservations -----------------------------------------------------

// Node @n's key of this life on every disk it reaches (REGISTER AND IGNORE
// EXISTING KEY: its old life's key on the same nexus is replaced).
void Cluster::pr_register(int n) {
  if (!s_.disk_pr)
    return;
  for (int d = 0; d < fabric_.ndisks(); d++)
    if (!fabric_.disk(d).failed() && fabric_.cable(n, fabric_.disk(d).channel()))
      pr_[d][n] = nodes_[n]->boots + 1;
}

// Every disk node @n reaches refuses its data writes (RESERVATION
// CONFLICT): it was fenced at the disks.  A node fenced on some disks only
// still writes the others, so it counts as not fenced.
bool Cluster::pr_refused(int n) const {
  if (!s_.disk_pr)
    return false;
  bool any = false;
  for (int d = 0; d < fabric_.ndisks(); d++) {
    if (fabric_.disk(d).failed() || !fabric_.cable(n, fabric_.disk(d).channel()))
      continue;
    if (pr_[d][n] == nodes_[n]->boots + 1)
      return false;
    any = true;
  }
  return any;
}

// The answer to RC_ACT_PR_PREEMPT / PR_CHECK, as kernel/node.c computes it
// on the disks node @n reaches (a failed disk is the lease's).
void Cluster::on_pr(int n, uint64_t id) {
  Node &x = *nodes_[n];
  const bool preempt = id & kPrPreempt;
  const u8 victim = (u8)(id >> 32);
  const uint32_t inc = (uint32_t)id;
  int err = 0;
  for (int d = 0; victim < s_.shape.nodes && d < fabric_.ndisks(); d++) {
    if (fabric_.disk(d).failed() || !fabric_.cable(n, fabric_.disk(d).channel()))
      continue;
    uint32_t k = pr_[d][victim];
    if (!k || (inc && (int32_t)(k - 1 - inc) > 0))
      continue; // none, or a later life's: spared
    if (!preempt)
      err = -EAGAIN;
    else if (pr_[d][n] != x.boots + 1)
      err = -EIO; // only a registrant may preempt
    else
      pr_[d][victim] = 0;
  }
  RCSIM_EV(tr_, sched_.now(), T_ACTION, n, victim, (uint64_t)-err,
           "node %d: %s of node %u incarnation %u: %d", n, preempt ? "preempt" : "key check",
           victim, inc, err);
  rc_node_disk_fenced(x.lib, local_ms(n), victim, inc, err);
}

// --- events --------------------------------------------------------------------

void Cluster::on_io_done(uint64_t id) {
  auto ac = act_copy_.find(id);
  if (!fabric_.in_flight(id)) { // its node crashed meanwhile
    if (ac != act_copy_.end())
      act_copy_.erase(ac);
    return;
  }
  Io io = fabric_.complete(id, rng_, tr_, sched_.now());
  struct rc_action a = ac->second;
  act_copy_.erase(ac);
  const int n = io.node;
  Node &x = *nodes_[n];
  if (x.inflight > 0)
    x.inflight--;
  if (x.blind && io.op == IoOp::Read && io.status == IoStatus::Ok)
    std::fill(io.data.begin(), io.data.end(), 0);
  RCSIM_EV(tr_, sched_.now(), T_IO_DONE, n, id, (uint64_t)io.status,
           "node %d: io %llu %s disk %d sector %llu: %s", n, (unsigned long long)id,
           io_op_name(io.op), io.disk, (unsigned long long)io.sector, io_status_name(io.status));
  if (x.restarting) {
    if (x.inflight == 0)
      sched_.after(rng_.range(100000, 300000), EvKind::Start, n, x.life, 0);
    return;
  }
  if (!x.up || x.suspended)
    return;
  // The event's life was checked by the caller via the I/O's owner.
  rc_node_io_done(x.lib, local_ms(n), &a, io_errno(io.status),
                  io.status == IoStatus::Ok && io.op == IoOp::Read ? io.data.data() : nullptr);
  if (io.status == IoStatus::NoPath || io.status == IoStatus::DiskFailed)
    mark_failed_locally(n, io.disk);
  drain(n);
}

void Cluster::on_config(int n) {
  Node &x = *nodes_[n];
  if (x.config_steps.empty())
    return;
  ConfigStep st = x.config_steps.front();
  x.config_steps.pop_front();
  int err = 0;
  switch (st.type) {
  case RC_ACT_PROCESS_COD:
    load_config(n);
    break;
  case RC_ACT_ADOPT_CONFIG:
    if (st.has_neg)
      apply_negotiated(n, &st.neg, false);
    else
      err = -EINVAL;
    break;
  case RC_ACT_COMMIT_CONFIG:
    if (st.has_neg) {
      apply_negotiated(n, &st.neg, true);
      write_cod(n);
    } else {
      err = -EINVAL;
    }
    break;
  }
  RCSIM_EV(tr_, sched_.now(), T_CONFIG, n, st.type, x.cfg.generation,
           "node %d: %s done (%d), generation %llu", n, rc_action_name(st.type), err,
           (unsigned long long)x.cfg.generation);
  rc_node_config_done(x.lib, local_ms(n), err);
  drain(n);
}

void Cluster::on_rebuild(int n) {
  Node &x = *nodes_[n];
  if (x.engine_ld < 0)
    return;
  u8 ld = (u8)x.engine_ld;
  u8 h = rc_node_holder(x.lib, ld);
  if (local_ms(n) >= rc_node_lease_until(x.lib) ||
      !(h == n || (h == RC_NO_NODE && rc_node_master(x.lib) == n))) {
    // As the kernel's engine: no rebuild I/O without a lease (a node
    // that woke up from a freeze waits for its heartbeat, or its kill),
    // and only on the drive's holder (the master: on a drive nobody holds).
    sched_.after(rng_.range(100000, 400000), EvKind::Rebuild, n, x.life, x.engine_gen);
    return;
  }
  if (pr_refused(n)) {
    // Its rebuild writes end with RESERVATION CONFLICT: it was fenced.
    RCSIM_EV(tr_, sched_.now(), T_REBUILD, n, ld, 4,
             "node %d: rebuild of ld %u refused at the disks", n, ld);
    rc_node_fenced_at_disk(x.lib, local_ms(n));
    drain(n);
    return;
  }
  x.engine_permille += (uint32_t)rng_.range(200, 450);
  if (x.engine_permille > 1000)
    x.engine_permille = 1000;
  if (rb_owner_[ld] == n && rb_owner_gen_[ld] == x.engine_gen)
    rb_true_[ld] = x.engine_permille;
  if (x.engine_permille >= 1000) {
    rb_true_[ld] = 1000; // all of it (a checkpoint may still follow)
    x.engine_ld = -1;
    x.engine_gen++;
    RCSIM_EV(tr_, sched_.now(), T_REBUILD, n, ld, 2, "node %d: rebuild of ld %u done", n, ld);
    rc_node_rebuild_done(x.lib, local_ms(n), ld, 0);
  } else {
    RCSIM_EV(tr_, sched_.now(), T_REBUILD, n, ld, 3, "node %d: rebuild of ld %u at %u permille", n,
             ld, x.engine_permille);
    rc_node_rebuild_progress(x.lib, local_ms(n), ld, x.engine_permille);
    sched_.after(rng_.range(100000, 400000), EvKind::Rebuild, n, x.life, x.engine_gen);
  }
  drain(n);
}

void Cluster::host_command(int n, HostKind k, int ld) {
  Node &x = *nodes_[n];
  done_ = false; // a command from outside the plan: not converged yet
  converged_checks_ = 0;
  const SimTime now = sched_.now();
  if (!x.up || x.restarting) {
    RCSIM_EV(tr_, now, T_HOST, n, (uint64_t)k, ld, "node %d host: %s ld %d (node down, not sent)",
             n, host_name(k), ld);
    return;
  }
  if (k == HostKind::Io) {
    bool ok = !x.suspended && rc_node_may_io(x.lib, (u8)ld, local_ms(n));
    RCSIM_EV(tr_, now, T_HOST, n, (uint64_t)k, ld * 2 + ok, "node %d host: I/O to ld %d %s", n, ld,
             ok ? "accepted" : "refused");
    if (!ok) {
      stats_.io_refused++;
      return;
    }
    if (pr_refused(n)) {
      // Fenced at the disks while it could not know: the write fails
      // there, the node suspends (the kernel's rc_host_fenced_at_disk()).
      RCSIM_EV(tr_, now, T_HOST, n, (uint64_t)k, ld, "node %d: I/O to ld %d refused at the disks",
               n, ld);
      stats_.io_refused++;
      rc_node_fenced_at_disk(x.lib, local_ms(n));
      drain(n);
      return;
    }
    stats_.io_accepted++;
    for (int m = 0; m < (int)nodes_.size(); m++)
      refresh_view(m);
    refresh_truth();
    checker_.on_io_accepted(n, ld, views_, truth_);
    return;
  }
  struct rc_host_cmd c;
  memset(&c, 0, sizeof(c));
  c.op = k == HostKind::Reserve   ? RC_HOST_RESERVE
         : k == HostKind::Release ? RC_HOST_RELEASE
                                  : RC_HOST_REBUILD;
  c.ld = (u8)ld;
  c.ld_mask = 1u << ld;
  c.cookie = next_cookie_++;
  if (k == HostKind::Release) { // the host stops its I/O first
    truth_.grants[ld] &= ~(1ull << n);
    x.release_cookie[ld] = c.cookie;
  }
  int rc = rc_node_host_cmd(x.lib, local_ms(n), &c);
  RCSIM_EV(tr_, now, T_HOST, n, (uint64_t)k, ld, "node %d host: %s ld %d -> %d", n, host_name(k),
           ld, rc);
  if (rc == 0) {
    x.cmds[c.cookie] = {k, ld};
    x.cmd_at[c.cookie] = now;
    if (k == HostKind::Reserve || k == HostKind::Release) {
      resv_pending_++;
      last_resv_cmd_ = now;
    }
  }
  drain(n);
}

void Cluster::rogue_restart_blind(int n) {
  Node &x = *nodes_[n];
  done_ = false; // a disturbance: the run goes on to its end
  converged_checks_ = 0;
  x.life++;
  x.boots++;
  x.blind = true;
  x.suspended = x.restarting = false;
  RCSIM_EV(tr_, sched_.now(), T_BOOT, n, x.boots, 2, "node %d: ROGUE restart, blind to every peer",
           n);
  start_library(n);
  x.blind = true;
}

void Cluster::on_host(const HostCmd &h) { host_command(h.node, h.kind, h.ld); }

void Cluster::on_fault(const Fault &f) {
  const SimTime now = sched_.now();
  RCSIM_EV(tr_, now, T_FAULT, (uint64_t)f.kind, f.node, f.arg, "FAULT %s node %d arg %d",
           fault_name(f.kind), f.node, f.arg);
  truth_.last_fault = now;
  if (f.node >= 0)
    truth_.node[f.node].disturbed_at = now;
  Node *x = f.node >= 0 ? nodes_[f.node].get() : nullptr;
  bool effect = true; // did the fault change anything (the stats count those)
  switch (f.kind) {
  case FaultKind::Crash:
    effect = x->up;
    if (x->up)
      crash(f.node);
    break;
  case FaultKind::PowerOn:
    effect = !x->up;
    if (!x->up)
      boot(f.node, false);
    break;
  case FaultKind::Reset:
    if (x->up)
      crash(f.node);
    sched_.after(f.span, EvKind::Start, f.node, x->life, 1);
    break;
  case FaultKind::CablePull:
    effect = fabric_.cable(f.node, f.arg);
    fabric_.set_cable(f.node, f.arg, false);
    truth_.node[f.node].operator_suspend_ok = true;
    break;
  case FaultKind::CablePlug:
    effect = !fabric_.cable(f.node, f.arg);
    fabric_.set_cable(f.node, f.arg, true);
    if (x->up)
      pr_register(f.node); // the disks come back: attached, registered
    break;
  case FaultKind::Freeze:
  case FaultKind::FreezeClock:
    // Killed while frozen, it waits for the operator (the planned reset).
    effect = x->up && now >= x->frozen_until;
    if (effect) {
      x->frozen_until = now + f.span;
      truth_.node[f.node].operator_suspend_ok = true;
      if (f.kind == FaultKind::FreezeClock) { // local time stands still
        x->base_local_us = local_ms(f.node) * 1000;
        x->base_true = now + f.span;
      }
      // Its writers had writes queued: they go on the moment it thaws,
      // before it hears anything (the worst case for the fence).
      // A survivor tries to take them over every second meanwhile (it
      // gets them once the frozen node is fenced).
      const int surv = (f.node + 1) % (int)nodes_.size();
      for (int ld = 0; ld < s_.shape.lds; ld++) {
        if (rc_node_holder(x->lib, (u8)ld) != f.node)
          continue;
        sched_.at(now + f.span, EvKind::Notice, f.node, x->life, kThawIo | (uint64_t)ld);
        for (SimTime t = now + 1000000; surv != f.node && t < now + f.span; t += 1000000)
          sched_.at(t, EvKind::Notice, surv, nodes_[surv]->life, kTakeover | (uint64_t)ld);
      }
    }
    break;
  case FaultKind::HangIo:
    effect = x->up;
    if (effect) {
      x->hang_until = std::max(x->hang_until, now + f.span);
      truth_.node[f.node].operator_suspend_ok = true;
    }
    break;
  case FaultKind::DiskFail:
    effect = !fabric_.disk(f.arg).failed();
    fabric_.disk(f.arg).fail();
    // Every host with a path sees its data I/O to the disk fail (or the
    // SCSI layer take the device offline) within a moment.
    for (int n = 0; n < (int)nodes_.size(); n++)
      if (nodes_[n]->up && fabric_.cable(n, fabric_.disk(f.arg).channel()))
        sched_.after(rng_.range(50000, 2000000), EvKind::Notice, n, nodes_[n]->life,
                     (uint64_t)f.arg);
    break;
  case FaultKind::TornWrites:
    effect = x->up;
    fabric_.arm_torn_writes(f.node, f.arg);
    break;
  case FaultKind::DelayWrites:
    effect = x->up;
    x->delay_until = now + f.span;
    x->delay_ms = (uint32_t)f.arg;
    break;
  case FaultKind::ClockJump: {
    // Re-base the clock so local time stays continuous, then change rate
    // (a stopped clock stays stopped until its thaw).
    if (now >= x->base_true) {
      uint64_t cur_us = local_ms(f.node) * 1000;
      x->base_true = now;
      x->base_local_us = cur_us;
    }
    x->ppm = f.arg;
    break;
  }
  }
  if (effect && (int)f.kind < 16)
    stats_.faults[(int)f.kind]++;
  refresh_truth();
}

void Cluster::on_event(const Event &e) {
  stats_.events++;
  if (e.node >= 0 && e.node < (int)nodes_.size() && e.kind != EvKind::Start &&
      sched_.now() < nodes_[e.node]->frozen_until) {
    // Frozen: the event waits (its I/O completions too: the node's own
    // threads are stopped); its clock runs on, so it wakes up late.
    sched_.at(nodes_[e.node]->frozen_until, e.kind, e.node, e.incarnation, e.id);
    return;
  }
  switch (e.kind) {
  case EvKind::Tick: {
    Node &x = *nodes_[e.node];
    if (e.incarnation != x.life || !x.up || x.suspended || x.restarting)
      return;
    tr_.note(e.t, T_TICK, e.node);
    rc_node_tick(x.lib, local_ms(e.node));
    drain(e.node);
    schedule_tick(e.node);
    break;
  }
  case EvKind::IoDone: {
    Node &x = *nodes_[e.node];
    if (e.incarnation != x.life && !x.restarting) {
      // Issued by an older life: the write still lands (or is torn by the
      // crash already), nothing is delivered.
      if (fabric_.in_flight(e.id)) {
        fabric_.complete(e.id, rng_, tr_, e.t);
        act_copy_.erase(e.id);
      }
      return;
    }
    on_io_done(e.id);
    break;
  }
  case EvKind::Fault: {
    const Fault &f = s_.faults[next_fault_++];
    on_fault(f);
    if (next_fault_ < s_.faults.size())
      sched_.at(s_.faults[next_fault_].t, EvKind::Fault, -1, 0, next_fault_);
    return;
  }
  case EvKind::Host: {
    const size_t idx = next_host_++;
    const HostCmd &h = s_.host[idx];
    if (h.node >= 0 && sched_.now() < nodes_[h.node]->frozen_until)
      sched_.at(nodes_[h.node]->frozen_until, EvKind::HostLate, h.node, 0, idx);
    else
      on_host(h);
    if (next_host_ < s_.host.size())
      sched_.at(s_.host[next_host_].t, EvKind::Host, -1, 0, next_host_);
    break;
  }
  case EvKind::HostLate:
    on_host(s_.host[e.id]);
    break;
  case EvKind::Check:
    check_all(true);
    // Stop early once every fault and host command is behind us and the
    // cluster has been converged for 3 s (and dead holders fenced): what remains of the tail would
    // only repeat the same checks.
    if (next_fault_ == s_.faults.size() && next_host_ == s_.host.size() &&
        e.t - truth_.last_fault >= 8000000 + checker_.bounds().fence && converged()) {
      if (++converged_checks_ >= 6)
        done_ = true;
    } else {
      converged_checks_ = 0;
    }
    sched_.after(500000, EvKind::Check, -1, 0, 0);
    return;
  case EvKind::Config: {
    Node &x = *nodes_[e.node];
    if (e.incarnation != x.life || !x.up)
      return;
    on_config(e.node);
    break;
  }
  case EvKind::Start: {
    Node &x = *nodes_[e.node];
    if (e.id == 1) { // power-on (boot or the up-half of a reset)
      if (e.incarnation != x.life)
        return;
      boot(e.node, x.boots == 0);
    } else { // the library asked to restart
      if (e.incarnation != x.life || !x.restarting)
        return;
      x.restarting = false;
      x.boots++;
      RCSIM_EV(tr_, e.t, T_BOOT, e.node, x.boots, 3, "node %d: library restart, incarnation %u",
               e.node, x.boots);
      start_library(e.node);
    }
    break;
  }
  case EvKind::Notice: {
    Node &x = *nodes_[e.node];
    if (e.incarnation != x.life || !x.up || x.suspended || x.restarting)
      return;
    if (e.id & kThawIo)
      host_command(e.node, HostKind::Io, (int)(e.id & 0xff));
    else if (e.id & kTakeover)
      take_over(e.node, (int)(e.id & 0xff));
    else if (e.id & kPrAnswer)
      on_pr(e.node, e.id);
    else if (e.id == kRetryConfig)
      submit_config_change(e.node);
    else
      mark_failed_locally(e.node, (int)e.id);
    drain(e.node);
    break;
  }
  case EvKind::Rebuild: {
    Node &x = *nodes_[e.node];
    if (e.incarnation != x.life || e.id != x.engine_gen)
      return;
    on_rebuild(e.node);
    break;
  }
  }
  if (e.node >= 0)
    refresh_view(e.node);
  check_all(false);
}

// --- checking ------------------------------------------------------------------

void Cluster::refresh_view(int n) {
  Node &x = *nodes_[n];
  NodeView v;
  v.up = x.up;
  if (x.up && !x.restarting) {
    v.suspended = x.suspended || rc_node_suspended(x.lib);
    v.master = rc_node_state(x.lib) == RC_NS_MASTER;
    v.nexus = rc_node_in_nexus(x.lib);
    u8 m = rc_node_master(x.lib);
    v.master_id = m == RC_NO_NODE ? -1 : m;
    for (int l = 0; l < kMaxLds && l < RC_MAX_LDS; l++) {
      u8 h = rc_node_holder(x.lib, (u8)l);
      v.holder[l] = h == RC_NO_NODE ? -1 : (int8_t)h;
    }
    u8 r = rc_node_rebuilding_ld(x.lib);
    v.rebuilding_ld = r == 0xff ? -1 : r;
    v.lease_running = !v.suspended && local_ms(n) < rc_node_lease_until(x.lib);
  }
  for (int d = 0; d < fabric_.ndisks(); d++)
    if (x.cfg.disk_state[d] == RC_DISK_FAILED)
      v.dead_disks |= 1ull << d;
  views_[n] = v;
}

void Cluster::refresh_truth() {
  truth_.now = sched_.now();
  truth_.failed_disks = 0;
  for (int d = 0; d < fabric_.ndisks(); d++)
    if (fabric_.disk(d).failed())
      truth_.failed_disks |= 1ull << d;
  const uint32_t all = (1u << fabric_.channels()) - 1;
  truth_.engines = 0;
  truth_.cod_dead = 0;
  if (cod_failed_.size() < cod_.size())
    cod_failed_.resize(cod_.size(), 0);
  for (size_t i = 0; i < cod_.size(); i++) {
    const HostConfig &c = cod_[i];
    for (int d = 0; d < fabric_.ndisks(); d++) {
      if (c.disk_state[d] == RC_DISK_FAILED) {
        truth_.cod_dead |= 1ull << d;
        cod_failed_[i] |= 1ull << d;
      } else if (cod_failed_[i] >> d & 1) {
        truth_.cod_revived |= 1ull << d;
      }
    }
  }
  for (int n = 0; n < (int)nodes_.size(); n++) {
    NodeTruth &t = truth_.node[n];
    const Node &x = *nodes_[n];
    t.up = x.up;
    t.fenced_at_disks = pr_refused(n);
    t.frozen_until = x.frozen_until;
    t.hang_until = x.hang_until;
    t.all_cables = fabric_.plugged_mask(n) == all;
    bool reach = fabric_.reaches_any(n);
    if (!reach && t.reaches_any)
      t.isolated_since = sched_.now();
    t.reaches_any = reach;
    // a frozen engine writes nothing (the kernel's also stops at the
    // lease), nor does one whose node is fenced at the disks
    if (x.up && !x.suspended && x.engine_ld >= 0 && sched_.now() >= x.frozen_until &&
        local_ms(n) < rc_node_lease_until(x.lib) && !t.fenced_at_disks)
      truth_.engines |= 1ull << n;
  }
}

void Cluster::check_all(bool periodic) {
  refresh_truth();
  size_t before = checker_.violations().size();
  checker_.check_step(views_, truth_);
  if (periodic) {
    const Bounds &b = checker_.bounds();
    if (resv_pending_ == 0 && sched_.now() - last_resv_cmd_ >= b.settle &&
        sched_.now() - truth_.last_fault >= b.converge + b.fence)
      checker_.check_settled(views_, truth_);
    checker_.check_liveness(views_, truth_);
    // Liveness of host commands: every one completes within a bound once
    // the faults stopped (a command nobody ever answers hangs its host).
    const SimTime last = Checker::last_disturbance(truth_);
    for (int n = 0; n < (int)nodes_.size(); n++) {
      const Node &x = *nodes_[n];
      if (!x.up || x.suspended || x.restarting || !Checker::awake(truth_, n))
        continue;
      for (const auto &c : x.cmds) {
        auto at = x.cmd_at.find(c.first);
        SimTime from = at == x.cmd_at.end() ? 0 : at->second;
        if (from < last)
          from = last;
        if (sched_.now() - from >= b.command) {
          char what[128];
          snprintf(what, sizeof(what), "host %s ld %d not completed %.0f s after the last fault",
                   c.second.second < 0 ? "config-change" : host_name(c.second.first),
                   c.second.second, b.command / 1e6);
          checker_.report(sched_.now(), n, what);
        }
      }
    }
  }
  for (size_t i = before; i < checker_.violations().size(); i++) {
    const Violation &v = checker_.violations()[i];
    RCSIM_EV(tr_, sched_.now(), T_VIOLATION, v.node, i, 0, "VIOLATION node %d: %s", v.node,
             v.what.c_str());
  }
}

void Cluster::run_until(SimTime until) {
  while (!sched_.empty() && sched_.next_time() <= until) {
    Event e = sched_.pop();
    on_event(e);
  }
}

// Every running node with all its cables is in nexus, not suspended and
// follows the one master; every isolated node is suspended; no host
// command, rebuild, configuration step or restart is in progress.
bool Cluster::converged() const {
  if (resv_pending_)
    return false;
  int master = -1;
  for (int n = 0; n < (int)nodes_.size(); n++) {
    const Node &x = *nodes_[n];
    const NodeView &v = views_[n];
    const NodeTruth &t = truth_.node[n];
    if (!x.up)
      continue;
    if (x.restarting || !x.cmds.empty() || !x.config_steps.empty() || x.engine_ld >= 0)
      return false;
    if (!t.reaches_any && !v.suspended)
      return false;
    if (t.all_cables && (v.suspended || !v.nexus))
      return false;
    if (!v.suspended && v.master) {
      if (master >= 0)
        return false;
      master = n;
    }
  }
  for (int n = 0; n < (int)nodes_.size(); n++)
    if (nodes_[n]->up && !views_[n].suspended && views_[n].nexus && views_[n].master_id != master)
      return false;
  return master >= 0;
}

bool Cluster::run() {
  while (!done_ && !sched_.empty() && sched_.next_time() <= s_.end) {
    Event e = sched_.pop();
    on_event(e);
  }
  stats_.ended = sched_.now();
  check_all(true);
  return checker_.violations().empty();
}

} // namespace rcsim
