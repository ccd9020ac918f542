// TextIndexer: the background thread that builds and updates the Xapian text index (a glass
// database in the data folder) from TextDocuments and deletions, and says how far it has got,
// so that search can run, and say it is incomplete, while the index is still being built.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

#include "index/text_document.h"
#include "index/text_terms.h"

namespace padan {

struct TextIndexerOptions {
  // Commit once this many operations (documents written or deleted) are pending. Xapian
  // buffers at most 10,000 changed documents in memory whatever this says (it flushes them to
  // unreferenced blocks, XAPIAN_FLUSH_THRESHOLD), so a large value costs disk blocks, not
  // memory; each commit costs a few fsyncs and makes the changes visible to readers.
  size_t commit_every = 100'000;
  // ... or, once the queue is drained, when the oldest pending operation is this old: an
  // update shows in search within about this long of the indexer catching up. While the
  // queue stays busy (a bulk load) only `commit_every` applies, since every commit costs
  // fsyncs and slows the load.
  absl::Duration commit_interval = absl::Seconds(1);
  // Operations waiting in the queue before Enqueue blocks its caller (back-pressure on the
  // ingest); a TextDocument takes about 200-300 bytes.
  size_t queue_capacity = 100'000;
  // Start from an empty database, deleting what the directory held (a full rebuild); otherwise
  // the database is opened and the documents enqueued replace those with the same id_art.
  bool recreate = false;
  // How many documents the initial load will bring (the registry's person count), or 0. When
  // the database is empty at Start, the indexer keeps a Bloom filter of the id_art written
  // (10 bits each, about 1.2 MB per million) so that a document whose id_art it has surely
  // not seen is added without first looking its id term up: about 1.5 times faster builds
  // (bench/index/text_index_bench.cc). Past twice this many documents the filter is dropped
  // and every write looks its id up again.
  size_t expected_documents = 0;
};

// How far the indexer has got. Operations (a document written or an id deleted) are numbered
// in the order Enqueue/EnqueueDelete accepted them, and committed in that order.
struct TextIndexProgress {
  uint64_t enqueued = 0;    // operations accepted so far
  uint64_t committed = 0;   // operations committed, the first `committed` of them
  uint64_t generation = 0;  // commits made since Start; a reader reopens when it changes
  uint64_t documents = 0;   // documents in the database at the last commit
  bool ready = false;       // the initial load (see EndInitialLoad) is committed
  // Every operation accepted so far is committed: a search sees all of them.
  bool complete() const { return committed == enqueued; }
};

// Owns the database's write side (a Xapian::WritableDatabase, which holds the directory's write
// lock) and the thread that applies queued operations to it, committing every
// `commit_every` operations or `commit_interval`, as TextIndexerOptions says. Readers
// (TextIndex) open the same directory on their own and reopen when `generation` changes.
// Thread-safety: every method may be called from any thread. The analyzer must outlive it.
// Cost: about 20-25 k documents/s on one core of this machine (bench/index/text_index_bench.cc);
// the thread holds at most `queue_capacity` documents plus Xapian's buffer.
class TextIndexer {
 public:
  explicit TextIndexer(const TextAnalyzer& analyzer, TextIndexerOptions options = {});
  // Stop()s.
  ~TextIndexer();
  TextIndexer(const TextIndexer&) = delete;
  TextIndexer& operator=(const TextIndexer&) = delete;

  // Opens (creating it and its parent folders if needed) the glass database in `dir` for
  // writing, registers the name equivalents as synonyms, commits, and starts the thread.
  // Errors: kFailedPrecondition when another writer holds the database (its lock) or the
  // folder cannot be created, or Start was already called; kDataLoss when `dir` holds a
  // damaged database or files that are not one.
  absl::Status Start(const std::string& dir) ABSL_LOCKS_EXCLUDED(mu_);

  // Queues documents to be written; a document replaces the one with the same id_art. Blocks
  // while the queue is full. Returns kInvalidArgument (queuing none of them) when a document's
  // id_art is empty or too long (TextAnalyzer::kMaxIdBytes); kFailedPrecondition before Start
  // or after Stop; the background error once the thread has failed (see status()).
  absl::Status Enqueue(std::vector<TextDocument> documents) ABSL_LOCKS_EXCLUDED(mu_);
  // Queues the deletion of the document with this id_art (none: nothing happens). Errors as
  // Enqueue.
  absl::Status EnqueueDelete(std::string id_art) ABSL_LOCKS_EXCLUDED(mu_);

  // Marks the end of the initial bulk load: ready() turns true once every operation enqueued
  // before this call is committed, which the thread does at once instead of waiting for the
  // commit interval. Errors as Enqueue (except kInvalidArgument).
  absl::Status EndInitialLoad() ABSL_LOCKS_EXCLUDED(mu_);

  // Waits until every operation enqueued before the call is committed (asking the thread to
  // commit now). Returns the background error if the thread failed; OK after Stop.
  absl::Status WaitIdle() ABSL_LOCKS_EXCLUDED(mu_);

  // Waits, without asking for an early commit, until the first `operations` operations are
  // committed (progress().enqueued after an Enqueue names that write), i.e. visible to searches
  // that begin afterwards. Returns the background error if the thread failed, OK after Stop.
  absl::Status WaitCommitted(uint64_t operations) ABSL_LOCKS_EXCLUDED(mu_);

  // Applies and commits what is queued, ends the thread and closes the database (releasing
  // its lock). Returns the background error, if any. Later calls return the same.
  absl::Status Stop() ABSL_LOCKS_EXCLUDED(mu_);
  // As Stop, but drops what is queued and what is applied but not committed: the database
  // keeps its last commit. For a shutdown in the middle of a build that will be redone anyway,
  // which Stop would make wait for up to queue_capacity documents.
  absl::Status Abandon() ABSL_LOCKS_EXCLUDED(mu_);

  bool ready() const ABSL_LOCKS_EXCLUDED(mu_);
  TextIndexProgress progress() const ABSL_LOCKS_EXCLUDED(mu_);
  // OK, or the first error of the thread (a Xapian write or commit failed: disk full, I/O
  // error). After an error the thread stops applying operations; the database keeps its last
  // commit.
  absl::Status status() const ABSL_LOCKS_EXCLUDED(mu_);

  const std::string& dir() const { return dir_; }

 private:
  struct Op {
    std::vector<TextDocument> documents;  // write these, or
    std::string delete_id;                // delete this id_art (documents empty)
    size_t size() const { return documents.empty() ? 1 : documents.size(); }
  };
  struct Writer;  // the Xapian side, in text_indexer.cc

  absl::Status Push(Op op) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status AcceptingStatus() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Run() ABSL_LOCKS_EXCLUDED(mu_);
  // Worker thread only: writes `op`; commits. Both return a Xapian error as status.
  absl::Status Apply(Op& op);
  absl::Status Commit(uint64_t applied) ABSL_LOCKS_EXCLUDED(mu_);

  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HasRoom() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool FlushDone() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  struct CommittedWait {
    const TextIndexer* self;
    uint64_t operations;
  };
  // Runs under mu_, held by Await; the analysis cannot see that through the argument.
  static bool Committed(CommittedWait* wait) ABSL_NO_THREAD_SAFETY_ANALYSIS;

  const TextAnalyzer& analyzer_;
  const TextIndexerOptions options_;
  std::string dir_;  // set by Start, before the thread exists
  absl::Mutex join_mu_;
  std::thread thread_ ABSL_GUARDED_BY(join_mu_);  // started by Start, joined by Stop
  std::unique_ptr<Writer> writer_;                // used by the thread only once Start returned

  mutable absl::Mutex mu_;
  std::deque<Op> queue_ ABSL_GUARDED_BY(mu_);
  bool abandon_ ABSL_GUARDED_BY(mu_) = false;
  size_t queued_ ABSL_GUARDED_BY(mu_) = 0;  // operations in queue_
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;  // the thread has ended
  // The thread commits as soon as it has applied this many operations (WaitIdle,
  // EndInitialLoad).
  uint64_t flush_target_ ABSL_GUARDED_BY(mu_) = 0;
  bool has_ready_target_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t ready_target_ ABSL_GUARDED_BY(mu_) = 0;
  TextIndexProgress progress_ ABSL_GUARDED_BY(mu_);
  absl::Status status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace padan
