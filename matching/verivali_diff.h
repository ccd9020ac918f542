// The verivali diff: which fields of a pre-list person the field record corrects, with the
// old and the new value. Writing style is not a change: letter case, punctuation, titles the
// field form leaves off, date and code formats, and a value the field left empty.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "data/record.h"
#include "matching/name_normalizer.h"

namespace padan {

// One corrected field: "nama" "SITI AMINAH" → "SITI AMINA".
struct FieldChange {
  std::string_view field;  // a DTKS field name: nama, nik, tanggal_lahir, jenis_kelamin,
                           // hubungan, status_kawin
  std::string old_value;   // as the pre-list has it
  std::string new_value;   // as the field records it
};

// Holds the normaliser by reference (it must outlive the differ). Thread-safe for concurrent
// Diff() calls: each call has its own scratch.
class PersonDiffer {
 public:
  explicit PersonDiffer(const NameNormalizer& names);

  // The fields `found` changes relative to `listed`, in the order above.
  std::vector<FieldChange> Diff(const Person& listed, const Person& found) const;

  // The name as compared: folded tokens without titles, joined by spaces. "H. Moch. Ali, S.Pd."
  // → "moch ali". Spelling variants (Moch/Muhammad, Soekarno/Sukarno) stay distinct: the
  // field officer copies the family card, so a different spelling is a correction.
  std::string ComparableName(std::string_view nama) const;

 private:
  const NameNormalizer& names_;
};

// The DTKS code 6 covers orang tua and mertua, code 8 famili lain and lainnya: a form that
// only has the code cannot tell them apart, so they are one value for the diff.
bool SameHubungan(Hubungan a, Hubungan b);

}  // namespace padan
