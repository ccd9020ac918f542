// The string comparators' view of text: Unicode code points, read straight from the bytes when
// both strings are ASCII (most normalized names are) and decoded into a small inline buffer
// otherwise, plus the per-character position bitmasks the bit-parallel comparators share.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

#include "absl/container/inlined_vector.h"

namespace padan {

namespace internal {

inline uint64_t LoadWord(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

// The OR of all bytes of `s`, at least in their high bits. Names of 8 to 32 bytes, nearly all
// of them, are read with four loads at offsets spread evenly from the first to the last word
// (they overlap, and each gap is at most a word), so there is neither a loop nor a branch on
// the length for the branch predictor to miss: a mispredicted loop exit costs more than the
// whole check.
inline uint64_t OrOfBytes(std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  constexpr size_t kWord = sizeof(uint64_t);
  if (n - kWord <= 3 * kWord) {  // 8 <= n <= 32; wraps for n < 8
    const size_t last = n - kWord;
    return LoadWord(p) | LoadWord(p + last / 3) | LoadWord(p + 2 * last / 3) | LoadWord(p + last);
  }
  if (n > 3 * kWord) {
    uint64_t seen = LoadWord(p + n - kWord);
    for (size_t i = 0; i + kWord < n; i += kWord) seen |= LoadWord(p + i);
    return seen;
  }
  if (n >= 4) {
    uint32_t head;
    uint32_t tail;
    std::memcpy(&head, p, sizeof(head));
    std::memcpy(&tail, p + n - 4, sizeof(tail));
    return head | tail;
  }
  if (n == 0) return 0;
  // 1 to 3 bytes: first, middle and last cover them all.
  return static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) |
         static_cast<unsigned char>(p[n - 1]);
}

}  // namespace internal

// True when every byte of `a` and of `b` is below 0x80, so that bytes are code points.
// Inline, unlike IsAscii in data/utf8.h, because the comparators call it on every pair and the
// strings are short: the call would cost as much as the scan.
inline bool BothAscii(std::string_view a, std::string_view b) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  return ((internal::OrOfBytes(a) | internal::OrOfBytes(b)) & kHighBits) == 0;
}
// True when every byte of `s` is below 0x80.
inline bool AllAscii(std::string_view s) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  return (internal::OrOfBytes(s) & kHighBits) == 0;
}

// The number of code points in valid UTF-8 `text` (bytes that do not continue a sequence).
// Cheaper than decoding when only a length is wanted, e.g. to weight name tokens.
inline size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// CodePoints: the code points of a UTF-8 string, decoded once so a comparator can index them.
// Up to kInlineCapacity code points live inside the object; longer text goes to the heap.
// Ill-formed UTF-8 does not fail: each byte of an ill-formed sequence becomes the lone
// surrogate U+DC80 + (byte - 0x80) ("surrogateescape", PEP 383). No valid code point maps
// there, so distinct byte strings stay distinct and the comparators stay exact on any input.
// Value type; thread-compatible.
class CodePoints {
 public:
  // The bit-parallel comparators work on words of 64 positions; a name that fits one fits here.
  static constexpr size_t kInlineCapacity = 64;

  explicit CodePoints(std::string_view utf8);

  std::span<const char32_t> span() const { return {points_.data(), points_.size()}; }
  size_t size() const { return points_.size(); }
  char32_t operator[](size_t i) const { return points_[i]; }

 private:
  absl::InlinedVector<char32_t, kInlineCapacity> points_;
};

namespace internal {
// The decoding half of VisitCodePoints, kept out of line so that the ASCII half stays small
// enough to inline into each comparator, without the decoder's buffers in its stack frame.
template <typename Fn>
[[gnu::noinline]] decltype(auto) VisitDecodedCodePoints(std::string_view a, std::string_view b,
                                                        Fn&& fn) {
  CodePoints ca(a);
  CodePoints cb(b);
  return fn(ca.span(), cb.span());
}
}  // namespace internal

// Calls fn(x, y) on the code points of `a` and `b` and returns its result. When both are ASCII,
// x and y are std::span<const uint8_t> over the bytes themselves (no copy, no decoding);
// otherwise both are std::span<const char32_t> of decoded code points. `fn` is typically a
// generic lambda around a comparator templated on the element type. The spans are valid only
// during the call.
template <typename Fn>
decltype(auto) VisitCodePoints(std::string_view a, std::string_view b, Fn&& fn) {
  if (BothAscii(a, b)) [[likely]] {
    return fn(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(a.data()), a.size()),
              std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(b.data()), b.size()));
  }
  return internal::VisitDecodedCodePoints(a, b, fn);
}

// PositionMasks: for a pattern of at most as many characters as `Mask` has bits, the bitmask of
// the positions where each character occurs (bit i set when pattern[i] == c). This is the "Peq"
// table of Myers' and Hyyrö's bit-parallel edit distance and what lets Jaro find its matches
// with a few word operations instead of a scan of its window. CharT is uint8_t for ASCII bytes
// or char32_t for code points; the specializations below differ only in how they store the
// table. Mask is the comparator's word: uint32_t for patterns of up to 32 characters (most
// names), uint64_t up to 64.
// Thread-compatible; meant to live on the stack for one comparison.
template <typename CharT, typename Mask = uint64_t>
class PositionMasks;

// ASCII: a direct table of 128 masks. Clearing 1 KiB per comparison would cost more than
// comparing two names, so each thread keeps one table that is all zero between uses: the
// constructor sets the pattern's entries and the destructor clears them again, touching only
// |pattern| entries each time. (Stamping entries instead of clearing them measured slower: it
// doubles the loads of every lookup.) Should a second PositionMasks be alive on the same
// thread, it builds a table of its own, cleared whole.
template <typename Mask>
class PositionMasks<uint8_t, Mask> {
 public:
  // REQUIRES: pattern.size() <= bits of Mask; every byte of `pattern` and of the characters
  // later given to Get() is below 0x80; `pattern` outlives this object.
  explicit PositionMasks(std::span<const uint8_t> pattern)
      : pattern_(pattern), shared_(SharedTable()) {
    if (shared_.in_use) [[unlikely]] {
      masks_ = own_;
      std::memset(own_, 0, sizeof(own_));
    } else {
      shared_.in_use = true;
      masks_ = shared_.masks;
    }
    Mask bit = 1;
    for (uint8_t c : pattern) {
      masks_[c] |= bit;
      bit <<= 1;
    }
  }
  ~PositionMasks() {
    if (masks_ != shared_.masks) return;
    for (uint8_t c : pattern_) masks_[c] = 0;
    shared_.in_use = false;
  }
  PositionMasks(const PositionMasks&) = delete;
  PositionMasks& operator=(const PositionMasks&) = delete;

  Mask Get(uint8_t c) const { return masks_[c]; }

 private:
  struct Table {
    Mask masks[128];
    bool in_use;
  };
  // Zero-initialized once per thread, so no guard or constructor runs on access.
  static Table& SharedTable() {
    thread_local Table table = {};
    return table;
  }

  std::span<const uint8_t> pattern_;
  Table& shared_;
  Mask* masks_;
  Mask own_[128];  // used only when the shared table is taken
};

// Code points: an open-addressing hash table, sized so that the 64 distinct characters a
// pattern can hold keep it at most half full.
template <typename Mask>
class PositionMasks<char32_t, Mask> {
 public:
  // REQUIRES: pattern.size() <= bits of Mask. Get() may be asked about any code point.
  explicit PositionMasks(std::span<const char32_t> pattern) {
    for (char32_t& key : keys_) key = kEmpty;
    Mask bit = 1;
    for (char32_t c : pattern) {
      size_t slot = Find(c);
      if (keys_[slot] == kEmpty) {
        keys_[slot] = c;
        masks_[slot] = 0;
      }
      masks_[slot] |= bit;
      bit <<= 1;
    }
  }
  Mask Get(char32_t c) const {
    size_t slot = Find(c);
    return keys_[slot] == kEmpty ? 0 : masks_[slot];
  }

 private:
  static constexpr int kSlotBits = 7;
  static constexpr size_t kSlots = size_t{1} << kSlotBits;
  // Above U+10FFFF, so no code point (nor an escaped byte) can collide with it.
  static constexpr char32_t kEmpty = 0xFFFFFFFF;

  // The slot holding `c`, or the empty slot where it would go.
  size_t Find(char32_t c) const {
    // Fibonacci hashing: the top bits of the product spread consecutive code points apart.
    size_t slot = (static_cast<uint32_t>(c) * 0x9E3779B1u) >> (32 - kSlotBits);
    while (keys_[slot] != kEmpty && keys_[slot] != c) slot = (slot + 1) & (kSlots - 1);
    return slot;
  }

  char32_t keys_[kSlots];
  Mask masks_[kSlots];  // valid where keys_ is not kEmpty
};

// The length of the longest common prefix of `a` and `b`, and of the longest common suffix.
// Edit distances drop both before their DP (see levenshtein.h). Bytes are compared a word at a
// time, since the near-identical names that reach a DP share most of their characters.
template <typename CharT>
size_t CommonPrefixLength(std::span<const CharT> a, std::span<const CharT> b) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  if constexpr (std::is_same_v<CharT, uint8_t> && std::endian::native == std::endian::little) {
    for (; i + sizeof(uint64_t) <= n; i += sizeof(uint64_t)) {
      uint64_t wa;
      uint64_t wb;
      std::memcpy(&wa, a.data() + i, sizeof(wa));
      std::memcpy(&wb, b.data() + i, sizeof(wb));
      if (wa != wb) return i + static_cast<size_t>(std::countr_zero(wa ^ wb)) / 8;
    }
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

template <typename CharT>
size_t CommonSuffixLength(std::span<const CharT> a, std::span<const CharT> b) {
  const size_t n = std::min(a.size(), b.size());
  const CharT* end_a = a.data() + a.size();
  const CharT* end_b = b.data() + b.size();
  size_t i = 0;
  if constexpr (std::is_same_v<CharT, uint8_t> && std::endian::native == std::endian::little) {
    for (; i + sizeof(uint64_t) <= n; i += sizeof(uint64_t)) {
      uint64_t wa;
      uint64_t wb;
      std::memcpy(&wa, end_a - i - sizeof(wa), sizeof(wa));
      std::memcpy(&wb, end_b - i - sizeof(wb), sizeof(wb));
      // The last byte is the most significant.
      if (wa != wb) return i + static_cast<size_t>(std::countl_zero(wa ^ wb)) / 8;
    }
  }
  while (i < n &&
         end_a[-1 - static_cast<std::ptrdiff_t>(i)] == end_b[-1 - static_cast<std::ptrdiff_t>(i)]) {
    ++i;
  }
  return i;
}

// A lower bound on the Levenshtein and the Damerau-Levenshtein distance of `a` and `b` from the
// characters each has and the other lacks. Characters fall into 64 classes (code point mod 64;
// ASCII letters of one case get a class each): a class present in `a` but absent from `b` needs
// a deletion or substitution of its own, and the reverse an insertion or substitution, while a
// transposition changes neither set. Coarse classes can only lower the bound. It costs one pass
// over both strings and lets the cutoff forms reject most unrelated names before the DP.
template <typename CharT>
int MissingCharacterBound(std::span<const CharT> a, std::span<const CharT> b) {
  uint64_t in_a = 0;
  uint64_t in_b = 0;
  for (CharT c : a) in_a |= uint64_t{1} << (static_cast<uint32_t>(c) & 63);
  for (CharT c : b) in_b |= uint64_t{1} << (static_cast<uint32_t>(c) & 63);
  return std::max(std::popcount(in_a & ~in_b), std::popcount(in_b & ~in_a));
}

}  // namespace padan
