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

size_t value_len(blkid_probe pr, const char *name) {
  const char *v = nullptr;
  size_t len = 0;
  return blkid_probe_lookup_value(pr, name, &v, &len) == 0 && v ? len : 0;
}

// The signature blkid_do_probe() just found.
Signature current(blkid_probe pr) {
  Signature s{value(pr, "TYPE"), value(pr, "USAGE"), 0, value_len(pr, "SBMAGIC")};
  std::string off = value(pr, "SBMAGIC_OFFSET");
  if (s.type.empty()) {
    s.type = value(pr, "PTTYPE");
    s.usage = "partition table";
    off = value(pr, "PTMAGIC_OFFSET");
    s.size = value_len(pr, "PTMAGIC");
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

namespace {

// Zero @s's magic bytes on @fd (O_DIRECT | O_DSYNC): the blocks that hold
// them are read, patched and written back whole.
void erase_magic(int fd, const std::string &path, const Signature &s, unsigned block) {
  const uint64_t first = s.offset / block * block;
  const uint64_t end = (s.offset + s.size + block - 1) / block * block;
  const size_t len = static_cast<size_t>(end - first);
  void *mem = nullptr;
  if (posix_memalign(&mem, 4096, len) != 0)
    throw Error("out of memory erasing a signature of " + path);
  std::unique_ptr<void, decltype(&free)> buf(mem, free);
  const std::string what =
      "erase the " + s.type + " signature at byte " + std::to_string(s.offset) + " of " + path;
  if (pread(fd, buf.get(), len, static_cast<off_t>(first)) != static_cast<ssize_t>(len))
    throw SysError(what + " (read)", errno ? errno : EIO);
  std::memset(static_cast<char *>(buf.get()) + (s.offset - first), 0, s.size);
  if (pwrite(fd, buf.get(), len, static_cast<off_t>(first)) != static_cast<ssize_t>(len))
    throw SysError(what, errno ? errno : EIO);
}

} // namespace

std::vector<Signature> wipe_signatures(const std::string &path) {
  Fd fd = Fd::open(path, O_RDWR | O_EXCL | O_DIRECT | O_DSYNC | O_CLOEXEC);
  // a disk's logical block; an image file (the tests): its filesystem's
  unsigned block = 4096;
  int ssz = 0;
  if (ioctl(fd.get(), BLKSSZGET, &ssz) == 0 && ssz > 0)
    block = static_cast<unsigned>(ssz);
  std::vector<Signature> out;
  // Erasing one signature may uncover another one behind it (blkid stops
  // at the first of a chain): probe again until nothing is left.
  for (int round = 0; round < 4; round++) {
    std::vector<Signature> sigs = find_signatures(path);
    if (sigs.empty())
      break;
    for (const auto &s : sigs) {
      if (!s.size)
        throw Error("cannot erase the " + s.type + " signature of " + path +
                    ": libblkid gives no magic to erase (use wipefs)");
      erase_magic(fd.get(), path, s, block);
      out.push_back(s);
    }
    // the page cache still holds the old blocks: drop it, so the next
    // probe (and the kernel) reads what is on the disk now
    ioctl(fd.get(), BLKFLSBUF, 0);
  }
  if (!find_signatures(path).empty())
    throw Error("signatures are left on " + path + " after erasing " + std::to_string(out.size()) +
                " (use wipefs -a)");
  if (!out.empty())
    ioctl(fd.get(), BLKRRPART); // its partitions go; EINVAL: none were there
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
