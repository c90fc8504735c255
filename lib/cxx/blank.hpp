// Is a disk blank: nothing any tool would recognise, so that attaching it
// automatically (a disk inserted into a failed member's slot) cannot destroy
// data?  Partition tables (MBR, GPT and its backup), filesystems, LVM, md
// (0.90/1.0 at the end, 1.1/1.2 at the start) and ZFS labels live in the
// first or the last MiB; what the first attach writes (COD, slots,
// mailboxes, bitmaps) goes up to the data area at 16 MiB, where a zapped
// partition table's first partition would start.  A blank disk is zero in
// both ranges.  A disk with old data there is not blank: it is attached only
// by hand.
#pragma once

#include "sg.hpp"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace rc {

// The byte ranges (offset, length) that must read as zero on a disk of
// @bytes, @block_len-aligned: the first 16 MiB (RC_DATA_START_SECTOR) and
// the last MiB (the whole disk when smaller than 17 MiB).
std::vector<std::pair<uint64_t, uint64_t>> blank_ranges(uint64_t bytes, uint32_t block_len);

bool all_zero(const uint8_t *p, size_t n);

// Reads the ranges of blank_ranges() through SG_IO.  Throws Error on a
// read failure.
bool disk_is_blank(ScsiDevice &dev);

} // namespace rc
