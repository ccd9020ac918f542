#include "index/database.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

#include "data/absl_strings.h"
#include "data/file_io.h"
#include "data/status_macros.h"
#include "index/write_ahead_log.h"

namespace padan {
namespace {

constexpr std::string_view kSnapshotPrefix = "snapshot-";
constexpr std::string_view kSnapshotSuffix = ".snp";
// SnapshotWriter writes `path + ".tmp"` first; one left over is a snapshot a crash cut short.
constexpr std::string_view kTempSuffix = ".tmp";
// Log segments that recovery could not use (they follow a cut) are renamed, not deleted, so
// that an operator can still look at them.
constexpr std::string_view kDiscardedSuffix = ".discarded";
// The Database's own snapshot section: u32 version, u64 sequence of the last mutation in it.
constexpr std::string_view kDatabaseSection = "padan.database";
constexpr uint32_t kDatabaseSectionVersion = 1;
// A group commit takes queued batches up to this many payload bytes (at least one batch), so
// that one fsync serves many writers without one group growing without bound (leveldb takes
// 1 MB; a household mutation is about 1 KB).
constexpr size_t kMaxGroupBytes = size_t{4} << 20;
// How the writer waits for the state lock while readers hold it: polls every 50 µs for up to
// 10 ms (200 polls) before it queues on the lock. A poll costs well under a microsecond.
constexpr absl::Duration kApplyLockPollInterval = absl::Microseconds(50);
constexpr int kApplyLockPolls = 200;
// Sequence numbers in file names are zero-padded so that names sort like the numbers.
constexpr int kSequenceDigits = 20;

std::string SnapshotName(uint64_t sequence) {
  return absl::StrFormat("snapshot-%0*d.snp", kSequenceDigits, sequence);
}

bool ParseSnapshotName(std::string_view name, uint64_t* sequence) {
  if (!name.starts_with(kSnapshotPrefix) || !name.ends_with(kSnapshotSuffix)) return false;
  const std::string_view digits = name.substr(
      kSnapshotPrefix.size(), name.size() - kSnapshotPrefix.size() - kSnapshotSuffix.size());
  if (digits.empty()) return false;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
  }
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), *sequence);
  return error == std::errc() && end == digits.data() + digits.size();
}

// The padan files in a data folder.
struct DirListing {
  std::vector<uint64_t> snapshots;  // sequences, ascending
  std::vector<uint64_t> segments;   // first sequences, ascending
  std::vector<std::string> temp_files;
};

absl::StatusOr<DirListing> ListDir(const std::string& dir) {
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) return ErrnoToStatus(errno, "cannot list folder", dir);
  DirListing listing;
  errno = 0;
  while (const dirent* entry = ::readdir(handle)) {
    const std::string_view name = entry->d_name;
    uint64_t sequence = 0;
    if (ParseSnapshotName(name, &sequence)) {
      listing.snapshots.push_back(sequence);
    } else if (WriteAheadLog::ParseSegmentName(name, &sequence)) {
      listing.segments.push_back(sequence);
    } else if (name.starts_with(kSnapshotPrefix) && name.ends_with(kTempSuffix)) {
      listing.temp_files.emplace_back(name);
    }
  }
  const int error = errno;
  ::closedir(handle);
  if (error != 0) return ErrnoToStatus(error, "cannot list folder", dir);
  std::sort(listing.snapshots.begin(), listing.snapshots.end());
  std::sort(listing.segments.begin(), listing.segments.end());
  return listing;
}

absl::StatusOr<uint64_t> FileSize(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoToStatus(errno, "cannot stat", path);
  return static_cast<uint64_t>(st.st_size);
}

// What a batch touches, for keeping batches that touch the same records out of one group: its
// households and the persons it lists ("h"/"p" + the id, so the two kinds never collide).
absl::flat_hash_set<std::string> MutationKeys(absl::Span<const Mutation> mutations) {
  absl::flat_hash_set<std::string> keys;
  for (const Mutation& mutation : mutations) {
    keys.insert(StrCat("h", mutation.target()));
    if (mutation.kind != Mutation::Kind::kUpsertHousehold) continue;
    for (const Person& member : mutation.members) keys.insert(StrCat("p", member.id_art));
  }
  return keys;
}

}  // namespace

// Database internals. Lock order (outer first): snapshot_mu_, log_mu_, mu_, queue_mu_.
//
// A Write encodes its batch and queues itself. The writer at the front of the queue leads: it
// takes the queued batches as a group — as many as touch no household or person another one
// in the group touches, so that each can be checked against the state as it is — and under
// log_mu_ (no other group can apply meanwhile) checks each batch's precondition and validates
// it, appends the accepted batches to the log, syncs once, then applies them in sequence
// order, each batch under the exclusive state lock, and wakes their writers. Meanwhile later
// writers queue up for the next group. A snapshot holds log_mu_ (so no group is in flight and
// writers wait in the queue, not on mu_) and the shared state lock while the state saves: readers
// go on reading, and no writer queues on mu_ behind the snapshot, where it would hold up new
// readers.
class Database::Impl {
 public:
  Impl(DatabaseOptions options, std::unique_ptr<DurableState> state)
      : options_(std::move(options)), state_(std::move(state)) {}
  ~Impl() { Close(); }

  // Loads the newest usable snapshot and replays the log after it; opens the log for writing.
  // Called once, before any other thread runs.
  absl::Status Recover(RecoveryReport* report);
  void StartBackgroundSnapshots();

  absl::Status Write(absl::Span<const Mutation> mutations, const Precondition& precondition)
      ABSL_LOCKS_EXCLUDED(queue_mu_);
  absl::Status TakeSnapshot() ABSL_LOCKS_EXCLUDED(snapshot_mu_);
  void Close();

  absl::Mutex& mu() const ABSL_LOCK_RETURNED(mu_) { return mu_; }
  const DurableState* state() const { return state_.get(); }
  uint64_t log_bytes() const { return log_bytes_.load(std::memory_order_acquire); }
  uint64_t last_sequence() const { return last_sequence_.load(std::memory_order_acquire); }

 private:
  // One Write waiting in the queue.
  struct Writer {
    absl::Span<const Mutation> mutations;
    const Precondition* precondition = nullptr;
    const std::vector<std::string>* payloads = nullptr;
    size_t bytes = 0;
    // The households and persons the batch touches (MutationKeys).
    absl::flat_hash_set<std::string> keys;
    uint64_t first_sequence = 0;  // set when logged
    absl::Status status;
    bool done = false;
    absl::CondVar cv;
  };

  std::string PathOf(std::string_view name) const { return StrCat(options_.dir, "/", name); }
  absl::Status LoadSnapshot(const std::string& path, uint64_t sequence);
  absl::Status ReplayLog(const DirListing& listing, uint64_t base, bool have_snapshot,
                         RecoveryReport* report);

  // Checks, logs, syncs and applies a group of writers, setting each one's status.
  void CommitGroup(absl::Span<Writer* const> group) ABSL_LOCKS_EXCLUDED(log_mu_, queue_mu_);
  // Stops the database: writes are refused with `status` from now on.
  void Fail(const absl::Status& status) ABSL_LOCKS_EXCLUDED(queue_mu_);
  // Takes the state lock exclusively without making readers wait on a long read (see there).
  void LockStateForApply() ABSL_EXCLUSIVE_LOCK_FUNCTION(mu_);
  absl::Status SnapshotLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(snapshot_mu_);
  void RemoveObsoleteFiles(uint64_t newest, std::optional<uint64_t> previous);
  void SnapshotLoop() ABSL_LOCKS_EXCLUDED(queue_mu_);

  const DatabaseOptions options_;

  // The state lock: shared for readers, Validate and Save; exclusive for Apply and Load.
  mutable absl::Mutex mu_;
  const std::unique_ptr<DurableState> state_ ABSL_PT_GUARDED_BY(mu_);

  // Serialises snapshots from TakeSnapshot and the background thread.
  absl::Mutex snapshot_mu_ ABSL_ACQUIRED_BEFORE(log_mu_);
  // The newest snapshot on disk that this process loaded or wrote, and the one before it (the
  // fallback that retention keeps).
  std::optional<uint64_t> newest_snapshot_ ABSL_GUARDED_BY(snapshot_mu_);
  std::optional<uint64_t> previous_snapshot_ ABSL_GUARDED_BY(snapshot_mu_);

  // Held by a group's leader while it logs and applies, and by a snapshot while it saves.
  absl::Mutex log_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  std::unique_ptr<WriteAheadLog> log_ ABSL_GUARDED_BY(log_mu_);

  // Mirrors for the accessors, which take no lock.
  std::atomic<uint64_t> last_sequence_{0};
  std::atomic<uint64_t> log_bytes_{0};

  absl::Mutex queue_mu_ ABSL_ACQUIRED_AFTER(mu_);
  std::deque<Writer*> queue_ ABSL_GUARDED_BY(queue_mu_);
  absl::Status error_ ABSL_GUARDED_BY(queue_mu_);  // set once; writes are refused after
  bool closed_ ABSL_GUARDED_BY(queue_mu_) = false;
  bool stop_ ABSL_GUARDED_BY(queue_mu_) = false;
  bool snapshot_wanted_ ABSL_GUARDED_BY(queue_mu_) = false;
  // The background thread is woken once log_bytes_ reaches this.
  uint64_t snapshot_trigger_bytes_ ABSL_GUARDED_BY(queue_mu_) = 0;
  absl::CondVar snapshot_cv_;
  std::thread snapshot_thread_;
};

absl::Status Database::Impl::LoadSnapshot(const std::string& path, uint64_t sequence) {
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<SnapshotReader> reader, SnapshotReader::Open(path));
  if (!reader->HasSection(kDatabaseSection)) {
    return absl::DataLossError(StrCat("no section ", kDatabaseSection));
  }
  PADAN_RETURN_IF_ERROR(reader->OpenSection(kDatabaseSection));
  PADAN_ASSIGN_OR_RETURN(const uint32_t version, reader->ReadU32());
  if (version != kDatabaseSectionVersion) {
    return absl::FailedPreconditionError(StrCat("snapshot ", path, " has database section version ",
                                                version, "; this build reads version ",
                                                kDatabaseSectionVersion));
  }
  PADAN_ASSIGN_OR_RETURN(const uint64_t recorded, reader->ReadU64());
  if (recorded != sequence) {
    return absl::DataLossError(
        StrCat("it holds the state as of sequence ", recorded, " but is named for ", sequence));
  }
  absl::WriterMutexLock lock(&mu_);
  return state_->Load(*reader);
}

absl::Status Database::Impl::Recover(RecoveryReport* report) {
  const std::string& dir = options_.dir;
  PADAN_ASSIGN_OR_RETURN(const DirListing listing, ListDir(dir));
  for (const std::string& name : listing.temp_files) ::unlink(PathOf(name).c_str());

  // The newest snapshot that loads; corrupt ones are passed over and reported.
  std::optional<uint64_t> loaded;
  for (auto it = listing.snapshots.rbegin(); it != listing.snapshots.rend(); ++it) {
    const std::string path = PathOf(SnapshotName(*it));
    const absl::Status status = LoadSnapshot(path, *it);
    if (status.ok()) {
      loaded = *it;
      report->snapshot_path = path;
      report->snapshot_sequence = *it;
      break;
    }
    if (status.code() != absl::StatusCode::kDataLoss) return status;
    report->skipped_snapshots.push_back(StrCat(SnapshotName(*it), ": ", status.message()));
  }
  if (!loaded.has_value() && !listing.snapshots.empty()) {
    return absl::DataLossError(
        StrCat("cannot open the database in ", dir, ": every snapshot is corrupt (",
               absl::StrJoin(report->skipped_snapshots, "; "),
               "); refusing to start empty. Restore a snapshot from a backup, or move the snapshot "
               "files away to start from the log alone if it begins at sequence 1"));
  }
  {
    absl::MutexLock lock(&snapshot_mu_);
    newest_snapshot_ = loaded;
  }
  return ReplayLog(listing, loaded.value_or(0), loaded.has_value(), report);
}

absl::Status Database::Impl::ReplayLog(const DirListing& listing, uint64_t base, bool have_snapshot,
                                       RecoveryReport* report) {
  const std::string& dir = options_.dir;
  const std::vector<uint64_t>& segments = listing.segments;
  // The first segment to read is the last one that begins at or before base + 1; the ones
  // before it hold only entries the snapshot already has.
  size_t first_index = 0;
  bool found = false;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (segments[i] <= base + 1) {
      first_index = i;
      found = true;
    }
  }
  if (!segments.empty() && !found) {
    return absl::DataLossError(StrCat(
        "cannot open the database in ", dir, ": the log after ",
        have_snapshot ? SnapshotName(base) : std::string("the empty start (no snapshot)"),
        " is missing: the oldest log segment, ", WriteAheadLog::SegmentName(segments[0]),
        ", begins at sequence ", segments[0],
        report->skipped_snapshots.empty() ? "" : " (newer snapshots were skipped as corrupt)"));
  }

  // Where appending can resume: the last segment read, when its valid part ends at the state.
  struct AppendPoint {
    std::string path;
    uint64_t first_sequence;
    uint64_t size;
    uint64_t next_sequence;
  };
  std::optional<AppendPoint> append;
  uint64_t last = base;  // the last sequence in the state
  size_t discard_from = segments.size();
  std::string reason;
  uint64_t dropped_bytes = 0;

  for (size_t i = first_index; i < segments.size(); ++i) {
    const uint64_t first = segments[i];
    const std::string name = WriteAheadLog::SegmentName(first);
    const std::string path = PathOf(name);
    if (i > first_index && first != last + 1) {
      reason = StrCat(name, " begins at sequence ", first, " but the log before it ends at ", last,
                      first > last + 1 ? ": a gap" : ": an overlap");
      discard_from = i;
      break;
    }
    PADAN_ASSIGN_OR_RETURN(std::unique_ptr<WriteAheadLogReader> reader,
                           WriteAheadLogReader::Open(path, first));
    WalBatch batch;
    std::string problem;
    uint64_t valid_end = 0;
    uint64_t next_sequence = 0;
    while (reader->Next(&batch)) {
      const uint64_t batch_last = batch.first_sequence + batch.payloads.size() - 1;
      if (batch_last <= base) continue;  // the snapshot has it
      std::vector<Mutation> mutations;
      mutations.reserve(batch.payloads.size());
      for (size_t k = 0; k < batch.payloads.size() && problem.empty(); ++k) {
        if (batch.first_sequence + k <= base) continue;
        absl::StatusOr<Mutation> mutation = Mutation::Decode(batch.payloads[k]);
        if (!mutation.ok()) {
          problem = StrCat("entry ", batch.first_sequence + k, " (batch at offset ",
                           batch.begin_offset, ") does not decode: ", mutation.status().message());
        } else {
          mutations.push_back(*std::move(mutation));
        }
      }
      if (!problem.empty()) {
        valid_end = batch.begin_offset;
        next_sequence = batch.first_sequence;
        break;
      }
      {
        absl::WriterMutexLock lock(&mu_);
        for (size_t k = 0; k < mutations.size(); ++k) {
          const absl::Status status = state_->Apply(mutations[k]);
          if (!status.ok()) {
            return absl::InternalError(
                StrCat("cannot open the database in ", dir, ": replaying log entry ",
                       batch_last - mutations.size() + 1 + k, " of ", name,
                       " failed (DurableState::Apply must not fail for a validated mutation): ",
                       status.message()));
          }
        }
      }
      report->log_entries_replayed += mutations.size();
      last = batch_last;
    }
    PADAN_RETURN_IF_ERROR(reader->status());
    if (problem.empty()) {
      problem = reader->problem();
      valid_end = reader->valid_end();
      next_sequence = reader->next_sequence();
    }
    if (next_sequence - 1 > last) last = next_sequence - 1;  // entries up to base, not replayed
    if (problem.empty()) {
      append = AppendPoint{path, first, valid_end, next_sequence};
      continue;
    }
    // Damage: cut this segment after its last good batch; the segments after it are unusable.
    const uint64_t file_size = reader->file_size();
    reader.reset();
    reason = StrCat(name, ": ", problem, "; log cut at byte ", valid_end, ", sequence ", last);
    if (valid_end < kWalHeaderBytes) {
      discard_from = i;  // not even the header is good: set the whole file aside
    } else {
      PADAN_RETURN_IF_ERROR(WriteAheadLog::Truncate(path, valid_end));
      dropped_bytes += file_size - valid_end;
      append = AppendPoint{path, first, valid_end, next_sequence};
      discard_from = i + 1;
    }
    break;
  }

  std::vector<std::string> discarded;
  for (size_t i = discard_from; i < segments.size(); ++i) {
    const std::string name = WriteAheadLog::SegmentName(segments[i]);
    const std::string path = PathOf(name);
    PADAN_ASSIGN_OR_RETURN(const uint64_t size, FileSize(path));
    const std::string target = StrCat(path, kDiscardedSuffix);
    if (::rename(path.c_str(), target.c_str()) != 0) {
      return ErrnoToStatus(errno, "cannot set aside log segment", path);
    }
    dropped_bytes += size;
    discarded.push_back(name);
    if (append.has_value() && append->path == path) append.reset();
  }
  if (!discarded.empty()) {
    PADAN_RETURN_IF_ERROR(WriteAheadLog::SyncDirectory(dir));
    StrAppend(&reason, "; set aside as *", kDiscardedSuffix, ": ", absl::StrJoin(discarded, ", "));
  }
  report->torn_tail_bytes = dropped_bytes;
  report->torn_tail_reason = reason;

  // New entries go to the end of the last segment when it ends where the state does, else to
  // a new segment.
  const uint64_t next = last + 1;
  std::unique_ptr<WriteAheadLog> log;
  if (append.has_value() && append->next_sequence == next) {
    PADAN_ASSIGN_OR_RETURN(log, WriteAheadLog::OpenForAppend(append->path, append->first_sequence,
                                                             append->size, next));
  } else {
    PADAN_ASSIGN_OR_RETURN(log, WriteAheadLog::Create(dir, next));
  }
  last_sequence_.store(last, std::memory_order_release);
  log_bytes_.store(log->size(), std::memory_order_release);
  {
    absl::MutexLock lock(&log_mu_);
    log_ = std::move(log);
  }
  absl::MutexLock lock(&queue_mu_);
  snapshot_trigger_bytes_ = options_.snapshot_after_log_bytes;
  return absl::OkStatus();
}

void Database::Impl::StartBackgroundSnapshots() {
  if (!options_.background_snapshots) return;
  snapshot_thread_ = std::thread([this] { SnapshotLoop(); });
}

absl::Status Database::Impl::Write(absl::Span<const Mutation> mutations,
                                   const Precondition& precondition) {
  if (mutations.empty()) return absl::OkStatus();
  {
    absl::MutexLock lock(&queue_mu_);
    if (closed_) return absl::UnavailableError("the database is closed");
    if (!error_.ok()) return error_;
  }
  // Encode, and check that what is logged decodes to the same mutation: an entry that could
  // not be replayed must be refused now, not found at the next start.
  std::vector<std::string> payloads;
  payloads.reserve(mutations.size());
  size_t bytes = 0;
  for (size_t i = 0; i < mutations.size(); ++i) {
    std::string payload = mutations[i].Encode();
    if (payload.size() > kWalMaxPayloadBytes) {
      return absl::InvalidArgumentError(StrCat("mutation ", i, " encodes to ", payload.size(),
                                               " bytes, more than a log entry holds (",
                                               kWalMaxPayloadBytes, ")"));
    }
    absl::StatusOr<Mutation> decoded = Mutation::Decode(payload);
    if (!decoded.ok()) {
      return absl::InvalidArgumentError(
          StrCat("mutation ", i, " cannot be logged: ", decoded.status().message()));
    }
    if (decoded->Encode() != payload) {
      return absl::InvalidArgumentError(
          StrCat("mutation ", i, " cannot be logged: it does not survive encoding"));
    }
    bytes += payload.size();
    payloads.push_back(std::move(payload));
  }

  Writer writer;
  writer.mutations = mutations;
  writer.precondition = precondition ? &precondition : nullptr;
  writer.payloads = &payloads;
  writer.bytes = bytes;
  writer.keys = MutationKeys(mutations);

  std::vector<Writer*> group;
  {
    absl::MutexLock lock(&queue_mu_);
    queue_.push_back(&writer);
    while (!writer.done && queue_.front() != &writer) writer.cv.Wait(&queue_mu_);
    if (writer.done) return writer.status;
    // This writer leads the next group.
    absl::Status refused = closed_ ? absl::UnavailableError("the database is closed") : error_;
    if (!refused.ok()) {
      queue_.pop_front();
      if (!queue_.empty()) queue_.front()->cv.Signal();
      return refused;
    }
    size_t group_bytes = 0;
    absl::flat_hash_set<std::string> group_keys;
    for (Writer* queued : queue_) {
      if (!group.empty()) {
        if (group_bytes + queued->bytes > kMaxGroupBytes) break;
        // A batch touching what an earlier one in the group touches is checked once that one
        // is applied, in the next group (the queue keeps its order).
        const bool overlaps =
            std::any_of(queued->keys.begin(), queued->keys.end(),
                        [&](const std::string& key) { return group_keys.contains(key); });
        if (overlaps) break;
      }
      group.push_back(queued);
      group_bytes += queued->bytes;
      group_keys.insert(queued->keys.begin(), queued->keys.end());
    }
  }

  CommitGroup(group);

  absl::MutexLock lock(&queue_mu_);
  for (Writer* member : group) {
    queue_.pop_front();  // the group is the front of the queue, in order
    member->done = true;
    if (member != &writer) member->cv.Signal();
  }
  if (!queue_.empty()) queue_.front()->cv.Signal();
  if (options_.background_snapshots && !snapshot_wanted_ &&
      log_bytes_.load(std::memory_order_acquire) >= snapshot_trigger_bytes_) {
    snapshot_wanted_ = true;
    snapshot_cv_.Signal();
  }
  return writer.status;
}

void Database::Impl::CommitGroup(absl::Span<Writer* const> group) {
  absl::MutexLock log_lock(&log_mu_);
  if (log_ == nullptr) {
    for (Writer* member : group) member->status = absl::UnavailableError("the database is closed");
    return;
  }
  // Check each batch against the state as it is: only this thread applies while log_mu_ is
  // held, and the batches of a group touch different records.
  std::vector<Writer*> accepted;
  accepted.reserve(group.size());
  const std::unique_ptr<DurableState::Pending> pending = state_->NewPending();
  for (Writer* member : group) {
    absl::Status status;
    if (member->precondition != nullptr) status = (*member->precondition)();
    if (status.ok()) {
      absl::ReaderMutexLock lock(&mu_);
      status = state_->Validate(member->mutations, pending.get());
    }
    if (!status.ok()) {
      member->status = std::move(status);
      continue;
    }
    accepted.push_back(member);
  }
  group = accepted;
  if (group.empty()) return;

  std::vector<uint64_t> offsets;
  offsets.reserve(group.size());
  for (Writer* member : group) {
    offsets.push_back(log_->size());
    member->first_sequence = log_->AppendBatch(*member->payloads);
  }
  absl::Status status = log_->Sync();
  if (!status.ok()) {
    log_bytes_.store(log_->size(), std::memory_order_release);
    Fail(status);
    for (Writer* member : group) member->status = status;
    return;
  }
  log_bytes_.store(log_->size(), std::memory_order_release);
  for (size_t g = 0; g < group.size(); ++g) {
    Writer* member = group[g];
    absl::Status applied;
    LockStateForApply();
    for (size_t k = 0; k < member->mutations.size() && applied.ok(); ++k) {
      applied = state_->Apply(member->mutations[k]);
      if (!applied.ok()) {
        applied = absl::InternalError(
            StrCat("the database stopped: applying mutation ", member->first_sequence + k,
                   " failed after it was validated (a DurableState bug): ", applied.message()));
      }
    }
    mu_.Unlock();
    if (!applied.ok()) {
      // Take this batch and the ones after it back out of the log, so that what was not
      // acknowledged is not replayed either. The state in memory keeps what was applied of
      // this batch; the database refuses writes from now on.
      const absl::Status rewound = log_->Rewind(offsets[g], member->first_sequence);
      log_bytes_.store(log_->size(), std::memory_order_release);
      Fail(rewound.ok()
               ? applied
               : absl::InternalError(StrCat(applied.message(), "; and ", rewound.message())));
      for (size_t rest = g; rest < group.size(); ++rest) group[rest]->status = applied;
      return;
    }
    last_sequence_.store(member->first_sequence + member->mutations.size() - 1,
                         std::memory_order_release);
    member->status = absl::OkStatus();
  }
}

void Database::Impl::LockStateForApply() {
  // An absl::Mutex that a writer waits for admits no new reader, so a writer that blocked
  // while a long read is running would hold up every reader after it. Polling with TryLock
  // does not announce the writer: readers keep coming and going and the writer gets in at a
  // moment without one. Only when that moment does not come (readers overlapping without a
  // gap) does it block, so that readers cannot starve it.
  for (int attempt = 0; attempt < kApplyLockPolls; ++attempt) {
    if (mu_.TryLock()) return;
    absl::SleepFor(kApplyLockPollInterval);
  }
  mu_.Lock();
}

void Database::Impl::Fail(const absl::Status& status) {
  absl::MutexLock lock(&queue_mu_);
  if (error_.ok()) error_ = status;
}

absl::Status Database::Impl::TakeSnapshot() {
  {
    absl::MutexLock lock(&queue_mu_);
    if (closed_) return absl::UnavailableError("the database is closed");
  }
  absl::MutexLock lock(&snapshot_mu_);
  return SnapshotLocked();
}

absl::Status Database::Impl::SnapshotLocked() {
  std::unique_ptr<SnapshotWriter> writer;
  uint64_t sequence = 0;
  {
    absl::MutexLock log_lock(&log_mu_);
    if (log_ == nullptr) return absl::UnavailableError("the database is closed");
    {
      absl::MutexLock lock(&queue_mu_);
      if (!error_.ok()) {
        return absl::FailedPreconditionError(
            StrCat("no snapshot of a stopped database: ", error_.message()));
      }
    }
    // With log_mu_ held no group is in flight: everything logged is applied.
    sequence = log_->next_sequence() - 1;
    if (sequence == newest_snapshot_.value_or(0)) return absl::OkStatus();  // nothing new
    PADAN_ASSIGN_OR_RETURN(writer, SnapshotWriter::Create(PathOf(SnapshotName(sequence))));
    writer->BeginSection(kDatabaseSection);
    writer->AppendU32(kDatabaseSectionVersion);
    writer->AppendU64(sequence);
    {
      absl::ReaderMutexLock state_lock(&mu_);
      PADAN_RETURN_IF_ERROR(state_->Save(*writer));
    }
    // The log after the snapshot starts a segment of its own, so that whole segments can be
    // removed once they are covered.
    if (log_->first_sequence() != sequence + 1) {
      PADAN_ASSIGN_OR_RETURN(std::unique_ptr<WriteAheadLog> next,
                             WriteAheadLog::Create(options_.dir, sequence + 1));
      log_ = std::move(next);
      log_bytes_.store(log_->size(), std::memory_order_release);
    }
  }
  // Writers go on while the snapshot is synced and renamed into place. Should that fail,
  // recovery still has the previous snapshot and every segment after it.
  PADAN_RETURN_IF_ERROR(writer->Finish());
  previous_snapshot_ = newest_snapshot_;
  newest_snapshot_ = sequence;
  RemoveObsoleteFiles(sequence, previous_snapshot_);
  return absl::OkStatus();
}

void Database::Impl::RemoveObsoleteFiles(uint64_t newest, std::optional<uint64_t> previous) {
  absl::StatusOr<DirListing> listing = ListDir(options_.dir);
  if (!listing.ok()) return;  // only tidying: the next snapshot tries again
  // Keep the newest snapshot and the previous one as a fallback; older ones, and corrupt ones
  // that recovery skipped, go.
  for (uint64_t sequence : listing->snapshots) {
    if (sequence < newest && sequence != previous) {
      ::unlink(PathOf(SnapshotName(sequence)).c_str());
    }
  }
  // Keep every segment with entries after the fallback (after sequence 0 when there is none):
  // a segment can go when the next one begins at or before fallback + 1.
  const uint64_t keep_after = previous.value_or(0);
  const std::vector<uint64_t>& segments = listing->segments;
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    if (segments[i + 1] <= keep_after + 1) {
      ::unlink(PathOf(WriteAheadLog::SegmentName(segments[i])).c_str());
    }
  }
  WriteAheadLog::SyncDirectory(options_.dir).IgnoreError();
}

void Database::Impl::SnapshotLoop() {
  queue_mu_.Lock();
  while (true) {
    while (!stop_ && !snapshot_wanted_) snapshot_cv_.Wait(&queue_mu_);
    if (stop_) break;
    queue_mu_.Unlock();
    {
      absl::MutexLock snapshot_lock(&snapshot_mu_);
      // A failure is not fatal: the log keeps every write. The next attempt waits until the
      // log has grown by another snapshot_after_log_bytes, so a full disk is not retried in a
      // loop; TakeSnapshot reports errors to its caller.
      SnapshotLocked().IgnoreError();
    }
    queue_mu_.Lock();
    snapshot_wanted_ = false;
    snapshot_trigger_bytes_ =
        log_bytes_.load(std::memory_order_acquire) + options_.snapshot_after_log_bytes;
  }
  queue_mu_.Unlock();
}

void Database::Impl::Close() {
  {
    absl::MutexLock lock(&queue_mu_);
    if (closed_) return;
    closed_ = true;
    stop_ = true;
    snapshot_cv_.Signal();
  }
  if (snapshot_thread_.joinable()) snapshot_thread_.join();
  absl::MutexLock log_lock(&log_mu_);
  if (log_ != nullptr) {
    log_->Sync().IgnoreError();  // every commit syncs; nothing should be buffered
    log_.reset();
  }
}

// --- Database --------------------------------------------------------------------------------

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Database::~Database() { Close(); }

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options,
                                                         std::unique_ptr<DurableState> state) {
  const auto start = std::chrono::steady_clock::now();
  if (options.dir.empty()) return absl::InvalidArgumentError("DatabaseOptions.dir is empty");
  if (state == nullptr) return absl::InvalidArgumentError("no DurableState given");
  std::error_code error;
  std::filesystem::create_directories(options.dir, error);
  if (error) return ErrnoToStatus(error.value(), "cannot create folder", options.dir);

  auto impl = std::make_unique<Impl>(options, std::move(state));
  RecoveryReport report;
  PADAN_RETURN_IF_ERROR(impl->Recover(&report));
  impl->StartBackgroundSnapshots();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::unique_ptr<Database> database(new Database(std::move(impl)));
  database->recovery_ = std::move(report);
  return database;
}

absl::Status Database::CreateFrom(const DatabaseOptions& options, const DurableState& state) {
  if (options.dir.empty()) return absl::InvalidArgumentError("DatabaseOptions.dir is empty");
  std::error_code error;
  std::filesystem::create_directories(options.dir, error);
  if (error) return ErrnoToStatus(error.value(), "cannot create folder", options.dir);
  PADAN_ASSIGN_OR_RETURN(const DirListing listing, ListDir(options.dir));
  if (!listing.snapshots.empty() || !listing.segments.empty()) {
    return absl::AlreadyExistsError(
        StrCat(options.dir, " already holds a database; choose an empty folder"));
  }
  const std::string path = options.dir + "/" + SnapshotName(0);
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<SnapshotWriter> writer, SnapshotWriter::Create(path));
  writer->BeginSection(kDatabaseSection);
  writer->AppendU32(kDatabaseSectionVersion);
  writer->AppendU64(0);
  PADAN_RETURN_IF_ERROR(state.Save(*writer));
  PADAN_RETURN_IF_ERROR(writer->Finish());
  return WriteAheadLog::SyncDirectory(options.dir);
}

absl::Status Database::Write(absl::Span<const Mutation> mutations,
                             const Precondition& precondition) {
  return impl_->Write(mutations, precondition);
}

Database::ReadView Database::Read() const {
  impl_->mu().ReaderLock();
  return ReadView(&impl_->mu(), impl_->state());
}

absl::Status Database::TakeSnapshot() { return impl_->TakeSnapshot(); }

void Database::Close() { impl_->Close(); }

uint64_t Database::log_bytes() const { return impl_->log_bytes(); }

uint64_t Database::last_sequence() const { return impl_->last_sequence(); }

}  // namespace padan
