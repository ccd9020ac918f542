#include "data/json_writer.h"

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

}  // namespace
}  // namespace padan
