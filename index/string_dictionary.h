// StringDictionary: dictionary coding of a column's repeated strings (tempat_lahir, pekerjaan,
// pendidikan, disabilitas, dusun...): each distinct string gets a dense uint32_t code, so a
// record holds a small number instead of its own copy of the text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"

#include "data/absl_strings.h"
#include "index/string_arena.h"

namespace padan {

// StringDictionary maps distinct strings to dense codes 1, 2, 3... in first-seen order; the
// empty string is always code 0, so a zero-initialised column reads as "empty". Strings are
// copied once into the dictionary's arena; views returned by Get live as long as the
// dictionary (also across a move of it). Codes never change and are never reused.
//
// Thread-safety: const methods may run concurrently from many threads; Intern requires
// exclusive access.
// Cost: per distinct string its bytes plus about 50 bytes of table (a view and a hash slot);
// suited to columns whose distinct values are far fewer than their rows.
class StringDictionary {
 public:
  static constexpr uint32_t kEmptyCode = 0;
  // Codes are uint32_t, so at most 2^32 distinct strings, the empty one included.
  static constexpr uint64_t kMaxSize = uint64_t{1} << 32;

  StringDictionary();

  StringDictionary(const StringDictionary&) = delete;
  StringDictionary& operator=(const StringDictionary&) = delete;
  // A moved-from dictionary may only be destroyed or assigned to.
  StringDictionary(StringDictionary&&) = default;
  StringDictionary& operator=(StringDictionary&&) = default;

  // Returns the code of `text`, giving it the next free code when it is new.
  // REQUIRES: size() < kMaxSize, or `text` is already in the dictionary.
  uint32_t Intern(std::string_view text);

  // The code of `text`, or nullopt when it was never interned.
  std::optional<uint32_t> Find(std::string_view text) const;

  // The string with `code`. REQUIRES: code < size().
  std::string_view Get(uint32_t code) const { return strings_[code]; }

  // Number of codes handed out, the empty string's included.
  size_t size() const { return strings_.size(); }

  // Heap bytes held: text, code table and hash table.
  size_t MemoryUsage() const;

 private:
  // Hashes through absl::string_view: Debian's abseil has no AbslHashValue for
  // std::string_view and would fall back to std::hash.
  struct TextHash {
    size_t operator()(std::string_view text) const {
      return absl::Hash<absl::string_view>{}(ToAbsl(text));
    }
  };

  StringArena arena_;
  std::vector<std::string_view> strings_;                            // code -> text in arena_
  absl::flat_hash_map<std::string_view, uint32_t, TextHash> codes_;  // text -> code, "" excluded
};

}  // namespace padan
