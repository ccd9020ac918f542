#include "index/snapshot_file.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/absl_strings.h"
#include "index/crc32c.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::MakeTempDir;
using ::padan::testing::ReadFile;
using ::padan::testing::StatusIs;
using ::padan::testing::WriteFile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Writes a small snapshot with two sections holding one value of each kind.
void WriteSample(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SnapshotWriter>> writer = SnapshotWriter::Create(path);
  ASSERT_THAT(writer, IsOk());
  SnapshotWriter& w = **writer;
  w.BeginSection("test.numbers");
  w.AppendU32(0xDEADBEEF);
  w.AppendU64(0x0123456789ABCDEF);
  w.AppendVector(std::vector<uint16_t>{1, 2, 65535});
  w.BeginSection("test.text");
  w.AppendString("Siti Aminah — Ñ");
  w.AppendString("");
  w.Append("raw", 3);
  ASSERT_THAT(w.Finish(), IsOk());
}

// Reads back what WriteSample wrote; the first error, if any.
absl::Status ReadSample(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SnapshotReader>> opened = SnapshotReader::Open(path);
  if (!opened.ok()) return opened.status();
  SnapshotReader& r = **opened;
  if (absl::Status s = r.OpenSection("test.numbers"); !s.ok()) return s;
  absl::StatusOr<uint32_t> u32 = r.ReadU32();
  absl::StatusOr<uint64_t> u64 = r.ReadU64();
  if (!u32.ok()) return u32.status();
  if (!u64.ok()) return u64.status();
  EXPECT_EQ(*u32, 0xDEADBEEFu);
  EXPECT_EQ(*u64, 0x0123456789ABCDEFu);
  std::vector<uint16_t> values;
  if (absl::Status s = r.ReadVector(&values, 10); !s.ok()) return s;
  EXPECT_THAT(values, ElementsAre(1, 2, 65535));
  EXPECT_EQ(r.remaining(), 0u);
  if (absl::Status s = r.OpenSection("test.text"); !s.ok()) return s;
  absl::StatusOr<std::string> text = r.ReadString();
  absl::StatusOr<std::string> empty = r.ReadString();
  if (!text.ok()) return text.status();
  if (!empty.ok()) return empty.status();
  EXPECT_EQ(*text, "Siti Aminah — Ñ");
  EXPECT_EQ(*empty, "");
  char raw[3];
  if (absl::Status s = r.Read(raw, sizeof(raw)); !s.ok()) return s;
  EXPECT_EQ(std::string(raw, 3), "raw");
  EXPECT_EQ(r.remaining(), 0u);
  return absl::OkStatus();
}

TEST(SnapshotFileTest, RoundTripsEveryKindOfValue) {
  const std::string path = MakeTempDir() + "/s.snp";
  WriteSample(path);
  EXPECT_THAT(ReadSample(path), IsOk());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(SnapshotFileTest, LayoutIsAsDocumented) {
  const std::string path = MakeTempDir() + "/s.snp";
  {
    std::unique_ptr<SnapshotWriter> w = *SnapshotWriter::Create(path);
    w->BeginSection("ab");
    w->AppendU32(7);
    ASSERT_THAT(w->Finish(), IsOk());
  }
  const std::string bytes = ReadFile(path);
  std::string want("PADANSNP", 8);
  want += std::string("\x01\x00\x00\x00", 4);  // version 1
  want += std::string("\x01\x00\x00\x00", 4);  // one section
  want += std::string("\x02\x00\x00\x00", 4) + "ab";
  want += std::string("\x04\x00\x00\x00\x00\x00\x00\x00", 8);  // payload length
  const std::string payload("\x07\x00\x00\x00", 4);
  const uint32_t crc = crc32c::Value(payload);
  for (int i = 0; i < 4; ++i) want += static_cast<char>(crc >> (8 * i));
  want += payload;
  EXPECT_EQ(bytes, want);
}

TEST(SnapshotFileTest, NoSectionsAndEmptySections) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<SnapshotWriter> w = *SnapshotWriter::Create(dir + "/none.snp");
    ASSERT_THAT(w->Finish(), IsOk());
  }
  absl::StatusOr<std::unique_ptr<SnapshotReader>> none = SnapshotReader::Open(dir + "/none.snp");
  ASSERT_THAT(none, IsOk());
  EXPECT_FALSE((*none)->HasSection("x"));
  EXPECT_THAT((*none)->ReadU32(), StatusIs(absl::StatusCode::kDataLoss));

  {
    std::unique_ptr<SnapshotWriter> w = *SnapshotWriter::Create(dir + "/empty.snp");
    w->BeginSection("a");
    w->BeginSection("b");
    w->AppendU32(1);
    w->BeginSection("c");
    ASSERT_THAT(w->Finish(), IsOk());
  }
  std::unique_ptr<SnapshotReader> r = *SnapshotReader::Open(dir + "/empty.snp");
  EXPECT_TRUE(r->HasSection("a") && r->HasSection("b") && r->HasSection("c"));
  ASSERT_THAT(r->OpenSection("a"), IsOk());
  EXPECT_EQ(r->remaining(), 0u);
  ASSERT_THAT(r->OpenSection("b"), IsOk());
  EXPECT_EQ(r->remaining(), 4u);
  ASSERT_THAT(r->OpenSection("c"), IsOk());
  EXPECT_EQ(r->remaining(), 0u);
}

TEST(SnapshotFileTest, LargeSectionsBetweenSmallOnes) {
  // Payloads larger than the write buffer are written past it, and section headers then get
  // patched in the file rather than in the buffer.
  const std::string path = MakeTempDir() + "/large.snp";
  std::vector<uint64_t> big(700'000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = i * 0x9E3779B97F4A7C15;
  {
    std::unique_ptr<SnapshotWriter> w = *SnapshotWriter::Create(path);
    w->BeginSection("small.1");
    w->AppendU32(1);
    w->BeginSection("big");
    w->AppendVector(big);
    for (int i = 0; i < 3000; ++i) w->AppendU64(i);  // many small appends after a big one
    w->BeginSection("small.2");
    w->AppendU32(2);
    ASSERT_THAT(w->Finish(), IsOk());
  }
  std::unique_ptr<SnapshotReader> r = *SnapshotReader::Open(path);
  ASSERT_THAT(r->OpenSection("small.2"), IsOk());
  EXPECT_EQ(*r->ReadU32(), 2u);
  ASSERT_THAT(r->OpenSection("big"), IsOk());
  std::vector<uint64_t> read;
  ASSERT_THAT(r->ReadVector(&read, big.size()), IsOk());
  EXPECT_EQ(read, big);
  for (int i = 0; i < 3000; ++i) ASSERT_EQ(*r->ReadU64(), static_cast<uint64_t>(i));
  EXPECT_EQ(r->remaining(), 0u);
  ASSERT_THAT(r->OpenSection("small.1"), IsOk());
  EXPECT_EQ(*r->ReadU32(), 1u);
}

TEST(SnapshotFileTest, ReadsPastTheSectionEndAreDataLoss) {
  const std::string path = MakeTempDir() + "/s.snp";
  WriteSample(path);
  std::unique_ptr<SnapshotReader> r = *SnapshotReader::Open(path);
  ASSERT_THAT(r->OpenSection("test.text"), IsOk());
  char buffer[64];
  absl::Status past = r->Read(buffer, sizeof(buffer));
  EXPECT_THAT(past, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(past.message(), HasSubstr("test.text"));
  ASSERT_THAT(r->OpenSection("test.numbers"), IsOk());
  std::vector<uint32_t> too_long;
  EXPECT_THAT(r->ReadVector(&too_long, 2), StatusIs(absl::StatusCode::kDataLoss)) << "max_count";
  // A string length that runs past the section: "test.numbers" starts with 0xDEADBEEF.
  ASSERT_THAT(r->OpenSection("test.numbers"), IsOk());
  EXPECT_THAT(r->ReadString(), StatusIs(absl::StatusCode::kDataLoss));
  ASSERT_THAT(r->OpenSection("test.numbers"), IsOk());
  ASSERT_THAT(r->ReadU32(), IsOk());
  ASSERT_THAT(r->ReadU64(), IsOk());
  std::vector<uint64_t> wrong_width;  // a count of 3 fits, but not 3 elements of 8 bytes
  EXPECT_THAT(r->ReadVector(&wrong_width, 10), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(SnapshotFileTest, MissingFileIsNotFoundAndMissingSectionIsDataLoss) {
  const std::string dir = MakeTempDir();
  EXPECT_THAT(SnapshotReader::Open(dir + "/absent.snp"), StatusIs(absl::StatusCode::kNotFound));
  WriteSample(dir + "/s.snp");
  std::unique_ptr<SnapshotReader> r = *SnapshotReader::Open(dir + "/s.snp");
  EXPECT_FALSE(r->HasSection("test.other"));
  absl::Status missing = r->OpenSection("test.other");
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(missing.message(), HasSubstr("test.other"));
}

TEST(SnapshotFileTest, CreateInMissingFolderFails) {
  EXPECT_THAT(SnapshotWriter::Create(MakeTempDir() + "/no/such/dir/s.snp"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(SnapshotFileTest, UnfinishedWriterLeavesTheOldSnapshotAndNoTemporary) {
  const std::string path = MakeTempDir() + "/s.snp";
  WriteSample(path);
  const std::string before = ReadFile(path);
  {
    std::unique_ptr<SnapshotWriter> w = *SnapshotWriter::Create(path);
    w->BeginSection("test.numbers");
    w->AppendU32(1);
    EXPECT_TRUE(std::filesystem::exists(path + ".tmp"));
  }  // destroyed without Finish, as when a snapshot is abandoned
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_EQ(ReadFile(path), before);
  EXPECT_THAT(ReadSample(path), IsOk());
}

TEST(SnapshotFileTest, FinishReplacesTheOldSnapshot) {
  const std::string path = MakeTempDir() + "/s.snp";
  WriteSample(path);
  {
    std::unique_ptr<SnapshotWriter> w = *SnapshotWriter::Create(path);
    w->BeginSection("next");
    ASSERT_THAT(w->Finish(), IsOk());
    EXPECT_THAT(w->Finish(), StatusIs(absl::StatusCode::kFailedPrecondition));
  }
  std::unique_ptr<SnapshotReader> r = *SnapshotReader::Open(path);
  EXPECT_TRUE(r->HasSection("next"));
  EXPECT_FALSE(r->HasSection("test.numbers"));
}

TEST(SnapshotFileTest, MisuseOfTheWriterFailsFinishAndWritesNothing) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<SnapshotWriter> w = *SnapshotWriter::Create(dir + "/twice.snp");
    w->BeginSection("a");
    w->BeginSection("a");
    EXPECT_THAT(w->Finish(), StatusIs(absl::StatusCode::kInvalidArgument));
  }
  {
    std::unique_ptr<SnapshotWriter> w = *SnapshotWriter::Create(dir + "/early.snp");
    w->AppendU32(1);
    EXPECT_THAT(w->Finish(), StatusIs(absl::StatusCode::kFailedPrecondition));
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

// Opens `bytes` as a snapshot file and reads it as WriteSample wrote it.
absl::Status ReadBytes(const std::string& dir, std::string_view bytes) {
  const std::string path = dir + "/damaged.snp";
  // A fresh file each time: rewriting a truncated one makes ext4 flush it on close.
  std::filesystem::remove(path);
  WriteFile(path, bytes);
  return ReadSample(path);
}

TEST(SnapshotFileTest, EveryFlippedByteIsDetected) {
  const std::string dir = MakeTempDir();
  WriteSample(dir + "/s.snp");
  const std::string good = ReadFile(dir + "/s.snp");
  ASSERT_THAT(ReadBytes(dir, good), IsOk());
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xFF}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      // A flip in a section name passes the checksums (they cover payloads) and shows up as
      // a missing section; every other flip fails Open. Either way: kDataLoss, never OK.
      absl::Status status = ReadBytes(dir, bad);
      ASSERT_THAT(status, StatusIs(absl::StatusCode::kDataLoss)) << "byte " << i;
    }
  }
}

TEST(SnapshotFileTest, EveryTruncationIsDetected) {
  const std::string dir = MakeTempDir();
  WriteSample(dir + "/s.snp");
  const std::string good = ReadFile(dir + "/s.snp");
  for (size_t size = 0; size < good.size(); ++size) {
    absl::Status status = ReadBytes(dir, good.substr(0, size));
    ASSERT_THAT(status, StatusIs(absl::StatusCode::kDataLoss)) << "cut at " << size;
    EXPECT_THAT(status.message(), HasSubstr("damaged.snp"));
  }
  EXPECT_THAT(ReadBytes(dir, good + "x"), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(SnapshotFileTest, MessagesSayWhatIsWrong) {
  const std::string dir = MakeTempDir();
  WriteSample(dir + "/s.snp");
  const std::string good = ReadFile(dir + "/s.snp");

  std::string magic = good;
  magic[0] = 'X';
  EXPECT_THAT(ReadBytes(dir, magic).message(), HasSubstr("not a padan snapshot"));

  std::string future = good;
  future[8] = static_cast<char>(kSnapshotFormatVersion + 1);
  absl::Status newer = ReadBytes(dir, future);
  EXPECT_THAT(newer, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(newer.message(), HasSubstr("newer"));

  std::string payload = good;
  payload[payload.size() - 1] ^= 1;  // last byte of "test.text"
  absl::Status checksum = ReadBytes(dir, payload);
  EXPECT_THAT(checksum.message(), HasSubstr("test.text"));
  EXPECT_THAT(checksum.message(), HasSubstr("checksum"));

  EXPECT_THAT(ReadBytes(dir, good.substr(0, good.size() - 1)).message(), HasSubstr("truncated"));
  EXPECT_THAT(ReadBytes(dir, "").message(), HasSubstr("shorter than the 16-byte header"));
}

TEST(SnapshotFileTest, LargeFilesAreChecksummedOnTwoThreadsAndTheFirstBadSectionNamed) {
  // Sections large enough to be split between two threads (16 MiB each at least), each one
  // damaged in turn: the damaged one is named, whichever thread checked it.
  const std::string dir = MakeTempDir();
  const std::string path = dir + "/large.snp";
  std::vector<uint64_t> part(2'500'000);  // 20 MB
  for (size_t i = 0; i < part.size(); ++i) part[i] = i * 0x9E3779B97F4A7C15;
  {
    std::unique_ptr<SnapshotWriter> w = *SnapshotWriter::Create(path);
    for (const char* name : {"first", "second", "third"}) {
      w->BeginSection(name);
      w->AppendVector(part);
    }
    ASSERT_THAT(w->Finish(), IsOk());
  }
  ASSERT_THAT(SnapshotReader::Open(path), IsOk());
  const std::string good = ReadFile(path);
  for (const char* name : {"first", "second", "third"}) {
    std::string damaged = good;
    damaged[good.find(name) + 100] ^= 1;  // in the section's payload, past its trailer
    EXPECT_THAT(ReadBytes(dir, damaged),
                StatusIs(absl::StatusCode::kDataLoss,
                         AllOf(HasSubstr(StrCat("'", name, "'")), HasSubstr("checksum"))));
  }
}

}  // namespace
}  // namespace padan
