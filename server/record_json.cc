#include "server/record_json.h"

#include "data/field_codes.h"
#include "data/nik.h"
#include "data/region_table.h"

namespace padan {
namespace {

std::string_view HouseholdStatusCode(HouseholdStatus status) {
  return status == HouseholdStatus::kAktif ? "aktif" : "nonaktif";
}

void WriteProgramArray(JsonWriter& json, ProgramSet programs) {
  json.BeginArray();
  std::string labels = ProgramSetLabel(programs);
  size_t start = 0;
  while (start < labels.size()) {
    size_t end = labels.find(';', start);
    if (end == std::string::npos) end = labels.size();
    if (end > start) json.String(std::string_view(labels).substr(start, end - start));
    start = end + 1;
  }
  json.EndArray();
}

}  // namespace

void WritePerson(JsonWriter& json, const Person& person, bool pii) {
  json.Member("id_art", person.id_art);
  json.Member("id_keluarga", person.id_keluarga);
  json.Member("nik", pii ? person.nik : MaskNik(person.nik));
  json.Member("nama", person.nama);
  json.Member("jenis_kelamin", SexCode(person.jenis_kelamin));
  json.Member("tempat_lahir", person.tempat_lahir);
  json.Member("tanggal_lahir", person.tanggal_lahir.missing() ? person.tanggal_lahir_text
                                                              : person.tanggal_lahir.ToString());
  json.Member("hubungan", HubunganLabel(person.hubungan));
  json.Member("nama_ibu_kandung",
              pii ? person.nama_ibu_kandung : MaskName(person.nama_ibu_kandung));
  json.Member("status_kawin", StatusKawinLabel(person.status_kawin));
  json.Member("pekerjaan", person.pekerjaan);
  json.Member("pendidikan", person.pendidikan);
  json.Member("disabilitas", person.disabilitas);
  json.Member("status_hidup", StatusHidupLabel(person.status_hidup));
  json.Member("nik_valid", (person.flags & (kPersonNikInvalid | kPersonNikMissing)) == 0);
  if (!pii) json.Member("masked", true);
}

void WriteHousehold(JsonWriter& json, const Household& household) {
  json.Member("id_keluarga", household.id_keluarga);
  json.Member("no_kk", household.no_kk);
  json.Member("alamat", household.alamat);
  json.Member("dusun", household.dusun);
  json.Member("rt", household.rt);
  json.Member("rw", household.rw);
  json.Member("kode_wilayah", household.kode_wilayah == 0
                                  ? std::string()
                                  : FormatKodeWilayah(household.kode_wilayah));
  json.Member("desil", static_cast<int>(household.desil));
  json.Key("program");
  WriteProgramArray(json, household.program);
  json.Member("status", HouseholdStatusCode(household.status));
  json.Member("updated_at", household.updated_at.ToString());
}

void WritePersonView(JsonWriter& json, const PersonView& view, bool pii) {
  json.BeginObject();
  WritePerson(json, view.person, pii);
  json.Key("keluarga").BeginObject();
  WriteHousehold(json, view.household);
  json.EndObject();
  json.EndObject();
}

void WriteHouseholdView(JsonWriter& json, const HouseholdView& view, bool pii) {
  json.BeginObject();
  WriteHousehold(json, view.household);
  json.Key("anggota").BeginArray();
  for (const Person& member : view.members) {
    json.BeginObject();
    WritePerson(json, member, pii);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
}

void WriteScore(JsonWriter& json, const ScoredPair& score) {
  json.BeginObject();
  json.Member("match_weight", score.match_weight);
  json.Member("match_probability", score.match_probability);
  json.Member("decision", DecisionName(score.decision));
  json.Key("explanation").BeginArray();
  for (const FieldWeight& field : score.explanation) {
    json.BeginObject();
    json.Member("field", field.field).Member("level", field.level).Member("weight", field.weight);
    if (field.tf_adjustment != 0) json.Member("tf_adjustment", field.tf_adjustment);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
}

void WriteMatchCandidate(JsonWriter& json, const MatchCandidate& candidate, bool pii) {
  json.BeginObject();
  json.Key("record");
  WritePersonView(json, candidate.record, pii);
  json.Key("score");
  WriteScore(json, candidate.score);
  json.EndObject();
}

void WriteMatchResult(JsonWriter& json, const MatchResult& result, bool pii) {
  json.BeginObject();
  json.Member("model_version", result.model_version);
  json.Member("candidates_considered", result.candidates_considered);
  json.Key("candidates").BeginArray();
  for (const MatchCandidate& candidate : result.candidates)
    WriteMatchCandidate(json, candidate, pii);
  json.EndArray();
  json.EndObject();
}

}  // namespace padan
