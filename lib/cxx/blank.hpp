// Is a disk blank: nothing any tool would recognise, so that attaching it
// automatically (a disk inserted into a failed member's slot) cannot destroy
// data?  Partition tables (MBR, GPT and its backup), filesystems, LVM, md
// (0.90/1.0 at the end, 1.1/1.2 at the start) and ZFS labels all live in
// the first or the last MiB; a blank disk is zero in both (our own COD,
// behind the first MiB, is checked by its reader).  A disk with old data
// there is not blank: it is attached only by hand.
#pragma once

#include "sg.hpp"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace rc {

// The byte ranges (offset, length) that must read as zero on a disk of
// @bytes, @block_len-aligned: the first and the last MiB (the whole disk
// when smaller than 2 MiB).
std::vector<std::pair<uint64_t, uint64_t>> blank_ranges(uint64_t bytes, uint32_t block_len);

bool all_zero(const uint8_t *p, size_t n);

// Reads the ranges of blank_ranges() through SG_IO.  Throws Error on a
// read failure.
bool disk_is_blank(ScsiDevice &dev);

} // namespace rc
