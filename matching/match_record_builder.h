// MatchRecordBuilder: turns a person and their household, as imported, into the MatchRecord
// the comparators read — names normalised with their phonetic keys, birthplace and address
// cleaned, identifiers kept only when valid.
#pragma once

#include "data/record.h"
#include "matching/address_normalizer.h"
#include "matching/match_record.h"
#include "matching/name_normalizer.h"

namespace padan {

// Holds the normalisers by reference (they must outlive it) and scratch buffers: not
// thread-safe, use one builder per thread. Build() allocates only the record's own strings.
class MatchRecordBuilder {
 public:
  MatchRecordBuilder(const NameNormalizer& names, const AddressNormalizer& addresses);

  void Build(const Person& person, const Household& household, MatchRecord* out);
  MatchRecord Build(const Person& person, const Household& household);

  // The normalised form of a name alone (e.g. a query's name).
  void BuildName(std::string_view raw, MatchName* out);

 private:
  const NameNormalizer& names_;
  const AddressNormalizer& addresses_;
  NormalizedName name_scratch_;
  NormalizedAddress address_scratch_;
};

// Lower case, punctuation to spaces, "Kabupaten"/"Kab."/"Kota" dropped: "KAB. BOGOR" and
// "Bogor" compare equal as birthplaces.
std::string NormalizeBirthplace(std::string_view raw);

}  // namespace padan
