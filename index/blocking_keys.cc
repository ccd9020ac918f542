#include "index/blocking_keys.h"

#include <algorithm>
#include <string>

#include "data/region_table.h"
#include "index/mix64.h"
#include "matching/phonetic_key.h"

namespace padan {
namespace {

// FNV-1a over the key material, finished with the murmur3 finaliser so that the top bits (the
// ones BlockingIndex buckets by) depend on every byte. Fixed constants: the same keys in every
// process.
class KeyHash {
 public:
  explicit KeyHash(BlockingKeyKind kind) { Byte(static_cast<uint8_t>(kind)); }

  KeyHash& Bytes(std::string_view bytes) {
    for (char c : bytes) Byte(static_cast<uint8_t>(c));
    return *this;
  }
  // A separator, so that ("ab", "c") and ("a", "bc") differ.
  KeyHash& Separator() {
    Byte(0xff);
    return *this;
  }
  KeyHash& Int(int64_t value) {
    uint64_t v = static_cast<uint64_t>(value);
    for (int i = 0; i < 8; ++i) Byte(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  BlockingKey Finish(BlockingKeyKind kind) const {
    const uint64_t x = Mix64(state_);
    constexpr uint64_t kHashMask = (uint64_t{1} << kBlockingKindShift) - 1;
    return (static_cast<uint64_t>(kind) << kBlockingKindShift) | (x & kHashMask);
  }

 private:
  void Byte(uint8_t b) {
    state_ ^= b;
    state_ *= 0x100000001b3ULL;  // FNV-1a 64-bit prime
  }
  uint64_t state_ = 0xcbf29ce484222325ULL;  // FNV-1a 64-bit offset basis
};

// The phonetic keys of the name tokens that identify the person, distinct, in name order.
absl::InlinedVector<std::string, 6> NameSounds(const MatchName& name) {
  absl::InlinedVector<std::string, 6> sounds;
  auto collect = [&](bool informative_only, size_t min_length) {
    for (size_t i = 0; i < name.token_count(); ++i) {
      if (informative_only && (name.low_information_mask >> i) & 1u) continue;
      std::string_view token = name.token(i);
      if (token.size() < min_length) continue;
      std::string key = PhoneticKey(token);
      if (key.empty() || std::find(sounds.begin(), sounds.end(), key) != sounds.end()) continue;
      sounds.push_back(std::move(key));
    }
  };
  // Initials ("siti n aisyah") say too little to block on; low-information tokens (I, Ni,
  // Wayan, Raden...) are shared by millions. Both are used only when nothing else is left.
  constexpr size_t kMinTokenLength = 2;
  collect(true, kMinTokenLength);
  if (sounds.empty()) collect(false, kMinTokenLength);
  if (sounds.empty()) collect(false, 1);
  return sounds;
}

BlockingKey TokenYearKey(std::string_view sound, int year) {
  return KeyHash(BlockingKeyKind::kTokenYear)
      .Bytes(sound)
      .Separator()
      .Int(year)
      .Finish(BlockingKeyKind::kTokenYear);
}

BlockingKey DobRegionKey(int32_t date, KodeWilayah kab_kota) {
  return KeyHash(BlockingKeyKind::kDobRegion)
      .Int(date)
      .Int(static_cast<int64_t>(kab_kota))
      .Finish(BlockingKeyKind::kDobRegion);
}

BlockingKey TokenDobKey(std::string_view sound, int32_t date) {
  return KeyHash(BlockingKeyKind::kTokenDob)
      .Bytes(sound)
      .Separator()
      .Int(date)
      .Finish(BlockingKeyKind::kTokenDob);
}

BlockingKey DobInitialKey(int32_t date, Sex sex, char initial) {
  return KeyHash(BlockingKeyKind::kDobInitial)
      .Int(date)
      .Int(static_cast<int>(sex))
      .Bytes(std::string_view(&initial, 1))
      .Finish(BlockingKeyKind::kDobInitial);
}

void AddUnique(BlockingKey key, BlockingKeys* out) {
  if (std::find(out->begin(), out->end(), key) == out->end()) out->push_back(key);
}

// A full birth date as keys hold it: year, then day and month as an unordered pair when both
// could be a month (day <= 12), so that a date written day-first in one record and month-first
// in the other (05-11 for 11-05) gives the same key without a second lookup.
int32_t DateCode(int year, int month, int day) {
  constexpr int32_t kYear = 10000;
  constexpr int32_t kMonth = 100;
  if (day <= 12) {
    return year * kYear + std::min(day, month) * kMonth + std::max(day, month);
  }
  return year * kYear + month * kMonth + day;
}

// Writes the keys of `record`, and with `query` the variants of its date as well.
void KeysOf(const MatchRecord& record, bool query, BlockingKeys* out) {
  out->clear();
  const absl::InlinedVector<std::string, 6> sounds = NameSounds(record.nama);
  const Date& dob = record.tanggal_lahir;
  const bool has_year = !dob.missing();
  const bool has_day = dob.precision() == DatePrecision::kDay;

  for (const std::string& sound : sounds) {
    AddUnique(KeyHash(BlockingKeyKind::kToken).Bytes(sound).Finish(BlockingKeyKind::kToken), out);
    if (!has_year) continue;
    AddUnique(TokenYearKey(sound, dob.year()), out);
    if (query) {
      AddUnique(TokenYearKey(sound, dob.year() - 1), out);
      AddUnique(TokenYearKey(sound, dob.year() + 1), out);
    }
  }

  if (sounds.size() >= 2) {
    absl::InlinedVector<std::string_view, 6> sorted(sounds.begin(), sounds.end());
    std::sort(sorted.begin(), sorted.end());
    KeyHash hash(BlockingKeyKind::kNameSound);
    for (std::string_view s : sorted) hash.Bytes(s).Separator();
    AddUnique(hash.Finish(BlockingKeyKind::kNameSound), out);
  }

  if (!has_day) return;
  absl::InlinedVector<int32_t, 4> dates = {DateCode(dob.year(), dob.month(), dob.day())};
  if (query) {
    // The year one off either way. 29 February moved to a common year is written the 28th,
    // and the 28th may have been the 29th of a leap year.
    for (int year : {dob.year() - 1, dob.year() + 1}) {
      const int last = DaysInMonth(year, dob.month());
      dates.push_back(DateCode(year, dob.month(), std::min(dob.day(), last)));
      if (dob.month() == 2 && dob.day() == 28 && last == 29) {
        dates.push_back(DateCode(year, 2, 29));
      }
    }
  }
  const KodeWilayah kab_kota = AncestorCode(record.kode_wilayah, RegionLevel::kKabKota);
  // A query whose sex is unknown looks under either.
  absl::InlinedVector<Sex, 3> sexes = {record.jenis_kelamin};
  if (query && record.jenis_kelamin == Sex::kUnknown) {
    sexes.push_back(Sex::kLakiLaki);
    sexes.push_back(Sex::kPerempuan);
  }
  for (int32_t date : dates) {
    if (kab_kota != 0) AddUnique(DobRegionKey(date, kab_kota), out);
    for (const std::string& sound : sounds) {
      for (Sex sex : sexes) AddUnique(DobInitialKey(date, sex, sound[0]), out);
      AddUnique(TokenDobKey(sound, date), out);
    }
  }
}

}  // namespace

std::string_view BlockingKeyKindName(BlockingKeyKind kind) {
  switch (kind) {
    case BlockingKeyKind::kTokenYear:
      return "token_year";
    case BlockingKeyKind::kToken:
      return "token";
    case BlockingKeyKind::kNameSound:
      return "name_sound";
    case BlockingKeyKind::kDobRegion:
      return "dob_region";
    case BlockingKeyKind::kDobInitial:
      return "dob_initial";
    case BlockingKeyKind::kTokenDob:
      return "token_dob";
  }
  return "unknown";
}

absl::InlinedVector<std::string, 6> BlockingNameSounds(const MatchName& name) {
  return NameSounds(name);
}

void BlockingKeysOf(const MatchRecord& record, BlockingKeys* out) { KeysOf(record, false, out); }

void BlockingQueryKeysOf(const MatchRecord& record, BlockingKeys* out) {
  KeysOf(record, true, out);
}

}  // namespace padan
