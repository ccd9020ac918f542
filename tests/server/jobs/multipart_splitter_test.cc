#include "server/jobs/multipart_splitter.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::StatusIs;
using ::testing::HasSubstr;

class MultipartSplitterTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = padan::testing::MakeTempDir(); }

  absl::StatusOr<std::vector<MultipartPart>> Split(const std::string& body,
                                                   std::string_view boundary = "XyZ",
                                                   size_t max_parts = 8) {
    padan::testing::WriteFile(dir_ + "/body", body);
    return SplitMultipart(dir_ + "/body", boundary, dir_, max_parts);
  }

  std::string dir_;
};

TEST(MultipartBoundaryTest, ReadsQuotedAndPlainBoundaries) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_EQ(MultipartBoundary("application/json"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'a')),
            std::nullopt);
}

TEST_F(MultipartSplitterTest, WritesEachPartToItsOwnFile) {
  // As curl -F 'job={...};type=application/json' -F input=@list.csv sends it, with a preamble.
  std::string body =
      "ignored preamble\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"job\"\r\n"
      "Content-Type: application/json\r\n"
      "\r\n"
      "{\"type\":\"link\"}\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"input\"; filename=\"daftar penerima.csv\"\r\n"
      "Content-Type: text/csv\r\n"
      "\r\n"
      "nama,nik\r\nSITI,3201\r\nnot a delimiter: --XyZ\r\n"
      "--XyZ--\r\n"
      "epilogue";
  absl::StatusOr<std::vector<MultipartPart>> parts = Split(body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "job");
  EXPECT_EQ((*parts)[0].content_type, "application/json");
  EXPECT_EQ(padan::testing::ReadFile((*parts)[0].path), "{\"type\":\"link\"}");
  EXPECT_EQ((*parts)[1].name, "input");
  EXPECT_EQ((*parts)[1].filename, "daftar penerima.csv");
  EXPECT_EQ(padan::testing::ReadFile((*parts)[1].path),
            "nama,nik\r\nSITI,3201\r\nnot a delimiter: --XyZ");
  EXPECT_EQ((*parts)[1].bytes, 43u);
}

TEST_F(MultipartSplitterTest, PartLargerThanTheReadChunkKeepsEveryByte) {
  // 3 MiB of content with CR/LF and boundary-like text across the 1 MiB read chunks.
  std::string content;
  while (content.size() < 3 * 1024 * 1024) content += "baris\r\n--Xy\r\n-- XyZ\r\n";
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"input\"\r\n\r\n" + content + "\r\n--XyZ--";
  absl::StatusOr<std::vector<MultipartPart>> parts = Split(body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].bytes, content.size());
  EXPECT_TRUE(padan::testing::ReadFile((*parts)[0].path) == content);
}

TEST_F(MultipartSplitterTest, MalformedBodiesAreErrorsNamingTheBody) {
  EXPECT_THAT(Split("no boundary at all"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no boundary found")));
  EXPECT_THAT(Split("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ntruncated"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("closing boundary")));
  EXPECT_THAT(Split("--XyZ\r\nContent-Type: text/csv\r\n\r\nx\r\n--XyZ--"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("Content-Disposition")));
  EXPECT_THAT(Split("--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("without a name")));
  EXPECT_THAT(Split("--XyZ\r\n" + std::string(20000, 'h') + "\r\n\r\nx\r\n--XyZ--"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too long")));
  std::string three;
  for (int i = 0; i < 3; ++i)
    three += "--XyZ\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nx\r\n";
  EXPECT_THAT(Split(three + "--XyZ--", "XyZ", /*max_parts=*/2),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("more than 2 parts")));
}

}  // namespace
}  // namespace padan
