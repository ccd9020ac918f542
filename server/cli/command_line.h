// CommandLine: the options of one `padan` subcommand, declared with their help text, then parsed
// from argv. Unknown options and missing values are errors that name the option.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace padan::cli {

// Declared options and, after Parse, their values. Not thread-safe; one per invocation.
class CommandLine {
 public:
  CommandLine(std::string command, std::string summary);

  // Declares `--name VALUE`. A required option without a value makes Parse fail.
  void AddOption(std::string name, std::string value_name, std::string help,
                 bool required = false);
  // Declares a boolean `--name`.
  void AddFlag(std::string name, std::string help);

  // Parses argv after the subcommand name. `--help` sets help_requested() instead of failing
  // on missing required options. Returns kInvalidArgument naming the option otherwise.
  absl::Status Parse(const std::vector<std::string_view>& args);

  bool help_requested() const { return help_requested_; }
  std::string HelpText() const;

  bool Has(std::string_view name) const;
  std::string Get(std::string_view name, std::string_view fallback = "") const;
  bool Flag(std::string_view name) const;
  // Typed getters: return `fallback` when absent, kInvalidArgument when present but malformed
  // or outside [min, max].
  absl::StatusOr<int64_t> GetInt(std::string_view name, int64_t fallback, int64_t min,
                                 int64_t max) const;
  absl::StatusOr<double> GetDouble(std::string_view name, double fallback, double min,
                                   double max) const;

 private:
  struct Option {
    std::string value_name;  // empty for a flag
    std::string help;
    bool required = false;
  };
  std::string command_;
  std::string summary_;
  std::vector<std::string> order_;
  std::map<std::string, Option, std::less<>> options_;
  std::map<std::string, std::string, std::less<>> values_;
  bool help_requested_ = false;
};

}  // namespace padan::cli
