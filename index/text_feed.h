// TextFeed: keeps the Xapian text index (TextIndexer) in step with the registry. It is the
// registry's listener, so every applied write reaches it; and it fills an empty text index
// from the registry in the background, while writes go on, without ever holding the
// database's lock for more than one chunk of persons.
//
// Ordering is what makes this correct: the feed's own thread is the only one that enqueues to
// the indexer. The listener (called under the database's exclusive lock) only appends the
// documents or deletions to a pending list. The fill reads a chunk of persons under the
// shared lock and, in the same critical section, takes the pending list; it then enqueues the
// pending changes (older than the chunk) and the chunk (the state at that instant). So what the
// indexer receives for any person is a sequence of ever newer states, and its last entry is
// the registry's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"

#include "index/database.h"
#include "index/ids.h"
#include "index/record_store.h"
#include "index/registry.h"
#include "index/text_document.h"
#include "index/text_indexer.h"

namespace padan {

// The text index's view of one person of the store.
TextDocument TextDocumentOf(const RecordStore& store, PersonId id);

class TextFeed : public RegistryListener {
 public:
  // Persons read per critical section of the fill: about a millisecond of the shared lock.
  static constexpr size_t kFillChunk = 2'000;

  // `indexer` must be started before Start and outlive the feed. It may be set later
  // (set_indexer): changes received before Start wait in the pending list.
  explicit TextFeed(TextIndexer* indexer) : indexer_(indexer) {}
  void set_indexer(TextIndexer* indexer) { indexer_ = indexer; }
  ~TextFeed() override;  // Stop()

  // Starts the thread. With `fill`, it first enqueues every live person of the database's
  // registry and then marks the indexer's initial load done; without, the index is taken as
  // already holding the registry (a clean restart) and only changes are fed.
  void Start(const Database* database, bool fill);
  // Enqueues what is pending and ends the thread. Idempotent.
  void Stop();

  // RegistryListener: called under the database's exclusive lock; only copies.
  void OnPersonsAdded(const RecordStore& store, absl::Span<const PersonId> ids) override;
  void OnPersonsRemoved(const RecordStore& store, absl::Span<const PersonId> ids) override;

  // Persons the fill has enqueued so far, and how many it will (0 before it starts).
  uint64_t filled() const ABSL_LOCKS_EXCLUDED(mu_);
  uint64_t fill_total() const ABSL_LOCKS_EXCLUDED(mu_);
  // The fill (or a clean start) has enqueued the whole registry: after Stop and the indexer's
  // Stop, the text index holds exactly the registry's persons.
  bool caught_up() const ABSL_LOCKS_EXCLUDED(mu_);
  // Waits until the fill is done and every change received before the call is enqueued to
  // the indexer (whose WaitIdle then makes them searchable). Returns the feed's error, if any.
  absl::Status WaitFed() ABSL_LOCKS_EXCLUDED(mu_);
  // The first error of the indexer seen by the feed (it stops feeding then).
  absl::Status status() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // A write or a deletion, in the order the registry applied them.
  struct Change {
    TextDocument document;  // to write, or
    std::string delete_id;  // the id_art to delete (document.id_art empty)
  };

  void Run(const Database* database, bool fill);
  void Fill(const Database* database);
  // Enqueues `changes` in order; false once the indexer has failed.
  bool Feed(std::vector<Change>& changes);
  std::vector<Change> TakePending() ABSL_LOCKS_EXCLUDED(mu_);

  TextIndexer* indexer_;
  std::thread thread_;
  mutable absl::Mutex mu_;
  std::vector<Change> pending_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t filled_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t fill_total_ ABSL_GUARDED_BY(mu_) = 0;
  bool caught_up_ ABSL_GUARDED_BY(mu_) = false;
  bool feeding_ ABSL_GUARDED_BY(mu_) = false;   // Run holds changes taken from pending_
  bool finished_ ABSL_GUARDED_BY(mu_) = false;  // Run has returned
  absl::Status status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace padan
