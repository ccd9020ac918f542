#include "index/write_ahead_log.h"

#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/absl_strings.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::MakeTempDir;
using ::padan::testing::ReadFile;
using ::padan::testing::StatusIs;
using ::padan::testing::WriteFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct ReadResult {
  std::vector<std::vector<std::string>> batches;
  std::vector<uint64_t> first_sequences;
  std::string problem;
  uint64_t valid_end = 0;
  uint64_t next_sequence = 0;
};

ReadResult ReadAll(const std::string& path, uint64_t first_sequence) {
  ReadResult result;
  absl::StatusOr<std::unique_ptr<WriteAheadLogReader>> reader =
      WriteAheadLogReader::Open(path, first_sequence);
  EXPECT_THAT(reader, IsOk());
  if (!reader.ok()) return result;
  WalBatch batch;
  while ((*reader)->Next(&batch)) {
    result.batches.push_back(batch.payloads);
    result.first_sequences.push_back(batch.first_sequence);
  }
  EXPECT_THAT((*reader)->status(), IsOk());
  result.problem = (*reader)->problem();
  result.valid_end = (*reader)->valid_end();
  result.next_sequence = (*reader)->next_sequence();
  return result;
}

// Writes batches {a}, {b, c}, {d, e, f} to a new segment starting at sequence 7 and returns its
// path; `ends` gets the file size after each batch.
std::string WriteThreeBatches(const std::string& dir, std::vector<uint64_t>* ends) {
  absl::StatusOr<std::unique_ptr<WriteAheadLog>> log = WriteAheadLog::Create(dir, 7);
  EXPECT_THAT(log, IsOk());
  const std::vector<std::vector<std::string>> batches = {
      {"alpha"}, {"bravo", "charlie"}, {"delta", std::string(60, 'e'), ""}};
  for (const auto& batch : batches) {
    (*log)->AppendBatch(batch);
    EXPECT_THAT((*log)->Sync(), IsOk());
    if (ends != nullptr) ends->push_back((*log)->size());
  }
  return (*log)->path();
}

TEST(WriteAheadLogTest, SegmentNamesSortLikeSequences) {
  EXPECT_EQ(WriteAheadLog::SegmentName(42), "wal-00000000000000000042.log");
  uint64_t sequence = 0;
  EXPECT_TRUE(WriteAheadLog::ParseSegmentName("wal-00000000000000000042.log", &sequence));
  EXPECT_EQ(sequence, 42u);
  EXPECT_TRUE(WriteAheadLog::ParseSegmentName(WriteAheadLog::SegmentName(UINT64_MAX), &sequence));
  EXPECT_EQ(sequence, UINT64_MAX);
  EXPECT_FALSE(WriteAheadLog::ParseSegmentName("wal-.log", &sequence));
  EXPECT_FALSE(WriteAheadLog::ParseSegmentName("wal-12a.log", &sequence));
  EXPECT_FALSE(WriteAheadLog::ParseSegmentName("wal-12.log.discarded", &sequence));
  EXPECT_FALSE(WriteAheadLog::ParseSegmentName("wal-99999999999999999999999.log", &sequence));
  EXPECT_LT(WriteAheadLog::SegmentName(9), WriteAheadLog::SegmentName(10));
}

TEST(WriteAheadLogTest, ReadsBackBatchesWithTheirSequences) {
  const std::string dir = MakeTempDir();
  std::vector<uint64_t> ends;
  const std::string path = WriteThreeBatches(dir, &ends);
  const ReadResult result = ReadAll(path, 7);
  ASSERT_EQ(result.batches.size(), 3u);
  EXPECT_THAT(result.batches[0], ElementsAre("alpha"));
  EXPECT_THAT(result.batches[1], ElementsAre("bravo", "charlie"));
  EXPECT_THAT(result.batches[2], ElementsAre("delta", std::string(60, 'e'), ""));
  EXPECT_THAT(result.first_sequences, ElementsAre(7, 8, 10));
  EXPECT_EQ(result.problem, "");
  EXPECT_EQ(result.valid_end, ends.back());
  EXPECT_EQ(result.next_sequence, 13u);
}

TEST(WriteAheadLogTest, CreateRefusesAnExistingSegment) {
  const std::string dir = MakeTempDir();
  ASSERT_THAT(WriteAheadLog::Create(dir, 1), IsOk());
  EXPECT_THAT(WriteAheadLog::Create(dir, 1), ::testing::Not(IsOk()));
}

TEST(WriteAheadLogTest, AppendsAfterReopening) {
  const std::string dir = MakeTempDir();
  std::vector<uint64_t> ends;
  const std::string path = WriteThreeBatches(dir, &ends);
  absl::StatusOr<std::unique_ptr<WriteAheadLog>> log =
      WriteAheadLog::OpenForAppend(path, 7, ends.back(), 13);
  ASSERT_THAT(log, IsOk());
  EXPECT_EQ((*log)->AppendBatch(std::vector<std::string>{"foxtrot"}), 13u);
  ASSERT_THAT((*log)->Sync(), IsOk());
  const ReadResult result = ReadAll(path, 7);
  ASSERT_EQ(result.batches.size(), 4u);
  EXPECT_THAT(result.batches[3], ElementsAre("foxtrot"));
  EXPECT_EQ(result.next_sequence, 14u);
}

TEST(WriteAheadLogTest, EveryTruncationKeepsOnlyWholeBatches) {
  const std::string dir = MakeTempDir();
  std::vector<uint64_t> ends;
  const std::string path = WriteThreeBatches(dir, &ends);
  const std::string content = ReadFile(path);
  for (size_t size = 0; size < content.size(); ++size) {
    WriteFile(path, content.substr(0, size));
    const ReadResult result = ReadAll(path, 7);
    size_t whole = 0;
    while (whole < ends.size() && ends[whole] <= size) ++whole;
    ASSERT_EQ(result.batches.size(), whole) << size;
    const uint64_t boundary = whole == 0 ? kWalHeaderBytes : ends[whole - 1];
    if (size < kWalHeaderBytes) {
      EXPECT_EQ(result.valid_end, 0u) << size;
      EXPECT_THAT(result.problem, HasSubstr("header torn"));
    } else {
      EXPECT_EQ(result.valid_end, boundary) << size;
      // A cut exactly at a batch boundary is a clean end; anywhere else it is reported.
      EXPECT_EQ(result.problem.empty(), size == boundary) << size << ": " << result.problem;
    }
  }
}

TEST(WriteAheadLogTest, EveryFlippedByteStopsReadingBeforeIt) {
  const std::string dir = MakeTempDir();
  std::vector<uint64_t> ends;
  const std::string path = WriteThreeBatches(dir, &ends);
  const std::string content = ReadFile(path);
  for (size_t at = 0; at < content.size(); ++at) {
    std::string damaged = content;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x20);
    WriteFile(path, damaged);
    if (at >= 8 && at < kWalHeaderBytes) {  // the format version: refused, never cut
      EXPECT_THAT(WriteAheadLogReader::Open(path, 7),
                  StatusIs(absl::StatusCode::kFailedPrecondition));
      continue;
    }
    const ReadResult result = ReadAll(path, 7);
    // Only the batches that end before the damaged byte are returned.
    size_t intact = 0;
    while (intact < ends.size() && ends[intact] <= at) ++intact;
    if (at < kWalHeaderBytes) {
      EXPECT_TRUE(result.batches.empty()) << at;
      EXPECT_THAT(result.problem, HasSubstr("bad magic")) << at;
    } else {
      EXPECT_EQ(result.batches.size(), intact) << at;
      EXPECT_FALSE(result.problem.empty()) << at;
    }
  }
}

TEST(WriteAheadLogTest, GarbageAfterTheLastBatchIsReported) {
  const std::string dir = MakeTempDir();
  std::vector<uint64_t> ends;
  const std::string path = WriteThreeBatches(dir, &ends);
  WriteFile(path, ReadFile(path) + std::string(40, '\xab'));
  const ReadResult result = ReadAll(path, 7);
  EXPECT_EQ(result.batches.size(), 3u);
  EXPECT_EQ(result.valid_end, ends.back());
  EXPECT_THAT(result.problem, HasSubstr(StrCat("offset ", ends.back())));
}

TEST(WriteAheadLogTest, ZeroFilledTailIsReported) {
  // After a crash some file systems show the grown size with zeros where data never arrived.
  const std::string dir = MakeTempDir();
  std::vector<uint64_t> ends;
  const std::string path = WriteThreeBatches(dir, &ends);
  WriteFile(path, ReadFile(path) + std::string(4096, '\0'));
  const ReadResult result = ReadAll(path, 7);
  EXPECT_EQ(result.batches.size(), 3u);
  EXPECT_EQ(result.valid_end, ends.back());
  EXPECT_THAT(result.problem, HasSubstr("checksum"));
}

TEST(WriteAheadLogTest, WrongFirstSequenceIsReported) {
  const std::string dir = MakeTempDir();
  const std::string path = WriteThreeBatches(dir, nullptr);
  const ReadResult result = ReadAll(path, 8);  // as if the file had been renamed
  EXPECT_TRUE(result.batches.empty());
  EXPECT_THAT(result.problem, HasSubstr("has sequence 7, expected 8"));
}

TEST(WriteAheadLogTest, SequenceGapInsideASegmentIsReported) {
  const std::string dir = MakeTempDir();
  absl::StatusOr<std::unique_ptr<WriteAheadLog>> log = WriteAheadLog::Create(dir, 1);
  ASSERT_THAT(log, IsOk());
  (*log)->AppendBatch(std::vector<std::string>{"one", "two"});
  ASSERT_THAT((*log)->Sync(), IsOk());
  const uint64_t end = (*log)->size();
  // Rewinding to the same size with a later sequence leaves out sequences 3 and 4.
  ASSERT_THAT((*log)->Rewind(end, 5), IsOk());
  (*log)->AppendBatch(std::vector<std::string>{"five"});
  ASSERT_THAT((*log)->Sync(), IsOk());
  const ReadResult result = ReadAll((*log)->path(), 1);
  ASSERT_EQ(result.batches.size(), 1u);
  EXPECT_EQ(result.valid_end, end);
  EXPECT_THAT(result.problem, HasSubstr("has sequence 5, expected 3"));
}

TEST(WriteAheadLogTest, RewindDropsSyncedBatches) {
  const std::string dir = MakeTempDir();
  absl::StatusOr<std::unique_ptr<WriteAheadLog>> log = WriteAheadLog::Create(dir, 1);
  ASSERT_THAT(log, IsOk());
  (*log)->AppendBatch(std::vector<std::string>{"kept"});
  ASSERT_THAT((*log)->Sync(), IsOk());
  const uint64_t size = (*log)->size();
  (*log)->AppendBatch(std::vector<std::string>{"dropped"});
  ASSERT_THAT((*log)->Sync(), IsOk());
  ASSERT_THAT((*log)->Rewind(size, 2), IsOk());
  EXPECT_EQ((*log)->AppendBatch(std::vector<std::string>{"again"}), 2u);
  ASSERT_THAT((*log)->Sync(), IsOk());
  const ReadResult result = ReadAll((*log)->path(), 1);
  ASSERT_EQ(result.batches.size(), 2u);
  EXPECT_THAT(result.batches[1], ElementsAre("again"));
  EXPECT_EQ(result.problem, "");
}

TEST(WriteAheadLogTest, ImpossibleLengthIsCorruptionNotAnAllocation) {
  const std::string dir = MakeTempDir();
  std::vector<uint64_t> ends;
  const std::string path = WriteThreeBatches(dir, &ends);
  // An entry header claiming a 2 GB payload.
  std::string content = ReadFile(path);
  content += std::string("\xff\xff\xff\x7f", 4) + std::string(12, '\0');
  WriteFile(path, content);
  const ReadResult result = ReadAll(path, 7);
  EXPECT_EQ(result.batches.size(), 3u);
  EXPECT_THAT(result.problem, HasSubstr("impossible length"));
}

TEST(WriteAheadLogTest, UnknownFormatVersionIsRefusedNotCut) {
  const std::string dir = MakeTempDir();
  const std::string path = WriteThreeBatches(dir, nullptr);
  std::string content = ReadFile(path);
  content[8] = 2;
  WriteFile(path, content);
  EXPECT_THAT(WriteAheadLogReader::Open(path, 7), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(WriteAheadLogTest, TruncateCutsTheFile) {
  const std::string dir = MakeTempDir();
  std::vector<uint64_t> ends;
  const std::string path = WriteThreeBatches(dir, &ends);
  ASSERT_THAT(WriteAheadLog::Truncate(path, ends[0]), IsOk());
  EXPECT_EQ(ReadFile(path).size(), ends[0]);
  EXPECT_EQ(ReadAll(path, 7).batches.size(), 1u);
}

}  // namespace
}  // namespace padan
