#include "index/match_name_cache.h"

#include <algorithm>
#include <cstring>

#include "data/absl_strings.h"
#include "index/record_store.h"
#include "index/snapshot_file.h"

namespace padan {
namespace {

// The section's format; Read refuses any other (the registry then rebuilds the cache).
constexpr uint32_t kFormatVersion = 1;
// Entry header bit: the token spans are written as (offset, length) pairs because they are not
// the normaliser's usual layout (tokens one space apart from offset 0), which is written as
// lengths alone.
constexpr uint8_t kExplicitSpans = 1;
// Bounds Check enforces on an entry: a normalised name is cut at 512 input bytes and 32 tokens
// (NameNormalizer::kMaxInputBytes, kMaxTokens); what the token spans can address.
constexpr uint64_t kMaxTextBytes = UINT16_MAX;
constexpr uint64_t kMaxTokens = 64;

void PutVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

// Reads an entry, refusing to read past its end.
class EntryReader {
 public:
  explicit EntryReader(std::string_view bytes) : bytes_(bytes) {}
  bool Varint(uint64_t* value) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) return false;
      const uint8_t byte = static_cast<uint8_t>(bytes_[pos_++]);
      v |= uint64_t{byte & 0x7fu} << shift;
      if (byte < 0x80) {
        *value = v;
        return true;
      }
    }
    return false;
  }
  bool Byte(uint8_t* value) {
    if (pos_ >= bytes_.size()) return false;
    *value = static_cast<uint8_t>(bytes_[pos_++]);
    return true;
  }
  bool Bytes(uint64_t size, std::string_view* out) {
    if (size > bytes_.size() - pos_) return false;
    *out = bytes_.substr(pos_, size);
    pos_ += size;
    return true;
  }
  bool done() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

// Decodes `entry` into `*out`; false (with `*out` unspecified) for bytes that are no entry.
bool DecodeChecked(std::string_view entry, MatchName* out) {
  EntryReader reader(entry);
  uint8_t flags = 0;
  uint64_t size = 0;
  uint64_t tokens = 0;
  uint64_t mask = 0;
  std::string_view text;
  if (!reader.Byte(&flags) || (flags & ~kExplicitSpans) != 0 || !reader.Varint(&size) ||
      size > kMaxTextBytes || !reader.Bytes(size, &text)) {
    return false;
  }
  out->canonical.assign(text.data(), text.size());
  if (!reader.Varint(&tokens) || tokens > kMaxTokens) return false;
  out->token_spans.clear();
  uint64_t offset = 0;
  for (uint64_t i = 0; i < tokens; ++i) {
    uint64_t length = 0;
    if ((flags & kExplicitSpans) != 0 && !reader.Varint(&offset)) return false;
    if (!reader.Varint(&length) || offset + length > size) return false;
    out->token_spans.emplace_back(static_cast<uint16_t>(offset), static_cast<uint16_t>(length));
    offset += length + 1;
  }
  if (!reader.Varint(&mask) || mask > UINT32_MAX) return false;
  out->low_information_mask = static_cast<uint32_t>(mask);
  if (!reader.Varint(&size) || size > kMaxTextBytes || !reader.Bytes(size, &text)) return false;
  out->phonetic_sorted.assign(text.data(), text.size());
  return reader.done();
}

}  // namespace

MatchNameCache::MatchNameCache() : offsets_{0}, dictionary_(0, EntryHash{this}, EntryEq{this}) {
  MatchName empty;
  std::string bytes;
  Encode(empty, &bytes);
  AddEntry(bytes);
}

void MatchNameCache::Encode(const MatchName& name, std::string* out) {
  out->clear();
  bool usual = true;
  uint16_t offset = 0;
  for (const auto& [start, length] : name.token_spans) {
    usual = usual && start == offset;
    offset = static_cast<uint16_t>(start + length + 1);
  }
  out->push_back(static_cast<char>(usual ? 0 : kExplicitSpans));
  PutVarint(name.canonical.size(), out);
  out->append(name.canonical);
  PutVarint(name.token_spans.size(), out);
  for (const auto& [start, length] : name.token_spans) {
    if (!usual) PutVarint(start, out);
    PutVarint(length, out);
  }
  PutVarint(name.low_information_mask, out);
  PutVarint(name.phonetic_sorted.size(), out);
  out->append(name.phonetic_sorted);
}

void MatchNameCache::Decode(std::string_view entry, MatchName* out) {
  // Entries were checked when they came in (Intern encodes them; Check decodes every one).
  const bool decoded = DecodeChecked(entry, out);
  (void)decoded;
}

bool MatchNameCache::WellFormed(std::string_view entry) {
  MatchName name;
  if (!DecodeChecked(entry, &name)) return false;
  std::string again;
  Encode(name, &again);
  return again == entry;
}

uint32_t MatchNameCache::AddEntry(std::string_view entry) {
  const auto number = static_cast<uint32_t>(offsets_.size() - 1);
  bytes_.insert(bytes_.end(), entry.begin(), entry.end());
  offsets_.push_back(bytes_.size());
  dictionary_.insert(number);
  return number;
}

uint32_t MatchNameCache::InternEncoded(std::string_view entry) {
  auto it = dictionary_.find(entry);
  if (it != dictionary_.end()) return *it;
  return AddEntry(entry);
}

uint32_t MatchNameCache::Intern(const MatchName& name) {
  Encode(name, &scratch_);
  return InternEncoded(scratch_);
}

void MatchNameCache::SetEntry(PersonId id, uint32_t entry) {
  if (id.value >= entries_.size()) entries_.resize(size_t{id.value} + 1, kUnset);
  entries_[id.value] = entry;
}

size_t MatchNameCache::MemoryUsage() const {
  return entries_.capacity() * sizeof(uint32_t) + bytes_.capacity() +
         offsets_.capacity() * sizeof(uint64_t) + dictionary_.capacity() * (sizeof(uint32_t) + 1);
}

void MatchNameCache::Save(SnapshotWriter& writer, std::string_view section,
                          const RecordStore& store) const {
  std::vector<uint32_t> renumber(entry_count(), kUnset);
  std::vector<uint32_t> used;  // old entry numbers in order of first use
  std::vector<uint32_t> persons;
  persons.reserve(store.live_person_count());
  store.ForEachLivePerson([&](PersonId id) {
    const uint32_t entry = Has(id) ? entries_[id.value] : kEmptyEntry;
    if (renumber[entry] == kUnset) {
      renumber[entry] = static_cast<uint32_t>(used.size());
      used.push_back(entry);
    }
    persons.push_back(renumber[entry]);
  });
  uint64_t bytes = 0;
  for (uint32_t entry : used) bytes += EntryBytes(entry).size();
  writer.BeginSection(section);
  writer.AppendU32(kFormatVersion);
  writer.AppendU64(used.size());
  writer.AppendU64(bytes);
  for (uint32_t entry : used) {
    // Each entry is preceded by its length, so that Check can find the boundaries.
    const std::string_view text = EntryBytes(entry);
    writer.AppendU32(static_cast<uint32_t>(text.size()));
    writer.Append(text.data(), text.size());
  }
  writer.AppendVector(persons);
}

absl::StatusOr<MatchNameCache::Persisted> MatchNameCache::Read(SnapshotReader& reader,
                                                               std::string_view section) {
  if (absl::Status opened = reader.OpenSection(section); !opened.ok()) return opened;
  absl::StatusOr<uint32_t> version = reader.ReadU32();
  if (!version.ok()) return version.status();
  if (*version != kFormatVersion) {
    return absl::FailedPreconditionError(
        StrCat("snapshot section '", section, "' has format ", *version));
  }
  Persisted persisted;
  persisted.bytes.resize(reader.remaining());
  if (absl::Status read = reader.Read(persisted.bytes.data(), persisted.bytes.size()); !read.ok()) {
    return read;
  }
  return persisted;
}

absl::StatusOr<std::unique_ptr<MatchNameCache>> MatchNameCache::Check(const Persisted& persisted,
                                                                      std::string_view section,
                                                                      size_t person_count) {
  auto corrupt = [&](std::string_view problem) {
    return absl::DataLossError(StrCat("snapshot section '", section, "': ", problem));
  };
  std::string_view in = persisted.bytes;
  auto take = [&](size_t size, std::string_view* out) {
    if (size > in.size()) return false;
    *out = in.substr(0, size);
    in.remove_prefix(size);
    return true;
  };
  auto take_u64 = [&](uint64_t* value) {
    std::string_view raw;
    if (!take(8, &raw)) return false;
    std::memcpy(value, raw.data(), 8);  // little-endian, as SnapshotWriter writes
    return true;
  };
  uint64_t entries = 0;
  uint64_t bytes = 0;
  if (!take_u64(&entries) || !take_u64(&bytes)) return corrupt("too short for its header");
  // Every entry takes its 4-byte length and at least 5 bytes of its own.
  if (entries > in.size() / 9 + 1 || bytes > in.size()) return corrupt("counts past its end");
  auto cache = std::make_unique<MatchNameCache>();
  cache->bytes_.reserve(cache->bytes_.size() + bytes);
  cache->offsets_.reserve(entries + 1);
  cache->dictionary_.reserve(entries);
  // The empty name is entry 0 of a new cache; the persisted entries get new numbers.
  std::vector<uint32_t> renumber(entries);
  for (uint64_t i = 0; i < entries; ++i) {
    std::string_view raw;
    uint32_t size = 0;
    if (!take(4, &raw)) return corrupt(StrCat("entry ", i, " runs past the end"));
    std::memcpy(&size, raw.data(), 4);
    std::string_view entry;
    if (!take(size, &entry)) return corrupt(StrCat("entry ", i, " runs past the end"));
    if (!WellFormed(entry)) return corrupt(StrCat("entry ", i, " is not a normalised name"));
    renumber[i] = cache->InternEncoded(entry);
  }
  uint64_t persons = 0;
  if (!take_u64(&persons)) return corrupt("no person count");
  if (persons != person_count) {
    return corrupt(StrCat("holds ", persons, " persons; the store holds ", person_count));
  }
  if (in.size() != persons * sizeof(uint32_t)) return corrupt("person entries of the wrong size");
  cache->entries_.resize(persons);
  // An empty store's section is empty and its data() may be null, which memcpy may not get.
  if (!in.empty()) std::memcpy(cache->entries_.data(), in.data(), in.size());
  for (uint32_t& entry : cache->entries_) {
    if (entry >= entries) return corrupt("an entry number out of range");
    entry = renumber[entry];
  }
  return cache;
}

}  // namespace padan
