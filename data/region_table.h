// RegionTable: the Kemendagri region codes (provinsi, kab/kota, kecamatan, desa/kelurahan) of
// the 2025, 2022 and 2020 editions, with lookups by code at every level and by names.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace padan {

// Kemendagri code without dots, as an integer: 2 digits provinsi, 4 kab/kota, 6 kecamatan,
// 10 desa. Codes never start with 0 (provinces are 11-96), so the number of digits, hence the
// level, is recoverable from the value.
using KodeWilayah = uint64_t;

enum class RegionLevel : uint8_t {
  kNone = 0,
  kProvinsi = 1,
  kKabKota = 2,
  kKecamatan = 3,
  kDesa = 4
};

// Newest first: lookups that accept any edition try them in this order.
enum class RegionEdition : uint8_t { k2025 = 0, k2022 = 1, k2020 = 2 };
inline constexpr int kRegionEditionCount = 3;

// The level of a code by its number of digits; kNone for any other length.
RegionLevel LevelOfCode(KodeWilayah code);
// The code's ancestor at `level` (e.g. the kecamatan of a desa); 0 when `level` is below it.
KodeWilayah AncestorCode(KodeWilayah code, RegionLevel level);
// Parses "32.01.01.2001" or "3201012001" (and 2/4/6-digit forms); kInvalidArgument otherwise.
absl::StatusOr<KodeWilayah> ParseKodeWilayah(std::string_view text);
// "3201012001"; the dotted form when `dotted` ("32.01.01.2001").
std::string FormatKodeWilayah(KodeWilayah code, bool dotted = false);

// One region of one edition. Names point into the table's own storage.
struct Region {
  KodeWilayah code = 0;
  RegionLevel level = RegionLevel::kNone;
  bool is_kota = false;       // level 2: kota (71-99) rather than kabupaten
  bool is_kelurahan = false;  // level 4: kelurahan (first digit 1) rather than desa
  std::string_view nama;      // as written in the edition ("Kabupaten Bogor", "KAB. BOGOR")
  KodeWilayah parent = 0;     // 0 for a provinsi
};

// The result of resolving region names to a code.
struct RegionResolution {
  KodeWilayah code = 0;  // the deepest level resolved; 0 when nothing matched
  RegionLevel level = RegionLevel::kNone;
  bool ambiguous = false;  // two regions share the name at the deepest level; the first
                           // (lowest code) was taken
};

// The Kemendagri region tables of every edition, owning its regions and their names; Region
// pointers and names stay valid for the table's life (a region an older edition has exactly
// as a newer one is the same object in both). Loading the three embedded editions takes about
// 100 ms of CPU and 13 MB (bench/data/reference_tables_bench.cc, BM_RegionTable_LoadEmbedded).
// Immutable after construction. Thread-safe for concurrent const use.
class RegionTable {
 public:
  // Loads every edition, and the name aliases of wilayah/region_aliases.csv, from the tables
  // embedded in the binary. An error here means a broken build (a bad reference table).
  static absl::StatusOr<std::unique_ptr<RegionTable>> LoadEmbedded();
  // Loads editions from CSV text in the data/reference/wilayah format (columns kode,
  // kode_nodot, level, jenis, nama, kode_induk). `editions[i]` is edition i (an empty view is
  // an absent edition; at most kRegionEditionCount). Returns kInvalidArgument naming the
  // 1-based line of a malformed row: wrong column count, non-numeric or mismatched codes, a
  // level or jenis that does not fit the code, a duplicate code, a parent missing from the
  // edition. The table copies what it keeps; the views need not outlive the call.
  static absl::StatusOr<std::unique_ptr<RegionTable>> FromCsv(
      std::span<const std::string_view> editions);
  // As above, plus name aliases as in wilayah/region_aliases.csv (columns alias,kode: another
  // name of the region with that code, e.g. "Jabar,32"). Returns kInvalidArgument naming the
  // line of an alias whose code is in no edition, or that names another region than a name
  // or alias already does.
  static absl::StatusOr<std::unique_ptr<RegionTable>> FromCsv(
      std::span<const std::string_view> editions, std::string_view aliases_csv);

  RegionTable(const RegionTable&) = delete;
  RegionTable& operator=(const RegionTable&) = delete;
  ~RegionTable();

  // The region with `code` in `edition`, or nullptr.
  const Region* Find(KodeWilayah code, RegionEdition edition = RegionEdition::k2025) const;
  // The region with `code` in the newest edition that has it, or nullptr.
  const Region* FindAnyEdition(KodeWilayah code) const;
  // True when some edition has this 6-digit kecamatan code (NIK and No KK prefixes).
  bool KnownKecamatan(KodeWilayah kecamatan_code) const;

  // The direct children of `code` in `edition` (all provinces for code 0), ordered by code.
  // Empty for a desa, an unknown code or an absent edition.
  std::span<const Region* const> Children(KodeWilayah code,
                                          RegionEdition edition = RegionEdition::k2025) const;
  // Every region of `level` in `edition`, ordered by code.
  std::span<const Region* const> AtLevel(RegionLevel level,
                                         RegionEdition edition = RegionEdition::k2025) const;

  // Resolves names as they appear in SIKS-NG exports top-down, each within the region found
  // for the level above, trying the 2025, then 2022, then 2020 edition at each level and
  // returning the code of the edition that matched. Names are compared by a key that ignores
  // case, spacing and punctuation, drops level prefixes ("Prov.", "Kec.", "Desa", "Kel."...),
  // reads Roman and Arabic numbers as the Indonesian word ("Ilir Barat II" = "Ilir Barat 2" =
  // "Ilir Barat Dua") and "Kep." as "Kepulauan", and keeps the kabupaten/kota distinction:
  // "Kab. Bogor" and "Kota Bogor" differ. A bare "Bogor" is ambiguous: it takes the kabupaten
  // unless the names below resolve under the kota only (or under the kabupaten only, which
  // clears the ambiguity). A prefix of the wrong kind is forgiven when only the other kind has
  // the name ("Kab. Batu" is Kota Batu), and a prefix may be part of the name ("Kota Baru" is
  // Kabupaten Kotabaru). Names not in any edition are tried as aliases (region_aliases.csv:
  // "DKI", "Jabar", "NTT"...). Two regions of one parent with the same name (16 desa pairs in
  // 2025) resolve to the lower code, marked ambiguous.
  // Any argument may be the code instead ("32", "32.01", "320101", "3201012001"); it must be
  // of that argument's level and lie within the region resolved above. An empty argument
  // stops the descent unless a later argument is a code (a code needs no parent name).
  // Returns the deepest level resolved (kNone and code 0 when not even the provinsi did).
  // Allocates nothing: the importer calls it for every row.
  RegionResolution ResolveNames(std::string_view provinsi, std::string_view kabupaten_kota,
                                std::string_view kecamatan, std::string_view desa) const;

  // Heap bytes held.
  size_t MemoryUsage() const;

 private:
  struct Edition;
  struct NameIndex;
  struct Match;

  RegionTable();
  // `csv_is_static`: the text outlives the table (embedded), so names may point into it.
  absl::Status LoadEdition(int edition, std::string_view csv, std::string_view source,
                           bool csv_is_static);
  absl::Status LoadAliases(std::string_view csv, std::string_view source);
  // Indexes `region` of edition `e` under its parent by its normalized name `name_key`.
  void AddName(int e, const Region& region, std::string_view name_key);
  static absl::StatusOr<std::unique_ptr<RegionTable>> Load(
      std::span<const std::string_view> editions, std::span<const std::string_view> sources,
      std::string_view aliases_csv, std::string_view aliases_source, bool csv_is_static);

  // ResolveNames from argument `index` on, below `resolved` (the levels already resolved).
  RegionResolution ResolveFrom(const std::string_view (&texts)[4], int index,
                               RegionResolution resolved) const;
  // Resolves one argument at `level` within `parent` (0: none known).
  Match ResolveOne(RegionLevel level, KodeWilayah parent, std::string_view text) const;

  std::vector<std::unique_ptr<Edition>> editions_;  // kRegionEditionCount, absent ones empty
  std::unique_ptr<NameIndex> names_;                // names and aliases, all editions
  std::vector<std::unique_ptr<char[]>> text_;       // arena blocks: names and name keys
  size_t text_block_used_ = 0;                      // bytes used in text_.back()
  size_t text_block_size_ = 0;                      // capacity of text_.back()
  std::vector<KodeWilayah> kecamatan_;              // sorted kecamatan codes of every edition
};

}  // namespace padan
