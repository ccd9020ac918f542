#include "data/csv_reader.h"

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

// A row copied out of the reader, whose views die at the next Next().
struct OwnedRow {
  std::vector<std::string> fields;
  std::vector<bool> present;
  int64_t line = 0;
  std::string error;

  friend bool operator==(const OwnedRow&, const OwnedRow&) = default;
};

void PrintTo(const OwnedRow& row, std::ostream* os) {
  *os << "{line " << row.line << ": " << ::testing::PrintToString(row.fields);
  if (!row.error.empty()) *os << " error: " << row.error;
  *os << "}";
}

// Upper bound on rows in these tests, so that a reader that never ends fails instead of hanging.
constexpr int kMaxRows = 100000;

std::vector<OwnedRow> ReadAll(RowReader& reader) {
  std::vector<OwnedRow> rows;
  Row row;
  for (int i = 0; i < kMaxRows; ++i) {
    absl::StatusOr<bool> next = reader.Next(&row);
    EXPECT_THAT(next, IsOk());
    if (!next.ok() || !*next) return rows;
    EXPECT_EQ(row.fields.size(), row.present.size());
    EXPECT_GE(row.fields.size(), reader.columns().size());
    OwnedRow owned;
    owned.fields.assign(row.fields.begin(), row.fields.end());
    owned.present = row.present;
    owned.line = row.line;
    owned.error = row.error;
    rows.push_back(std::move(owned));
  }
  ADD_FAILURE() << "reader did not end after " << kMaxRows << " rows";
  return rows;
}

// Reads `text` as CSV; fails the test when the header cannot be read.
std::vector<OwnedRow> ReadCsv(std::string text, const RowReaderOptions& options = {},
                              std::vector<std::string>* columns = nullptr) {
  absl::StatusOr<std::unique_ptr<RowReader>> reader = CsvReaderFromString(std::move(text), options);
  EXPECT_THAT(reader, IsOk());
  if (!reader.ok()) return {};
  if (columns != nullptr) *columns = (*reader)->columns();
  return ReadAll(**reader);
}

// A string literal with its embedded NUL bytes.
template <size_t N>
std::string Bytes(const char (&text)[N]) {
  return std::string(text, N - 1);
}

TEST(CsvReaderTest, ReadsHeaderAndRows) {
  std::vector<std::string> columns;
  std::vector<OwnedRow> rows = ReadCsv(
      "nik,nama,tanggal_lahir\n3201010101010001,SITI AMINAH,1980-05-17\n"
      "3201010101010002,BUDI SANTOSO,1975-01-02\n",
      {}, &columns);
  EXPECT_THAT(columns, ElementsAre("nik", "nama", "tanggal_lahir"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].fields, ElementsAre("3201010101010001", "SITI AMINAH", "1980-05-17"));
  EXPECT_THAT(rows[0].present, ElementsAre(true, true, true));
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_THAT(rows[0].error, IsEmpty());
  EXPECT_THAT(rows[1].fields, ElementsAre("3201010101010002", "BUDI SANTOSO", "1975-01-02"));
  EXPECT_EQ(rows[1].line, 3);
}

TEST(CsvReaderTest, UnquotedFieldsAreViewsIntoTheInput) {
  absl::StatusOr<std::unique_ptr<RowReader>> reader = CsvReaderFromString("a,b\nx,y\n");
  ASSERT_THAT(reader, IsOk());
  Row row;
  ASSERT_THAT((*reader)->Next(&row), IsOk());
  // "x" directly follows "a,b\n" in the reader's buffer.
  EXPECT_EQ(row.fields[1].data(), row.fields[0].data() + 2);
}

TEST(CsvReaderTest, QuotedFieldsKeepDelimitersAndUnescapeDoubledQuotes) {
  std::vector<OwnedRow> rows =
      ReadCsv("nama,alamat\n\"SITI \"\"IPAH\"\" AMINAH\",\"Jl. Mawar, No. 5\"\n\"\",\"\"\"\"\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].fields, ElementsAre("SITI \"IPAH\" AMINAH", "Jl. Mawar, No. 5"));
  EXPECT_THAT(rows[0].error, IsEmpty());
  EXPECT_THAT(rows[1].fields, ElementsAre("", "\""));
}

TEST(CsvReaderTest, QuotedFieldsKeepEmbeddedLineBreaksAndCountLines) {
  std::vector<OwnedRow> rows = ReadCsv(
      "nama,alamat\n"
      "A,\"baris 1\nbaris 2\"\n"               // LF: line 2, spans 2 lines
      "B,\"baris 1\r\nbaris 2\r\nbaris 3\"\n"  // CRLF: line 4, spans 3 lines
      "C,\"baris 1\rbaris 2\"\n"               // lone CR: line 7, spans 2 lines
      "D,akhir\n");                            // line 9
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_THAT(rows[0].fields, ElementsAre("A", "baris 1\nbaris 2"));
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_THAT(rows[1].fields, ElementsAre("B", "baris 1\r\nbaris 2\r\nbaris 3"));
  EXPECT_EQ(rows[1].line, 4);
  EXPECT_THAT(rows[2].fields, ElementsAre("C", "baris 1\rbaris 2"));
  EXPECT_EQ(rows[2].line, 7);
  EXPECT_THAT(rows[3].fields, ElementsAre("D", "akhir"));
  EXPECT_EQ(rows[3].line, 9);
}

TEST(CsvReaderTest, StripsUtf8ByteOrderMark) {
  std::vector<std::string> columns;
  std::vector<OwnedRow> rows = ReadCsv("\xEF\xBB\xBFnik,nama\n1,A\n", {}, &columns);
  EXPECT_THAT(columns, ElementsAre("nik", "nama"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre("1", "A"));
}

TEST(CsvReaderTest, ReadsCrlfAndLoneCrLineEnds) {
  EXPECT_EQ(ReadCsv("a,b\r\n1,2\r\n3,4\r\n"), ReadCsv("a,b\n1,2\n3,4\n"));
  std::vector<OwnedRow> rows = ReadCsv("a,b\r1,2\r3,4");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[1].fields, ElementsAre("3", "4"));
  EXPECT_EQ(rows[1].line, 3);
}

TEST(CsvReaderTest, DetectsDelimiterFromHeader) {
  struct Case {
    std::string text;
    char delimiter;
  };
  const Case cases[] = {
      {"nik,nama,alamat\n1,A,B\n", ','},
      {"nik;nama;alamat\n1;A;B\n", ';'},
      {"nik\tnama\talamat\n1\tA\tB\n", '\t'},
      // Delimiters inside a quoted header name do not count.
      {"\"nama, lengkap\";\"alamat, rumah\";nik\n1;A;B\n", ';'},
      {"nik\n1\n", ','},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::unique_ptr<CsvReader>> reader =
        CsvReader::Create(RowInput::FromString(c.text, 0, 1 << 20), {});
    ASSERT_THAT(reader, IsOk()) << c.text;
    EXPECT_EQ((*reader)->delimiter(), c.delimiter) << c.text;
  }
  std::vector<OwnedRow> rows = ReadCsv("nik;nama;alamat\n1;A, B;Jl. X\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre("1", "A, B", "Jl. X"));
}

TEST(CsvReaderTest, UsesGivenDelimiter) {
  RowReaderOptions options;
  options.delimiter = '|';
  std::vector<std::string> columns;
  std::vector<OwnedRow> rows = ReadCsv("nik|nama,lengkap\n1|A,B\n", options, &columns);
  EXPECT_THAT(columns, ElementsAre("nik", "nama,lengkap"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre("1", "A,B"));
}

TEST(CsvReaderTest, KeepsEmptyFields) {
  std::vector<OwnedRow> rows = ReadCsv("a,b,c\n,,\n1,,\n,\"\",3\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0].fields, ElementsAre("", "", ""));
  EXPECT_THAT(rows[0].error, IsEmpty());
  EXPECT_THAT(rows[1].fields, ElementsAre("1", "", ""));
  EXPECT_THAT(rows[2].fields, ElementsAre("", "", "3"));
}

TEST(CsvReaderTest, LastLineWithOrWithoutNewlineReadsTheSame) {
  EXPECT_EQ(ReadCsv("a,b\n1,2\n3,4"), ReadCsv("a,b\n1,2\n3,4\n"));
  EXPECT_EQ(ReadCsv("a,b\n1,2\n3,\"4\""), ReadCsv("a,b\n1,2\n3,4\r\n"));
  std::vector<OwnedRow> rows = ReadCsv("a,b\n1,");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre("1", ""));
}

TEST(CsvReaderTest, SkipsBlankLinesButCountsThem) {
  std::vector<OwnedRow> rows = ReadCsv("\n\na,b\n\n1,2\r\n\r\n\n3,4\n\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].fields, ElementsAre("1", "2"));
  EXPECT_EQ(rows[0].line, 5);
  EXPECT_THAT(rows[1].fields, ElementsAre("3", "4"));
  EXPECT_EQ(rows[1].line, 8);
}

TEST(CsvReaderTest, RaggedRowsAreReturnedWithAnError) {
  std::vector<OwnedRow> rows = ReadCsv("a,b,c\n1,2\n1,2,3,4\n5,6,7\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].error, "has 2 fields, header has 3");
  EXPECT_THAT(rows[0].fields, ElementsAre("1", "2", ""));
  EXPECT_THAT(rows[0].present, ElementsAre(true, true, false));
  EXPECT_EQ(rows[1].error, "has 4 fields, header has 3");
  EXPECT_THAT(rows[1].fields, ElementsAre("1", "2", "3", "4"));
  EXPECT_THAT(rows[2].error, IsEmpty());
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldIsLiteral) {
  std::vector<OwnedRow> rows = ReadCsv("a,b\nlayar 14\" inci,x\"y\"\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre("layar 14\" inci", "x\"y\""));
  EXPECT_THAT(rows[0].error, IsEmpty());
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsAppended) {
  std::vector<OwnedRow> rows = ReadCsv("a,b\n\"Jl. Mawar\" 5,\"a\"\"b\"c\"d\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre("Jl. Mawar 5", "a\"bc\"d"));
  EXPECT_THAT(rows[0].error, IsEmpty());
}

TEST(CsvReaderTest, InvalidUtf8NamesColumnAndByte) {
  std::vector<OwnedRow> rows = ReadCsv("nik,nama\n1,Jos\xE9\n2,Jos\xC3\xA9\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].error, HasSubstr("invalid UTF-8 in column 'nama' (field 2) at byte 4"));
  EXPECT_THAT(rows[0].error, HasSubstr("0xE9"));
  EXPECT_EQ(rows[0].fields[1], "Jos\xE9");  // the bytes as they were, for the reject file
  EXPECT_THAT(rows[1].error, IsEmpty());
  EXPECT_EQ(rows[1].fields[1], "Jos\xC3\xA9");
}

TEST(CsvReaderTest, InvalidUtf8InHeaderIsAnError) {
  EXPECT_THAT(CsvReaderFromString("nik,n\xE9ma\n1,2\n"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CsvReaderTest, TranscodesWindows1252) {
  RowReaderOptions options;
  options.encoding = TextEncoding::kWindows1252;
  std::vector<std::string> columns;
  std::vector<OwnedRow> rows =
      ReadCsv("nik;nama;ket\n1;Jos\xE9;\"\x93kutip\x94 \"\"x\"\"\"\n", options, &columns);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].error, IsEmpty());
  EXPECT_THAT(rows[0].fields,
              ElementsAre("1", "Jos\xC3\xA9", "\xE2\x80\x9Ckutip\xE2\x80\x9D \"x\""));
}

TEST(CsvReaderTest, TranscodesLatin1IncludingHeader) {
  RowReaderOptions options;
  options.encoding = TextEncoding::kLatin1;
  std::vector<std::string> columns;
  std::vector<OwnedRow> rows = ReadCsv("n\xE9,b\n\x80,\xFF\n", options, &columns);
  EXPECT_THAT(columns, ElementsAre("n\xC3\xA9", "b"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre("\xC2\x80", "\xC3\xBF"));
}

TEST(CsvReaderTest, UnterminatedQuoteAtEndOfInputIsMalformedAndReadingGoesOn) {
  std::vector<OwnedRow> rows = ReadCsv("a,b\n1,\"tidak ditutup\n2,x\n3,y\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0].error, HasSubstr("quoted field in column 'b' (field 2) is not closed"));
  EXPECT_THAT(rows[0].fields, ElementsAre("1", "\"tidak ditutup"));
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_THAT(rows[1].fields, ElementsAre("2", "x"));
  EXPECT_THAT(rows[1].error, IsEmpty());
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_THAT(rows[2].fields, ElementsAre("3", "y"));

  rows = ReadCsv("a,b\n1,\"tidak ditutup");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].error, HasSubstr("is not closed"));
  EXPECT_THAT(rows[0].fields, ElementsAre("1", "\"tidak ditutup"));
}

TEST(CsvReaderTest, UnterminatedQuotePastMaxRowBytesIsMalformedAndReadingGoesOn) {
  RowReaderOptions options;
  options.max_row_bytes = 64;
  std::string text = "a,b\n1,\"buka\n";
  for (int i = 0; i < 20; ++i) text += "2,isi baris yang cukup panjang\n";
  text += "3,\"tutup\"\n";
  std::vector<OwnedRow> rows = ReadCsv(text, options);
  ASSERT_EQ(rows.size(), 22u);
  EXPECT_THAT(rows[0].error, HasSubstr("still open after max_row_bytes (64 bytes)"));
  EXPECT_THAT(rows[0].fields, ElementsAre("1", "\"buka"));
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_THAT(rows[1].fields, ElementsAre("2", "isi baris yang cukup panjang"));
  EXPECT_THAT(rows[21].fields, ElementsAre("3", "tutup"));
  EXPECT_THAT(rows[21].error, IsEmpty());
  EXPECT_EQ(rows[21].line, 23);
}

TEST(CsvReaderTest, LineLongerThanMaxRowBytesIsSkipped) {
  RowReaderOptions options;
  options.max_row_bytes = 32;
  options.read_chunk_bytes = 8;
  std::string text = "a,b\n1," + std::string(500, 'x') + "\r\n2,y\n";
  std::vector<OwnedRow> rows = ReadCsv(text, options);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].error, HasSubstr("longer than max_row_bytes (32 bytes)"));
  EXPECT_THAT(rows[0].fields, ElementsAre("", ""));
  EXPECT_THAT(rows[0].present, ElementsAre(false, false));
  EXPECT_THAT(rows[1].fields, ElementsAre("2", "y"));
  EXPECT_EQ(rows[1].line, 3);
}

TEST(CsvReaderTest, NulBytesAreOrdinaryBytes) {
  const std::string text = Bytes("a,b\n1\0,\"x\0y\"\n\0,\0\n");
  std::vector<OwnedRow> rows = ReadCsv(text);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].fields, ElementsAre(std::string("1\0", 2), std::string("x\0y", 3)));
  EXPECT_THAT(rows[1].fields, ElementsAre(std::string("\0", 1), std::string("\0", 1)));
}

TEST(CsvReaderTest, EmptyInputHasNoHeader) {
  for (const char* text : {"", "\n\r\n\n", "\xEF\xBB\xBF"}) {
    absl::StatusOr<std::unique_ptr<RowReader>> reader = CsvReaderFromString(text);
    EXPECT_THAT(reader, StatusIs(absl::StatusCode::kInvalidArgument)) << text;
    EXPECT_THAT(reader.status().message(), HasSubstr("file has no header line"));
  }
  EXPECT_THAT(CsvReaderFromString(",,\n1,2,3\n"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CsvReaderFromString(" \n1\n"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CsvReaderTest, HeaderOnlyHasNoRows) {
  std::vector<std::string> columns;
  EXPECT_THAT(ReadCsv("nik,nama", {}, &columns), IsEmpty());
  EXPECT_THAT(columns, ElementsAre("nik", "nama"));
  EXPECT_THAT(ReadCsv("nik,nama\r\n\r\n"), IsEmpty());
}

TEST(CsvReaderTest, TrimsHeaderNamesAndKeepsDuplicates) {
  std::vector<std::string> columns;
  std::vector<OwnedRow> rows = ReadCsv(" nik , nama\t,\" alamat \",nama\n1,A,B,C\n", {}, &columns);
  EXPECT_THAT(columns, ElementsAre("nik", "nama", "alamat", "nama"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre("1", "A", "B", "C"));
}

TEST(CsvReaderTest, RejectsUtf16Input) {
  absl::StatusOr<std::unique_ptr<RowReader>> reader =
      CsvReaderFromString(Bytes("\xFF\xFEn\0i\0k\0"));
  EXPECT_THAT(reader, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(reader.status().message(), HasSubstr("UTF-16"));
}

TEST(CsvReaderTest, MalformedHeaderIsAnError) {
  EXPECT_THAT(CsvReaderFromString("nik,\"nama\n"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CsvReaderTest, RejectsBadOptions) {
  RowReaderOptions options;
  options.delimiter = '"';
  EXPECT_THAT(CsvReaderFromString("a\n", options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.delimiter = 0;
  options.max_row_bytes = 0;
  EXPECT_THAT(CsvReaderFromString("a\n", options), StatusIs(absl::StatusCode::kInvalidArgument));
}

// Input that exercises every state of the parser; each chunk size makes some row, quote pair,
// CRLF or BOM straddle a chunk boundary.
const char kTrickyCsv[] =
    "\xEF\xBB\xBFnik,nama,alamat\r\n"                                                   // 1
    "3201010101010001,\"SITI \"\"IPAH\"\" AMINAH\",\"Jl. Mawar, No. 5\r\nRT 001\"\r\n"  // 2-3
    "\r\n"                                                                              // 4
    "3201010101010002,Budi,\"\"\r"                                                      // 5
    "3201010101010003,Agus\"x,\"a\"b\n"                                                 // 6
    "3201010101010004,,\n"                                                              // 7
    "pendek\n"                                                                          // 8
    "3201010101010005,\"Dewi\nLestari\",\"Jl. Melati\"\n"                               // 9-10
    "3201010101010006,Jos\xE9,y\n"                                                      // 11
    "3201010101010007,\"tidak ditutup,x\n"                                              // 12
    "3201010101010008,z,akhir";                                                         // 13

TEST(CsvReaderTest, RowsStraddlingChunksReadTheSameInMemory) {
  const std::vector<OwnedRow> expected = ReadCsv(kTrickyCsv);
  ASSERT_EQ(expected.size(), 9u);
  EXPECT_THAT(expected[0].fields, ElementsAre("3201010101010001", "SITI \"IPAH\" AMINAH",
                                              "Jl. Mawar, No. 5\r\nRT 001"));
  EXPECT_THAT(expected[1].fields, ElementsAre("3201010101010002", "Budi", ""));
  EXPECT_EQ(expected[1].line, 5);
  EXPECT_THAT(expected[2].fields, ElementsAre("3201010101010003", "Agus\"x", "ab"));
  EXPECT_EQ(expected[4].error, "has 1 fields, header has 3");
  EXPECT_EQ(expected[5].line, 9);
  EXPECT_THAT(expected[6].error, HasSubstr("invalid UTF-8 in column 'nama'"));
  EXPECT_THAT(expected[7].error, HasSubstr("is not closed"));
  EXPECT_THAT(expected[7].fields, ElementsAre("3201010101010007", "\"tidak ditutup", "x"));
  EXPECT_THAT(expected[8].fields, ElementsAre("3201010101010008", "z", "akhir"));
  EXPECT_EQ(expected[8].line, 13);
  for (size_t chunk : {1, 2, 3, 4, 5, 7, 11, 16, 64, 1000}) {
    RowReaderOptions options;
    options.read_chunk_bytes = chunk;
    EXPECT_EQ(ReadCsv(kTrickyCsv, options), expected) << "chunk " << chunk;
  }
}

TEST(CsvReaderTest, RowsStraddlingChunksReadTheSameFromFile) {
  const std::vector<OwnedRow> expected = ReadCsv(kTrickyCsv);
  const std::string path = MakeTempDir() + "/tricky.csv";
  WriteFile(path, kTrickyCsv);
  for (size_t chunk : {1, 2, 3, 5, 8, 13, 4096}) {
    RowReaderOptions options;
    options.read_chunk_bytes = chunk;
    absl::StatusOr<std::unique_ptr<RowReader>> reader = OpenRowReader(path, options);
    ASSERT_THAT(reader, IsOk());
    EXPECT_EQ(ReadAll(**reader), expected) << "chunk " << chunk;
    EXPECT_EQ((*reader)->bytes_read(), sizeof(kTrickyCsv) - 1);
    EXPECT_EQ((*reader)->bytes_total(), sizeof(kTrickyCsv) - 1);
  }
}

TEST(CsvReaderTest, LongRowsAcrossManySmallChunks) {
  // Rows far longer than a chunk, so the window grows several times within one row.
  std::string text = "a,b\n";
  for (int i = 0; i < 50; ++i) {
    text += std::to_string(i) + ",\"" + std::string(static_cast<size_t>(i) * 37, 'x') + "\"\"y\"\n";
  }
  const std::vector<OwnedRow> expected = ReadCsv(text);
  ASSERT_EQ(expected.size(), 50u);
  EXPECT_EQ(expected[49].fields[1], std::string(49 * 37, 'x') + "\"y");
  RowReaderOptions options;
  options.read_chunk_bytes = 3;
  EXPECT_EQ(ReadCsv(text, options), expected);
}

TEST(CsvReaderTest, ReportsProgress) {
  absl::StatusOr<std::unique_ptr<RowReader>> reader = CsvReaderFromString("a,b\n1,2\n3,4\n");
  ASSERT_THAT(reader, IsOk());
  EXPECT_EQ((*reader)->bytes_total(), 12u);
  EXPECT_EQ((*reader)->bytes_read(), 4u);
  Row row;
  ASSERT_THAT((*reader)->Next(&row), IsOk());
  EXPECT_EQ((*reader)->bytes_read(), 8u);
  ASSERT_THAT((*reader)->Next(&row), IsOk());
  EXPECT_EQ((*reader)->bytes_read(), 12u);
}

TEST(CsvReaderTest, RandomBytesNeverCrashAndAlwaysEnd) {
  std::mt19937 rng(20240517);
  // Bytes that matter to the parser, drawn often, plus any byte at all.
  const std::string alphabet = Bytes(",;\t\"\r\n\0a\xC3\xA9\xFF");
  for (int i = 0; i < 2000; ++i) {
    std::string text(rng() % 200, '\0');
    for (char& c : text) {
      c = (rng() % 4 == 0) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    RowReaderOptions options;
    options.max_row_bytes = 1 + rng() % 64;
    options.encoding = static_cast<TextEncoding>(rng() % 3);
    absl::StatusOr<std::unique_ptr<RowReader>> reader = CsvReaderFromString(text, options);
    if (!reader.ok()) {
      EXPECT_THAT(reader, StatusIs(absl::StatusCode::kInvalidArgument));
      continue;
    }
    const std::vector<OwnedRow> rows = ReadAll(**reader);
    EXPECT_LE(rows.size(), text.size());
    // Fed through the buffer in small chunks, the same text reads the same.
    options.read_chunk_bytes = 1 + rng() % 8;
    absl::StatusOr<std::unique_ptr<RowReader>> chunked = CsvReaderFromString(text, options);
    ASSERT_THAT(chunked, IsOk());
    EXPECT_EQ(ReadAll(**chunked), rows) << "input " << i;
  }
}

// --- OpenRowReader ------------------------------------------------------------------------------

TEST(OpenRowReaderTest, ChoosesFormatByExtension) {
  const std::string dir = MakeTempDir();
  // Content that sniffing would read the other way: the extension decides.
  WriteFile(dir + "/a.CSV", "{x,y}\n1,2\n");
  WriteFile(dir + "/b.jsonl", "nik\n");
  absl::StatusOr<std::unique_ptr<RowReader>> csv = OpenRowReader(dir + "/a.CSV");
  ASSERT_THAT(csv, IsOk());
  EXPECT_NE(dynamic_cast<CsvReader*>(csv->get()), nullptr);
  EXPECT_THAT((*csv)->columns(), ElementsAre("{x", "y}"));
  absl::StatusOr<std::unique_ptr<RowReader>> ndjson = OpenRowReader(dir + "/b.jsonl");
  ASSERT_THAT(ndjson, IsOk());
  EXPECT_EQ(dynamic_cast<CsvReader*>(ndjson->get()), nullptr);
}

TEST(OpenRowReaderTest, SniffsFormatWithoutKnownExtension) {
  const std::string dir = MakeTempDir();
  WriteFile(dir + "/export.dat", "\xEF\xBB\xBF \n {\"nik\":\"1\"}\n");
  WriteFile(dir + "/export2", "nik;nama\n1;A\n");
  absl::StatusOr<std::unique_ptr<RowReader>> ndjson = OpenRowReader(dir + "/export.dat");
  ASSERT_THAT(ndjson, IsOk());
  EXPECT_EQ(dynamic_cast<CsvReader*>(ndjson->get()), nullptr);
  std::vector<OwnedRow> rows = ReadAll(**ndjson);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre("1"));
  absl::StatusOr<std::unique_ptr<RowReader>> csv = OpenRowReader(dir + "/export2");
  ASSERT_THAT(csv, IsOk());
  EXPECT_THAT((*csv)->columns(), ElementsAre("nik", "nama"));
}

TEST(OpenRowReaderTest, MissingFileIsNotFound) {
  EXPECT_THAT(OpenRowReader(MakeTempDir() + "/tidak_ada.csv"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(OpenRowReaderTest, DirectoryAndEmptyFileAreInvalid) {
  const std::string dir = MakeTempDir();
  EXPECT_THAT(OpenRowReader(dir), StatusIs(absl::StatusCode::kInvalidArgument));
  WriteFile(dir + "/kosong.csv", "");
  absl::StatusOr<std::unique_ptr<RowReader>> reader = OpenRowReader(dir + "/kosong.csv");
  EXPECT_THAT(reader, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(reader.status().message(), HasSubstr("file has no header line"));
}

TEST(OpenRowReaderTest, JsonArrayIsNotNdjson) {
  const std::string dir = MakeTempDir();
  WriteFile(dir + "/data.json", "[\n  {\"nik\": \"1\"}\n]\n");
  absl::StatusOr<std::unique_ptr<RowReader>> reader = OpenRowReader(dir + "/data.json");
  EXPECT_THAT(reader, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(reader.status().message(), HasSubstr("JSON array"));
}

}  // namespace
}  // namespace padan
