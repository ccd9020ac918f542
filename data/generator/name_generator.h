// NameGenerator: full Indonesian names as families of each naming custom give them, mixing the
// curated customs (name_customs.csv) with generic modern tokens drawn by their frequency among
// women and men (name_tokens_gender_freq.csv), younger people getting more modern names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "data/generator/alias_table.h"
#include "data/generator/name_custom_table.h"
#include "data/generator/random.h"
#include "data/name_frequency_table.h"
#include "data/record.h"

namespace padan::gen {

// What the household generator knows when it names a person.
struct NameSpec {
  NameCustom custom = NameCustom::kJawa;
  Sex sex = Sex::kLakiLaki;
  int birth_year = 1980;
  int birth_order = 1;           // 1-based among siblings; Balinese names follow it
  std::string_view family_name;  // surname the person carries (father's marga...), or empty
};

// Holds references to both tables, which must outlive it. Immutable after construction;
// Generate() may run from many threads with separate Rngs. About 1 µs per name.
class NameGenerator {
 public:
  // Generic tokens need at least this many bearers of the sex to be drawn, which keeps the
  // frequency table's one-off misspellings out of original records.
  static constexpr uint32_t kMinGenericCount = 5;

  NameGenerator(const NameCustomTable& customs, const NameFrequencyTable& frequencies);

  // A full name: lower-case tokens separated by single spaces ("i made sudarsana",
  // "rosmawati br siregar", "muhammad rizky pratama"). REQUIRES: spec.sex is L or P.
  std::string Generate(const NameSpec& spec, Rng& rng) const;

  // The surname a new family of `custom` passes to its children; empty for customs without
  // family names (Javanese, Sundanese, Balinese, Islamic, Christian without marga).
  std::string_view DrawFamilyName(NameCustom custom, Rng& rng) const;

  // One or two given-name tokens, as a father's name after bin/binti is written.
  std::string GivenName(NameCustom custom, Sex sex, int birth_year, Rng& rng) const;

  const NameCustomTable& customs() const { return customs_; }

 private:
  struct GenericPool {
    std::vector<std::string_view> tokens;
    AliasTable alias;
    std::string_view Draw(Rng& rng) const { return tokens[alias.Sample(rng)]; }
  };
  class Builder;

  // Probability that a person born in `birth_year` has a modern generic name.
  static double ModernShare(int birth_year);

  // Draw helpers: the pool of `role`, falling back to the generic core when it is empty.
  std::string_view Draw(NameCustom custom, NameRole role, Sex sex, Rng& rng) const;
  std::string_view Core(Sex sex, Rng& rng) const;
  void AddGiven(NameCustom custom, const NameSpec& spec, Builder& b, Rng& rng) const;
  void AddModern(const NameSpec& spec, Builder& b, Rng& rng, bool allow_first) const;

  void Javanese(const NameSpec& spec, Builder& b, Rng& rng) const;
  void Sundanese(const NameSpec& spec, Builder& b, Rng& rng) const;
  void Balinese(const NameSpec& spec, Builder& b, Rng& rng) const;
  void Batak(const NameSpec& spec, Builder& b, Rng& rng) const;
  void Islamic(const NameSpec& spec, Builder& b, Rng& rng) const;
  void ChineseIndonesian(const NameSpec& spec, Builder& b, Rng& rng) const;
  void Christian(const NameSpec& spec, Builder& b, Rng& rng) const;

  const NameCustomTable& customs_;
  GenericPool generic_[2];  // [0] men, [1] women
  std::vector<std::string_view> family_tokens_[kNameCustomCount];
  AliasTable family_alias_[kNameCustomCount];
};

}  // namespace padan::gen
