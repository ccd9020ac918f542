// ComparisonSpec: which fields the Fellegi-Sunter model compares and the comparison levels of
// each, from a JSON configuration (DESIGN.md §4, Splink-style). The default is embedded
// (data/reference/matching/comparison_spec.json); a deployment may supply its own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace padan {

// What a field compares.
enum class FieldKind : uint8_t {
  kNama,            // the person's name
  kNamaIbuKandung,  // the mother's name
  kTanggalLahir,
  kJenisKelamin,
  kNik,
  kKodeWilayah,
  kTempatLahir,
  kAlamat,
  kNoKk,
};

// One test a pair may pass. A field's levels are tried in order; the first test that holds is
// the pair's level, an implicit "else" follows the last, and a pair where either side lacks
// the value is "missing" (neither agreement nor disagreement: weight 0).
enum class LevelTest : uint8_t {
  kExact,             // equal normalised values
  kJaroWinkler,       // Jaro-Winkler of the canonical strings >= threshold
  kTokenSet,          // TokenSetSimilarity of the tokens >= threshold (any order)
  kTokenContainment,  // one name's tokens found in the other >= threshold (a dropped token)
  kPhonetic,          // the sorted phonetic keys are equal
  kInitials,          // InitialsCompatible ("S. Aminah" ~ "Siti Aminah")
  kTokenOverlap,      // some informative token of one name (2+ letters) has Jaro-Winkler >=
                      // threshold with a token of the other: the names share at least a part
  kDayMonthSwap,      // dates: see DobLevel
  kYearOffByOne,
  kSameYear,
  kOneSubstitution,  // NIK: see NikLevel
  kAdjacentTransposition,
  kSameBirthPart,
  kSameKecamatan,  // regions: see RegionAgreement (kExact is the same desa)
  kSameKabKota,
  kSameProvinsi,
  kJaccard,   // address: token Jaccard >= threshold; in kode_wilayah: the same desa and an
              // address at least this similar
  kSameNoKk,  // kode_wilayah: the same (valid) No KK
};

struct LevelSpec {
  LevelTest test = LevelTest::kExact;
  double threshold = 0;  // for the tests that take one
  std::string name;      // "exact", "jaro_winkler_0.94": stable, used in model files and JSON
};

struct FieldSpec {
  FieldKind kind = FieldKind::kNama;
  std::string name;               // "nama", "tanggal_lahir"... as in DESIGN.md §3
  std::vector<LevelSpec> levels;  // without the implicit else
  bool term_frequency = false;    // adjust agreeing levels by how common the name's tokens are
  // "tanggal_lahir" or empty. When set, this field's u is also estimated among pairs whose
  // birth dates are equal, and that u applies whenever the pair's dates are equal: a NIK
  // encodes the birth date, so agreeing on both is not two independent coincidences, and
  // near-identical NIKs are common among different people born the same day in the same
  // kecamatan (Dukcapil numbers them in sequence).
  std::string u_given;
  int u_given_index = -1;  // the field u_given names, resolved when the spec is parsed
  size_t level_count() const { return levels.size() + 1; }  // including else
  size_t else_level() const { return levels.size(); }
};

// Immutable after loading; thread-safe for concurrent const use.
struct ComparisonSpec {
  std::vector<FieldSpec> fields;

  // Parses the JSON form; kInvalidArgument naming the offending key, an unknown field or test,
  // a test that does not apply to the field, or a missing threshold.
  static absl::StatusOr<ComparisonSpec> FromJson(std::string_view json);
  // The embedded default.
  static absl::StatusOr<ComparisonSpec> Default();

  std::string ToJson() const;
  // Stable across runs and machines: models record it to refuse a spec they were not trained on.
  std::string Fingerprint() const;
};

std::string_view FieldKindName(FieldKind kind);
std::string_view LevelTestName(LevelTest test);

}  // namespace padan
