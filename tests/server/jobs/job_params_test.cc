#include "server/jobs/job_params.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/field_error.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::StatusIs;
using ::testing::HasSubstr;

constexpr std::string_view kAllowed[] = {"format", "all_records", "mapping", "wilayah"};

TEST(JobParamsTest, ReadsEachTypeAndDefaults) {
  absl::StatusOr<JobParams> params = JobParams::Parse(
      R"({"format":"ndjson","all_records":true,"mapping":{"fields":{"nama":"NAMA"}}})", kAllowed);
  ASSERT_TRUE(params.ok()) << params.status();
  EXPECT_EQ(*params->Choice("format", {"csv", "ndjson"}, "csv"), "ndjson");
  EXPECT_TRUE(*params->Bool("all_records", false));
  EXPECT_EQ(**params->Object("mapping"), R"({"fields":{"nama":"NAMA"}})");
  EXPECT_FALSE(params->String("wilayah")->has_value());
  absl::StatusOr<JobParams> empty = JobParams::Parse("{}", kAllowed);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty->Choice("format", {"csv", "ndjson"}, "csv"), "csv");
  EXPECT_FALSE(*empty->Bool("all_records", false));
  EXPECT_FALSE(empty->Object("mapping")->has_value());
}

TEST(JobParamsTest, WrongTypesAndUnknownFieldsNameTheField) {
  absl::StatusOr<JobParams> params =
      JobParams::Parse(R"({"format":1,"all_records":"ya","mapping":"m.json"})", kAllowed);
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(FieldOf(params->Choice("format", {"csv"}, "csv").status()), "params.format");
  EXPECT_EQ(FieldOf(params->Bool("all_records", false).status()), "params.all_records");
  EXPECT_EQ(FieldOf(params->Object("mapping").status()), "params.mapping");
  absl::StatusOr<JobParams> bad_choice = JobParams::Parse(R"({"format":"xlsx"})", kAllowed);
  EXPECT_THAT(bad_choice->Choice("format", {"csv", "ndjson"}, "csv"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("csv, ndjson")));
  EXPECT_EQ(FieldOf(JobParams::Parse(R"({"colour":"red"})", kAllowed).status()), "params.colour");
  EXPECT_EQ(FieldOf(JobParams::Parse("[1]", kAllowed).status()), "params");
  EXPECT_EQ(FieldOf(JobParams::Parse("{", kAllowed).status()), "params");
}

}  // namespace
}  // namespace padan
