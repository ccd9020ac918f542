#include "matching/comparison_vector.h"

#include <algorithm>
#include <optional>

#include "data/nik.h"
#include "matching/dob_comparison.h"
#include "matching/initials.h"
#include "matching/jaro_winkler.h"
#include "matching/nik_comparison.h"
#include "matching/phonetic_key.h"
#include "matching/region_comparison.h"
#include "matching/token_similarity.h"

namespace padan {
namespace {

// Lazily computed similarities of two names: each is worked out at most once per field even
// when several levels test it at different thresholds.
class NamePair {
 public:
  NamePair(const MatchName& a, const MatchName& b) : a_(a), b_(b) {}

  bool Passes(const LevelSpec& level) {
    switch (level.test) {
      case LevelTest::kExact:
        return a_.canonical == b_.canonical;
      case LevelTest::kJaroWinkler:
        if (!jaro_winkler_) jaro_winkler_ = JaroWinkler(a_.canonical, b_.canonical);
        return *jaro_winkler_ >= level.threshold;
      case LevelTest::kTokenSet:
        if (!token_set_)
          token_set_ = TokenSetSimilarity(Tokens(a_, &a_tokens_), Tokens(b_, &b_tokens_));
        return *token_set_ >= level.threshold;
      case LevelTest::kTokenContainment:
        if (!containment_) {
          containment_ = TokenContainment(Tokens(a_, &a_tokens_), Tokens(b_, &b_tokens_));
        }
        return *containment_ >= level.threshold;
      case LevelTest::kPhonetic:
        return !a_.phonetic_sorted.empty() && a_.phonetic_sorted == b_.phonetic_sorted;
      case LevelTest::kInitials:
        return InitialsCompatible(Tokens(a_, &a_tokens_), Tokens(b_, &b_tokens_));
      case LevelTest::kTokenOverlap:
        return ShareAToken(level.threshold);
      default:
        return false;
    }
  }

 private:
  using Views = absl::InlinedVector<std::string_view, 6>;

  // Whether an informative token of one name (two letters or more) is similar enough to a
  // token of the other. Low-information tokens (Wayan, Ni...) count only when a name has no
  // other.
  bool ShareAToken(double threshold) {
    const Views& x = Tokens(a_, &a_tokens_);
    const Views& y = Tokens(b_, &b_tokens_);
    auto informative = [](const MatchName& name, size_t i, bool any) {
      return name.token(i).size() >= 2 && (any || (name.low_information_mask & (1u << i)) == 0);
    };
    auto all_low = [](const MatchName& name) {
      uint32_t all = name.token_count() >= 32 ? ~0u : (1u << name.token_count()) - 1;
      return (name.low_information_mask & all) == all;
    };
    bool any_a = all_low(a_);
    bool any_b = all_low(b_);
    for (size_t i = 0; i < x.size(); ++i) {
      if (!informative(a_, i, any_a)) continue;
      for (size_t j = 0; j < y.size(); ++j) {
        if (!informative(b_, j, any_b)) continue;
        if (JaroWinklerAtLeast(x[i], y[j], threshold) > 0) return true;
      }
    }
    return false;
  }
  static const Views& Tokens(const MatchName& name, std::optional<Views>* cache) {
    if (!cache->has_value()) *cache = name.tokens();
    return **cache;
  }

  const MatchName& a_;
  const MatchName& b_;
  std::optional<double> jaro_winkler_;
  std::optional<double> token_set_;
  std::optional<double> containment_;
  std::optional<Views> a_tokens_;
  std::optional<Views> b_tokens_;
};

// Token-set Jaccard of two space-separated token strings.
double Jaccard(std::string_view a, std::string_view b) {
  NameTokens x = SplitNameTokens(a);
  NameTokens y = SplitNameTokens(b);
  std::sort(x.begin(), x.end());
  x.erase(std::unique(x.begin(), x.end()), x.end());
  std::sort(y.begin(), y.end());
  y.erase(std::unique(y.begin(), y.end()), y.end());
  size_t common = 0;
  for (size_t i = 0, j = 0; i < x.size() && j < y.size();) {
    if (x[i] == y[j]) {
      ++common;
      ++i;
      ++j;
    } else if (x[i] < y[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  size_t all = x.size() + y.size() - common;
  return all == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(all);
}

// The first level whose test the enum-valued comparison satisfies.
template <typename Level>
uint8_t FirstLevel(const FieldSpec& field, Level value, Level missing,
                   bool (*passes)(LevelTest, Level)) {
  if (value == missing) return kMissingLevel;
  for (size_t i = 0; i < field.levels.size(); ++i) {
    if (passes(field.levels[i].test, value)) return static_cast<uint8_t>(i);
  }
  return static_cast<uint8_t>(field.else_level());
}

bool DobPasses(LevelTest test, DobLevel level) {
  switch (test) {
    case LevelTest::kExact:
      return level == DobLevel::kExact;
    case LevelTest::kDayMonthSwap:
      return level == DobLevel::kDayMonthSwap;
    case LevelTest::kYearOffByOne:
      return level == DobLevel::kYearOffByOne;
    case LevelTest::kSameYear:
      return level == DobLevel::kSameYear;
    default:
      return false;
  }
}

bool NikPasses(LevelTest test, NikLevel level) {
  switch (test) {
    case LevelTest::kExact:
      return level == NikLevel::kExact;
    case LevelTest::kOneSubstitution:
      return level == NikLevel::kOneSubstitution;
    case LevelTest::kAdjacentTransposition:
      return level == NikLevel::kAdjacentTransposition;
    case LevelTest::kSameBirthPart:
      return level == NikLevel::kSameBirthPart;
    default:
      return false;
  }
}

bool RegionPasses(LevelTest test, RegionAgreement level) {
  // Each test reads "at least this close", so a spec that leaves out a level still places
  // closer pairs in the next one down.
  switch (test) {
    case LevelTest::kExact:
      return level == RegionAgreement::kSameDesa;
    case LevelTest::kSameKecamatan:
      return level >= RegionAgreement::kSameKecamatan;
    case LevelTest::kSameKabKota:
      return level >= RegionAgreement::kSameKabKota;
    case LevelTest::kSameProvinsi:
      return level >= RegionAgreement::kSameProvinsi;
    default:
      return false;
  }
}

uint8_t CompareText(const FieldSpec& field, std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return kMissingLevel;
  std::optional<double> jw;
  for (size_t i = 0; i < field.levels.size(); ++i) {
    const LevelSpec& level = field.levels[i];
    bool passes = false;
    switch (level.test) {
      case LevelTest::kExact:
        passes = a == b;
        break;
      case LevelTest::kJaroWinkler:
        if (!jw) jw = JaroWinkler(a, b);
        passes = *jw >= level.threshold;
        break;
      case LevelTest::kJaccard:
        passes = Jaccard(a, b) >= level.threshold;
        break;
      case LevelTest::kPhonetic:
        passes = PhoneticKey(a) == PhoneticKey(b);
        break;
      default:
        break;
    }
    if (passes) return static_cast<uint8_t>(i);
  }
  return static_cast<uint8_t>(field.else_level());
}

// Where a person lives: the region, refined by the household's own No KK and address when the
// spec asks. One field, not three, because region, No KK and address of two members of one
// household agree together: counted separately they would triple the evidence of "same
// household" and make every pair of family members look like one person.
uint8_t CompareLocation(const FieldSpec& field, const MatchRecord& a, const MatchRecord& b) {
  RegionAgreement region = CompareRegion(a.kode_wilayah, b.kode_wilayah);
  bool same_kk = a.no_kk != 0 && a.no_kk == b.no_kk;
  if (region == RegionAgreement::kMissing && !same_kk) return kMissingLevel;
  std::optional<double> address;
  for (size_t i = 0; i < field.levels.size(); ++i) {
    const LevelSpec& level = field.levels[i];
    bool passes = false;
    switch (level.test) {
      case LevelTest::kSameNoKk:
        passes = same_kk;
        break;
      case LevelTest::kJaccard:
        if (region == RegionAgreement::kSameDesa && !a.alamat.empty() && !b.alamat.empty()) {
          if (!address) address = Jaccard(a.alamat, b.alamat);
          passes = *address >= level.threshold;
        }
        break;
      default:
        passes = RegionPasses(level.test, region);
        break;
    }
    if (passes) return static_cast<uint8_t>(i);
  }
  return static_cast<uint8_t>(field.else_level());
}

uint8_t CompareNames(const FieldSpec& field, const MatchName& a, const MatchName& b) {
  if (a.empty() || b.empty()) return kMissingLevel;
  NamePair pair(a, b);
  for (size_t i = 0; i < field.levels.size(); ++i) {
    if (pair.Passes(field.levels[i])) return static_cast<uint8_t>(i);
  }
  return static_cast<uint8_t>(field.else_level());
}

}  // namespace

uint8_t CompareField(const FieldSpec& field, const MatchRecord& a, const MatchRecord& b) {
  switch (field.kind) {
    case FieldKind::kNama:
      return CompareNames(field, a.nama, b.nama);
    case FieldKind::kNamaIbuKandung:
      return CompareNames(field, a.nama_ibu_kandung, b.nama_ibu_kandung);
    case FieldKind::kTanggalLahir:
      return FirstLevel(field, CompareDob(a.tanggal_lahir, b.tanggal_lahir), DobLevel::kMissing,
                        &DobPasses);
    case FieldKind::kJenisKelamin:
      if (a.jenis_kelamin == Sex::kUnknown || b.jenis_kelamin == Sex::kUnknown) {
        return kMissingLevel;
      }
      return a.jenis_kelamin == b.jenis_kelamin ? 0 : static_cast<uint8_t>(field.else_level());
    case FieldKind::kNik: {
      NikLevel level = CompareNik(a.nik, b.nik);
      // Two NIKs a digit apart in the birth part, each agreeing with its own record's birth
      // date and sex, are no typo: they are two people born on different days (or of different
      // sex) given the same serial in the same kecamatan — common among siblings.
      if ((level == NikLevel::kOneSubstitution || level == NikLevel::kAdjacentTransposition) &&
          NiksDifferOnlyInBirthPart(a.nik, b.nik) &&
          Nik(a.nik).ConsistentWith(a.tanggal_lahir, a.jenis_kelamin) &&
          Nik(b.nik).ConsistentWith(b.tanggal_lahir, b.jenis_kelamin) &&
          !a.tanggal_lahir.missing() && !b.tanggal_lahir.missing()) {
        level = NikLevel::kConflict;
      }
      return FirstLevel(field, level, NikLevel::kMissing, &NikPasses);
    }
    case FieldKind::kKodeWilayah:
      return CompareLocation(field, a, b);
    case FieldKind::kTempatLahir:
      return CompareText(field, a.tempat_lahir, b.tempat_lahir);
    case FieldKind::kAlamat:
      return CompareText(field, a.alamat, b.alamat);
    case FieldKind::kNoKk:
      if (a.no_kk == 0 || b.no_kk == 0) return kMissingLevel;
      return a.no_kk == b.no_kk ? 0 : static_cast<uint8_t>(field.else_level());
  }
  return kMissingLevel;
}

ComparisonVector Compare(const ComparisonSpec& spec, const MatchRecord& a, const MatchRecord& b) {
  ComparisonVector vector;
  vector.size = static_cast<uint8_t>(spec.fields.size());
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    vector.levels[f] = CompareField(spec.fields[f], a, b);
  }
  return vector;
}

}  // namespace padan
