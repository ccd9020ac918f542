#include "server/cli/command_line.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "data/absl_strings.h"

namespace padan::cli {

CommandLine::CommandLine(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary)) {}

void CommandLine::AddOption(std::string name, std::string value_name, std::string help,
                            bool required) {
  order_.push_back(name);
  options_[std::move(name)] = Option{std::move(value_name), std::move(help), required};
}

void CommandLine::AddFlag(std::string name, std::string help) {
  order_.push_back(name);
  options_[std::move(name)] = Option{"", std::move(help), false};
}

absl::Status CommandLine::Parse(const std::vector<std::string_view>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      help_requested_ = true;
      return absl::OkStatus();
    }
    if (arg.substr(0, 2) != "--") {
      return absl::InvalidArgumentError(
          StrCat("unexpected argument '", arg, "'; see padan ", command_, " --help"));
    }
    std::string_view name = arg.substr(2);
    std::optional<std::string_view> inline_value;
    if (size_t eq = name.find('='); eq != std::string_view::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto it = options_.find(name);
    if (it == options_.end()) {
      return absl::InvalidArgumentError(
          StrCat("unknown option --", name, "; see padan ", command_, " --help"));
    }
    if (it->second.value_name.empty()) {
      if (inline_value.has_value()) {
        return absl::InvalidArgumentError(StrCat("option --", name, " takes no value"));
      }
      values_[std::string(name)] = "true";
      continue;
    }
    if (inline_value.has_value()) {
      values_[std::string(name)] = std::string(*inline_value);
    } else if (i + 1 < args.size()) {
      values_[std::string(name)] = std::string(args[++i]);
    } else {
      return absl::InvalidArgumentError(
          StrCat("option --", name, " needs a value (", it->second.value_name, ")"));
    }
  }
  for (const auto& [name, option] : options_) {
    if (option.required && !values_.contains(name)) {
      return absl::InvalidArgumentError(
          StrCat("missing required option --", name, "; see padan ", command_, " --help"));
    }
  }
  return absl::OkStatus();
}

std::string CommandLine::HelpText() const {
  std::string text = StrCat("usage: padan ", command_);
  for (const std::string& name : order_) {
    const Option& option = options_.at(name);
    std::string usage = StrCat("--", name);
    if (!option.value_name.empty()) StrAppend(&usage, " ", option.value_name);
    StrAppend(&text, option.required ? " " : " [", usage, option.required ? "" : "]");
  }
  StrAppend(&text, "\n\n", summary_, "\n\noptions:\n");
  for (const std::string& name : order_) {
    const Option& option = options_.at(name);
    std::string usage = StrCat("--", name);
    if (!option.value_name.empty()) StrAppend(&usage, " ", option.value_name);
    absl::StrAppendFormat(&text, "  %-24s %s%s\n", usage, option.help,
                          option.required ? " (required)" : "");
  }
  absl::StrAppendFormat(&text, "  %-24s %s\n", "--help", "print this help");
  return text;
}

bool CommandLine::Has(std::string_view name) const { return values_.contains(name); }

std::string CommandLine::Get(std::string_view name, std::string_view fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string(fallback) : it->second;
}

bool CommandLine::Flag(std::string_view name) const { return values_.contains(name); }

absl::StatusOr<int64_t> CommandLine::GetInt(std::string_view name, int64_t fallback, int64_t min,
                                            int64_t max) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  int64_t value = 0;
  if (!absl::SimpleAtoi(it->second, &value) || value < min || value > max) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--%s must be a whole number from %d to %d, got '%s'", name, min, max, it->second));
  }
  return value;
}

absl::StatusOr<double> CommandLine::GetDouble(std::string_view name, double fallback, double min,
                                              double max) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  double value = 0;
  if (!absl::SimpleAtod(it->second, &value) || !(value >= min && value <= max)) {
    return absl::InvalidArgumentError(absl::StrFormat("--%s must be a number from %g to %g, got '%s'",
                                                      name, min, max, it->second));
  }
  return value;
}

}  // namespace padan::cli
