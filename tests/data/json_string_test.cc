#include "data/json_string.h"

#include <string>

#include "gtest/gtest.h"

namespace padan {
namespace {

TEST(JsonStringTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonString("a\"b\\c\nd\te\x01"), R"("a\"b\\c\nd\te\u0001")");
  EXPECT_EQ(JsonString(""), R"("")");
}

TEST(JsonStringTest, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(JsonString("Pépé"), "\"Pépé\"");
  EXPECT_EQ(JsonString("a\xff"
                       "b"),
            "\"a\xEF\xBF\xBD"
            "b\"");
}

// Plain text is recognised eight bytes at a time: one byte needing care, at every position of
// texts around and across the word boundaries, must still be escaped (and nothing else).
TEST(JsonStringTest, EscapesOneSpecialByteAtAnyPositionOfAnyLength) {
  struct Case {
    char byte;
    std::string written;
  };
  const Case cases[] = {{'\0', "\\u0000"},
                        {'\x1f', "\\u001f"},
                        {'\n', "\\n"},
                        {'"', "\\\""},
                        {'\\', "\\\\"},
                        {'\x80', "\xEF\xBF\xBD"},
                        {'\xff', "\xEF\xBF\xBD"},
                        {' ', " "},
                        {'\x7f', "\x7f"},
                        {'!', "!"},
                        {'#', "#"},
                        {'[', "["}};
  for (size_t length = 1; length <= 25; ++length) {
    for (size_t at = 0; at < length; ++at) {
      for (const Case& c : cases) {
        std::string text(length, 'a');
        text[at] = c.byte;
        std::string expected = "\"";
        expected.append(at, 'a').append(c.written).append(length - at - 1, 'a').append("\"");
        EXPECT_EQ(JsonString(text), expected) << "length " << length << " at " << at;
      }
    }
  }
}

TEST(JsonStringTest, AppendsAfterWhatIsThere) {
  std::string out = "[";
  AppendJsonString("plain", &out);
  out.push_back(',');
  AppendJsonString("with \"quote\"", &out);
  EXPECT_EQ(out, R"(["plain","with \"quote\"")");
}

}  // namespace
}  // namespace padan
