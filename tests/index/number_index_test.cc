#include "index/number_index.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/absl_strings.h"
#include "index/record_store.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr uint64_t kNik = 3201015705800001;
constexpr uint64_t kNoKk = 3201012304150003;

// A store whose rows are (id_keluarga, no_kk, nik); each call adds one person.
class TestStore {
 public:
  PersonId Add(std::string id_keluarga, uint64_t no_kk, uint64_t nik) {
    Household h;
    h.id_keluarga = std::move(id_keluarga);
    h.no_kk_value = no_kk;
    h.no_kk = no_kk == 0 ? "" : StrCat(no_kk);
    h.kode_wilayah = 3201012001;
    Person p;
    p.id_art = StrCat("art", next_++);
    p.nik_value = nik;
    p.nik = nik == 0 ? "" : StrCat(nik);
    p.nama = "SITI AMINAH";
    auto id = store_->Add(h, p);
    EXPECT_THAT(id, testing::IsOk());
    return *id;
  }
  const RecordStore& store() const { return *store_; }

 private:
  std::unique_ptr<RecordStore> store_ = std::make_unique<RecordStore>();
  int next_ = 0;
};

std::vector<PersonId> Find(const NikIndex& index, uint64_t nik) {
  std::vector<PersonId> out;
  index.Find(nik, [&](PersonId id) { out.push_back(id); });
  return out;
}

std::vector<std::pair<PersonId, uint64_t>> FindNear(const NikIndex& index, uint64_t nik) {
  std::vector<std::pair<PersonId, uint64_t>> out;
  index.FindNear(nik, [&](PersonId id, uint64_t stored) { out.emplace_back(id, stored); });
  return out;
}

TEST(NikIndexTest, FindsExactNik) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, kNik);
  PersonId b = r.Add("k1", kNoKk, kNik + 1);
  NikIndex index(&r.store());
  index.Add(a);
  index.Add(b);
  EXPECT_THAT(Find(index, kNik), ElementsAre(a));
  EXPECT_THAT(Find(index, kNik + 1), ElementsAre(b));
  EXPECT_THAT(Find(index, kNik + 2), IsEmpty());
  EXPECT_EQ(index.size(), 2u);
}

TEST(NikIndexTest, ZeroFindsNothing) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, kNik);
  NikIndex index(&r.store());
  index.Add(a);
  EXPECT_THAT(Find(index, 0), IsEmpty());
  EXPECT_THAT(FindNear(index, 0), IsEmpty());
}

TEST(NikIndexTest, EmptyIndexFindsNothing) {
  TestStore r;
  NikIndex index(&r.store());
  EXPECT_THAT(Find(index, kNik), IsEmpty());
  EXPECT_THAT(FindNear(index, kNik), IsEmpty());
  EXPECT_EQ(index.size(), 0u);
}

TEST(NikIndexTest, SharedNikFindsEveryRecordInInsertionOrder) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, kNik);
  PersonId b = r.Add("k2", kNoKk, kNik);
  PersonId c = r.Add("k3", kNoKk, kNik);
  NikIndex index(&r.store());
  index.Add(a);
  index.Add(b);
  index.Add(c);
  EXPECT_THAT(Find(index, kNik), ElementsAre(a, b, c));
  EXPECT_EQ(index.size(), 3u);
}

TEST(NikIndexTest, FindsOneSubstitutionAway) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, 3201015705800001);
  PersonId far = r.Add("k1", kNoKk, 3201015705800099);  // two digits off
  NikIndex index(&r.store());
  index.Add(a);
  index.Add(far);
  EXPECT_THAT(FindNear(index, 3201015705800007),
              ElementsAre(std::make_pair(a, uint64_t{3201015705800001})));
  EXPECT_THAT(FindNear(index, 3201015705300001),
              ElementsAre(std::make_pair(a, uint64_t{3201015705800001})));
}

TEST(NikIndexTest, FindsATypoInTheRegionCodeAndTheDate) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, 3201015705800001);
  NikIndex index(&r.store());
  index.Add(a);
  // Kecamatan 320101 -> 320181 (a head no other number has) and day 57 -> 97 (no date).
  EXPECT_THAT(FindNear(index, 3201815705800001),
              ElementsAre(std::make_pair(a, uint64_t{3201015705800001})));
  EXPECT_THAT(FindNear(index, 3201019705800001),
              ElementsAre(std::make_pair(a, uint64_t{3201015705800001})));
  // A transposition across the head and the middle changes both.
  EXPECT_THAT(FindNear(index, 3201051705800001),
              ElementsAre(std::make_pair(a, uint64_t{3201015705800001})));
}

TEST(NikIndexTest, NearSkipsNothingOfARemovedAndReaddedNumber) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, 3201015705800001);
  PersonId b = r.Add("k2", kNoKk, 3302026611900002);
  NikIndex index(&r.store());
  index.Add(a);
  index.Remove(a);
  EXPECT_THAT(FindNear(index, 3201015705800002), IsEmpty());
  index.Add(b);
  EXPECT_THAT(FindNear(index, 3302026611900003),
              ElementsAre(std::make_pair(b, uint64_t{3302026611900002})));
  index.Add(a);
  EXPECT_THAT(FindNear(index, 3201015705800002),
              ElementsAre(std::make_pair(a, uint64_t{3201015705800001})));
}

TEST(NikIndexTest, FindsAdjacentTransposition) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, 3201015705800012);
  NikIndex index(&r.store());
  index.Add(a);
  EXPECT_THAT(FindNear(index, 3201015705800021),
              ElementsAre(std::make_pair(a, uint64_t{3201015705800012})));
  EXPECT_THAT(FindNear(index, 3201017505800012),
              ElementsAre(std::make_pair(a, uint64_t{3201015705800012})));
}

TEST(NikIndexTest, NearDoesNotReturnTheExactNik) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, kNik);
  NikIndex index(&r.store());
  index.Add(a);
  EXPECT_THAT(FindNear(index, kNik), IsEmpty());
}

TEST(NikIndexTest, NearFindsEveryRecordOfASharedNik) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, kNik);
  PersonId b = r.Add("k2", kNoKk, kNik);
  NikIndex index(&r.store());
  index.Add(a);
  index.Add(b);
  EXPECT_THAT(FindNear(index, kNik + 5),
              UnorderedElementsAre(std::make_pair(a, kNik), std::make_pair(b, kNik)));
}

TEST(NikIndexTest, RemoveTakesOutOnlyThatRecord) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, kNik);
  PersonId b = r.Add("k2", kNoKk, kNik);
  PersonId c = r.Add("k3", kNoKk, kNik);
  PersonId d = r.Add("k3", kNoKk, kNik + 1);
  NikIndex index(&r.store());
  for (PersonId id : {a, b, c, d}) index.Add(id);

  index.Remove(b);  // one of the shared ones
  EXPECT_THAT(Find(index, kNik), ElementsAre(a, c));
  index.Remove(a);  // the first: the next takes its place
  EXPECT_THAT(Find(index, kNik), ElementsAre(c));
  index.Remove(c);
  EXPECT_THAT(Find(index, kNik), IsEmpty());
  EXPECT_THAT(Find(index, kNik + 1), ElementsAre(d));
  EXPECT_EQ(index.size(), 1u);
}

// A number held by several records marks its slot as shared: the mark must follow the first
// record's slot when it is removed, go when the last other is removed, and survive rehashing.
TEST(NikIndexTest, SharedNumberStaysWholeThroughRemovesReaddsAndRehashing) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, kNik);
  PersonId b = r.Add("k2", kNoKk, kNik);
  PersonId c = r.Add("k3", kNoKk, kNik);
  PersonId d = r.Add("k4", kNoKk, kNik);
  NikIndex index(&r.store());
  for (PersonId id : {a, b, c, d}) index.Add(id);

  index.Remove(a);  // b takes the slot, c and d still share it
  EXPECT_THAT(Find(index, kNik), ElementsAre(b, c, d));
  EXPECT_THAT(FindNear(index, kNik + 10),
              UnorderedElementsAre(std::pair(b, kNik), std::pair(c, kNik), std::pair(d, kNik)));
  index.Remove(c);
  index.Remove(d);  // b alone
  EXPECT_THAT(Find(index, kNik), ElementsAre(b));
  index.Add(a);  // shared again
  std::vector<PersonId> others;
  for (uint64_t i = 1; i <= 2000; ++i)
    others.push_back(r.Add(StrCat("o", i), kNoKk, kNik + i * 100));
  for (PersonId id : others) index.Add(id);  // grows the table several times
  EXPECT_THAT(Find(index, kNik), ElementsAre(b, a));
  EXPECT_EQ(index.size(), 2002u);
}

TEST(NikIndexTest, RemoveOfAnAbsentRecordIsANoOp) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, kNik);
  PersonId b = r.Add("k2", kNoKk, kNik);
  PersonId other = r.Add("k3", kNoKk, kNik + 1);
  NikIndex index(&r.store());
  index.Add(a);
  index.Remove(b);      // same NIK, never added
  index.Remove(other);  // NIK not in the index at all
  index.Remove(b);
  EXPECT_THAT(Find(index, kNik), ElementsAre(a));
  EXPECT_EQ(index.size(), 1u);
}

TEST(NikIndexTest, ReaddAfterRemove) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, kNik);
  PersonId b = r.Add("k2", kNoKk, kNik);
  NikIndex index(&r.store());
  index.Add(a);
  index.Add(b);
  index.Remove(a);
  index.Add(a);
  EXPECT_THAT(Find(index, kNik), UnorderedElementsAre(a, b));
  EXPECT_EQ(index.size(), 2u);
}

TEST(NikIndexTest, ManyRecordsAfterRehashing) {
  TestStore r;
  NikIndex index(&r.store());
  std::vector<PersonId> ids;
  for (uint64_t i = 0; i < 5000; ++i) {
    ids.push_back(r.Add(StrCat("k", i), kNoKk, kNik + i * 1000));
    index.Add(ids.back());
  }
  for (uint64_t i = 0; i < 5000; i += 7) {
    EXPECT_THAT(Find(index, kNik + i * 1000), ElementsAre(ids[i]));
    // The near filter was rebuilt at each growth: a typo in the last digit still finds it.
    EXPECT_THAT(FindNear(index, kNik + i * 1000 + 1),
                ElementsAre(std::pair(ids[i], kNik + i * 1000)));
  }
  EXPECT_GT(index.MemoryUsage(), 5000u * sizeof(uint64_t));
  // A slot is 8 bytes, a control byte and a near-filter byte, at a load of 7/16 to 7/8; plus
  // the digit-block filter's fixed 250 KB.
  EXPECT_LT(index.MemoryUsage(), 5000u * 23 + 250'000);
}

// The bulk build (the numbers put in slot order first when there are many) and Reserve size
// the near filter as Add does: every number stays findable one typo away.
TEST(NikIndexTest, BulkBuildFindsEveryNumberNearAndExact) {
  TestStore r;
  std::vector<PersonId> ids;
  for (uint64_t i = 0; i < 70'000; ++i) ids.push_back(r.Add("k", kNoKk, kNik + i * 1000));
  NikIndex index(&r.store());
  index.Reserve(1000);
  index.AddAll(ids);
  for (uint64_t i = 0; i < ids.size(); ++i) {
    ASSERT_THAT(Find(index, kNik + i * 1000), ElementsAre(ids[i])) << i;
    ASSERT_THAT(FindNear(index, kNik + i * 1000 + 1),
                ElementsAre(std::pair(ids[i], kNik + i * 1000)))
        << i;
  }
}

TEST(NoKkIndexTest, FindsEveryHouseholdWithTheNumber) {
  TestStore r;
  PersonId a = r.Add("k1", kNoKk, kNik);
  PersonId b = r.Add("k2", kNoKk, kNik + 1);       // re-registered with the same card
  PersonId c = r.Add("k3", kNoKk + 10, kNik + 2);  // one digit off
  const RecordStore& store = r.store();
  NoKkIndex index(&store);
  for (PersonId id : {a, b, c}) index.Add(store.household_of(id));

  std::vector<HouseholdId> exact;
  index.Find(kNoKk, [&](HouseholdId h) { exact.push_back(h); });
  EXPECT_THAT(exact, ElementsAre(store.household_of(a), store.household_of(b)));

  std::vector<HouseholdId> near;
  index.FindNear(kNoKk + 10 + 3, [&](HouseholdId h, uint64_t stored) {
    EXPECT_EQ(stored, kNoKk + 10);
    near.push_back(h);
  });
  EXPECT_THAT(near, ElementsAre(store.household_of(c)));

  index.Remove(store.household_of(a));
  exact.clear();
  index.Find(kNoKk, [&](HouseholdId h) { exact.push_back(h); });
  EXPECT_THAT(exact, ElementsAre(store.household_of(b)));
}

}  // namespace
}  // namespace padan
