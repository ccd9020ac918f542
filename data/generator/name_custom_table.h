// NameCustomTable: the curated naming customs of Indonesia's regions (Javanese mononyms,
// Sundanese, Balinese birth-order names, Batak marga, Islamic compounds, Chinese-Indonesian,
// Christian eastern Indonesia), from name_customs.csv and custom_by_region.csv.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"

#include "data/generator/alias_table.h"
#include "data/generator/random.h"
#include "data/record.h"
#include "data/region_table.h"

namespace padan::gen {

// A family's naming custom. kUmum holds the generic modern tokens' position tags and is never a
// household's custom.
enum class NameCustom : uint8_t {
  kUmum,
  kJawa,
  kSunda,
  kBali,
  kBatak,
  kIslam,
  kTionghoa,
  kKristen,
  kMinahasa,
  kNusaTenggara,
  kMaluku,
  kPapua,
};
inline constexpr int kNameCustomCount = 12;

// The name used in the CSV files ("jawa", "nusa_tenggara").
std::string_view NameCustomName(NameCustom custom);
std::optional<NameCustom> ParseNameCustom(std::string_view name);

// Religion as it bears on names and titles (H./Hj. need islam, S.Th. kristen).
enum class Religion : uint8_t { kIslam, kKristen, kHindu, kOther };
Religion ReligionOfCustom(NameCustom custom);
// True for customs whose families pass a surname to the children.
bool CustomHasFamilyName(NameCustom custom);

// The role a token plays in a name (the `role` column).
enum class NameRole : uint8_t {
  kFirst,         // umum: generic token that stands first (Dwi, Sri)
  kLast,          // umum: generic token that stands last (Saputra, Lestari)
  kGiven,         // a given name of the custom
  kLead,          // first element of a compound (Muhammad, Siti, Asep, Euis)
  kAbdTail,       // what follows Abdul (Rahman, Aziz...)
  kPrefix,        // Javanese pattern prefix (su-)
  kStem,          // Javanese pattern stem
  kSuffix,        // Javanese pattern suffix (-ono, -wati)
  kOldForm,       // a given name in pre-1972 spelling (Soekarno, Djoko)
  kMarker,        // Balinese I / Ni; Batak "br" (boru) before a woman's marga
  kOrder1,        // Balinese birth-order names: first-born (Wayan, Putu, Gede)
  kOrder2,        // Made, Kadek, Nengah
  kOrder3,        // Nyoman, Komang
  kOrder4,        // Ketut
  kCaste,         // Balinese caste titles (Ida Bagus, Anak Agung...)
  kSurname,       // family name passed to children (marga, Wijaya, Wenda...)
  kSurnameIslam,  // Batak marga of Muslim Mandailing/Angkola families
  kClan,          // Chinese clan name of pre-1966 names (Tan, Lim)
  kSyllable,      // one syllable of a pre-1966 Chinese given name
};
inline constexpr int kNameRoleCount = 19;
std::optional<NameRole> ParseNameRole(std::string_view name);

// Tokens with weights, drawn in O(1). Views point into the owning NameCustomTable.
class TokenPool {
 public:
  bool empty() const { return tokens_.empty(); }
  size_t size() const { return tokens_.size(); }
  // REQUIRES: !empty().
  std::string_view Draw(Rng& rng) const { return tokens_[alias_.Sample(rng)]; }
  const std::vector<std::string_view>& tokens() const { return tokens_; }

 private:
  friend class NameCustomTable;
  std::vector<std::string_view> tokens_;
  std::vector<double> weights_;
  AliasTable alias_;
};

// The mix of customs among families of one region.
struct CustomMix {
  std::vector<NameCustom> customs;
  AliasTable alias;
  NameCustom Draw(Rng& rng) const { return customs[alias.Sample(rng)]; }
};

// Immutable after construction; thread-safe for concurrent const use. About 100 KB.
class NameCustomTable {
 public:
  // Loads data/reference/names/name_customs.csv and custom_by_region.csv from the binary.
  static absl::StatusOr<std::unique_ptr<NameCustomTable>> LoadEmbedded();
  // `customs_csv`: columns custom,role,gender,token,weight (gender L, P or U for both).
  // `regions_csv`: columns kode_wilayah,nama,custom,weight with 2-digit provinsi codes and
  // optional 4-digit kab/kota codes that override their provinsi.
  // Returns kInvalidArgument naming the line of a malformed row.
  static absl::StatusOr<std::unique_ptr<NameCustomTable>> FromCsv(std::string_view customs_csv,
                                                                  std::string_view regions_csv);

  // The tokens of `role` in `custom` for a person of `sex` (rows of that gender and of U).
  const TokenPool& Pool(NameCustom custom, NameRole role, Sex sex) const;
  // The customs of a kab/kota: its own row if any, else its provinsi's; nullptr when neither.
  const CustomMix* MixFor(KodeWilayah kab_kota) const;
  // True when `token` is a listed old-spelling form (any custom).
  bool IsOldForm(std::string_view token) const { return old_forms_.contains(token); }
  // True when `token` is a Batak marga of a Muslim family.
  bool IsIslamicSurname(std::string_view token) const { return islamic_surnames_.contains(token); }

 private:
  NameCustomTable() = default;
  static size_t PoolIndex(NameCustom custom, NameRole role, Sex sex);

  std::deque<std::string> text_;  // owns token bytes; a deque keeps their addresses
  std::vector<TokenPool> pools_;  // [custom][role][sex L/P]
  absl::flat_hash_map<KodeWilayah, CustomMix> mixes_;
  absl::flat_hash_set<std::string_view> old_forms_;
  absl::flat_hash_set<std::string_view> islamic_surnames_;
};

}  // namespace padan::gen
