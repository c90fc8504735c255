// Signatures of other software on a disk, through libblkid (signatures.hpp).
// The probing loop is wipefs's: blkid_do_probe() returns one signature per
// call, superblocks and partition tables alike, and blkid_do_wipe() erases
// the one just found and makes the next call probe the same place again.
#include "signatures.hpp"

#include "error.hpp"
#include "fd.hpp"

#include <blkid/blkid.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <memory>
#include <sys/ioctl.h>
#include <unistd.h>

namespace rc {

namespace {

struct ProbeDeleter {
  void operator()(blkid_struct_probe *p) const { blkid_free_probe(p); }
};
using Probe = std::unique_ptr<blkid_struct_probe, ProbeDeleter>;

std::string value(blkid_probe pr, const char *name) {
  const char *v = nullptr;
  size_t len = 0;
  if (blkid_probe_lookup_value(pr, name, &v, &len) != 0 || !v)
    return "";
  return std::string(v, strnlen(v, len));
}

Probe probe_of(const Fd &fd, const std::string &path) {
  Probe pr(blkid_new_probe());
  if (!pr || blkid_probe_set_device(pr.get(), fd.get(), 0, 0) != 0)
    throw Error("cannot probe " + path + " for signatures (libblkid)");
  blkid_probe_enable_superblocks(pr.get(), 1);
  blkid_probe_set_superblocks_flags(pr.get(), BLKID_SUBLKS_MAGIC | BLKID_SUBLKS_TYPE |
                                                  BLKID_SUBLKS_USAGE | BLKID_SUBLKS_BADCSUM);
  blkid_probe_enable_partitions(pr.get(), 1);
  blkid_probe_set_partitions_flags(pr.get(), BLKID_PARTS_MAGIC | BLKID_PARTS_FORCE_GPT);
  return pr;
}

// The signature blkid_do_probe() just found.
Signature current(blkid_probe pr) {
  Signature s{value(pr, "TYPE"), value(pr, "USAGE"), 0};
  std::string off = value(pr, "SBMAGIC_OFFSET");
  if (s.type.empty()) {
    s.type = value(pr, "PTTYPE");
    s.usage = "partition table";
    off = value(pr, "PTMAGIC_OFFSET");
  }
  if (s.type.empty())
    s.type = "unknown";
  s.offset = off.empty() ? 0 : std::strtoull(off.c_str(), nullptr, 10);
  return s;
}

// At most this many: a disk claims a handful (a GPT is three: PMBR, both
// headers); the bound keeps a probe that never ends from looping.
constexpr int kMaxSignatures = 64;

} // namespace

std::vector<Signature> find_signatures(const std::string &path) {
  Fd fd = Fd::open(path, O_RDONLY | O_CLOEXEC);
  Probe pr = probe_of(fd, path);
  std::vector<Signature> out;
  while (out.size() < kMaxSignatures && blkid_do_probe(pr.get()) == 0)
    out.push_back(current(pr.get()));
  return out;
}

std::vector<Signature> wipe_signatures(const std::string &path) {
  Fd fd = Fd::open(path, O_RDWR | O_EXCL | O_CLOEXEC);
  Probe pr = probe_of(fd, path);
  std::vector<Signature> out;
  while (out.size() < kMaxSignatures && blkid_do_probe(pr.get()) == 0) {
    Signature s = current(pr.get());
    if (blkid_do_wipe(pr.get(), 0) != 0)
      throw SysError("erase the " + s.type + " signature at offset " + std::to_string(s.offset) +
                         " of " + path,
                     errno ? errno : EIO);
    out.push_back(s);
  }
  if (!out.empty()) {
    if (fsync(fd.get()) != 0)
      throw SysError("flush " + path, errno);
    ioctl(fd.get(), BLKRRPART); // its partitions go; EBUSY/EINVAL: none were there
  }
  return out;
}

std::string describe_signatures(const std::vector<Signature> &sigs) {
  std::string out;
  for (size_t i = 0; i < sigs.size(); i++) {
    const Signature &s = sigs[i];
    bool dup = false;
    for (size_t k = 0; k < i; k++)
      dup |= sigs[k].type == s.type;
    if (dup)
      continue; // a GPT's two headers are one partition table
    if (!out.empty())
      out += " and ";
    const char *article = s.type.find_first_of("aeiouAEIOU") == 0 ? "an " : "a ";
    if (s.usage == "filesystem" || s.usage == "partition table")
      out += article + s.type + " " + s.usage;
    else if (!s.usage.empty() && s.usage != "other")
      out += article + s.type + " (" + s.usage + ")";
    else
      out += article + s.type + " signature";
  }
  return out;
}

} // namespace rc
