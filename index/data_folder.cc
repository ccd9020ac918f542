#include "index/data_folder.h"

#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/strings/numbers.h"

#include "data/absl_strings.h"
#include "data/file_io.h"
#include "data/status_macros.h"
#include "index/text_feed.h"
#include "index/text_index.h"
#include "index/text_indexer.h"
#include "index/text_terms.h"

namespace padan {
namespace {

std::string DatabaseDir(const std::string& dir) { return dir + "/db"; }
std::string ModelPath(const std::string& dir) { return dir + "/model.json"; }
std::string TextDir(const std::string& dir) { return dir + "/text"; }
// Written when the text index was closed holding exactly the registry as of a log sequence;
// its absence (a crash, an unfinished build) makes the next start rebuild the index.
std::string CleanMarkerPath(const std::string& dir) { return dir + "/text-index-clean"; }

// The sequence in the clean marker, if there is one that parses.
std::optional<uint64_t> ReadCleanMarker(const std::string& dir) {
  absl::StatusOr<std::string> text = ReadWholeFile(CleanMarkerPath(dir));
  if (!text.ok()) return std::nullopt;
  uint64_t sequence = 0;
  if (!absl::SimpleAtoi(ToAbsl(*text), &sequence)) return std::nullopt;
  return sequence;
}

uint64_t DiskBytes(const std::string& dir) {
  uint64_t bytes = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, error)) {
    if (entry.is_regular_file(error)) bytes += entry.file_size(error);
  }
  return bytes;
}

}  // namespace

// The Xapian side: analyzer, writer thread, reader pool and the feed from the registry.
class TextSearchBackend {
 public:
  TextSearchBackend(const NameNormalizer& names, const AddressNormalizer& addresses)
      : analyzer(names, addresses) {}

  TextAnalyzer analyzer;
  std::unique_ptr<TextIndexer> indexer;
  std::unique_ptr<TextIndex> index;
  std::unique_ptr<TextFeed> feed;
};

absl::Status DataFolder::Create(const std::string& dir, const Registry& registry,
                                const FellegiSunterModel& model) {
  DatabaseOptions options;
  options.dir = DatabaseDir(dir);
  PADAN_RETURN_IF_ERROR(Database::CreateFrom(options, registry));
  return model.Save(ModelPath(dir));
}

absl::Status DataFolder::CheckCreatable(const std::string& dir) {
  std::error_code error;
  if (std::filesystem::exists(DatabaseDir(dir), error) &&
      !std::filesystem::is_empty(DatabaseDir(dir), error)) {
    return absl::AlreadyExistsError(
        StrCat(DatabaseDir(dir), " already holds a database; choose an empty folder"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<DataFolder>> DataFolder::Open(const DataFolderOptions& options) {
  const std::string& dir = options.dir;
  if (!std::filesystem::exists(DatabaseDir(dir))) {
    return absl::NotFoundError(StrCat(dir, " is not a padan data folder (no db/ in it); create ",
                                      "one with: padan import --input FILE --data ", dir));
  }
  std::unique_ptr<DataFolder> folder(new DataFolder());
  folder->dir_ = dir;
  PADAN_ASSIGN_OR_RETURN(folder->regions_, RegionTable::LoadEmbedded());
  PADAN_ASSIGN_OR_RETURN(folder->names_, NameNormalizer::LoadEmbedded());
  PADAN_ASSIGN_OR_RETURN(folder->addresses_, AddressNormalizer::LoadEmbedded());
  absl::StatusOr<FellegiSunterModel> model = FellegiSunterModel::Load(ModelPath(dir));
  if (!model.ok()) {
    return absl::Status(model.status().code(),
                        StrCat("the model of ", dir, ": ", model.status().message()));
  }
  folder->model_ = std::make_unique<FellegiSunterModel>(*std::move(model));

  auto registry = std::make_unique<Registry>(*folder->names_, *folder->addresses_);
  Registry* registry_ptr = registry.get();
  if (options.text_index) {
    folder->text_ = std::make_unique<TextSearchBackend>(*folder->names_, *folder->addresses_);
    folder->text_->feed = std::make_unique<TextFeed>(nullptr);
    // Set before the log is replayed: replayed writes reach the feed like any other.
    registry->set_listener(folder->text_->feed.get());
  }

  DatabaseOptions database_options;
  database_options.dir = DatabaseDir(dir);
  database_options.background_snapshots = options.background_snapshots;
  database_options.snapshot_after_log_bytes = options.snapshot_after_log_bytes;
  PADAN_ASSIGN_OR_RETURN(folder->database_, Database::Open(database_options, std::move(registry)));

  QueryEngine::Options engine_options;
  if (options.text_index) {
    TextSearchBackend& text = *folder->text_;
    // The index is reused only when it was closed cleanly at exactly this state.
    const std::optional<uint64_t> clean = ReadCleanMarker(dir);
    const bool reuse = clean.has_value() && *clean == folder->database_->last_sequence();
    std::filesystem::remove(CleanMarkerPath(dir));
    TextIndexerOptions indexer_options;
    indexer_options.recreate = !reuse;
    {
      Database::ReadView view = folder->database_->Read();
      indexer_options.expected_documents = registry_ptr->store().live_person_count();
    }
    text.indexer = std::make_unique<TextIndexer>(text.analyzer, indexer_options);
    absl::Status started = text.indexer->Start(TextDir(dir));
    if (started.code() == absl::StatusCode::kDataLoss) {
      // A damaged text index is only a cache of the registry: build it again.
      indexer_options.recreate = true;
      text.indexer = std::make_unique<TextIndexer>(text.analyzer, indexer_options);
      started = text.indexer->Start(TextDir(dir));
    }
    PADAN_RETURN_IF_ERROR(started);
    PADAN_ASSIGN_OR_RETURN(text.index,
                           TextIndex::Open(TextDir(dir), text.analyzer, text.indexer.get()));
    text.feed->set_indexer(text.indexer.get());
    text.feed->Start(folder->database_.get(), /*fill=*/indexer_options.recreate);
    engine_options.text_index = text.index.get();
  }
  folder->engine_ = std::make_unique<QueryEngine>(*folder->database_, *folder->model_,
                                                  *folder->regions_, engine_options);
  return folder;
}

DataFolder::~DataFolder() { Close(); }

absl::Status DataFolder::Write(absl::Span<const Mutation> mutations,
                               const Database::Precondition& precondition) {
  return database_->Write(mutations, precondition);
}

absl::Status DataFolder::WaitForTextIndex() const {
  if (text_ == nullptr) return absl::OkStatus();
  PADAN_RETURN_IF_ERROR(text_->feed->WaitFed());
  return text_->indexer->WaitIdle();
}

void DataFolder::Close() {
  if (database_ == nullptr) return;
  database_->Close();
  if (text_ != nullptr && text_->indexer != nullptr) {
    if (!text_->feed->caught_up()) {
      // The first build is unfinished and the next start redoes it: drop what is queued
      // rather than make the shutdown wait for it (abandoning first also frees a fill that is
      // blocked on the full queue).
      text_->indexer->Abandon().IgnoreError();
      text_->feed->Stop();
      return;
    }
    text_->feed->Stop();
    const absl::Status stopped = text_->indexer->Stop();
    if (stopped.ok() && text_->feed->caught_up()) {
      std::ofstream marker(CleanMarkerPath(dir_), std::ios::trunc);
      marker << database_->last_sequence();
    }
  }
}

DataFolderStats DataFolder::Stats() const {
  DataFolderStats stats;
  {
    Database::ReadView view = database_->Read();
    const Registry& registry = static_cast<const Registry&>(view.state());
    stats.persons = registry.store().live_person_count();
    stats.households = registry.store().live_household_count();
    stats.memory = registry.Memory();
  }
  stats.log_bytes = database_->log_bytes();
  stats.last_sequence = database_->last_sequence();
  stats.recovery = database_->recovery();
  stats.model_version = model_->version();
  if (text_ == nullptr) {
    stats.text_index_state = "off";
    return stats;
  }
  const absl::Status indexer_status = text_->indexer->status();
  const absl::Status feed_status = text_->feed->status();
  const TextIndexProgress progress = text_->indexer->progress();
  if (!indexer_status.ok() || !feed_status.ok()) {
    stats.text_index_state =
        StrCat("failed: ", (indexer_status.ok() ? feed_status : indexer_status).message());
  } else if (!progress.ready) {
    stats.text_index_state = StrCat("building (", text_->feed->filled(), " of ",
                                    text_->feed->fill_total(), " persons queued)");
  } else {
    stats.text_index_state = "ready";
  }
  stats.text_index_documents = progress.documents;
  stats.text_index_disk_bytes = DiskBytes(TextDir(dir_));
  return stats;
}

}  // namespace padan
