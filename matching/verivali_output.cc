#include "matching/verivali_output.h"

#include <filesystem>
#include <memory>

#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/csv_writer.h"
#include "data/field_codes.h"
#include "data/json_writer.h"
#include "data/status_macros.h"

namespace padan {
namespace {

std::string PathIn(const std::string& dir, std::string_view name) {
  return (std::filesystem::path(dir) / std::string(name)).string();
}

std::string KodeText(KodeWilayah code) { return code == 0 ? std::string() : StrCat(code); }

std::string WeightText(float weight) { return absl::StrFormat("%.2f", weight); }

std::string ChangedFieldNames(absl::Span<const FieldChange> changes) {
  std::string out;
  for (const FieldChange& c : changes) StrAppend(&out, out.empty() ? "" : ";", c.field);
  return out;
}

std::string_view StatusArtText(StatusArt status) {
  switch (status) {
    case StatusArt::kTinggal:
      return "tinggal";
    case StatusArt::kMeninggal:
      return "meninggal";
    case StatusArt::kPindah:
      return "pindah";
  }
  return "";
}

// The id of the record an outcome points at: the field record, or for ganda the pre-list
// record the person is listed under already.
std::string_view MatchedId(const PersonVerdict& v, const VerivaliRecords& prelist,
                           const VerivaliRecords& field) {
  if (v.outcome == VerivaliOutcome::kGanda && v.ganda_of >= 0) {
    return prelist.persons[v.ganda_of].id_art;
  }
  if (v.field >= 0) return field.persons[v.field].id_art;
  return {};
}

void CountColumns(std::string_view prefix, CsvWriter* csv) {
  for (VerivaliOutcome o : kAllVerivaliOutcomes) csv->Field(StrCat(prefix, VerivaliOutcomeName(o)));
}

absl::Status WriteRegionCsv(const std::string& path, const std::vector<RegionCounts>& rows) {
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<CsvWriter> csv, CsvWriter::Open(path));
  csv->Field("kode_wilayah");
  csv->Field("nama");
  csv->Field("art_prelist");
  CountColumns("art_", csv.get());
  csv->Field("keluarga_prelist");
  CountColumns("keluarga_", csv.get());
  PADAN_RETURN_IF_ERROR(csv->EndRow());
  for (const RegionCounts& r : rows) {
    csv->Field(KodeText(r.code));
    csv->Field(r.nama);
    csv->Field(r.counts.listed_persons());
    for (int64_t n : r.counts.persons) csv->Field(n);
    csv->Field(r.counts.listed_households());
    for (int64_t n : r.counts.households) csv->Field(n);
    PADAN_RETURN_IF_ERROR(csv->EndRow());
  }
  return csv->Close();
}

void CountsJson(const OutcomeCounts& counts, JsonWriter* json) {
  json->Key("art").BeginObject();
  for (VerivaliOutcome o : kAllVerivaliOutcomes) json->Member(VerivaliOutcomeName(o), counts.person(o));
  json->EndObject().Key("keluarga").BeginObject();
  for (VerivaliOutcome o : kAllVerivaliOutcomes) {
    json->Member(VerivaliOutcomeName(o), counts.household(o));
  }
  json->EndObject();
}

}  // namespace

std::string ChangesText(absl::Span<const FieldChange> changes) {
  std::string out;
  for (const FieldChange& c : changes) {
    StrAppend(&out, out.empty() ? "" : "; ", c.field, ": ", c.old_value, " → ", c.new_value);
  }
  return out;
}

absl::Status WriteVerivaliRecords(const std::string& dir, const VerivaliRecords& prelist,
                                  const VerivaliRecords& field,
                                  absl::Span<const KodeWilayah> prelist_desa,
                                  absl::Span<const KodeWilayah> field_desa,
                                  const VerivaliVerdicts& verdicts,
                                  std::vector<std::string>* files) {
  {
    PADAN_ASSIGN_OR_RETURN(std::unique_ptr<CsvWriter> csv,
                           CsvWriter::Open(PathIn(dir, "persons.csv")));
    PADAN_ASSIGN_OR_RETURN(std::unique_ptr<CsvWriter> ndjson,
                           CsvWriter::Open(PathIn(dir, "persons.ndjson")));
    for (std::string_view column :
         {"id_art", "id_keluarga", "nama", "nik", "tanggal_lahir", "kode_wilayah", "outcome",
          "matched_id", "matched_kode_wilayah", "match_weight", "changed_fields", "changes"}) {
      csv->Field(column);
    }
    PADAN_RETURN_IF_ERROR(csv->EndRow());
    for (size_t p = 0; p < prelist.persons.size(); ++p) {
      const Person& person = prelist.persons[p];
      const PersonVerdict& v = verdicts.persons[p];
      const std::string_view outcome = VerivaliOutcomeName(v.outcome);
      const std::string_view matched = MatchedId(v, prelist, field);
      const KodeWilayah matched_desa =
          v.outcome == VerivaliOutcome::kGanda && v.ganda_of >= 0 ? prelist_desa[v.ganda_of]
          : v.field >= 0                                          ? field_desa[v.field]
                                                                  : 0;
      const std::string weight = matched.empty() ? std::string() : WeightText(v.weight);
      csv->Field(person.id_art);
      csv->Field(person.id_keluarga);
      csv->Field(person.nama);
      csv->Field(person.nik);
      csv->Field(person.tanggal_lahir.missing() ? person.tanggal_lahir_text
                                                : person.tanggal_lahir.ToString());
      csv->Field(KodeText(prelist_desa[p]));
      csv->Field(outcome);
      csv->Field(matched);
      csv->Field(KodeText(matched_desa));
      csv->Field(weight);
      csv->Field(ChangedFieldNames(v.changes));
      csv->Field(ChangesText(v.changes));
      PADAN_RETURN_IF_ERROR(csv->EndRow());

      JsonWriter json;
      json.BeginObject()
          .Member("id_art", person.id_art)
          .Member("id_keluarga", person.id_keluarga)
          .Member("nama", person.nama)
          .Member("kode_wilayah", KodeText(prelist_desa[p]))
          .Member("outcome", outcome);
      if (!matched.empty()) {
        json.Member("matched_id", matched)
            .Member("matched_kode_wilayah", KodeText(matched_desa))
            .Member("match_weight", static_cast<double>(v.weight));
      }
      json.Key("changes").BeginArray();
      for (const FieldChange& c : v.changes) {
        json.BeginObject()
            .Member("field", c.field)
            .Member("old", c.old_value)
            .Member("new", c.new_value)
            .EndObject();
      }
      json.EndArray().EndObject();
      PADAN_RETURN_IF_ERROR(ndjson->RawLine(json.Release()));
    }
    PADAN_RETURN_IF_ERROR(csv->Close());
    PADAN_RETURN_IF_ERROR(ndjson->Close());
    files->push_back("persons.csv");
    files->push_back("persons.ndjson");
  }
  {
    PADAN_ASSIGN_OR_RETURN(std::unique_ptr<CsvWriter> csv,
                           CsvWriter::Open(PathIn(dir, "households.csv")));
    for (std::string_view column : {"id_keluarga", "no_kk", "kode_wilayah", "outcome",
                                    "matched_id_keluarga", "matched_kode_wilayah", "members"}) {
      csv->Field(column);
    }
    CountColumns("art_", csv.get());
    PADAN_RETURN_IF_ERROR(csv->EndRow());
    std::vector<KodeWilayah> household_desa(prelist.households.size(), 0);
    for (size_t p = 0; p < prelist.persons.size(); ++p) {
      household_desa[prelist.household_of[p]] = prelist_desa[p];
    }
    std::vector<KodeWilayah> field_household_desa(field.households.size(), 0);
    for (size_t f = 0; f < field.persons.size(); ++f) {
      field_household_desa[field.household_of[f]] = field_desa[f];
    }
    for (size_t h = 0; h < prelist.households.size(); ++h) {
      const HouseholdVerdict& v = verdicts.households[h];
      csv->Field(prelist.households[h].id_keluarga);
      csv->Field(prelist.households[h].no_kk);
      csv->Field(KodeText(household_desa[h]));
      csv->Field(VerivaliOutcomeName(v.outcome));
      if (v.field_household >= 0) {
        csv->Field(field.households[v.field_household].id_keluarga);
        csv->Field(KodeText(field_household_desa[v.field_household]));
      } else {
        csv->Field("");
        csv->Field("");
      }
      csv->Field(static_cast<int64_t>(v.members));
      for (size_t o = 0; o < kVerivaliOutcomeCount; ++o) {
        csv->Field(static_cast<int64_t>(o == static_cast<size_t>(VerivaliOutcome::kBaru)
                                            ? v.new_members
                                            : v.member_outcomes[o]));
      }
      PADAN_RETURN_IF_ERROR(csv->EndRow());
    }
    PADAN_RETURN_IF_ERROR(csv->Close());
    files->push_back("households.csv");
  }
  {
    PADAN_ASSIGN_OR_RETURN(std::unique_ptr<CsvWriter> csv, CsvWriter::Open(PathIn(dir, "baru.csv")));
    for (std::string_view column :
         {"id_art", "id_keluarga", "nama", "nik", "jenis_kelamin", "tanggal_lahir", "hubungan",
          "status_kawin", "status_art", "kode_wilayah", "household_baru"}) {
      csv->Field(column);
    }
    PADAN_RETURN_IF_ERROR(csv->EndRow());
    for (size_t f = 0; f < field.persons.size(); ++f) {
      if (!verdicts.field_baru[f]) continue;
      const Person& person = field.persons[f];
      csv->Field(person.id_art);
      csv->Field(person.id_keluarga);
      csv->Field(person.nama);
      csv->Field(person.nik);
      csv->Field(SexCode(person.jenis_kelamin));
      csv->Field(person.tanggal_lahir.missing() ? person.tanggal_lahir_text
                                                : person.tanggal_lahir.ToString());
      csv->Field(HubunganLabel(person.hubungan));
      csv->Field(StatusKawinLabel(person.status_kawin));
      csv->Field(StatusArtText(field.status_art[f]));
      csv->Field(KodeText(field_desa[f]));
      csv->Field(verdicts.field_household_baru[field.household_of[f]] ? "ya" : "tidak");
      PADAN_RETURN_IF_ERROR(csv->EndRow());
    }
    PADAN_RETURN_IF_ERROR(csv->Close());
    files->push_back("baru.csv");
  }
  return absl::OkStatus();
}

absl::Status WriteVerivaliSummaries(const std::string& dir, const VerivaliSummary& summary,
                                    std::vector<std::string>* files) {
  PADAN_RETURN_IF_ERROR(WriteRegionCsv(PathIn(dir, "summary_kab_kota.csv"), summary.kab_kota));
  PADAN_RETURN_IF_ERROR(WriteRegionCsv(PathIn(dir, "summary_kecamatan.csv"), summary.kecamatan));
  PADAN_RETURN_IF_ERROR(WriteRegionCsv(PathIn(dir, "summary_desa.csv"), summary.desa));
  files->push_back("summary_kab_kota.csv");
  files->push_back("summary_kecamatan.csv");
  files->push_back("summary_desa.csv");
  return absl::OkStatus();
}

std::string VerivaliSummaryJson(const VerivaliSummary& s, const VerivaliTruthCheck* truth) {
  JsonWriter json;
  json.BeginObject()
      .Member("prelist", s.prelist_path)
      .Member("field", s.field_path)
      .Member("prelist_persons", s.prelist_persons)
      .Member("prelist_households", s.prelist_households)
      .Member("field_persons", s.field_persons)
      .Member("field_households", s.field_households)
      .Key("total")
      .BeginObject();
  CountsJson(s.total, &json);
  json.EndObject().Key("changed_fields").BeginObject();
  for (const auto& [name, n] : s.changed_fields) json.Member(name, n);
  json.EndObject();
  auto regions = [&](std::string_view key, const std::vector<RegionCounts>& rows) {
    json.Key(key).BeginArray();
    for (const RegionCounts& r : rows) {
      json.BeginObject().Member("kode_wilayah", KodeText(r.code)).Member("nama", r.nama);
      CountsJson(r.counts, &json);
      json.EndObject();
    }
    json.EndArray();
  };
  regions("kab_kota", s.kab_kota);
  regions("kecamatan", s.kecamatan);
  json.Member("candidate_pairs", s.candidate_pairs)
      .Member("prelist_candidate_pairs", s.prelist_candidate_pairs)
      .Member("matched_pairs", s.matched_pairs)
      .Member("match_threshold", s.match_threshold)
      .Member("model_version", s.model_version)
      .Key("phase_seconds")
      .BeginObject();
  for (const auto& [phase, seconds] : s.phase_seconds) json.Member(phase, seconds);
  json.EndObject().Key("phase_cpu_seconds").BeginObject();
  for (const auto& [phase, seconds] : s.phase_cpu_seconds) json.Member(phase, seconds);
  json.EndObject().Member("seconds", s.seconds);
  if (truth != nullptr) {
    json.Key("truth").BeginObject();
    for (VerivaliOutcome o : kAllVerivaliOutcomes) {
      const TruthTally& t = truth->by_outcome[static_cast<size_t>(o)];
      json.Key(VerivaliOutcomeName(o))
          .BeginObject()
          .Member("total", t.total)
          .Member("outcome_right", t.outcome_right)
          .Member("right", t.right)
          .EndObject();
    }
    const TruthTally all = truth->Overall();
    json.Member("total", all.total)
        .Member("outcome_right", all.outcome_right)
        .Member("right", all.right)
        .Member("extra_baru", truth->extra_baru)
        .Member("unknown_ids", truth->unknown_ids)
        .EndObject();
  }
  json.Key("files").BeginArray();
  for (const std::string& f : s.files) json.String(f);
  json.EndArray().EndObject();
  return json.Release();
}

}  // namespace padan
