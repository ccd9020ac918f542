// AddressNormalizer: turns the `alamat` of a household as typed ("JL. MERDEKA NO.12A
// RT.003/RW.005", "Perum Griya Asri Blok C2 No. 5", "Dsn. Krajan Rt 1 Rw 2") into canonical
// words plus the parts that are compared on their own: RT, RW, house number and blok.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace padan {

// One normalised address. Value type; AddressNormalizer::Normalize(raw, &address) reuses its
// buffers. Holds no view into the raw text.
struct NormalizedAddress {
  // The words that remain once RT, RW, house number and blok are taken out, abbreviations
  // written out in full (jalan, gang, dusun, perumahan, komplek, kampung...), Roman numerals
  // as decimal ("Dusun III" → "dusun 3"), numbers without leading zeros.
  std::vector<std::string> tokens;
  // `tokens` joined by single spaces.
  std::string canonical;
  // Rukun tetangga and rukun warga; 0 when not written (or written as 0).
  int rt = 0;
  int rw = 0;
  // House number as written after No./Nomor (or Kav., or "/" after a street, or alone at the
  // end of a street): "12", "12a", "12/3"; empty when none.
  std::string number;
  // Blok of a housing estate: "c2", "a", "12"; empty when none.
  std::string blok;
  // The raw text was longer than AddressNormalizer::kMaxInputBytes or held more than
  // kMaxTokens tokens; the excess was ignored.
  bool truncated = false;

  // Working space of AddressNormalizer::Normalize(), reused between calls; not part of the
  // result.
  struct Scratch {
    struct Token {
      std::string_view text;  // into `folded`, or into the normaliser's table
      bool number = false;    // digits only
      bool glued = false;     // written against the previous token ("12a", "rt01")
      char separator = ' ';   // what stood before it: ' ', '/' or '-' (glued: '\0')
    };
    std::string folded;
    std::string key;
    std::vector<Token> raw;
    std::vector<Token> expanded;
  };
  Scratch scratch;
};

// Normalises addresses with the reviewed abbreviation table
// data/reference/wilayah/address_abbreviations.csv (README.md there, "Review"), whose every
// row leads to the full word. Steps:
//  1. UnicodeFold; tokens are runs of letters or of digits ("rt01" → rt, 01, glued), split at
//     any other character; '/' and '-' are remembered because "001/002" and "C-2" need them.
//  2. Abbreviations expanded, one- and two-word keys (jl, jln, street → jalan; gg → gang; dsn
//     → dusun; perum → perumahan; no, nmr → nomor; kav → kavling; rk → rw...).
//  3. RT/RW in any of their written forms: "RT 001 RW 002", "RT.01/RW.02", "Rt 1 Rw 2",
//     "RT/RW 001/002", "RT01/RW02", "RT 01/02", and a bare "003/005" (both 1-3 digits) when no
//     RT is written.
//  4. House number after nomor ("No. 12", "No 12A", "Nomor 12/3"), kavling ("Kav. 3", when no
//     nomor), after "/" following a word ("Gg. Mawar II/3"), or a number ending an address that
//     starts with a street ("Jl.Merdeka 12"); blok after "Blok" ("Blok C2", "Blok C-2",
//     "Blok A") or a letter-and-number token before "/number" ("C2/5").
//  5. The remaining tokens: Roman numerals (i…xxxix) to decimal, leading zeros removed.
// Apostrophes do not split a word (Jum'at → jumat).
// Immutable after construction; Normalize() is thread-safe. About 0.2 µs per generated address
// (bench/matching/normalizer_bench.cc).
class AddressNormalizer {
 public:
  // Longer raw text is cut at a code point boundary: an alamat field is a line, and the cut
  // bounds the work for garbage input.
  static constexpr size_t kMaxInputBytes = 1024;
  // At most this many raw tokens are read.
  static constexpr size_t kMaxTokens = 64;

  // Loads wilayah/address_abbreviations.csv from the tables embedded in the binary.
  static absl::StatusOr<std::unique_ptr<AddressNormalizer>> LoadEmbedded();
  // `abbreviations_csv` has columns token,replacement,action (action replace or drop).
  // Returns kInvalidArgument naming the line of a malformed row: wrong header or field count,
  // a token or replacement that is not lower-case a-z words, a key of more than two words, an
  // unknown action, a duplicate token, a replacement that is itself replaced.
  static absl::StatusOr<std::unique_ptr<AddressNormalizer>> FromCsv(
      std::string_view abbreviations_csv);

  // Normalises `raw` (any bytes) into `*out`, replacing its content and reusing its buffers.
  void Normalize(std::string_view raw, NormalizedAddress* out) const;
  NormalizedAddress Normalize(std::string_view raw) const;

 private:
  AddressNormalizer() = default;

  // Splits the folded text into scratch.raw.
  void Tokenize(std::string_view source, NormalizedAddress* out) const;
  void Expand(NormalizedAddress* out) const;
  void Parse(NormalizedAddress* out) const;

  // Folded key (one word, or two joined by a space) → replacement words joined by spaces;
  // empty for a dropped word.
  absl::flat_hash_map<std::string_view, std::string_view> replacements_;
  std::deque<std::string> text_;  // owns the keys and replacements
};

}  // namespace padan
