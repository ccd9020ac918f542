// Database: makes an in-memory state durable and shareable — every write is appended to a
// write-ahead log and fsynced (group commit) before it is applied and acknowledged; snapshots
// are taken in the background; opening loads the newest valid snapshot and replays the log
// after it. Many readers see a consistent state under a shared lock while one writer applies.
//
// Files in the data folder: snapshot-<seq>.snp (state as of log sequence <seq>) and
// wal-<seq>.log (the log entries from <seq> on). A torn or corrupt log tail is cut and
// reported; a corrupt snapshot falls back to the previous one, or stops Open with a message.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"

#include "index/mutation.h"
#include "index/snapshot_file.h"

namespace padan {

// What a Database makes durable (the registry implements it). Called by the Database only:
// Apply and Load under its exclusive lock, Validate and Save under its shared lock.
class DurableState {
 public:
  virtual ~DurableState() = default;
  // What the batches validated earlier in one commit group, and not applied yet, add up to, as
  // the state counts it (a Registry: the households and persons they append). They touch none
  // of the households or persons that a later batch of the group touches (the Database groups
  // only such writes), so their total is all a later batch's validation needs of them.
  class Pending {
   public:
    virtual ~Pending() = default;
  };
  // A new, empty tally for a commit group; nullptr when the state keeps none.
  virtual std::unique_ptr<Pending> NewPending() const { return nullptr; }

  // Checks that `mutations` can be applied in order, each to the state the ones before it leave,
  // after what `pending` (from NewPending, may be nullptr) holds, so that a write that would
  // fail is refused before it is logged; adds them to `pending` when they can. kInvalidArgument
  // naming the field, kNotFound for deleting a household that is not there, kResourceExhausted
  // when the state is full.
  virtual absl::Status Validate(absl::Span<const Mutation> mutations, Pending* pending) const = 0;
  // Applies a validated mutation in memory, to every index at once. Must not fail after
  // Validate said OK for the same state (a failure here is kInternal and stops the database).
  virtual absl::Status Apply(const Mutation& mutation) = 0;
  virtual absl::Status Save(SnapshotWriter& writer) const = 0;
  // Replaces the state with the snapshot's. kDataLoss for content that does not decode.
  virtual absl::Status Load(SnapshotReader& reader) = 0;
};

struct DatabaseOptions {
  std::string dir;
  // A background snapshot is taken once the log holds this many bytes since the last one.
  uint64_t snapshot_after_log_bytes = uint64_t{256} << 20;
  bool background_snapshots = true;
};

// What Open found and did, for the server's start-up log and /v1/stats.
struct RecoveryReport {
  std::string snapshot_path;  // "" when starting empty
  uint64_t snapshot_sequence = 0;
  std::vector<std::string> skipped_snapshots;  // corrupt ones passed over, with the reason
  uint64_t log_entries_replayed = 0;
  uint64_t torn_tail_bytes = 0;  // bytes cut from the end of the log
  std::string torn_tail_reason;  // "" when the log ended cleanly
  double seconds = 0;
};

// Thread-safe: Write from any number of threads (they share fsyncs), Read from any number.
class Database {
 public:
  // Opens (creating when absent) options.dir with `state`, which must be empty.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const DatabaseOptions& options,
                                                        std::unique_ptr<DurableState> state);
  // Writes `state` as the first snapshot (sequence 0) of a new database in options.dir, for a
  // bulk load (padan import) to hand its result over without logging every record. Open then
  // starts from it. kAlreadyExists when the folder already holds snapshots or log segments.
  static absl::Status CreateFrom(const DatabaseOptions& options, const DurableState& state);
  ~Database();  // Close()

  // Run by the thread that commits a write, after every write logged before it is applied and
  // before any later one can be: a check of the state (read through Read()) that holds when
  // the write is applied. The write is refused with its status when it is not OK.
  using Precondition = std::function<absl::Status()>;

  // Validates, logs and fsyncs, then applies `mutations` atomically (readers see all of them or
  // none). Returns once they are durable: after a crash they are there, and a write that
  // returned an error is not. `precondition` (may be empty) is checked first, atomically with
  // the write. kInvalidArgument/kNotFound (nothing written) for a mutation the state refuses;
  // kUnavailable after Close; kDataLoss/kInternal for I/O failure (the database then refuses
  // further writes).
  absl::Status Write(absl::Span<const Mutation> mutations,
                     const Precondition& precondition = nullptr);

  // A consistent view: holds the shared lock while alive. Writers wait for it; keep it short.
  class ReadView {
   public:
    const DurableState& state() const { return *state_; }
    ReadView(ReadView&&) = delete;
    ~ReadView() { mu_->ReaderUnlock(); }

   private:
    friend class Database;
    ReadView(absl::Mutex* mu, const DurableState* state) : mu_(mu), state_(state) {}
    absl::Mutex* mu_;
    const DurableState* state_;
  };
  ReadView Read() const ABSL_NO_THREAD_SAFETY_ANALYSIS;

  // Writes a snapshot now and starts a new log segment; older files are removed once the new
  // snapshot is safely on disk (the previous snapshot is kept as a fallback).
  absl::Status TakeSnapshot();
  // Stops background work and syncs the log. Idempotent.
  void Close();

  const RecoveryReport& recovery() const { return recovery_; }
  uint64_t log_bytes() const;      // bytes in the current log segment
  uint64_t last_sequence() const;  // sequence number of the last durable mutation

 private:
  class Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  RecoveryReport recovery_;
};

}  // namespace padan
