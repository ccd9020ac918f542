#include "data/ndjson_reader.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/row_reader.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::MakeTempDir;
using ::padan::testing::StatusIs;
using ::padan::testing::WriteFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;

// A row copied out of the reader, with fields by column name for present keys only.
struct OwnedRow {
  std::vector<std::pair<std::string, std::string>> fields;  // present (column, value) pairs
  int64_t line = 0;
  std::string error;

  friend bool operator==(const OwnedRow&, const OwnedRow&) = default;
};

void PrintTo(const OwnedRow& row, std::ostream* os) {
  *os << "{line " << row.line << ": " << ::testing::PrintToString(row.fields);
  if (!row.error.empty()) *os << " error: " << row.error;
  *os << "}";
}

constexpr int kMaxRows = 100000;

std::vector<OwnedRow> ReadAll(RowReader& reader) {
  std::vector<OwnedRow> rows;
  Row row;
  for (int i = 0; i < kMaxRows; ++i) {
    absl::StatusOr<bool> next = reader.Next(&row);
    EXPECT_THAT(next, IsOk());
    if (!next.ok() || !*next) return rows;
    EXPECT_EQ(row.fields.size(), reader.columns().size());
    EXPECT_EQ(row.present.size(), reader.columns().size());
    OwnedRow owned;
    for (size_t c = 0; c < row.fields.size() && c < row.present.size(); ++c) {
      if (row.present[c]) {
        owned.fields.emplace_back(reader.columns()[c], std::string(row.fields[c]));
      } else {
        EXPECT_THAT(row.fields[c], IsEmpty());
      }
    }
    owned.line = row.line;
    owned.error = row.error;
    rows.push_back(std::move(owned));
  }
  ADD_FAILURE() << "reader did not end after " << kMaxRows << " rows";
  return rows;
}

std::vector<OwnedRow> ReadNdjson(std::string text, const RowReaderOptions& options = {},
                                 std::vector<std::string>* columns = nullptr) {
  absl::StatusOr<std::unique_ptr<RowReader>> reader =
      NdjsonReaderFromString(std::move(text), options);
  EXPECT_THAT(reader, IsOk());
  if (!reader.ok()) return {};
  std::vector<OwnedRow> rows = ReadAll(**reader);
  if (columns != nullptr) *columns = (*reader)->columns();
  return rows;
}

template <size_t N>
std::string Bytes(const char (&text)[N]) {
  return std::string(text, N - 1);
}

TEST(NdjsonReaderTest, ReadsScalarsAsText) {
  std::vector<OwnedRow> rows =
      ReadNdjson(R"({"nik":3201010101010001,"nama":"Siti \"Ipah\" Aminah\u00e9","desil":1.50,)"
                 R"("e":-2.5E+3,"aktif":true,"pindah":false,"catatan":null})"
                 "\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].error, IsEmpty());
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_THAT(
      rows[0].fields,
      ElementsAre(Pair("nik", "3201010101010001"), Pair("nama", "Siti \"Ipah\" Aminah\xC3\xA9"),
                  Pair("desil", "1.50"), Pair("e", "-2.5E+3"), Pair("aktif", "true"),
                  Pair("pindah", "false"), Pair("catatan", "")));
}

TEST(NdjsonReaderTest, KeepsNumbersBeyondDoublePrecisionExactly) {
  std::vector<OwnedRow> rows = ReadNdjson(
      R"({"nik": 3201010101010001 , "big": 123456789012345678901234567890, "x": 0.1000000000000000055511151231257827})");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].error, IsEmpty());
  EXPECT_THAT(rows[0].fields, ElementsAre(Pair("nik", "3201010101010001"),
                                          Pair("big", "123456789012345678901234567890"),
                                          Pair("x", "0.1000000000000000055511151231257827")));
}

TEST(NdjsonReaderTest, FlattensNestedObjects) {
  std::vector<OwnedRow> rows = ReadNdjson(
      R"({"no_kk":"1","alamat":{"jalan":"Jl. Mawar","rt":"001","wilayah":{"desa":"X"}}})");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields,
              ElementsAre(Pair("no_kk", "1"), Pair("alamat.jalan", "Jl. Mawar"),
                          Pair("alamat.rt", "001"), Pair("alamat.wilayah.desa", "X")));
  rows = ReadNdjson(R"({"":{"a":1},"kosong":{}})");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre(Pair(".a", "1")));
}

TEST(NdjsonReaderTest, JoinsArraysWithSemicolons) {
  std::vector<OwnedRow> rows = ReadNdjson(
      R"({"program":["PKH","BPNT"],"kosong":[],"campur":[1,true,null,"a;b"],"objek":[{"a":1},[2, 3]]})");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].error, IsEmpty());
  EXPECT_THAT(rows[0].fields,
              ElementsAre(Pair("program", "PKH;BPNT"), Pair("kosong", ""),
                          Pair("campur", "1;true;;a;b"), Pair("objek", R"({"a":1};[2, 3])")));
}

TEST(NdjsonReaderTest, ExpandsMembersArrayIntoOneRowPerMember) {
  std::vector<std::string> columns;
  std::vector<OwnedRow> rows =
      ReadNdjson(R"({"no_kk":"3201","alamat":"Jl. Mawar","anggota":[{"nik":"1","nama":"Budi"},)"
                 R"({"nik":"2","nama":"Siti","alamat":"Jl. Melati"}],"desil":2})"
                 "\n",
                 {}, &columns);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(columns, ElementsAre("no_kk", "alamat", "nik", "nama", "desil"));
  EXPECT_THAT(rows[0].fields,
              ElementsAre(Pair("no_kk", "3201"), Pair("alamat", "Jl. Mawar"), Pair("nik", "1"),
                          Pair("nama", "Budi"), Pair("desil", "2")));
  // The member's own value wins over the parent's.
  EXPECT_THAT(rows[1].fields,
              ElementsAre(Pair("no_kk", "3201"), Pair("alamat", "Jl. Melati"), Pair("nik", "2"),
                          Pair("nama", "Siti"), Pair("desil", "2")));
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_EQ(rows[1].line, 1);
}

TEST(NdjsonReaderTest, EmptyMembersArrayYieldsTheParentAlone) {
  std::vector<OwnedRow> rows = ReadNdjson(R"({"no_kk":"3201","anggota":[]})");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].error, IsEmpty());
  EXPECT_THAT(rows[0].fields, ElementsAre(Pair("no_kk", "3201")));
}

TEST(NdjsonReaderTest, MembersKeyIsConfigurable) {
  RowReaderOptions options;
  options.ndjson_members_key = "art";
  std::vector<OwnedRow> rows =
      ReadNdjson(R"({"art":[{"nik":"1"},{"nik":"2"}],"anggota":["x","y"]})", options);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[1].fields, ElementsAre(Pair("nik", "2"), Pair("anggota", "x;y")));
  options.ndjson_members_key.clear();
  rows = ReadNdjson(R"({"anggota":[{"nik":"1"},{"nik":"2"}]})", options);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre(Pair("anggota", R"({"nik":"1"};{"nik":"2"})")));
}

TEST(NdjsonReaderTest, MembersArrayWithNonObjectIsMalformed) {
  std::vector<OwnedRow> rows = ReadNdjson(R"({"anggota":[{"nik":"1"},"2"]})");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].error, "element 2 of 'anggota' is a string, not an object");
}

TEST(NdjsonReaderTest, NewKeysGrowColumns) {
  absl::StatusOr<std::unique_ptr<RowReader>> reader =
      NdjsonReaderFromString("{\"nik\":\"1\"}\n{\"nama\":\"Budi\",\"nik\":\"2\"}\n");
  ASSERT_THAT(reader, IsOk());
  Row row;
  ASSERT_THAT((*reader)->Next(&row), IsOk());
  EXPECT_THAT((*reader)->columns(), ElementsAre("nik"));
  EXPECT_THAT(row.fields, ElementsAre("1"));
  ASSERT_THAT((*reader)->Next(&row), IsOk());
  EXPECT_THAT((*reader)->columns(), ElementsAre("nik", "nama"));
  EXPECT_THAT(row.fields, ElementsAre("2", "Budi"));
  EXPECT_THAT(row.present, ElementsAre(true, true));
}

TEST(NdjsonReaderTest, PresentSaysWhetherTheKeyWasInTheObject) {
  absl::StatusOr<std::unique_ptr<RowReader>> reader =
      NdjsonReaderFromString("{\"nik\":\"1\",\"nama\":null}\n{\"nik\":\"2\"}\n");
  ASSERT_THAT(reader, IsOk());
  Row row;
  ASSERT_THAT((*reader)->Next(&row), IsOk());
  EXPECT_THAT(row.present, ElementsAre(true, true));
  ASSERT_THAT((*reader)->Next(&row), IsOk());
  EXPECT_THAT(row.fields, ElementsAre("2", ""));
  EXPECT_THAT(row.present, ElementsAre(true, false));
}

TEST(NdjsonReaderTest, BadLineIsMalformedAndReadingGoesOn) {
  std::vector<std::string> columns;
  std::vector<OwnedRow> rows = ReadNdjson(
      "{\"nik\":\"1\"}\n"
      "{\"nik\":\"2\",\"rusak\": }\n"
      "[1,2]\n"
      "\"teks\"\n"
      "{\"nik\":\"3\"} {\"nik\":\"4\"}\n"
      "{\"nik\":01}\n"
      "{\"nik\":\"5\"\n"
      "{\"nik\":\"6\"}\n",
      {}, &columns);
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_THAT(rows[0].error, IsEmpty());
  EXPECT_THAT(rows[1].error, HasSubstr("invalid JSON"));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_THAT(rows[1].fields, IsEmpty());
  EXPECT_EQ(rows[2].error, "not a JSON object (the line holds an array)");
  EXPECT_EQ(rows[3].error, "not a JSON object (the line holds a string)");
  EXPECT_THAT(rows[4].error, HasSubstr("invalid JSON"));
  EXPECT_THAT(rows[5].error, HasSubstr("invalid JSON"));
  EXPECT_THAT(rows[6].error, HasSubstr("invalid JSON"));
  EXPECT_THAT(rows[7].error, IsEmpty());
  EXPECT_THAT(rows[7].fields, ElementsAre(Pair("nik", "6")));
  EXPECT_EQ(rows[7].line, 8);
  // Keys of a bad line do not become columns.
  EXPECT_THAT(columns, ElementsAre("nik"));
}

TEST(NdjsonReaderTest, SkipsBlankLinesButCountsThem) {
  std::vector<OwnedRow> rows = ReadNdjson("\xEF\xBB\xBF\n  \r\n{\"a\":1}\r\n\n\t\n{\"a\":2}");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 3);
  EXPECT_THAT(rows[0].fields, ElementsAre(Pair("a", "1")));
  EXPECT_EQ(rows[1].line, 6);
  EXPECT_THAT(rows[1].fields, ElementsAre(Pair("a", "2")));
}

TEST(NdjsonReaderTest, InvalidUtf8IsMalformed) {
  std::vector<OwnedRow> rows = ReadNdjson("{\"nama\":\"Jos\xE9\"}\n{\"nama\":\"ok\"}\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].error, HasSubstr("invalid UTF-8 at byte 13 of the line (0xE9)"));
  EXPECT_THAT(rows[1].error, IsEmpty());
}

TEST(NdjsonReaderTest, TranscodesWindows1252) {
  RowReaderOptions options;
  options.encoding = TextEncoding::kWindows1252;
  std::vector<OwnedRow> rows = ReadNdjson("{\"nama\":\"Jos\xE9 \x93X\x94\"}\n", options);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre(Pair("nama", "Jos\xC3\xA9 \xE2\x80\x9CX\xE2\x80\x9D")));
}

TEST(NdjsonReaderTest, LineLongerThanMaxRowBytesIsSkipped) {
  RowReaderOptions options;
  options.max_row_bytes = 32;
  options.read_chunk_bytes = 8;
  std::vector<OwnedRow> rows =
      ReadNdjson("{\"a\":1}\n{\"a\":\"" + std::string(300, 'x') + "\"}\n{\"a\":3}\n", options);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[1].error, HasSubstr("longer than max_row_bytes (32 bytes)"));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_THAT(rows[2].fields, ElementsAre(Pair("a", "3")));
  EXPECT_EQ(rows[2].line, 3);
}

TEST(NdjsonReaderTest, NulBytesDoNotCrash) {
  std::vector<OwnedRow> rows = ReadNdjson(Bytes("{\"a\":\"x\0y\"}\n{\"a\":\"x\\u0000y\"}\n\0\n"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0].error, HasSubstr("invalid JSON"));  // raw control characters are invalid
  EXPECT_THAT(rows[1].fields, ElementsAre(Pair("a", Bytes("x\0y"))));
  EXPECT_THAT(rows[2].error, HasSubstr("invalid JSON"));
}

TEST(NdjsonReaderTest, RejectsDeepNesting) {
  std::string deep = "{\"a\":";
  for (int i = 0; i < 200; ++i) deep += "{\"a\":";
  deep += "1";
  deep += std::string(201, '}');
  std::vector<OwnedRow> rows = ReadNdjson(deep + "\n{\"a\":2}\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].error, Not(IsEmpty()));
  EXPECT_THAT(rows[1].fields, ElementsAre(Pair("a", "2")));
}

TEST(NdjsonReaderTest, EmptyInputHasNoRows) {
  EXPECT_THAT(ReadNdjson(""), IsEmpty());
  EXPECT_THAT(ReadNdjson("\n\n"), IsEmpty());
}

TEST(NdjsonReaderTest, JsonArrayInputIsRejected) {
  EXPECT_THAT(NdjsonReaderFromString(" [{\"a\":1}]"), StatusIs(absl::StatusCode::kInvalidArgument));
}

const char kTrickyNdjson[] =
    "\xEF\xBB\xBF{\"no_kk\":3201,\"anggota\":[{\"nik\":\"1\"},{\"nik\":\"2\"}]}\r\n"
    "\n"
    "{\"rusak\"\n"
    "{\"program\":[\"PKH\",\"BPNT\"],\"alamat\":{\"rt\":\"001\"}}\n"
    "{\"nama\":\"Jos\xC3\xA9\"}";

TEST(NdjsonReaderTest, LinesStraddlingChunksReadTheSame) {
  const std::vector<OwnedRow> expected = ReadNdjson(kTrickyNdjson);
  ASSERT_EQ(expected.size(), 5u);
  EXPECT_THAT(expected[1].fields, ElementsAre(Pair("no_kk", "3201"), Pair("nik", "2")));
  EXPECT_THAT(expected[2].error, HasSubstr("invalid JSON"));
  EXPECT_EQ(expected[4].line, 5);
  for (size_t chunk : {1, 2, 3, 5, 8, 13, 100}) {
    RowReaderOptions options;
    options.read_chunk_bytes = chunk;
    EXPECT_EQ(ReadNdjson(kTrickyNdjson, options), expected) << "chunk " << chunk;
  }
  const std::string path = MakeTempDir() + "/tricky.ndjson";
  WriteFile(path, kTrickyNdjson);
  for (size_t chunk : {1, 7, 4096}) {
    RowReaderOptions options;
    options.read_chunk_bytes = chunk;
    absl::StatusOr<std::unique_ptr<RowReader>> reader = OpenRowReader(path, options);
    ASSERT_THAT(reader, IsOk());
    EXPECT_EQ(ReadAll(**reader), expected) << "chunk " << chunk;
    EXPECT_EQ((*reader)->bytes_read(), (*reader)->bytes_total());
  }
}

TEST(NdjsonReaderTest, RandomBytesNeverCrashAndAlwaysEnd) {
  std::mt19937 rng(20240517);
  const std::string alphabet = Bytes("{}[]\":,\\\n\r 0123456789-.eEtruefalsn\0\xC3\xA9\xFF");
  for (int i = 0; i < 2000; ++i) {
    std::string text(rng() % 200, '\0');
    for (char& c : text) {
      c = (rng() % 8 == 0) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    // Also well-formed prefixes, so the walk gets past the first byte often.
    if (i % 2 == 0) text = "{\"a\":[{\"b\":" + text;
    RowReaderOptions options;
    options.max_row_bytes = 1 + rng() % 256;
    options.encoding = static_cast<TextEncoding>(rng() % 3);
    options.ndjson_members_key = "a";
    absl::StatusOr<std::unique_ptr<RowReader>> reader = NdjsonReaderFromString(text, options);
    if (!reader.ok()) {
      EXPECT_THAT(reader, StatusIs(absl::StatusCode::kInvalidArgument));
      continue;
    }
    const std::vector<OwnedRow> rows = ReadAll(**reader);
    // Fed through the buffer in small chunks, the same text reads the same.
    options.read_chunk_bytes = 1 + rng() % 8;
    absl::StatusOr<std::unique_ptr<RowReader>> chunked = NdjsonReaderFromString(text, options);
    ASSERT_THAT(chunked, IsOk());
    EXPECT_EQ(ReadAll(**chunked), rows) << "input " << i;
  }
}

}  // namespace
}  // namespace padan
