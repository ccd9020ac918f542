// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of snapshot sections.
// No Debian package in padan's stack provides it, so it is implemented here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace padan::crc32c {

// Returns the CRC-32C of the concatenation of A and data[0, size), where `crc` is the CRC-32C
// of some byte string A; Extend(0, ...) starts a fresh checksum. So a checksum can be computed
// piece by piece: Extend(Extend(0, a, n), b, m) == Value(a followed by b).
// Uses the SSE 4.2 crc32 instruction when the CPU has it (about 8 bytes per 3 cycles), else a
// slice-by-8 table lookup (about 1 byte per cycle); both give the same value.
// Thread-safe.
uint32_t Extend(uint32_t crc, const void* data, size_t size);

// The CRC-32C of data[0, size). Value("123456789") is 0xE3069283, the standard check value.
inline uint32_t Value(const void* data, size_t size) { return Extend(0, data, size); }
inline uint32_t Value(std::string_view data) { return Extend(0, data.data(), data.size()); }

namespace internal {

// The two implementations behind Extend, for tests and benchmarks that compare them.
uint32_t ExtendPortable(uint32_t crc, const void* data, size_t size);
// REQUIRES: HasHardwareCrc().
uint32_t ExtendHardware(uint32_t crc, const void* data, size_t size);
bool HasHardwareCrc();

}  // namespace internal
}  // namespace padan::crc32c
