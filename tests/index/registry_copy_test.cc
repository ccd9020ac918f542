#include "index/registry_copy.h"

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "index/registry.h"
#include "tests/test_records.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::MakeTestPerson;
using ::padan::testing::MakeUpsert;

const Registry& RegistryOf(const Database::ReadView& view) {
  return static_cast<const Registry&>(view.state());
}

TEST(RegistryCopyTest, TheCopyHoldsTheRegistryAsItWasAndLaterWritesDoNotReachIt) {
  static const NameNormalizer* names = NameNormalizer::LoadEmbedded()->release();
  static const AddressNormalizer* addresses = AddressNormalizer::LoadEmbedded()->release();
  const std::string dir = padan::testing::MakeTempDir();
  DatabaseOptions options;
  options.dir = dir + "/source";
  options.background_snapshots = false;
  absl::StatusOr<std::unique_ptr<Database>> source =
      Database::Open(options, std::make_unique<Registry>(*names, *addresses));
  ASSERT_THAT(source, IsOk());
  std::vector<Mutation> writes = {
      MakeUpsert("K1", "3201011203150007", 3201011001,
                 {MakeTestPerson("P1", "Budi Santoso", "1980-05-17", Sex::kLakiLaki,
                                 "3201011705800003", Hubungan::kKepalaKeluarga)}),
      MakeUpsert("K2", "3171011203150001", 3171011001,
                 {MakeTestPerson("P2", "Agus Salim", "1970-03-20", Sex::kLakiLaki,
                                 "3171012003700001", Hubungan::kKepalaKeluarga)})};
  ASSERT_THAT((*source)->Write(writes), IsOk());

  absl::StatusOr<std::unique_ptr<Database>> copy =
      CopyRegistry(**source, *names, *addresses, dir + "/copy");
  ASSERT_THAT(copy, IsOk());
  std::vector<Mutation> later = {
      MakeUpsert("K3", "3201021203150002", 3201021001,
                 {MakeTestPerson("P3", "Rahmawati", "1990-01-05", Sex::kPerempuan,
                                 "3201024501900001", Hubungan::kKepalaKeluarga)})};
  ASSERT_THAT((*source)->Write(later), IsOk());

  {
    Database::ReadView view = (*copy)->Read();
    const Registry& copied = RegistryOf(view);
    EXPECT_EQ(copied.store().live_person_count(), 2u);
    EXPECT_TRUE(copied.store().FindPerson("P1").has_value());
    EXPECT_TRUE(copied.store().FindPerson("P2").has_value());
    EXPECT_FALSE(copied.store().FindPerson("P3").has_value());
    Database::ReadView source_view = (*source)->Read();
    EXPECT_EQ(RegistryOf(source_view).store().live_person_count(), 3u);
  }

  // A folder that already holds a database is refused, not overwritten.
  EXPECT_FALSE(CopyRegistry(**source, *names, *addresses, dir + "/copy").ok());
}

}  // namespace
}  // namespace padan
