#include "cod_report.hpp"
#include "error.hpp"
#include "schema.hpp"
#include "table.hpp"
#include "units.hpp"

#include <cstring>
#include <vector>

namespace rc {

namespace {

// Fill the raw header view of @c from the image, whatever its validity, so
// a refused copy can still be shown (its generation, stored vs computed CRC).
void read_raw_header(CodCopy &c, const uint8_t *img) {
  rc_cod_header h;
  std::memcpy(&h, img, sizeof(h));
  c.magic_ok = le64_to_cpu(h.magic) == RC_COD_MAGIC;
  c.version = le32_to_cpu(h.version);
  c.crc_stored = le32_to_cpu(h.crc);
  c.generation = le64_to_cpu(h.generation);
  c.writer_node = le32_to_cpu(h.writer_node);
  c.stamp = le64_to_cpu(h.stamp);
  std::memcpy(c.cluster_uuid, h.cluster_uuid, 16);
  // The CRC covers the whole copy with the crc field taken as zero.
  std::vector<uint8_t> tmp(img, img + RC_COD_BYTES);
  std::memset(tmp.data() + offsetof(rc_cod_header, crc), 0, sizeof(h.crc));
  c.crc_computed = rc_crc32c_buf(tmp.data(), tmp.size());
}

std::string hex32(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof(b), "0x%08x", v);
  return b;
}

std::string hexbytes(const uint8_t *p, size_t n) {
  std::string s;
  char b[3];
  for (size_t i = 0; i < n; i++) {
    std::snprintf(b, sizeof(b), "%02x", p[i]);
    s += b;
  }
  return s;
}

std::string extent_text(const rc_extent &e) {
  std::string s = "d" + std::to_string(e.disk) + ":" + format_sectors_exact(e.start) + "+" +
                  format_sectors_exact(e.length);
  if (e.state != RC_EXT_ONLINE)
    s += "(" + std::string(rc_extent_state_name(e.state)) + ")";
  return s;
}

} // namespace

std::string cod_status_text(int status) {
  switch (status) {
  case 0:
    return "valid";
  case RC_COD_ENOCOD:
    return "no COD (magic absent: not a raidcluster disk, or never written)";
  case RC_COD_ECRC:
    return "CRC mismatch (torn or corrupt write)";
  case RC_COD_EVERSION:
    return "format version not supported (written by a newer raidcluster?)";
  case RC_COD_EINVAL:
    return "inconsistent contents (a field out of bounds)";
  default:
    return "refused (error " + std::to_string(status) + ")";
  }
}

std::string cod_status_short(int status) {
  switch (status) {
  case 0:
    return "valid";
  case RC_COD_ENOCOD:
    return "no COD";
  case RC_COD_ECRC:
    return "CRC mismatch";
  case RC_COD_EVERSION:
    return "newer version";
  case RC_COD_EINVAL:
    return "inconsistent";
  default:
    return "refused";
  }
}

CodReport analyze_cod(const uint8_t *a, const uint8_t *b) {
  CodReport r;
  const uint8_t *img[2] = {a, b};
  rc_cod_copy cand[2];
  for (int i = 0; i < 2; i++) {
    CodCopy &c = r.copy[i];
    c.label = static_cast<char>('A' + i);
    c.sector = i ? RC_COD_B_SECTOR : RC_COD_A_SECTOR;
    read_raw_header(c, img[i]);
    c.cfg = new_config();
    c.status = rc_cod_decode(img[i], RC_COD_BYTES, c.cfg.get());
    if (c.status)
      c.cfg.reset();
    c.status_text = cod_status_text(c.status);
    c.status_short = cod_status_short(c.status);
    if (c.status == RC_COD_ECRC)
      c.status_text += ": stored " + hex32(c.crc_stored) + ", computed " + hex32(c.crc_computed);
    if (c.status == RC_COD_EVERSION)
      c.status_text += ": version " + std::to_string(c.version);
    cand[i] = rc_cod_copy{};
    cand[i].status = c.status;
    if (c.status == 0) {
      cand[i].generation = c.cfg->generation;
      std::memcpy(cand[i].cluster_uuid, c.cfg->cluster_uuid, 16);
    }
  }
  int pick = rc_cod_pick(cand, 2, nullptr);
  const CodCopy &A = r.copy[0], &B = r.copy[1];
  if (pick == -EXDEV) {
    r.why = "the two copies belong to different clusters (" + short_uuid(A.cfg->cluster_uuid) +
            " vs " + short_uuid(B.cfg->cluster_uuid) + "): neither is used";
  } else if (pick < 0) {
    r.why = A.status == RC_COD_ENOCOD && B.status == RC_COD_ENOCOD
                ? "no COD on this disk"
                : "no valid copy: A " + A.status_text + "; B " + B.status_text;
  } else {
    r.winner = pick;
    const CodCopy &w = r.copy[pick], &o = r.copy[1 - pick];
    std::string g = std::to_string(w.cfg->generation);
    if (o.status)
      r.why = std::string("copy ") + w.label + " is the only valid copy (copy " + o.label + ": " +
              o.status_text + ")";
    else if (o.cfg->generation != w.cfg->generation)
      r.why = std::string("copy ") + w.label + " has the newer generation (" + g + " > " +
              std::to_string(o.cfg->generation) + ")";
    else if (std::memcmp(a, b, RC_COD_BYTES) == 0)
      r.why = "both copies are valid and identical (generation " + g + "); copy " +
              std::string(1, w.label) + " used";
    else
      r.why = "both copies are valid at generation " + g + " but differ; copy " +
              std::string(1, w.label) + " used";
  }
  return r;
}

CodReport read_cod(ScsiDevice &dev) {
  Capacity cap = dev.capacity();
  if (cap.sectors() < RC_DATA_START_SECTOR)
    throw Error(dev.path() + ": disk too small for the raidcluster metadata area (" +
                format_sectors(cap.sectors()) + ")");
  // Copy B directly follows copy A: one read covers both.
  std::vector<uint8_t> buf = dev.read_bytes(RC_COD_A_SECTOR * 512, 2 * RC_COD_BYTES);
  static_assert(RC_COD_B_SECTOR == RC_COD_A_SECTOR + RC_COD_SECTORS, "COD copies adjacent");
  return analyze_cod(buf.data(), buf.data() + RC_COD_BYTES);
}

std::string Membership::text() const {
  if (!cod)
    return "-";
  if (!member)
    return cluster + " (not listed)";
  return cluster + " #" + std::to_string(index) + " " + state;
}

Membership membership(const CodReport &r, const Wwn &wwn, const std::string &serial) {
  Membership m;
  const rc_config *cfg = r.config();
  if (!cfg)
    return m;
  m.cod = true;
  m.cluster = short_uuid(cfg->cluster_uuid);
  int i = rc_config_find_disk(cfg, wwn.id.empty() ? nullptr : wwn.id.data(),
                              static_cast<unsigned>(wwn.id.size()),
                              serial.empty() ? nullptr : serial.c_str());
  if (i >= 0) {
    m.member = true;
    m.index = i;
    m.state = rc_disk_state_name(cfg->disks[i].state);
  }
  return m;
}

std::string disk_record_id(const rc_disk &d) {
  if (d.wwn_len)
    return "naa." + hexbytes(d.wwn, d.wwn_len);
  return "serial:" + std::string(d.serial);
}

std::string format_config(const rc_config &cfg) {
  std::string out = "cluster " + format_uuid(cfg.cluster_uuid) + "  generation " +
                    std::to_string(cfg.generation) + "  written by node " +
                    std::to_string(cfg.writer_node) + "\npolicy: insert " +
                    (cfg.flags & RC_COD_F_INSERT_SPARE ? "spare" : "ignore") +
                    "\n\nmember disks:\n";
  Table d({"IDX", "WWN/ID", "SERIAL", "CAPACITY", "STATE", "CH:TGT"});
  for (uint32_t i = 0; i < cfg.ndisks; i++) {
    const rc_disk &x = cfg.disks[i];
    if (x.state == RC_DISK_UNUSED)
      continue;
    d.add({std::to_string(i), disk_record_id(x), x.serial, format_sectors(x.capacity),
           rc_disk_state_name(x.state),
           std::to_string(x.channel) + ":" + std::to_string(x.target)});
  }
  out += d.str() + "\nlogical drives:\n";
  Table l({"LD", "NAME", "LEVEL", "STRIPE", "CAPACITY", "STATE", "EXTENTS (disk:start+length)"});
  for (uint32_t i = 0; i < cfg.nlds; i++) {
    const rc_ld &x = cfg.lds[i];
    if (x.state == RC_LD_UNUSED)
      continue;
    std::string ext;
    for (unsigned e = 0; e < x.nextents; e++)
      ext += (e ? " " : "") + extent_text(x.ext[e]);
    l.add({"rcl" + std::to_string(x.number), x.name, rc_level_name(x.level),
           format_stripe(x.stripe_sectors), format_sectors(x.capacity), rc_ld_state_name(x.state),
           ext});
  }
  return out + l.str();
}

Json config_json(const rc_config &cfg) {
  Json disks = Json::array(), lds = Json::array();
  for (uint32_t i = 0; i < cfg.ndisks; i++) {
    const rc_disk &x = cfg.disks[i];
    if (x.state == RC_DISK_UNUSED)
      continue;
    disks.push_back({{"index", i},
                     {"wwn", x.wwn_len ? "naa." + hexbytes(x.wwn, x.wwn_len) : ""},
                     {"serial", std::string(x.serial)},
                     {"capacity_sectors", static_cast<unsigned long long>(x.capacity)},
                     {"state", rc_disk_state_name(x.state)},
                     {"channel", static_cast<unsigned>(x.channel)},
                     {"target", static_cast<unsigned>(x.target)}});
  }
  for (uint32_t i = 0; i < cfg.nlds; i++) {
    const rc_ld &x = cfg.lds[i];
    if (x.state == RC_LD_UNUSED)
      continue;
    Json ext = Json::array();
    for (unsigned e = 0; e < x.nextents; e++)
      ext.push_back(
          {{"disk", static_cast<unsigned>(x.ext[e].disk)},
           {"start_sectors", static_cast<unsigned long long>(x.ext[e].start)},
           {"length_sectors", static_cast<unsigned long long>(x.ext[e].length)},
           {"state", rc_extent_state_name(x.ext[e].state)},
           {"rebuild_pos_sectors", static_cast<unsigned long long>(x.ext[e].rebuild_pos)}});
    lds.push_back({{"number", x.number},
                   {"device", "rcl" + std::to_string(x.number)},
                   {"name", std::string(x.name)},
                   {"level", static_cast<unsigned>(x.level)},
                   {"stripe_sectors", x.stripe_sectors},
                   {"capacity_sectors", static_cast<unsigned long long>(x.capacity)},
                   {"resync_pos_sectors", static_cast<unsigned long long>(x.resync_pos)},
                   {"state", rc_ld_state_name(x.state)},
                   {"uuid", format_uuid(x.uuid)},
                   {"extents", ext}});
  }
  return {{"cluster_uuid", format_uuid(cfg.cluster_uuid)},
          {"generation", static_cast<unsigned long long>(cfg.generation)},
          {"writer_node", cfg.writer_node},
          {"insert_policy", cfg.flags & RC_COD_F_INSERT_SPARE ? "spare" : "ignore"},
          {"disks", disks},
          {"logical_drives", lds}};
}

std::string format_cod_report(const CodReport &r, const std::string &disk) {
  std::string out = "COD of " + disk + "\n";
  Table t({"COPY", "SECTOR", "STATUS", "GENERATION", "CLUSTER", "WRITER", "CRC"});
  for (const auto &c : r.copy) {
    bool hdr = c.magic_ok;
    t.add({std::string(1, c.label), std::to_string(c.sector), c.status_short,
           hdr ? std::to_string(c.generation) : "", hdr ? short_uuid(c.cluster_uuid) : "",
           hdr ? "node " + std::to_string(c.writer_node) : "", hdr ? hex32(c.crc_stored) : ""});
  }
  out += t.str();
  out += "in use: " + (r.winner >= 0 ? std::string("copy ") + r.copy[r.winner].label : "none") +
         " (" + r.why + ")\n";
  if (const rc_config *cfg = r.config())
    out += "\n" + format_config(*cfg);
  return out;
}

Json cod_report_json(const CodReport &r, const std::string &disk) {
  Json copies = Json::array();
  for (const auto &c : r.copy)
    copies.push_back({{"copy", std::string(1, c.label)},
                      {"sector", static_cast<unsigned long long>(c.sector)},
                      {"valid", c.status == 0},
                      {"status", c.status_text},
                      {"magic", c.magic_ok},
                      {"version", c.version},
                      {"generation", static_cast<unsigned long long>(c.generation)},
                      {"cluster_uuid", format_uuid(c.cluster_uuid)},
                      {"writer_node", c.writer_node},
                      {"crc_stored", c.crc_stored},
                      {"crc_computed", c.crc_computed}});
  return versioned(
      {{"disk", disk},
       {"copies", copies},
       {"in_use", r.winner >= 0 ? Json(std::string(1, r.copy[r.winner].label)) : Json()},
       {"why", r.why},
       {"config", r.config() ? config_json(*r.config()) : Json()}});
}

} // namespace rc
