// Records, writes and a model made by hand for the index and server tests: a person from a few
// fields, a household upsert, and a Fellegi-Sunter model with fixed, plausible weights.
// Header-only: the test targets compile only *_test.cc files.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "data/date.h"
#include "data/nik.h"
#include "data/record.h"
#include "index/mutation.h"
#include "matching/comparison_spec.h"
#include "matching/fellegi_sunter_model.h"

namespace padan::testing {

inline Person MakeTestPerson(std::string id, std::string nama, std::string dob, Sex sex,
                             std::string nik, Hubungan hubungan, std::string ibu = "") {
  Person person;
  person.id_art = std::move(id);
  person.nama = std::move(nama);
  person.tanggal_lahir = *Date::Parse(dob);
  person.jenis_kelamin = sex;
  IdParse parsed = Nik::Parse(nik);
  person.nik = parsed.digits;
  person.nik_value = parsed.value;
  if (nik.empty()) person.flags |= kPersonNikMissing;
  person.hubungan = hubungan;
  person.nama_ibu_kandung = std::move(ibu);
  return person;
}

inline Mutation MakeUpsert(std::string id_keluarga, std::string no_kk, KodeWilayah region,
                           std::vector<Person> members) {
  Mutation mutation;
  mutation.kind = Mutation::Kind::kUpsertHousehold;
  mutation.household.id_keluarga = id_keluarga;
  mutation.household.no_kk = no_kk;
  mutation.household.no_kk_value = NoKk::Parse(no_kk).value;
  mutation.household.kode_wilayah = region;
  mutation.household.alamat = "Jl. Mawar No. 5";
  mutation.household.updated_at = *Date::Parse("2024-06-01");
  for (Person& member : members) member.id_keluarga = id_keluarga;
  mutation.members = std::move(members);
  return mutation;
}

// Agreement on a field's first level is strong evidence, its else level evidence against.
inline FellegiSunterModel MakeTestModel() {
  FellegiSunterModel model(*ComparisonSpec::Default());
  for (size_t f = 0; f < model.field_count(); ++f) {
    const FieldSpec& field = model.spec().fields[f];
    size_t levels = field.level_count();
    for (size_t l = 0; l < levels; ++l) {
      double m = l == 0 ? 0.85 : l + 1 == levels ? 0.05 : 0.10 / static_cast<double>(levels - 2);
      double u = l == 0 ? 0.001 : l + 1 == levels ? 0.95 : 0.049 / static_cast<double>(levels - 2);
      if (levels == 2) u = 0.5;
      model.set_m(f, l, m);
      model.set_u(f, l, u);
      if (!field.u_given.empty()) model.set_u_given(f, l, u);
    }
  }
  model.set_lambda(1e-3);
  model.set_thresholds(5, 0);
  model.set_version("test-model");
  return model;
}

}  // namespace padan::testing
