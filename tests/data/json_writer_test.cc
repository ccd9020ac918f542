#include "data/json_writer.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "gtest/gtest.h"

namespace padan {
namespace {

TEST(JsonWriterTest, EscapesAndReplacesInvalidUtf8) {
  JsonWriter json;
  json.BeginObject()
      .Member("a\"b", "line\nbreak\t\x01")
      .Key("bad")
      .String(
          "x\xff"
          "y");
  json.Key("list").BeginArray().Int(-1).Uint(2).Double(0.5).Bool(true).Null().EndArray();
  json.EndObject();
  EXPECT_EQ(json.str(),
            "{\"a\\\"b\":\"line\\nbreak\\t\\u0001\",\"bad\":\"x\xEF\xBF\xBDy\","
            "\"list\":[-1,2,0.5,true,null]}");
}

TEST(JsonWriterTest, DoublesHaveSixSignificantDigitsAsPrintfG) {
  for (double value : {0.0, -0.0, 0.5, -3.25, 100.0, 1234567.0, 123456.5, 0.1 + 0.2, 1.0 / 3,
                       -2.0 / 3, 0.000012345, 0.0001, 1e-7, 1e21, 9.9999951, 12.3456789, -42.0}) {
    char expected[32];
    std::snprintf(expected, sizeof(expected), "%.6g", value);
    JsonWriter json;
    json.Double(value);
    EXPECT_EQ(json.str(), expected) << value;
  }
  JsonWriter json;
  json.BeginArray().Double(std::nan("")).Double(HUGE_VAL).EndArray();
  EXPECT_EQ(json.str(), "[null,null]");
}

}  // namespace
}  // namespace padan
