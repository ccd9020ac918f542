#include "matching/verivali_diff.h"

#include <algorithm>

#include "data/field_codes.h"
#include "matching/unicode_fold.h"

namespace padan {
namespace {

bool IsWordByte(unsigned char c) { return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); }

// Folded tokens: apostrophes vanish inside words, every other punctuation separates.
std::vector<std::string> FoldedTokens(std::string_view raw) {
  const std::string folded = UnicodeFold(raw);
  std::vector<std::string> tokens;
  std::string current;
  for (char ch : folded) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\'' || c == '`') continue;
    if (IsWordByte(c)) {
      current.push_back(ch);
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

// Marks written with a name that say nothing about it ("Alm. Sutrisno").
bool IsDeceasedMark(std::string_view token) {
  return token == "alm" || token == "almh" || token == "almarhum" || token == "almarhumah" ||
         token == "mendiang";
}

Hubungan HubunganClass(Hubungan h) {
  if (h == Hubungan::kMertua) return Hubungan::kOrangTua;
  if (h == Hubungan::kFamiliLain) return Hubungan::kLainnya;
  return h;
}

}  // namespace

bool SameHubungan(Hubungan a, Hubungan b) { return HubunganClass(a) == HubunganClass(b); }

PersonDiffer::PersonDiffer(const NameNormalizer& names) : names_(names) {}

std::string PersonDiffer::ComparableName(std::string_view nama) const {
  std::vector<std::string> tokens = FoldedTokens(nama);
  const NormalizedName normalized = names_.Normalize(nama);
  // The normaliser's titles, split into tokens, each removed once from the written tokens.
  std::vector<std::string> titles;
  for (const std::string& title : normalized.titles) {
    for (std::string& t : FoldedTokens(title)) titles.push_back(std::move(t));
  }
  std::string out;
  for (std::string& token : tokens) {
    auto title = std::find(titles.begin(), titles.end(), token);
    if (title != titles.end()) {
      titles.erase(title);
      continue;
    }
    if (IsDeceasedMark(token)) continue;
    if (!out.empty()) out.push_back(' ');
    out.append(token);
  }
  return out;
}

std::vector<FieldChange> PersonDiffer::Diff(const Person& listed, const Person& found) const {
  std::vector<FieldChange> changes;
  if (!found.nama.empty() && ComparableName(listed.nama) != ComparableName(found.nama)) {
    changes.push_back({"nama", listed.nama, found.nama});
  }
  if (!found.nik.empty() && listed.nik != found.nik) {
    changes.push_back({"nik", listed.nik, found.nik});
  }
  if (!found.tanggal_lahir.missing() && !(listed.tanggal_lahir == found.tanggal_lahir)) {
    changes.push_back({"tanggal_lahir",
                       listed.tanggal_lahir.missing() ? listed.tanggal_lahir_text
                                                      : listed.tanggal_lahir.ToString(),
                       found.tanggal_lahir.ToString()});
  }
  if (found.jenis_kelamin != Sex::kUnknown && listed.jenis_kelamin != found.jenis_kelamin) {
    changes.push_back({"jenis_kelamin", std::string(SexCode(listed.jenis_kelamin)),
                       std::string(SexCode(found.jenis_kelamin))});
  }
  if (found.hubungan != Hubungan::kUnknown && !SameHubungan(listed.hubungan, found.hubungan)) {
    changes.push_back({"hubungan", std::string(HubunganLabel(listed.hubungan)),
                       std::string(HubunganLabel(found.hubungan))});
  }
  if (found.status_kawin != StatusKawin::kUnknown && listed.status_kawin != found.status_kawin) {
    changes.push_back({"status_kawin", std::string(StatusKawinLabel(listed.status_kawin)),
                       std::string(StatusKawinLabel(found.status_kawin))});
  }
  return changes;
}

}  // namespace padan
