#include "tests/test_util.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

#include "data/row_reader.h"

namespace padan::testing {

std::string MakeTempDir() {
  const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
  const ::testing::TestInfo* info = unit.current_test_info();
  std::string name;
  if (info != nullptr) {
    name = std::string(info->test_suite_name()) + "." + info->name();
  } else {
    // In SetUpTestSuite: CTest runs each test of the suite in a process of its own, in
    // parallel, and each sets the suite up; the process id keeps their folders apart.
    const ::testing::TestSuite* suite = unit.current_test_suite();
    name =
        std::string(suite == nullptr ? "padan" : suite->name()) + "." + std::to_string(::getpid());
  }
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / ("padan_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

void WriteFile(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::map<std::string, std::string>> ReadRows(const std::string& path) {
  std::vector<std::map<std::string, std::string>> rows;
  absl::StatusOr<std::unique_ptr<RowReader>> reader = OpenRowReader(path, RowReaderOptions());
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return rows;
  Row row;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(&row);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    std::map<std::string, std::string>& out = rows.emplace_back();
    for (size_t i = 0; i < (*reader)->columns().size() && i < row.fields.size(); ++i) {
      out[(*reader)->columns()[i]] = std::string(row.fields[i]);
    }
  }
  return rows;
}

}  // namespace padan::testing
