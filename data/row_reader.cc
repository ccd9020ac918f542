#include "data/row_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/ascii.h"

#include "data/absl_strings.h"
#include "data/csv_reader.h"
#include "data/ndjson_reader.h"
#include "data/status_macros.h"

namespace padan {
namespace {

// Files are read in chunks this large. Measured with bench/data/csv_reader_bench.cc on the
// 2-core EPYC target: 128 KiB to 2 MiB chunks all parse at the same speed, while 4 MiB chunks
// run at half of it, because a chunk must still be in cache when the parser reaches it after
// read() copied it in. 1 MiB keeps read() calls rare (one per ~4,000 rows).
constexpr size_t kDefaultChunkBytes = 1 << 20;

enum class Format : uint8_t { kUnknown, kCsv, kNdjson };

Format FormatFromExtension(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return Format::kUnknown;
  }
  const std::string ext = absl::AsciiStrToLower(ToAbsl(std::string_view(path).substr(dot + 1)));
  if (ext == "csv" || ext == "tsv" || ext == "txt") return Format::kCsv;
  if (ext == "ndjson" || ext == "jsonl" || ext == "json") return Format::kNdjson;
  return Format::kUnknown;
}

// Looks at the first non-space byte after a UTF-8 BOM: '{' means NDJSON, anything else CSV.
absl::StatusOr<Format> SniffFormat(RowInput& input, size_t max_bytes) {
  constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
  for (;;) {
    const std::string_view window = input.window();
    if (window.size() >= kUtf8Bom.size() || input.eof()) {
      size_t i = window.starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0;
      while (i < window.size() && absl::ascii_isspace(static_cast<unsigned char>(window[i]))) {
        ++i;
      }
      if (i < window.size()) return window[i] == '{' ? Format::kNdjson : Format::kCsv;
      if (input.eof() || window.size() >= max_bytes) return Format::kCsv;
    }
    PADAN_RETURN_IF_ERROR(input.ReadMore().status());
  }
}

absl::Status ErrnoStatus(int error, std::string_view what, const std::string& path) {
  std::string message = StrCat(what, " ", path, ": ", std::strerror(error));
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    case EIO:
      return absl::DataLossError(message);
    default:
      return absl::UnavailableError(message);
  }
}

size_t ChunkBytes(const RowReaderOptions& options) {
  return options.read_chunk_bytes == 0 ? kDefaultChunkBytes : options.read_chunk_bytes;
}

// Room the readers need at the start of the input whatever max_row_bytes is: a byte-order mark.
constexpr size_t kMinWindowBytes = 4;

// The window must hold a whole row plus the chunk that brought its end.
size_t MaxWindowBytes(const RowReaderOptions& options, size_t chunk_bytes) {
  return std::max(options.max_row_bytes, kMinWindowBytes) + chunk_bytes;
}

std::unique_ptr<RowInput> StringInput(std::string text, const RowReaderOptions& options) {
  return RowInput::FromString(std::move(text), options.read_chunk_bytes,
                              MaxWindowBytes(options, options.read_chunk_bytes));
}

}  // namespace

absl::Status ValidateRowReaderOptions(const RowReaderOptions& options) {
  if (options.delimiter == '"' || options.delimiter == '\r' || options.delimiter == '\n') {
    return absl::InvalidArgumentError(
        "delimiter must not be '\"', CR or LF; use 0 to detect it, or ',', ';' or a tab");
  }
  if (options.max_row_bytes == 0) {
    return absl::InvalidArgumentError("max_row_bytes must be positive");
  }
  return absl::OkStatus();
}

// --- RowInput ---------------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<RowInput>> RowInput::OpenFile(const std::string& path,
                                                             size_t chunk_bytes,
                                                             size_t max_window_bytes) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return ErrnoStatus(errno, "cannot open", path);
  std::unique_ptr<RowInput> input = absl::WrapUnique(new RowInput());
  input->fd_ = fd;  // closed by the destructor from here on
  input->path_ = path;
  struct stat info;
  if (::fstat(fd, &info) != 0) return ErrnoStatus(errno, "cannot stat", path);
  if (S_ISDIR(info.st_mode)) return absl::InvalidArgumentError(StrCat(path, " is a directory"));
  if (S_ISREG(info.st_mode)) input->size_ = static_cast<uint64_t>(info.st_size);
  input->chunk_bytes_ = chunk_bytes;
  input->max_window_bytes_ = max_window_bytes;
  return input;
}

std::unique_ptr<RowInput> RowInput::FromString(std::string text, size_t chunk_bytes,
                                               size_t max_window_bytes) {
  std::unique_ptr<RowInput> input = absl::WrapUnique(new RowInput());
  input->text_ = std::move(text);
  input->size_ = input->text_.size();
  input->path_ = "<text>";
  if (chunk_bytes == 0) {
    input->buffer_ = input->text_.data();
    input->end_ = input->text_.size();
    input->eof_ = true;
  } else {
    input->chunk_bytes_ = chunk_bytes;
    input->max_window_bytes_ = max_window_bytes;
  }
  return input;
}

RowInput::~RowInput() {
  if (fd_ >= 0) ::close(fd_);
}

void RowInput::Consume(size_t n) {
  begin_ += n;
  offset_ += n;
}

absl::StatusOr<bool> RowInput::ReadMore() {
  if (eof_) return false;
  const size_t held = end_ - begin_;
  if (held >= max_window_bytes_) {
    return absl::InternalError(
        StrCat("row reader asked for more than ", max_window_bytes_, " bytes of ", path_));
  }
  // Read at least a chunk, and as much as the window already holds, so that a row much longer
  // than a chunk is re-scanned only a logarithmic number of times.
  const size_t want = std::max(chunk_bytes_, held);
  const size_t needed = std::min(held + want, max_window_bytes_);
  if (needed > capacity_) {
    auto bigger = std::make_unique_for_overwrite<char[]>(needed);
    if (held > 0) std::memcpy(bigger.get(), owned_.get() + begin_, held);
    owned_ = std::move(bigger);
    capacity_ = needed;
  } else if (begin_ > 0 && held > 0) {
    std::memmove(owned_.get(), owned_.get() + begin_, held);
  }
  buffer_ = owned_.get();
  begin_ = 0;
  end_ = held;
  PADAN_ASSIGN_OR_RETURN(size_t got, ReadSome(owned_.get() + end_, needed - end_));
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

absl::StatusOr<size_t> RowInput::ReadSome(char* out, size_t n) {
  if (fd_ < 0) {
    const size_t got = std::min(n, text_.size() - text_pos_);
    std::memcpy(out, text_.data() + text_pos_, got);
    text_pos_ += got;
    return got;
  }
  for (;;) {
    const ssize_t got = ::read(fd_, out, n);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) return ErrnoStatus(errno, "cannot read", path_);
  }
}

// --- Factories --------------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<RowReader>> OpenRowReader(const std::string& path,
                                                         const RowReaderOptions& options) {
  PADAN_RETURN_IF_ERROR(ValidateRowReaderOptions(options));
  const size_t chunk_bytes = ChunkBytes(options);
  PADAN_ASSIGN_OR_RETURN(
      std::unique_ptr<RowInput> input,
      RowInput::OpenFile(path, chunk_bytes, MaxWindowBytes(options, chunk_bytes)));
  Format format = FormatFromExtension(path);
  if (format == Format::kUnknown) {
    PADAN_ASSIGN_OR_RETURN(format, SniffFormat(*input, options.max_row_bytes));
  }
  if (format == Format::kNdjson) {
    PADAN_ASSIGN_OR_RETURN(std::unique_ptr<NdjsonReader> reader,
                           NdjsonReader::Create(std::move(input), options));
    return reader;
  }
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader,
                         CsvReader::Create(std::move(input), options));
  return reader;
}

absl::StatusOr<std::unique_ptr<RowReader>> CsvReaderFromString(std::string text,
                                                               const RowReaderOptions& options) {
  PADAN_RETURN_IF_ERROR(ValidateRowReaderOptions(options));
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader,
                         CsvReader::Create(StringInput(std::move(text), options), options));
  return reader;
}

absl::StatusOr<std::unique_ptr<RowReader>> NdjsonReaderFromString(std::string text,
                                                                  const RowReaderOptions& options) {
  PADAN_RETURN_IF_ERROR(ValidateRowReaderOptions(options));
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<NdjsonReader> reader,
                         NdjsonReader::Create(StringInput(std::move(text), options), options));
  return reader;
}

}  // namespace padan
