#include "matching/term_frequencies.h"

#include <algorithm>

#include "data/absl_strings.h"

namespace padan {

void TermFrequencies::Add(const MatchName& name) {
  ++names_;
  absl::InlinedVector<std::string_view, 6> tokens = name.tokens();
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  for (std::string_view token : tokens) ++counts_[std::string(token)];
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
