#include "index/database.h"

#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/absl_strings.h"
#include "index/write_ahead_log.h"
#include "tests/index/household_map_state.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::Fingerprint;
using ::padan::testing::HouseholdMapState;
using ::padan::testing::IsOk;
using ::padan::testing::MakeDelete;
using ::padan::testing::MakeTempDir;
using ::padan::testing::MakeUpsert;
using ::padan::testing::ReadFile;
using ::padan::testing::StatusIs;
using ::padan::testing::WriteFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

DatabaseOptions Options(const std::string& dir) {
  DatabaseOptions options;
  options.dir = dir;
  options.background_snapshots = false;
  return options;
}

std::unique_ptr<Database> OpenOrDie(const DatabaseOptions& options,
                                    std::unique_ptr<HouseholdMapState> state = nullptr) {
  if (state == nullptr) state = std::make_unique<HouseholdMapState>();
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(options, std::move(state));
  EXPECT_THAT(db, IsOk());
  return db.ok() ? *std::move(db) : nullptr;
}

const HouseholdMapState& StateOf(const Database::ReadView& view) {
  return static_cast<const HouseholdMapState&>(view.state());
}

// id_keluarga -> fingerprint of the household with its members.
std::map<std::string, std::string> Contents(const Database& db) {
  Database::ReadView view = db.Read();
  std::map<std::string, std::string> contents;
  for (const auto& [id, stored] : StateOf(view).households()) {
    contents[id] = Fingerprint(stored.household, stored.members);
  }
  return contents;
}

std::string Expected(const Mutation& upsert) {
  return Fingerprint(upsert.household, upsert.members);
}

absl::Status WriteOne(Database& db, const Mutation& mutation) {
  return db.Write(absl::MakeConstSpan(&mutation, 1));
}

// Names of the files in `dir`, sorted.
std::vector<std::string> Files(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string SegmentPath(const std::string& dir, uint64_t first) {
  return StrCat(dir, "/", WriteAheadLog::SegmentName(first));
}

std::string SnapshotFile(uint64_t sequence) {
  return absl::StrFormat("snapshot-%020d.snp", sequence);
}

std::string SnapshotPath(const std::string& dir, uint64_t sequence) {
  return StrCat(dir, "/", SnapshotFile(sequence));
}

// Batch offsets of a segment, as the log reader sees them.
std::vector<WalBatch> Batches(const std::string& path, uint64_t first) {
  std::vector<WalBatch> batches;
  absl::StatusOr<std::unique_ptr<WriteAheadLogReader>> reader =
      WriteAheadLogReader::Open(path, first);
  EXPECT_THAT(reader, IsOk());
  WalBatch batch;
  while (reader.ok() && (*reader)->Next(&batch)) batches.push_back(batch);
  return batches;
}

void FlipByte(const std::string& path, uint64_t offset) {
  std::string content = ReadFile(path);
  ASSERT_LT(offset, content.size());
  content[offset] = static_cast<char>(content[offset] ^ 0x5a);
  WriteFile(path, content);
}

// Writes households h1..h`count` one write each.
void WriteHouseholds(Database& db, int first, int count) {
  for (int i = first; i < first + count; ++i) {
    ASSERT_THAT(WriteOne(db, MakeUpsert(StrCat("h", i), 1 + i % 4, i)), IsOk());
  }
}

std::map<std::string, std::string> ExpectedHouseholds(int first, int count) {
  std::map<std::string, std::string> expected;
  for (int i = first; i < first + count; ++i) {
    expected[StrCat("h", i)] = Expected(MakeUpsert(StrCat("h", i), 1 + i % 4, i));
  }
  return expected;
}

TEST(DatabaseTest, StartsEmptyInANewFolder) {
  const std::string dir = MakeTempDir() + "/new/data";
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->recovery().snapshot_path, "");
  EXPECT_EQ(db->recovery().log_entries_replayed, 0u);
  EXPECT_EQ(db->recovery().torn_tail_reason, "");
  EXPECT_EQ(db->last_sequence(), 0u);
  EXPECT_THAT(Contents(*db), IsEmpty());
  EXPECT_THAT(Files(dir), ElementsAre(WriteAheadLog::SegmentName(1)));
}

TEST(DatabaseTest, AcknowledgedWritesSurviveReopening) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 3);
    const std::vector<Mutation> batch = {MakeUpsert("h4", 1, 4), MakeUpsert("h5", 2, 5)};
    ASSERT_THAT(db->Write(batch), IsOk());
    EXPECT_EQ(db->last_sequence(), 5u);
    EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 5));
  }
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 5));
  EXPECT_EQ(db->recovery().log_entries_replayed, 5u);
  EXPECT_EQ(db->recovery().torn_tail_reason, "");
  EXPECT_EQ(db->last_sequence(), 5u);
  // Writing goes on in the same segment.
  WriteHouseholds(*db, 6, 1);
  EXPECT_EQ(db->last_sequence(), 6u);
  EXPECT_THAT(Files(dir), ElementsAre(WriteAheadLog::SegmentName(1)));
}

TEST(DatabaseTest, ReplayRebuildsTheStateUpsertsAndDeletesMade) {
  const std::string dir = MakeTempDir();
  std::map<std::string, std::string> live;
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    ASSERT_THAT(WriteOne(*db, MakeUpsert("a", 3, 1)), IsOk());
    ASSERT_THAT(WriteOne(*db, MakeUpsert("b", 2, 1)), IsOk());
    ASSERT_THAT(WriteOne(*db, MakeUpsert("a", 2, 2)), IsOk());  // a loses its third member
    Mutation moved = MakeUpsert("c", 1, 1);
    moved.members[0].id_art = "b-1";  // b's second member moves to c
    ASSERT_THAT(WriteOne(*db, moved), IsOk());
    ASSERT_THAT(WriteOne(*db, MakeDelete("a")), IsOk());
    live = Contents(*db);
    EXPECT_EQ(live.count("a"), 0u);
    Database::ReadView view = db->Read();
    ASSERT_NE(StateOf(view).Find("b"), nullptr);
    EXPECT_THAT(StateOf(view).Find("b")->members, SizeIs(1));
  }
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), live);
}

TEST(DatabaseTest, InvalidMutationIsRefusedAndNothingOfItsWriteIsLogged) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    Mutation invalid = MakeUpsert("x", 2);
    invalid.members[1].id_keluarga = "elsewhere";
    const std::vector<Mutation> batch = {MakeUpsert("ok", 1), invalid};
    EXPECT_THAT(db->Write(batch), StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(db->last_sequence(), 0u);
    EXPECT_THAT(Contents(*db), IsEmpty());
  }
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_THAT(Contents(*db), IsEmpty());
  EXPECT_EQ(db->recovery().log_entries_replayed, 0u);
}

TEST(DatabaseTest, MutationThatWouldNotReplayIsRefused) {
  const std::string dir = MakeTempDir();
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  Mutation mutation = MakeUpsert("x", 1);
  mutation.household.desil = 11;  // Validate lets it through; the log format does not
  const absl::Status status = WriteOne(*db, mutation);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(status.message()), HasSubstr("household.desil"));
  EXPECT_EQ(db->last_sequence(), 0u);
  // The database goes on.
  EXPECT_THAT(WriteOne(*db, MakeUpsert("y", 1)), IsOk());
}

TEST(DatabaseTest, EmptyWriteDoesNothing) {
  std::unique_ptr<Database> db = OpenOrDie(Options(MakeTempDir()));
  EXPECT_THAT(db->Write({}), IsOk());
  EXPECT_EQ(db->last_sequence(), 0u);
}

TEST(DatabaseTest, OpenStartsFromTheSnapshotAndReplaysTheRest) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 10);
    ASSERT_THAT(db->TakeSnapshot(), IsOk());
    EXPECT_EQ(db->log_bytes(), kWalHeaderBytes);  // a new segment
    WriteHouseholds(*db, 11, 5);
  }
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(db->recovery().snapshot_path, SnapshotPath(dir, 10));
  EXPECT_EQ(db->recovery().snapshot_sequence, 10u);
  EXPECT_EQ(db->recovery().log_entries_replayed, 5u);
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 15));
  EXPECT_EQ(db->last_sequence(), 15u);
}

TEST(DatabaseTest, SnapshotWithNothingNewIsSkipped) {
  const std::string dir = MakeTempDir();
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  ASSERT_THAT(db->TakeSnapshot(), IsOk());  // empty: nothing to save
  WriteHouseholds(*db, 1, 2);
  ASSERT_THAT(db->TakeSnapshot(), IsOk());
  ASSERT_THAT(db->TakeSnapshot(), IsOk());
  EXPECT_THAT(Files(dir), ElementsAre(SnapshotFile(2), WriteAheadLog::SegmentName(1),
                                      WriteAheadLog::SegmentName(3)));
}

TEST(DatabaseTest, KeepsTwoSnapshotsAndTheLogAfterTheOlderOne) {
  const std::string dir = MakeTempDir();
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  WriteHouseholds(*db, 1, 3);
  ASSERT_THAT(db->TakeSnapshot(), IsOk());  // 3
  WriteHouseholds(*db, 4, 3);
  ASSERT_THAT(db->TakeSnapshot(), IsOk());  // 6
  WriteHouseholds(*db, 7, 3);
  ASSERT_THAT(db->TakeSnapshot(), IsOk());  // 9
  WriteHouseholds(*db, 10, 1);
  EXPECT_THAT(Files(dir),
              ElementsAre(SnapshotFile(6), SnapshotFile(9), WriteAheadLog::SegmentName(7),
                          WriteAheadLog::SegmentName(10)));
  db.reset();
  db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 10));
}

TEST(DatabaseTest, BackgroundSnapshotFollowsLogGrowth) {
  const std::string dir = MakeTempDir();
  DatabaseOptions options = Options(dir);
  options.background_snapshots = true;
  options.snapshot_after_log_bytes = 4096;
  std::unique_ptr<Database> db = OpenOrDie(options);
  // The snapshot thread runs on its own time: write until its snapshot shows up.
  int written = 0;
  auto has_snapshot = [&] {
    for (const std::string& name : Files(dir)) {
      if (name.starts_with("snapshot-") && name.ends_with(".snp")) return true;
    }
    return false;
  };
  while (!has_snapshot() && written < 5000) {
    ++written;
    WriteHouseholds(*db, written, 1);
  }
  ASSERT_TRUE(has_snapshot()) << written;
  db.reset();
  db = OpenOrDie(options);
  EXPECT_NE(db->recovery().snapshot_path, "");
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, written));
}

TEST(DatabaseTest, ConcurrentWritersAndReadersSeeWholeBatches) {
  // Each write upserts a pair of households with the same version; a reader must never see the
  // two at different versions.
  constexpr int kWriters = 4;
  constexpr int kWritesEach = 40;
  constexpr int kReaders = 2;
  const std::string dir = MakeTempDir();
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  std::atomic<int> writers_left = kWriters;
  std::atomic<int> torn_views = 0;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int v = 0; v < kWritesEach; ++v) {
        const std::vector<Mutation> pair = {MakeUpsert(StrCat("a", w), 2, v),
                                            MakeUpsert(StrCat("b", w), 3, v)};
        EXPECT_THAT(db->Write(pair), IsOk());
      }
      --writers_left;
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&] {
      while (writers_left > 0) {
        Database::ReadView view = db->Read();
        for (int w = 0; w < kWriters; ++w) {
          const auto* a = StateOf(view).Find(StrCat("a", w));
          const auto* b = StateOf(view).Find(StrCat("b", w));
          if ((a == nullptr) != (b == nullptr) ||
              (a != nullptr && a->household.updated_at != b->household.updated_at)) {
            ++torn_views;
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(torn_views, 0);
  EXPECT_EQ(db->last_sequence(), uint64_t{kWriters} * kWritesEach * 2);
  const std::map<std::string, std::string> live = Contents(*db);
  db.reset();
  db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), live);
  EXPECT_EQ(db->recovery().log_entries_replayed, uint64_t{kWriters} * kWritesEach * 2);
}

TEST(DatabaseTest, PreconditionHoldsWhenTheWriteIsApplied) {
  // Writers bump one household's version with a compare-and-set: the precondition says the
  // stored version is the one the writer read. Were it checked apart from the apply, two
  // writers could both pass on the same version and one increment would be lost.
  constexpr int kWriters = 4;
  constexpr int kIncrementsEach = 25;
  const std::string dir = MakeTempDir();
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  ASSERT_THAT(WriteOne(*db, MakeUpsert("counter", 1, 0)), IsOk());
  auto version_of = [&] {
    Database::ReadView view = db->Read();
    return StateOf(view).Find("counter")->household.alamat;
  };
  std::atomic<int> refused = 0;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      int done = 0;
      while (done < kIncrementsEach) {
        const std::string seen = version_of();
        const int next = std::stoi(seen.substr(seen.find("NO. ") + 4)) + 1;
        // Other households in the same write share its group with the other writers'.
        const std::vector<Mutation> write = {MakeUpsert("counter", 1, next),
                                             MakeUpsert(StrCat("w", w, "-", done), 1)};
        absl::Status status = db->Write(write, [&]() -> absl::Status {
          if (version_of() != seen) return absl::AbortedError("stale");
          return absl::OkStatus();
        });
        if (status.ok()) {
          ++done;
        } else {
          EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted));
          ++refused;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(version_of(), MakeUpsert("counter", 1, kWriters * kIncrementsEach).household.alamat);
  // Every refused write left nothing behind: the log holds the first write and the rest.
  EXPECT_EQ(db->last_sequence(), 1u + 2u * kWriters * kIncrementsEach);
}

TEST(DatabaseTest, RefusedPreconditionWritesNothing) {
  const std::string dir = MakeTempDir();
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_THAT(
      db->Write({MakeUpsert("no", 1)}, [] { return absl::FailedPreconditionError("not today"); }),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not today")));
  EXPECT_EQ(db->last_sequence(), 0u);
  EXPECT_THAT(db->Write({MakeUpsert("yes", 1)}, [] { return absl::OkStatus(); }), IsOk());
  EXPECT_THAT(Contents(*db), ElementsAre(::testing::Key("yes")));
  db.reset();
  db = OpenOrDie(Options(dir));
  EXPECT_THAT(Contents(*db), ElementsAre(::testing::Key("yes")));
}

TEST(DatabaseTest, SnapshotHoldsUpWritersButNotReaders) {
  const std::string dir = MakeTempDir();
  auto state = std::make_unique<HouseholdMapState>();
  absl::Notification save_started;
  absl::Notification release_save;
  state->set_save_hook([&] {
    save_started.Notify();
    release_save.WaitForNotification();
  });
  std::unique_ptr<Database> db = OpenOrDie(Options(dir), std::move(state));
  WriteHouseholds(*db, 1, 1);

  std::thread snapshot([&] { EXPECT_THAT(db->TakeSnapshot(), IsOk()); });
  save_started.WaitForNotification();
  absl::Notification write_done;
  std::thread writer([&] {
    EXPECT_THAT(WriteOne(*db, MakeUpsert("during", 1)), IsOk());
    write_done.Notify();
  });
  // Give the writer time to queue behind the snapshot: it validates only once the snapshot is
  // done, so there is no event to wait for, and a writer slower to start makes the test weaker,
  // never wrong. It then waits for the snapshot; readers must not wait behind it. A hang here
  // would be the failure, so the reads run on a thread of their own.
  absl::SleepFor(absl::Milliseconds(50));
  absl::Notification reads_done;
  std::atomic<int> saw_during = 0;
  std::thread reader([&] {
    for (int i = 0; i < 1000; ++i) {
      Database::ReadView view = db->Read();
      if (StateOf(view).Find("during") != nullptr) ++saw_during;
    }
    reads_done.Notify();
  });
  EXPECT_TRUE(reads_done.WaitForNotificationWithTimeout(absl::Seconds(60)));
  EXPECT_EQ(saw_during, 0);
  EXPECT_FALSE(write_done.HasBeenNotified());
  release_save.Notify();
  snapshot.join();
  writer.join();
  reader.join();
  EXPECT_EQ(Contents(*db).count("during"), 1u);
}

TEST(DatabaseTest, WriterAppliesOnceAReadViewIsReleased) {
  const std::string dir = MakeTempDir();
  auto state = std::make_unique<HouseholdMapState>();
  absl::Notification validated;
  state->set_validate_hook([&](const Mutation&) { validated.Notify(); });
  std::unique_ptr<Database> db = OpenOrDie(Options(dir), std::move(state));
  absl::Notification write_done;
  std::thread writer;
  {
    Database::ReadView view = db->Read();
    writer = std::thread([&] {
      EXPECT_THAT(WriteOne(*db, MakeUpsert("x", 2)), IsOk());
      write_done.Notify();
    });
    validated.WaitForNotification();
    // The view stays consistent while the writer waits for it.
    EXPECT_EQ(StateOf(view).Find("x"), nullptr);
    EXPECT_FALSE(write_done.HasBeenNotified());
  }
  writer.join();
  EXPECT_EQ(Contents(*db).count("x"), 1u);
}

TEST(DatabaseTest, ClosedDatabaseRefusesWritesButStillReads) {
  std::unique_ptr<Database> db = OpenOrDie(Options(MakeTempDir()));
  WriteHouseholds(*db, 1, 1);
  db->Close();
  db->Close();
  EXPECT_THAT(WriteOne(*db, MakeUpsert("late", 1)), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(db->TakeSnapshot(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 1));
}

TEST(DatabaseTest, ApplyFailureStopsTheDatabaseAndIsNotReplayed) {
  const std::string dir = MakeTempDir();
  {
    auto state = std::make_unique<HouseholdMapState>();
    state->set_fail_apply_for("bad");
    std::unique_ptr<Database> db = OpenOrDie(Options(dir), std::move(state));
    WriteHouseholds(*db, 1, 1);
    EXPECT_THAT(WriteOne(*db, MakeUpsert("bad", 1)), StatusIs(absl::StatusCode::kInternal));
    EXPECT_THAT(WriteOne(*db, MakeUpsert("after", 1)), StatusIs(absl::StatusCode::kInternal));
    EXPECT_THAT(db->TakeSnapshot(), StatusIs(absl::StatusCode::kFailedPrecondition));
  }
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 1));
  EXPECT_EQ(db->recovery().torn_tail_reason, "");
  WriteHouseholds(*db, 2, 1);
  EXPECT_EQ(db->last_sequence(), 2u);
}

TEST(DatabaseTest, WriteErrorStopsTheDatabase) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 1);
    // Let the log grow by a few bytes only: the next write fails with EFBIG.
    rlimit saved;
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
    sighandler_t saved_handler = signal(SIGXFSZ, SIG_IGN);
    rlimit tight = saved;
    tight.rlim_cur = db->log_bytes() + 10;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &tight), 0);
    const absl::Status failed = WriteOne(*db, MakeUpsert("too-big", 4));
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, saved_handler);
    EXPECT_FALSE(failed.ok());
    EXPECT_THAT(std::string(failed.message()), HasSubstr("cannot write log segment"));
    // The error sticks.
    EXPECT_EQ(WriteOne(*db, MakeUpsert("later", 1)), failed);
    EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 1));
  }
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 1));
}

// --- Recovery from damaged files ---------------------------------------------------------------

TEST(DatabaseRecoveryTest, GarbageAfterTheLogIsCutAndWritingGoesOn) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 5);
  }
  const std::string path = SegmentPath(dir, 1);
  const std::string clean = ReadFile(path);
  const std::string garbage = "this is not a log entry, just garbage";
  WriteFile(path, clean + garbage);
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 5));
    EXPECT_EQ(db->recovery().torn_tail_bytes, garbage.size());
    EXPECT_THAT(
        db->recovery().torn_tail_reason,
        HasSubstr(StrCat(WriteAheadLog::SegmentName(1), ": entry at offset ", clean.size())));
    EXPECT_EQ(ReadFile(path), clean);
    WriteHouseholds(*db, 6, 2);
  }
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(db->recovery().torn_tail_reason, "");
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 7));
}

TEST(DatabaseRecoveryTest, TruncatedLastEntryLosesOnlyThatWrite) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 5);
  }
  const std::string path = SegmentPath(dir, 1);
  const std::string content = ReadFile(path);
  WriteFile(path, content.substr(0, content.size() - 7));
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 4));
  EXPECT_THAT(db->recovery().torn_tail_reason, HasSubstr("torn"));
  EXPECT_EQ(db->last_sequence(), 4u);
  WriteHouseholds(*db, 5, 1);
  EXPECT_EQ(db->last_sequence(), 5u);
}

TEST(DatabaseRecoveryTest, TornBatchIsDroppedWhole) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 1);
    const std::vector<Mutation> batch = {MakeUpsert("h2", 2, 2), MakeUpsert("h3", 3, 3),
                                         MakeUpsert("h4", 4, 4)};
    ASSERT_THAT(db->Write(batch), IsOk());
  }
  const std::string path = SegmentPath(dir, 1);
  const std::vector<WalBatch> batches = Batches(path, 1);
  ASSERT_EQ(batches.size(), 2u);
  // Cut in the middle of the batch's third entry: its first two entries are whole.
  const std::string content = ReadFile(path);
  WriteFile(path, content.substr(0, content.size() - 10));
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 1));
  EXPECT_EQ(db->recovery().torn_tail_bytes, content.size() - 10 - batches[1].begin_offset);
  EXPECT_EQ(ReadFile(path).size(), batches[1].begin_offset);
}

TEST(DatabaseRecoveryTest, FlippedByteInAMiddleEntryStopsReplayThere) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 6);
  }
  const std::string path = SegmentPath(dir, 1);
  const std::vector<WalBatch> batches = Batches(path, 1);
  ASSERT_EQ(batches.size(), 6u);
  const uint64_t size = ReadFile(path).size();
  FlipByte(path, batches[2].begin_offset + kWalEntryHeaderBytes + 5);
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 2));
  EXPECT_THAT(db->recovery().torn_tail_reason, HasSubstr("fails its checksum"));
  EXPECT_THAT(db->recovery().torn_tail_reason,
              HasSubstr(StrCat("offset ", batches[2].begin_offset)));
  EXPECT_EQ(db->recovery().torn_tail_bytes, size - batches[2].begin_offset);
  EXPECT_EQ(db->last_sequence(), 2u);
}

TEST(DatabaseRecoveryTest, EntryThatPassesItsChecksumButDoesNotDecodeIsCut) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 2);
  }
  const std::string path = SegmentPath(dir, 1);
  const uint64_t size = ReadFile(path).size();
  {
    absl::StatusOr<std::unique_ptr<WriteAheadLog>> log =
        WriteAheadLog::OpenForAppend(path, 1, size, 3);
    ASSERT_THAT(log, IsOk());
    (*log)->AppendBatch(std::vector<std::string>{"\x01\x01not a mutation"});
    ASSERT_THAT((*log)->Sync(), IsOk());
  }
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 2));
  EXPECT_THAT(db->recovery().torn_tail_reason, HasSubstr("entry 3"));
  EXPECT_THAT(db->recovery().torn_tail_reason, HasSubstr("does not decode"));
  EXPECT_EQ(ReadFile(path).size(), size);
}

TEST(DatabaseRecoveryTest, SequenceGapBetweenSegmentsStopsReplay) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 3);
  }
  {
    // A segment that starts at 10 where the log ends at 3.
    absl::StatusOr<std::unique_ptr<WriteAheadLog>> log = WriteAheadLog::Create(dir, 10);
    ASSERT_THAT(log, IsOk());
    (*log)->AppendBatch(std::vector<std::string>{MakeUpsert("h10", 1, 10).Encode()});
    ASSERT_THAT((*log)->Sync(), IsOk());
  }
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 3));
    EXPECT_THAT(db->recovery().torn_tail_reason, HasSubstr("a gap"));
    EXPECT_THAT(db->recovery().torn_tail_reason,
                HasSubstr(StrCat("set aside as *.discarded: ", WriteAheadLog::SegmentName(10))));
    EXPECT_THAT(Files(dir), ElementsAre(WriteAheadLog::SegmentName(1),
                                        WriteAheadLog::SegmentName(10) + ".discarded"));
    WriteHouseholds(*db, 4, 1);
  }
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 4));
  EXPECT_EQ(db->recovery().torn_tail_reason, "");
}

TEST(DatabaseRecoveryTest, TornSegmentHeaderIsSetAside) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 3);
  }
  // A crash right after creating the next segment.
  WriteFile(SegmentPath(dir, 4), "PADA");
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 3));
  EXPECT_THAT(db->recovery().torn_tail_reason, HasSubstr("header torn"));
  WriteHouseholds(*db, 4, 1);
  db.reset();
  db = OpenOrDie(Options(dir));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 4));
}

TEST(DatabaseRecoveryTest, CorruptNewestSnapshotFallsBackToThePreviousOne) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 5);
    ASSERT_THAT(db->TakeSnapshot(), IsOk());  // 5
    WriteHouseholds(*db, 6, 5);
    ASSERT_THAT(db->TakeSnapshot(), IsOk());  // 10
    WriteHouseholds(*db, 11, 2);
  }
  const std::string newest = SnapshotPath(dir, 10);
  FlipByte(newest, ReadFile(newest).size() / 2);
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 12));
    EXPECT_EQ(db->recovery().snapshot_sequence, 5u);
    ASSERT_THAT(db->recovery().skipped_snapshots, SizeIs(1));
    EXPECT_THAT(db->recovery().skipped_snapshots[0], HasSubstr(SnapshotFile(10) + ": "));
    EXPECT_EQ(db->recovery().log_entries_replayed, 7u);
    // The next snapshot replaces the corrupt one; the one it fell back to stays as fallback.
    WriteHouseholds(*db, 13, 1);
    ASSERT_THAT(db->TakeSnapshot(), IsOk());  // 13
    EXPECT_THAT(Files(dir),
                ElementsAre(SnapshotFile(5), SnapshotFile(13), WriteAheadLog::SegmentName(6),
                            WriteAheadLog::SegmentName(11), WriteAheadLog::SegmentName(14)));
  }
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(db->recovery().snapshot_sequence, 13u);
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 13));
}

TEST(DatabaseRecoveryTest, EverySnapshotCorruptFailsOpenNamingThem) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 2);
    ASSERT_THAT(db->TakeSnapshot(), IsOk());
    WriteHouseholds(*db, 3, 2);
    ASSERT_THAT(db->TakeSnapshot(), IsOk());
  }
  FlipByte(SnapshotPath(dir, 2), ReadFile(SnapshotPath(dir, 2)).size() / 2);
  WriteFile(SnapshotPath(dir, 4), "PADANSNP");  // truncated
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(Options(dir), std::make_unique<HouseholdMapState>());
  ASSERT_THAT(db, StatusIs(absl::StatusCode::kDataLoss));
  const std::string message(db.status().message());
  EXPECT_THAT(message, HasSubstr("every snapshot is corrupt"));
  EXPECT_THAT(message, HasSubstr(SnapshotFile(2)));
  EXPECT_THAT(message, HasSubstr(SnapshotFile(4)));
  // Nothing was changed or removed.
  EXPECT_THAT(Files(dir),
              ElementsAre(SnapshotFile(2), SnapshotFile(4), WriteAheadLog::SegmentName(3),
                          WriteAheadLog::SegmentName(5)));
}

TEST(DatabaseRecoveryTest, SnapshotUnderTheWrongNameIsSkipped) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 2);
    ASSERT_THAT(db->TakeSnapshot(), IsOk());
    WriteHouseholds(*db, 3, 2);
    ASSERT_THAT(db->TakeSnapshot(), IsOk());
  }
  // The snapshot of sequence 2 copied over the one of 4.
  WriteFile(SnapshotPath(dir, 4), ReadFile(SnapshotPath(dir, 2)));
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_EQ(db->recovery().snapshot_sequence, 2u);
  ASSERT_THAT(db->recovery().skipped_snapshots, SizeIs(1));
  EXPECT_THAT(db->recovery().skipped_snapshots[0], HasSubstr("named for 4"));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 4));
}

TEST(DatabaseRecoveryTest, FallbackWithoutItsLogFailsOpen) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 5);
    ASSERT_THAT(db->TakeSnapshot(), IsOk());  // 5
    WriteHouseholds(*db, 6, 3);
    ASSERT_THAT(db->TakeSnapshot(), IsOk());  // 8
  }
  FlipByte(SnapshotPath(dir, 8), 30);
  std::filesystem::remove(SegmentPath(dir, 6));  // the log from the fallback on is lost
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(Options(dir), std::make_unique<HouseholdMapState>());
  ASSERT_THAT(db, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(std::string(db.status().message()),
              HasSubstr(StrCat("the log after ", SnapshotFile(5), " is missing")));
}

TEST(DatabaseRecoveryTest, LeftoverTemporarySnapshotIsRemoved) {
  const std::string dir = MakeTempDir();
  {
    std::unique_ptr<Database> db = OpenOrDie(Options(dir));
    WriteHouseholds(*db, 1, 1);
  }
  WriteFile(SnapshotPath(dir, 1) + ".tmp", "half a snapshot");
  std::unique_ptr<Database> db = OpenOrDie(Options(dir));
  EXPECT_THAT(Files(dir), ElementsAre(WriteAheadLog::SegmentName(1)));
  EXPECT_EQ(Contents(*db), ExpectedHouseholds(1, 1));
}

}  // namespace
}  // namespace padan
