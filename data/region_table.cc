#include "data/region_table.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"

#include "data/absl_strings.h"
#include "data/embedded_files.h"
#include "data/internal/reference_csv.h"
#include "data/status_macros.h"

namespace padan {
namespace {

using internal::ParseDecimal;
using internal::ReferenceCsvReader;
using internal::ReferenceError;

constexpr int kLevelCount = 4;  // provinsi, kab/kota, kecamatan, desa

// Digits of a code per level (index = RegionLevel), and the factor between a region's code and
// its parent's: a child's code is parent * kChildFactor[level] + its local number.
constexpr std::array<int, kLevelCount + 1> kCodeDigits = {0, 2, 4, 6, 10};
constexpr std::array<uint64_t, kLevelCount + 1> kChildFactor = {0, 1, 100, 100, 10'000};

// The embedded tables, by edition (RegionEdition order).
constexpr std::array<std::string_view, kRegionEditionCount> kEmbeddedEditions = {
    "wilayah/wilayah_2025.csv",
    "wilayah/wilayah_2022_kepmendagri_100.1.1-6117.csv",
    "wilayah/wilayah_2020_permendagri_72_2019.csv",
};
constexpr std::string_view kEmbeddedAliases = "wilayah/region_aliases.csv";
constexpr std::array<std::string_view, kRegionEditionCount> kEditionNames = {"k2025", "k2022",
                                                                             "k2020"};

// Arena blocks for names and keys; the three editions need about 2 MB.
constexpr size_t kTextBlockSize = 1 << 20;
// Bytes per row of the wilayah tables (51 in every edition), rounded down: sizes containers.
constexpr size_t kBytesPerRow = 48;
// Regions per storage block of an edition (160 KB).
constexpr size_t kRegionBlockSize = 4096;

// ---- codes -----------------------------------------------------------------------------------

int LevelIndex(RegionLevel level) { return static_cast<int>(level); }

uint64_t Pow10(int n) {
  uint64_t result = 1;
  while (n-- > 0) result *= 10;
  return result;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view TrimAscii(std::string_view s) {
  return FromAbsl(absl::StripAsciiWhitespace(ToAbsl(s)));
}

// Parses a code written with or without dots, in one pass and allocation-free (the importer
// calls it for every row).
bool TryParseKode(std::string_view text, KodeWilayah* code) {
  text = TrimAscii(text);
  if (text.empty() || text[0] == '0') return false;
  // Dotted segments have 2, 2, 2 and 4 digits: "32", "32.01", "32.01.01", "32.01.01.2001".
  constexpr std::array<int, kLevelCount> kSegment = {2, 2, 2, 4};
  constexpr int kMaxDigits = 10;
  uint64_t value = 0;
  int digits = 0;
  int segment = 0;
  int in_segment = 0;
  bool dotted = false;
  for (char c : text) {
    if (IsDigit(c)) {
      if (++digits > kMaxDigits) return false;
      value = value * 10 + static_cast<uint64_t>(c - '0');
      ++in_segment;
    } else if (c == '.') {
      if (segment + 1 >= kLevelCount || in_segment != kSegment[segment]) return false;
      dotted = true;
      ++segment;
      in_segment = 0;
    } else {
      return false;
    }
  }
  if (dotted ? in_segment != kSegment[segment]
             : (digits != 2 && digits != 4 && digits != 6 && digits != 10)) {
    return false;
  }
  *code = value;
  return true;
}

// True when `dotted` is the dotted form of the code whose digits are `digits` ("32.01.01.2001"
// for "3201012001"): the common case of the tables, checked without parsing.
bool IsDottedForm(std::string_view dotted, std::string_view digits) {
  size_t d = 0;
  for (size_t i = 0; i < dotted.size(); ++i) {
    if (i == 2 || i == 5 || i == 8) {
      if (dotted[i] != '.') return false;
    } else if (d >= digits.size() || dotted[i] != digits[d++]) {
      return false;
    }
  }
  return d == digits.size() && !dotted.empty() && dotted.back() != '.';
}

bool LooksLikeCode(std::string_view text) {
  bool digit = false;
  for (char c : text) {
    if (IsDigit(c)) {
      digit = true;
    } else if (c != '.' && c != ' ' && c != '\t') {
      return false;
    }
  }
  return digit;
}

bool HasAlnum(std::string_view text) {
  for (char c : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

// ---- name keys -------------------------------------------------------------------------------

// Which kind of level-2 region a name says it is. Part of the lookup key, so that "Kota Bogor"
// and "Kabupaten Bogor" stay apart.
enum class NameKind : uint8_t { kAny = 0, kKabupaten = 1, kKota = 2 };

// No region name in any edition normalizes to more than about 50 bytes; longer input matches
// nothing and is cut off here, which also bounds the stack buffer.
constexpr size_t kMaxKeyLength = 255;
constexpr size_t kMaxWords = 24;
constexpr size_t kMaxNameBytes = 1024;
using KeyBuffer = std::array<char, kMaxKeyLength>;

// A name reduced to lookup keys. The views point into the caller's KeyBuffer.
struct NormalizedName {
  std::string_view key;   // without the level's prefix words ("KAB.", "Kecamatan", "Desa")
  std::string_view full;  // every word: for names that really start with a prefix word
  std::string_view soft;  // a desa name without KAMPUNG/GAMPONG/NAGARI...; empty when none
  NameKind kind = NameKind::kAny;
};

// Numbers in names are written as Roman numerals, digits or words ("Ilir Barat II" in 2020,
// "Ilir Barat Dua" in 2025); all become the Indonesian word. Index = value.
constexpr std::array<std::string_view, 21> kNumberWords = {
    "",          "SATU",      "DUA",        "TIGA",         "EMPAT",
    "LIMA",      "ENAM",      "TUJUH",      "DELAPAN",      "SEMBILAN",
    "SEPULUH",   "SEBELAS",   "DUABELAS",   "TIGABELAS",    "EMPATBELAS",
    "LIMABELAS", "ENAMBELAS", "TUJUHBELAS", "DELAPANBELAS", "SEMBILANBELAS",
    "DUAPULUH"};
constexpr std::array<std::string_view, 21> kRomanNumerals = {
    "",   "I",   "II",   "III", "IV", "V",   "VI",   "VII",   "VIII", "IX", "X",
    "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX",  "XX"};

// Prefix words per level; the key drops them when another word follows.
constexpr std::array<std::string_view, 4> kProvinsiPrefixes = {"PROVINSI", "PROPINSI", "PROV",
                                                               "PROP"};
constexpr std::array<std::string_view, 2> kKabupatenPrefixes = {"KABUPATEN", "KAB"};
constexpr std::array<std::string_view, 4> kKotaPrefixes = {"KOTA", "KOTAMADYA", "KODYA",
                                                           "KOTAMADIA"};
// Jakarta's cities and Kepulauan Seribu are "Kota Administrasi"/"KOTA ADM.".
constexpr std::array<std::string_view, 3> kAdministrasiWords = {"ADMINISTRASI", "ADM",
                                                                "ADMINISTRATIF"};
// Papua's kecamatan are districts.
constexpr std::array<std::string_view, 3> kKecamatanPrefixes = {"KECAMATAN", "KEC", "DISTRIK"};
constexpr std::array<std::string_view, 4> kDesaPrefixes = {"DESA", "DS", "KELURAHAN", "KEL"};
// Local words for desa (Papua, Aceh, West Sumatra, Lampung, Maluku). Many registered names
// start with them ("Kampung Baru"), so the key keeps them; a lookup that fails retries without.
constexpr std::array<std::string_view, 6> kSoftDesaPrefixes = {"KAMPUNG", "KAMPONG", "GAMPONG",
                                                               "NAGARI",  "PEKON",   "NEGERI"};

template <size_t N>
bool IsOneOf(std::string_view word, const std::array<std::string_view, N>& words) {
  for (std::string_view w : words) {
    if (w == word) return true;
  }
  return false;
}

enum class WordType : uint8_t { kLetters, kDigits };

struct Word {
  uint16_t begin;  // in the input text
  uint16_t end;
  uint16_t alnum;  // letters or digits in it (apostrophes excluded)
  WordType type;
};

// Bytes of an apostrophe at text[i], which joins the letters around it ("Regapu’u"), or 0.
size_t ApostropheAt(std::string_view text, size_t i) {
  const unsigned char c = static_cast<unsigned char>(text[i]);
  if (c == '\'' || c == '`') return 1;
  auto next = [&](size_t k) {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
  };
  if (c == 0xE2 && next(1) == 0x80 && (next(2) == 0x98 || next(2) == 0x99)) return 3;  // ‘ ’
  if ((c == 0xCA && next(1) == 0xBC) || (c == 0xC2 && next(1) == 0xB4)) return 2;      // ʼ ´
  return 0;
}

// Splits `text` into words of letters or of digits ("KM5" is KM + 5); anything else but an
// apostrophe separates. Returns false when there are more than kMaxWords.
bool SplitWords(std::string_view text, std::array<Word, kMaxWords>& words, size_t* count) {
  *count = 0;
  bool in_word = false;
  Word current{};
  for (size_t i = 0; i < text.size();) {
    if (size_t apostrophe = ApostropheAt(text, i); apostrophe > 0) {
      i += apostrophe;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool letter = absl::ascii_isalpha(c);
    const bool digit = IsDigit(static_cast<char>(c));
    if (in_word &&
        (!(letter || digit) || (letter ? WordType::kLetters : WordType::kDigits) != current.type)) {
      current.end = static_cast<uint16_t>(i);
      if (*count == kMaxWords) return false;
      words[(*count)++] = current;
      in_word = false;
    }
    if (letter || digit) {
      if (!in_word) {
        current =
            Word{static_cast<uint16_t>(i), 0, 0, letter ? WordType::kLetters : WordType::kDigits};
        in_word = true;
      }
      ++current.alnum;
    }
    ++i;
  }
  if (in_word) {
    current.end = static_cast<uint16_t>(text.size());
    if (*count == kMaxWords) return false;
    words[(*count)++] = current;
  }
  return true;
}

// The value of a Roman numeral word in upper case (1-20), or 0.
int RomanValue(std::string_view upper) {
  for (size_t v = 1; v < kRomanNumerals.size(); ++v) {
    if (kRomanNumerals[v] == upper) return static_cast<int>(v);
  }
  return 0;
}

// Reduces `text` to the keys a region of `level` is looked up by: ASCII letters and digits in
// upper case, words run together (so spacing and punctuation do not matter: "Toli-Toli" =
// "TOLI TOLI"), numbers as words, "KEP" as "KEPULAUAN", the level's prefix words dropped.
// The same function makes the keys of the tables, so both sides always agree. Returns false
// when the text has no letter or digit or is too long to be a region name.
bool NormalizeRegionName(std::string_view text, RegionLevel level, KeyBuffer& buffer,
                         NormalizedName* out) {
  if (text.size() > kMaxNameBytes) return false;
  std::array<Word, kMaxWords> words;
  size_t count = 0;
  if (!SplitWords(text, words, &count) || count == 0) return false;

  std::array<uint16_t, kMaxWords + 1> starts;  // each word's offset in `buffer`
  size_t size = 0;
  auto append = [&](std::string_view s) {
    if (size + s.size() > buffer.size()) return false;
    std::memcpy(buffer.data() + size, s.data(), s.size());
    size += s.size();
    return true;
  };
  auto single_letter = [&](size_t i) {
    return i < count && words[i].type == WordType::kLetters && words[i].alnum == 1;
  };
  for (size_t i = 0; i < count; ++i) {
    const Word& w = words[i];
    starts[i] = static_cast<uint16_t>(size);
    if (w.type == WordType::kDigits) {
      uint64_t value = 0;
      std::string_view digits = text.substr(w.begin, w.end - w.begin);
      while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
      if (digits.size() <= 2 && ParseDecimal(digits, &value) && value >= 1 &&
          value < kNumberWords.size()) {
        if (!append(kNumberWords[value])) return false;
      } else if (!append(digits)) {
        return false;
      }
      continue;
    }
    const size_t word_start = size;
    bool roman_letters = true;
    for (size_t k = w.begin; k < w.end; ++k) {
      const char c = text[k];
      if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) continue;  // an apostrophe
      if (size == buffer.size()) return false;
      const char u = absl::ascii_toupper(static_cast<unsigned char>(c));
      roman_letters = roman_letters && (u == 'I' || u == 'V' || u == 'X');
      buffer[size++] = u;
    }
    std::string_view upper(buffer.data() + word_start, size - word_start);
    // A lone I, V or X next to other single letters is a spelled-out name ("P A P U A",
    // "B A L I"), not a number.
    const bool spelled_out =
        w.alnum == 1 && ((i > 0 && single_letter(i - 1)) || single_letter(i + 1));
    if (int roman = roman_letters && !spelled_out ? RomanValue(upper) : 0; roman > 0) {
      size = word_start;
      if (!append(kNumberWords[roman])) return false;
    } else if (upper == "KEP") {
      size = word_start;
      if (!append("KEPULAUAN")) return false;
    }
  }
  starts[count] = static_cast<uint16_t>(size);
  auto word = [&](size_t i) {
    return std::string_view(buffer.data() + starts[i], starts[i + 1] - starts[i]);
  };

  size_t first = 0;  // the first word of the key
  out->kind = NameKind::kAny;
  out->soft = {};
  switch (level) {
    case RegionLevel::kProvinsi:
      if (count > 1 && IsOneOf(word(0), kProvinsiPrefixes)) first = 1;
      break;
    case RegionLevel::kKabKota:
      if (IsOneOf(word(0), kKabupatenPrefixes)) {
        out->kind = NameKind::kKabupaten;
      } else if (IsOneOf(word(0), kKotaPrefixes)) {
        out->kind = NameKind::kKota;
      }
      if (out->kind != NameKind::kAny) {
        if (count > 1) {
          first = 1;
          if (count > 2 && IsOneOf(word(1), kAdministrasiWords)) first = 2;
        } else {
          out->kind = NameKind::kAny;  // the name "Kota" itself
        }
      }
      break;
    case RegionLevel::kKecamatan:
      if (count > 1 && IsOneOf(word(0), kKecamatanPrefixes)) first = 1;
      break;
    case RegionLevel::kDesa:
      if (count > 1 && IsOneOf(word(0), kDesaPrefixes)) {
        first = 1;
        if (count > 2 && word(0) == "DESA" && word(1) == "ADAT") first = 2;
      }
      if (count > first + 1 && IsOneOf(word(first), kSoftDesaPrefixes)) {
        out->soft = std::string_view(buffer.data() + starts[first + 1], size - starts[first + 1]);
      }
      break;
    case RegionLevel::kNone:
      break;
  }
  out->key = std::string_view(buffer.data() + starts[first], size - starts[first]);
  out->full = std::string_view(buffer.data(), size);
  return true;
}

// A name within its parent: the key of the name index. Views the arena or a KeyBuffer.
struct NameKey {
  const char* data = nullptr;
  uint32_t parent = 0;  // the parent's code (at most 6 digits); 0 for a provinsi
  uint8_t size = 0;
  NameKind kind = NameKind::kAny;

  friend bool operator==(const NameKey& a, const NameKey& b) {
    return a.parent == b.parent && a.kind == b.kind && a.size == b.size &&
           std::memcmp(a.data, b.data, a.size) == 0;
  }
  template <typename H>
  friend H AbslHashValue(H h, const NameKey& key) {
    return H::combine(H::combine_contiguous(std::move(h), key.data, key.size), key.parent, key.kind,
                      key.size);
  }
};

NameKey MakeKey(KodeWilayah parent, NameKind kind, std::string_view key) {
  return NameKey{key.data(), static_cast<uint32_t>(parent), static_cast<uint8_t>(key.size()), kind};
}

// Which region a NameKey names in each edition. The region's code is parent *
// kChildFactor[level] + local[edition]; local numbers are below 10,000, so an entry takes
// 8 bytes.
struct NameEntry {
  std::array<uint16_t, kRegionEditionCount> local{};
  uint8_t present = 0;    // bit per edition
  uint8_t ambiguous = 0;  // bit per edition: another region of the parent has the same key
};

template <typename Map>
size_t HashMapBytes(const Map& map) {
  // One control byte per slot plus the slots (absl's Swiss table layout).
  return map.capacity() * (sizeof(typename Map::value_type) + 1);
}

template <typename T>
size_t VectorBytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

// ---- free functions --------------------------------------------------------------------------

RegionLevel LevelOfCode(KodeWilayah code) {
  if (code >= 10 && code <= 99) return RegionLevel::kProvinsi;
  if (code >= 1'000 && code <= 9'999) return RegionLevel::kKabKota;
  if (code >= 100'000 && code <= 999'999) return RegionLevel::kKecamatan;
  if (code >= 1'000'000'000 && code <= 9'999'999'999) return RegionLevel::kDesa;
  return RegionLevel::kNone;
}

KodeWilayah AncestorCode(KodeWilayah code, RegionLevel level) {
  const RegionLevel own = LevelOfCode(code);
  if (own == RegionLevel::kNone || level == RegionLevel::kNone || level > own) return 0;
  return code / Pow10(kCodeDigits[LevelIndex(own)] - kCodeDigits[LevelIndex(level)]);
}

absl::StatusOr<KodeWilayah> ParseKodeWilayah(std::string_view text) {
  KodeWilayah code = 0;
  if (TryParseKode(text, &code)) return code;
  return absl::InvalidArgumentError(
      StrCat("kode_wilayah '", text,
             "' is not a region code: expected 2, 4, 6 or 10 digits not starting with 0, "
             "optionally dotted as 32.01.01.2001"));
}

std::string FormatKodeWilayah(KodeWilayah code, bool dotted) {
  std::string digits = std::to_string(code);
  if (!dotted || LevelOfCode(code) == RegionLevel::kNone) return digits;
  std::string out;
  out.reserve(digits.size() + 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i == 2 || i == 4 || i == 6) out.push_back('.');
    out.push_back(digits[i]);
  }
  return out;
}

// ---- the table -------------------------------------------------------------------------------

struct RegionTable::Edition {
  // Keeps a copy of `region`; the address stays valid for the edition's life.
  const Region* Store(const Region& region) {
    if (region_blocks.empty() || regions_in_last_block == kRegionBlockSize) {
      region_blocks.push_back(std::make_unique<Region[]>(kRegionBlockSize));
      regions_in_last_block = 0;
    }
    Region* stored = &region_blocks.back()[regions_in_last_block++];
    *stored = region;
    return stored;
  }

  // The index of `code` in `ordered`, or -1. A binary search within the code's level: no hash
  // table to build at load, and the searches stay in one contiguous array.
  int64_t Position(KodeWilayah code) const {
    const int level = LevelIndex(LevelOfCode(code));
    if (level == 0 || codes.empty()) return -1;
    auto begin = codes.begin() + level_begin[level];
    auto end = codes.begin() + level_begin[level + 1];
    auto it = std::lower_bound(begin, end, code);
    return it != end && *it == code ? it - codes.begin() : -1;
  }

  // As ordered[Position(code)] or nullptr, trying `hint` and the position after it first;
  // leaves `hint` just after the region found.
  const Region* FindNear(KodeWilayah code, uint32_t& hint) const {
    for (uint32_t i = hint; i < hint + 2 && i < codes.size(); ++i) {
      if (codes[i] == code) {
        hint = i + 1;
        return ordered[i];
      }
    }
    const int64_t position = Position(code);
    if (position < 0) return nullptr;
    hint = static_cast<uint32_t>(position) + 1;
    return ordered[position];
  }

  size_t MemoryUsage() const {
    return region_blocks.size() * kRegionBlockSize * sizeof(Region) + VectorBytes(region_blocks) +
           VectorBytes(ordered) + VectorBytes(children) + VectorBytes(codes);
  }

  bool present = false;
  // The regions this edition does not share with a newer one, in blocks that never move.
  std::vector<std::unique_ptr<Region[]>> region_blocks;
  size_t regions_in_last_block = 0;
  // Every region of the edition (its own or a newer edition's identical one), ordered by
  // (level, code): what the spans point into. Level L occupies [level_begin[L],
  // level_begin[L + 1]).
  std::vector<const Region*> ordered;
  std::array<uint32_t, kLevelCount + 2> level_begin{};
  std::vector<KodeWilayah> codes;  // codes[i] == ordered[i]->code, searched by Position()
  // Children of ordered[i] (levels 1-3 only; desa have none), as a range of `ordered`.
  std::vector<std::pair<uint32_t, uint32_t>> children;
};

struct RegionTable::NameIndex {
  absl::flat_hash_map<NameKey, NameEntry> names;
  absl::flat_hash_map<NameKey, KodeWilayah> aliases;
};

struct RegionTable::Match {
  KodeWilayah code = 0;         // 0: not resolved
  KodeWilayah alternative = 0;  // a bare kab/kota name's kota when it also names a kabupaten
  bool ambiguous = false;
};

namespace {

// The arena copy of `text`: blocks never move, so the views stay valid for the table's life.
std::string_view CopyToArena(std::vector<std::unique_ptr<char[]>>& blocks, size_t& used,
                             size_t& capacity, std::string_view text) {
  if (capacity - used < text.size()) {
    capacity = std::max(kTextBlockSize, text.size());
    blocks.push_back(std::make_unique<char[]>(capacity));
    used = 0;
  }
  char* out = blocks.back().get() + used;
  std::memcpy(out, text.data(), text.size());
  used += text.size();
  return std::string_view(out, text.size());
}

// A row of an edition until the edition is ordered. Ordered by code, then line.
struct PendingRow {
  KodeWilayah code;
  const Region* region;
  uint32_t line;

  friend bool operator<(const PendingRow& a, const PendingRow& b) {
    return a.code != b.code ? a.code < b.code : a.line < b.line;
  }
};

// Sorts [begin, end). The older editions list a few desa out of order within their kecamatan:
// insertion sort fixes that in one pass, and falls back to std::sort should the input be far
// from sorted.
template <typename It>
void SortNearlySorted(It begin, It end) {
  const size_t budget = 8 * static_cast<size_t>(end - begin);
  size_t moves = 0;
  for (It i = begin; i != end; ++i) {
    for (It j = i; j != begin && *j < *(j - 1); --j) {
      std::iter_swap(j, j - 1);
      if (++moves > budget) {
        std::sort(begin, end);
        return;
      }
    }
  }
}

// Checks jenis against the level and sets the region's kind flags.
bool ApplyJenis(std::string_view jenis, Region* region) {
  switch (region->level) {
    case RegionLevel::kProvinsi:
      return jenis == "provinsi";
    case RegionLevel::kKabKota:
      region->is_kota = jenis == "kota";
      return jenis == "kota" || jenis == "kabupaten";
    case RegionLevel::kKecamatan:
      return jenis == "kecamatan";
    case RegionLevel::kDesa:
      region->is_kelurahan = jenis == "kelurahan";
      return jenis == "kelurahan" || jenis == "desa" || jenis == "desa_adat";
    case RegionLevel::kNone:
      break;
  }
  return false;
}

constexpr std::string_view kJenisByLevel[] = {"", "provinsi", "kabupaten or kota", "kecamatan",
                                              "desa, kelurahan or desa_adat"};

}  // namespace

RegionTable::RegionTable() : names_(std::make_unique<NameIndex>()) {
  for (int e = 0; e < kRegionEditionCount; ++e) editions_.push_back(std::make_unique<Edition>());
}

RegionTable::~RegionTable() = default;

absl::StatusOr<std::unique_ptr<RegionTable>> RegionTable::LoadEmbedded() {
  std::array<std::string_view, kRegionEditionCount> editions;
  for (int e = 0; e < kRegionEditionCount; ++e) {
    PADAN_ASSIGN_OR_RETURN(editions[e], EmbeddedFile(kEmbeddedEditions[e]));
  }
  PADAN_ASSIGN_OR_RETURN(std::string_view aliases, EmbeddedFile(kEmbeddedAliases));
  return Load(editions, kEmbeddedEditions, aliases, kEmbeddedAliases, /*csv_is_static=*/true);
}

absl::StatusOr<std::unique_ptr<RegionTable>> RegionTable::FromCsv(
    std::span<const std::string_view> editions) {
  return FromCsv(editions, "");
}

absl::StatusOr<std::unique_ptr<RegionTable>> RegionTable::FromCsv(
    std::span<const std::string_view> editions, std::string_view aliases_csv) {
  std::array<std::string, kRegionEditionCount> names;
  std::array<std::string_view, kRegionEditionCount> sources;
  for (int e = 0; e < kRegionEditionCount; ++e) {
    names[e] = StrCat("region table edition ", kEditionNames[e]);
    sources[e] = names[e];
  }
  return Load(editions, sources, aliases_csv, "region aliases", /*csv_is_static=*/false);
}

absl::StatusOr<std::unique_ptr<RegionTable>> RegionTable::Load(
    std::span<const std::string_view> editions, std::span<const std::string_view> sources,
    std::string_view aliases_csv, std::string_view aliases_source, bool csv_is_static) {
  if (editions.size() > static_cast<size_t>(kRegionEditionCount)) {
    return absl::InvalidArgumentError(StrCat("the region table has ", kRegionEditionCount,
                                             " editions; ", editions.size(), " were given"));
  }
  std::unique_ptr<RegionTable> table(new RegionTable());
  for (size_t e = 0; e < editions.size(); ++e) {
    if (editions[e].empty()) continue;
    PADAN_RETURN_IF_ERROR(
        table->LoadEdition(static_cast<int>(e), editions[e], sources[e], csv_is_static));
  }
  for (int e = 0; e < kRegionEditionCount; ++e) {
    for (const Region* r : table->AtLevel(RegionLevel::kKecamatan, static_cast<RegionEdition>(e))) {
      table->kecamatan_.push_back(r->code);
    }
  }
  std::sort(table->kecamatan_.begin(), table->kecamatan_.end());
  table->kecamatan_.erase(std::unique(table->kecamatan_.begin(), table->kecamatan_.end()),
                          table->kecamatan_.end());
  if (!aliases_csv.empty()) PADAN_RETURN_IF_ERROR(table->LoadAliases(aliases_csv, aliases_source));
  return table;
}

absl::Status RegionTable::LoadEdition(int e, std::string_view csv, std::string_view source,
                                      bool csv_is_static) {
  Edition& edition = *editions_[e];
  edition.present = true;
  ReferenceCsvReader reader(csv, source);
  PADAN_RETURN_IF_ERROR(
      reader.ReadHeader({"kode", "kode_nodot", "level", "jenis", "nama", "kode_induk"}));

  // Rows per level, in file order until sorted below. The tables have about 51 bytes a row;
  // an estimate is enough, since the containers grow when it is short.
  const size_t expected_rows = csv.size() / kBytesPerRow + 1;
  std::array<std::vector<PendingRow>, kLevelCount + 1> by_level;
  by_level[LevelIndex(RegionLevel::kDesa)].reserve(expected_rows);
  if (names_->names.capacity() < expected_rows) {
    // The editions share most keys: about 1.05 times the rows of the largest one in all.
    names_->names.reserve(expected_rows + expected_rows / 20);
  }
  KeyBuffer buffer;
  // Per newer edition and level, where the last row's code was found: rows come in code order
  // within a level, so the next one is usually just after it.
  std::array<std::array<uint32_t, kLevelCount + 1>, kRegionEditionCount> hints{};
  while (reader.Next()) {
    PADAN_RETURN_IF_ERROR(reader.ExpectFieldCount(6));
    const std::string_view kode = reader.field(0);
    const std::string_view kode_nodot = reader.field(1);
    const std::string_view level_text = reader.field(2);
    const std::string_view jenis = reader.field(3);
    const std::string_view nama = reader.field(4);
    const std::string_view kode_induk = reader.field(5);

    Region region;
    if (!ParseDecimal(kode_nodot, &region.code) || kode_nodot[0] == '0' ||
        LevelOfCode(region.code) == RegionLevel::kNone) {
      return reader.Error(
          StrCat("kode_nodot '", kode_nodot, "' is not a 2, 4, 6 or 10-digit region code"));
    }
    region.level = LevelOfCode(region.code);
    KodeWilayah dotted = 0;
    if (!IsDottedForm(kode, kode_nodot) &&
        !(TryParseKode(kode, &dotted) && dotted == region.code)) {
      return reader.Error(StrCat("kode '", kode, "' does not match kode_nodot '", kode_nodot, "'"));
    }
    const int level = LevelIndex(region.level);
    if (level_text.size() != 1 || level_text[0] != static_cast<char>('0' + level)) {
      return reader.Error(StrCat("level '", level_text, "' does not match the ", kCodeDigits[level],
                                 "-digit code ", region.code, " (level ", level, ")"));
    }
    if (!ApplyJenis(jenis, &region)) {
      return reader.Error(StrCat("jenis '", jenis, "' is not a level-", level, " kind (",
                                 kJenisByLevel[level], ")"));
    }
    if (region.level == RegionLevel::kProvinsi) {
      if (!kode_induk.empty()) {
        return reader.Error(StrCat("kode_induk '", kode_induk, "' given for a provinsi"));
      }
    } else {
      region.parent = AncestorCode(region.code, static_cast<RegionLevel>(level - 1));
      const KodeWilayah expected = region.parent;
      // `kode` matched kode_nodot above, so a dotted parent code is its prefix: a comparison
      // is enough, and cheaper than parsing.
      const bool prefix = !kode_induk.empty() && kode.size() > kode_induk.size() &&
                          kode.starts_with(kode_induk) && kode[kode_induk.size()] == '.';
      KodeWilayah parsed = 0;
      if (!prefix && !(TryParseKode(kode_induk, &parsed) && parsed == expected)) {
        return reader.Error(StrCat("kode_induk '", kode_induk, "' is not the parent of ",
                                   region.code, " (expected ", FormatKodeWilayah(expected, true),
                                   ")"));
      }
    }
    // Most regions of an older edition are those of a newer one, byte for byte (95% of the
    // rows): the edition then points to the newer Region, and its name, already checked, needs
    // no index entry, since lookups try the newest edition first and never reach an older
    // edition's entry for a key a newer one has. This saves a third of the memory and two
    // thirds of the hash-table work.
    const Region* same = nullptr;
    for (int newer = 0; newer < e && same == nullptr; ++newer) {
      same = editions_[newer]->FindNear(region.code, hints[newer][level]);
      if (same != nullptr && (same->nama != nama || same->is_kota != region.is_kota ||
                              same->is_kelurahan != region.is_kelurahan)) {
        same = nullptr;
      }
    }
    if (same == nullptr) {
      NormalizedName name;
      if (!NormalizeRegionName(nama, region.level, buffer, &name)) {
        return reader.Error(StrCat("nama '", nama, "' is empty or not a region name"));
      }
      // The reader's fields are views into the CSV text unless unescaped; embedded text lives
      // as long as the process.
      const bool in_csv = nama.data() >= csv.data() && nama.data() < csv.data() + csv.size();
      region.nama = csv_is_static && in_csv
                        ? nama
                        : CopyToArena(text_, text_block_used_, text_block_size_, nama);
      AddName(e, region, name.key);
      same = edition.Store(region);
    }
    by_level[level].push_back(PendingRow{same->code, same, static_cast<uint32_t>(reader.line())});
  }
  PADAN_RETURN_IF_ERROR(reader.status());

  // The files list regions depth-first; `ordered` sorts them by (level, code), so that a level,
  // and the children of one region, are each a contiguous run.
  size_t total = 0;
  for (auto& rows : by_level) {
    SortNearlySorted(rows.begin(), rows.end());
    total += rows.size();
  }
  edition.ordered.reserve(total);
  edition.codes.reserve(total);
  std::vector<uint32_t> ordered_lines;  // of ordered[i]
  ordered_lines.reserve(total);
  for (int level = 1; level <= kLevelCount; ++level) {
    edition.level_begin[level] = static_cast<uint32_t>(edition.ordered.size());
    const std::vector<PendingRow>& rows = by_level[level];
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i > 0 && rows[i].code == rows[i - 1].code) {
        const auto [first, second] = std::minmax(rows[i - 1].line, rows[i].line);
        return ReferenceError(
            source, second, StrCat("duplicate code ", rows[i].code, " (also on line ", first, ")"));
      }
      edition.ordered.push_back(rows[i].region);
      edition.codes.push_back(rows[i].code);
      ordered_lines.push_back(rows[i].line);
    }
  }
  edition.level_begin[kLevelCount + 1] = static_cast<uint32_t>(edition.ordered.size());

  // Children: walk each level beside its parents' level, both ordered by code.
  edition.children.assign(edition.level_begin[LevelIndex(RegionLevel::kDesa)], {0, 0});
  for (int level = 2; level <= kLevelCount; ++level) {
    uint32_t parent = edition.level_begin[level - 1];
    const uint32_t parent_end = edition.level_begin[level];
    for (uint32_t i = edition.level_begin[level]; i < edition.level_begin[level + 1]; ++i) {
      const KodeWilayah wanted = edition.ordered[i]->parent;
      while (parent < parent_end && edition.ordered[parent]->code < wanted) ++parent;
      if (parent == parent_end || edition.ordered[parent]->code != wanted) {
        return ReferenceError(
            source, ordered_lines[i],
            StrCat("parent ", FormatKodeWilayah(wanted, true), " of ",
                   FormatKodeWilayah(edition.ordered[i]->code, true), " is not in the table"));
      }
      auto& range = edition.children[parent];
      if (range.first == range.second) range.first = i;
      range.second = i + 1;
    }
  }
  return absl::OkStatus();
}

void RegionTable::AddName(int e, const Region& region, std::string_view name_key) {
  NameKind kind = NameKind::kAny;
  if (region.level == RegionLevel::kKabKota) {
    kind = region.is_kota ? NameKind::kKota : NameKind::kKabupaten;
  }
  const NameKey key = MakeKey(region.parent, kind, name_key);
  NameEntry& entry =
      names_->names
          .lazy_emplace(
              key,
              [&](const auto& construct) {
                NameKey stored = key;
                stored.data =
                    CopyToArena(text_, text_block_used_, text_block_size_, name_key).data();
                construct(stored, NameEntry{});
              })
          ->second;
  const uint8_t bit = static_cast<uint8_t>(1u << e);
  const uint16_t local =
      static_cast<uint16_t>(region.code - region.parent * kChildFactor[LevelIndex(region.level)]);
  if (!(entry.present & bit)) {
    entry.present |= bit;
    entry.local[e] = local;
  } else {
    // Two regions of one parent share the name: the entry keeps the lower code.
    entry.ambiguous |= bit;
    entry.local[e] = std::min(entry.local[e], local);
  }
}

absl::Status RegionTable::LoadAliases(std::string_view csv, std::string_view source) {
  ReferenceCsvReader reader(csv, source);
  PADAN_RETURN_IF_ERROR(reader.ReadHeader({"alias", "kode"}));
  KeyBuffer buffer;
  while (reader.Next()) {
    PADAN_RETURN_IF_ERROR(reader.ExpectFieldCount(2));
    const std::string_view alias = reader.field(0);
    KodeWilayah code = 0;
    if (!TryParseKode(reader.field(1), &code)) {
      return reader.Error(StrCat("kode '", reader.field(1), "' is not a region code"));
    }
    const Region* region = FindAnyEdition(code);
    if (region == nullptr) {
      return reader.Error(StrCat("kode ", code, " is in no edition of the region table"));
    }
    NormalizedName name;
    if (!NormalizeRegionName(alias, region->level, buffer, &name)) {
      return reader.Error(StrCat("alias '", alias, "' is empty or not a region name"));
    }
    NameKind kind = NameKind::kAny;
    if (region->level == RegionLevel::kKabKota) {
      kind = region->is_kota ? NameKind::kKota : NameKind::kKabupaten;
      if (name.kind != NameKind::kAny && name.kind != kind) {
        return reader.Error(StrCat("alias '", alias, "' names a ",
                                   name.kind == NameKind::kKota ? "kota" : "kabupaten", " but ",
                                   code, " is a ", region->is_kota ? "kota" : "kabupaten"));
      }
    }
    NameKey key = MakeKey(region->parent, kind, name.key);
    // An alias that is some edition's name of the same region is redundant (and harmless);
    // one that is the name of another region would never be reached.
    if (auto it = names_->names.find(key); it != names_->names.end()) {
      for (int e = 0; e < kRegionEditionCount; ++e) {
        const KodeWilayah named =
            region->parent * kChildFactor[LevelIndex(region->level)] + it->second.local[e];
        if ((it->second.present & (1u << e)) && named != code) {
          return reader.Error(StrCat("alias '", alias, "' for ", code,
                                     " is the name of another region, ", named, ", in edition ",
                                     kEditionNames[e]));
        }
      }
      continue;
    }
    if (auto it = names_->aliases.find(key); it != names_->aliases.end()) {
      if (it->second != code) {
        return reader.Error(
            StrCat("alias '", alias, "' for ", code, " already stands for ", it->second));
      }
      continue;
    }
    key.data = CopyToArena(text_, text_block_used_, text_block_size_, name.key).data();
    names_->aliases.emplace(key, code);
  }
  return reader.status();
}

// ---- lookups ---------------------------------------------------------------------------------

const Region* RegionTable::Find(KodeWilayah code, RegionEdition edition) const {
  const Edition& e = *editions_[static_cast<int>(edition)];
  const int64_t position = e.Position(code);
  return position < 0 ? nullptr : e.ordered[position];
}

const Region* RegionTable::FindAnyEdition(KodeWilayah code) const {
  for (int e = 0; e < kRegionEditionCount; ++e) {
    if (const Region* r = Find(code, static_cast<RegionEdition>(e)); r != nullptr) return r;
  }
  return nullptr;
}

bool RegionTable::KnownKecamatan(KodeWilayah kecamatan_code) const {
  return std::binary_search(kecamatan_.begin(), kecamatan_.end(), kecamatan_code);
}

std::span<const Region* const> RegionTable::Children(KodeWilayah code,
                                                     RegionEdition edition) const {
  if (code == 0) return AtLevel(RegionLevel::kProvinsi, edition);
  const Edition& e = *editions_[static_cast<int>(edition)];
  const int64_t position = e.Position(code);
  if (position < 0 || static_cast<size_t>(position) >= e.children.size()) return {};
  const auto [begin, end] = e.children[position];
  return std::span<const Region* const>(e.ordered.data() + begin, end - begin);
}

std::span<const Region* const> RegionTable::AtLevel(RegionLevel level,
                                                    RegionEdition edition) const {
  if (level == RegionLevel::kNone) return {};
  const Edition& e = *editions_[static_cast<int>(edition)];
  if (e.ordered.empty()) return {};
  const int l = LevelIndex(level);
  return std::span<const Region* const>(e.ordered.data() + e.level_begin[l],
                                        e.level_begin[l + 1] - e.level_begin[l]);
}

size_t RegionTable::MemoryUsage() const {
  size_t bytes = VectorBytes(editions_) + VectorBytes(text_) + VectorBytes(kecamatan_) +
                 sizeof(NameIndex) + HashMapBytes(names_->names) + HashMapBytes(names_->aliases);
  for (const auto& e : editions_) bytes += sizeof(Edition) + e->MemoryUsage();
  bytes += (text_.size() > 1 ? (text_.size() - 1) * kTextBlockSize : 0) + text_block_size_;
  return bytes;
}

// ---- ResolveNames ----------------------------------------------------------------------------

namespace {

// The region a name key stands for within a parent: the newest edition's, else an alias's.
struct Hit {
  KodeWilayah code = 0;
  bool ambiguous = false;
};

}  // namespace

RegionResolution RegionTable::ResolveNames(std::string_view provinsi,
                                           std::string_view kabupaten_kota,
                                           std::string_view kecamatan,
                                           std::string_view desa) const {
  std::string_view texts[4] = {provinsi, kabupaten_kota, kecamatan, desa};
  for (std::string_view& text : texts) {
    if (!HasAlnum(text)) text = {};  // "", "  ", "-": not given
  }
  return ResolveFrom(texts, 0, RegionResolution{});
}

RegionResolution RegionTable::ResolveFrom(const std::string_view (&texts)[4], int index,
                                          RegionResolution resolved) const {
  for (int i = index; i < kLevelCount; ++i) {
    const RegionLevel level = static_cast<RegionLevel>(i + 1);
    if (texts[i].empty()) {
      // A later code carries its own ancestors; a later name needs this level as its parent.
      int next = i + 1;
      while (next < kLevelCount && texts[next].empty()) ++next;
      if (next == kLevelCount || !LooksLikeCode(texts[next])) break;
      continue;
    }
    const Match match = ResolveOne(level, resolved.code, texts[i]);
    if (match.code == 0) break;
    resolved = RegionResolution{match.code, level, match.ambiguous};
    bool more = false;
    for (int next = i + 1; next < kLevelCount; ++next) more = more || !texts[next].empty();
    if (match.alternative != 0 && more) {
      // A bare "Bogor": the names below tell the kabupaten from the kota.
      RegionResolution kabupaten = ResolveFrom(texts, i + 1, resolved);
      RegionResolution kota =
          ResolveFrom(texts, i + 1, RegionResolution{match.alternative, level, true});
      if (kota.level > kabupaten.level) return kota;
      if (kota.level == kabupaten.level && kabupaten.level != level) kabupaten.ambiguous = true;
      return kabupaten;
    }
  }
  return resolved;
}

RegionTable::Match RegionTable::ResolveOne(RegionLevel level, KodeWilayah parent,
                                           std::string_view text) const {
  if (LooksLikeCode(text)) {
    KodeWilayah code = 0;
    if (!TryParseKode(text, &code) || LevelOfCode(code) != level) return {};
    if (parent != 0 && AncestorCode(code, LevelOfCode(parent)) != parent) return {};
    if (FindAnyEdition(code) == nullptr) return {};
    return Match{code};
  }
  // A name is only unique within its parent.
  const int l = LevelIndex(level);
  if (l > 1 && LevelIndex(LevelOfCode(parent)) != l - 1) return {};
  KeyBuffer buffer;
  NormalizedName name;
  if (!NormalizeRegionName(text, level, buffer, &name)) return {};

  auto lookup = [&](NameKind kind, std::string_view key) -> Hit {
    const NameKey probe = MakeKey(parent, kind, key);
    if (auto it = names_->names.find(probe); it != names_->names.end()) {
      const NameEntry& entry = it->second;
      for (int e = 0; e < kRegionEditionCount; ++e) {
        if (entry.present & (1u << e)) {
          return Hit{parent * kChildFactor[l] + entry.local[e], (entry.ambiguous & (1u << e)) != 0};
        }
      }
    }
    if (auto it = names_->aliases.find(probe); it != names_->aliases.end()) {
      return Hit{it->second, false};
    }
    return {};
  };
  // Kabupaten first: bare names of kab/kota are most often the kabupaten's, and its code is
  // the lower.
  auto lookup_bare = [&](std::string_view key) -> Match {
    const Hit kabupaten = lookup(NameKind::kKabupaten, key);
    const Hit kota = lookup(NameKind::kKota, key);
    if (kabupaten.code != 0 && kota.code != 0) return Match{kabupaten.code, kota.code, true};
    if (kabupaten.code != 0) return Match{kabupaten.code, 0, kabupaten.ambiguous};
    return Match{kota.code, 0, kota.ambiguous};
  };

  if (level == RegionLevel::kKabKota) {
    if (name.kind == NameKind::kAny) return lookup_bare(name.key);
    Hit hit = lookup(name.kind, name.key);
    // "Kab. Batu" for Kota Batu: the name is right, the kind a common slip.
    if (hit.code == 0) {
      hit = lookup(name.kind == NameKind::kKota ? NameKind::kKabupaten : NameKind::kKota, name.key);
    }
    if (hit.code != 0) return Match{hit.code, 0, hit.ambiguous};
    // "Kota Baru" for Kabupaten Kotabaru: the prefix was part of the name.
    return lookup_bare(name.full);
  }
  Hit hit = lookup(NameKind::kAny, name.key);
  if (hit.code == 0 && !name.soft.empty()) hit = lookup(NameKind::kAny, name.soft);
  return Match{hit.code, 0, hit.ambiguous};
}

}  // namespace padan
