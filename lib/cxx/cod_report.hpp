// The COD of one disk as the tools show it: both copies decoded by the
// portable lib (rc_cod_decode), the copy rc_cod_pick() chooses and why.
// analyze_cod() is pure (buffers in, report out); read_cod() does the I/O
// through SG_IO, so it works whether or not the module is loaded.
#pragma once

#include "json.hpp"
#include "rclib.hpp"
#include "sg.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rc {

struct CodCopy {
  char label = 'A';         // 'A' or 'B'
  uint64_t sector = 0;      // where it lives (512-byte sectors)
  int status = 0;           // rc_cod_decode() result; 0 = valid
  std::string status_text;  // one line: why the copy is refused
  std::string status_short; // a word or two, for tables ("CRC mismatch")
  // Raw header fields, shown even when the copy is refused.
  bool magic_ok = false;
  uint32_t version = 0;
  uint64_t generation = 0;
  uint32_t crc_stored = 0, crc_computed = 0;
  uint32_t writer_node = 0;
  uint64_t stamp = 0;
  uint8_t cluster_uuid[16] = {};
  ConfigPtr cfg; // set when status == 0
};

struct CodReport {
  CodCopy copy[2];
  int winner = -1; // 0 (A), 1 (B) or -1: no usable copy
  std::string why; // one line: why that copy (or none) wins
  bool has_cod() const { return winner >= 0; }
  const rc_config *config() const { return winner >= 0 ? copy[winner].cfg.get() : nullptr; }
};

// Decode two RC_COD_BYTES images (copy A at @a, copy B at @b).
CodReport analyze_cod(const uint8_t *a, const uint8_t *b);

// Read both copies of the disk at @dev.  Throws Error when the disk is too
// small to carry the metadata area or the read fails.
CodReport read_cod(ScsiDevice &dev);

// Where this disk stands in its COD.
struct Membership {
  bool cod = false;         // a valid COD was found
  bool member = false;      // ...and lists this disk
  std::string cluster;      // short cluster UUID
  int index = -1;           // disk record index
  std::string state;        // disk state name ("online")
  std::string text() const; // "a1b2c3d4 #2 online", "-", "cod, not listed"
};
Membership membership(const CodReport &r, const Wwn &wwn, const std::string &serial);

// One-line reason for a decode status ("CRC mismatch (torn or corrupt write)")
// and its short form for tables ("CRC mismatch").
std::string cod_status_text(int status);
std::string cod_status_short(int status); // "CRC mismatch", for tables
std::string cod_status_short(int status);

// Human text and JSON of a report and of a decoded configuration.
std::string format_cod_report(const CodReport &r, const std::string &disk);
Json cod_report_json(const CodReport &r, const std::string &disk);
std::string format_config(const rc_config &cfg);
Json config_json(const rc_config &cfg);
std::string disk_record_id(const rc_disk &d); // "naa.5000..." or "serial:XYZ"

} // namespace rc
