#include "data/generator/name_generator.h"

#include <array>

#include "absl/container/flat_hash_set.h"

#include "data/generator/old_spelling.h"

namespace padan::gen {
namespace {

// Shares of name shapes, from the editor's reading of registry extracts: they set how often a
// custom's structure occurs, not facts about any one person.
constexpr double kOldSpellingShareBornBefore1960 = 0.12;
constexpr int kOldSpellingLastBirthYear = 1960;
constexpr int kOldFormLastBirthYear = 1965;
constexpr double kOldFormShare = 0.25;
constexpr double kBalineseCasteShare = 0.07;
constexpr double kBatakBoruMarkerShare = 0.2;
constexpr double kChineseOldStyleShare = 0.45;
constexpr int kChineseOldStyleLastBirthYear = 1967;  // the 1966-67 name-change regulation

// Tokens that are titles, particles or honorifics rather than names; the frequency table has a
// few of them because its source split full names naively.
constexpr std::array<std::string_view, 16> kNotNames = {
    "bin",   "binti", "alm", "almh",  "almarhum", "almarhumah", "haji",  "hajjah",
    "hajah", "drs",   "dra", "bapak", "ibu",      "boru",       "raden", "nyonya",
};

int SexIndex(Sex sex) { return sex == Sex::kPerempuan ? 1 : 0; }

}  // namespace

// Collects a name's tokens without repeats; owns the few tokens it synthesises.
class NameGenerator::Builder {
 public:
  static constexpr size_t kMaxTokens = 8;

  bool Has(std::string_view token) const {
    for (size_t i = 0; i < size_; ++i) {
      if (tokens_[i] == token) return true;
    }
    return false;
  }
  void Add(std::string_view token) {
    if (token.empty() || size_ == kMaxTokens || Has(token)) return;
    tokens_[size_++] = token;
  }
  void AddOwned(std::string token) {
    if (owned_count_ == owned_.size()) return;
    owned_[owned_count_] = std::move(token);
    Add(owned_[owned_count_++]);
  }
  // Replaces token i by a synthesised one. REQUIRES: i < size().
  void ReplaceOwned(size_t i, std::string token) {
    if (owned_count_ == owned_.size()) return;
    owned_[owned_count_] = std::move(token);
    tokens_[i] = owned_[owned_count_++];
  }
  size_t size() const { return size_; }
  std::string_view operator[](size_t i) const { return tokens_[i]; }

  std::string Join() const {
    size_t length = size_;
    for (size_t i = 0; i < size_; ++i) length += tokens_[i].size();
    std::string out;
    out.reserve(length);
    for (size_t i = 0; i < size_; ++i) {
      if (i > 0) out.push_back(' ');
      out.append(tokens_[i]);
    }
    return out;
  }

 private:
  std::array<std::string_view, kMaxTokens> tokens_;
  size_t size_ = 0;
  std::array<std::string, 3> owned_;
  size_t owned_count_ = 0;
};

NameGenerator::NameGenerator(const NameCustomTable& customs, const NameFrequencyTable& frequencies)
    : customs_(customs) {
  absl::flat_hash_set<std::string_view> excluded(kNotNames.begin(), kNotNames.end());
  for (Sex sex : {Sex::kLakiLaki, Sex::kPerempuan}) {
    for (NameRole role : {NameRole::kFirst, NameRole::kLast}) {
      for (std::string_view t : customs.Pool(NameCustom::kUmum, role, sex).tokens()) {
        excluded.insert(t);
      }
    }
    for (std::string_view t : customs.Pool(NameCustom::kIslam, NameRole::kLead, sex).tokens()) {
      excluded.insert(t);
    }
  }
  std::vector<double> weights[2];
  for (const NameTokenFrequency& row : frequencies.tokens()) {
    if (excluded.contains(row.token)) continue;
    for (Sex sex : {Sex::kLakiLaki, Sex::kPerempuan}) {
      uint32_t own = sex == Sex::kPerempuan ? row.female : row.male;
      uint32_t other = sex == Sex::kPerempuan ? row.male : row.female;
      // A token goes to the sex that mostly bears it, so women are not named "Agus".
      if (own < kMinGenericCount || own < 2 * other) continue;
      int s = SexIndex(sex);
      generic_[s].tokens.push_back(row.token);
      weights[s].push_back(static_cast<double>(own));
    }
  }
  for (int s = 0; s < 2; ++s) generic_[s].alias = AliasTable(weights[s]);

  for (int c = 0; c < kNameCustomCount; ++c) {
    NameCustom custom = static_cast<NameCustom>(c);
    if (!CustomHasFamilyName(custom)) continue;
    std::vector<double> family_weights;
    for (NameRole role : {NameRole::kSurname, NameRole::kSurnameIslam}) {
      const TokenPool& pool = customs.Pool(custom, role, Sex::kLakiLaki);
      for (size_t i = 0; i < pool.size(); ++i) {
        family_tokens_[c].push_back(pool.tokens()[i]);
        family_weights.push_back(1.0);
      }
    }
    family_alias_[c] = AliasTable(family_weights);
  }
}

double NameGenerator::ModernShare(int birth_year) {
  if (birth_year < 1960) return 0.05;
  if (birth_year < 1975) return 0.15;
  if (birth_year < 1990) return 0.35;
  if (birth_year < 2005) return 0.6;
  return 0.75;
}

std::string_view NameGenerator::Core(Sex sex, Rng& rng) const {
  const GenericPool& pool = generic_[SexIndex(sex)];
  if (pool.tokens.empty()) return "";
  return pool.Draw(rng);
}

std::string_view NameGenerator::Draw(NameCustom custom, NameRole role, Sex sex, Rng& rng) const {
  const TokenPool& pool = customs_.Pool(custom, role, sex);
  if (pool.empty()) return Core(sex, rng);
  return pool.Draw(rng);
}

std::string_view NameGenerator::DrawFamilyName(NameCustom custom, Rng& rng) const {
  int c = static_cast<int>(custom);
  if (family_tokens_[c].empty()) return "";
  return family_tokens_[c][family_alias_[c].Sample(rng)];
}

void NameGenerator::AddModern(const NameSpec& spec, Builder& b, Rng& rng, bool allow_first) const {
  if (allow_first && rng.Bernoulli(0.3))
    b.Add(Draw(NameCustom::kUmum, NameRole::kFirst, spec.sex, rng));
  b.Add(Core(spec.sex, rng));
  if (b.size() < 2 || rng.Bernoulli(0.55)) {
    b.Add(Draw(NameCustom::kUmum, NameRole::kLast, spec.sex, rng));
  }
  if (b.size() < 2) b.Add(Core(spec.sex, rng));
}

void NameGenerator::AddGiven(NameCustom custom, const NameSpec& spec, Builder& b, Rng& rng) const {
  if (spec.birth_year < kOldFormLastBirthYear && rng.Bernoulli(kOldFormShare)) {
    const TokenPool& old = customs_.Pool(custom, NameRole::kOldForm, spec.sex);
    if (!old.empty()) {
      b.Add(old.Draw(rng));
      return;
    }
  }
  b.Add(Draw(custom, NameRole::kGiven, spec.sex, rng));
}

void NameGenerator::Javanese(const NameSpec& spec, Builder& b, Rng& rng) const {
  if (rng.Bernoulli(ModernShare(spec.birth_year))) {
    AddModern(spec, b, rng, /*allow_first=*/true);
    return;
  }
  double mononym = spec.birth_year < 1970 ? 0.55 : 0.3;
  double r = rng.UniformDouble();
  if (r < mononym) {
    AddGiven(NameCustom::kJawa, spec, b, rng);
  } else if (r < mononym + 0.2) {
    // su- + stem + -ono/-wati: the productive pattern behind Suparman, Sumarni, Sugiyanto.
    std::string token;
    if (rng.Bernoulli(0.55)) token += Draw(NameCustom::kJawa, NameRole::kPrefix, spec.sex, rng);
    token += Draw(NameCustom::kJawa, NameRole::kStem, spec.sex, rng);
    token += Draw(NameCustom::kJawa, NameRole::kSuffix, spec.sex, rng);
    b.AddOwned(std::move(token));
  } else {
    AddGiven(NameCustom::kJawa, spec, b, rng);
    b.Add(Draw(NameCustom::kJawa, NameRole::kGiven, spec.sex, rng));
  }
}

void NameGenerator::Sundanese(const NameSpec& spec, Builder& b, Rng& rng) const {
  if (rng.Bernoulli(ModernShare(spec.birth_year))) {
    if (rng.Bernoulli(0.25)) b.Add(Draw(NameCustom::kSunda, NameRole::kLead, spec.sex, rng));
    AddModern(spec, b, rng, /*allow_first=*/b.size() == 0);
    return;
  }
  double r = rng.UniformDouble();
  if (r < 0.4) {
    b.Add(Draw(NameCustom::kSunda, NameRole::kLead, spec.sex, rng));
    AddGiven(NameCustom::kSunda, spec, b, rng);
  } else if (r < 0.65) {
    AddGiven(NameCustom::kSunda, spec, b, rng);
  } else {
    AddGiven(NameCustom::kSunda, spec, b, rng);
    b.Add(Draw(NameCustom::kSunda, NameRole::kGiven, spec.sex, rng));
  }
}

void NameGenerator::Balinese(const NameSpec& spec, Builder& b, Rng& rng) const {
  if (rng.Bernoulli(kBalineseCasteShare)) {
    b.Add(Draw(NameCustom::kBali, NameRole::kCaste, spec.sex, rng));
  } else {
    b.Add(Draw(NameCustom::kBali, NameRole::kMarker, spec.sex, rng));
  }
  // The fifth child starts the cycle again (Wayan Balik).
  static constexpr std::array<NameRole, 4> kOrders = {NameRole::kOrder1, NameRole::kOrder2,
                                                      NameRole::kOrder3, NameRole::kOrder4};
  int order = spec.birth_order < 1 ? 0 : (spec.birth_order - 1) % 4;
  b.Add(Draw(NameCustom::kBali, kOrders[order], spec.sex, rng));
  if (rng.Bernoulli(ModernShare(spec.birth_year))) {
    b.Add(rng.Bernoulli(0.5) ? Core(spec.sex, rng)
                             : Draw(NameCustom::kBali, NameRole::kGiven, spec.sex, rng));
    if (rng.Bernoulli(0.4)) b.Add(Draw(NameCustom::kUmum, NameRole::kLast, spec.sex, rng));
  } else {
    b.Add(Draw(NameCustom::kBali, NameRole::kGiven, spec.sex, rng));
    if (rng.Bernoulli(0.35)) b.Add(Draw(NameCustom::kBali, NameRole::kGiven, spec.sex, rng));
  }
}

void NameGenerator::Batak(const NameSpec& spec, Builder& b, Rng& rng) const {
  std::string_view marga = spec.family_name;
  if (marga.empty()) marga = DrawFamilyName(NameCustom::kBatak, rng);
  if (customs_.IsIslamicSurname(marga)) {
    // Mandailing and Angkola families are Muslim: Islamic given names before the marga.
    NameSpec islamic = spec;
    islamic.family_name = "";
    Islamic(islamic, b, rng);
  } else {
    bool modern = rng.Bernoulli(ModernShare(spec.birth_year));
    auto given = [&]() {
      if (modern && rng.Bernoulli(0.25)) return Core(spec.sex, rng);
      return rng.Bernoulli(0.5) ? Draw(NameCustom::kBatak, NameRole::kGiven, spec.sex, rng)
                                : Draw(NameCustom::kKristen, NameRole::kGiven, spec.sex, rng);
    };
    b.Add(given());
    if (rng.Bernoulli(0.35)) b.Add(given());
  }
  if (spec.sex == Sex::kPerempuan && rng.Bernoulli(kBatakBoruMarkerShare)) {
    b.Add(Draw(NameCustom::kBatak, NameRole::kMarker, spec.sex, rng));
  }
  b.Add(marga);
}

void NameGenerator::Islamic(const NameSpec& spec, Builder& b, Rng& rng) const {
  const bool male = spec.sex == Sex::kLakiLaki;
  auto lead_and_next = [&]() {
    std::string_view lead = Draw(NameCustom::kIslam, NameRole::kLead, spec.sex, rng);
    b.Add(lead);
    if (lead == "abdul") {
      b.Add(Draw(NameCustom::kIslam, NameRole::kAbdTail, spec.sex, rng));
    } else {
      AddGiven(NameCustom::kIslam, spec, b, rng);
    }
  };
  if (rng.Bernoulli(ModernShare(spec.birth_year))) {
    if (rng.Bernoulli(male ? 0.45 : 0.3)) {
      b.Add(Draw(NameCustom::kIslam, NameRole::kLead, spec.sex, rng));
      AddModern(spec, b, rng, /*allow_first=*/false);
    } else {
      AddModern(spec, b, rng, /*allow_first=*/true);
    }
  } else {
    double r = rng.UniformDouble();
    if (male) {
      if (r < 0.4) {
        lead_and_next();
      } else if (r < 0.6) {
        AddGiven(NameCustom::kIslam, spec, b, rng);
        b.Add(Draw(NameCustom::kIslam, NameRole::kGiven, spec.sex, rng));
      } else if (r < 0.8) {
        AddGiven(NameCustom::kIslam, spec, b, rng);
      } else {
        lead_and_next();
        b.Add(Draw(NameCustom::kIslam, NameRole::kGiven, spec.sex, rng));
      }
    } else {
      if (r < 0.35) {
        lead_and_next();
      } else if (r < 0.7) {
        AddGiven(NameCustom::kIslam, spec, b, rng);
        b.Add(Draw(NameCustom::kIslam, NameRole::kGiven, spec.sex, rng));
      } else {
        AddGiven(NameCustom::kIslam, spec, b, rng);
      }
    }
  }
  b.Add(spec.family_name);
}

void NameGenerator::ChineseIndonesian(const NameSpec& spec, Builder& b, Rng& rng) const {
  if (spec.birth_year <= kChineseOldStyleLastBirthYear && rng.Bernoulli(kChineseOldStyleShare)) {
    // A pre-1966 three-part name: clan first, then two syllables ("Tan Swie Hong").
    b.Add(Draw(NameCustom::kTionghoa, NameRole::kClan, spec.sex, rng));
    b.Add(Draw(NameCustom::kTionghoa, NameRole::kSyllable, spec.sex, rng));
    b.Add(Draw(NameCustom::kTionghoa, NameRole::kSyllable, spec.sex, rng));
    return;
  }
  bool modern = rng.Bernoulli(ModernShare(spec.birth_year));
  auto given = [&]() {
    if (modern && rng.Bernoulli(0.2)) return Core(spec.sex, rng);
    return rng.Bernoulli(0.7) ? Draw(NameCustom::kTionghoa, NameRole::kGiven, spec.sex, rng)
                              : Draw(NameCustom::kKristen, NameRole::kGiven, spec.sex, rng);
  };
  b.Add(given());
  if (rng.Bernoulli(0.25)) b.Add(given());
  std::string_view family = spec.family_name;
  if (family.empty()) family = DrawFamilyName(NameCustom::kTionghoa, rng);
  b.Add(family);
}

void NameGenerator::Christian(const NameSpec& spec, Builder& b, Rng& rng) const {
  bool modern = rng.Bernoulli(ModernShare(spec.birth_year));
  auto given = [&]() {
    double r = rng.UniformDouble();
    if (modern && r < 0.12) return Core(spec.sex, rng);
    if (r < 0.7) return Draw(NameCustom::kKristen, NameRole::kGiven, spec.sex, rng);
    return Draw(spec.custom, NameRole::kGiven, spec.sex, rng);
  };
  b.Add(given());
  if (rng.Bernoulli(CustomHasFamilyName(spec.custom) ? 0.4 : 0.6)) b.Add(given());
  if (CustomHasFamilyName(spec.custom)) {
    std::string_view family = spec.family_name;
    if (family.empty()) family = DrawFamilyName(spec.custom, rng);
    b.Add(family);
  }
}

std::string NameGenerator::Generate(const NameSpec& spec, Rng& rng) const {
  Builder b;
  switch (spec.custom) {
    case NameCustom::kJawa:
      Javanese(spec, b, rng);
      break;
    case NameCustom::kSunda:
      Sundanese(spec, b, rng);
      break;
    case NameCustom::kBali:
      Balinese(spec, b, rng);
      break;
    case NameCustom::kBatak:
      Batak(spec, b, rng);
      break;
    case NameCustom::kIslam:
      Islamic(spec, b, rng);
      break;
    case NameCustom::kTionghoa:
      ChineseIndonesian(spec, b, rng);
      break;
    case NameCustom::kUmum:
      AddModern(spec, b, rng, /*allow_first=*/true);
      break;
    case NameCustom::kKristen:
    case NameCustom::kMinahasa:
    case NameCustom::kNusaTenggara:
    case NameCustom::kMaluku:
    case NameCustom::kPapua:
      Christian(spec, b, rng);
      break;
  }
  if (b.size() == 0) b.Add(Core(spec.sex, rng));
  // Older people of the Muslim customs often still write their names the pre-1972 way.
  if (spec.birth_year < kOldSpellingLastBirthYear &&
      ReligionOfCustom(spec.custom) == Religion::kIslam &&
      rng.Bernoulli(kOldSpellingShareBornBefore1960)) {
    size_t i = rng.Uniform(b.size());
    std::string old =
        ToOldSpelling(b[i], rng.Bernoulli(0.5) ? kOldSpellingAll : kOldSpellingVowels);
    if (old != b[i]) b.ReplaceOwned(i, std::move(old));
  }
  return b.Join();
}

std::string NameGenerator::GivenName(NameCustom custom, Sex sex, int birth_year, Rng& rng) const {
  Builder b;
  NameSpec spec{custom, sex, birth_year, 1, ""};
  switch (custom) {
    case NameCustom::kIslam:
    case NameCustom::kJawa:
    case NameCustom::kSunda:
      if (rng.Bernoulli(ModernShare(birth_year))) {
        b.Add(Core(sex, rng));
      } else {
        AddGiven(custom, spec, b, rng);
      }
      if (custom == NameCustom::kIslam && rng.Bernoulli(0.3)) {
        b.Add(Draw(NameCustom::kIslam, NameRole::kGiven, sex, rng));
      }
      break;
    default:
      b.Add(Draw(custom, NameRole::kGiven, sex, rng));
      break;
  }
  return b.Join();
}

}  // namespace padan::gen
