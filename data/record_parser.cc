#include "data/record_parser.h"

#include "absl/strings/numbers.h"
#include "data/absl_strings.h"
#include "data/field_error.h"
#include "data/nik.h"

namespace padan {
namespace {

// Desil is a welfare decile.
constexpr int kMaxDesil = 10;

void Assign(std::string* out, std::string_view text) { out->assign(text.data(), text.size()); }

}  // namespace

RecordParser::RecordParser(const RegionTable& regions, HubunganCodes hubungan_codes)
    : regions_(regions), hubungan_codes_(hubungan_codes) {}

absl::Status RecordParser::Parse(const ResolvedMapping& mapping, const Row& row,
                                 Household* household, Person* person) {
  auto get = [&](ImportField field) { return mapping.Get(field, row, &scratch_); };

  // Identity first: without these the row is no person record.
  std::string_view id_art = get(ImportField::kIdArt);
  if (id_art.empty()) return InvalidField("id_art", "is empty; every person needs an id");
  Assign(&person->id_art, id_art);
  std::string_view nama = get(ImportField::kNama);
  if (nama.empty()) return InvalidField("nama", "is empty; every person needs a name");
  Assign(&person->nama, nama);

  person->flags = 0;
  household->flags = 0;

  IdParse nik = Nik::Parse(get(ImportField::kNik), &regions_);
  person->nik_value = nik.value;
  person->nik = std::move(nik.digits);
  if (!nik.valid()) {
    person->flags |= nik.problems.front() == IdProblem::kEmpty ? kPersonNikMissing
                                                               : kPersonNikInvalid;
  }

  std::string_view dob_text = get(ImportField::kTanggalLahir);
  absl::StatusOr<Date> dob = Date::Parse(dob_text, mapping.date_format(ImportField::kTanggalLahir));
  person->tanggal_lahir_text.clear();
  if (dob.ok()) {
    person->tanggal_lahir = *dob;
    if (dob->missing()) person->flags |= kPersonDobMissing;
  } else {
    person->tanggal_lahir = Date();
    Assign(&person->tanggal_lahir_text, dob_text);
    person->flags |= kPersonDobInvalid;
  }

  std::string_view sex_text = get(ImportField::kJenisKelamin);
  std::optional<Sex> sex = ParseSex(sex_text);
  person->jenis_kelamin = sex.value_or(Sex::kUnknown);
  if (!sex.has_value() && !sex_text.empty()) person->flags |= kPersonSexInvalid;

  std::string_view hubungan_text = get(ImportField::kHubungan);
  std::optional<Hubungan> hubungan = ParseHubungan(hubungan_text, hubungan_codes_);
  person->hubungan = hubungan.value_or(Hubungan::kUnknown);
  if (!hubungan.has_value() && !hubungan_text.empty()) person->flags |= kPersonHubunganInvalid;

  std::string_view kawin_text = get(ImportField::kStatusKawin);
  std::optional<StatusKawin> kawin = ParseStatusKawin(kawin_text);
  person->status_kawin = kawin.value_or(StatusKawin::kUnknown);
  if (!kawin.has_value() && !kawin_text.empty()) person->flags |= kPersonStatusKawinInvalid;

  person->status_hidup =
      ParseStatusHidup(get(ImportField::kStatusHidup)).value_or(StatusHidup::kHidup);

  if (person->nik_value != 0) {
    Nik value(person->nik_value);
    if (person->jenis_kelamin != Sex::kUnknown && value.Decode().sex != person->jenis_kelamin) {
      person->flags |= kPersonNikSexConflict;
    }
    if (!value.ConsistentWith(person->tanggal_lahir, Sex::kUnknown)) {
      person->flags |= kPersonNikDobConflict;
    }
  }

  Assign(&person->tempat_lahir, get(ImportField::kTempatLahir));
  Assign(&person->nama_ibu_kandung, get(ImportField::kNamaIbuKandung));
  Assign(&person->pekerjaan, get(ImportField::kPekerjaan));
  Assign(&person->pendidikan, get(ImportField::kPendidikan));
  Assign(&person->disabilitas, get(ImportField::kDisabilitas));

  IdParse no_kk = NoKk::Parse(get(ImportField::kNoKk), &regions_);
  household->no_kk_value = no_kk.value;
  household->no_kk = std::move(no_kk.digits);
  if (!no_kk.valid()) {
    household->flags |= no_kk.problems.front() == IdProblem::kEmpty ? kHouseholdNoKkMissing
                                                                    : kHouseholdNoKkInvalid;
  }

  std::string_view family = get(ImportField::kIdKeluarga);
  if (!family.empty()) {
    Assign(&household->id_keluarga, family);
  } else if (!household->no_kk.empty()) {
    household->id_keluarga = household->no_kk;
  } else {
    household->id_keluarga = person->id_art;
  }
  person->id_keluarga = household->id_keluarga;

  Assign(&household->alamat, get(ImportField::kAlamat));
  Assign(&household->dusun, get(ImportField::kDusun));
  Assign(&household->rt, get(ImportField::kRt));
  Assign(&household->rw, get(ImportField::kRw));
  ParseRegion(mapping, row, household);

  int desil = 0;
  if (!absl::SimpleAtoi(ToAbsl(get(ImportField::kDesil)), &desil) || desil < 1 ||
      desil > kMaxDesil) {
    desil = 0;
  }
  household->desil = static_cast<uint8_t>(desil);
  household->program = ParseProgramSet(get(ImportField::kProgram)).value_or(0);
  household->status =
      ParseHouseholdStatus(get(ImportField::kStatus)).value_or(HouseholdStatus::kAktif);
  absl::StatusOr<Date> updated = Date::Parse(get(ImportField::kUpdatedAt));
  household->updated_at = updated.ok() ? *updated : Date();
  return absl::OkStatus();
}

void RecordParser::ParseRegion(const ResolvedMapping& mapping, const Row& row,
                               Household* household) {
  std::string_view code_text = mapping.Get(ImportField::kKodeWilayah, row, &scratch_);
  if (!code_text.empty()) {
    absl::StatusOr<KodeWilayah> code = ParseKodeWilayah(code_text);
    household->kode_wilayah = code.ok() ? *code : 0;
    if (!code.ok() || LevelOfCode(*code) != RegionLevel::kDesa ||
        regions_.FindAnyEdition(*code) == nullptr) {
      household->flags |= kHouseholdRegionUnknown;
    }
    return;
  }
  // The four names, joined with a byte no name contains, are the cache key.
  static constexpr ImportField kNameFields[4] = {ImportField::kProvinsi,
                                                 ImportField::kKabupatenKota,
                                                 ImportField::kKecamatan, ImportField::kDesa};
  region_key_.clear();
  for (int i = 0; i < 4; ++i) {
    Assign(&region_names_[i], mapping.Get(kNameFields[i], row, &scratch_));
    region_key_.append(region_names_[i]);
    region_key_.push_back('\x1f');
  }
  auto cached = region_cache_.find(region_key_);
  if (cached == region_cache_.end()) {
    RegionResolution resolution = regions_.ResolveNames(region_names_[0], region_names_[1],
                                                        region_names_[2], region_names_[3]);
    ResolvedRegion resolved;
    resolved.code = resolution.code;
    if (resolution.level != RegionLevel::kDesa) resolved.flags |= kHouseholdRegionUnknown;
    if (resolution.ambiguous) resolved.flags |= kHouseholdRegionAmbiguous;
    if (region_cache_.size() >= kMaxCachedRegions) region_cache_.clear();
    cached = region_cache_.emplace(region_key_, resolved).first;
  }
  household->kode_wilayah = cached->second.code;
  household->flags |= cached->second.flags;
}

}  // namespace padan
