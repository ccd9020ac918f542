#include "matching/verivali.h"

#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "data/absl_strings.h"
#include "data/csv_writer.h"
#include "data/status_macros.h"
#include "matching/address_normalizer.h"
#include "matching/comparison_vector.h"
#include "matching/fellegi_sunter_model.h"
#include "matching/levenshtein.h"
#include "matching/match_record_builder.h"
#include "matching/name_normalizer.h"
#include "matching/parallel_for.h"
#include "matching/term_frequencies.h"
#include "matching/verivali_assignment.h"
#include "matching/verivali_diff.h"
#include "matching/verivali_input.h"
#include "matching/verivali_outcomes.h"
#include "matching/verivali_output.h"

namespace padan {
namespace {

// Pairs scored between two checks of the cancel flag and progress reports.
constexpr size_t kScoreBatch = 1 << 18;

using Clock = std::chrono::steady_clock;

// The process's CPU time (all threads), to tell a phase's work from time spent waiting for a
// busy machine.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Times the phases of a run for the summary.
class PhaseTimer {
 public:
  explicit PhaseTimer(VerivaliSummary* summary)
      : summary_(summary), start_(Clock::now()), cpu_start_(ProcessCpuSeconds()) {}
  void End(std::string phase) {
    const Clock::time_point now = Clock::now();
    const double cpu = ProcessCpuSeconds();
    summary_->phase_seconds.emplace_back(phase,
                                         std::chrono::duration<double>(now - start_).count());
    summary_->phase_cpu_seconds.emplace_back(std::move(phase), cpu - cpu_start_);
    start_ = now;
    cpu_start_ = cpu;
  }

 private:
  VerivaliSummary* summary_;
  Clock::time_point start_;
  double cpu_start_;
};

std::vector<KodeWilayah> DesaOfPersons(const VerivaliRecords& records) {
  std::vector<KodeWilayah> desa(records.persons.size());
  for (size_t i = 0; i < desa.size(); ++i) {
    desa[i] = records.households[records.household_of[i]].kode_wilayah;
  }
  return desa;
}

std::vector<MatchRecord> BuildMatchRecords(const VerivaliRecords& records,
                                           const NameNormalizer& names,
                                           const AddressNormalizer& addresses, size_t threads) {
  std::vector<MatchRecord> out(records.persons.size());
  ParallelFor(out.size(), threads, [&](size_t begin, size_t end) {
    MatchRecordBuilder builder(names, addresses);
    for (size_t i = begin; i < end; ++i) {
      builder.Build(records.persons[i], records.households[records.household_of[i]], &out[i]);
    }
  });
  return out;
}

// The match weight verivali ranks and decides by: the model's, with two changes that make a
// listed record copied exactly outrank a listed copy with mistakes, for the same field record.
// - Fields whose u the model conditions on another field (the NIK given equal birth dates)
//   take their unconditional u: the conditional u is right for asking whether two records are
//   one person, but equal dates then lower the NIK's weight more than they add themselves.
// - A field's levels are tried strongest first, yet a trained model can weigh a later level
//   more (the same No KK is commoner among different people than the same desa and address,
//   since a family shares it): a pair meeting the No KK level also gets the address level's
//   weight when that is higher.
double VerivaliWeight(const FellegiSunterModel& model, const MatchRecord& a, const MatchRecord& b,
                      const FrequencyTables& frequencies) {
  const ComparisonSpec& spec = model.spec();
  const ComparisonVector comparison = Compare(spec, a, b);
  double weight = model.MatchWeight(comparison, a, b, &frequencies);
  for (size_t f = 0; f < comparison.size; ++f) {
    const uint8_t level = comparison.levels[f];
    if (level == kMissingLevel) continue;
    const FieldSpec& field = spec.fields[f];
    if (!field.u_given.empty()) {
      weight += model.LevelWeight(f, level) - model.LevelWeight(f, level, comparison);
    }
    if (level < field.levels.size() && field.levels[level].test == LevelTest::kSameNoKk) {
      MatchRecord without_no_kk = b;
      without_no_kk.no_kk = 0;
      const uint8_t next = CompareField(field, a, without_no_kk);
      if (next != kMissingLevel && model.LevelWeight(f, next) > model.LevelWeight(f, level)) {
        weight += model.LevelWeight(f, next) - model.LevelWeight(f, level);
      }
    }
  }
  return weight;
}

std::pair<uint32_t, uint32_t> PairKey(const ScoredCandidate& c) { return {c.prelist, c.field}; }
std::pair<uint32_t, uint32_t> PairKey(const DuplicateCandidate& c) { return {c.a, c.b}; }

// How a pair is weighed: VerivaliWeight to rank pre-list × field candidates; the model's own
// weight to ask whether two pre-list records are one person (the dedup question).
enum class Weighing : uint8_t { kVerivali, kModel };

// Scores `pairs` and keeps those at or above `threshold` as T{a, b, weight}, sorted by pair.
template <typename T>
absl::StatusOr<std::vector<T>> ScorePairs(const std::vector<std::pair<uint32_t, uint32_t>>& pairs,
                                          const std::vector<MatchRecord>& left,
                                          const std::vector<MatchRecord>& right,
                                          const FellegiSunterModel& model,
                                          const FrequencyTables& frequencies, Weighing weighing,
                                          double threshold, size_t threads,
                                          const BatchControl& control) {
  std::vector<T> kept;
  std::mutex mu;
  for (size_t batch = 0; batch < pairs.size(); batch += kScoreBatch) {
    if (control.Cancelled()) return absl::CancelledError("verivali cancelled");
    control.Report("menilai", batch, pairs.size());
    const size_t batch_size = std::min(pairs.size() - batch, kScoreBatch);
    ParallelFor(batch_size, threads, [&](size_t begin, size_t end) {
      std::vector<T> local;
      for (size_t k = batch + begin; k < batch + end; ++k) {
        const MatchRecord& a = left[pairs[k].first];
        const MatchRecord& b = right[pairs[k].second];
        const double weight =
            weighing == Weighing::kVerivali
                ? VerivaliWeight(model, a, b, frequencies)
                : model.MatchWeight(Compare(model.spec(), a, b), a, b, &frequencies);
        if (weight >= threshold) {
          local.push_back(T{pairs[k].first, pairs[k].second, static_cast<float>(weight)});
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      kept.insert(kept.end(), local.begin(), local.end());
    });
  }
  control.Report("menilai", pairs.size(), pairs.size());
  // Threads finish in any order; the result must not depend on it.
  std::sort(kept.begin(), kept.end(), [](const T& x, const T& y) {
    return PairKey(x) < PairKey(y);
  });
  return kept;
}

// Closeness of each pair that competes with another for its pre-list or field record (the
// rest need no tie-break): minus the edit distance of the names as the diff compares them,
// minus one for a differing NIK or birth date.
void SetCloseness(const VerivaliRecords& prelist, const VerivaliRecords& field,
                  const NameNormalizer& names, size_t threads,
                  std::vector<ScoredCandidate>* pairs) {
  std::vector<uint8_t> prelist_pairs(prelist.persons.size(), 0);
  std::vector<uint8_t> field_pairs(field.persons.size(), 0);
  for (const ScoredCandidate& c : *pairs) {
    prelist_pairs[c.prelist] = static_cast<uint8_t>(std::min(2, prelist_pairs[c.prelist] + 1));
    field_pairs[c.field] = static_cast<uint8_t>(std::min(2, field_pairs[c.field] + 1));
  }
  auto competes = [&](const ScoredCandidate& c) {
    return prelist_pairs[c.prelist] > 1 || field_pairs[c.field] > 1;
  };
  // Names of the records in competing pairs, made once each.
  std::vector<bool> prelist_needed(prelist.persons.size(), false);
  std::vector<bool> field_needed(field.persons.size(), false);
  for (const ScoredCandidate& c : *pairs) {
    if (!competes(c)) continue;
    prelist_needed[c.prelist] = true;
    field_needed[c.field] = true;
  }
  const PersonDiffer differ(names);
  std::vector<std::string> prelist_names(prelist.persons.size());
  std::vector<std::string> field_names(field.persons.size());
  ParallelFor(prelist_names.size(), threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (prelist_needed[i]) prelist_names[i] = differ.ComparableName(prelist.persons[i].nama);
    }
  });
  ParallelFor(field_names.size(), threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (field_needed[i]) field_names[i] = differ.ComparableName(field.persons[i].nama);
    }
  });
  ParallelFor(pairs->size(), threads, [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) {
      ScoredCandidate& c = (*pairs)[k];
      if (!competes(c)) continue;
      const Person& a = prelist.persons[c.prelist];
      const Person& b = field.persons[c.field];
      int distance = Levenshtein(prelist_names[c.prelist], field_names[c.field]);
      if (!b.nik.empty() && a.nik != b.nik) ++distance;
      if (!b.tanggal_lahir.missing() && !(a.tanggal_lahir == b.tanggal_lahir)) ++distance;
      c.closeness = -static_cast<float>(distance);
    }
  });
}

}  // namespace

absl::StatusOr<VerivaliResult> RunVerivali(const VerivaliOptions& options,
                                           const RegionTable& regions,
                                           const BatchControl& control) {
  const Clock::time_point start = Clock::now();
  VerivaliResult result;
  VerivaliSummary& summary = result.summary;
  summary.prelist_path = options.prelist_path;
  summary.field_path = options.field_path;
  summary.out_dir = options.out_dir;
  PhaseTimer timer(&summary);

  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<NameNormalizer> names, NameNormalizer::LoadEmbedded());
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<AddressNormalizer> addresses,
                         AddressNormalizer::LoadEmbedded());
  absl::StatusOr<FellegiSunterModel> model = options.model_path.empty()
                                                 ? FellegiSunterModel::LoadDefault()
                                                 : FellegiSunterModel::Load(options.model_path);
  if (!model.ok()) return model.status();
  summary.match_threshold = model->match_threshold();
  summary.model_version = model->version();
  std::error_code error;
  std::filesystem::create_directories(options.out_dir, error);
  if (error) {
    return absl::UnavailableError(
        StrCat("cannot create output folder ", options.out_dir, ": ", error.message()));
  }

  // The two files are read at once; the field file's reader reports no progress (the caller's
  // progress callback runs on one thread), only whether to stop.
  BatchControl quiet;
  quiet.cancel = control.cancel;
  absl::StatusOr<VerivaliRecords> field;
  std::thread field_reader([&] {
    field = ReadVerivaliRecords(options.field_path, options.field_mapping, VerivaliSide::kField,
                                regions, quiet, "membaca hasil lapangan");
  });
  absl::StatusOr<VerivaliRecords> prelist =
      ReadVerivaliRecords(options.prelist_path, options.prelist_mapping, VerivaliSide::kPrelist,
                          regions, control, "membaca pre-list");
  field_reader.join();
  if (!prelist.ok()) return prelist.status();
  if (!field.ok()) return field.status();
  timer.End("membaca");

  const std::vector<KodeWilayah> prelist_desa = DesaOfPersons(*prelist);
  const std::vector<KodeWilayah> field_desa = DesaOfPersons(*field);
  control.Report("menyiapkan", 0, 0);
  const std::vector<MatchRecord> prelist_records =
      BuildMatchRecords(*prelist, *names, *addresses, options.threads);
  const std::vector<MatchRecord> field_records =
      BuildMatchRecords(*field, *names, *addresses, options.threads);
  const FrequencyTables frequencies = BuildFrequencyTables(prelist_records);
  timer.End("menyiapkan");
  if (control.Cancelled()) return absl::CancelledError("verivali cancelled");

  control.Report("memasangkan", 0, 0);
  VerivaliBlockingOptions blocking = options.blocking;
  blocking.threads = options.threads;
  VerivaliCandidates candidates = FindVerivaliCandidates(prelist_records, field_records, blocking);
  summary.candidate_pairs = static_cast<int64_t>(candidates.cross.size());
  timer.End("memasangkan");

  const double threshold = model->match_threshold();
  PADAN_ASSIGN_OR_RETURN(
      std::vector<ScoredCandidate> scored,
      ScorePairs<ScoredCandidate>(candidates.cross, prelist_records, field_records, *model,
                                  frequencies, Weighing::kVerivali, threshold, options.threads,
                                  control));
  SetCloseness(*prelist, *field, *names, options.threads, &scored);
  summary.matched_pairs = static_cast<int64_t>(scored.size());
  candidates.cross = {};

  AssignmentInput input;
  input.pairs = scored;
  input.prelist_desa = prelist_desa;
  input.field_desa = field_desa;
  input.prelist_household = prelist->household_of;
  input.field_household = field->household_of;
  input.prelist_households = prelist->households.size();
  input.field_households = field->households.size();
  const Assignment assignment = AssignOneToOne(input);

  // Only a person left unassigned can be a listing repeated elsewhere: the pre-list pairs
  // between two found persons need no score.
  std::erase_if(candidates.prelist, [&](const std::pair<uint32_t, uint32_t>& pair) {
    return assignment.field_of_prelist[pair.first] >= 0 &&
           assignment.field_of_prelist[pair.second] >= 0;
  });
  summary.prelist_candidate_pairs = static_cast<int64_t>(candidates.prelist.size());
  PADAN_ASSIGN_OR_RETURN(
      std::vector<DuplicateCandidate> duplicates,
      ScorePairs<DuplicateCandidate>(candidates.prelist, prelist_records, prelist_records,
                                     *model, frequencies, Weighing::kModel, threshold,
                                     options.threads, control));
  candidates = VerivaliCandidates();
  timer.End("menilai");

  control.Report("menetapkan", 0, 0);
  PersonDiffer differ(*names);
  const VerivaliVerdicts verdicts =
      DecideVerdicts(*prelist, *field, prelist_desa, field_desa, assignment, duplicates, differ,
                     options.threads);
  CountVerdicts(*prelist, *field, prelist_desa, field_desa, verdicts, regions, &summary);
  timer.End("menetapkan");
  if (control.Cancelled()) return absl::CancelledError("verivali cancelled");

  control.Report("menulis", 0, 0);
  PADAN_RETURN_IF_ERROR(WriteVerivaliRecords(options.out_dir, *prelist, *field, prelist_desa,
                                             field_desa, verdicts, &summary.files));
  PADAN_RETURN_IF_ERROR(WriteVerivaliSummaries(options.out_dir, summary, &summary.files));
  if (!options.truth_path.empty()) {
    PADAN_ASSIGN_OR_RETURN(VerivaliTruthCheck truth,
                           CheckVerivaliTruth(options.truth_path, *prelist, *field, verdicts));
    result.truth = truth;
  }
  timer.End("menulis");
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  summary.files.push_back(std::string(kVerivaliSummaryJson));
  PADAN_ASSIGN_OR_RETURN(
      std::unique_ptr<CsvWriter> json,
      CsvWriter::Open(
          (std::filesystem::path(options.out_dir) / std::string(kVerivaliSummaryJson)).string()));
  PADAN_RETURN_IF_ERROR(
      json->RawLine(VerivaliSummaryJson(summary, result.truth ? &*result.truth : nullptr)));
  PADAN_RETURN_IF_ERROR(json->Close());
  return result;
}

}  // namespace padan
