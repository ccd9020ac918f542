// DataFolder: everything padan serves from one data folder, opened together — the reference
// tables and normalisers, the durable registry (snapshot + write-ahead log, index/database.h),
// the trained matching model, the Xapian text index kept up to date in the background, and the
// QueryEngine over them. `padan import --data DIR` creates a folder; `padan serve`, the batch
// commands and the benchmarks open one.
//
// Layout of DIR:
//   db/          snapshots and write-ahead log (index/database.h)
//   model.json   the Fellegi-Sunter model (matching/fellegi_sunter_model.h), trained at import
//   text/        the Xapian glass database (index/text_indexer.h); rebuilt when absent or
//                damaged, and while it (re)builds search falls back to the in-memory indexes
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

#include "data/region_table.h"
#include "index/database.h"
#include "index/mutation.h"
#include "index/query_engine.h"
#include "index/registry.h"
#include "matching/address_normalizer.h"
#include "matching/fellegi_sunter_model.h"
#include "matching/name_normalizer.h"

namespace padan {

class TextSearchBackend;  // the text index and its indexer (data_folder.cc)

struct DataFolderOptions {
  std::string dir;
  // Build and serve the Xapian text index. Off: search uses the in-memory indexes only.
  bool text_index = true;
  bool background_snapshots = true;
  uint64_t snapshot_after_log_bytes = uint64_t{256} << 20;
};

// What a caller can report about the folder (/v1/stats, /metrics, start-up log).
struct DataFolderStats {
  uint64_t persons = 0;     // live
  uint64_t households = 0;  // live
  Registry::MemoryBreakdown memory;
  uint64_t log_bytes = 0;
  uint64_t last_sequence = 0;  // of the last durable write
  RecoveryReport recovery;
  std::string model_version;
  // The text index: "off", "building" (initial load not committed: search falls back to memory),
  // "ready", or "failed: <reason>".
  std::string text_index_state;
  uint64_t text_index_documents = 0;
  uint64_t text_index_disk_bytes = 0;
};

class DataFolder {
 public:
  // Creates options.dir from a bulk-loaded registry (FinishBulkLoad done) and a model: writes
  // the first snapshot and model.json. The text index is built on first Open.
  // kAlreadyExists when the folder already holds a database.
  static absl::Status Create(const std::string& dir, const Registry& registry,
                             const FellegiSunterModel& model);
  // Whether Create could make `dir` (kAlreadyExists when it holds a database), to check
  // before a long import.
  static absl::Status CheckCreatable(const std::string& dir);

  // Opens a folder made by Create: loads the snapshot, replays the log, loads the model and
  // starts the text indexer. Errors name the file at fault.
  static absl::StatusOr<std::unique_ptr<DataFolder>> Open(const DataFolderOptions& options);

  ~DataFolder();  // Close()

  // Durable writes (upsert/delete of households), visible to every index once this returns;
  // the text index follows within about a second.
  absl::Status Write(absl::Span<const Mutation> mutations,
                     const Database::Precondition& precondition = nullptr);

  // Waits until the text index holds every write made before the call (and the initial
  // build is done): for batch jobs and tests that must search what they just wrote. OK at
  // once when the text index is off; its error when it failed.
  absl::Status WaitForTextIndex() const;

  const QueryEngine& engine() const { return *engine_; }
  const Database& database() const { return *database_; }
  const RegionTable& regions() const { return *regions_; }
  const FellegiSunterModel& model() const { return *model_; }
  const NameNormalizer& names() const { return *names_; }
  const AddressNormalizer& addresses() const { return *addresses_; }
  DataFolderStats Stats() const;

  // Stops the text indexer (committing what it has), syncs the log. Idempotent.
  void Close();

 private:
  DataFolder() = default;

  std::unique_ptr<RegionTable> regions_;
  std::unique_ptr<NameNormalizer> names_;
  std::unique_ptr<AddressNormalizer> addresses_;
  std::unique_ptr<FellegiSunterModel> model_;
  std::unique_ptr<TextSearchBackend> text_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<QueryEngine> engine_;
  std::string dir_;
};

}  // namespace padan
