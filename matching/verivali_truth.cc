#include "matching/verivali_truth.h"

#include <memory>
#include <optional>

#include "absl/container/flat_hash_map.h"

#include "data/absl_strings.h"
#include "data/row_reader.h"
#include "data/status_macros.h"

namespace padan {
namespace {

bool HasMatchedRecord(VerivaliOutcome o) {
  return o != VerivaliOutcome::kTidakDitemukan && o != VerivaliOutcome::kBaru;
}

absl::StatusOr<int> ColumnIndex(const std::vector<std::string>& columns, std::string_view name,
                                const std::string& path) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return static_cast<int>(i);
  }
  return absl::InvalidArgumentError(StrCat(path, ": line 1: no column '", name, "'"));
}

}  // namespace

TruthTally VerivaliTruthCheck::Overall() const {
  TruthTally all;
  for (const TruthTally& t : by_outcome) {
    all.total += t.total;
    all.outcome_right += t.outcome_right;
    all.right += t.right;
  }
  return all;
}

absl::StatusOr<VerivaliTruthCheck> CheckVerivaliTruth(const std::string& truth_path,
                                                      const VerivaliRecords& prelist,
                                                      const VerivaliRecords& field,
                                                      const VerivaliVerdicts& verdicts) {
  absl::flat_hash_map<std::string_view, uint32_t> prelist_index;
  absl::flat_hash_map<std::string_view, uint32_t> field_index;
  prelist_index.reserve(prelist.persons.size());
  field_index.reserve(field.persons.size());
  for (uint32_t i = 0; i < prelist.persons.size(); ++i) prelist_index[prelist.persons[i].id_art] = i;
  for (uint32_t i = 0; i < field.persons.size(); ++i) field_index[field.persons[i].id_art] = i;

  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader, OpenRowReader(truth_path));
  const std::vector<std::string>& columns = reader->columns();
  PADAN_ASSIGN_OR_RETURN(int side_column, ColumnIndex(columns, "side", truth_path));
  PADAN_ASSIGN_OR_RETURN(int id_column, ColumnIndex(columns, "record_id", truth_path));
  PADAN_ASSIGN_OR_RETURN(int outcome_column, ColumnIndex(columns, "outcome", truth_path));
  PADAN_ASSIGN_OR_RETURN(int matched_column, ColumnIndex(columns, "matched_id", truth_path));

  std::vector<int32_t> prelist_of_field(field.persons.size(), -1);
  for (size_t p = 0; p < verdicts.persons.size(); ++p) {
    if (verdicts.persons[p].field >= 0) {
      prelist_of_field[verdicts.persons[p].field] = static_cast<int32_t>(p);
    }
  }
  VerivaliTruthCheck check;
  std::vector<bool> truth_baru(field.persons.size(), false);
  Row row;
  while (true) {
    PADAN_ASSIGN_OR_RETURN(bool more, reader->Next(&row));
    if (!more) break;
    if (!row.error.empty()) {
      return absl::InvalidArgumentError(StrCat(truth_path, ": line ", row.line, ": ", row.error));
    }
    const std::string_view side = row.fields[side_column];
    const std::string_view id = row.fields[id_column];
    const std::string_view matched = row.fields[matched_column];
    std::optional<VerivaliOutcome> truth = VerivaliOutcomeFromName(row.fields[outcome_column]);
    if (!truth.has_value()) {
      return absl::InvalidArgumentError(StrCat(truth_path, ": line ", row.line,
                                               ": unknown outcome '", row.fields[outcome_column],
                                               "'"));
    }
    TruthTally& tally = check.by_outcome[static_cast<size_t>(*truth)];
    if (side == "prelist") {
      auto it = prelist_index.find(id);
      if (it == prelist_index.end()) {
        ++check.unknown_ids;
        continue;
      }
      const PersonVerdict& v = verdicts.persons[it->second];
      ++tally.total;
      ++check.confusion[static_cast<size_t>(*truth)][static_cast<size_t>(v.outcome)];
      if (v.outcome != *truth) continue;
      ++tally.outcome_right;
      std::string_view ours;
      if (v.outcome == VerivaliOutcome::kGanda && v.ganda_of >= 0) {
        ours = prelist.persons[v.ganda_of].id_art;
      } else if (v.field >= 0) {
        ours = field.persons[v.field].id_art;
      }
      if (!HasMatchedRecord(*truth) || ours == matched) ++tally.right;
    } else if (side == "field") {
      auto it = field_index.find(id);
      if (it == field_index.end()) {
        ++check.unknown_ids;
        continue;
      }
      truth_baru[it->second] = *truth == VerivaliOutcome::kBaru;
      ++tally.total;
      VerivaliOutcome ours = VerivaliOutcome::kBaru;
      if (!verdicts.field_baru[it->second]) {
        const int32_t p = prelist_of_field[it->second];
        ours = p >= 0 ? verdicts.persons[p].outcome : VerivaliOutcome::kDitemukan;
      }
      ++check.confusion[static_cast<size_t>(*truth)][static_cast<size_t>(ours)];
      if (ours == *truth) {
        ++tally.outcome_right;
        ++tally.right;
      }
    } else {
      return absl::InvalidArgumentError(StrCat(truth_path, ": line ", row.line,
                                               ": side must be prelist or field, not '", side,
                                               "'"));
    }
  }
  for (size_t f = 0; f < field.persons.size(); ++f) {
    if (verdicts.field_baru[f] && !truth_baru[f]) ++check.extra_baru;
  }
  return check;
}

}  // namespace padan
