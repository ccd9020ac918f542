// PersonId and HouseholdId: dense 32-bit indexes of the records in a RecordStore, as distinct
// types so that a household index cannot be passed where a person index is meant.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string_view>
#include <utility>

namespace padan {
namespace internal {

// DenseId<Tag>: a uint32_t index with a type of its own per Tag. Ids are handed out 0, 1, 2...
// in insertion order, so they index columns directly and order records by arrival.
// A default-constructed id is the invalid sentinel, so an id that was never assigned shows up
// as invalid rather than as record 0. Value type; thread-compatible.
template <typename Tag>
struct DenseId {
  // The sentinel value; no record ever has it, so a store holds at most 2^32 - 1 records.
  static constexpr uint32_t kInvalidValue = std::numeric_limits<uint32_t>::max();

  constexpr DenseId() = default;
  constexpr explicit DenseId(uint32_t v) : value(v) {}

  static constexpr DenseId Invalid() { return DenseId(); }
  constexpr bool valid() const { return value != kInvalidValue; }

  friend constexpr bool operator==(DenseId a, DenseId b) = default;
  friend constexpr auto operator<=>(DenseId a, DenseId b) = default;

  template <typename H>
  friend H AbslHashValue(H state, DenseId id) {
    return H::combine(std::move(state), id.value);
  }

  // "PersonId(42)" or "PersonId(invalid)", for test failures and debugging.
  friend std::ostream& operator<<(std::ostream& os, DenseId id) {
    os << Tag::kName << '(';
    if (id.valid()) {
      os << id.value;
    } else {
      os << "invalid";
    }
    return os << ')';
  }

  uint32_t value = kInvalidValue;
};

struct PersonIdTag {
  static constexpr std::string_view kName = "PersonId";
};
struct HouseholdIdTag {
  static constexpr std::string_view kName = "HouseholdId";
};

}  // namespace internal

using PersonId = internal::DenseId<internal::PersonIdTag>;
using HouseholdId = internal::DenseId<internal::HouseholdIdTag>;

}  // namespace padan
