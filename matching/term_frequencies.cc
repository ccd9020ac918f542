#include "matching/term_frequencies.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <vector>

#include "absl/status/status.h"

#include "data/absl_strings.h"

namespace padan {
namespace {

// Serialize's format; Deserialize refuses any other.
constexpr uint32_t kSerialVersion = 1;
// Longest token Deserialize accepts: a normalised name token is far shorter; the bound makes
// a corrupt length fail as such instead of as an allocation.
constexpr uint32_t kMaxTokenBytes = 4096;

void PutU32(uint32_t value, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(value >> (8 * i)));
}

void PutU64(uint64_t value, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(value >> (8 * i)));
}

// Reads little-endian values from a byte string, refusing to read past its end.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  bool U32(uint32_t* value) {
    uint64_t v = 0;
    if (!Int(4, &v)) return false;
    *value = static_cast<uint32_t>(v);
    return true;
  }
  bool U64(uint64_t* value) { return Int(8, value); }
  bool Bytes(size_t size, std::string_view* out) {
    if (size > bytes_.size() - pos_) return false;
    *out = bytes_.substr(pos_, size);
    pos_ += size;
    return true;
  }
  size_t remaining() const { return bytes_.size() - pos_; }

 private:
  bool Int(size_t size, uint64_t* value) {
    if (size > bytes_.size() - pos_) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < size; ++i) {
      v |= uint64_t{static_cast<uint8_t>(bytes_[pos_ + i])} << (8 * i);
    }
    pos_ += size;
    *value = v;
    return true;
  }

  std::string_view bytes_;
  size_t pos_ = 0;
};

absl::Status Corrupt(std::string_view problem) {
  return absl::DataLossError(StrCat("term frequencies: ", problem));
}

}  // namespace

void TermFrequencies::Add(const MatchName& name) {
  ++names_;
  absl::InlinedVector<std::string_view, 6> tokens = name.tokens();
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  for (std::string_view token : tokens) {
    // Look up by view first: the token's text is copied only the first time it is seen.
    auto it = counts_.find(ToAbsl(token));
    if (it != counts_.end()) {
      ++it->second;
    } else {
      counts_.emplace(std::string(token), 1);
    }
  }
}

void TermFrequencies::Remove(const MatchName& name) {
  if (names_ > 0) --names_;
  absl::InlinedVector<std::string_view, 6> tokens = name.tokens();
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  for (std::string_view token : tokens) {
    auto it = counts_.find(ToAbsl(token));
    if (it == counts_.end()) continue;
    if (--it->second == 0) counts_.erase(it);
  }
}

void TermFrequencies::Merge(const TermFrequencies& other) {
  names_ += other.names_;
  for (const auto& [token, count] : other.counts_) counts_[token] += count;
}

double TermFrequencies::TokenProbability(std::string_view token) const {
  auto it = counts_.find(ToAbsl(token));
  double count = it == counts_.end() ? 0.0 : static_cast<double>(it->second);
  return (count + 1.0) / (static_cast<double>(names_) + 1.0);
}

double TermFrequencies::NameProbability(const MatchName& name) const {
  double floor = 1.0 / (static_cast<double>(names_) + 1.0);
  if (name.empty()) return 1.0;
  double probability = 1.0;
  absl::InlinedVector<std::string_view, 6> tokens = name.tokens();
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  for (std::string_view token : tokens) probability *= TokenProbability(token);
  return std::max(probability, floor);
}

size_t TermFrequencies::MemoryUsage() const {
  size_t bytes = counts_.capacity() * (sizeof(std::pair<std::string, uint32_t>) + 1);
  for (const auto& [token, count] : counts_) {
    if (token.capacity() > 15) bytes += token.capacity() + 1;
  }
  return bytes;
}

std::string TermFrequencies::Serialize() const {
  std::vector<std::pair<std::string_view, uint32_t>> sorted;
  sorted.reserve(counts_.size());
  size_t bytes = 4 + 8 + 8 + 8;
  for (const auto& [token, count] : counts_) {
    sorted.emplace_back(token, count);
    bytes += 4 + token.size() + 4;
  }
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  out.reserve(bytes);
  PutU32(kSerialVersion, &out);
  PutU64(names_, &out);
  PutU64(std::bit_cast<uint64_t>(mean_name_probability_), &out);
  PutU64(sorted.size(), &out);
  for (const auto& [token, count] : sorted) {
    PutU32(static_cast<uint32_t>(token.size()), &out);
    out.append(token);
    PutU32(count, &out);
  }
  return out;
}

absl::StatusOr<TermFrequencies> TermFrequencies::Deserialize(std::string_view bytes) {
  ByteReader in(bytes);
  uint32_t version = 0;
  if (!in.U32(&version)) return Corrupt("shorter than its header");
  if (version != kSerialVersion) {
    return Corrupt(StrCat("format version ", version, "; this build reads ", kSerialVersion));
  }
  TermFrequencies table;
  uint64_t mean_bits = 0;
  uint64_t distinct = 0;
  if (!in.U64(&table.names_) || !in.U64(&mean_bits) || !in.U64(&distinct)) {
    return Corrupt("shorter than its header");
  }
  table.mean_name_probability_ = std::bit_cast<double>(mean_bits);
  if (!(table.mean_name_probability_ >= 0 && table.mean_name_probability_ <= 1)) {
    return Corrupt("the mean name probability is not within 0-1");
  }
  // Each token takes at least 9 bytes: a count that could not fit is corrupt, and must not
  // size an allocation.
  constexpr size_t kMinTokenRecord = 4 + 1 + 4;
  if (distinct > in.remaining() / kMinTokenRecord) {
    return Corrupt(StrCat(distinct, " tokens announced in ", in.remaining(), " bytes"));
  }
  table.counts_.reserve(distinct);
  for (uint64_t i = 0; i < distinct; ++i) {
    uint32_t length = 0;
    std::string_view token;
    uint32_t count = 0;
    if (!in.U32(&length) || !in.Bytes(length, &token) || !in.U32(&count)) {
      return Corrupt(StrCat("token ", i + 1, " of ", distinct, " runs past the end"));
    }
    if (length == 0 || length > kMaxTokenBytes) {
      return Corrupt(
          StrCat("token ", i + 1, " is ", length, " bytes long, not 1-", kMaxTokenBytes));
    }
    if (count == 0 || count > table.names_) {
      return Corrupt(StrCat("token ", i + 1, " counts ", count, " names of ", table.names_));
    }
    if (!table.counts_.emplace(std::string(token), count).second) {
      return Corrupt(StrCat("token ", i + 1, " appears twice"));
    }
  }
  if (in.remaining() != 0) return Corrupt(StrCat(in.remaining(), " bytes follow the last token"));
  return table;
}

FrequencyTables BuildFrequencyTables(absl::Span<const MatchRecord> records) {
  FrequencyTables tables;
  for (const MatchRecord& record : records) {
    if (!record.nama.empty()) tables.nama.Add(record.nama);
    if (!record.nama_ibu_kandung.empty()) tables.nama_ibu_kandung.Add(record.nama_ibu_kandung);
  }
  double nama_sum = 0;
  double ibu_sum = 0;
  for (const MatchRecord& record : records) {
    if (!record.nama.empty()) nama_sum += tables.nama.NameProbability(record.nama);
    if (!record.nama_ibu_kandung.empty()) {
      ibu_sum += tables.nama_ibu_kandung.NameProbability(record.nama_ibu_kandung);
    }
  }
  if (tables.nama.names() > 0) {
    tables.nama.set_mean_name_probability(nama_sum / static_cast<double>(tables.nama.names()));
  }
  if (tables.nama_ibu_kandung.names() > 0) {
    tables.nama_ibu_kandung.set_mean_name_probability(
        ibu_sum / static_cast<double>(tables.nama_ibu_kandung.names()));
  }
  return tables;
}

}  // namespace padan
