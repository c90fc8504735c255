#include "sg.hpp"
#include "error.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <memory>

#include <scsi/sg_cmds_basic.h>
#include <scsi/sg_lib.h>
#include <scsi/sg_pt.h>
#include <scsi/sg_unaligned.h>

namespace rc {

namespace {

// A SCSI command that takes longer than this under emulation (qemu TCG) is
// lost anyway; long enough for a spinning-up disk.
constexpr int kTimeoutSecs = 60;
// A UNIT ATTENTION (a reset, a LUN change, another initiator's reservation on
// a shared bus) is reported once, to the first command that meets it: SG_IO
// passes it on where sd would retry, so the command is sent again.
constexpr int kUnitAttentionRetries = 3;

std::string sense_text(int cat) {
  char buf[128];
  sg_get_category_sense_str(cat, sizeof(buf), buf, 0);
  return buf;
}

std::string hex(const std::vector<uint8_t> &v) {
  std::string s;
  char b[3];
  for (auto c : v) {
    std::snprintf(b, sizeof(b), "%02x", c);
    s += b;
  }
  return s;
}

} // namespace

std::string scsi_ascii(const uint8_t *p, size_t len) {
  std::string s;
  for (size_t i = 0; i < len && p[i]; i++)
    s += std::isprint(p[i]) ? static_cast<char>(p[i]) : '?';
  size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos)
    return "";
  size_t e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

std::string Wwn::str() const { return id.empty() ? "" : "naa." + hex(id); }

Inquiry parse_std_inquiry(const uint8_t *buf, size_t len) {
  if (len < 36)
    throw Error("short INQUIRY response (" + std::to_string(len) + " bytes)");
  Inquiry inq;
  inq.peripheral_type = buf[0] & 0x1f;
  inq.vendor = scsi_ascii(buf + 8, 8);
  inq.model = scsi_ascii(buf + 16, 16);
  inq.revision = scsi_ascii(buf + 32, 4);
  return inq;
}

std::string parse_vpd_serial(const uint8_t *buf, size_t len) {
  if (len < 4 || buf[1] != 0x80)
    throw Error("malformed VPD page 0x80");
  size_t n = sg_get_unaligned_be16(buf + 2);
  if (n > len - 4)
    n = len - 4;
  return scsi_ascii(buf + 4, n);
}

Wwn parse_vpd_naa(const uint8_t *buf, size_t len) {
  if (len < 4 || buf[1] != 0x83)
    throw Error("malformed VPD page 0x83");
  size_t end = 4 + sg_get_unaligned_be16(buf + 2);
  if (end > len)
    end = len;
  const uint8_t *desc = buf + 4;
  const int n = static_cast<int>(end - 4);
  Wwn best;
  // Association 0 = the logical unit itself (not the port or target);
  // designator type 3 = NAA; any code set (NAA is binary by SPC, never
  // checked).  sg_vpd_dev_id_iter() skips the other descriptors and returns
  // -1 at the end of the list, -2 when the list runs past the page: its
  // tail is dropped, the descriptors before it still count.  It checks
  // only that a descriptor's 4-byte header is inside the page: a matching
  // designator running past it is dropped here, as the rest of the list.
  for (int off = -1; sg_vpd_dev_id_iter(desc, n, &off, 0, 3, -1) == 0;) {
    const uint8_t *d = desc + off;
    size_t dlen = d[3];
    if (static_cast<size_t>(off) + 4 + dlen > static_cast<size_t>(n))
      break;
    // The NAA field (top nibble) fixes the length: 2/3/5 -> 8 bytes,
    // 6 -> 16 bytes.  Prefer the longer, more specific NAA-6 when both
    // exist; of equal lengths the first one.
    if ((dlen == 8 || dlen == 16) && best.id.size() < dlen)
      best.id.assign(d + 4, d + 4 + dlen);
  }
  return best;
}

Capacity parse_readcap16(const uint8_t *buf, size_t len) {
  if (len < 12)
    throw Error("short READ CAPACITY(16) response");
  Capacity c;
  uint64_t last = sg_get_unaligned_be64(buf);
  c.block_len = sg_get_unaligned_be32(buf + 8);
  if (c.block_len < 512 || c.block_len > 65536 || (c.block_len & (c.block_len - 1)))
    throw Error("unsupported logical block size " + std::to_string(c.block_len));
  c.blocks = last + 1;
  return c;
}

bool parse_wwn_string(const std::string &in, Wwn &out) {
  std::string s = in;
  for (auto &c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // A bare hex string is not a WWN here: serials are often hex too and
  // must not be mistaken for one.  udev's by-id name is "wwn-0x...".
  static const char *prefixes[] = {"naa.", "wwn-0x", "0x"};
  bool ok = false;
  for (const char *p : prefixes) {
    size_t n = std::strlen(p);
    if (s.compare(0, n, p) == 0) {
      s = s.substr(n);
      ok = true;
      break;
    }
  }
  if (!ok || (s.size() != 16 && s.size() != 32))
    return false;
  std::vector<uint8_t> id;
  for (size_t i = 0; i < s.size(); i += 2) {
    if (!std::isxdigit(static_cast<unsigned char>(s[i])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 1])))
      return false;
    id.push_back(static_cast<uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16)));
  }
  out.id = id;
  return true;
}

ScsiDevice::ScsiDevice(const std::string &path)
    : path_(path), fd_(Fd::open(path, O_RDONLY | O_NONBLOCK)) {}

std::vector<uint8_t> ScsiDevice::inquiry_raw(bool evpd, int page, size_t maxlen) {
  std::vector<uint8_t> buf(maxlen);
  int resid = 0, r;
  for (int tries = 0;; tries++) {
    r = sg_ll_inquiry_v2(fd_.get(), evpd, page, buf.data(), static_cast<int>(maxlen), kTimeoutSecs,
                         &resid, false, 0);
    if (r != SG_LIB_CAT_UNIT_ATTENTION || tries >= kUnitAttentionRetries)
      break;
  }
  if (r != 0) {
    std::string what =
        evpd ? "INQUIRY VPD page 0x" + hex({static_cast<uint8_t>(page)}) : std::string("INQUIRY");
    if (r < 0)
      throw SysError(path_ + ": " + what, r == -1 ? EIO : -r);
    throw Error(path_ + ": " + what + " failed: " + sense_text(r));
  }
  if (resid < 0 || static_cast<size_t>(resid) > maxlen)
    resid = 0;
  buf.resize(maxlen - static_cast<size_t>(resid));
  return buf;
}

Inquiry ScsiDevice::inquiry() {
  auto b = inquiry_raw(false, 0, 96);
  return parse_std_inquiry(b.data(), b.size());
}

std::string ScsiDevice::serial() {
  std::vector<uint8_t> b;
  try {
    b = inquiry_raw(true, 0x80, 252);
  } catch (const SysError &) {
    throw;
  } catch (const Error &) {
    return ""; // page not supported: the disk has no serial
  }
  return parse_vpd_serial(b.data(), b.size());
}

Wwn ScsiDevice::wwn() {
  std::vector<uint8_t> b;
  try {
    b = inquiry_raw(true, 0x83, 1024);
  } catch (const SysError &) {
    throw;
  } catch (const Error &) {
    return {};
  }
  return parse_vpd_naa(b.data(), b.size());
}

Capacity ScsiDevice::capacity() {
  if (cap_.block_len)
    return cap_;
  uint8_t buf[32] = {};
  int r;
  for (int tries = 0;; tries++) {
    r = sg_ll_readcap_16(fd_.get(), false, 0, buf, sizeof(buf), false, 0);
    if (r != SG_LIB_CAT_UNIT_ATTENTION || tries >= kUnitAttentionRetries)
      break;
  }
  if (r == SG_LIB_CAT_INVALID_OP || r == SG_LIB_CAT_ILLEGAL_REQ) {
    // Old disks (and some emulations) only know READ CAPACITY(10).
    r = sg_ll_readcap_10(fd_.get(), false, 0, buf, 8, false, 0);
    if (r == 0) {
      cap_.blocks = static_cast<uint64_t>(sg_get_unaligned_be32(buf)) + 1;
      cap_.block_len = sg_get_unaligned_be32(buf + 4);
      if (cap_.block_len < 512 || (cap_.block_len & (cap_.block_len - 1)))
        throw Error(path_ + ": unsupported logical block size " + std::to_string(cap_.block_len));
      return cap_;
    }
  }
  if (r < 0)
    throw SysError(path_ + ": READ CAPACITY", r == -1 ? EIO : -r);
  if (r != 0)
    throw Error(path_ + ": READ CAPACITY failed: " + sense_text(r));
  cap_ = parse_readcap16(buf, sizeof(buf));
  return cap_;
}

std::vector<uint8_t> ScsiDevice::read_bytes(uint64_t off, size_t nbytes) {
  Capacity cap = capacity();
  if (off % cap.block_len || nbytes % cap.block_len)
    throw Error(path_ + ": read not aligned to the " + std::to_string(cap.block_len) +
                "-byte block size");
  if (off / cap.block_len + nbytes / cap.block_len > cap.blocks)
    throw Error(path_ + ": read past the end of the disk (" + std::to_string(cap.sectors()) +
                " sectors)");
  std::vector<uint8_t> out(nbytes);
  std::unique_ptr<sg_pt_base, void (*)(sg_pt_base *)> pt(construct_scsi_pt_obj(),
                                                         destruct_scsi_pt_obj);
  if (!pt)
    throw Error("out of memory for a SCSI pass-through object");
  // 32 KiB per command stays under every HBA's max_sectors and the sg
  // driver's default reserved buffer.
  const size_t chunk = 32 * 1024 - (32 * 1024) % cap.block_len;
  for (size_t done = 0, tries = 0; done < nbytes;) {
    size_t n = std::min(chunk, nbytes - done);
    uint64_t lba = (off + done) / cap.block_len;
    uint32_t nblk = static_cast<uint32_t>(n / cap.block_len);
    uint8_t cdb[16] = {0x88}; // READ(16)
    uint8_t sense[64] = {};
    sg_put_unaligned_be64(lba, cdb + 2);
    sg_put_unaligned_be32(nblk, cdb + 10);
    clear_scsi_pt_obj(pt.get());
    set_scsi_pt_cdb(pt.get(), cdb, sizeof(cdb));
    set_scsi_pt_sense(pt.get(), sense, sizeof(sense));
    set_scsi_pt_data_in(pt.get(), out.data() + done, static_cast<int>(n));
    int r = do_scsi_pt(pt.get(), fd_.get(), kTimeoutSecs, 0);
    std::string at = path_ + ": READ(16) at LBA " + std::to_string(lba);
    if (r < 0)
      throw SysError(at, -r);
    if (r == SCSI_PT_DO_BAD_PARAMS || r == SCSI_PT_DO_TIMEOUT)
      throw Error(at + (r == SCSI_PT_DO_TIMEOUT ? ": timed out" : ": bad parameters"));
    int cat = get_scsi_pt_result_category(pt.get());
    if (cat == SCSI_PT_RESULT_OS_ERR)
      throw SysError(at, get_scsi_pt_os_err(pt.get()));
    if (cat == SCSI_PT_RESULT_TRANSPORT_ERR)
      throw Error(at + ": transport error (disk gone or link down)");
    if (cat == SCSI_PT_RESULT_SENSE) {
      int scat = sg_err_category_sense(sense, get_scsi_pt_sense_len(pt.get()));
      if (scat == SG_LIB_CAT_UNIT_ATTENTION && tries++ < kUnitAttentionRetries)
        continue; // the same chunk again
      if (scat != SG_LIB_CAT_RECOVERED && scat != SG_LIB_CAT_NO_SENSE)
        throw Error(at + ": " + sense_text(scat));
    } else if (cat == SCSI_PT_RESULT_STATUS) {
      throw Error(at + ": SCSI status 0x" +
                  hex({static_cast<uint8_t>(get_scsi_pt_status_response(pt.get()))}));
    }
    if (get_scsi_pt_resid(pt.get()) != 0)
      throw Error(at + ": short read");
    done += n;
    tries = 0;
  }
  return out;
}

} // namespace rc
