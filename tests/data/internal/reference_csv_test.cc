#include "data/internal/reference_csv.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "tests/test_util.h"

namespace padan::internal {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Fields(const ReferenceCsvReader& reader) {
  return std::vector<std::string>(reader.fields().begin(), reader.fields().end());
}

TEST(ReferenceCsvReaderTest, SplitsUnquotedRecordsAndCountsLines) {
  ReferenceCsvReader reader("a,b,c\n1,,3\n\n4,5,\n", "t.csv");
  ASSERT_TRUE(reader.Next());
  EXPECT_THAT(Fields(reader), ElementsAre("a", "b", "c"));
  EXPECT_EQ(reader.line(), 1);
  ASSERT_TRUE(reader.Next());
  EXPECT_THAT(Fields(reader), ElementsAre("1", "", "3"));
  EXPECT_EQ(reader.line(), 2);
  ASSERT_TRUE(reader.Next());  // the blank line 3 is skipped
  EXPECT_THAT(Fields(reader), ElementsAre("4", "5", ""));
  EXPECT_EQ(reader.line(), 4);
  EXPECT_FALSE(reader.Next());
  EXPECT_THAT(reader.status(), IsOk());
}

TEST(ReferenceCsvReaderTest, HandlesCrlfAndAMissingFinalNewline) {
  ReferenceCsvReader reader("a,b\r\n\r\nc,d", "t.csv");
  ASSERT_TRUE(reader.Next());
  EXPECT_THAT(Fields(reader), ElementsAre("a", "b"));
  ASSERT_TRUE(reader.Next());
  EXPECT_THAT(Fields(reader), ElementsAre("c", "d"));
  EXPECT_EQ(reader.line(), 3);
  EXPECT_FALSE(reader.Next());
}

TEST(ReferenceCsvReaderTest, ReadsQuotedFields) {
  const std::string text =
      "1,\"Lubuk Pakam I,II\",x\r\n"
      "2,\"say \"\"hi\"\"\",\"\"\n"
      "3,\"two\nlines\",y\n"
      "4,z,w\n";
  ReferenceCsvReader reader(text, "t.csv");
  ASSERT_TRUE(reader.Next());
  EXPECT_THAT(Fields(reader), ElementsAre("1", "Lubuk Pakam I,II", "x"));
  // A quoted field without escapes is a view into the text itself.
  EXPECT_GE(reader.field(1).data(), text.data());
  EXPECT_LT(reader.field(1).data(), text.data() + text.size());
  ASSERT_TRUE(reader.Next());
  EXPECT_THAT(Fields(reader), ElementsAre("2", "say \"hi\"", ""));
  ASSERT_TRUE(reader.Next());
  EXPECT_THAT(Fields(reader), ElementsAre("3", "two\nlines", "y"));
  EXPECT_EQ(reader.line(), 3);
  ASSERT_TRUE(reader.Next());
  EXPECT_THAT(Fields(reader), ElementsAre("4", "z", "w"));
  EXPECT_EQ(reader.line(), 5);  // the quoted newline counted
  EXPECT_FALSE(reader.Next());
  EXPECT_THAT(reader.status(), IsOk());
}

TEST(ReferenceCsvReaderTest, StopsOnMalformedQuotes) {
  ReferenceCsvReader unclosed("a,b\n1,\"open\n2,3\n", "t.csv");
  ASSERT_TRUE(unclosed.Next());
  EXPECT_FALSE(unclosed.Next());
  EXPECT_THAT(unclosed.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(unclosed.status().message()),
              HasSubstr("t.csv line 2: quote not closed"));
  EXPECT_FALSE(unclosed.Next());  // stays stopped

  ReferenceCsvReader trailing("\"a\"b,c\n", "t.csv");
  EXPECT_FALSE(trailing.Next());
  EXPECT_THAT(std::string(trailing.status().message()),
              HasSubstr("line 1: text after a closing quote"));

  ReferenceCsvReader stray_cr("\"a\"\r,c\n", "t.csv");
  EXPECT_FALSE(stray_cr.Next());
  EXPECT_THAT(stray_cr.status(), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ReferenceCsvReaderTest, ChecksHeaderAndFieldCount) {
  ReferenceCsvReader good("kode,nama\n32,Jawa Barat,x\n", "t.csv");
  EXPECT_THAT(good.ReadHeader({"kode", "nama"}), IsOk());
  ASSERT_TRUE(good.Next());
  absl::Status count = good.ExpectFieldCount(2);
  EXPECT_THAT(count, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(count.message()), HasSubstr("t.csv line 2: expected 2 fields, found 3"));

  ReferenceCsvReader other("kode,name\n", "t.csv");
  absl::Status header = other.ReadHeader({"kode", "nama"});
  EXPECT_THAT(std::string(header.message()),
              HasSubstr("line 1: expected the header 'kode,nama', found 'kode,name'"));

  ReferenceCsvReader empty("", "t.csv");
  EXPECT_THAT(empty.ReadHeader({"kode"}), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ReferenceCsvReaderTest, ParsesDecimals) {
  uint64_t value = 7;
  EXPECT_TRUE(ParseDecimal("0", &value));
  EXPECT_EQ(value, 0u);
  EXPECT_TRUE(ParseDecimal("18446744073709551615", &value));
  EXPECT_EQ(value, UINT64_MAX);
  for (const char* bad : {"", "18446744073709551616", "-1", "+1", " 1", "1.0", "1e3"}) {
    EXPECT_FALSE(ParseDecimal(bad, &value)) << bad;
  }
}

}  // namespace
}  // namespace padan::internal
