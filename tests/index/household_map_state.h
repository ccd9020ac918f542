// HouseholdMapState: a small DurableState for the Database tests — households by id_keluarga
// with their members — that validates, applies, saves and loads the way the registry must.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"

#include "data/absl_strings.h"
#include "data/record.h"
#include "data/status_macros.h"
#include "index/database.h"
#include "index/mutation.h"
#include "index/snapshot_file.h"

namespace padan::testing {

struct StoredHousehold {
  Household household;
  std::vector<Person> members;
};

// The encoding of a household with its members, for comparing records field by field.
inline std::string Fingerprint(const Household& household, const std::vector<Person>& members) {
  Mutation mutation;
  mutation.household = household;
  mutation.members = members;
  return mutation.Encode();
}

// Thread-compatible, as DurableState requires (the Database locks around it).
class HouseholdMapState : public DurableState {
 public:
  absl::Status Validate(absl::Span<const Mutation> mutations, Pending* /*pending*/) const override {
    for (const Mutation& mutation : mutations) PADAN_RETURN_IF_ERROR(ValidateOne(mutation));
    return absl::OkStatus();
  }

  absl::Status ValidateOne(const Mutation& mutation) const {
    if (validate_hook_) validate_hook_(mutation);
    if (mutation.kind == Mutation::Kind::kDeleteHousehold) {
      if (mutation.id_keluarga.empty()) return absl::InvalidArgumentError("id_keluarga: empty");
      return absl::OkStatus();
    }
    const std::string& id = mutation.household.id_keluarga;
    if (id.empty()) return absl::InvalidArgumentError("household.id_keluarga: empty");
    std::set<std::string> seen;
    for (const Person& person : mutation.members) {
      if (person.id_art.empty()) return absl::InvalidArgumentError("members.id_art: empty");
      if (person.id_keluarga != id) {
        return absl::InvalidArgumentError("members.id_keluarga: not the household's");
      }
      if (!seen.insert(person.id_art).second) {
        return absl::InvalidArgumentError("members.id_art: listed twice");
      }
    }
    return absl::OkStatus();
  }

  absl::Status Apply(const Mutation& mutation) override {
    ++applied_;
    if (!fail_apply_for_.empty() && mutation.household.id_keluarga == fail_apply_for_) {
      return absl::InternalError("injected Apply failure");
    }
    if (mutation.kind == Mutation::Kind::kDeleteHousehold) {
      RemoveHousehold(mutation.id_keluarga);
      return absl::OkStatus();
    }
    const std::string& id = mutation.household.id_keluarga;
    RemoveHousehold(id);
    for (const Person& person : mutation.members) {
      // A member listed here leaves the household it was in.
      auto where = household_of_.find(person.id_art);
      if (where != household_of_.end()) {
        std::vector<Person>& old = households_[where->second].members;
        std::erase_if(old, [&](const Person& p) { return p.id_art == person.id_art; });
      }
      household_of_[person.id_art] = id;
    }
    households_[id] = StoredHousehold{mutation.household, mutation.members};
    return absl::OkStatus();
  }

  absl::Status Save(SnapshotWriter& writer) const override {
    if (save_hook_) save_hook_();
    writer.BeginSection("households");
    writer.AppendU64(households_.size());
    for (const auto& [id, stored] : households_) {
      writer.AppendString(Fingerprint(stored.household, stored.members));
    }
    return absl::OkStatus();
  }

  absl::Status Load(SnapshotReader& reader) override {
    households_.clear();
    household_of_.clear();
    PADAN_RETURN_IF_ERROR(reader.OpenSection("households"));
    PADAN_ASSIGN_OR_RETURN(const uint64_t count, reader.ReadU64());
    for (uint64_t i = 0; i < count; ++i) {
      PADAN_ASSIGN_OR_RETURN(const std::string bytes, reader.ReadString());
      PADAN_ASSIGN_OR_RETURN(Mutation mutation, Mutation::Decode(bytes));
      for (const Person& person : mutation.members) {
        household_of_[person.id_art] = mutation.household.id_keluarga;
      }
      const std::string id = mutation.household.id_keluarga;
      households_[id] = StoredHousehold{std::move(mutation.household), std::move(mutation.members)};
    }
    return absl::OkStatus();
  }

  const std::map<std::string, StoredHousehold>& households() const { return households_; }
  const StoredHousehold* Find(const std::string& id) const {
    auto it = households_.find(id);
    return it == households_.end() ? nullptr : &it->second;
  }
  uint64_t applied() const { return applied_; }

  // Test hooks, set before the state is handed to a Database.
  void set_fail_apply_for(std::string id) { fail_apply_for_ = std::move(id); }
  void set_validate_hook(std::function<void(const Mutation&)> hook) {
    validate_hook_ = std::move(hook);
  }
  void set_save_hook(std::function<void()> hook) { save_hook_ = std::move(hook); }

 private:
  void RemoveHousehold(const std::string& id) {
    auto it = households_.find(id);
    if (it == households_.end()) return;
    for (const Person& person : it->second.members) household_of_.erase(person.id_art);
    households_.erase(it);
  }

  std::map<std::string, StoredHousehold> households_;
  std::map<std::string, std::string> household_of_;  // id_art -> id_keluarga
  uint64_t applied_ = 0;
  std::string fail_apply_for_;
  std::function<void(const Mutation&)> validate_hook_;
  std::function<void()> save_hook_;
};

// A household `id` with `member_count` members whose every field is derived from `id` and
// `version`, so that a test can rebuild what it wrote.
inline Mutation MakeUpsert(const std::string& id, int member_count, int version = 0) {
  Mutation mutation;
  mutation.kind = Mutation::Kind::kUpsertHousehold;
  Household& h = mutation.household;
  h.id_keluarga = id;
  h.no_kk = StrCat("3201", id.size(), "00000000", version % 10);
  h.alamat = StrCat("JL. MERDEKA NO. ", version, " ", id);
  h.dusun = "DUSUN KRAJAN";
  h.rt = StrCat("00", version % 10);
  h.rw = "002";
  h.kode_wilayah = 3201010001;
  h.desil = static_cast<uint8_t>(1 + version % 10);
  h.program = static_cast<ProgramSet>(Program::kPkh);
  h.updated_at = Date::FromYmd(2024, 1 + version % 12, 1 + version % 28);
  for (int i = 0; i < member_count; ++i) {
    Person p;
    p.id_art = StrCat(id, "-", i);
    p.id_keluarga = id;
    p.nik = StrCat("32010112", 80 + i, "000", version % 10);
    p.nama = StrCat(i == 0 ? "SITI AMINAH " : "BUDI SANTOSO ", id, " ", version);
    p.jenis_kelamin = i % 2 == 0 ? Sex::kPerempuan : Sex::kLakiLaki;
    p.tempat_lahir = "BOGOR";
    p.tanggal_lahir = Date::FromYmd(1960 + i * 9, 1 + i, 10 + i);
    p.hubungan = i == 0 ? Hubungan::kKepalaKeluarga : Hubungan::kAnak;
    p.nama_ibu_kandung = "SRI WAHYUNI";
    p.status_kawin = i == 0 ? StatusKawin::kKawin : StatusKawin::kBelumKawin;
    p.pekerjaan = "PETANI";
    p.pendidikan = "SD";
    mutation.members.push_back(std::move(p));
  }
  return mutation;
}

inline Mutation MakeDelete(const std::string& id) {
  Mutation mutation;
  mutation.kind = Mutation::Kind::kDeleteHousehold;
  mutation.id_keluarga = id;
  return mutation;
}

}  // namespace padan::testing
