// ServingBackend: what the HTTP API needs from the data it serves — the query engine, the region
// table, durable writes and statistics. `padan serve` adapts a DataFolder to it; tests adapt an
// in-memory Database, so the server can be tested without files on disk.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
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

// What /v1/stats and /metrics report about the data (DataFolderStats, as the server sees it).
struct ServingStats {
  uint64_t persons = 0;     // live
  uint64_t households = 0;  // live
  Registry::MemoryBreakdown memory;
  uint64_t log_bytes = 0;
  uint64_t last_sequence = 0;
  RecoveryReport recovery;
  std::string model_version;
  std::string text_index_state;  // "off", "building", "ready", "failed: ..."
  uint64_t text_index_documents = 0;
  uint64_t text_index_disk_bytes = 0;
};

// Implementations must be thread-safe: every method is called from many I/O threads at once.
class ServingBackend {
 public:
  virtual ~ServingBackend() = default;
  virtual const QueryEngine& engine() const = 0;
  virtual const RegionTable& regions() const = 0;
  // What a batch job over the whole registry needs beyond the engine (the dedup job copies the
  // registry with them: index/registry_copy.h).
  virtual const Database& database() const = 0;
  virtual const FellegiSunterModel& model() const = 0;
  virtual const NameNormalizer& names() const = 0;
  virtual const AddressNormalizer& addresses() const = 0;
  // Durable once it returns (DataFolder::Write), and `precondition` held when it was applied
  // (Database::Write). kInvalidArgument for a mutation the registry refuses, kNotFound for
  // deleting an absent household, or the precondition's status.
  virtual absl::Status Write(absl::Span<const Mutation> mutations,
                             const Database::Precondition& precondition) = 0;
  virtual ServingStats Stats() const = 0;
};

}  // namespace padan
