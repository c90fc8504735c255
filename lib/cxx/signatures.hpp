// Other software's signatures on a disk, found and erased with libblkid
// (util-linux, as blkid and wipefs do): partition tables, filesystems, LVM
// physical volumes, md and other RAID members, LUKS.  attach refuses a
// new disk that carries one (its data would be overwritten) unless
// --force, which erases them first, as `wipefs -a` would, so the disk no
// longer claims to hold what raidcluster overwrites.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rc {

struct Signature {
  std::string type;  // blkid's TYPE or PTTYPE: "ext4", "gpt", "LVM2_member"
  std::string usage; // "filesystem", "raid", "crypto", "partition table", ...
  uint64_t offset;   // of its magic, bytes
  size_t size = 0;   // of its magic, bytes
};

// Every signature on @path (a whole disk).  Throws SysError when it cannot
// be opened, Error when libblkid cannot probe it.
std::vector<Signature> find_signatures(const std::string &path);

// Erase every signature on @path (the magic bytes only, as wipefs -a) and
// have the kernel reread its partition table.  The disk is opened O_EXCL:
// one that is mounted or held (md, dm, LVM) is refused with SysError
// EBUSY before anything is written.  The magic is overwritten with direct,
// synchronous writes, so a write the disk refuses is an error here (SysError
// EIO), and the disk is probed again afterwards.  Returns what was erased.
std::vector<Signature> wipe_signatures(const std::string &path);

// "an ext4 filesystem", "a gpt partition table and a linux_raid_member
// (raid)": for messages.
std::string describe_signatures(const std::vector<Signature> &sigs);

} // namespace rc
