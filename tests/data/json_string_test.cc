#include "data/json_string.h"

#include "gtest/gtest.h"

namespace padan {
namespace {

TEST(JsonStringTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonString("a\"b\\c\nd\te\x01"), R"("a\"b\\c\nd\te\u0001")");
  EXPECT_EQ(JsonString(""), R"("")");
}

TEST(JsonStringTest, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(JsonString("Pépé"), "\"Pépé\"");
  EXPECT_EQ(JsonString("a\xff" "b"), "\"a\xEF\xBF\xBD" "b\"");
}

}  // namespace
}  // namespace padan
