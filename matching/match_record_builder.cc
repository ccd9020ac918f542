#include "matching/match_record_builder.h"

#include <algorithm>

#include "matching/unicode_fold.h"

namespace padan {
namespace {

// Words of a birthplace that name the kind of region, not the place.
bool IsRegionWord(std::string_view word) {
  return word == "kabupaten" || word == "kab" || word == "kota" || word == "kotamadya" ||
         word == "kodya" || word == "kec" || word == "kecamatan" || word == "desa";
}

void CopyName(const NormalizedName& normalized, MatchName* out) {
  out->canonical = normalized.canonical;
  out->token_spans.clear();
  uint16_t offset = 0;
  for (const std::string& token : normalized.tokens) {
    out->token_spans.emplace_back(offset, static_cast<uint16_t>(token.size()));
    offset = static_cast<uint16_t>(offset + token.size() + 1);
  }
  out->low_information_mask = normalized.low_information_mask;
  std::vector<std::string_view> keys(normalized.phonetic_keys.begin(),
                                     normalized.phonetic_keys.end());
  std::sort(keys.begin(), keys.end());
  out->phonetic_sorted.clear();
  for (std::string_view key : keys) {
    if (key.empty()) continue;
    if (!out->phonetic_sorted.empty()) out->phonetic_sorted.push_back(' ');
    out->phonetic_sorted.append(key);
  }
}

}  // namespace

MatchRecordBuilder::MatchRecordBuilder(const NameNormalizer& names,
                                       const AddressNormalizer& addresses)
    : names_(names), addresses_(addresses) {}

void MatchRecordBuilder::BuildName(std::string_view raw, MatchName* out) {
  names_.Normalize(raw, &name_scratch_);
  CopyName(name_scratch_, out);
}

void MatchRecordBuilder::Build(const MatchFields& fields, MatchRecord* out) {
  BuildName(fields.nama, &out->nama);
  BuildName(fields.nama_ibu_kandung, &out->nama_ibu_kandung);
  out->tempat_lahir = NormalizeBirthplace(fields.tempat_lahir);
  out->tanggal_lahir = fields.tanggal_lahir;
  out->jenis_kelamin = fields.jenis_kelamin;
  out->nik = fields.nik;
  out->no_kk = fields.no_kk;
  out->kode_wilayah = fields.kode_wilayah;
  addresses_.Normalize(fields.alamat, &address_scratch_);
  out->alamat = address_scratch_.canonical;
}

void MatchRecordBuilder::Build(const Person& person, const Household& household, MatchRecord* out) {
  MatchFields fields;
  fields.nama = person.nama;
  fields.nama_ibu_kandung = person.nama_ibu_kandung;
  fields.tempat_lahir = person.tempat_lahir;
  fields.alamat = household.alamat;
  fields.tanggal_lahir = person.tanggal_lahir;
  fields.jenis_kelamin = person.jenis_kelamin;
  // Any 16-digit NIK is compared, even one flagged for an unknown kecamatan or impossible
  // date: a typo there is exactly what the one-substitution level catches. Other lengths are
  // 0 (no identifier).
  fields.nik = person.nik_value;
  fields.no_kk = household.no_kk_value;
  fields.kode_wilayah = household.kode_wilayah;
  Build(fields, out);
}

MatchRecord MatchRecordBuilder::Build(const Person& person, const Household& household) {
  MatchRecord record;
  Build(person, household, &record);
  return record;
}

std::string NormalizeBirthplace(std::string_view raw) {
  std::string folded = UnicodeFold(raw);
  std::string out;
  size_t start = 0;
  for (size_t i = 0; i <= folded.size(); ++i) {
    char c = i < folded.size() ? folded[i] : ' ';
    bool word =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    if (word) continue;
    std::string_view token = std::string_view(folded).substr(start, i - start);
    start = i + 1;
    if (token.empty() || IsRegionWord(token)) continue;
    if (!out.empty()) out.push_back(' ');
    out.append(token);
  }
  return out;
}

}  // namespace padan
