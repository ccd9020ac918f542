#include "matching/em_trainer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"

#include "data/absl_strings.h"

namespace padan {
namespace {

// Smoothing for u counts: a level never seen among random pairs is rare, not impossible.
constexpr double kUPseudoCount = 0.5;
// m never falls below this: a level no match showed in training may still occur in real data
// (a DOB typo the training data lacked must cost bits, not veto the pair). It is the
// Dirichlet-style floor that keeps EM from overfitting the training set's corruptions.
constexpr double kMinM = 1e-3;

// A training blocking rule: a key per record (empty: the record is not blocked) and the fields
// whose m the rule's pairs cannot estimate.
struct TrainingRule {
  std::string name;
  std::function<std::string(const MatchRecord&)> key;
  std::vector<FieldKind> blocked_fields;
};

std::vector<TrainingRule> TrainingRules() {
  return {
      {"nik",
       [](const MatchRecord& r) { return r.nik == 0 ? std::string() : std::to_string(r.nik); },
       {FieldKind::kNik}},
      {"nama_phonetic+birth_year",
       [](const MatchRecord& r) {
         if (r.nama.phonetic_sorted.empty() || r.tanggal_lahir.missing()) return std::string();
         return StrCat(r.nama.phonetic_sorted, "|", r.tanggal_lahir.year());
       },
       {FieldKind::kNama, FieldKind::kTanggalLahir}},
      {"tanggal_lahir+kab_kota",
       [](const MatchRecord& r) {
         if (r.tanggal_lahir.precision() != DatePrecision::kDay || r.kode_wilayah == 0) {
           return std::string();
         }
         return StrCat(r.tanggal_lahir.days(), "|",
                       AncestorCode(r.kode_wilayah, RegionLevel::kKabKota));
       },
       {FieldKind::kTanggalLahir, FieldKind::kKodeWilayah}},
  };
}

// Pairs (i < j) of records sharing a key, at most max_block_size records per key.
std::vector<std::pair<uint32_t, uint32_t>> BlockedPairs(absl::Span<const MatchRecord> records,
                                                        const TrainingRule& rule,
                                                        size_t max_block_size) {
  absl::flat_hash_map<std::string, std::vector<uint32_t>> blocks;
  for (uint32_t i = 0; i < records.size(); ++i) {
    std::string key = rule.key(records[i]);
    if (key.empty()) continue;
    std::vector<uint32_t>& block = blocks[key];
    if (block.size() < max_block_size) block.push_back(i);
  }
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (const auto& [key, block] : blocks) {
    for (size_t a = 0; a < block.size(); ++a) {
      for (size_t b = a + 1; b < block.size(); ++b) pairs.emplace_back(block[a], block[b]);
    }
  }
  // Hash-map order is not deterministic across builds; the pair list must be.
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

void EstimateU(absl::Span<const MatchRecord> records, const TrainingOptions& options,
               FellegiSunterModel* model) {
  const ComparisonSpec& spec = model->spec();
  std::vector<std::vector<double>> counts(spec.fields.size());
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    counts[f].assign(spec.fields[f].level_count(), 0.0);
  }
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<size_t> pick(0, records.size() - 1);
  for (size_t n = 0; n < options.random_pairs; ++n) {
    size_t i = pick(rng);
    size_t j = pick(rng);
    if (i == j) continue;
    ComparisonVector vector = Compare(spec, records[i], records[j]);
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      if (vector.levels[f] != kMissingLevel) counts[f][vector.levels[f]] += 1;
    }
  }
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    double total = 0;
    for (double count : counts[f]) total += count + kUPseudoCount;
    for (size_t l = 0; l < counts[f].size(); ++l) {
      model->set_u(f, l, (counts[f][l] + kUPseudoCount) / total);
    }
  }

  // u given equal birth dates: random pairs drawn within groups of records born the same day.
  std::vector<size_t> conditional;
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    if (!spec.fields[f].u_given.empty()) conditional.push_back(f);
  }
  if (conditional.empty()) return;
  absl::flat_hash_map<int32_t, std::vector<uint32_t>> by_birth_date;
  for (uint32_t i = 0; i < records.size(); ++i) {
    if (records[i].tanggal_lahir.precision() == DatePrecision::kDay) {
      by_birth_date[records[i].tanggal_lahir.days()].push_back(i);
    }
  }
  // Records in groups of two or more, in a deterministic order.
  std::vector<std::pair<int32_t, const std::vector<uint32_t>*>> groups;
  std::vector<uint32_t> members;  // index into groups, one entry per record in a group
  for (const auto& [days, group] : by_birth_date) {
    if (group.size() >= 2) groups.emplace_back(days, &group);
  }
  std::sort(groups.begin(), groups.end());
  for (uint32_t g = 0; g < groups.size(); ++g) {
    members.insert(members.end(), groups[g].second->size(), g);
  }
  // Among people born the same day the share of true matches is far higher than among random
  // pairs, enough to inflate u for the levels matches reach (an equal NIK above all). Pairs
  // whose names agree at any level are left out: for different persons, name similarity says
  // nothing about their NIKs, so leaving them out removes the matches without biasing u.
  const FieldSpec* name_field = nullptr;
  for (const FieldSpec& field : spec.fields) {
    if (field.kind == FieldKind::kNama) name_field = &field;
  }
  for (size_t f : conditional) {
    std::vector<double> given(spec.fields[f].level_count(), 0.0);
    if (!members.empty()) {
      std::uniform_int_distribution<size_t> pick_member(0, members.size() - 1);
      for (size_t n = 0; n < options.random_pairs; ++n) {
        const std::vector<uint32_t>& group = *groups[members[pick_member(rng)]].second;
        std::uniform_int_distribution<size_t> pick_in(0, group.size() - 1);
        size_t i = pick_in(rng);
        size_t j = pick_in(rng);
        if (i == j) continue;
        if (name_field != nullptr) {
          uint8_t names = CompareField(*name_field, records[group[i]], records[group[j]]);
          if (names != kMissingLevel && names != name_field->else_level()) continue;
        }
        uint8_t level = CompareField(spec.fields[f], records[group[i]], records[group[j]]);
        if (level != kMissingLevel) given[level] += 1;
      }
    }
    double total = 0;
    for (double count : given) total += count + kUPseudoCount;
    for (size_t l = 0; l < given.size(); ++l) {
      model->set_u_given(f, l, (given[l] + kUPseudoCount) / total);
    }
  }
}

// A starting point EM converges from reliably: most matches agree on the strongest level.
void InitialiseM(FellegiSunterModel* model) {
  const ComparisonSpec& spec = model->spec();
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    size_t levels = spec.fields[f].level_count();
    std::vector<double> m(levels, 0.0);
    m[0] = 0.8;
    m[levels - 1] = 0.05;
    for (size_t l = 1; l + 1 < levels; ++l) m[l] = 0.15 / static_cast<double>(levels - 2);
    if (levels == 2) m[0] = 0.95;
    for (size_t l = 0; l < levels; ++l) model->set_m(f, l, m[l]);
  }
}

std::string ModelVersion(const FellegiSunterModel& model) {
  // Identifies the parameters, not the moment: the same data and seed give the same version.
  uint64_t hash = 14695981039346656037ULL;
  auto mix = [&hash](double value) {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    for (int i = 0; i < 8; ++i) {
      hash ^= (bits >> (8 * i)) & 0xff;
      hash *= 1099511628211ULL;
    }
  };
  for (size_t f = 0; f < model.field_count(); ++f) {
    for (size_t l = 0; l < model.spec().fields[f].level_count(); ++l) {
      mix(model.m(f, l));
      mix(model.u(f, l));
      if (!model.spec().fields[f].u_given.empty()) mix(model.u_given(f, l));
    }
  }
  mix(model.lambda());
  return absl::StrFormat("fs1-%s-%016x", model.spec().Fingerprint().substr(0, 8), hash);
}

}  // namespace

std::string TrainingReport::ToJson() const {
  std::string json =
      absl::StrFormat("{\"records\": %d, \"random_pairs\": %d, \"lambda\": %.6g, \"sessions\": [",
                      records, random_pairs, lambda);
  for (size_t i = 0; i < sessions.size(); ++i) {
    const EmSessionReport& s = sessions[i];
    std::string estimated;
    for (size_t e = 0; e < s.estimated.size(); ++e) {
      absl::StrAppendFormat(&estimated, "%s\"%s\"", e > 0 ? ", " : "", s.estimated[e]);
    }
    absl::StrAppendFormat(&json,
                          "%s{\"blocking\": \"%s\", \"estimated\": [%s], \"pairs\": %d, "
                          "\"patterns\": %d, \"iterations\": %d, \"converged\": %s, "
                          "\"lambda\": %.6g, \"expected_matches\": %.1f}",
                          i > 0 ? ", " : "", s.blocking, estimated, s.pairs, s.patterns,
                          s.iterations, s.converged ? "true" : "false", s.lambda,
                          s.expected_matches);
  }
  json += "]}";
  return json;
}

EmSessionReport RunEm(const std::vector<std::pair<ComparisonVector, uint64_t>>& patterns,
                      const std::vector<bool>& estimate, double initial_lambda,
                      const TrainingOptions& options, FellegiSunterModel* model) {
  const ComparisonSpec& spec = model->spec();
  const size_t fields = spec.fields.size();
  EmSessionReport report;
  report.patterns = patterns.size();
  double lambda = initial_lambda;
  std::vector<std::vector<double>> log_u(fields);
  std::vector<std::vector<double>> log_u_given(fields);
  for (size_t f = 0; f < fields; ++f) {
    for (size_t l = 0; l < spec.fields[f].level_count(); ++l) {
      log_u[f].push_back(std::log(model->u(f, l)));
      if (!spec.fields[f].u_given.empty()) log_u_given[f].push_back(std::log(model->u_given(f, l)));
    }
  }
  double total = 0;
  for (const auto& [pattern, count] : patterns) total += static_cast<double>(count);
  report.pairs = static_cast<uint64_t>(total);

  std::vector<std::vector<double>> numerators(fields);
  std::vector<double> denominators(fields);
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    for (size_t f = 0; f < fields; ++f) {
      numerators[f].assign(spec.fields[f].level_count(), 0.0);
      denominators[f] = 0;
    }
    double expected_matches = 0;
    // E step: P(match | pattern) with the current m, λ and the fixed u. Only the estimated
    // fields enter the likelihood; the blocked ones say nothing about this session's pairs.
    for (const auto& [pattern, count] : patterns) {
      double log_match = std::log(lambda);
      double log_non_match = std::log1p(-lambda);
      for (size_t f = 0; f < fields; ++f) {
        uint8_t level = pattern.levels[f];
        if (!estimate[f] || level == kMissingLevel) continue;
        log_match += std::log(model->m(f, level));
        int given = spec.fields[f].u_given_index;
        bool use_given = given >= 0 && pattern.levels[static_cast<size_t>(given)] == 0;
        log_non_match += use_given ? log_u_given[f][level] : log_u[f][level];
      }
      double p = 1.0 / (1.0 + std::exp(log_non_match - log_match));
      double weight = p * static_cast<double>(count);
      expected_matches += weight;
      for (size_t f = 0; f < fields; ++f) {
        uint8_t level = pattern.levels[f];
        if (!estimate[f] || level == kMissingLevel) continue;
        numerators[f][level] += weight;
        denominators[f] += weight;
      }
    }
    // M step.
    double change = 0;
    for (size_t f = 0; f < fields; ++f) {
      if (!estimate[f] || denominators[f] <= 0) continue;
      double sum = 0;
      std::vector<double> m(numerators[f].size());
      for (size_t l = 0; l < m.size(); ++l) {
        m[l] = std::max(numerators[f][l] / denominators[f], kMinM);
        sum += m[l];
      }
      for (size_t l = 0; l < m.size(); ++l) {
        double value = m[l] / sum;
        change = std::max(change, std::abs(value - model->m(f, l)));
        model->set_m(f, l, value);
      }
    }
    double new_lambda = std::clamp(expected_matches / total, 1e-9, 1 - 1e-9);
    change = std::max(change, std::abs(new_lambda - lambda));
    lambda = new_lambda;
    report.iterations = iteration + 1;
    report.expected_matches = expected_matches;
    if (change < options.tolerance) {
      report.converged = true;
      break;
    }
  }
  report.lambda = lambda;
  for (size_t f = 0; f < fields; ++f) {
    if (estimate[f]) report.estimated.push_back(spec.fields[f].name);
  }
  return report;
}

absl::StatusOr<TrainingReport> TrainModel(absl::Span<const MatchRecord> records,
                                          const TrainingOptions& options,
                                          FellegiSunterModel* model) {
  if (records.size() < 2) {
    return absl::FailedPreconditionError("training needs at least two records");
  }
  const ComparisonSpec& spec = model->spec();
  const size_t fields = spec.fields.size();
  TrainingReport report;
  report.records = records.size();
  report.random_pairs = options.random_pairs;
  EstimateU(records, options, model);

  // Each session starts from the same initial m; its estimates are kept aside and combined.
  std::vector<std::vector<double>> m_sum(fields);
  std::vector<double> m_weight(fields, 0.0);
  for (size_t f = 0; f < fields; ++f) m_sum[f].assign(spec.fields[f].level_count(), 0.0);
  std::vector<std::pair<uint32_t, uint32_t>> all_pairs;

  for (const TrainingRule& rule : TrainingRules()) {
    std::vector<std::pair<uint32_t, uint32_t>> pairs =
        BlockedPairs(records, rule, options.max_block_size);
    if (pairs.empty()) continue;
    std::vector<bool> estimate(fields, true);
    for (size_t f = 0; f < fields; ++f) {
      for (FieldKind blocked : rule.blocked_fields) {
        if (spec.fields[f].kind == blocked) estimate[f] = false;
      }
    }
    absl::flat_hash_map<ComparisonVector, uint64_t> counts;
    for (const auto& [i, j] : pairs) {
      ++counts[Compare(spec, records[i], records[j])];
    }
    all_pairs.insert(all_pairs.end(), pairs.begin(), pairs.end());
    std::vector<std::pair<ComparisonVector, uint64_t>> patterns(counts.begin(), counts.end());
    std::sort(patterns.begin(), patterns.end(),
              [](const auto& a, const auto& b) { return a.first.levels < b.first.levels; });
    FellegiSunterModel session = *model;
    InitialiseM(&session);
    EmSessionReport session_report = RunEm(patterns, estimate, 0.1, options, &session);
    session_report.blocking = rule.name;
    for (size_t f = 0; f < fields; ++f) {
      if (!estimate[f]) continue;
      for (size_t l = 0; l < spec.fields[f].level_count(); ++l) {
        m_sum[f][l] += session.m(f, l) * session_report.expected_matches;
      }
      m_weight[f] += session_report.expected_matches;
    }
    report.sessions.push_back(std::move(session_report));
  }
  if (report.sessions.empty()) {
    return absl::FailedPreconditionError(
        "no training block had two records: the records share no NIK, name and birth year, or "
        "birth date and kab/kota");
  }
  InitialiseM(model);
  const bool use_prior = options.prior != nullptr && options.prior_matches > 0 &&
                         options.prior->spec().Fingerprint() == spec.Fingerprint();
  for (size_t f = 0; f < fields; ++f) {
    double weight = m_weight[f];
    if (use_prior) {
      for (size_t l = 0; l < spec.fields[f].level_count(); ++l) {
        m_sum[f][l] += options.prior->m(f, l) * options.prior_matches;
      }
      weight += options.prior_matches;
    }
    if (weight <= 0) continue;
    for (size_t l = 0; l < spec.fields[f].level_count(); ++l) {
      model->set_m(f, l, std::max(m_sum[f][l] / weight, kMinM));
    }
  }

  // λ over all pairs: the blocked pairs hold (nearly) every match, so the expected number of
  // matches among them over the number of all pairs. The expectation depends on λ itself;
  // a few fixed-point steps settle it.
  // Sorted, so the sums below run in the same order every time.
  std::sort(all_pairs.begin(), all_pairs.end());
  all_pairs.erase(std::unique(all_pairs.begin(), all_pairs.end()), all_pairs.end());
  double total_pairs =
      static_cast<double>(records.size()) * static_cast<double>(records.size() - 1) / 2;
  std::vector<double> pair_weights;  // Σ log2(m/u) per blocked pair, λ excluded
  pair_weights.reserve(all_pairs.size());
  for (const auto& [i, j] : all_pairs) {
    ComparisonVector vector = Compare(spec, records[i], records[j]);
    double weight = 0;
    for (size_t f = 0; f < fields; ++f) {
      if (vector.levels[f] != kMissingLevel) {
        weight += model->LevelWeight(f, vector.levels[f], vector);
      }
    }
    pair_weights.push_back(weight);
  }
  const double min_lambda = 1.0 / static_cast<double>(records.size());
  double lambda =
      std::max(std::max(report.sessions.front().expected_matches, 1.0) / total_pairs, min_lambda);
  for (int step = 0; step < 20; ++step) {
    double prior = std::log2(lambda / (1 - lambda));
    double expected = 0;
    for (double weight : pair_weights) {
      expected += FellegiSunterModel::ProbabilityFromWeight(prior + weight);
    }
    double next = std::clamp(expected / total_pairs, min_lambda, 0.5);
    if (std::abs(next - lambda) <= 1e-3 * lambda) {
      lambda = next;
      break;
    }
    lambda = next;
  }
  model->set_lambda(lambda);
  report.lambda = lambda;
  model->set_version(ModelVersion(*model));
  model->set_training_json(report.ToJson());
  return report;
}

}  // namespace padan
