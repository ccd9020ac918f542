// Generator: `padan gen`, synthetic DTKS data with ground truth. Writes the SIKS-NG export
// (dtks.csv) and its truth (truth.csv), optionally a verivali pair (prelist.csv,
// field_papi.csv, field_capi.ndjson, prelist_truth.csv), and gen.json with the parameters and
// counts. The output is a function of the options alone: byte-identical for a seed whatever
// the number of threads.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "data/generator/block_generator.h"
#include "data/generator/corruption.h"
#include "data/generator/corruptor.h"
#include "data/generator/duplicate_generator.h"
#include "data/generator/household_generator.h"
#include "data/generator/name_custom_table.h"
#include "data/generator/name_generator.h"
#include "data/generator/prelist_generator.h"
#include "data/generator/region_sampler.h"
#include "data/generator/title_table.h"
#include "data/name_frequency_table.h"
#include "data/population_table.h"
#include "data/region_table.h"

namespace padan::gen {

// Identifies the generator's output format and draws in gen.json; bump it when the same
// options would give different bytes.
inline constexpr std::string_view kGeneratorVersion = "padan-gen/1";

struct GeneratorOptions {
  int64_t persons = 0;  // original persons, exactly
  uint64_t seed = 1;
  double dup_rate = 0;         // share of original persons registered a second time, 0-1
  bool prelist = false;        // also write the verivali pair
  double prelist_share = 0.1;  // share of the population whose kab/kota are in the pre-list
  int threads = 0;             // worker threads; 0: one per core
  std::string out_dir;
};

// The demo data set: a fixed-seed run of about 200,000 persons with duplicates and a verivali
// pair, made on first use and never committed.
GeneratorOptions DemoOptions(std::string out_dir);

// What was written, for gen.json and the CLI's summary.
struct GeneratorReport {
  int64_t persons = 0;
  int64_t households = 0;  // original households
  int64_t duplicate_records = 0;
  int64_t duplicate_households = 0;  // re-registered households
  int64_t exact_copies = 0;          // duplicate records with no person-level corruption
  std::array<int64_t, kCorruptionCount> duplicates_by_corruption{};
  std::array<int64_t, kCorruptionCount> original_problems{};  // originals' NIK / No KK problems
  // Verivali pair.
  int64_t prelist_persons = 0;
  int64_t prelist_households = 0;
  int64_t field_households = 0;
  int64_t field_persons = 0;
  std::array<int64_t, 8> outcomes{};  // by VerivaliOutcome
  int64_t prelist_kab_kota = 0;

  // gen.json: options and counts, keys in a fixed order.
  std::string ToJson(const GeneratorOptions& options) const;
};

// Immutable after Create(); Run() may be called repeatedly (not concurrently on one output
// directory). Holds references to the three tables, which must outlive it.
class Generator {
 public:
  // Persons per block: small enough to spread over threads, large enough that cutting each
  // block's last household to fit changes the size distribution negligibly.
  static constexpr int64_t kBlockPersons = 4096;
  static constexpr int64_t kMaxPersons = 2'000'000'000;
  // Progress: original persons committed so far, of total.
  using Progress = std::function<void(int64_t done, int64_t total)>;

  static absl::StatusOr<std::unique_ptr<Generator>> Create(const RegionTable& regions,
                                                           const PopulationTable& population,
                                                           const NameFrequencyTable& names);

  // kInvalidArgument naming the option when an option is out of range.
  static absl::Status ValidateOptions(const GeneratorOptions& options);

  // Generates and writes every file into options.out_dir (created when missing). Errors:
  // kInvalidArgument for bad options, the file errors of OutputFile (kPermissionDenied,
  // kNotFound, kResourceExhausted when the disk is full...).
  absl::StatusOr<GeneratorReport> Run(const GeneratorOptions& options,
                                      const Progress& progress = nullptr) const;

  // One block in memory, as Run() makes it (benchmarks and tests).
  Block GenerateBlock(uint64_t index, int64_t persons, const GeneratorOptions& options,
                      const std::vector<bool>* prelist_area = nullptr) const;
  // The kab/kota of the verivali area (by RegionSampler index): drawn by seed until their
  // population reaches `share` of the total.
  std::vector<bool> PrelistArea(uint64_t seed, double share) const;

  const RegionSampler& regions() const { return *sampler_; }
  const TitleTable& titles() const { return *titles_; }
  const NameGenerator& names() const { return *names_; }
  const Corruptor& corruptor() const { return *corruptor_; }
  const HouseholdGenerator& households() const { return *households_; }

 private:
  class Committer;
  Generator() = default;

  std::unique_ptr<NameCustomTable> customs_;
  std::unique_ptr<TitleTable> titles_;
  std::unique_ptr<RegionSampler> sampler_;
  std::unique_ptr<NameGenerator> names_;
  std::unique_ptr<HouseholdGenerator> households_;
  std::unique_ptr<Corruptor> corruptor_;
  std::unique_ptr<DuplicateGenerator> duplicates_;
  std::unique_ptr<PrelistGenerator> prelist_;
  std::unique_ptr<BlockGenerator> blocks_;
};

}  // namespace padan::gen
