// MatchRecordBuilder: turns a person and their household, as imported, into the MatchRecord
// the comparators read — names normalised with their phonetic keys, birthplace and address
// cleaned, identifiers kept only when valid.
#pragma once

#include "data/record.h"
#include "matching/address_normalizer.h"
#include "matching/match_record.h"
#include "matching/name_normalizer.h"

namespace padan {

// The raw values a MatchRecord is built from, as views (e.g. into a record store's columns).
struct MatchFields {
  std::string_view nama;
  std::string_view nama_ibu_kandung;
  std::string_view tempat_lahir;
  std::string_view alamat;
  Date tanggal_lahir;
  Sex jenis_kelamin = Sex::kUnknown;
  uint64_t nik = 0;    // 16-digit value or 0
  uint64_t no_kk = 0;  // 16-digit value or 0
  KodeWilayah kode_wilayah = 0;
};

// Holds the normalisers by reference (they must outlive it) and scratch buffers: not
// thread-safe, use one builder per thread. Build() allocates only the record's own strings.
class MatchRecordBuilder {
 public:
  MatchRecordBuilder(const NameNormalizer& names, const AddressNormalizer& addresses);

  void Build(const MatchFields& fields, MatchRecord* out);
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
