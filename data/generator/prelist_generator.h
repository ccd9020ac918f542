// PrelistGenerator: the verivali pair. The pre-list is the registry's records of the sampled
// kab/kota; the field results are what enumerators find there: most people as listed, some
// with corrected fields, households that moved within the kecamatan or kab/kota, members who
// died or moved away, households not found, new births, new spouses and new households. The
// ground truth says, per pre-list person, what happened and which field record is theirs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/generator/generated_household.h"
#include "data/generator/household_generator.h"
#include "data/generator/random.h"

namespace padan::gen {

// Field interview date: months after the registry snapshot, as verivali rounds are.
inline constexpr int kEnumerationYear = 2025;
inline constexpr int kEnumerationMonth = 10;
inline constexpr int kEnumerationDay = 15;
inline int32_t EnumerationDays() {
  return DaysFromCivil(kEnumerationYear, kEnumerationMonth, kEnumerationDay);
}

// DESIGN.md §4 verivali outcomes.
enum class VerivaliOutcome : uint8_t {
  kNone,  // not in the pre-list
  kDitemukan,
  kDitemukanBerubah,
  kPindah,
  kMeninggal,
  kTidakDitemukan,
  kGanda,
  kBaru,  // field side only
};
std::string_view VerivaliOutcomeName(VerivaliOutcome outcome);

// Fields a field record changes relative to its pre-list record, as bits.
enum ChangedField : uint8_t {
  kChangedNama = 1 << 0,
  kChangedNik = 1 << 1,
  kChangedTanggalLahir = 1 << 2,
  kChangedJenisKelamin = 1 << 3,
  kChangedHubungan = 1 << 4,
  kChangedStatusKawin = 1 << 5,
};
// "nama;tanggal_lahir", in the order of the bits.
std::string ChangedFieldNames(uint8_t changed);

// Member status as the field officer records it (PAPI code).
enum class StatusArt : uint8_t { kTinggal = 1, kMeninggal = 2, kPindah = 3 };

// Where a field record's NIK comes from.
enum class FieldNik : uint8_t {
  kRegistryPerson,  // the true NIK of the registry person `registry`
  kNew,             // a person the registry never had: a new serial at commit
  kEmpty,           // not written
};

struct FieldPerson {
  GenPerson person;  // the values written (name, birth date, sex, relationship, marital status)
  StatusArt status = StatusArt::kTinggal;
  FieldNik nik = FieldNik::kRegistryPerson;
  PersonRef registry;  // the registry person for kRegistryPerson
  bool baru = false;   // not in the pre-list
};

struct FieldHousehold {
  uint32_t desa = 0;
  Address address;
  uint8_t address_style = 0;
  bool new_no_kk = false;  // a new card (moved or new household); else the registry's
  int32_t registry_household = -1;
  int32_t kk_issue_days = 0;
  std::vector<FieldPerson> members;  // head first
  uint64_t order_key = 0;            // the enumerator's visiting order within the desa
  uint64_t no_kk = 0;                // set at commit
};

// The verivali truth of one registry record in the pre-list.
struct PrelistResult {
  VerivaliOutcome outcome = VerivaliOutcome::kNone;
  uint8_t changed = 0;           // ChangedField bits
  int32_t field_household = -1;  // block-local index into the field households
  int32_t field_member = -1;
  PersonRef ganda_of;  // kGanda: the pre-list record this one repeats
};

// Holds a reference to the household generator. Immutable; thread-safe with separate Rngs.
class PrelistGenerator {
 public:
  explicit PrelistGenerator(const HouseholdGenerator& households);

  // For every household of `households` whose kab/kota is in the area (`in_area[kab index]`),
  // decides what the field finds, filling `results` (parallel to households and members) and
  // appending field households to `field`.
  void Generate(const std::vector<GenHousehold>& households, const std::vector<bool>& in_area,
                Rng& rng, std::vector<std::vector<PrelistResult>>* results,
                std::vector<FieldHousehold>* field) const;

 private:
  // Changes 1-2 fields of a found person as the field corrects them; returns the bits.
  uint8_t ChangeFields(const GenPerson& registry_record, FieldPerson* field, Rng& rng) const;
  FieldPerson FoundPerson(const GenHousehold& household, int32_t household_index,
                          int32_t member) const;
  void AddNewHousehold(uint32_t near_desa, Rng& rng, std::vector<FieldHousehold>* field) const;

  const HouseholdGenerator& households_;
};

}  // namespace padan::gen
