#include "index/text_indexer.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include <xapian.h>

#include "data/absl_strings.h"
#include "data/field_error.h"
#include "index/internal/xapian_guard.h"

namespace padan {
namespace {

// A Bloom filter over the id_art written since the database was empty: when it says "not
// seen", the document cannot be in the database and is added without a lookup of its id
// term. Not thread-safe (the indexer thread alone uses it).
class IdFilter {
 public:
  // 10 bits and 7 probes per id: about 1 % false positives at the expected count (each costs
  // only the lookup the filter saves elsewhere).
  static constexpr size_t kBitsPerId = 10;
  static constexpr int kProbes = 7;

  explicit IdFilter(size_t expected)
      : capacity_(expected), bits_((std::max<size_t>(expected, 1) * kBitsPerId + 63) / 64) {}

  // True when `id` may have been added; false when it surely was not.
  bool MaybeContains(std::string_view id) const {
    bool all = true;
    ForEachBit(id, [&](uint64_t bit) { all = all && (bits_[bit / 64] >> (bit % 64) & 1) != 0; });
    return all;
  }
  void Add(std::string_view id) {
    ForEachBit(id, [&](uint64_t bit) { bits_[bit / 64] |= uint64_t{1} << (bit % 64); });
    ++added_;
  }
  // Past twice the expected count the false-positive rate passes 10 %: not worth keeping.
  bool saturated() const { return added_ > 2 * capacity_; }

 private:
  template <typename F>
  void ForEachBit(std::string_view id, F&& f) const {
    // Double hashing (Kirsch-Mitzenmacher): probe i is h1 + i * h2.
    const uint64_t h1 = absl::Hash<absl::string_view>()(ToAbsl(id));
    const uint64_t h2 = (h1 * 0x9E3779B97F4A7C15u) >> 17 | 1;
    const uint64_t size = bits_.size() * 64;
    for (int i = 0; i < kProbes; ++i) f((h1 + static_cast<uint64_t>(i) * h2) % size);
  }

  size_t capacity_;
  size_t added_ = 0;
  std::vector<uint64_t> bits_;
};

}  // namespace

// The write side, touched only by Start (before the thread exists) and then by the thread.
struct TextIndexer::Writer {
  Xapian::WritableDatabase db;
  bool in_transaction = false;
  uint64_t applied = 0;      // operations written, committed or not
  uint64_t committed = 0;    // operations committed
  absl::Time first_pending;  // when the oldest uncommitted operation was written
  // Spelling frequencies gathered since the last commit: one add_spelling per distinct word
  // and commit instead of one per occurrence.
  absl::flat_hash_map<std::string, Xapian::termcount> spellings;
  // Synonym entries already registered by this writer ("key\tsynonym"): a compound pair such
  // as "nur hayati" recurs in thousands of documents and is written once.
  absl::flat_hash_set<std::string> synonyms;
  DocumentTerms terms;
  std::string scratch;
  // Set while the database held nothing but what this writer added (see
  // TextIndexerOptions::expected_documents).
  std::unique_ptr<IdFilter> fresh_ids;
};

TextIndexer::TextIndexer(const TextAnalyzer& analyzer, TextIndexerOptions options)
    : analyzer_(analyzer), options_(std::move(options)) {}

TextIndexer::~TextIndexer() { Stop().IgnoreError(); }

absl::Status TextIndexer::Start(const std::string& dir) {
  {
    absl::MutexLock lock(&mu_);
    if (started_) return absl::FailedPreconditionError("the text indexer was already started");
  }
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        StrCat("cannot create the text index folder ", dir, ": ", error.message()));
  }
  auto writer = std::make_unique<Writer>();
  uint64_t documents = 0;
  absl::Status status =
      internal::RunXapian(StrCat("opening text index ", dir, " for writing"), [&] {
        const int action =
            options_.recreate ? Xapian::DB_CREATE_OR_OVERWRITE : Xapian::DB_CREATE_OR_OPEN;
        writer->db = Xapian::WritableDatabase(dir, action | Xapian::DB_BACKEND_GLASS);
        for (const auto& [a, b] : TextAnalyzer::NameEquivalents()) {
          writer->db.add_synonym(std::string(a), std::string(b));
          writer->db.add_synonym(std::string(b), std::string(a));
        }
        writer->db.commit();
        documents = writer->db.get_doccount();
      });
  if (!status.ok()) return status;
  if (documents == 0 && options_.expected_documents > 0) {
    writer->fresh_ids = std::make_unique<IdFilter>(options_.expected_documents);
  }

  absl::MutexLock lock(&mu_);
  if (started_) return absl::FailedPreconditionError("the text indexer was already started");
  started_ = true;
  dir_ = dir;
  progress_.generation = 1;
  progress_.documents = documents;
  writer_ = std::move(writer);
  absl::MutexLock join_lock(&join_mu_);
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

absl::Status TextIndexer::AcceptingStatus() const {
  if (!started_) return absl::FailedPreconditionError("the text indexer is not started");
  if (!status_.ok()) return status_;
  if (stopping_) return absl::FailedPreconditionError("the text indexer is stopped");
  return absl::OkStatus();
}

bool TextIndexer::HasRoom() const {
  return queued_ < options_.queue_capacity || stopping_ || !status_.ok();
}

bool TextIndexer::HasWork() const {
  return !queue_.empty() || stopping_ || flush_target_ > progress_.committed;
}

bool TextIndexer::FlushDone() const {
  return progress_.committed >= flush_target_ || stopped_ || !status_.ok();
}

absl::Status TextIndexer::Push(Op op) {
  absl::MutexLock lock(&mu_);
  absl::Status status = AcceptingStatus();
  if (!status.ok()) return status;
  mu_.Await(absl::Condition(this, &TextIndexer::HasRoom));
  status = AcceptingStatus();
  if (!status.ok()) return status;
  const size_t size = op.size();
  progress_.enqueued += size;
  queued_ += size;
  queue_.push_back(std::move(op));
  return absl::OkStatus();
}

absl::Status TextIndexer::Enqueue(std::vector<TextDocument> documents) {
  for (size_t i = 0; i < documents.size(); ++i) {
    const size_t size = documents[i].id_art.size();
    if (size == 0 || size > TextAnalyzer::kMaxIdBytes) {
      return InvalidField("id_art", StrCat("document ", i, ": id_art must be 1 to ",
                                           TextAnalyzer::kMaxIdBytes, " bytes, got ", size));
    }
  }
  if (documents.empty()) return absl::OkStatus();
  Op op;
  op.documents = std::move(documents);
  return Push(std::move(op));
}

absl::Status TextIndexer::EnqueueDelete(std::string id_art) {
  if (id_art.empty() || id_art.size() > TextAnalyzer::kMaxIdBytes) {
    return InvalidField("id_art", StrCat("must be 1 to ", TextAnalyzer::kMaxIdBytes, " bytes, got ",
                                         id_art.size()));
  }
  Op op;
  op.delete_id = std::move(id_art);
  return Push(std::move(op));
}

absl::Status TextIndexer::EndInitialLoad() {
  absl::MutexLock lock(&mu_);
  absl::Status status = AcceptingStatus();
  if (!status.ok()) return status;
  has_ready_target_ = true;
  ready_target_ = progress_.enqueued;
  flush_target_ = std::max(flush_target_, ready_target_);
  if (progress_.committed >= ready_target_) progress_.ready = true;
  return absl::OkStatus();
}

absl::Status TextIndexer::WaitIdle() {
  absl::MutexLock lock(&mu_);
  if (!started_) return absl::FailedPreconditionError("the text indexer is not started");
  flush_target_ = std::max(flush_target_, progress_.enqueued);
  mu_.Await(absl::Condition(this, &TextIndexer::FlushDone));
  return status_;
}

bool TextIndexer::Committed(CommittedWait* wait) {
  const TextIndexer& self = *wait->self;
  return self.progress_.committed >= wait->operations || self.stopped_ || !self.status_.ok();
}

absl::Status TextIndexer::WaitCommitted(uint64_t operations) {
  absl::MutexLock lock(&mu_);
  if (!started_) return absl::FailedPreconditionError("the text indexer is not started");
  CommittedWait wait{this, operations};
  mu_.Await(absl::Condition(&TextIndexer::Committed, &wait));
  return status_;
}

absl::Status TextIndexer::Abandon() {
  {
    absl::MutexLock lock(&mu_);
    abandon_ = true;
  }
  return Stop();
}

absl::Status TextIndexer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (!started_) return absl::OkStatus();
    stopping_ = true;
    // The thread applies and commits what is queued, then ends.
    mu_.Await(absl::Condition(&stopped_));
  }
  {
    // Several callers may get here; one joins.
    absl::MutexLock lock(&join_mu_);
    if (thread_.joinable()) thread_.join();
  }
  return status();
}

bool TextIndexer::ready() const {
  absl::MutexLock lock(&mu_);
  return progress_.ready;
}

TextIndexProgress TextIndexer::progress() const {
  absl::MutexLock lock(&mu_);
  return progress_;
}

absl::Status TextIndexer::status() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

absl::Status TextIndexer::Apply(Op& op) {
  Writer& w = *writer_;
  return internal::RunXapian("writing to the text index", [&] {
    if (!w.in_transaction) {
      // A transaction keeps Xapian from committing on its own every 10,000 changes, so that
      // what readers see changes only at our commits, which progress() reports.
      w.db.begin_transaction();
      w.in_transaction = true;
      w.first_pending = absl::Now();
    }
    if (op.documents.empty()) {
      w.db.delete_document(StrCat(text_terms::kId, op.delete_id));
      ++w.applied;
      return;
    }
    DocumentTerms& terms = w.terms;
    for (const TextDocument& document : op.documents) {
      ++w.applied;
      // Enqueue checked id_art, the only thing Analyze refuses.
      if (!analyzer_.Analyze(document, &terms).ok()) continue;
      Xapian::Document doc;
      doc.set_data(document.id_art);
      doc.add_boolean_term(terms.id_term);
      for (size_t i = 0; i < terms.name_terms.size(); ++i) {
        doc.add_posting(terms.name_terms[i], terms.name_positions[i]);
      }
      for (const std::string& term : terms.terms) doc.add_term(term);
      for (const std::string& term : terms.boolean_terms) doc.add_boolean_term(term);
      if (w.fresh_ids != nullptr && !w.fresh_ids->MaybeContains(document.id_art)) {
        w.db.add_document(doc);
      } else {
        w.db.replace_document(terms.id_term, doc);
      }
      if (w.fresh_ids != nullptr) {
        w.fresh_ids->Add(document.id_art);
        if (w.fresh_ids->saturated()) w.fresh_ids.reset();
      }
      for (std::string& word : terms.spellings) ++w.spellings[std::move(word)];
      for (const auto& [key, synonym] : terms.synonyms) {
        w.scratch.assign(key);
        w.scratch.push_back('\t');
        w.scratch.append(synonym);
        if (w.synonyms.insert(w.scratch).second) w.db.add_synonym(key, synonym);
      }
    }
  });
}

absl::Status TextIndexer::Commit(uint64_t applied) {
  Writer& w = *writer_;
  uint64_t documents = 0;
  absl::Status status = internal::RunXapian("committing the text index", [&] {
    for (const auto& [word, count] : w.spellings) w.db.add_spelling(word, count);
    w.spellings.clear();
    if (w.in_transaction) {
      w.in_transaction = false;
      w.db.commit_transaction();
    } else {
      w.db.commit();
    }
    documents = w.db.get_doccount();
  });
  if (!status.ok()) return status;
  w.committed = applied;
  absl::MutexLock lock(&mu_);
  progress_.committed = applied;
  ++progress_.generation;
  progress_.documents = documents;
  if (has_ready_target_ && progress_.committed >= ready_target_) progress_.ready = true;
  return absl::OkStatus();
}

void TextIndexer::Run() {
  Writer& w = *writer_;
  absl::Status error;
  bool abandoned = false;
  for (;;) {
    Op op;
    bool have_op = false;
    bool stopping = false;
    {
      absl::MutexLock lock(&mu_);
      if (w.applied > w.committed) {
        mu_.AwaitWithDeadline(absl::Condition(this, &TextIndexer::HasWork),
                              w.first_pending + options_.commit_interval);
      } else {
        mu_.Await(absl::Condition(this, &TextIndexer::HasWork));
      }
      if (abandon_ && stopping_) {
        queue_.clear();
        queued_ = 0;
        abandoned = true;
      } else if (!queue_.empty()) {
        op = std::move(queue_.front());
        queue_.pop_front();
        queued_ -= op.size();
        have_op = true;
      }
      stopping = stopping_;
    }
    if (abandoned) break;
    if (have_op) {
      error = Apply(op);
      if (!error.ok()) break;
    }
    if (w.applied > w.committed) {
      bool due = w.applied - w.committed >= options_.commit_every;
      if (!due) {
        absl::MutexLock lock(&mu_);
        due = (flush_target_ > w.committed && w.applied >= flush_target_) ||
              (queue_.empty() &&
               (stopping_ || absl::Now() >= w.first_pending + options_.commit_interval));
      }
      if (due) {
        error = Commit(w.applied);
        if (!error.ok()) break;
      }
    }
    if (stopping && !have_op && w.applied == w.committed) break;
  }

  // Close: commit nothing more after an error (the transaction is dropped), then release the
  // write lock.
  absl::Status closed = internal::RunXapian("closing the text index", [&] {
    if (w.in_transaction) {
      w.in_transaction = false;
      w.db.cancel_transaction();
    }
    w.db.close();
  });
  if (error.ok()) error = closed;
  absl::MutexLock lock(&mu_);
  if (status_.ok()) status_ = error;
  queue_.clear();
  queued_ = 0;
  stopped_ = true;
}

}  // namespace padan
