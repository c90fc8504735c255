// SCSI access to one disk through libsgutils2: INQUIRY, VPD pages 0x80
// (unit serial) and 0x83 (NAA WWN), READ CAPACITY(16) and raw READ(16)
// through the sg_pt (SG_IO) API.  Works on /dev/sgN and on /dev/sdX (the
// block layer passes SG_IO through), read-only, so it never disturbs a
// disk the kernel module holds exclusively.
//
// The byte-level decoders are free functions so unit tests can feed them
// canned responses.
#pragma once

#include "fd.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rc {

struct Inquiry {
  unsigned peripheral_type = 0x1f; // 0 = direct access block device
  std::string vendor, model, revision;
};

struct Wwn {
  std::vector<uint8_t> id; // NAA designator, 8 or 16 bytes; empty = none
  // "naa.5000c5008cd36a98", or "" when there is none.
  std::string str() const;
  bool empty() const { return id.empty(); }
};

struct Capacity {
  uint64_t blocks = 0;    // logical blocks
  uint32_t block_len = 0; // bytes per logical block
  uint64_t sectors() const { return blocks * block_len / 512; }
};

// Decoders of SCSI responses (SPC-4/SBC-3).  Throw Error on malformed data.
Inquiry parse_std_inquiry(const uint8_t *buf, size_t len);
std::string parse_vpd_serial(const uint8_t *buf, size_t len);
Wwn parse_vpd_naa(const uint8_t *buf, size_t len);
Capacity parse_readcap16(const uint8_t *buf, size_t len);
// "naa.5000C500..." / "0x5000c500..." / "5000c500..." -> bytes; nullopt-like:
// returns false when @s is not 16 or 32 hex digits with an optional prefix.
bool parse_wwn_string(const std::string &s, Wwn &out);
// Printable, trimmed form of a SCSI ASCII field (spaces and NULs removed at
// both ends, non-printables replaced by '?').
std::string scsi_ascii(const uint8_t *p, size_t len);

class ScsiDevice {
public:
  // Opens @path read-only.  Throws SysError on failure.
  explicit ScsiDevice(const std::string &path);

  const std::string &path() const { return path_; }
  int fd() const { return fd_.get(); }

  Inquiry inquiry();
  std::string serial(); // "" when VPD 0x80 is not supported
  Wwn wwn();            // empty when VPD 0x83 has no NAA designator
  Capacity capacity();

  // Read @nbytes starting at byte offset @off (both multiples of the
  // logical block size) with READ(16) through SG_IO.
  std::vector<uint8_t> read_bytes(uint64_t off, size_t nbytes);

private:
  // INQUIRY (EVPD when @evpd) -> response bytes actually returned.
  std::vector<uint8_t> inquiry_raw(bool evpd, int page, size_t maxlen);

  std::string path_;
  Fd fd_;
  Capacity cap_; // cached after the first capacity()
};

} // namespace rc
