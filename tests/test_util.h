// Helpers shared by the test suites: status matchers and temporary files.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace padan::testing {

// EXPECT_THAT(status_or_status, IsOk());
MATCHER(IsOk, "is OK") {
  if constexpr (requires { arg.status(); }) {
    if (!arg.ok()) *result_listener << "status: " << arg.status();
    return arg.ok();
  } else {
    if (!arg.ok()) *result_listener << "status: " << arg;
    return arg.ok();
  }
}

// EXPECT_THAT(status_or_status, StatusIs(absl::StatusCode::kInvalidArgument));
MATCHER_P(StatusIs, code, "has status code " + ::testing::PrintToString(code)) {
  absl::Status status;
  if constexpr (requires { arg.status(); }) {
    status = arg.status();
  } else {
    status = arg;
  }
  *result_listener << "status: " << status;
  return status.code() == code;
}

// EXPECT_THAT(status_or_status, StatusIs(absl::StatusCode::kNotFound, HasSubstr("line 3")));
MATCHER_P2(StatusIs, code, message_matcher,
           "has status code " + ::testing::PrintToString(code) + " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  absl::Status status;
  if constexpr (requires { arg.status(); }) {
    status = arg.status();
  } else {
    status = arg;
  }
  *result_listener << "status: " << status;
  return status.code() == code &&
         ::testing::Matches(message_matcher)(std::string(status.message()));
}

// A fresh directory under testing::TempDir() named after the running test (in SetUpTestSuite,
// after the suite and the process).
std::string MakeTempDir();

// Writes `content` to `path`, replacing it.
void WriteFile(const std::string& path, std::string_view content);
// Reads a whole file; "" when it cannot be read.
std::string ReadFile(const std::string& path);

// Every row of a CSV or NDJSON file as column name → value (the test fails when it cannot be
// read).
std::vector<std::map<std::string, std::string>> ReadRows(const std::string& path);

}  // namespace padan::testing
