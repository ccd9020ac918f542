#include "data/csv_writer.h"

#include <cerrno>
#include <cstring>

#include "data/absl_strings.h"
#include "data/file_io.h"

namespace padan {
namespace {

// Flush once the buffer holds this much; large writes keep generated files fast.
constexpr size_t kFlushBytes = 1 << 20;

}  // namespace

void AppendCsvField(std::string_view field, std::string* out, char delimiter) {
  bool quote = !field.empty() && (field.front() == ' ' || field.back() == ' ');
  for (char c : field) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

absl::StatusOr<std::unique_ptr<CsvWriter>> CsvWriter::Open(const std::string& path,
                                                           char delimiter) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return ErrnoToStatus(errno, "cannot create", path);
  return std::unique_ptr<CsvWriter>(new CsvWriter(file, path, delimiter));
}

CsvWriter::CsvWriter(std::FILE* file, std::string path, char delimiter)
    : file_(file), path_(std::move(path)), delimiter_(delimiter) {
  buffer_.reserve(kFlushBytes + 4096);
}

CsvWriter::~CsvWriter() { Close().IgnoreError(); }

void CsvWriter::Field(std::string_view value) {
  if (row_started_) buffer_.push_back(delimiter_);
  row_started_ = true;
  AppendCsvField(value, &buffer_, delimiter_);
}

void CsvWriter::Field(int64_t value) {
  if (row_started_) buffer_.push_back(delimiter_);
  row_started_ = true;
  StrAppend(&buffer_, value);
}

absl::Status CsvWriter::EndRow() {
  buffer_.push_back('\n');
  row_started_ = false;
  ++rows_;
  if (buffer_.size() >= kFlushBytes) return Flush();
  return absl::OkStatus();
}

absl::Status CsvWriter::RawLine(std::string_view line) {
  buffer_.append(line);
  return EndRow();
}

absl::Status CsvWriter::Row(std::initializer_list<std::string_view> fields) {
  for (std::string_view field : fields) Field(field);
  return EndRow();
}

absl::Status CsvWriter::Flush() {
  if (buffer_.empty() || file_ == nullptr) return absl::OkStatus();
  size_t size = buffer_.size();
  size_t written = std::fwrite(buffer_.data(), 1, size, file_);
  buffer_.clear();
  if (written != size) return ErrnoToStatus(errno, "cannot write", path_);
  return absl::OkStatus();
}

absl::Status CsvWriter::Close() {
  if (file_ == nullptr) return absl::OkStatus();
  absl::Status status = Flush();
  if (std::fclose(file_) != 0 && status.ok()) status = ErrnoToStatus(errno, "cannot close", path_);
  file_ = nullptr;
  return status;
}

}  // namespace padan
