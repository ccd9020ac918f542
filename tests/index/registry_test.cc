#include "index/registry.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/absl_strings.h"
#include "index/blocking_keys.h"
#include "index/crc32c.h"
#include "index/snapshot_file.h"
#include "matching/match_record_builder.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::MakeTempDir;
using ::padan::testing::ReadFile;
using ::padan::testing::StatusIs;
using ::padan::testing::WriteFile;
using ::testing::HasSubstr;

constexpr const char* kTokens[] = {
    "budi",   "siti",    "aminah",  "agus",   "santoso",  "rahmawati", "kusuma",  "wayan",
    "made",   "ayu",     "dewi",    "putri",  "muhammad", "abdul",     "rahman",  "yusuf",
    "nur",    "hidayat", "joko",    "widodo", "sri",      "lestari",   "bambang", "suparman",
    "endang", "tuti",    "hartono", "yanti",  "eko",      "purnomo"};
constexpr KodeWilayah kDesa[] = {3201011001, 3201021001, 3171011001, 5171011001, 3578011001};

// A deterministic registry of `households` households of 1-4 members: names of two or three
// common tokens, birth dates over 60 years, 16-digit NIKs and No KKs, five desa.
void Fill(Registry& registry, int households, uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (int h = 0; h < households; ++h) {
    Household household;
    household.id_keluarga = StrCat("K", h);
    household.no_kk_value = 3201010101000000ULL + static_cast<uint64_t>(h);
    household.no_kk = StrCat(household.no_kk_value);
    household.kode_wilayah = kDesa[rng() % std::size(kDesa)];
    household.alamat = StrCat("Jl. Mawar No. ", h % 40);
    const int members = 1 + static_cast<int>(rng() % 4);
    for (int m = 0; m < members; ++m) {
      Person person;
      person.id_art = StrCat("P", h, "_", m);
      const int tokens = 2 + static_cast<int>(rng() % 2);
      for (int t = 0; t < tokens; ++t) {
        if (t > 0) person.nama += " ";
        person.nama += kTokens[rng() % std::size(kTokens)];
      }
      person.tanggal_lahir = Date::FromDays(static_cast<int32_t>(-5000 + rng() % 20000));
      person.jenis_kelamin = rng() % 2 == 0 ? Sex::kLakiLaki : Sex::kPerempuan;
      if (rng() % 20 != 0) {
        person.nik_value = 3201010000000000ULL + static_cast<uint64_t>(h) * 10 + m + 1;
        person.nik = StrCat(person.nik_value);
      }
      person.hubungan = m == 0 ? Hubungan::kKepalaKeluarga : Hubungan::kAnak;
      ASSERT_THAT(registry.Add(household, person), IsOk());
    }
  }
}

class RegistrySnapshotTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    names_ = NameNormalizer::LoadEmbedded()->release();
    addresses_ = AddressNormalizer::LoadEmbedded()->release();
  }

  std::unique_ptr<Registry> NewRegistry() const {
    return std::make_unique<Registry>(*names_, *addresses_);
  }

  // A bulk-loaded registry, then writes that leave tombstones and a blocking delta behind.
  std::unique_ptr<Registry> Written() const {
    std::unique_ptr<Registry> registry = NewRegistry();
    Fill(*registry, 600, 7);
    EXPECT_THAT(registry->FinishBulkLoad(), IsOk());
    for (int h = 0; h < 600; h += 7) {
      Mutation mutation;
      if (h % 3 == 0) {
        mutation.kind = Mutation::Kind::kDeleteHousehold;
        mutation.id_keluarga = StrCat("K", h);
      } else {
        mutation.kind = Mutation::Kind::kUpsertHousehold;
        mutation.household =
            registry->store().GetHousehold(*registry->store().FindHousehold(StrCat("K", h)));
        Person person;
        person.id_art = StrCat("N", h);
        person.id_keluarga = mutation.household.id_keluarga;
        person.nama = StrCat(kTokens[h % std::size(kTokens)], " baru ", kTokens[(h / 3) % 30]);
        person.tanggal_lahir = Date::FromDays(h * 11);
        person.jenis_kelamin = Sex::kPerempuan;
        person.nik_value = 3201019900000000ULL + static_cast<uint64_t>(h);
        person.nik = StrCat(person.nik_value);
        mutation.members.push_back(person);
      }
      EXPECT_THAT(registry->Validate({&mutation, 1}, nullptr), IsOk());
      EXPECT_THAT(registry->Apply(mutation), IsOk());
    }
    return registry;
  }

  // Saves `registry` to a new file; `records_only` writes the store alone, as snapshots did
  // before the indexes were persisted.
  std::string Save(const Registry& registry, bool records_only = false) const {
    const std::string path = MakeTempDir() + "/registry.snp";
    std::unique_ptr<SnapshotWriter> writer = *SnapshotWriter::Create(path);
    if (records_only) {
      EXPECT_THAT(registry.store().Save(*writer), IsOk());
    } else {
      EXPECT_THAT(registry.Save(*writer), IsOk());
    }
    EXPECT_THAT(writer->Finish(), IsOk());
    return path;
  }

  absl::Status Load(const std::string& path, Registry* registry) const {
    absl::StatusOr<std::unique_ptr<SnapshotReader>> reader = SnapshotReader::Open(path);
    if (!reader.ok()) return reader.status();
    return registry->Load(**reader);
  }

  static const NameNormalizer* names_;
  static const AddressNormalizer* addresses_;
};
const NameNormalizer* RegistrySnapshotTest::names_ = nullptr;
const AddressNormalizer* RegistrySnapshotTest::addresses_ = nullptr;

// Everything a query reads from the indexes, per live person: its candidates in rank order
// (by id_art, since ids are renumbered), its NIK and No KK hits, its name's probability, its
// cached normalised name.
std::vector<std::string> QueryAnswers(const Registry& registry) {
  const RecordStore& store = registry.store();
  MatchRecordBuilder builder(registry.names(), registry.addresses());
  std::vector<std::string> answers;
  BlockingKeys keys;
  store.ForEachLivePerson([&](PersonId id) {
    MatchRecord record = registry.BuildMatchRecord(id);
    BlockingQueryKeysOf(record, &keys);
    std::vector<PersonId> candidates;
    registry.blocking_index().Candidates(keys, DefaultBlockingLimits(), &candidates);
    std::string answer = StrCat(store.id_art(id), ":");
    for (PersonId c : candidates) {
      if (store.is_live(c)) StrAppend(&answer, " ", store.id_art(c));
    }
    StrAppend(&answer, " | nik");
    registry.nik_index().FindNear(store.nik_value(id), [&](PersonId near, uint64_t) {
      StrAppend(&answer, " ", store.id_art(near));
    });
    registry.nik_index().Find(store.nik_value(id),
                              [&](PersonId same) { StrAppend(&answer, " ", store.id_art(same)); });
    StrAppend(&answer, " | kk");
    registry.no_kk_index().Find(store.no_kk_value(store.household_of(id)), [&](HouseholdId h) {
      StrAppend(&answer, " ", store.id_keluarga(h));
    });
    StrAppend(&answer, " | p ", registry.frequencies().nama.NameProbability(record.nama));
    MatchName cached;
    registry.name_cache().Get(id, &cached);
    StrAppend(&answer, " | name ", cached.canonical, " / ", cached.phonetic_sorted, " / ",
              cached.low_information_mask, " / ", cached.token_spans.size());
    answers.push_back(std::move(answer));
  });
  return answers;
}

TEST_F(RegistrySnapshotTest, LoadReadsTheIndexesAndAnswersAsARebuild) {
  std::unique_ptr<Registry> written = Written();
  const std::string path = Save(*written);

  std::unique_ptr<Registry> loaded = NewRegistry();
  ASSERT_THAT(Load(path, loaded.get()), IsOk());
  EXPECT_FALSE(loaded->last_load_rebuilt());

  // The same store indexed from scratch: a snapshot of records only is rebuilt on load.
  std::unique_ptr<Registry> rebuilt = NewRegistry();
  ASSERT_THAT(Load(Save(*written, /*records_only=*/true), rebuilt.get()), IsOk());
  EXPECT_TRUE(rebuilt->last_load_rebuilt());

  EXPECT_EQ(loaded->store().live_person_count(), written->store().live_person_count());
  EXPECT_EQ(loaded->nik_index().size(), rebuilt->nik_index().size());
  EXPECT_EQ(loaded->no_kk_index().size(), rebuilt->no_kk_index().size());
  EXPECT_EQ(loaded->frequencies().nama.names(), rebuilt->frequencies().nama.names());
  EXPECT_EQ(loaded->frequencies().nama.distinct_tokens(),
            rebuilt->frequencies().nama.distinct_tokens());
  // The persisted mean is the bulk build's, kept through the writes.
  EXPECT_EQ(loaded->frequencies().nama.mean_name_probability(),
            written->frequencies().nama.mean_name_probability());
  // Probabilities print with the mean excluded: answers compare the indexes' content.
  std::vector<std::string> a = QueryAnswers(*loaded);
  std::vector<std::string> b = QueryAnswers(*rebuilt);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]);
}

TEST_F(RegistrySnapshotTest, SnapshotOfALoadedRegistryIsTheSameFile) {
  std::unique_ptr<Registry> written = Written();
  const std::string first = Save(*written);
  std::unique_ptr<Registry> loaded = NewRegistry();
  ASSERT_THAT(Load(first, loaded.get()), IsOk());
  EXPECT_EQ(ReadFile(Save(*loaded)), ReadFile(first));
}

TEST_F(RegistrySnapshotTest, LoadedRegistryTakesFurtherWrites) {
  std::unique_ptr<Registry> loaded = NewRegistry();
  ASSERT_THAT(Load(Save(*Written()), loaded.get()), IsOk());
  Mutation mutation;
  mutation.kind = Mutation::Kind::kUpsertHousehold;
  mutation.household.id_keluarga = "KNEW";
  mutation.household.kode_wilayah = 3201011001;
  Person person;
  person.id_art = "PNEW";
  person.id_keluarga = "KNEW";
  person.nama = "Rahmawati Kusumaningrum";
  person.tanggal_lahir = *Date::Parse("1990-01-05");
  person.nik_value = 3201024501900001ULL;
  person.nik = "3201024501900001";
  mutation.members.push_back(person);
  ASSERT_THAT(loaded->Apply(mutation), IsOk());
  const PersonId id = *loaded->store().FindPerson("PNEW");
  BlockingKeys keys;
  BlockingQueryKeysOf(loaded->BuildMatchRecord(id), &keys);
  std::vector<PersonId> candidates;
  loaded->blocking_index().Candidates(keys, DefaultBlockingLimits(), &candidates);
  EXPECT_THAT(candidates, ::testing::Contains(id));
  std::vector<PersonId> same;
  loaded->nik_index().Find(3201024501900001ULL, [&](PersonId p) { same.push_back(p); });
  EXPECT_THAT(same, ::testing::ElementsAre(id));
}

// A batch is validated as it will be applied: each mutation after the ones before it.
TEST_F(RegistrySnapshotTest, ValidateChecksEachMutationAfterTheOnesBeforeIt) {
  std::unique_ptr<Registry> registry = Written();
  Mutation remove;
  remove.kind = Mutation::Kind::kDeleteHousehold;
  remove.id_keluarga = "K1";
  ASSERT_TRUE(registry->store().FindHousehold("K1").has_value());
  EXPECT_THAT(registry->Validate({remove}, nullptr), IsOk());
  EXPECT_THAT(registry->Validate({remove, remove}, nullptr), StatusIs(absl::StatusCode::kNotFound));

  Mutation create;
  create.kind = Mutation::Kind::kUpsertHousehold;
  create.household.id_keluarga = "KNEW";
  create.household.kode_wilayah = 3201011001;
  Mutation remove_new;
  remove_new.kind = Mutation::Kind::kDeleteHousehold;
  remove_new.id_keluarga = "KNEW";
  EXPECT_THAT(registry->Validate({remove_new}, nullptr), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(registry->Validate({create, remove_new}, nullptr), IsOk());
  EXPECT_THAT(registry->Validate({create, remove_new, remove_new}, nullptr),
              StatusIs(absl::StatusCode::kNotFound));
  // Deleted, then written again: live once more.
  remove.id_keluarga = "K2";
  Mutation recreate = create;
  recreate.household.id_keluarga = "K2";
  EXPECT_THAT(registry->Validate({remove, recreate, remove}, nullptr), IsOk());
}

// The name cache holds what the normaliser makes of every live person's name now: after the
// bulk build, after writes that rename, add and delete, and after a reload.
TEST_F(RegistrySnapshotTest, NameCacheFollowsWrites) {
  std::unique_ptr<Registry> registry = Written();
  Mutation rename;
  rename.kind = Mutation::Kind::kUpsertHousehold;
  rename.household = registry->store().GetHousehold(*registry->store().FindHousehold("K1"));
  for (PersonId member : registry->store().Members(*registry->store().FindHousehold("K1"))) {
    Person person = registry->store().GetPerson(member);
    person.nama = "Hj. Rahmawati Kusumaningrum";
    rename.members.push_back(person);
  }
  ASSERT_FALSE(rename.members.empty());
  ASSERT_THAT(registry->Apply(rename), IsOk());
  std::unique_ptr<Registry> loaded = NewRegistry();
  ASSERT_THAT(Load(Save(*registry), loaded.get()), IsOk());
  for (const Registry* r : {registry.get(), loaded.get()}) {
    MatchRecordBuilder builder(r->names(), r->addresses());
    MatchName expected;
    MatchName cached;
    r->store().ForEachLivePerson([&](PersonId id) {
      builder.BuildName(r->store().nama(id), &expected);
      r->name_cache().Get(id, &cached);
      EXPECT_EQ(cached.canonical, expected.canonical) << r->store().id_art(id);
      EXPECT_EQ(cached.phonetic_sorted, expected.phonetic_sorted);
      EXPECT_EQ(cached.low_information_mask, expected.low_information_mask);
      EXPECT_EQ(cached.token_spans, expected.token_spans);
    });
    MatchName renamed;
    r->name_cache().Get(*r->store().FindPerson(rename.members[0].id_art), &renamed);
    EXPECT_EQ(renamed.canonical, "rahmawati kusumaningrum");
  }
}

TEST_F(RegistrySnapshotTest, EmptyRegistryRoundTrips) {
  std::unique_ptr<Registry> empty = NewRegistry();
  ASSERT_THAT(empty->FinishBulkLoad(), IsOk());
  std::unique_ptr<Registry> loaded = NewRegistry();
  ASSERT_THAT(Load(Save(*empty), loaded.get()), IsOk());
  EXPECT_FALSE(loaded->last_load_rebuilt());
  EXPECT_EQ(loaded->store().live_person_count(), 0u);
}

// The sections of a snapshot file (the layout snapshot_file.h documents), to rewrite one with
// a valid checksum: corruption that only the content's own checks can catch.
using Sections = std::vector<std::pair<std::string, std::string>>;

uint32_t GetU32(const std::string& s, size_t pos) {
  uint32_t v = 0;
  std::memcpy(&v, s.data() + pos, 4);
  return v;
}

Sections ParseSections(const std::string& file) {
  Sections sections;
  const uint32_t count = GetU32(file, 12);
  size_t pos = 16;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t name_size = GetU32(file, pos);
    std::string name = file.substr(pos + 4, name_size);
    pos += 4 + name_size;
    uint64_t size = 0;
    std::memcpy(&size, file.data() + pos, 8);
    pos += 12;
    sections.emplace_back(name, file.substr(pos, size));
    pos += size;
  }
  return sections;
}

void WriteSections(const std::string& path, const Sections& sections) {
  std::unique_ptr<SnapshotWriter> writer = *SnapshotWriter::Create(path);
  for (const auto& [name, payload] : sections) {
    writer->BeginSection(name);
    writer->Append(payload.data(), payload.size());
  }
  ASSERT_THAT(writer->Finish(), IsOk());
}

std::string& PayloadOf(Sections& sections, std::string_view name) {
  for (auto& [n, payload] : sections) {
    if (n == name) return payload;
  }
  ADD_FAILURE() << "no section " << name;
  static std::string none;
  return none;
}

TEST_F(RegistrySnapshotTest, CorruptIndexSectionsAreDataLossNamingTheSection) {
  const Sections good = ParseSections(ReadFile(Save(*Written())));
  struct Case {
    std::string section;
    std::function<void(std::string&)> corrupt;
  };
  const std::vector<Case> cases = {
      {"registry.blocking.bytes", [](std::string& p) { p.pop_back(); }},
      {"registry.blocking.bytes", [](std::string& p) { p.assign(p.size(), '\xff'); }},
      {"registry.blocking.bytes", [](std::string& p) { p.assign(p.size(), '\0'); }},
      {"registry.blocking", [](std::string& p) { p.resize(p.size() / 2); }},
      {"registry.blocking", [](std::string& p) { p[4 + 4 + 8 * 7] = 40; }},  // bucket bits
      {"registry.blocking", [](std::string& p) { p += "x"; }},
      {"registry.frequencies.nama", [](std::string& p) { p.resize(p.size() - 3); }},
      {"registry.frequencies.nama", [](std::string& p) { p[12 + 8 + 7] = '\x7f'; }},
      {"registry.names", [](std::string& p) { p.resize(p.size() - 3); }},
      {"registry.names", [](std::string& p) { p[4 + 8 + 8 + 4] = '\x7f'; }},  // first entry
      {"registry.indexes", [](std::string& p) { p[4] ^= 1; }},                // the person count
      {"registry.indexes", [](std::string& p) { p.resize(6); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.section);
    Sections bad = good;
    c.corrupt(PayloadOf(bad, c.section));
    const std::string path = MakeTempDir() + "/bad.snp";
    WriteSections(path, bad);
    std::unique_ptr<Registry> registry = NewRegistry();
    absl::Status status = Load(path, registry.get());
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
    // "registry.blocking" names both of its sections.
    EXPECT_THAT(status.message(), HasSubstr(c.section.substr(0, c.section.rfind(".bytes"))));
  }
}

TEST_F(RegistrySnapshotTest, MissingIndexSectionIsDataLoss) {
  Sections sections = ParseSections(ReadFile(Save(*Written())));
  std::erase_if(sections, [](const auto& s) { return s.first == "registry.blocking.bytes"; });
  const std::string path = MakeTempDir() + "/bad.snp";
  WriteSections(path, sections);
  std::unique_ptr<Registry> registry = NewRegistry();
  absl::Status status = Load(path, registry.get());
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(status.message(), HasSubstr("registry.blocking.bytes"));
}

// Any byte of the blocking index changed behind a valid checksum either still decodes (an id
// or a count changed within range) or is kDataLoss: never a crash (run under ASan in CI).
TEST_F(RegistrySnapshotTest, EveryFlippedBlockingByteLoadsOrIsDataLoss) {
  std::unique_ptr<Registry> small = NewRegistry();
  Fill(*small, 12, 3);
  ASSERT_THAT(small->FinishBulkLoad(), IsOk());
  const Sections good = ParseSections(ReadFile(Save(*small)));
  const std::string dir = MakeTempDir();
  for (const char* section : {"registry.blocking.bytes", "registry.blocking"}) {
    const size_t size = PayloadOf(const_cast<Sections&>(good), section).size();
    // Every header byte, then about a hundred positions spread over the rest (each case
    // writes and fsyncs a snapshot).
    constexpr size_t kHeaderBytes = 80;
    const size_t stride = std::max<size_t>(1, size / 100);
    for (size_t i = 0; i < size; i += i < kHeaderBytes ? 1 : stride) {
      Sections bad = good;
      PayloadOf(bad, section)[i] ^= static_cast<char>(0x5a);
      WriteSections(dir + "/bad.snp", bad);
      std::unique_ptr<Registry> registry = NewRegistry();
      absl::Status status = Load(dir + "/bad.snp", registry.get());
      if (status.ok()) continue;
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss)) << section << " byte " << i;
    }
  }
}

TEST_F(RegistrySnapshotTest, IndexesOfAnotherVersionAreRebuilt) {
  std::unique_ptr<Registry> written = Written();
  Sections sections = ParseSections(ReadFile(Save(*written)));
  PayloadOf(sections, "registry.blocking")[0] = 99;  // a format this build does not read
  const std::string path = MakeTempDir() + "/future.snp";
  WriteSections(path, sections);
  std::unique_ptr<Registry> registry = NewRegistry();
  ASSERT_THAT(Load(path, registry.get()), IsOk());
  EXPECT_TRUE(registry->last_load_rebuilt());
  EXPECT_EQ(registry->store().live_person_count(), written->store().live_person_count());
}

TEST_F(RegistrySnapshotTest, BulkBuildIsDeterministic) {
  // FinishBulkLoad splits persons over threads and merges their parts; two builds of the same
  // rows must still give the same indexes byte for byte (their snapshots show it).
  std::unique_ptr<Registry> a = NewRegistry();
  Fill(*a, 300, 11);
  ASSERT_THAT(a->FinishBulkLoad(), IsOk());
  std::unique_ptr<Registry> b = NewRegistry();
  Fill(*b, 300, 11);
  ASSERT_THAT(b->FinishBulkLoad(), IsOk());
  EXPECT_EQ(ReadFile(Save(*a)), ReadFile(Save(*b)));
}

}  // namespace
}  // namespace padan
