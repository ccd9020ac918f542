#include "index/string_dictionary.h"

#include <cassert>

namespace padan {
namespace {

// Dictionaries hold few, short strings; 64 KiB chunks keep a small dictionary small.
constexpr size_t kDictionaryChunkBytes = size_t{64} << 10;

// Heap bytes of an absl flat hash container: per bucket one control byte and one slot, plus
// the sentinel and the cloned control bytes of one SSE group (abseil's raw_hash_set layout).
template <typename Table>
size_t HashTableBytes(const Table& table) {
  constexpr size_t kClonedControlBytes = 16;
  if (table.capacity() == 0) return 0;
  return table.capacity() * (1 + sizeof(typename Table::value_type)) + kClonedControlBytes;
}

}  // namespace

StringDictionary::StringDictionary() : arena_(kDictionaryChunkBytes), strings_(1) {}

uint32_t StringDictionary::Intern(std::string_view text) {
  if (text.empty()) return kEmptyCode;
  auto it = codes_.find(text);
  if (it != codes_.end()) return it->second;
  assert(strings_.size() < kMaxSize);
  const auto code = static_cast<uint32_t>(strings_.size());
  std::string_view stored = arena_.Get(arena_.Append(text), text.size());
  strings_.push_back(stored);
  codes_.emplace(stored, code);
  return code;
}

std::optional<uint32_t> StringDictionary::Find(std::string_view text) const {
  if (text.empty()) return kEmptyCode;
  auto it = codes_.find(text);
  if (it == codes_.end()) return std::nullopt;
  return it->second;
}

size_t StringDictionary::MemoryUsage() const {
  return arena_.MemoryUsage() + strings_.capacity() * sizeof(std::string_view) +
         HashTableBytes(codes_);
}

}  // namespace padan
