#include "index/write_ahead_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/file_io.h"
#include "index/crc32c.h"

namespace padan {
namespace {

constexpr std::string_view kMagic = "PADANWAL";
constexpr std::string_view kSegmentPrefix = "wal-";
constexpr std::string_view kSegmentSuffix = ".log";
// Sequence numbers in file names are zero-padded so that names sort like the numbers.
constexpr int kSequenceDigits = 20;
constexpr uint32_t kMoreInBatch = uint32_t{1} << 31;
constexpr uint32_t kLengthMask = kMoreInBatch - 1;
// Reads are buffered in blocks of this size.
constexpr size_t kReadBufferBytes = size_t{1} << 20;

// Counts the commits' fdatasync calls, for SyncCount().
std::atomic<uint64_t> sync_count{0};

void PutU32(char* out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(value >> (8 * i));
}
void PutU64(char* out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(value >> (8 * i));
}
uint32_t GetU32(const char* in) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= uint32_t{static_cast<uint8_t>(in[i])} << (8 * i);
  return value;
}
uint64_t GetU64(const char* in) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= uint64_t{static_cast<uint8_t>(in[i])} << (8 * i);
  return value;
}

// The entry checksum: CRC-32C of the length word (bytes 0-3), the sequence (bytes 8-15) and
// the payload.
uint32_t EntryCrc(const char* header, std::string_view payload) {
  uint32_t crc = crc32c::Extend(0, header, 4);
  crc = crc32c::Extend(crc, header + 8, 8);
  return crc32c::Extend(crc, payload.data(), payload.size());
}

// Writes all of data at `offset`, retrying short writes and EINTR. Returns 0 or an errno.
int WriteAll(int fd, const char* data, size_t size, uint64_t offset) {
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return 0;
}

}  // namespace

std::string WriteAheadLog::SegmentName(uint64_t first_sequence) {
  return absl::StrFormat("wal-%0*d.log", kSequenceDigits, first_sequence);
}

bool WriteAheadLog::ParseSegmentName(std::string_view name, uint64_t* first_sequence) {
  if (!name.starts_with(kSegmentPrefix) || !name.ends_with(kSegmentSuffix)) return false;
  const std::string_view digits = name.substr(
      kSegmentPrefix.size(), name.size() - kSegmentPrefix.size() - kSegmentSuffix.size());
  if (digits.empty()) return false;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
  }
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), *first_sequence);
  return error == std::errc() && end == digits.data() + digits.size();
}

WriteAheadLog::WriteAheadLog(std::string path, int fd, uint64_t first_sequence, uint64_t size,
                             uint64_t next_sequence)
    : path_(std::move(path)),
      fd_(fd),
      first_sequence_(first_sequence),
      next_sequence_(next_sequence),
      synced_size_(size) {}

WriteAheadLog::~WriteAheadLog() { ::close(fd_); }

absl::StatusOr<std::unique_ptr<WriteAheadLog>> WriteAheadLog::Create(const std::string& dir,
                                                                     uint64_t first_sequence) {
  std::string path = StrCat(dir, "/", SegmentName(first_sequence));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoToStatus(errno, "cannot create log segment", path);
  char header[kWalHeaderBytes];
  std::memcpy(header, kMagic.data(), kMagic.size());
  PutU32(header + kMagic.size(), kWalFormatVersion);
  int error = WriteAll(fd, header, sizeof(header), 0);
  if (error == 0 && ::fdatasync(fd) != 0) error = errno;
  if (error != 0) {
    ::close(fd);
    ::unlink(path.c_str());
    return ErrnoToStatus(error, "cannot write log segment", path);
  }
  if (absl::Status status = SyncDirectory(dir); !status.ok()) {
    ::close(fd);
    return status;
  }
  return std::unique_ptr<WriteAheadLog>(
      new WriteAheadLog(std::move(path), fd, first_sequence, kWalHeaderBytes, first_sequence));
}

absl::StatusOr<std::unique_ptr<WriteAheadLog>> WriteAheadLog::OpenForAppend(
    const std::string& path, uint64_t first_sequence, uint64_t size, uint64_t next_sequence) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoToStatus(errno, "cannot open log segment", path);
  return std::unique_ptr<WriteAheadLog>(
      new WriteAheadLog(path, fd, first_sequence, size, next_sequence));
}

absl::Status WriteAheadLog::Truncate(const std::string& path, uint64_t size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoToStatus(errno, "cannot open log segment", path);
  int error = 0;
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0 || ::fsync(fd) != 0) error = errno;
  ::close(fd);
  if (error != 0) return ErrnoToStatus(error, "cannot truncate log segment", path);
  return absl::OkStatus();
}

absl::Status WriteAheadLog::SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoToStatus(errno, "cannot open folder", dir);
  int error = 0;
  if (::fsync(fd) != 0) error = errno;
  ::close(fd);
  if (error != 0) return ErrnoToStatus(error, "cannot sync folder", dir);
  return absl::OkStatus();
}

uint64_t WriteAheadLog::AppendBatch(absl::Span<const std::string> payloads) {
  const uint64_t first = next_sequence_;
  for (size_t i = 0; i < payloads.size(); ++i) {
    const std::string& payload = payloads[i];
    char header[kWalEntryHeaderBytes];
    uint32_t length_word = static_cast<uint32_t>(payload.size());
    if (i + 1 < payloads.size()) length_word |= kMoreInBatch;
    PutU32(header, length_word);
    PutU64(header + 8, next_sequence_++);
    PutU32(header + 4, EntryCrc(header, payload));
    pending_.append(header, sizeof(header));
    pending_.append(payload);
  }
  return first;
}

absl::Status WriteAheadLog::Sync() {
  if (!status_.ok()) return status_;
  if (pending_.empty()) return absl::OkStatus();
  int error = WriteAll(fd_, pending_.data(), pending_.size(), synced_size_);
  if (error == 0) {
    sync_count.fetch_add(1, std::memory_order_relaxed);
    if (::fdatasync(fd_) != 0) error = errno;
  }
  if (error != 0) {
    status_ = ErrnoToStatus(error, "cannot write log segment", path_);
    // Best effort: leave no part of the failed batches for recovery to find.
    if (::ftruncate(fd_, static_cast<off_t>(synced_size_)) == 0) ::fdatasync(fd_);
    pending_.clear();
    return status_;
  }
  synced_size_ += pending_.size();
  pending_.clear();
  return absl::OkStatus();
}

uint64_t WriteAheadLog::SyncCount() { return sync_count.load(std::memory_order_relaxed); }

absl::Status WriteAheadLog::Rewind(uint64_t size, uint64_t next_sequence) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0 || ::fdatasync(fd_) != 0) {
    status_ = ErrnoToStatus(errno, "cannot truncate log segment", path_);
    return status_;
  }
  synced_size_ = size;
  next_sequence_ = next_sequence;
  return absl::OkStatus();
}

// --- WriteAheadLogReader ----------------------------------------------------------------------

WriteAheadLogReader::WriteAheadLogReader(std::string path, std::FILE* file, uint64_t file_size,
                                         uint64_t first_sequence)
    : path_(std::move(path)), file_(file), file_size_(file_size), next_sequence_(first_sequence) {}

WriteAheadLogReader::~WriteAheadLogReader() { std::fclose(file_); }

absl::StatusOr<std::unique_ptr<WriteAheadLogReader>> WriteAheadLogReader::Open(
    const std::string& path, uint64_t first_sequence) {
  std::FILE* file = std::fopen(path.c_str(), "rbe");
  if (file == nullptr) return ErrnoToStatus(errno, "cannot open log segment", path);
  struct stat st;
  if (::fstat(::fileno(file), &st) != 0) {
    const int error = errno;
    std::fclose(file);
    return ErrnoToStatus(error, "cannot stat log segment", path);
  }
  std::setvbuf(file, nullptr, _IOFBF, kReadBufferBytes);
  std::unique_ptr<WriteAheadLogReader> reader(
      new WriteAheadLogReader(path, file, static_cast<uint64_t>(st.st_size), first_sequence));

  if (reader->file_size_ < kWalHeaderBytes) {
    reader->Stop(StrCat("segment header torn: the file has ", reader->file_size_, " bytes"));
    return reader;
  }
  char header[kWalHeaderBytes];
  if (!reader->ReadExactly(header, sizeof(header))) return reader->status_;
  if (std::string_view(header, kMagic.size()) != kMagic) {
    reader->Stop("not a padan log segment (bad magic)");
    return reader;
  }
  const uint32_t version = GetU32(header + kMagic.size());
  if (version != kWalFormatVersion) {
    return absl::FailedPreconditionError(StrCat("log segment ", path, " has format version ",
                                                version, "; this build reads version ",
                                                kWalFormatVersion));
  }
  reader->valid_end_ = kWalHeaderBytes;
  return reader;
}

bool WriteAheadLogReader::ReadExactly(void* data, size_t size) {
  if (std::fread(data, 1, size, file_) != size) {
    // The size was checked against the file's length first, so a short read is an error.
    status_ = std::ferror(file_) != 0
                  ? ErrnoToStatus(errno, "cannot read log segment", path_)
                  : absl::DataLossError(StrCat("log segment ", path_, " shrank while read"));
    done_ = true;
    return false;
  }
  offset_ += size;
  return true;
}

void WriteAheadLogReader::Stop(std::string problem) {
  problem_ = std::move(problem);
  done_ = true;
}

bool WriteAheadLogReader::Next(WalBatch* batch) {
  if (done_) return false;
  batch->payloads.clear();
  batch->begin_offset = offset_;
  batch->first_sequence = next_sequence_;
  uint64_t sequence = next_sequence_;
  while (true) {
    const uint64_t entry_offset = offset_;
    const uint64_t left = file_size_ - offset_;
    if (left == 0) {
      if (!batch->payloads.empty()) {
        Stop(StrCat("batch starting at offset ", batch->begin_offset, " is unfinished: ",
                    batch->payloads.size(), " of its entries are there, the file ends"));
      } else {
        done_ = true;  // clean end
      }
      return false;
    }
    if (left < kWalEntryHeaderBytes) {
      Stop(StrCat("entry header at offset ", entry_offset, " is torn: ", left, " bytes left of ",
                  kWalEntryHeaderBytes));
      return false;
    }
    char header[kWalEntryHeaderBytes];
    if (!ReadExactly(header, sizeof(header))) return false;
    const uint32_t length_word = GetU32(header);
    const uint64_t length = length_word & kLengthMask;
    if (length > kWalMaxPayloadBytes) {
      Stop(StrCat("entry at offset ", entry_offset, " has an impossible length, ", length));
      return false;
    }
    if (length > left - kWalEntryHeaderBytes) {
      Stop(StrCat("entry at offset ", entry_offset, " is torn: its payload of ", length,
                  " bytes is cut off after ", left - kWalEntryHeaderBytes));
      return false;
    }
    std::string payload(length, '\0');
    if (!ReadExactly(payload.data(), payload.size())) return false;
    if (EntryCrc(header, payload) != GetU32(header + 4)) {
      Stop(StrCat("entry at offset ", entry_offset, " fails its checksum"));
      return false;
    }
    const uint64_t entry_sequence = GetU64(header + 8);
    if (entry_sequence != sequence) {
      Stop(StrCat("entry at offset ", entry_offset, " has sequence ", entry_sequence, ", expected ",
                  sequence));
      return false;
    }
    batch->payloads.push_back(std::move(payload));
    ++sequence;
    if ((length_word & kMoreInBatch) == 0) break;
  }
  batch->end_offset = offset_;
  valid_end_ = offset_;
  next_sequence_ = sequence;
  return true;
}

}  // namespace padan
