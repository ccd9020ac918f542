#include "index/crc32c.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace padan {
namespace {

using ExtendFn = uint32_t (*)(uint32_t, const void*, size_t);

// Every implementation the machine can run, by name, so each check runs on each of them.
std::vector<std::pair<std::string, ExtendFn>> Implementations() {
  std::vector<std::pair<std::string, ExtendFn>> fns = {
      {"Extend", &crc32c::Extend}, {"portable", &crc32c::internal::ExtendPortable}};
  if (crc32c::internal::HasHardwareCrc()) {
    fns.emplace_back("hardware", &crc32c::internal::ExtendHardware);
  }
  return fns;
}

uint32_t Crc(ExtendFn fn, std::string_view bytes) { return fn(0, bytes.data(), bytes.size()); }

TEST(Crc32cTest, StandardCheckValue) {
  EXPECT_EQ(crc32c::Value("123456789"), 0xE3069283u);
  for (const auto& [name, fn] : Implementations()) {
    EXPECT_EQ(Crc(fn, "123456789"), 0xE3069283u) << name;
    EXPECT_EQ(Crc(fn, ""), 0u) << name;
    EXPECT_EQ(Crc(fn, "a"), 0xC1D04330u) << name;
  }
}

// The test vectors of RFC 3720 (iSCSI), appendix B.4.
TEST(Crc32cTest, Rfc3720Vectors) {
  std::string zeros(32, '\0');
  std::string ones(32, '\xFF');
  std::string ascending(32, '\0');
  std::string descending(32, '\0');
  for (int i = 0; i < 32; ++i) {
    ascending[i] = static_cast<char>(i);
    descending[i] = static_cast<char>(31 - i);
  }
  const uint8_t kReadCommand[48] = {0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00,
                                    0x00, 0x18, 0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  for (const auto& [name, fn] : Implementations()) {
    EXPECT_EQ(Crc(fn, zeros), 0x8A9136AAu) << name;
    EXPECT_EQ(Crc(fn, ones), 0x62A8AB43u) << name;
    EXPECT_EQ(Crc(fn, ascending), 0x46DD794Eu) << name;
    EXPECT_EQ(Crc(fn, descending), 0x113FDB5Cu) << name;
    EXPECT_EQ(fn(0, kReadCommand, sizeof(kReadCommand)), 0xD9963A56u) << name;
  }
}

TEST(Crc32cTest, ExtendInPiecesEqualsWhole) {
  std::mt19937_64 rng(7);
  std::string data(300, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (const auto& [name, fn] : Implementations()) {
    const uint32_t whole = Crc(fn, data);
    for (size_t split = 0; split <= data.size(); ++split) {
      const uint32_t first = fn(0, data.data(), split);
      ASSERT_EQ(fn(first, data.data() + split, data.size() - split), whole)
          << name << " split at " << split;
    }
  }
}

TEST(Crc32cTest, ImplementationsAgreeOnEveryLengthAndAlignment) {
  std::mt19937_64 rng(11);
  std::string data(4096 + 16, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t offset = 0; offset < 16; ++offset) {
    for (size_t size : {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4096}) {
      const uint32_t want =
          crc32c::internal::ExtendPortable(0x12345678, data.data() + offset, size);
      for (const auto& [name, fn] : Implementations()) {
        ASSERT_EQ(fn(0x12345678, data.data() + offset, size), want)
            << name << " offset " << offset << " size " << size;
      }
    }
  }
}

TEST(Crc32cTest, DetectsEverySingleBitFlip) {
  std::string data = "snapshot section payload 0123456789";
  const uint32_t crc = crc32c::Value(data);
  for (size_t i = 0; i < data.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = data;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
      ASSERT_NE(crc32c::Value(flipped), crc) << i << ":" << bit;
    }
  }
}

}  // namespace
}  // namespace padan
