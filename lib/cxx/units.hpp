// Parsing and printing of the quantities an administrator types: sizes with
// K/M/G/T suffixes, stripe sizes, RAID levels.  Pure functions; bad input
// throws UsageError with a message that quotes the input.
#pragma once

#include <cstdint>
#include <string>

namespace rc {

// "4096", "64K", "1m", "2G", "1T" (binary multiples, optional trailing
// "B"/"iB") -> bytes; "2048s" -> sectors * 512.  @what names the field in
// the error ("stripe", "extent start").
uint64_t parse_bytes(const std::string &s, const std::string &what);

// parse_bytes() that must land on a whole 512-byte sector; returns sectors.
uint64_t parse_sectors(const std::string &s, const std::string &what);

// Stripe unit -> sectors: a power of two from 4K to 1M (8..2048 sectors).
uint32_t parse_stripe(const std::string &s);

// "0", "1", "5", "10", also "raid1" -> enum rc_raid_level value.
unsigned parse_level(const std::string &s);

// 2097152 sectors -> "1.00 GiB"; below 1 KiB -> "512 B".
std::string format_sectors(uint64_t sectors);

// Stripe in sectors -> "64K".
std::string format_stripe(uint32_t sectors);

// An exact size in the form parse_sectors() reads, the largest unit that
// divides it: 32768 -> "16M", 3 -> "3s" (1536 bytes), 0 -> "0".
std::string format_sectors_exact(uint64_t sectors);

} // namespace rc
