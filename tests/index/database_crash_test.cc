// Kills a writing process with SIGKILL at random points (in every other round also losing
// what was not yet fsynced, as a power cut would) and checks, after each restart, that every
// acknowledged write is there and that nothing is half-applied.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/absl_strings.h"
#include "index/database.h"
#include "index/mutation.h"
#include "index/write_ahead_log.h"
#include "tests/index/household_map_state.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::Fingerprint;
using ::padan::testing::HouseholdMapState;
using ::padan::testing::IsOk;
using ::padan::testing::MakeTempDir;
using ::padan::testing::MakeUpsert;
using ::padan::testing::ReadFile;
using ::padan::testing::WriteFile;

constexpr uint64_t kSeed = 20240617;
constexpr int kRounds = 20;
// Each round's writes are numbered from round * kCounterStride, so rounds never collide.
constexpr uint64_t kCounterStride = 1'000'000;
// Writer threads in the child, so that kills also land in group commits.
constexpr int kChildWriters = 3;
// Acknowledgements to wait for before the kill: uniform in [0, kMaxAcksBeforeKill].
constexpr uint64_t kMaxAcksBeforeKill = 150;
// Small, so that background snapshots (and the segment switches and file removals after them)
// happen every few dozen writes and kills land in them too.
constexpr uint64_t kSnapshotAfterLogBytes = 8 << 10;
// A child that acknowledges nothing for this long is stuck: the test fails instead of hanging.
constexpr int kStallTimeoutMs = 60'000;

// The write numbered `counter`: 1-3 households with 1-4 members each, every field derived from
// the counter, all in one atomic batch.
std::vector<Mutation> BatchFor(uint64_t counter) {
  std::vector<Mutation> batch;
  const int households = 1 + static_cast<int>(counter % 3);
  for (int k = 0; k < households; ++k) {
    batch.push_back(MakeUpsert(StrCat("c", counter, "-", k),
                               1 + static_cast<int>((counter + k) % 4),
                               static_cast<int>(counter % 1000)));
  }
  return batch;
}

DatabaseOptions CrashOptions(const std::string& dir, bool background_snapshots) {
  DatabaseOptions options;
  options.dir = dir;
  options.snapshot_after_log_bytes = kSnapshotAfterLogBytes;
  options.background_snapshots = background_snapshots;
  return options;
}

void Die(const char* what, const absl::Status& status) {
  std::fprintf(stderr, "crash-test child: %s: %s\n", what, status.ToString().c_str());
  std::fflush(stderr);
  _exit(2);
}

// The child: opens the database and writes until it is killed, sending each acknowledged
// counter down `ack_fd` after its Write returned. Never returns.
[[noreturn]] void RunChild(const std::string& dir, uint64_t first_counter, int ack_fd) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(
      CrashOptions(dir, /*background_snapshots=*/true), std::make_unique<HouseholdMapState>());
  if (!db.ok()) Die("open", db.status());
  std::vector<std::thread> writers;
  for (int t = 0; t < kChildWriters; ++t) {
    writers.emplace_back([&, t] {
      for (uint64_t counter = first_counter + t;; counter += kChildWriters) {
        const absl::Status status = (*db)->Write(BatchFor(counter));
        if (!status.ok()) Die("write", status);
        // Eight bytes to a pipe are written atomically, whichever thread writes.
        if (::write(ack_fd, &counter, sizeof(counter)) != sizeof(counter)) _exit(3);
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  _exit(4);
}

// Reads acknowledged counters from `fd` into `acked` until `want` have come this round
// (or, with want == UINT64_MAX, until the child's end of the pipe closes). False on a stall.
// Simulates a power loss on top of the kill: what was written but not yet fsynced may be lost
// or torn. Cuts the newest log segment at a random point after its last acknowledged batch
// (acknowledged writes were fsynced, so they stay) and sometimes adds random bytes where a
// write was torn. Returns true when it changed the file.
bool LosePowerAfterKill(const std::string& dir, const std::set<uint64_t>& acked,
                        std::mt19937_64& rng) {
  std::vector<std::string> segments;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    uint64_t first = 0;
    if (WriteAheadLog::ParseSegmentName(entry.path().filename().string(), &first)) {
      segments.push_back(entry.path().string());
    }
  }
  if (segments.empty()) return false;
  std::sort(segments.begin(), segments.end());
  const std::string& path = segments.back();
  uint64_t first = 0;
  WriteAheadLog::ParseSegmentName(std::filesystem::path(path).filename().string(), &first);
  absl::StatusOr<std::unique_ptr<WriteAheadLogReader>> reader =
      WriteAheadLogReader::Open(path, first);
  if (!reader.ok()) return false;
  uint64_t keep = kWalHeaderBytes;
  WalBatch batch;
  while ((*reader)->Next(&batch)) {
    absl::StatusOr<Mutation> m = Mutation::Decode(batch.payloads[0]);
    uint64_t counter = 0;
    if (m.ok() && std::sscanf(m->household.id_keluarga.c_str(), "c%lu-", &counter) == 1 &&
        acked.count(counter) != 0) {
      keep = batch.end_offset;
    }
  }
  const uint64_t size = (*reader)->file_size();
  reader->reset();
  if (size < keep) return false;
  const uint64_t cut = keep + rng() % (size - keep + 1);
  std::string content = ReadFile(path).substr(0, cut);
  if (rng() % 2 == 0) {
    const size_t torn = 1 + rng() % 100;
    for (size_t i = 0; i < torn; ++i) content.push_back(static_cast<char>(rng()));
  }
  if (content.size() == size) return false;
  WriteFile(path, content);
  return true;
}

bool ReadAcks(int fd, uint64_t want, std::vector<uint64_t>* acked, std::string* carry) {
  uint64_t got = 0;
  while (got < want) {
    pollfd pfd = {fd, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, kStallTimeoutMs);
    if (ready == 0) return false;
    if (ready < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    char buffer[4096];
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return want == UINT64_MAX;  // end of pipe: the child is gone
    carry->append(buffer, static_cast<size_t>(n));
    size_t used = 0;
    for (; used + sizeof(uint64_t) <= carry->size(); used += sizeof(uint64_t)) {
      uint64_t counter = 0;
      std::memcpy(&counter, carry->data() + used, sizeof(counter));
      acked->push_back(counter);
      ++got;
    }
    carry->erase(0, used);
  }
  return true;
}

TEST(DatabaseCrashTest, AcknowledgedWritesSurviveSigkillAtRandomPoints) {
  const std::string dir = MakeTempDir();
  std::mt19937_64 rng(kSeed);
  std::set<uint64_t> acked;  // over every round so far
  int rounds_with_cut = 0;
  int rounds_killed_in_snapshot = 0;
  int rounds_with_power_loss = 0;
  int rounds_with_snapshot = 0;
  std::set<uint64_t> unacknowledged_present;

  for (int round = 0; round < kRounds; ++round) {
    const uint64_t first_counter = (round + 1) * kCounterStride;
    // Some rounds kill at once, while the child is still recovering.
    const uint64_t kill_after = rng() % 5 == 0 ? 0 : rng() % (kMaxAcksBeforeKill + 1);

    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      RunChild(dir, first_counter, fds[1]);
    }
    ::close(fds[1]);
    std::vector<uint64_t> round_acks;
    std::string carry;
    const bool reached = ReadAcks(fds[0], kill_after, &round_acks, &carry);
    ::kill(pid, SIGKILL);
    // Acknowledgements already in the pipe count: their writes returned before the kill.
    const bool drained = ReadAcks(fds[0], UINT64_MAX, &round_acks, &carry);
    ::close(fds[0]);
    int wait_status = 0;
    ASSERT_EQ(::waitpid(pid, &wait_status, 0), pid);
    ASSERT_TRUE(reached && drained) << "round " << round << ": the child stalled";
    ASSERT_TRUE(WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == SIGKILL)
        << "round " << round << ": the child ended on its own, status " << wait_status;
    acked.insert(round_acks.begin(), round_acks.end());
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().filename().string().ends_with(".snp.tmp")) {
        ++rounds_killed_in_snapshot;
        break;
      }
    }
    if (round % 2 == 1 && LosePowerAfterKill(dir, acked, rng)) ++rounds_with_power_loss;

    // Restart and check.
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(
        CrashOptions(dir, /*background_snapshots=*/false), std::make_unique<HouseholdMapState>());
    ASSERT_THAT(db, IsOk()) << "round " << round;
    const RecoveryReport& report = (*db)->recovery();
    EXPECT_THAT(report.skipped_snapshots, ::testing::IsEmpty()) << "round " << round;
    if (!report.torn_tail_reason.empty()) ++rounds_with_cut;
    if (!report.snapshot_path.empty()) ++rounds_with_snapshot;

    Database::ReadView view = (*db)->Read();
    const auto& state = static_cast<const HouseholdMapState&>(view.state());
    for (uint64_t counter : acked) {
      for (const Mutation& m : BatchFor(counter)) {
        const auto* stored = state.Find(m.household.id_keluarga);
        ASSERT_NE(stored, nullptr) << "round " << round << ": acknowledged write " << counter
                                   << " lost household " << m.household.id_keluarga;
        EXPECT_EQ(Fingerprint(stored->household, stored->members),
                  Fingerprint(m.household, m.members))
            << "round " << round << ": household " << m.household.id_keluarga;
      }
    }
    // Households of writes that were not acknowledged may be there (the kill came between
    // the fsync and the acknowledgement), but only whole: every household of the batch, each
    // exactly as written.
    std::set<uint64_t> counters_present;
    for (const auto& [id, stored] : state.households()) {
      uint64_t counter = 0;
      ASSERT_EQ(std::sscanf(id.c_str(), "c%lu-", &counter), 1) << id;
      counters_present.insert(counter);
    }
    for (uint64_t counter : counters_present) {
      if (acked.count(counter) != 0) continue;
      unacknowledged_present.insert(counter);
      for (const Mutation& m : BatchFor(counter)) {
        const auto* stored = state.Find(m.household.id_keluarga);
        ASSERT_NE(stored, nullptr)
            << "round " << round << ": write " << counter
            << " is half-applied: " << m.household.id_keluarga << " is missing";
        EXPECT_EQ(Fingerprint(stored->household, stored->members),
                  Fingerprint(m.household, m.members))
            << "round " << round << ": household " << m.household.id_keluarga;
      }
    }
  }
  std::printf(
      "[crash test] %d rounds, %zu acknowledged writes; %d kills landed in a snapshot; "
      "%d simulated power losses; recovery cut the log in %d rounds and started from a "
      "snapshot in %d; %zu unacknowledged writes were there (whole)\n",
      kRounds, acked.size(), rounds_killed_in_snapshot, rounds_with_power_loss, rounds_with_cut,
      rounds_with_snapshot, unacknowledged_present.size());
}

}  // namespace
}  // namespace padan
