// Mutation: one durable write to the registry — a household upserted with its members, or a
// household deleted — as the write-ahead log records it and the registry applies it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "data/record.h"

namespace padan {

// Value type.
struct Mutation {
  enum class Kind : uint8_t { kUpsertHousehold = 1, kDeleteHousehold = 2 };
  Kind kind = Kind::kUpsertHousehold;
  // Upsert: the household as it now is, and its complete member list (members of the old
  // version that are not listed are removed; a listed id_art found in another household moves
  // here). Every member's id_keluarga equals household.id_keluarga.
  Household household;
  std::vector<Person> members;
  // Delete: the household to remove with its members. (Upsert uses household.id_keluarga.)
  std::string id_keluarga;

  // The household this mutation writes: household.id_keluarga or id_keluarga.
  const std::string& target() const {
    return kind == Kind::kDeleteHousehold ? id_keluarga : household.id_keluarga;
  }

  // Compact binary form for the write-ahead log: every field of every record, versioned.
  std::string Encode() const;
  // kDataLoss for bytes that are no valid encoding (a corrupt log entry that passed its CRC
  // is a bug or tampering; it must never crash the loader).
  static absl::StatusOr<Mutation> Decode(std::string_view bytes);
};

}  // namespace padan
