#include "index/text_feed.h"

#include <algorithm>
#include <utility>

namespace padan {

TextDocument TextDocumentOf(const RecordStore& store, PersonId id) {
  const Person person = store.GetPerson(id);
  const Household household = store.GetHousehold(store.household_of(id));
  TextDocument document;
  document.id_art = person.id_art;
  document.nama = person.nama;
  document.nama_ibu_kandung = person.nama_ibu_kandung;
  document.tempat_lahir = person.tempat_lahir;
  document.alamat = household.alamat;
  document.dusun = household.dusun;
  document.nik = person.nik;
  document.no_kk = household.no_kk;
  document.kode_wilayah = household.kode_wilayah;
  document.birth_year = person.tanggal_lahir.missing() ? 0 : person.tanggal_lahir.year();
  return document;
}

TextFeed::~TextFeed() { Stop(); }

void TextFeed::Start(const Database* database, bool fill) {
  thread_ = std::thread([this, database, fill] { Run(database, fill); });
}

void TextFeed::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void TextFeed::OnPersonsAdded(const RecordStore& store, absl::Span<const PersonId> ids) {
  std::vector<Change> changes;
  changes.reserve(ids.size());
  for (PersonId id : ids) changes.push_back(Change{TextDocumentOf(store, id), ""});
  absl::MutexLock lock(&mu_);
  for (Change& change : changes) pending_.push_back(std::move(change));
}

void TextFeed::OnPersonsRemoved(const RecordStore& store, absl::Span<const PersonId> ids) {
  absl::MutexLock lock(&mu_);
  for (PersonId id : ids) pending_.push_back(Change{TextDocument(), std::string(store.id_art(id))});
}

uint64_t TextFeed::filled() const {
  absl::MutexLock lock(&mu_);
  return filled_;
}

uint64_t TextFeed::fill_total() const {
  absl::MutexLock lock(&mu_);
  return fill_total_;
}

bool TextFeed::caught_up() const {
  absl::MutexLock lock(&mu_);
  return caught_up_ && status_.ok();
}

absl::Status TextFeed::status() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

std::vector<TextFeed::Change> TextFeed::TakePending() {
  absl::MutexLock lock(&mu_);
  std::vector<Change> changes;
  changes.swap(pending_);
  return changes;
}

bool TextFeed::Feed(std::vector<Change>& changes) {
  absl::Status status;
  std::vector<TextDocument> run;  // consecutive writes go to the indexer as one operation
  auto flush = [&] {
    if (!run.empty() && status.ok()) status = indexer_->Enqueue(std::move(run));
    run.clear();
  };
  for (Change& change : changes) {
    if (!status.ok()) break;
    if (change.delete_id.empty()) {
      run.push_back(std::move(change.document));
    } else {
      flush();
      if (status.ok()) status = indexer_->EnqueueDelete(std::move(change.delete_id));
    }
  }
  flush();
  changes.clear();
  if (status.ok()) return true;
  absl::MutexLock lock(&mu_);
  if (status_.ok()) status_ = status;
  return false;
}

void TextFeed::Fill(const Database* database) {
  {
    Database::ReadView view = database->Read();
    const RecordStore& store = static_cast<const Registry&>(view.state()).store();
    absl::MutexLock lock(&mu_);
    fill_total_ = store.live_person_count();
  }
  uint32_t next = 0;
  bool done = false;
  while (!done) {
    std::vector<TextDocument> documents;
    std::vector<Change> pending;
    {
      Database::ReadView view = database->Read();
      const RecordStore& store = static_cast<const Registry&>(view.state()).store();
      const uint32_t end =
          static_cast<uint32_t>(std::min<size_t>(store.person_count(), next + kFillChunk));
      documents.reserve(end - next);
      for (uint32_t i = next; i < end; ++i) {
        if (store.is_live(PersonId(i))) documents.push_back(TextDocumentOf(store, PersonId(i)));
      }
      next = end;
      done = next >= store.person_count();
      // Taken in the same critical section as the chunk: these changes are older than it.
      pending = TakePending();
    }
    if (!Feed(pending)) return;
    const size_t count = documents.size();
    if (count > 0) {
      if (absl::Status status = indexer_->Enqueue(std::move(documents)); !status.ok()) {
        absl::MutexLock lock(&mu_);
        if (status_.ok()) status_ = status;
        return;
      }
    }
    absl::MutexLock lock(&mu_);
    filled_ += count;
    if (stopping_) return;  // the next start fills again: the index is not marked clean
  }
  absl::Status status = indexer_->EndInitialLoad();
  absl::MutexLock lock(&mu_);
  if (status.ok()) {
    caught_up_ = true;
  } else if (status_.ok()) {
    status_ = status;
  }
}

void TextFeed::Run(const Database* database, bool fill) {
  if (fill) {
    Fill(database);
  } else {
    absl::Status status = indexer_->EndInitialLoad();
    absl::MutexLock lock(&mu_);
    caught_up_ = status.ok();
    status_ = status;
  }
  while (true) {
    std::vector<Change> changes;
    bool stop = false;
    {
      absl::MutexLock lock(&mu_);
      feeding_ = false;
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !pending_.empty() || !status_.ok();
      };
      mu_.Await(absl::Condition(&ready));
      if (!status_.ok()) break;
      changes.swap(pending_);
      feeding_ = true;
      stop = stopping_;
    }
    if (!Feed(changes) || stop) break;
  }
  absl::MutexLock lock(&mu_);
  feeding_ = false;
  finished_ = true;
}

absl::Status TextFeed::WaitFed() {
  absl::MutexLock lock(&mu_);
  auto fed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return finished_ || !status_.ok() || (caught_up_ && pending_.empty() && !feeding_);
  };
  mu_.Await(absl::Condition(&fed));
  return status_;
}

}  // namespace padan
